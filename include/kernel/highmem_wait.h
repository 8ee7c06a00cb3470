/* kmap()'s waiting for a free slot, on the scheduler's wait queues (kernel/highmem_wait.c). */
#ifndef KERNEL_HIGHMEM_WAIT_H
#define KERNEL_HIGHMEM_WAIT_H

/* Install highmem_hooks (boot, once). */
void highmem_wait_init(void);

#endif

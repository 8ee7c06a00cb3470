/*
 * Kernel access to app memory, page by page through the app's tables
 * (contracts in include/mm/uaccess.h). For each page of the range:
 *
 *   pgt_query(mm->pgt, addr) present with MMU_USER and the permission
 *   needed (MMU_READ to read, MMU_WRITE to write)?
 *     no  -> handle_mm_fault(addr, FAULT_READ or FAULT_WRITE), as if the
 *            app had touched it (zero page, COW, file read...), and look
 *            again once; still not there -> -EFAULT
 *     yes -> copy through kmap_local_page() of its frame (the linear map
 *            for a lowmem frame; a kmap_local slot for a highmem one),
 *            unmapped before the next page is looked up
 *
 * The kernel never dereferences the user address itself, so a bad pointer
 * is an -EFAULT and never a kernel fault, and all of it runs on the host.
 *
 * Locking: the caller owns mm (a syscall of its task; see mm_types.h).
 */
#include <arch/layout.h>
#include <arch/phys.h>
#include <errno.h>
#include <mm/highmem.h>
#include <mm/memory.h>
#include <mm/uaccess.h>
#include <string.h>

bool access_ok(u64 uaddr, u64 len)
{
	return uaddr <= USER_VA_END && len <= USER_VA_END - uaddr;
}

/* The kernel address of user byte uaddr, faulted in for write or read and
 * kmap_local()ed (kunmap_local it); NULL: -EFAULT. */
static void *user_byte(struct mm_struct *mm, u64 uaddr, bool write)
{
	unsigned need = MMU_USER | (write ? MMU_WRITE : MMU_READ);
	struct fault_info fi;
	phys_addr_t pa;
	unsigned attrs;

	for (int tries = 0;; tries++) {
		if (!pgt_query(&mm->pgt, uaddr, &pa, &attrs, NULL) && (attrs & need) == need) {
			if (!pfn_valid(phys_to_pfn(pa)))
				return NULL; /* not RAM: nothing the kernel copies */
			return (u8 *)kmap_local_page(pfn_to_page(phys_to_pfn(pa))) + (pa & (PAGE_SIZE - 1));
		}
		if (tries || handle_mm_fault(mm, uaddr, write ? FAULT_WRITE : FAULT_READ, &fi))
			return NULL;
	}
}

/* Bytes from uaddr to the end of its page, at most n. */
static size_t chunk(u64 uaddr, size_t n)
{
	u64 left = PAGE_SIZE - (uaddr & (PAGE_SIZE - 1));

	return n < left ? n : (size_t)left;
}

int copy_from_user(struct mm_struct *mm, void *dst, u64 src, size_t n)
{
	u8 *d = dst;

	if (!access_ok(src, n))
		return -EFAULT;
	while (n) {
		size_t c = chunk(src, n);
		const void *s = user_byte(mm, src, false);

		if (!s)
			return -EFAULT;
		memcpy(d, s, c);
		kunmap_local(s);
		d += c, src += c, n -= c;
	}
	return 0;
}

/* Write n bytes at app address dst: from src, or zeroes if src is NULL. */
static int write_user(struct mm_struct *mm, u64 dst, const u8 *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	while (n) {
		size_t c = chunk(dst, n);
		void *d = user_byte(mm, dst, true);

		if (!d)
			return -EFAULT;
		if (src) {
			memcpy(d, src, c);
			src += c;
		} else {
			memset(d, 0, c);
		}
		kunmap_local(d);
		dst += c, n -= c;
	}
	return 0;
}

int copy_to_user(struct mm_struct *mm, u64 dst, const void *src, size_t n)
{
	return write_user(mm, dst, src, n);
}

int clear_user(struct mm_struct *mm, u64 dst, size_t n)
{
	return write_user(mm, dst, NULL, n);
}

long strncpy_from_user(struct mm_struct *mm, char *dst, u64 src, size_t n)
{
	size_t done = 0;

	/* page by page: never touch (or fault in) a page past the NUL */
	while (done < n) {
		size_t c = chunk(src, n - done);
		const char *s, *nul;

		if (!access_ok(src, c) || !(s = user_byte(mm, src, false)))
			return -EFAULT;
		nul = memchr(s, 0, c);
		if (nul) {
			memcpy(dst + done, s, (size_t)(nul - s) + 1);
			kunmap_local(s);
			return (long)(done + (size_t)(nul - s));
		}
		memcpy(dst + done, s, c);
		kunmap_local(s);
		done += c, src += c;
	}
	return -ENAMETOOLONG;
}

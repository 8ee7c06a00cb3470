#include <arch/irq.h>
void irq_dispatch(void) {}

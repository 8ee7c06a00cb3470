/*
 * The fault status code of an abort in the long-descriptor format, 6 bits:
 * AArch64's ESR_ELx.DFSC/IFSC and ARMv7-A LPAE's DFSR/IFSR STATUS use the
 * same codes for what Pagoda decodes (0b0001LL translation, 0b0010LL
 * access flag, 0b0011LL permission, LL the table level; 0x21 alignment).
 * Shared by arch/esr.h (AArch64) and platform/armv7a/fsr.c.
 */
#ifndef ARCH_FAULT_STATUS_H
#define ARCH_FAULT_STATUS_H

#include <arch/trap.h> /* enum fault_type */

/* The kind of fault of status code st and its table level (-1 if none). */
static inline enum fault_type long_desc_fault_type(unsigned st, int *level)
{
	*level = -1;
	if (st == 0x21)
		return FAULT_ALIGNMENT;
	switch (st & 0x3c) {
	case 0x04:
		*level = st & 3;
		return FAULT_TRANSLATION;
	case 0x08:
		*level = st & 3;
		return FAULT_ACCESS_FLAG;
	case 0x0c:
		*level = st & 3;
		return FAULT_PERMISSION;
	default:
		return FAULT_OTHER;
	}
}

#endif

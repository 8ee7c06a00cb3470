/* ESR_EL1 decoding shared by the crash report and the fault tests. */
#ifndef ARCH_ESR_H
#define ARCH_ESR_H

#include <arch/fault_status.h>
#include <arch/trap.h> /* enum fault_type */
#include <types.h>

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL(esr) (((esr) >> 25) & 1)
#define ESR_ISS(esr) ((esr) & 0x1ffffff)

#define EC_UNKNOWN 0x00
#define EC_SVC64 0x15
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_BRK64 0x3c

/* Name of an exception class, e.g. "DABT (current EL)". */
const char *esr_class_name(u64 esr);
/* Whether esr is an instruction or data abort (from either EL). */
static inline bool esr_is_abort(u64 esr)
{
	unsigned ec = ESR_EC(esr);

	return ec == EC_IABT_LOW || ec == EC_IABT_CUR || ec == EC_DABT_LOW || ec == EC_DABT_CUR;
}

/* For aborts: the kind of fault and the table level (-1 if none);
 * inline: the page-fault path decodes with it (arch_trap_abort). */
static inline enum fault_type esr_fault_type(u64 esr, int *level)
{
	*level = -1;
	return esr_is_abort(esr) ? long_desc_fault_type(esr & 0x3f, level) : FAULT_OTHER;
}

/* For aborts: whether the access was a write (data aborts only). */
static inline bool esr_is_write(u64 esr)
{
	unsigned ec = ESR_EC(esr);

	return (ec == EC_DABT_LOW || ec == EC_DABT_CUR) && (esr & BIT(6));
}

/* One-line human description of the ISS, into buf. */
void esr_describe(u64 esr, char *buf, size_t len);

#endif

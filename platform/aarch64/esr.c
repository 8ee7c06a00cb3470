/*
 * ESR_EL1 decoding: exception class names and abort fault status codes
 * (ARM ARM D17.2.37). Pure functions; also built for host tests.
 */
#include <arch/esr.h>
#include <stdio.h>

static const char *const ec_names[64] = {
	[0x00] = "Unknown/uncategorized",
	[0x01] = "WFI/WFE",
	[0x07] = "SVE/SIMD/FP access",
	[0x0e] = "Illegal execution state",
	[0x15] = "SVC (AArch64)",
	[0x16] = "HVC (AArch64)",
	[0x17] = "SMC (AArch64)",
	[0x18] = "MSR/MRS (AArch64)",
	[0x19] = "SVE access",
	[0x1c] = "FPAC (pointer authentication)",
	[0x20] = "IABT (lower EL)",
	[0x21] = "IABT (current EL)",
	[0x22] = "PC alignment",
	[0x24] = "DABT (lower EL)",
	[0x25] = "DABT (current EL)",
	[0x26] = "SP alignment",
	[0x2c] = "FP exception (AArch64)",
	[0x2f] = "SError",
	[0x30] = "Breakpoint (lower EL)",
	[0x31] = "Breakpoint (current EL)",
	[0x32] = "Software step (lower EL)",
	[0x33] = "Software step (current EL)",
	[0x34] = "Watchpoint (lower EL)",
	[0x35] = "Watchpoint (current EL)",
	[0x3c] = "BRK (AArch64)",
};

const char *esr_class_name(u64 esr)
{
	const char *n = ec_names[ESR_EC(esr)];

	return n ? n : "Reserved/unhandled class";
}


static const char *fsc_name(unsigned fsc)
{
	switch (fsc) {
	case 0x00: case 0x01: case 0x02: case 0x03: return "address size fault";
	case 0x10: return "synchronous external abort";
	case 0x21: return "alignment fault";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

void esr_describe(u64 esr, char *buf, size_t len)
{
	static const char *const kinds[] = { "translation fault", "access flag fault",
					     "permission fault", "alignment fault" };
	int level;
	enum fault_type t = esr_fault_type(esr, &level);
	unsigned ec = ESR_EC(esr);

	if (esr_is_abort(esr)) {
		bool data = ec == EC_DABT_LOW || ec == EC_DABT_CUR;
		const char *what = t == FAULT_OTHER ? fsc_name(esr & 0x3f) : kinds[t];

		if (level >= 0)
			snprintf(buf, len, "%s, %s, level %d", data ? (esr_is_write(esr) ? "write" : "read") : "instruction fetch",
				 what, level);
		else
			snprintf(buf, len, "%s, %s", data ? (esr_is_write(esr) ? "write" : "read") : "instruction fetch", what);
	} else if (ec == EC_SVC64 || ec == EC_BRK64) {
		snprintf(buf, len, "imm16=0x%x", (unsigned)(esr & 0xffff));
	} else {
		snprintf(buf, len, "ISS=0x%07x", (unsigned)ESR_ISS(esr));
	}
}

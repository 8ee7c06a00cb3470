/*
 * DFSR/IFSR decoding in the long-descriptor format (include: arch/fsr.h).
 * Pure functions; also built for host tests (test/host/test_fsr.c).
 */
#include <arch/fault_status.h>
#include <arch/fsr.h>
#include <stdio.h>

enum fault_type fsr_fault_type(u32 fsr, int *level) { return long_desc_fault_type(FSR_STATUS(fsr), level); }

bool fsr_is_write(u32 fsr) { return (fsr & FSR_WNR) && !(fsr & FSR_CM); }

static const char *other_name(unsigned st)
{
	switch (st) {
	case 0x00: case 0x01: case 0x02: case 0x03: return "address size fault";
	case 0x10: return "synchronous external abort";
	case 0x11: return "asynchronous external abort";
	case 0x18: return "synchronous parity error";
	case 0x22: return "debug event";
	case 0x30: return "TLB conflict abort";
	default: return "other fault";
	}
}

void fsr_describe(u32 fsr, bool data, char *buf, size_t len)
{
	static const char *const kinds[] = { "translation fault", "access flag fault", "permission fault",
					     "alignment fault" };
	int level;
	enum fault_type t = fsr_fault_type(fsr, &level);
	const char *access = !data ? "instruction fetch" : fsr_is_write(fsr) ? "write" : "read";
	const char *what = t == FAULT_OTHER ? other_name(FSR_STATUS(fsr)) : kinds[t];

	if (level >= 0)
		snprintf(buf, len, "%s, %s, level %d", access, what, level);
	else
		snprintf(buf, len, "%s, %s", access, what);
}

/*
 * FP/SIMD save area at [base]: FPSR, FPCR, then q0..q31 (528 bytes): the
 * layout of the IRQ frame's FP area and of struct user_frame's (fpsr
 * onwards). base is not changed; s1, s2 are scratch general registers.
 * For platform/aarch64/*.S only.
 */
#ifndef PLATFORM_FPSIMD_ASM_H
#define PLATFORM_FPSIMD_ASM_H

#define UF_FP 304 /* offsetof(struct user_frame, fpsr), asserted in user.c */
#define CPACR_FPEN_ON (3 << 20) /* CPACR_EL1 as start.S sets it: no FP/SIMD traps */

/* FP/SIMD accesses at EL1 trap (CPACR_EL1.FPEN = 0: the app's registers are live). */
.macro fpsimd_trap_on
	msr	cpacr_el1, xzr
	isb
.endm

/* FP/SIMD accesses allowed again. s1 scratch. */
.macro fpsimd_trap_off s1
	mov	\s1, #CPACR_FPEN_ON
	msr	cpacr_el1, \s1
	isb
.endm

.macro fpsimd_save base, s1, s2
	mrs	\s1, fpsr
	mrs	\s2, fpcr
	stp	\s1, \s2, [\base]
	stp	q0, q1, [\base, #16 + 32 * 0]
	stp	q2, q3, [\base, #16 + 32 * 1]
	stp	q4, q5, [\base, #16 + 32 * 2]
	stp	q6, q7, [\base, #16 + 32 * 3]
	stp	q8, q9, [\base, #16 + 32 * 4]
	stp	q10, q11, [\base, #16 + 32 * 5]
	stp	q12, q13, [\base, #16 + 32 * 6]
	stp	q14, q15, [\base, #16 + 32 * 7]
	stp	q16, q17, [\base, #16 + 32 * 8]
	stp	q18, q19, [\base, #16 + 32 * 9]
	stp	q20, q21, [\base, #16 + 32 * 10]
	stp	q22, q23, [\base, #16 + 32 * 11]
	stp	q24, q25, [\base, #16 + 32 * 12]
	stp	q26, q27, [\base, #16 + 32 * 13]
	stp	q28, q29, [\base, #16 + 32 * 14]
	stp	q30, q31, [\base, #16 + 32 * 15]
.endm

.macro fpsimd_restore base, s1, s2
	ldp	\s1, \s2, [\base]
	msr	fpsr, \s1
	msr	fpcr, \s2
	ldp	q0, q1, [\base, #16 + 32 * 0]
	ldp	q2, q3, [\base, #16 + 32 * 1]
	ldp	q4, q5, [\base, #16 + 32 * 2]
	ldp	q6, q7, [\base, #16 + 32 * 3]
	ldp	q8, q9, [\base, #16 + 32 * 4]
	ldp	q10, q11, [\base, #16 + 32 * 5]
	ldp	q12, q13, [\base, #16 + 32 * 6]
	ldp	q14, q15, [\base, #16 + 32 * 7]
	ldp	q16, q17, [\base, #16 + 32 * 8]
	ldp	q18, q19, [\base, #16 + 32 * 9]
	ldp	q20, q21, [\base, #16 + 32 * 10]
	ldp	q22, q23, [\base, #16 + 32 * 11]
	ldp	q24, q25, [\base, #16 + 32 * 12]
	ldp	q26, q27, [\base, #16 + 32 * 13]
	ldp	q28, q29, [\base, #16 + 32 * 14]
	ldp	q30, q31, [\base, #16 + 32 * 15]
.endm

#endif

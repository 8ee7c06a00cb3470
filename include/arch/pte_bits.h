/*
 * AArch64 stage-1 descriptor bits, 4 KiB granule (ARM ARM D8.3).
 *
 *  63  59 58 55 54  53  52   51..48  47.......12  11  10  9:8  7:6  5  4:2   1:0
 * +------+-----+---+---+----+------+------------+---+---+-----+----+---+-----+----+
 * |table | SW  |UXN|PXN|Cont|  res |  address   |nG |AF | SH  | AP | NS|AttrI|type|
 * | attrs|     |   |   |    |      |            |   |   |     |    |   |     |    |
 * +------+-----+---+---+----+------+------------+---+---+-----+----+---+-----+----+
 * type: 0b01 block (L1, L2), 0b11 table (L0-L2) or page (L3), bit0=0 invalid.
 * Table attrs (tables only): 63 NSTable, 62:61 APTable, 60 UXNTable, 59 PXNTable.
 * AP[2:1] (bits 7:6): 00 EL1 RW, 01 EL1+EL0 RW, 10 EL1 RO, 11 EL1+EL0 RO.
 * AttrIndx selects a MAIR byte: 0 Normal WB, 1 Device-nGnRE, 2 Normal NC,
 * 3 Device-nGnRnE (MAIR_EL1 is programmed in start.S to match).
 */
#ifndef ARCH_PTE_BITS_H
#define ARCH_PTE_BITS_H

#include <types.h>

#define PTE_VALID BIT(0)
#define PTE_TYPE_MASK 3ULL
#define PTE_TYPE_BLOCK 1ULL
#define PTE_TYPE_TABLE 3ULL /* also "page" at level 3 */
#define PTE_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_ATTRIDX_MASK (7ULL << 2)
#define PTE_AP_EL0 BIT(6)
#define PTE_AP_RDONLY BIT(7)
#define PTE_SH_INNER (3ULL << 8)
#define PTE_AF BIT(10)
#define PTE_NG BIT(11)
#define PTE_PXN BIT(53)
#define PTE_UXN BIT(54)
#define PTE_ADDR_MASK GENMASK(47, 12)

#define PTE_PXNTABLE BIT(59)
#define PTE_UXNTABLE BIT(60)
#define PTE_APTABLE_NOEL0 BIT(61)
#define PTE_APTABLE_RDONLY BIT(62)

#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_IDX_NORMAL_NC 2
#define MAIR_IDX_DEVICE_STRICT 3

#endif

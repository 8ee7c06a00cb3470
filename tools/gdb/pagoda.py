"""gdb helpers for Pagoda (loaded by tools/gdb/pagoda.gdb).

pagoda-walk VA   walk the live translation tables (TTBR1 for high VAs,
                 TTBR0 otherwise) for VA, printing each level's descriptor
pagoda-esr VALUE decode an ESR_EL1 value (class, fault type, level)
"""
import gdb

EC = {0x00: "Unknown", 0x15: "SVC64", 0x20: "IABT (lower EL)", 0x21: "IABT (current EL)",
      0x22: "PC alignment", 0x24: "DABT (lower EL)", 0x25: "DABT (current EL)", 0x26: "SP alignment",
      0x2f: "SError", 0x3c: "BRK64"}


def reg(name):
    return int(gdb.parse_and_eval(f"${name}")) & 0xffffffffffffffff


def read_u64(addr):
    mem = gdb.selected_inferior().read_memory(addr, 8)
    return int.from_bytes(bytes(mem), "little")


class Walk(gdb.Command):
    """pagoda-walk VA: translate VA through the live tables, level by level."""

    def __init__(self):
        super().__init__("pagoda-walk", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        va = int(gdb.parse_and_eval(arg)) & 0xffffffffffffffff
        tcr = reg("TCR_EL1")
        high = va >> 63
        tsz = (tcr >> 16) & 0x3f if high else tcr & 0x3f
        va_bits = 64 - tsz
        page_offset = (0xffffffffffffffff << va_bits) & 0xffffffffffffffff
        # Pagoda's linear map: PA is at PAGE_OFFSET + PA (TTBR1's range)
        lin = (0xffffffffffffffff << (64 - ((tcr >> 16) & 0x3f))) & 0xffffffffffffffff
        table = reg("TTBR1_EL1" if high else "TTBR0_EL1") & 0x0000fffffffff000
        level = 4 - (va_bits - 4) // 9
        print(f"VA {va:#018x}: {'TTBR1' if high else 'TTBR0'}, {va_bits}-bit, start level {level}")
        while True:
            shift = 12 + 9 * (3 - level)
            bits = va_bits - shift if level == 4 - (va_bits - 4) // 9 else 9
            idx = (va >> shift) & ((1 << bits) - 1)
            d = read_u64(lin + table + idx * 8)
            kind = "invalid" if not d & 1 else ("block" if d & 3 == 1 else ("page" if level == 3 else "table"))
            print(f"  L{level}[{idx:3}] = {d:#018x}  {kind}")
            if kind in ("invalid",) or (kind == "block" and level not in (1, 2)):
                print("  -> translation fault")
                return
            if kind == "table":
                table = d & 0x0000fffffffff000
                level += 1
                continue
            size = 1 << shift
            pa = (d & 0x0000fffffffff000 & ~(size - 1)) | (va & (size - 1))
            ap = (d >> 6) & 3
            print(f"  -> PA {pa:#x} ({size >> 10} KiB {kind}), AP={ap} "
                  f"{'RO' if ap & 2 else 'RW'}{' EL0' if ap & 1 else ''} PXN={d >> 53 & 1} UXN={d >> 54 & 1} "
                  f"AF={d >> 10 & 1} AttrIndx={d >> 2 & 7}")
            return


class Esr(gdb.Command):
    """pagoda-esr VALUE: decode an ESR_EL1 value."""

    def __init__(self):
        super().__init__("pagoda-esr", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        esr = int(gdb.parse_and_eval(arg or "$ESR_EL1"))
        ec = (esr >> 26) & 0x3f
        print(f"ESR {esr:#x}: EC={ec:#x} ({EC.get(ec, 'other')}), IL={(esr >> 25) & 1}, ISS={esr & 0x1ffffff:#x}")
        if ec in (0x20, 0x21, 0x24, 0x25):
            fsc = esr & 0x3f
            kinds = {1: "translation", 2: "access flag", 3: "permission"}
            k = kinds.get(fsc >> 2, "other")
            print(f"  {k} fault, level {fsc & 3}" + (", write" if ec >= 0x24 and esr & 0x40 else ""))


Walk()
Esr()

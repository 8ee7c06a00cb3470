#!/usr/bin/python3
"""The one place that says how Pagoda boots QEMU: the binary, the options
every command line carries (tools/qemu-common.args, which the Makefile reads
too) and a check of the image against the machine before QEMU starts.

Pagoda has no network: `-nic none` keeps QEMU's virt machine from adding a
virtio NIC whose option ROM (efi-virtio.rom, package ipxe-qemu) a fresh
machine does not have. tools/check_qemu_lines.py fails the tests if a QEMU
command line is built anywhere else.

Run as a program (the Makefile's QEMU variable is this script),
it takes QEMU's arguments, picks the emulator from the -kernel ELF's
machine (QEMU below for AArch64, QEMU_ARM for the ARMv7-A image of
make ARCH=arm), checks that every loadable segment of the -kernel
ELF lies in the RAM that `-M virt -m SIZE` gives (0x40000000 up), and only
then execs QEMU. An image linked outside RAM (a wrong CONFIG_RAM_BASE or a
CONFIG_KERNEL_OFFSET beyond the RAM size) would otherwise be dropped by QEMU
segment by segment and the CPU would spin in an empty vector table with no
output at all: no firmware code ever runs to report it.
"""
import os
import re
import struct
import sys

QEMU = "qemu-system-aarch64"   # without a -kernel ELF to read
QEMU_ARM = "qemu-system-arm"   # an ELF for EM_ARM (ARMv7-A, make ARCH=arm)
EM_AARCH64, EM_ARM = 183, 40
HERE = os.path.dirname(os.path.abspath(__file__))
_ARGS = os.path.join(HERE, "qemu-common.args")
VIRT_RAM_BASE = 0x40000000   # QEMU's virt machine: RAM starts at 1 GiB
QEMU_DEFAULT_MEM = 128 << 20  # QEMU's default -m


def common_args():
    """The options every Pagoda QEMU command line starts with."""
    with open(_ARGS) as f:
        return f.read().split()


def command(elf, append, extra=(), image=None, reboot=False):
    """The checking launcher + the common options + -kernel ELF -append ... + extra.
    reboot=True drops -no-reboot: a guest reset (PSCI SYSTEM_RESET) restarts
    the board, keeping RAM, instead of ending QEMU (test/target/pstore_tests.py)."""
    args = [a for a in common_args() if not (reboot and a == "-no-reboot")]
    cmd = [sys.executable, os.path.abspath(__file__)] + args + \
        ["-kernel", elf, "-append", append] + list(extra)
    if image:
        cmd += ["-drive", f"if=pflash,unit=1,format=raw,readonly=on,file={image}"]
    return cmd


def _mem_bytes(arg):
    """QEMU's -m value ("512M", "129280K", "8G", "256", "size=1G,...") in bytes."""
    m = re.match(r"^(?:size=)?(\d+)([KMGT]?)[bB]?(?:,|$)", arg)
    if not m:
        return None
    return int(m.group(1)) << {"": 20, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2)]


def _elf(elf):
    """The bytes of a little-endian ELF (32- or 64-bit), checked."""
    with open(elf, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] != 1:
        raise ValueError(f"{elf}: not a little-endian ELF")
    return data


def machine(elf):
    """The ELF's e_machine (EM_AARCH64, EM_ARM, ...)."""
    return struct.unpack_from("<H", _elf(elf), 0x12)[0]


def qemu_binary(elf):
    """The QEMU system emulator for the -kernel ELF (None: the default)."""
    if not elf or not os.path.exists(elf):
        return QEMU
    m = machine(elf)
    if m == EM_ARM:
        return QEMU_ARM
    if m == EM_AARCH64:
        return QEMU
    raise ValueError(f"{elf}: e_machine {m} is neither AArch64 ({EM_AARCH64}) nor ARM ({EM_ARM})")


def load_segments(elf):
    """[(paddr, memsz)] of the PT_LOAD segments of a little-endian ELF32 or ELF64."""
    data = _elf(elf)
    if data[4] == 2:
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        fmt, fields = "<IIQQQQQ", (0, 4, 6)     # p_type, p_paddr, p_memsz
    else:
        phoff, = struct.unpack_from("<I", data, 0x1c)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x2a)
        fmt, fields = "<IIIIIII", (0, 3, 5)
    segs = []
    for i in range(phnum):
        ph = struct.unpack_from(fmt, data, phoff + i * phentsize)
        p_type, paddr, memsz = (ph[j] for j in fields)
        if p_type == 1 and memsz:
            segs.append((paddr, memsz))
    return segs


def check_image(args):
    """None if the -kernel ELF fits the virt machine's RAM, else the reason (naming the options)."""
    def opt(name):
        return args[args.index(name) + 1] if name in args and args.index(name) + 1 < len(args) else None
    elf, mem = opt("-kernel"), opt("-m")
    machine = opt("-M") or opt("-machine") or "virt"
    if not elf or not machine.startswith("virt"):
        return None
    size = _mem_bytes(mem) if mem else QEMU_DEFAULT_MEM
    if size is None:
        return None
    end = VIRT_RAM_BASE + size
    for paddr, memsz in load_segments(elf):
        if paddr < VIRT_RAM_BASE or paddr + memsz > end:
            return (f"pagoda: {elf} is linked at [{paddr:#x}-{paddr + memsz - 1:#x}], outside the RAM of "
                    f"QEMU virt with -m {mem or '128M'} [{VIRT_RAM_BASE:#x}-{end - 1:#x}]: QEMU would load "
                    f"nothing there and the board would hang silently.\n"
                    f"pagoda: the image is linked at CONFIG_RAM_BASE + CONFIG_KERNEL_OFFSET of board.cfg: "
                    f"QEMU virt's RAM starts at CONFIG_RAM_BASE={VIRT_RAM_BASE:#x}, and CONFIG_KERNEL_OFFSET "
                    f"plus the image must stay below the RAM size (or give QEMU more memory with -m).")
    return None


def main(args):
    # PAGODA_NO_PREFLIGHT=1: boot anyway (test/target/boot_checks.py proves the
    # firmware's own check of an image that lies partly beyond RAM this way)
    problem = None if os.environ.get("PAGODA_NO_PREFLIGHT") == "1" else check_image(args)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    kernel = args[args.index("-kernel") + 1] if "-kernel" in args[:-1] else None
    try:
        qemu = qemu_binary(kernel)
    except ValueError as e:
        print(f"pagoda: {e}", file=sys.stderr)
        return 1
    os.execvp(qemu, [qemu] + args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

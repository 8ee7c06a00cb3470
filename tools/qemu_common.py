"""The one place that says how Pagoda boots QEMU: the binary and the options
every command line carries (tools/qemu-common.args, which the Makefile reads
too). Pagoda has no network: `-nic none` keeps QEMU's virt machine from
adding a virtio NIC whose option ROM (efi-virtio.rom, package ipxe-qemu) a
fresh machine does not have. tools/check_qemu_lines.py fails the tests if a
QEMU command line is built anywhere else.
"""
import os

QEMU = "qemu-system-aarch64"
_ARGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemu-common.args")


def common_args():
    """The options every Pagoda QEMU command line starts with."""
    with open(_ARGS) as f:
        return f.read().split()


def command(elf, append, extra=(), image=None):
    """QEMU + the common options + -kernel ELF -append ... + extra."""
    cmd = [QEMU] + common_args() + ["-kernel", elf, "-append", append] + list(extra)
    if image:
        cmd += ["-drive", f"if=pflash,unit=1,format=raw,readonly=on,file={image}"]
    return cmd

#!/bin/sh
# Install what Pagoda's build, run and tests need, from Debian's archive,
# only when something is missing. Called by `make deps` (and so by
# `make run` / `make test`). Needs root (or sudo) only when installing.
set -eu

TARGET_PKGS="gcc-aarch64-linux-gnu picolibc-aarch64-linux-gnu liblz4-dev:arm64 libfdt-dev:arm64 \
qemu-system-arm python3-kconfiglib gdb-multiarch"
HA=$(dpkg --print-architecture)
# host libraries carry the host architecture: the arm64 ones are installed too
HOST_PKGS="gcc make liblz4-dev:$HA libfdt1:$HA libcmocka-dev:$HA clang libclang-rt-14-dev:$HA \
libmimalloc-dev:$HA procps smem python3-matplotlib"
# make test-host32: the host tests as 32-bit x86 programs (clang -m32; its
# i386 ASan/UBSan runtime is in libclang-rt-14-dev). GCC's 32-bit crt files
# and libgcc, glibc's 32-bit development files, the i386 kernel headers
# (<asm/errno.h>: it must be the same version as linux-libc-dev:amd64, apt
# upgrades both) and the i386 libraries the tests link. NOT gcc-multilib:
# it conflicts with gcc-aarch64-linux-gnu (apt would remove the cross
# compiler); nothing here needs it.
HOST32_PKGS=""
if [ "$HA" = amd64 ]; then
	HOST32_PKGS="lib32gcc-12-dev libc6-dev-i386 linux-libc-dev:i386 libcmocka-dev:i386 liblz4-dev:i386 libfdt1:i386"
	HOST_PKGS="$HOST_PKGS $HOST32_PKGS"
fi

missing=""
for p in $TARGET_PKGS $HOST_PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	"install ok installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps: need root (or sudo) to install:$missing" >&2; exit 1; }
	SUDO=sudo
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi
if [ -n "$HOST32_PKGS" ] && ! dpkg --print-foreign-architectures | grep -qx i386; then
	$SUDO dpkg --add-architecture i386
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing

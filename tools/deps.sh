#!/bin/sh
# Install what Pagoda's build, run and tests need, from Debian's archive,
# only when something is missing. Called by `make deps` (and so by
# `make run` / `make test`). Needs root (or sudo) only when installing.
#
#   sh tools/deps.sh libfdt-armhf DIR
#       Debian's libfdt-dev:armhf extracted into DIR (make ARCH=arm links
#       its libfdt.a): it cannot be installed next to libfdt-dev:arm64, so
#       it is downloaded (apt-get download, no root) and unpacked, unmodified.
set -eu

if [ "${1:-}" = libfdt-armhf ]; then
	dir=${2:?usage: deps.sh libfdt-armhf DIR}
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	chmod 755 "$tmp" # apt's _apt user downloads into it
	(cd "$tmp" && apt-get download -q libfdt-dev:armhf >"$tmp/log" 2>&1) || {
		cat "$tmp/log" >&2
		echo "deps: cannot download libfdt-dev:armhf (is the armhf architecture added? sh tools/deps.sh)" >&2
		exit 1
	}
	mkdir -p "$dir"
	dpkg-deb -x "$tmp"/libfdt-dev_*_armhf.deb "$dir"
	test -f "$dir/usr/lib/arm-linux-gnueabihf/libfdt.a" || { echo "deps: libfdt-dev:armhf has no libfdt.a" >&2; exit 1; }
	touch "$dir/usr/lib/arm-linux-gnueabihf/libfdt.a"
	echo "deps: libfdt-dev:armhf extracted into $dir"
	exit 0
fi

TARGET_PKGS="gcc-aarch64-linux-gnu picolibc-aarch64-linux-gnu liblz4-dev:arm64 libfdt-dev:arm64 \
qemu-system-arm python3-kconfiglib gdb-multiarch"
# make ARCH=arm (ARMv7-A): arm-none-eabi GCC + newlib, Debian's armhf liblz4.a
# (libfdt-dev:armhf conflicts with libfdt-dev:arm64: see libfdt-armhf above)
ARM_PKGS="gcc-arm-none-eabi libnewlib-arm-none-eabi liblz4-dev:armhf"
HA=$(dpkg --print-architecture)
# host libraries carry the host architecture: the arm64 ones are installed too
HOST_PKGS="gcc make liblz4-dev:$HA libfdt1:$HA libcmocka-dev:$HA clang libclang-rt-14-dev:$HA \
libmimalloc-dev:$HA procps smem python3-matplotlib valgrind"
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
for p in $TARGET_PKGS $ARM_PKGS $HOST_PKGS; do
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
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
	$SUDO dpkg --add-architecture armhf # make ARCH=arm: liblz4-dev:armhf
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi
if [ -n "$HOST32_PKGS" ] && ! dpkg --print-foreign-architectures | grep -qx i386; then
	$SUDO dpkg --add-architecture i386
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing

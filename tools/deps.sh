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
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing

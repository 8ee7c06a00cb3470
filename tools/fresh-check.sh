#!/bin/sh
# make fresh-check: the README's two commands on a fresh Debian 12.
#
# Builds once (cached) a minimal Debian 12 root with
# `debootstrap --variant=minbase` plus only make, gcc and git (without
# their recommends, so the project must install even libc6-dev); each run
# starts from a pristine copy of it, clones the committed project (HEAD,
# not the working tree) into it and runs `make test` (FRESH=run: `make run`)
# inside by chroot, so whatever the project needs it must install itself.
# Prints the log's last line and exits with the command's status.
#
# Usage (root): tools/fresh-check.sh [test|run]
#   FRESH_CACHE  where the base root and downloaded .debs are kept
#                (default /var/tmp/pagoda-fresh); delete it to start over
#   FRESH_LOG    the chroot's log (default build/fresh-check/<what>.log)
# Downloaded packages are kept between runs (bind-mounted apt archive
# cache): they are still installed by the project's own commands each time.
set -eu

what=${1:-test}
case "$what" in test|run) ;; *) echo "fresh-check: FRESH=$what: allowed test or run" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "fresh-check: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }

project=$(cd "$(dirname "$0")/.." && pwd)
cache=${FRESH_CACHE:-/var/tmp/pagoda-fresh}
base=$cache/base
root=$cache/root
log=${FRESH_LOG:-$project/build/fresh-check/$what.log}
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
mkdir -p "$cache/apt-archives/partial" "$(dirname "$log")"

step() { echo "fresh-check: $*"; }

unmount_all() {
	for m in var/cache/apt/archives dev/pts dev proc; do
		mountpoint -q "$root/$m" 2>/dev/null && umount "$root/$m" || true
	done
}
trap unmount_all EXIT INT TERM

if [ ! -e "$base/.pagoda-base-ready" ]; then
	if ! command -v debootstrap >/dev/null 2>&1; then
		step "installing debootstrap on the host"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
	fi
	step "building the base root (debootstrap --variant=minbase bookworm) in $base"
	rm -rf "$base"
	debootstrap --variant=minbase bookworm "$base" "$mirror" > "$cache/debootstrap.log" 2>&1 ||
		{ echo "fresh-check: debootstrap failed, see $cache/debootstrap.log" >&2; exit 1; }
	# the host's apt sources (same mirror and suites, security updates included)
	cp /etc/apt/sources.list.d/debian.sources "$base/etc/apt/sources.list.d/" 2>/dev/null &&
		rm -f "$base/etc/apt/sources.list"
	mount -t proc proc "$base/proc"
	chroot "$base" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive;
		apt-get update -qq && apt-get install -y -qq --no-install-recommends make gcc git' \
		>> "$cache/debootstrap.log" 2>&1; rc=$?
	umount "$base/proc"
	[ $rc = 0 ] || { echo "fresh-check: installing make, gcc, git in the base failed, see $cache/debootstrap.log" >&2; exit 1; }
	chroot "$base" apt-get clean
	touch "$base/.pagoda-base-ready"
fi

step "fresh copy of the base root"
unmount_all
rm -rf "$root"
cp -a "$base" "$root"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"

step "cloning the committed project ($(git -C "$project" rev-parse --short HEAD)) into $root/src/pagoda"
mkdir -p "$root/src"
git clone -q --no-local "$project" "$root/src/pagoda"

step "running 'make $what' in the chroot; log: $log"
set +e
# a clean environment, as a new login has: nothing of the host's (nor of the
# `make fresh-check` that called us: MAKELEVEL/MAKEFLAGS) leaks in
env -i HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	chroot "$root" /bin/sh -c "cd /src/pagoda && echo '\$ dpkg -l | grep -c ^ii' && dpkg -l | grep -c ^ii &&
	echo '\$ make $what' && timeout 3600 make $what </dev/null" > "$log" 2>&1
rc=$?
set -e
echo "fresh $what: exit $rc: $(tail -n 1 "$log")"
exit $rc

#!/bin/sh
# Install every Debian package Cove needs to build, boot and test.
# Idempotent: packages already present are not touched, and apt is only
# consulted when something is missing.
set -eu

PKGS="nasm gcc make binutils python3 xorriso mtools grub-common grub-pc-bin \
grub-efi-amd64-bin qemu-system-x86 ovmf bochs bochsbios vgabios \
libc6-dev musl-tools cpio busybox-static clang-14 libclang-rt-14-dev \
mpich libmpich-dev openmpi-bin libopenmpi-dev slurm-wlm slurm-client munge numactl linux-perf"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null

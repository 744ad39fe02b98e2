#!/bin/sh
# Install what scripts/linux-vm.sh needs to boot Debian's own Linux kernel as
# a QEMU guest: the kernel image, a static busybox for the initramfs, and the
# tools to pack it; and the kernel's headers, to build the co-kernel loader
# module (linux/module/) for it.
#
#   install-linux-guest.sh
#
# Idempotent: every package is checked with dpkg-query first, and apt is only
# run when something is missing. Works as root on a fresh Debian 12,
# including inside a container.
#
# About the kernel package: linux-image-amd64 depends on initramfs-tools, and
# its postinst runs update-initramfs to build /boot/initrd.img-<version>. We
# never use that initrd (linux-vm.sh builds its own initramfs), but the hook
# can fail in a container (no /dev or /proc it likes, read-only or odd /boot)
# and then leaves the kernel package half-configured, which makes every later
# apt-get call fail too. The /boot/vmlinuz-* file is unpacked before that
# hook runs, so if the install fails we finish the configuration with
# update-initramfs temporarily diverted to a no-op, then put the real one
# back. The kernel is then fully installed, just without a Debian initrd.
# (On a stock Debian 12 container the hook simply works, taking ~20 s to build
# an initrd nobody uses; the fallback was checked with a hook made to fail.)
set -eu

# qemu-system-x86 is also in scripts/install-deps.sh; listed here so that this
# script alone is enough for scripts/linux-vm.sh.
# dkms: the module's dkms.conf is built with it (test cokernel.dkms_build).
PKGS="linux-image-amd64 linux-headers-amd64 busybox-static cpio gzip qemu-system-x86 make gcc dkms"

log() { echo "install-linux-guest: $*" >&2; }

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

have_kernel() {
	for k in /boot/vmlinuz-*; do
		[ -f "$k" ] && return 0
	done
	return 1
}

missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done

# Headers for the kernel the guest boots (the newest /boot/vmlinuz-*): the
# metapackages track the same version, but an older image may be the newest.
newest_release() {
	printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1 | sed 's|.*/vmlinuz-||'
}
have_headers() {
	rel="$(newest_release)"
	[ -f "/usr/src/linux-headers-$rel/Makefile" ]
}
if have_kernel && ! have_headers; then
	missing="$missing linux-headers-$(newest_release)"
fi

if [ -z "$missing" ] && have_kernel; then
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	log "missing packages:$missing (run as root to install)"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Never stop for a question about a changed config file.
APT_OPTS="-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"

# Run dpkg --configure -a with update-initramfs replaced by a no-op.
configure_without_initramfs() {
	ui=/usr/sbin/update-initramfs
	log "finishing the configuration with $ui diverted to a no-op"
	dpkg-divert --quiet --local --rename --divert "$ui.linux-vm-real" --add "$ui"
	printf '#!/bin/sh\necho "update-initramfs: skipped (install-linux-guest.sh)" >&2\nexit 0\n' >"$ui"
	chmod 755 "$ui"
	set +e
	dpkg --configure -a
	rc=$?
	set -e
	rm -f "$ui"
	dpkg-divert --quiet --local --rename --divert "$ui.linux-vm-real" --remove "$ui"
	return $rc
}

if [ -n "$missing" ]; then
	log "installing$missing"
	apt-get update -q >/dev/null
	set +e
	# shellcheck disable=SC2086
	apt-get install $APT_OPTS $missing
	rc=$?
	set -e
	if [ $rc -ne 0 ]; then
		if have_kernel && [ -x /usr/sbin/update-initramfs ]; then
			log "apt-get failed (exit $rc), most likely in the initramfs hook; working around it"
			configure_without_initramfs || { log "dpkg --configure -a still failed"; exit 1; }
			# Anything the failed run left out (packages queued after the kernel).
			# shellcheck disable=SC2086
			apt-get install $APT_OPTS $missing
		else
			log "apt-get install failed (exit $rc)"
			exit 1
		fi
	fi
fi

for p in $PKGS; do
	installed "$p" || { log "package $p is still not installed"; exit 1; }
done
have_kernel || { log "no /boot/vmlinuz-* after installing linux-image-amd64"; exit 1; }
if ! have_headers; then
	# The metapackage brought the headers of the image it brought; the newest
	# image may be another one.
	apt-get install $APT_OPTS "linux-headers-$(newest_release)" ||
		{ log "no headers for $(newest_release)"; exit 1; }
fi
log "ok:" /boot/vmlinuz-*

#!/bin/bash
# Boot a stock Linux kernel (by default Debian 12's own, from linux-image-amd64)
# in QEMU with full emulation (TCG, never KVM), run shell commands inside it
# from a busybox initramfs, and power off.
#
#   linux-vm.sh [--kernel PATH] [--smp N] [--mem SIZE] [--icount] [--cpu MODEL]
#               [--timeout S] [--log FILE] [--add HOSTPATH[:GUESTPATH]]...
#               [--modules] [--module NAME]... [--append ARGS]
#               [--qemu PATH] [--qemu-arg ARG]... [--plugin SO[,ARGS]]
#               -- 'shell commands to run inside'
#
#   --kernel PATH   bzImage to boot; default the newest /boot/vmlinuz-* (by
#                   version order).
#   --smp N         virtual CPUs (default 1).
#   --mem SIZE      guest memory, QEMU syntax (default 512M; 2G with --modules).
#   --icount        add `-icount shift=0,sleep=off`: one guest instruction is
#                   one nanosecond of guest time, and idle time is skipped, so
#                   guest clocks count instructions, not host time. This runs
#                   all vCPUs round-robin on one host thread. With --smp > 1 it
#                   needs QEMU >= 8.1: older ones (Debian 12 has 7.2) give the
#                   whole time slice to the first vCPU and never run the others
#                   while it is busy, so Linux hangs bringing up its second CPU
#                   (fixed upstream by "accel/tcg/tcg-accel-ops-rr: ensure
#                   fairness with icount"). We refuse that combination there.
#   --cpu MODEL     QEMU CPU model (default max).
#   --timeout S     kill QEMU after S wall seconds (default 600; 0 = never).
#   --log FILE      write the guest console (serial) to FILE instead of stdout.
#   --interactive   the commands read the console, which is this terminal
#                   (QEMU's -serial mon:stdio; Ctrl-A X quits QEMU). Not with --log.
#   --add H[:G]     copy host file or directory H into the initramfs as G
#                   (default /data/<basename of H>; a G ending in / is a
#                   directory to put it in). Repeatable.
#   --modules       copy the kernel's whole module tree (/lib/modules/<release>,
#                   ~400 MB for Debian's kernel: slow to pack and to unpack
#                   under TCG, so the default memory becomes 2G) so that
#                   `modprobe NAME` works inside.
#   --module NAME   copy only module NAME and the modules it depends on (from
#                   modules.dep) plus the modules.* index files: `modprobe NAME`
#                   works inside. Repeatable; much cheaper than --modules.
#                   Out-of-tree modules (e.g. one built by the co-kernel tests)
#                   go in with --add and load with `insmod /data/x.ko`.
#   --append ARGS   extra kernel command-line arguments.
#   --qemu PATH     the QEMU binary (default $LINUX_VM_QEMU, else
#                   qemu-system-x86_64 from PATH).
#   --qemu-arg ARG  one more QEMU argument, passed as is. Repeatable.
#   --plugin SO[,ARGS]  load the TCG plugin SO with its comma-separated
#                   ARGS (`-plugin file=SO,ARGS`), e.g. test/bench/insn_plugin.c
#                   built as build/bench/insn_plugin.so with out=FILE: it
#                   counts guest instructions per vCPU where --icount cannot
#                   (--smp > 1 on QEMU 7.2). Off by default: it slows TCG down.
#
# The commands run with busybox sh, as root, in /, with stdin from /dev/null
# and PATH=/bin:/sbin:/usr/bin:/usr/sbin; proc, sysfs and devtmpfs are mounted.
# Their exit status is printed on the console as `LINUX-VM-EXIT <status>`,
# then the guest powers off (the kernel still prints "reboot: Power down" after
# it). The guest has no network and no disk: everything it gets is in the
# initramfs, which lives in guest memory (raise --mem for big --add files).
# Works as any user: the initramfs is built in a temp dir under $TMPDIR (or
# /tmp), with every file owned by root inside, and removed afterwards.
#
# Exit status: the commands' exit status (read from that marker line), 124 if
# the timeout struck, 125 if the marker never appeared (the kernel panicked,
# init failed, QEMU failed) or on a usage error. A command that itself exits
# 124 or 125 can't be told apart from those.
set -u

prog=linux-vm.sh

die() {		# die MESSAGE: a usage or setup error, one line on stderr
	echo "$prog: $*" >&2
	exit 125
}

bad_usage() {	# bad_usage MESSAGE: like die, pointing at --help
	die "$* (see $prog --help)"
}

usage() {	# the full synopsis, for --help
	sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;p}' "$0"
	exit 0
}

need_arg() {	# need_arg OPTION NARGS_LEFT
	[ "$2" -ge 2 ] || bad_usage "option $1 needs an argument"
}

kernel=""
smp=1
mem=""
icount=0
cpu=max
timeout=600
log=""
adds=()
all_modules=0
modules=()
append=""
qemu_bin="${LINUX_VM_QEMU:-qemu-system-x86_64}"
qemu_extra=()
plugin=""
cmds=""
have_cmds=0
interactive=0

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)  need_arg "$1" $#; kernel="$2"; shift 2 ;;
	--smp)     need_arg "$1" $#; smp="$2"; shift 2 ;;
	--mem)     need_arg "$1" $#; mem="$2"; shift 2 ;;
	--icount)  icount=1; shift ;;
	--cpu)     need_arg "$1" $#; cpu="$2"; shift 2 ;;
	--timeout) need_arg "$1" $#; timeout="$2"; shift 2 ;;
	--log)     need_arg "$1" $#; log="$2"; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--add)     need_arg "$1" $#; adds+=("$2"); shift 2 ;;
	--modules) all_modules=1; shift ;;
	--module)  need_arg "$1" $#; modules+=("$2"); shift 2 ;;
	--append)  need_arg "$1" $#; append="$append $2"; shift 2 ;;
	--qemu)    need_arg "$1" $#; qemu_bin="$2"; shift 2 ;;
	--qemu-arg) need_arg "$1" $#; qemu_extra+=("$2"); shift 2 ;;
	--plugin)  need_arg "$1" $#; plugin="$2"; shift 2 ;;
	-h|--help) usage ;;
	--)
		shift
		[ $# -eq 1 ] || bad_usage "expected exactly one argument (the commands, quoted) after --, got $#"
		cmds="$1"; have_cmds=1; shift ;;
	*) bad_usage "unknown option '$1'" ;;
	esac
done

[ "$have_cmds" = 1 ] || bad_usage "no commands given: put them, quoted, after --"
case "$smp" in ''|*[!0-9]*|0) bad_usage "--smp needs a positive number, not '$smp'" ;; esac
case "$timeout" in ''|*[!0-9]*) bad_usage "--timeout needs a number of seconds, not '$timeout'" ;; esac
if [ -z "$mem" ]; then
	if [ "$all_modules" = 1 ]; then mem=2G; else mem=512M; fi
fi

# --- the kernel ---------------------------------------------------------------
if [ -z "$kernel" ]; then
	kernel="$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1)"
	[ -f "$kernel" ] || die "no /boot/vmlinuz-* (run scripts/install-linux-guest.sh as root)"
fi
[ -f "$kernel" ] || die "no such kernel: $kernel"
[ -r "$kernel" ] || die "kernel not readable: $kernel (Debian's /boot/vmlinuz-* may need root)"

# The release string from the bzImage header: the 16-bit field at 0x20e points
# (less 0x200) at a NUL-terminated version string, "6.1.0-56-amd64 (...) #1 ...".
kernel_release() {
	local magic off
	magic="$(dd if="$1" bs=1 skip=$((0x202)) count=4 2>/dev/null)"
	[ "$magic" = HdrS ] || return 1
	off="$(od -A n -t u2 -j $((0x20e)) -N 2 "$1" | tr -d ' ')"
	[ -n "$off" ] && [ "$off" != 0 ] || return 1
	dd if="$1" bs=1 skip=$((off + 0x200)) count=128 2>/dev/null | tr '\0' '\n' | head -n 1 | cut -d ' ' -f 1
}
release="$(kernel_release "$kernel")" || release=""
if [ -z "$release" ]; then
	case "$(basename "$kernel")" in
	vmlinuz-*) release="$(basename "$kernel")"; release="${release#vmlinuz-}" ;;
	esac
fi

command -v "$qemu_bin" >/dev/null || die "$qemu_bin not found (run scripts/install-linux-guest.sh)"
if [ "$icount" = 1 ] && [ "$smp" -gt 1 ]; then
	# "QEMU emulator version 7.2.22 (Debian ...)" -> 7 2
	ver="$("$qemu_bin" --version 2>/dev/null | head -n 1 | sed -n 's/.*version \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p')"
	read -r vmaj vmin <<<"${ver:-0 0}"
	if [ "$vmaj" -lt 8 ] || { [ "$vmaj" = 8 ] && [ "$vmin" -lt 1 ]; }; then
		die "--icount with --smp $smp needs QEMU >= 8.1 (this is ${vmaj}.${vmin}): older round-robin" \
		    "icount starves all but the first vCPU and Linux hangs at SMP bring-up; use --smp 1" \
		    "or a newer QEMU (--qemu PATH)"
	fi
fi
if [ -n "$plugin" ]; then
	plugin_so="${plugin%%,*}"
	[ -f "$plugin_so" ] || die "--plugin: no such file: $plugin_so"
	# QEMU looks a bare name up in the library path: give it a real path.
	plugin="$(realpath "$plugin_so")${plugin#"$plugin_so"}"
fi
command -v cpio >/dev/null || die "cpio not found (run scripts/install-linux-guest.sh)"
command -v gzip >/dev/null || die "gzip not found (run scripts/install-linux-guest.sh)"
busybox=""
for b in /bin/busybox /usr/bin/busybox; do
	[ -x "$b" ] && { busybox="$b"; break; }
done
[ -n "$busybox" ] || die "busybox not found (run scripts/install-linux-guest.sh)"
if command -v readelf >/dev/null && readelf -l "$busybox" 2>/dev/null | grep -q INTERP; then
	die "$busybox is dynamically linked: install busybox-static, not busybox"
fi

# --- the initramfs ---------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/linux-vm.XXXXXX")" || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
root="$work/root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,data,etc}
cp "$busybox" "$root/bin/busybox"
# The kernel opens /dev/console for init before anything is mounted; without
# the node (we may not be root) init re-opens it after mounting devtmpfs.
mknod "$root/dev/console" c 5 1 2>/dev/null || true
printf '%s\n' "$cmds" >"$root/cmds.sh"
[ "$interactive" = 1 ] && : >"$root/interactive"

cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=dumb
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts 2>/dev/null
exec </dev/console >/dev/console 2>&1
# Said first: a harness can tell a guest that never booted from one that hung later.
echo "LINUX-VM-INIT"
hostname linux-vm
cd /
if [ -e /interactive ]; then sh /cmds.sh; else sh /cmds.sh </dev/null; fi
echo "LINUX-VM-EXIT $?"
poweroff -f
EOF
chmod 755 "$root/init"

for a in ${adds[@]+"${adds[@]}"}; do
	case "$a" in
	*:*) host="${a%%:*}"; guest="${a#*:}" ;;
	*)   host="$a"; guest="" ;;
	esac
	[ -e "$host" ] || die "--add: no such file: $host"
	case "$guest" in
	"")  guest="/data/$(basename "$host")" ;;
	*/)  guest="$guest$(basename "$host")" ;;
	/*)  ;;
	*)   die "--add: the guest path must be absolute, not '$guest'" ;;
	esac
	mkdir -p "$root$(dirname "$guest")"
	cp -a "$host" "$root$guest" || die "--add: could not copy $host"
done

moddir=""
if [ "$all_modules" = 1 ] || [ ${#modules[@]} -gt 0 ]; then
	[ -n "$release" ] || die "can't tell the release of $kernel, so not which modules to copy"
	moddir="/lib/modules/$release"
	[ -f "$moddir/modules.dep" ] || die "no modules for $release ($moddir/modules.dep missing)"
	mkdir -p "$root$moddir"
fi
if [ "$all_modules" = 1 ]; then
	# Packed separately below, uncompressed: gzip and gunzip would dominate.
	:
elif [ ${#modules[@]} -gt 0 ]; then
	cp "$moddir"/modules.* "$root$moddir/"
	# modules.dep lines are "kernel/x/a.ko: kernel/y/b.ko kernel/z/c.ko".
	want=()
	for m in "${modules[@]}"; do
		n="${m//-/_}"
		line="$(awk -v n="$n" '{
				f = $1; sub(/:$/, "", f); b = f; sub(/.*\//, "", b)
				sub(/\.ko(\.[a-z]+)?$/, "", b); gsub(/-/, "_", b)
				if (b == n) { print; exit }
			}' "$moddir/modules.dep")"
		[ -n "$line" ] || die "--module: no module '$m' in $moddir/modules.dep"
		for f in $line; do want+=("${f%:}"); done
	done
	for f in "${want[@]}"; do
		mkdir -p "$root$moddir/$(dirname "$f")"
		cp "$moddir/$f" "$root$moddir/$f"
	done
fi

initrd="$work/initrd.img"
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$initrd" ||
	die "could not build the initramfs"
if [ "$all_modules" = 1 ]; then
	# The kernel unpacks concatenated cpio archives, compressed or not.
	(cd / && find "lib/modules/$release" | cpio -o -H newc -R 0:0 --quiet) >>"$initrd" ||
		die "could not pack $moddir"
fi
# Nothing in the guest needs the tree any more.
rm -rf "$root"

# --- QEMU -------------------------------------------------------------------------
# cryptomgr.notests: the crypto self-tests Linux runs at boot prove nothing
# here, and under TCG one of them once spun a vCPU for minutes (soft
# lockups until the scenario's timeout, before the test had begun).
qemu=("$qemu_bin" -accel tcg -machine q35 -cpu "$cpu" -smp "$smp" -m "$mem"
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 quiet panic=-1 cryptomgr.notests$append"
	-display none -vga none -monitor none -nic none -no-reboot)
[ "$icount" = 1 ] && qemu+=(-icount "shift=0,sleep=off")
[ -n "$plugin" ] && qemu+=(-plugin "file=$plugin")
qemu+=(${qemu_extra[@]+"${qemu_extra[@]}"})
run=()
[ "$timeout" != 0 ] && run=(timeout --foreground -k 5 "$timeout")

console="$work/console.log"
if [ "$interactive" = 1 ]; then
	[ -z "$log" ] || bad_usage "--interactive and --log do not go together"
	"${run[@]}" "${qemu[@]}" -serial mon:stdio | tee "$console"
	rc=${PIPESTATUS[0]}
elif [ -n "$log" ]; then
	: >"$log" 2>/dev/null || die "can't write the log $log"
	console="$log"
	"${run[@]}" "${qemu[@]}" -serial "file:$log" </dev/null
	rc=$?
else
	"${run[@]}" "${qemu[@]}" -serial stdio </dev/null | tee "$console"
	rc=${PIPESTATUS[0]}
fi

if [ "$timeout" != 0 ] && { [ "$rc" = 124 ] || [ "$rc" = 137 ]; }; then
	echo "$prog: timed out after ${timeout}s" >&2
	exit 124
fi
status="$(grep -ao 'LINUX-VM-EXIT [0-9][0-9]*' "$console" | tail -n 1 | cut -d ' ' -f 2)"
if [ -z "$status" ]; then
	if [ "$rc" != 0 ]; then
		echo "$prog: QEMU failed (exit $rc) before the commands finished" >&2
	else
		echo "$prog: the guest stopped without printing LINUX-VM-EXIT (kernel panic or init failure?)" >&2
	fi
	exit 125
fi
exit "$status"

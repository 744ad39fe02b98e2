#!/bin/sh
# Build the initramfs Cove's jobs see (cpio newc, uncompressed).
#   mkinitramfs.sh OUT.cpio USERDIR [HOSTFILE:/GUEST/PATH ...]
# USERDIR holds glibc/ and musl/ builds of user/ (make -C user O=USERDIR):
# glibc programs go to /bin, musl ones to /musl. busybox-static, when
# installed, goes to /bin/busybox. /data holds small inputs for the tests.
#
# Dynamically linked programs (USERDIR/dynamic, and a few of Debian's own
# coreutils) come with what they need from this machine: whatever `ldd` (or
# musl's loader, for musl programs) says each one loads, at the same path,
# the interpreter's well-known name staying the symlink Debian has.
set -eu
out="$1"
userdir="$2"
shift 2
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/musl" "$stage/data" "$stage/tmp" "$stage/bad" "$stage/tests"
cp "$userdir"/glibc/* "$stage/bin/"
cp "$userdir"/musl/* "$stage/musl/"
cp "$userdir"/pie/hello "$stage/bin/hello-pie"
# Dynamically linked programs and our libraries (user/Makefile says which is which).
mkdir -p "$stage/lib/cove" "$stage/musl/lib"
cp "$userdir"/dynamic/glibc/* "$stage/bin/"
cp "$userdir"/dynamic/musl/* "$stage/musl/"
cp "$userdir"/dynamic/lib/*.so "$stage/lib/cove/"
cp "$userdir"/dynamic/musl-lib/*.so "$stage/musl/lib/"
# Bad programs: each must be refused with a clear message, never crash Cove.
cp "$userdir"/dynamic/bad/* "$stage/bad/"
# The broken interpreters some of them name: another machine's, and a cut-off one.
ldso=/lib64/ld-linux-x86-64.so.2
{ head -c 18 "$ldso"; printf '\003\000'; tail -c +21 "$ldso"; } > "$stage/bad/ld-i386.so"
head -c 8192 "$ldso" > "$stage/bad/ld-truncated.so"
head -c 100 "$userdir"/glibc/hello > "$stage/bad/truncated"
{ printf 'XELF'; tail -c +5 "$userdir"/glibc/hello; } > "$stage/bad/corrupt"
printf '#!/bin/sh\necho not an ELF\n' > "$stage/bad/script"
chmod +x "$stage"/bad/*
# Job files the test scenarios run (test/abi/*.jobs).
cp "$(dirname "$0")"/../test/abi/*.jobs "$stage/tests/" 2>/dev/null || true
if [ -x /bin/busybox ]; then
	cp /bin/busybox "$stage/bin/busybox"
fi
# Debian's numactl (dynamic: libnuma comes with it below), a reader of /sys NUMA.
if [ -x /usr/bin/numactl ]; then
	cp /usr/bin/numactl "$stage/bin/numactl"
fi
# Deterministic inputs for the busybox tests (compared with the host's output).
seq 1 2000 | awk '{ printf "line %d %s\n", $1, ($1 * 7919) % 1000 }' > "$stage/data/lines.txt"
printf 'pear\napple\nfig\nbanana\napple\ncherry\n' > "$stage/data/fruit.txt"
printf 'The quick brown fox\njumps over the lazy dog\n' > "$stage/data/fox.txt"
# Debian's own dynamically linked coreutils, compared with the host's output.
for p in /bin/true /bin/echo /usr/bin/sort /usr/bin/sha256sum; do
	mkdir -p "$stage$(dirname "$p")"
	cp "$p" "$stage$p"
done

# Copies the host's file at path p to the same path in the stage. A symlink
# stays one, and its target is copied too; symlinked directories on the way
# (Debian's /lib -> usr/lib) become real ones.
copy_host() {
	local p="$1" t
	if [ -e "$stage$p" ] || [ -L "$stage$p" ]; then
		return 0
	fi
	mkdir -p "$stage$(dirname "$p")"
	if [ -L "$p" ]; then
		t="$(readlink "$p")"
		ln -s "$t" "$stage$p"
		case "$t" in
		/*) copy_host "$t" ;;
		*) copy_host "$(dirname "$p")/$t" ;;
		esac
	else
		cp "$p" "$stage$p"
	fi
}

# What the dynamically linked ELF file $1 loads, one path a line, its
# interpreter included; nothing for a static one, or one whose interpreter
# this machine does not have (the bad programs' made-up ones).
libs_of() {
	local interp
	interp="$(readelf -lW "$1" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')"
	if [ -z "$interp" ] || [ ! -e "$interp" ]; then
		return 0
	fi
	echo "$interp"
	case "$interp" in
	*musl*) "$interp" --list "$1" 2>/dev/null || true ;;
	*) ldd "$1" 2>/dev/null || true ;;
	esac | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
}

# Extra files first: a dynamic one among them (a host tool) brings its libraries too.
for spec in "$@"; do
	src="${spec%%:*}"
	dst="${spec#*:}"
	mkdir -p "$stage$(dirname "$dst")"
	cp "$src" "$stage$dst"
done

find "$stage" -type f | while read -r f; do
	libs_of "$f"
done | sort -u | while read -r lib; do
	copy_host "$lib"
done

# A private temporary name: two builds at once must not trip over each other.
tmp="$(mktemp "$out.XXXXXX")"
( cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) > "$tmp"
mv "$tmp" "$out"

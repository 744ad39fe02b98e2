#!/bin/sh
# Build the initramfs Cove's jobs see (cpio newc, uncompressed).
#   mkinitramfs.sh OUT.cpio USERDIR [HOSTFILE:/GUEST/PATH ...]
# USERDIR holds glibc/ and musl/ builds of user/ (make -C user O=USERDIR):
# glibc programs go to /bin, musl ones to /musl. busybox-static, when
# installed, goes to /bin/busybox. /data holds small inputs for the tests.
set -eu
out="$1"
userdir="$2"
shift 2
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/musl" "$stage/data" "$stage/tmp" "$stage/bad" "$stage/tests"
cp "$userdir"/glibc/* "$stage/bin/"
cp "$userdir"/musl/* "$stage/musl/"
# Bad programs: each must be refused with a clear message, never crash Cove.
cp "$userdir"/pie/hello "$stage/bin/hello-pie"
cp "$userdir"/dynamic/hello "$stage/bad/dynamic"
head -c 100 "$userdir"/glibc/hello > "$stage/bad/truncated"
{ printf 'XELF'; tail -c +5 "$userdir"/glibc/hello; } > "$stage/bad/corrupt"
printf '#!/bin/sh\necho not an ELF\n' > "$stage/bad/script"
chmod +x "$stage"/bad/*
# Job files the test scenarios run (test/abi/*.jobs).
cp "$(dirname "$0")"/../test/abi/*.jobs "$stage/tests/" 2>/dev/null || true
if [ -x /bin/busybox ]; then
	cp /bin/busybox "$stage/bin/busybox"
fi
# Deterministic inputs for the busybox tests (compared with the host's output).
seq 1 2000 | awk '{ printf "line %d %s\n", $1, ($1 * 7919) % 1000 }' > "$stage/data/lines.txt"
printf 'pear\napple\nfig\nbanana\napple\ncherry\n' > "$stage/data/fruit.txt"
printf 'The quick brown fox\njumps over the lazy dog\n' > "$stage/data/fox.txt"
for spec in "$@"; do
	src="${spec%%:*}"
	dst="${spec#*:}"
	mkdir -p "$stage$(dirname "$dst")"
	cp "$src" "$stage$dst"
done
# A private temporary name: two builds at once must not trip over each other.
tmp="$(mktemp "$out.XXXXXX")"
( cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) > "$tmp"
mv "$tmp" "$out"

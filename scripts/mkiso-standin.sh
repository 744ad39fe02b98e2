#!/bin/sh
# Build a GRUB rescue ISO that boots the Pisces host stand-in (test/standin/)
# with Cove as its multiboot2 module: the stand-in loads Cove into a
# partition and starts it in co-kernel mode, as the Linux module would.
# INITRD, if given, is a second module: Cove's initramfs, where the jobs the
# stand-in launches (its job= option) find their programs.
#   mkiso-standin.sh STANDIN.elf COVE.elf OUT.iso "stand-in options" "Cove command line" [INITRD]
set -eu
[ $# -eq 5 ] || [ $# -eq 6 ] || { echo "usage: mkiso-standin.sh STANDIN.elf COVE.elf OUT.iso" \
	"\"stand-in options\" \"Cove command line\" [INITRD]" >&2; exit 2; }
standin="$1"
cove="$2"
out="$3"
opts="$4"
cmdline="$5"
initrd="${6:-}"
for f in "$standin" "$cove" ${initrd:+"$initrd"}; do
	[ -f "$f" ] || { echo "mkiso-standin: no such file: '$f'" >&2; exit 2; }
done
case "$opts$cmdline" in
*[\$\\\;\'\`\"]*)
	echo "mkiso-standin: the command lines may not contain \$ \\ ; ' \" or \`" >&2; exit 2 ;;
esac
dir="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$dir" "$log"' EXIT
mkdir -p "$dir/boot/grub"
cp "$standin" "$dir/boot/standin.elf"
cp "$cove" "$dir/boot/cove.elf"
initrd_line=""
if [ -n "$initrd" ]; then
	cp "$initrd" "$dir/boot/initrd.cpio"
	initrd_line="module2 /boot/initrd.cpio initrd"
fi
cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry "Cove under the Pisces host stand-in" {
	multiboot2 /boot/standin.elf $opts
	module2 /boot/cove.elf $cmdline
	$initrd_line
	boot
}
CFG
tmp="$(mktemp "$out.XXXXXX")"
grub-mkrescue -o "$tmp" "$dir" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$tmp"; exit 1; }
mv "$tmp" "$out"

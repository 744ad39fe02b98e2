#!/bin/sh
# Build a GRUB rescue ISO that boots Cove under both BIOS and UEFI.
#   mkiso.sh KERNEL.elf OUT.iso "kernel command line" [INITRAMFS.cpio]
set -eu
elf="$1"
out="$2"
cmdline="${3:-}"
initrd="${4:-}"
case "$cmdline" in
*[\$\\\;\'\`]*) echo "mkiso: the command line may not contain \$ \\ ; ' or \`" >&2; exit 2 ;;
esac
dir="$(mktemp -d)"
log="$(mktemp)"
trap 'rm -rf "$dir" "$log"' EXIT
mkdir -p "$dir/boot/grub"
cp "$elf" "$dir/boot/cove.elf"
module=""
if [ -n "$initrd" ]; then
	cp "$initrd" "$dir/boot/initramfs.cpio"
	module="module2 /boot/initramfs.cpio initramfs"
fi
cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_output serial
menuentry "Cove" {
	multiboot2 /boot/cove.elf $cmdline
	$module
	boot
}
CFG
tmp="$(mktemp "$out.XXXXXX")"
grub-mkrescue -o "$tmp" "$dir" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$tmp"; exit 1; }
mv "$tmp" "$out"

#!/bin/bash
# make run-cokernel: Cove as a co-kernel without a spare node. Boots
# Debian's Linux 6.1 in QEMU (TCG, 4 CPUs, 2 GiB), loads the cove module,
# lets Linux give 2 cores and 512 MiB to an enclave owned by an ordinary
# user (hpc, uid 1000), and runs the CG mini-app there as that user through
# `cove run`. With a terminal attached, a shell follows (root; `su hpc`
# to be the user; Ctrl-A X leaves QEMU); without one, the VM powers off.
set -u
cd "$(dirname "$0")/.."
BUILD="${BUILD:-build}"

make --no-print-directory -s deps guest-deps all cokernel >/dev/null || {
	echo "run-cokernel: the build failed (make cokernel)" >&2
	exit 1
}
cmds='
echo 7 > /proc/sys/kernel/printk
insmod /data/cove.ko || exit 1
echo "hpc:x:1000:1000:HPC user:/tmp:/bin/sh" >> /etc/passwd
echo "hpc:x:1000:" >> /etc/group
id=$(cove create --cpus 2-3 --mem 512M --owner hpc --image /data/cove.elf) || exit 1
echo "== enclave $id: CPUs 2-3 and 512 MiB taken from Linux, owned by hpc"
cove status
echo "== as hpc: cove run $id -- /data/cg 48"
su hpc -s /bin/sh -c "cd /tmp && cove run $id -- /data/cg 48"
echo "== the job ended with status $?"
if [ -e /interactive ]; then
	echo "== a shell: cove status, cove console $id, su hpc -s /bin/sh -c \"cove run $id -- ...\","
	echo "   cove syscalls; exit (or Ctrl-A X) powers off"
	sh -i
fi
cove destroy $id
'
args=(--smp 4 --mem 2G --timeout 0 --append "movablecore=1G"
      --add "$BUILD/cokernel/cove.ko:/data/cove.ko" --add "$BUILD/cove.elf:/data/cove.elf"
      --add "$BUILD/linux/cove:/bin/cove" --add "$BUILD/user/glibc/cg:/data/cg")
[ -t 0 ] && [ -t 1 ] && args+=(--interactive)
exec scripts/linux-vm.sh "${args[@]}" -- "$cmds"

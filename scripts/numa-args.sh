#!/bin/sh
# The QEMU arguments of an emulated NUMA machine, one per line:
#
#   numa-args.sh NODES SMP MEM_MIB
#
# NODES nodes with equal memory each (memory-backend-ram, as QEMU >= 5.1
# wants) and the CPUs in equal consecutive blocks, node 0 first, 21 apart
# (a two-socket server's SLIT; given, so QEMU builds a SLIT as well as the
# SRAT). NODES must divide SMP and MEM_MIB. qemu-run.sh --numa and the scenarios that run
# Linux on the same machine (scripts/linux-vm.sh --qemu-arg) share this.
set -eu
[ $# -eq 3 ] || { echo "usage: numa-args.sh NODES SMP MEM_MIB" >&2; exit 2; }
nodes=$1 smp=$2 mem=$3
case "$nodes$smp$mem" in *[!0-9]*|"")
	echo "numa-args: NODES, SMP and MEM_MIB are numbers ('$nodes' '$smp' '$mem')" >&2
	exit 2 ;;
esac
if [ "$nodes" -lt 1 ] || [ $((smp % nodes)) -ne 0 ] || [ $((mem % nodes)) -ne 0 ]; then
	echo "numa-args: $nodes nodes must divide $smp CPUs and $mem MiB" >&2
	exit 2
fi
per=$((smp / nodes))
n=0
while [ $n -lt "$nodes" ]; do
	echo "-object"
	echo "memory-backend-ram,id=numa$n,size=$((mem / nodes))M"
	echo "-numa"
	echo "node,nodeid=$n,cpus=$((n * per))-$((n * per + per - 1)),memdev=numa$n"
	n=$((n + 1))
done
src=0
while [ $src -lt "$nodes" ]; do
	dst=0
	while [ $dst -lt "$nodes" ]; do
		if [ $src -ne $dst ]; then
			echo "-numa"
			echo "dist,src=$src,dst=$dst,val=21"
		fi
		dst=$((dst + 1))
	done
	src=$((src + 1))
done

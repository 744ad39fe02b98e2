#!/bin/bash
# Two emulated nodes for co-kernel scenarios: two Debian Linux 6.1 guests
# under QEMU TCG (scripts/linux-vm.sh), each with the loader module, joined
# by a virtual Ethernet link that exists only inside QEMU. One QEMU listens
# on 127.0.0.1:PORT (-netdev socket,listen=), the other connects to it; the
# guests' virtio-net cards carry 10.17.0.1 (node1) and 10.17.0.2 (node2) on
# that link alone. No tap, no bridge, no host route: nothing else on this
# machine sees the guests' packets, and they can reach nothing but each other.
#
#   twonode_vm [--smp N] [--mem SIZE] [--timeout S] [--append ARGS]
#              [--add HOST:GUEST]... -- 'node1 commands' 'node2 commands'
#
# Both guests get the same files (--add, plus cove.ko, covectl, cove.elf
# as cokernel_vm gives them) and run COKERNEL_PRELUDE, then TWONODE_PRELUDE
# (network up, hostname node1/node2, /etc/hosts naming both), then their
# own commands. Node 1's log is $LOG, node 2's $LOG.node2 (on_node2 runs an
# expect_* helper against it). STATUS is node 1's exit status, STATUS2
# node 2's. When node 1 is done, node 2 gets TWONODE_GRACE seconds (30) to
# finish; whatever happens, both QEMUs are killed before this returns.
#
# Inside the guests: `twonode_wait_peer` waits until the other node
# answers ping; node 2's commands usually end with `twonode_wait_bye`, which
# returns when node 1 runs `twonode_bye` (a word over TCP port 7999);
# `twonode_send HOST PORT WORDS` sends a line to a listener, waiting for it.

TWONODE_GRACE="${TWONODE_GRACE:-30}"

TWONODE_PRELUDE='
modprobe virtio_pci && modprobe virtio_net || { echo "TWONODE NO NIC MODULE"; exit 98; }
NODE=$(cat /data/twonode.id)
nic=""
for i in $(seq 50); do
	for n in /sys/class/net/*; do
		[ "${n##*/}" = lo ] || nic=${n##*/}
	done
	[ -n "$nic" ] && break
	sleep 0.2
done
[ -n "$nic" ] || { echo "TWONODE NO NIC"; exit 98; }
ip link set lo up
ip addr add 10.17.0.$NODE/24 dev $nic && ip link set $nic up || { echo "TWONODE NO ADDRESS"; exit 98; }
hostname node$NODE
printf "127.0.0.1 localhost\n10.17.0.1 node1\n10.17.0.2 node2\n" > /etc/hosts
echo "TWONODE node$NODE up on $nic: $(ip -o -4 addr show dev $nic | awk "{ print \$4 }")"
twonode_wait_peer() {	# twonode_wait_peer [SECONDS]: the other node answers ping
	peer=node$((3 - NODE))
	for i in $(seq ${1:-120}); do
		ping -c 1 -W 1 $peer > /dev/null 2>&1 && { echo "TWONODE $peer reachable"; return 0; }
	done
	echo "TWONODE $peer unreachable"; return 1
}
twonode_send() {	# twonode_send HOST PORT WORDS: retried until a listener takes them (60 s)
	for i in $(seq 120); do
		echo "$3" | nc -w 2 $1 $2 2> /dev/null && return 0
		sleep 0.5
	done
	echo "TWONODE nobody listened on $1:$2"; return 1
}
twonode_bye() { twonode_send node2 7999 bye; }
twonode_wait_bye() { nc -l -p 7999 < /dev/null > /dev/null; echo "TWONODE bye"; }
'

# A free TCP port on 127.0.0.1, as the kernel picks one (others' QEMUs may
# hold theirs: a fixed port would collide).
twonode_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# twonode_listening PORT: something listens on 127.0.0.1:PORT now.
twonode_listening() {
	ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# twonode_kill PID: end a linux-vm.sh started with setsid, and its QEMU
# (same process group), if still there.
twonode_kill() {
	kill -0 "$1" 2>/dev/null || return 0
	kill -TERM -- "-$1" 2>/dev/null
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.5
	done
	kill -KILL -- "-$1" 2>/dev/null
}

twonode_vm() {
	local smp=3 mem=1536M timeout=900 append="movablecore=1G" adds=()
	while [ $# -gt 0 ]; do
		case "$1" in
		--add) adds+=(--add "$2"); shift 2 ;;
		--smp) smp="$2"; shift 2 ;;
		--mem) mem="$2"; shift 2 ;;
		--timeout) timeout="$2"; shift 2 ;;
		--append) append="$append $2"; shift 2 ;;
		--) shift; break ;;
		*) fail "twonode_vm: bad option $1"; return ;;
		esac
	done
	if [ $# -ne 2 ]; then
		fail "twonode_vm: give node 1's and node 2's commands"
		return
	fi
	local f
	for f in "$COKERNEL_KO" "$COVECTL" "$ELF"; do
		[ -f "$f" ] || { fail "missing $f (did it build?)"; return; }
	done
	local dir="$BUILD/test/$SCENARIO.twonode"
	rm -rf "$dir" && mkdir -p "$dir" || { fail "cannot make $dir"; return; }
	echo 1 >"$dir/id1"
	echo 2 >"$dir/id2"
	local vm=(scripts/linux-vm.sh --smp "$smp" --mem "$mem" --cpu max --timeout "$timeout"
		  --append "$append" --module virtio_pci --module virtio_net
		  --add "$COKERNEL_KO:/data/cove.ko" --add "$COVECTL:/data/covectl"
		  --add "$ELF:/data/cove.elf" ${adds[@]+"${adds[@]}"})
	local port="" pid1="" pid2="" try
	# The listening side first; a port taken between our probe and QEMU's
	# bind makes that QEMU fail at once: take another.
	for try in 1 2 3 4 5; do
		port=$(twonode_free_port) || { fail "no free port"; return; }
		setsid "${vm[@]}" --add "$dir/id1:/data/twonode.id" --log "$LOG" \
			--qemu-arg -netdev --qemu-arg "socket,id=link,listen=127.0.0.1:$port" \
			--qemu-arg -device --qemu-arg "virtio-net-pci,netdev=link,mac=52:54:00:17:00:01" \
			-- "$COKERNEL_PRELUDE$TWONODE_PRELUDE$1" 2>"$LOG.vm" </dev/null &
		pid1=$!
		local i
		for i in $(seq 600); do
			twonode_listening "$port" && break
			kill -0 "$pid1" 2>/dev/null || break
			sleep 0.1
		done
		twonode_listening "$port" && break
		twonode_kill "$pid1"
		wait "$pid1" 2>/dev/null
		pid1=""
	done
	if [ -z "$pid1" ]; then
		fail "node 1's QEMU never listened on 127.0.0.1 ($(tail -n 2 "$LOG.vm" | tr '\n' ' '))"
		return
	fi
	setsid "${vm[@]}" --add "$dir/id2:/data/twonode.id" --log "$LOG.node2" \
		--qemu-arg -netdev --qemu-arg "socket,id=link,connect=127.0.0.1:$port" \
		--qemu-arg -device --qemu-arg "virtio-net-pci,netdev=link,mac=52:54:00:17:00:02" \
		-- "$COKERNEL_PRELUDE$TWONODE_PRELUDE$2" 2>"$LOG.node2.vm" </dev/null &
	pid2=$!
	# Whatever ends this function (a signal to the test runner included),
	# neither QEMU outlives it.
	trap 'twonode_kill '"$pid1"'; twonode_kill '"$pid2" EXIT
	wait "$pid1"
	STATUS=$?
	local t
	for t in $(seq $((TWONODE_GRACE * 2))); do
		kill -0 "$pid2" 2>/dev/null || break
		sleep 0.5
	done
	twonode_kill "$pid2"
	wait "$pid2"
	STATUS2=$?
	trap - EXIT
	rm -rf "$dir"
	local log
	for log in "$LOG" "$LOG.node2"; do
		on_log "$log" expect_no_log "INSMOD FAILED"
		on_log "$log" expect_no_log "TWONODE NO"
		on_log "$log" expect_no_log "BUG:"
		on_log "$log" expect_no_log "WARNING:"
		on_log "$log" expect_no_log "Oops"
	done
}

# on_log FILE CHECK ARGS...: an expect_* helper against another log.
on_log() {
	local saved="$LOG" file="$1"
	shift
	LOG="$file"
	"$@"
	LOG="$saved"
}

# on_node2 CHECK ARGS...: an expect_* helper against node 2's log.
on_node2() {
	on_log "$LOG.node2" "$@"
}

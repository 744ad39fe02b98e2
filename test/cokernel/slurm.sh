#!/bin/bash
# Two-node scenarios (test/cokernel/twonode.sh): the virtual link, then
# Slurm across the two nodes with an enclave per node made by the prolog in
# linux/slurm/.

# shellcheck source=test/cokernel/twonode.sh
. test/cokernel/twonode.sh

# The link: each node reaches the other (ping, a TCP exchange) and nothing
# else; each has an enclave of its own beside it, which runs a job and goes.
scenario_twonode_link() {
	twonode_vm --timeout 400 --add "$BUILD/linux/cove:/bin/cove" -- '
twonode_wait_peer || exit 1
ip route | sed "s/^/ROUTE /"
twonode_send node2 7000 "node1 says hi"; echo "RC nc $?"
id=$(cove create --cpus 1-2 --mem 256M --image /data/cove.elf); echo "CREATED $id"
cove run $id -- /bin/busybox echo job on node1; echo "RC job $?"
cove destroy $id; echo "RC destroy $?"
twonode_bye
check_back
' '
twonode_wait_peer || exit 1
nc -l -p 7000 < /dev/null | sed "s/^/GOT /"
id=$(cove create --cpus 1-2 --mem 256M --image /data/cove.elf); echo "CREATED $id"
cove run $id -- /bin/busybox echo job on node2; echo "RC job $?"
cove destroy $id; echo "RC destroy $?"
twonode_wait_bye
check_back
'
	expect_status 0
	[ "$STATUS2" = 0 ] || fail "node 2 ended with status $STATUS2"
	expect_log "TWONODE node1 up on eth0: 10.17.0.1/24"
	expect_log "TWONODE node2 reachable"
	expect_log "RC nc 0"
	expect_log "job on node1"
	expect_log "RC destroy 0"
	# The link's subnet and nothing else: no default route off the node.
	expect_no_log "ROUTE default"
	expect_all_back
	on_node2 expect_log "TWONODE node2 up on eth0: 10.17.0.2/24"
	on_node2 expect_log "GOT node1 says hi"
	on_node2 expect_log "job on node2"
	on_node2 expect_log "TWONODE bye"
	on_node2 expect_all_back
}

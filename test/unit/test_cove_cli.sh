#!/bin/bash
# The cove CLI run as a program: every usage error (status 2, one line on
# stderr), the missing module (status 1), and each command against
# cove-mock, the same CLI with /dev/cove answered by linux/tools/test/mock_dev.c.
# Installed as $BUILD/unit/cove_cli_cmd by cove_cli.mk; prints PASS/FAIL
# lines for test/run.sh.
set -u
BUILD="${BUILD:-build}"
COVE="$BUILD/linux/cove"
MOCK="$BUILD/linux/cove-mock"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0

# check NAME WANT_STATUS STDERR_REGEX [STDOUT_REGEX] -- CMD...
check() {
	local name="$1" want="$2" err_re="$3" out_re="" rc
	shift 3
	if [ "$1" != -- ]; then out_re="$1"; shift; fi
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		why="status $rc, expected $want"
	elif [ -n "$err_re" ] && ! grep -Eq -- "$err_re" "$tmp/err"; then
		why="stderr lacks /$err_re/"
	elif [ -z "$err_re" ] && [ -s "$tmp/err" ]; then
		why="unexpected stderr"
	elif [ "$want" = 2 ] && [ "$(wc -l <"$tmp/err")" != 1 ]; then
		why="usage errors are one line"
	elif [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$tmp/out"; then
		why="stdout lacks /$out_re/"
	else
		echo "PASS cove_cli_cmd.$name"
		return
	fi
	echo "FAIL cove_cli_cmd.$name"
	echo "  $* -> $why"
	sed 's/^/    err: /' "$tmp/err" | head -n 5
	failed=1
}

for bin in "$COVE" "$MOCK"; do
	if [ ! -x "$bin" ]; then
		echo "FAIL cove_cli_cmd.build"
		echo "  $bin is missing (make cli; make -C linux/tools mock)"
		exit 1
	fi
done

# Usage errors: no module needed, no root needed.
check no_command 2 'missing command' -- "$COVE"
check unknown_command 2 "unknown command 'frob'" -- "$COVE" frob
# What the user typed is quoted with its control bytes shown: still one line.
check unknown_command_newline 2 "unknown command 'a.x0ab'" -- "$COVE" $'a\nb'
check status_id_escape 2 "'1.x1b.31m' is not an enclave id" -- "$COVE" status $'1\e[31m'
check help 0 '' '^  create ' -- "$COVE" --help
check version 0 '' '^cove [0-9]' -- "$COVE" --version
check create_help 0 '' '--cpus LIST' -- "$COVE" create --help
check create_bad_list 2 "--cpus 'x': not a CPU list" -- "$COVE" create --cpus x --mem 1G
check create_bad_range 2 "--cpus '3-2'" -- "$COVE" create --cpus 3-2 --mem 1G
check create_cpu_256 2 'go up to 255' -- "$COVE" create --cpus 256 --mem 1G
check create_bad_size 2 "--mem '12X': not a size" -- "$COVE" create --cpus 2 --mem 12X
check create_zero_size 2 "--mem '0'" -- "$COVE" create --cpus 2 --mem 0
check create_no_mem 2 'missing --mem' -- "$COVE" create --cpus 2
check create_no_cpus 2 'missing --cpus' -- "$COVE" create --mem 1G
check create_bad_protect 2 "--protect 'maybe'" -- "$COVE" create --cpus 2 --mem 1G --protect maybe
check create_bad_timeout 2 "--timeout '0'" -- "$COVE" create --cpus 2 --mem 1G --timeout 0
check create_unknown_opt 2 "unknown option '--frob'" -- "$COVE" create --cpus 2 --mem 1G --frob
check create_missing_arg 2 "'--cpus' needs an argument" -- "$COVE" create --cpus
check create_extra_arg 2 "unexpected argument 'x'" -- "$COVE" create --cpus 2 --mem 1G x
check create_not_elf 1 '/etc/passwd is not a Cove image \(not an ELF' -- \
	"$COVE" create --cpus 0 --mem 1G --image /etc/passwd
check create_not_cove 1 'no Cove image header' -- \
	"$COVE" create --cpus 0 --mem 1G --image "$COVE"
check create_no_image 1 'cannot open /no/image' -- \
	env COVE_IMAGE=/no/image "$COVE" create --cpus 0 --mem 1G
check status_bad_id 2 "'x' is not an enclave id" -- "$COVE" status x
check status_id_range 2 'no enclave 9' -- "$COVE" status 9
check status_two_ids 2 "unexpected argument '2'" -- "$COVE" status 1 2
check console_no_id 2 'missing enclave id' -- "$COVE" console
check destroy_no_id 2 'missing enclave id' -- "$COVE" destroy
check add_nothing 2 'nothing to add' -- "$COVE" add 0
check remove_no_mem 2 'missing --mem' -- "$COVE" remove 0
check remove_no_cpus 2 "unknown option '--cpus'" -- "$COVE" remove 0 --cpus 1
check run_no_id 2 'missing enclave id' -- "$COVE" run
check run_no_program 2 'missing the program' -- "$COVE" run 0
check run_bad_ranks 2 "--ranks '0'" -- "$COVE" run 0 -n 0 -- /bin/true
check run_ranks_cpus 2 '--ranks 4 but only 2 CPUs' -- "$COVE" run 0 -n 4 --cpus 1-2 /bin/true
check run_quote 2 'double quote' -- "$COVE" run 0 -- /bin/echo 'a"b'
check run_env_noeq 2 'not NAME=VALUE' -- "$COVE" run 0 --env A -- /bin/true
check run_pagesize 2 "--pagesize '3M'" -- "$COVE" run 0 --pagesize 3M -- /bin/true
check run_no_program_file 1 '/no/prog: No such file' -- "$COVE" run 0 -- /no/prog
# Jobs have the caller's rights, always: there is no --user any more.
check run_auto_bad_env 2 "^cove run: COVE_ENCLAVE='x' is not an enclave id \\(1 to 8\\)$" -- \
	env COVE_ENCLAVE=x "$COVE" run auto -- /bin/true
check run_user_gone 2 "unknown option '--user'" -- "$COVE" run 1 --user 0 -- /bin/true
check create_owner_bad 2 "--owner 'a:b:c': use USER, USER:GROUP or :GROUP" -- \
	"$COVE" create --cpus 2 --mem 1G --owner a:b:c
check create_owner_colon 2 "--owner ':': use USER" -- "$COVE" create --cpus 2 --mem 1G --owner :
check create_owner_range 2 "--owner '4294967295': ids go up to 4294967294" -- \
	"$COVE" create --cpus 2 --mem 1G --owner 4294967295
check create_owner_unknown 2 "--owner 'no-such-user-x': no user 'no-such-user-x' in /etc/passwd" -- \
	"$COVE" create --cpus 2 --mem 1G --owner no-such-user-x
check create_group_unknown 2 "--owner ':no-such-group-x': no group 'no-such-group-x' in /etc/group" -- \
	"$COVE" create --cpus 2 --mem 1G --owner :no-such-group-x
check chown_help 0 '' '--none' -- "$COVE" chown --help
check chown_no_owner 2 'missing the owner' -- "$COVE" chown 1
check chown_no_id 2 'missing enclave id' -- "$COVE" chown
check chown_none_extra 2 "unexpected argument 'root'" -- "$COVE" chown --none 1 root
check chown_extra 2 "unexpected argument 'x'" -- "$COVE" chown 1 root x
check chown_bad_owner 2 "owner 'a b': use USER" -- "$COVE" chown 1 'a b'

# The man page renders without a single warning.
if command -v man >/dev/null; then
	check man_page 0 '' 'cove run' -- man --warnings -l linux/tools/cove.1
fi

if [ "$(id -u)" != 0 ]; then
	# Anyone may try: only the module says no.
	check no_module_user 1 'the cove module is not loaded \(modprobe cove\)' -- \
		env COVE_DEVICE=/nonexistent/cove "$COVE" status
	exit $failed
fi
check no_module 1 'the cove module is not loaded \(modprobe cove\)' -- \
	env COVE_DEVICE=/nonexistent/cove "$COVE" status

# Against the mock module.
export COVE_DEVICE=/dev/null
unset COVE_MOCK
check mock_status 0 '' '^3 +failed +4-5 +1536M \(0x100000000-0x13fffffff, 0x200000000' -- \
	"$MOCK" status
check mock_status_one 0 '' 'write at "guest" physical 0x10300000.\?: outside' -- \
	"$MOCK" status 3
check mock_status_absent 1 '^cove status: no enclave 2$' -- "$MOCK" status 2
"$MOCK" status --json >"$tmp/json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[1]["cpus"]==[4,5]
assert "\x01" in d[1]["report"] and d[1]["memory_total"]==1610612736' "$tmp/json" 2>/dev/null; then
	echo "PASS cove_cli_cmd.mock_status_json"
else
	echo "FAIL cove_cli_cmd.mock_status_json"
	sed 's/^/    /' "$tmp/json"
	failed=1
fi
# Ended jobs and what their ranks used (COVE_IOC_JOB_USAGE): apart from the running ones.
COVE_MOCK=usage "$MOCK" status --json >"$tmp/json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))[0]
assert [j["job"] for j in d["jobs"]] == [7] and d["jobs"][0]["running"]
r = d["jobs"][0]
assert r["usage"] == "so far" and r["wall_s"] == 1.5 and r["user_s"] == 1.2 and r["offloaded"] == 9
assert [x["rank"] for x in r["rank_usage"]] == [0] and r["rank_usage"][0]["kernel_entries"] == 40
a, b, c = d["ended_jobs"]
assert a["job"] == 5 and a["usage"] == "reported" and a["user_s"] == 2.900123
assert a["system_s"] == 0.1 and a["maxrss_kib"] == 50000 and a["wall_s"] == 2.0
assert [r["rank"] for r in a["rank_usage"]] == [0, 1] and a["rank_usage"][1]["user_s"] == 1.400123
assert a["rank_usage"][0]["minflt"] == 900 and a["rank_usage"][1]["maxrss_kib"] == 50000
assert a["switches"] == 40 and a["offloaded"] == 200 and a["kernel_entries"] == 12000
assert a["rank_usage"][0]["migrations"] == 2 and a["rank_usage"][1]["kernel_entries"] == 7000
assert b["job"] == 6 and b["status"] == 11 and b["usage"] == "refused" and b["user_s"] is None
assert b["switches"] is None and b["rank_usage"] == []
assert c["job"] == 8 and c["status"] == 2 and c["usage"] == "pending" and c["user_s"] is None' "$tmp/json"; then
	echo "PASS cove_cli_cmd.mock_status_json_usage"
else
	echo "FAIL cove_cli_cmd.mock_status_json_usage"
	sed 's/^/    /' "$tmp/json"
	failed=1
fi
check mock_status_so_far 0 '' '^  all ranks: task-clock 1205\.000 ms, 3 context switches, 0 CPU migrations, 700 page faults, 40 kernel entries, 9 offloaded calls$' -- \
	env COVE_MOCK=usage "$MOCK" status 1
check mock_status_so_far_head 0 '' '^job 7 so far \(1\.500 s\):$' -- env COVE_MOCK=usage "$MOCK" status 1
check mock_status_usage 0 '' '^  rank 1: user 1\.400123 s, system 0\.060000 s, peak memory 50000 KiB, 1100 minor faults$' -- \
	env COVE_MOCK=usage "$MOCK" status 1
check mock_status_refused 0 '' '^job 6 \(root, 1 rank, status 0xb, 2\.000 s\): /data/liar$' -- \
	env COVE_MOCK=usage "$MOCK" status 1
check mock_status_pending 0 '' '^  not reported yet: a signal ended the job while its ranks were ending ' -- \
	env COVE_MOCK=usage "$MOCK" status 1
# The list of all enclaves shows running jobs only, as before.
check mock_status_running_only 0 '' '^1 +7 +root +0 +1 +/data/cg$' -- env COVE_MOCK=usage "$MOCK" status
if env COVE_MOCK=usage "$MOCK" status | grep -q liar; then
	echo "FAIL cove_cli_cmd.mock_status_list_no_ended"
	failed=1
else
	echo "PASS cove_cli_cmd.mock_status_list_no_ended"
fi
check mock_run_times 0 '^cove run: job 5: rank 0: user 1\.500000 s, system 0\.040000 s, peak memory 40000 KiB, 900 minor faults$' -- \
	env COVE_MOCK=usage "$MOCK" run 1 --times -- /bin/true
check mock_run_perf 0 '^cove run: job 5: rank 1: task-clock 1460\.123 ms, 10 context switches, 0 CPU migrations, 1100 page faults, 7000 kernel entries, 80 offloaded calls$' -- \
	env COVE_MOCK=usage "$MOCK" run 1 --perf -- /bin/true
check mock_run_perf_all 0 '^cove run: job 5: all ranks: task-clock 3000\.123 ms, 40 context switches, 2 CPU migrations, 2000 page faults, 12000 kernel entries, 200 offloaded calls$' -- \
	env COVE_MOCK=usage "$MOCK" run 1 --perf -- /bin/true
check mock_run_times_none 139 '^cove run: job 5: no usage \(the cove module does not keep it\)$' -- \
	env COVE_MOCK=signal "$MOCK" run 1 --times -- /bin/true
check mock_create 0 '' '^1$' -- "$MOCK" create --cpus 0 --mem 1G --image "$BUILD/cove.elf"
check mock_create_busy 1 'CPU 0 is in use' -- \
	env COVE_MOCK=busy "$MOCK" create --cpus 0 --mem 1G --image "$BUILD/cove.elf"
check mock_create_nomem 1 'cannot offline 1G of memory' -- \
	env COVE_MOCK=nomem "$MOCK" create --cpus 0 --mem 1G --image "$BUILD/cove.elf"
check mock_create_noexec 1 'is not a Cove image' -- \
	env COVE_MOCK=noexec "$MOCK" create --cpus 0 --mem 1G --image "$BUILD/cove.elf"
check mock_create_timeout 1 'did not finish booting on CPUs 0 within 30 s; its CPUs' -- \
	env COVE_MOCK=timeout "$MOCK" create --cpus 0 --mem 1G --image "$BUILD/cove.elf"
check mock_console 0 '' '^ready$' -- "$MOCK" console 1
check mock_console_lost 0 '' '^\[100 bytes lost\]$' -- env COVE_MOCK=lost "$MOCK" console 1
check mock_console_follow 0 '' '^tick 2$' -- env COVE_MOCK=follow timeout 10 "$MOCK" console -f 1
check mock_console_absent 1 'no enclave 2' -- "$MOCK" console 2
check mock_add_busy 1 'CPU 1 is in use' -- env COVE_MOCK=busy "$MOCK" add 1 --cpus 1
check mock_remove_busy 1 'cannot give back 256M' -- env COVE_MOCK=busy "$MOCK" remove 1 --mem 256M
check mock_destroy 0 '' -- "$MOCK" destroy 1
check mock_destroy_absent 1 'no enclave 2' -- "$MOCK" destroy 2

echo "data for the job" >"$tmp/in"
check mock_run_lcalls 3 'job complains' '^job says hello$' -- \
	env COVE_MOCK=lcalls COVE_MOCK_FILE="$tmp/in" COVE_MOCK_OUT="$tmp/written" \
	COVE_MOCK_LOG="$tmp/line" "$MOCK" run 1 -n 2 --heap 1G --large-pages --env 'A=x y' \
	-- /bin/sh 'hello world' ''
# The directory it ran in travels too (the suite's own, which has no blanks),
# and the name it was run by where that is a link (/bin/sh to dash or bash).
argv0=
[ "$(readlink -f /bin/sh)" = /bin/sh ] || argv0="argv0=/bin/sh "
if grep -Fqx "cwd=$(pwd -P)" <(tr ' ' '\n' <"$tmp/line") &&
	grep -Eqx "ranks=2 ncpus=2 heap=1G pagesize=1G ${argv0}cwd=[^ ]+ proxy=1 envsize=[0-9]+ /[a-z/]+ \"hello world\" \"\"" "$tmp/line" &&
	grep -qx 'written by the job' "$tmp/written"; then
	echo "PASS cove_cli_cmd.mock_run_job_line"
else
	echo "FAIL cove_cli_cmd.mock_run_job_line"
	cat "$tmp/line" "$tmp/written" 2>&1 | sed 's/^/    /'
	failed=1
fi
# The job's files are opened with the caller's rights, whoever sudo ran cove
# for: root's job reaches into root's 0700 $tmp (exit 3), nobody's, in an
# enclave nobody owns, cannot (every long call fails with EACCES: exit 99).
chmod 700 "$tmp"
check mock_run_sudo_is_root 3 'job complains' -- env SUDO_UID=65534 SUDO_GID=65534 COVE_MOCK=lcalls \
	COVE_MOCK_FILE="$tmp/in" COVE_MOCK_OUT="$tmp/written" "$MOCK" run 1 --env 'A=x y' -- /bin/sh
if command -v setpriv >/dev/null; then
	nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)
	check mock_run_as_caller 99 'result -13' -- env COVE_MOCK_OWNER=65534:-1 COVE_MOCK=lcalls \
		COVE_MOCK_FILE="$tmp/in" COVE_MOCK_OUT="$tmp/written" "${nobody[@]}" "$MOCK" run 1 --env 'A=x y' -- /bin/sh
else
	echo "FAIL cove_cli_cmd.setpriv"
	echo "  setpriv (util-linux) is missing: the ordinary-user checks cannot run"
	failed=1
fi
# Even run by root, the job never reaches the host's
# kernel: /proc/self/mem (which would let it patch this server's code),
# a symlink to it, a /proc magic link, device nodes, procfs files.
ln -s /proc/self/mem "$tmp/memlink"
check mock_run_no_escape 3 '' -- env -u SUDO_UID -u SUDO_GID COVE_MOCK=escape \
	COVE_MOCK_FILE="$tmp/in" COVE_MOCK_OUT="$tmp/escape-out" COVE_MOCK_LINK="$tmp/memlink" \
	"$MOCK" run 1 -- /bin/sh
check mock_run_signal 139 'killed by signal 11' -- env COVE_MOCK=signal "$MOCK" run 1 /bin/true

# Owners: root gives enclaves away; an ordinary user runs jobs only where
# the enclave is theirs (user or group), is told whose it is otherwise,
# and gets one line for each command only root may use.
check mock_create_owner 0 '' '^1$' -- env COVE_MOCK_LOG="$tmp/log" "$MOCK" create --cpus 0 \
	--mem 1G --image "$BUILD/cove.elf" --owner nobody:nogroup
check mock_create_owner_sent 0 '' 'create owner flags 3 uid 65534 gid 65534' -- cat "$tmp/log"
check mock_chown 0 '' -- env COVE_MOCK_LOG="$tmp/log" "$MOCK" chown 1 :65534
check mock_chown_sent 0 '' 'chown 1 flags 2 uid 0 gid 65534' -- cat "$tmp/log"
check mock_chown_none 0 '' -- env COVE_MOCK_LOG="$tmp/log" "$MOCK" chown --none 1
check mock_chown_none_sent 0 '' 'chown 1 flags 0 uid 0 gid 0' -- cat "$tmp/log"
check mock_chown_absent 1 'no enclave 2' -- "$MOCK" chown 2 root
check mock_status_owner 0 '' '^1 +ready +2-3 +1G \(0x100000000-0x13fffffff\) +svm +1 +42 +nobody:nogroup$' -- \
	env COVE_MOCK_OWNER=65534:65534 "$MOCK" status
if [ ${#nobody[@]} -gt 0 ]; then
	# nobody's own world: nothing it may not see leaks into status.
	check user_status 0 '' '^3 +failed +4-5 +1536M +vmx +0 +42 +nobody$' -- \
		env COVE_MOCK_OWNER=65534:-1 "${nobody[@]}" "$MOCK" status
	check user_status_report 0 '' '^fault report: root only' -- "${nobody[@]}" "$MOCK" status 3
	"${nobody[@]}" "$MOCK" status --json >"$tmp/json" 2>&1
	if python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
assert d[1]["memory"][0]["base"] is None and d[1]["report"] == "" and d[1]["has_report"]
assert d[1]["redacted"] and d[1]["owner"] is None and d[1]["owner_uid"] is None' "$tmp/json"; then
		echo "PASS cove_cli_cmd.user_status_json"
	else
		echo "FAIL cove_cli_cmd.user_status_json"
		sed 's/^/    /' "$tmp/json"
		failed=1
	fi
	check user_run_owner 139 'killed by signal 11' -- \
		env COVE_MOCK_OWNER=65534:-1 COVE_MOCK=signal "${nobody[@]}" "$MOCK" run 1 /bin/true
	check user_run_group 139 'killed by signal 11' -- \
		env COVE_MOCK_OWNER=-1:65534 COVE_MOCK=signal "${nobody[@]}" "$MOCK" run 1 /bin/true
	check user_run_not_owner 1 '^cove run: enclave 1 belongs to root; you are nobody$' -- \
		env COVE_MOCK_OWNER=0:-1 "${nobody[@]}" "$MOCK" run 1 /bin/true
	check user_run_not_group 1 '^cove run: enclave 1 belongs to root and group root; you are nobody$' -- \
		env COVE_MOCK_OWNER=0:0 "${nobody[@]}" "$MOCK" run 1 /bin/true
	check user_run_no_owner 1 '^cove run: enclave 1 has no owner: only root may use it; you are nobody$' -- \
		"${nobody[@]}" "$MOCK" run 1 /bin/true
	# "auto": $COVE_ENCLAVE, else the caller's one enclave (as a Slurm prolog leaves it).
	check user_run_auto_env 139 'killed by signal 11' -- env COVE_ENCLAVE=1 \
		COVE_MOCK_OWNER=65534:-1 COVE_MOCK=signal "${nobody[@]}" "$MOCK" run auto /bin/true
	check user_run_auto_none 1 '^cove run: no enclave belongs to you: name one, or set COVE_ENCLAVE$' -- \
		env COVE_MOCK_OWNER=0:-1 "${nobody[@]}" "$MOCK" run auto /bin/true
	check user_run_auto_group 1 '^cove run: no enclave belongs to you' -- \
		env COVE_MOCK_OWNER=-1:65534 "${nobody[@]}" "$MOCK" run auto /bin/true
	check user_run_auto_several 1 '^cove run: enclaves 1, 3 all belong to you: name one, or set COVE_ENCLAVE$' -- \
		env COVE_MOCK_OWNER=65534:-1 "${nobody[@]}" "$MOCK" run auto /bin/true
	check user_console_group 1 '^cove console: enclave 1 belongs to group root; you are nobody$' -- \
		env COVE_MOCK_OWNER=-1:0 "${nobody[@]}" "$MOCK" console 1
	check user_failed_report 1 "its fault report is root's" -- \
		env COVE_MOCK_OWNER=65534:-1 COVE_MOCK=eio "${nobody[@]}" "$MOCK" run 1 /bin/true
	check user_create 1 '^cove create: only root may create an enclave; you are nobody$' -- \
		"${nobody[@]}" "$MOCK" create --cpus 0 --mem 1G --image "$BUILD/cove.elf"
	check user_destroy 1 '^cove destroy: only root may destroy an enclave; you are nobody$' -- \
		env COVE_MOCK_OWNER=65534:-1 "${nobody[@]}" "$MOCK" destroy 1
	check user_restart 1 '^cove restart: only root may restart an enclave; you are nobody$' -- \
		env COVE_MOCK_OWNER=65534:-1 "${nobody[@]}" "$MOCK" restart 1
	check user_add 1 '^cove add: only root may give an enclave CPUs or memory; you are nobody$' -- \
		env COVE_MOCK_OWNER=65534:-1 "${nobody[@]}" "$MOCK" add 1 --mem 1G
	check user_remove 1 '^cove remove: only root may take memory back from an enclave; you are nobody$' -- \
		env COVE_MOCK_OWNER=65534:-1 "${nobody[@]}" "$MOCK" remove 1 --mem 1G
	check user_chown 1 "^cove chown: only root may change an enclave's owner; you are nobody$" -- \
		env COVE_MOCK_OWNER=65534:-1 "${nobody[@]}" "$MOCK" chown 1 nobody
	# Installed setuid, cove would serve a job with its owner's rights: refused.
	mkdir -m 755 "$tmp/suid" && cp "$COVE" "$tmp/suid/cove" && chmod 4755 "$tmp/suid/cove"
	chmod 711 "$tmp"
	check user_setuid 1 'must not run setuid' -- "${nobody[@]}" "$tmp/suid/cove" status
	chmod 700 "$tmp"
fi
check mock_run_eio 1 'COVE PROTECTION FAULT' -- env COVE_MOCK=eio "$MOCK" run 1 /bin/true
check mock_run_absent 1 'no enclave 2' -- "$MOCK" run 2 /bin/true
# Ctrl-C reaches the job as SIGINT; a job that survives it is killed by a second.
check_interrupts() {	# check_interrupts NAME MOCK INTERRUPTS STATUS STDERR-PATTERN
	local pid rc
	COVE_MOCK=$2 "$MOCK" run 1 /bin/true 2>"$tmp/err" &
	pid=$!
	for _ in $(seq "$3"); do
		sleep 1
		kill -INT $pid
	done
	wait $pid
	rc=$?
	if [ $rc = "$4" ] && grep -q "$5" "$tmp/err"; then
		echo "PASS cove_cli_cmd.$1"
	else
		echo "FAIL cove_cli_cmd.$1"
		echo "  status $rc"
		failed=1
	fi
}
check_interrupts mock_run_interrupt hang 1 130 'killed by signal 2'
# A crash of cove itself says so, with offsets to look up, and dies by its signal.
COVE_MOCK=hang "$MOCK" run 1 /bin/true 2>"$tmp/err" &
pid=$!
sleep 1
kill -SEGV $pid
wait $pid
rc=$?
if [ $rc = 139 ] && grep -Eq '^cove: internal error: Segmentation fault .*backtrace \(offsets in cove, for addr2line -e\): 0x' "$tmp/err"; then
	echo "PASS cove_cli_cmd.crash_report"
else
	echo "FAIL cove_cli_cmd.crash_report"
	echo "  status $rc, stderr:"; sed 's/^/    /' "$tmp/err" | head -n 5
	failed=1
fi
check_interrupts mock_run_interrupt_twice stubborn 2 137 'stopping job 5'
exit $failed

#!/bin/bash
# Linux-ABI scenarios: unmodified static programs run as Cove jobs, from the
# job files in test/abi/*.jobs (packed into the initramfs as /tests/).

INITRD="$BUILD/initramfs.cpio"

# The initramfs's data/ (what the jobs read) unpacked in a new directory,
# with a tmp/ to write in; its path on stdout. The caller removes it.
abi_host_data() {
	local dir
	dir="$(mktemp -d)"
	(cd "$dir" && cpio -id --quiet 'data/*') < "$INITRD"
	mkdir -p "$dir/tmp"
	echo "$dir"
}

# host_job_line DIR LINE: what LINE of a job file prints when the host runs
# it in DIR. The job parser has no shell: words split on blanks, "double
# quotes" group, and a $ stays a $ (for a busybox sh the line starts).
host_job_line() {
	(cd "$1" && eval "$(echo "$2" | sed 's/\$/\\$/g')" 2>&1)
}

# Boot option strace: a line per call of the job, with its result and what
# it took; a sleep's says it waited (wall time) without spending the core
# (the thread's own system time).
scenario_abi_strace() {
	local line
	boot --smp 1 --mem 256M --initrd "$INITRD" --cmdline "strace jobs=/tests/strace.jobs"
	expect_status 0
	expect_job_end 1 "exited with status 0"
	line=$(grep -a "strace: .* clock_nanosleep(.* = 0 *<" "$LOG" | tr -d '\r' | head -n 1)
	[[ "$line" =~ \<([0-9]+)\ us,\ system\ ([0-9]+)\ us\> ]] ||
		{ fail "no timed nanosleep line: '$line'"; return; }
	[ "${BASH_REMATCH[1]}" -ge 250000 ] && [ "${BASH_REMATCH[2]}" -lt 50000 ] ||
		fail "a 0.3 s sleep took ${BASH_REMATCH[1]} us, ${BASH_REMATCH[2]} us of it in the kernel"
}

scenario_abi_hello_glibc_musl() {
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/hello.jobs"
	expect_status 0
	expect_log "hello from glibc pid"
	expect_log "hello from musl pid"
	expect_log "hello from glibc static-pie pid"
	expect_log "hello: argv[2]=two words"
	expect_log "hello: argv[1]=three"
	expect_job_end 1 "exited with status 0"
	expect_job_end 2 "exited with status 0"
	expect_job_end 3 "exited with status 0"
	expect_log "cove: all jobs done: 3 run, 0 failed"
}

scenario_abi_threads() {
	# A short timeout: a sleeping thread that outlived exit() would hold the job 100 s.
	boot --smp 4 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/threads.jobs" --timeout 60
	expect_status 0
	[ "$(grep -ac 'threads: ok 400000' "$LOG")" = 2 ] || fail "threads did not pass with both libcs"
	expect_job_end 3 "exited with status 0"
	expect_job_end 4 "exited with status 0"
	expect_job_end 5 "exited with status 0"
	expect_job_end 6 "exited with status 0"
	[ "$(grep -ac 'fault: syscaller: 30 children ended' "$LOG")" = 2 ] ||
		fail "fault syscaller did not end its 30 children with both libcs"
	expect_log "cove: all jobs done: 6 run, 0 failed"
}

# Bare mode's gdb (boot option gdb=com2): the host's gdb, on QEMU's second
# serial port as a TCP socket, breaks in gdbtarget, reads a variable and an
# argument, shows the backtrace and both threads, steps, continues to the
# job's end; the next job, the same program undebugged, runs as usual.
scenario_abi_gdb_com2() {
	local port=$((30000 + RANDOM % 20000)) out="$LOG.gdb" gdbpid
	(
		for _ in $(seq 1 200); do
			sleep 0.3
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		done
		timeout 280 gdb -nx -batch -ex "set remotetimeout 60" \
			-ex "target remote 127.0.0.1:$port" -ex "break gdbtarget_mark" -ex continue \
			-ex "print gdbtarget_value" -ex "print n" -ex bt -ex "info threads" \
			-ex 'set $at = $pc' -ex stepi -ex 'print $pc > $at && $pc < $at + 16' \
			-ex 'print $fs_base != 0 && $orig_rax == -1' \
			-ex continue "$BUILD/user/glibc/gdbtarget" >"$out" 2>&1
	) &
	gdbpid=$!
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/gdb.jobs gdb=com2" \
		--serial2 "tcp:127.0.0.1:$port,server=on,wait=off" --timeout 300
	wait "$gdbpid"
	# gdbtarget ends with status 3 on purpose (the status gdb must see): both jobs "fail".
	expect_status 4
	expect_job_end 1 "exited with status 3"
	expect_job_end 2 "exited with status 3"
	expect_log "cove: all jobs done: 2 run, 2 failed"
	grep -qE "^(Thread [0-9]+ .*hit )?Breakpoint 1, gdbtarget_mark \(n=21\)" "$out" ||
		fail "gdb did not stop in gdbtarget_mark: $(tail -n 5 "$out")"
	grep -qxF '$1 = 21' "$out" || fail "gdb: gdbtarget_value is not 21"
	grep -qxF '$2 = 21' "$out" || fail "gdb: n is not 21"
	grep -qE "^#1 +0x[0-9a-f]+ in gdbtarget_outer " "$out" || fail "gdb: no gdbtarget_outer frame"
	grep -qE "^#2 +0x[0-9a-f]+ in main " "$out" || fail "gdb: no main frame"
	grep -qE "^ +2 +Thread [0-9]+ " "$out" || fail "gdb: not two threads"
	grep -qxF '$3 = 1' "$out" || fail "gdb: stepi did not move one instruction on"
	grep -qxF '$4 = 1' "$out" || fail "gdb: no fs_base (glibc's thread pointer)"
	grep -qF "[Inferior 1 (Remote target) exited with code 03]" "$out" ||
		fail "gdb did not see the job exit with 3"
	[ "$(grep -ac 'gdbtarget: value 42 threads 2' "$LOG")" = 2 ] ||
		fail "the two jobs did not both print their value"
}

scenario_abi_openmp_1_2_4_cores() {
	boot --smp 4 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/omp.jobs"
	expect_status 0
	for t in 1 2 4; do
		expect_log "omp_reduce: threads=$t sum=500000500000 ok"
	done
	[ "$(grep -ac 'omp_reduce: threads=4 sum=500000500000 ok' "$LOG")" = 2 ] ||
		fail "4 threads on one core did not give the right sum"
	expect_log "cove: all jobs done: 4 run, 0 failed"
}

scenario_abi_memory() {
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/mem.jobs"
	expect_status 0
	[ "$(grep -ac 'memstress: ok' "$LOG")" = 3 ] || fail "memstress did not pass 3 times"
	[ "$(grep -ac 'discard: ok 7 checks' "$LOG")" = 3 ] || fail "discard did not pass 3 times"
	expect_log "cove: all jobs done: 6 run, 0 failed"
}

# What `make run` does: the CG mini-app with OpenMP on every core.
scenario_abi_default_job_cg() {
	boot --smp 4 --mem 1G --initrd "$INITRD" --cmdline "job=/bin/cg job.args=48" --timeout 300
	expect_status 0
	expect_log "cg: grid=48"
	expect_log_re "bench: cg threads=4 "
	expect_log "cg: ok"
	expect_job_end 1 "exited with status 0"
}

scenario_abi_bad_inputs() {
	boot --smp 4 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/bad.jobs"
	expect_status 4
	expect_log "job 1: cannot start: /bad/corrupt: not an ELF file"
	expect_log_re "job 2: cannot start: /bad/truncated: (truncated|.*past end)"
	expect_log "job 3: cannot start: /bad/no-interp: interpreter /lib/ld-cove-missing.so.2: no such file"
	expect_log "job 4: cannot start: /bad/script: not an ELF file"
	expect_log "job 5: cannot start: /no/such/program: no such file"
	expect_log_re "job 6: cannot start: /bin/hello: needs [0-9]+ MiB .* but the partition has [0-9]+ MiB free"
	expect_log "job 7: cannot start: 8 ranks but only 4 CPUs for them"
	expect_log "job 8: cannot start: CPU 9 is not in the partition"
	expect_log "job 9: cannot start: unknown job option 'frobnicate=1'"
	expect_log "segfault at 0 ip"
	expect_job_end 10 "killed by signal 11 \\(SIGSEGV\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_log "divide error ip"
	expect_job_end 11 "killed by signal 8 \\(SIGFPE\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_log "invalid opcode ip"
	expect_job_end 12 "killed by signal 4 \\(SIGILL\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_log "(stack overflow)"
	expect_job_end 13 "killed by signal 11 \\(SIGSEGV\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_job_end 14 "killed by signal 6 \\(SIGABRT\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_job_end 15 "killed by signal 11 \\(SIGSEGV\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_job_end 16 "exited with status 3"
	expect_log "hello: argv[1]=still"
	expect_job_end 17 "exited with status 0"
	expect_log "cove: all jobs done: 17 run, 16 failed"
	expect_no_log "KERNEL"
}

# Signals: handlers (faults, kill/tgkill, masks, the alternate stack, timers,
# restarts, FPU state) with glibc and musl, then default actions.
SIGTEST_CHECKS="segv_accerr_mprotect_resume segv_maperr_siglongjmp fpe_intdiv_siglongjmp
	ill_ucontext_edit_resume raise_usr1 kill_self_usr1 sa_nodefer_and_sa_mask sa_resethand
	blocked_pending_then_unblock tgkill_other_thread_masked tgkill_wakes_nanosleep
	kill_picks_unblocking_thread sigaltstack_sa_onstack stack_overflow_handled_on_altstack
	alarm_pause setitimer_oneshot_sigsuspend setitimer_periodic timer_create_sigev_signal
	timer_overrun_counted timer_sigev_thread_id_sigtimedwait nanosleep_eintr_with_rem futex_wait_eintr
	futex_wait_sa_restart fpu_sse_state_survives_handler fpu_avx_state_survives_handler
	sigreturn_bad_fpstate_segv syscall_preserves_registers
	sigqueue_realtime_in_order rt_tgsigqueueinfo_to_thread sigtimedwait_takes_blocked_pending
	signal_storm_between_threads"

scenario_abi_signals() {
	local c n=0 job out core=" \\(core dumped: core, [0-9]+ bytes\\)"
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/signals.jobs" --timeout 240
	expect_status 4
	for job in 1 2 12; do
		out="$(job_output $job)"
		for c in $SIGTEST_CHECKS; do
			grep -qxF "sigtest: $c ok" <<<"$out" || fail "job $job lacks: sigtest: $c ok"
		done
		n=$(echo $SIGTEST_CHECKS | wc -w)
		grep -qxF "sigtest: ok $n checks" <<<"$out" || fail "job $job: not 'sigtest: ok $n checks'"
		expect_job_end $job "exited with status 0"
	done
	expect_job_end 3 "killed by signal 11 \\(SIGSEGV\\)$core"
	expect_job_end 4 "killed by signal 11 \\(SIGSEGV\\)$core"
	expect_job_end 5 "killed by signal 11 \\(SIGSEGV\\)$core"
	expect_job_end 6 "killed by signal 14 \\(SIGALRM\\)"
	expect_job_end 7 "killed by signal 15 \\(SIGTERM\\)"
	grep -qxF "sigtest: abort handler ran" <<<"$(job_output 8)" || fail "job 8: no abort handler line"
	expect_job_end 8 "killed by signal 6 \\(SIGABRT\\)$core"
	expect_job_end 9 "killed by signal 10 \\(SIGUSR1\\)"
	expect_log "segfault at 0 ip"
	expect_job_end 10 "killed by signal 11 \\(SIGSEGV\\)$core"
	expect_log_re "sigtest\\[[0-9]+\\]: rt_sigreturn found no valid signal frame"
	expect_job_end 11 "killed by signal 11 \\(SIGSEGV\\)$core"
	expect_log "cove: all jobs done: 12 run, 9 failed"
	expect_no_log "KERNEL"
	expect_no_log "is not implemented in Cove"
}

# Busybox applets, byte-compared with the same applets on the host.
scenario_abi_busybox_applets() {
	local data n=0 line want got
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/busybox.jobs"
	expect_status 0
	data="$(abi_host_data)"
	while IFS= read -r line; do
		case "$line" in '#'*|'') continue ;; esac
		n=$((n + 1))
		want="$(host_job_line "$data" "$line")"
		got="$(job_output $n)"
		[ "$want" = "$got" ] || fail "busybox job $n ($line) differs from the host: got '$got' want '$want'"
		expect_job_end $n "exited with status 0"
	done < test/abi/busybox.jobs
	rm -rf "$data"
}

# PROT_NONE reservations (user/reserve.c) in a partition smaller than
# what they reserve: a 1 GiB mmap, and a thread per glibc malloc arena,
# each arena a 64 MiB reservation of which a few pages are used.
scenario_abi_reserve() {
	boot --smp 2 --mem 128M --initrd "$INITRD" --cmdline "jobs=/tests/reserve.jobs" --timeout 120
	expect_status 0
	[ "$(grep -ac 'reserve: ok' "$LOG")" = 2 ] || fail "reserve did not pass with both libcs"
	expect_job_end 1 "exited with status 0"
	expect_job_end 2 "exited with status 0"
	expect_log "cove: all jobs done: 2 run, 0 failed"
	expect_no_log "KERNEL"
}

# Large pages on request (user/hugetest.c, test/abi/huge.jobs): glibc, musl,
# and glibc again in a job with 4 KiB pages by default. 3 GiB, so that a
# 1 GiB page may be had (its line is information: machines differ). Then
# the same two binaries on Debian's Linux 6.1 in the same emulated machine
# (a pool of 64 huge pages, transparent huge pages as Debian sets them):
# every verdict line must be the same.
scenario_abi_huge() {
	local linux="$LOG.linux" n bin want got
	boot --smp 2 --mem 3G --initrd "$INITRD" --cmdline "jobs=/tests/huge.jobs" --timeout 300
	expect_status 0
	for n in 1 2 3; do
		job_output $n | grep -qx "hugetest: ok 19 checks" || fail "hugetest job $n did not pass"
		expect_job_end $n "exited with status 0"
	done
	expect_log "cove: all jobs done: 3 run, 0 failed"
	expect_no_log "KERNEL"
	expect_no_log "is not implemented in Cove"
	expect_log "hugetest: info 1g: mapped"
	cp "$BUILD/user/musl/hugetest" "$BUILD/test/hugetest-musl"
	scripts/linux-vm.sh --mem 3G --timeout 300 --log "$linux" \
		--add "$BUILD/user/glibc/hugetest:/data/hugetest-glibc" \
		--add "$BUILD/test/hugetest-musl:/data/hugetest-musl" -- \
		'echo 64 > /proc/sys/vm/nr_hugepages
		 for b in glibc musl; do echo "== $b"; /data/hugetest-$b; done' ||
		fail "Linux guest did not run (scripts/linux-vm.sh, log $linux)"
	n=0
	for bin in glibc musl; do
		n=$((n + 1))
		want="$(tr -d '\r' < "$linux" | sed -n "/^== $bin\$/,/^hugetest: ok\|FAIL/p" |
			grep '^hugetest: ' | grep -v '^hugetest: info ')"
		got="$(job_output $n | grep '^hugetest: ' | grep -v '^hugetest: info ')"
		[ -n "$want" ] && [ "$want" = "$got" ] ||
			fail "hugetest ($bin) on Cove differs from Linux: got '$got' want '$want'"
	done
}

# perf_event_open (user/perftest.c, test/abi/perf.jobs): software counters
# of the thread itself -- task clock against its CPU time, enable, disable,
# reset, id, context switches, migrations -- and the errors; then the same
# two binaries on Debian's Linux 6.1 in the same emulated machine (no PMU
# there either): every line must be the same, the hardware event's errno
# included.
scenario_abi_perf_counters() {
	local linux="$LOG.linux" n bin want got
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/perf.jobs" --timeout 300
	expect_status 0
	for n in 1 2; do
		job_output $n | grep -qx "perftest: ok 7 checks" || fail "perftest job $n did not pass"
	done
	expect_log "cove: all jobs done: 2 run, 0 failed"
	expect_no_log "is not implemented in Cove"
	cp "$BUILD/user/musl/perftest" "$BUILD/test/perftest-musl"
	scripts/linux-vm.sh --smp 2 --mem 512M --timeout 300 --log "$linux" \
		--add "$BUILD/user/glibc/perftest:/data/perftest-glibc" \
		--add "$BUILD/test/perftest-musl:/data/perftest-musl" -- \
		'for b in glibc musl; do echo "== $b"; /data/perftest-$b; done' ||
		fail "Linux guest did not run (scripts/linux-vm.sh, log $linux)"
	n=0
	for bin in glibc musl; do
		n=$((n + 1))
		want="$(tr -d '\r' < "$linux" | sed -n "/^== $bin\$/,/^perftest: ok\|FAIL/p" |
			grep '^perftest: ')"
		got="$(job_output $n | grep '^perftest: ')"
		[ -n "$want" ] && [ "$want" = "$got" ] ||
			fail "perftest ($bin) on Cove differs from Linux: got '$got' want '$want'"
	done
}

# Debian's own perf (a dynamic binary nobody here wrote) running `perf stat`
# in Cove: it forks the workload, opens counters of it that count from its
# execve on and inherit into its threads and children, and reads them at
# its end. Each software count must be a number, not "<not supported>", and
# task-clock sane; "instructions" needs a PMU the emulator has not, which
# perf says as on Linux in the same machine.
scenario_abi_perf_stat() {
	local cpio="$BUILD/test/perf_stat.cpio" n ms
	if [ ! -x /usr/bin/perf ]; then
		fail "/usr/bin/perf missing (scripts/install-deps.sh installs linux-perf)"
		return
	fi
	scripts/mkinitramfs.sh "$cpio" "$BUILD/user" /usr/bin/perf:/usr/bin/perf \
		test/abi/perf_stat.jobs:/tests/perf_stat.jobs ||
		{ fail "cannot build the initramfs with perf"; return; }
	boot --smp 2 --mem 1G --initrd "$cpio" --cmdline "jobs=/tests/perf_stat.jobs" --timeout 300
	expect_status 0
	expect_log "cove: all jobs done: 4 run, 0 failed"
	for n in 1 2 3; do
		job_output $n | grep -q "Performance counter stats for" ||
			fail "perf stat job $n printed no counts"
		! job_output $n | grep -q "not supported>" ||
			fail "perf stat job $n: a software event not supported"
		ms=$(job_output $n | sed -n 's/^ *\([0-9.]*\) msec task-clock .*/\1/p')
		awk -v ms="${ms:-0}" 'BEGIN { exit !(ms > 1 && ms < 5000) }' ||
			fail "perf stat job $n: task-clock '${ms}' ms"
	done
	job_output 1 | grep -Eq '^ +[0-9]+ +context-switches' || fail "no context switches counted"
	job_output 1 | grep -Eq '^ +[0-9]+ +cpu-migrations' || fail "no cpu-migrations line"
	job_output 2 | grep -Eq '^ +[0-9]+ +context-switches' || fail "no-inherit: no context switches"
	job_output 3 | grep -q "cg: ok" || fail "the shell's children did not run"
	# CG's two threads on two cores, not time-sharing one while the other
	# idles beside perf waiting for them (a tick per shared slice: once
	# some 500 where these take 0 or 1).
	for n in 1 2 3; do
		grep -a "^job $n: interrupts in user mode:" "$LOG" | tr -d '\r' |
			awk '{ for (i = 8; i <= NF; i += 2) if ($i + 0 > 20) bad = 1 } END { exit bad }' ||
			fail "perf stat job $n: its threads shared a core (user-mode interrupts)"
	done
	job_output 4 | grep -Eq "<not supported> +instructions" ||
		fail "perf stat -e instructions did not say the event is not supported"
}

# Processes: fork, vfork, posix_spawn, execve, wait, pipes, SIGCHLD/SIGPIPE,
# close-on-exec, fork beyond memory, with glibc and musl (user/forkexec.c).
scenario_abi_processes() {
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/forkexec.jobs" --timeout 300
	expect_status 0
	[ "$(grep -ac 'forkexec: ok 22 checks' "$LOG")" = 2 ] ||
		fail "forkexec did not pass with both libcs"
	expect_job_end 1 "exited with status 0"
	expect_job_end 2 "exited with status 0"
	expect_log "cove: all jobs done: 2 run, 0 failed"
	expect_no_log "KERNEL"
	expect_no_log "is not implemented in Cove"
}

# Shared memory between processes (user/shmtest.c), glibc and musl: the
# output must be the host's, line for line, from the same binaries.
scenario_abi_shm() {
	local n want got bin
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/shm.jobs" --timeout 300
	expect_status 0
	n=0
	for bin in glibc/shmtest musl/shmtest; do
		n=$((n + 1))
		want="$("$BUILD/user/$bin" 2>&1)"
		got="$(job_output $n)"
		[ "$want" = "$got" ] || fail "shmtest job $n ($bin) differs from the host: got '$got' want '$want'"
		job_output $n | grep -qx "shmtest: ok 13 checks" || fail "shmtest job $n did not pass"
		expect_job_end $n "exited with status 0"
	done
	expect_log "cove: all jobs done: 2 run, 0 failed"
	expect_no_log "KERNEL"
	expect_no_log "is not implemented in Cove"
	expect_no_log "is served by a job's host proxy"
	# The segment beyond memory is refused, and the console says why, once a process.
	[ "$(tr -d '\r' < "$LOG" | grep -cE "^warning: mem: pid [0-9]+ \(shmtest\): shared memory \
of 1073741824 KiB refused: the partition has [0-9]+ KiB free of [0-9]+ KiB$")" = 2 ] ||
		fail "no single console line per job for the segment beyond memory"
}

# link, rename (over a file, of a directory, NOREPLACE, EXCHANGE) in the
# enclave's tree and EXDEV to /dev/shm, as on the host (user/fsnames.c).
scenario_abi_fsnames() {
	local n=0 bin want
	boot --smp 1 --mem 256M --initrd "$INITRD" --cmdline "jobs=/tests/fsnames.jobs" --timeout 120
	expect_status 0
	for bin in glibc/fsnames musl/fsnames; do
		n=$((n + 1))
		mkdir -p "$BUILD/test/fsnames.$n"
		want="$("$BUILD/user/$bin" "$BUILD/test/fsnames.$n" 2>&1)"
		[ "$want" = "$(job_output $n)" ] ||
			fail "fsnames job $n ($bin) differs from the host: got '$(job_output $n)' want '$want'"
		job_output $n | grep -qx "fsnames: ok 4 checks" || fail "fsnames job $n did not pass"
	done
	expect_log "cove: all jobs done: 2 run, 0 failed"
}

# busybox sh scripts (pipelines, $(...), && ||, redirections, & wait,
# xargs, exit codes), byte-compared with the same lines on the host.
scenario_abi_processes_sh() {
	local data n=0 line want got last
	boot --smp 2 --mem 1G --initrd "$INITRD" --cmdline "jobs=/tests/processes_sh.jobs" \
		--timeout 300
	expect_status 4		# the last script exits 3 on purpose
	data="$(abi_host_data)"
	while IFS= read -r line; do
		case "$line" in '#'*|'') continue ;; esac
		n=$((n + 1))
		# heap=/stack= read as the host's environment.
		# LEFT: the host's left-behind child sleeps 1 s, not 600 (Cove kills its).
		want="$(export LEFT=1 && host_job_line "$data" "$line")"
		got="$(job_output $n)"
		[ "$want" = "$got" ] || fail "sh job $n ($line) differs from the host: got '$got' want '$want'"
		last=$n
	done < test/abi/processes_sh.jobs
	for ((i = 1; i < last; i++)); do
		expect_job_end $i "exited with status 0"
	done
	expect_job_end $last "exited with status 3"
	expect_log "cove: all jobs done: $last run, 1 failed"
	expect_no_log "KERNEL"
	expect_no_log "is not implemented in Cove"
	rm -rf "$data"
}

# Dynamically linked programs of both C libraries, through their interpreter
# and with the interpreter run directly; dlopen with TLS in two threads.
scenario_abi_dynamic() {
	local n
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/dynamic.jobs" --timeout 300
	expect_status 0
	for n in 1 2; do
		job_output $n | grep -qx "dynhello: argv\[2\]=two words" ||
			fail "job $n did not print its arguments"
		job_output $n | grep -qx "dynhello: started through the interpreter" ||
			fail "job $n was not started through its interpreter"
		job_output $n | grep -qx "dynhello: sqrt(4)=2.000000 cbrt(64)=4.000" ||
			fail "job $n: libm gave the wrong answer"
	done
	job_output 1 | grep -qx "dynhello from glibc argc 3" || fail "job 1 is not glibc's"
	job_output 1 | grep -qx "dynhello: sqrt is in libm.so.6" || fail "job 1: sqrt not from libm.so.6"
	job_output 2 | grep -qx "dynhello from musl argc 3" || fail "job 2 is not musl's"
	job_output 2 | grep -qx "dynhello: sqrt is in ld-musl-x86_64.so.1" ||
		fail "job 2: sqrt not from musl's libc"
	for n in 3 4; do
		job_output $n | grep -qx "dynhello: argv\[1\]=direct" ||
			fail "job $n: ld.so did not pass the arguments on"
		job_output $n | grep -qx "dynhello: the interpreter was the program" ||
			fail "job $n: AT_BASE is not 0 with ld.so run directly"
	done
	job_output 5 | grep -qx "dlopen_test: loaded /lib/cove/libcovetest.so, covetest_add(40, 2) = 42" ||
		fail "glibc's dlopen_test did not load the library"
	job_output 5 | grep -qx "dlopen_test: unloaded" || fail "glibc did not unload after dlclose"
	job_output 6 | grep -qx "dlopen_test: loaded /musl/lib/libcovetest.so, covetest_add(40, 2) = 42" ||
		fail "musl's dlopen_test did not load the library"
	for n in 5 6; do
		job_output $n | grep -qx "dlopen_test: TLS per thread: 1100 3100, main 100" ||
			fail "job $n: TLS of the dlopen'ed library is not per thread"
	done
	for n in 1 2 3 4; do
		job_output $n | grep -qx "dynhello: ok" || fail "dynhello job $n did not pass"
	done
	for n in 5 6; do
		job_output $n | grep -qx "dlopen_test: ok" || fail "dlopen_test job $n did not pass"
	done
	for n in 7 8; do
		job_output $n | grep -qx "mmap_file: ok" || fail "mmap_file job $n did not pass"
	done
	for n in 1 2 3 4 5 6 7 8; do
		expect_job_end $n "exited with status 0"
	done
	expect_log "cove: all jobs done: 8 run, 0 failed"
	# musl's dlopen asks for membarrier, and copes when it is missing as long
	# as no other thread runs yet. Nothing else may be missing.
	! grep -a "is not implemented in Cove" "$LOG" | grep -qv "membarrier (324)" ||
		fail "a dynamic program used a missing call: $(grep -a 'is not implemented' "$LOG")"
}

# Debian's dynamically linked coreutils, byte-compared with the host's.
scenario_abi_dynamic_coreutils() {
	local data n=0 line want got
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/dynamic_coreutils.jobs" \
		--timeout 300
	expect_status 0
	data="$(abi_host_data)"
	while IFS= read -r line; do
		case "$line" in '#'*|'') continue ;; esac
		n=$((n + 1))
		# The job file has no shell: words split on blanks, "double quotes" group.
		want="$(cd "$data" && eval "LC_ALL=C $line" 2>&1)"
		got="$(job_output $n)"
		[ "$want" = "$got" ] || fail "coreutils job $n ($line) differs from the host: got '$got' want '$want'"
		expect_job_end $n "exited with status 0"
	done < test/abi/dynamic_coreutils.jobs
	[ "$n" -gt 0 ] || fail "no coreutils jobs"
	rm -rf "$data"
}

# A missing or broken interpreter, a missing or 32-bit library.
scenario_abi_dynamic_bad_inputs() {
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/dynamic_bad.jobs" --timeout 300
	expect_status 4
	expect_log "job 1: cannot start: /bad/no-interp: interpreter /lib/ld-cove-missing.so.2: no such file"
	expect_log "job 2: cannot start: /bad/interp-script: interpreter /bad/script: not an ELF file"
	expect_log "job 3: cannot start: /bad/interp-i386: interpreter /bad/ld-i386.so: not a 64-bit x86-64 executable"
	expect_log "job 4: cannot start: /bad/interp-dynamic: interpreter /bin/dynhello: is itself dynamically linked (names /lib64/ld-linux-x86-64.so.2)"
	expect_log "job 5: cannot start: /bad/interp-truncated: interpreter /bad/ld-truncated.so: segment data past end of file"
	job_output 6 | grep -qF "/bad/missing-lib: error while loading shared libraries: libcovemissing.so: cannot open shared object file: No such file or directory" ||
		fail "ld.so did not name the missing library"
	expect_job_end 6 "exited with status 127"
	job_output 7 | grep -qF "/bad/badarch-lib: error while loading shared libraries: libcovebadarch.so: wrong ELF class: ELFCLASS32" ||
		fail "ld.so did not call the 32-bit library what it is"
	expect_job_end 7 "exited with status 127"
	for n in 8 9 10 11; do
		job_output $n | grep -qE "^(dynhello|mmap_file): writing to " ||
			fail "job $n did not get to its forbidden write"
		expect_job_end $n "killed by signal 11 \\(SIGSEGV\\) \\(core dumped: core, [0-9]+ bytes\\)"
	done
	job_output 12 | grep -qx "dynhello: argv\[2\]=running" || fail "the last job did not run"
	expect_job_end 12 "exited with status 0"
	expect_log "cove: all jobs done: 12 run, 11 failed"
	expect_no_log "KERNEL"
}

# Microbenchmarks run, and a compute thread alone on its core sees no
# interrupt at all: no tick, no IPI, nothing.
scenario_abi_bench_tickless() {
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/bench.jobs"
	expect_status 0
	for b in noise_quantum syscall_getppid futex_pingpong migrate_roundtrip pthread_create_join; do
		expect_log_re "bench: $b .*"
	done
	expect_log "bench_migrate: CPU 0 -> CPU 1 -> CPU 0"
	expect_log "job 1: interrupts in user mode: cpu1 0"
	expect_log "job 2: interrupts in user mode: cpu1 0"
	expect_log "cove: all jobs done: 5 run, 0 failed"
}

scenario_abi_jobs_file_missing() {
	boot --smp 1 --mem 256M --initrd "$INITRD" --cmdline "jobs=/no/such.jobs"
	expect_status 4
	expect_log "jobs=/no/such.jobs: no such file in the initramfs"
	expect_log "cove: all jobs done: 1 run, 1 failed"
}

# The enclave's own /proc, /sys and /dev, read by our checker (both C
# libraries) and by busybox, with the values checked, not only the exits.
scenario_abi_procsys() {
	local out mem_kb
	boot --smp 4 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/procsys.jobs" --timeout 300
	expect_status 0
	[ "$(grep -ac '^procview: ok' "$LOG")" = 2 ] || fail "procview did not pass with both libcs"
	expect_log "procview: cpus=4 cpuinfo, sysfs, sysconf and affinity agree"
	for n in $(seq 1 18); do
		expect_job_end $n "exited with status 0"
	done
	out="$(job_output 3)"	# cat /proc/cpuinfo
	[ "$(echo "$out" | grep -c '^processor	: ')" = 4 ] || fail "cpuinfo: not 4 processors"
	echo "$out" | grep -q '^processor	: 3$' || fail "cpuinfo: no processor 3"
	echo "$out" | grep -qE '^flags		: (.* )?fpu .* sse2( |$)' || fail "cpuinfo: no flags"
	echo "$out" | grep -qE '^cpu MHz		: [0-9]+\.[0-9]{3}$' || fail "cpuinfo: cpu MHz"
	out="$(job_output 4 | tr -s ' \n' '\n' | sort | tr '\n' ' ')"	# ls cpu
	[ "$out" = "cpu0 cpu1 cpu2 cpu3 kernel_max offline online possible present " ] ||
		fail "ls /sys/devices/system/cpu: '$out'"
	out="$(job_output 5)"	# status of busybox itself
	echo "$out" | grep -q '^Name:	busybox$' || fail "status: Name"
	echo "$out" | grep -q '^State:	R (running)$' || fail "status: State"
	echo "$out" | grep -q '^Cpus_allowed_list:	0-3$' || fail "status: Cpus_allowed_list"
	echo "$out" | grep -q '^Cpus_allowed:	f$' || fail "status: Cpus_allowed"
	echo "$out" | grep -qE '^VmRSS:	 *[1-9][0-9]* kB$' || fail "status: VmRSS"
	[ "$(job_output 6)" = 4 ] || fail "nproc says '$(job_output 6)'"
	out="$(job_output 7)"	# free
	echo "$out" | grep -qE '^Mem: +[1-9][0-9]* +[0-9]+ +[1-9][0-9]*' || fail "free: '$out'"
	echo "$out" | grep -qE '^Swap: +0 +0 +0' || fail "free: swap"
	job_output 8 | grep -qE 'up .*load average: [0-9]+\.[0-9]{2}' || fail "uptime: '$(job_output 8)'"
	out="$(job_output 9)"	# ps: its own line, by its pid's command
	echo "$out" | grep -qE '^ *PID +USER +COMMAND' || fail "ps: no header: '$out'"
	echo "$out" | grep -qE '^ *9 +0 +/bin/busybox ps$' || fail "ps: no line for itself: '$out'"
	job_output 10 | head -n 1 | grep -qE '^[1-9][0-9]*K$' || fail "cache size: '$(job_output 10)'"
	job_output 10 | tail -n 1 | grep -qx '0-3' || fail "cpu3 core_siblings_list: '$(job_output 10)'"
	mem_kb="$(job_output 11 | awk '/^MemTotal:/ { print $2 }')"
	{ [ -n "$mem_kb" ] && [ "$mem_kb" -gt 262144 ] && [ "$mem_kb" -le 524288 ]; } ||
		fail "MemTotal '$mem_kb' kB is not within the 512 MiB partition"
	[ "$(job_output 12 | tr -s ' \n' ' ')" = "0 1 2 3 " ] || fail "ls /proc/self/fd: '$(job_output 12)'"
	[ "$(job_output 13)" = /bin/busybox ] || fail "readlink /proc/self/exe: '$(job_output 13)'"
	[ "$(job_output 14)" = " 00 00 00 00 00 00 00 00" ] || fail "od /dev/zero: '$(job_output 14)'"
	job_output 15 | grep -qE '^( [0-9a-f]{2}){8}$' || fail "od /dev/urandom: '$(job_output 15)'"
	[ "$(job_output 15)" != " 00 00 00 00 00 00 00 00" ] || fail "/dev/urandom gave zeros"
	[ "$(job_output 16)" = /dev/console ] || fail "readlink -f /dev/stdout: '$(job_output 16)'"
	out=" $(job_output 17 | tr -s ' \n' ' ')"	# ls /proc: its own pid and the machine's files
	for want in 17 cpuinfo meminfo self stat sys uptime; do
		case "$out" in *" $want "*) ;; *) fail "ls /proc lacks $want: '$out'" ;; esac
	done
	out="$(job_output 18)"	# stat, uptime, loadavg, osrelease, version
	[ "$(echo "$out" | grep -cE '^cpu[0-3]? +[0-9]+ 0 0 [0-9]+ 0 0 0 0 0 0$')" = 5 ] ||
		fail "/proc/stat cpu lines: '$out'"
	echo "$out" | awk '/^cpu / { busy = $2; idle = $5 } NF == 2 && /^[0-9]+\.[0-9][0-9] / {
		up = $1; upidle = $2 } END { exit !(up > 0 && upidle <= 4 * up + 0.01 &&
		busy + idle <= 4 * up * 100 + 4 && busy + idle >= 4 * up * 100 - 400) }' ||
		fail "/proc/stat and /proc/uptime disagree: '$out'"
	echo "$out" | grep -qE '^[0-9]+\.00 [0-9]+\.00 [0-9]+\.00 [0-9]+/[0-9]+ 18$' ||
		fail "/proc/loadavg: '$out'"
	echo "$out" | grep -qx '6.1.0-cove' || fail "osrelease"
	echo "$out" | grep -q '^Cove version ' || fail "/proc/version"
	expect_log "cove: all jobs done: 18 run, 0 failed"
	expect_no_log "KERNEL"
}

# The vDSO (issue 19): glibc and musl, static and dynamic, find the time
# calls through AT_SYSINFO_EHDR and make no trap for them (the kernel's own
# count of the thread's entries, which a loop of real system calls moves by
# exactly one a call); every result agrees with the system call's.
scenario_abi_vdso() {
	local name log
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/vdso.jobs"
	expect_status 0
	log="$(tr -d '\r' < "$LOG")"
	[ "$(echo "$log" | grep -c '^vdsotest: ok$')" = 4 ] || fail "vdsotest did not pass 4 times"
	for name in realtime monotonic monotonic_raw realtime_coarse monotonic_coarse boottime \
		    gettimeofday time getcpu; do
		[ "$(echo "$log" | grep -c "^vdsotest: traps $name 0\$")" = 4 ] ||
			fail "$name trapped: $(echo "$log" | grep "traps $name " | tr '\n' ' ')"
	done
	[ "$(echo "$log" | grep -c '^vdsotest: traps syscall 1000$')" = 4 ] ||
		fail "the entry counter did not count 1000 system calls"
	[ "$(echo "$log" | grep -c '^vdsotest: maps ok$')" = 4 ] || fail "no [vdso] in /proc/self/maps"
	expect_log "cove: all jobs done: 4 run, 0 failed"
	expect_no_log "KERNEL"
}

# The debug build checks each accounting crossing's side (cove/acct.h) and
# the allocator after every free: it runs the threads jobs (threads, their
# exits beside sleeping and system-calling siblings, 30 forks each).
scenario_abi_debug_jobs() {
	build_debug "$LOG.build" || { fail "the debug build failed (see $LOG.build)"; return; }
	boot --elf "$BUILD/debug/cove.elf" --smp 4 --mem 512M --initrd "$INITRD" \
		--cmdline "jobs=/tests/threads.jobs" --timeout 150
	expect_status 0
	expect_no_log "BUG:"
	expect_log "cove: all jobs done: 6 run, 0 failed"
}

# Accounting that is true (issue 19): per-thread user and system time by
# the cycle counter at every crossing, checked against work the program
# knows it did (test/abi/cputime.jobs, user/cputime.c states the
# tolerances): a spinning thread's CPU time is its wall time within 10%
# and never more, a sleeping one's under 5 ms, system calls show as system
# time, getrusage, times, /proc/self/stat, wait4 and RUSAGE_CHILDREN agree.
scenario_abi_cputime() {
	local name
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/cputime.jobs" --timeout 120
	expect_status 0
	for name in spin sleep syscalls process times procstat maxrss children monotonic; do
		[ "$(tr -d '\r' < "$LOG" | grep -c "^cputime: $name ok\$")" = 2 ] ||
			fail "cputime: $name did not pass with both libcs"
	done
	[ "$(tr -d '\r' < "$LOG" | grep -c '^cputime: ok$')" = 2 ] || fail "cputime did not pass twice"
	# The job report: 300 ms spun by the rank, 300 ms by its child, in user mode (>= 0.6 s),
	# and 300 ms of system calls (some system time); 32 MiB touched.
	# Its counts: the 300 ms of system calls alone are thousands of kernel entries,
	# and a bare-mode job offloads nothing.
	tr -d '\r' < "$LOG" | awk '/^job [12]: rank 0 used: user / {
		n++; if ($7 + 0 < 0.6 || $10 + 0 < 0.05 || $14 < 32768 || $15 != "KiB;" ||
			$22 < 1000 || $25 != 0) bad = bad " " $0 }
		END { if (bad) print "bad:" bad; exit !(n == 2 && !bad) }' ||
		fail "job report: $(grep -a 'rank 0 used' "$LOG" | tr -d '\r' | tr '\n' ' ')"
	expect_log "cove: all jobs done: 2 run, 0 failed"
	expect_no_log "KERNEL"
}

# Core files (issue 19): a job killed by SIGSEGV (glibc) or SIGABRT (musl)
# leaves an ELF core in its directory that the next job reads back
# (user/corecheck: a thread's registers each, the dying one first inside
# the program's code, each thread's FPU state as Linux writes it with the
# values the SIGSEGV left in xmm0 and ymm1, the auxv, the file map, the
# job's own data); the job's end says "core dumped" with the size. With
# RLIMIT_CORE 0, no core and the end says why.
scenario_abi_core() {
	boot --smp 2 --mem 512M --initrd "$INITRD" --cmdline "jobs=/tests/core.jobs" --timeout 120
	expect_status 4
	expect_job_end 1 "killed by signal 11 \\(SIGSEGV\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_log "corecrash: ymm1 set (AVX)"
	expect_log "corecheck: ok threads=2 signal=11 fpu=avx xcr0=0x7"
	expect_job_end 2 "exited with status 0"
	expect_job_end 3 "killed by signal 6 \\(SIGABRT\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_log "corecheck: ok threads=2 signal=6"
	expect_job_end 4 "exited with status 0"
	expect_job_end 5 "killed by signal 11 \\(SIGSEGV\\); no core file \\(RLIMIT_CORE is 0\\)"
	expect_log "cove: all jobs done: 5 run, 3 failed"
	expect_no_log "KERNEL"
}

# The same on a CPU without XSAVE (nor AVX): the core's FPU state is the
# FXSAVE image alone (NT_PRFPREG, no NT_X86_XSTATE), with both threads'
# values in it (xcr0=0: corecheck found no NT_X86_XSTATE).
scenario_abi_core_fxsave() {
	boot --smp 2 --mem 512M --initrd "$INITRD" --cpu "max,-xsave" \
		--cmdline "jobs=/tests/core_fx.jobs" --timeout 120
	expect_status 4
	expect_log "corecrash: ymm1 not set (no AVX)"
	expect_job_end 1 "killed by signal 11 \\(SIGSEGV\\) \\(core dumped: core, [0-9]+ bytes\\)"
	expect_log "corecheck: ok threads=2 signal=11 fpu=xmm xcr0=0"
	expect_job_end 2 "exited with status 0"
	expect_no_log "KERNEL"
}

# The numa.jobs lines as the Linux guest runs them: our programs and
# numactl under /data, busybox's applets as the guest's own commands.
# bindfull is Cove's alone: Linux overcommits, then kills on touch.
# Linux's automatic NUMA balancing is off, as Cove has none: it moves pages
# on its own and makes move_pages see them absent while it samples them.
numa_linux_cmds() {
	local n=0 line
	echo "echo 0 > /proc/sys/kernel/numa_balancing"
	while IFS= read -r line; do
		case "$line" in '#'*|''|*bindfull*) continue ;; esac
		n=$((n + 1))
		echo "echo '=== job $n'"
		echo "$line" | sed -e 's|^/bin/busybox ||' -e 's|/bin/numactl|/data/numactl|' \
			-e 's|/musl/numatest|/data/numatest-musl|' -e 's|/bin/numatest|/data/numatest|'
	done < test/abi/numa.jobs
}

# NUMA (issue 19): QEMU with two nodes (a CPU and 256 MiB each, 21 apart)
# gives an SRAT and a SLIT; the boot report shows both nodes; user/numatest's mbind, interleave,
# set_mempolicy, move_pages and bad-argument checks pass with both C
# libraries, as does a policy inherited through exec (numactl --membind);
# numactl --hardware and /sys/devices/system/node read the two nodes. Then
# the same jobs on Debian's Linux 6.1 in the same two-node machine: every
# job's output equal (node sizes aside: each kernel holds its own memory).
scenario_abi_numa_two_nodes() {
	local qargs=() a n want got lib=/lib/x86_64-linux-gnu
	boot --smp 2 --mem 512M --numa 2 --initrd "$INITRD" --cmdline "jobs=/tests/numa.jobs" \
		--timeout 300
	expect_status 0
	expect_log "numa: 2 nodes"
	expect_log_re "node0: cpus 0, [0-9]+ MiB, [0-9]+ MiB free, distances 10 21"
	expect_log_re "node1: cpus 1, [0-9]+ MiB, [0-9]+ MiB free, distances 21 10"
	[ "$(tr -d '\r' < "$LOG" | grep -c '^numatest: ok$')" = 2 ] ||
		fail "numatest did not pass with both libcs"
	[ "$(tr -d '\r' < "$LOG" | grep -c '^numatest: inherited bind ok$')" = 2 ] ||
		fail "a policy set by numactl --membind did not place a program's memory"
	job_output 1 | grep -qx "numatest: move ok" || fail "move_pages did not move a page"
	job_output 3 | grep -qx "available: 2 nodes (0-1)" || fail "numactl does not see 2 nodes"
	# More than node 1 holds, bound to it: ENOMEM, and the job goes on.
	job_output 9 | grep -qx "numatest: bind full ENOMEM ok" ||
		fail "a BIND policy over a full node did not give ENOMEM"
	expect_log "cove: all jobs done: 9 run, 0 failed"
	expect_no_log "KERNEL"
	[ -x /usr/bin/numactl ] || { fail "numactl is not installed (scripts/install-deps.sh)"; return; }
	while IFS= read -r a; do
		qargs+=(--qemu-arg "$a")
	done < <(scripts/numa-args.sh 2 2 512)
	scripts/linux-vm.sh --smp 2 --mem 512M --timeout 600 "${qargs[@]}" \
		--add "$BUILD/user/glibc/numatest" --add "$BUILD/user/musl/numatest:/data/numatest-musl" \
		--add /usr/bin/numactl:/data/numactl \
		--add "$(readlink -f $lib/libnuma.so.1):$lib/libnuma.so.1" \
		--add "$(readlink -f $lib/libc.so.6):$lib/libc.so.6" \
		--add "$(readlink -f /lib64/ld-linux-x86-64.so.2):/lib64/ld-linux-x86-64.so.2" \
		--log "$LOG.linux" -- "$(numa_linux_cmds)" >/dev/null 2>&1 ||
		{ fail "the Linux guest did not run the NUMA jobs (log: $LOG.linux)"; return; }
	for n in $(seq 1 8); do
		want="$(tr -d '\r' < "$LOG.linux" | awk -v n="$n" '
			/^=== job / { on = ($3 == n) ; next }
			/^LINUX-VM-EXIT/ { on = 0 }
			on && !/^\[ *[0-9.]+\]/' | grep -Ev '^node [0-9]+ (size|free):')"
		got="$(job_output "$n" | grep -Ev '^node [0-9]+ (size|free):')"
		[ "$want" = "$got" ] ||
			fail "NUMA job $n differs from Linux 6.1: got '$got' want '$want'"
	done
}

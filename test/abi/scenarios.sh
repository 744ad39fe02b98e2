#!/bin/bash
# Linux-ABI scenarios: unmodified static programs run as Cove jobs, from the
# job files in test/abi/*.jobs (packed into the initramfs as /tests/).

INITRD="$BUILD/initramfs.cpio"

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
	expect_log "cove: all jobs done: 4 run, 0 failed"
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
	expect_log_re "job 3: cannot start: /bad/dynamic: dynamically linked"
	expect_log "job 4: cannot start: /bad/script: not an ELF file"
	expect_log "job 5: cannot start: /no/such/program: no such file"
	expect_log_re "job 6: cannot start: /bin/hello: needs [0-9]+ MiB .* but the partition has [0-9]+ MiB free"
	expect_log "job 7: cannot start: 8 ranks but only 4 CPUs for them"
	expect_log "job 8: cannot start: CPU 9 is not in the partition"
	expect_log "job 9: cannot start: unknown job option 'frobnicate=1'"
	expect_log "segfault at 0 ip"
	expect_job_end 10 "killed by signal 11 \\(SIGSEGV\\); no core file \\(Cove does not write them yet\\)"
	expect_log "divide error ip"
	expect_job_end 11 "killed by signal 8 \\(SIGFPE\\); no core file \\(Cove does not write them yet\\)"
	expect_log "invalid opcode ip"
	expect_job_end 12 "killed by signal 4 \\(SIGILL\\); no core file \\(Cove does not write them yet\\)"
	expect_log "(stack overflow)"
	expect_job_end 13 "killed by signal 11 \\(SIGSEGV\\); no core file \\(Cove does not write them yet\\)"
	expect_job_end 14 "killed by signal 6 \\(SIGABRT\\); no core file \\(Cove does not write them yet\\)"
	expect_job_end 15 "killed by signal 11 \\(SIGSEGV\\); no core file \\(Cove does not write them yet\\)"
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
	sigreturn_bad_fpstate_segv
	sigqueue_realtime_in_order rt_tgsigqueueinfo_to_thread sigtimedwait_takes_blocked_pending
	signal_storm_between_threads"

scenario_abi_signals() {
	local c n=0 job out core="; no core file \\(Cove does not write them yet\\)"
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
	data="$(mktemp -d)"
	(cd "$data" && cpio -id --quiet 'data/*') < "$INITRD"
	mkdir -p "$data/tmp"
	while IFS= read -r line; do
		case "$line" in '#'*|'') continue ;; esac
		n=$((n + 1))
		# The job file has no shell: words split on blanks, "double quotes" group.
		want="$(cd "$data" && eval "$(echo "$line" | sed 's/\$/\\$/g')" 2>&1)"
		got="$(job_output $n)"
		[ "$want" = "$got" ] || fail "busybox job $n ($line) differs from the host: got '$got' want '$want'"
		expect_job_end $n "exited with status 0"
	done < test/abi/busybox.jobs
	rm -rf "$data"
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

/* SPDX-License-Identifier: GPL-2.0 */
/* Every system call handler, by family (kernel/syscalls/sys_*.c). */
#ifndef COVE_SYSCALLS_H
#define COVE_SYSCALLS_H

#include <cove/syscall.h>

/* sys_io.c: descriptors and data */
int64_t sys_read(SYSCALL_ARGS);
int64_t sys_write(SYSCALL_ARGS);
int64_t sys_pread64(SYSCALL_ARGS);
int64_t sys_pwrite64(SYSCALL_ARGS);
int64_t sys_readv(SYSCALL_ARGS);
int64_t sys_writev(SYSCALL_ARGS);
int64_t sys_lseek(SYSCALL_ARGS);
int64_t sys_close(SYSCALL_ARGS);
int64_t sys_dup(SYSCALL_ARGS);
int64_t sys_dup2(SYSCALL_ARGS);
int64_t sys_dup3(SYSCALL_ARGS);
int64_t sys_fcntl(SYSCALL_ARGS);
int64_t sys_ioctl(SYSCALL_ARGS);
int64_t sys_fsync(SYSCALL_ARGS);
int64_t sys_poll(SYSCALL_ARGS);
int64_t sys_sendfile(SYSCALL_ARGS);

/* sys_fs.c: names in the file system */
int64_t sys_open(SYSCALL_ARGS);
int64_t sys_openat(SYSCALL_ARGS);
int64_t sys_creat(SYSCALL_ARGS);
int64_t sys_stat(SYSCALL_ARGS);
int64_t sys_lstat(SYSCALL_ARGS);
int64_t sys_fstat(SYSCALL_ARGS);
int64_t sys_newfstatat(SYSCALL_ARGS);
int64_t sys_statx(SYSCALL_ARGS);
int64_t sys_access(SYSCALL_ARGS);
int64_t sys_faccessat(SYSCALL_ARGS);
int64_t sys_faccessat2(SYSCALL_ARGS);
int64_t sys_getdents64(SYSCALL_ARGS);
int64_t sys_readlink(SYSCALL_ARGS);
int64_t sys_readlinkat(SYSCALL_ARGS);
int64_t sys_getcwd(SYSCALL_ARGS);
int64_t sys_chdir(SYSCALL_ARGS);
int64_t sys_fchdir(SYSCALL_ARGS);
int64_t sys_mkdir(SYSCALL_ARGS);
int64_t sys_mkdirat(SYSCALL_ARGS);
int64_t sys_unlink(SYSCALL_ARGS);
int64_t sys_unlinkat(SYSCALL_ARGS);
int64_t sys_rmdir(SYSCALL_ARGS);
int64_t sys_ftruncate(SYSCALL_ARGS);
int64_t sys_truncate(SYSCALL_ARGS);
int64_t sys_umask(SYSCALL_ARGS);
int64_t sys_fchmod(SYSCALL_ARGS);
int64_t sys_chmod(SYSCALL_ARGS);

/* sys_mm.c: memory */
int64_t sys_brk(SYSCALL_ARGS);
int64_t sys_mmap(SYSCALL_ARGS);
int64_t sys_munmap(SYSCALL_ARGS);
int64_t sys_mprotect(SYSCALL_ARGS);
int64_t sys_mremap(SYSCALL_ARGS);
int64_t sys_madvise(SYSCALL_ARGS);
int64_t sys_mlock(SYSCALL_ARGS);

/* sys_task.c: threads and processes */
int64_t sys_clone(SYSCALL_ARGS);
int64_t sys_clone3(SYSCALL_ARGS);
int64_t sys_exit(SYSCALL_ARGS);
int64_t sys_exit_group(SYSCALL_ARGS);
int64_t sys_wait4(SYSCALL_ARGS);
int64_t sys_set_tid_address(SYSCALL_ARGS);
int64_t sys_set_robust_list(SYSCALL_ARGS);
int64_t sys_get_robust_list(SYSCALL_ARGS);
int64_t sys_rseq(SYSCALL_ARGS);
int64_t sys_arch_prctl(SYSCALL_ARGS);
int64_t sys_prctl(SYSCALL_ARGS);
int64_t sys_getpid(SYSCALL_ARGS);
int64_t sys_cove_fault_inject(SYSCALL_ARGS);
int64_t sys_gettid(SYSCALL_ARGS);
int64_t sys_getppid(SYSCALL_ARGS);
int64_t sys_futex(SYSCALL_ARGS);

/* sys_sched.c: CPUs */
int64_t sys_sched_yield(SYSCALL_ARGS);
int64_t sys_sched_getaffinity(SYSCALL_ARGS);
int64_t sys_sched_setaffinity(SYSCALL_ARGS);
int64_t sys_getcpu(SYSCALL_ARGS);
int64_t sys_sched_getscheduler(SYSCALL_ARGS);
int64_t sys_sched_getparam(SYSCALL_ARGS);

/* sys_time.c: clocks and sleeping */
int64_t sys_clock_gettime(SYSCALL_ARGS);
int64_t sys_clock_getres(SYSCALL_ARGS);
int64_t sys_gettimeofday(SYSCALL_ARGS);
int64_t sys_time(SYSCALL_ARGS);
int64_t sys_nanosleep(SYSCALL_ARGS);
int64_t sys_clock_nanosleep(SYSCALL_ARGS);
int64_t sys_times(SYSCALL_ARGS);
int64_t sys_getrusage(SYSCALL_ARGS);

/* sys_info.c: identity, limits, randomness */
int64_t sys_uname(SYSCALL_ARGS);
int64_t sys_sysinfo(SYSCALL_ARGS);
int64_t sys_getrandom(SYSCALL_ARGS);
int64_t sys_prlimit64(SYSCALL_ARGS);
int64_t sys_getrlimit(SYSCALL_ARGS);
int64_t sys_setrlimit(SYSCALL_ARGS);
int64_t sys_getuid(SYSCALL_ARGS);
int64_t sys_getpgrp(SYSCALL_ARGS);
int64_t sys_setpgid(SYSCALL_ARGS);
int64_t sys_setsid(SYSCALL_ARGS);
int64_t sys_getgroups(SYSCALL_ARGS);

/* sys_signal.c: signals (default actions) */
int64_t sys_rt_sigaction(SYSCALL_ARGS);
int64_t sys_rt_sigprocmask(SYSCALL_ARGS);
int64_t sys_sigaltstack(SYSCALL_ARGS);
int64_t sys_kill(SYSCALL_ARGS);
int64_t sys_tkill(SYSCALL_ARGS);
int64_t sys_tgkill(SYSCALL_ARGS);

#endif /* COVE_SYSCALLS_H */

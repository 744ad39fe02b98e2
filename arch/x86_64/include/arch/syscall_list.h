/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of system calls, in Linux x86-64 numbering: for each number
 * its name and either Cove's handler (NATIVE) or MISSING (the call returns
 * ENOSYS and is named once on the console). From it come the __NR_*
 * constants below, the handlers' prototypes (cove/syscalls.h), and the
 * dispatch table with every name (kernel/syscalls/table.c). A number not
 * listed is ENOSYS too, reported as "an unnamed call". Cove's own test
 * calls come last, from COVE_SYSCALL_BASE (cove/syscall.h).
 *
 * A new call is one line here and its handler in kernel/syscalls/sys_*.c
 * (arch_prctl, x86's own, is in arch/x86_64/kernel/).
 */
#ifndef ARCH_SYSCALL_LIST_H
#define ARCH_SYSCALL_LIST_H

#include <cove/fault_kinds.h>

#define SYSCALL_LIST(NATIVE, MISSING)					\
	NATIVE(0, read, sys_read)					\
	NATIVE(1, write, sys_write)					\
	NATIVE(2, open, sys_open)					\
	NATIVE(3, close, sys_close)					\
	NATIVE(4, stat, sys_stat)					\
	NATIVE(5, fstat, sys_fstat)					\
	NATIVE(6, lstat, sys_lstat)					\
	NATIVE(7, poll, sys_poll)					\
	NATIVE(8, lseek, sys_lseek)					\
	NATIVE(9, mmap, sys_mmap)					\
	NATIVE(10, mprotect, sys_mprotect)				\
	NATIVE(11, munmap, sys_munmap)					\
	NATIVE(12, brk, sys_brk)					\
	NATIVE(13, rt_sigaction, sys_rt_sigaction)			\
	NATIVE(14, rt_sigprocmask, sys_rt_sigprocmask)			\
	NATIVE(15, rt_sigreturn, sys_rt_sigreturn)			\
	NATIVE(16, ioctl, sys_ioctl)					\
	NATIVE(17, pread64, sys_pread64)				\
	NATIVE(18, pwrite64, sys_pwrite64)				\
	NATIVE(19, readv, sys_readv)					\
	NATIVE(20, writev, sys_writev)					\
	NATIVE(21, access, sys_access)					\
	MISSING(22, pipe)						\
	MISSING(23, select)						\
	NATIVE(24, sched_yield, sys_sched_yield)			\
	NATIVE(25, mremap, sys_mremap)					\
	MISSING(26, msync)						\
	MISSING(27, mincore)						\
	NATIVE(28, madvise, sys_madvise)				\
	MISSING(29, shmget)						\
	MISSING(30, shmat)						\
	MISSING(31, shmctl)						\
	NATIVE(32, dup, sys_dup)					\
	NATIVE(33, dup2, sys_dup2)					\
	NATIVE(34, pause, sys_pause)					\
	NATIVE(35, nanosleep, sys_nanosleep)				\
	NATIVE(36, getitimer, sys_getitimer)				\
	NATIVE(37, alarm, sys_alarm)					\
	NATIVE(38, setitimer, sys_setitimer)				\
	NATIVE(39, getpid, sys_getpid)					\
	NATIVE(40, sendfile, sys_sendfile)				\
	MISSING(41, socket)						\
	MISSING(42, connect)						\
	MISSING(43, accept)						\
	MISSING(44, sendto)						\
	MISSING(45, recvfrom)						\
	MISSING(46, sendmsg)						\
	MISSING(47, recvmsg)						\
	MISSING(48, shutdown)						\
	MISSING(49, bind)						\
	MISSING(50, listen)						\
	MISSING(51, getsockname)					\
	MISSING(52, getpeername)					\
	MISSING(53, socketpair)						\
	MISSING(54, setsockopt)						\
	MISSING(55, getsockopt)						\
	NATIVE(56, clone, sys_clone)					\
	MISSING(57, fork)						\
	MISSING(58, vfork)						\
	MISSING(59, execve)						\
	NATIVE(60, exit, sys_exit)					\
	NATIVE(61, wait4, sys_wait4)					\
	NATIVE(62, kill, sys_kill)					\
	NATIVE(63, uname, sys_uname)					\
	MISSING(64, semget)						\
	MISSING(65, semop)						\
	MISSING(66, semctl)						\
	MISSING(67, shmdt)						\
	MISSING(68, msgget)						\
	NATIVE(72, fcntl, sys_fcntl)					\
	MISSING(73, flock)						\
	NATIVE(74, fsync, sys_fsync)					\
	NATIVE(75, fdatasync, sys_fsync)				\
	NATIVE(76, truncate, sys_truncate)				\
	NATIVE(77, ftruncate, sys_ftruncate)				\
	MISSING(78, getdents)						\
	NATIVE(79, getcwd, sys_getcwd)					\
	NATIVE(80, chdir, sys_chdir)					\
	NATIVE(81, fchdir, sys_fchdir)					\
	MISSING(82, rename)						\
	NATIVE(83, mkdir, sys_mkdir)					\
	NATIVE(84, rmdir, sys_rmdir)					\
	NATIVE(85, creat, sys_creat)					\
	MISSING(86, link)						\
	NATIVE(87, unlink, sys_unlink)					\
	MISSING(88, symlink)						\
	NATIVE(89, readlink, sys_readlink)				\
	NATIVE(90, chmod, sys_chmod)					\
	NATIVE(91, fchmod, sys_fchmod)					\
	MISSING(92, chown)						\
	MISSING(93, fchown)						\
	MISSING(94, lchown)						\
	NATIVE(95, umask, sys_umask)					\
	NATIVE(96, gettimeofday, sys_gettimeofday)			\
	NATIVE(97, getrlimit, sys_getrlimit)				\
	NATIVE(98, getrusage, sys_getrusage)				\
	NATIVE(99, sysinfo, sys_sysinfo)				\
	NATIVE(100, times, sys_times)					\
	MISSING(101, ptrace)						\
	NATIVE(102, getuid, sys_getuid)					\
	MISSING(103, syslog)						\
	NATIVE(104, getgid, sys_getuid)					\
	NATIVE(105, setuid, sys_getuid)					\
	NATIVE(106, setgid, sys_getuid)					\
	NATIVE(107, geteuid, sys_getuid)				\
	NATIVE(108, getegid, sys_getuid)				\
	NATIVE(109, setpgid, sys_setpgid)				\
	NATIVE(110, getppid, sys_getppid)				\
	NATIVE(111, getpgrp, sys_getpgrp)				\
	NATIVE(112, setsid, sys_setsid)					\
	MISSING(113, setreuid)						\
	MISSING(114, setregid)						\
	NATIVE(115, getgroups, sys_getgroups)				\
	MISSING(116, setgroups)						\
	MISSING(117, setresuid)						\
	MISSING(118, getresuid)						\
	MISSING(119, setresgid)						\
	MISSING(120, getresgid)						\
	NATIVE(121, getpgid, sys_getpgrp)				\
	MISSING(122, setfsuid)						\
	MISSING(123, setfsgid)						\
	NATIVE(124, getsid, sys_getpgrp)				\
	MISSING(125, capget)						\
	MISSING(126, capset)						\
	NATIVE(127, rt_sigpending, sys_rt_sigpending)			\
	NATIVE(128, rt_sigtimedwait, sys_rt_sigtimedwait)		\
	NATIVE(129, rt_sigqueueinfo, sys_rt_sigqueueinfo)		\
	NATIVE(130, rt_sigsuspend, sys_rt_sigsuspend)			\
	NATIVE(131, sigaltstack, sys_sigaltstack)			\
	MISSING(132, utime)						\
	MISSING(133, mknod)						\
	MISSING(137, statfs)						\
	MISSING(138, fstatfs)						\
	MISSING(140, getpriority)					\
	MISSING(141, setpriority)					\
	MISSING(142, sched_setparam)					\
	NATIVE(143, sched_getparam, sys_sched_getparam)			\
	MISSING(144, sched_setscheduler)				\
	NATIVE(145, sched_getscheduler, sys_sched_getscheduler)		\
	MISSING(146, sched_get_priority_max)				\
	MISSING(147, sched_get_priority_min)				\
	MISSING(148, sched_rr_get_interval)				\
	NATIVE(149, mlock, sys_mlock)					\
	NATIVE(150, munlock, sys_mlock)					\
	MISSING(151, mlockall)						\
	MISSING(152, munlockall)					\
	NATIVE(157, prctl, sys_prctl)					\
	NATIVE(158, arch_prctl, sys_arch_prctl)				\
	NATIVE(160, setrlimit, sys_setrlimit)				\
	MISSING(161, chroot)						\
	MISSING(162, sync)						\
	MISSING(165, mount)						\
	MISSING(166, umount2)						\
	MISSING(169, reboot)						\
	MISSING(170, sethostname)					\
	NATIVE(186, gettid, sys_gettid)					\
	NATIVE(200, tkill, sys_tkill)					\
	NATIVE(201, time, sys_time)					\
	NATIVE(202, futex, sys_futex)					\
	NATIVE(203, sched_setaffinity, sys_sched_setaffinity)		\
	NATIVE(204, sched_getaffinity, sys_sched_getaffinity)		\
	MISSING(213, epoll_create)					\
	NATIVE(217, getdents64, sys_getdents64)				\
	NATIVE(218, set_tid_address, sys_set_tid_address)		\
	MISSING(221, fadvise64)						\
	NATIVE(222, timer_create, sys_timer_create)			\
	NATIVE(223, timer_settime, sys_timer_settime)			\
	NATIVE(224, timer_gettime, sys_timer_gettime)			\
	NATIVE(225, timer_getoverrun, sys_timer_getoverrun)		\
	NATIVE(226, timer_delete, sys_timer_delete)			\
	NATIVE(228, clock_gettime, sys_clock_gettime)			\
	NATIVE(229, clock_getres, sys_clock_getres)			\
	NATIVE(230, clock_nanosleep, sys_clock_nanosleep)		\
	NATIVE(231, exit_group, sys_exit_group)				\
	MISSING(232, epoll_wait)					\
	MISSING(233, epoll_ctl)						\
	NATIVE(234, tgkill, sys_tgkill)					\
	MISSING(235, utimes)						\
	MISSING(247, waitid)						\
	MISSING(253, inotify_init)					\
	NATIVE(257, openat, sys_openat)					\
	NATIVE(258, mkdirat, sys_mkdirat)				\
	NATIVE(262, newfstatat, sys_newfstatat)				\
	NATIVE(263, unlinkat, sys_unlinkat)				\
	MISSING(264, renameat)						\
	MISSING(265, linkat)						\
	MISSING(266, symlinkat)						\
	NATIVE(267, readlinkat, sys_readlinkat)				\
	MISSING(268, fchmodat)						\
	NATIVE(269, faccessat, sys_faccessat)				\
	MISSING(270, pselect6)						\
	MISSING(271, ppoll)						\
	NATIVE(273, set_robust_list, sys_set_robust_list)		\
	NATIVE(274, get_robust_list, sys_get_robust_list)		\
	MISSING(275, splice)						\
	MISSING(280, utimensat)						\
	MISSING(281, epoll_pwait)					\
	MISSING(282, signalfd)						\
	MISSING(283, timerfd_create)					\
	MISSING(284, eventfd)						\
	MISSING(285, fallocate)						\
	MISSING(288, accept4)						\
	MISSING(290, eventfd2)						\
	MISSING(291, epoll_create1)					\
	NATIVE(292, dup3, sys_dup3)					\
	MISSING(293, pipe2)						\
	MISSING(295, preadv)						\
	MISSING(296, pwritev)						\
	NATIVE(297, rt_tgsigqueueinfo, sys_rt_tgsigqueueinfo)		\
	NATIVE(302, prlimit64, sys_prlimit64)				\
	NATIVE(309, getcpu, sys_getcpu)					\
	MISSING(316, renameat2)						\
	NATIVE(318, getrandom, sys_getrandom)				\
	MISSING(319, memfd_create)					\
	MISSING(322, execveat)						\
	MISSING(324, membarrier)					\
	MISSING(326, copy_file_range)					\
	MISSING(327, preadv2)						\
	MISSING(328, pwritev2)						\
	NATIVE(332, statx, sys_statx)					\
	NATIVE(334, rseq, sys_rseq)					\
	MISSING(424, pidfd_send_signal)					\
	MISSING(425, io_uring_setup)					\
	MISSING(434, pidfd_open)					\
	NATIVE(435, clone3, sys_clone3)					\
	MISSING(436, close_range)					\
	NATIVE(439, faccessat2, sys_faccessat2)				\
	NATIVE(COVE_SYS_FAULT_INJECT, cove_fault_inject, sys_cove_fault_inject)

/* The numbers by name: __NR_read, __NR_cove_fault_inject, ... */
#define SYSCALL_NR_NATIVE(nr, name, fn) __NR_##name = (nr),
#define SYSCALL_NR_MISSING(nr, name) __NR_##name = (nr),
enum syscall_nr {
	SYSCALL_LIST(SYSCALL_NR_NATIVE, SYSCALL_NR_MISSING)
};
#undef SYSCALL_NR_NATIVE
#undef SYSCALL_NR_MISSING

#endif /* ARCH_SYSCALL_LIST_H */

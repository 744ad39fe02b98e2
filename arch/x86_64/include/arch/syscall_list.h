/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of system calls, in Linux x86-64 numbering, every call Linux
 * has. Each number says where the call is served:
 *   NATIVE(nr, name, handler)         by Cove, always;
 *   ROUTED(nr, name, handler, route)  by Cove when its object is the
 *       enclave's (a descriptor in Cove's table, a path under /proc, /sys,
 *       /dev, anything in bare mode), else by the job's host proxy -- the
 *       route says which argument decides (cove/offload.h);
 *   OFFLOAD(nr, name)                 by the job's host proxy, which makes
 *       the very call on Linux with the job's memory mapped at the same
 *       addresses (ENOSYS in bare mode: there is no host);
 *   MISSING(nr, name)                 nowhere: ENOSYS, named once on the
 *       console. These are calls a proxy would make on itself rather than
 *       for the job (ptrace, seccomp ...), not yet native.
 * From it come the __NR_* constants below, the handlers' prototypes
 * (cove/syscalls.h), and the dispatch table (kernel/syscalls/table.c).
 * Cove's own test calls come last, from COVE_SYSCALL_BASE (cove/syscall.h).
 *
 * A new native call is one line here and its handler in
 * kernel/syscalls/sys_*.c (arch_prctl, x86's own, is in arch/x86_64/kernel/).
 */
#ifndef ARCH_SYSCALL_LIST_H
#define ARCH_SYSCALL_LIST_H

#include <cove/fault_kinds.h>
#include <cove/xemem_user.h>

#define SYSCALL_LIST(NATIVE, MISSING, OFFLOAD, ROUTED)		\
	ROUTED(0, read, sys_read, ROUTE_FD(0))				\
	ROUTED(1, write, sys_write, ROUTE_FD(0))			\
	ROUTED(2, open, sys_open, ROUTE_PATH(-1, 0))			\
	ROUTED(3, close, sys_close, ROUTE_FD(0))			\
	ROUTED(4, stat, sys_stat, ROUTE_PATH(-1, 0))			\
	ROUTED(5, fstat, sys_fstat, ROUTE_FD(0))			\
	ROUTED(6, lstat, sys_lstat, ROUTE_PATH(-1, 0))			\
	ROUTED(7, poll, sys_poll, ROUTE_POLL)				\
	ROUTED(8, lseek, sys_lseek, ROUTE_FD(0))			\
	NATIVE(9, mmap, sys_mmap)					\
	NATIVE(10, mprotect, sys_mprotect)				\
	NATIVE(11, munmap, sys_munmap)					\
	NATIVE(12, brk, sys_brk)					\
	NATIVE(13, rt_sigaction, sys_rt_sigaction)			\
	NATIVE(14, rt_sigprocmask, sys_rt_sigprocmask)			\
	NATIVE(15, rt_sigreturn, sys_rt_sigreturn)			\
	ROUTED(16, ioctl, sys_ioctl, ROUTE_FD(0))			\
	ROUTED(17, pread64, sys_pread64, ROUTE_FD(0))			\
	ROUTED(18, pwrite64, sys_pwrite64, ROUTE_FD(0))			\
	ROUTED(19, readv, sys_readv, ROUTE_FD(0))			\
	ROUTED(20, writev, sys_writev, ROUTE_FD(0))			\
	ROUTED(21, access, sys_access, ROUTE_PATH(-1, 0))		\
	ROUTED(22, pipe, sys_pipe, ROUTE_HOST)			\
	ROUTED(23, select, sys_select_routed, ROUTE_SELF)		\
	NATIVE(24, sched_yield, sys_sched_yield)			\
	NATIVE(25, mremap, sys_mremap)					\
	NATIVE(26, msync, sys_msync)					\
	MISSING(27, mincore)						\
	NATIVE(28, madvise, sys_madvise)				\
	NATIVE(29, shmget, sys_shmget)					\
	NATIVE(30, shmat, sys_shmat)					\
	NATIVE(31, shmctl, sys_shmctl)					\
	ROUTED(32, dup, sys_dup, ROUTE_FD(0))				\
	ROUTED(33, dup2, sys_dup2_routed, ROUTE_SELF)	\
	NATIVE(34, pause, sys_pause)					\
	NATIVE(35, nanosleep, sys_nanosleep)				\
	NATIVE(36, getitimer, sys_getitimer)				\
	NATIVE(37, alarm, sys_alarm)					\
	NATIVE(38, setitimer, sys_setitimer)				\
	NATIVE(39, getpid, sys_getpid)					\
	ROUTED(40, sendfile, sys_sendfile, ROUTE_FD2(0, 1))		\
	OFFLOAD(41, socket)						\
	OFFLOAD(42, connect)						\
	OFFLOAD(43, accept)						\
	OFFLOAD(44, sendto)						\
	OFFLOAD(45, recvfrom)						\
	OFFLOAD(46, sendmsg)						\
	OFFLOAD(47, recvmsg)						\
	OFFLOAD(48, shutdown)						\
	OFFLOAD(49, bind)						\
	OFFLOAD(50, listen)						\
	OFFLOAD(51, getsockname)					\
	OFFLOAD(52, getpeername)					\
	OFFLOAD(53, socketpair)						\
	OFFLOAD(54, setsockopt)						\
	OFFLOAD(55, getsockopt)						\
	NATIVE(56, clone, sys_clone)					\
	NATIVE(57, fork, sys_fork)					\
	NATIVE(58, vfork, sys_vfork)					\
	NATIVE(59, execve, sys_execve)				\
	NATIVE(60, exit, sys_exit)					\
	NATIVE(61, wait4, sys_wait4)					\
	NATIVE(62, kill, sys_kill)					\
	ROUTED(63, uname, sys_uname, ROUTE_HOST)			\
	OFFLOAD(64, semget)						\
	OFFLOAD(65, semop)						\
	OFFLOAD(66, semctl)						\
	NATIVE(67, shmdt, sys_shmdt)					\
	OFFLOAD(68, msgget)						\
	OFFLOAD(69, msgsnd)						\
	OFFLOAD(70, msgrcv)						\
	OFFLOAD(71, msgctl)						\
	ROUTED(72, fcntl, sys_fcntl, ROUTE_FD(0))			\
	OFFLOAD(73, flock)						\
	ROUTED(74, fsync, sys_fsync, ROUTE_FD(0))			\
	ROUTED(75, fdatasync, sys_fsync, ROUTE_FD(0))			\
	ROUTED(76, truncate, sys_truncate, ROUTE_PATH(-1, 0))		\
	ROUTED(77, ftruncate, sys_ftruncate, ROUTE_FD(0))		\
	OFFLOAD(78, getdents)						\
	ROUTED(79, getcwd, sys_getcwd_routed, ROUTE_SELF)	\
	ROUTED(80, chdir, sys_chdir_routed, ROUTE_SELF)	\
	ROUTED(81, fchdir, sys_fchdir_routed, ROUTE_SELF)	\
	ROUTED(82, rename, sys_rename_routed, ROUTE_SELF)	\
	ROUTED(83, mkdir, sys_mkdir, ROUTE_PATH(-1, 0))			\
	ROUTED(84, rmdir, sys_rmdir, ROUTE_PATH(-1, 0))			\
	ROUTED(85, creat, sys_creat, ROUTE_PATH(-1, 0))			\
	ROUTED(86, link, sys_link_routed, ROUTE_SELF)		\
	ROUTED(87, unlink, sys_unlink, ROUTE_PATH(-1, 0))		\
	OFFLOAD(88, symlink)						\
	ROUTED(89, readlink, sys_readlink, ROUTE_PATH(-1, 0))		\
	ROUTED(90, chmod, sys_chmod, ROUTE_PATH(-1, 0))			\
	ROUTED(91, fchmod, sys_fchmod, ROUTE_FD(0))			\
	OFFLOAD(92, chown)						\
	OFFLOAD(93, fchown)						\
	OFFLOAD(94, lchown)						\
	ROUTED(95, umask, sys_umask, ROUTE_HOST)			\
	NATIVE(96, gettimeofday, sys_gettimeofday)			\
	NATIVE(97, getrlimit, sys_getrlimit)				\
	NATIVE(98, getrusage, sys_getrusage)				\
	NATIVE(99, sysinfo, sys_sysinfo)				\
	NATIVE(100, times, sys_times)					\
	MISSING(101, ptrace)						\
	ROUTED(102, getuid, sys_getuid, ROUTE_HOST)			\
	OFFLOAD(103, syslog)						\
	ROUTED(104, getgid, sys_getuid, ROUTE_HOST)			\
	ROUTED(105, setuid, sys_getuid, ROUTE_HOST)			\
	ROUTED(106, setgid, sys_getuid, ROUTE_HOST)			\
	ROUTED(107, geteuid, sys_getuid, ROUTE_HOST)			\
	ROUTED(108, getegid, sys_getuid, ROUTE_HOST)			\
	NATIVE(109, setpgid, sys_setpgid)				\
	NATIVE(110, getppid, sys_getppid)				\
	NATIVE(111, getpgrp, sys_getpgrp)				\
	NATIVE(112, setsid, sys_setsid)					\
	OFFLOAD(113, setreuid)						\
	OFFLOAD(114, setregid)						\
	ROUTED(115, getgroups, sys_getgroups, ROUTE_HOST)		\
	OFFLOAD(116, setgroups)						\
	OFFLOAD(117, setresuid)						\
	OFFLOAD(118, getresuid)						\
	OFFLOAD(119, setresgid)						\
	OFFLOAD(120, getresgid)						\
	NATIVE(121, getpgid, sys_getpgrp)				\
	OFFLOAD(122, setfsuid)						\
	OFFLOAD(123, setfsgid)						\
	NATIVE(124, getsid, sys_getpgrp)				\
	OFFLOAD(125, capget)						\
	OFFLOAD(126, capset)						\
	NATIVE(127, rt_sigpending, sys_rt_sigpending)			\
	NATIVE(128, rt_sigtimedwait, sys_rt_sigtimedwait)		\
	NATIVE(129, rt_sigqueueinfo, sys_rt_sigqueueinfo)		\
	NATIVE(130, rt_sigsuspend, sys_rt_sigsuspend)			\
	NATIVE(131, sigaltstack, sys_sigaltstack)			\
	OFFLOAD(132, utime)						\
	OFFLOAD(133, mknod)						\
	MISSING(134, uselib)						\
	MISSING(135, personality)					\
	OFFLOAD(136, ustat)						\
	OFFLOAD(137, statfs)						\
	OFFLOAD(138, fstatfs)						\
	OFFLOAD(139, sysfs)						\
	NATIVE(140, getpriority, sys_getpriority)			\
	NATIVE(141, setpriority, sys_setpriority)			\
	NATIVE(142, sched_setparam, sys_sched_setparam)			\
	NATIVE(143, sched_getparam, sys_sched_getparam)			\
	NATIVE(144, sched_setscheduler, sys_sched_setscheduler)		\
	NATIVE(145, sched_getscheduler, sys_sched_getscheduler)		\
	NATIVE(146, sched_get_priority_max, sys_sched_get_priority_max)	\
	NATIVE(147, sched_get_priority_min, sys_sched_get_priority_min)	\
	NATIVE(148, sched_rr_get_interval, sys_sched_rr_get_interval)	\
	NATIVE(149, mlock, sys_mlock)					\
	NATIVE(150, munlock, sys_mlock)					\
	NATIVE(151, mlockall, sys_mlockall)				\
	NATIVE(152, munlockall, sys_munlockall)				\
	OFFLOAD(153, vhangup)						\
	MISSING(154, modify_ldt)					\
	OFFLOAD(155, pivot_root)					\
	MISSING(156, _sysctl)						\
	NATIVE(157, prctl, sys_prctl)					\
	NATIVE(158, arch_prctl, sys_arch_prctl)				\
	OFFLOAD(159, adjtimex)						\
	NATIVE(160, setrlimit, sys_setrlimit)				\
	OFFLOAD(161, chroot)						\
	OFFLOAD(162, sync)						\
	OFFLOAD(163, acct)						\
	OFFLOAD(164, settimeofday)					\
	OFFLOAD(165, mount)						\
	OFFLOAD(166, umount2)						\
	OFFLOAD(167, swapon)						\
	OFFLOAD(168, swapoff)						\
	OFFLOAD(169, reboot)						\
	OFFLOAD(170, sethostname)					\
	OFFLOAD(171, setdomainname)					\
	MISSING(172, iopl)						\
	MISSING(173, ioperm)						\
	MISSING(174, create_module)					\
	MISSING(175, init_module)					\
	MISSING(176, delete_module)					\
	MISSING(177, get_kernel_syms)					\
	MISSING(178, query_module)					\
	OFFLOAD(179, quotactl)						\
	MISSING(180, nfsservctl)					\
	MISSING(181, getpmsg)						\
	MISSING(182, putpmsg)						\
	MISSING(183, afs_syscall)					\
	MISSING(184, tuxcall)						\
	MISSING(185, security)						\
	NATIVE(186, gettid, sys_gettid)					\
	OFFLOAD(187, readahead)						\
	OFFLOAD(188, setxattr)						\
	OFFLOAD(189, lsetxattr)						\
	OFFLOAD(190, fsetxattr)						\
	OFFLOAD(191, getxattr)						\
	OFFLOAD(192, lgetxattr)						\
	OFFLOAD(193, fgetxattr)						\
	OFFLOAD(194, listxattr)						\
	OFFLOAD(195, llistxattr)					\
	OFFLOAD(196, flistxattr)					\
	OFFLOAD(197, removexattr)					\
	OFFLOAD(198, lremovexattr)					\
	OFFLOAD(199, fremovexattr)					\
	NATIVE(200, tkill, sys_tkill)					\
	NATIVE(201, time, sys_time)					\
	NATIVE(202, futex, sys_futex)					\
	NATIVE(203, sched_setaffinity, sys_sched_setaffinity)		\
	NATIVE(204, sched_getaffinity, sys_sched_getaffinity)		\
	MISSING(205, set_thread_area)					\
	OFFLOAD(206, io_setup)						\
	OFFLOAD(207, io_destroy)					\
	OFFLOAD(208, io_getevents)					\
	OFFLOAD(209, io_submit)						\
	OFFLOAD(210, io_cancel)						\
	MISSING(211, get_thread_area)					\
	MISSING(212, lookup_dcookie)					\
	OFFLOAD(213, epoll_create)					\
	MISSING(214, epoll_ctl_old)					\
	MISSING(215, epoll_wait_old)					\
	MISSING(216, remap_file_pages)					\
	ROUTED(217, getdents64, sys_getdents64, ROUTE_FD(0))		\
	NATIVE(218, set_tid_address, sys_set_tid_address)		\
	MISSING(219, restart_syscall)					\
	OFFLOAD(220, semtimedop)					\
	ROUTED(221, fadvise64, sys_fadvise64, ROUTE_FD(0))		\
	NATIVE(222, timer_create, sys_timer_create)			\
	NATIVE(223, timer_settime, sys_timer_settime)			\
	NATIVE(224, timer_gettime, sys_timer_gettime)			\
	NATIVE(225, timer_getoverrun, sys_timer_getoverrun)		\
	NATIVE(226, timer_delete, sys_timer_delete)			\
	OFFLOAD(227, clock_settime)					\
	NATIVE(228, clock_gettime, sys_clock_gettime)			\
	NATIVE(229, clock_getres, sys_clock_getres)			\
	NATIVE(230, clock_nanosleep, sys_clock_nanosleep)		\
	NATIVE(231, exit_group, sys_exit_group)				\
	OFFLOAD(232, epoll_wait)					\
	OFFLOAD(233, epoll_ctl)						\
	NATIVE(234, tgkill, sys_tgkill)					\
	OFFLOAD(235, utimes)						\
	MISSING(236, vserver)						\
	NATIVE(237, mbind, sys_mbind)					\
	NATIVE(238, set_mempolicy, sys_set_mempolicy)			\
	NATIVE(239, get_mempolicy, sys_get_mempolicy)			\
	OFFLOAD(240, mq_open)						\
	OFFLOAD(241, mq_unlink)						\
	OFFLOAD(242, mq_timedsend)					\
	OFFLOAD(243, mq_timedreceive)					\
	OFFLOAD(244, mq_notify)						\
	OFFLOAD(245, mq_getsetattr)					\
	MISSING(246, kexec_load)					\
	NATIVE(247, waitid, sys_waitid)				\
	OFFLOAD(248, add_key)						\
	OFFLOAD(249, request_key)					\
	OFFLOAD(250, keyctl)						\
	MISSING(251, ioprio_set)					\
	MISSING(252, ioprio_get)					\
	OFFLOAD(253, inotify_init)					\
	OFFLOAD(254, inotify_add_watch)					\
	OFFLOAD(255, inotify_rm_watch)					\
	NATIVE(256, migrate_pages, sys_migrate_pages)			\
	ROUTED(257, openat, sys_openat, ROUTE_PATH(0, 1))		\
	ROUTED(258, mkdirat, sys_mkdirat, ROUTE_PATH(0, 1))		\
	OFFLOAD(259, mknodat)						\
	OFFLOAD(260, fchownat)						\
	OFFLOAD(261, futimesat)						\
	ROUTED(262, newfstatat, sys_newfstatat, ROUTE_PATH(0, 1))	\
	ROUTED(263, unlinkat, sys_unlinkat, ROUTE_PATH(0, 1))		\
	ROUTED(264, renameat, sys_renameat_routed, ROUTE_SELF)	\
	ROUTED(265, linkat, sys_linkat_routed, ROUTE_SELF)	\
	OFFLOAD(266, symlinkat)						\
	ROUTED(267, readlinkat, sys_readlinkat, ROUTE_PATH(0, 1))	\
	OFFLOAD(268, fchmodat)						\
	ROUTED(269, faccessat, sys_faccessat, ROUTE_PATH(0, 1))		\
	ROUTED(270, pselect6, sys_pselect6_routed, ROUTE_SELF)		\
	ROUTED(271, ppoll, sys_ppoll, ROUTE_POLL)			\
	MISSING(272, unshare)						\
	NATIVE(273, set_robust_list, sys_set_robust_list)		\
	NATIVE(274, get_robust_list, sys_get_robust_list)		\
	OFFLOAD(275, splice)						\
	OFFLOAD(276, tee)						\
	OFFLOAD(277, sync_file_range)					\
	OFFLOAD(278, vmsplice)						\
	NATIVE(279, move_pages, sys_move_pages)				\
	OFFLOAD(280, utimensat)						\
	OFFLOAD(281, epoll_pwait)					\
	MISSING(282, signalfd)						\
	OFFLOAD(283, timerfd_create)					\
	OFFLOAD(284, eventfd)						\
	ROUTED(285, fallocate, sys_fallocate, ROUTE_FD(0))		\
	OFFLOAD(286, timerfd_settime)					\
	OFFLOAD(287, timerfd_gettime)					\
	OFFLOAD(288, accept4)						\
	MISSING(289, signalfd4)						\
	OFFLOAD(290, eventfd2)						\
	OFFLOAD(291, epoll_create1)					\
	ROUTED(292, dup3, sys_dup3_routed, ROUTE_SELF)	\
	ROUTED(293, pipe2, sys_pipe2, ROUTE_HOST)		\
	OFFLOAD(294, inotify_init1)					\
	OFFLOAD(295, preadv)						\
	OFFLOAD(296, pwritev)						\
	NATIVE(297, rt_tgsigqueueinfo, sys_rt_tgsigqueueinfo)		\
	NATIVE(298, perf_event_open, sys_perf_event_open)		\
	OFFLOAD(299, recvmmsg)						\
	OFFLOAD(300, fanotify_init)					\
	OFFLOAD(301, fanotify_mark)					\
	NATIVE(302, prlimit64, sys_prlimit64)				\
	OFFLOAD(303, name_to_handle_at)					\
	OFFLOAD(304, open_by_handle_at)					\
	OFFLOAD(305, clock_adjtime)					\
	OFFLOAD(306, syncfs)						\
	OFFLOAD(307, sendmmsg)						\
	MISSING(308, setns)						\
	NATIVE(309, getcpu, sys_getcpu)					\
	NATIVE(310, process_vm_readv, sys_process_vm_readv)		\
	NATIVE(311, process_vm_writev, sys_process_vm_writev)		\
	MISSING(312, kcmp)						\
	MISSING(313, finit_module)					\
	OFFLOAD(314, sched_setattr)					\
	OFFLOAD(315, sched_getattr)					\
	ROUTED(316, renameat2, sys_renameat2_routed, ROUTE_SELF)	\
	MISSING(317, seccomp)						\
	NATIVE(318, getrandom, sys_getrandom)				\
	NATIVE(319, memfd_create, sys_memfd_create)			\
	MISSING(320, kexec_file_load)					\
	OFFLOAD(321, bpf)						\
	NATIVE(322, execveat, sys_execveat)			\
	MISSING(323, userfaultfd)					\
	NATIVE(324, membarrier, sys_membarrier)				\
	NATIVE(325, mlock2, sys_mlock)					\
	OFFLOAD(326, copy_file_range)					\
	OFFLOAD(327, preadv2)						\
	OFFLOAD(328, pwritev2)						\
	MISSING(329, pkey_mprotect)					\
	MISSING(330, pkey_alloc)					\
	MISSING(331, pkey_free)						\
	ROUTED(332, statx, sys_statx, ROUTE_PATH(0, 1))			\
	OFFLOAD(333, io_pgetevents)					\
	NATIVE(334, rseq, sys_rseq)					\
	MISSING(424, pidfd_send_signal)					\
	MISSING(425, io_uring_setup)					\
	MISSING(426, io_uring_enter)					\
	MISSING(427, io_uring_register)					\
	OFFLOAD(428, open_tree)						\
	OFFLOAD(429, move_mount)					\
	OFFLOAD(430, fsopen)						\
	OFFLOAD(431, fsconfig)						\
	OFFLOAD(432, fsmount)						\
	OFFLOAD(433, fspick)						\
	MISSING(434, pidfd_open)					\
	NATIVE(435, clone3, sys_clone3)					\
	ROUTED(436, close_range, sys_close_range_routed, ROUTE_SELF)	\
	OFFLOAD(437, openat2)						\
	MISSING(438, pidfd_getfd)					\
	ROUTED(439, faccessat2, sys_faccessat2, ROUTE_PATH(0, 1))	\
	MISSING(440, process_madvise)					\
	OFFLOAD(441, epoll_pwait2)					\
	OFFLOAD(442, mount_setattr)					\
	OFFLOAD(443, quotactl_fd)					\
	MISSING(444, landlock_create_ruleset)				\
	MISSING(445, landlock_add_rule)					\
	MISSING(446, landlock_restrict_self)				\
	MISSING(447, memfd_secret)					\
	MISSING(448, process_mrelease)					\
	MISSING(449, futex_waitv)					\
	MISSING(450, set_mempolicy_home_node)				\
	NATIVE(COVE_SYS_FAULT_INJECT, cove_fault_inject, sys_cove_fault_inject)	\
	NATIVE(COVE_SYS_KENTRIES, cove_kentries, sys_cove_kentries)	\
	NATIVE(COVE_SYS_XEMEM_MAKE, cove_xemem_make, sys_cove_xemem_make)	\
	NATIVE(COVE_SYS_XEMEM_REMOVE, cove_xemem_remove, sys_cove_xemem_remove) \
	NATIVE(COVE_SYS_XEMEM_ATTACH, cove_xemem_attach, sys_cove_xemem_attach) \
	NATIVE(COVE_SYS_XEMEM_DETACH, cove_xemem_detach, sys_cove_xemem_detach)

/*
 * The numbers by name: __NR_read, __NR_cove_fault_inject, ... A host
 * program that has Linux's own <sys/syscall.h> defines SYSCALL_LIST_ONLY.
 */
#ifndef SYSCALL_LIST_ONLY
#define SYSCALL_NR_NATIVE(nr, name, fn) __NR_##name = (nr),
#define SYSCALL_NR_MISSING(nr, name) __NR_##name = (nr),
#define SYSCALL_NR_ROUTED(nr, name, fn, route) __NR_##name = (nr),
enum syscall_nr {
	SYSCALL_LIST(SYSCALL_NR_NATIVE, SYSCALL_NR_MISSING, SYSCALL_NR_MISSING, SYSCALL_NR_ROUTED)
};
#undef SYSCALL_NR_NATIVE
#undef SYSCALL_NR_MISSING
#undef SYSCALL_NR_ROUTED
#endif /* SYSCALL_LIST_ONLY */

#endif /* ARCH_SYSCALL_LIST_H */

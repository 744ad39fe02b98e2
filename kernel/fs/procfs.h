/* SPDX-License-Identifier: GPL-2.0 */
/* /proc's two halves: the machine (procfs.c) and the processes (procfs_pid.c). */
#ifndef COVE_FS_PROCFS_H
#define COVE_FS_PROCFS_H

#include <cove/types.h>

struct file;
struct sbuf;
struct synth_node;

/* Node kinds at or above this are procfs_pid.c's. */
#define PROC_PID_KINDS 100

/* rel: what follows /proc/<pid> (or /proc/<pid>/task/<tid> when tid != 0). */
int procfs_pid_lookup(uint32_t pid, uint32_t tid, const char *rel, bool follow,
		      struct synth_node *n);
int procfs_pid_fill(const struct synth_node *n, struct sbuf *sb);
int procfs_pid_open(const struct synth_node *n, uint32_t flags, struct file **out);
/* The live processes' directories, into a listing of /proc. */
void procfs_pid_list(struct sbuf *sb);
/*
 * procfs_pid_stat.c: a process's numbers (tid 0: the whole process), and
 * its map with exe naming the image. 0 or -ENOENT.
 */
struct proc_vals;
int procfs_pid_vals(uint32_t pid, uint32_t tid, uint32_t nr_cpu_ids, struct proc_vals *v);
enum procfs_maps_form { PROCFS_MAPS, PROCFS_SMAPS, PROCFS_SMAPS_ROLLUP };
int procfs_pid_maps(uint32_t pid, const char *exe, uint64_t exe_ino, enum procfs_maps_form form,
		    struct sbuf *sb);

/* /proc/mounts, also /proc/<pid>/mounts. */
void procfs_mounts(struct sbuf *sb);

#endif /* COVE_FS_PROCFS_H */

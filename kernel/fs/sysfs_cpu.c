// SPDX-License-Identifier: GPL-2.0
/*
 * /sys: the parts of devices/system that glibc, OpenMP runtimes and hwloc
 * read to size themselves -- the enclave's CPUs, their topology and
 * caches, and its NUMA nodes (one, node 0, unless the firmware described
 * more). Nothing else of Linux's sysfs is here.
 */
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kvsnprintf.h>
#include <cove/numa.h>
#include <cove/pmem.h>
#include <cove/string.h>
#include "procfs_fmt.h"
#include "synth.h"

enum sysfs_kind {
	SYS_DIR_TOP, SYS_DIR_DEVICES, SYS_DIR_SYSTEM, SYS_DIR_CPU, SYS_DIR_CPUN,
	SYS_DIR_TOPOLOGY, SYS_DIR_CACHE, SYS_DIR_INDEX, SYS_DIR_NODE, SYS_DIR_NODEN,
	/* cpu/ */
	SYS_ONLINE, SYS_POSSIBLE, SYS_PRESENT, SYS_OFFLINE, SYS_KERNEL_MAX,
	/* cpuN/ */
	SYS_CPU_ONLINE, SYS_CPU_NODE_LINK,
	/* cpuN/topology/ */
	SYS_CORE_ID, SYS_PACKAGE_ID, SYS_DIE_ID, SYS_THREAD_MAP, SYS_THREAD_LIST,
	SYS_PACKAGE_MAP, SYS_PACKAGE_LIST,
	/* cpuN/cache/indexK/ */
	SYS_C_LEVEL, SYS_C_TYPE, SYS_C_SIZE, SYS_C_LINE, SYS_C_WAYS, SYS_C_SETS,
	SYS_C_PARTITIONS, SYS_C_SHARED_LIST, SYS_C_SHARED_MAP, SYS_C_ID,
	/* node/ */
	SYS_NODE_ONLINE, SYS_NODE_HAS_MEMORY, SYS_NODE_HAS_CPU,
	/* node/nodeN/ */
	SYS_NODE_CPULIST, SYS_NODE_CPUMAP, SYS_NODE_MEMINFO, SYS_NODE_DISTANCE,
};

#define D (S_IFDIR | 0755)
#define R (S_IFREG | 0444)

static const struct synth_entry sys_top[] = {
	{ "devices", D, SYS_DIR_DEVICES }, { NULL, 0, 0 },
};
static const struct synth_entry sys_devices[] = {
	{ "system", D, SYS_DIR_SYSTEM }, { NULL, 0, 0 },
};
static const struct synth_entry sys_system[] = {
	{ "cpu", D, SYS_DIR_CPU }, { "node", D, SYS_DIR_NODE }, { NULL, 0, 0 },
};
static const struct synth_entry sys_cpu[] = {
	{ "online", R, SYS_ONLINE }, { "possible", R, SYS_POSSIBLE },
	{ "present", R, SYS_PRESENT }, { "offline", R, SYS_OFFLINE },
	{ "kernel_max", R, SYS_KERNEL_MAX }, { NULL, 0, 0 },
};
static const struct synth_entry sys_cpun[] = {
	{ "online", R, SYS_CPU_ONLINE }, { "topology", D, SYS_DIR_TOPOLOGY },
	{ "cache", D, SYS_DIR_CACHE }, { NULL, 0, 0 },
};
/* Linux's old names and its newer ones (core_cpus, package_cpus) alike. */
static const struct synth_entry sys_topology[] = {
	{ "core_id", R, SYS_CORE_ID }, { "physical_package_id", R, SYS_PACKAGE_ID },
	{ "die_id", R, SYS_DIE_ID },
	{ "thread_siblings", R, SYS_THREAD_MAP }, { "thread_siblings_list", R, SYS_THREAD_LIST },
	{ "core_cpus", R, SYS_THREAD_MAP }, { "core_cpus_list", R, SYS_THREAD_LIST },
	{ "core_siblings", R, SYS_PACKAGE_MAP }, { "core_siblings_list", R, SYS_PACKAGE_LIST },
	{ "package_cpus", R, SYS_PACKAGE_MAP }, { "package_cpus_list", R, SYS_PACKAGE_LIST },
	{ "die_cpus", R, SYS_PACKAGE_MAP }, { "die_cpus_list", R, SYS_PACKAGE_LIST },
	{ NULL, 0, 0 },
};
static const struct synth_entry sys_index[] = {
	{ "level", R, SYS_C_LEVEL }, { "type", R, SYS_C_TYPE }, { "size", R, SYS_C_SIZE },
	{ "coherency_line_size", R, SYS_C_LINE }, { "ways_of_associativity", R, SYS_C_WAYS },
	{ "number_of_sets", R, SYS_C_SETS }, { "physical_line_partition", R, SYS_C_PARTITIONS },
	{ "shared_cpu_list", R, SYS_C_SHARED_LIST }, { "shared_cpu_map", R, SYS_C_SHARED_MAP },
	{ "id", R, SYS_C_ID }, { NULL, 0, 0 },
};
static const struct synth_entry sys_node[] = {
	{ "online", R, SYS_NODE_ONLINE }, { "possible", R, SYS_NODE_ONLINE },
	{ "has_memory", R, SYS_NODE_HAS_MEMORY }, { "has_normal_memory", R, SYS_NODE_HAS_MEMORY },
	{ "has_cpu", R, SYS_NODE_HAS_CPU }, { NULL, 0, 0 },
};
static const struct synth_entry sys_noden[] = {
	{ "cpulist", R, SYS_NODE_CPULIST }, { "cpumap", R, SYS_NODE_CPUMAP },
	{ "meminfo", R, SYS_NODE_MEMINFO }, { "distance", R, SYS_NODE_DISTANCE },
	{ NULL, 0, 0 },
};

#undef D
#undef R

/* The table of a fixed directory kind, or NULL for the numbered ones. */
static const struct synth_entry *sysfs_table(uint32_t kind)
{
	switch (kind) {
	case SYS_DIR_TOP: return sys_top;
	case SYS_DIR_DEVICES: return sys_devices;
	case SYS_DIR_SYSTEM: return sys_system;
	case SYS_DIR_CPU: return sys_cpu;
	case SYS_DIR_CPUN: return sys_cpun;
	case SYS_DIR_TOPOLOGY: return sys_topology;
	case SYS_DIR_INDEX: return sys_index;
	case SYS_DIR_NODE: return sys_node;
	case SYS_DIR_NODEN: return sys_noden;
	default: return NULL;
	}
}

/* A CPU directory exists for every CPU of the partition, online or not. */
static bool sysfs_cpu_exists(uint32_t c)
{
	return c < MAX_CPUS && percpu_of(c);
}

static bool sysfs_cache_exists(uint32_t k)
{
	struct cpu_cache caches[CPU_CACHES_MAX];

	return k < arch_cpu_caches(caches, CPU_CACHES_MAX);
}

/*
 * cpuN/nodeM, Linux's link from a CPU to its node: followed, the same
 * path under node/nodeM.
 */
static int sysfs_node_link(struct synth_node *n, uint32_t node, const char *rel, bool follow)
{
	synth_set(n, S_IFLNK | 0777, SYS_CPU_NODE_LINK);
	n->sub = node;
	if (!follow && !*rel)
		return 0;
	n->follow = SYNTH_REDIRECT;
	return synth_target(n, "/sys/devices/system/node/node%u%s", node, rel);
}

static int sysfs_lookup(const char *rel, bool follow, struct synth_node *n)
{
	char name[32];
	uint32_t v;

	synth_set(n, S_IFDIR | 0755, SYS_DIR_TOP);
	while (synth_next(&rel, name, sizeof(name))) {
		const struct synth_entry *t = sysfs_table(n->kind), *e;

		if (!S_ISDIR(n->mode))
			return -ENOTDIR;
		e = t ? synth_find(t, name) : NULL;
		if (e) {
			synth_set(n, e->mode, e->kind);
		} else if (n->kind == SYS_DIR_CPU && synth_number(name, "cpu", &v) &&
			   sysfs_cpu_exists(v)) {
			synth_set(n, S_IFDIR | 0755, SYS_DIR_CPUN);
			n->index = v;
		} else if (n->kind == SYS_DIR_CACHE && synth_number(name, "index", &v) &&
			   sysfs_cache_exists(v)) {
			synth_set(n, S_IFDIR | 0755, SYS_DIR_INDEX);
			n->sub = v;
		} else if (n->kind == SYS_DIR_NODE && synth_number(name, "node", &v) &&
			   v < numa_nr_nodes()) {
			synth_set(n, S_IFDIR | 0755, SYS_DIR_NODEN);
			n->index = v;
		} else if (n->kind == SYS_DIR_CPUN && synth_number(name, "node", &v) &&
			   v == numa_cpu_node(n->index)) {
			return sysfs_node_link(n, v, rel, follow);
		} else {
			return -ENOENT;
		}
	}
	return 0;
}

static int sysfs_fill_dir(const struct synth_node *n, const struct synth_cpus *sc,
			  struct sbuf *sb)
{
	const struct synth_entry *t = sysfs_table(n->kind);
	char name[24];

	if (t)
		synth_list(t, sb);
	if (n->kind == SYS_DIR_CPU) {
		for (uint32_t c = 0; c < MAX_CPUS; c++) {
			if (!sysfs_cpu_exists(c))
				continue;
			ksnprintf(name, sizeof(name), "cpu%u", c);
			synth_dir_add(sb, name, S_IFDIR);
		}
	}
	if (n->kind == SYS_DIR_CACHE) {
		for (size_t k = 0; k < sc->nr_cache; k++) {
			ksnprintf(name, sizeof(name), "index%zu", k);
			synth_dir_add(sb, name, S_IFDIR);
		}
	}
	if (n->kind == SYS_DIR_NODE) {
		for (uint32_t k = 0; k < numa_nr_nodes(); k++) {
			ksnprintf(name, sizeof(name), "node%u", k);
			synth_dir_add(sb, name, S_IFDIR);
		}
	}
	if (n->kind == SYS_DIR_CPUN) {
		ksnprintf(name, sizeof(name), "node%u", numa_cpu_node(n->index));
		synth_dir_add(sb, name, S_IFLNK);
	}
	return 0;
}

/* A set of nodes as Linux prints node lists ("0-1"). */
static void sysfs_nodelist(struct sbuf *sb, uint64_t nodes)
{
	struct cpumask m;

	cpumask_clear(&m);
	for (uint32_t k = 0; k < NUMA_MAX_NODES; k++) {
		if ((nodes >> k) & 1)
			cpumask_set(&m, k);
	}
	fmt_cpulist(sb, &m);
	sbuf_putc(sb, '\n');
}

/* The online CPUs of node. */
static void sysfs_node_cpus(const struct synth_cpus *sc, uint32_t node, struct cpumask *m)
{
	cpumask_clear(m);
	for (uint32_t i = 0; i < sc->n; i++) {
		if (numa_cpu_node(sc->cpu[i].index) == node)
			cpumask_set(m, sc->cpu[i].index);
	}
}

/* The enclave's CPUs that share a package (or a core, too) with CPU c. */
static void sysfs_siblings(const struct synth_cpus *sc, uint32_t c, bool same_core,
			   struct cpumask *m)
{
	const struct cpu_view *v = synth_cpu(sc, c);

	cpumask_clear(m);
	if (!v)
		return;
	for (uint32_t i = 0; i < sc->n; i++) {
		const struct cpu_place *p = &sc->cpu[i].place;

		if (p->package == v->place.package && (!same_core || p->core == v->place.core))
			cpumask_set(m, sc->cpu[i].index);
	}
}

static int sysfs_fill_cpu(const struct synth_node *n, const struct synth_cpus *sc,
			  struct sbuf *sb)
{
	const struct cpu_view *v = synth_cpu(sc, n->index);
	struct cpumask m;

	if (n->kind == SYS_CPU_ONLINE) {
		sbuf_puts(sb, v ? "1\n" : "0\n");
		return 0;
	}
	/* An offline CPU has no topology to tell (Linux: -1 and empty lists). */
	switch (n->kind) {
	case SYS_CORE_ID:
		sbuf_printf(sb, "%d\n", v ? (int)v->place.core : -1);
		return 0;
	case SYS_PACKAGE_ID:
		sbuf_printf(sb, "%d\n", v ? (int)v->place.package : -1);
		return 0;
	case SYS_DIE_ID:
		sbuf_printf(sb, "%d\n", v ? (int)v->place.die : -1);
		return 0;
	}
	sysfs_siblings(sc, n->index, n->kind == SYS_THREAD_MAP || n->kind == SYS_THREAD_LIST,
		       &m);
	if (n->kind == SYS_THREAD_LIST || n->kind == SYS_PACKAGE_LIST)
		fmt_cpulist(sb, &m);
	else
		fmt_cpumask(sb, &m, sc->nr_ids);
	sbuf_putc(sb, '\n');
	return 0;
}

static int sysfs_fill_cache(const struct synth_node *n, const struct synth_cpus *sc,
			    struct sbuf *sb)
{
	static const char *const types[] = { "", "Data", "Instruction", "Unified" };
	const struct cpu_view *v = synth_cpu(sc, n->index);
	const struct cpu_cache *c;
	struct cpumask m;

	if (n->sub >= sc->nr_cache)
		return -ENOENT;
	c = &sc->cache[n->sub];
	switch (n->kind) {
	case SYS_C_LEVEL:
		sbuf_printf(sb, "%u\n", c->level);
		break;
	case SYS_C_TYPE:
		sbuf_printf(sb, "%s\n", types[c->type]);
		break;
	case SYS_C_SIZE:
		sbuf_printf(sb, "%luK\n", c->size >> 10);
		break;
	case SYS_C_LINE:
		sbuf_printf(sb, "%u\n", c->line_size);
		break;
	case SYS_C_WAYS:
		sbuf_printf(sb, "%u\n", c->ways);
		break;
	case SYS_C_SETS:
		sbuf_printf(sb, "%u\n", c->sets);
		break;
	case SYS_C_PARTITIONS:
		sbuf_printf(sb, "%u\n", c->partitions);
		break;
	case SYS_C_ID:
		sbuf_printf(sb, "%u\n", v && c->share_shift < 32 ? v->hwid >> c->share_shift : 0);
		break;
	default:
		synth_cache_cpus(sc, n->index, n->sub, &m);
		if (n->kind == SYS_C_SHARED_LIST)
			fmt_cpulist(sb, &m);
		else
			fmt_cpumask(sb, &m, sc->nr_ids);
		sbuf_putc(sb, '\n');
	}
	return 0;
}

static void sysfs_fill_node_meminfo(struct sbuf *sb, uint32_t node)
{
	struct synth_mem m;

	synth_mem_get(&m);
	/* File data lives in kernel memory of no particular node: count it on node 0. */
	if (node)
		m.cached = 0;
	if (numa_nr_nodes() > 1)
		pmem_node_stats(node, &m.total, &m.free);
	sbuf_printf(sb, "Node %u MemTotal:       %8lu kB\n", node, m.total >> 10);
	sbuf_printf(sb, "Node %u MemFree:        %8lu kB\n", node, m.free >> 10);
	sbuf_printf(sb, "Node %u MemUsed:        %8lu kB\n", node, (m.total - m.free) >> 10);
	sbuf_printf(sb, "Node %u FilePages:      %8lu kB\n", node, m.cached >> 10);
	sbuf_printf(sb, "Node %u HugePages_Total:     0\n"
		    "Node %u HugePages_Free:      0\n"
		    "Node %u HugePages_Surp:      0\n", node, node, node);
}

static int sysfs_fill(const struct synth_node *n, struct sbuf *sb)
{
	struct synth_cpus *sc = synth_cpus_get();
	int rc = 0;

	if (!sc)
		return -ENOMEM;
	if (S_ISDIR(n->mode)) {
		rc = sysfs_fill_dir(n, sc, sb);
		kfree(sc);
		return rc;
	}
	switch (n->kind) {
	case SYS_ONLINE:
		fmt_cpulist(sb, &sc->online);
		sbuf_putc(sb, '\n');
		break;
	case SYS_POSSIBLE:
	case SYS_PRESENT:
		fmt_cpulist(sb, &sc->possible);
		sbuf_putc(sb, '\n');
		break;
	case SYS_OFFLINE: {
		struct cpumask off = sc->possible;

		for (int i = 0; i < CPUMASK_WORDS; i++)
			off.bits[i] &= ~sc->online.bits[i];
		fmt_cpulist(sb, &off);
		sbuf_putc(sb, '\n');
		break;
	}
	case SYS_KERNEL_MAX:
		sbuf_printf(sb, "%u\n", MAX_CPUS - 1);
		break;
	case SYS_CPU_NODE_LINK:
		sbuf_printf(sb, "../../node/node%u", n->sub);
		break;
	case SYS_NODE_ONLINE:
		sysfs_nodelist(sb, (1ULL << numa_nr_nodes()) - 1);
		break;
	case SYS_NODE_HAS_MEMORY:
		sysfs_nodelist(sb, pmem_nodes_with_memory());
		break;
	case SYS_NODE_HAS_CPU:
		sysfs_nodelist(sb, numa_cpu_nodes());
		break;
	case SYS_NODE_CPULIST:
	case SYS_NODE_CPUMAP: {
		struct cpumask m;

		sysfs_node_cpus(sc, n->index, &m);
		if (n->kind == SYS_NODE_CPULIST)
			fmt_cpulist(sb, &m);
		else
			fmt_cpumask(sb, &m, sc->nr_ids);
		sbuf_putc(sb, '\n');
		break;
	}
	case SYS_NODE_MEMINFO:
		sysfs_fill_node_meminfo(sb, n->index);
		break;
	case SYS_NODE_DISTANCE:
		for (uint32_t k = 0; k < numa_nr_nodes(); k++)
			sbuf_printf(sb, "%s%u", k ? " " : "", numa_distance(n->index, k));
		sbuf_putc(sb, '\n');
		break;
	default:
		rc = n->kind >= SYS_C_LEVEL ? sysfs_fill_cache(n, sc, sb) : sysfs_fill_cpu(n, sc, sb);
	}
	kfree(sc);
	return rc;
}

const struct synth_tree sysfs_tree = {
	.name = "sys",
	.dev = VFS_DEV_SYS,
	.reg_size = 4096,
	.lookup = sysfs_lookup,
	.fill = sysfs_fill,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * The enclave's CPUs and memory, gathered for /proc and /sys: only the
 * partition's own, numbered as the job's affinity masks number them.
 */
#include <cove/heap.h>
#include <cove/pmem.h>
#include <cove/ramfs.h>
#include <cove/string.h>
#include <cove/vfs.h>
#include "synth.h"

/* Package and core of each CPU, then how many of the enclave's share them. */
static void synth_cpus_count(struct synth_cpus *sc)
{
	for (uint32_t i = 0; i < sc->n; i++) {
		struct cpu_view *v = &sc->cpu[i];

		v->siblings = 0;
		v->cores = 0;
		for (uint32_t j = 0; j < sc->n; j++) {
			const struct cpu_view *w = &sc->cpu[j];
			bool first_of_core = true;

			if (w->place.package != v->place.package)
				continue;
			v->siblings++;
			for (uint32_t k = 0; k < j; k++) {
				if (sc->cpu[k].place.package == w->place.package &&
				    sc->cpu[k].place.core == w->place.core)
					first_of_core = false;
			}
			if (first_of_core)
				v->cores++;
		}
	}
}

struct synth_cpus *synth_cpus_get(void)
{
	struct synth_cpus *sc = kzalloc(sizeof(*sc));

	if (!sc)
		return NULL;
	for (uint32_t c = 0; c < MAX_CPUS; c++) {
		struct percpu *pc = percpu_of(c);

		if (!pc)
			continue;
		cpumask_set(&sc->possible, c);
		sc->nr_ids = c + 1;
		if (!pc->online)
			continue;
		cpumask_set(&sc->online, c);
		sc->cpu[sc->n].index = c;
		sc->cpu[sc->n].hwid = pc->apic_id;
		sc->n++;
	}
	arch_cpu_places(sc->cpu, sc->n);
	synth_cpus_count(sc);
	sc->nr_cache = arch_cpu_caches(sc->cache, CPU_CACHES_MAX);
	return sc;
}

const struct cpu_view *synth_cpu(const struct synth_cpus *sc, uint32_t c)
{
	for (uint32_t i = 0; i < sc->n; i++) {
		if (sc->cpu[i].index == c)
			return &sc->cpu[i];
	}
	return NULL;
}

void synth_cache_cpus(const struct synth_cpus *sc, uint32_t c, size_t k, struct cpumask *m)
{
	const struct cpu_view *v = synth_cpu(sc, c);
	uint32_t shift = sc->cache[k].share_shift;

	cpumask_clear(m);
	if (!v)
		return;
	for (uint32_t i = 0; i < sc->n; i++) {
		if (shift >= 32 || (sc->cpu[i].hwid >> shift) == (v->hwid >> shift))
			cpumask_set(m, sc->cpu[i].index);
	}
}

void synth_mem_get(struct synth_mem *m)
{
	struct pmem_stats st;

	pmem_get_stats(&st);
	m->total = st.partition_bytes > st.held_at_boot ? st.partition_bytes - st.held_at_boot : 0;
	m->free = MIN(st.free_bytes, m->total);
	/* Read without the tree's lock: a statistic, not a promise. */
	m->cached = __atomic_load_n(&vfs_root()->data_bytes, __ATOMIC_RELAXED);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The table of enclaves: ids, lookups that take a reference, and which
 * host cores and memory some enclave holds. Lifecycle operations
 * (cove_enclave.c) publish and unpublish; everything else only looks up.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "cove.h"

/* One create, add, remove, restart or destroy at a time (cove_enclave.c). */
DEFINE_MUTEX(cove_lifecycle);

/*
 * Enclave ids are 1..COVE_MAX_ENCLAVES; slot id - 1. The table is written
 * under cove_lifecycle and cove_table_lock and read under either; the
 * reservations (ids taken by a create not yet published) under
 * cove_lifecycle.
 */
static struct cove_enclave *cove_table[COVE_MAX_ENCLAVES];
static bool cove_reserved[COVE_MAX_ENCLAVES];
static DEFINE_SPINLOCK(cove_table_lock);

struct cove_enclave *cove_get(u32 id)
{
	struct cove_enclave *e = NULL;

	if (id < 1 || id > COVE_MAX_ENCLAVES)
		return NULL;
	spin_lock(&cove_table_lock);
	e = cove_table[id - 1];
	if (e)
		kref_get(&e->ref);
	spin_unlock(&cove_table_lock);
	return e;
}

struct cove_enclave *cove_get_asked(u32 id)
{
	struct cove_enclave *e = cove_get(id);

	if (!e)
		pr_err_ratelimited("cove: no enclave %u\n", id);	/* anyone may ask */
	return e;
}

void cove_put(struct cove_enclave *e)
{
	kref_put(&e->ref, cove_enclave_release);
}

/* Under cove_lifecycle. want: that id if it is free (a restart), else the lowest. */
int cove_reserve_id(struct cove_enclave *e, u32 want)
{
	unsigned int i;

	if (want >= 1 && want <= COVE_MAX_ENCLAVES && !cove_reserved[want - 1]) {
		cove_reserved[want - 1] = true;
		e->id = want;
		return 0;
	}
	for (i = 0; i < COVE_MAX_ENCLAVES; i++) {
		if (!cove_reserved[i]) {
			cove_reserved[i] = true;
			e->id = i + 1;
			return 0;
		}
	}
	pr_err("cove: already %d enclaves\n", COVE_MAX_ENCLAVES);
	return -EBUSY;
}

void cove_unreserve_id(struct cove_enclave *e)
{
	if (e->id)
		cove_reserved[e->id - 1] = false;
	e->id = 0;
}

/* Make e visible to ioctls and sysfs; the table holds a reference. */
int cove_publish(struct cove_enclave *e)
{
	int err = cove_sysfs_add(e);

	if (err)
		return err;
	kref_get(&e->ref);
	spin_lock(&cove_table_lock);
	cove_table[e->id - 1] = e;
	spin_unlock(&cove_table_lock);
	return 0;
}

/* Under cove_lifecycle: no new lookups find e, no sysfs reader is inside. */
void cove_unpublish(struct cove_enclave *e)
{
	spin_lock(&cove_table_lock);
	cove_table[e->id - 1] = NULL;
	spin_unlock(&cove_table_lock);
	cove_sysfs_del(e);
	cove_reserved[e->id - 1] = false;
	kref_put(&e->ref, cove_enclave_release);
}

/* Under cove_lifecycle. */
bool cove_cpu_taken(unsigned int cpu)
{
	unsigned int i, k;

	for (i = 0; i < COVE_MAX_ENCLAVES; i++) {
		if (!cove_table[i])
			continue;
		for (k = 0; k < cove_table[i]->nr_cpus; k++)
			if (cove_table[i]->cpus[k] == cpu)
				return true;
	}
	return false;
}

/* Under cove_lifecycle. */
bool cove_range_taken(u64 base, u64 size)
{
	struct cove_range *r;
	unsigned int i, k;

	for (i = 0; i < COVE_MAX_ENCLAVES; i++) {
		if (!cove_table[i])
			continue;
		for (k = 0; k < cove_table[i]->nr_mem; k++) {
			r = &cove_table[i]->mem[k];
			if (base < r->base + r->size && r->base < base + size)
				return true;
		}
	}
	return false;
}

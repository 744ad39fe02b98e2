// SPDX-License-Identifier: GPL-2.0
/*
 * Shared memory objects (cove/shmem.h). An object is a row of 2 MiB units;
 * a unit is either one 2 MiB block or a page of 512 entries naming 4 KiB
 * pages. The pages an object holds are always a prefix of it: growing
 * fills from the end of that prefix, trimming frees from its end, so one
 * count (pages) says which exist and a failed growth is undone by a trim.
 */
#include <cove/arch.h>
#include <cove/errno.h>
#include <cove/heap.h>
#include <cove/kmap.h>
#include <cove/pmem.h>
#include <cove/shmem.h>
#include <cove/spinlock.h>
#include <cove/string.h>

#define SHMEM_UNIT_PAGES 512u
/* Entries and large blocks carry this bit: physical page 0 is a page too. */
#define SHMEM_PRESENT 1ULL

struct shmem_unit {
	phys_addr_t large;	/* a whole 2 MiB block | SHMEM_PRESENT, or 0 */
	phys_addr_t index;	/* else: a page of 512 entries (pa | SHMEM_PRESENT, or 0) */
};

struct shmem {
	spinlock_t lock;	/* guards everything below but refs */
	uint32_t refs;		/* atomic */
	uint32_t maps;		/* mappers (each also holds a reference) */
	uint64_t size;		/* bytes, as ftruncate set it */
	uint64_t pages;		/* 4 KiB pages held: [0, pages) of the object */
	uint64_t nr_units;	/* length of units */
	struct shmem_unit *units;
};

static uint64_t shmem_pages_for(uint64_t bytes)
{
	return ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
}

static phys_addr_t *shmem_index(const struct shmem_unit *u)
{
	return phys_to_virt(u->index & ~SHMEM_PRESENT);
}

/* Physical address of page pg (< s->pages) and whether it is in a 2 MiB block. */
static phys_addr_t shmem_lookup(struct shmem *s, uint64_t pg, bool *large)
{
	const struct shmem_unit *u = &s->units[pg / SHMEM_UNIT_PAGES];
	uint64_t i = pg % SHMEM_UNIT_PAGES;

	*large = u->large != 0;
	if (u->large)
		return (u->large & ~SHMEM_PRESENT) + i * PAGE_SIZE;
	return shmem_index(u)[i] & ~SHMEM_PRESENT;
}

struct shmem *shmem_create(void)
{
	struct shmem *s = kzalloc(sizeof(*s));

	if (s)
		s->refs = 1;
	return s;
}

void shmem_get(struct shmem *s)
{
	__atomic_fetch_add(&s->refs, 1, __ATOMIC_RELAXED);
}

/*
 * Give back the pages from keep on (under the lock, or with the last
 * reference; nobody maps them), a batch per hold of the allocator's lock.
 */
static void shmem_trim(struct shmem *s, uint64_t keep)
{
	struct pmem_batch freed;

	freed.nr = 0;
	while (s->pages > keep) {
		uint64_t u = (s->pages - 1) / SHMEM_UNIT_PAGES, first = u * SHMEM_UNIT_PAGES;
		struct shmem_unit *unit = &s->units[u];
		phys_addr_t *entries, idx;
		uint64_t i;

		if (unit->large) {
			phys_addr_t base = unit->large & ~SHMEM_PRESENT;

			if (keep <= first) {
				pmem_batch_add(&freed, base, PMEM_ORDER_2M);
				unit->large = 0;
				s->pages = first;
				continue;
			}
			/*
			 * Partly kept: the block becomes 512 pages; with no page
			 * for their index it stays whole.
			 */
			if (pmem_alloc(0, &idx))
				break;
			entries = phys_to_virt(idx);
			for (i = 0; i < SHMEM_UNIT_PAGES; i++)
				entries[i] = (base + i * PAGE_SIZE) | SHMEM_PRESENT;
			unit->large = 0;
			unit->index = idx | SHMEM_PRESENT;
		}
		entries = shmem_index(unit);
		i = s->pages - 1 - first;
		pmem_batch_add(&freed, entries[i] & ~SHMEM_PRESENT, 0);
		entries[i] = 0;
		s->pages--;
		if (i == 0) {
			/* Read no more: the batch may free it from here on. */
			pmem_batch_add(&freed, unit->index & ~SHMEM_PRESENT, 0);
			unit->index = 0;
		}
	}
	pmem_batch_flush(&freed);
}

void shmem_put(struct shmem *s)
{
	if (!s || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL))
		return;
	/*
	 * The last reference: nobody else can reach s, so no lock, and no
	 * interrupts held off while hundreds of MiB go (a rank's exit kept
	 * the boot core from the host's doorbell past its hang limit).
	 */
	shmem_trim(s, 0);
	kfree(s->units);
	kfree(s);
}

void shmem_map_get(struct shmem *s)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);

	s->maps++;
	spin_unlock_irqrestore(&s->lock, flags);
	shmem_get(s);
}

void shmem_map_put(struct shmem *s)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);

	/* The pages a shrink kept for the mappers go with the last of them. */
	if (!--s->maps)
		shmem_trim(s, shmem_pages_for(s->size));
	spin_unlock_irqrestore(&s->lock, flags);
	shmem_put(s);
}

/* Room in units for n units (under the lock). */
static int shmem_reserve_units(struct shmem *s, uint64_t n)
{
	struct shmem_unit *units;

	if (n <= s->nr_units)
		return 0;
	n = MAX(n, s->nr_units * 2);
	units = kzalloc(n * sizeof(*units));
	if (!units)
		return -ENOMEM;
	if (s->units)
		memcpy(units, s->units, s->nr_units * sizeof(*units));
	kfree(s->units);
	s->units = units;
	s->nr_units = n;
	return 0;
}

/*
 * Zero len bytes at pa. A 2 MiB block takes a while, so the caller's
 * interrupts come back on meanwhile, as in aspace_populate (the lock
 * stays held: no interrupt handler takes it).
 */
static void shmem_zero(phys_addr_t pa, uint64_t len, unsigned long flags)
{
	arch_irq_restore(flags);
	memset(phys_to_virt(pa), 0, len);
	arch_irq_disable();
}

/* Zero [from, to) of the pages held (bytes a shrink left behind). */
static void shmem_zero_range(struct shmem *s, uint64_t from, uint64_t to, unsigned long flags)
{
	to = MIN(to, s->pages * PAGE_SIZE);
	while (from < to) {
		uint64_t chunk = MIN(to - from, PAGE_SIZE - (from & (PAGE_SIZE - 1)));
		bool large;
		phys_addr_t pa = shmem_lookup(s, from / PAGE_SIZE, &large);

		shmem_zero(pa + (from & (PAGE_SIZE - 1)), chunk, flags);
		from += chunk;
	}
}

/* Hold every page below need, zeroed; on failure hold what was held before. */
static int shmem_fill(struct shmem *s, uint64_t need, unsigned long flags)
{
	uint64_t held = s->pages;
	struct pmem_stats st;
	phys_addr_t pa;

	if (need <= held)
		return 0;
	pmem_get_stats(&st);
	if ((need - held) * PAGE_SIZE > st.free_bytes ||	/* cannot fit: said without trying */
	    shmem_reserve_units(s, ALIGN_UP(need, SHMEM_UNIT_PAGES) / SHMEM_UNIT_PAGES)) {
		pmem_say_refused("shared memory", (need - held) * PAGE_SIZE);
		return -ENOSPC;
	}
	while (s->pages < need) {
		struct shmem_unit *unit = &s->units[s->pages / SHMEM_UNIT_PAGES];
		uint64_t i = s->pages % SHMEM_UNIT_PAGES;
		phys_addr_t *entries;

		if (!i && need - s->pages >= SHMEM_UNIT_PAGES && !pmem_alloc(PMEM_ORDER_2M, &pa)) {
			shmem_zero(pa, PAGE_SIZE_2M, flags);
			unit->large = pa | SHMEM_PRESENT;
			s->pages += SHMEM_UNIT_PAGES;
			continue;
		}
		if (!unit->index) {
			if (pmem_alloc(0, &pa))
				goto fail;
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
			unit->index = pa | SHMEM_PRESENT;
		}
		if (pmem_alloc(0, &pa)) {
			if (!i) {
				pmem_free(unit->index & ~SHMEM_PRESENT, 0);
				unit->index = 0;
			}
			goto fail;
		}
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
		entries = shmem_index(unit);
		entries[i] = pa | SHMEM_PRESENT;
		s->pages++;
	}
	return 0;
fail:
	shmem_trim(s, held);
	pmem_say_refused("shared memory", (need - held) * PAGE_SIZE);
	return -ENOSPC;
}

/* Under the lock, flags the caller's interrupt state. */
static int shmem_resize_locked(struct shmem *s, uint64_t size, unsigned long flags)
{
	uint64_t old = s->size;
	int rc;

	if (size > SHMEM_SIZE_MAX)
		return -EFBIG;
	if (size > old) {
		rc = shmem_fill(s, shmem_pages_for(size), flags);
		if (rc)
			return rc;
		/* Pages kept past the end for a mapper may hold old bytes. */
		shmem_zero_range(s, old, size, flags);
	} else {
		/* As Linux: the rest of the last page reads as zeros. */
		shmem_zero_range(s, size, MIN(old, ALIGN_UP(size, PAGE_SIZE)), flags);
		if (!s->maps)
			shmem_trim(s, shmem_pages_for(size));
	}
	s->size = size;
	return 0;
}

int shmem_resize(struct shmem *s, uint64_t size)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);
	int rc = shmem_resize_locked(s, size, flags);

	spin_unlock_irqrestore(&s->lock, flags);
	return rc;
}

uint64_t shmem_size(struct shmem *s)
{
	return __atomic_load_n(&s->size, __ATOMIC_RELAXED);
}

uint64_t shmem_resident(struct shmem *s)
{
	return __atomic_load_n(&s->pages, __ATOMIC_RELAXED) * PAGE_SIZE;
}

uint32_t shmem_mappers(struct shmem *s)
{
	return __atomic_load_n(&s->maps, __ATOMIC_RELAXED);
}

/* Copy [off, off + len), all inside the pages held, to or from buf. */
static void shmem_copy(struct shmem *s, uint64_t off, void *buf, size_t len, bool write)
{
	while (len) {
		uint64_t chunk = MIN(len, PAGE_SIZE - (off & (PAGE_SIZE - 1)));
		bool large;
		uint8_t *p = phys_to_virt(shmem_lookup(s, off / PAGE_SIZE, &large));

		p += off & (PAGE_SIZE - 1);
		if (write)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		buf = (uint8_t *)buf + chunk;
		off += chunk;
		len -= chunk;
	}
}

int64_t shmem_read(struct shmem *s, uint64_t off, void *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);

	if (off >= s->size)
		len = 0;
	else
		len = (size_t)MIN(len, s->size - off);
	shmem_copy(s, off, buf, len, false);
	spin_unlock_irqrestore(&s->lock, flags);
	return (int64_t)len;
}

int64_t shmem_write(struct shmem *s, uint64_t off, const void *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);
	int rc = 0;

	if (off + len < off || off + len > SHMEM_SIZE_MAX)
		rc = -EFBIG;
	else if (off + len > s->size)
		rc = shmem_resize_locked(s, off + len, flags);
	if (!rc)
		shmem_copy(s, off, (void *)buf, len, true);
	spin_unlock_irqrestore(&s->lock, flags);
	return rc ? rc : (int64_t)len;
}

int shmem_page(struct shmem *s, uint64_t off, phys_addr_t *pa, bool *large)
{
	unsigned long flags = spin_lock_irqsave(&s->lock);
	uint64_t pg = off / PAGE_SIZE;
	int rc = 0;

	/* Only the object's bytes: pages a shrink kept for old mappers are not handed out. */
	if (pg >= shmem_pages_for(s->size))
		rc = -ENXIO;
	else
		*pa = shmem_lookup(s, pg, large);
	spin_unlock_irqrestore(&s->lock, flags);
	return rc;
}

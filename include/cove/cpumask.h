/* SPDX-License-Identifier: GPL-2.0 */
/* Sets of logical CPUs, as fixed-size bitmaps. */
#ifndef COVE_CPUMASK_H
#define COVE_CPUMASK_H

#include <cove/types.h>

#define CPUMASK_BITS 256
#define CPUMASK_WORDS (CPUMASK_BITS / 64)

struct cpumask {
	uint64_t bits[CPUMASK_WORDS];
};

static inline void cpumask_clear(struct cpumask *m)
{
	for (int i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

static inline void cpumask_set(struct cpumask *m, uint32_t cpu)
{
	if (cpu < CPUMASK_BITS)
		m->bits[cpu / 64] |= 1ULL << (cpu % 64);
}

static inline bool cpumask_test(const struct cpumask *m, uint32_t cpu)
{
	return cpu < CPUMASK_BITS && (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

static inline uint32_t cpumask_weight(const struct cpumask *m)
{
	uint32_t n = 0;

	/* Clearing the lowest bit each time: no popcount helper from libgcc needed. */
	for (int i = 0; i < CPUMASK_WORDS; i++) {
		for (uint64_t w = m->bits[i]; w; w &= w - 1)
			n++;
	}
	return n;
}

/* Lowest CPU in the mask, or CPUMASK_BITS if empty. */
static inline uint32_t cpumask_first(const struct cpumask *m)
{
	for (int i = 0; i < CPUMASK_WORDS; i++) {
		if (m->bits[i])
			return (uint32_t)(i * 64 + __builtin_ctzll(m->bits[i]));
	}
	return CPUMASK_BITS;
}

#endif /* COVE_CPUMASK_H */

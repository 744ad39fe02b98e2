// SPDX-License-Identifier: GPL-2.0
/*
 * A page of the host's own memory with a known pattern: the target a wild
 * write from the enclave is aimed at (fault_addr=). Contained, it keeps its
 * pattern; with protection off, the write shows up here.
 */
#include "standin.h"

#define WATCH_WORDS (PAGE_SIZE / sizeof(uint64_t))
#define WATCH_TARGET_WORD 32	/* any word but the first: a write, not a probe of the edge */

static volatile uint64_t watched[WATCH_WORDS] __attribute__((aligned(PAGE_SIZE)));

static uint64_t pattern(uint64_t i)
{
	return 0x5741544348000000ULL | i;	/* "WATCH" and the index */
}

void watch_arm(void)
{
	for (uint64_t i = 0; i < WATCH_WORDS; i++)
		watched[i] = pattern(i);
}

uint64_t watch_target(void)
{
	return (uint64_t)&watched[WATCH_TARGET_WORD];
}

/* True if the page still holds its pattern; else the first changed word. */
bool watch_intact(uint64_t *where, uint64_t *now)
{
	for (uint64_t i = 0; i < WATCH_WORDS; i++) {
		if (watched[i] != pattern(i)) {
			*where = (uint64_t)&watched[i];
			*now = watched[i];
			return false;
		}
	}
	return true;
}

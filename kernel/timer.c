// SPDX-License-Identifier: GPL-2.0
/* The periodic tick: counted per CPU, nothing else yet. */
#include <cove/percpu.h>
#include <cove/timer.h>

void timer_tick(void)
{
	this_cpu()->timer_ticks++;
}

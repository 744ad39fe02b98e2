// SPDX-License-Identifier: GPL-2.0
/*
 * How an enclave ends, as the host sees it: failed (a fault, a panic, a
 * value no correct Cove writes), hung, or stopped on request. Each records
 * why (the first reason wins) and releases every waiter: a job's cove run,
 * a control request, a state watcher.
 */
#include "cove.h"

static void cove_wake_all(struct cove_enclave *e)
{
	struct cove_job *j;

	spin_lock(&e->lc_lock);
	list_for_each_entry(j, &e->jobs, node)
		wake_up_all(&j->wq);
	spin_unlock(&e->lc_lock);
	wake_up_all(&e->state_wq);
}

static void cove_end(struct cove_enclave *e, u32 state, const char *why)
{
	if (why && !e->report[0])
		strscpy(e->report, why, sizeof(e->report));
	WRITE_ONCE(e->state, state);
	cove_wake_all(e);
}

/* A fault, a panic, a value no correct Cove writes. */
void cove_fail(struct cove_enclave *e, const char *why)
{
	cove_end(e, COVE_ENCLAVE_FAILED, why);
}

void cove_hung(struct cove_enclave *e, const char *why)
{
	cove_end(e, COVE_ENCLAVE_HUNG, why);
}

void cove_stopped(struct cove_enclave *e)
{
	cove_end(e, COVE_ENCLAVE_STOPPED, NULL);
}

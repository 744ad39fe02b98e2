// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what with an enclave. /dev/cove is open to everyone; each
 * request is then allowed by one right (the table in cove_main.c):
 * root's (CAP_SYS_ADMIN) for everything that takes or gives back host
 * resources or changes hands, the owner's for using an enclave (jobs, their
 * long calls, the console), everyone's for the list. The owner is a user,
 * a group (any member), both or nobody; the administrator (a batch
 * system's prolog) sets it at create or with chown.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/ratelimit.h>
#include <linux/uidgid.h>

#include "cove.h"

bool cove_is_admin(void)
{
	return ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
}

static u32 cove_caller_uid(void)
{
	return from_kuid_munged(&init_user_ns, current_fsuid());
}

/* For log lines: the ids as the host sees them, -1 for one that is not set. */
static int cove_log_uid(kuid_t uid)
{
	return uid_valid(uid) ? (int)from_kuid_munged(&init_user_ns, uid) : -1;
}

static int cove_log_gid(kgid_t gid)
{
	return gid_valid(gid) ? (int)from_kgid_munged(&init_user_ns, gid) : -1;
}

int cove_require_admin(const char *what, u32 id)
{
	if (capable(CAP_SYS_ADMIN))
		return 0;
	/* Anyone may ask: the log must not be theirs to flood. */
	if (id)
		pr_info_ratelimited("cove %u: %s refused to uid %u: root only\n", id, what,
				    cove_caller_uid());
	else
		pr_info_ratelimited("cove: %s refused to uid %u: root only\n", what,
				    cove_caller_uid());
	return -EPERM;
}

void cove_owner_get(struct cove_enclave *e, struct cove_owner_ids *k)
{
	spin_lock(&e->owner_lock);
	*k = e->owner;
	spin_unlock(&e->owner_lock);
}

/* Whether the caller is the owner named in o: its user, or a member of its group. */
static bool cove_is_owner(const struct cove_owner_ids *o)
{
	return (uid_valid(o->uid) && uid_eq(current_fsuid(), o->uid)) ||
	       (gid_valid(o->gid) && in_group_p(o->gid));
}

int cove_may_use(struct cove_enclave *e, const char *what)
{
	struct cove_owner_ids o;

	cove_owner_get(e, &o);
	if (cove_is_owner(&o))
		return 0;
	/* Last, so an owner's every request is not a capability check in the audit log. */
	if (capable(CAP_SYS_ADMIN))
		return 0;
	if (!uid_valid(o.uid) && !gid_valid(o.gid))
		pr_info_ratelimited("cove %u: %s refused to uid %u: no owner, root only\n",
				    e->id, what, cove_caller_uid());
	else
		pr_info_ratelimited("cove %u: %s refused to uid %u: it belongs to uid %d gid %d\n",
				    e->id, what, cove_caller_uid(), cove_log_uid(o.uid),
				    cove_log_gid(o.gid));
	return -EPERM;
}

bool cove_may_ask(struct cove_enclave *e)
{
	struct cove_owner_ids o;

	cove_owner_get(e, &o);
	return cove_is_owner(&o) || cove_is_admin();
}

/* Numbers as the caller's namespace sees them; one that maps to no one is refused. */
int cove_owner_from_user(const struct cove_owner *u, struct cove_owner_ids *k)
{
	k->uid = INVALID_UID;
	k->gid = INVALID_GID;
	if ((u->flags & ~(COVE_OWNER_UID | COVE_OWNER_GID)) || u->pad) {
		pr_err_ratelimited("cove: owner flags %#x (pad %#x): unknown bits\n", u->flags,
				   u->pad);
		return -EINVAL;
	}
	if (u->flags & COVE_OWNER_UID) {
		k->uid = make_kuid(current_user_ns(), u->uid);
		if (!uid_valid(k->uid)) {
			pr_err_ratelimited("cove: owner uid %u is no user\n", u->uid);
			return -EINVAL;
		}
	}
	if (u->flags & COVE_OWNER_GID) {
		k->gid = make_kgid(current_user_ns(), u->gid);
		if (!gid_valid(k->gid)) {
			pr_err_ratelimited("cove: owner gid %u is no group\n", u->gid);
			return -EINVAL;
		}
	}
	return 0;
}

void cove_owner_to_user(struct cove_enclave *e, struct cove_owner *u)
{
	struct cove_owner_ids o;

	cove_owner_get(e, &o);
	memset(u, 0, sizeof(*u));
	if (uid_valid(o.uid)) {
		u->flags |= COVE_OWNER_UID;
		u->uid = from_kuid_munged(current_user_ns(), o.uid);
	}
	if (gid_valid(o.gid)) {
		u->flags |= COVE_OWNER_GID;
		u->gid = from_kgid_munged(current_user_ns(), o.gid);
	}
}

/*
 * Under cove_lifecycle, so a restart (which carries the owner over to the
 * enclave it creates again) cannot come between. Takes effect at once: the
 * previous owner's next request is refused, including the long calls of a
 * job still running for it.
 */
int cove_chown(const struct cove_chown *req)
{
	struct cove_owner_ids k;
	struct cove_enclave *e;
	int err;

	if (req->pad) {
		pr_err_ratelimited("cove: chown: pad %#x is not 0\n", req->pad);
		return -EINVAL;
	}
	err = cove_owner_from_user(&req->owner, &k);
	if (err)
		return err;
	mutex_lock(&cove_lifecycle);
	e = cove_get_asked(req->id);
	if (!e) {
		mutex_unlock(&cove_lifecycle);
		return -ENOENT;
	}
	spin_lock(&e->owner_lock);
	e->owner = k;
	spin_unlock(&e->owner_lock);
	mutex_unlock(&cove_lifecycle);
	pr_info("cove %u: now belongs to uid %d gid %d\n", e->id, cove_log_uid(k.uid),
		cove_log_gid(k.gid));
	cove_put(e);
	return 0;
}

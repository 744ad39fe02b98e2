// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/cove/<id>/{state,cpus,mem,guarded,report,doorbell,owner}: read-only text. */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "cove.h"

static struct kobject *cove_root;

struct cove_kobj {
	struct kobject kobj;
	struct cove_enclave *e;
};

static struct cove_enclave *cove_of(struct kobject *kobj)
{
	return container_of(kobj, struct cove_kobj, kobj)->e;
}

const char *cove_state_name(u32 state)
{
	switch (state) {
	case COVE_ENCLAVE_BOOTING:
		return "booting";
	case COVE_ENCLAVE_READY:
		return "ready";
	case COVE_ENCLAVE_FAILED:
		return "failed";
	case COVE_ENCLAVE_STOPPED:
		return "stopped";
	case COVE_ENCLAVE_HUNG:
		return "hung";
	default:
		return "free";
	}
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", cove_state_name(READ_ONCE(cove_of(kobj)->state)));
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct cove_enclave *e = cove_of(kobj);
	unsigned int i;
	int n = 0;

	for (i = 0; i < e->nr_cpus; i++)
		n += sysfs_emit_at(buf, n, "%s%u", i ? "," : "", e->cpus[i]);
	return n + sysfs_emit_at(buf, n, "\n");
}

static ssize_t mem_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct cove_enclave *e = cove_of(kobj);
	unsigned int i;
	int n = 0;

	for (i = 0; i < e->nr_mem; i++)
		n += sysfs_emit_at(buf, n, "%#llx %#llx\n", e->mem[i].base, e->mem[i].size);
	return n;
}

static ssize_t guarded_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	static const char *const names[] = { "no", "svm", "vmx" };
	u32 g = READ_ONCE(cove_of(kobj)->host->guarded);

	return sysfs_emit(buf, "%s\n", g < ARRAY_SIZE(names) ? names[g] : "?");
}

/* The layer's count of doorbell rings it let out and dropped (nothing new). */
static ssize_t doorbell_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	const struct cove_host_page *h = cove_of(kobj)->host;

	return sysfs_emit(buf, "rings %u dropped %u\n", READ_ONCE(h->doorbell_rings),
			  READ_ONCE(h->doorbell_dropped));
}

static ssize_t report_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct cove_enclave *e = cove_of(kobj);

	if (!e->report[0])
		return 0;
	return sysfs_emit(buf, "%.*s\n", (int)sizeof(e->report) - 1, e->report);
}

/* "UID GID", "-" for either that is not set (cove_owner.c). */
static ssize_t owner_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct cove_owner o;
	int n = 0;

	cove_owner_to_user(cove_of(kobj), &o);
	if (o.flags & COVE_OWNER_UID)
		n += sysfs_emit_at(buf, n, "%u", o.uid);
	else
		n += sysfs_emit_at(buf, n, "-");
	if (o.flags & COVE_OWNER_GID)
		n += sysfs_emit_at(buf, n, " %u\n", o.gid);
	else
		n += sysfs_emit_at(buf, n, " -\n");
	return n;
}

static struct kobj_attribute cove_attr_state = __ATTR_RO(state);
static struct kobj_attribute cove_attr_cpus = __ATTR_RO(cpus);
/* Physical addresses and fault reports (guest registers) are root's only. */
static struct kobj_attribute cove_attr_mem = __ATTR(mem, 0400, mem_show, NULL);
static struct kobj_attribute cove_attr_guarded = __ATTR_RO(guarded);
static struct kobj_attribute cove_attr_report = __ATTR(report, 0400, report_show, NULL);
static struct kobj_attribute cove_attr_doorbell = __ATTR_RO(doorbell);
static struct kobj_attribute cove_attr_owner = __ATTR_RO(owner);

static struct attribute *cove_attrs[] = {
	&cove_attr_state.attr,
	&cove_attr_cpus.attr,
	&cove_attr_mem.attr,
	&cove_attr_guarded.attr,
	&cove_attr_report.attr,
	&cove_attr_doorbell.attr,
	&cove_attr_owner.attr,
	NULL,
};
ATTRIBUTE_GROUPS(cove);

static void cove_kobj_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct cove_kobj, kobj));
}

static struct kobj_type cove_ktype = {
	.release = cove_kobj_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cove_groups,
};

int cove_sysfs_add(struct cove_enclave *e)
{
	struct cove_kobj *k;
	int err;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->e = e;
	err = kobject_init_and_add(&k->kobj, &cove_ktype, cove_root, "%u", e->id);
	if (err) {
		kobject_put(&k->kobj);
		return err;
	}
	e->kobj = &k->kobj;
	return 0;
}

/* Returns once no reader is inside a show function any more. */
void cove_sysfs_del(struct cove_enclave *e)
{
	if (!e->kobj)
		return;
	kobject_del(e->kobj);
	kobject_put(e->kobj);
	e->kobj = NULL;
}

int cove_sysfs_init(void)
{
	cove_root = kobject_create_and_add("cove", kernel_kobj);
	return cove_root ? 0 : -ENOMEM;
}

void cove_sysfs_exit(void)
{
	kobject_put(cove_root);
}

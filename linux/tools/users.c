// SPDX-License-Identifier: GPL-2.0
/*
 * Users and groups by name, for owners (cove create --owner, cove chown,
 * cove status, refusals). /etc/passwd and /etc/group are read directly:
 * the CLI is static, and a static binary cannot ask NSS (LDAP, SSSD), so
 * a user only a directory knows is given, and shown, as a number.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cove.h"

#define DB_MAX (64 << 20)	/* larger is not an account file */

struct db {
	const char *path, *what;
	char *text;		/* NULL: unreadable (then nothing has a name) */
	size_t len;
	bool loaded;
};

/* Read once, on first use, by this file only. */
static struct db passwd_db = { .path = "/etc/passwd", .what = "user" };
static struct db group_db = { .path = "/etc/group", .what = "group" };

static struct db *db_load(struct db *d)
{
	FILE *f;
	long n;

	if (d->loaded)
		return d;
	d->loaded = true;
	f = fopen(d->path, "re");
	if (!f)
		return d;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && n < DB_MAX && !fseek(f, 0, SEEK_SET)) {
		d->text = malloc((size_t)n + 1);
		if (d->text) {
			d->len = fread(d->text, 1, (size_t)n, f);
			d->text[d->len] = 0;
		}
	}
	fclose(f);
	return d;
}

/* id's name in d; without one, the number, after prefix ("" in tables, "uid " in sentences). */
static const char *db_name(struct db *d, uint32_t id, const char *prefix, char *buf, size_t len)
{
	db_load(d);
	if (!d->text || cli_db_name(d->text, d->len, id, buf, len))
		snprintf(buf, len, "%s%u", prefix, id);
	return buf;
}

const char *user_name(uint32_t uid, char *buf, size_t len)
{
	return db_name(&passwd_db, uid, "", buf, len);
}

const char *group_name(uint32_t gid, char *buf, size_t len)
{
	return db_name(&group_db, gid, "", buf, len);
}

/* A part of an owner: its number, or the id its name has in d. */
static uint32_t owner_id(const char *opt, const char *whole, const char *part, struct db *d)
{
	uint32_t id;

	if (!cli_parse_id(part, &id))
		return id;
	db_load(d);
	if (!d->text)
		usage_error("%s '%s': cannot read %s to look up %s '%s' (give its number)", opt,
			    whole, d->path, d->what, part);
	if (cli_db_id(d->text, d->len, part, &id))
		usage_error("%s '%s': no %s '%s' in %s (for one only LDAP or the like knows, "
			    "give the number)", opt, whole, d->what, part, d->path);
	return id;
}

void arg_owner(const char *opt, const char *s, struct cove_owner *o)
{
	char user[CLI_NAME_MAX], group[CLI_NAME_MAX];
	int rc = cli_split_owner(s, user, group);

	if (rc == -ERANGE)
		usage_error("%s '%s': ids go up to %u", opt, s, CLI_ID_MAX);
	if (rc)
		usage_error("%s '%s': use USER, USER:GROUP or :GROUP (names or numbers)", opt, s);
	memset(o, 0, sizeof(*o));
	if (user[0]) {
		o->flags |= COVE_OWNER_UID;
		o->uid = owner_id(opt, s, user, &passwd_db);
	}
	if (group[0]) {
		o->flags |= COVE_OWNER_GID;
		o->gid = owner_id(opt, s, group, &group_db);
	}
}

void owner_format(const struct cove_owner *o, char *buf, size_t len)
{
	char u[CLI_NAME_MAX], g[CLI_NAME_MAX];

	if (!(o->flags & (COVE_OWNER_UID | COVE_OWNER_GID))) {
		snprintf(buf, len, "-");
		return;
	}
	u[0] = g[0] = 0;
	if (o->flags & COVE_OWNER_UID)
		user_name(o->uid, u, sizeof(u));
	if (o->flags & COVE_OWNER_GID)
		group_name(o->gid, g, sizeof(g));
	snprintf(buf, len, "%s%s%s", u, o->flags & COVE_OWNER_GID ? ":" : "", g);
}

void owner_describe(const struct cove_owner *o, char *buf, size_t len)
{
	char u[CLI_NAME_MAX], g[CLI_NAME_MAX];
	bool has_u = o->flags & COVE_OWNER_UID, has_g = o->flags & COVE_OWNER_GID;

	if (has_u)
		db_name(&passwd_db, o->uid, "uid ", u, sizeof(u));
	if (has_g)
		db_name(&group_db, o->gid, "", g, sizeof(g));
	if (has_u && has_g)
		snprintf(buf, len, "%s and group %s", u, g);
	else if (has_u)
		snprintf(buf, len, "%s", u);
	else if (has_g)
		snprintf(buf, len, "group %s", g);
	else
		snprintf(buf, len, "nobody (root only)");
}

const char *caller_name(char *buf, size_t len)
{
	return db_name(&passwd_db, (uint32_t)geteuid(), "uid ", buf, len);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel command-line parsing. Each subsystem describes its options in a
 * table and hands it to cmdline_parse(), so option syntax, bounds checking
 * and error messages are the same everywhere.
 *
 * Syntax: options separated by spaces or tabs, each "name" or "name=value".
 * Double quotes group text containing spaces ("init=\"/bin/sh -l\"") and are
 * removed; the first '=' splits name from value. Numbers are decimal or
 * 0x-prefixed hex (leading zeros do not mean octal). Booleans are on/off,
 * yes/no, 1/0 or true/false, lower case.
 */
#ifndef COVE_CMDLINE_H
#define COVE_CMDLINE_H

#include <cove/types.h>

enum cmdline_type {
	CMDLINE_FLAG,	/* bool: "name" sets true; "name=off" etc. also accepted */
	CMDLINE_BOOL,	/* bool: a value is required */
	CMDLINE_UINT,	/* uint64_t, within [min, max] */
	CMDLINE_SIZE,	/* uint64_t bytes, K/M/G suffix allowed, within [min, max] */
	CMDLINE_CHOICE,	/* int: index into choices */
	CMDLINE_STRING,	/* char[dest_size], NUL-terminated; empty value allowed */
};

struct cmdline_opt {
	const char *name;
	enum cmdline_type type;
	void *dest;
	uint64_t min, max;		/* UINT/SIZE bounds, inclusive; max 0 = no bound */
	const char *const *choices;	/* CHOICE: NULL-terminated list; dest is an int index */
	size_t dest_size;		/* STRING: buffer size */
	bool *seen;			/* optional: set true whenever dest is written */
};

typedef void (*cmdline_report_fn)(void *ctx, const char *msg);

/*
 * Parses cmdline (NULL counts as empty) against opts, in order, so a later
 * occurrence overrides an earlier one. A bad value leaves dest (and seen)
 * untouched and is passed to report_error as one message such as
 *	mem=abc: not a size (use a number with an optional K, M or G suffix, e.g. 512M)
 *	cpus=0: must be between 1 and 256
 * Unknown names are not errors: they go to report_unknown as
 * "ignoring unknown option \"name\"". Either callback may be NULL.
 * Returns the number of errors.
 */
int cmdline_parse(const char *cmdline, const struct cmdline_opt *opts, size_t nr_opts,
		  cmdline_report_fn report_error, cmdline_report_fn report_unknown, void *ctx);

/*
 * "4096", "64k", "512M", "2G", "0x1000": 0 on success, -EINVAL for garbage,
 * -ERANGE when the byte count does not fit 64 bits. *out is only written on
 * success.
 */
int cmdline_parse_size(const char *s, uint64_t *out);

/* Decimal or 0x hex; same return values as cmdline_parse_size(). */
int cmdline_parse_uint(const char *s, uint64_t *out);

#endif /* COVE_CMDLINE_H */

// SPDX-License-Identifier: GPL-2.0
/* Host tests of the "#!" line parser, against what Linux makes of each line. */
#include <string.h>
#include <cove/errno.h>
#include <cove/exec_script.h>
#include "unit.h"

static int parse(const char *s, struct exec_script *sc)
{
	memset(sc, 0x55, sizeof(*sc));
	return exec_script_parse(s, strlen(s), sc);
}

TEST(interpreter_alone)
{
	struct exec_script sc;

	CHECK(parse("#!/bin/sh\necho hi\n", &sc) == 0);
	CHECK(!strcmp(sc.interp, "/bin/sh") && !sc.has_arg && sc.arg[0] == 0);
	CHECK(parse("#! \t/bin/sh \t\n", &sc) == 0);
	CHECK(!strcmp(sc.interp, "/bin/sh") && !sc.has_arg);
	/* No newline at all, but the file ended: the line is whole. */
	CHECK(parse("#!/bin/true", &sc) == 0 && !strcmp(sc.interp, "/bin/true"));
}

TEST(rest_of_line_is_one_argument)
{
	struct exec_script sc;

	CHECK(parse("#!/usr/bin/env python3 -u  \nprint()\n", &sc) == 0);
	CHECK(!strcmp(sc.interp, "/usr/bin/env") && sc.has_arg && !strcmp(sc.arg, "python3 -u"));
	CHECK(parse("#!/bin/busybox\tsh\r\n", &sc) == 0);
	/* A carriage return is part of the argument, as on Linux ("sh\r"). */
	CHECK(!strcmp(sc.interp, "/bin/busybox") && !strcmp(sc.arg, "sh\r"));
}

TEST(not_a_script)
{
	struct exec_script sc;

	CHECK(parse("\177ELF", &sc) == -ENOEXEC);
	CHECK(parse("#", &sc) == -ENOEXEC);
	CHECK(parse("", &sc) == -ENOEXEC);
	CHECK(parse("# !/bin/sh\n", &sc) == -ENOEXEC);
	/* "#!" and nothing, or only blanks: no interpreter. */
	CHECK(parse("#!\n", &sc) == -ENOEXEC);
	CHECK(parse("#!   \t\n/bin/sh\n", &sc) == -ENOEXEC);
}

TEST(line_longer_than_the_head_is_refused)
{
	char head[EXEC_SCRIPT_HEAD];
	struct exec_script sc;

	memset(head, 'a', sizeof(head));
	memcpy(head, "#!/bin/sh ", 10);
	CHECK(exec_script_parse(head, sizeof(head), &sc) == -ENOEXEC);
	head[sizeof(head) - 1] = '\n';
	CHECK(exec_script_parse(head, sizeof(head), &sc) == 0);
	CHECK(strlen(sc.arg) == sizeof(head) - 11);
	CHECK(exec_script_parse(head, sizeof(head) + 1, &sc) == -ENOEXEC);
}

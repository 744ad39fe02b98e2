// SPDX-License-Identifier: GPL-2.0
/* The "#!" line of a script execve is given (see cove/exec_script.h). */
#include <cove/errno.h>
#include <cove/exec_script.h>
#include <cove/string.h>

static bool exec_script_blank(char c)
{
	return c == ' ' || c == '\t';
}

int exec_script_parse(const char *head, size_t len, struct exec_script *out)
{
	size_t i = 2, end, word;

	if (len < 2 || len > EXEC_SCRIPT_HEAD || head[0] != '#' || head[1] != '!')
		return -ENOEXEC;
	/* The line ends at a newline; a line longer than the head is refused, not cut. */
	for (end = 2; end < len && head[end] != '\n' && head[end] != 0; end++)
		;
	if (end == len && len == EXEC_SCRIPT_HEAD)
		return -ENOEXEC;
	while (end > i && exec_script_blank(head[end - 1]))
		end--;
	while (i < end && exec_script_blank(head[i]))
		i++;
	for (word = i; i < end && !exec_script_blank(head[i]); i++)
		;
	if (i == word)
		return -ENOEXEC;
	memcpy(out->interp, head + word, i - word);
	out->interp[i - word] = 0;
	while (i < end && exec_script_blank(head[i]))
		i++;
	out->has_arg = i < end;
	memcpy(out->arg, head + i, end - i);
	out->arg[end - i] = 0;
	return 0;
}

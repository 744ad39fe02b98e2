// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the initial user stack. Each built stack is read back the
 * way a libc's _start does, following user addresses that are translated to
 * buffer offsets and must stay inside the stack. Buffers are exact-size heap
 * blocks, so ASan reports any byte written outside them; the fit limit is
 * probed at every size around the exact requirement.
 */
#include <stdlib.h>
#include <string.h>
#include <cove/errno.h>
#include <cove/user_stack.h>
#include "unit.h"

#define TOP 0x7ffffffff000ULL
#define POISON 0xa5

struct walk {
	const uint8_t *buf;
	uint64_t floor, top, sp;
	uint8_t *used;			/* per byte of [sp, top): described by the layout */
	uint64_t argc, envc, nr_aux;
	const char *argv[64], *envp[64];
	uint64_t argv_va[64], envp_va[64];
	uint64_t aux[USER_STACK_AUXV_MAX + 4][2];
	bool ok;
};

static const uint8_t rnd[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0xff };

static void walk_mark(struct walk *w, uint64_t va, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		if (va + i < w->sp || va + i >= w->top) {
			w->ok = false;
			return;
		}
		/* A byte claimed twice means two parts of the layout overlap. */
		if (w->used[va + i - w->sp])
			w->ok = false;
		w->used[va + i - w->sp] = 1;
	}
}

static uint64_t walk_u64(struct walk *w, uint64_t va)
{
	uint64_t v = 0;

	if (va < w->sp || va + 8 > w->top || va % 8) {
		w->ok = false;
		return 0;
	}
	memcpy(&v, w->buf + (va - w->floor), 8);
	walk_mark(w, va, 8);
	return v;
}

static const char *walk_str(struct walk *w, uint64_t va)
{
	const char *s;
	size_t n;

	if (va < w->sp || va >= w->top) {
		w->ok = false;
		return "";
	}
	s = (const char *)w->buf + (va - w->floor);
	n = strnlen(s, w->top - va);
	if (n == w->top - va) {
		w->ok = false;
		return "";
	}
	walk_mark(w, va, n + 1);
	return s;
}

static uint64_t aux_get(const struct walk *w, uint64_t key, bool *found)
{
	*found = false;
	for (uint64_t i = 0; i < w->nr_aux; i++) {
		if (w->aux[i][0] == key) {
			*found = true;
			return w->aux[i][1];
		}
	}
	return 0;
}

/* Reads argc, argv, envp and auxv as libc does; marks every byte they use. */
static void walk(struct walk *w, const void *buf, size_t size, uint64_t top, uint64_t sp)
{
	uint64_t va, v;
	bool found;

	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->top = top;
	w->floor = top - size;
	w->sp = sp;
	w->ok = true;
	CHECK(sp % 16 == 0);
	CHECK(sp >= w->floor && sp < top);
	w->used = calloc(top - sp, 1);
	if (!w->used)
		abort();
	w->argc = walk_u64(w, sp);
	va = sp + 8;
	for (uint64_t i = 0; i < w->argc && i < 64; i++, va += 8) {
		w->argv_va[i] = walk_u64(w, va);
		w->argv[i] = walk_str(w, w->argv_va[i]);
	}
	CHECK(w->argc < 64);
	CHECK_EQ(walk_u64(w, va), 0);
	va += 8;
	while ((v = walk_u64(w, va)) && w->ok && w->envc < 64) {
		w->envp_va[w->envc] = v;
		w->envp[w->envc++] = walk_str(w, v);
		va += 8;
	}
	va += 8;
	do {
		CHECK(w->nr_aux < ARRAY_SIZE(w->aux));
		if (w->nr_aux >= ARRAY_SIZE(w->aux))
			break;
		w->aux[w->nr_aux][0] = walk_u64(w, va);
		w->aux[w->nr_aux][1] = walk_u64(w, va + 8);
		va += 16;
	} while (w->aux[w->nr_aux++][0] != AT_NULL && w->ok);
	/* What the auxv points at belongs to the layout too. */
	v = aux_get(w, AT_RANDOM, &found);
	if (found)
		walk_mark(w, v, 16);
	v = aux_get(w, AT_PLATFORM, &found);
	if (found)
		walk_str(w, v);
	v = aux_get(w, AT_EXECFN, &found);
	if (found)
		walk_str(w, v);
	/* Linux's end marker: the last 8 bytes below the 16-aligned top. */
	v = ALIGN_DOWN(top, 16) - 8;
	CHECK_EQ(walk_u64(w, v), 0);
	CHECK(w->ok);
}

static void walk_free(struct walk *w)
{
	free(w->used);
	w->used = NULL;
}

/* Every byte of [sp, top) the layout does not use is zero: nothing stale leaks. */
static void check_gaps_zero(const struct walk *w)
{
	for (uint64_t va = w->sp; va < w->top; va++) {
		if (!w->used[va - w->sp] && w->buf[va - w->floor]) {
			printf("  stale byte 0x%02x at top-%llu\n", w->buf[va - w->floor],
			       (unsigned long long)(w->top - va));
			CHECK(0);
			return;
		}
	}
}

static struct user_stack_args args_full(void)
{
	static const char *const argv[] = { "/bin/prog", "-x", "hello world", "", NULL };
	static const char *const envp[] = { "A=1", "PATH=/bin:/usr/bin", "EMPTY=", NULL };
	struct user_stack_args a = {
		.argv = argv, .envp = envp, .execfn = "/usr/local/bin/prog",
		.at_phdr = 0x400040, .at_phent = 56, .at_phnum = 10, .at_entry = 0x4014f0,
		.at_base = 0, .at_hwcap = 0x178bfbff, .at_hwcap2 = 0x2, .at_clktck = 100,
		.random16 = rnd, .platform = "x86_64", .at_minsigstksz = 2048,
	};

	return a;
}

/* An exact-size block filled with a marker, to catch both stray writes and stale bytes. */
static uint8_t *buf_new(size_t size)
{
	uint8_t *b = malloc(size ? size : 1);

	if (!b)
		abort();
	memset(b, POISON, size);
	return b;
}

TEST(us_layout_full)
{
	static const uint64_t want[][2] = {
		{ AT_MINSIGSTKSZ, 2048 }, { AT_HWCAP, 0x178bfbff }, { AT_PAGESZ, 4096 },
		{ AT_CLKTCK, 100 }, { AT_PHDR, 0x400040 }, { AT_PHENT, 56 }, { AT_PHNUM, 10 },
		{ AT_BASE, 0 }, { AT_FLAGS, 0 }, { AT_ENTRY, 0x4014f0 }, { AT_UID, 0 },
		{ AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 }, { AT_SECURE, 0 },
		{ AT_RANDOM, 0 }, { AT_HWCAP2, 0x2 }, { AT_EXECFN, 0 }, { AT_PLATFORM, 0 },
		{ AT_NULL, 0 },
	};
	struct user_stack_args a = args_full();
	size_t size = 64 * KiB;
	uint8_t *buf = buf_new(size);
	uint64_t sp = 1, v, str_lo = UINT64_MAX;
	struct walk w;
	bool found;

	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), 0);
	walk(&w, buf, size, TOP, sp);
	CHECK_EQ(w.argc, 4);
	for (int i = 0; i < 4 && i < (int)w.argc; i++)
		CHECK(!strcmp(w.argv[i], a.argv[i]));
	CHECK_EQ(w.envc, 3);
	for (int i = 0; i < 3 && i < (int)w.envc; i++)
		CHECK(!strcmp(w.envp[i], a.envp[i]));
	/* Strings sit back to back, argv then envp, as setproctitle() expects. */
	for (int i = 1; i < 4; i++)
		CHECK_EQ(w.argv_va[i], w.argv_va[i - 1] + strlen(a.argv[i - 1]) + 1);
	CHECK_EQ(w.envp_va[0], w.argv_va[3] + 1);
	for (int i = 1; i < 3; i++)
		CHECK_EQ(w.envp_va[i], w.envp_va[i - 1] + strlen(a.envp[i - 1]) + 1);

	CHECK_EQ(w.nr_aux, ARRAY_SIZE(want));
	CHECK(ARRAY_SIZE(want) <= USER_STACK_AUXV_MAX);
	for (unsigned int i = 0; i < ARRAY_SIZE(want) && i < w.nr_aux; i++) {
		CHECK_EQ(w.aux[i][0], want[i][0]);
		if (want[i][0] != AT_RANDOM && want[i][0] != AT_EXECFN &&
		    want[i][0] != AT_PLATFORM)
			CHECK_EQ(w.aux[i][1], want[i][1]);
	}
	v = aux_get(&w, AT_RANDOM, &found);
	CHECK(found && v >= sp && v + 16 <= TOP);
	if (found && v >= sp && v + 16 <= TOP)
		CHECK(!memcmp(buf + (v - (TOP - size)), rnd, 16));
	v = aux_get(&w, AT_PLATFORM, &found);
	CHECK(found && !strcmp(walk_str(&w, v), "x86_64"));
	v = aux_get(&w, AT_EXECFN, &found);
	CHECK(found && !strcmp(walk_str(&w, v), "/usr/local/bin/prog"));
	/* The execfn string is the highest, right under the end marker. */
	CHECK_EQ(v + strlen(a.execfn) + 1, TOP - 8);

	/* All tables lie below all strings and the random bytes. */
	for (uint64_t i = 0; i < w.argc; i++)
		str_lo = MIN(str_lo, w.argv_va[i]);
	v = 8 * (1 + w.argc + 1 + w.envc + 1 + 2 * w.nr_aux);
	CHECK(sp + v <= aux_get(&w, AT_RANDOM, &found));
	CHECK(aux_get(&w, AT_RANDOM, &found) < aux_get(&w, AT_PLATFORM, &found));
	CHECK(aux_get(&w, AT_PLATFORM, &found) < str_lo);
	CHECK(TOP - sp < 1024);
	check_gaps_zero(&w);
	/* Nothing below sp was touched. */
	for (uint64_t i = 0; i < sp - (TOP - size); i++) {
		if (buf[i] != POISON) {
			CHECK(0);
			break;
		}
	}
	walk_free(&w);
	free(buf);
}

TEST(us_empty_argv_envp)
{
	static const char *const none[] = { NULL };
	struct user_stack_args a = args_full();
	size_t size = 4 * KiB;
	uint8_t *buf = buf_new(size);
	uint64_t sp, sp2;
	struct walk w;

	a.argv = none;
	a.envp = none;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), 0);
	walk(&w, buf, size, TOP, sp);
	CHECK_EQ(w.argc, 0);
	CHECK_EQ(w.envc, 0);
	/* argc, argv NULL, envp NULL, then auxv. */
	CHECK_EQ(w.nr_aux, 20);
	CHECK_EQ(w.aux[0][0], AT_MINSIGSTKSZ);
	check_gaps_zero(&w);
	walk_free(&w);

	/* No list at all reads the same as an empty one. */
	a.argv = NULL;
	a.envp = NULL;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp2), 0);
	CHECK_EQ(sp2, sp);
	walk(&w, buf, size, TOP, sp2);
	CHECK_EQ(w.argc, 0);
	CHECK_EQ(w.envc, 0);
	walk_free(&w);
	free(buf);
}

TEST(us_optional_strings)
{
	struct user_stack_args a = args_full();
	size_t size = 4 * KiB;
	uint8_t *buf = buf_new(size);
	uint64_t sp;
	struct walk w;
	bool found;

	a.execfn = NULL;
	a.platform = NULL;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), 0);
	walk(&w, buf, size, TOP, sp);
	CHECK_EQ(w.nr_aux, 18);
	aux_get(&w, AT_EXECFN, &found);
	CHECK(!found);
	aux_get(&w, AT_PLATFORM, &found);
	CHECK(!found);
	aux_get(&w, AT_RANDOM, &found);
	CHECK(found);
	CHECK_EQ(w.aux[w.nr_aux - 1][0], AT_NULL);
	/* The last envp string now sits right under the end marker. */
	CHECK_EQ(w.envp_va[2] + strlen("EMPTY=") + 1, TOP - 8);
	check_gaps_zero(&w);
	walk_free(&w);
	free(buf);
}

/* Every size below the exact need fails cleanly; every size above gives the same stack. */
static void probe_sizes(const struct user_stack_args *a, uint64_t top)
{
	size_t big = 64 * KiB, need;
	uint8_t *ref = buf_new(big);
	uint64_t sp, ref_sp;

	CHECK_EQ(user_stack_build(ref, big, top, a, &ref_sp), 0);
	need = top - ref_sp;
	for (size_t size = 0; size <= need + 40; size++) {
		uint8_t *buf = buf_new(size);
		int ret = user_stack_build(buf, size, top, a, &sp);

		if (size < need) {
			CHECK_EQ(ret, -E2BIG);
		} else {
			CHECK_EQ(ret, 0);
			CHECK_EQ(sp, ref_sp);
			CHECK(!memcmp(buf + size - need, ref + big - need, need));
		}
		free(buf);
	}
	free(ref);
}

TEST(us_exact_fit)
{
	static const char *const none[] = { NULL };
	struct user_stack_args a = args_full();

	probe_sizes(&a, TOP);
	probe_sizes(&a, TOP - 8);
	probe_sizes(&a, TOP - 3);
	a.argv = a.envp = none;
	a.execfn = a.platform = NULL;
	probe_sizes(&a, TOP);
	probe_sizes(&a, TOP + 7);
}

TEST(us_unaligned)
{
	struct user_stack_args a = args_full();
	size_t size = 8 * KiB;
	uint8_t *mem = buf_new(size + 1);
	uint64_t sp;
	struct walk w;

	/* A host buffer at an odd address, for a stack top that is not 16-aligned. */
	for (uint64_t top = TOP - 16; top < TOP; top++) {
		memset(mem, POISON, size + 1);
		CHECK_EQ(user_stack_build(mem + 1, size, top, &a, &sp), 0);
		CHECK(sp % 16 == 0 && sp < top);
		walk(&w, mem + 1, size, top, sp);
		CHECK_EQ(w.argc, 4);
		CHECK_EQ(w.envc, 3);
		check_gaps_zero(&w);
		walk_free(&w);
		CHECK_EQ(mem[0], POISON);
	}
	free(mem);
}

TEST(us_too_big)
{
	enum { N = 1 << 20 };
	struct user_stack_args a = args_full();
	const char **many = malloc((N + 1) * sizeof(*many));
	char *huge = malloc(2 * MiB + 1);
	size_t size = 1 * MiB;
	uint8_t *buf = buf_new(size);
	uint64_t sp = 0x1234;

	if (!many || !huge)
		abort();
	/* A million one-byte strings: only the pointers would need 8 MiB. */
	for (int i = 0; i < N; i++)
		many[i] = "";
	many[N] = NULL;
	a.argv = many;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), -E2BIG);
	CHECK_EQ(sp, 0x1234);
	a = args_full();
	a.envp = many;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), -E2BIG);

	/* Many long arguments. */
	memset(huge, 'x', 2 * MiB);
	huge[2 * MiB] = '\0';
	for (int i = 0; i < N; i++)
		many[i] = huge + 2 * MiB - 100;
	a = args_full();
	a.argv = many;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), -E2BIG);

	/* One argument bigger than the whole stack, in each string slot. */
	many[0] = huge;
	many[1] = NULL;
	a = args_full();
	a.argv = many;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), -E2BIG);
	a = args_full();
	a.envp = many;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), -E2BIG);
	a = args_full();
	a.execfn = huge;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), -E2BIG);
	a = args_full();
	a.platform = huge;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), -E2BIG);

	/* Just under the limit still fits. */
	huge[size - 4096] = '\0';
	a = args_full();
	a.execfn = huge;
	CHECK_EQ(user_stack_build(buf, size, TOP, &a, &sp), 0);
	CHECK(sp >= TOP - size && sp % 16 == 0);
	free(buf);
	free(huge);
	free(many);
}

TEST(us_bad_args)
{
	struct user_stack_args a = args_full();
	uint8_t buf[256];
	uint64_t sp;

	CHECK_EQ(user_stack_build(NULL, sizeof(buf), TOP, &a, &sp), -EINVAL);
	CHECK_EQ(user_stack_build(buf, sizeof(buf), TOP, NULL, &sp), -EINVAL);
	CHECK_EQ(user_stack_build(buf, sizeof(buf), TOP, &a, NULL), -EINVAL);
	/* The buffer would reach below user address 0. */
	CHECK_EQ(user_stack_build(buf, sizeof(buf), sizeof(buf) - 1, &a, &sp), -EINVAL);
	a.random16 = NULL;
	CHECK_EQ(user_stack_build(buf, sizeof(buf), TOP, &a, &sp), -EINVAL);
}

TEST(us_low_top)
{
	struct user_stack_args a = args_full();
	size_t size = 4 * KiB;
	uint8_t *buf = buf_new(size);
	uint64_t sp;
	struct walk w;

	/* A stack that ends right at address size: the floor is user address 0. */
	CHECK_EQ(user_stack_build(buf, size, size, &a, &sp), 0);
	walk(&w, buf, size, size, sp);
	CHECK_EQ(w.argc, 4);
	walk_free(&w);
	free(buf);
}

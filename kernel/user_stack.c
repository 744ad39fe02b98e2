// SPDX-License-Identifier: GPL-2.0
/*
 * Builds the initial user stack in two passes: the first measures everything
 * against the room left and stops as soon as it runs out, so an endless or
 * enormous argv costs at most one buffer's worth of work; the second writes.
 * Sizes are kept as distances below the (16-aligned) top, which cannot
 * underflow the way user addresses near 0 could. The buffer is written only
 * through memcpy so its host alignment never matters.
 */
#include <cove/errno.h>
#include <cove/string.h>
#include <cove/user_stack.h>

/* Linux reports its ELF_EXEC_PAGESIZE, the base page, whatever the mapping uses. */
#define USER_STACK_PAGESZ 4096

struct us_aux {
	uint64_t key, val;
};

struct us_layout {
	uint64_t top;			/* 16-aligned stack_top */
	uint64_t floor;			/* user address of buf[0] */
	uint64_t argc, envc;
	uint64_t strings;		/* lowest string byte */
	uint64_t platform, random, sp;
	struct us_aux aux[USER_STACK_AUXV_MAX];
	unsigned int nr_aux;
};

/* Grows *need by n; false if that would pass avail. Keeps *need <= avail. */
static bool us_reserve(uint64_t *need, uint64_t n, uint64_t avail)
{
	if (n > avail - *need)
		return false;
	*need += n;
	return true;
}

static bool us_reserve_str(uint64_t *need, const char *s, uint64_t avail)
{
	return us_reserve(need, strnlen(s, avail - *need) + 1, avail);
}

/* Rounding the distance up rounds the address down, as top is 16-aligned. */
static bool us_align16(uint64_t *need, uint64_t avail)
{
	return us_reserve(need, ALIGN_UP(*need, 16) - *need, avail);
}

/* Counts a string list, reserving its strings and one pointer per entry. */
static bool us_measure_list(const char *const *list, uint64_t *count, uint64_t *need,
			    uint64_t avail)
{
	for (*count = 0; list && list[*count]; (*count)++) {
		if (!us_reserve_str(need, list[*count], avail) ||
		    !us_reserve(need, sizeof(uint64_t), avail))
			return false;
	}
	return true;
}

static void us_add_aux(struct us_layout *l, uint64_t key, uint64_t val)
{
	l->aux[l->nr_aux].key = key;
	l->aux[l->nr_aux].val = val;
	l->nr_aux++;
}

/* Linux's order (fs/binfmt_elf.c: ARCH_DLINFO first). */
static void us_fill_aux(struct us_layout *l, const struct user_stack_args *a, uint64_t execfn)
{
	l->nr_aux = 0;
	if (a->at_sysinfo_ehdr)
		us_add_aux(l, AT_SYSINFO_EHDR, a->at_sysinfo_ehdr);
	us_add_aux(l, AT_MINSIGSTKSZ, a->at_minsigstksz);
	us_add_aux(l, AT_HWCAP, a->at_hwcap);
	us_add_aux(l, AT_PAGESZ, USER_STACK_PAGESZ);
	us_add_aux(l, AT_CLKTCK, a->at_clktck);
	us_add_aux(l, AT_PHDR, a->at_phdr);
	us_add_aux(l, AT_PHENT, a->at_phent);
	us_add_aux(l, AT_PHNUM, a->at_phnum);
	us_add_aux(l, AT_BASE, a->at_base);
	us_add_aux(l, AT_FLAGS, 0);
	us_add_aux(l, AT_ENTRY, a->at_entry);
	us_add_aux(l, AT_UID, 0);
	us_add_aux(l, AT_EUID, 0);
	us_add_aux(l, AT_GID, 0);
	us_add_aux(l, AT_EGID, 0);
	us_add_aux(l, AT_SECURE, 0);
	us_add_aux(l, AT_RANDOM, l->random);
	us_add_aux(l, AT_HWCAP2, a->at_hwcap2);
	if (a->execfn)
		us_add_aux(l, AT_EXECFN, execfn);
	if (a->platform)
		us_add_aux(l, AT_PLATFORM, l->platform);
	us_add_aux(l, AT_NULL, 0);
}

static int us_measure(struct us_layout *l, const struct user_stack_args *a, uint64_t avail)
{
	uint64_t need = 0, words;

	if (!us_reserve(&need, sizeof(uint64_t), avail) ||
	    !us_measure_list(a->argv, &l->argc, &need, avail) ||
	    !us_measure_list(a->envp, &l->envc, &need, avail) ||
	    (a->execfn && !us_reserve_str(&need, a->execfn, avail)))
		return -E2BIG;
	/* The pointers were reserved only to bound the walk; they go lower down. */
	need -= (l->argc + l->envc) * sizeof(uint64_t);
	l->strings = l->top - need;
	if (!us_align16(&need, avail))
		return -E2BIG;
	if (a->platform) {
		if (!us_reserve_str(&need, a->platform, avail) || !us_align16(&need, avail))
			return -E2BIG;
		l->platform = l->top - need;
	}
	if (!us_reserve(&need, 16, avail))
		return -E2BIG;
	l->random = l->top - need;
	/* Addresses are final now, so the vector can be built and counted. */
	us_fill_aux(l, a, l->top - sizeof(uint64_t) - (a->execfn ? strlen(a->execfn) + 1 : 0));
	words = 1 + (l->argc + 1) + (l->envc + 1) + 2 * (uint64_t)l->nr_aux;
	if (!us_reserve(&need, words * sizeof(uint64_t), avail) || !us_align16(&need, avail))
		return -E2BIG;
	l->sp = l->top - need;
	return 0;
}

static void us_put(void *buf, const struct us_layout *l, uint64_t va, const void *src, size_t n)
{
	memcpy((char *)buf + (va - l->floor), src, n);
}

static void us_put_u64(void *buf, const struct us_layout *l, uint64_t va, uint64_t val)
{
	us_put(buf, l, va, &val, sizeof(val));
}

/* Copies a list's strings upward from *str and points its table at them. */
static void us_write_list(void *buf, const struct us_layout *l, const char *const *list,
			  uint64_t count, uint64_t table, uint64_t *str)
{
	uint64_t i;
	size_t n;

	for (i = 0; i < count; i++) {
		n = strlen(list[i]) + 1;
		us_put(buf, l, *str, list[i], n);
		us_put_u64(buf, l, table + i * sizeof(uint64_t), *str);
		*str += n;
	}
	us_put_u64(buf, l, table + count * sizeof(uint64_t), 0);
}

int user_stack_build(void *buf, size_t buf_size, uint64_t stack_top,
		     const struct user_stack_args *a, uint64_t *sp)
{
	struct us_layout l = { 0 };
	uint64_t avail, str, envp, auxv;
	int ret;

	if (!buf || !a || !a->random16 || !sp || stack_top < buf_size)
		return -EINVAL;
	l.top = ALIGN_DOWN(stack_top, 16);
	l.floor = stack_top - buf_size;
	if (l.top < l.floor)
		return -E2BIG;
	avail = l.top - l.floor;
	ret = us_measure(&l, a, avail);
	if (ret)
		return ret;

	/* The gaps left by alignment are zeroed too, so nothing stale leaks out. */
	memset((char *)buf + (l.sp - l.floor), 0, stack_top - l.sp);
	str = l.strings;
	envp = l.sp + (1 + l.argc + 1) * sizeof(uint64_t);
	auxv = envp + (l.envc + 1) * sizeof(uint64_t);
	us_put_u64(buf, &l, l.sp, l.argc);
	us_write_list(buf, &l, a->argv, l.argc, l.sp + sizeof(uint64_t), &str);
	us_write_list(buf, &l, a->envp, l.envc, envp, &str);
	if (a->execfn)
		us_put(buf, &l, str, a->execfn, strlen(a->execfn) + 1);
	if (a->platform)
		us_put(buf, &l, l.platform, a->platform, strlen(a->platform) + 1);
	us_put(buf, &l, l.random, a->random16, 16);
	us_put(buf, &l, auxv, l.aux, l.nr_aux * sizeof(l.aux[0]));
	*sp = l.sp;
	return 0;
}

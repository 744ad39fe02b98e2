// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for the ELF load planner. Real static binaries are compiled
 * here with the host's gcc (glibc) and, when installed, musl-gcc; their plans
 * are checked against what readelf says, then they are actually run: a
 * forked child maps the plan at its addresses, builds the initial stack with
 * user_stack_build() and jumps to the entry point, so the libc startup code
 * itself proves AT_PHDR, the TLS segment and the static-PIE bias are right.
 * Corrupted copies (truncations, flipped fields, random bytes) live in
 * exact-size heap blocks, so ASan catches any read past the end.
 */
#include <cpuid.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cove/elf_load.h>
#include <cove/errno.h>
#include <cove/user_stack.h>
#include "unit.h"

#define WHY_DYN_NEEDED "needs shared libraries but names no interpreter (PT_INTERP)"
#define WHY_INTERP_STR "interpreter path is not one NUL-terminated string"
#define WHY_INTERP_LEN "interpreter path empty or too long"
#define GLIBC_INTERP "/lib64/ld-linux-x86-64.so.2"
#define MUSL_INTERP "/lib/ld-musl-x86_64.so.1"
#define WHY_MISALIGNED "misaligned segment (vaddr and offset disagree modulo page size)"

#define PIE_BASE 0x10000000ULL		/* in ASan's low application range */
#define INTERP_BASE 0x20000000ULL	/* where the run tests put ld.so */
#define RUN_STACK_TOP 0x30000000ULL
#define RUN_STACK_SIZE (1 * MiB)

enum bin_kind {
	BIN_GLIBC_STATIC,
	BIN_GLIBC_STATIC_PIE,
	BIN_GLIBC_EXECSTACK,
	BIN_GLIBC_DYNAMIC,
	BIN_MUSL_STATIC,
	BIN_MUSL_STATIC_PIE,
	BIN_MUSL_GCC_STATIC_PIE,
	BIN_NR
};

/*
 * Debian's musl-gcc specs ignore -static-pie and link a PIE that needs
 * libc.so through /lib/ld-musl-x86_64.so.1, so a true musl static-PIE is
 * linked by hand from rcrt1.o, the self-relocating start file.
 */
#define MUSL_LIB "/usr/lib/x86_64-linux-musl"
#define MUSL_STATIC_PIE \
	"musl-gcc -O1 -fPIE -static-pie -nostartfiles " \
	"-Wl,-static,-pie,--no-dynamic-linker,-z,text " \
	MUSL_LIB "/rcrt1.o " MUSL_LIB "/crti.o $(gcc -print-file-name=crtbeginS.o) " \
	"hello.c $(gcc -print-file-name=crtendS.o) " MUSL_LIB "/crtn.o"

static const struct {
	const char *name;
	const char *cmd;		/* run in the temp dir, output to -o NAME */
	bool musl;
} bin_desc[BIN_NR] = {
	[BIN_GLIBC_STATIC] = { "glibc-static", "gcc -O1 -static hello.c", false },
	[BIN_GLIBC_STATIC_PIE] = { "glibc-static-pie", "gcc -O1 -static-pie hello.c", false },
	[BIN_GLIBC_EXECSTACK] = { "glibc-execstack", "gcc -O1 -static -z execstack hello.c",
				  false },
	[BIN_GLIBC_DYNAMIC] = { "glibc-dynamic", "gcc -O1 hello.c", false },
	[BIN_MUSL_STATIC] = { "musl-static", "musl-gcc -O1 -static hello.c", true },
	[BIN_MUSL_STATIC_PIE] = { "musl-static-pie", MUSL_STATIC_PIE, true },
	[BIN_MUSL_GCC_STATIC_PIE] = { "musl-gcc-static-pie", "musl-gcc -O1 -static-pie hello.c",
				      true },
};

/* Prints what the kernel handed over, as the libc itself understood it. */
static const char hello_c[] =
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"#include <sys/auxv.h>\n"
	"__thread int tls_var = 5;\n"
	"static const char *s(const char *p) { return p ? p : \"(null)\"; }\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"	const unsigned char *r = (const void *)getauxval(AT_RANDOM);\n"
	"	printf(\"argc=%d argv0=%s argv1=%s env=%s execfn=%s plat=%s tls=%d rand=\",\n"
	"	       argc, s(argv[0]), s(argv[1]), s(getenv(\"COVE_TEST\")),\n"
	"	       s((const char *)getauxval(AT_EXECFN)),\n"
	"	       s((const char *)getauxval(AT_PLATFORM)), tls_var);\n"
	"	for (int i = 0; r && i < 16; i++)\n"
	"		printf(\"%02x\", r[i]);\n"
	"	printf(\" pagesz=%lu\\n\", getauxval(AT_PAGESZ));\n"
	"	return 42;\n"
	"}\n";

#define RUN_EXPECT "argc=2 argv0=/cove/hello argv1=arg-one env=yes execfn=/cove/hello " \
	"plat=x86_64 tls=5 rand=f0e1d2c3b4a5968778695a4b3c2d1e0f pagesz=4096\n"

struct bin {
	bool tried, built;
	char path[256];
	uint8_t *img;
	size_t len;
};

static char tmp_dir[64];
static struct bin bins[BIN_NR];

static void tmp_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "elf: could not remove %s\n", tmp_dir);
}

static bool tmp_setup(void)
{
	char path[128];
	FILE *f;

	if (tmp_dir[0])
		return true;
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/cove-elf-XXXXXX");
	if (!mkdtemp(tmp_dir)) {
		tmp_dir[0] = '\0';
		return false;
	}
	atexit(tmp_cleanup);
	snprintf(path, sizeof(path), "%s/hello.c", tmp_dir);
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(hello_c, f);
	return fclose(f) == 0;
}

static bool have_musl(void)
{
	static int known = -1;

	if (known < 0)
		known = system("command -v musl-gcc >/dev/null 2>&1") == 0;
	return known;
}

static bool read_file(const char *path, uint8_t **img, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return false;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return false;
	}
	*img = malloc(n);
	*len = n;
	if (!*img || fread(*img, 1, n, f) != (size_t)n) {
		fclose(f);
		free(*img);
		*img = NULL;
		return false;
	}
	fclose(f);
	return true;
}

/*
 * Compiles a binary once. NULL if it cannot be built: a note when musl-gcc is
 * missing, a failure of every test that wanted the binary when a compiler fails.
 */
static const struct bin *bin_get(enum bin_kind k)
{
	struct bin *b = &bins[k];
	char cmd[1024];

	if (b->tried) {
		if (!b->built && (!bin_desc[k].musl || have_musl()))
			unit_fail(__FILE__, __LINE__, "host gcc could not build a test binary");
		return b->built ? b : NULL;
	}
	b->tried = true;
	if (bin_desc[k].musl && !have_musl()) {
		printf("  note: musl-gcc not installed (Debian package musl-tools); "
		       "skipping %s\n", bin_desc[k].name);
		return NULL;
	}
	if (!tmp_setup())
		return bin_get(k);
	snprintf(b->path, sizeof(b->path), "%s/%s", tmp_dir, bin_desc[k].name);
	snprintf(cmd, sizeof(cmd), "cd '%s' && %s -o '%s' >build-%s.log 2>&1", tmp_dir,
		 bin_desc[k].cmd, b->path, bin_desc[k].name);
	if (system(cmd) != 0 || !read_file(b->path, &b->img, &b->len)) {
		printf("  could not build %s: %s\n", bin_desc[k].name, cmd);
		return bin_get(k);
	}
	b->built = true;
	return b;
}

/* What readelf, an independent parser, says about a binary. */
struct re_facts {
	bool dyn;
	uint64_t entry, phoff;
	unsigned int phnum, nr_load;
	struct {
		uint64_t off, va, fs, ms;
		unsigned int prot;
	} load[32];
	bool has_tls, has_phdr, exec_stack;
	uint64_t tls_va, tls_fs, tls_ms, tls_align, phdr_va;
};

static unsigned int re_prot(const char *flags)
{
	unsigned int prot = 0;

	for (; *flags && strncmp(flags, "0x", 2); flags++) {
		if (*flags == 'R')
			prot |= ELF_PROT_R;
		else if (*flags == 'W')
			prot |= ELF_PROT_W;
		else if (*flags == 'E')
			prot |= ELF_PROT_X;
	}
	return prot;
}

static void re_line(struct re_facts *f, const char *line)
{
	uint64_t off, va, pa, fs, ms;
	const char *s, *al;
	char type[32];
	int n = 0;

	if ((s = strstr(line, "Entry point address:")))
		f->entry = strtoull(s + 20, NULL, 0);
	else if ((s = strstr(line, "Start of program headers:")))
		f->phoff = strtoull(s + 25, NULL, 0);
	else if ((s = strstr(line, "Number of program headers:")))
		f->phnum = strtoul(s + 26, NULL, 0);
	else if (strstr(line, "Type:") && strstr(line, "DYN"))
		f->dyn = true;
	if (sscanf(line, " %31s 0x%" SCNx64 " 0x%" SCNx64 " 0x%" SCNx64 " 0x%" SCNx64
		   " 0x%" SCNx64 " %n", type, &off, &va, &pa, &fs, &ms, &n) != 6 || !n)
		return;
	al = strstr(line + n, "0x");
	if (!strcmp(type, "LOAD") && ms && f->nr_load < ARRAY_SIZE(f->load)) {
		f->load[f->nr_load].off = off;
		f->load[f->nr_load].va = va;
		f->load[f->nr_load].fs = fs;
		f->load[f->nr_load].ms = ms;
		f->load[f->nr_load].prot = re_prot(line + n);
		f->nr_load++;
	} else if (!strcmp(type, "TLS")) {
		f->has_tls = true;
		f->tls_va = va;
		f->tls_fs = fs;
		f->tls_ms = ms;
		f->tls_align = al ? strtoull(al, NULL, 16) : 0;
	} else if (!strcmp(type, "PHDR")) {
		f->has_phdr = true;
		f->phdr_va = va;
	} else if (!strcmp(type, "GNU_STACK")) {
		f->exec_stack = re_prot(line + n) & ELF_PROT_X;
	}
}

static bool re_read(const char *path, struct re_facts *f)
{
	char cmd[512], line[512];
	FILE *p;

	memset(f, 0, sizeof(*f));
	snprintf(cmd, sizeof(cmd), "readelf -hlW '%s'", path);
	p = popen(cmd, "r");
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p))
		re_line(f, line);
	return pclose(p) == 0 && f->entry && f->nr_load;
}

static bool in_seg(const struct elf_segment *s, uint64_t addr, uint64_t size)
{
	return addr >= s->vaddr && addr - s->vaddr <= s->memsz &&
	       size <= s->memsz - (addr - s->vaddr);
}

/* Properties every accepted plan must have, whatever the input was. */
static void plan_sane(const struct elf_plan *p, size_t len)
{
	bool entry_ok = false, phdr_ok = !p->phdr_vaddr;

	CHECK(p->nr_segments > 0 && p->nr_segments <= ELF_MAX_SEGMENTS);
	CHECK(IS_ALIGNED(p->lo, PAGE_SIZE) && IS_ALIGNED(p->hi, PAGE_SIZE));
	CHECK(p->lo >= ELF_USER_MIN && p->lo < p->hi && p->hi <= ELF_USER_END);
	CHECK_EQ(p->phent, sizeof(struct elf64_phdr));
	for (uint32_t i = 0; i < p->nr_segments && i < ELF_MAX_SEGMENTS; i++) {
		const struct elf_segment *s = &p->seg[i];

		CHECK(s->memsz > 0 && s->filesz <= s->memsz);
		CHECK(s->file_off <= len && s->filesz <= len - s->file_off);
		CHECK(s->vaddr >= p->lo && s->vaddr + s->memsz <= p->hi);
		CHECK(IS_ALIGNED(s->vaddr - s->file_off, PAGE_SIZE));
		CHECK((s->prot & ~(ELF_PROT_R | ELF_PROT_W | ELF_PROT_X)) == 0);
		for (uint32_t j = i + 1; j < p->nr_segments && j < ELF_MAX_SEGMENTS; j++)
			CHECK(s->vaddr + s->memsz <= p->seg[j].vaddr ||
			      p->seg[j].vaddr + p->seg[j].memsz <= s->vaddr);
		if ((s->prot & ELF_PROT_X) && in_seg(s, p->entry, 1))
			entry_ok = true;
		if (in_seg(s, p->phdr_vaddr, (uint64_t)p->phnum * p->phent))
			phdr_ok = true;
	}
	CHECK(entry_ok);
	CHECK(phdr_ok);
	if (p->interp_len) {
		CHECK(p->interp_off < len && p->interp_len < len - p->interp_off);
		CHECK(p->phdr_vaddr != 0);
	} else {
		CHECK_EQ(p->interp_off, 0);
	}
}

/*
 * The plan matches readelf, and AT_PHDR maps back to the file's e_phoff.
 * False when there is no plan to look at further.
 */
static bool check_bin(enum bin_kind k, uint64_t pie_base, struct elf_plan *p)
{
	const struct bin *b = bin_get(k);
	struct re_facts f;
	const char *why = "unset";
	uint64_t bias, lo = UINT64_MAX, hi = 0;
	bool phdr_found = false;

	if (!b)
		return false;
	CHECK(re_read(b->path, &f));
	CHECK_EQ(elf_plan(b->img, b->len, pie_base, p, &why), 0);
	CHECK(why == NULL);
	if (why) {
		printf("  %s: %s\n", bin_desc[k].name, why);
		return false;
	}
	plan_sane(p, b->len);
	bias = f.dyn ? pie_base : 0;
	CHECK_EQ(p->bias, bias);
	CHECK_EQ(p->entry, f.entry + bias);
	CHECK_EQ(p->phnum, f.phnum);
	CHECK_EQ(p->nr_segments, f.nr_load);
	for (uint32_t i = 0; i < f.nr_load && i < p->nr_segments; i++) {
		CHECK_EQ(p->seg[i].vaddr, f.load[i].va + bias);
		CHECK_EQ(p->seg[i].file_off, f.load[i].off);
		CHECK_EQ(p->seg[i].filesz, f.load[i].fs);
		CHECK_EQ(p->seg[i].memsz, f.load[i].ms);
		CHECK_EQ(p->seg[i].prot, f.load[i].prot);
		lo = MIN(lo, ALIGN_DOWN(f.load[i].va, PAGE_SIZE));
		hi = MAX(hi, ALIGN_UP(f.load[i].va + f.load[i].ms, PAGE_SIZE));
		if (f.phoff >= f.load[i].off && f.phoff < f.load[i].off + f.load[i].fs) {
			CHECK_EQ(p->phdr_vaddr, f.load[i].va + (f.phoff - f.load[i].off) + bias);
			phdr_found = true;
		}
	}
	CHECK(phdr_found);
	if (f.has_phdr)
		CHECK_EQ(p->phdr_vaddr, f.phdr_va + bias);
	CHECK_EQ(p->lo, lo + bias);
	CHECK_EQ(p->hi, hi + bias);
	CHECK_EQ(p->has_tls, f.has_tls);
	CHECK_EQ(p->tls_vaddr, f.has_tls ? f.tls_va + bias : 0);
	CHECK_EQ(p->tls_filesz, f.tls_fs);
	CHECK_EQ(p->tls_memsz, f.tls_ms);
	CHECK_EQ(p->tls_align, f.tls_align);
	CHECK_EQ(p->exec_stack, f.exec_stack);
	return true;
}

static void check_rejected(const void *img, size_t len, uint64_t pie_base, const char *reason)
{
	struct elf_plan p;
	const char *why = NULL;
	int ret;

	memset(&p, 0x5a, sizeof(p));
	ret = elf_plan(img, len, pie_base, &p, &why);
	CHECK_EQ(ret, -ENOEXEC);
	CHECK(why != NULL);
	CHECK_EQ(p.nr_segments, 0);
	if (reason && (!why || strcmp(why, reason))) {
		printf("  expected \"%s\", got \"%s\"\n", reason, why ? why : "(null)");
		CHECK(0);
	}
}

TEST(elf_glibc_static)
{
	struct elf_plan p;

	if (!check_bin(BIN_GLIBC_STATIC, PIE_BASE, &p))
		return;
	CHECK_EQ(p.bias, 0);
	CHECK(p.has_tls);
	CHECK(!p.exec_stack);
}

TEST(elf_glibc_static_pie)
{
	struct elf_plan p;

	if (check_bin(BIN_GLIBC_STATIC_PIE, PIE_BASE, &p))
		CHECK_EQ(p.lo, PIE_BASE);
	if (check_bin(BIN_GLIBC_STATIC_PIE, 0x7f0000000000ULL, &p))
		CHECK_EQ(p.lo, 0x7f0000000000ULL);
}

TEST(elf_glibc_execstack)
{
	struct elf_plan p;

	if (check_bin(BIN_GLIBC_EXECSTACK, PIE_BASE, &p))
		CHECK(p.exec_stack);
}

TEST(elf_musl_static)
{
	struct elf_plan p;

	check_bin(BIN_MUSL_STATIC, PIE_BASE, &p);
}

TEST(elf_musl_static_pie)
{
	struct elf_plan p;

	if (check_bin(BIN_MUSL_STATIC_PIE, PIE_BASE, &p))
		CHECK_EQ(p.bias, PIE_BASE);
}

/* A plan that names an interpreter, and which one. */
static void check_interp(enum bin_kind k, const char *interp)
{
	const struct bin *b = bin_get(k);
	struct elf_plan p;

	if (!check_bin(k, PIE_BASE, &p))
		return;
	CHECK_EQ(p.interp_len, strlen(interp));
	if (p.interp_len == strlen(interp))
		CHECK(!memcmp(b->img + p.interp_off, interp, p.interp_len + 1));
	CHECK_EQ(p.align, PAGE_SIZE);
}

TEST(elf_dynamic_planned)
{
	struct elf_plan p;

	check_interp(BIN_GLIBC_DYNAMIC, GLIBC_INTERP);
	/* What Debian's musl-gcc makes of -static-pie: a PIE that needs libc.so. */
	check_interp(BIN_MUSL_GCC_STATIC_PIE, MUSL_INTERP);
	/* Static programs name none. */
	if (check_bin(BIN_GLIBC_STATIC, PIE_BASE, &p))
		CHECK_EQ(p.interp_len, 0);
}

/* The interpreters themselves: ET_DYN files without one of their own. */
TEST(elf_interpreters_planned)
{
	static const char *const paths[] = { GLIBC_INTERP, MUSL_INTERP };

	for (unsigned int i = 0; i < ARRAY_SIZE(paths); i++) {
		struct elf_plan p, q;
		uint8_t *img;
		size_t len;

		if (!read_file(paths[i], &img, &len)) {
			printf("  note: %s not installed; skipping it\n", paths[i]);
			continue;
		}
		CHECK_EQ(elf_plan(img, len, INTERP_BASE, &p, NULL), 0);
		plan_sane(&p, len);
		CHECK_EQ(p.interp_len, 0);
		CHECK_EQ(p.lo, INTERP_BASE);
		/* Planned again elsewhere: the same plan, moved. */
		CHECK_EQ(elf_plan(img, len, INTERP_BASE + 16 * p.align, &q, NULL), 0);
		CHECK_EQ(q.bias - p.bias, 16 * p.align);
		CHECK_EQ(q.entry - p.entry, 16 * p.align);
		free(img);
	}
}

/* Gives a page to each page-aligned piece of the plan with the union of its protections. */
static bool run_map(const struct bin *b, const struct elf_plan *p)
{
	uint8_t *lo = (uint8_t *)(uintptr_t)p->lo;

	if (mmap(lo, p->hi - p->lo, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != lo)
		return false;
	for (uint32_t i = 0; i < p->nr_segments; i++)
		memcpy((void *)(uintptr_t)p->seg[i].vaddr, b->img + p->seg[i].file_off,
		       p->seg[i].filesz);
	for (uint64_t pg = p->lo; pg < p->hi; pg += PAGE_SIZE) {
		int prot = PROT_NONE;

		for (uint32_t i = 0; i < p->nr_segments; i++) {
			const struct elf_segment *s = &p->seg[i];

			if (s->vaddr < pg + PAGE_SIZE && pg < s->vaddr + s->memsz)
				prot |= s->prot;
		}
		if (mprotect((void *)(uintptr_t)pg, PAGE_SIZE, prot))
			return false;
	}
	return true;
}

static __noreturn void run_jump(uint64_t entry, uint64_t sp)
{
	/* rdx = 0: no rtld_fini for _start to register with atexit. */
	asm volatile("mov %%rdi, %%rsp\n\t"
		     "xor %%edx, %%edx\n\t"
		     "xor %%ebp, %%ebp\n\t"
		     "jmp *%%rsi"
		     : : "D"(sp), "S"(entry) : "memory");
	__builtin_unreachable();
}

/* An interpreter for a run: its file and where it was planned. */
struct run_interp {
	struct bin bin;
	struct elf_plan plan;
};

/*
 * In the forked child: becomes the binary (started through its interpreter
 * when ip is not NULL, as exec does it), or exits with a code naming the
 * step that failed.
 */
static __noreturn void run_child(const struct bin *b, const struct elf_plan *p,
				 const struct run_interp *ip, int out_fd)
{
	static const char *const argv[] = { "/cove/hello", "arg-one", NULL };
	static const char *const envp[] = { "COVE_TEST=yes", "PATH=/bin", NULL };
	static const uint8_t rnd[16] = { 0xf0, 0xe1, 0xd2, 0xc3, 0xb4, 0xa5, 0x96, 0x87,
					 0x78, 0x69, 0x5a, 0x4b, 0x3c, 0x2d, 0x1e, 0x0f };
	unsigned int eax, ebx, ecx, edx = 0;
	struct user_stack_args a = {
		.argv = argv, .envp = envp, .execfn = "/cove/hello",
		.at_phdr = p->phdr_vaddr, .at_phent = p->phent, .at_phnum = p->phnum,
		.at_entry = p->entry, .at_base = ip ? ip->plan.bias : 0, .at_clktck = 100,
		.random16 = rnd, .platform = "x86_64", .at_minsigstksz = 2048,
	};
	uint8_t *stack = (uint8_t *)(uintptr_t)(RUN_STACK_TOP - RUN_STACK_SIZE);
	uint64_t sp;

	__get_cpuid(1, &eax, &ebx, &ecx, &edx);
	a.at_hwcap = edx;
	/* Whatever goes wrong in there must end the child, not hang it in ASan's handlers. */
	signal(SIGSEGV, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	signal(SIGABRT, SIG_DFL);
	alarm(20);
	if (dup2(out_fd, STDOUT_FILENO) < 0)
		_exit(101);
	if (!run_map(b, p))
		_exit(102);
	if (ip && !run_map(&ip->bin, &ip->plan))
		_exit(105);
	if (mmap(stack, RUN_STACK_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != stack)
		_exit(103);
	if (user_stack_build(stack, RUN_STACK_SIZE, RUN_STACK_TOP, &a, &sp))
		_exit(104);
	run_jump(ip ? ip->plan.entry : p->entry, sp);
}

static void run_bin(enum bin_kind k, uint64_t pie_base)
{
	const struct bin *b = bin_get(k);
	struct run_interp interp, *ip = NULL;
	struct elf_plan p;
	char out[1024];
	size_t got = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	if (!b)
		return;
	CHECK_EQ(elf_plan(b->img, b->len, pie_base, &p, NULL), 0);
	if (p.interp_len) {
		/* The host's own ld.so, at a base of its own, as exec places it. */
		ip = &interp;
		memset(ip, 0, sizeof(*ip));
		CHECK(read_file((const char *)b->img + p.interp_off, &ip->bin.img, &ip->bin.len));
		if (!ip->bin.img)
			return;
		CHECK_EQ(elf_plan(ip->bin.img, ip->bin.len, INTERP_BASE, &ip->plan, NULL), 0);
		CHECK_EQ(ip->plan.interp_len, 0);
	}
	CHECK_EQ(pipe(fds), 0);
	fflush(stdout);
	pid = fork();
	CHECK(pid >= 0);
	if (pid < 0)
		return;
	if (pid == 0)
		run_child(b, &p, ip, fds[1]);
	close(fds[1]);
	while (got < sizeof(out) - 1 && (n = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	if (ip)
		free(ip->bin.img);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status), 42);
	if (strcmp(out, RUN_EXPECT)) {
		printf("  %s printed: %s\n", bin_desc[k].name, out);
		CHECK(0);
	}
}

TEST(elf_run_glibc_static)
{
	run_bin(BIN_GLIBC_STATIC, PIE_BASE);
}

TEST(elf_run_glibc_static_pie)
{
	run_bin(BIN_GLIBC_STATIC_PIE, PIE_BASE);
}

TEST(elf_run_musl_static)
{
	run_bin(BIN_MUSL_STATIC, PIE_BASE);
}

/* Through the host's ld.so, which then maps libc.so itself. */
TEST(elf_run_glibc_dynamic)
{
	run_bin(BIN_GLIBC_DYNAMIC, PIE_BASE);
}

TEST(elf_run_musl_dynamic)
{
	run_bin(BIN_MUSL_GCC_STATIC_PIE, PIE_BASE);
}

TEST(elf_run_musl_static_pie)
{
	/* Not a multiple of any segment alignment: the planner must round it. */
	run_bin(BIN_MUSL_STATIC_PIE, PIE_BASE + 0x123);
}

/* An exact-size heap copy, so ASan flags a read of even one byte too many. */
static uint8_t *dup_img(const uint8_t *img, size_t len)
{
	uint8_t *c = malloc(len ? len : 1);

	if (!c)
		abort();
	memcpy(c, img, len);
	return c;
}

static struct elf64_ehdr get_ehdr(const uint8_t *img)
{
	struct elf64_ehdr eh;

	memcpy(&eh, img, sizeof(eh));
	return eh;
}

static struct elf64_phdr get_phdr(const uint8_t *img, unsigned int i)
{
	struct elf64_phdr ph;

	memcpy(&ph, img + get_ehdr(img).e_phoff + i * sizeof(ph), sizeof(ph));
	return ph;
}

static void put_phdr(uint8_t *img, unsigned int i, const struct elf64_phdr *ph)
{
	memcpy(img + get_ehdr(img).e_phoff + i * sizeof(*ph), ph, sizeof(*ph));
}

/* The index of the n-th PT_LOAD of a real binary. */
static unsigned int load_index(const uint8_t *img, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < get_ehdr(img).e_phnum; i++)
		if (get_phdr(img, i).p_type == PT_LOAD && n-- == 0)
			return i;
	abort();
}

/* Every byte the planner needs: headers and all the segments it reads. */
static size_t needed_len(const uint8_t *img)
{
	struct elf64_ehdr eh = get_ehdr(img);
	size_t need = eh.e_phoff + eh.e_phnum * sizeof(struct elf64_phdr);

	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph = get_phdr(img, i);

		if (ph.p_type == PT_LOAD || ph.p_type == PT_TLS || ph.p_type == PT_DYNAMIC)
			need = MAX(need, ph.p_offset + ph.p_filesz);
	}
	return need;
}

static void truncate_bin(enum bin_kind k)
{
	const struct bin *b = bin_get(k);
	struct elf_plan full, p;
	struct elf64_ehdr eh;
	size_t hdr_end, need;

	if (!b)
		return;
	CHECK_EQ(elf_plan(b->img, b->len, PIE_BASE, &full, NULL), 0);
	eh = get_ehdr(b->img);
	hdr_end = eh.e_phoff + eh.e_phnum * sizeof(struct elf64_phdr);
	need = needed_len(b->img);
	for (size_t len = 0; len < need; len += len <= hdr_end + 64 ? 1 : 4093) {
		uint8_t *c = dup_img(b->img, len);

		check_rejected(c, len, PIE_BASE, NULL);
		free(c);
	}
	check_rejected(b->img, need - 1, PIE_BASE, "segment data past end of file");
	for (size_t len = need; len <= b->len; len += (b->len - need) / 7 + 1) {
		uint8_t *c = dup_img(b->img, len);

		CHECK_EQ(elf_plan(c, len, PIE_BASE, &p, NULL), 0);
		CHECK(!memcmp(&p, &full, sizeof(p)));
		free(c);
	}
}

TEST(elf_truncated_everywhere)
{
	truncate_bin(BIN_GLIBC_STATIC);
	truncate_bin(BIN_GLIBC_STATIC_PIE);
	truncate_bin(BIN_MUSL_STATIC_PIE);
	check_rejected(NULL, 0, PIE_BASE, "empty file");
	check_rejected("\x7f" "EL", 3, PIE_BASE, "truncated ELF header");
	check_rejected("\x7f" "ELF", 4, PIE_BASE, "truncated ELF header");
	check_rejected("#!/bin/sh\n", 10, PIE_BASE, "not an ELF file");
	check_rejected("\x7f", 1, PIE_BASE, "truncated ELF header");
	check_rejected("M", 1, PIE_BASE, "not an ELF file");
}

/* Runs a mutation on an exact-size copy of the glibc static binary and expects reason. */
#define MUTATE(reason, stmt)							\
	do {									\
		const struct bin *_b = bin_get(BIN_GLIBC_STATIC);		\
		if (_b) {							\
			uint8_t *img = dup_img(_b->img, _b->len);		\
			struct elf64_ehdr eh = get_ehdr(img);			\
			struct elf64_phdr ph;					\
			(void)eh;						\
			(void)ph;						\
			stmt;							\
			check_rejected(img, _b->len, PIE_BASE, reason);		\
			free(img);						\
		}								\
	} while (0)

#define SET_EHDR(field, val)							\
	do {									\
		eh.field = (val);						\
		memcpy(img, &eh, sizeof(eh));					\
	} while (0)

/* Changes one field of the n-th PT_LOAD. */
#define SET_LOAD(n, field, val)							\
	do {									\
		unsigned int _i = load_index(img, (n));				\
		ph = get_phdr(img, _i);						\
		ph.field = (val);						\
		put_phdr(img, _i, &ph);						\
	} while (0)

TEST(elf_bad_ident)
{
	static const char *const not_x86 = "not a 64-bit x86-64 executable";

	MUTATE("not an ELF file", img[1] = 'e');
	MUTATE(not_x86, img[EI_CLASS] = 1);
	MUTATE(not_x86, img[EI_DATA] = 2);
	MUTATE(not_x86, SET_EHDR(e_machine, 3));
	MUTATE(not_x86, SET_EHDR(e_machine, 183));
	MUTATE("unsupported ELF version", img[EI_VERSION] = 2);
	MUTATE("unsupported ELF version", SET_EHDR(e_version, 0));
	MUTATE("relocatable or core file, not an executable", SET_EHDR(e_type, ET_REL));
	MUTATE("relocatable or core file, not an executable", SET_EHDR(e_type, ET_CORE));
	MUTATE("unknown ELF file type", SET_EHDR(e_type, 0xfe00));
}

TEST(elf_bad_phdr_table)
{
	const char *past = "program headers past end of file";

	MUTATE("unexpected program header size", SET_EHDR(e_phentsize, 32));
	MUTATE("unexpected program header size", SET_EHDR(e_phentsize, 64));
	MUTATE("no loadable segments", SET_EHDR(e_phnum, 0));
	MUTATE("too many program headers", SET_EHDR(e_phnum, 0xffff));
	MUTATE(past, SET_EHDR(e_phoff, UINT64_MAX - 8));
	MUTATE(past, SET_EHDR(e_phoff, 1ULL << 40));
	MUTATE(past, SET_EHDR(e_phoff, _b->len - 56));
	MUTATE(past, SET_EHDR(e_phoff, _b->len - 56 * (eh.e_phnum - 1)));
}

TEST(elf_bad_segments)
{
	MUTATE("file size larger than memory size", SET_LOAD(1, p_filesz, ph.p_memsz + 1));
	MUTATE("segment data past end of file", SET_LOAD(1, p_offset, _b->len + PAGE_SIZE));
	MUTATE("segment data past end of file", SET_LOAD(3, p_offset, UINT64_MAX - PAGE_SIZE + 1));
	MUTATE("segment data past end of file", SET_LOAD(0, p_filesz, _b->len + 1);
	       SET_LOAD(0, p_memsz, _b->len + 1));
	MUTATE(WHY_MISALIGNED, SET_LOAD(2, p_vaddr, ph.p_vaddr + 8));
	MUTATE(WHY_MISALIGNED, SET_LOAD(1, p_offset, ph.p_offset + 1));
	/* The second segment moved onto the first, same page offset. */
	MUTATE("segments overlap", SET_LOAD(1, p_vaddr, get_phdr(img, load_index(img, 0)).p_vaddr));
	MUTATE("segments overlap", SET_LOAD(0, p_memsz, ph.p_memsz + PAGE_SIZE));
	MUTATE("segment wraps the address space", SET_LOAD(2, p_vaddr, 0xfffffffffffff000ULL);
	       SET_LOAD(2, p_offset, 0));
	MUTATE("segment wraps the address space", SET_LOAD(3, p_memsz, UINT64_MAX));
	MUTATE("segment wraps the address space",
	       SET_LOAD(1, p_vaddr, 0xfffffffffffff000ULL + (ph.p_offset & 0xfff));
	       SET_LOAD(1, p_filesz, 0x10); SET_LOAD(1, p_memsz, PAGE_SIZE - 1));
	MUTATE("segment above the user address limit",
	       SET_LOAD(3, p_vaddr, 0xffff800000000000ULL + (ph.p_offset & 0xfff)));
	MUTATE("segment above the user address limit",
	       SET_LOAD(3, p_vaddr, ELF_USER_END - PAGE_SIZE + (ph.p_offset & 0xfff)));
	MUTATE("segment below the minimum user address", SET_LOAD(0, p_vaddr, 0));
	MUTATE("no loadable segments",
	       for (unsigned int i = 0; i < eh.e_phnum; i++) {
		       ph = get_phdr(img, i);
		       if (ph.p_type == PT_LOAD)
			       ph.p_type = PT_NULL;
		       put_phdr(img, i, &ph);
	       });
	MUTATE("entry point is not in an executable segment", SET_EHDR(e_entry, 0x400000));
	MUTATE("entry point is not in an executable segment", SET_EHDR(e_entry, 0));
	MUTATE("entry point is not in an executable segment", SET_LOAD(1, p_flags, PF_R));
	/* A 150 KiB read-only segment taken for the interpreter's name. */
	MUTATE(WHY_INTERP_LEN, SET_LOAD(2, p_type, PT_INTERP));
	/* The interpreter is looked at first, whatever else is wrong too. */
	MUTATE(WHY_INTERP_LEN, SET_LOAD(2, p_type, PT_INTERP); SET_EHDR(e_entry, 0));
	/* The ELF header's bytes: not a string. */
	MUTATE(WHY_INTERP_STR, SET_LOAD(0, p_filesz, 64); SET_LOAD(0, p_type, PT_INTERP));
}

TEST(elf_tls)
{
	MUTATE("more than one TLS segment", SET_LOAD(0, p_type, PT_TLS));
	MUTATE("TLS segment outside the loaded segments", {
		for (unsigned int i = 0; i < eh.e_phnum; i++) {
			ph = get_phdr(img, i);
			if (ph.p_type == PT_TLS)
				ph.p_vaddr = 0x100000000ULL;
			put_phdr(img, i, &ph);
		}
	});
	MUTATE("TLS alignment is not a power of two", {
		for (unsigned int i = 0; i < eh.e_phnum; i++) {
			ph = get_phdr(img, i);
			if (ph.p_type == PT_TLS)
				ph.p_align = 24;
			put_phdr(img, i, &ph);
		}
	});
}

/*
 * A minimal hand-made executable, to reach cases no compiler emits: a text
 * page holding the headers and a data segment with some bss.
 */
#define SYN_LEN 0x2000
#define SYN_NR_PH 4

struct syn {
	uint8_t img[SYN_LEN];
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
};

static void syn_init(struct syn *s, uint16_t type, uint64_t base)
{
	memset(s->img, 0, sizeof(s->img));
	s->eh = (struct elf64_ehdr *)s->img;
	s->ph = (struct elf64_phdr *)(s->img + sizeof(*s->eh));
	memcpy(s->eh->e_ident, "\x7f" "ELF", 4);
	s->eh->e_ident[EI_CLASS] = ELFCLASS64;
	s->eh->e_ident[EI_DATA] = ELFDATA2LSB;
	s->eh->e_ident[EI_VERSION] = EV_CURRENT;
	s->eh->e_type = type;
	s->eh->e_machine = EM_X86_64;
	s->eh->e_version = EV_CURRENT;
	s->eh->e_entry = base + 0x800;
	s->eh->e_phoff = sizeof(*s->eh);
	s->eh->e_ehsize = sizeof(*s->eh);
	s->eh->e_phentsize = sizeof(*s->ph);
	s->eh->e_phnum = 2;
	s->ph[0] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
		.p_offset = 0, .p_vaddr = base, .p_filesz = 0x1000, .p_memsz = 0x1000,
		.p_align = PAGE_SIZE };
	s->ph[1] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
		.p_offset = 0x1000, .p_vaddr = base + 0x3000, .p_filesz = 0x800,
		.p_memsz = 0x2800, .p_align = PAGE_SIZE };
}

static int syn_plan(struct syn *s, uint64_t pie_base, struct elf_plan *p, const char **why)
{
	uint8_t *c = dup_img(s->img, SYN_LEN);
	int ret = elf_plan(c, SYN_LEN, pie_base, p, why);

	if (!ret)
		plan_sane(p, SYN_LEN);
	free(c);
	return ret;
}

static void syn_reject(struct syn *s, uint64_t pie_base, const char *reason)
{
	check_rejected(s->img, SYN_LEN, pie_base, reason);
}

TEST(elf_synthetic_exec)
{
	struct syn s;
	struct elf_plan p;
	const char *why = "unset";

	syn_init(&s, ET_EXEC, 0x400000);
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, &why), 0);
	CHECK(why == NULL);
	CHECK_EQ(p.bias, 0);
	CHECK_EQ(p.entry, 0x400800);
	CHECK_EQ(p.lo, 0x400000);
	CHECK_EQ(p.hi, 0x406000);
	CHECK_EQ(p.phdr_vaddr, 0x400040);
	CHECK_EQ(p.phnum, 2);
	CHECK_EQ(p.phent, 56);
	CHECK_EQ(p.nr_segments, 2);
	CHECK_EQ(p.seg[0].prot, ELF_PROT_R | ELF_PROT_X);
	CHECK_EQ(p.seg[1].prot, ELF_PROT_R | ELF_PROT_W);
	CHECK_EQ(p.seg[1].vaddr, 0x403000);
	CHECK_EQ(p.seg[1].file_off, 0x1000);
	CHECK_EQ(p.seg[1].filesz, 0x800);
	CHECK_EQ(p.seg[1].memsz, 0x2800);
	CHECK(!p.has_tls);
	CHECK(!p.exec_stack);

	/* Empty PT_LOADs map nothing and take no slot. */
	s.eh->e_phnum = 3;
	s.ph[2] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_vaddr = 0x900000 };
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.nr_segments, 2);

	/* Neighbours may share a page as long as their bytes do not overlap. */
	syn_init(&s, ET_EXEC, 0x400000);
	s.ph[0].p_memsz = s.ph[0].p_filesz = 0x900;
	s.ph[1].p_vaddr = 0x400900;
	s.ph[1].p_offset = 0x900;
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.hi, 0x404000);
	s.ph[1].p_vaddr -= 0x10;
	s.ph[1].p_offset -= 0x10;
	syn_reject(&s, PIE_BASE, "segments overlap");

	/* Exactly at the user limit is fine, one byte more is not. */
	syn_init(&s, ET_EXEC, 0x400000);
	s.ph[1].p_vaddr = ELF_USER_END - 0x3000;
	s.ph[1].p_memsz = 0x3000;
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.hi, ELF_USER_END);
	s.ph[1].p_memsz++;
	syn_reject(&s, PIE_BASE, "segment above the user address limit");
}

TEST(elf_synthetic_headers)
{
	struct syn s;
	struct elf_plan p;

	/* PT_PHDR is trusted only when it names the table actually parsed. */
	syn_init(&s, ET_EXEC, 0x400000);
	s.eh->e_phnum = 3;
	s.ph[2] = (struct elf64_phdr){ .p_type = PT_PHDR, .p_flags = PF_R, .p_offset = 0x40,
		.p_vaddr = 0x400040, .p_filesz = 3 * 56, .p_memsz = 3 * 56 };
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.phdr_vaddr, 0x400040);
	s.ph[2].p_vaddr = 0x400100;
	syn_reject(&s, PIE_BASE, "PT_PHDR does not describe the loaded program headers");
	s.ph[2].p_vaddr = 0x405000;
	syn_reject(&s, PIE_BASE, "PT_PHDR does not describe the loaded program headers");
	s.ph[2].p_vaddr = UINT64_MAX - 8;
	syn_reject(&s, PIE_BASE, "PT_PHDR does not describe the loaded program headers");

	/* Headers outside every segment: no AT_PHDR, but still runnable. */
	syn_init(&s, ET_EXEC, 0x400000);
	s.ph[0].p_offset = 0x1000;
	s.ph[0].p_filesz = 0x800;
	s.ph[1].p_offset = 0x1000;
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.phdr_vaddr, 0);

	/* Executable stack request. */
	syn_init(&s, ET_EXEC, 0x400000);
	s.eh->e_phnum = 3;
	s.ph[2] = (struct elf64_phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W | PF_X };
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK(p.exec_stack);

	/* More PT_LOADs than a plan holds. */
	syn_init(&s, ET_EXEC, 0x400000);
	s.eh->e_phnum = ELF_MAX_SEGMENTS + 1;
	for (unsigned int i = 2; i < ELF_MAX_SEGMENTS + 1; i++)
		s.ph[i] = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = PF_R,
			.p_offset = 0x1000, .p_vaddr = 0x1000000 + i * 0x10000,
			.p_filesz = 0x10, .p_memsz = 0x10 };
	syn_reject(&s, PIE_BASE, "too many loadable segments");
	s.eh->e_phnum = ELF_MAX_SEGMENTS;
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.nr_segments, ELF_MAX_SEGMENTS);
	CHECK_EQ(p.hi, 0x1000000 + 15 * 0x10000 + PAGE_SIZE);

	/* A pure-bss TLS segment may sit anywhere; an initialised one must be loaded. */
	syn_init(&s, ET_EXEC, 0x400000);
	s.eh->e_phnum = 3;
	s.ph[2] = (struct elf64_phdr){ .p_type = PT_TLS, .p_flags = PF_R, .p_offset = 0x1000,
		.p_vaddr = 0x403000, .p_filesz = 0x10, .p_memsz = 0x40, .p_align = 64 };
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK(p.has_tls);
	CHECK_EQ(p.tls_vaddr, 0x403000);
	CHECK_EQ(p.tls_filesz, 0x10);
	CHECK_EQ(p.tls_memsz, 0x40);
	CHECK_EQ(p.tls_align, 64);
	s.ph[2].p_filesz = 0x50;
	syn_reject(&s, PIE_BASE, "file size larger than memory size");
	s.ph[2].p_filesz = 0x10;
	s.ph[2].p_offset = SYN_LEN - 8;
	syn_reject(&s, PIE_BASE, "segment data past end of file");
	s.ph[2].p_offset = 0x1000;
	s.ph[2].p_memsz = 1ULL << 60;
	syn_reject(&s, PIE_BASE, "TLS segment too large");
	s.ph[2].p_memsz = 0x40;
	s.ph[2].p_vaddr = 0x402ff8;
	syn_reject(&s, PIE_BASE, "TLS segment outside the loaded segments");
	s.ph[2].p_filesz = 0;
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
}

TEST(elf_synthetic_pie)
{
	struct syn s;
	struct elf_plan p;
	struct elf64_dyn dyn[3] = { { 0x1e, 8 }, { DT_NEEDED, 1 }, { DT_NULL, 0 } };

	syn_init(&s, ET_DYN, 0);
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.bias, PIE_BASE);
	CHECK_EQ(p.lo, PIE_BASE);
	CHECK_EQ(p.entry, PIE_BASE + 0x800);
	CHECK_EQ(p.phdr_vaddr, PIE_BASE + 0x40);
	CHECK_EQ(p.seg[1].vaddr, PIE_BASE + 0x3000);

	/* The base is rounded up to a page... */
	CHECK_EQ(syn_plan(&s, PIE_BASE + 1, &p, NULL), 0);
	CHECK_EQ(p.lo, PIE_BASE + PAGE_SIZE);
	/* ...or to the linker's larger alignment, which keeps huge-page layouts intact. */
	s.ph[0].p_align = s.ph[1].p_align = PAGE_SIZE_2M;
	CHECK_EQ(syn_plan(&s, PIE_BASE + 1, &p, NULL), 0);
	CHECK_EQ(p.lo, PIE_BASE + PAGE_SIZE_2M);
	/* Absurd alignments are ignored rather than pushing the image out of reach. */
	s.ph[0].p_align = 1ULL << 45;
	s.ph[1].p_align = 3 * PAGE_SIZE;
	CHECK_EQ(syn_plan(&s, PIE_BASE + 1, &p, NULL), 0);
	CHECK_EQ(p.lo, PIE_BASE + PAGE_SIZE);

	/* A link address other than 0 is subtracted out. */
	syn_init(&s, ET_DYN, 0x200000);
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.bias, PIE_BASE - 0x200000);
	CHECK_EQ(p.entry, PIE_BASE + 0x800);

	/* Bases that would put the image out of the user half. */
	syn_init(&s, ET_DYN, 0);
	CHECK_EQ(syn_plan(&s, ELF_USER_END - 0x6000, &p, NULL), 0);
	CHECK_EQ(p.hi, ELF_USER_END);
	syn_reject(&s, ELF_USER_END - 0x5000, "segment above the user address limit");
	syn_reject(&s, ELF_USER_END, "segment above the user address limit");
	syn_reject(&s, UINT64_MAX, "segment above the user address limit");
	syn_reject(&s, 0, "segment below the minimum user address");

	/* PT_DYNAMIC is fine for self-relocation, DT_NEEDED is not. */
	syn_init(&s, ET_DYN, 0);
	s.eh->e_phnum = 3;
	s.ph[2] = (struct elf64_phdr){ .p_type = PT_DYNAMIC, .p_flags = PF_R | PF_W,
		.p_offset = 0x1100, .p_vaddr = 0x3100, .p_filesz = sizeof(dyn),
		.p_memsz = sizeof(dyn) };
	dyn[1].d_tag = 0x1e;
	memcpy(s.img + 0x1100, dyn, sizeof(dyn));
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	dyn[1].d_tag = DT_NEEDED;
	memcpy(s.img + 0x1100, dyn, sizeof(dyn));
	syn_reject(&s, PIE_BASE, WHY_DYN_NEEDED);
	/* Entries after DT_NULL mean nothing. */
	dyn[0].d_tag = DT_NULL;
	memcpy(s.img + 0x1100, dyn, sizeof(dyn));
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	s.ph[2].p_offset = SYN_LEN - 16;
	s.ph[2].p_filesz = 32;
	syn_reject(&s, PIE_BASE, "segment data past end of file");
}

TEST(elf_synthetic_interp)
{
	static const char name[] = "/lib/ld.so";
	struct elf64_dyn dyn[2] = { { DT_NEEDED, 1 }, { DT_NULL, 0 } };
	struct syn s;
	struct elf_plan p;

	syn_init(&s, ET_DYN, 0);
	s.eh->e_phnum = 3;
	memcpy(s.img + 0x200, name, sizeof(name));
	s.ph[2] = (struct elf64_phdr){ .p_type = PT_INTERP, .p_flags = PF_R, .p_offset = 0x200,
		.p_vaddr = 0x200, .p_filesz = sizeof(name), .p_memsz = sizeof(name), .p_align = 1 };
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	CHECK_EQ(p.interp_off, 0x200);
	CHECK_EQ(p.interp_len, sizeof(name) - 1);
	CHECK_EQ(p.align, PAGE_SIZE);

	/* With an interpreter, DT_NEEDED is what it is there for. */
	s.eh->e_phnum = 4;
	memcpy(s.img + 0x1100, dyn, sizeof(dyn));
	s.ph[3] = (struct elf64_phdr){ .p_type = PT_DYNAMIC, .p_flags = PF_R | PF_W,
		.p_offset = 0x1100, .p_vaddr = 0x3100, .p_filesz = sizeof(dyn),
		.p_memsz = sizeof(dyn) };
	CHECK_EQ(syn_plan(&s, PIE_BASE, &p, NULL), 0);
	s.ph[2].p_type = PT_NULL;
	syn_reject(&s, PIE_BASE, WHY_DYN_NEEDED);
	s.ph[2].p_type = PT_INTERP;

	/* Only one, and only a clean string that lies in the file. */
	s.ph[3] = s.ph[2];
	syn_reject(&s, PIE_BASE, "more than one interpreter (PT_INTERP)");
	s.eh->e_phnum = 3;
	s.ph[2].p_filesz = sizeof(name) - 1;
	syn_reject(&s, PIE_BASE, WHY_INTERP_STR);
	s.ph[2].p_filesz = sizeof(name) + 1;
	syn_reject(&s, PIE_BASE, WHY_INTERP_STR);
	s.ph[2].p_filesz = 1;
	syn_reject(&s, PIE_BASE, WHY_INTERP_LEN);
	s.ph[2].p_offset = 0;
	s.ph[2].p_filesz = 4097;
	syn_reject(&s, PIE_BASE, WHY_INTERP_LEN);
	s.ph[2].p_offset = SYN_LEN - 4;
	s.ph[2].p_filesz = sizeof(name);
	syn_reject(&s, PIE_BASE, "interpreter path past end of file");
	s.ph[2].p_offset = UINT64_MAX - 2;
	syn_reject(&s, PIE_BASE, "interpreter path past end of file");

	/* ld.so needs AT_PHDR: headers outside every segment will not do. */
	s.ph[2].p_offset = 0x200;
	s.ph[2].p_filesz = sizeof(name);
	s.ph[0].p_offset = 0x1000;
	s.ph[0].p_filesz = 0x800;
	s.ph[1].p_offset = 0x1000;
	syn_reject(&s, PIE_BASE,
		   "program headers are not loaded, so the interpreter cannot find them");
}

TEST(elf_why_optional)
{
	struct syn s;
	struct elf_plan p;

	syn_init(&s, ET_EXEC, 0x400000);
	CHECK_EQ(elf_plan(s.img, SYN_LEN, 0, &p, NULL), 0);
	s.eh->e_machine = 0;
	CHECK_EQ(elf_plan(s.img, SYN_LEN, 0, &p, NULL), -ENOEXEC);
}

/* xorshift64, so a failing case can be replayed from its seed. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Random damage to the headers of real and synthetic images: whatever comes
 * out must be a clean rejection or a plan that keeps every promise.
 */
TEST(elf_fuzz_headers)
{
	static const uint64_t interesting[] = { 0, 1, 0xfff, 0x1000, 0x7fffffffffff,
		0x800000000000, 0xffff800000000000, UINT64_MAX, UINT64_MAX - 0xfff };
	/* The small musl image keeps 20000 exact-size copies cheap. */
	const struct bin *b = have_musl() ? bin_get(BIN_MUSL_STATIC_PIE) :
					    bin_get(BIN_GLIBC_STATIC_PIE);
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	struct syn s;

	for (int iter = 0; iter < 20000; iter++) {
		const uint8_t *src;
		size_t len, hdr;
		struct elf_plan p;
		const char *why;
		uint8_t *c;
		int ret;

		if (b && iter % 8 < 3) {
			src = b->img;
			len = b->len;
		} else {
			syn_init(&s, iter & 2 ? ET_DYN : ET_EXEC, iter & 2 ? 0 : 0x400000);
			s.eh->e_phnum = 1 + rng_next(&seed) % SYN_NR_PH;
			src = s.img;
			len = SYN_LEN;
		}
		hdr = MIN(len, get_ehdr(src).e_phoff + get_ehdr(src).e_phnum * 56);
		c = dup_img(src, len);
		for (int n = rng_next(&seed) % 4 + 1; n; n--) {
			size_t at = rng_next(&seed) % hdr;
			uint64_t v = rng_next(&seed);

			if (v & 1)
				c[at] ^= 1u << (v >> 1) % 8;
			else if (at + 8 <= len)
				memcpy(c + at, &interesting[(v >> 1) % ARRAY_SIZE(interesting)], 8);
		}
		if (rng_next(&seed) % 8 == 0) {
			uint8_t *cut;

			len = rng_next(&seed) % (len + 1);
			cut = dup_img(c, len);
			free(c);
			c = cut;
		}
		ret = elf_plan(c, len, PIE_BASE + (rng_next(&seed) & 0xffff), &p, &why);
		CHECK(ret == 0 || ret == -ENOEXEC);
		CHECK(ret ? why != NULL : why == NULL);
		if (!ret)
			plan_sane(&p, len);
		free(c);
	}
}

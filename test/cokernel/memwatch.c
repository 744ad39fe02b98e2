// SPDX-License-Identifier: GPL-2.0
/*
 * memwatch ADDRFILE GOFILE: hold a patterned buffer of host (Linux) memory,
 * publish the physical address of one of its words, and when GOFILE
 * appears say whether anything changed it. The co-kernel fault tests aim
 * a wild write from Cove at that word: protected, the buffer must be
 * unchanged; unprotected, the write must show up here.
 *
 * Exit: 0 unchanged, 3 changed, 4 the page moved (inconclusive), 1 error.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BUF_SIZE (4UL << 20)
#define TARGET_OFFSET (BUF_SIZE / 2 + 0x100)

static uint64_t pattern(size_t i)
{
	return (uint64_t)i * 0x9e3779b97f4a7c15ULL ^ 0x5a5a5a5a5a5a5a5aULL;
}

static uint64_t phys_of(const void *p)
{
	uint64_t entry = 0, page = (uint64_t)(uintptr_t)p / 4096;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || pread(fd, &entry, 8, (off_t)(page * 8)) != 8) {
		perror("memwatch: /proc/self/pagemap");
		exit(1);
	}
	close(fd);
	if (!(entry >> 63) || !(entry & ((1ULL << 55) - 1))) {
		fprintf(stderr, "memwatch: no physical address (not root?)\n");
		exit(1);
	}
	return (entry & ((1ULL << 55) - 1)) * 4096 + (uint64_t)(uintptr_t)p % 4096;
}

int main(int argc, char **argv)
{
	uint64_t *buf, phys;
	size_t n = BUF_SIZE / 8, changed = 0, first = 0;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: memwatch ADDRFILE GOFILE\n");
		return 1;
	}
	buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
		   MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED || mlock(buf, BUF_SIZE)) {
		perror("memwatch: buffer");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = pattern(i);
	phys = phys_of((char *)buf + TARGET_OFFSET);
	f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%#llx\n", (unsigned long long)phys) < 0 || fclose(f)) {
		perror("memwatch: ADDRFILE");
		return 1;
	}
	for (int t = 0; access(argv[2], F_OK); t++) {
		if (t > 6000) {
			fprintf(stderr, "memwatch: %s never appeared\n", argv[2]);
			return 1;
		}
		usleep(100000);
	}
	if (phys_of((char *)buf + TARGET_OFFSET) != phys) {
		printf("memwatch: the page moved; inconclusive\n");
		return 4;
	}
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != pattern(i) && !changed++)
			first = i;
	}
	if (!changed) {
		printf("memwatch: unchanged (%lu KiB of Linux memory around %#llx)\n",
		       BUF_SIZE >> 10, (unsigned long long)phys);
		return 0;
	}
	printf("memwatch: CHANGED: %zu words, first at physical %#llx now %#llx\n", changed,
	       (unsigned long long)(phys - TARGET_OFFSET + first * 8),
	       (unsigned long long)buf[first]);
	return 3;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_ring: the ranks of a job spread over nodes pass a token and a block
 * of data around a ring of TCP connections, as an MPI library's socket
 * transport does between nodes, without MPI. Under Cove every socket call
 * is offloaded to the rank's `cove run` on its node.
 *
 *   tcp_ring PORT ADDR0 ADDR1 ...
 *	rank r (PMI_RANK or SLURM_PROCID; the ring has one rank per ADDR) listens
 *	on PORT + r, connects to rank r+1 at its IPv4 address, and accepts
 *	rank r-1. Rank 0 starts each of ROUNDS rounds; every rank mixes its
 *	number into the token and checksums the 64 KiB block it forwards.
 *	Prints one line per rank and rank 0 the token: the same on Linux and
 *	in an enclave.
 *   tcp_ring --pingpong PORT ADDR0 ADDR1 [ROUNDS]
 *	ranks 0 and 1 only: ROUNDS round trips of 8 bytes and of 64 KiB;
 *	rank 0 prints "tcp_pingpong: latency_ns=N bandwidth_mbs=M".
 *
 * --nonblocking (first): accept, read and write never wait on the host;
 * they retry after a 1 ms sleep instead. In co-kernel mode a host call
 * that waits (an accept, a read with no data yet) keeps one of the
 * enclave's four long-call slots until it returns, and the slots are
 * taken in turn, so a few calls later every other job of the enclave
 * waits behind it: two ranks of one enclave that wait on each other
 * through the host never finish. This mode keeps such rings running.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

const char *prog = "tcp_ring";

#define ROUNDS 4
#define BLOCK (64 * 1024)

static int nonblocking;	/* --nonblocking; set once by main */

static void set_nonblocking(int fd)
{
	if (nonblocking && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK))
		die("O_NONBLOCK: %s", strerror(errno));
}

static void io_all(int fd, void *buf, size_t len, int sending)
{
	char *p = buf;

	while (len) {
		ssize_t n = sending ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			usleep(1000);
			continue;
		}
		if (n <= 0)
			die("%s: %s", sending ? "write" : "read", n ? strerror(errno) : "peer closed");
		p += n;
		len -= (size_t)n;
	}
}

static void addr_of(const char *ip, unsigned int port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &sa->sin_addr) != 1)
		die("'%s' is not an IPv4 address", ip);
}

static int listen_on(unsigned int port)
{
	struct sockaddr_in sa;
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	addr_of("0.0.0.0", port, &sa);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		die("listening on port %u: %s", port, strerror(errno));
	set_nonblocking(fd);
	return fd;
}

/* The peer may not listen yet: its node's launcher starts it when it can. */
static int connect_to(const char *ip, unsigned int port)
{
	struct sockaddr_in sa;
	int one = 1;

	addr_of(ip, port, &sa);
	for (int tries = 0; tries < 1200; tries++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (fd < 0)
			die("socket: %s", strerror(errno));
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			set_nonblocking(fd);
			return fd;
		}
		close(fd);
		usleep(100000);
	}
	die("could not connect to %s:%u: %s", ip, port, strerror(errno));
}

static int accept_one(int lfd)
{
	int one = 1, fd;

	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd >= 0 || (errno != EINTR && errno != EAGAIN))
			break;
		if (errno == EAGAIN)
			usleep(1000);
	}
	if (fd < 0)
		die("accept: %s", strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_nonblocking(fd);
	return fd;
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n--)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/*
 * The rank as the launcher says: PMI_RANK under an MPI launcher (Hydra sets
 * it for each rank; its proxies, started by srun, leave their own
 * SLURM_PROCID behind), else SLURM_PROCID under srun.
 */
static unsigned int my_rank(unsigned int size)
{
	const char *name = getenv("PMI_RANK") ? "PMI_RANK" : "SLURM_PROCID";
	const char *v = getenv(name);
	char *end;
	unsigned long r;

	if (!v)
		die("neither PMI_RANK nor SLURM_PROCID: run me under srun or mpiexec");
	r = strtoul(v, &end, 10);
	if (!*v || *end || r >= size)
		die("%s=%s, but %u addresses given", name, v, size);
	return (unsigned int)r;
}

static int ring(unsigned int port, char **addrs, unsigned int size)
{
	unsigned int rank = my_rank(size), next = (rank + 1) % size;
	unsigned char *block = malloc(BLOCK);
	uint64_t token = 0, sum = 0;
	int lfd, in, out;

	if (!block)
		die("out of memory");
	lfd = listen_on(port + rank);
	/* Rank 0 connects first: everyone else is then waiting in accept. */
	if (rank == 0) {
		out = connect_to(addrs[next], port + next);
		in = accept_one(lfd);
	} else {
		in = accept_one(lfd);
		out = connect_to(addrs[next], port + next);
	}
	for (unsigned int k = 0; k < ROUNDS; k++) {
		if (rank == 0) {
			token = token * 1000003 + k + 1;
			for (size_t i = 0; i < BLOCK; i++)
				block[i] = (unsigned char)(i * 7 + k);
		} else {
			io_all(in, &token, sizeof(token), 0);
			io_all(in, block, BLOCK, 0);
			token = token * 31 + rank;
			block[rank % BLOCK] ^= (unsigned char)(rank + k);
		}
		sum ^= fnv1a(block, BLOCK) + k;
		io_all(out, &token, sizeof(token), 1);
		io_all(out, block, BLOCK, 1);
		if (rank == 0) {
			io_all(in, &token, sizeof(token), 0);
			io_all(in, block, BLOCK, 0);
		}
	}
	printf("tcp_ring rank %u of %u: block checksum %016llx\n", rank, size,
	       (unsigned long long)sum);
	if (rank == 0)
		printf("tcp_ring: token %016llx after %d rounds\n", (unsigned long long)token,
		       ROUNDS);
	return 0;
}

static int pingpong(unsigned int port, char **addrs, unsigned long rounds)
{
	unsigned int rank = my_rank(2);
	static unsigned char block[BLOCK];
	uint64_t word = 0, t0, lat = 0, bw = 0;
	int lfd, fd;

	if (rank == 0) {
		fd = connect_to(addrs[1], port + 1);
	} else {
		lfd = listen_on(port + 1);
		fd = accept_one(lfd);
	}
	for (int size = 0; size < 2; size++) {
		size_t len = size ? BLOCK : sizeof(word);
		void *buf = size ? (void *)block : (void *)&word;

		/* One untimed round trip first: connection set-up is not latency. */
		t0 = 0;
		for (unsigned long i = 0; i <= rounds; i++) {
			if (i == 1)
				t0 = now_ns();
			if (rank == 0) {
				io_all(fd, buf, len, 1);
				io_all(fd, buf, len, 0);
			} else {
				io_all(fd, buf, len, 0);
				io_all(fd, buf, len, 1);
			}
		}
		if (size)
			bw = now_ns() - t0;
		else
			lat = now_ns() - t0;
	}
	if (rank == 0)
		/* A round trip moves the block twice; half of one is the latency. */
		printf("tcp_pingpong: rounds=%lu latency_ns=%llu bandwidth_mbs=%llu\n", rounds,
		       (unsigned long long)(lat / rounds / 2),
		       (unsigned long long)(bw ? 2ULL * BLOCK * rounds * 1000 / bw : 0));
	return 0;
}

int main(int argc, char **argv)
{
	int nb = argc > 1 && !strcmp(argv[1], "--nonblocking");
	int pp = argc > 1 + nb && !strcmp(argv[1 + nb], "--pingpong");
	char **a = argv + 1 + nb + pp;
	int n = argc - 1 - nb - pp;
	unsigned long port;

	if (n < 3 || (pp && n > 4)) {
		fprintf(stderr, "usage: tcp_ring [--nonblocking] PORT ADDR0 ADDR1 ...\n"
				"       tcp_ring [--nonblocking] --pingpong PORT ADDR0 ADDR1 [ROUNDS]\n");
		return 2;
	}
	nonblocking = nb;
	port = arg_ulong(n + 1, a - 1, 1, 0, 1024, 60000);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pp)
		return pingpong((unsigned int)port, a + 1, arg_ulong(n + 1, a - 1, 4, 200, 1, 1000000));
	return ring((unsigned int)port, a + 1, (unsigned int)n - 1);
}

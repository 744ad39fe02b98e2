// SPDX-License-Identifier: GPL-2.0
/*
 * ring: a token and a payload go round the ranks.
 *
 *   ring [LAPS=10] [BYTES=262144] [EXIT_RANK EXIT_CODE]
 *
 * Each lap, rank 0 sends a token and a payload of BYTES to rank 1, each rank
 * adds its number to the token and rotates the payload's bytes by its rank
 * before passing both on, and the last rank returns them to rank 0. The
 * token's and the payload's final values depend on every rank having seen
 * every lap in order, so one checksum line shows the whole ring worked.
 * With EXIT_RANK and EXIT_CODE, that rank exits with that status after the
 * laps (before MPI_Finalize), for the launcher's exit-status path.
 *
 * Only rank 0 prints (besides "ring: rank R of N" lines from every rank,
 * which a test sorts), so the output is the same whatever the interleaving.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const unsigned char *p, size_t n, uint64_t h)
{
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

int main(int argc, char **argv)
{
	int rank, size, laps = argc > 1 ? atoi(argv[1]) : 10;
	size_t bytes = argc > 2 ? strtoul(argv[2], NULL, 0) : 262144;
	int exit_rank = argc > 4 ? atoi(argv[3]) : -1;
	int exit_code = argc > 4 ? atoi(argv[4]) : 0;
	unsigned char *buf;
	uint64_t token = 0;
	MPI_Status st;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	printf("ring: rank %d of %d\n", rank, size);
	fflush(stdout);
	if (size < 2 || laps < 1 || !bytes) {
		if (!rank)
			fprintf(stderr, "ring: needs 2 ranks or more, LAPS >= 1, BYTES >= 1\n");
		MPI_Finalize();
		return 2;
	}
	buf = malloc(bytes);
	if (!buf)
		MPI_Abort(MPI_COMM_WORLD, 1);
	for (size_t i = 0; i < bytes; i++)
		buf[i] = (unsigned char)(i * 7 + 1);

	int next = (rank + 1) % size, prev = (rank + size - 1) % size;

	for (int lap = 0; lap < laps; lap++) {
		if (rank) {
			MPI_Recv(&token, 1, MPI_UINT64_T, prev, lap, MPI_COMM_WORLD, &st);
			MPI_Recv(buf, (int)bytes, MPI_BYTE, prev, lap, MPI_COMM_WORLD, &st);
		}
		token = token * 31 + (uint64_t)rank + 1;
		for (size_t i = 0; i < bytes; i++)
			buf[i] = (unsigned char)((buf[i] << (rank % 8)) | (buf[i] >> ((8 - rank % 8) % 8)));
		MPI_Send(&token, 1, MPI_UINT64_T, next, lap, MPI_COMM_WORLD);
		MPI_Send(buf, (int)bytes, MPI_BYTE, next, lap, MPI_COMM_WORLD);
		if (!rank) {
			MPI_Recv(&token, 1, MPI_UINT64_T, prev, lap, MPI_COMM_WORLD, &st);
			MPI_Recv(buf, (int)bytes, MPI_BYTE, prev, lap, MPI_COMM_WORLD, &st);
		}
	}
	if (!rank)
		printf("ring: ranks=%d laps=%d bytes=%zu token=%016llx payload=%016llx\n", size,
		       laps, bytes, (unsigned long long)token,
		       (unsigned long long)fnv1a(buf, bytes, 0xcbf29ce484222325ull));
	free(buf);
	if (rank == exit_rank) {
		fflush(stdout);
		exit(exit_code);
	}
	MPI_Finalize();
	if (!rank)
		printf("ring: ok\n");
	return 0;
}

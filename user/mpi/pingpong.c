// SPDX-License-Identifier: GPL-2.0
/*
 * pingpong: MPI latency and bandwidth between ranks 0 and 1, in the manner
 * of the OSU micro-benchmarks (written here).
 *
 *   pingpong [MAXBYTES=1048576] [ITERS=200]
 *
 * For each size from 0 (then 1) bytes doubling to MAXBYTES, after ITERS/10
 * warm-up round trips, rank 0 times ITERS round trips with rank 1: latency is
 * half a round trip. Bandwidth is a window of 16 non-blocking sends answered
 * by one byte, repeated ITERS/4 times. Rows:
 *	pingpong: bytes=N lat_us=L bw_MBps=B
 * Every received payload is checked (its first and last bytes carry the
 * iteration), so a wrong delivery fails the run instead of timing it.
 * Other ranks (if any) just wait at the barrier.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 16

int main(int argc, char **argv)
{
	int rank, size, bad = 0;
	long maxbytes = argc > 1 ? atol(argv[1]) : 1048576;
	int iters = argc > 2 ? atoi(argv[2]) : 200;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (size < 2 || maxbytes < 1 || iters < 10) {
		if (!rank)
			fprintf(stderr, "pingpong: needs 2 ranks, MAXBYTES >= 1, ITERS >= 10\n");
		MPI_Finalize();
		return 2;
	}

	unsigned char *buf = malloc((size_t)maxbytes * WINDOW), ack = 0;
	MPI_Request req[WINDOW];

	if (!buf)
		MPI_Abort(MPI_COMM_WORLD, 1);
	memset(buf, 0, (size_t)maxbytes * WINDOW);
	if (!rank)
		printf("pingpong: ranks=%d iters=%d\n", size, iters);
	for (long n = 0; n <= maxbytes; n = n ? n * 2 : 1) {
		int warm = iters / 10;
		double t0 = 0, lat, bw = 0;

		MPI_Barrier(MPI_COMM_WORLD);
		for (int i = -warm; i < iters && rank < 2; i++) {
			if (i == 0)
				t0 = MPI_Wtime();
			if (!rank) {
				if (n) {
					buf[n - 1] = (unsigned char)(i + 1);
					buf[0] = (unsigned char)i;
				}
				MPI_Send(buf, (int)n, MPI_BYTE, 1, 1, MPI_COMM_WORLD);
				MPI_Recv(buf, (int)n, MPI_BYTE, 1, 2, MPI_COMM_WORLD,
					 MPI_STATUS_IGNORE);
			} else {
				MPI_Recv(buf, (int)n, MPI_BYTE, 0, 1, MPI_COMM_WORLD,
					 MPI_STATUS_IGNORE);
				/* One byte carries only the first mark. */
				if (n && (buf[0] != (unsigned char)i ||
					  (n > 1 && buf[n - 1] != (unsigned char)(i + 1))))
					bad++;
				MPI_Send(buf, (int)n, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
			}
		}
		lat = (MPI_Wtime() - t0) * 1e6 / (2.0 * iters);
		if (n) {
			int reps = iters / 4;

			MPI_Barrier(MPI_COMM_WORLD);
			t0 = MPI_Wtime();
			for (int i = 0; i < reps && rank < 2; i++) {
				for (int w = 0; w < WINDOW; w++) {
					unsigned char *p = buf + (size_t)w * n;

					if (!rank)
						MPI_Isend(p, (int)n, MPI_BYTE, 1, 3, MPI_COMM_WORLD,
							  &req[w]);
					else
						MPI_Irecv(p, (int)n, MPI_BYTE, 0, 3, MPI_COMM_WORLD,
							  &req[w]);
				}
				MPI_Waitall(WINDOW, req, MPI_STATUSES_IGNORE);
				if (!rank)
					MPI_Recv(&ack, 1, MPI_BYTE, 1, 4, MPI_COMM_WORLD,
						 MPI_STATUS_IGNORE);
				else
					MPI_Send(&ack, 1, MPI_BYTE, 0, 4, MPI_COMM_WORLD);
			}
			bw = (double)n * WINDOW * reps / ((MPI_Wtime() - t0) * 1e6);
		}
		if (!rank)
			printf("pingpong: bytes=%ld lat_us=%.2f bw_MBps=%.1f\n", n, lat, bw);
	}
	int total;

	MPI_Allreduce(&bad, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
	if (!rank)
		printf(total ? "pingpong: %d payloads wrong\n" : "pingpong: ok\n", total);
	MPI_Finalize();
	return total ? 1 : 0;
}

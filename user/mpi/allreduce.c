// SPDX-License-Identifier: GPL-2.0
/*
 * allreduce: the collectives an application leans on, checked exactly.
 *
 *   allreduce [COUNT=100000] [ROUNDS=20]
 *
 * Every rank fills vectors from its rank number with integers (and doubles
 * holding integers, so sums are exact in any order), then runs Allreduce
 * (sum, max, min), Bcast, Allgather, Alltoall, Reduce_scatter_block and
 * Barrier ROUNDS times. Each result is compared with its closed form on
 * every rank; rank 0 prints one checksum line over all results and "ok"
 * when every rank agreed, so the line is the same for any MPI library and
 * any placement of the ranks.
 */
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int rank, size;
static long bad;	/* mismatches seen by this rank */

static void check(const char *what, long got, long want, int i)
{
	if (got != want && bad++ < 5)
		fprintf(stderr, "allreduce: rank %d: %s[%d] is %ld, want %ld\n", rank, what, i,
			got, want);
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 100000;
	int rounds = argc > 2 ? atoi(argv[2]) : 20;
	uint64_t sum = 0;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	if (count < size)
		count = size;
	count -= count % size;	/* Reduce_scatter_block and Alltoall need a multiple */

	long *a = malloc(sizeof(long) * count), *b = malloc(sizeof(long) * count);
	double *d = malloc(sizeof(double) * count), *e = malloc(sizeof(double) * count);
	long *all = malloc(sizeof(long) * size);

	if (!a || !b || !d || !e || !all)
		MPI_Abort(MPI_COMM_WORLD, 1);
	for (int r = 0; r < rounds; r++) {
		long ranksum = (long)size * (size - 1) / 2;

		for (int i = 0; i < count; i++) {
			a[i] = (long)(i % 1000) * (rank + 1) + r;
			d[i] = (double)(i % 977) - rank * 3.0 + r;
		}
		MPI_Allreduce(a, b, count, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
		for (int i = 0; i < count; i++) {
			check("sum", b[i], (long)(i % 1000) * (size * (size + 1) / 2) + (long)r * size, i);
			sum += (uint64_t)b[i];
		}
		MPI_Allreduce(d, e, count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
		for (int i = 0; i < count; i++) {
			long want = (long)(i % 977) * size - 3 * ranksum + (long)r * size;

			check("dsum", (long)e[i], want, i);
			sum = sum * 3 + (uint64_t)(long)e[i];
		}
		MPI_Allreduce(a, b, count, MPI_LONG, MPI_MAX, MPI_COMM_WORLD);
		for (int i = 0; i < count; i += 97)
			check("max", b[i], (long)(i % 1000) * size + r, i);
		MPI_Allreduce(a, b, count, MPI_LONG, MPI_MIN, MPI_COMM_WORLD);
		for (int i = 0; i < count; i += 97)
			check("min", b[i], (long)(i % 1000) + r, i);

		long root_val = rank == r % size ? 1000003L * (r + 1) : -1;

		MPI_Bcast(&root_val, 1, MPI_LONG, r % size, MPI_COMM_WORLD);
		check("bcast", root_val, 1000003L * (r + 1), 0);
		long mine = (long)rank * rank + r;

		MPI_Allgather(&mine, 1, MPI_LONG, all, 1, MPI_LONG, MPI_COMM_WORLD);
		for (int i = 0; i < size; i++)
			check("allgather", all[i], (long)i * i + r, i);

		int per = count / size;

		for (int i = 0; i < count; i++)
			a[i] = (long)rank * 100000 + i / per * 1000 + i % per % 1000 + r;
		MPI_Alltoall(a, per, MPI_LONG, b, per, MPI_LONG, MPI_COMM_WORLD);
		for (int i = 0; i < count; i += 13)
			check("alltoall", b[i],
			      (long)(i / per) * 100000 + rank * 1000 + i % per % 1000 + r, i);
		for (int i = 0; i < count; i++)
			a[i] = (long)(i % 1000) * (rank + 1) + r;
		MPI_Reduce_scatter_block(a, b, per, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
		for (int i = 0; i < per; i++) {
			int g = rank * per + i;

			check("reduce_scatter", b[i],
			      (long)(g % 1000) * (size * (size + 1) / 2) + (long)r * size, i);
		}
		MPI_Barrier(MPI_COMM_WORLD);
	}

	long total;

	/* Every rank's status says whether any rank saw a mismatch. */
	MPI_Allreduce(&bad, &total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
	if (!rank) {
		printf("allreduce: ranks=%d count=%d rounds=%d checksum=%016llx\n", size, count,
		       rounds, (unsigned long long)sum);
		printf(total ? "allreduce: %ld mismatches\n" : "allreduce: ok\n", total);
	}
	MPI_Finalize();
	return total ? 1 : 0;
}

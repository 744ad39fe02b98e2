// SPDX-License-Identifier: GPL-2.0
/*
 * cg_mpi: the CG mini-app (user/cg.c) distributed with MPI, each rank's
 * share computed with OpenMP threads.
 *
 *   cg_mpi [GRID=96] [MAXIT=2000]
 *
 * A is the 2-D 5-point Laplacian on a GRID x GRID grid, applied without a
 * stored matrix. Rank r owns a block of whole grid rows and exchanges one
 * halo row with each neighbour before every product. b = A*xt for a known
 * xt; CG from x = 0 runs until ||r|| <= 1e-8 ||b||.
 *
 * The printed lines are the same for any number of ranks and threads, so
 * the very run on plain Linux is the reference: every dot product is the
 * sum of per-grid-row partial sums, each taken in index order, gathered
 * from all ranks (Allgatherv) and added in grid-row order by every rank.
 * No sum depends on how rows are split among ranks or threads, nor on the
 * MPI library's own reduction order.
 *
 * Prints (rank 0)
 *	cg_mpi: grid=G ranks=P threads=T
 *	cg_mpi: iterations=I residual=R error=E
 *	cg_mpi: checksum=S
 *	bench: cg_mpi ranks=P iterations=I usec=U   (not compared)
 *	cg_mpi: ok
 */
#include <math.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#define OMP_FOR _Pragma("omp parallel for schedule(static)")
#else
#define OMP_FOR
#endif

#define TOL 1e-8

static int rank, size, grid;
static int row0, nrows;		/* this rank's first grid row and how many */
static int *counts, *displs;	/* grid rows per rank, for Allgatherv */
static double *rowsum, *allsums;

static double xt_at(int i, int j)
{
	return 1.0 + (double)((i * 131 + j * 71) % 97) / 97.0;
}

/* Sum over the whole grid of f[k]*g[k], in an order fixed by the grid alone. */
static double dot(const double *f, const double *g)
{
	OMP_FOR
	for (int i = 0; i < nrows; i++) {
		double s = 0;

		for (int j = 0; j < grid; j++)
			s += f[(size_t)i * grid + j] * g[(size_t)i * grid + j];
		rowsum[i] = s;
	}
	MPI_Allgatherv(rowsum, nrows, MPI_DOUBLE, allsums, counts, displs, MPI_DOUBLE,
		       MPI_COMM_WORLD);

	double s = 0;

	for (int i = 0; i < grid; i++)
		s += allsums[i];
	return s;
}

/*
 * y = A*x on this rank's rows. x has one halo row on each side: x_h points
 * at the row above the first owned row.
 */
static void apply(double *x_h, double *y)
{
	double *x = x_h + grid;
	int up = rank ? rank - 1 : MPI_PROC_NULL;
	int down = rank < size - 1 ? rank + 1 : MPI_PROC_NULL;

	memset(x_h, 0, sizeof(double) * grid);
	memset(x + (size_t)nrows * grid, 0, sizeof(double) * grid);
	MPI_Sendrecv(x, grid, MPI_DOUBLE, up, 1, x + (size_t)nrows * grid, grid, MPI_DOUBLE,
		     down, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	MPI_Sendrecv(x + (size_t)(nrows - 1) * grid, grid, MPI_DOUBLE, down, 2, x_h, grid,
		     MPI_DOUBLE, up, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	OMP_FOR
	for (int i = 0; i < nrows; i++) {
		for (int j = 0; j < grid; j++) {
			size_t k = (size_t)i * grid + j;
			double v = 4 * x[k] - x[k - grid] - x[k + grid];

			if (j)
				v -= x[k - 1];
			if (j < grid - 1)
				v -= x[k + 1];
			y[k] = v;
		}
	}
}

int main(int argc, char **argv)
{
	int maxit, threads = 1, it;
	double t0;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	grid = argc > 1 ? atoi(argv[1]) : 96;
	maxit = argc > 2 ? atoi(argv[2]) : 2000;
	if (grid < size || grid < 2 || maxit < 1) {
		if (!rank)
			fprintf(stderr, "cg_mpi: GRID must be >= 2 and >= the number of ranks\n");
		MPI_Finalize();
		return 2;
	}
#ifdef _OPENMP
	threads = omp_get_max_threads();
#endif
	counts = malloc(sizeof(int) * size);
	displs = malloc(sizeof(int) * size);
	for (int r = 0, at = 0; r < size; r++) {
		counts[r] = grid / size + (r < grid % size);
		displs[r] = at;
		at += counts[r];
	}
	row0 = displs[rank];
	nrows = counts[rank];

	size_t n = (size_t)nrows * grid;
	double *x = calloc(n, sizeof(double)), *r = malloc(sizeof(double) * n);
	double *p_h = calloc(n + 2 * (size_t)grid, sizeof(double)), *p = p_h + grid;
	double *q = malloc(sizeof(double) * n), *b = malloc(sizeof(double) * n);
	double *xt_h = calloc(n + 2 * (size_t)grid, sizeof(double)), *xt = xt_h + grid;

	rowsum = malloc(sizeof(double) * nrows);
	allsums = malloc(sizeof(double) * grid);
	if (!x || !r || !p_h || !q || !b || !xt_h || !rowsum || !allsums || !counts || !displs)
		MPI_Abort(MPI_COMM_WORLD, 1);
	for (int i = 0; i < nrows; i++)
		for (int j = 0; j < grid; j++)
			xt[(size_t)i * grid + j] = xt_at(row0 + i, j);
	apply(xt_h, b);
	memcpy(r, b, sizeof(double) * n);
	memcpy(p, b, sizeof(double) * n);

	double bb = dot(b, b), rr = bb;

	t0 = MPI_Wtime();
	for (it = 0; it < maxit && sqrt(rr) > TOL * sqrt(bb); it++) {
		apply(p_h, q);

		double alpha = rr / dot(p, q);

		OMP_FOR
		for (size_t k = 0; k < n; k++) {
			x[k] += alpha * p[k];
			r[k] -= alpha * q[k];
		}

		double rr_new = dot(r, r), beta = rr_new / rr;

		rr = rr_new;
		OMP_FOR
		for (size_t k = 0; k < n; k++)
			p[k] = r[k] + beta * p[k];
	}
	double usec = (MPI_Wtime() - t0) * 1e6;

	/* The residual from scratch, and the error against xt. */
	memcpy(p, x, sizeof(double) * n);
	apply(p_h, q);
	for (size_t k = 0; k < n; k++) {
		q[k] = b[k] - q[k];
		r[k] = x[k] - xt[k];
	}

	double res = sqrt(dot(q, q)), err = sqrt(dot(r, r) / dot(xt, xt));

	for (size_t k = 0; k < n; k++)
		q[k] = 1.0;

	double checksum = dot(x, q);

	if (!rank) {
		printf("cg_mpi: grid=%d ranks=%d threads=%d\n", grid, size, threads);
		printf("cg_mpi: iterations=%d residual=%.6e error=%.3e\n", it, res, err);
		printf("cg_mpi: checksum=%.10e\n", checksum);
		printf("bench: cg_mpi ranks=%d iterations=%d usec=%.0f\n", size, it, usec);
		/* Converged, and to the known answer (cond(A) < GRID^2 bounds the error). */
		printf(res <= 2 * TOL * sqrt(bb) && err < 1e-3 ? "cg_mpi: ok\n" :
		       "cg_mpi: WRONG\n");
	}
	MPI_Finalize();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * cg: conjugate-gradient mini-app, Cove's default HPC job.
 *
 *   cg [GRID=128] [MAXIT=10000]
 *
 * A is the 2-D 5-point Laplacian (Dirichlet boundary) on a GRID x GRID
 * grid, in CSR: symmetric positive definite, GRID^2 unknowns. The right
 * side is b = A*xt for a known, deterministic xt, and CG from x = 0 runs
 * until ||r|| <= 1e-8 ||b||. The answer is checked twice: the residual
 * b - A*x recomputed from scratch, and the error against xt, which for an
 * SPD matrix is bounded by cond(A) times the relative residual; the
 * Laplacian's eigenvalues, hence cond(A), are known in closed form.
 *
 * OpenMP-parallel in the glibc build, serial in the musl build (no OpenMP
 * runtime there). The result lines must be byte-identical for any thread
 * count, so no floating-point sum may depend on how the work is split:
 * every reduction is cut into fixed chunks of CHUNK elements, whatever
 * the number of threads, each chunk summed in index order by whichever
 * thread gets it, then the chunk sums added in chunk order by one thread.
 * Element-wise kernels (SpMV rows, vector updates) are deterministic by
 * nature. The serial build runs the very same arithmetic, so it prints the
 * same lines too.
 *
 * Prints
 *	cg: grid=G unknowns=N nnz=Z
 *	cg: iterations=I residual=R          (R = ||b - A*x||, %.6e)
 *	cg: checksum=S                       (sum of x, %.10e)
 *	bench: cg threads=T iterations=I cycles=C ns=N
 *	cg: ok
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

#ifdef _OPENMP
#include <omp.h>
#define OMP_FOR _Pragma("omp parallel for schedule(static)")
#else
#define OMP_FOR
#endif

const char *prog = "cg";

#define TOL 1e-8
/* Reduction granule; fixed so the summation order never changes. */
#define CHUNK 512

struct csr {
	size_t n;
	size_t nnz;
	size_t *rowptr;
	size_t *col;
	double *val;
};

static double *partial;	/* one sum per chunk */
static size_t nchunks;

static void *xmalloc(size_t size)
{
	void *p = malloc(size);

	if (!p)
		die("out of memory (%zu bytes)", size);
	return p;
}

/* Row i*g+j couples grid point (i,j) to its neighbours, columns ascending. */
static void build_laplacian(struct csr *A, size_t g)
{
	size_t n = g * g, k = 0, i, j, row;

	A->n = n;
	A->rowptr = xmalloc((n + 1) * sizeof(*A->rowptr));
	A->col = xmalloc(5 * n * sizeof(*A->col));
	A->val = xmalloc(5 * n * sizeof(*A->val));

	for (i = 0; i < g; i++) {
		for (j = 0; j < g; j++) {
			row = i * g + j;
			A->rowptr[row] = k;
			if (i > 0) {
				A->col[k] = row - g;
				A->val[k++] = -1.0;
			}
			if (j > 0) {
				A->col[k] = row - 1;
				A->val[k++] = -1.0;
			}
			A->col[k] = row;
			A->val[k++] = 4.0;
			if (j + 1 < g) {
				A->col[k] = row + 1;
				A->val[k++] = -1.0;
			}
			if (i + 1 < g) {
				A->col[k] = row + g;
				A->val[k++] = -1.0;
			}
		}
	}
	A->rowptr[n] = k;
	A->nnz = k;
}

static void spmv(const struct csr *A, const double *x, double *y)
{
	size_t i;

	OMP_FOR
	for (i = 0; i < A->n; i++) {
		double s = 0.0;
		size_t k;

		for (k = A->rowptr[i]; k < A->rowptr[i + 1]; k++)
			s += A->val[k] * x[A->col[k]];
		y[i] = s;
	}
}

/* sum x[i]*y[i], or sum x[i] when y is NULL, in the fixed chunk order. */
static double dot(const double *x, const double *y, size_t n)
{
	double total = 0.0;
	size_t c;

	OMP_FOR
	for (c = 0; c < nchunks; c++) {
		size_t i, end = (c + 1) * CHUNK < n ? (c + 1) * CHUNK : n;
		double s = 0.0;

		for (i = c * CHUNK; i < end; i++)
			s += y ? x[i] * y[i] : x[i];
		partial[c] = s;
	}
	for (c = 0; c < nchunks; c++)
		total += partial[c];
	return total;
}

/* x += alpha*p and r -= alpha*ap, in one sweep. */
static void update_xr(double *x, double *r, const double *p, const double *ap,
		      double alpha, size_t n)
{
	size_t i;

	OMP_FOR
	for (i = 0; i < n; i++) {
		x[i] += alpha * p[i];
		r[i] -= alpha * ap[i];
	}
}

/* p = r + beta*p */
static void update_p(double *p, const double *r, double beta, size_t n)
{
	size_t i;

	OMP_FOR
	for (i = 0; i < n; i++)
		p[i] = r[i] + beta * p[i];
}

int main(int argc, char **argv)
{
	size_t g = arg_ulong(argc, argv, 1, 128, 2, 8192);
	unsigned long maxit = arg_ulong(argc, argv, 2, 10000, 1, 100000000);
	double *x, *xt, *b, *r, *p, *ap, *d;
	double rr, rr_new, bnorm, alpha, beta, res, err, xtnorm, lmin, lmax;
	unsigned long it = 0;
	uint64_t c0, c1, n0, n1;
	struct csr A;
	int threads = 1;
	size_t i, n;

#ifdef _OPENMP
	threads = omp_get_max_threads();
#endif
	build_laplacian(&A, g);
	n = A.n;
	nchunks = (n + CHUNK - 1) / CHUNK;
	partial = xmalloc(nchunks * sizeof(*partial));
	x = xmalloc(n * sizeof(*x));
	xt = xmalloc(n * sizeof(*xt));
	b = xmalloc(n * sizeof(*b));
	r = xmalloc(n * sizeof(*r));
	p = xmalloc(n * sizeof(*p));
	ap = xmalloc(n * sizeof(*ap));
	d = xmalloc(n * sizeof(*d));

	/* A rough known solution in [1, 2): every grid point differs. */
	for (i = 0; i < n; i++)
		xt[i] = 1.0 + (double)((i * 7919) % 1000) / 1000.0;
	spmv(&A, xt, b);

	for (i = 0; i < n; i++) {
		x[i] = 0.0;
		r[i] = b[i];
		p[i] = b[i];
	}
	rr = dot(r, r, n);
	bnorm = sqrt(dot(b, b, n));

	c0 = rdtsc();
	n0 = now_ns();
	while (sqrt(rr) > TOL * bnorm) {
		if (it == maxit)
			die("no convergence in %lu iterations (||r||=%.6e)", it,
			    sqrt(rr));
		spmv(&A, p, ap);
		alpha = rr / dot(p, ap, n);
		update_xr(x, r, p, ap, alpha, n);
		rr_new = dot(r, r, n);
		beta = rr_new / rr;
		update_p(p, r, beta, n);
		rr = rr_new;
		it++;
	}
	c1 = rdtsc();
	n1 = now_ns();

	/* The recursive residual can drift from the true one: recompute it. */
	spmv(&A, x, ap);
	for (i = 0; i < n; i++)
		d[i] = b[i] - ap[i];
	res = sqrt(dot(d, d, n));
	for (i = 0; i < n; i++)
		d[i] = x[i] - xt[i];
	err = sqrt(dot(d, d, n));
	xtnorm = sqrt(dot(xt, xt, n));

	/* Eigenvalues of the g x g 5-point Laplacian: 4 -/+ 4cos(pi/(g+1)). */
	lmin = 4.0 - 4.0 * cos(M_PI / (double)(g + 1));
	lmax = 4.0 + 4.0 * cos(M_PI / (double)(g + 1));

	printf("cg: grid=%zu unknowns=%zu nnz=%zu\n", g, n, A.nnz);
	printf("cg: iterations=%lu residual=%.6e\n", it, res);
	printf("cg: checksum=%.10e\n", dot(x, NULL, n));
	printf("bench: cg threads=%d iterations=%lu cycles=%llu ns=%llu\n",
	       threads, it, (unsigned long long)(c1 - c0),
	       (unsigned long long)(n1 - n0));

	if (res > 10 * TOL * bnorm)
		die("true residual %.6e above %.1e * ||b|| = %.6e", res,
		    10 * TOL, 10 * TOL * bnorm);
	/* ||x - xt|| / ||xt|| <= cond(A) * ||b - Ax|| / ||b||, with slack 2. */
	if (err / xtnorm > 2.0 * (lmax / lmin) * (res / bnorm) + 1e-14)
		die("error %.6e exceeds the condition-number bound", err / xtnorm);

	printf("cg: ok\n");
	free(d);
	free(ap);
	free(p);
	free(r);
	free(b);
	free(xt);
	free(x);
	free(partial);
	free(A.val);
	free(A.col);
	free(A.rowptr);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * libcovetest.so: the shared library dlopen_test loads at run time. It
 * exports a function, a TLS variable (a dlopen'ed library's TLS is
 * allocated per thread on first use, through __tls_get_addr) and a
 * constructor's result, so the test sees that relocation, TLS and init
 * functions all worked.
 */
__thread long covetest_tls = 100;

int covetest_ctor_ran;

__attribute__((constructor)) static void covetest_ctor(void)
{
	covetest_ctor_ran = 1;
}

long covetest_add(long a, long b)
{
	return a + b;
}

/* Adds to this thread's copy of covetest_tls and returns the new value. */
long covetest_tls_bump(long by)
{
	covetest_tls += by;
	return covetest_tls;
}

long *covetest_tls_addr(void)
{
	return &covetest_tls;
}

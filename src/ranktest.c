/*
 * ranktest: the one-sided Mann-Whitney U test (see ranktest.h).
 *
 * U counts the pairs (a, b) with b > a, a tie counting a half.  Under the
 * hypothesis, every assignment of the NA + NB ranks to the two samples is
 * as likely, so the distribution of U is counted: N(u; m, n), the number
 * of arrangements of m a's and n b's with U = u, follows
 *   N(u; m, n) = N(u - m; m, n - 1) + N(u; m - 1, n)
 * (the largest value is a b, above all m a's, or an a).  A half-integer U
 * (ties) is rounded down, which can only make p larger.
 */
#include "config.h"

#include "ranktest.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util.h"

#define EXACT_MAX_CELLS 2500

struct ranked {
	double x;
	bool in_b;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	/* NaN sorts last, so that the order stays total. */
	if (isnan(a->x) || isnan(b->x))
		return isnan(a->x) - isnan(b->x);
	return (a->x > b->x) - (a->x < b->x);
}

static double approx_p(const double *a, size_t na, const double *b, size_t nb)
{
	size_t n = na + nb;
	struct ranked *r;
	double rank_b = 0, ties = 0, u, mean, var, z;

	if (na == 0 || nb == 0)
		return 1;
	r = xmalloc(n * sizeof(*r));
	for (size_t i = 0; i < na; i++)
		r[i] = (struct ranked){a[i], false};
	for (size_t i = 0; i < nb; i++)
		r[na + i] = (struct ranked){b[i], true};
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t i = 0, j; i < n; i = j) {
		double t, avg;

		for (j = i + 1; j < n && r[j].x == r[i].x; j++)
			;
		t = (double)(j - i);
		avg = (double)(i + 1 + j) / 2;  /* mean of the ranks i+1 .. j */
		ties += t * t * t - t;
		for (size_t k = i; k < j; k++)
			if (r[k].in_b)
				rank_b += avg;
	}
	free(r);

	u = rank_b - (double)nb * ((double)nb + 1) / 2;
	mean = (double)na * (double)nb / 2;
	var = (double)na * (double)nb / 12 *
	      ((double)n + 1 - ties / ((double)n * ((double)n - 1)));
	if (!(var > 0))                 /* every sample tied: no evidence */
		return 1;
	z = (u - mean - 0.5) / sqrt(var);
	return 0.5 * erfc(z / sqrt(2.0));
}


/* U of B against A: pairs with b > a, ties a half. */
static double u_of(const double *a, size_t na, const double *b, size_t nb)
{
	double u = 0;

	for (size_t j = 0; j < nb; j++)
		for (size_t i = 0; i < na; i++)
			u += b[j] > a[i] ? 1 : b[j] == a[i] ? 0.5 : 0;
	return u;
}

/* P(U >= k) with samples of M and N, by counting. */
static double exact_tail(size_t m, size_t n, size_t k)
{
	size_t umax = m * n;
	/* cnt[mm][u] for the current n, rolled over n: (m + 1) rows. */
	double *cnt = xcalloc((m + 1) * (umax + 1), sizeof(*cnt)), *next;
	double total = 0, tail = 0;

	/* n = 0: one arrangement, U = 0, for every m. */
	for (size_t mm = 0; mm <= m; mm++)
		cnt[mm * (umax + 1)] = 1;
	next = xcalloc((m + 1) * (umax + 1), sizeof(*next));
	for (size_t nn = 1; nn <= n; nn++) {
		double *t;

		for (size_t mm = 0; mm <= m; mm++) {
			for (size_t u = 0; u <= umax; u++) {
				double v = 0;

				if (u >= mm)
					v += cnt[mm * (umax + 1) + u - mm];
				if (mm > 0)
					v += next[(mm - 1) * (umax + 1) + u];
				next[mm * (umax + 1) + u] = v;
			}
		}
		t = cnt;
		cnt = next;
		next = t;
	}
	for (size_t u = 0; u <= umax; u++) {
		total += cnt[m * (umax + 1) + u];
		if (u >= k)
			tail += cnt[m * (umax + 1) + u];
	}
	free(cnt);
	free(next);
	return total > 0 ? tail / total : 1;
}

double gt_mann_whitney_p_greater(const double *a, size_t na, const double *b, size_t nb)
{
	if (na == 0 || nb == 0)
		return 1;
	if (na * nb <= EXACT_MAX_CELLS)
		return exact_tail(na, nb, (size_t)floor(u_of(a, na, b, nb)));
	return approx_p(a, na, b, nb);
}

double gt_mann_whitney_min_p(size_t na, size_t nb)
{
	double c = 1;

	/* C(na + nb, na), as a product that stays exact for small sizes. */
	for (size_t k = 1; k <= na; k++)
		c = c * (double)(nb + k) / (double)k;
	return 1 / c;
}

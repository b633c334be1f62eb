/*
 * stats: min, median, MAD and max of a few samples.
 */
#include "config.h"

#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of V, sorting V in place. */
static double median_inplace(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double gt_median(const double *v, size_t n)
{
	double *w, m;

	if (n == 0)
		return 0;
	w = xmalloc(n * sizeof(*w));
	memcpy(w, v, n * sizeof(*w));
	m = median_inplace(w, n);
	free(w);
	return m;
}

struct gt_stat gt_stat_of(const double *v, size_t n)
{
	struct gt_stat s = {0};
	double *w;

	if (n == 0)
		return s;
	w = xmalloc(n * sizeof(*w));
	memcpy(w, v, n * sizeof(*w));
	s.median = median_inplace(w, n);
	s.min = w[0];
	s.max = w[n - 1];
	for (size_t i = 0; i < n; i++)
		w[i] = fabs(v[i] - s.median);
	s.mad = median_inplace(w, n);
	free(w);
	return s;
}

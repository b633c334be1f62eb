/*
 * test-stats: min, median, median absolute deviation and max of a few
 * samples, and that the input is left alone.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats.h"

#include <string.h>

#include "util.h"

/* Exact double comparison (cmocka's float assertion works in float). */
#define assert_dbl(got, want)                                                            \
	do {                                                                              \
		double got_ = (got), want_ = (want);                                      \
		if (got_ != want_)                                                        \
			fail_msg("%s is %.17g, wanted %.17g", #got, got_, want_);         \
	} while (0)

#define assert_stat(s, mn, med, md, mx)                                                  \
	do {                                                                              \
		assert_dbl((s).min, mn);                                                  \
		assert_dbl((s).median, med);                                              \
		assert_dbl((s).mad, md);                                                  \
		assert_dbl((s).max, mx);                                                  \
	} while (0)

static void test_empty(void **state)
{
	double v[1] = {42};
	struct gt_stat s = gt_stat_of(v, 0);

	assert_stat(s, 0, 0, 0, 0);
	s = gt_stat_of(NULL, 0);
	assert_stat(s, 0, 0, 0, 0);
	assert_dbl(gt_median(NULL, 0), 0);
	assert_dbl(gt_median(v, 0), 0);
}

static void test_one(void **state)
{
	double v[] = {2.5};
	struct gt_stat s = gt_stat_of(v, 1);

	assert_stat(s, 2.5, 2.5, 0, 2.5);
	assert_dbl(gt_median(v, 1), 2.5);
	v[0] = -7;
	s = gt_stat_of(v, 1);
	assert_stat(s, -7, -7, 0, -7);
}

static void test_odd(void **state)
{
	/* Unsorted input; median is the middle of the sorted values. */
	double v[] = {9, 1, 5};
	struct gt_stat s = gt_stat_of(v, 3);

	/* Deviations from 5: 4, 4, 0 -> median 4. */
	assert_stat(s, 1, 5, 4, 9);
	assert_dbl(gt_median(v, 3), 5);

	{
		double w[] = {3, 3, 3, 3, 3};

		s = gt_stat_of(w, 5);
		assert_stat(s, 3, 3, 0, 3);
	}
	{
		double w[] = {0.5, 10, 0.25, 7, 0.75, 8, 1};

		/* Sorted: .25 .5 .75 1 7 8 10; deviations from 1:
		 * .75 .5 .25 0 6 7 9 -> sorted 0 .25 .5 .75 6 7 9 -> .75 */
		s = gt_stat_of(w, 7);
		assert_stat(s, 0.25, 1, 0.75, 10);
	}
}

static void test_even(void **state)
{
	double v[] = {4, 1, 3, 2};
	struct gt_stat s = gt_stat_of(v, 4);

	/* Median (2+3)/2; deviations 1.5 .5 .5 1.5 -> (0.5+1.5)/2 = 1. */
	assert_stat(s, 1, 2.5, 1, 4);
	assert_dbl(gt_median(v, 4), 2.5);

	{
		double w[] = {10, 20};

		s = gt_stat_of(w, 2);
		assert_stat(s, 10, 15, 5, 20);
		assert_dbl(gt_median(w, 2), 15);
	}
	{
		/* Six values with an outlier: median (3+4)/2 = 3.5;
		 * deviations 2.5 1.5 .5 .5 1.5 996.5 -> (1.5+1.5)/2 = 1.5. */
		double w[] = {1000, 1, 5, 2, 4, 3};

		s = gt_stat_of(w, 6);
		assert_stat(s, 1, 3.5, 1.5, 1000);
	}
}

static void test_mad_outlier(void **state)
{
	double v[] = {1, 2, 3, 4, 100};
	struct gt_stat s = gt_stat_of(v, 5);

	/* Deviations from 3: 2 1 0 1 97 -> median 1; the outlier does not
	 * move the median or the MAD. */
	assert_stat(s, 1, 3, 1, 100);

	{
		double w[] = {100, 4, 1, 3, 2};

		s = gt_stat_of(w, 5);
		assert_stat(s, 1, 3, 1, 100);
	}
}

static void test_unchanged(void **state)
{
	double v[] = {5, -1, 3, 100, 2, 2, 0.5};
	double copy[GT_ARRAY_SIZE(v)];
	struct gt_stat s;

	memcpy(copy, v, sizeof(v));
	s = gt_stat_of(v, GT_ARRAY_SIZE(v));
	assert_memory_equal(v, copy, sizeof(v));
	/* Sorted: -1 .5 2 2 3 5 100; deviations from 2: 3 3 1 98 0 0 1.5
	 * -> sorted 0 0 1 1.5 3 3 98 -> 1.5. */
	assert_stat(s, -1, 2, 1.5, 100);
	assert_dbl(gt_median(v, GT_ARRAY_SIZE(v)), 2);
	assert_memory_equal(v, copy, sizeof(v));

	/* A const input works (and is not written: it may be read-only). */
	{
		static const double ro[] = {3, 1, 2};

		s = gt_stat_of(ro, 3);
		assert_stat(s, 1, 2, 1, 3);
		assert_dbl(gt_median(ro, 3), 2);
	}
}

static void test_negative(void **state)
{
	double v[] = {-3, -1, -2, -10};
	struct gt_stat s = gt_stat_of(v, 4);

	/* Sorted -10 -3 -2 -1: median -2.5; deviations 0.5 1.5 0.5 7.5
	 * -> sorted .5 .5 1.5 7.5 -> 1. */
	assert_stat(s, -10, -2.5, 1, -1);
	assert_dbl(gt_median(v, 4), -2.5);

	{
		double w[] = {-5, 5, 0};

		s = gt_stat_of(w, 3);
		/* Deviations 5 5 0 -> 5. */
		assert_stat(s, -5, 0, 5, 5);
	}
	{
		double w[] = {-0.25, -0.75, 0.5};

		/* Median -0.25; deviations 0 .5 .75 -> .5 */
		s = gt_stat_of(w, 3);
		assert_stat(s, -0.75, -0.25, 0.5, 0.5);
	}
}

static void test_many(void **state)
{
	double v[1001];
	struct gt_stat s;

	/* 1001 values 0..1000 in a scrambled order. */
	for (size_t i = 0; i < 1001; i++)
		v[i] = (double)((i * 337) % 1001);
	s = gt_stat_of(v, 1001);
	/* Median 500; deviations 0, 1,1, 2,2, ... 500,500 -> median 250. */
	assert_stat(s, 0, 500, 250, 1000);
	/* Without the last value (664): 0..1000 less 664 -> (499+500)/2. */
	assert_dbl(v[1000], 664);
	assert_dbl(gt_median(v, 1000), 499.5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one),
		cmocka_unit_test(test_odd),
		cmocka_unit_test(test_even),
		cmocka_unit_test(test_mad_outlier),
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_negative),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

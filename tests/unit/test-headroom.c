/*
 * test-headroom: a case's measurements against its budgets and bands
 * (headroom.c) on traces built by hand: the values the budgets judge (the
 * worst run) and the bands judge (the median), the bands equal to those
 * gt_judge holds the run to, the text and the properties the reports
 * print, and what is left out (no golden, no budget, no run).
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "headroom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gtconfig.h"
#include "stats.h"
#include "trace.h"
#include "util.h"

#define assert_near(got, want)                                                           \
	do {                                                                              \
		double got_ = (got), want_ = (want);                                      \
		if (!(fabs(got_ - want_) <= 1e-9 * fmax(1, fabs(want_))))                 \
			fail_msg("%s is %.17g, wanted %.17g", #got, got_, want_);         \
	} while (0)

static void case_init(struct gt_case *c)
{
	memset(c, 0, sizeof(*c));
	c->tol.duration.mads = 4;
	c->tol.duration.floor_pct = 25;
	c->tol.duration.gross = 2;
	c->tol.duration.alpha = 0.01;
	c->tol.rss_pct = 25;
}

/* A trace of N runs: wall W[i] s, CPU C[i] s, RSS R[i] kB, S[i] syscalls. */
static struct gt_trace *runs(const double *w, const double *c, const double *r,
			     const double *s, size_t n)
{
	struct gt_trace *t = gt_trace_new();

	for (size_t i = 0; i < n; i++) {
		struct gt_run_sample x = {.wall_s = w[i], .user_s = c[i], .max_rss_kb = r[i],
					  .syscalls = s[i], .anon_bytes = -1};

		gt_trace_add_run(t, &x);
	}
	t->wall_s = gt_stat_of(w, n);
	t->max_rss_kb = gt_stat_of(r, n);
	t->syscalls = gt_stat_of(s, n);
	return t;
}

static struct gt_trace *golden5(void)
{
	static const double w[] = {0.18, 0.19, 0.20, 0.21, 0.22};
	static const double c[] = {0.10, 0.10, 0.10, 0.10, 0.10};
	static const double r[] = {4000, 4096, 4096, 4096, 4200};
	static const double s[] = {310, 310, 310, 310, 310};

	return runs(w, c, r, s, 5);
}

/* The worst run for the budgets, the median for the bands; the budgets in
 * their units; the share of each budget used. */
static void test_values(void **state)
{
	static const double w[] = {0.21, 0.25}, c[] = {0.1, 0.1}, r[] = {4096, 5120},
			    s[] = {312, 320};
	struct gt_trace *g = golden5(), *n = runs(w, c, r, s, 2);
	struct gt_headroom h;
	struct gt_case k;
	const struct gt_headroom_metric *m;

	(void)state;
	case_init(&k);
	k.budgets.max_duration_ms = 1000;
	k.budgets.max_syscalls = 10000;
	k.budgets.max_rss_bytes = 512000000;
	gt_headroom_compute(g, n, &k, &h);
	assert_true(gt_headroom_any(&h));

	m = &h.m[GT_METRIC_WALL];
	assert_true(m->have && m->has_budget && m->has_band && m->has_golden);
	assert_near(m->value, 0.23);
	assert_near(m->worst, 0.25);
	assert_near(m->budget, 1);
	assert_near(gt_headroom_used_pct(m), 25);
	assert_near(m->golden_median, 0.20);
	m = &h.m[GT_METRIC_SYSCALLS];
	assert_near(m->value, 316);
	assert_near(m->worst, 320);
	assert_near(gt_headroom_used_pct(m), 3.2);
	assert_false(m->has_band);       /* judged syscall by syscall */
	assert_near(m->golden_median, 310);
	m = &h.m[GT_METRIC_RSS];
	assert_near(m->value, 4608 * 1024.0);
	assert_near(m->worst, 5120 * 1024.0);
	assert_near(m->budget, 512000000);
	assert_true(m->budget_decimal);
	assert_near(gt_headroom_used_pct(m), 100 * 5120 * 1024.0 / 512000000);
	assert_near(m->golden_median, 4096 * 1024.0);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* The bands are those gt_judge holds the run to: a run beyond both is
 * reported with the same numbers. */
static void test_bands_agree_with_judge(void **state)
{
	static const double w[] = {0.9}, c[] = {0.5}, r[] = {9000}, s[] = {310};
	struct gt_trace *g = golden5(), *n = runs(w, c, r, s, 1);
	struct gt_verdict v = {0};
	struct gt_headroom h;
	struct gt_case k;
	bool wall = false, rss = false;

	(void)state;
	case_init(&k);
	gt_judge(g, n, &k, 0, &v);
	gt_headroom_compute(g, n, &k, &h);
	for (size_t i = 0; i < v.nv; i++) {
		if (strcmp(v.v[i].metric, "wall_s") == 0) {
			assert_near(h.m[GT_METRIC_WALL].lo, v.v[i].lo);
			assert_near(h.m[GT_METRIC_WALL].hi, v.v[i].hi);
			wall = true;
		} else if (strcmp(v.v[i].metric, "max_rss_kb") == 0) {
			assert_near(h.m[GT_METRIC_RSS].lo, v.v[i].lo * 1024);
			assert_near(h.m[GT_METRIC_RSS].hi, v.v[i].hi * 1024);
			rss = true;
		}
	}
	assert_true(wall && rss);
	assert_false(h.m[GT_METRIC_WALL].has_budget);
	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_text_and_props(void **state)
{
	static const double w[] = {0.213}, c[] = {0.1}, r[] = {4096}, s[] = {312};
	struct gt_trace *g = golden5(), *n = runs(w, c, r, s, 1);
	struct gt_headroom_prop p[GT_HEADROOM_MAX_PROPS];
	struct gt_headroom h;
	struct gt_buf b = {0};
	struct gt_case k;
	size_t np;

	(void)state;
	case_init(&k);
	k.budgets.max_duration_ms = 1000;
	k.budgets.max_syscalls = 10000;
	k.budgets.max_rss_bytes = 536870912;
	gt_headroom_compute(g, n, &k, &h);
	gt_headroom_text(&h, &b);
	assert_string_equal(b.s, "wall 213 ms of 1 s budget (21%), band [141, 259] ms; "
				 "syscalls 312 of 10000 budget (3.1%), golden 310; "
				 "rss 4.0 MiB of 512 MiB budget (0.8%), band [3.0, 5.0] MiB");
	np = gt_headroom_props(&h, p);
	assert_int_equal(np, 19);
	assert_string_equal(p[0].name, "wall_s");
	assert_near(p[0].value, 0.213);
	assert_string_equal(p[1].name, "wall_worst_s");
	assert_string_equal(p[2].name, "wall_budget_s");
	assert_string_equal(p[3].name, "wall_budget_used_pct");
	assert_near(p[3].value, 21.3);
	assert_string_equal(p[4].name, "wall_band_lo_s");
	assert_string_equal(p[6].name, "wall_golden_median_s");
	assert_string_equal(p[7].name, "syscalls");
	assert_string_equal(p[10].name, "syscalls_budget_used_pct");
	assert_string_equal(p[11].name, "syscalls_golden_median");
	assert_string_equal(p[12].name, "rss_bytes");
	assert_near(p[12].value, 4096 * 1024.0);
	assert_string_equal(p[14].name, "rss_budget_bytes");
	assert_string_equal(p[18].name, "rss_golden_median_bytes");

	/* Over its budget: more than 100%, and the slowest run is named. */
	gt_trace_free(n);
	{
		static const double w2[] = {0.9, 1.5}, c2[] = {0.1, 0.1}, r2[] = {4096, 4096},
				    s2[] = {312, 312};

		n = runs(w2, c2, r2, s2, 2);
	}
	gt_headroom_compute(g, n, &k, &h);
	gt_buf_reset(&b);
	gt_headroom_text(&h, &b);
	assert_non_null(strstr(b.s, "wall 1.2 s (slowest 1.5 s) of 1 s budget (150%), band"));
	gt_buf_free(&b);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* A report read back (report merge): the properties set one by one give
 * the same struct, so the same text, in binary and decimal budget units;
 * an unknown name is refused, the derived percentage ignored. */
static void roundtrip(uint64_t rss_budget, const char *rss_text)
{
	static const double w[] = {0.21, 0.25}, c[] = {0.1, 0.1}, r[] = {4096, 5120},
			    s[] = {312, 320};
	struct gt_trace *g = golden5(), *n = runs(w, c, r, s, 2);
	struct gt_headroom_prop p[GT_HEADROOM_MAX_PROPS], q[GT_HEADROOM_MAX_PROPS];
	struct gt_headroom h, back;
	struct gt_buf b1 = {0}, b2 = {0};
	struct gt_case k;
	size_t np, nq;

	case_init(&k);
	k.budgets.max_duration_ms = 1500;
	k.budgets.max_syscalls = 10000;
	k.budgets.max_rss_bytes = rss_budget;
	gt_headroom_compute(g, n, &k, &h);
	np = gt_headroom_props(&h, p);
	memset(&back, 0, sizeof(back));
	for (size_t i = 0; i < np; i++)
		assert_true(gt_headroom_set_prop(&back, p[i].name, p[i].value));
	gt_headroom_text(&h, &b1);
	gt_headroom_text(&back, &b2);
	assert_string_equal(b2.s, b1.s);
	assert_non_null(strstr(b2.s, rss_text));
	nq = gt_headroom_props(&back, q);
	assert_int_equal(nq, np);
	for (size_t i = 0; i < np; i++) {
		assert_string_equal(q[i].name, p[i].name);
		assert_near(q[i].value, p[i].value);
	}
	assert_false(gt_headroom_set_prop(&back, "wall", 1));
	assert_false(gt_headroom_set_prop(&back, "rss_s", 1));
	assert_false(gt_headroom_set_prop(&back, "cpu_s", 1));
	assert_true(gt_headroom_set_prop(&back, "rss_budget_used_pct", 99));
	gt_buf_free(&b1);
	gt_buf_free(&b2);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_props_read_back(void **state)
{
	(void)state;
	roundtrip(536870912, "of 512 MiB budget");
	roundtrip(512000000, "of 512 MB budget");
}

/* No golden: no band; no case: no budget; no run: nothing at all. */
static void test_missing(void **state)
{
	static const double w[] = {0.2}, c[] = {0.1}, r[] = {2048}, s[] = {50};
	struct gt_trace *n = runs(w, c, r, s, 1), *empty = gt_trace_new();
	struct gt_headroom_prop p[GT_HEADROOM_MAX_PROPS];
	struct gt_headroom h;
	struct gt_buf b = {0};

	(void)state;
	gt_headroom_compute(NULL, n, NULL, &h);
	assert_true(gt_headroom_any(&h));
	gt_headroom_text(&h, &b);
	assert_string_equal(b.s, "wall 200 ms; syscalls 50; rss 2.0 MiB");
	assert_int_equal(gt_headroom_props(&h, p), 6);
	assert_true(gt_headroom_used_pct(&h.m[GT_METRIC_WALL]) < 0);
	gt_headroom_compute(NULL, empty, NULL, &h);
	assert_false(gt_headroom_any(&h));
	assert_int_equal(gt_headroom_props(&h, p), 0);
	gt_headroom_compute(NULL, NULL, NULL, &h);
	assert_false(gt_headroom_any(&h));
	gt_buf_free(&b);
	gt_trace_free(n);
	gt_trace_free(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_bands_agree_with_judge),
		cmocka_unit_test(test_text_and_props),
		cmocka_unit_test(test_props_read_back),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

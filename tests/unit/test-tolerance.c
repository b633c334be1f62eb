/*
 * test-tolerance: the bands, the rank test, the globs, and gt_judge on small
 * golden and new traces built by hand: counts exact or banded, timing gross
 * or tight, memory upper side only, every budget, the exit status, the
 * sequence kind, and the verdict and messages they produce.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "ranktest.h"
#include "tolerance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gtconfig.h"
#include "stats.h"
#include "trace.h"
#include "util.h"

/* Doubles equal within EPS (cmocka's float assertion works in float). */
#define assert_near(got, want, eps)                                                      \
	do {                                                                              \
		double got_ = (got), want_ = (want);                                      \
		if (!(fabs(got_ - want_) <= (eps)))                                       \
			fail_msg("%s is %.17g, wanted %.17g", #got, got_, want_);         \
	} while (0)

/* ---- builders ----------------------------------------------------------- */

/* The tolerances of SPEC 3's defaults: counts exact, 4 MADs, 25% floor,
 * gross 2x, rss 25%; no budgets. */
static void case_init(struct gt_case *c)
{
	memset(c, 0, sizeof(*c));
	c->tol.duration.mads = 4;
	c->tol.duration.floor_pct = 25;
	c->tol.duration.gross = 2;
	c->tol.duration.gate = GT_GATE_GROSS;
	c->tol.duration.alpha = 0.01;
	c->tol.rss_pct = 25;
}

static struct gt_stat stat4(double mn, double med, double mad, double mx)
{
	struct gt_stat s = {mn, med, mad, mx};

	return s;
}

static struct gt_stat one(double x)
{
	return stat4(x, x, 0, x);
}

static void set_calls(struct gt_trace *t, const char *name, struct gt_stat calls)
{
	gt_trace_sysstat(t, name)->calls = calls;
}

/* Record N runs of wall time W (seconds) and peak RSS R (kB) in T, with the
 * statistics summarised from them as the recorder does. */
static void set_runs(struct gt_trace *t, const double *w, const double *r, size_t n)
{
	double *sys = xcalloc(n, sizeof(*sys));

	for (size_t i = 0; i < n; i++) {
		struct gt_run_sample s = {.wall_s = w[i], .max_rss_kb = r[i], .syscalls = 100};

		gt_trace_add_run(t, &s);
		sys[i] = 100;
	}
	t->wall_s = gt_stat_of(w, n);
	t->max_rss_kb = gt_stat_of(r, n);
	t->syscalls = gt_stat_of(sys, n);
	free(sys);
}

/* One run of wall time W and peak RSS R. */
static void set_run(struct gt_trace *t, double w, double r)
{
	set_runs(t, &w, &r, 1);
}

/* Append the canonical event TEXT to process p1's main thread of T. */
static void add_event(struct gt_trace *t, const char *text)
{
	struct gt_event_parts parts;
	struct gt_error err;
	struct gt_thread *th;

	if (!t->nprocs)
		gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");
	th = &t->procs[0].threads[0];
	if (gt_event_parse(text, &parts, &err) != GT_OK)
		fail_msg("cannot parse %s: %s", text, err.msg);
	gt_thread_add_event(t, th, parts.call, (const char *const *)parts.args, parts.nargs,
			    parts.ret, parts.count);
	gt_event_parts_free(&parts);
}

/* A golden and a new trace with the same statistics: openat 12, read 30,
 * close 5; 5 runs of about 0.1 s and 10000 kB. */
static void pair(struct gt_trace **g, struct gt_trace **n)
{
	static const double w[] = {0.098, 0.099, 0.100, 0.101, 0.102};
	static const double r[] = {9900, 10000, 10000, 10000, 10100};
	struct gt_trace *t[2];

	for (int i = 0; i < 2; i++) {
		t[i] = gt_trace_new();
		set_calls(t[i], "openat", one(12));
		set_calls(t[i], "read", one(30));
		set_calls(t[i], "close", one(5));
		set_runs(t[i], w, r, 5);
	}
	*g = t[0];
	*n = t[1];
}

/* Replace the new trace's runs with one run of W seconds and R kB. */
static void new_run(struct gt_trace *n, double w, double r)
{
	n->nruns = 0;
	set_run(n, w, r);
}

/* The violation of METRIC, or NULL. */
static const struct gt_violation *find(const struct gt_verdict *v, const char *metric)
{
	for (size_t i = 0; i < v->nv; i++)
		if (strcmp(v->v[i].metric, metric) == 0)
			return &v->v[i];
	return NULL;
}

static const struct gt_violation *must_find(const struct gt_verdict *v, const char *metric)
{
	const struct gt_violation *x = find(v, metric);

	if (!x)
		fail_msg("no violation of %s (%zu others)", metric, v->nv);
	return x;
}

static void judge(const struct gt_trace *g, const struct gt_trace *n, const struct gt_case *c,
		  struct gt_verdict *v)
{
	gt_verdict_free(v);
	gt_judge(g, n, c, 0, v);
}

/* ---- bands and the rank test -------------------------------------------- */

static void test_band(void **state)
{
	double lo, hi;

	/* One run, MAD 0, no floor: the point itself. */
	gt_band(one(10), 4, 0, &lo, &hi);
	assert_near(lo, 10, 0);
	assert_near(hi, 10, 0);
	/* The floor dominates the MAD term (4 * 1.4826 * 1 < 25). */
	gt_band(stat4(99, 100, 1, 101), 4, 25, &lo, &hi);
	assert_near(lo, 75, 1e-12);
	assert_near(hi, 125, 1e-12);
	/* The MAD term dominates the floor. */
	gt_band(stat4(90, 100, 10, 110), 4, 5, &lo, &hi);
	assert_near(lo, 100 - 59.304, 1e-9);
	assert_near(hi, 100 + 59.304, 1e-9);
	/* Recorded runs outside the slack widen the band to hold them. */
	gt_band(stat4(50, 100, 1, 200), 4, 10, &lo, &hi);
	assert_near(lo, 50, 0);
	assert_near(hi, 200, 0);
	/* MAD 0 with a floor. */
	gt_band(one(0.1), 4, 0.025, &lo, &hi);
	assert_near(lo, 0.075, 1e-12);
	assert_near(hi, 0.125, 1e-12);
	/* A negative or NaN floor is no floor. */
	gt_band(one(7), 4, -3, &lo, &hi);
	assert_near(lo, 7, 0);
	assert_near(hi, 7, 0);
	gt_band(one(7), 4, NAN, &lo, &hi);
	assert_near(lo, 7, 0);
	assert_near(hi, 7, 0);
}

static void test_mann_whitney(void **state)
{
	static const double lo5[] = {1, 2, 3, 4, 5}, hi5[] = {6, 7, 8, 9, 10};
	static const double a[] = {1, 2, 2, 3}, b[] = {2, 3, 3, 4};
	static const double odd[] = {1, 3, 5, 7, 9, 11}, even[] = {2, 4, 6, 8, 10, 12, 14};
	static const double same[] = {3, 3, 3};
	double p;

	/* Identical samples: no evidence, p just above 0.5 (a tie counts a
	 * half and U rounds down: p errs on the large side). */
	p = gt_mann_whitney_p_greater(lo5, 5, lo5, 5);
	assert_near(p, 0.5793650793650794, 1e-12);
	/* Fully separated 5 vs 5: the smallest p the test gives them, 1 in
	 * C(10, 5) arrangements. */
	p = gt_mann_whitney_p_greater(lo5, 5, hi5, 5);
	assert_near(p, 1.0 / 252, 1e-12);
	assert_near(gt_mann_whitney_min_p(5, 5), 1.0 / 252, 1e-12);
	assert_near(gt_mann_whitney_min_p(3, 5), 1.0 / 56, 1e-12);
	assert_true(gt_mann_whitney_min_p(3, 5) > 0.01);
	assert_true(p < 0.01);
	/* The other way round. */
	p = gt_mann_whitney_p_greater(hi5, 5, lo5, 5);
	assert_near(p, 1, 1e-12);
	/* Ties across the samples. */
	assert_near(gt_mann_whitney_p_greater(a, 4, b, 4), 0.1, 1e-12);
	/* Interleaved, unequal sizes. */
	assert_near(gt_mann_whitney_p_greater(odd, 6, even, 7), 0.22261072261072262, 1e-12);
	/* Degenerate: an empty side, or every sample tied. */
	assert_near(gt_mann_whitney_p_greater(NULL, 0, lo5, 5), 1, 0);
	assert_near(gt_mann_whitney_p_greater(lo5, 5, NULL, 0), 1, 0);
	assert_near(gt_mann_whitney_p_greater(same, 3, same, 3), 0.65, 1e-12);
	/* Past the exact table: the normal approximation, still ordered. */
	{
		double big_lo[60], big_hi[60];

		for (int i = 0; i < 60; i++) {
			big_lo[i] = i;
			big_hi[i] = i + 30.5;
		}
		assert_true(gt_mann_whitney_p_greater(big_lo, 60, big_hi, 60) < 1e-6);
		assert_true(gt_mann_whitney_p_greater(big_hi, 60, big_lo, 60) > 0.999);
	}
}

/* ---- counts ------------------------------------------------------------- */

static void test_counts_exact(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	pair(&g, &n);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	assert_int_equal(v.nv, 0);
	assert_int_equal(v.kinds, 0);

	/* All recording runs agreed on 12: 13 is a regression. */
	set_calls(n, "openat", one(13));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_COUNTS);
	assert_int_equal(v.nv, 1);
	x = must_find(&v, "calls of openat");
	assert_int_equal(x->kind, GT_KIND_COUNTS);
	assert_false(x->improved);
	assert_near(x->value, 13, 0);
	assert_near(x->lo, 12, 0);
	assert_near(x->hi, 12, 0);
	assert_near(x->golden_median, 12, 0);
	assert_string_equal(x->message, "calls of openat: 13, band [12, 12], golden median 12");

	/* 11 is better than the band: improved, a pass. */
	set_calls(n, "openat", one(11));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_IMPROVED);
	assert_int_equal(v.kinds, 0);
	x = must_find(&v, "calls of openat");
	assert_true(x->improved);
	assert_string_equal(x->message, "calls of openat: 11, band [12, 12], golden median 12");

	/* Errors are judged the same way. */
	set_calls(n, "openat", one(12));
	gt_trace_sysstat(g, "openat")->errors = one(2);
	gt_trace_sysstat(n, "openat")->errors = one(3);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	x = must_find(&v, "errors of openat");
	assert_int_equal(x->kind, GT_KIND_COUNTS);
	assert_string_equal(x->message, "errors of openat: 3, band [2, 2], golden median 2");

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_counts_banded(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	pair(&g, &n);
	/* Runs 12 12 12 11 13 disagreed: banded [11, 13] even with exact counts. */
	set_calls(g, "openat", stat4(11, 12, 0, 13));
	set_calls(n, "openat", one(13));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	set_calls(n, "openat", one(11));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	set_calls(n, "openat", one(14));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	x = must_find(&v, "calls of openat");
	assert_string_equal(x->message, "calls of openat: 14, band [11, 13], golden median 12");

	/* With a MAD the band is k scaled MADs, in whole calls:
	 * 12 +- 4 * 1.4826 = [6.07, 17.93] -> [7, 17]. */
	set_calls(g, "openat", stat4(11, 12, 1, 14));
	set_calls(n, "openat", one(17));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	set_calls(n, "openat", one(18));
	judge(g, n, &c, &v);
	x = must_find(&v, "calls of openat");
	assert_near(x->lo, 7, 0);
	assert_near(x->hi, 17, 0);
	assert_string_equal(x->message, "calls of openat: 18, band [7, 17], golden median 12");

	/* A median of several new runs may be a half. */
	set_calls(n, "openat", stat4(17, 17.5, 0.5, 18));
	judge(g, n, &c, &v);
	x = must_find(&v, "calls of openat");
	assert_string_equal(x->message, "calls of openat: 17.5, band [7, 17], golden median 12");

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_counts_tolerance(void **state)
{
	char read_[] = "read", openat_[] = "openat";
	struct gt_tol_syscall per[] = {
		{.syscall = read_, .tol = {GT_TOL_PCT, 10}},
		{.syscall = openat_, .tol = {GT_TOL_ABS, 3}},
	};
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	c.tol.counts.per = per;
	c.tol.counts.nper = GT_ARRAY_SIZE(per);
	pair(&g, &n);

	/* read "10%" of 30: [27, 33]. */
	set_calls(n, "read", one(33));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	set_calls(n, "read", one(27));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	set_calls(n, "read", one(34));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	x = must_find(&v, "calls of read");
	assert_string_equal(x->message, "calls of read: 34, band [27, 33], golden median 30");
	set_calls(n, "read", one(26));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_IMPROVED);
	set_calls(n, "read", one(30));

	/* openat "±3" of 12: [9, 15]. */
	set_calls(n, "openat", one(15));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	set_calls(n, "openat", one(16));
	judge(g, n, &c, &v);
	x = must_find(&v, "calls of openat");
	assert_string_equal(x->message, "calls of openat: 16, band [9, 15], golden median 12");
	set_calls(n, "openat", one(12));

	/* close keeps the exact default. */
	set_calls(n, "close", one(6));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	x = must_find(&v, "calls of close");
	assert_string_equal(x->message, "calls of close: 6, band [5, 5], golden median 5");

	/* A default of "20%" applies to every syscall without its own. */
	c.tol.counts.dflt = (struct gt_tol){GT_TOL_PCT, 20};
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_counts_new_and_gone(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	pair(&g, &n);

	/* A syscall the golden never made: band [0, 0]. */
	set_calls(n, "connect", one(2));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.nv, 1);
	x = must_find(&v, "calls of connect");
	assert_false(x->improved);
	assert_string_equal(x->message, "calls of connect: 2, band [0, 0], golden median 0");
	/* Even with a relative tolerance: 10% of nothing is nothing. */
	c.tol.counts.dflt = (struct gt_tol){GT_TOL_PCT, 10};
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	/* An absolute one lets a few through. */
	c.tol.counts.dflt = (struct gt_tol){GT_TOL_ABS, 3};
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	c.tol.counts.dflt = (struct gt_tol){GT_TOL_EXACT, 0};
	gt_trace_free(n);

	/* A syscall gone from the new trace: improved. */
	n = gt_trace_new();
	set_calls(n, "openat", one(12));
	set_calls(n, "read", one(30));
	set_run(n, 0.1, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_IMPROVED);
	x = must_find(&v, "calls of close");
	assert_true(x->improved);
	assert_string_equal(x->message, "calls of close: 0, band [5, 5], golden median 5");

	/* Syscalls the golden ignores are not judged at all. */
	gt_trace_add_ignored(g, "close");
	set_calls(g, "getrandom", one(1));
	gt_trace_add_ignored(g, "getrandom");
	set_calls(n, "getrandom", one(9));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	assert_int_equal(v.nv, 0);

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* ---- timing ------------------------------------------------------------- */

static void test_timing_gross(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	pair(&g, &n);

	/* 12x slower: beyond [0.075, 0.125], beyond 2x, and (with no CPU
	 * times to confirm it) over 1 s slower. */
	new_run(n, 1.2, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_TIMING);
	x = must_find(&v, "wall_s");
	assert_int_equal(x->kind, GT_KIND_TIMING);
	assert_false(x->improved);
	assert_near(x->value, 1.2, 0);
	assert_near(x->lo, 0.075, 1e-12);
	assert_near(x->hi, 0.125, 1e-12);
	assert_near(x->golden_median, 0.1, 0);
	assert_string_equal(x->message,
			    "wall time 1.200 s, band [0.075, 0.125] s, golden median 0.100 s (12.0x)");

	/* 1.5x: out of the band but not gross, a pass. */
	new_run(n, 0.15, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	assert_int_equal(v.nv, 0);
	/* Exactly twice the median is not beyond it. */
	new_run(n, 0.2, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* 0.3x: faster beyond the band and beyond half, but with no CPU
	 * times to confirm it and less than 1 s faster: a plain pass. */
	new_run(n, 0.03, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	/* Confirmed by the CPU time: improved. */
	for (size_t i = 0; i < g->nruns; i++)
		g->runs[i].user_s = 0.09;
	n->nruns = 0;
	set_run(n, 0.03, 10000);
	n->runs[0].user_s = 0.02;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_IMPROVED);
	x = must_find(&v, "wall_s");
	assert_true(x->improved);
	assert_string_equal(x->message,
			    "wall time 0.030 s, band [0.075, 0.125] s, golden median 0.100 s (0.3x)"
			    "; CPU 0.020 s, golden median 0.090 s");
	for (size_t i = 0; i < g->nruns; i++)
		g->runs[i].user_s = 0;
	/* 0.6x: below the band but not half: a plain pass. */
	new_run(n, 0.06, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* A golden without timing is not judged on time. */
	g->wall_s = one(0);
	g->nruns = 0;
	new_run(n, 5, 10000);
	judge(g, n, &c, &v);
	assert_null(find(&v, "wall_s"));

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* A run of wall W and CPU time C (user + sys). */
static void cpu_run(struct gt_trace *t, double w, double c)
{
	struct gt_run_sample s = {.wall_s = w, .user_s = c * 0.75, .sys_s = c * 0.25,
				  .max_rss_kb = 10000, .syscalls = 100};

	gt_trace_add_run(t, &s);
}

/* Gross wall time counts only when the program's own CPU time confirms it
 * (a busy runner stretches wall time, not CPU time), or when it is over
 * 1 s slower. */
static void test_timing_cpu_confirms(void **state)
{
	struct gt_trace *g = gt_trace_new(), *n = gt_trace_new();
	struct gt_verdict v = {0};
	struct gt_case c;
	const struct gt_violation *x;

	case_init(&c);
	for (int i = 0; i < 5; i++)
		cpu_run(g, 0.100 + i * 0.001, 0.090);
	g->wall_s = gt_stat_of((double[]){0.100, 0.101, 0.102, 0.103, 0.104}, 5);

	/* 3x the wall time, CPU the same: a loaded machine. */
	cpu_run(n, 0.300, 0.091);
	n->wall_s = one(0.300);
	judge(g, n, &c, &v);
	assert_null(find(&v, "wall_s"));
	/* 3x the wall time and 3x the CPU: slower for real. */
	n->nruns = 0;
	cpu_run(n, 0.300, 0.270);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	x = must_find(&v, "wall_s");
	assert_non_null(strstr(x->message, "CPU 0.270 s, golden median 0.090 s"));
	/* 8x the wall time, CPU the same: but under 1 s slower: a very busy
	 * machine (make -j16 on 2 cores)... */
	n->nruns = 0;
	cpu_run(n, 0.800, 0.090);
	n->wall_s = one(0.800);
	judge(g, n, &c, &v);
	assert_null(find(&v, "wall_s"));
	/* ... 12x, over 1 s slower: it waits. */
	n->nruns = 0;
	cpu_run(n, 1.200, 0.090);
	n->wall_s = one(1.200);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	/* 20x, but the machine's tasks waited 1.5 s for a CPU during the run
	 * (the kernel's CPU pressure): the load explains it. */
	n->nruns = 0;
	cpu_run(n, 2.000, 0.090);
	n->runs[0].cpu_stall_s = 1.5;
	n->wall_s = one(2.000);
	judge(g, n, &c, &v);
	assert_null(find(&v, "wall_s"));
	/* 20x with 0.5 s of waiting for a CPU: 1.4 s more is still over 1 s
	 * unexplained, a program that now sleeps or waits: caught, and the
	 * message says how much the machine took. */
	n->nruns = 0;
	cpu_run(n, 2.000, 0.090);
	n->runs[0].cpu_stall_s = 0.5;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_non_null(strstr(must_find(&v, "wall_s")->message,
			       "the machine's tasks waited 0.500 s for a CPU"));
	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);

	/* A golden recorded on a busy machine: its wall times scatter (a
	 * band up to ~0.6 s) while its CPU times do not.  4x the CPU is caught
	 * although the new wall time is inside the wall band. */
	g = gt_trace_new();
	n = gt_trace_new();
	cpu_run(g, 0.070, 0.060);
	cpu_run(g, 0.150, 0.061);
	cpu_run(g, 0.300, 0.062);
	g->wall_s = gt_stat_of((double[]){0.070, 0.150, 0.300}, 3);
	cpu_run(n, 0.310, 0.245);
	n->wall_s = one(0.310);
	judge(g, n, &c, &v);
	assert_true(must_find(&v, "wall_s")->hi > 0.310);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);

	/* Recorded under heavy load (make -j16 on 2 cores): a wall median so
	 * stretched that the new run is not even twice it.  4x the CPU, 185
	 * ms more, is caught by the CPU alone; 40 ms more is not. */
	g = gt_trace_new();
	n = gt_trace_new();
	cpu_run(g, 0.400, 0.060);
	cpu_run(g, 0.500, 0.061);
	cpu_run(g, 0.600, 0.062);
	g->wall_s = gt_stat_of((double[]){0.400, 0.500, 0.600}, 3);
	cpu_run(n, 0.760, 0.245);
	n->wall_s = one(0.760);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_non_null(strstr(must_find(&v, "wall_s")->message, "CPU 0.245 s"));
	gt_verdict_free(&v);
	n->nruns = 0;
	cpu_run(n, 0.760, 0.101);
	judge(g, n, &c, &v);
	assert_null(find(&v, "wall_s"));
	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_timing_edge(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	double lo, hi;

	case_init(&c);
	c.tol.duration.gross = 1;       /* no factor: the band and 50 ms decide */
	pair(&g, &n);
	gt_band(g->wall_s, 4, 0.025, &lo, &hi);

	/* Beyond the band but by less than 50 ms: a busy runner, not a change. */
	new_run(n, nextafter(hi, 1), 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	/* No CPU time recorded (these samples have none) to confirm: wall time
	 * alone must be over 1 s slower. */
	new_run(n, 1.0999, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	new_run(n, 1.1001, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_near(must_find(&v, "wall_s")->hi, hi, 0);

	/* Improvements likewise need confirmation: with no CPU times, a 0.1 s
	 * program cannot get 1 s faster. */
	new_run(n, 0.001, 10000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* A tiny golden time: 4 ms more is noise however big the ratio. */
	g->wall_s = one(0.002);
	new_run(n, 0.006, 10000);
	judge(g, n, &c, &v);
	assert_null(find(&v, "wall_s"));
	new_run(n, 1.0025, 10000);
	judge(g, n, &c, &v);
	assert_non_null(find(&v, "wall_s"));

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_timing_tight(void **state)
{
	static const double gw[] = {0.098, 0.099, 0.100, 0.101, 0.102};
	static const double rss[] = {10000, 10000, 10000, 10000, 10000};
	static const double spread_g[] = {0.06, 0.08, 0.10, 0.12, 0.14};
	static const double spread_n[] = {0.09, 0.11, 0.13, 0.15, 0.17};
	double slow[5];
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	for (size_t i = 0; i < 5; i++)
		slow[i] = gw[i] * 1.3;
	case_init(&c);
	c.tol.duration.gate = GT_GATE_TIGHT;
	pair(&g, &n);

	/* Same distribution: pass. */
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* 1.3x slower, clearly separated, 5 + 5 runs: caught. */
	n->nruns = 0;
	set_runs(n, slow, rss, 5);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_TIMING);
	x = must_find(&v, "wall_s");
	assert_non_null(strstr(x->message, "wall time 0.130 s, band [0.075, 0.125] s, "
					   "golden median 0.100 s (1.3x"));
	assert_non_null(strstr(x->message, "Mann-Whitney p=0.00397 over 5+5 runs"));

	/* The same under the gross gate: a pass. */
	c.tol.duration.gate = GT_GATE_GROSS;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	c.tol.duration.gate = GT_GATE_TIGHT;

	/* Separated but not beyond the floor (1.2x < 1.25x): pass. */
	for (size_t i = 0; i < 5; i++)
		slow[i] = gw[i] * 1.2;
	n->nruns = 0;
	set_runs(n, slow, rss, 5);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* A 1.3x median over overlapping samples: not significant, pass. */
	g->nruns = 0;
	set_runs(g, spread_g, rss, 5);
	n->nruns = 0;
	set_runs(n, spread_n, rss, 5);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* Four new runs are too few: judged gross, so 1.3x passes. */
	g->nruns = 0;
	set_runs(g, gw, rss, 5);
	for (size_t i = 0; i < 5; i++)
		slow[i] = gw[i] * 1.3;
	n->nruns = 0;
	set_runs(n, slow, rss, 4);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* The tight gate still catches what the gross one does. */
	for (size_t i = 0; i < 5; i++)
		slow[i] = gw[i] * 12;
	n->nruns = 0;
	set_runs(n, slow, rss, 5);
	c.tol.duration.alpha = 0.001;   /* beyond reach of 5 + 5 runs */
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);

	/* Clearly faster: improved. */
	c.tol.duration.alpha = 0.01;
	for (size_t i = 0; i < 5; i++)
		slow[i] = gw[i] * 0.7;
	n->nruns = 0;
	set_runs(n, slow, rss, 5);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_IMPROVED);
	assert_true(must_find(&v, "wall_s")->improved);

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* ---- memory ------------------------------------------------------------- */

static void test_memory(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	pair(&g, &n);

	new_run(n, 0.1, 40000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_MEMORY);
	x = must_find(&v, "max_rss_kb");
	assert_int_equal(x->kind, GT_KIND_MEMORY);
	assert_near(x->value, 40000, 0);
	assert_near(x->lo, 7500, 1e-9);
	assert_near(x->hi, 12500, 1e-9);
	assert_string_equal(x->message,
			    "peak RSS 40000 kB, band [7500, 12500] kB, golden median 10000 kB (4.0x)");

	/* 1.1x: within 25%. */
	new_run(n, 0.1, 11000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	/* 1.3x is over. */
	new_run(n, 0.1, 13000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	/* Upper side only: 0.7x is below the band, yet no regression, and not
	 * "much" lower (1 / 1.5) either. */
	new_run(n, 0.1, 7000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	/* 0.3x: improved. */
	new_run(n, 0.1, 3000);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_IMPROVED);
	assert_true(must_find(&v, "max_rss_kb")->improved);

	/* A small program's peak moves by the library pages it faulted in:
	 * 512 kB over the median always pass, more still fails. */
	gt_trace_free(g);
	gt_trace_free(n);
	pair(&g, &n);
	g->nruns = 0;
	{
		static const double w1[] = {0.1}, r1[] = {1044};

		set_runs(g, w1, r1, 1);
	}
	new_run(n, 0.1, 1332);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	new_run(n, 0.1, 1600);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	x = must_find(&v, "max_rss_kb");
	assert_near(x->hi, 1044 + 512, 1e-9);
	new_run(n, 0.1, 4176);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* ---- budgets ------------------------------------------------------------ */

static void test_budget_limits(void **state)
{
	static const double w[] = {0.3, 0.6, 0.4}, r[] = {1000, 2048, 1500};
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	c.tol.duration.gross = 100;     /* only the budgets speak here */
	c.tol.rss_pct = 1000;
	pair(&g, &n);

	/* Duration: the slowest run counts, not the median. */
	n->nruns = 0;
	set_runs(n, w, r, 3);
	c.budgets.max_duration_ms = 500;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_BUDGET);
	x = must_find(&v, "budget max_duration_ms");
	assert_int_equal(x->kind, GT_KIND_BUDGET);
	assert_near(x->value, 600, 1e-9);
	assert_near(x->hi, 500, 0);
	assert_string_equal(x->message, "budget max_duration_ms: wall time 600 ms "
					"(slowest of 3 runs), limit 500 ms");
	c.budgets.max_duration_ms = 600;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	c.budgets.max_duration_ms = 0;

	/* Syscalls. */
	n->syscalls = stat4(1100, 1150, 50, 1200);
	c.budgets.max_syscalls = 1000;
	judge(g, n, &c, &v);
	x = must_find(&v, "budget max_syscalls");
	assert_near(x->value, 1200, 0);
	assert_string_equal(x->message, "budget max_syscalls: 1200 syscalls, limit 1000");
	c.budgets.max_syscalls = 1200;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	c.budgets.max_syscalls = 0;

	/* Peak RSS, in bytes, largest run. */
	c.budgets.max_rss_bytes = 1 << 20;
	judge(g, n, &c, &v);
	x = must_find(&v, "budget max_rss_bytes");
	assert_near(x->value, 2048.0 * 1024, 0);
	assert_string_equal(x->message, "budget max_rss_bytes: peak RSS 2097152 bytes (2.0 MiB), "
					"limit 1048576 (1.0 MiB)");
	c.budgets.max_rss_bytes = 2 << 20;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_budget_forbid_syscalls(void **state)
{
	char connect_[] = "connect", ptrace_[] = "ptrace";
	char *forbid[] = {connect_, ptrace_, NULL};
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	c.budgets.forbid_syscalls = forbid;
	c.budgets.nforbid_syscalls = 2;
	pair(&g, &n);
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);

	/* In the statistics (the golden had it too: budgets are absolute). */
	set_calls(g, "connect", one(2));
	set_calls(n, "connect", one(2));
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_BUDGET);
	x = must_find(&v, "budget forbid_syscalls");
	assert_string_equal(x->message, "forbidden syscall connect called 2 times");

	/* Only in the events. */
	gt_trace_free(g);
	gt_trace_free(n);
	pair(&g, &n);
	add_event(n, "ptrace(PTRACE_TRACEME, 0, NULL, NULL) = 0");
	judge(g, n, &c, &v);
	x = must_find(&v, "budget forbid_syscalls");
	assert_string_equal(x->message, "forbidden syscall ptrace called 1 time");

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_budget_forbid_writes(void **state)
{
	char home[] = "$HOME/**", etc[] = "/etc/*.conf";
	char *globs[] = {home, etc, NULL};
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	c.budgets.forbid_write_paths = globs;
	c.budgets.nforbid_write_paths = 2;
	pair(&g, &n);

	/* Reads, writes elsewhere, the old name of a link: allowed. */
	add_event(n, "openat(AT_FDCWD, \"$HOME/.bashrc\", O_RDONLY|O_CLOEXEC) = fd3");
	add_event(n, "open(\"$HOME/.profile\", O_RDONLY) = fd3");
	add_event(n, "openat(AT_FDCWD, \"$CWD/out\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = fd3");
	add_event(n, "symlink(\"$HOME/target\", \"$CWD/link\") = 0");
	add_event(n, "stat(\"$HOME/.x\", {st_mode=S_IFREG|0644}) = 0");
	add_event(n, "openat(AT_FDCWD, \"/etc/x/y.conf\", O_RDWR) = fd4");
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	assert_int_equal(v.nv, 0);

	add_event(n, "openat(AT_FDCWD, \"$HOME/.x\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3");
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_BUDGET);
	assert_int_equal(v.nv, 1);
	x = must_find(&v, "budget forbid_write_paths");
	assert_string_equal(x->message, "wrote $HOME/.x (forbidden by \"$HOME/**\")");

	/* The same path again is not listed twice. */
	add_event(n, "openat(AT_FDCWD, \"$HOME/.x\", O_WRONLY|O_APPEND) = 3");
	judge(g, n, &c, &v);
	assert_int_equal(v.nv, 1);

	/* Other writing calls; escapes undone; a failed attempt says so. */
	add_event(n, "unlinkat(AT_FDCWD, \"$HOME/a\\\"b\", 0) = 0");
	add_event(n, "rename(\"$CWD/tmp\", \"/etc/app.conf\") = 0");
	add_event(n, "mkdir(\"$HOME/.cache\", 0755) = -1 EEXIST");
	add_event(n, "creat(\"$HOME/\\x41\\102\", 0600) = fd5");
	judge(g, n, &c, &v);
	assert_int_equal(v.nv, 5);
	assert_string_equal(v.v[1].message, "wrote $HOME/a\"b (forbidden by \"$HOME/**\")");
	assert_string_equal(v.v[2].message, "wrote /etc/app.conf (forbidden by \"/etc/*.conf\")");
	assert_string_equal(v.v[3].message,
			    "tried to write $HOME/.cache (-1 EEXIST, forbidden by \"$HOME/**\")");
	assert_string_equal(v.v[4].message, "wrote $HOME/AB (forbidden by \"$HOME/**\")");

	/* Beyond five paths: five listed and a count. */
	add_event(n, "linkat(AT_FDCWD, \"$CWD/a\", AT_FDCWD, \"$HOME/l\", 0) = 0");
	add_event(n, "chmod(\"$HOME/n\\nl\", 0600) = 0");
	judge(g, n, &c, &v);
	assert_int_equal(v.nv, 6);
	assert_string_equal(v.v[5].message,
			    "7 forbidden paths written in all, the first 5 shown");
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* ---- exit status, sequence, verdict ------------------------------------- */

static void test_exit(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;

	case_init(&c);
	pair(&g, &n);
	n->exit_code = 3;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_EXIT);
	x = must_find(&v, "exit status");
	assert_string_equal(x->message, "exit status 3, expected 0");

	n->exit_code = -1;
	n->exit_signal = gt_trace_str(n, "SIGSEGV");
	judge(g, n, &c, &v);
	x = must_find(&v, "exit status");
	assert_string_equal(x->message, "killed by SIGSEGV, expected exit status 0");

	/* Same signal on both sides: fine; another signal: not. */
	g->exit_code = -1;
	g->exit_signal = gt_trace_str(g, "SIGSEGV");
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	g->exit_signal = gt_trace_str(g, "SIGKILL");
	judge(g, n, &c, &v);
	x = must_find(&v, "exit status");
	assert_string_equal(x->message, "killed by SIGSEGV, expected killed by SIGKILL");

	/* expect_exit overrides the golden. */
	c.has_expect_exit = true;
	c.expect_exit = 3;
	n->exit_code = 3;
	n->exit_signal = NULL;
	judge(g, n, &c, &v);
	assert_int_equal(v.verdict, GT_VERDICT_PASS);
	n->exit_code = 0;
	judge(g, n, &c, &v);
	x = must_find(&v, "exit status");
	assert_string_equal(x->message, "exit status 0, expected 3");

	gt_verdict_free(&v);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_sequence_and_verdict(void **state)
{
	struct gt_trace *g, *n;
	struct gt_case c;
	struct gt_verdict v = {0};
	const struct gt_violation *x;
	struct gt_buf b = {0};

	case_init(&c);
	pair(&g, &n);
	gt_judge(g, n, &c, 4, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_SEQUENCE);
	x = must_find(&v, "sequence");
	assert_string_equal(x->message, "sequence: 4 changed lines");

	/* Regression wins over improvement; kinds list only regressions. */
	set_calls(n, "close", one(2));
	new_run(n, 1.2, 40000);
	gt_verdict_free(&v);
	gt_judge(g, n, &c, 1, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_SEQUENCE | GT_KIND_TIMING | GT_KIND_MEMORY);
	assert_true(must_find(&v, "calls of close")->improved);
	gt_kinds_format(v.kinds, &b);
	assert_string_equal(b.s, "sequence, timing, memory");

	/* An error set by the caller stays. */
	gt_verdict_free(&v);
	v.verdict = GT_VERDICT_ERROR;
	gt_judge(g, n, &c, 0, &v);
	assert_int_equal(v.verdict, GT_VERDICT_ERROR);

	/* No case: the default tolerances. */
	gt_verdict_free(&v);
	gt_judge(g, n, NULL, 0, &v);
	assert_int_equal(v.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(v.kinds, GT_KIND_TIMING | GT_KIND_MEMORY);

	gt_verdict_free(&v);
	gt_verdict_free(&v);
	gt_verdict_free(NULL);
	gt_buf_free(&b);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_names(void **state)
{
	struct gt_buf b = {0};

	gt_kinds_format(GT_KIND_SEQUENCE | GT_KIND_COUNTS | GT_KIND_TIMING, &b);
	assert_string_equal(b.s, "sequence, counts, timing");
	gt_buf_reset(&b);
	gt_kinds_format(GT_KIND_MEMORY | GT_KIND_BUDGET | GT_KIND_EXIT, &b);
	assert_string_equal(b.s, "memory, budget, exit status");
	gt_buf_reset(&b);
	gt_kinds_format(0, &b);
	assert_int_equal(b.len, 0);
	gt_buf_free(&b);

	assert_string_equal(gt_verdict_name(GT_VERDICT_PASS), "pass");
	assert_string_equal(gt_verdict_name(GT_VERDICT_IMPROVED), "improved");
	assert_string_equal(gt_verdict_name(GT_VERDICT_REGRESSION), "regression");
	assert_string_equal(gt_verdict_name(GT_VERDICT_ERROR), "error");
}

/* ---- globs -------------------------------------------------------------- */

static void test_glob(void **state)
{
	static const struct {
		const char *pat, *path;
		bool match;
	} cases[] = {
		{"$HOME/**", "$HOME/.cache/x", true},
		{"$HOME/**", "$HOME/.x", true},
		{"$HOME/**", "$HOME", true},            /* the directory itself */
		{"$HOME/**", "$HOMEX/a", false},
		{"$HOME/**", "$CWD/a", false},
		{"$HOME/*", "$HOME/a", true},
		{"$HOME/*", "$HOME/a/b", false},        /* '*' stays in a component */
		{"/etc/*.conf", "/etc/app.conf", true},
		{"/etc/*.conf", "/etc/x/app.conf", false},
		{"/etc/*.conf", "/etc/.conf", true},
		{"/tmp/file?.txt", "/tmp/file1.txt", true},
		{"/tmp/file?.txt", "/tmp/file12.txt", false},
		{"/tmp/?", "/tmp//", false},            /* '?' is not a slash */
		{"/a/**/z", "/a/z", true},              /* zero components */
		{"/a/**/z", "/a/b/c/z", true},
		{"/a/**/z", "/a/b/c/zz", false},
		{"**/*.log", "x.log", true},
		{"**/*.log", "/var/log/a.log", true},
		{"**", "/anything/at/all", true},
		{"/a/**.c", "/a/b/c.c", true},          /* '**' inside a name crosses too */
		{"/exact/path", "/exact/path", true},
		{"/exact/path", "/exact/pat", false},
		{"/exact/pat", "/exact/path", false},
		{"", "", true},
		{"*", "", true},
		{"*", "a/b", false},
	};

	for (size_t i = 0; i < GT_ARRAY_SIZE(cases); i++)
		if (gt_glob_match(cases[i].pat, cases[i].path) != cases[i].match)
			fail_msg("glob \"%s\" on \"%s\": wanted %s", cases[i].pat, cases[i].path,
				 cases[i].match ? "a match" : "no match");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_band),
		cmocka_unit_test(test_mann_whitney),
		cmocka_unit_test(test_counts_exact),
		cmocka_unit_test(test_counts_banded),
		cmocka_unit_test(test_counts_tolerance),
		cmocka_unit_test(test_counts_new_and_gone),
		cmocka_unit_test(test_timing_gross),
		cmocka_unit_test(test_timing_edge),
		cmocka_unit_test(test_timing_cpu_confirms),
		cmocka_unit_test(test_timing_tight),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_budget_limits),
		cmocka_unit_test(test_budget_forbid_syscalls),
		cmocka_unit_test(test_budget_forbid_writes),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_sequence_and_verdict),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_glob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

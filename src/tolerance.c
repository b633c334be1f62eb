/*
 * tolerance: judge a new run (or several, merged into one trace) against its
 * golden: exit status, per-syscall counts and errors, wall time, peak RSS
 * and the absolute budgets.  Every metric out of its band or over its budget
 * becomes a violation whose message names the metric, the value, the band
 * and the golden median; the violations add up to the verdict.  The bands
 * are described in tolerance.h.  Pure computation: nothing here prints.
 */
#include "config.h"

#include "tolerance.h"
#include "units.h"

#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gtconfig.h"   /* struct gt_case: what gt_judge is given */
#include "ranktest.h"

#define MAD_SCALE 1.4826      /* a MAD as a standard deviation (normal data) */
#define WALL_FLOOR_S 0.005    /* absolute floor of the wall time band */
/* A gross timing change must also be this large in absolute terms: on a
 * shared CI runner a 5 ms program can take 15 ms without having changed. */
#define WALL_MIN_DELTA_S 0.05
/* A CPU time change smaller than this does not confirm a slowdown: a
 * traced program's CPU time (its system time above all: every stop is a
 * switch) doubles on a busy 2-core machine, python3's start from 23 to 49
 * ms under two CPU hogs and a loop of synced writes. */
#define CPU_MIN_DELTA_S 0.05
/* A wall time change this large counts without the CPU's confirmation (a
 * program that now waits longer, not computes longer).  Not less: under
 * `make -j16 check` on 2 cores a 0.23 s python3 start took 0.82 s with
 * the same CPU time. */
#define WALL_ALONE_DELTA_S 1.0
/* The program's own CPU time this much over its golden median (besides
 * above its band and gross) is a regression whatever the wall time says:
 * a golden recorded on a busy machine can have a wall median so stretched
 * that twice it hides a program that really computes 4 times as long. */
#define CPU_ALONE_DELTA_S 0.1
#define TIGHT_MIN_RUNS 5      /* runs each side before a rank test means much */
#define MAX_WRITES_SHOWN 5    /* forbidden writes listed one by one */
#define COUNT_EPS 1e-9        /* float noise when rounding a band to whole calls */

/* The tolerances of SPEC 3 for a caller without a config (gt_judge with C
 * NULL): no budgets, the exit status expected as in the golden. */
static const struct gt_case default_case = {
	.tol = {
		.duration = {.mads = 4, .floor_pct = 25, .gross = 2,
			     .gate = GT_GATE_GROSS, .alpha = 0.01},
		.rss_pct = 25,
	},
};

/* Kinds, in bit order. */
static const char *const kind_names[] = {
	"sequence", "counts", "timing", "memory", "budget", "exit status",
};

void gt_kinds_format(unsigned kinds, struct gt_buf *b)
{
	bool first = true;

	for (size_t i = 0; i < GT_ARRAY_SIZE(kind_names); i++) {
		if (!(kinds & (1u << i)))
			continue;
		if (!first)
			gt_buf_puts(b, ", ");
		gt_buf_puts(b, kind_names[i]);
		first = false;
	}
}

const char *gt_verdict_name(enum gt_verdict_kind v)
{
	switch (v) {
	case GT_VERDICT_PASS:
		return "pass";
	case GT_VERDICT_IMPROVED:
		return "improved";
	case GT_VERDICT_REGRESSION:
		return "regression";
	case GT_VERDICT_ERROR:
		return "error";
	}
	return "unknown";
}

void gt_verdict_free(struct gt_verdict *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nv; i++) {
		free(v->v[i].metric);
		free(v->v[i].message);
	}
	free(v->v);
	free(v->explained_by);
	memset(v, 0, sizeof(*v));
}

/* Append a violation; METRIC and MESSAGE become the verdict's. */
static void add_violation(struct gt_verdict *v, enum gt_kind kind, bool improved, char *metric,
			  double value, double lo, double hi, double golden_median, char *message)
{
	struct gt_violation *x;

	xgrow((void **)&v->v, &v->cap, v->nv + 1, sizeof(*v->v));
	x = &v->v[v->nv++];
	x->kind = kind;
	x->improved = improved;
	x->metric = metric;
	x->value = value;
	x->lo = lo;
	x->hi = hi;
	x->golden_median = golden_median;
	x->message = message;
	x->explained = false;
}

/* ---- statistics --------------------------------------------------------- */

void gt_band(struct gt_stat s, double k, double floor_, double *lo, double *hi)
{
	double slack = k * MAD_SCALE * s.mad;

	if (!(slack >= floor_))         /* also when the MAD term is NaN */
		slack = floor_;
	if (!(slack >= 0))
		slack = 0;
	*lo = fmin(s.min, s.median - slack);
	*hi = fmax(s.max, s.median + slack);
}

/* ---- number formatting -------------------------------------------------- */

/* Counts and kilobytes: whole numbers without decimals, medians of an even
 * number of runs with as few as needed. */
static void put_num(struct gt_buf *b, double x)
{
	if (x == rint(x) && fabs(x) < 1e15) {
		gt_buf_printf(b, "%.0f", x);
		return;
	}
	gt_buf_printf(b, "%.2f", x);
	while (b->len && b->s[b->len - 1] == '0')
		b->s[--b->len] = '\0';
}

/* " (4.1x)": the ratio to the golden median, when there is one. */
static void put_ratio(struct gt_buf *b, double value, double median)
{
	if (median > 0)
		gt_buf_printf(b, " (%.1fx)", value / median);
}

/* ---- exit status -------------------------------------------------------- */

static void put_exit(struct gt_buf *b, int code, const char *sig)
{
	if (sig && *sig)
		gt_buf_printf(b, "killed by %s", sig);
	else
		gt_buf_printf(b, "exit status %d", code);
}

static void judge_exit(const struct gt_trace *golden, const struct gt_trace *new_,
		       const struct gt_case *c, struct gt_verdict *v)
{
	int want_code = c->has_expect_exit ? c->expect_exit : golden->exit_code;
	const char *want_sig = c->has_expect_exit ? NULL : golden->exit_signal;
	const char *got_sig = new_->exit_signal;
	bool same;
	struct gt_buf b = {0};

	if (want_sig && !*want_sig)
		want_sig = NULL;
	if (got_sig && !*got_sig)
		got_sig = NULL;
	if (want_sig || got_sig)
		same = want_sig && got_sig && strcmp(want_sig, got_sig) == 0;
	else
		same = want_code == new_->exit_code;
	if (same)
		return;
	put_exit(&b, new_->exit_code, got_sig);
	gt_buf_puts(&b, ", expected ");
	if (got_sig || want_sig)
		put_exit(&b, want_code, want_sig);
	else
		gt_buf_printf(&b, "%d", want_code);     /* "exit status 3, expected 0" */
	add_violation(v, GT_KIND_EXIT, false, xstrdup("exit status"), new_->exit_code,
		      want_code, want_code, want_code, gt_buf_steal(&b));
}

/* ---- counts ------------------------------------------------------------- */

static const struct gt_syscall_stat *find_sysstat(const struct gt_trace *t, const char *name)
{
	for (size_t i = 0; i < t->nsysstats; i++)
		if (t->sysstats[i].name && strcmp(t->sysstats[i].name, name) == 0)
			return &t->sysstats[i];
	return NULL;
}

static bool in_list(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] && strcmp(list[i], name) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Judge one count (WHAT "calls" or "errors" of syscall NAME): golden stat S,
 * the new median VALUE. */
static void judge_count(struct gt_verdict *v, const char *what, const char *name,
			struct gt_stat s, double value, struct gt_tol t, double floor_abs,
			double mads)
{
	double slack = gt_tol_slack(t, s.median), lo, hi;
	bool improved;
	char *metric;
	struct gt_buf b = {0};

	if (!(slack > 0))
		slack = 0;
	if (slack < floor_abs)
		slack = floor_abs;
	if (s.min == s.max && slack == 0) {
		lo = hi = s.median;
	} else {
		double rlo, rhi;

		/* Counts are whole calls: keep the whole numbers in the band. */
		gt_band(s, mads, slack, &rlo, &rhi);
		lo = ceil(rlo - COUNT_EPS);
		hi = floor(rhi + COUNT_EPS);
		if (lo > hi) {
			lo = rlo;
			hi = rhi;
		}
		if (lo < 0)
			lo = 0;
	}
	if (value > hi)
		improved = false;
	else if (value < lo)
		improved = true;
	else
		return;
	metric = xasprintf("%s of %s", what, name);
	gt_buf_printf(&b, "%s: ", metric);
	put_num(&b, value);
	gt_buf_puts(&b, ", band [");
	put_num(&b, lo);
	gt_buf_puts(&b, ", ");
	put_num(&b, hi);
	gt_buf_puts(&b, "], golden median ");
	put_num(&b, s.median);
	add_violation(v, GT_KIND_COUNTS, improved, metric, value, lo, hi, s.median,
		      gt_buf_steal(&b));
}

static bool has_own_tolerance(const struct gt_count_tol *t, const char *name)
{
	for (size_t i = 0; i < t->nper; i++)
		if (strcmp(t->per[i].syscall, name) == 0)
			return true;
	return false;
}

/* Calls whose number follows timing: lock contention, spin loops, waits
 * and polls that return early or late, signal handlers that run or not
 * (a shell's SIGCHLD), sleeps cut short. */
static const char *const timing_calls[] = {
	"futex", "sched_yield", "rt_sigreturn", "restart_syscall", "poll", "ppoll", "select",
	"pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2", "nanosleep",
	"clock_nanosleep", "wait4", "waitid", "rt_sigtimedwait", "rt_sigsuspend", "pause",
	NULL,
};

bool gt_tol_is_timing_call(const char *name)
{
	for (size_t i = 0; timing_calls[i]; i++)
		if (strcmp(timing_calls[i], name) == 0)
			return true;
	return false;
}

/* The built-in floor of a class's count tolerance (gtdiff-trace(5), "What
 * a golden promises"), relative (the result) and absolute (*ABS).
 * Byte-count calls: how many it takes to move the same bytes follows
 * st_blksize (1 KiB on a small ext4, 4 KiB, 128 KiB on ZFS), so up to 8
 * times the golden's number passes; a program that now reads byte by byte
 * still fails.  Memory management: allocators grow by sizes and CPU
 * counts, so half again passes.  Timing (timing_calls): a band learned
 * from the runs and widened to 8 times the golden's number and 256 calls
 * either way (xz -T2's futex calls go from 4 to 85 as another user); a
 * busy-wait loop that now spins thousands of times still fails.  A tolerance the config gives the syscall by name replaces the
 * floor. */
static struct gt_tol class_tolerance(const char *name, struct gt_tol t, double *abs)
{
	double floor_pct = 0;

	*abs = 0;
	if (gt_syscall_bytes_arg(name) >= 0) {
		floor_pct = 700;
	} else if (gt_syscall_is_memory(name) || strcmp(name, "mmap") == 0 ||
		   strcmp(name, "mprotect") == 0) {
		floor_pct = 50;
	} else if (gt_tol_is_timing_call(name)) {
		floor_pct = 700;
		*abs = 256;
	}
	if (floor_pct > 0 && (t.kind != GT_TOL_PCT || t.value < floor_pct))
		t = (struct gt_tol){GT_TOL_PCT, floor_pct};
	return t;
}

struct gt_tol gt_tol_with_class(const struct gt_count_tol *t, const char *syscall,
				double *abs)
{
	*abs = 0;
	if (has_own_tolerance(t, syscall))
		return gt_tol_for(t, syscall);
	return class_tolerance(syscall, gt_tol_for(t, syscall), abs);
}

static void judge_counts(const struct gt_trace *golden, const struct gt_trace *new_,
			 const struct gt_case *c, struct gt_verdict *v)
{
	size_t n = 0, total = golden->nsysstats + new_->nsysstats;
	const char **names;
	static const struct gt_stat zero;

	if (!total)
		return;
	names = xmalloc(total * sizeof(*names));
	for (size_t i = 0; i < golden->nsysstats; i++)
		if (golden->sysstats[i].name)
			names[n++] = golden->sysstats[i].name;
	for (size_t i = 0; i < new_->nsysstats; i++)
		if (new_->sysstats[i].name)
			names[n++] = new_->sysstats[i].name;
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		const struct gt_syscall_stat *gs, *ns;
		struct gt_tol t;
		double abs;

		if (i > 0 && strcmp(names[i - 1], name) == 0)
			continue;
		if (in_list(golden->ignored, golden->nignored, name) ||
		    in_list(new_->ignored, new_->nignored, name))
			continue;
		/* An unordered call's number is scheduling or chance: a
		 * timing call's is judged in its wide band, another's
		 * (getrandom) only when the config gives it a tolerance of its
		 * own. */
		if (in_list(golden->unordered, golden->nunordered, name) &&
		    !gt_tol_is_timing_call(name) && !has_own_tolerance(&c->tol.counts, name))
			continue;
		/* A thread's exit call is reached or not as the process's
		 * exit_group comes (canon-threads.c); clone counts the threads. */
		if (strcmp(name, "exit") == 0 && !has_own_tolerance(&c->tol.counts, name))
			continue;
		gs = find_sysstat(golden, name);
		ns = find_sysstat(new_, name);
		t = gt_tol_with_class(&c->tol.counts, name, &abs);
		judge_count(v, "calls", name, gs ? gs->calls : zero, ns ? ns->calls.median : 0, t,
			    abs, c->tol.duration.mads);
		/* Errors are returns: not judged when a side could not see them. */
		if (!gt_trace_return_unknown(golden, name) && !gt_trace_return_unknown(new_, name))
			judge_count(v, "errors", name, gs ? gs->errors : zero,
				    ns ? ns->errors.median : 0, t, abs, c->tol.duration.mads);
	}
	free(names);
}

/* ---- per-run metrics ---------------------------------------------------- */

enum run_field { F_WALL, F_RSS, F_SYSCALLS, F_CPU, F_STALL };

static double run_value(const struct gt_run_sample *r, enum run_field f)
{
	switch (f) {
	case F_WALL:
		return r->wall_s;
	case F_RSS:
		return r->max_rss_kb;
	case F_SYSCALLS:
		return r->syscalls;
	case F_CPU:
		return r->user_s + r->sys_s;
	case F_STALL:
		return r->cpu_stall_s > 0 ? r->cpu_stall_s : 0;
	}
	return 0;
}

/* The samples of field F over T's runs (caller frees; NULL when none). */
static double *run_samples(const struct gt_trace *t, enum run_field f)
{
	double *x;

	if (!t->nruns)
		return NULL;
	x = xmalloc(t->nruns * sizeof(*x));
	for (size_t i = 0; i < t->nruns; i++)
		x[i] = run_value(&t->runs[i], f);
	return x;
}

/* The statistic of field F: the stored one, or summarised from the run
 * samples when it was never filled in. */
static struct gt_stat trace_stat(const struct gt_trace *t, enum run_field f)
{
	struct gt_stat s;
	double *x;

	switch (f) {
	case F_WALL:
		s = t->wall_s;
		break;
	case F_RSS:
		s = t->max_rss_kb;
		break;
	case F_CPU:
	case F_STALL:
		s = (struct gt_stat){0}; /* only from the samples */
		break;
	default:
		s = t->syscalls;
		break;
	}
	if (s.max > 0 || !t->nruns)
		return s;
	x = run_samples(t, f);
	s = gt_stat_of(x, t->nruns);
	free(x);
	return s;
}

double gt_timing_rank_p(const struct gt_trace *golden, const struct gt_trace *new_,
			const struct gt_case *c, double *min_p)
{
	double gross = c->tol.duration.gross >= 1 ? c->tol.duration.gross : 1, p;
	/* The program's own CPU time where the golden has it: a busy machine
	 * stretches wall time (a golden recorded under make -j16 had wall
	 * times from 0.4 to 1.4 s), not CPU time. */
	enum run_field f = trace_stat(golden, F_CPU).median > 0 ? F_CPU : F_WALL;
	double *a = run_samples(golden, f), *x = run_samples(new_, f);

	*min_p = 1;
	if (!a || !x) {
		free(a);
		free(x);
		return -1;
	}
	for (size_t i = 0; i < golden->nruns; i++)
		a[i] *= gross;
	p = gt_mann_whitney_p_greater(a, golden->nruns, x, new_->nruns);
	*min_p = gt_mann_whitney_min_p(golden->nruns, new_->nruns);
	free(a);
	free(x);
	return p;
}

/* The largest value of field F in any run of T. */
static double trace_max(const struct gt_trace *t, enum run_field f)
{
	double m = trace_stat(t, f).max;

	for (size_t i = 0; i < t->nruns; i++)
		m = fmax(m, run_value(&t->runs[i], f));
	return m;
}

/* Peak RSS may always grow this much (kB) over the golden median: a small
 * program's peak moves by the shared library pages it happened to fault
 * in.  readloop's 30 runs under ebpf peaked at 1044 to 1332 kB, 20 under
 * ptrace at 1208 to 1432 kB, so a golden of one run at 1044 kB failed a
 * rerun at 1332 kB on 25% alone. */
#define RSS_ABS_KB 512.0

/* The band of peak RSS (kB) of golden statistic G. */
static void rss_band(struct gt_stat g, const struct gt_case *c, double *lo, double *hi)
{
	double pct = c->tol.rss_pct > 0 ? c->tol.rss_pct : 0;

	gt_band(g, c->tol.duration.mads, g.median * pct / 100, lo, hi);
	if (*lo < 0)
		*lo = 0;
	if (*hi < g.median + RSS_ABS_KB)
		*hi = g.median + RSS_ABS_KB;
}

bool gt_wall_band(const struct gt_trace *golden, const struct gt_case *c, double *lo,
		  double *hi)
{
	struct gt_stat g = trace_stat(golden, F_WALL);
	double floor_pct;

	if (!c)
		c = &default_case;
	floor_pct = c->tol.duration.floor_pct > 0 ? c->tol.duration.floor_pct : 0;
	gt_band(g, c->tol.duration.mads, fmax(g.median * floor_pct / 100, WALL_FLOOR_S), lo, hi);
	if (*lo < 0)
		*lo = 0;
	return g.median > 0;
}

static void judge_timing(const struct gt_trace *golden, const struct gt_trace *new_,
			 const struct gt_case *c, struct gt_verdict *v)
{
	const struct gt_duration_tol *d = &c->tol.duration;
	struct gt_stat g = trace_stat(golden, F_WALL);
	double med = g.median, value = trace_stat(new_, F_WALL).median;
	double floor_pct = d->floor_pct > 0 ? d->floor_pct : 0;
	double gross = d->gross > 0 ? d->gross : 2;
	double alpha = d->alpha > 0 && d->alpha < 1 ? d->alpha : 0.01;
	double lo, hi, p = -1, cpu_med, cpu, cpu_lo, cpu_hi, stall;
	struct gt_stat cpu_stat;
	bool regress, improved;
	struct gt_buf b = {0};

	if (!(med > 0) || !(value > 0))
		return;         /* no timing recorded on one side */
	gt_wall_band(golden, c, &lo, &hi);
	/* Gross in wall time, and confirmed: a busy shared runner stretches
	 * wall time, not the program's own CPU time, while a program that
	 * really got slower at computing is slower in both.  A program that
	 * now waits much longer is caught by wall time alone past
	 * WALL_ALONE_DELTA_S, beyond the time in which the machine's tasks
	 * waited for a CPU during the new runs (the kernel's CPU pressure: a
	 * busy machine's share of the delay); max_duration_ms always gates. */
	stall = trace_stat(new_, F_STALL).median;
	cpu_stat = trace_stat(golden, F_CPU);
	cpu_med = cpu_stat.median;
	cpu = trace_stat(new_, F_CPU).median;
	gt_band(cpu_stat, d->mads, cpu_med * floor_pct / 100, &cpu_lo, &cpu_hi);
	/* When the CPU confirms, its band decides: a golden recorded on a
	 * busy machine has a wide wall-time band, not a wide CPU band. */
	regress = (value > gross * med && value - med > WALL_MIN_DELTA_S &&
		   ((cpu > cpu_hi && cpu > gross * cpu_med && cpu - cpu_med > CPU_MIN_DELTA_S) ||
		    (value > hi && value - med - stall > WALL_ALONE_DELTA_S))) ||
		  (cpu > cpu_hi && cpu > gross * cpu_med && cpu - cpu_med > CPU_ALONE_DELTA_S);
	improved = value < med / gross && med - value > WALL_MIN_DELTA_S &&
		   ((cpu < cpu_lo && cpu < cpu_med / gross && cpu_med - cpu > CPU_MIN_DELTA_S) ||
		    (value < lo && med - value > WALL_ALONE_DELTA_S));
	if (d->gate == GT_GATE_TIGHT && golden->nruns >= TIGHT_MIN_RUNS &&
	    new_->nruns >= TIGHT_MIN_RUNS) {
		double *a = run_samples(golden, F_WALL), *x = run_samples(new_, F_WALL);
		double shift = 1 + floor_pct / 100;

		/* The tight gate adds to the gross one: a shift the rank test
		 * calls significant and larger than the floor. */
		p = gt_mann_whitney_p_greater(a, golden->nruns, x, new_->nruns);
		if (!regress && p < alpha && value > med * shift) {
			regress = true;
		} else if (!regress && !improved && value < med / shift) {
			p = gt_mann_whitney_p_greater(x, new_->nruns, a, golden->nruns);
			improved = p < alpha;
		}
		free(a);
		free(x);
	}
	if (!regress && !improved)
		return;
	gt_buf_printf(&b, "wall time %.3f s, band [%.3f, %.3f] s, golden median %.3f s",
		      value, lo, hi, med);
	put_ratio(&b, value, med);
	if (cpu_med > 0 || cpu > 0)
		gt_buf_printf(&b, "; CPU %.3f s, golden median %.3f s", cpu, cpu_med);
	if (stall > 0)
		gt_buf_printf(&b, "; the machine's tasks waited %.3f s for a CPU", stall);
	if (p >= 0)
		gt_buf_printf(&b, ", Mann-Whitney p=%.3g over %zu+%zu runs", p, golden->nruns,
			      new_->nruns);
	add_violation(v, GT_KIND_TIMING, !regress, xstrdup("wall_s"), value, lo, hi, med,
		      gt_buf_steal(&b));
}

static void judge_memory(const struct gt_trace *golden, const struct gt_trace *new_,
			 const struct gt_case *c, struct gt_verdict *v)
{
	struct gt_stat g = trace_stat(golden, F_RSS);
	double med = g.median, value = trace_stat(new_, F_RSS).median;
	double pct = c->tol.rss_pct > 0 ? c->tol.rss_pct : 0;
	double lo, hi;
	bool regress, improved;
	struct gt_buf b = {0};

	if (!(med > 0) || !(value > 0))
		return;
	rss_band(g, c, &lo, &hi);
	/* Upper side only: using less memory is never a regression. */
	regress = value > hi && value > med * (1 + pct / 100);
	improved = value < lo && value < med / (1 + 2 * pct / 100);
	if (!regress && !improved)
		return;
	gt_buf_printf(&b, "peak RSS %.0f kB, band [%.0f, %.0f] kB, golden median %.0f kB",
		      value, lo, hi, med);
	put_ratio(&b, value, med);
	add_violation(v, GT_KIND_MEMORY, improved, xstrdup("max_rss_kb"), value, lo, hi, med,
		      gt_buf_steal(&b));
}

/* Anonymous memory asked for (memory management is out of the sequence,
 * so this is where it is judged): upper side only, a regression when the
 * new median is above twice the golden's highest run and more than
 * ANON_SLACK above it.  Allocators size their arenas by CPU count and
 * memory (sort's buffer), so the band is wide; a new 1 GiB allocation is
 * still far outside it. */
#define ANON_SLACK (64.0 * 1024 * 1024)

static void judge_anon(const struct gt_trace *golden, const struct gt_trace *new_,
		       struct gt_verdict *v)
{
	double *g, *n, gmax = 0, value, hi;
	struct gt_buf b = {0};

	if (!golden->nruns || !new_->nruns)
		return;
	g = xmalloc(golden->nruns * sizeof(*g));
	n = xmalloc(new_->nruns * sizeof(*n));
	for (size_t i = 0; i < golden->nruns; i++)
		g[i] = golden->runs[i].anon_bytes;
	for (size_t i = 0; i < new_->nruns; i++)
		n[i] = new_->runs[i].anon_bytes;
	for (size_t i = 0; i < golden->nruns; i++) {
		if (g[i] < 0)
			goto out;   /* not recorded */
		if (g[i] > gmax)
			gmax = g[i];
	}
	for (size_t i = 0; i < new_->nruns; i++)
		if (n[i] < 0)
			goto out;
	value = gt_stat_of(n, new_->nruns).median;
	hi = 2 * gmax > gmax + ANON_SLACK ? 2 * gmax : gmax + ANON_SLACK;
	if (value <= hi)
		goto out;
	gt_buf_printf(&b, "anonymous memory %.1f MiB, at most %.1f MiB, golden highest %.1f MiB",
		      value / 1048576, hi / 1048576, gmax / 1048576);
	put_ratio(&b, value, gmax);
	add_violation(v, GT_KIND_MEMORY, false, xstrdup("anon_bytes"), value, 0, hi, gmax,
		      gt_buf_steal(&b));
out:
	free(g);
	free(n);
}

/* ---- budgets ------------------------------------------------------------ */

static void budget_violation(struct gt_verdict *v, const char *name, double value,
			     double limit, char *message)
{
	add_violation(v, GT_KIND_BUDGET, false, xasprintf("budget %s", name), value, limit, limit,
		      limit, message);
}

static void judge_forbidden_syscalls(const struct gt_trace *t, const struct gt_budgets *bu,
				     struct gt_verdict *v)
{
	for (size_t i = 0; i < bu->nforbid_syscalls && bu->forbid_syscalls[i]; i++) {
		const char *name = bu->forbid_syscalls[i];
		const struct gt_syscall_stat *s = find_sysstat(t, name);
		double n = s ? fmax(s->calls.max, s->calls.median) : 0, ev = 0;

		for (size_t p = 0; p < t->nprocs; p++)
			for (size_t h = 0; h < t->procs[p].nthreads; h++) {
				const struct gt_thread *th = &t->procs[p].threads[h];

				for (size_t e = 0; e < th->nevents; e++)
					if (th->events[e].call &&
					    strcmp(th->events[e].call, name) == 0)
						ev += th->events[e].count;
			}
		n = fmax(n, ev);
		if (n > 0)
			budget_violation(v, "forbid_syscalls", n, 0,
					 xasprintf("forbidden syscall %s called %.0f time%s", name,
						   n, n == 1 ? "" : "s"));
	}
}

/* How a call writes to the paths in its quoted arguments. */
enum write_how {
	W_FLAGS,        /* an open: only with a write flag; its one path */
	W_ALL,          /* every quoted argument is written */
	W_LAST,         /* only the last quoted one (link, symlink: the new name) */
};

static const struct {
	const char *call;
	enum write_how how;
	int flags_arg;  /* W_FLAGS: index of the flags argument */
} write_calls[] = {
	{"open", W_FLAGS, 1},      {"openat", W_FLAGS, 2},    {"openat2", W_FLAGS, 2},
	{"creat", W_ALL, 0},       {"unlink", W_ALL, 0},      {"unlinkat", W_ALL, 0},
	{"rename", W_ALL, 0},      {"renameat", W_ALL, 0},    {"renameat2", W_ALL, 0},
	{"mkdir", W_ALL, 0},       {"mkdirat", W_ALL, 0},     {"rmdir", W_ALL, 0},
	{"truncate", W_ALL, 0},    {"link", W_LAST, 0},       {"linkat", W_LAST, 0},
	{"symlink", W_LAST, 0},    {"symlinkat", W_LAST, 0},  {"chmod", W_ALL, 0},
	{"fchmodat", W_ALL, 0},    {"fchmodat2", W_ALL, 0},   {"chown", W_ALL, 0},
	{"lchown", W_ALL, 0},      {"fchownat", W_ALL, 0},    {"utimensat", W_ALL, 0},
	{"utimes", W_ALL, 0},      {"utime", W_ALL, 0},       {"mknod", W_ALL, 0},
	{"mknodat", W_ALL, 0},
};

static bool is_flag_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Does the rendered open flags argument A ask for writing? */
static bool flags_write(const char *a)
{
	static const char *const wflags[] = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC"};
	unsigned long long bits;
	char *end;

	for (const char *p = a; *p;) {
		const char *q = p;

		while (*q && is_flag_char(*q))
			q++;
		for (size_t i = 0; q > p && i < GT_ARRAY_SIZE(wflags); i++)
			if (strlen(wflags[i]) == (size_t)(q - p) &&
			    memcmp(wflags[i], p, (size_t)(q - p)) == 0)
				return true;
		p = *q ? q + 1 : q;
	}
	/* Flags left numeric ("0x241"). */
	bits = strtoull(a, &end, 0);
	if (end != a && *end == '\0')
		return bits & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC);
	return false;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The string inside the quoted argument A with its C escapes undone, or NULL
 * if A is not a quoted string (a wildcard, NULL, a flag).  Caller frees. */
static char *unquote(const char *a)
{
	static const char simple[] = "ntrvfab", meaning[] = "\n\t\r\v\f\a\b";
	struct gt_buf b = {0};
	const char *p;

	if (*a != '"')
		return NULL;
	gt_buf_puts(&b, "");
	for (p = a + 1; *p && *p != '"'; p++) {
		int ch, n, d;

		if (*p != '\\' || !p[1]) {
			gt_buf_putc(&b, *p);
			continue;
		}
		p++;
		if (*p && strchr(simple, *p)) {
			ch = meaning[strchr(simple, *p) - simple];
		} else if (*p == 'x') {
			for (ch = 0, n = 0; n < 2 && (d = hexval(p[1])) >= 0; n++, p++)
				ch = ch * 16 + d;
			if (!n)
				ch = 'x';
		} else if (*p >= '0' && *p <= '7') {
			ch = *p - '0';
			for (n = 1; n < 3 && p[1] >= '0' && p[1] <= '7'; n++)
				ch = ch * 8 + (*++p - '0');
		} else {
			ch = (unsigned char)*p;  /* \" \\ and anything else */
		}
		gt_buf_putc(&b, (char)ch);
	}
	return gt_buf_steal(&b);
}

/* Append PATH for a one-line message: as is, or quoted if it holds control
 * characters. */
static void put_path(struct gt_buf *b, const char *path)
{
	for (const char *p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			gt_buf_quote(b, path, strlen(path));
			return;
		}
	gt_buf_puts(b, path);
}

struct write_scan {
	const struct gt_budgets *bu;
	struct gt_verdict *v;
	char **seen;            /* distinct forbidden paths found */
	size_t nseen, cap;
};

/* Record one write of PATH by event E if a glob forbids it. */
static void check_write(struct write_scan *ws, const struct gt_event *e, const char *path)
{
	const struct gt_budgets *bu = ws->bu;
	const char *glob = NULL;
	struct gt_buf b = {0};
	bool failed = e->ret && strncmp(e->ret, "-1", 2) == 0;

	for (size_t i = 0; i < bu->nforbid_write_paths && bu->forbid_write_paths[i]; i++)
		if (gt_glob_match(bu->forbid_write_paths[i], path)) {
			glob = bu->forbid_write_paths[i];
			break;
		}
	if (!glob)
		return;
	for (size_t i = 0; i < ws->nseen; i++)
		if (strcmp(ws->seen[i], path) == 0)
			return;
	xgrow((void **)&ws->seen, &ws->cap, ws->nseen + 1, sizeof(*ws->seen));
	ws->seen[ws->nseen++] = xstrdup(path);
	if (ws->nseen > MAX_WRITES_SHOWN)
		return;
	gt_buf_puts(&b, failed ? "tried to write " : "wrote ");
	put_path(&b, path);
	gt_buf_puts(&b, " (");
	if (failed)
		gt_buf_printf(&b, "%s, ", e->ret);
	gt_buf_printf(&b, "forbidden by \"%s\")", glob);
	budget_violation(ws->v, "forbid_write_paths", (double)ws->nseen, 0, gt_buf_steal(&b));
}

static void scan_event(struct write_scan *ws, const struct gt_event *e)
{
	size_t w, nargs = e->nargs < GT_MAX_ARGS ? e->nargs : GT_MAX_ARGS;
	char *last = NULL;

	if (!e->call)
		return;
	for (w = 0; w < GT_ARRAY_SIZE(write_calls); w++)
		if (strcmp(write_calls[w].call, e->call) == 0)
			break;
	if (w == GT_ARRAY_SIZE(write_calls))
		return;
	if (write_calls[w].how == W_FLAGS) {
		int fa = write_calls[w].flags_arg;

		if (fa >= (int)nargs || !e->args[fa] || !flags_write(e->args[fa]))
			return;
	}
	for (size_t i = 0; i < nargs; i++) {
		char *path = e->args[i] ? unquote(e->args[i]) : NULL;

		if (!path)
			continue;
		if (write_calls[w].how == W_LAST) {
			free(last);
			last = path;
			continue;
		}
		check_write(ws, e, path);
		free(path);
		if (write_calls[w].how == W_FLAGS)
			break;
	}
	if (last)
		check_write(ws, e, last);
	free(last);
}

static void judge_forbidden_writes(const struct gt_trace *t, const struct gt_budgets *bu,
				   struct gt_verdict *v)
{
	struct write_scan ws = {.bu = bu, .v = v};

	if (!bu->nforbid_write_paths || !bu->forbid_write_paths)
		return;
	for (size_t p = 0; p < t->nprocs; p++)
		for (size_t h = 0; h < t->procs[p].nthreads; h++) {
			const struct gt_thread *th = &t->procs[p].threads[h];

			for (size_t e = 0; e < th->nevents; e++)
				scan_event(&ws, &th->events[e]);
		}
	if (ws.nseen > MAX_WRITES_SHOWN)
		budget_violation(v, "forbid_write_paths", (double)ws.nseen, 0,
				 xasprintf("%zu forbidden paths written in all, the first %d shown",
					   ws.nseen, MAX_WRITES_SHOWN));
	for (size_t i = 0; i < ws.nseen; i++)
		free(ws.seen[i]);
	free(ws.seen);
}

/* The most syscalls of one run of T; in a trace without per-run totals,
 * the syscalls added up. */
static double syscalls_max(const struct gt_trace *t)
{
	double n = trace_max(t, F_SYSCALLS), sum = 0;

	for (size_t i = 0; !(n > 0) && i < t->nsysstats; i++)
		sum += t->sysstats[i].calls.max;
	return fmax(n, sum);
}

static void judge_budgets(const struct gt_trace *t, const struct gt_budgets *bu,
			  struct gt_verdict *v)
{
	if (bu->max_duration_ms > 0) {
		double ms = trace_max(t, F_WALL) * 1000;

		if (ms > bu->max_duration_ms) {
			struct gt_buf lim = {0};

			gt_units_put_limit_ms(&lim, bu->max_duration_ms);
			budget_violation(v, "max_duration_ms", ms, bu->max_duration_ms,
					 xasprintf("budget %s: wall time %.0f ms "
						   "(slowest of %zu run%s), limit %s",
						   bu->duration_units ? "max_duration"
								      : "max_duration_ms",
						   ms, t->nruns ? t->nruns : 1,
						   t->nruns > 1 ? "s" : "", lim.s));
			gt_buf_free(&lim);
		}
	}
	if (bu->max_syscalls > 0) {
		double n = syscalls_max(t);

		if (n > (double)bu->max_syscalls)
			budget_violation(v, "max_syscalls", n, (double)bu->max_syscalls,
					 xasprintf("budget max_syscalls: %.0f syscalls, limit %" PRIu64,
						   n, bu->max_syscalls));
	}
	if (bu->max_rss_bytes > 0) {
		double bytes = trace_max(t, F_RSS) * 1024;

		if (bytes > (double)bu->max_rss_bytes && bu->rss_units) {
			struct gt_buf lim = {0}, val = {0};
			bool dec;

			gt_units_put_limit_bytes(&lim, bu->max_rss_bytes, &dec);
			gt_units_put_bytes(&val, bytes, dec);
			budget_violation(v, "max_rss_bytes", bytes, (double)bu->max_rss_bytes,
					 xasprintf("budget max_rss: peak RSS %s, limit %s", val.s,
						   lim.s));
			gt_buf_free(&lim);
			gt_buf_free(&val);
		} else if (bytes > (double)bu->max_rss_bytes) {
			budget_violation(v, "max_rss_bytes", bytes, (double)bu->max_rss_bytes,
					 xasprintf("budget max_rss_bytes: peak RSS %.0f bytes "
						   "(%.1f MiB), limit %" PRIu64 " (%.1f MiB)",
						   bytes, bytes / 1048576, bu->max_rss_bytes,
						   (double)bu->max_rss_bytes / 1048576));
		}
	}
	if (bu->forbid_syscalls)
		judge_forbidden_syscalls(t, bu, v);
	judge_forbidden_writes(t, bu, v);
}

/* ---- the measurements, for the reports (headroom.c) -------------------- */

static enum run_field metric_field(enum gt_metric m)
{
	return m == GT_METRIC_WALL ? F_WALL : m == GT_METRIC_RSS ? F_RSS : F_SYSCALLS;
}

/* RSS is recorded in kB; the reports speak bytes. */
static double metric_scale(enum gt_metric m)
{
	return m == GT_METRIC_RSS ? 1024 : 1;
}

void gt_trace_metric(const struct gt_trace *t, enum gt_metric m, double *median,
		     double *worst)
{
	enum run_field f = metric_field(m);
	double scale = metric_scale(m);

	*median = trace_stat(t, f).median * scale;
	*worst = (m == GT_METRIC_SYSCALLS ? syscalls_max(t) : trace_max(t, f)) * scale;
	if (m == GT_METRIC_SYSCALLS && !(*median > 0))
		*median = *worst;   /* no per-run totals: the sum */
}

bool gt_metric_band(const struct gt_trace *golden, const struct gt_case *c, enum gt_metric m,
		    double *lo, double *hi, double *median)
{
	struct gt_stat g = trace_stat(golden, metric_field(m));
	double scale = metric_scale(m);

	if (!c)
		c = &default_case;
	*median = g.median * scale;
	*lo = *hi = 0;
	if (!(g.median > 0) || m == GT_METRIC_SYSCALLS)
		return false;
	if (m == GT_METRIC_WALL)
		gt_wall_band(golden, c, lo, hi);
	else
		rss_band(g, c, lo, hi);
	*lo *= scale;
	*hi *= scale;
	return true;
}

/* ---- the verdict -------------------------------------------------------- */

void gt_judge(const struct gt_trace *golden, const struct gt_trace *new_,
	      const struct gt_case *c, size_t sequence_changes, struct gt_verdict *v)
{
	bool any_improved = false;

	if (!c)
		c = &default_case;
	judge_exit(golden, new_, c, v);
	if (sequence_changes > 0)
		add_violation(v, GT_KIND_SEQUENCE, false, xstrdup("sequence"),
			      (double)sequence_changes, 0, 0, 0,
			      xasprintf("sequence: %zu changed line%s", sequence_changes,
					sequence_changes == 1 ? "" : "s"));
	judge_counts(golden, new_, c, v);
	judge_anon(golden, new_, v);
	judge_timing(golden, new_, c, v);
	judge_memory(golden, new_, c, v);
	judge_budgets(new_, &c->budgets, v);

	v->kinds = 0;
	for (size_t i = 0; i < v->nv; i++) {
		if (v->v[i].improved)
			any_improved = true;
		else
			v->kinds |= v->v[i].kind;
	}
	if (v->verdict == GT_VERDICT_ERROR)
		return;
	if (v->kinds)
		v->verdict = GT_VERDICT_REGRESSION;
	else if (any_improved)
		v->verdict = GT_VERDICT_IMPROVED;
	else
		v->verdict = GT_VERDICT_PASS;
}

/* ---- globs -------------------------------------------------------------- */

bool gt_glob_match(const char *pat, const char *path)
{
	const char *p = pat, *s = path;

	while (*p) {
		if (p[0] == '*' && p[1] == '*') {
			while (*p == '*')
				p++;
			if (!*p)
				return true;
			if (*p == '/') {
				/* "**" then a slash: zero or more whole components. */
				p++;
				if (gt_glob_match(p, s))
					return true;
				for (; *s; s++)
					if (*s == '/' && gt_glob_match(p, s + 1))
						return true;
				return false;
			}
			/* "**x": anything, slashes included, then x. */
			for (; *s; s++)
				if (gt_glob_match(p, s))
					return true;
			return gt_glob_match(p, s);
		}
		if (*p == '*') {
			p++;
			for (;; s++) {
				if (gt_glob_match(p, s))
					return true;
				if (!*s || *s == '/')
					return false;
			}
		}
		if (*p == '/' && p[1] == '*' && p[2] == '*' && !p[3] && !*s)
			return true;    /* "dir" + slash + "**" matches "dir" itself */
		if (*p == '?') {
			if (!*s || *s == '/')
				return false;
		} else if (*p != *s) {
			return false;
		}
		p++;
		s++;
	}
	return !*s;
}

/*
 * plotdata: the numbers of the HTML report's table and plots, copied out
 * of a case's traces (see plotdata.h).
 */
#include "config.h"

#include "plotdata.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gtconfig.h"
#include "stats.h"
#include "tolerance.h"

/* The median of field OFF (a double in struct gt_run_sample) over T's
 * runs, or the stored statistic's when there are no run samples. */
static double run_median(const struct gt_trace *t, size_t off, double stored)
{
	double *x, m;

	if (!t->nruns)
		return stored;
	x = xmalloc(t->nruns * sizeof(*x));
	for (size_t i = 0; i < t->nruns; i++)
		memcpy(&x[i], (const char *)&t->runs[i] + off, sizeof(double));
	m = gt_median(x, t->nruns);
	free(x);
	return m;
}

static void measures(const struct gt_trace *t, struct gt_plot_measures *m)
{
	m->wall_s = run_median(t, offsetof(struct gt_run_sample, wall_s), t->wall_s.median);
	m->syscalls = run_median(t, offsetof(struct gt_run_sample, syscalls), t->syscalls.median);
	m->rss_kb = run_median(t, offsetof(struct gt_run_sample, max_rss_kb),
			       t->max_rss_kb.median);
}

static double *walls(const struct gt_trace *t, size_t *n)
{
	double *x = NULL;

	*n = t->nruns;
	if (t->nruns)
		x = xmalloc(t->nruns * sizeof(*x));
	for (size_t i = 0; i < t->nruns; i++)
		x[i] = t->runs[i].wall_s;
	return x;
}

/* The calls of syscall NAME in T (its median over the runs), 0 if none. */
static double calls_of(const struct gt_trace *t, const char *name)
{
	for (size_t i = 0; i < t->nsysstats; i++)
		if (strcmp(t->sysstats[i].name, name) == 0)
			return t->sysstats[i].calls.median;
	return 0;
}

static void add_count(struct gt_plotdata *p, size_t *cap, const char *name,
		      const struct gt_trace *golden, const struct gt_trace *new_)
{
	for (size_t i = 0; i < p->ncounts; i++)
		if (strcmp(p->counts[i].name, name) == 0)
			return;
	xgrow((void **)&p->counts, cap, p->ncounts + 1, sizeof(*p->counts));
	p->counts[p->ncounts++] = (struct gt_plot_count){
		.name = xstrdup(name),
		.golden = calls_of(golden, name),
		.new_ = calls_of(new_, name),
	};
}

static int by_change(const void *a, const void *b)
{
	const struct gt_plot_count *x = a, *y = b;
	double dx = fabs(x->new_ - x->golden), dy = fabs(y->new_ - y->golden);
	double mx = fmax(x->golden, x->new_), my = fmax(y->golden, y->new_);

	if (dx != dy)
		return dx < dy ? 1 : -1;
	if (mx != my)
		return mx < my ? 1 : -1;
	return strcmp(x->name, y->name);
}

struct gt_plotdata *gt_plotdata_new(const struct gt_trace *golden, const struct gt_trace *new_,
				    const struct gt_case *c)
{
	struct gt_plotdata *p = xcalloc(1, sizeof(*p));
	size_t cap = 0;

	measures(golden, &p->golden);
	measures(new_, &p->new_);
	if (c) {
		p->budget_ms = c->budgets.max_duration_ms;
		p->budget_syscalls = c->budgets.max_syscalls;
		p->budget_rss_bytes = c->budgets.max_rss_bytes;
	}
	for (size_t i = 0; i < golden->nsysstats; i++)
		add_count(p, &cap, golden->sysstats[i].name, golden, new_);
	for (size_t i = 0; i < new_->nsysstats; i++)
		add_count(p, &cap, new_->sysstats[i].name, golden, new_);
	if (p->ncounts)
		qsort(p->counts, p->ncounts, sizeof(*p->counts), by_change);
	p->golden_wall = walls(golden, &p->ngolden_wall);
	p->new_wall = walls(new_, &p->nnew_wall);
	p->band = gt_wall_band(golden, c, &p->band_lo, &p->band_hi);
	return p;
}

void gt_plotdata_free(struct gt_plotdata *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ncounts; i++)
		free(p->counts[i].name);
	free(p->counts);
	free(p->golden_wall);
	free(p->new_wall);
	free(p);
}

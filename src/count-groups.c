/*
 * count-groups: count changes accounted for by the sequence diff's added and
 * removed events.  See count-groups.h.
 */
#include "config.h"

#include "count-groups.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many explained changes the collapsed line names before "...". */
#define MAX_LISTED 8
#define EPS 1e-9

/* What the added (+) and removed (-) events of one syscall add up to. */
struct delta {
	char *name;
	double calls, errors;
};

struct deltas {
	struct delta *v;
	size_t n, cap;
};

static struct delta *delta_of(struct deltas *ds, const char *name, size_t len)
{
	struct delta *d;

	for (size_t i = 0; i < ds->n; i++)
		if (strlen(ds->v[i].name) == len && strncmp(ds->v[i].name, name, len) == 0)
			return &ds->v[i];
	xgrow((void **)&ds->v, &ds->cap, ds->n + 1, sizeof(*ds->v));
	d = &ds->v[ds->n++];
	d->name = xstrndup(name, len);
	d->calls = d->errors = 0;
	return d;
}

/* Add event E SIGN times (+1 added, -1 removed).  A loop's turns are the
 * texts of its events ("read(0, 1) = 1"): each counts once per turn. */
static void add_event(struct deltas *ds, const struct gt_event *e, double sign)
{
	double n = sign * (double)e->count;
	struct delta *d;

	if (!gt_event_is_loop(e)) {
		d = delta_of(ds, e->call, strlen(e->call));
		d->calls += n;
		if (e->ret && e->ret[0] == '-')
			d->errors += n;
		return;
	}
	for (size_t i = 0; i < e->nargs && i < GT_MAX_ARGS; i++) {
		const char *text = e->args[i], *paren = text ? strchr(text, '(') : NULL;

		if (!paren)
			continue;
		d = delta_of(ds, text, (size_t)(paren - text));
		d->calls += n;
		if (strstr(text, ") = -"))
			d->errors += n;
	}
}

/* The process of thread ID ("p1" of "p1.t2"), LEN bytes of it. */
static size_t proc_len(const char *id)
{
	const char *dot = strchr(id, '.');

	return dot ? (size_t)(dot - id) : strlen(id);
}

static bool proc_changed(const struct gt_diff *d, const char *thread_id)
{
	size_t n = proc_len(thread_id);

	for (size_t i = 0; i < d->nprocs; i++)
		if (strlen(d->procs[i].id) == n && strncmp(d->procs[i].id, thread_id, n) == 0)
			return true;
	return false;
}

/* Append "the new process p3" / "the new processes p3, p4" (ADDED) or
 * "the gone process...", and return whether there was one. */
static bool put_procs(struct gt_buf *b, const struct gt_diff *d, bool added, bool sep)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < d->nprocs; i++)
		n += d->procs[i].added == added;
	if (!n)
		return false;
	gt_buf_printf(b, "%sthe %s process%s ", sep ? " and " : "", added ? "new" : "gone",
		      n == 1 ? "" : "es");
	for (size_t i = 0; i < d->nprocs; i++)
		if (d->procs[i].added == added)
			gt_buf_printf(b, "%s%s", k++ ? ", " : "", d->procs[i].id);
	return true;
}

/* Append what the changes follow from. */
static void describe(struct gt_buf *b, const struct gt_diff *d)
{
	size_t nadd = 0, ndel = 0, nthreads = 0;
	bool any = put_procs(b, d, true, false);
	struct gt_buf where = {0};

	any = put_procs(b, d, false, any) || any;
	for (size_t i = 0; i < d->nthreads; i++) {
		const struct gt_thread_diff *t = &d->threads[i];
		const char *id = t->new_id ? t->new_id : t->golden_id;

		if (!id || proc_changed(d, id) || !(t->nadd + t->ndel))
			continue;
		nadd += t->nadd;
		ndel += t->ndel;
		gt_buf_printf(&where, "%s%s", nthreads++ ? ", " : "", id);
	}
	if (nthreads) {
		gt_buf_puts(b, any ? " and " : "");
		if (nadd)
			gt_buf_printf(b, "%zu added", nadd);
		if (nadd && ndel)
			gt_buf_puts(b, " and ");
		if (ndel)
			gt_buf_printf(b, "%zu removed", ndel);
		gt_buf_printf(b, " event%s in %s", nadd + ndel == 1 ? "" : "s", where.s);
	}
	gt_buf_free(&where);
}

/* The syscall a count violation is about, and whether it counts errors. */
static const char *count_metric(const struct gt_violation *v, bool *errors)
{
	if (v->kind != GT_KIND_COUNTS || !v->metric)
		return NULL;
	*errors = strncmp(v->metric, "errors of ", 10) == 0;
	if (*errors)
		return v->metric + 10;
	return strncmp(v->metric, "calls of ", 9) == 0 ? v->metric + 9 : NULL;
}

void gt_count_groups_mark(const struct gt_diff *d, struct gt_verdict *v)
{
	struct deltas ds = {0};
	size_t explained = 0;

	for (size_t i = 0; i < d->nthreads; i++) {
		const struct gt_thread_diff *t = &d->threads[i];

		for (size_t j = 0; j < t->nlines; j++) {
			const struct gt_dline *l = &t->lines[j];

			if (l->kind == GT_DL_ADD && l->new_)
				add_event(&ds, l->new_, 1);
			else if (l->kind == GT_DL_DEL && l->golden)
				add_event(&ds, l->golden, -1);
		}
	}
	for (size_t i = 0; i < v->nv; i++) {
		struct gt_violation *x = &v->v[i];
		bool errors;
		const char *name = count_metric(x, &errors);
		struct delta *dl = NULL;
		double by, base;

		for (size_t k = 0; name && k < ds.n; k++)
			if (strcmp(ds.v[k].name, name) == 0)
				dl = &ds.v[k];
		by = dl ? (errors ? dl->errors : dl->calls) : 0;
		if (!dl || fabs(by) < EPS)
			continue;
		/* Without what the structure added, would it have passed? */
		base = x->value - by;
		if (base >= x->lo - EPS && base <= x->hi + EPS) {
			x->explained = true;
			explained++;
		}
	}
	for (size_t k = 0; k < ds.n; k++)
		free(ds.v[k].name);
	free(ds.v);
	if (explained) {
		struct gt_buf b = {0};

		describe(&b, d);
		free(v->explained_by);
		v->explained_by = gt_buf_steal(&b);
	}
}

size_t gt_count_groups_n(const struct gt_verdict *v)
{
	size_t n = 0;

	for (size_t i = 0; i < v->nv; i++)
		n += v->v[i].explained;
	return n;
}

void gt_count_groups_line(const struct gt_verdict *v, bool list, struct gt_buf *b)
{
	size_t n = gt_count_groups_n(v), shown = 0;

	if (!n)
		return;
	gt_buf_printf(b, "(+ %zu count change%s from %s", n, n == 1 ? "" : "s",
		      v->explained_by && *v->explained_by ? v->explained_by
							   : "the sequence change");
	for (size_t i = 0; list && i < v->nv; i++) {
		const struct gt_violation *x = &v->v[i];
		bool errors;
		const char *name;

		if (!x->explained)
			continue;
		if (shown == MAX_LISTED) {
			gt_buf_puts(b, ", ...");
			break;
		}
		name = count_metric(x, &errors);
		gt_buf_printf(b, "%s%s%s %+.0f", shown++ ? ", " : ": ", name ? name : x->metric,
			      errors ? " errors" : "", x->value - x->golden_median);
	}
	gt_buf_putc(b, ')');
}

/*
 * canon-merge: one golden from the canonical traces of several recording
 * runs of a command (gt_canon_merge_runs): what still varied between them
 * becomes the wildcard "*" and is listed in `masked`, and the statistics
 * are summarised over the runs.  Also gt_canon_forget_returns, a trace as
 * a backend that did not see some returns would have recorded it.
 */
#include "config.h"

#include "canon.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon-internal.h"

/* ---- gt_canon_merge_runs ---- */

static void add_masked_once(struct gt_trace *t, const char *what)
{
	const char *s = gt_trace_str(t, what);

	for (size_t i = 0; i < t->nmasked; i++)
		if (t->masked[i] == s)
			return;
	gt_trace_add_masked(t, s);
}

static void copy_header(struct gt_trace *t, const struct gt_trace *r)
{
	t->version = r->version;
	t->canon_version = r->canon_version;
	t->generator = gt_trace_str(t, r->generator);
	for (size_t i = 0; i < r->ncommand; i++)
		gt_trace_add_command(t, r->command[i]);
	t->backend = gt_trace_str(t, r->backend);
	t->returns_known = r->returns_known;
	t->reason = gt_trace_str(t, r->reason);
	t->exit_code = r->exit_code;
	t->exit_signal = gt_trace_str(t, r->exit_signal);
	t->intercepted = r->intercepted;
	t->let_through = r->let_through;
	for (size_t i = 0; i < r->nunordered; i++)
		gt_trace_add_unordered(t, r->unordered[i]);
	for (size_t i = 0; i < r->nignored; i++)
		gt_trace_add_ignored(t, r->ignored[i]);
	for (size_t i = 0; i < r->nunknown_returns; i++)
		gt_trace_add_unknown_return(t, r->unknown_returns[i]);
	for (size_t i = 0; i < r->nmasked; i++)
		add_masked_once(t, r->masked[i]);
	t->env = r->env;
	t->env.kernel = gt_trace_str(t, r->env.kernel);
	t->env.libc = gt_trace_str(t, r->env.libc);
	t->env.fs = gt_trace_str(t, r->env.fs);
	t->stacks = gt_stacks_copy(r->stacks);
}

static void copy_procs(struct gt_trace *t, const struct gt_trace *r)
{
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct gt_process *rp = &r->procs[i];
		struct gt_process *p = gt_trace_add_process(t, rp->id, rp->parent);

		p->exe = gt_trace_str(t, rp->exe);
		p->exit_code = rp->exit_code;
		p->exit_signal = gt_trace_str(t, rp->exit_signal);
		for (size_t j = 0; j < rp->nthreads; j++) {
			const struct gt_thread *rth = &rp->threads[j];
			struct gt_thread *th = gt_process_add_thread(t, p, rth->id);

			for (size_t k = 0; k < rth->nevents; k++) {
				const struct gt_event *e = &rth->events[k];

				gt_thread_add_event(t, th, e->call, e->args, e->nargs, e->ret,
						    e->count)->stack = e->stack;
			}
		}
	}
}

/* Is the I-th shown argument of CALL one the kernel fills in? */
static bool is_output_arg(const char *call, size_t i)
{
	int nr = gt_syscall_nr(call);
	uint8_t kinds[GT_MAX_ARGS];

	if (nr < 0 || (int)i >= gt_syscall_shown_kinds(gt_syscall_by_nr(nr), kinds))
		return false;
	return kinds[i] == GT_A_OUTPATH || kinds[i] == GT_A_FDPAIR;
}

static void copy_stats(struct gt_trace *t, const struct gt_trace *r)
{
	for (size_t i = 0; i < r->nsysstats; i++) {
		struct gt_syscall_stat *s = gt_trace_sysstat(t, r->sysstats[i].name);

		s->calls = r->sysstats[i].calls;
		s->errors = r->sysstats[i].errors;
		s->time_us = r->sysstats[i].time_us;
	}
	for (size_t i = 0; i < r->nruns; i++)
		gt_trace_add_run(t, &r->runs[i]);
	t->wall_s = r->wall_s;
	t->user_s = r->user_s;
	t->sys_s = r->sys_s;
	t->max_rss_kb = r->max_rss_kb;
	t->syscalls = r->syscalls;
}

/* List the events whose count varied, by their final positions. */
static void list_count_masks(struct gt_trace *t)
{
	char what[96];

	for (size_t i = 0; i < t->nprocs; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			for (size_t e = 0; e < th->nevents; e++) {
				if (!(th->events[e].flags & GT_EVF_COUNT_VARIED))
					continue;
				snprintf(what, sizeof(what), "%s event %zu count", th->id, e + 1);
				add_masked_once(t, what);
			}
		}
	}
}

/* The turn of loop E as the other trace sees it: each event of it whose
 * return LIKE does not know (ALL: none) loses its return and outputs. */
static void forget_in_loop(struct gt_trace *t, struct gt_event *e, const struct gt_trace *like,
			   bool all)
{
	struct gt_buf b = { 0 };
	bool changed = false;

	for (size_t a = 0; a < e->nargs; a++) {
		struct gt_event_parts parts = { 0 };
		struct gt_event turn = { 0 };
		struct gt_error err = { 0 };

		if (gt_event_parse(e->args[a], &parts, &err) != GT_OK)
			continue;
		if (all || gt_trace_return_unknown(like, parts.call)) {
			turn.call = parts.call;
			turn.nargs = (uint8_t)parts.nargs;
			for (size_t i = 0; i < parts.nargs; i++)
				turn.args[i] = is_output_arg(parts.call, i) ? "ptr" : parts.args[i];
			turn.ret = "?";
			turn.count = 1;
			gt_buf_reset(&b);
			gt_event_format(&b, &turn, true);
			e->args[a] = gt_trace_str(t, b.s);
			changed = true;
		}
		gt_event_parts_free(&parts);
	}
	if (all)
		e->ret = gt_trace_str(t, "?");
	if (changed || all)
		e->hash = gt_event_hash(e);
	gt_buf_free(&b);
}

void gt_canon_forget_returns(const struct gt_trace *r, const struct gt_trace *like,
			     struct gt_trace **out)
{
	struct gt_trace *t = gt_trace_new();
	bool all = !like || !like->returns_known;
	const char *unknown, *ptr;
	char want[96];

	copy_header(t, r);
	if (all)
		t->returns_known = false;
	else
		for (size_t i = 0; i < like->nunknown_returns; i++)
			gt_trace_add_unknown_return(t, like->unknown_returns[i]);
	/* Counts the golden masked are re-listed after the re-collapse. */
	t->nmasked = 0;
	for (size_t i = 0; i < r->nmasked; i++)
		if (!strstr(r->masked[i], " count"))
			add_masked_once(t, r->masked[i]);
	copy_procs(t, r);
	unknown = gt_trace_str(t, "?");
	ptr = gt_trace_str(t, "ptr");
	for (size_t i = 0; i < t->nprocs; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			struct gt_thread *th = &t->procs[i].threads[j];

			/* Still the original positions: the collapse comes after. */
			for (size_t k = 0; k < th->nevents; k++) {
				struct gt_event *e = &th->events[k];

				snprintf(want, sizeof(want), "%s event %zu count", th->id, k + 1);
				for (size_t m = 0; m < r->nmasked; m++)
					if (strcmp(r->masked[m], want) == 0)
						e->flags |= GT_EVF_COUNT_VARIED;
				if (gt_event_is_loop(e)) {
					forget_in_loop(t, e, like, all);
					continue;
				}
				if (!all && !gt_trace_return_unknown(like, e->call))
					continue;
				for (size_t a = 0; a < e->nargs; a++)
					if (is_output_arg(e->call, a))
						e->args[a] = ptr;
				e->ret = unknown;
				e->hash = gt_event_hash(e);
			}
			gt_canon_collapse_repeats(t, th);
			gt_canon_fold_loops(t, th);
		}
	}
	list_count_masks(t);
	copy_stats(t, r);
	gt_trace_rehash(t);
	*out = t;
}

static void notef(struct gt_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void notef(struct gt_trace *t, const char *fmt, ...)
{
	struct gt_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add_masked_once(t, b.s ? b.s : "");
	gt_buf_free(&b);
}

static const char *nz(const char *s)
{
	return s ? s : "(none)";
}

/* Do RUNS have the same processes and threads?  If not, say how in T. */
static bool same_tree(struct gt_trace *t, struct gt_trace *const *runs, size_t n)
{
	const struct gt_trace *r0 = runs[0];

	for (size_t k = 1; k < n; k++) {
		const struct gt_trace *r = runs[k];

		if (r->nprocs != r0->nprocs) {
			notef(t, "processes differ between runs (%zu vs %zu)", r0->nprocs,
			      r->nprocs);
			return false;
		}
		for (size_t i = 0; i < r0->nprocs; i++) {
			const struct gt_process *p0 = &r0->procs[i], *p = &r->procs[i];

			if (!canon_str_eq(p0->id, p->id)) {
				notef(t, "process ids differ between runs (%s vs %s)", nz(p0->id),
				      nz(p->id));
				return false;
			}
			if (p0->nthreads != p->nthreads) {
				notef(t, "%s: threads differ between runs (%zu vs %zu)", nz(p0->id),
				      p0->nthreads, p->nthreads);
				return false;
			}
			for (size_t j = 0; j < p0->nthreads; j++) {
				if (!canon_str_eq(p0->threads[j].id, p->threads[j].id)) {
					notef(t, "%s: thread ids differ between runs (%s vs %s)",
					      nz(p0->id), nz(p0->threads[j].id),
					      nz(p->threads[j].id));
					return false;
				}
			}
		}
	}
	return true;
}

static const struct gt_thread *thread_of(const struct gt_trace *r, size_t pi, size_t ti)
{
	return &r->procs[pi].threads[ti];
}

/* Do the runs' sequences of thread (PI, TI) line up event by event, call
 * for call? */
static bool thread_aligns(struct gt_trace *const *runs, size_t n, size_t pi, size_t ti)
{
	const struct gt_thread *th0 = thread_of(runs[0], pi, ti);

	for (size_t k = 1; k < n; k++) {
		const struct gt_thread *th = thread_of(runs[k], pi, ti);

		if (th->nevents != th0->nevents)
			return false;
		for (size_t e = 0; e < th0->nevents; e++)
			if (!canon_str_eq(th0->events[e].call, th->events[e].call) ||
			    th0->events[e].nargs != th->events[e].nargs)
				return false;
	}
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Wildcard the fields of event E (index EI of thread PI/TI) that differ
 * between the runs that made it (MAPS[k][EI]: its index in run k, SIZE_MAX
 * when run k took another path there; MAPS[k] NULL: the same index); its
 * count becomes their median.  True if changed. */
static bool wildcard_event(struct gt_trace *t, struct gt_trace *const *runs, size_t n, size_t pi,
			   size_t ti, size_t ei, struct gt_event *e, size_t *const *maps,
			   uint32_t *counts)
{
	size_t nc = 0;

	const char *star = gt_trace_str(t, GT_WILDCARD);
	int bytes_arg = gt_syscall_bytes_arg(e->call);
	bool changed = false, bytes = false;
	double blo = 0, bhi = 0, lo, hi;

	for (size_t k = 0; k < n; k++) {
		size_t oi = maps[k] ? maps[k][ei] : ei;
		const struct gt_event *o;

		if (oi == SIZE_MAX)
			continue;
		o = &thread_of(runs[k], pi, ti)->events[oi];
		for (size_t a = 0; a < e->nargs; a++) {
			/* The size a byte-count call asked for is not compared:
			 * the first run's stands. */
			if ((int)a == bytes_arg && a < o->nargs)
				continue;
			if (e->args[a] != star && (a >= o->nargs || !canon_str_eq(e->args[a], o->args[a]))) {
				e->args[a] = star;
				changed = true;
			}
		}
		/* Bytes that differ between runs are a band, not a wildcard. */
		if (gt_event_bytes(o, &lo, &hi) && (nc == 0 || bytes)) {
			blo = nc == 0 || lo < blo ? lo : blo;
			bhi = nc == 0 || hi > bhi ? hi : bhi;
			bytes = true;
		} else {
			bytes = false;
		}
		if (e->ret != star && !canon_str_eq(e->ret, o->ret) && !bytes) {
			e->ret = star;
			changed = true;
		}
		counts[nc++] = o->count;
	}
	if (bytes && e->ret != star) {
		const char *old = e->ret;
		char buf[80];
		bool total = strncmp(old, GT_BYTES_TOTAL, sizeof(GT_BYTES_TOTAL) - 1) == 0;

		if (blo == bhi)
			snprintf(buf, sizeof(buf), "%s%.0f", total ? GT_BYTES_TOTAL : "", blo);
		else
			snprintf(buf, sizeof(buf), "%s%.0f..%.0f", total ? GT_BYTES_TOTAL : "", blo,
				 bhi);
		e->ret = gt_trace_str(t, buf);
		changed |= e->ret != old;
	}
	qsort(counts, nc, sizeof(*counts), cmp_u32);
	if (nc && counts[0] != counts[nc - 1])
		e->flags |= GT_EVF_COUNT_VARIED;
	if (nc && e->count != counts[(nc - 1) / 2]) {
		e->count = counts[(nc - 1) / 2];
		changed = true;
	}
	if (changed)
		e->hash = gt_event_hash(e);
	return changed;
}

/* Merge thread PI/TI of the runs into T's copy of the first run's: where
 * the runs line up call for call, event by event; else each run aligned
 * with the first (canon-align.c), its other paths kept as alternatives. */
static void wildcard_thread(struct gt_trace *t, struct gt_trace *const *runs, size_t n,
			    size_t pi, size_t ti)
{
	struct gt_thread *th = &t->procs[pi].threads[ti];
	uint32_t *counts = xcalloc(n, sizeof(*counts));
	size_t **maps = xcalloc(n, sizeof(*maps)), nalts = t->nalts;
	bool changed = false;

	if (!thread_aligns(runs, n, pi, ti))
		for (size_t k = 1; k < n; k++) {
			maps[k] = xmalloc((th->nevents + 1) * sizeof(**maps));
			canon_align_run(t, th, thread_of(runs[k], pi, ti), maps[k]);
		}
	for (size_t e = 0; e < th->nevents; e++)
		changed |= wildcard_event(t, runs, n, pi, ti, e, &th->events[e], maps, counts);
	for (size_t k = 0; k < n; k++)
		free(maps[k]);
	free(maps);
	free(counts);
	/* Fields that became "*" may make neighbours identical; not where
	 * alternatives name positions in the thread. */
	if (changed && t->nalts == nalts)
		gt_canon_collapse_repeats(t, th);
}

/* List every wildcard of T in its masked list, by final position. */
static void list_wildcards(struct gt_trace *t)
{
	const char *star = gt_trace_str(t, GT_WILDCARD);

	for (size_t i = 0; i < t->nprocs; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			for (size_t e = 0; e < th->nevents; e++) {
				const struct gt_event *ev = &th->events[e];

				for (size_t a = 0; a < ev->nargs; a++)
					if (ev->args[a] == star)
						notef(t, "%s event %zu arg %zu", th->id, e + 1,
						      a + 1);
				if (ev->ret == star)
					notef(t, "%s event %zu return", th->id, e + 1);
				if (ev->flags & GT_EVF_COUNT_VARIED)
					notef(t, "%s event %zu count", th->id, e + 1);
			}
		}
	}
}

static const struct gt_syscall_stat *find_stat(const struct gt_trace *r, const char *name)
{
	for (size_t i = 0; i < r->nsysstats; i++)
		if (canon_str_eq(r->sysstats[i].name, name))
			return &r->sysstats[i];
	return NULL;
}

/* One field of syscall NAME over the runs (0 where a run lacks it). */
static struct gt_stat stat_over_runs(struct gt_trace *const *runs, size_t n, const char *name,
				     size_t field, double *v)
{
	for (size_t k = 0; k < n; k++) {
		const struct gt_syscall_stat *s = find_stat(runs[k], name);
		const struct gt_stat *f = !s ? NULL : field == 0 ? &s->calls :
					  field == 1 ? &s->errors : &s->time_us;

		/* A run's value: single-run traces have min = median = max. */
		v[k] = f ? f->median : 0;
	}
	return gt_stat_of(v, n);
}

static void merge_stats(struct gt_trace *t, struct gt_trace *const *runs, size_t n)
{
	double *v;

	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < runs[k]->nsysstats; i++)
			gt_trace_sysstat(t, runs[k]->sysstats[i].name);
		for (size_t i = 0; i < runs[k]->nruns; i++)
			gt_trace_add_run(t, &runs[k]->runs[i]);
	}
	v = xcalloc(n > t->nruns ? n : t->nruns ? t->nruns : 1, sizeof(*v));
	for (size_t i = 0; i < t->nsysstats; i++) {
		struct gt_syscall_stat *s = &t->sysstats[i];

		s->calls = stat_over_runs(runs, n, s->name, 0, v);
		s->errors = stat_over_runs(runs, n, s->name, 1, v);
		s->time_us = stat_over_runs(runs, n, s->name, 2, v);
	}
	free(v);
	gt_trace_restat_runs(t);
}

enum gt_rc gt_canon_merge_runs(struct gt_trace *const *runs, size_t n, struct gt_trace **out,
			       struct gt_error *err)
{
	struct gt_trace *t;

	*out = NULL;
	if (n == 0)
		return gt_error_set(err, GT_ERR_USAGE, "merge: no runs");
	for (size_t k = 0; k < n; k++)
		if (!runs[k])
			return gt_error_set(err, GT_ERR_USAGE, "merge: run %zu missing", k + 1);
	t = gt_trace_new();
	copy_header(t, runs[0]);
	copy_procs(t, runs[0]);
	if (same_tree(t, runs, n)) {
		for (size_t i = 0; i < t->nprocs; i++)
			for (size_t j = 0; j < t->procs[i].nthreads; j++)
				wildcard_thread(t, runs, n, i, j);
	}
	list_wildcards(t);
	merge_stats(t, runs, n);
	gt_trace_rehash(t);
	*out = t;
	return GT_OK;
}

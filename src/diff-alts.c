/*
 * diff-alts: the changes of a thread's diff that a recording run made too.
 * The golden keeps, per thread, the other paths its recording runs took
 * (struct gt_alt: run events in place of golden events [at, at + len)).
 * A stretch of deletions and insertions in the diff is no change when an
 * alternative covers its golden events and, with the golden events it
 * covers around the stretch (matched by the run), equals what the run did
 * there, up to the order of independent events (commute.h).
 *
 * Recombined paths.  Where the recording runs already took different paths
 * over a stretch of the golden, a run may mix them: git's status re-reads
 * a file whose timestamp ties with its index's, and writes the index back,
 * each or neither as the clock falls.  A stretch inside one such
 * alternative's golden events is no change when each event it drops is
 * one a recording run went without there, and each event it adds is one a
 * recording run made there: a new event, or one every run made, dropped,
 * still shows.
 *
 * Signal toggles.  A shell sets a signal's handler and puts it back around
 * a wait: once more or once less when its SIGCHLD handler reaped the child
 * first (bash: rt_sigaction(SIGINT) three times around a blocking wait4,
 * twice after its handler's).  A stretch whose deletions and insertions
 * are the same events but for more or fewer copies of an rt_sigaction the
 * run has next to the stretch on the other side too (within TOGGLE_NEAR
 * lines) is no change: a handler set for another signal, or a signal's
 * handler no longer set, still is.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "commute.h"
#include "diff-internal.h"

/* A deletion or an insertion. */
static bool is_edit(const struct gt_dline *l)
{
	return l->kind == GT_DL_DEL || l->kind == GT_DL_ADD;
}

struct seq_ctx {
	const struct gt_event *const *alt;   /* the alternative's events */
	const struct gt_event *const *run;   /* the run's, in the diff's order */
};

static bool alt_eq(const void *ctx, size_t i, size_t j)
{
	const struct seq_ctx *c = ctx;

	return gt_diff_event_eq(c->alt[i], c->run[j]);
}

/* Do the run events RUN[0..n) equal alternative A's, up to order? */
static bool same_path(const struct gt_alt *a, const struct gt_event **run, size_t n)
{
	const struct gt_event **alt;
	struct gt_event *copy;
	struct gt_fp *fp;
	size_t *perm;
	struct seq_ctx c;
	bool ok = true;

	if (a->events.nevents != n)
		return false;
	for (size_t k = 0; k < n && ok; k++)
		ok = gt_diff_event_eq(&a->events.events[k], run[k]);
	if (ok || !n)
		return ok;
	alt = xmalloc(n * sizeof(*alt));
	copy = xmalloc(n * sizeof(*copy));
	fp = xmalloc(n * sizeof(*fp));
	perm = xmalloc(n * sizeof(*perm));
	for (size_t k = 0; k < n; k++) {
		alt[k] = &a->events.events[k];
		copy[k] = *run[k];
	}
	gt_fp_of_thread(copy, n, fp);
	c.alt = alt;
	c.run = run;
	gt_commute_toward(n, n, fp, alt_eq, &c, NULL, NULL, GT_COMMUTE_FAR, perm);
	ok = true;
	for (size_t k = 0; k < n && ok; k++)
		ok = gt_diff_event_eq(alt[k], run[perm[k]]);
	free(alt);
	free(copy);
	free(fp);
	free(perm);
	return ok;
}

static bool paired(const struct gt_dline *l)
{
	return l->kind == GT_DL_SAME || l->kind == GT_DL_COUNT;
}

/* The run's path over golden events [at, at + len) around the stretch of
 * lines [FROM, TO) of TD, which replaces golden events [GA, GB): the run
 * events paired with golden [at, ga), the stretch's insertions, and those
 * paired with golden [gb, at + len), in order, into OUT (*N of them);
 * false if the lines around do not pair those golden events. */
static bool run_path(const struct gt_thread_diff *td, size_t from, size_t to, size_t ga,
		     size_t gb, size_t at, size_t len, const struct gt_event **out, size_t *n)
{
	size_t before = ga - at, after = at + len - gb, k;

	if (before > from || before + after > GT_ALT_MAX_EVENTS)
		return false;
	*n = 0;
	for (k = from - before; k < from; k++) {
		if (!paired(&td->lines[k]))
			return false;
		out[(*n)++] = td->lines[k].new_;
	}
	for (k = from; k < to; k++) {
		if (td->lines[k].kind != GT_DL_ADD)
			continue;
		if (*n == GT_ALT_MAX_EVENTS)
			return false;
		out[(*n)++] = td->lines[k].new_;
	}
	for (k = to; k < to + after; k++) {
		if (k >= td->nlines || !paired(&td->lines[k]) || *n == GT_ALT_MAX_EVENTS)
			return false;
		out[(*n)++] = td->lines[k].new_;
	}
	return true;
}

#define TOGGLE_NEAR 4

static bool same_text(const struct gt_event *x, const struct gt_event *e)
{
	return x && x->hash == e->hash && gt_diff_event_eq(x, e);
}

/* The count of events equal to E among the deletions (DEL) or insertions
 * of lines [from, to). */
static uint64_t count_like(const struct gt_thread_diff *td, size_t from, size_t to,
			   const struct gt_event *e, bool del)
{
	uint64_t n = 0;

	for (size_t i = from; i < to; i++) {
		const struct gt_dline *l = &td->lines[i];

		if ((l->kind == GT_DL_DEL) == del && same_text(del ? l->golden : l->new_, e))
			n += (del ? l->golden : l->new_)->count;
	}
	return n;
}

/* Has the golden (GOLDEN) or the run an event like E in lines [from, to)
 * or within TOGGLE_NEAR lines of them? */
static bool has_near(const struct gt_thread_diff *td, size_t from, size_t to,
		     const struct gt_event *e, bool golden)
{
	size_t lo = from > TOGGLE_NEAR ? from - TOGGLE_NEAR : 0;
	size_t hi = to + TOGGLE_NEAR < td->nlines ? to + TOGGLE_NEAR : td->nlines;

	for (size_t i = lo; i < hi; i++) {
		const struct gt_dline *l = &td->lines[i];

		if (golden ? l->kind != GT_DL_ADD && l->kind != GT_DL_ALT_ADD &&
				     same_text(l->golden, e)
			   : l->kind != GT_DL_DEL && l->kind != GT_DL_ALT_DEL &&
				     same_text(l->new_, e))
			return true;
	}
	return false;
}

/* Do lines [from, to) differ only by signal toggles (above)? */
static bool only_toggles(const struct gt_thread_diff *td, size_t from, size_t to)
{
	bool toggles = false;

	for (size_t i = from; i < to; i++) {
		const struct gt_dline *l = &td->lines[i];
		const struct gt_event *e = l->kind == GT_DL_DEL ? l->golden : l->new_;

		if (count_like(td, from, to, e, true) == count_like(td, from, to, e, false))
			continue;
		if (strcmp(e->call, "rt_sigaction") != 0 || !has_near(td, from, to, e, true) ||
		    !has_near(td, from, to, e, false))
			return false;
		toggles = true;
	}
	return toggles;
}

static bool is_thread_alt(const struct gt_alt *a, const char *id)
{
	return a->events.id == id || (a->events.id && strcmp(a->events.id, id) == 0);
}

static bool alt_has(const struct gt_alt *a, const struct gt_event *e)
{
	for (size_t k = 0; k < a->events.nevents; k++)
		if (gt_diff_event_eq(&a->events.events[k], e))
			return true;
	return false;
}

/* Is E one of the golden's events [lo, hi) (in TD's lines)? */
static bool golden_has(const struct gt_thread_diff *td, size_t lo, size_t hi,
		       const struct gt_event *e)
{
	for (size_t i = 0; i < td->nlines; i++) {
		const struct gt_dline *l = &td->lines[i];

		if (l->kind != GT_DL_ADD && l->kind != GT_DL_ALT_ADD && l->golden && l->gi >= lo &&
		    l->gi < hi && gt_diff_event_eq(l->golden, e))
			return true;
	}
	return false;
}

/* Does the stretch [from, to), over golden events [ga, gb), recombine the
 * recording runs' paths (above)? */
static bool recombines(const struct gt_trace *golden, const struct gt_thread_diff *td,
		       size_t from, size_t to, size_t ga, size_t gb)
{
	for (size_t i = from; i < to; i++) {
		const struct gt_dline *l = &td->lines[i];
		bool ok = false;

		for (size_t j = 0; j < golden->nalts && !ok; j++) {
			const struct gt_alt *a = &golden->alts[j];

			if (!is_thread_alt(a, td->golden_id) || a->at > ga || a->at + a->len < gb)
				continue;
			if (l->kind == GT_DL_DEL)
				ok = !alt_has(a, l->golden);
			else
				ok = alt_has(a, l->new_) ||
				     golden_has(td, a->at, a->at + a->len, l->new_);
		}
		if (!ok)
			return false;
	}
	return true;
}

void gt_diff_apply_alts(const struct gt_trace *golden, struct gt_thread_diff *td)
{
	const struct gt_event *path[GT_ALT_MAX_EVENTS];
	size_t k = 0;

	if (!td->golden_id)
		return;
	while (k < td->nlines) {
		size_t from = k, to, ga, gb, n, near = 0;
		bool explained = false;

		if (!is_edit(&td->lines[k])) {
			k++;
			continue;
		}
		while (k < td->nlines && is_edit(&td->lines[k]))
			k++;
		to = k;
		/* The golden events the stretch replaces: [ga, gb). */
		ga = td->lines[from].gi;
		gb = to < td->nlines ? td->lines[to].gi : ga;
		for (size_t i = from; i < to; i++)
			if (td->lines[i].kind == GT_DL_DEL)
				gb = td->lines[i].gi + 1;
		if (gb < ga)
			gb = ga;
		explained = only_toggles(td, from, to);
		for (size_t i = 0; i < golden->nalts && !explained; i++) {
			const struct gt_alt *a = &golden->alts[i];

			if (!is_thread_alt(a, td->golden_id))
				continue;
			if (a->at > gb || a->at + a->len < ga)
				continue;
			near++;
			if (a->at <= ga && a->at + a->len >= gb &&
			    run_path(td, from, to, ga, gb, a->at, a->len, path, &n) && same_path(a, path, n))
				explained = true;
		}
		if (!explained && near)
			explained = recombines(golden, td, from, to, ga, gb);
		if (explained) {
			for (size_t i = from; i < to; i++) {
				struct gt_dline *l = &td->lines[i];

				if (l->kind == GT_DL_DEL) {
					l->kind = GT_DL_ALT_DEL;
					td->ndel--;
				} else {
					l->kind = GT_DL_ALT_ADD;
					td->nadd--;
				}
			}
		} else {
			td->lines[from].other_paths = near;
		}
	}
}

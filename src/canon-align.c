/*
 * canon-align: how one recording run's thread lines up with the golden's
 * (the first run's), for gt_canon_merge_runs.
 *
 * 1. The run is reordered toward the golden within its equivalence class
 *    (commute.h): a wait4 that landed before a close instead of after it
 *    is the same run.
 * 2. The two are aligned on equal events (the diff's LCS and equality).
 * 3. Each stretch the alignment leaves between two anchors is either
 *    - the same calls in the same number on both sides: the events pair up
 *      one for one, and what differs in them becomes a wildcard (a umask or
 *      host name the run was given, a name it made up), as when whole runs
 *      line up;
 *    - or another path: the run's events there become an alternative of
 *      the golden's (struct gt_alt), unless it is longer than
 *      GT_ALT_MAX_EVENTS or the thread has GT_ALT_MAX_PER_THREAD already,
 *      which is noted in the golden's masked list instead.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon-internal.h"
#include "commute.h"
#include "diff.h"

struct pair_ctx {
	const struct gt_event *g, *n;
	const size_t *perm;
};

static bool pair_eq(const void *ctx, size_t i, size_t j)
{
	const struct pair_ctx *c = ctx;

	j = c->perm ? c->perm[j] : j;
	return c->g[i].hash == c->n[j].hash || gt_diff_event_eq(&c->g[i], &c->n[j]);
}

/* Do golden events G[gi, gi + n) and run events (through PERM) N[nj, nj +
 * n) name the same calls in the same order? */
static bool same_calls(const struct pair_ctx *c, size_t gi, size_t nj, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct gt_event *a = &c->g[gi + k], *b = &c->n[c->perm[nj + k]];

		if (!canon_str_eq(a->call, b->call) || a->nargs != b->nargs)
			return false;
	}
	return true;
}

static bool same_alt(const struct gt_alt *a, const char *id, size_t at, size_t len,
		     const struct pair_ctx *c, size_t nj, size_t n)
{
	if (!canon_str_eq(a->events.id, id) || a->at != at || a->len != len ||
	    a->events.nevents != n)
		return false;
	for (size_t k = 0; k < n; k++)
		if (a->events.events[k].hash != c->n[c->perm[nj + k]].hash)
			return false;
	return true;
}

/* Keep run events N[nj, nj + n) (through PERM) as an alternative of golden
 * events [gi, gi + len) of thread BASE in T. */
static void keep_alt(struct gt_trace *t, const struct gt_thread *base, const struct pair_ctx *c,
		     size_t gi, size_t len, size_t nj, size_t n)
{
	size_t have = 0;
	struct gt_alt *a;
	char what[160];

	for (size_t i = 0; i < t->nalts; i++) {
		if (same_alt(&t->alts[i], base->id, gi, len, c, nj, n))
			return; /* another run took it too */
		have += canon_str_eq(t->alts[i].events.id, base->id);
	}
	if (n > GT_ALT_MAX_EVENTS || have >= GT_ALT_MAX_PER_THREAD) {
		const char *why = n > GT_ALT_MAX_EVENTS ? "too long to keep" : "too many to keep";

		if (len)
			snprintf(what, sizeof(what),
				 "%s events %zu-%zu: a run took another path of %zu events there (%s)",
				 base->id, gi + 1, gi + len, n, why);
		else
			snprintf(what, sizeof(what),
				 "%s %s event %zu: a run took another path of %zu events there (%s)",
				 base->id, gi ? "after" : "before", gi ? gi : 1, n, why);
		gt_trace_add_masked(t, what);
		return;
	}
	a = gt_trace_add_alt(t, base->id, gi, len);
	for (size_t k = 0; k < n; k++) {
		const struct gt_event *e = &c->n[c->perm[nj + k]];

		gt_thread_add_event(t, &a->events, e->call, e->args, e->nargs, e->ret, e->count);
	}
}

void canon_align_run(struct gt_trace *t, const struct gt_thread *base, const struct gt_thread *r,
		     size_t *map)
{
	size_t gn = base->nevents, nn = r->nevents, i = 0, j = 0;
	size_t *perm = xmalloc((nn + 1) * sizeof(*perm));
	struct gt_fp *fp = xmalloc((nn + 1) * sizeof(*fp));
	bool *ka = xcalloc(gn + 1, sizeof(bool)), *kb = xcalloc(nn + 1, sizeof(bool));
	struct pair_ctx c = { base->events, r->events, NULL };
	uint32_t *gc = xmalloc((gn + 1) * sizeof(*gc)), *nc = xmalloc((nn + 1) * sizeof(*nc));

	for (size_t k = 0; k < gn; k++)
		map[k] = SIZE_MAX;
	for (size_t k = 0; k < gn; k++)
		gc[k] = base->events[k].count;
	for (size_t k = 0; k < nn; k++)
		nc[k] = r->events[k].count;
	gt_fp_of_thread(r->events, nn, fp);
	gt_commute_toward(gn, nn, fp, pair_eq, &c, gc, nc, GT_COMMUTE_FAR, perm);
	free(gc);
	free(nc);
	c.perm = perm;
	gt_diff_lcs(gn, nn, pair_eq, &c, ka, kb);
	while (i < gn || j < nn) {
		size_t gi = i, nj = j;

		while (i < gn && !ka[i])
			i++;
		while (j < nn && !kb[j])
			j++;
		if (i - gi == j - nj && same_calls(&c, gi, nj, i - gi)) {
			for (size_t k = 0; k < i - gi; k++)
				map[gi + k] = perm[nj + k];
		} else if (i > gi || j > nj) {
			keep_alt(t, base, &c, gi, i - gi, nj, j - nj);
		}
		/* The anchor both sides share. */
		if (i < gn && j < nn) {
			map[i++] = perm[j++];
		}
	}
	free(perm);
	free(fp);
	free(ka);
	free(kb);
}

/*
 * diff: the sequence diff between a golden trace and a new one (see diff.h).
 *
 * Algorithm.  Each pair of threads is compared with Myers' O(ND) algorithm
 * in its linear-space form (E. Myers, "An O(ND) Difference Algorithm and
 * Its Variations", 1986, section 4b): strip the common prefix and suffix,
 * find the middle snake of an optimal edit path by running the search from
 * both corners at once, split there and solve both halves.  It is what GNU
 * diff does (gnulib's diffseq.h) and we follow its structure, including its
 * escape hatch, for the same reasons:
 * - O(ND) is fast where a golden diff lives, D (the number of changed
 *   events) being small next to N; a plain O(NM) table is out of the
 *   question for 10^5..10^6-event threads, and its memory even more so;
 * - linear space: two diagonal vectors of N + M + 3 entries, allocated once
 *   and indexed by absolute diagonal, so no subproblem re-initialises them;
 * - the halves are kept on an explicit stack instead of the C stack: the
 *   cost cut below can produce long chains of lopsided splits.
 * Cost cut.  Myers is O((N+M)D), so two long threads that have little in
 * common (a rewritten program) would cost ~10^12 steps.  Like GNU diff we
 * bound the work of one middle-snake search: when it has visited more than
 * BUDGET diagonals without the two searches meeting, it stops looking for
 * the optimum and splits at the furthest-reaching diagonal of the better
 * search.  The script stays valid (keep arrays are a common subsequence),
 * just perhaps not minimal.  A search visits about d^2 diagonals by step d
 * and a cut advances the split by at least d, so the whole diff costs
 * O((N+M) * sqrt(BUDGET)) at worst.  Snake steps are not charged: they
 * are progress, and charging them would cut easy long diffs short.  See
 * lcs_budget for the value.
 *
 * Matched items are marked while stripping prefixes and suffixes: every
 * pair of the common subsequence is stripped by exactly one subproblem, so
 * the keep arrays need no other bookkeeping and the order in which the
 * subproblems are solved does not matter.
 *
 * Processes are matched along the tree with the same LCS (over the exe
 * paths of the children of a matched pair, in creation order); threads of
 * matched processes by position, leader first.
 */
#include "config.h"

#include "diff.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commute.h"
#include "diff-internal.h"

/* ---- Myers' LCS ---- */

struct lcs {
	gt_diff_eq eq;
	const void *ctx;
	bool *keep_a, *keep_b;
	ptrdiff_t *fd, *bd;   /* furthest x per diagonal x - y, forward / backward */
	uint64_t budget;      /* diagonals one search may visit before the cut */
};

/* A rectangle of the edit graph still to solve: A[xoff, xlim) and
 * B[yoff, ylim).  MINIMAL: no cost cut (a path of known small cost exists). */
struct box {
	ptrdiff_t xoff, xlim, yoff, ylim;
	bool minimal;
};

struct split {
	ptrdiff_t x, y;
	bool lo_minimal, hi_minimal;
};

static bool lcs_eq(const struct lcs *s, ptrdiff_t x, ptrdiff_t y)
{
	return s->eq(s->ctx, (size_t)x, (size_t)y);
}

/* The cut's budget, in diagonals visited by one middle-snake search (about
 * d^2 after d edit steps).  The floor, 2^16, lets a search run to d = 256
 * before giving up, so any subproblem with up to ~500 differences is
 * solved exactly (every small input is); it grows with sqrt(N+M) so that
 * long threads get proportionally more patience (d ~ 300 at 2*10^6
 * events) while the worst case, O((N+M) * sqrt(budget)), stays near
 * (N+M) * 300 steps: 1-2 s for two unrelated 10^6-event threads. */
static uint64_t lcs_budget(size_t n, size_t m)
{
	uint64_t b = (uint64_t)(64.0 * sqrt((double)n + (double)m));

	return b < 65536 ? 65536 : b;
}

/* The cost cut: split box B at the diagonal that got furthest, forward
 * (largest x + y) or backward (smallest x + y), whichever did better.  The
 * side it reached has a path of cost <= d, solved exactly; the other side
 * may be cut again. */
static void cut(const struct box *b, const ptrdiff_t *fd, ptrdiff_t fmin, ptrdiff_t fmax,
		const ptrdiff_t *bd, ptrdiff_t bmin, ptrdiff_t bmax, struct split *part)
{
	ptrdiff_t fxy = -1, fx = b->xoff, bxy = PTRDIFF_MAX, bx = b->xlim;

	for (ptrdiff_t d = fmax; d >= fmin; d -= 2) {
		ptrdiff_t x = fd[d] < b->xlim ? fd[d] : b->xlim, y = x - d;

		if (y > b->ylim) {
			x = b->ylim + d;
			y = b->ylim;
		}
		if (x + y > fxy) {
			fxy = x + y;
			fx = x;
		}
	}
	for (ptrdiff_t d = bmax; d >= bmin; d -= 2) {
		ptrdiff_t x = bd[d] > b->xoff ? bd[d] : b->xoff, y = x - d;

		if (y < b->yoff) {
			x = b->yoff + d;
			y = b->yoff;
		}
		if (x + y < bxy) {
			bxy = x + y;
			bx = x;
		}
	}
	if ((b->xlim + b->ylim) - bxy < fxy - (b->xoff + b->yoff)) {
		part->x = fx;
		part->y = fxy - fx;
		part->lo_minimal = true;
		part->hi_minimal = false;
	} else {
		part->x = bx;
		part->y = bxy - bx;
		part->lo_minimal = false;
		part->hi_minimal = true;
	}
}

/* Find where to split box B: the middle snake of an optimal path, or with
 * the cost cut a point on the furthest-reaching path found. */
static void middle_snake(struct lcs *s, const struct box *b, struct split *part)
{
	ptrdiff_t *const fd = s->fd, *const bd = s->bd;
	const ptrdiff_t xoff = b->xoff, xlim = b->xlim, yoff = b->yoff, ylim = b->ylim;
	const ptrdiff_t dmin = xoff - ylim, dmax = xlim - yoff;
	const ptrdiff_t fmid = xoff - yoff, bmid = xlim - ylim;
	ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
	const bool odd = (fmid - bmid) & 1;
	uint64_t cost = 0;

	fd[fmid] = xoff;
	bd[bmid] = xlim;
	for (;;) {
		ptrdiff_t d;

		/* One more edit step forward on every diagonal in reach. */
		if (fmin > dmin)
			fd[--fmin - 1] = -1;
		else
			++fmin;
		if (fmax < dmax)
			fd[++fmax + 1] = -1;
		else
			--fmax;
		for (d = fmax; d >= fmin; d -= 2) {
			ptrdiff_t lo = fd[d - 1], hi = fd[d + 1];
			ptrdiff_t x = lo < hi ? hi : lo + 1, y = x - d;

			while (x < xlim && y < ylim && lcs_eq(s, x, y)) {
				x++;
				y++;
			}
			fd[d] = x;
			if (odd && bmin <= d && d <= bmax && bd[d] <= x) {
				part->x = x;
				part->y = y;
				part->lo_minimal = part->hi_minimal = true;
				return;
			}
		}
		cost += (uint64_t)(fmax - fmin) / 2 + 1;

		/* And backward. */
		if (bmin > dmin)
			bd[--bmin - 1] = PTRDIFF_MAX;
		else
			++bmin;
		if (bmax < dmax)
			bd[++bmax + 1] = PTRDIFF_MAX;
		else
			--bmax;
		for (d = bmax; d >= bmin; d -= 2) {
			ptrdiff_t lo = bd[d - 1], hi = bd[d + 1];
			ptrdiff_t x = lo < hi ? lo : hi - 1, y = x - d;

			while (xoff < x && yoff < y && lcs_eq(s, x - 1, y - 1)) {
				x--;
				y--;
			}
			bd[d] = x;
			if (!odd && fmin <= d && d <= fmax && x <= fd[d]) {
				part->x = x;
				part->y = y;
				part->lo_minimal = part->hi_minimal = true;
				return;
			}
		}
		cost += (uint64_t)(bmax - bmin) / 2 + 1;

		if (b->minimal || cost < s->budget)
			continue;
		cut(b, fd, fmin, fmax, bd, bmin, bmax, part);
		return;
	}
}

static void push_box(struct box **stack, size_t *n, size_t *cap, const struct box *b)
{
	xgrow((void **)stack, cap, *n + 1, sizeof(**stack));
	(*stack)[(*n)++] = *b;
}

static void lcs_run(struct lcs *s, size_t n, size_t m)
{
	struct box *stack = NULL;
	size_t nstack = 0, cap = 0;
	struct box top = { 0, (ptrdiff_t)n, 0, (ptrdiff_t)m, false };

	push_box(&stack, &nstack, &cap, &top);
	while (nstack) {
		struct box b = stack[--nstack], lo, hi;
		struct split part;

		while (b.xoff < b.xlim && b.yoff < b.ylim && lcs_eq(s, b.xoff, b.yoff)) {
			s->keep_a[b.xoff++] = true;
			s->keep_b[b.yoff++] = true;
		}
		while (b.xoff < b.xlim && b.yoff < b.ylim && lcs_eq(s, b.xlim - 1, b.ylim - 1)) {
			s->keep_a[--b.xlim] = true;
			s->keep_b[--b.ylim] = true;
		}
		if (b.xoff == b.xlim || b.yoff == b.ylim)
			continue; /* only deletions or only insertions left */
		if (!s->fd) {
			/* Diagonals run from -m - 1 to n + 1. */
			s->fd = xcalloc(n + m + 3, sizeof(*s->fd));
			s->bd = xcalloc(n + m + 3, sizeof(*s->bd));
			s->fd += m + 1;
			s->bd += m + 1;
		}
		middle_snake(s, &b, &part);
		/* Both ends differ, so the split is strictly inside; a corner
		 * would loop forever, so leave such a box as deletions and
		 * insertions (valid, never expected). */
		if ((part.x == b.xoff && part.y == b.yoff) ||
		    (part.x == b.xlim && part.y == b.ylim))
			continue;
		lo = (struct box){ b.xoff, part.x, b.yoff, part.y, part.lo_minimal };
		hi = (struct box){ part.x, b.xlim, part.y, b.ylim, part.hi_minimal };
		push_box(&stack, &nstack, &cap, &hi);
		push_box(&stack, &nstack, &cap, &lo);
	}
	free(stack);
	if (s->fd) {
		free(s->fd - (m + 1));
		free(s->bd - (m + 1));
	}
}

void gt_diff_lcs_budget(size_t n, size_t m, gt_diff_eq eq, const void *ctx, uint64_t budget,
			bool *keep_a, bool *keep_b)
{
	struct lcs s = { eq, ctx, keep_a, keep_b, NULL, NULL, budget ? budget : 1 };

	if (n)
		memset(keep_a, 0, n * sizeof(*keep_a));
	if (m)
		memset(keep_b, 0, m * sizeof(*keep_b));
	if (!n || !m)
		return;
	/* Diagonal arithmetic is signed. */
	if (n > PTRDIFF_MAX / 4 || m > PTRDIFF_MAX / 4)
		abort();
	lcs_run(&s, n, m);
}

void gt_diff_lcs(size_t n, size_t m, gt_diff_eq eq, const void *ctx, bool *keep_a,
		 bool *keep_b)
{
	gt_diff_lcs_budget(n, m, eq, ctx, lcs_budget(n, m), keep_a, keep_b);
}

/* ---- event equality ---- */

static bool str_eq(const char *a, const char *b)
{
	if (a == b)
		return true;
	return a && b && strcmp(a, b) == 0;
}

static bool is_wild(const char *s)
{
	return s && s[0] == '*' && !s[1];
}

static bool is_unknown(const char *s)
{
	return !s || (s[0] == '?' && !s[1]);
}

bool gt_diff_event_eq(const struct gt_event *g, const struct gt_event *n)
{
	struct gt_event sg, sn;

	/* Byte-count calls compare without their bytes (count_changed judges
	 * those). */
	g = gt_event_identity(g, &sg);
	n = gt_event_identity(n, &sn);
	if (!str_eq(g->call, n->call) || g->nargs != n->nargs)
		return false;
	for (size_t i = 0; i < g->nargs && i < GT_MAX_ARGS; i++)
		if (!is_wild(g->args[i]) && !str_eq(g->args[i], n->args[i]))
			return false;
	return is_wild(g->ret) || is_unknown(g->ret) || is_unknown(n->ret) ||
	       str_eq(g->ret, n->ret);
}

/* Golden flag: has a wildcard or an unknown return; new flag: unknown
 * return.  Pairs where neither is set compare by hash alone. */
#define SLOW 1

struct ev_ctx {
	const struct gt_event *g, *n;
	const unsigned char *gslow, *nslow;
	const size_t *perm;        /* the new side's order, or NULL: as run */
};

static bool ev_eq(const void *ctx, size_t i, size_t j)
{
	const struct ev_ctx *c = ctx;

	if (c->perm)
		j = c->perm[j];
	if (!(c->gslow[i] | c->nslow[j]))
		return c->g[i].hash == c->n[j].hash;
	return gt_diff_event_eq(&c->g[i], &c->n[j]);
}

static unsigned char golden_flag(const struct gt_event *e)
{
	if (is_unknown(e->ret) || is_wild(e->ret))
		return SLOW;
	for (size_t i = 0; i < e->nargs && i < GT_MAX_ARGS; i++)
		if (is_wild(e->args[i]))
			return SLOW;
	return 0;
}

/* ---- masked counts: "<thread id> event <K> count" ---- */

struct masked {
	const char *tid;
	size_t tidlen;
	size_t k;         /* 1-based */
};

static bool parse_masked(const char *s, struct masked *out)
{
	const char *p = s ? strstr(s, " event ") : NULL;
	const char *q;
	size_t k = 0;

	if (!p || p == s)
		return false;
	q = p + strlen(" event ");
	if (*q < '0' || *q > '9')
		return false;
	for (; *q >= '0' && *q <= '9'; q++) {
		if (k > (SIZE_MAX - 9) / 10)
			return false;
		k = k * 10 + (size_t)(*q - '0');
	}
	if (strcmp(q, " count") != 0 || k == 0)
		return false;
	out->tid = s;
	out->tidlen = (size_t)(p - s);
	out->k = k;
	return true;
}

static int cmp_tid(const char *a, size_t alen, const char *b, size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

static int cmp_masked(const void *pa, const void *pb)
{
	const struct masked *a = pa, *b = pb;
	int r = cmp_tid(a->tid, a->tidlen, b->tid, b->tidlen);

	if (r)
		return r;
	return a->k < b->k ? -1 : a->k > b->k;
}

/* ---- the diff ---- */

struct dctx {
	const struct gt_trace *g, *n;
	const struct gt_diff_opts *opts;
	struct gt_diff *d;
	size_t threads_cap, procs_cap;
	struct masked *masked;     /* sorted */
	size_t nmasked;
};

/* Mark in MASK (NEVENTS long) the golden events of thread TID whose count
 * is masked; false if there is none. */
static bool masked_for(const struct dctx *c, const char *tid, bool *mask, size_t nevents)
{
	size_t len = strlen(tid), lo = 0, hi = c->nmasked;
	bool any = false;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_tid(c->masked[mid].tid, c->masked[mid].tidlen, tid, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->nmasked && !cmp_tid(c->masked[lo].tid, c->masked[lo].tidlen, tid, len);
	     lo++) {
		if (c->masked[lo].k <= nevents) {
			mask[c->masked[lo].k - 1] = true;
			any = true;
		}
	}
	return any;
}

/* Bytes out of the golden's band [LO, HI] widened by the bytes tolerance:
 * PCT percent and GT_BYTES_ABS bytes, whichever is more, on each side. */
static bool bytes_changed(double pct, double lo, double hi, double v)
{
	double up = hi * (1 + pct / 100.0), down = lo / (1 + pct / 100.0);

	if (up < hi + GT_BYTES_ABS)
		up = hi + GT_BYTES_ABS;
	if (down > lo - GT_BYTES_ABS)
		down = lo - GT_BYTES_ABS;
	return v > up || v < down;
}

/* Did G and N ask for the same byte count (or are they not byte-count
 * calls at all)? */
static bool same_request(const struct gt_event *g, const struct gt_event *n)
{
	int a = gt_syscall_bytes_arg(g->call);

	if (a < 0 || a == GT_BYTES_RET_ONLY)
		return true;
	return a < g->nargs && a < n->nargs && str_eq(g->args[a], n->args[a]);
}

/* Did every call of E, a read, fill the buffer it gave?  Then its bytes are
 * its buffer's size (sqlite3 reads its header with a st_blksize buffer),
 * and another buffer size makes other bytes without other behaviour.  (A
 * write's size is its data: never so.) */
static bool full_reads(const struct gt_event *e, double lo, double hi)
{
	int a = gt_syscall_bytes_arg(e->call);
	char *end;
	double req;

	if (a < 0 || a >= e->nargs || !e->args[a] || !gt_syscall_bytes_capacity(e->call))
		return false;
	req = strtod(e->args[a], &end);
	return !*end && req > 0 && lo == hi && lo == req * e->count;
}

static bool count_changed(const struct dctx *c, const struct gt_event *g,
			  const struct gt_event *n)
{
	double diff, slack = 0, glo, ghi, nlo, nhi;
	double pct = c->opts ? c->opts->bytes_pct : GT_BYTES_PCT;

	/* A byte-count call: the bytes are judged; the number of calls that
	 * moved them only where both asked for the same size, since another
	 * size means another chunking (st_blksize), not another behaviour,
	 * and only where some call came back short: a run of full reads
	 * (bash reading a line byte by byte) makes as many calls as its bytes
	 * take, and its bytes were judged.  A loop that runs once more reads
	 * 0 bytes once more: not full.  (The same text and count, the common
	 * case, is no change.)  Nor where reads with the same buffer brought
	 * the same bytes, the golden's exactly (or within the range its runs
	 * read): a file gives a buffer's worth a call up to its end, so
	 * only a pipe, a socket or a terminal hands the same bytes over in
	 * another number of calls, as the writer's timing had them (bash
	 * reading a command substitution's "3.11.7\n" in one read or two). */
	if (gt_syscall_bytes_arg(g->call) >= 0) {
		bool same = same_request(g, n), full = false;

		if (g->count == n->count && str_eq(g->ret, n->ret))
			return false;
		if (gt_event_bytes(g, &glo, &ghi) && gt_event_bytes(n, &nlo, &nhi)) {
			if (same && gt_syscall_bytes_capacity(g->call) && nlo >= glo && nhi <= ghi)
				return false;
			full = full_reads(g, glo, ghi) && full_reads(n, nlo, nhi);
			if (!(full && !same) &&
			    (bytes_changed(pct, glo, ghi, nlo) || bytes_changed(pct, glo, ghi, nhi)))
				return true;
		}
		if (!same || full)
			return false;
	}
	if (g->count == n->count)
		return false;
	/* Setting a signal's disposition again, to what the line shows (the
	 * handlers are "ptr"), changes nothing a trace can see: bash sets
	 * SIGINT's once or twice before an exec, as its SIGCHLD handler won or
	 * lost a race with its wait.  A run of them is judged by being there
	 * (another signal, another argument, a new line still show). */
	if (str_eq(g->call, "rt_sigaction"))
		return false;
	diff = fabs((double)n->count - (double)g->count);
	if (c->opts && c->opts->counts) {
		double abs = 0;
		struct gt_tol t = gt_tol_for(c->opts->counts, g->call);

		/* A count in the sequence is exact but for timing's (a poll
		 * loop's ×N); byte-count calls were judged above. */
		if (gt_tol_is_timing_call(g->call))
			t = gt_tol_with_class(c->opts->counts, g->call, &abs);
		slack = gt_tol_slack(t, (double)g->count);
		slack = slack < abs ? abs : slack;
	}
	return diff > slack;
}

static struct gt_dline *add_line(struct gt_thread_diff *td, size_t *cap)
{
	xgrow((void **)&td->lines, cap, td->nlines + 1, sizeof(*td->lines));
	return memset(&td->lines[td->nlines++], 0, sizeof(*td->lines));
}

/* Items the LCS left out of KEEP (N entries). */
static size_t unkept(const bool *keep, size_t n)
{
	size_t u = 0;

	for (size_t k = 0; k < n; k++)
		u += !keep[k];
	return u;
}

/* The new side of a thread's diff: its events in the order compared,
 * and where each is in the run (ORIGIN NULL: the same place). */
struct side {
	const struct gt_event *ev;
	size_t n;
	size_t *origin;
};

/* Repeats a run collapsed ("x ×2") that reordering may take apart again
 * (bash sets and restores SIGINT's handler once around a wait that blocks,
 * twice in a row when its SIGCHLD handler reaped the child already): at
 * most this many, and not byte-count calls, whose bytes per call are not
 * kept. */
#define SPLIT_MAX 16

/* The new side as reordering sees it: B's events, repeats of up to
 * SPLIT_MAX split into single calls (X->origin: where each came from in B,
 * NULL when nothing was split; X->ev then B's own events).  Returns the
 * events made (caller frees), or NULL. */
static uint32_t split_times(const struct gt_event *e)
{
	return e->count > 1 && e->count <= SPLIT_MAX && gt_syscall_bytes_arg(e->call) < 0 ?
		       e->count : 1;
}

/* How many events B's split view has: the most the new side of its
 * alignment can have. */
static size_t split_len(const struct gt_thread *b)
{
	size_t n = 0;

	for (size_t j = 0; j < b->nevents; j++)
		n += split_times(&b->events[j]);
	return n;
}

static struct gt_event *split_repeats(const struct gt_thread *b, struct side *x)
{
	size_t n = split_len(b), k = 0;
	struct gt_event *ev;

	*x = (struct side){ b->events, b->nevents, NULL };
	if (n == b->nevents)
		return NULL;
	ev = xmalloc(n * sizeof(*ev));
	x->origin = xmalloc(n * sizeof(*x->origin));
	for (size_t j = 0; j < b->nevents; j++) {
		const struct gt_event *e = &b->events[j];
		uint32_t times = split_times(e);

		for (uint32_t r = 0; r < times; r++) {
			ev[k] = *e;
			if (times > 1)
				ev[k].count = 1;
			x->origin[k++] = j;
		}
	}
	x->ev = ev;
	x->n = n;
	return ev;
}

/* X's events in order PERM, with repeats that came together collapsed as
 * canonicalization would have (a golden's "x ×2" against a run that made
 * its two x apart, around an independent event), into S, whose origins
 * are B's indices; the events live in D's scratch trace.  False (nothing
 * made) when nothing collapses and nothing had been split. */
static bool collapsed(struct gt_diff *d, const struct gt_thread *b, const struct side *x,
		      const size_t *perm, struct side *s)
{
	struct gt_thread *th;
	bool any = x->origin != NULL;

	for (size_t k = 1; k < x->n && !any; k++)
		any = gt_event_same(&x->ev[perm[k - 1]], &x->ev[perm[k]]);
	if (!any)
		return false;
	if (!d->scratch)
		d->scratch = gt_trace_new();
	th = gt_process_add_thread(d->scratch, gt_trace_add_process(d->scratch, "x", NULL),
				   b->id);
	s->origin = xmalloc((x->n + 1) * sizeof(*s->origin));
	for (size_t k = 0; k < x->n; k++) {
		const struct gt_event *e = &x->ev[perm[k]];
		struct gt_event *last = th->nevents ? &th->events[th->nevents - 1] : NULL;

		if (last && gt_event_same(last, e)) {
			uint64_t sum = (uint64_t)last->count + e->count;

			last->ret = gt_event_add_bytes(d->scratch, last, e);
			last->count = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
			continue;
		}
		s->origin[th->nevents] = x->origin ? x->origin[perm[k]] : perm[k];
		gt_thread_add_event(d->scratch, th, e->call, e->args, e->nargs, e->ret, e->count);
	}
	s->ev = th->events;
	s->n = th->nevents;
	return true;
}

/* What one reordering of the new side needs. */
struct reorder {
	const struct gt_thread *a, *b;   /* golden, new */
	const struct side *x;            /* B with small repeats split */
	const struct gt_fp *fp;          /* X's footprints */
	const uint32_t *gc, *nc;         /* counts of A's and X's events */
	const unsigned char *gslow, *xslow;
};

/* Reorder the new side toward the golden within WINDOW and align them;
 * if that leaves fewer events unmatched than *BEST, it becomes the
 * alignment (KEEP_A, KEEP_B, S) and *BEST its count. */
static void try_reorder(const struct dctx *c, const struct reorder *r, size_t window,
			bool *keep_a, bool *keep_b, struct side *s, size_t *best)
{
	size_t gn = r->a->nevents, nn = r->b->nevents, xn = r->x->n;
	size_t *p = xmalloc((xn + 1) * sizeof(*p));
	bool *ka = xmalloc(gn + 1), *kb = xmalloc(xn + 1);
	struct ev_ctx xc = { r->a->events, r->x->ev, r->gslow, r->xslow, NULL };
	struct side t = { r->b->events, nn, NULL };

	gt_commute_toward(gn, xn, r->fp, ev_eq, &xc, r->gc, r->nc, window, p);
	if (collapsed(c->d, r->b, r->x, p, &t)) {
		/* Compare the collapsed events as they are. */
		struct ev_ctx tc = { r->a->events, t.ev, r->gslow, NULL, NULL };
		unsigned char *tslow = xmalloc(t.n + 1);

		for (size_t k = 0; k < t.n; k++)
			tslow[k] = is_unknown(t.ev[k].ret) ? SLOW : 0;
		tc.nslow = tslow;
		gt_diff_lcs(gn, t.n, ev_eq, &tc, ka, kb);
		free(tslow);
		free(p);
	} else {
		/* Nothing split nor collapsed: X is B. */
		xc.perm = p;
		gt_diff_lcs(gn, nn, ev_eq, &xc, ka, kb);
		t.origin = p;
	}
	if (unkept(ka, gn) + unkept(kb, t.n) < *best) {
		*best = unkept(ka, gn) + unkept(kb, t.n);
		memcpy(keep_a, ka, gn);
		memcpy(keep_b, kb, t.n);
		free(s->origin);
		*s = t;
	} else {
		free(t.origin);
	}
	free(ka);
	free(kb);
}

/* Align the events of A (golden) and B (new): fills S with the new side
 * as compared and KEEP_A / KEEP_B (GN + 1 and split_len(B) + 1 entries)
 * with the alignment.  When they differ, B is also tried reordered toward A within
 * its equivalence class (commute.h: independent events swapped, small
 * repeats split and collapsed again where they come together), near and
 * far, and the best alignment is kept. */
static void align(const struct dctx *c, const struct gt_thread *a, const struct gt_thread *b,
		  bool *keep_a, bool *keep_b, struct side *s)
{
	size_t gn = a->nevents, nn = b->nevents, best;
	unsigned char *gslow = xmalloc(gn), *nslow = xmalloc(nn);
	struct ev_ctx ec = { a->events, b->events, gslow, nslow, NULL };

	*s = (struct side){ b->events, nn, NULL };
	for (size_t k = 0; k < gn; k++)
		gslow[k] = golden_flag(&a->events[k]);
	for (size_t k = 0; k < nn; k++)
		nslow[k] = is_unknown(b->events[k].ret) ? SLOW : 0;
	gt_diff_lcs(gn, nn, ev_eq, &ec, keep_a, keep_b);
	best = unkept(keep_a, gn) + unkept(keep_b, nn);
	if (best && !(c->opts && c->opts->exact_order)) {
		struct side x;
		struct gt_event *split = split_repeats(b, &x);
		struct gt_fp *fp = xmalloc((x.n + 1) * sizeof(*fp));
		uint32_t *gc = xmalloc((gn + 1) * sizeof(*gc)), *nc = xmalloc((x.n + 1) * sizeof(*nc));
		unsigned char *xslow = xmalloc(x.n + 1);
		struct reorder r = { a, b, &x, fp, gc, nc, gslow, xslow };

		for (size_t k = 0; k < gn; k++)
			gc[k] = a->events[k].count;
		for (size_t k = 0; k < x.n; k++) {
			nc[k] = x.ev[k].count;
			xslow[k] = is_unknown(x.ev[k].ret) ? SLOW : 0;
		}
		gt_fp_of_thread(x.ev, x.n, fp);
		try_reorder(c, &r, GT_COMMUTE_NEAR, keep_a, keep_b, s, &best);
		if (best)
			try_reorder(c, &r, GT_COMMUTE_FAR, keep_a, keep_b, s, &best);
		free(gc);
		free(nc);
		free(xslow);
		free(split);
		free(x.origin);
		free(fp);
	}
	free(gslow);
	free(nslow);
}

/* Diff golden thread GT against new thread NT (either may be NULL) and
 * keep the result if anything changed. */
static void diff_thread(struct dctx *c, const struct gt_thread *gt, const struct gt_thread *nt,
			const char *exe)
{
	static const struct gt_thread none;
	const struct gt_thread *a = gt ? gt : &none, *b = nt ? nt : &none;
	size_t gn = a->nevents, nn = b->nevents, cap = 0, i = 0, j = 0;
	struct gt_thread_diff td = { 0 };
	bool *keep_a = xcalloc(gn + 1, sizeof(bool));
	bool *keep_b = xcalloc(split_len(b) + 1, sizeof(bool));
	bool *mask = NULL;
	struct side s = { b->events, nn, NULL };

	td.golden_id = gt ? gt->id : NULL;
	td.new_id = nt ? nt->id : NULL;
	td.process_exe = exe;
	if (gn && nn) {
		align(c, a, b, keep_a, keep_b, &s);
		if (c->nmasked) {
			mask = xcalloc(gn, sizeof(*mask));
			if (!masked_for(c, a->id ? a->id : "", mask, gn)) {
				free(mask);
				mask = NULL;
			}
		}
	}
	nn = s.n;
	td.lines = xmalloc((gn + nn + 1) * sizeof(*td.lines));
	cap = gn + nn + 1;
	/* J walks the new side in the aligned order; lines name the events,
	 * and their positions, as the run made them. */
	while (i < gn || j < nn) {
		struct gt_dline *l = add_line(&td, &cap);

		l->gi = i;
		l->ni = s.origin && j < nn ? s.origin[j] : j;
		if (i < gn && !keep_a[i]) {
			l->kind = GT_DL_DEL;
			l->golden = &a->events[i++];
			td.ndel++;
		} else if (j < nn && !keep_b[j]) {
			l->kind = GT_DL_ADD;
			l->new_ = &s.ev[j++];
			td.nadd++;
		} else {
			l->golden = &a->events[i];
			l->new_ = &s.ev[j];
			l->kind = GT_DL_SAME;
			if ((!mask || !mask[i]) && count_changed(c, l->golden, l->new_)) {
				l->kind = GT_DL_COUNT;
				td.ncount++;
			}
			i++;
			j++;
		}
	}
	free(keep_a);
	free(keep_b);
	free(mask);
	free(s.origin);
	if (td.ndel || td.nadd)
		gt_diff_apply_alts(c->g, &td);
	if (!td.ndel && !td.nadd && !td.ncount) {
		free(td.lines);
		return;
	}
	c->d->changes += td.ndel + td.nadd + td.ncount;
	xgrow((void **)&c->d->threads, &c->threads_cap, c->d->nthreads + 1,
	      sizeof(*c->d->threads));
	c->d->threads[c->d->nthreads++] = td;
}

/* The leader (id equal to the process id, else the first thread) first,
 * then the others in their order: fills ORDER (nthreads entries). */
static void thread_order(const struct gt_process *p, size_t *order)
{
	size_t leader = 0, k = 0;

	for (size_t i = 0; i < p->nthreads; i++) {
		if (str_eq(p->threads[i].id, p->id)) {
			leader = i;
			break;
		}
	}
	if (p->nthreads)
		order[k++] = leader;
	for (size_t i = 0; i < p->nthreads; i++)
		if (i != leader)
			order[k++] = i;
}

static void diff_process(struct dctx *c, const struct gt_process *gp,
			 const struct gt_process *np)
{
	size_t gn = gp ? gp->nthreads : 0, nn = np ? np->nthreads : 0;
	size_t *go = xcalloc(gn + 1, sizeof(*go)), *no = xcalloc(nn + 1, sizeof(*no));
	const char *exe = np ? np->exe : gp ? gp->exe : NULL;

	if (gp)
		thread_order(gp, go);
	if (np)
		thread_order(np, no);
	for (size_t i = 0; i < gn || i < nn; i++)
		diff_thread(c, i < gn ? &gp->threads[go[i]] : NULL,
			    i < nn ? &np->threads[no[i]] : NULL, exe);
	free(go);
	free(no);
}

static void proc_change(struct dctx *c, const struct gt_process *p, bool added)
{
	struct gt_proc_change *pc;

	xgrow((void **)&c->d->procs, &c->procs_cap, c->d->nprocs + 1, sizeof(*c->d->procs));
	pc = &c->d->procs[c->d->nprocs++];
	pc->id = p->id;
	pc->exe = p->exe;
	pc->added = added;
}

/* The process tree of a trace as children lists in creation order. */
struct ptree {
	const struct gt_process *procs;
	size_t n;
	size_t *start;   /* children of i: kids[start[i] .. start[i + 1]) */
	size_t *kids;
	size_t *roots;
	size_t nroots;
};

struct id_ix {
	const char *id;
	size_t ix;
};

static int cmp_id_ix(const void *pa, const void *pb)
{
	const struct id_ix *a = pa, *b = pb;
	int r = strcmp(a->id, b->id);

	if (r)
		return r;
	return a->ix < b->ix ? -1 : a->ix > b->ix;
}

static void ptree_build(struct ptree *t, const struct gt_trace *tr)
{
	size_t n = tr->nprocs;
	struct id_ix *ids = xcalloc(n + 1, sizeof(*ids));
	size_t *parent = xcalloc(n + 1, sizeof(*parent));
	size_t *fill = xcalloc(n + 1, sizeof(*fill));

	t->procs = tr->procs;
	t->n = n;
	t->start = xcalloc(n + 2, sizeof(*t->start));
	t->kids = xcalloc(n + 1, sizeof(*t->kids));
	t->roots = xcalloc(n + 1, sizeof(*t->roots));
	t->nroots = 0;
	for (size_t i = 0; i < n; i++) {
		ids[i].id = tr->procs[i].id ? tr->procs[i].id : "";
		ids[i].ix = i;
	}
	qsort(ids, n, sizeof(*ids), cmp_id_ix);
	/* A parent must come earlier in creation order; anything else (no
	 * parent, an unknown one, a cycle) makes the process a root, so that
	 * every process is reached exactly once. */
	for (size_t i = 0; i < n; i++) {
		const char *pid = tr->procs[i].parent;
		size_t lo = 0, hi = n;

		parent[i] = SIZE_MAX;
		if (!pid)
			continue;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (strcmp(ids[mid].id, pid) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && !strcmp(ids[lo].id, pid) && ids[lo].ix < i)
			parent[i] = ids[lo].ix;
	}
	for (size_t i = 0; i < n; i++) {
		if (parent[i] == SIZE_MAX)
			t->roots[t->nroots++] = i;
		else
			t->start[parent[i] + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		t->start[i + 1] += t->start[i];
	for (size_t i = 0; i < n; i++)
		if (parent[i] != SIZE_MAX)
			t->kids[t->start[parent[i]] + fill[parent[i]]++] = i;
	free(ids);
	free(parent);
	free(fill);
}

static void ptree_free(struct ptree *t)
{
	free(t->start);
	free(t->kids);
	free(t->roots);
}

/* Work item of the tree walk: a matched pair, or a gone / new process
 * (whose subtree follows it). */
struct pitem {
	size_t g, n;     /* SIZE_MAX: absent */
};

struct exe_ctx {
	const struct gt_process *g, *n;
	const size_t *gi, *ni;
};

static bool exe_eq(const void *ctx, size_t i, size_t j)
{
	const struct exe_ctx *c = ctx;

	return str_eq(c->g[c->gi[i]].exe, c->n[c->ni[j]].exe);
}

/* Push, in reverse so that they pop in order, the items for golden
 * children GI[0..GN) against new children NI[0..NN): LCS by exe, unless
 * FORCE_ONE and there is exactly one on each side (the roots). */
static void push_children(struct pitem **st, size_t *nst, size_t *cap, const struct ptree *gt,
			  const size_t *gi, size_t gn, const struct ptree *nt, const size_t *ni,
			  size_t nn, bool force_one)
{
	bool *ka = xcalloc(gn + 1, sizeof(bool)), *kb = xcalloc(nn + 1, sizeof(bool));
	struct pitem *items = xcalloc(gn + nn + 1, sizeof(*items));
	size_t nitems = 0, i = 0, j = 0;

	if (force_one && gn == 1 && nn == 1) {
		ka[0] = kb[0] = true;
	} else {
		struct exe_ctx ec = { gt->procs, nt->procs, gi, ni };

		gt_diff_lcs(gn, nn, exe_eq, &ec, ka, kb);
	}
	while (i < gn || j < nn) {
		struct pitem *it = &items[nitems++];

		if (i < gn && !ka[i]) {
			it->g = gi[i++];
			it->n = SIZE_MAX;
		} else if (j < nn && !kb[j]) {
			it->g = SIZE_MAX;
			it->n = ni[j++];
		} else {
			it->g = gi[i++];
			it->n = ni[j++];
		}
	}
	xgrow((void **)st, cap, *nst + nitems, sizeof(**st));
	while (nitems)
		(*st)[(*nst)++] = items[--nitems];
	free(items);
	free(ka);
	free(kb);
}

static void diff_tree(struct dctx *c)
{
	struct ptree gt, nt;
	struct pitem *st = NULL;
	size_t nst = 0, cap = 0;

	ptree_build(&gt, c->g);
	ptree_build(&nt, c->n);
	push_children(&st, &nst, &cap, &gt, gt.roots, gt.nroots, &nt, nt.roots, nt.nroots, true);
	while (nst) {
		struct pitem it = st[--nst];
		const struct gt_process *gp = it.g != SIZE_MAX ? &gt.procs[it.g] : NULL;
		const struct gt_process *np = it.n != SIZE_MAX ? &nt.procs[it.n] : NULL;
		const size_t *gk = gp ? gt.kids + gt.start[it.g] : NULL;
		const size_t *nk = np ? nt.kids + nt.start[it.n] : NULL;
		size_t gkn = gp ? gt.start[it.g + 1] - gt.start[it.g] : 0;
		size_t nkn = np ? nt.start[it.n + 1] - nt.start[it.n] : 0;

		if (gp && !np)
			proc_change(c, gp, false);
		else if (np && !gp)
			proc_change(c, np, true);
		diff_process(c, gp, np);
		/* Below a gone (new) process everything is gone (new): with
		 * one side empty the LCS keeps nothing. */
		push_children(&st, &nst, &cap, &gt, gk, gkn, &nt, nk, nkn, false);
	}
	free(st);
	ptree_free(&gt);
	ptree_free(&nt);
}

void gt_diff_traces(const struct gt_trace *golden, const struct gt_trace *new_,
		    const struct gt_diff_opts *opts, struct gt_diff **out)
{
	struct dctx c = { 0 };

	c.g = golden;
	c.n = new_;
	c.opts = opts;
	c.d = xcalloc(1, sizeof(*c.d));
	if (golden->nmasked) {
		c.masked = xcalloc(golden->nmasked, sizeof(*c.masked));
		for (size_t i = 0; i < golden->nmasked; i++)
			if (parse_masked(golden->masked[i], &c.masked[c.nmasked]))
				c.nmasked++;
		qsort(c.masked, c.nmasked, sizeof(*c.masked), cmp_masked);
	}
	diff_tree(&c);
	free(c.masked);
	*out = c.d;
}

void gt_diff_free(struct gt_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nthreads; i++)
		free(d->threads[i].lines);
	free(d->threads);
	free(d->procs);
	gt_trace_free(d->scratch);
	free(d);
}

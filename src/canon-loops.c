/*
 * canon-loops: periodic repeats.  A run of GT_LOOP_MIN or more turns of the
 * same 2 to GT_LOOP_MAX events of a thread (dd bs=1's read, write, read,
 * write...) is one event, a loop:
 *
 *   loop(read(0, 1) = 1, write(1, 1) = 1) = 2 ×1000000
 *
 * Its arguments are the texts of one turn's events, its return the number
 * of them, its count the turns.  Only stateless calls (gt_syscall_stateless)
 * make loops, so a loop never hides an open, a close or an exec.
 *
 * The fold works on the tail of a thread as events are appended, so a
 * thread's memory follows its distinct events, not its calls; the same
 * rules run once more over the finished thread.  The result depends only on
 * the sequence of events, not on whether the capture folded them already
 * (capture-fold.c): canon feeds a folded group's turns one by one.
 */
#include "config.h"

#include "canon.h"

#include <stdio.h>
#include <string.h>

#include "syscalls.h"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* The same text, count included. */
static bool exact(const struct gt_event *a, const struct gt_event *b)
{
	if (a->hash != b->hash || a->count != b->count || a->nargs != b->nargs ||
	    !same_str(a->call, b->call) || !same_str(a->ret, b->ret))
		return false;
	for (size_t i = 0; i < a->nargs && i < GT_MAX_ARGS; i++)
		if (!same_str(a->args[i], b->args[i]))
			return false;
	return true;
}

/* Can E be a turn's event: a stateless call, not a loop? */
static bool loopable(const struct gt_event *e)
{
	return !gt_event_is_loop(e) && gt_syscall_stateless(e->call);
}

/* Does TEXT read back as one argument: no ", " outside quotes and
 * brackets (an argument list splits there)? */
static bool one_arg(const char *text)
{
	int depth = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return false;
		} else if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if (*p == ')' || *p == ']' || *p == '}') {
			depth--;
		} else if (depth == 0 && *p == ',' && p[1] == ' ') {
			return false;
		}
	}
	return depth == 0;
}

/* Do the P events at EV match the turn of LOOP? */
static bool is_turn(const struct gt_event *loop, const struct gt_event *ev, size_t p,
		    struct gt_buf *b)
{
	if (loop->nargs != p)
		return false;
	for (size_t j = 0; j < p; j++) {
		if (!loopable(&ev[j]))
			return false;
		gt_buf_reset(b);
		gt_event_format(b, &ev[j], true);
		if (!same_str(b->s, loop->args[j]))
			return false;
	}
	return true;
}

static void set_count(struct gt_event *e, uint64_t n)
{
	e->count = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* Make the P events at TH's tail - P * GT_LOOP_MIN one loop, if they are
 * GT_LOOP_MIN turns of the same P stateless events. */
static bool new_loop(struct gt_trace *t, struct gt_thread *th, size_t p, struct gt_buf *b)
{
	size_t span = p * GT_LOOP_MIN, at;
	const char *args[GT_MAX_ARGS];
	char ret[8];
	uint32_t stack;

	if (th->nevents < span)
		return false;
	at = th->nevents - span;
	/* From the end: most tails fail at once. */
	for (size_t i = span; i-- > p;)
		if (!exact(&th->events[at + i], &th->events[at + i - p]))
			return false;
	for (size_t j = 0; j < p; j++)
		if (!loopable(&th->events[at + j]))
			return false;
	for (size_t j = 0; j < p; j++) {
		gt_buf_reset(b);
		gt_event_format(b, &th->events[at + j], true);
		if (!one_arg(b->s))
			return false;
		args[j] = gt_trace_str(t, b->s);
	}
	snprintf(ret, sizeof(ret), "%zu", p);
	stack = th->events[at].stack; /* where the first turn began */
	th->nevents = at;
	gt_thread_add_event(t, th, GT_LOOP_CALL, args, p, ret, GT_LOOP_MIN)->stack = stack;
	return true;
}

/* One step of folding TH's tail; true when something folded. */
static bool fold_step(struct gt_trace *t, struct gt_thread *th, struct gt_buf *b)
{
	size_t n = th->nevents;
	struct gt_event *x;

	if (n < 2)
		return false;
	x = &th->events[n - 1];
	/* Two loops of the same turn, or two of the same stateless call. */
	if ((gt_event_is_loop(x) || loopable(x)) &&
	    gt_event_is_loop(&th->events[n - 2]) == gt_event_is_loop(x) &&
	    gt_event_same(&th->events[n - 2], x)) {
		struct gt_event *y = &th->events[n - 2];

		y->ret = gt_event_add_bytes(t, y, x);
		set_count(y, (uint64_t)y->count + x->count);
		y->flags |= x->flags;
		th->nevents--;
		return true;
	}
	for (size_t p = 2; p <= GT_LOOP_MAX; p++) {
		/* A turn after its loop... */
		if (n >= p + 1 && gt_event_is_loop(&th->events[n - 1 - p]) &&
		    is_turn(&th->events[n - 1 - p], &th->events[n - p], p, b)) {
			set_count(&th->events[n - 1 - p], (uint64_t)th->events[n - 1 - p].count + 1);
			th->nevents -= p;
			return true;
		}
		/* ...or before it. */
		if (gt_event_is_loop(x) && n >= p + 1 && is_turn(x, &th->events[n - 1 - p], p, b)) {
			struct gt_event l = *x;

			set_count(&l, (uint64_t)l.count + 1);
			th->events[n - 1 - p] = l;
			th->nevents -= p;
			return true;
		}
	}
	for (size_t p = 2; p <= GT_LOOP_MAX; p++)
		if (new_loop(t, th, p, b))
			return true;
	return false;
}

void gt_canon_loops_tail(struct gt_trace *t, struct gt_thread *th, struct gt_buf *scratch)
{
	while (fold_step(t, th, scratch))
		;
}

void gt_canon_fold_loops(struct gt_trace *t, struct gt_thread *th)
{
	struct gt_buf b = {0};
	size_t n = th->nevents;

	/* Feed the events again, one by one, folding as they come. */
	th->nevents = 0;
	for (size_t r = 0; r < n; r++) {
		th->events[th->nevents++] = th->events[r];
		gt_canon_loops_tail(t, th, &b);
	}
	gt_buf_free(&b);
}

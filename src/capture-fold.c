/*
 * capture-fold: repeats folded as they are recorded.  A loop of millions of
 * identical calls (dd bs=1: read, write, read, write...) would otherwise
 * take a raw event per call.  When the last event completes a copy of the
 * PERIOD events of the same task just before it, the copy goes and the
 * first event of the group counts one more turn (REP).  Only calls that
 * change no state the canonicalizer follows fold, and only events with no
 * fetched memory, so canon can render a group once and count it REP + 1
 * times (canon-loops.h turns it into the same text an unfolded run gives).
 */
#include "config.h"

#include "capture.h"

#include <stdlib.h>
#include <string.h>

static bool *fold_table;  /* indexed by nr; built once, before any thread */
static int fold_max;

static void build_table(void)
{
	fold_max = gt_syscalls_max();
	fold_table = calloc((size_t)fold_max + 1, sizeof(*fold_table));
	if (!fold_table)
		return;
	for (int nr = 0; nr < fold_max; nr++)
		fold_table[nr] = gt_syscall_stateless(gt_syscall_by_nr(nr)->name);
}

bool gt_capture_foldable(int32_t nr)
{
	if (!fold_table)
		build_table();
	return fold_table && nr >= 0 && nr < fold_max && fold_table[nr];
}

/* May E take part in a fold: a plain (ungrouped) stateless event with
 * nothing fetched, of TASK? */
static bool plain(const struct gt_raw_event *e, uint32_t task)
{
	return e->task == task && e->period == 0 && e->mem[0] == 0 && e->mem[1] == 0 &&
	       gt_capture_foldable(e->nr);
}

static bool same(const struct gt_raw_event *a, const struct gt_raw_event *b)
{
	return a->task == b->task && a->nr == b->nr && a->ret == b->ret &&
	       a->flags == b->flags && memcmp(a->args, b->args, sizeof(a->args)) == 0;
}

/* Fold the P events at C->events[AT] into the group at H (P events). */
static void fold_copy(struct gt_capture *c, size_t h, size_t at, size_t p)
{
	for (size_t j = 0; j < p; j++) {
		const struct gt_raw_event *e = &c->events[at + j];

		c->events[h + j].t_exit_ns += e->t_exit_ns - e->t_enter_ns;
	}
	c->events[h].rep++;
	c->nevents -= p;
	c->nfolded += p;
}

void gt_capture_commit(struct gt_capture *c)
{
	size_t n = c->nevents;
	const struct gt_raw_event *last;

	if (n < 2)
		return;
	last = &c->events[n - 1];
	if (!plain(last, last->task))
		return;
	for (size_t p = 1; p <= GT_FOLD_MAX_PERIOD && 2 * p <= n; p++) {
		size_t h = n - 2 * p;
		struct gt_raw_event *head = &c->events[h];
		bool copy = true;

		for (size_t j = 0; j < p && copy; j++)
			copy = plain(&c->events[h + p + j], last->task) &&
			       same(&c->events[h + j], &c->events[h + p + j]);
		if (!copy)
			continue;
		/* Another turn of a group of P... */
		if (head->rep > 0 && head->period == p && head->rep < UINT32_MAX) {
			fold_copy(c, h, h + p, p);
			return;
		}
		/* ...or the first repeat of P plain events. */
		for (size_t j = 0; j < p && copy; j++)
			copy = plain(&c->events[h + j], last->task);
		if (!copy)
			continue;
		for (size_t j = 0; j < p; j++)
			c->events[h + j].period = (uint8_t)p;
		fold_copy(c, h, h + p, p);
		return;
	}
}

uint64_t gt_capture_turns(const struct gt_capture *c, size_t i)
{
	/* Groups are runs of events, so the first head before I is I's. */
	for (size_t h = i + 1; h-- > 0 && i - h < GT_FOLD_MAX_PERIOD;) {
		const struct gt_raw_event *e = &c->events[h];

		if (e->rep > 0)
			return h + e->period > i ? (uint64_t)e->rep + 1 : 1;
	}
	return 1;
}

/*
 * test-canon-loops: repeats folded at capture (capture-fold.c) and loops
 * (canon-loops.c).  A capture folded as it was recorded gives the same
 * trace as the same calls unfolded; a loop is one line with its turns
 * counted; a turn that differs, another count, or a stateful call in the
 * loop still shows.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canon.h"
#include "capture.h"
#include "trace-json.h"
#include "trace.h"

#define X "\xc3\x97" /* the multiplication sign of "×N" */
#define FDCWD ((uint64_t)(int64_t)AT_FDCWD)
#define PTR 0x7ffd0000aa00ULL

static void add_ev(struct gt_capture *c, bool fold, uint32_t task, const char *name,
		   int64_t ret, uint64_t a0, uint64_t a1, uint64_t a2, const char *path)
{
	struct gt_raw_event *e;
	int nr = gt_syscall_nr(name);

	assert_true(nr >= 0);
	e = gt_capture_add_event(c);
	e->task = task;
	e->nr = nr;
	e->ret = ret;
	e->args[0] = a0;
	e->args[1] = a1;
	e->args[2] = a2;
	e->t_enter_ns = (c->nevents + c->nfolded) * 10000;
	e->t_exit_ns = e->t_enter_ns + 2000;
	if (path) {
		e->mem[0] = gt_capture_blob_add(c, path, strlen(path) + 1);
		e->argi[0] = 1;
	}
	if (fold)
		gt_capture_commit(c);
}

/* What one turn of a loop is in the runs below. */
enum turn { T_RW, T_RW_LONG, T_RWS, T_OPEN };

/* A run of task 0: open "in", TURNS turns of WHAT (turn ODD, if not
 * SIZE_MAX, writes 2 bytes instead of 1), then read's end and close.  With
 * FOLD the capture folds as it records. */
static struct gt_capture *make_run(bool fold, enum turn what, size_t turns, size_t odd)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);

	c->info.returns_known = true;
	gt_capture_add_task(c, 10, 10, -1, 0);
	add_ev(c, fold, 0, "openat", 3, FDCWD, PTR, O_RDONLY, "in");
	for (size_t i = 0; i < turns; i++) {
		uint64_t n = i == odd ? 2 : 1;

		switch (what) {
		case T_RW:
		case T_RW_LONG:
			add_ev(c, fold, 0, "read", (int64_t)n, 3, PTR, n, NULL);
			add_ev(c, fold, 0, "write", (int64_t)n, 1, PTR, n, NULL);
			break;
		case T_RWS:
			add_ev(c, fold, 0, "read", 1, 3, PTR, 1, NULL);
			add_ev(c, fold, 0, "write", (int64_t)n, 1, PTR, n, NULL);
			add_ev(c, fold, 0, "lseek", 0, 3, 0, 1, NULL);
			break;
		case T_OPEN:
			add_ev(c, fold, 0, "openat", 4, FDCWD, PTR, O_RDONLY, "x");
			add_ev(c, fold, 0, "close", 0, 4, 0, 0, NULL);
			break;
		}
	}
	add_ev(c, fold, 0, "read", 0, 3, PTR, 1, NULL);
	add_ev(c, fold, 0, "close", 0, 3, 0, 0, NULL);
	return c;
}

static struct gt_trace *build(const struct gt_capture *c)
{
	struct gt_trace *t = NULL;
	struct gt_error err = { 0 };

	assert_int_equal(gt_canon_build(c, NULL, &t, &err), GT_OK);
	assert_non_null(t);
	return t;
}

/* The text of thread 0's events, one per line. */
static char *text_of(const struct gt_trace *t)
{
	struct gt_buf b = { 0 };
	const struct gt_thread *th = &t->procs[0].threads[0];

	for (size_t i = 0; i < th->nevents; i++) {
		gt_event_format(&b, &th->events[i], true);
		gt_buf_add(&b, "\n", 1);
	}
	return gt_buf_steal(&b);
}

static uint64_t calls_of(const struct gt_trace *t, const char *name)
{
	for (size_t i = 0; i < t->nsysstats; i++)
		if (strcmp(t->sysstats[i].name, name) == 0)
			return (uint64_t)t->sysstats[i].calls.median;
	return 0;
}

/* The capture folds a million-call loop into one turn's events; the trace
 * is the one the unfolded capture gives: one loop line, counts intact. */
static void test_fold_same_trace(void **state)
{
	struct gt_capture *a = make_run(false, T_RW, 5000, SIZE_MAX);
	struct gt_capture *b = make_run(true, T_RW, 5000, SIZE_MAX);
	struct gt_trace *ta, *tb;
	char *sa, *sb;

	(void)state;
	assert_int_equal(a->nevents, 10003);
	assert_true(b->nevents <= 6);
	assert_int_equal(b->nevents + b->nfolded, 10003);
	for (size_t i = 0; i < b->nevents; i++)
		if (b->events[i].nr == gt_syscall_nr("write"))
			assert_int_equal(gt_capture_turns(b, i), 5000);
	ta = build(a);
	tb = build(b);
	sa = text_of(ta);
	sb = text_of(tb);
	assert_string_equal(sa, sb);
	assert_string_equal(sa, "openat(AT_FDCWD, \"in\", O_RDONLY) = 3\n"
				"loop(read(3, 1) = 1, write(1, 1) = 1) = 2 " X "5000\n"
				"read(3, 1) = 0\n"
				"close(3) = 0\n");
	assert_true(ta->hash == tb->hash);
	assert_int_equal(calls_of(tb, "read"), 5001);
	assert_int_equal(calls_of(tb, "write"), 5000);
	assert_int_equal(calls_of(ta, "write"), 5000);
	free(sa);
	free(sb);
	gt_trace_free(ta);
	gt_trace_free(tb);
	gt_capture_free(a);
	gt_capture_free(b);
}

/* One more turn is another trace: the count is part of the text. */
static void test_count_change_shows(void **state)
{
	struct gt_capture *a = make_run(true, T_RW, 1000, SIZE_MAX);
	struct gt_capture *b = make_run(true, T_RW, 1001, SIZE_MAX);
	struct gt_trace *ta = build(a), *tb = build(b);

	(void)state;
	assert_true(ta->hash != tb->hash);
	assert_int_equal(ta->procs[0].threads[0].events[1].count, 1000);
	assert_int_equal(tb->procs[0].threads[0].events[1].count, 1001);
	gt_trace_free(ta);
	gt_trace_free(tb);
	gt_capture_free(a);
	gt_capture_free(b);
}

/* A turn that writes 2 bytes in the middle of the loop is not folded
 * away: the loop splits around it, folded or not. */
static void test_odd_turn_shows(void **state)
{
	for (int fold = 0; fold < 2; fold++) {
		struct gt_capture *c = make_run(fold, T_RW, 100, 50);
		struct gt_trace *t = build(c);
		char *s = text_of(t);

		assert_string_equal(s, "openat(AT_FDCWD, \"in\", O_RDONLY) = 3\n"
				       "loop(read(3, 1) = 1, write(1, 1) = 1) = 2 " X "50\n"
				       "read(3, 2) = 2\n"
				       "write(1, 2) = 2\n"
				       "loop(read(3, 1) = 1, write(1, 1) = 1) = 2 " X "49\n"
				       "read(3, 1) = 0\n"
				       "close(3) = 0\n");
		free(s);
		gt_trace_free(t);
		gt_capture_free(c);
	}
}

/* Turns of three calls fold and loop too; the odd one shows. */
static void test_period_three(void **state)
{
	struct gt_capture *a = make_run(false, T_RWS, 300, 299);
	struct gt_capture *b = make_run(true, T_RWS, 300, 299);
	struct gt_trace *ta = build(a), *tb = build(b);
	char *sa = text_of(ta), *sb = text_of(tb);

	(void)state;
	assert_true(b->nevents < 20);
	assert_string_equal(sa, sb);
	assert_string_equal(sa, "openat(AT_FDCWD, \"in\", O_RDONLY) = 3\n"
				"loop(read(3, 1) = 1, write(1, 1) = 1, lseek(3, 0, SEEK_CUR) = 0)"
				" = 3 " X "299\n"
				"read(3, 1) = 1\n"
				"write(1, 2) = 2\n"
				"lseek(3, 0, SEEK_CUR) = 0\n"
				"read(3, 1) = 0\n"
				"close(3) = 0\n");
	assert_int_equal(calls_of(tb, "lseek"), 300);
	free(sa);
	free(sb);
	gt_trace_free(ta);
	gt_trace_free(tb);
	gt_capture_free(a);
	gt_capture_free(b);
}

/* Opens and closes change the fd table: they never fold at capture and
 * never make a loop, so each open stays a line to diff. */
static void test_stateful_never_loops(void **state)
{
	struct gt_capture *c = make_run(true, T_OPEN, 20, SIZE_MAX);
	struct gt_trace *t = build(c);
	const struct gt_thread *th = &t->procs[0].threads[0];

	(void)state;
	assert_int_equal(c->nevents, 43);
	assert_int_equal(c->nfolded, 0);
	for (size_t i = 0; i < th->nevents; i++)
		assert_false(gt_event_is_loop(&th->events[i]));
	gt_trace_free(t);
	gt_capture_free(c);
}

/* Fewer than GT_LOOP_MIN turns stay as they are. */
static void test_short_run_no_loop(void **state)
{
	struct gt_capture *c = make_run(true, T_RW, GT_LOOP_MIN - 1, SIZE_MAX);
	struct gt_trace *t = build(c);
	const struct gt_thread *th = &t->procs[0].threads[0];

	(void)state;
	for (size_t i = 0; i < th->nevents; i++)
		assert_false(gt_event_is_loop(&th->events[i]));
	assert_int_equal(calls_of(t, "write"), GT_LOOP_MIN - 1);
	gt_trace_free(t);
	gt_capture_free(c);
}

/* Two threads taking turns: the capture cannot fold across tasks, but each
 * thread's own calls still make its loop. */
static void test_interleaved_tasks(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_trace *t;

	(void)state;
	c->info.returns_known = true;
	gt_capture_add_task(c, 10, 10, -1, 0);
	gt_capture_add_task(c, 11, 10, 0, 0x10000 /* CLONE_THREAD */);
	for (size_t i = 0; i < 50; i++)
		for (uint32_t task = 0; task < 2; task++) {
			add_ev(c, true, task, "read", 1, 3 + task, PTR, 1, NULL);
			add_ev(c, true, task, "write", 1, 1, PTR, 1, NULL);
		}
	assert_int_equal(c->nfolded, 0);
	t = build(c);
	assert_int_equal(t->nprocs, 1);
	assert_int_equal(t->procs[0].nthreads, 2);
	for (size_t k = 0; k < 2; k++) {
		const struct gt_thread *th = &t->procs[0].threads[k];

		assert_int_equal(th->nevents, 1);
		assert_true(gt_event_is_loop(&th->events[0]));
		assert_int_equal(th->events[0].count, 50);
	}
	gt_trace_free(t);
	gt_capture_free(c);
}

/* A loop line reads back from JSON as it was written. */
static void test_json_round_trip(void **state)
{
	struct gt_capture *c = make_run(true, T_RW, 200, SIZE_MAX);
	struct gt_trace *t = build(c), *back = NULL;
	struct gt_error err = { 0 };
	char *json = gt_trace_to_json(t), *s1, *s2;

	(void)state;
	assert_int_equal(gt_trace_parse(json, strlen(json), "loops.json", &back, &err), GT_OK);
	s1 = text_of(t);
	s2 = text_of(back);
	assert_string_equal(s1, s2);
	assert_true(gt_event_is_loop(&back->procs[0].threads[0].events[1]));
	assert_true(back->hash == t->hash);
	free(s1);
	free(s2);
	free(json);
	gt_trace_free(back);
	gt_trace_free(t);
	gt_capture_free(c);
}

/* A capture whose folded group runs past its end is refused. */
static void test_bad_group_refused(void **state)
{
	struct gt_capture *c = make_run(true, T_RW, 100, SIZE_MAX);
	struct gt_trace *t = NULL;
	struct gt_error err = { 0 };

	(void)state;
	c->events[c->nevents - 1].rep = 3;
	c->events[c->nevents - 1].period = 4;
	assert_int_equal(gt_canon_build(c, NULL, &t, &err), GT_ERR_FORMAT);
	assert_null(t);
	gt_capture_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_same_trace),
		cmocka_unit_test(test_count_change_shows),
		cmocka_unit_test(test_odd_turn_shows),
		cmocka_unit_test(test_period_three),
		cmocka_unit_test(test_stateful_never_loops),
		cmocka_unit_test(test_short_run_no_loop),
		cmocka_unit_test(test_interleaved_tasks),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_bad_group_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

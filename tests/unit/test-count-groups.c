/*
 * test-count-groups: which count changes follow from the sequence diff's added
 * and removed events (count-groups.c), on traces built by hand and diffed by
 * gt_diff_traces: a new process's calls and errors and an added event are
 * explained; a repeat count that changed (a ×N line), a call the diff
 * does not hold and a change larger than what the structure brought are
 * not; a gone process explains fewer calls; the line that stands for them.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "count-groups.h"

#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "trace.h"
#include "util.h"

/* Append the event TEXT to the main thread of process ID of T (created,
 * child of p1, when absent). */
static void ev(struct gt_trace *t, const char *id, const char *text)
{
	struct gt_event_parts parts;
	struct gt_error err;
	struct gt_process *p = NULL;

	for (size_t i = 0; i < t->nprocs; i++)
		if (strcmp(t->procs[i].id, id) == 0)
			p = &t->procs[i];
	if (!p) {
		p = gt_trace_add_process(t, id, strcmp(id, "p1") ? "p1" : NULL);
		gt_process_add_thread(t, p, id);
	}
	if (gt_event_parse(text, &parts, &err) != GT_OK)
		fail_msg("cannot parse %s: %s", text, err.msg);
	gt_thread_add_event(t, &p->threads[0], parts.call, (const char *const *)parts.args,
			    parts.nargs, parts.ret, parts.count);
	gt_event_parts_free(&parts);
}

static void viol(struct gt_verdict *v, const char *metric, double value, double lo, double hi)
{
	struct gt_violation *x;

	xgrow((void **)&v->v, &v->cap, v->nv + 1, sizeof(*v->v));
	x = &v->v[v->nv++];
	memset(x, 0, sizeof(*x));
	x->kind = strncmp(metric, "sequence", 8) ? GT_KIND_COUNTS : GT_KIND_SEQUENCE;
	x->metric = xstrdup(metric);
	x->value = value;
	x->lo = lo;
	x->hi = hi;
	x->golden_median = lo;
	x->message = xasprintf("%s: %g", metric, value);
	x->improved = value < lo;
}

/* The golden: p1 opens a file, reads it twice, forks p2 which exits. */
static struct gt_trace *golden(bool with_p2)
{
	struct gt_trace *t = gt_trace_new();

	ev(t, "p1", "openat(AT_FDCWD, \"a\", O_RDONLY) = 3");
	ev(t, "p1", "read(3, 10) = 10 ×2");
	ev(t, "p1", "close(3) = 0");
	if (with_p2) {
		ev(t, "p1", "vfork() = p2");
		ev(t, "p2", "execve(\"/bin/true\", [\"/bin/true\"], ptr) = 0");
		ev(t, "p2", "exit_group(0) = ?");
	}
	ev(t, "p1", "exit_group(0) = ?");
	return t;
}

static void test_new_process(void **state)
{
	struct gt_trace *g = golden(false), *n = gt_trace_new();
	struct gt_verdict v = {0};
	struct gt_diff *d = NULL;
	struct gt_buf b = {0};

	(void)state;
	/* The new run: one more open in p1, the read loop runs 5 times, and a
	 * new process p2 that execs and fails an open. */
	ev(n, "p1", "openat(AT_FDCWD, \"a\", O_RDONLY) = 3");
	ev(n, "p1", "openat(AT_FDCWD, \"b\", O_RDONLY) = 4");
	ev(n, "p1", "read(3, 10) = 10 ×5");
	ev(n, "p1", "close(3) = 0");
	ev(n, "p1", "vfork() = p2");
	ev(n, "p2", "execve(\"/bin/true\", [\"/bin/true\"], ptr) = 0");
	ev(n, "p2", "openat(AT_FDCWD, \"/etc/x\", O_RDONLY) = -1 ENOENT");
	ev(n, "p2", "exit_group(0) = ?");
	ev(n, "p1", "exit_group(0) = ?");
	gt_diff_traces(g, n, NULL, &d);
	viol(&v, "sequence", 7, 0, 0);
	viol(&v, "calls of openat", 3, 1, 1);     /* +1 in p1, +1 in p2 */
	viol(&v, "errors of openat", 1, 0, 0);    /* p2's failed open */
	viol(&v, "calls of execve", 1, 0, 0);
	viol(&v, "calls of exit_group", 2, 1, 1);
	viol(&v, "calls of vfork", 1, 0, 0);
	viol(&v, "calls of read", 5, 2, 2);       /* the ×N line: not structure */
	viol(&v, "calls of futex", 9, 2, 2);      /* not in the diff at all */
	viol(&v, "calls of close", 3, 1, 1);      /* more than the diff brought */
	gt_count_groups_mark(d, &v);
	assert_false(v.v[0].explained);
	assert_true(v.v[1].explained);
	assert_true(v.v[2].explained);
	assert_true(v.v[3].explained);
	assert_true(v.v[4].explained);
	assert_true(v.v[5].explained);
	assert_false(v.v[6].explained);
	assert_false(v.v[7].explained);
	assert_false(v.v[8].explained);
	assert_int_equal(gt_count_groups_n(&v), 5);
	assert_string_equal(v.explained_by, "the new process p2 and 2 added events in p1");
	gt_count_groups_line(&v, true, &b);
	assert_string_equal(b.s, "(+ 5 count changes from the new process p2 and 2 added events "
				 "in p1: openat +2, openat errors +1, execve +1, exit_group +1, "
				 "vfork +1)");
	gt_buf_reset(&b);
	gt_count_groups_line(&v, false, &b);
	assert_string_equal(b.s, "(+ 5 count changes from the new process p2 and 2 added events "
				 "in p1)");
	gt_buf_free(&b);
	gt_verdict_free(&v);
	gt_diff_free(d);
	gt_trace_free(g);
	gt_trace_free(n);
}

static void test_gone_process(void **state)
{
	struct gt_trace *g = golden(true), *n = golden(false);
	struct gt_verdict v = {0};
	struct gt_diff *d = NULL;
	struct gt_buf b = {0};

	(void)state;
	gt_diff_traces(g, n, NULL, &d);
	viol(&v, "sequence", 3, 0, 0);
	viol(&v, "calls of execve", 0, 1, 1);     /* fewer: an improvement */
	viol(&v, "calls of vfork", 0, 1, 1);
	gt_count_groups_mark(d, &v);
	assert_true(v.v[1].explained && v.v[2].explained);
	assert_string_equal(v.explained_by, "the gone process p2 and 1 removed event in p1");
	gt_count_groups_line(&v, true, &b);
	assert_string_equal(b.s, "(+ 2 count changes from the gone process p2 and 1 removed event "
				 "in p1: execve -1, vfork -1)");
	gt_buf_free(&b);
	gt_verdict_free(&v);
	gt_diff_free(d);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* No structural change: nothing explained, nothing said. */
static void test_nothing(void **state)
{
	struct gt_trace *g = golden(true), *n = golden(true);
	struct gt_verdict v = {0};
	struct gt_diff *d = NULL;
	struct gt_buf b = {0};

	(void)state;
	gt_diff_traces(g, n, NULL, &d);
	viol(&v, "calls of openat", 3, 1, 1);
	gt_count_groups_mark(d, &v);
	assert_false(v.v[0].explained);
	assert_null(v.explained_by);
	gt_count_groups_line(&v, true, &b);
	assert_int_equal(b.len, 0);
	gt_buf_free(&b);
	gt_verdict_free(&v);
	gt_diff_free(d);
	gt_trace_free(g);
	gt_trace_free(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_process),
		cmocka_unit_test(test_gone_process),
		cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

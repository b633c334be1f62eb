/*
 * test-explain: matching a diff's added and changed lines to the calls of a
 * run with stacks (explain.h), without running anything: the same call in
 * the same thread with the same return wins over one in another thread or
 * with another return; the C library's frame is skipped for the program's;
 * paths are relative to the root; -v's callers; a line with no match gets
 * no location; the verdict is left as it was.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "explain.h"
#include "runner.h"

#include <stdlib.h>
#include <string.h>

static const char *const open_args[] = {"AT_FDCWD", "\"/dev/null\"", "O_RDONLY"};
static const char *const close_args[] = {"3"};
static const char *const access_args[] = {"\"x.conf\"", "R_OK"};
static const char *const stat_args[] = {"\"y\"", "ptr"};

static struct gt_thread *thread(struct gt_trace *t, const char *id)
{
	struct gt_process *p = t->nprocs ? &t->procs[0] : gt_trace_add_process(t, "p1", NULL);

	return gt_process_add_thread(t, p, id);
}

static struct gt_trace *trace(bool with_access, bool with_stat)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = thread(t, "p1");

	gt_thread_add_event(t, th, "openat", open_args, 3, "3", 1);
	if (with_access)
		gt_thread_add_event(t, th, "access", access_args, 2, "-1 ENOENT", 1);
	if (with_stat)
		gt_thread_add_event(t, th, "stat", stat_args, 2, "0", 1);
	gt_thread_add_event(t, th, "close", close_args, 1, "0", 1);
	gt_trace_rehash(t);
	return t;
}

static uint32_t stack(struct gt_trace *t, unsigned line, unsigned main_line)
{
	struct gt_frame f[] = {
		{"/usr/lib/x86_64-linux-gnu/libc.so.6", 0xf8417, "access", 7, NULL, 0},
		{"/repo/bin/tool", 0x1277, "read_config", 0x47, "/repo/src/x.c", line},
		{"/repo/bin/tool", 0x1300, "main", 0x20, "/repo/src/x.c", main_line},
	};

	if (!t->stacks)
		t->stacks = gt_stacks_new();
	return gt_stacks_add(t->stacks, f, 3);
}

/* The rerun: the access in p1 (line 44), decoys with another return in p1
 * (line 77) and in another thread (line 99); no stat at all. */
static struct gt_trace *rerun(void)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = thread(t, "p1");
	struct gt_event *e;

	e = gt_thread_add_event(t, th, "access", access_args, 2, "0", 1);
	e->stack = stack(t, 77, 70);
	gt_thread_add_event(t, th, "openat", open_args, 3, "3", 1)->stack = stack(t, 40, 70);
	e = gt_thread_add_event(t, th, "access", access_args, 2, "-1 ENOENT", 1);
	e->stack = stack(t, 44, 70);
	gt_thread_add_event(t, th, "close", close_args, 1, "0", 1);
	th = thread(t, "p1.t2");
	e = gt_thread_add_event(t, th, "access", access_args, 2, "-1 ENOENT", 1);
	e->stack = stack(t, 99, 70);
	gt_trace_rehash(t);
	return t;
}

static struct gt_config *config(void)
{
	static const char yaml[] = "version: 1\ncases: [{name: x, run: [a]}]\n";
	struct gt_config *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(gt_config_parse(yaml, strlen(yaml), "t.yaml", "/cfg", &c, &err), GT_OK);
	return c;
}

static void test_match(void **state)
{
	struct gt_config *cfg = config();
	struct gt_trace *golden = trace(false, false), *now = trace(true, true), *st = rerun();
	struct gt_case_result *rp = xcalloc(1, sizeof(*rp)), r;
	struct gt_explain_opts o = {.root = "/repo", .frames = true};
	struct gt_explain_stats stats;
	const struct gt_location *l;
	enum gt_verdict_kind verdict;
	unsigned kinds;

	(void)state;
	assert_true(gt_case_compare(golden, now, &cfg->cases[0], "g.json", "new run", 0, rp));
	r = *rp;
	verdict = r.verdict.verdict;
	kinds = r.verdict.kinds;
	assert_null(strstr(r.diff_text, " at "));
	gt_explain_with(golden, now, st, &cfg->cases[0], "g.json", "new run", 0, &o, rp, &stats);
	r = *rp;
	assert_int_equal(stats.changed, 2);
	assert_int_equal(stats.located, 1);
	assert_int_equal(r.nlocations, 1);
	l = &r.locations[0];
	assert_string_equal(l->event, "p1 access(\"x.conf\", R_OK) = -1 ENOENT");
	assert_string_equal(l->where, "src/x.c:44 (read_config)");
	assert_string_equal(l->file, "src/x.c");
	assert_int_equal(l->line, 44);
	assert_string_equal(l->function, "read_config");
	assert_string_equal(l->module, "bin/tool");
	/* The C library's frame is not one of them; main is. */
	assert_int_equal(l->nframes, 2);
	assert_string_equal(l->frames[1], "src/x.c:70 (main)");
	assert_non_null(strstr(r.diff_text,
			       "+p1    access(\"x.conf\", R_OK) = -1 ENOENT at src/x.c:44 (read_config)\n"
			       "       from src/x.c:70 (main)\n"));
	assert_non_null(strstr(r.diff_text_color, " at src/x.c:44 (read_config)"));
	/* The stat has no match: its line stays as it was. */
	assert_non_null(strstr(r.diff_text, "+p1    stat(\"y\", ptr) = 0\n"));
	assert_int_equal(r.verdict.verdict, verdict);
	assert_int_equal(r.verdict.kinds, kinds);
	gt_report_free(&(struct gt_report){.cases = rp, .ncases = 1, .cap = 1});
	gt_trace_free(golden);
	gt_trace_free(now);
	gt_trace_free(st);
	gt_config_free(cfg);
}

/* No root, no frames: absolute paths, one line. */
static void test_plain(void **state)
{
	struct gt_config *cfg = config();
	struct gt_trace *golden = trace(false, false), *now = trace(true, false), *st = rerun();
	struct gt_case_result *r = xcalloc(1, sizeof(*r));

	(void)state;
	gt_case_compare(golden, now, &cfg->cases[0], "g.json", "new run", 0, r);
	gt_explain_with(golden, now, st, &cfg->cases[0], "g.json", "new run", 0, NULL, r, NULL);
	assert_non_null(strstr(r->diff_text, "= -1 ENOENT at /repo/src/x.c:44 (read_config)\n"));
	assert_null(strstr(r->diff_text, "from "));
	gt_report_free(&(struct gt_report){.cases = r, .ncases = 1, .cap = 1});
	gt_trace_free(golden);
	gt_trace_free(now);
	gt_trace_free(st);
	gt_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

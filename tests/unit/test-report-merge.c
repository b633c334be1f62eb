/*
 * test-report-merge: the shards' JSON reports joined: every case once,
 * totals and exit status, unknown fields kept, and each problem (corrupt
 * or newer report, a case in two shards, a shard missing, given twice or
 * of another N, an interrupted shard) named with its file.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report-merge.h"

static char dir[] = "/tmp/gtdiff-merge.XXXXXX";

/* Write TEXT to DIR/NAME; returns the path (static storage, 8 slots). */
static const char *put(const char *name, const char *text)
{
	static char paths[8][256];
	static int next;
	char *p = paths[next++ % 8];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

/* A report of shard I/N with the cases "NAME:VERDICT" given. */
static const char *shard(const char *file, int i, int n, const char *c1, const char *v1,
			 const char *c2, const char *v2)
{
	char buf[2048];

	snprintf(buf, sizeof(buf),
		 "{\"format\": \"gtdiff-report\", \"version\": 1, \"passed\": 0, \"failed\": 0,"
		 " \"errors\": 0, \"seconds\": 1.5, \"shard\": {\"index\": %d, \"count\": %d},"
		 " \"cases\": [{\"name\": \"%s\", \"verdict\": \"%s\", \"kinds\": [\"sequence\"],"
		 " \"seconds\": 0.5, \"headroom\": {\"x\": 1}, \"violations\": [{\"kind\":"
		 " \"counts\", \"improved\": false, \"metric\": \"calls of read\", \"value\": 9,"
		 " \"band\": [3, 3], \"golden_median\": 3, \"message\": \"m\"}], \"diff\": null},"
		 " {\"name\": \"%s\", \"verdict\": \"%s\"}], \"obsolete\": [\"g/old.json\"]}",
		 i, n, c1, v1, c2, v2);
	return put(file, buf);
}

static bool has_problem(const struct gt_merge *m, const char *a, const char *b)
{
	for (size_t i = 0; i < m->nproblems; i++)
		if (strstr(m->problems[i], a) && (!b || strstr(m->problems[i], b)))
			return true;
	return false;
}

static void test_all_pass(void **state)
{
	const char *p[3];
	struct gt_merge m = {0};

	(void)state;
	p[0] = shard("a.json", 2, 3, "c3", "pass", "c4", "improved");
	p[1] = shard("b.json", 1, 3, "c1", "pass", "c2", "pass");
	p[2] = shard("c.json", 3, 3, "c5", "pass", "c6", "pass");
	gt_merge_reports(p, 3, &m);
	assert_int_equal(m.nproblems, 0);
	assert_int_equal(m.rep.ncases, 6);
	/* In the order of the shards' index. */
	assert_string_equal(m.rep.cases[0].name, "c1");
	assert_string_equal(m.rep.cases[2].name, "c3");
	assert_int_equal(m.rep.cases[3].verdict.verdict, GT_VERDICT_IMPROVED);
	assert_int_equal(m.rep.nobsolete, 1);
	assert_true(m.rep.seconds > 4.4 && m.rep.seconds < 4.6);
	assert_int_equal(gt_merge_exit_status(&m), 0);
	gt_merge_free(&m);
}

static void test_regression_and_fields(void **state)
{
	const char *p[2], *out;
	struct gt_merge m = {0};
	struct gt_error err = {0};
	char *text = NULL;
	size_t len;
	FILE *f;

	(void)state;
	p[0] = shard("a.json", 1, 2, "c1", "pass", "c2", "regression");
	p[1] = shard("b.json", 2, 2, "c3", "pass", "c4", "pass");
	gt_merge_reports(p, 2, &m);
	assert_int_equal(m.nproblems, 0);
	assert_int_equal(m.rep.ncases, 4);
	assert_int_equal(m.rep.cases[1].verdict.verdict, GT_VERDICT_REGRESSION);
	assert_int_equal(m.rep.cases[0].verdict.kinds, GT_KIND_SEQUENCE);
	assert_int_equal(m.rep.cases[0].verdict.nv, 1);
	assert_int_equal(m.rep.cases[0].verdict.v[0].kind, GT_KIND_COUNTS);
	assert_string_equal(m.rep.cases[0].verdict.v[0].metric, "calls of read");
	assert_int_equal(gt_merge_exit_status(&m), 1);
	out = put("m.json", "");
	assert_int_equal(gt_merge_save_json(&m, out, &err), GT_OK);
	f = fopen(out, "r");
	assert_non_null(f);
	assert_true(getdelim(&text, &len, '\0', f) > 0);
	fclose(f);
	/* Totals recomputed; a field the merge does not know is kept. */
	assert_non_null(strstr(text, "\"passed\": 3"));
	assert_non_null(strstr(text, "\"failed\": 1"));
	assert_non_null(strstr(text, "\"headroom\""));
	assert_non_null(strstr(text, "\"problems\": []"));
	free(text);
	gt_merge_free(&m);
}

static void test_problems(void **state)
{
	const char *p[4];
	struct gt_merge m = {0};

	(void)state;
	p[0] = shard("a.json", 1, 3, "c1", "pass", "c2", "pass");
	p[1] = put("corrupt.json", "{\"format\": \"gtdiff-report\", \"cases\": [");
	p[2] = shard("b.json", 3, 3, "c2", "pass", "c5", "pass");
	p[3] = put("newer.json", "{\"format\": \"gtdiff-report\", \"version\": 2, \"cases\": []}");
	gt_merge_reports(p, 4, &m);
	assert_true(has_problem(&m, "corrupt.json", "not a gtdiff report"));
	assert_true(has_problem(&m, "newer.json", "newer gtdiff"));
	assert_true(has_problem(&m, "case 'c2'", "b.json"));
	assert_true(has_problem(&m, "no report for shard 2 of 3", NULL));
	assert_int_equal(m.rep.ncases, 3);
	assert_int_equal(gt_merge_exit_status(&m), 2);
	gt_merge_free(&m);
}

static void test_shard_mismatch(void **state)
{
	const char *p[3];
	struct gt_merge m = {0};

	(void)state;
	p[0] = shard("a.json", 1, 2, "c1", "pass", "c2", "pass");
	p[1] = shard("b.json", 1, 2, "c3", "pass", "c4", "pass");
	p[2] = put("none.json", "");
	gt_merge_reports(p, 2, &m);
	assert_true(has_problem(&m, "both shard 1/2", NULL));
	assert_true(has_problem(&m, "no report for shard 2 of 2", NULL));
	gt_merge_free(&m);
	memset(&m, 0, sizeof(m));
	p[1] = shard("b.json", 2, 3, "c3", "pass", "c4", "pass");
	gt_merge_reports(p, 3, &m);
	assert_true(has_problem(&m, "not one matrix", NULL));
	assert_true(has_problem(&m, "none.json", NULL));
	gt_merge_free(&m);
}

static void test_interrupted_and_obsolete(void **state)
{
	const char *p[2];
	struct gt_merge m = {0};

	(void)state;
	p[0] = put("i.json", "{\"format\": \"gtdiff-report\", \"version\": 1, \"errors\": 1, "
			     "\"interrupted\": \"SIGINT\", \"cases\": [], \"obsolete\": "
			     "[\"g/old.json\"]}");
	p[1] = put("j.json", "{\"format\": \"gtdiff-report\", \"version\": 1, \"errors\": 1, "
			     "\"cases\": [], \"obsolete\": [\"g/old.json\"]}");
	gt_merge_reports(p, 2, &m);
	assert_true(has_problem(&m, "i.json", "interrupted by SIGINT"));
	/* The obsolete golden that failed both shards is one error. */
	assert_int_equal(m.rep.nobsolete, 1);
	assert_true(m.rep.obsolete_fail);
	assert_int_equal(gt_merge_exit_status(&m), 2);
	gt_merge_free(&m);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *names[] = {"a.json", "b.json", "c.json", "m.json",
				      "corrupt.json", "newer.json", "none.json", "i.json",
				      "j.json"};
	char p[256];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pass),
		cmocka_unit_test(test_regression_and_fields),
		cmocka_unit_test(test_problems),
		cmocka_unit_test(test_shard_mismatch),
		cmocka_unit_test(test_interrupted_and_obsolete),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

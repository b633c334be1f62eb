/*
 * test-pending: the manifest of a kept run: the case hash (the same for the
 * same case in another checkout, different when what shapes a recording
 * changes, the same when only what judges it changes), the file hash,
 * save/load round trip, the loader's refusals, and finding manifests.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gtconfig.h"
#include "pending.h"

static const char base_cfg[] =
	"version: 1\n"
	"cases:\n"
	"  - name: a\n"
	"    run: [./prog, x]\n"
	"    cwd: sub\n"
	"    env: {K: v}\n"
	"%s"
	"  - name: b\n"
	"    shell: \"true\"\n";

/* The hash of case "a" in BASE_CFG with EXTRA lines, parsed as if from DIR. */
static uint64_t hash_a(const char *extra, const char *dir)
{
	struct gt_config *cfg = NULL;
	struct gt_error err = {0};
	char *text = NULL;
	uint64_t h;
	int n = asprintf(&text, base_cfg, extra);

	assert_true(n > 0);
	if (gt_config_parse(text, strlen(text), "t.yaml", dir, &cfg, &err) != GT_OK)
		fail_msg("%s", err.msg);
	h = gt_pending_case_hash(cfg, gt_config_case(cfg, "a"));
	gt_config_free(cfg);
	free(text);
	return h;
}

static void test_case_hash(void **state)
{
	uint64_t h = hash_a("", "/srv/ci/checkout");

	(void)state;
	assert_int_equal(h, hash_a("", "/home/me/src/proj"));   /* another checkout */
	assert_int_equal(h, hash_a("    tolerance: {counts: 3}\n", "/x"));
	assert_int_equal(h, hash_a("    timeout: 5\n", "/x"));
	assert_int_equal(h, hash_a("    expect_exit: 0\n", "/x"));
	assert_int_not_equal(h, hash_a("    runs: 7\n", "/x"));
	assert_int_not_equal(h, hash_a("    keep_env: [PATH]\n", "/x"));
	assert_int_not_equal(h, hash_a("    setup: make\n", "/x"));
	assert_int_not_equal(h, hash_a("    canonicalize: {ignore: [read]}\n", "/x"));
	assert_int_not_equal(h, hash_a("    stdin: in.txt\n", "/x"));
}

static void test_case_hash_fields(void **state)
{
	struct gt_config *cfg = NULL;
	struct gt_error err = {0};
	const char *y1 = "version: 1\ncases:\n  - name: a\n    run: [./prog, x]\n";
	const char *y2 = "version: 1\ncases:\n  - name: a\n    run: [./prog, y]\n";
	const char *y3 = "version: 1\ncases:\n  - name: a\n    run: [./prog, x]\n    cwd: d\n";
	const char *y4 = "version: 1\ncases:\n  - name: a\n    run: [./prog, x]\n"
			 "    env: {K: w}\n";
	const char *y5 = "version: 1\ncases:\n  - name: a\n    shell: ./prog x\n";
	const char *ys[] = { y1, y2, y3, y4, y5 };
	uint64_t h[5];

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		if (gt_config_parse(ys[i], strlen(ys[i]), "t.yaml", "/d", &cfg, &err) != GT_OK)
			fail_msg("%s", err.msg);
		h[i] = gt_pending_case_hash(cfg, gt_config_case(cfg, "a"));
		gt_config_free(cfg);
	}
	for (size_t i = 0; i < 5; i++)
		for (size_t j = i + 1; j < 5; j++)
			assert_int_not_equal(h[i], h[j]);
}

static char dir[] = "/tmp/test-pending.XXXXXX";

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_file_hash(void **state)
{
	char *p = NULL;
	bool exists = true;
	uint64_t h1, h2;
	struct gt_error err = {0};

	(void)state;
	assert_true(asprintf(&p, "%s/f", dir) > 0);
	assert_int_equal(gt_pending_file_hash(p, 1 << 20, &exists, &h1, &err), GT_OK);
	assert_false(exists);
	put_file(p, "one");
	assert_int_equal(gt_pending_file_hash(p, 1 << 20, &exists, &h1, &err), GT_OK);
	assert_true(exists);
	put_file(p, "two");
	assert_int_equal(gt_pending_file_hash(p, 1 << 20, &exists, &h2, &err), GT_OK);
	assert_int_not_equal(h1, h2);
	unlink(p);
	free(p);
}

static void test_round_trip(void **state)
{
	struct gt_pending p = {0}, q = {0};
	struct gt_error err = {0};
	char *path = gt_pending_path(dir, "my-case.1"), *run = gt_pending_run_path(path);
	char *want = NULL, name[] = "my-case.1";

	(void)state;
	assert_true(asprintf(&want, "%s/my-case.1.new.json", dir) > 0);
	assert_string_equal(run, want);
	p.name = name;
	p.case_hash = 0x0123456789abcdefULL;
	p.has_golden = true;
	p.golden_hash = 0xfedcba9876543210ULL;
	p.run_hash = 42;
	p.runs = 5;
	assert_int_equal(gt_pending_save(&p, path, &err), GT_OK);
	assert_int_equal(gt_pending_load(path, &q, &err), GT_OK);
	assert_string_equal(q.name, "my-case.1");
	assert_int_equal(q.case_hash, p.case_hash);
	assert_true(q.has_golden);
	assert_int_equal(q.golden_hash, p.golden_hash);
	assert_int_equal(q.run_hash, 42);
	assert_int_equal(q.runs, 5);
	gt_pending_free(&q);
	p.has_golden = false;
	assert_int_equal(gt_pending_save(&p, path, &err), GT_OK);
	assert_int_equal(gt_pending_load(path, &q, &err), GT_OK);
	assert_false(q.has_golden);
	gt_pending_free(&q);
	unlink(path);
	free(path);
	free(run);
	free(want);
}

/* Loading TEXT as DIR/c.pending.json fails with RC and a message naming
 * the file and containing WHAT. */
static void refused(const char *text, enum gt_rc rc, const char *what)
{
	char *path = gt_pending_path(dir, "c");
	struct gt_pending p = {0};
	struct gt_error err = {0};

	put_file(path, text);
	assert_int_equal(gt_pending_load(path, &p, &err), rc);
	if (!strstr(err.msg, path) || !strstr(err.msg, what))
		fail_msg("message '%s' lacks '%s' or the path", err.msg, what);
	gt_pending_free(&p);
	unlink(path);
	free(path);
}

#define H "\"xxh3:0123456789abcdef\""
#define GOOD_REST ", \"case_hash\": " H ", \"golden_hash\": null, \"run_hash\": " H ", \"runs\": 2}"

static void test_refusals(void **state)
{
	(void)state;
	refused("", GT_ERR_FORMAT, "not valid JSON");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 1, ", GT_ERR_FORMAT, "not valid JSON");
	refused("[]", GT_ERR_FORMAT, "not a JSON object");
	refused("{\"format\": \"gtdiff-trace\", \"version\": 1, \"case\": \"c\"" GOOD_REST,
		GT_ERR_FORMAT, "\"format\"");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 9, \"case\": \"c\"" GOOD_REST,
		GT_ERR_VERSION, "newer");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 1, \"case\": \"d\"" GOOD_REST,
		GT_ERR_FORMAT, "of case 'd'");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 1, \"case\": \"../c\"" GOOD_REST,
		GT_ERR_FORMAT, "not a case name");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 1, \"case\": \"c\", \"x\": 1"
		GOOD_REST, GT_ERR_FORMAT, "unknown key 'x'");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 1, \"case\": \"c\", "
		"\"case_hash\": \"xxh3:12\", \"golden_hash\": null, \"run_hash\": " H
		", \"runs\": 2}", GT_ERR_FORMAT, "case_hash");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 1, \"case\": \"c\", "
		"\"case_hash\": " H ", \"run_hash\": " H ", \"runs\": 2}", GT_ERR_FORMAT,
		"golden_hash");
	refused("{\"format\": \"gtdiff-pending\", \"version\": 1, \"case\": \"c\", "
		"\"case_hash\": " H ", \"golden_hash\": null, \"run_hash\": " H ", \"runs\": 0}",
		GT_ERR_FORMAT, "runs");
}

static void test_find(void **state)
{
	char *a = NULL, *sub = NULL, *subsub = NULL, *b = NULL, *c = NULL, *other = NULL;
	char **v = NULL;
	struct gt_error err = {0};
	long n;

	(void)state;
	assert_true(asprintf(&sub, "%s/job-1", dir) > 0);
	assert_true(asprintf(&subsub, "%s/job-1/gtdiff-runs", dir) > 0);
	assert_true(asprintf(&a, "%s/x.pending.json", dir) > 0);
	assert_true(asprintf(&b, "%s/y.pending.json", sub) > 0);
	assert_true(asprintf(&c, "%s/z.pending.json", subsub) > 0);
	assert_true(asprintf(&other, "%s/z.new.json", subsub) > 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(mkdir(subsub, 0700), 0);
	put_file(a, "{}");
	put_file(b, "{}");
	put_file(c, "{}");
	put_file(other, "{}");
	n = gt_pending_find(dir, &v, &err);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], c);   /* sorted: ".../job-1/gtdiff-runs/z" first */
	assert_string_equal(v[1], b);
	assert_string_equal(v[2], a);
	assert_null(v[3]);
	for (long i = 0; i < n; i++)
		free(v[i]);
	free(v);
	assert_int_equal(gt_pending_find(a, &v, &err), -1);
	assert_non_null(strstr(err.msg, "not a directory"));
	unlink(a);
	unlink(b);
	unlink(c);
	unlink(other);
	rmdir(subsub);
	rmdir(sub);
	free(a);
	free(b);
	free(c);
	free(other);
	free(sub);
	free(subsub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_hash),
		cmocka_unit_test(test_case_hash_fields),
		cmocka_unit_test(test_file_hash),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_find),
	};
	int rc;

	if (!mkdtemp(dir))
		return 99;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}

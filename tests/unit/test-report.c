/*
 * test-report: the outcome of a check in every format.  One report with a
 * pass, an improved case, a regression (violations, a diff that holds XML
 * and Markdown specials, a kept new run) and an error; its counts and exit
 * status, the terminal text byte for byte (plain, quiet, verbose, colour),
 * the JSON report read back, the JUnit XML checked for well-formedness and
 * escaping, the GitHub workflow commands and their escaping, and the step
 * summary appended without losing what was there; a run cut short by a
 * signal marked so in each.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "report.h"

#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The private directory every file test works in (group setup/teardown). */
static char tmpdir[64];

static char *tpath(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static int group_setup(void **state)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/test-report.XXXXXX", t && *t ? t : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = tpath(de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	return rmdir(tmpdir);
}

static char *slurp(const char *path)
{
	struct gt_error err = {0};
	char *data = NULL;
	size_t len;

	if (gt_read_file(path, &data, &len, &err) != GT_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(strlen(data), len);
	return data;
}

/* ---- the report -------------------------------------------------------- */

#define DIFF                                                                                \
	"--- golden_traces/gamma.json\n"                                                    \
	"+++ new\n"                                                                         \
	"@@ -1,3 +1,3 @@\n"                                                                 \
	" openat(AT_FDCWD, \"$HOME/a\", O_RDONLY) = 3\n"                                    \
	"-read(3, \"<a & 'b'>\", 9) = 9\n"                                                  \
	"+read(3, \"]]> \\\"x\\\" \\x01\x02\", 9) = 9\n"                                    \
	" close(3) = 0\n"

/* DIFF as the text and GitHub reports print it: its raw control byte
 * escaped (escape.h); the JSON report keeps the bytes. */
#define DIFF_SHOWN                                                                          \
	"--- golden_traces/gamma.json\n"                                                    \
	"+++ new\n"                                                                         \
	"@@ -1,3 +1,3 @@\n"                                                                 \
	" openat(AT_FDCWD, \"$HOME/a\", O_RDONLY) = 3\n"                                    \
	"-read(3, \"<a & 'b'>\", 9) = 9\n"                                                  \
	"+read(3, \"]]> \\\"x\\\" \\x01\\x02\", 9) = 9\n"                                 \
	" close(3) = 0\n"

#define DIFF_COLOR "\033[31m-read\033[0m\n\033[32m+read\033[0m\n"

static void add_violation(struct gt_case_result *c, enum gt_kind kind, bool improved,
			  const char *metric, double value, double lo, double hi, double med,
			  const char *message)
{
	struct gt_violation *v;

	xgrow((void **)&c->verdict.v, &c->verdict.cap, c->verdict.nv + 1, sizeof(*v));
	v = &c->verdict.v[c->verdict.nv++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->improved = improved;
	v->metric = xstrdup(metric);
	v->value = value;
	v->lo = lo;
	v->hi = hi;
	v->golden_median = med;
	v->message = xstrdup(message);
}

static void add_pass(struct gt_report *r, const char *name)
{
	struct gt_case_result *c = gt_report_add(r, name);

	c->verdict.verdict = GT_VERDICT_PASS;
	c->golden_path = xasprintf("golden_traces/%s.json", name);
	c->seconds = 0.12;
}

static void add_regression(struct gt_report *r)
{
	struct gt_case_result *c = gt_report_add(r, "gamma");

	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->verdict.kinds = GT_KIND_SEQUENCE | GT_KIND_COUNTS;
	add_violation(c, GT_KIND_COUNTS, false, "calls of openat", 12, 10, 10, 10,
		      "calls of openat: 12, band [10, 10], golden median 10");
	add_violation(c, GT_KIND_TIMING, true, "wall_s", 0.05, 0.1, 0.3, 0.2,
		      "wall_s: 0.05 s, band [0.1, 0.3], golden median 0.2");
	add_violation(c, GT_KIND_COUNTS, false, "calls of read", 3, 2, 2, 2,
		      "calls of read: 3, band [2, 2], golden median 2");
	c->diff_text = xstrdup(DIFF);
	c->diff_text_color = xstrdup(DIFF_COLOR);
	c->golden_path = xstrdup("golden_traces/gamma.json");
	c->new_path = xstrdup("golden_traces/gamma.new.json");
	c->seconds = 0.4;
	c->golden_events = 3;
	c->new_events = 3;
}

/* pass, improved, regression, error. */
static void build(struct gt_report *r)
{
	struct gt_case_result *c;

	memset(r, 0, sizeof(*r));
	add_pass(r, "alpha");

	c = gt_report_add(r, "beta");
	c->verdict.verdict = GT_VERDICT_IMPROVED;
	add_violation(c, GT_KIND_TIMING, true, "wall_s", 0.05, 0.1, 0.14, 0.12,
		      "wall_s: 0.05 s, band [0.1, 0.14], golden median 0.12");
	c->golden_path = xstrdup("golden_traces/beta.json");
	c->seconds = 0.123;

	add_regression(r);

	c = gt_report_add(r, "delta");
	c->verdict.verdict = GT_VERDICT_ERROR;
	c->error = xstrdup("golden_traces/delta.json:3:7: expected an object");
	c->golden_path = xstrdup("golden_traces/delta.json");
	c->seconds = 0.01;

	r->seconds = 0.653;
}

/* ---- counts and exit status ------------------------------------------- */

static void test_counts_exit(void **state)
{
	struct gt_report r = {0};
	size_t p = 9, f = 9, e = 9;

	gt_report_counts(&r, &p, &f, &e);
	assert_int_equal(p, 0);
	assert_int_equal(f, 0);
	assert_int_equal(e, 0);
	assert_int_equal(gt_report_exit_status(&r), 0);

	add_pass(&r, "a");
	add_pass(&r, "b");
	r.cases[1].verdict.verdict = GT_VERDICT_IMPROVED;
	assert_int_equal(gt_report_exit_status(&r), 0);
	gt_report_add_obsolete(&r, "golden_traces/old.json");
	assert_int_equal(gt_report_exit_status(&r), 0);
	r.obsolete_fail = true;
	assert_int_equal(gt_report_exit_status(&r), 2);
	gt_report_counts(&r, &p, &f, &e);
	assert_int_equal(p, 2);
	assert_int_equal(f, 0);
	assert_int_equal(e, 1);
	gt_report_free(&r);
	assert_null(r.cases);
	assert_int_equal(r.ncases, 0);
	assert_int_equal(r.nobsolete, 0);
	gt_report_free(&r); /* twice is harmless */
	gt_report_free(NULL);

	add_pass(&r, "a");
	add_regression(&r);
	assert_int_equal(gt_report_exit_status(&r), 1);
	gt_report_free(&r);

	build(&r);
	gt_report_counts(&r, &p, &f, &e);
	assert_int_equal(p, 2);
	assert_int_equal(f, 1);
	assert_int_equal(e, 1);
	gt_report_counts(&r, NULL, NULL, NULL);
	assert_int_equal(gt_report_exit_status(&r), 2);
	assert_string_equal(r.cases[2].name, "gamma");
	gt_report_free(&r);
}

/* Many cases: the array grows and every name stays. */
static void test_many(void **state)
{
	struct gt_report r = {0};
	char name[32];

	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "case-%d", i);
		gt_report_add(&r, name)->verdict.verdict =
			i == 50 ? GT_VERDICT_REGRESSION : GT_VERDICT_PASS;
	}
	assert_int_equal(r.ncases, 100);
	assert_string_equal(r.cases[99].name, "case-99");
	assert_null(r.cases[99].error);
	assert_int_equal(r.cases[99].verdict.nv, 0);
	assert_int_equal(gt_report_exit_status(&r), 1);
	gt_report_free(&r);
}

/* ---- text ------------------------------------------------------------ */

static char *text_of(const struct gt_report *r, bool color, int verbosity)
{
	struct gt_text_opts o = {.color = color, .verbosity = verbosity};
	FILE *f = tmpfile();
	char *buf;
	long n;

	assert_non_null(f);
	gt_report_text(r, &o, f);
	assert_int_equal(fflush(f), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

#define FAIL_DETAILS                                                                        \
	"FAIL      gamma  (0.40 s): sequence, counts\n" DIFF_SHOWN                                \
	"  - calls of openat: 12, band [10, 10], golden median 10\n"                        \
	"  - calls of read: 3, band [2, 2], golden median 2\n"                              \
	"  kept the new run as golden_traces/gamma.new.json; accept it with: "              \
	"gtdiff update --accept gamma\n"

static void test_text(void **state)
{
	struct gt_report r;
	char *t;

	build(&r);
	t = text_of(&r, false, 0);
	assert_string_equal(t,
			    "PASS      alpha  (0.12 s)\n"
			    "IMPROVED  beta  (0.12 s): timing better beyond the band; "
			    "run 'gtdiff update beta'\n"
			    FAIL_DETAILS
			    "ERROR     delta: golden_traces/delta.json:3:7: expected an object\n"
			    "2 passed, 1 failed, 1 error\n");
	free(t);

	/* NULL options are the defaults. */
	{
		FILE *f = tmpfile();

		assert_non_null(f);
		gt_report_text(&r, NULL, f);
		assert_true(ftell(f) > 0);
		fclose(f);
	}
	gt_report_free(&r);
}

static void test_text_quiet(void **state)
{
	struct gt_report r;
	char *t;

	build(&r);
	t = text_of(&r, false, -1);
	assert_string_equal(t, FAIL_DETAILS
			    "ERROR     delta: golden_traces/delta.json:3:7: expected an object\n"
			    "2 passed, 1 failed, 1 error\n");
	free(t);
	gt_report_free(&r);

	/* All passing and quiet: the closing line alone. */
	add_pass(&r, "a");
	gt_report_add_obsolete(&r, "golden_traces/old.json");
	t = text_of(&r, false, -1);
	assert_string_equal(t, "1 passed, 0 failed\n");
	free(t);
	gt_report_free(&r);
}

static void test_text_verbose(void **state)
{
	struct gt_report r;
	char *t;

	build(&r);
	t = text_of(&r, false, 1);
	assert_string_equal(t,
			    "PASS      alpha  (0.12 s)\n"
			    "IMPROVED  beta  (0.12 s): timing better beyond the band; "
			    "run 'gtdiff update beta'\n"
			    "  - wall_s: 0.05 s, band [0.1, 0.14], golden median 0.12\n"
			    "FAIL      gamma  (0.40 s): sequence, counts\n" DIFF_SHOWN
			    "  - calls of openat: 12, band [10, 10], golden median 10\n"
			    "  - wall_s: 0.05 s, band [0.1, 0.3], golden median 0.2\n"
			    "  - calls of read: 3, band [2, 2], golden median 2\n"
			    "  kept the new run as golden_traces/gamma.new.json; accept it with: "
			    "gtdiff update --accept gamma\n"
			    "ERROR     delta: golden_traces/delta.json:3:7: expected an object\n"
			    "2 passed, 1 failed, 1 error\n");
	free(t);
	gt_report_free(&r);
}

static void test_text_color(void **state)
{
	struct gt_report r;
	char *t;

	build(&r);
	t = text_of(&r, true, 0);
	assert_string_equal(t,
			    "\033[32mPASS\033[0m      alpha  (0.12 s)\n"
			    "\033[36mIMPROVED\033[0m  beta  (0.12 s): timing better beyond the "
			    "band; run 'gtdiff update beta'\n"
			    "\033[31mFAIL\033[0m      gamma  (0.40 s): sequence, counts\n"
			    DIFF_COLOR
			    "  - calls of openat: 12, band [10, 10], golden median 10\n"
			    "  - calls of read: 3, band [2, 2], golden median 2\n"
			    "  kept the new run as golden_traces/gamma.new.json; accept it with: "
			    "gtdiff update --accept gamma\n"
			    "\033[35mERROR\033[0m     delta: golden_traces/delta.json:3:7: "
			    "expected an object\n"
			    "2 passed, 1 failed, 1 error\n");
	free(t);

	/* No coloured diff: the plain one. */
	free(r.cases[2].diff_text_color);
	r.cases[2].diff_text_color = NULL;
	t = text_of(&r, true, 0);
	assert_non_null(strstr(t, "sequence, counts\n" DIFF_SHOWN "  - calls"));
	free(t);
	gt_report_free(&r);
}

/* What a config, a golden or the traced program controls is printed
 * escaped: no raw control byte, no line that starts with "::". */
static void test_text_escaping(void **state)
{
	struct gt_report r = {0};
	struct gt_case_result *c;
	char *t;

	(void)state;
	c = gt_report_add(&r, "evil");
	c->verdict.verdict = GT_VERDICT_ERROR;
	c->error = xstrdup("nope\r\n::error file=evil.c,line=1::X\033[2J: not found");
	c = gt_report_add(&r, "bad");
	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->verdict.kinds = GT_KIND_BUDGET;
	add_violation(c, GT_KIND_BUDGET, false, "m", 1, 0, 0, 0, "wrote \033]0;t\a\n::x");
	c->env_diff = xstrdup("kernel a -> b\rc");
	c->new_path = xstrdup("g/bad\x7f.new.json");
	gt_report_add_obsolete(&r, "g/\033[1mold.json");
	t = text_of(&r, false, 0);
	assert_string_equal(t,
			    "ERROR     evil: nope\\r\\n::error file=evil.c,line=1::X\\e[2J: "
			    "not found\n"
			    "FAIL      bad  (0.00 s): budget\n"
			    "  - wrote \\e]0;t\\x07\\n::x\n"
			    "  environment (golden -> this run): kernel a -> b\\rc\n"
			    "  kept the new run as g/bad\\x7f.new.json; accept it with: gtdiff "
			    "update --accept bad\n"
			    "obsolete golden: g/\\e[1mold.json (no case refers to it)\n"
			    "0 passed, 1 failed, 1 error\n");
	free(t);
	gt_report_free(&r);
}

static void test_text_obsolete(void **state)
{
	struct gt_report r = {0};
	struct gt_case_result *c;
	char *t;

	add_pass(&r, "a");
	/* A failure with neither diff, kinds nor kept run; a diff without a
	 * final newline gets one. */
	c = gt_report_add(&r, "b");
	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->seconds = 1;
	c = gt_report_add(&r, "c");
	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->verdict.kinds = GT_KIND_EXIT;
	c->diff_text = xstrdup("-exit 0\n+exit 1");
	gt_report_add_obsolete(&r, "golden_traces/old.json");
	t = text_of(&r, false, 0);
	assert_string_equal(t,
			    "PASS      a  (0.12 s)\n"
			    "FAIL      b  (1.00 s)\n"
			    "FAIL      c  (0.00 s): exit status\n"
			    "-exit 0\n+exit 1\n"
			    "obsolete golden: golden_traces/old.json (no case refers to it)\n"
			    "1 passed, 2 failed\n");
	free(t);

	r.obsolete_fail = true;
	t = text_of(&r, false, -1);
	assert_string_equal(t,
			    "FAIL      b  (1.00 s)\n"
			    "FAIL      c  (0.00 s): exit status\n"
			    "-exit 0\n+exit 1\n"
			    "ERROR     obsolete golden: golden_traces/old.json "
			    "(no case refers to it)\n"
			    "1 passed, 2 failed, 1 error\n");
	free(t);
	assert_int_equal(gt_report_exit_status(&r), 2);
	gt_report_free(&r);
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *load_json(const char *path)
{
	char *data = slurp(path);
	size_t n = strlen(data);
	json_error_t jerr;
	json_t *j;

	assert_true(n > 0);
	assert_int_equal(data[n - 1], '\n');
	assert_int_not_equal(data[n - 2], '\n');
	j = json_loads(data, JSON_REJECT_DUPLICATES, &jerr);
	if (!j)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	free(data);
	return j;
}

static double num(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		fail_msg("%s is not a number", key);
	return json_number_value(v);
}

static const char *str(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("%s is not a string", key);
	return json_string_value(v);
}

static void test_json(void **state)
{
	struct gt_report r;
	struct gt_error err = {0};
	char *path = tpath("report.json"), *data;
	json_t *j, *cases, *c, *vs, *v, *band;
	static const char *const order[] = {"\"format\"", "\"version\"", "\"passed\"",
					    "\"failed\"", "\"errors\"", "\"seconds\"",
					    "\"cases\"", "\"name\"", "\"verdict\"", "\"kinds\"",
					    "\"seconds\"", "\"golden\"", "\"new\"", "\"error\"",
					    "\"violations\"", "\"diff\"", "\"obsolete\""};
	const char *p;

	build(&r);
	gt_report_add_obsolete(&r, "golden_traces/old.json");
	assert_int_equal(gt_report_json(&r, path, &err), GT_OK);

	/* Key order and the 2-space indent. */
	data = slurp(path);
	assert_true(strncmp(data, "{\n  \"format\": \"gtdiff-report\",\n  \"version\": 1,\n",
			    strlen("{\n  \"format\": \"gtdiff-report\",\n  \"version\": 1,\n")) ==
		    0);
	p = data;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		p = strstr(p, order[i]);
		if (!p)
			fail_msg("key %s out of order", order[i]);
	}
	free(data);

	j = load_json(path);
	assert_string_equal(str(j, "format"), "gtdiff-report");
	assert_true(json_integer_value(json_object_get(j, "version")) == 1);
	assert_true(num(j, "passed") == 2);
	assert_true(num(j, "failed") == 1);
	assert_true(num(j, "errors") == 1);
	assert_true(num(j, "seconds") == 0.653);
	cases = json_object_get(j, "cases");
	assert_int_equal(json_array_size(cases), 4);

	c = json_array_get(cases, 0);
	assert_string_equal(str(c, "name"), "alpha");
	assert_string_equal(str(c, "verdict"), "pass");
	assert_int_equal(json_array_size(json_object_get(c, "kinds")), 0);
	assert_true(num(c, "seconds") == 0.12);
	assert_string_equal(str(c, "golden"), "golden_traces/alpha.json");
	assert_true(json_is_null(json_object_get(c, "new")));
	assert_true(json_is_null(json_object_get(c, "error")));
	assert_true(json_is_null(json_object_get(c, "diff")));
	assert_int_equal(json_array_size(json_object_get(c, "violations")), 0);

	c = json_array_get(cases, 1);
	assert_string_equal(str(c, "verdict"), "improved");
	v = json_array_get(json_object_get(c, "violations"), 0);
	assert_true(json_is_true(json_object_get(v, "improved")));
	assert_string_equal(str(v, "kind"), "timing");

	c = json_array_get(cases, 2);
	assert_string_equal(str(c, "name"), "gamma");
	assert_string_equal(str(c, "verdict"), "regression");
	assert_int_equal(json_array_size(json_object_get(c, "kinds")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "kinds"), 0)),
			    "sequence");
	assert_string_equal(json_string_value(json_array_get(json_object_get(c, "kinds"), 1)),
			    "counts");
	assert_string_equal(str(c, "new"), "golden_traces/gamma.new.json");
	assert_string_equal(str(c, "diff"), DIFF);
	vs = json_object_get(c, "violations");
	assert_int_equal(json_array_size(vs), 3);
	v = json_array_get(vs, 0);
	assert_string_equal(str(v, "kind"), "counts");
	assert_true(json_is_false(json_object_get(v, "improved")));
	assert_string_equal(str(v, "metric"), "calls of openat");
	assert_true(num(v, "value") == 12);
	band = json_object_get(v, "band");
	assert_int_equal(json_array_size(band), 2);
	assert_true(json_number_value(json_array_get(band, 0)) == 10);
	assert_true(json_number_value(json_array_get(band, 1)) == 10);
	assert_true(num(v, "golden_median") == 10);
	assert_string_equal(str(v, "message"),
			    "calls of openat: 12, band [10, 10], golden median 10");

	c = json_array_get(cases, 3);
	assert_string_equal(str(c, "verdict"), "error");
	assert_string_equal(str(c, "error"), "golden_traces/delta.json:3:7: expected an object");

	assert_int_equal(json_array_size(json_object_get(j, "obsolete")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "obsolete"), 0)),
			    "golden_traces/old.json");
	json_decref(j);
	gt_report_free(&r);
	free(path);
}

/* Bytes that are not UTF-8 and numbers that are not finite still give a
 * document that parses. */
static void test_json_odd_values(void **state)
{
	struct gt_report r = {0};
	struct gt_error err = {0};
	struct gt_case_result *c;
	char *path = tpath("odd.json");
	json_t *j, *v;

	c = gt_report_add(&r, "caf\xc3\xa9 \xff\xc0\x80");
	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->verdict.kinds = GT_KIND_BUDGET;
	add_violation(c, GT_KIND_BUDGET, false, "budget max_syscalls", 1.0 / 0.0, 100, 100,
		      0.0 / 0.0, "over budget\n\ttab \"quoted\"");
	assert_int_equal(gt_report_json(&r, path, &err), GT_OK);
	j = load_json(path);
	c = NULL;
	v = json_array_get(json_object_get(j, "cases"), 0);
	assert_string_equal(str(v, "name"), "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_true(json_is_null(json_object_get(v, "golden")));
	v = json_array_get(json_object_get(v, "violations"), 0);
	assert_string_equal(str(v, "kind"), "budget");
	assert_true(json_is_null(json_object_get(v, "value")));
	assert_true(json_is_null(json_object_get(v, "golden_median")));
	assert_string_equal(str(v, "message"), "over budget\n\ttab \"quoted\"");
	json_decref(j);
	gt_report_free(&r);
	free(path);
}

static void test_json_io_error(void **state)
{
	struct gt_report r;
	struct gt_error err = {0};
	char *path = tpath("no-such-dir/report.json");

	build(&r);
	assert_int_equal(gt_report_json(&r, path, &err), GT_ERR_IO);
	assert_non_null(strstr(err.msg, path));
	memset(&err, 0, sizeof(err));
	assert_int_equal(gt_report_junit(&r, path, &err), GT_ERR_IO);
	assert_non_null(strstr(err.msg, path));
	assert_int_equal(gt_report_json(&r, path, NULL), GT_ERR_IO);
	gt_report_free(&r);
	free(path);
}

/* ---- JUnit -------------------------------------------------------------- */

/* Is the entity reference at S (after '&') one XML knows? */
static bool entity_ok(const char *s)
{
	static const char *const names[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncmp(s, names[i], strlen(names[i])) == 0)
			return true;
	if (*s++ != '#')
		return false;
	if (!(*s >= '0' && *s <= '9'))
		return false;
	s += strspn(s, "0123456789");
	return *s == ';';
}

/* A minimal well-formedness check: one root, balanced tags, quoted
 * attributes, no raw '<' or stray '&' in text or attributes, no control
 * characters but \n and \t, no CDATA.  Counts the elements named NAME. */
static void check_xml(const char *x, const char *name, int *count)
{
	const char *stack[32];
	size_t stack_len[32];
	int depth = 0, roots = 0;
	const char *p = x;

	*count = 0;
	assert_true(strncmp(p, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) == 0);
	p += 39;
	assert_null(strstr(p, "<![CDATA["));
	assert_null(strstr(p, "]]>"));
	while (*p) {
		if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
			fail_msg("control character %#x at offset %td", *p, p - x);
		if (*p == '&') {
			if (!entity_ok(p + 1))
				fail_msg("stray & at offset %td", p - x);
			p++;
			continue;
		}
		if (*p != '<') {
			if (depth == 0 && !strchr(" \n\t", *p))
				fail_msg("text outside the root at offset %td", p - x);
			p++;
			continue;
		}
		p++;
		if (*p == '/') {
			size_t n = strcspn(++p, ">");

			assert_true(depth > 0);
			depth--;
			if (n != stack_len[depth] || strncmp(p, stack[depth], n) != 0)
				fail_msg("</%.*s> closes <%.*s>", (int)n, p, (int)stack_len[depth],
					 stack[depth]);
			p += n + 1;
			continue;
		}
		{
			const char *tag = p;
			size_t n = strcspn(p, " />");

			assert_true(n > 0);
			if (n == strlen(name) && strncmp(tag, name, n) == 0)
				(*count)++;
			p += n;
			for (;;) {
				p += strspn(p, " \n\t");
				if (*p == '>' || strncmp(p, "/>", 2) == 0)
					break;
				p += strcspn(p, "=");
				assert_int_equal(*p++, '=');
				assert_int_equal(*p++, '"');
				for (; *p != '"'; p++) {
					assert_true(*p && *p != '<' && *p != '\n');
					if (*p == '&' && !entity_ok(p + 1))
						fail_msg("stray & in an attribute at %td", p - x);
				}
				p++;
			}
			if (depth == 0)
				roots++;
			if (*p == '/') {
				p += 2;
				continue;
			}
			assert_true(depth < 32);
			stack[depth] = tag;
			stack_len[depth] = n;
			depth++;
			p++;
		}
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
}

static void test_junit(void **state)
{
	struct gt_report r;
	struct gt_error err = {0};
	char *path = tpath("junit.xml"), *x;
	int n;

	build(&r);
	assert_int_equal(gt_report_junit(&r, path, &err), GT_OK);
	x = slurp(path);
	check_xml(x, "testcase", &n);
	assert_int_equal(n, 4);
	check_xml(x, "failure", &n);
	assert_int_equal(n, 1);
	check_xml(x, "error", &n);
	assert_int_equal(n, 1);
	check_xml(x, "system-out", &n);
	assert_int_equal(n, 1);
	assert_non_null(strstr(x, "<testsuites name=\"gtdiff\" tests=\"4\" failures=\"1\" "
				  "errors=\"1\" time=\"0.653\">\n"
				  "  <testsuite name=\"gtdiff\" tests=\"4\" failures=\"1\" "
				  "errors=\"1\" skipped=\"0\" time=\"0.653\">\n"));
	assert_non_null(strstr(x, "    <testcase classname=\"gtdiff\" name=\"alpha\" "
				  "time=\"0.120\"/>\n"));
	assert_non_null(strstr(x, "<testcase classname=\"gtdiff\" name=\"gamma\" time=\"0.400\">"
				  "\n      <failure message=\"sequence, counts\" "
				  "type=\"regression\">- calls of openat: 12, band [10, 10], "
				  "golden median 10\n- calls of read"));
	/* The diff, escaped, with the control character gone. */
	assert_non_null(strstr(x, "-read(3, &quot;&lt;a &amp; &apos;b&apos;&gt;&quot;, 9) = 9\n"
				  "+read(3, &quot;]]&gt; \\&quot;x\\&quot; \\x01&quot;, 9) = 9\n"));
	assert_non_null(strstr(x, "kept the new run as golden_traces/gamma.new.json; accept it "
				  "with: gtdiff update --accept gamma\n</failure>"));
	assert_non_null(strstr(x, "<error message=\"golden_traces/delta.json:3:7: expected an "
				  "object\" type=\"error\">"));
	assert_non_null(strstr(x, "<system-out>improved: timing better beyond the band; run "
				  "&apos;gtdiff update beta&apos;\n- wall_s"));
	assert_null(strstr(x, "obsolete goldens"));
	free(x);

	/* Specials in names and messages; obsolete goldens as a failing case. */
	r.cases[3].error[0] = '\x01';
	free(r.cases[0].name);
	r.cases[0].name = xstrdup("a<b>&\"c\"\n\r\x7f\xff\xef\xbf\xbe");
	gt_report_add_obsolete(&r, "golden_traces/old&.json");
	r.obsolete_fail = true;
	assert_int_equal(gt_report_junit(&r, path, NULL), GT_OK);
	x = slurp(path);
	check_xml(x, "testcase", &n);
	assert_int_equal(n, 5);
	check_xml(x, "failure", &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(x, "tests=\"5\" failures=\"2\" errors=\"1\""));
	assert_non_null(strstr(x, "name=\"a&lt;b&gt;&amp;&quot;c&quot;&#10;\x7f"
				  "\xef\xbf\xbd\xef\xbf\xbd\""));
	assert_non_null(strstr(x, "<testcase classname=\"gtdiff\" name=\"obsolete goldens\" "
				  "time=\"0.000\">\n      <failure message=\"1 obsolete golden\" "
				  "type=\"obsolete\">golden_traces/old&amp;.json (no case refers "
				  "to it)\n</failure>"));
	free(x);
	gt_report_free(&r);

	/* An empty report is still a document. */
	assert_int_equal(gt_report_junit(&r, path, NULL), GT_OK);
	x = slurp(path);
	check_xml(x, "testcase", &n);
	assert_int_equal(n, 0);
	free(x);
	free(path);
}

/* ---- GitHub ------------------------------------------------------------- */

static char *github_of(const struct gt_report *r, const char *summary)
{
	struct gt_error err = {0};
	FILE *f = tmpfile();
	char *buf;
	long n;

	assert_non_null(f);
	if (gt_report_github(r, f, summary, &err) != GT_OK)
		fail_msg("%s", err.msg);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_github(void **state)
{
	struct gt_report r;
	char *t;

	build(&r);
	gt_report_add_obsolete(&r, "golden_traces/old.json");
	t = github_of(&r, NULL);
	assert_string_equal(t,
			    "::notice title=gtdiff beta::improved: timing better beyond the "
			    "band; run 'gtdiff update beta'\n"
			    "::error title=gtdiff gamma::regression: sequence, counts"
			    "%0Acalls of openat: 12, band [10, 10], golden median 10"
			    "%0Acalls of read: 3, band [2, 2], golden median 2\n"
			    "::group::gtdiff diff: gamma\n" DIFF_SHOWN "::endgroup::\n"
			    "::error title=gtdiff delta::golden_traces/delta.json:3:7: "
			    "expected an object\n"
			    "::warning title=gtdiff obsolete golden::golden_traces/old.json "
			    "(no case refers to it)\n");
	free(t);
	gt_report_free(&r);
}

/* ---- headroom and grouped count changes in every report -------------- */

/* A passing case that measured wall 0.2 s of a 1 s budget; a failing one
 * whose two count changes follow from a new process and one does not. */
static void build_headroom(struct gt_report *r)
{
	struct gt_case_result *c;
	struct gt_headroom_metric *m;

	memset(r, 0, sizeof(*r));
	add_pass(r, "alpha");
	m = &r->cases[0].headroom.m[GT_METRIC_WALL];
	m->have = m->has_budget = m->has_band = m->has_golden = true;
	m->value = m->worst = 0.2;
	m->budget = 1;
	m->lo = 0.15;
	m->hi = 0.25;
	m->golden_median = 0.2;
	c = gt_report_add(r, "gamma");
	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->verdict.kinds = GT_KIND_SEQUENCE | GT_KIND_COUNTS;
	add_violation(c, GT_KIND_SEQUENCE, false, "sequence", 30, 0, 0, 0,
		      "sequence: 30 changed lines");
	add_violation(c, GT_KIND_COUNTS, false, "calls of execve", 2, 1, 1, 1,
		      "calls of execve: 2, band [1, 1], golden median 1");
	add_violation(c, GT_KIND_COUNTS, false, "calls of openat", 7, 3, 3, 3,
		      "calls of openat: 7, band [3, 3], golden median 3");
	add_violation(c, GT_KIND_COUNTS, false, "calls of read", 30, 2, 2, 2,
		      "calls of read: 30, band [2, 2], golden median 2");
	c->verdict.v[1].explained = c->verdict.v[2].explained = true;
	c->verdict.explained_by = xstrdup("the new process p2");
	c->diff_text = xstrdup(DIFF);
	c->golden_path = xstrdup("golden_traces/gamma.json");
	c->seconds = 0.4;
}

static void test_headroom_reports(void **state)
{
	struct gt_text_opts folded = {.diffs_folded = true};
	struct gt_report r;
	char *path = tpath("hr.json"), *sum = tpath("hr.md"), *t, *x;
	struct gt_error err = {0};
	FILE *f;
	long n;

	(void)state;
	build_headroom(&r);
	/* Text: the headroom with -v only; the grouped count changes in one
	 * line, in full with -v; the unexplained one on its own. */
	t = text_of(&r, false, 0);
	assert_null(strstr(t, "headroom"));
	assert_non_null(strstr(t, "  - sequence: 30 changed lines\n"
				  "    (+ 2 count changes from the new process p2: execve +1, "
				  "openat +4)\n"
				  "  - calls of read: 30, band [2, 2], golden median 2\n"));
	assert_null(strstr(t, "calls of openat"));
	free(t);
	t = text_of(&r, false, 1);
	assert_non_null(strstr(t, "PASS      alpha  (0.12 s)\n"
				  "  headroom: wall 200 ms of 1 s budget (20%), band [150, 250] ms\n"));
	assert_non_null(strstr(t, "    (+ 2 count changes from the new process p2)\n"
				  "      - calls of execve: 2, band [1, 1], golden median 1\n"
				  "      - calls of openat: 7, band [3, 3], golden median 3\n"
				  "  - calls of read: 30"));
	free(t);
	/* The diff went out folded in the GitHub annotations: not again. */
	f = tmpfile();
	assert_non_null(f);
	gt_report_text(&r, &folded, f);
	n = ftell(f);
	rewind(f);
	t = xcalloc((size_t)n + 1, 1);
	assert_int_equal(fread(t, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	assert_null(strstr(t, "-read"));
	assert_non_null(strstr(t, "  the diff is in the folded group 'gtdiff diff: gamma' above\n"));
	free(t);
	/* JSON: the numbers and the line; the explained flag. */
	assert_int_equal(gt_report_json(&r, path, &err), GT_OK);
	x = slurp(path);
	assert_non_null(strstr(x, "\"headroom\": {\n        \"text\": \"wall 200 ms of 1 s budget "
				  "(20%), band [150, 250] ms\",\n        \"wall_s\": 0.2,"));
	assert_non_null(strstr(x, "\"wall_budget_used_pct\": 20.0"));
	assert_non_null(strstr(x, "\"headroom\": null"));
	assert_non_null(strstr(x, "\"explained\": true"));
	free(x);
	/* JUnit: properties of the passing case. */
	assert_int_equal(gt_report_junit(&r, path, &err), GT_OK);
	x = slurp(path);
	assert_non_null(strstr(x, "<testcase classname=\"gtdiff\" name=\"alpha\" time=\"0.120\">\n"
				  "      <properties>\n"
				  "        <property name=\"gtdiff.headroom\" value=\"wall 200 ms of "
				  "1 s budget (20%), band [150, 250] ms\"/>\n"
				  "        <property name=\"gtdiff.wall_s\" value=\"0.2\"/>\n"));
	assert_non_null(strstr(x, "<property name=\"gtdiff.wall_budget_used_pct\" value=\"20\"/>\n"
				  "        <property name=\"gtdiff.wall_band_lo_s\" value=\"0.15\"/>\n"));
	assert_non_null(strstr(x, "      </properties>\n    </testcase>\n"
				  "    <testcase classname=\"gtdiff\" name=\"gamma\" time=\"0.400\">\n"
				  "      <failure"));
	free(x);
	/* GitHub: the annotation and the step summary group them too. */
	t = github_of(&r, sum);
	assert_non_null(strstr(t, "regression: sequence, counts%0Asequence: 30 changed lines"
				  "%0A(+ 2 count changes from the new process p2: execve +1, "
				  "openat +4)%0Acalls of read: 30"));
	free(t);
	x = slurp(sum);
	assert_non_null(strstr(x, "| alpha | pass |  | 0.12 s | wall 200 ms of 1 s budget (20%), "
				  "band \\[150, 250\\] ms |\n"));
	assert_non_null(strstr(x, "- sequence: 30 changed lines\n  - (+ 2 count changes from the "
				  "new process p2: execve +1, openat +4)\n- calls of read"));
	free(x);
	unlink(path);
	unlink(sum);
	free(path);
	free(sum);
	gt_report_free(&r);
}

static void test_github_escaping(void **state)
{
	struct gt_report r = {0};
	struct gt_case_result *c;
	char *t, *tok, *end;

	c = gt_report_add(&r, "a:b,c%d");
	c->verdict.verdict = GT_VERDICT_ERROR;
	c->error = xstrdup("50% done\r\nthen: stopped, badly");
	c = gt_report_add(&r, "many");
	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->verdict.kinds = GT_KIND_COUNTS;
	for (int i = 0; i < 7; i++)
		add_violation(c, GT_KIND_COUNTS, false, "m", i, 0, 0, 0, "v");
	/* A diff line the runner would take for a command. */
	c->diff_text = xstrdup(" ok\n  ::add-mask::secret\n+x");
	r.obsolete_fail = true;
	gt_report_add_obsolete(&r, "old,1:2.json");
	t = github_of(&r, NULL);
	/* The message's own CR LF are escaped (escape.h) before the runner's
	 * rules apply: they cannot start a line of the annotation. */
	assert_true(strncmp(t,
			    "::error title=gtdiff a%3Ab%2Cc%25d::50%25 done\\r\\nthen: "
			    "stopped, badly\n"
			    "::error title=gtdiff many::regression: counts%0Av%0Av%0Av%0Av%0Av"
			    "%0Aand 2 more\n"
			    "::group::gtdiff diff: many\n::stop-commands::gtdiff-",
			    strlen("::error title=gtdiff a%3Ab%2Cc%25d::50%25 done\\r\\nthen: "
				   "stopped, badly\n::error title=gtdiff many::regression: "
				   "counts%0Av%0Av%0Av%0Av%0Av%0Aand 2 more\n"
				   "::group::gtdiff diff: many\n::stop-commands::gtdiff-")) == 0);
	tok = strstr(t, "::stop-commands::") + strlen("::stop-commands::");
	end = strchr(tok, '\n');
	assert_int_equal(end - tok, strlen("gtdiff-") + 32);
	*end = '\0';
	{
		char *rest = xasprintf(" ok\n  :\\:add-mask::secret\n+x\n::%s::\n::endgroup::\n"
				       "::error title=gtdiff obsolete golden::old,1:2.json "
				       "(no case refers to it)\n", tok);

		assert_string_equal(end + 1, rest);
		free(rest);
	}
	free(t);

	/* Nothing to say for a passing run. */
	gt_report_free(&r);
	add_pass(&r, "a");
	t = github_of(&r, NULL);
	assert_string_equal(t, "");
	free(t);
	gt_report_free(&r);
}

static void test_summary(void **state)
{
	struct gt_report r;
	char *path = tpath("summary.md"), *t, *s, *first, *second;
	FILE *f;

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("## an earlier step\n", f);
	fclose(f);

	build(&r);
	gt_report_add_obsolete(&r, "golden_traces/old.json");
	free(r.cases[0].name);
	r.cases[0].name = xstrdup("a|b<c>*d*");
	t = github_of(&r, path);
	free(t);
	s = slurp(path);
	assert_true(strncmp(s, "## an earlier step\n\n### gtdiff\n\n",
			    strlen("## an earlier step\n\n### gtdiff\n\n")) == 0);
	first = strstr(s, "### gtdiff\n");
	assert_string_equal(first,
			    "### gtdiff\n\n"
			    "| case | verdict | kinds | time | headroom |\n"
			    "|---|---|---|---:|---|\n"
			    "| a\\|b&lt;c&gt;\\*d\\* | pass |  | 0.12 s |  |\n"
			    "| beta | improved | timing | 0.12 s |  |\n"
			    "| gamma | **regression** | sequence, counts | 0.40 s |  |\n"
			    "| delta | **error** |  | 0.01 s |  |\n"
			    "\n2 passed, 1 failed, 1 error\n\n"
			    "- error in **delta**: golden\\_traces/delta.json:3:7: expected an "
			    "object\n"
			    "- obsolete golden: golden\\_traces/old.json (no case refers to it)\n"
			    "\n"
			    "<details><summary>gamma diff</summary>\n\n"
			    "- calls of openat: 12, band \\[10, 10\\], golden median 10\n"
			    "- calls of read: 3, band \\[2, 2\\], golden median 2\n"
			    "\n```diff\n" DIFF_SHOWN "```\n"
			    "\n</details>\n\n");
	free(s);

	/* Appended a second time: both sections and the earlier step stay. */
	t = github_of(&r, path);
	free(t);
	s = slurp(path);
	assert_true(strncmp(s, "## an earlier step\n", strlen("## an earlier step\n")) == 0);
	first = strstr(s, "### gtdiff\n");
	assert_non_null(first);
	second = strstr(first + 1, "### gtdiff\n");
	assert_non_null(second);
	assert_null(strstr(second + 1, "### gtdiff\n"));
	assert_true(second[-1] == '\n' && second[-2] == '\n');
	assert_int_equal(strlen(first), 2 * strlen(second) + 1);
	free(s);
	gt_report_free(&r);

	/* A diff holding a fence gets a longer one; a missing file is created. */
	unlink(path);
	memset(&r, 0, sizeof(r));
	add_regression(&r);
	free(r.cases[0].diff_text);
	r.cases[0].diff_text = xstrdup("+```\n+x");
	t = github_of(&r, path);
	free(t);
	s = slurp(path);
	assert_non_null(strstr(s, "\n````diff\n+```\n+x\n````\n"));
	assert_true(strncmp(s, "### gtdiff\n", 11) == 0);
	free(s);
	gt_report_free(&r);
	free(path);
}

static void test_summary_error(void **state)
{
	struct gt_report r;
	struct gt_error err = {0};
	char *path = tpath("no-such-dir/summary.md");
	FILE *f = tmpfile();

	assert_non_null(f);
	build(&r);
	assert_int_equal(gt_report_github(&r, f, path, &err), GT_ERR_IO);
	assert_non_null(strstr(err.msg, path));
	/* The annotations were still written. */
	assert_true(ftell(f) > 0);
	fclose(f);
	/* No annotation stream: the summary alone. */
	assert_int_equal(gt_report_github(&r, NULL, path, NULL), GT_ERR_IO);
	/* An empty $GITHUB_STEP_SUMMARY is no summary. */
	assert_int_equal(gt_report_github(&r, NULL, "", NULL), GT_OK);
	gt_report_free(&r);
	free(path);
}

/* ---- a run cut short by a signal ------------------------------------- */

/* Every format says so, with the cases decided before the signal. */
static void test_interrupted(void **state)
{
	struct gt_report r = {0};
	char *path = tpath("interrupted.json"), *xpath = tpath("interrupted.xml");
	char *spath = tpath("interrupted.md"), *x, *t;
	json_t *j;
	json_error_t jerr;
	int n;

	add_pass(&r, "alpha");
	r.interrupted = SIGTERM;
	r.planned = 3;

	assert_int_equal(gt_report_json(&r, path, NULL), GT_OK);
	x = slurp(path);
	j = json_loads(x, JSON_REJECT_DUPLICATES, &jerr);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "interrupted")), "SIGTERM");
	assert_int_equal(json_integer_value(json_object_get(j, "planned")), 3);
	assert_int_equal(json_array_size(json_object_get(j, "cases")), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(j, "cases"), 0), "name")),
			    "alpha");
	json_decref(j);
	free(x);

	assert_int_equal(gt_report_junit(&r, xpath, NULL), GT_OK);
	x = slurp(xpath);
	check_xml(x, "testcase", &n);
	assert_int_equal(n, 2);
	check_xml(x, "error", &n);
	assert_int_equal(n, 1);
	check_xml(x, "property", &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(x, "tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"0\""));
	assert_non_null(strstr(x, "    <properties>\n"
				  "      <property name=\"interrupted\" value=\"SIGTERM\"/>\n"
				  "      <property name=\"planned\" value=\"3\"/>\n"
				  "    </properties>\n"
				  "    <testcase classname=\"gtdiff\" name=\"alpha\""));
	assert_non_null(strstr(x, "<testcase classname=\"gtdiff\" name=\"run interrupted\" "
				  "time=\"0.000\">\n      <error message=\"interrupted by SIGTERM; "
				  "1 of 3 cases done, the rest not run\" type=\"interrupted\">"));
	free(x);

	t = github_of(&r, spath);
	assert_string_equal(t, "::error title=gtdiff interrupted::interrupted by SIGTERM; 1 of 3 "
			       "cases done, the rest not run\n");
	free(t);
	x = slurp(spath);
	assert_true(strncmp(x, "### gtdiff\n\n**interrupted by SIGTERM; 1 of 3 cases done, the "
			       "rest not run**\n\n| case |",
			    strlen("### gtdiff\n\n**interrupted by SIGTERM; 1 of 3 cases done, "
				   "the rest not run**\n\n| case |")) == 0);
	assert_non_null(strstr(x, "\n1 passed, 0 failed (interrupted by SIGTERM)\n"));
	free(x);

	/* Not interrupted: none of it. */
	r.interrupted = 0;
	assert_int_equal(gt_report_json(&r, path, NULL), GT_OK);
	x = slurp(path);
	assert_null(strstr(x, "interrupted"));
	assert_null(strstr(x, "planned"));
	free(x);
	assert_int_equal(gt_report_junit(&r, xpath, NULL), GT_OK);
	x = slurp(xpath);
	assert_null(strstr(x, "interrupted"));
	assert_null(strstr(x, "properties"));
	free(x);
	t = github_of(&r, NULL);
	assert_string_equal(t, "");
	free(t);
	gt_report_free(&r);
	free(path);
	free(xpath);
	free(spath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_exit),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_quiet),
		cmocka_unit_test(test_text_verbose),
		cmocka_unit_test(test_text_color),
		cmocka_unit_test(test_text_obsolete),
		cmocka_unit_test(test_text_escaping),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_odd_values),
		cmocka_unit_test(test_json_io_error),
		cmocka_unit_test(test_junit),
		cmocka_unit_test(test_github),
		cmocka_unit_test(test_github_escaping),
		cmocka_unit_test(test_headroom_reports),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_error),
		cmocka_unit_test(test_interrupted),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

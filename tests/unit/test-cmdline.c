/*
 * test-cmdline: the option-value parsers (numbers, durations, NAME=VALUE,
 * path rules) with their bounds and messages, string lists, and the capture
 * options every capturing command shares.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cmdline.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"

/* Fail unless ERR's message is exactly WANT. */
#define assert_msg(err, want)                                                            \
	do {                                                                              \
		if (strcmp((err).msg, (want)) != 0)                                       \
			fail_msg("message is \"%s\", wanted \"%s\"", (err).msg, (want));  \
	} while (0)

/* ---- string lists ---- */

static void test_strlist(void **state)
{
	struct gt_strlist l = {0};
	char buf[32];

	gt_strlist_add(&l, "a");
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "a");
	assert_null(l.v[1]);
	gt_strlist_add(&l, "b");
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1], "b");
	assert_null(l.v[2]);
	/* The strings are borrowed, not copied. */
	strcpy(buf, "c");
	gt_strlist_add(&l, buf);
	assert_ptr_equal(l.v[2], buf);
	for (int i = 0; i < 100; i++)
		gt_strlist_add(&l, "x");
	assert_int_equal(l.n, 103);
	assert_null(l.v[103]);
	assert_string_equal(l.v[0], "a");
	assert_string_equal(l.v[102], "x");
	gt_strlist_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.cap, 0);
	gt_strlist_free(&l);
}

/* ---- whole numbers ---- */

static void uint_ok(const char *s, unsigned min, unsigned max, unsigned want)
{
	struct gt_error err = {0};
	unsigned out = 12345;

	if (gt_parse_uint(s, min, max, &out, "--n", &err) != GT_OK)
		fail_msg("'%s' in [%u, %u] rejected: %s", s, min, max, err.msg);
	assert_int_equal(out, want);
}

static void uint_bad(const char *s, unsigned min, unsigned max)
{
	struct gt_error err = {0};
	unsigned out = 12345;
	char want[256];

	if (gt_parse_uint(s, min, max, &out, "--n", &err) != GT_ERR_USAGE)
		fail_msg("'%s' in [%u, %u] accepted as %u", s ? s : "(null)", min, max, out);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	/* The output is left alone. */
	assert_int_equal(out, 12345);
	snprintf(want, sizeof(want), "--n: '%s' is not a whole number from %u to %u",
		 s ? s : "", min, max);
	assert_msg(err, want);
}

static void test_parse_uint(void **state)
{
	unsigned out = 7;

	uint_ok("1", 1, 1000, 1);
	uint_ok("1000", 1, 1000, 1000);
	uint_ok("3", 1, 1000, 3);
	uint_ok("0", 0, 10, 0);
	uint_ok("10", 0, 10, 10);
	uint_ok("5", 5, 5, 5);
	uint_ok("4294967295", 0, UINT_MAX, UINT_MAX);
	uint_ok("4294967294", 0, UINT_MAX, UINT_MAX - 1);

	uint_bad("0", 1, 1000);
	uint_bad("1001", 1, 1000);
	uint_bad("4", 5, 5);
	uint_bad("6", 5, 5);
	uint_bad("", 1, 1000);
	uint_bad("-1", 0, 1000);
	uint_bad("-0", 0, 1000);
	uint_bad("+1", 0, 1000);
	uint_bad("1x", 1, 1000);
	uint_bad("x1", 1, 1000);
	uint_bad("1.0", 1, 1000);
	uint_bad("1 ", 1, 1000);
	uint_bad(" 1", 1, 1000);
	uint_bad("0x10", 0, 1000);
	uint_bad("99999999999", 0, UINT_MAX);
	uint_bad("99999999999", 1, 1000);
	uint_bad("4294967296", 0, UINT_MAX);
	uint_bad("18446744073709551615", 0, UINT_MAX);
	uint_bad("18446744073709551616", 0, UINT_MAX);
	uint_bad("999999999999999999999999", 0, UINT_MAX);
	uint_bad(NULL, 1, 1000);

	/* With no error record, only the code. */
	assert_int_equal(gt_parse_uint("x", 0, 9, &out, "--n", NULL), GT_ERR_USAGE);
	assert_int_equal(out, 7);
}

/* ---- durations ---- */

static void seconds_ok(const char *s, double want)
{
	struct gt_error err = {0};
	double out = -1;

	if (gt_parse_seconds(s, &out, "--timeout", &err) != GT_OK)
		fail_msg("'%s' rejected: %s", s, err.msg);
	if (fabs(out - want) > 1e-12 * want)
		fail_msg("'%s' is %.17g s, wanted %.17g", s, out, want);
}

static void seconds_bad(const char *s)
{
	struct gt_error err = {0};
	double out = -1;
	char want[256];

	if (gt_parse_seconds(s, &out, "--timeout", &err) != GT_ERR_USAGE)
		fail_msg("'%s' accepted as %g s", s ? s : "(null)", out);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	assert_true(out == -1);
	snprintf(want, sizeof(want),
		 "--timeout: '%s' is not a duration (e.g. 60, 1.5s, 500ms, 2m)", s ? s : "");
	assert_msg(err, want);
}

static void test_parse_seconds(void **state)
{
	double out = 3;

	seconds_ok("60", 60);
	seconds_ok("1.5", 1.5);
	seconds_ok("1.5s", 1.5);
	seconds_ok("60s", 60);
	seconds_ok("500ms", 0.5);
	seconds_ok("1ms", 0.001);
	seconds_ok("2m", 120);
	seconds_ok("1.5m", 90);
	seconds_ok("0.25", 0.25);
	seconds_ok(".5", 0.5);

	seconds_bad("0");
	seconds_bad("0s");
	seconds_bad("0ms");
	seconds_bad("0.0");
	seconds_bad("-1");
	seconds_bad("-1s");
	seconds_bad("abc");
	seconds_bad("1h");
	seconds_bad("1d");
	seconds_bad("1 s");
	seconds_bad("1sec");
	seconds_bad("1ss");
	seconds_bad("1msx");
	seconds_bad("5 ");
	seconds_bad("");
	seconds_bad(" 5");
	seconds_bad("\t5");
	seconds_bad("s");
	seconds_bad("ms");
	seconds_bad("m");
	seconds_bad("nan");
	seconds_bad("inf");
	seconds_bad("infinity");
	seconds_bad("1e400");
	seconds_bad(NULL);

	assert_int_equal(gt_parse_seconds("x", &out, "--t", NULL), GT_ERR_USAGE);
	assert_true(out == 3);
}

/* ---- NAME=VALUE ---- */

static void env_ok(const char *s)
{
	struct gt_error err = {0};

	if (gt_parse_env_assign(s, &err) != GT_OK)
		fail_msg("'%s' rejected: %s", s, err.msg);
}

static void env_bad(const char *s)
{
	struct gt_error err = {0};
	char want[256];

	if (gt_parse_env_assign(s, &err) != GT_ERR_USAGE)
		fail_msg("'%s' accepted", s);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	snprintf(want, sizeof(want), "--env: '%s' is not NAME=VALUE", s);
	assert_msg(err, want);
}

static void test_parse_env_assign(void **state)
{
	env_ok("A=b");
	env_ok("A=");
	env_ok("_X1=y");
	env_ok("_=y");
	env_ok("lower_case=1");
	env_ok("PATH=/usr/bin:/bin");
	/* Only the first '=' ends the name; the value may hold anything. */
	env_ok("A=b=c");
	env_ok("A==");
	env_ok("A= spaced value ");

	env_bad("=x");
	env_bad("=");
	env_bad("1A=x");
	env_bad("9=x");
	env_bad("A-B=x");
	env_bad("A B=x");
	env_bad("A.B=x");
	env_bad(" A=x");
	env_bad("\xc3\xa9=x");
	env_bad("noequals");
	env_bad("");

	assert_int_equal(gt_parse_env_assign("=", NULL), GT_ERR_USAGE);
}

/* ---- path rules ---- */

static void rule_ok(const char *s, const char *prefix, const char *as)
{
	struct gt_error err = {0};
	struct gt_path_rule r = {0};
	char *copy = xstrdup(s);

	if (gt_parse_path_rule(copy, &r, &err) != GT_OK)
		fail_msg("'%s' rejected: %s", s, err.msg);
	assert_string_equal(r.prefix, prefix);
	assert_string_equal(r.as, as);
	/* Both point into the argument. */
	assert_ptr_equal(r.prefix, copy);
	assert_true(r.as > copy && r.as < copy + strlen(s));
	free(copy);
}

static void rule_bad(const char *s)
{
	struct gt_error err = {0};
	struct gt_path_rule r = {"untouched", "untouched"};
	char *copy = xstrdup(s);
	char want[256];

	if (gt_parse_path_rule(copy, &r, &err) != GT_ERR_USAGE)
		fail_msg("'%s' accepted as %s -> %s", s, r.prefix, r.as);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	/* The message quotes the argument whole, then says what is wrong. */
	snprintf(want, sizeof(want), "--path-prefix: '%s'", s);
	if (strncmp(err.msg, want, strlen(want)) != 0)
		fail_msg("message is \"%s\", wanted it to start \"%s\"", err.msg, want);
	/* Neither the argument nor the output is changed. */
	assert_string_equal(copy, s);
	assert_string_equal(r.prefix, "untouched");
	assert_string_equal(r.as, "untouched");
	free(copy);
}

static void test_parse_path_rule(void **state)
{
	rule_ok("/opt/build=$BUILD", "/opt/build", "$BUILD");
	rule_ok("/srv=$S", "/srv", "$S");
	/* Trailing slashes go, as in gtdiff.yaml. */
	rule_ok("/opt/build/=$B", "/opt/build", "$B");
	/* The last '=' separates, so a prefix may contain '='. */
	rule_ok("/a=b=$X", "/a=b", "$X");

	rule_bad("opt=$X");
	rule_bad("opt/build=$X");
	rule_bad("/opt=X");
	rule_bad("/opt=$");
	rule_bad("/opt=");
	rule_bad("/opt");
	rule_bad("/opt$X");
	rule_bad("=$X");
	rule_bad("");
	rule_bad("/opt=$X=y");
	/* What gtdiff.yaml's canonicalize.paths refuses, with its reason. */
	rule_bad("/=$ROOT");
	rule_bad("//=$ROOT");
	rule_bad("/opt=$1X");
	rule_bad("/opt=$A-B");
}

static void shard_ok(const char *s, unsigned wi, unsigned wn)
{
	struct gt_error err = {0};
	unsigned i = 0, n = 0;

	if (gt_parse_shard(s, &i, &n, &err) != GT_OK)
		fail_msg("'%s' rejected: %s", s, err.msg);
	assert_int_equal(i, wi);
	assert_int_equal(n, wn);
}

static void shard_bad(const char *s)
{
	struct gt_error err = {0};
	unsigned i = 7, n = 7;
	char want[256];

	if (gt_parse_shard(s, &i, &n, &err) != GT_ERR_USAGE)
		fail_msg("'%s' accepted as %u/%u", s, i, n);
	snprintf(want, sizeof(want), "--shard: '%s' is not I/N with 1 <= I <= N <= 4294967295",
		 s);
	assert_msg(err, want);
	assert_int_equal(i, 7);
	assert_int_equal(n, 7);
}

static void test_parse_shard(void **state)
{
	(void)state;
	shard_ok("1/1", 1, 1);
	shard_ok("2/3", 2, 3);
	shard_ok("1/4294967295", 1, 4294967295u);
	shard_bad("1/99999999999999999999");
	shard_bad("99999999999999999999/99999999999999999999");
	shard_bad("4294967297/4294967298");
	shard_bad("1/4294967296");
	shard_bad("0/1");
	shard_bad("2/1");
	shard_bad("1/0");
	shard_bad("1/2x");
	shard_bad("1/ 2");
	shard_bad("-1/2");
	shard_bad("1/-2");
	shard_bad("+1/2");
	shard_bad("1");
	shard_bad("1/");
	shard_bad("/1");
	shard_bad("");
}

/* ---- capture options ---- */

static void test_cli_defaults(void **state)
{
	struct gt_capture_cli c;
	char *argv[] = {(char *)(uintptr_t)"prog", NULL};

	memset(&c, 0xa5, sizeof(c));
	gt_capture_cli_init(&c);
	assert_int_equal(c.rec.backend, gt_backend_default());
	assert_int_equal(c.rec.runs, 1);
	assert_true(c.rec.timeout_s == 0);
	assert_null(c.rec.cwd);
	assert_null(c.rec.stdin_path);
	assert_false(c.rec.canon.keep_loader_probes);
	assert_false(c.rec.canon.no_collapse_repeats);
	assert_false(c.unordered_given);
	assert_int_equal(c.nrules, 0);
	assert_int_equal(c.env_set.n, 0);

	gt_capture_cli_finish(&c, argv);
	assert_ptr_equal(c.rec.argv, argv);
	/* Not given: the built-in unordered list. */
	assert_ptr_equal(c.rec.canon.unordered, gt_canon_default_unordered);
	assert_int_equal(c.rec.canon.nunordered, gt_canon_default_nunordered);
	assert_true(gt_canon_default_nunordered >= 2);
	{
		bool futex = false, yield = false;

		for (size_t i = 0; i < c.rec.canon.nunordered; i++) {
			futex |= strcmp(c.rec.canon.unordered[i], "futex") == 0;
			yield |= strcmp(c.rec.canon.unordered[i], "sched_yield") == 0;
		}
		assert_true(futex);
		assert_true(yield);
	}
	assert_int_equal(c.rec.canon.nrules, 0);
	assert_int_equal(c.rec.canon.nignore, 0);
	assert_null(c.rec.env_set);
	assert_null(c.rec.env_keep);
	gt_capture_cli_free(&c);
}

static void test_cli_runs_backend(void **state)
{
	struct gt_capture_cli c;
	struct gt_error err = {0};
	char three[] = "3", zero[] = "0", big[] = "1001", junk[] = "2x";
	char seccomp[] = "seccomp", autob[] = "auto", ptrace[] = "ptrace", bogus[] = "bogus";
	char half[] = "500ms", never[] = "0";

	gt_capture_cli_init(&c);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_RUNS, three, &err), 1);
	assert_int_equal(c.rec.runs, 3);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_RUNS, zero, &err), -1);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	assert_msg(err, "--runs: '0' is not a whole number from 1 to 1000");
	assert_int_equal(c.rec.runs, 3);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_RUNS, big, &err), -1);
	assert_msg(err, "--runs: '1001' is not a whole number from 1 to 1000");
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_RUNS, junk, &err), -1);
	assert_int_equal(c.rec.runs, 3);

	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_BACKEND, seccomp, &err), 1);
	assert_int_equal(c.rec.backend, GT_BACKEND_SECCOMP);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_BACKEND, autob, &err), 1);
	assert_int_equal(c.rec.backend, GT_BACKEND_AUTO);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_BACKEND, ptrace, &err), 1);
	assert_int_equal(c.rec.backend, GT_BACKEND_PTRACE);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_BACKEND, bogus, &err), -1);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "--backend"));
	assert_non_null(strstr(err.msg, "'bogus'"));
#ifdef HAVE_EBPF
	assert_msg(err, "--backend: 'bogus' is not one of ptrace seccomp auto ebpf");
#else
	assert_msg(err, "--backend: 'bogus' is not one of ptrace seccomp auto");
#endif
	assert_int_equal(c.rec.backend, GT_BACKEND_PTRACE);

	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_TIMEOUT, half, &err), 1);
	assert_true(fabs(c.rec.timeout_s - 0.5) < 1e-12);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_TIMEOUT, never, &err), -1);
	assert_msg(err, "--timeout: '0' is not a duration (e.g. 60, 1.5s, 500ms, 2m)");
	assert_true(fabs(c.rec.timeout_s - 0.5) < 1e-12);
	gt_capture_cli_free(&c);
}

static void test_cli_lists(void **state)
{
	struct gt_capture_cli c;
	struct gt_error err = {0};
	char env1[] = "A=1", env2[] = "B=", envbad[] = "1X=2", keep[] = "HOME";
	char dir[] = "/some/dir", in[] = "input.txt";
	char un1[] = "poll", un2[] = "epoll_wait", ign[] = "getrandom";
	char badsys[] = "nosuch", typo[] = "opnat";
	char *argv[] = {(char *)(uintptr_t)"cmd", (char *)(uintptr_t)"arg", NULL};

	gt_capture_cli_init(&c);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_ENV, env1, &err), 1);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_ENV, envbad, &err), -1);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	assert_msg(err, "--env: '1X=2' is not NAME=VALUE");
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_ENV, env2, &err), 1);
	assert_int_equal(c.env_set.n, 2);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_KEEP_ENV, keep, &err), 1);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_CWD, dir, &err), 1);
	assert_ptr_equal(c.rec.cwd, dir);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_STDIN, in, &err), 1);
	assert_ptr_equal(c.rec.stdin_path, in);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_UNORDERED, un1, &err), 1);
	assert_true(c.unordered_given);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_UNORDERED, un2, &err), 1);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_IGNORE, ign, &err), 1);
	/* A syscall name gtdiff.yaml would refuse, with its suggestion. */
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_UNORDERED, badsys, &err), -1);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	assert_msg(err, "--unordered: unknown syscall 'nosuch'");
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_IGNORE, typo, &err), -1);
	assert_msg(err, "--ignore: unknown syscall 'opnat'; did you mean 'openat'?");
	assert_int_equal(c.unordered.n, 2);
	assert_int_equal(c.ignore.n, 1);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_KEEP_LOADER, NULL, &err), 1);
	assert_true(c.rec.canon.keep_loader_probes);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_NO_COLLAPSE, NULL, &err), 1);
	assert_true(c.rec.canon.no_collapse_repeats);

	gt_capture_cli_finish(&c, argv);
	assert_ptr_equal(c.rec.argv, argv);
	/* --env: the good ones, in order, NULL-terminated. */
	assert_non_null(c.rec.env_set);
	assert_string_equal(c.rec.env_set[0], "A=1");
	assert_string_equal(c.rec.env_set[1], "B=");
	assert_null(c.rec.env_set[2]);
	assert_non_null(c.rec.env_keep);
	assert_string_equal(c.rec.env_keep[0], "HOME");
	assert_null(c.rec.env_keep[1]);
	/* --unordered given: the list replaces the default one. */
	assert_int_equal(c.rec.canon.nunordered, 2);
	assert_ptr_not_equal(c.rec.canon.unordered, gt_canon_default_unordered);
	assert_string_equal(c.rec.canon.unordered[0], "poll");
	assert_string_equal(c.rec.canon.unordered[1], "epoll_wait");
	for (size_t i = 0; i < c.rec.canon.nunordered; i++)
		assert_string_not_equal(c.rec.canon.unordered[i], "futex");
	assert_int_equal(c.rec.canon.nignore, 1);
	assert_string_equal(c.rec.canon.ignore[0], "getrandom");
	gt_capture_cli_free(&c);
}

static void test_cli_path_prefix(void **state)
{
	struct gt_capture_cli c;
	struct gt_error err = {0};
	char r1[] = "/opt/build=$BUILD", r2[] = "/srv/data=$DATA", bad[] = "srv=$X";
	char *argv[] = {(char *)(uintptr_t)"cmd", NULL};

	gt_capture_cli_init(&c);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_PATH_PREFIX, r1, &err), 1);
	assert_int_equal(c.nrules, 1);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_PATH_PREFIX, bad, &err), -1);
	assert_int_equal(err.rc, GT_ERR_USAGE);
	assert_msg(err, "--path-prefix: 'srv=$X': the prefix must be an absolute path");
	assert_int_equal(c.nrules, 1);
	assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_PATH_PREFIX, r2, &err), 1);
	assert_int_equal(c.nrules, 2);
	assert_string_equal(c.rules[0].prefix, "/opt/build");
	assert_string_equal(c.rules[0].as, "$BUILD");
	assert_string_equal(c.rules[1].prefix, "/srv/data");
	assert_string_equal(c.rules[1].as, "$DATA");

	gt_capture_cli_finish(&c, argv);
	assert_int_equal(c.rec.canon.nrules, 2);
	assert_ptr_equal(c.rec.canon.rules, c.rules);
	assert_string_equal(c.rec.canon.rules[1].as, "$DATA");
	/* Not given: the default unordered list. */
	assert_ptr_equal(c.rec.canon.unordered, gt_canon_default_unordered);
	gt_capture_cli_free(&c);

	/* Many rules: the array grows and keeps them all. */
	gt_capture_cli_init(&c);
	{
		char args[40][32];

		for (int i = 0; i < 40; i++) {
			snprintf(args[i], sizeof(args[i]), "/p%d=$P%d", i, i);
			assert_int_equal(gt_capture_cli_opt(&c, GT_OPT_PATH_PREFIX, args[i], &err),
					 1);
		}
		assert_int_equal(c.nrules, 40);
		for (int i = 0; i < 40; i++) {
			char p[16], a[16];

			snprintf(p, sizeof(p), "/p%d", i);
			snprintf(a, sizeof(a), "$P%d", i);
			assert_string_equal(c.rules[i].prefix, p);
			assert_string_equal(c.rules[i].as, a);
		}
	}
	gt_capture_cli_free(&c);
}

static void test_cli_not_ours(void **state)
{
	static const int others[] = {'o', 'h', 'v', '?', 0, 1, 256, GT_OPT_BACKEND - 1,
				     GT_OPT_AS_ROOT + 1, 1000};
	struct gt_capture_cli c, before;
	struct gt_error err = {0};
	char arg[] = "3";

	gt_capture_cli_init(&c);
	memcpy(&before, &c, sizeof(c));
	for (size_t i = 0; i < GT_ARRAY_SIZE(others); i++) {
		if (gt_capture_cli_opt(&c, others[i], arg, &err) != 0)
			fail_msg("option %d handled as a capture option", others[i]);
		assert_memory_equal(&c, &before, sizeof(c));
	}
	assert_int_equal(err.rc, GT_OK);
	assert_string_equal(err.msg, "");
	gt_capture_cli_free(&c);
}

/* The long options and the option codes fit together through getopt_long,
 * and the help text mentions every option. */
static void test_cli_getopt(void **state)
{
	static const struct option longopts[] = {
		GT_CAPTURE_LONGOPTS,
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	char a0[] = "gtdiff", a1[] = "--runs", a2[] = "3", a3[] = "--path-prefix=/w=$W";
	char a4[] = "-o", a5[] = "out.json", a6[] = "--no-collapse", a7[] = "--backend";
	char a8[] = "seccomp", a9[] = "--unordered=poll", a10[] = "--", a11[] = "true";
	char *argv[] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, NULL};
	int argc = (int)GT_ARRAY_SIZE(argv) - 1, opt;
	struct gt_capture_cli c;
	struct gt_error err = {0};
	const char *output = NULL;

	gt_capture_cli_init(&c);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+o:", longopts, NULL)) != -1) {
		int r = gt_capture_cli_opt(&c, opt, optarg, &err);

		assert_int_not_equal(r, -1);
		if (r == 1)
			continue;
		assert_int_equal(opt, 'o');
		output = optarg;
	}
	assert_int_equal(optind, 11);
	gt_capture_cli_finish(&c, argv + optind);
	assert_string_equal(output, "out.json");
	assert_int_equal(c.rec.runs, 3);
	assert_int_equal(c.rec.backend, GT_BACKEND_SECCOMP);
	assert_true(c.rec.canon.no_collapse_repeats);
	assert_false(c.rec.canon.keep_loader_probes);
	assert_int_equal(c.rec.canon.nrules, 1);
	assert_string_equal(c.rec.canon.rules[0].prefix, "/w");
	assert_string_equal(c.rec.canon.rules[0].as, "$W");
	assert_int_equal(c.rec.canon.nunordered, 1);
	assert_string_equal(c.rec.canon.unordered[0], "poll");
	assert_string_equal(c.rec.argv[0], "true");
	assert_null(c.rec.argv[1]);
	gt_capture_cli_free(&c);

	for (size_t i = 0; longopts[i].name; i++) {
		char *want = xasprintf("--%s ", longopts[i].name);

		if (longopts[i].val != 'o' && !strstr(gt_capture_opts_help, want))
			fail_msg("help does not mention --%s", longopts[i].name);
		free(want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strlist),
		cmocka_unit_test(test_parse_uint),
		cmocka_unit_test(test_parse_seconds),
		cmocka_unit_test(test_parse_env_assign),
		cmocka_unit_test(test_parse_path_rule),
		cmocka_unit_test(test_parse_shard),
		cmocka_unit_test(test_cli_defaults),
		cmocka_unit_test(test_cli_runs_backend),
		cmocka_unit_test(test_cli_lists),
		cmocka_unit_test(test_cli_path_prefix),
		cmocka_unit_test(test_cli_not_ours),
		cmocka_unit_test(test_cli_getopt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

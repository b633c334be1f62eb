/*
 * test-trace-json: the golden file: byte-identical round trips, the stable
 * layout, every loader error (return code and message), and atomic saving.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "stats.h"
#include "trace-json.h"

#ifndef GT_SRCDIR
#define GT_SRCDIR "."
#endif
#define FIXTURES GT_SRCDIR "/fixtures/traces"

/* A trace with a bit of everything, built through the model's API. */
static struct gt_trace *sample_trace(void)
{
	static const double wall[] = {0.0123, 0.0131, 0.0119}, rss[] = {3400, 3412, 3400};
	const char *a1[] = {"\"/usr/bin/ls\"", "[\"ls\", \"-la, x\"]", "ptr"};
	const char *a2[] = {"AT_FDCWD", "\"$CWD/\\\"q\\\" (x) = y\"", "O_RDONLY"};
	const char *a3[] = {"fd3", "832"};
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p;
	struct gt_thread *th;
	struct gt_syscall_stat *s;

	gt_trace_add_command(t, "ls");
	gt_trace_add_command(t, "-la, x");
	gt_trace_add_command(t, "caf\xc3\xa9 \"tab\t\" \\");
	t->backend = gt_trace_str(t, "ptrace");
	t->reason = gt_trace_str(t, "new config file read");
	t->intercepted = 123;
	t->let_through = 4;
	gt_trace_add_unordered(t, "futex");
	gt_trace_add_ignored(t, "getrandom");
	gt_trace_add_masked(t, "p1 event 2 arg 2");
	gt_trace_add_masked(t, "p2 exe");
	p = gt_trace_add_process(t, "p1", NULL);
	p->exe = gt_trace_str(t, "/usr/bin/ls");
	th = gt_process_add_thread(t, p, "p1");
	gt_thread_add_event(t, th, "execve", a1, 3, "0", 1);
	gt_thread_add_event(t, th, "openat", a2, 3, "fd3", 1);
	gt_thread_add_event(t, th, "read", a3, 2, "832", 4);
	gt_thread_add_event(t, th, "getpid", NULL, 0, "p1", 1);
	th = gt_process_add_thread(t, p, "p1.t2");
	gt_thread_add_event(t, th, "futex", a3, 2, "?", 2);
	p = gt_trace_add_process(t, "p2", "p1");
	p->exit_code = -1;
	p->exit_signal = gt_trace_str(t, "SIGKILL");
	gt_process_add_thread(t, p, "p2");
	for (size_t i = 0; i < 3; i++) {
		struct gt_run_sample r = {wall[i], 0.001 * (double)i, 1.0 / 3, rss[i], 41, 8192 * (double)i, 0};

		gt_trace_add_run(t, &r);
	}
	t->wall_s = gt_stat_of(wall, 3);
	t->max_rss_kb = gt_stat_of(rss, 3);
	t->syscalls = (struct gt_stat){41, 41, 0, 41};
	t->user_s = (struct gt_stat){-0.0, 1e-7, 0, 123456789.123};
	s = gt_trace_sysstat(t, "read");
	s->calls = (struct gt_stat){4, 4, 0, 4};
	s->time_us = (struct gt_stat){1.5, 2.25, 0.125, 1e16};
	gt_trace_sysstat(t, "openat")->errors = (struct gt_stat){0, 0, 0, 1};
	gt_trace_rehash(t);
	return t;
}

static char *read_fixture(const char *path, size_t *len)
{
	struct gt_error err = {0};
	char *data;

	if (gt_read_file(path, &data, len, &err) != GT_OK)
		fail_msg("%s", err.msg);
	return data;
}

/* Parse DATA named NAME, expecting RC and a message starting with "NAME: "
 * and containing each of the NULL-terminated strings that follow. */
static void expect_error(const char *data, size_t len, const char *name, enum gt_rc rc, ...)
{
	struct gt_trace *t = (struct gt_trace *)1;
	struct gt_error err = {0};
	const char *want;
	va_list ap;

	assert_int_equal(gt_trace_parse(data, len, name, &t, &err), rc);
	assert_null(t);
	assert_int_equal(err.rc, rc);
	assert_int_equal(strncmp(err.msg, name, strlen(name)), 0);
	assert_int_equal(strncmp(err.msg + strlen(name), ": ", 2), 0);
	va_start(ap, rc);
	while ((want = va_arg(ap, const char *))) {
		if (!strstr(err.msg, want))
			fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
	}
	va_end(ap);
}

static void expect_error_str(const char *data, enum gt_rc rc, const char *want)
{
	expect_error(data, strlen(data), "x.json", rc, want, NULL);
}

/* The minimal fixture with FROM replaced by TO (FROM must occur). */
static char *mutate(const char *from, const char *to)
{
	size_t len;
	char *g = read_fixture(FIXTURES "/good/minimal.json", &len);
	char *at = strstr(g, from);
	struct gt_buf b = {0};

	assert_non_null(at);
	gt_buf_add(&b, g, (size_t)(at - g));
	gt_buf_puts(&b, to);
	gt_buf_puts(&b, at + strlen(from));
	free(g);
	return gt_buf_steal(&b);
}

static void expect_mutation_error(const char *from, const char *to, enum gt_rc rc,
				  const char *want)
{
	char *s = mutate(from, to);

	expect_error_str(s, rc, want);
	free(s);
}

static void test_roundtrip(void **state)
{
	struct gt_trace *t = sample_trace(), *t2 = NULL, *t3 = NULL;
	struct gt_error err = {0};
	char *j1, *j2, *j3;

	j1 = gt_trace_to_json(t);
	if (gt_trace_parse(j1, strlen(j1), "j1", &t2, &err) != GT_OK)
		fail_msg("%s\n%s", err.msg, j1);
	j2 = gt_trace_to_json(t2);
	assert_string_equal(j1, j2);
	assert_int_equal(t2->hash, t->hash);
	assert_int_equal(t2->procs[0].threads[0].events[2].hash,
			 t->procs[0].threads[0].events[2].hash);
	assert_int_equal(gt_trace_parse(j2, strlen(j2), "j2", &t3, &err), GT_OK);
	j3 = gt_trace_to_json(t3);
	assert_string_equal(j2, j3);

	/* The model comes back as it went in. */
	assert_int_equal(t2->ncommand, 3);
	assert_string_equal(t2->command[2], "caf\xc3\xa9 \"tab\t\" \\");
	assert_string_equal(t2->reason, "new config file read");
	assert_int_equal(t2->nprocs, 2);
	assert_ptr_equal(t2->procs[1].parent, t2->procs[0].id);
	assert_null(t2->procs[0].parent);
	assert_null(t2->procs[1].exe);
	assert_int_equal(t2->procs[1].exit_code, -1);
	assert_string_equal(t2->procs[1].exit_signal, "SIGKILL");
	assert_int_equal(t2->procs[0].nthreads, 2);
	assert_int_equal(t2->procs[0].threads[0].events[2].count, 4);
	assert_int_equal(t2->procs[1].threads[0].nevents, 0);
	assert_int_equal(t2->intercepted, 123);
	assert_int_equal(t2->let_through, 4);
	assert_int_equal(t2->nruns, 3);
	assert_true(t2->runs[2].wall_s == 0.0119);
	assert_true(t2->wall_s.median == 0.0123);
	assert_int_equal(t2->nsysstats, 2);
	assert_string_equal(t2->sysstats[0].name, "openat");
	assert_true(t2->sysstats[1].time_us.max == 1e16);
	assert_int_equal(gt_trace_event_total(t2), gt_trace_event_total(t));

	free(j1);
	free(j2);
	free(j3);
	gt_trace_free(t);
	gt_trace_free(t2);
	gt_trace_free(t3);
}

static void test_layout(void **state)
{
	struct gt_trace *t = sample_trace();
	char *j = gt_trace_to_json(t);

	/* Key order, one event per line, non-ASCII kept, escapes, numbers. */
	assert_int_equal(strncmp(j, "{\n  \"format\": \"gtdiff-trace\",\n  \"version\": 1,\n", 45),
			 0);
	assert_non_null(strstr(j, "\n  \"command\": [\"ls\", \"-la, x\", "
				  "\"caf\xc3\xa9 \\\"tab\\t\\\" \\\\\"],\n  \"backend\": "
				  "\"ptrace\",\n  \"returns\": \"known\",\n  \"reason\": "
				  "\"new config file read\",\n  \"hash\": \"xxh3:"));
	assert_non_null(strstr(j, "\n  \"capture\": {\"intercepted\": 123, \"let_through\": 4},\n"
				  "  \"canonicalize\": {\"version\": 5, \"unordered\": [\"futex\"], "
				  "\"ignored\": [\"getrandom\"]},\n  \"masked\": [\n"
				  "    \"p1 event 2 arg 2\",\n    \"p2 exe\"\n  ],\n"));
	assert_non_null(strstr(j, "\n            \"read(fd3, 832) = 832 \xc3\x97" "4\",\n"));
	assert_non_null(strstr(j, "\"exit\": {\"code\": -1, \"signal\": \"SIGKILL\"},\n"));
	assert_non_null(strstr(j, "          \"id\": \"p2\",\n          \"events\": []\n"));
	assert_non_null(strstr(j, "    \"user_s\": [0, 1e-07, 0, 123456789],\n"));
	assert_non_null(strstr(j, "      \"read\": {\"calls\": [4, 4, 0, 4], "
				  "\"errors\": [0, 0, 0, 0], \"time_us\": "
				  "[1.5, 2.25, 0.125, 1e+16]}\n    }\n  }\n}\n"));
	assert_non_null(strstr(j, "\n      {\"wall_s\": 0.0131, \"user_s\": 0.001, "
				  "\"sys_s\": 0.333333333, \"max_rss_kb\": 3412, "
				  "\"syscalls\": 41, \"anon_bytes\": 8192},\n"));
	assert_int_equal(j[strlen(j) - 1], '\n');
	free(j);
	gt_trace_free(t);

	/* An empty trace: empty arrays on one line; bytes that are not UTF-8
	 * become U+FFFD; control characters are escaped. */
	t = gt_trace_new();
	gt_trace_add_command(t, "a\xff\x01");
	j = gt_trace_to_json(t);
	assert_non_null(strstr(j, "\"command\": [\"a\xef\xbf\xbd\\u0001\"],\n"));
	assert_non_null(strstr(j, "\"masked\": [],\n  \"processes\": [],\n"));
	assert_non_null(strstr(j, "\"samples\": [],\n    \"by_syscall\": {}\n  }\n}\n"));
	{
		struct gt_trace *t2;
		struct gt_error err = {0};
		char *j2;

		assert_int_equal(gt_trace_parse(j, strlen(j), "e", &t2, &err), GT_OK);
		j2 = gt_trace_to_json(t2);
		assert_string_equal(j, j2);
		free(j2);
		gt_trace_free(t2);
	}
	free(j);
	gt_trace_free(t);
}

/* Learned alternatives: written only when there are some, read back as
 * they went in, and refused with the place named when they do not fit the
 * trace. */
static void test_alternatives(void **state)
{
	struct gt_trace *t = sample_trace(), *t2 = NULL;
	struct gt_error err = {0};
	const char *a[] = {"3"};
	struct gt_alt *alt;
	char *j, *j2, *bad;
	static const struct {
		const char *from, *to, *want;
	} edits[] = {
		{"\"thread\": \"p1\"", "\"thread\": \"p7\"",
		 "alternatives[0].thread: no thread \"p7\""},
		{"\"at\": 2", "\"at\": 9", "alternatives[0]: events 9 to 9 are not in thread p1"},
		{"\"at\": 2", "\"at\": 0", "\"alternatives[0].at\" is 0"},
		{"\"close(3) = 0\"", "\"close(3\"", "alternatives[0].events[0]"},
		{"\"replaces\": 1", "\"replaces\": \"1\"", "alternatives[0].replaces"},
	};

	(void)state;
	j = gt_trace_to_json(t);
	assert_null(strstr(j, "alternatives"));
	free(j);
	alt = gt_trace_add_alt(t, "p1", 1, 1);
	gt_thread_add_event(t, &alt->events, "close", a, 1, "0", 1);
	gt_thread_add_event(t, &alt->events, "getpid", NULL, 0, "p1", 1);
	j = gt_trace_to_json(t);
	assert_non_null(strstr(j, "  \"alternatives\": [\n    {\"thread\": \"p1\", \"at\": 2, "
				  "\"replaces\": 1, \"events\": [\n      \"close(3) = 0\",\n"
				  "      \"getpid() = p1\"\n    ]}\n  ],\n"));
	if (gt_trace_parse(j, strlen(j), "j", &t2, &err) != GT_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(t2->nalts, 1);
	assert_string_equal(t2->alts[0].events.id, "p1");
	assert_int_equal(t2->alts[0].at, 1);
	assert_int_equal(t2->alts[0].len, 1);
	assert_int_equal(t2->alts[0].events.nevents, 2);
	/* Not part of the sequence's hash. */
	assert_true(t2->hash == t->hash);
	j2 = gt_trace_to_json(t2);
	assert_string_equal(j, j2);
	free(j2);
	gt_trace_free(t2);
	for (size_t i = 0; i < GT_ARRAY_SIZE(edits); i++) {
		char *at = strstr(j, edits[i].from);

		assert_non_null(at);
		bad = xasprintf("%.*s%s%s", (int)(at - j), j, edits[i].to,
				at + strlen(edits[i].from));
		t2 = NULL;
		assert_int_equal(gt_trace_parse(bad, strlen(bad), "bad.json", &t2, &err),
				 GT_ERR_FORMAT);
		assert_null(t2);
		if (!strstr(err.msg, edits[i].want))
			fail_msg("edit %zu: %s", i, err.msg);
		assert_non_null(strstr(err.msg, "bad.json"));
		free(bad);
	}
	free(j);
	gt_trace_free(t);
}

/* The fixture was written by this writer: loading and writing it again must
 * give the same bytes. */
static void test_fixture(void **state)
{
	struct gt_trace *t;
	struct gt_error err = {0};
	size_t len;
	char *g = read_fixture(FIXTURES "/good/minimal.json", &len), *j;

	if (gt_trace_load(FIXTURES "/good/minimal.json", &t, &err) != GT_OK)
		fail_msg("%s", err.msg);
	j = gt_trace_to_json(t);
	assert_string_equal(j, g);
	assert_int_equal(t->canon_version, 2);
	free(j);
	gt_trace_free(t);
	/* Without the version (a trace from before it was written): 1. */
	{
		char *old = g, *at = strstr(old, "\"version\": 2, ");
		struct gt_error e2 = {0};

		assert_non_null(at);
		memmove(at, at + 14, strlen(at + 14) + 1);
		assert_int_equal(gt_trace_parse(old, strlen(old), "old.json", &t, &e2), GT_OK);
		assert_int_equal(t->canon_version, 1);
		gt_trace_free(t);
	}
	free(g);
}

/* gtdiff diff loads its two traces on two threads: each comes out as a
 * load of its own would make it, and an error names its own file (the
 * first file's error wins when both are bad). */
static void test_load_pair(void **state)
{
	const char *good = FIXTURES "/good/minimal.json";
	const char *bad = FIXTURES "/bad/truncated.json";
	const char *bad2 = FIXTURES "/bad/not-json.json";
	struct gt_trace *a, *b, *one;
	struct gt_error err = {0};
	char *ja, *jb, *jone;

	assert_int_equal(gt_trace_load(good, &one, &err), GT_OK);
	assert_int_equal(gt_trace_load_pair(good, good, &a, &b, &err), GT_OK);
	jone = gt_trace_to_json(one);
	ja = gt_trace_to_json(a);
	jb = gt_trace_to_json(b);
	assert_string_equal(ja, jone);
	assert_string_equal(jb, jone);
	free(ja);
	free(jb);
	free(jone);
	gt_trace_free(a);
	gt_trace_free(b);
	gt_trace_free(one);

	a = b = (struct gt_trace *)1;
	assert_int_equal(gt_trace_load_pair(good, bad, &a, &b, &err), GT_ERR_FORMAT);
	assert_null(a);
	assert_null(b);
	assert_int_equal(strncmp(err.msg, bad, strlen(bad)), 0);
	assert_int_equal(gt_trace_load_pair(bad, good, &a, &b, &err), GT_ERR_FORMAT);
	assert_int_equal(strncmp(err.msg, bad, strlen(bad)), 0);
	assert_int_equal(gt_trace_load_pair(bad2, bad, &a, &b, &err), GT_ERR_FORMAT);
	assert_int_equal(strncmp(err.msg, bad2, strlen(bad2)), 0);
	assert_int_equal(gt_trace_load_pair(good, "/nonexistent/x.json", &a, &b, &err),
			 GT_ERR_IO);
	assert_null(a);
	assert_null(b);
	assert_non_null(strstr(err.msg, "/nonexistent/x.json"));
}

static void check_bad_file(const char *file, enum gt_rc rc, const char *want)
{
	char path[512];
	struct gt_trace *t = (struct gt_trace *)1;
	struct gt_error err = {0};

	snprintf(path, sizeof(path), FIXTURES "/bad/%s", file);
	assert_int_equal(gt_trace_load(path, &t, &err), rc);
	assert_null(t);
	assert_int_equal(strncmp(err.msg, path, strlen(path)), 0);
	if (!strstr(err.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
}

static void test_bad_fixtures(void **state)
{
	check_bad_file("empty.json", GT_ERR_FORMAT, ": empty file");
	check_bad_file("truncated.json", GT_ERR_FORMAT, ": not JSON (truncated): ");
	check_bad_file("truncated.json", GT_ERR_FORMAT, " at line 27 column ");
	check_bad_file("not-json.json", GT_ERR_FORMAT, ": not JSON: invalid token");
	check_bad_file("not-json.json", GT_ERR_FORMAT, " at line 1 column ");
	check_bad_file("top-array.json", GT_ERR_FORMAT, "not a gtdiff trace (the top level is "
			"an array, not an object)");
	check_bad_file("wrong-format.json", GT_ERR_FORMAT,
		       ": not a gtdiff trace (no \"format\": \"gtdiff-trace\")");
	check_bad_file("newer-version.json", GT_ERR_VERSION,
		       ": written by a newer gtdiff (format version 2; this gtdiff reads "
		       "version 1)");
	check_bad_file("missing-processes.json", GT_ERR_FORMAT, ": missing \"processes\"");
	check_bad_file("bad-event.json", GT_ERR_FORMAT,
		       ": processes[0].threads[0].events[3]: missing ')' in event "
		       "\"close(fd3 = 0\"");
	check_bad_file("bad-stats.json", GT_ERR_FORMAT,
		       ": \"stats.wall_s\" must be an array of 4 numbers");
	check_bad_file("does-not-exist.json", GT_ERR_IO, ": cannot open: ");
}

static void test_bad_inline(void **state)
{
	size_t len;
	char *g = read_fixture(FIXTURES "/good/minimal.json", &len);

	/* Whitespace only is empty; every prefix is truncated or empty. */
	expect_error_str(" \n\t\n", GT_ERR_FORMAT, "x.json: empty file");
	for (size_t n = 0; n < len - 1; n++)
		expect_error(g, n, "x.json", GT_ERR_FORMAT, n ? "truncated" : "empty file", NULL);
	free(g);
	expect_error(NULL, 0, "x.json", GT_ERR_FORMAT, "empty file", NULL);
	expect_error_str("{\"a\": \"\xe2\x82", GT_ERR_FORMAT, "not JSON (truncated)");
	expect_error_str("{\"a\": nul", GT_ERR_FORMAT, "not JSON (truncated)");
	expect_error_str("{} x", GT_ERR_FORMAT, "not JSON: end of file expected");
	expect_error_str("xyz", GT_ERR_FORMAT, "not JSON: invalid token");
	expect_error_str("[1, 2]", GT_ERR_FORMAT, "not a gtdiff trace (the top level is an array");
	expect_error_str("42", GT_ERR_FORMAT, "not a gtdiff trace (the top level is a scalar");
	expect_error_str("{}", GT_ERR_FORMAT, "not a gtdiff trace (no \"format\"");
	expect_error_str("{\"format\": 1}", GT_ERR_FORMAT, "not a gtdiff trace");
	expect_error_str("{\"format\": \"gtdiff-trace\"}", GT_ERR_FORMAT, "missing \"version\"");
	expect_error_str("{\"format\": \"gtdiff-trace\", \"version\": 99}", GT_ERR_VERSION,
			 "format version 99; this gtdiff reads version 1");
	expect_error_str("{\"format\": \"gtdiff-trace\", \"version\": 0}", GT_ERR_FORMAT,
			 "\"version\" must be a positive integer");
	expect_error_str("{\"format\": \"gtdiff-trace\", \"version\": 1.0}", GT_ERR_FORMAT,
			 "\"version\" must be a positive integer");
	expect_error_str("{\"format\": \"gtdiff-trace\", \"version\": 1}", GT_ERR_FORMAT,
			 "missing \"generator\"");
	expect_error_str("{\"format\": \"gtdiff-trace\", \"format\": \"gtdiff-trace\"}",
			 GT_ERR_FORMAT, "duplicate object key");
	expect_error_str("{\"a\": \"\\u0000\"}", GT_ERR_FORMAT, "not JSON");
	expect_error_str("{\"a\": \"\xff\"}", GT_ERR_FORMAT, "not JSON");

	expect_mutation_error("\"version\": 1,", "\"version\": 2,", GT_ERR_VERSION,
			      "newer gtdiff (format version 2");
	expect_mutation_error("\"version\": 1,", "\"version\": \"1\",", GT_ERR_FORMAT,
			      "\"version\" must be a positive integer");
	expect_mutation_error("\"command\": [\"true\"", "\"command\": [1", GT_ERR_FORMAT,
			      "command[0] must be a string");
	expect_mutation_error("\"backend\": \"ptrace\"", "\"backend\": null", GT_ERR_FORMAT,
			      "\"backend\" must be a string");
	expect_mutation_error("\"returns\": \"known\"", "\"returns\": \"maybe\"", GT_ERR_FORMAT,
			      "\"returns\" must be \"known\" or \"unknown\"");
	expect_mutation_error("\"reason\": null", "\"reason\": 3", GT_ERR_FORMAT,
			      "\"reason\" must be a string or null");
	expect_mutation_error("\"hash\": \"xxh3:", "\"hash\": \"md5:", GT_ERR_FORMAT,
			      "\"hash\" must be \"xxh3:\" and 16 lowercase hex digits");
	expect_mutation_error("\"hash\": \"xxh3:", "\"hash\": \"xxh3:0", GT_ERR_FORMAT,
			      "16 lowercase hex digits");
	expect_mutation_error("\"hash\": \"xxh3:", "\"hash\": \"xxh3:0000000000000000\", \"x\": \"",
			      GT_ERR_FORMAT, "the events hash to xxh3:");
	expect_mutation_error("\"code\": 0, \"signal\": null}", "\"code\": 256, \"signal\": null}",
			      GT_ERR_FORMAT, "\"exit.code\" is 256, must be between -1 and 255");
	expect_mutation_error("\"code\": 0, \"signal\": null}", "\"signal\": null}", GT_ERR_FORMAT,
			      "missing \"exit.code\"");
	expect_mutation_error("\"intercepted\": 41", "\"intercepted\": -1", GT_ERR_FORMAT,
			      "\"capture.intercepted\" is -1");
	expect_mutation_error("\"intercepted\": 41", "\"intercepted\": 99999999999999999999",
			      GT_ERR_FORMAT, "not JSON: too big integer");
	expect_mutation_error("\"unordered\": [\"futex\"]", "\"unordered\": [\"Futex\"]",
			      GT_ERR_FORMAT, "canonicalize.unordered[0] is not a syscall name");
	expect_mutation_error("\"ignored\": []", "\"ignored\": {}", GT_ERR_FORMAT,
			      "\"canonicalize.ignored\" must be an array");
	expect_mutation_error("\"masked\": [\n", "\"masked\": [null,\n", GT_ERR_FORMAT,
			      "masked[0] must be a string");
	expect_mutation_error("\"processes\": [", "\"processes\": [1, ", GT_ERR_FORMAT,
			      "processes[0] must be an object");
	expect_mutation_error("\"id\": \"p2\"", "\"id\": \"p1\"", GT_ERR_FORMAT,
			      "duplicate process id \"p1\"");
	expect_mutation_error("\"parent\": null", "\"parent\": \"p2\"", GT_ERR_FORMAT,
			      "\"processes[0].parent\" must be null (the root process)");
	expect_mutation_error("\"parent\": \"p1\"", "\"parent\": null", GT_ERR_FORMAT,
			      "\"processes[1].parent\" is null, but only the root process");
	expect_mutation_error("\"parent\": \"p1\"", "\"parent\": \"p\\n\\u00e9\"", GT_ERR_FORMAT,
			      "\"processes[1].parent\" (\"p\\n\\303\\251\") is not a process");
	expect_mutation_error("\"id\": \"p2\"", "\"id\": \"\"", GT_ERR_FORMAT,
			      "\"processes[1].id\" is empty");
	expect_mutation_error("\"parent\": \"p1\"", "\"parent\": \"p7\"", GT_ERR_FORMAT,
			      "\"processes[1].parent\" (\"p7\") is not a process of this trace");
	expect_mutation_error("\"parent\": \"p1\"", "\"parent\": \"p2\"", GT_ERR_FORMAT,
			      "\"processes[1].parent\" is the process itself");
	expect_mutation_error("\"exe\": null", "\"exe\": false", GT_ERR_FORMAT,
			      "\"processes[1].exe\" must be a string or null");
	expect_mutation_error("\"signal\": \"SIGKILL\"", "\"signal\": 9", GT_ERR_FORMAT,
			      "\"processes[1].exit.signal\" must be a string or null");
	expect_mutation_error("\"threads\": [", "\"threads\": [\"p1\", ", GT_ERR_FORMAT,
			      "processes[0].threads[0] must be an object");
	expect_mutation_error("\"id\": \"p2\",\n          \"events\"",
			      "\"id\": \"p1\",\n          \"events\"", GT_ERR_FORMAT,
			      "duplicate thread id \"p1\"");
	expect_mutation_error("\"close(fd3) = 0\"", "\"close(fd3) = 0 \xc3\x97" "0\"",
			      GT_ERR_FORMAT, "processes[0].threads[0].events[3]: bad count");
	expect_mutation_error("\"close(fd3) = 0\"", "7", GT_ERR_FORMAT,
			      "processes[0].threads[0].events[3] must be a string");
	expect_mutation_error("\"close(fd3) = 0\"", "\"Close(fd3) = 0\"", GT_ERR_FORMAT,
			      "events[3]: bad call name");
	expect_mutation_error("\"close(fd3) = 0\"", "\"close(\\\"fd3) = 0\"", GT_ERR_FORMAT,
			      "events[3]: unbalanced quote in event \"close(\\\"fd3) = 0\"");
	expect_mutation_error("\"close(fd3) = 0\"", "\"close(fd3) = 1\"", GT_ERR_FORMAT,
			      "hash\" is xxh3:");
	expect_mutation_error("\"stats\": {", "\"stats\": [", GT_ERR_FORMAT, "not JSON");
	expect_mutation_error("\"runs\": 3", "\"runs\": 2", GT_ERR_FORMAT,
			      "\"stats.samples\" has 3 entries but \"stats.runs\" is 2");
	expect_mutation_error("\"runs\": 3", "\"runs\": 3.5", GT_ERR_FORMAT,
			      "\"stats.runs\" must be an integer");
	expect_mutation_error("\"sys_s\": [0.004, 0.004, 0, 0.005]",
			      "\"sys_s\": [0.004, 0.004, 0, \"0.005\"]", GT_ERR_FORMAT,
			      "\"stats.sys_s\" must be an array of 4 numbers");
	expect_mutation_error("\"sys_s\": [0.004, 0.004, 0, 0.005]",
			      "\"sys_s\": [0.004, 0.004, 0, 0.003]", GT_ERR_FORMAT,
			      "\"stats.sys_s\": [min, median, mad, max] out of order");
	expect_mutation_error("\"sys_s\": [0.004, 0.004, 0, 0.005]",
			      "\"sys_s\": [0.004, 0.004, -1, 0.005]", GT_ERR_FORMAT,
			      "\"stats.sys_s\": negative value");
	expect_mutation_error("\"syscalls\": [41, 41, 0, 41]", "\"syscalls\": null",
			      GT_ERR_FORMAT, "\"stats.syscalls\" must be an array of 4 numbers");
	expect_mutation_error("{\"wall_s\": 0.0131,", "{\"wall_s\": -0.0131,", GT_ERR_FORMAT,
			      "\"stats.samples[1].wall_s\" must be a non-negative number");
	expect_mutation_error("\"max_rss_kb\": 3412, ", "", GT_ERR_FORMAT,
			      "missing \"stats.samples[1].max_rss_kb\"");
	expect_mutation_error("\"read\": {\"calls\"", "\"READ\": {\"calls\"", GT_ERR_FORMAT,
			      "\"stats.by_syscall\": key \"READ\" is not a syscall name");
	expect_mutation_error("\"errors\": [1, 1, 0, 1], ", "", GT_ERR_FORMAT,
			      "missing \"stats.by_syscall.openat.errors\"");
	expect_mutation_error("\"by_syscall\": {", "\"by_syscall\": {\"x\": [], ", GT_ERR_FORMAT,
			      "\"stats.by_syscall.x\" must be an object");
	expect_mutation_error("\"openat\": {\"calls\"", "\"read\": {\"calls\"", GT_ERR_FORMAT,
			      "duplicate object key");
	expect_mutation_error("  \"stats\": {", "  \"stats\": {}, \"x\": {", GT_ERR_FORMAT,
			      "missing \"stats.runs\"");
}

/* Keys a later 1.x writer might add are tolerated, and dropped on writing. */
static void test_unknown_keys(void **state)
{
	struct gt_trace *t;
	struct gt_error err = {0};
	size_t len;
	char *g = read_fixture(FIXTURES "/good/minimal.json", &len), *j;
	char *s = mutate("  \"version\": 1,\n", "  \"version\": 1,\n  \"future\": {\"x\": [1]},\n");
	char *s2 = mutate("\"exe\": null,", "\"exe\": null, \"cgroup\": \"x\",");

	if (gt_trace_parse(s, strlen(s), "s", &t, &err) != GT_OK)
		fail_msg("%s", err.msg);
	j = gt_trace_to_json(t);
	assert_string_equal(j, g);
	free(j);
	gt_trace_free(t);
	if (gt_trace_parse(s2, strlen(s2), "s2", &t, &err) != GT_OK)
		fail_msg("%s", err.msg);
	gt_trace_free(t);
	free(s);
	free(s2);
	free(g);
}

/* ---- the event scanner (fast path) and the plain jansson path ----------- */

/* A trace whose events need every kind of JSON escape, with several
 * processes and threads, empty events arrays, no threads at all, and
 * "events", "processes" and "threads" inside event texts. */
static struct gt_trace *rich_trace(void)
{
	const char *open_args[] = {"AT_FDCWD", "\"/etc/passwd\"", "O_RDONLY"};
	const char *quote_args[] = {"\"say \\\"hi\\\" \\\\\"", "O_RDONLY"};
	const char *ctl_args[] = {"1", "\"a\nb\tc\rd\be\ff\x01g\"", "12"};
	const char *utf_args[] = {"1", "\"caf\xc3\xa9 \xf0\x9f\x98\x80 \xf0\x9f\x98\x81\"", "14"};
	const char *key_args[] = {"1", "\"\\\"events\\\": [\\\"x\\\"]\"", "15"};
	const char *read_args[] = {"fd3", "832"};
	const char *futex_args[] = {"addr", "FUTEX_WAKE"};
	const char *names[] = {"processes", "threads"};
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p;
	struct gt_thread *th;

	gt_trace_add_command(t, "x");
	t->backend = gt_trace_str(t, "ptrace");
	p = gt_trace_add_process(t, "p1", NULL);
	p->exe = gt_trace_str(t, "/bin/x");
	th = gt_process_add_thread(t, p, "p1");
	gt_thread_add_event(t, th, "openat", open_args, 3, "fd3", 1);
	gt_thread_add_event(t, th, "open", quote_args, 2, "-1 ENOENT", 1);
	gt_thread_add_event(t, th, "write", ctl_args, 3, "12", 1);
	gt_thread_add_event(t, th, "write", utf_args, 3, "14", 1);
	gt_thread_add_event(t, th, "write", key_args, 3, "15", 1);
	gt_thread_add_event(t, th, "read", read_args, 2, "832", 4);
	gt_process_add_thread(t, p, "p1.t2");
	th = gt_process_add_thread(t, p, "p1.t3");
	gt_thread_add_event(t, th, "futex", futex_args, 2, "0", 1);
	p = gt_trace_add_process(t, "p2", "p1");
	th = gt_process_add_thread(t, p, "p2");
	gt_thread_add_event(t, th, "events", names, 2, "0", 1);
	gt_thread_add_event(t, th, "getpid", NULL, 0, "p2", 1);
	gt_trace_add_process(t, "p3", "p1");
	p = gt_trace_add_process(t, "p4", "p2");
	gt_process_add_thread(t, p, "p4");
	gt_trace_rehash(t);
	return t;
}

/* DOC (freed) with the first FROM replaced by TO (FROM must occur). */
static char *edit(char *doc, const char *from, const char *to)
{
	char *at = strstr(doc, from);
	struct gt_buf b = {0};

	if (!at)
		fail_msg("\"%s\" not in the document", from);
	gt_buf_add(&b, doc, (size_t)(at - doc));
	gt_buf_puts(&b, to);
	gt_buf_puts(&b, at + strlen(from));
	free(doc);
	return gt_buf_steal(&b);
}

/* DOC (freed) with every FROM replaced by TO. */
static char *edit_all(char *doc, const char *from, const char *to)
{
	struct gt_buf b = {0};
	const char *p = doc, *at;

	while ((at = strstr(p, from))) {
		gt_buf_add(&b, p, (size_t)(at - p));
		gt_buf_puts(&b, to);
		p = at + strlen(from);
	}
	gt_buf_puts(&b, p);
	free(doc);
	return gt_buf_steal(&b);
}

/* What one parse gave. */
struct outcome {
	enum gt_rc rc;
	char msg[sizeof(((struct gt_error *)0)->msg)];
	char *json;                   /* the trace written again, or NULL */
	bool fast;                    /* the scanner's path was taken */
};

/* Parse the LEN bytes at DOC with the event scanner allowed or not. */
static void parse_with(const char *doc, size_t len, bool fastpath, struct outcome *o)
{
	struct gt_trace *t = NULL;
	struct gt_error err = {0};
	unsigned long before = gt_trace_json_fastpath_count();

	if (fastpath)
		unsetenv("GTDIFF_JSON_FASTPATH");
	else
		setenv("GTDIFF_JSON_FASTPATH", "0", 1);
	o->rc = gt_trace_parse(doc, len, "doc.json", &t, &err);
	unsetenv("GTDIFF_JSON_FASTPATH");
	o->fast = gt_trace_json_fastpath_count() != before;
	snprintf(o->msg, sizeof(o->msg), "%s", o->rc == GT_OK ? "" : err.msg);
	o->json = t ? gt_trace_to_json(t) : NULL;
	gt_trace_free(t);
	assert_true(o->rc == GT_OK ? t != NULL : t == NULL);
}

/* DOC loads, on both paths, as the trace that WANT is the file of; the fast
 * path is taken if and only if FAST. */
static void expect_same_trace(const char *doc, const char *want, bool fast)
{
	struct outcome a, b;

	parse_with(doc, strlen(doc), true, &a);
	parse_with(doc, strlen(doc), false, &b);
	if (a.rc != GT_OK || b.rc != GT_OK)
		fail_msg("fast: %s\nplain: %s\n%s", a.msg, b.msg, doc);
	assert_false(b.fast);
	if (a.fast != fast)
		fail_msg("fast path %s taken for\n%s", a.fast ? "" : "not", doc);
	assert_string_equal(a.json, b.json);
	assert_string_equal(a.json, want);
	free(a.json);
	free(b.json);
}

/* The LEN bytes at DOC are refused, with the same code and message on both
 * paths; WANT, unless NULL, is part of the message. */
static void expect_same_error_n(const char *doc, size_t len, const char *want)
{
	struct outcome a, b;

	parse_with(doc, len, true, &a);
	parse_with(doc, len, false, &b);
	if (a.rc == GT_OK || b.rc == GT_OK)
		fail_msg("loaded (fast: %d, plain: %d):\n%.*s", a.rc == GT_OK, b.rc == GT_OK,
			 (int)len, doc);
	assert_int_equal(a.rc, b.rc);
	assert_string_equal(a.msg, b.msg);
	if (want && !strstr(a.msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", a.msg, want);
	free(a.json);
	free(b.json);
}

/* DOC (freed) is refused alike on both paths, with WANT in the message. */
static void expect_same_error(char *doc, const char *want)
{
	expect_same_error_n(doc, strlen(doc), want);
	free(doc);
}

static char *rich_doc(void)
{
	struct gt_trace *t = rich_trace();
	char *j = gt_trace_to_json(t);

	gt_trace_free(t);
	return j;
}

/* However the events are written, and whatever else the file holds, the
 * scanner's path loads exactly what jansson's alone does. */
static void test_fastpath_agrees(void **state)
{
	char *want = rich_doc(), *d;

	/* As written. */
	expect_same_trace(want, want, true);

	/* Escapes the writer does not use: \u for non-ASCII (a surrogate pair
	 * in either case) and for ASCII, and \/. */
	d = rich_doc();
	d = edit(d, "caf\xc3\xa9", "caf\\u00e9");
	d = edit(d, "\xf0\x9f\x98\x80", "\\ud83d\\ude00");
	d = edit(d, "\xf0\x9f\x98\x81", "\\uD83D\\uDE01");
	d = edit(d, "/etc/passwd", "\\/etc\\/passwd");
	d = edit(d, "O_RDONLY) = fd3", "\\u004f_RDONLY) = fd3");
	d = edit(d, "\\u0001g", "\\u0001\\u0067");
	expect_same_trace(d, want, true);
	free(d);

	/* No whitespace at all, or other whitespace.  (Inside a string, a quote
	 * is escaped: the patterns below match only between tokens.) */
	d = rich_doc();
	for (int i = 0; i < 16; i++)
		d = edit_all(d, "\n ", "\n");
	d = edit_all(d, "\n", "");
	d = edit_all(d, "\": \"", "\":\"");
	d = edit_all(d, "\": [\"", "\":[\"");
	d = edit_all(d, "\", \"", "\",\"");
	expect_same_trace(d, want, true);
	free(d);
	d = edit_all(rich_doc(), "\n", "\r\n\t");
	d = edit(d, "{", " \t\r\n{");
	expect_same_trace(d, want, true);
	free(d);

	/* Keys in another order. */
	d = rich_doc();
	d = edit(d, "\"id\": \"p1.t3\",\n          \"events\": [\n            "
		 "\"futex(addr, FUTEX_WAKE) = 0\"\n          ]",
		 "\"events\": [\"futex(addr, FUTEX_WAKE) = 0\"], \"id\": \"p1.t3\"");
	d = edit(d, "\"id\": \"p4\",\n      \"parent\": \"p2\",\n      \"exe\": null,\n"
		 "      \"exit\": {\"code\": 0, \"signal\": null},\n      \"threads\": [\n"
		 "        {\n          \"id\": \"p4\",\n          \"events\": []\n"
		 "        }\n      ]",
		 "\"threads\": [{\"events\": [], \"id\": \"p4\"}], \"exit\": {\"signal\": null, "
		 "\"code\": 0}, \"exe\": null, \"parent\": \"p2\", \"id\": \"p4\"");
	expect_same_trace(d, want, true);
	free(d);

	/* "events", "threads" and "processes" off the path: unknown keys at
	 * every level, even holding what the scanner would refuse. */
	d = rich_doc();
	d = edit(d, "  \"version\": 1,\n",
		 "  \"version\": 1,\n  \"events\": [\"decoy(1) = 0\"], \"threads\": [{\"events\": "
		 "[2]}],\n  \"future\": {\"processes\": [{\"threads\": [{\"events\": "
		 "[\"bogus\", 1, {}]}]}]},\n");
	d = edit(d, "\"stats\": {", "\"stats\": {\"events\": [\"s(1) = 0\"], \"processes\": "
		 "[{\"threads\": [{\"events\": [3]}]}], ");
	d = edit(d, "\"exe\": null,", "\"exe\": null, \"events\": [\"e(1) = 0\"], "
		 "\"thread\": [{\"events\": [4]}],");
	d = edit(d, "\"id\": \"p1.t2\",", "\"id\": \"p1.t2\", \"threads\": [{\"events\": [5]}], "
		 "\"processes\": [], \"x\": {\"events\": \"x\"},");
	d = edit(d, "\"capture\": {", "\"capture\": {\"events\": [6], ");
	expect_same_trace(d, want, true);
	free(d);

	/* Where the scanner gives up, jansson alone loads the file. */
	d = edit(rich_doc(), "\"id\": \"p1\",\n          \"events\"",
		 "\"id\": \"p1\",\n          \"even\\u0074s\"");
	expect_same_trace(d, want, false);
	free(d);
	d = edit(rich_doc(), "\"processes\"", "\"proc\\u0065sses\"");
	expect_same_trace(d, want, false);
	free(d);
	{
		/* Nested deeper than the scanner goes (not than jansson goes). */
		struct gt_buf b = {0};

		gt_buf_puts(&b, "\"deep\": ");
		for (int i = 0; i < 600; i++)
			gt_buf_putc(&b, '[');
		for (int i = 0; i < 600; i++)
			gt_buf_putc(&b, ']');
		gt_buf_puts(&b, ",\n  \"masked\"");
		d = edit(rich_doc(), "\"masked\"", b.s);
		gt_buf_free(&b);
		expect_same_trace(d, want, false);
		free(d);
	}

	/* A trace without events has nothing to take out. */
	{
		struct gt_trace *t = gt_trace_new();

		gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");
		gt_trace_rehash(t);
		d = gt_trace_to_json(t);
		expect_same_trace(d, d, false);
		free(d);
		gt_trace_free(t);
	}
	free(want);
}

/* A broken file gets the same message whichever path reads it. */
static void test_fastpath_errors(void **state)
{
	char *d = rich_doc();
	size_t len = strlen(d);
	const char *ev = "\"getpid() = p2\"";

	/* Cut anywhere. */
	for (size_t n = 0; n < len - 1; n++)
		expect_same_error_n(d, n, n ? "truncated" : "empty file");
	free(d);

	/* Bad JSON inside an event string. */
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\\q) = p2\""), "not JSON: invalid escape");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\\u12) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\\u0000) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\\ud83d) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\\ude00) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\\ud83d\\u0041) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\xff) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\xc3) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\xed\xa0\x80) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid(\x01) = p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid() = p2\", "), "not JSON");
	expect_same_error(edit(rich_doc(), ev, "\"getpid()\" \"= p2\""), "not JSON");
	expect_same_error(edit(rich_doc(), "\"events\": []", "\"events\": [,]"), "not JSON");
	expect_same_error(edit(rich_doc(), "\"masked\": []", "\"masked\": [01]"), "not JSON");
	expect_same_error(edit(rich_doc(), "\"masked\": []", "\"masked\": [1.]"), "not JSON");
	expect_same_error(edit(rich_doc(), "\"masked\": []", "\"masked\": [nul]"), "not JSON");
	expect_same_error(edit(rich_doc(), "\"masked\": []", "\"masked\": [\"\\u0000\"]"),
			  "not JSON");
	expect_same_error(edit_all(rich_doc(), "}\n", "}\n}"), "not JSON");

	/* Events that are not strings. */
	expect_same_error(edit(rich_doc(), ev, "7"), "processes[1].threads[0].events[1] must be "
			  "a string");
	expect_same_error(edit(rich_doc(), ev, "null"), "events[1] must be a string");
	expect_same_error(edit(rich_doc(), ev, "[\"getpid() = p2\"]"),
			  "events[1] must be a string");
	expect_same_error(edit(rich_doc(), "\"events\": []", "\"events\": {}"),
			  "\"processes[0].threads[1].events\" must be an array");
	expect_same_error(edit(rich_doc(), "\"events\": []", "\"events\": \"\""),
			  "\"processes[0].threads[1].events\" must be an array");

	/* Duplicate keys in a thread object. */
	expect_same_error(edit(rich_doc(), "\"id\": \"p1.t3\",",
			       "\"id\": \"p1.t3\", \"id\": \"x\","), "duplicate object key");
	expect_same_error(edit(rich_doc(), "\"events\": []", "\"events\": [], \"events\": []"),
			  "duplicate object key");
	expect_same_error(edit(rich_doc(), "\"events\": []", "\"events\": [\"getpid() = p2\"], "
			       "\"events\": []"), "duplicate object key");

	/* Event lines that do not parse, and events edited by hand. */
	expect_same_error(edit(rich_doc(), ev, "\"getpid( = p2\""),
			  "processes[1].threads[0].events[1]: missing ')' in event");
	expect_same_error(edit(rich_doc(), "\"futex(addr, FUTEX_WAKE) = 0\"",
			       "\"futex(addr, FUTEX_WAKE) = 0 \\u00d7x\""),
			  "processes[0].threads[2].events[0]: bad count");
	expect_same_error(edit(rich_doc(), ev, "\"getpid() = p3\""),
			  "(edited by hand? re-record with gtdiff update)");
	/* Errors found after the events, with the scanner's path taken. */
	expect_same_error(edit(rich_doc(), "\"id\": \"p1.t3\"", "\"id\": \"p1\""),
			  "duplicate thread id \"p1\"");
	expect_same_error(edit(rich_doc(), "\"runs\": 0", "\"runs\": 1"),
			  "\"stats.samples\" has 0");
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

/* let_through is null when a filter let calls through uncounted; it loads
 * as GT_COUNT_UNKNOWN and is written back as null.  A negative or a string
 * is refused. */
static void test_let_through_null(void **state)
{
	size_t len;
	char *g = read_fixture(FIXTURES "/good/minimal.json", &len), *j, *p;
	const char *num = "\"let_through\": 0}";
	struct gt_trace *t;
	struct gt_error err = {0};
	struct gt_buf b = {0};

	(void)state;
	p = strstr(g, num);
	assert_non_null(p);
	gt_buf_add(&b, g, (size_t)(p - g));
	gt_buf_puts(&b, "\"let_through\": null}");
	gt_buf_puts(&b, p + strlen(num));
	assert_int_equal(gt_trace_parse(b.s, b.len, "null.json", &t, &err), GT_OK);
	assert_true(t->let_through == GT_COUNT_UNKNOWN);
	j = gt_trace_to_json(t);
	assert_string_equal(j, b.s);
	free(j);
	gt_trace_free(t);
	gt_buf_reset(&b);
	gt_buf_add(&b, g, (size_t)(p - g));
	gt_buf_puts(&b, "\"let_through\": -1}");
	gt_buf_puts(&b, p + strlen(num));
	assert_int_equal(gt_trace_parse(b.s, b.len, "neg.json", &t, &err), GT_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "let_through"));
	gt_buf_free(&b);
	free(g);
}

static void test_save(void **state)
{
	char dir[] = "/tmp/gtdiff-test-trace-json.XXXXXX";
	char path[256], bad[256];
	struct gt_trace *t = sample_trace(), *t2;
	struct gt_error err = {0};
	FILE *f;
	char *j, *data;
	size_t len;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/golden.json", dir);
	snprintf(bad, sizeof(bad), "%s/no-such-dir/golden.json", dir);

	/* A missing directory: GT_ERR_IO naming the file, nothing left behind. */
	assert_int_equal(gt_trace_save(t, bad, &err), GT_ERR_IO);
	assert_int_equal(err.rc, GT_ERR_IO);
	assert_non_null(strstr(err.msg, bad));
	assert_int_equal(count_entries(dir), 0);

	/* Over an existing file: replaced whole, no temporary file left. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old contents that are longer than nothing\n", f);
	fclose(f);
	assert_int_equal(gt_trace_save(t, path, &err), GT_OK);
	assert_int_equal(count_entries(dir), 1);
	j = gt_trace_to_json(t);
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_int_equal(len, strlen(j));
	assert_string_equal(data, j);
	assert_int_equal(gt_trace_load(path, &t2, &err), GT_OK);
	assert_int_equal(t2->hash, t->hash);

	/* Loading a directory is an I/O error, not a format error. */
	{
		struct gt_trace *t3 = (struct gt_trace *)1;

		assert_int_equal(gt_trace_load(dir, &t3, &err), GT_ERR_IO);
		assert_null(t3);
	}

	unlink(path);
	assert_int_equal(rmdir(dir), 0);
	free(j);
	free(data);
	gt_trace_free(t);
	gt_trace_free(t2);
}

/* Call stacks (record --stacks): written only for the stacks events name,
 * numbered in order of first use, read back to the same frames; a trace
 * without them has neither key; the hash ignores them. */
static void test_stacks(void **state)
{
	struct gt_trace *t = sample_trace(), *back = NULL;
	struct gt_frame a[] = {{"/lib/libc.so.6", 0x10, "open64", 4, NULL, 0},
			       {"/repo/tool", 0x1234, "load", 0x1d, "/repo/x.c", 212}};
	struct gt_frame unused[] = {{"/repo/tool", 0x99, NULL, 0, NULL, 0}};
	struct gt_error err = {0};
	struct gt_thread *th = &t->procs[0].threads[0];
	const struct gt_frame *f;
	char *plain = gt_trace_to_json(t), *j;
	uint32_t id;
	size_t n;

	(void)state;
	assert_null(strstr(plain, "\"stacks\""));
	t->stacks = gt_stacks_new();
	gt_stacks_add(t->stacks, unused, 1);
	id = gt_stacks_add(t->stacks, a, 2);
	assert_true(th->nevents >= 2);
	th->events[1].stack = id;
	j = gt_trace_to_json(t);
	assert_non_null(strstr(j, "\"stacks\": [0, 1"));
	/* The stack no event names is not written. */
	assert_null(strstr(j, "\"offset\": 153,"));
	assert_non_null(strstr(j, "\"offset\": 4660,"));
	assert_int_equal(gt_trace_parse(j, strlen(j), "s.json", &back, &err), GT_OK);
	assert_int_equal(back->hash, t->hash);
	assert_int_equal(back->stacks->nstacks, 1);
	f = gt_stacks_get(back->stacks, back->procs[0].threads[0].events[1].stack, &n);
	assert_int_equal(n, 2);
	assert_string_equal(f[1].file, "/repo/x.c");
	assert_int_equal(f[1].line, 212);
	assert_int_equal(f[1].offset, 0x1234);
	assert_string_equal(f[1].symbol, "load");
	assert_null(f[0].file);
	assert_int_equal(back->procs[0].threads[0].events[0].stack, 0);
	gt_trace_free(back);
	free(j);
	free(plain);
	gt_trace_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stacks),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_alternatives),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_bad_inline),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_fastpath_agrees),
		cmocka_unit_test(test_fastpath_errors),
		cmocka_unit_test(test_load_pair),
		cmocka_unit_test(test_let_through_null),
		cmocka_unit_test(test_save),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test-trace: the trace model: event text formatting and parsing (round trips,
 * tricky quoting, every rejection), hashes, and the sorted syscall stats.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <xxhash.h>

#include "trace.h"

/* Parse TEXT, expecting success, and check that formatting the parts gives
 * TEXT back byte for byte. */
static void roundtrip(const char *text, size_t nargs, uint32_t count)
{
	struct gt_event_parts parts;
	struct gt_error err = {0};
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th;
	struct gt_event *e;
	struct gt_buf b = {0};

	if (gt_event_parse(text, &parts, &err) != GT_OK)
		fail_msg("cannot parse %s: %s", text, err.msg);
	assert_int_equal(parts.nargs, nargs);
	assert_int_equal(parts.count, count);
	th = gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");
	e = gt_thread_add_event(t, th, parts.call, (const char *const *)parts.args, parts.nargs,
				parts.ret, parts.count);
	gt_event_format(&b, e, true);
	assert_string_equal(b.s, text);
	gt_event_parts_free(&parts);
	gt_buf_free(&b);
	gt_trace_free(t);
}

/* Parse TEXT expecting GT_ERR_FORMAT and a message containing WHAT. */
static void rejected(const char *text, const char *what)
{
	struct gt_event_parts parts;
	struct gt_error err = {0};

	assert_int_equal(gt_event_parse(text, &parts, &err), GT_ERR_FORMAT);
	assert_int_equal(err.rc, GT_ERR_FORMAT);
	if (!strstr(err.msg, what))
		fail_msg("message for %s is \"%s\", wanted \"%s\"", text, err.msg, what);
	assert_non_null(strstr(err.msg, " in event \""));
	/* Nothing left to free, and freeing again is harmless. */
	assert_null(parts.storage_);
	gt_event_parts_free(&parts);
}

static void test_format(void **state)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");
	const char *args[] = {"fd3", "832"};
	struct gt_event *e;
	struct gt_buf b = {0};

	e = gt_thread_add_event(t, th, "read", args, 2, "832", 4);
	gt_event_format(&b, e, true);
	assert_string_equal(b.s, "read(fd3, 832) = 832 \xc3\x97" "4");
	gt_buf_reset(&b);
	gt_event_format(&b, e, false);
	assert_string_equal(b.s, "read(fd3, 832) = 832");
	gt_buf_reset(&b);
	e = gt_thread_add_event(t, th, "getpid", NULL, 0, "p1", 1);
	gt_event_format(&b, e, true);
	assert_string_equal(b.s, "getpid() = p1");
	gt_buf_reset(&b);
	/* A NULL return is "?", the unknown return. */
	e = gt_thread_add_event(t, th, "exit_group", args + 1, 1, NULL, 1);
	gt_event_format(&b, e, true);
	assert_string_equal(b.s, "exit_group(832) = ?");
	/* Strings are interned in the trace. */
	assert_ptr_equal(e->args[0], gt_trace_str(t, "832"));
	gt_buf_free(&b);
	gt_trace_free(t);
}

static void test_roundtrip(void **state)
{
	roundtrip("getpid() = p1", 0, 1);
	roundtrip("read(fd3, 832) = 832", 2, 1);
	roundtrip(("read(fd3, 832) = 832 \xc3\x97" "4"), 2, 4);
	roundtrip("read(fd3, 832) = 832 \xc3\x97" "4294967295", 2, UINT32_MAX);
	roundtrip("openat(AT_FDCWD, \"$CWD/x\", O_RDONLY) = -1 ENOENT", 3, 1);
	roundtrip("execve(\"/usr/bin/ls\", [\"ls\", \"-la\"], ptr) = 0", 3, 1);
	roundtrip("mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd3, 0) = addr", 6, 1);
	roundtrip("write(1, *, 12) = *", 3, 1);
	roundtrip("f(\"\") = 0", 1, 1);
	roundtrip("f(a, ) = 0", 2, 1);
	roundtrip("f(a,, b) = 0", 2, 1);
	roundtrip("f() = ", 0, 1);
}

static void test_tricky(void **state)
{
	struct gt_event_parts p;
	struct gt_error err = {0};
	const char *t1 = "openat(AT_FDCWD, \"a, b) = c\", 0) = fd3";
	const char *t2 = "open(\"say \\\"hi, there\\\"\\\\\", 1) = 0";
	const char *t3 = "open(\"\\303\\227, x\\n\", 2) = 0";
	const char *t4 = "clone3({flags=CLONE_VM, sig=[SIGA, SIGB], f=g(1, 2)}, 88) = p2 "
			 "\xc3\x97" "3";
	const char *t5 = "open(\"]}), \\\"[{(\", 1) = 0";

	roundtrip(t1, 3, 1);
	assert_int_equal(gt_event_parse(t1, &p, &err), GT_OK);
	assert_string_equal(p.call, "openat");
	assert_string_equal(p.args[1], "\"a, b) = c\"");
	assert_string_equal(p.args[2], "0");
	assert_string_equal(p.ret, "fd3");
	gt_event_parts_free(&p);

	roundtrip(t2, 2, 1);
	assert_int_equal(gt_event_parse(t2, &p, &err), GT_OK);
	assert_string_equal(p.args[0], "\"say \\\"hi, there\\\"\\\\\"");
	assert_string_equal(p.args[1], "1");
	gt_event_parts_free(&p);

	roundtrip(t3, 2, 1);

	roundtrip(t4, 2, 3);
	assert_int_equal(gt_event_parse(t4, &p, &err), GT_OK);
	assert_string_equal(p.args[0], "{flags=CLONE_VM, sig=[SIGA, SIGB], f=g(1, 2)}");
	assert_string_equal(p.args[1], "88");
	assert_string_equal(p.ret, "p2");
	gt_event_parts_free(&p);

	roundtrip(t5, 2, 1);
	/* " = " in the return value belongs to it. */
	assert_int_equal(gt_event_parse("f(a) = b = c", &p, &err), GT_OK);
	assert_string_equal(p.ret, "b = c");
	gt_event_parts_free(&p);
}

static void test_reject(void **state)
{
	char big[300];

	rejected("", "missing '('");
	rejected("getpid = 0", "missing '('");
	rejected("(a) = 0", "empty call name");
	rejected("Open(a) = 0", "bad call name");
	rejected("open at(a) = 0", "bad call name");
	rejected("op\xc3\xa9n(a) = 0", "bad call name");
	rejected("open(\"abc) = 0", "unbalanced quote");
	rejected("open(\"abc\\\") = 0", "unbalanced quote");
	rejected("open(\"abc\\", "unbalanced quote");
	rejected("open([a, b) = 0", "unbalanced brackets");
	rejected("open({a, b) = 0", "unbalanced brackets");
	rejected("open(a]) = 0", "unbalanced brackets");
	rejected("open([a}) = 0", "unbalanced brackets");
	rejected("open(a, b", "missing ')'");
	rejected("open(a) 0", "missing \" = \"");
	rejected("open(a)= 0", "missing \" = \"");
	rejected("open(a) =", "missing \" = \"");
	rejected("f(1, 2, 3, 4, 5, 6, 7) = 0", "too many arguments");
	rejected("f(1, 2, 3, 4, 5, 6, ) = 0", "too many arguments");
	rejected("f(a) = 0 \xc3\x97", "bad count");
	rejected(("f(a) = 0 \xc3\x97" "0"), "bad count");
	rejected("f(a) = 0 \xc3\x97" "01", "bad count");
	rejected("f(a) = 0 \xc3\x97" "-1", "bad count");
	rejected("f(a) = 0 \xc3\x97" "3x", "bad count");
	rejected("f(a) = 0 \xc3\x97" "4294967296", "bad count");
	rejected("f(a) = 0 \xc3\x97" "99999999999999999999999", "bad count");
	rejected("f(a) = 0 \xc3\x97" " 3", "bad count");
	rejected("f(\"\xff\") = 0", "invalid UTF-8");
	rejected("f(\"\xc3\") = 0", "invalid UTF-8");

	/* Deep nesting is refused, not a stack overflow. */
	memset(big, '[', sizeof(big));
	memcpy(big, "f(", 2);
	big[sizeof(big) - 1] = '\0';
	rejected(big, "nested too deeply");
	/* Long text is cut in the message, which stays printable ASCII. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "f(\n\xc3\xa9", 5);
	big[sizeof(big) - 1] = '\0';
	{
		struct gt_event_parts p;
		struct gt_error err = {0};

		assert_int_equal(gt_event_parse(big, &p, &err), GT_ERR_FORMAT);
		assert_true(strlen(err.msg) < 120);
		assert_non_null(strstr(err.msg, "...\""));
		for (const char *c = err.msg; *c; c++)
			assert_true(*c >= 0x20 && *c < 0x7f);
	}
}

/* gt_event_parse_buf gives what gt_event_parse gives, line after line, in
 * one reused buffer, and fails with the same message. */
static void test_parse_buf(void **state)
{
	static const char *const lines[] = {
		"openat(AT_FDCWD, \"a, b) = c\", 0) = fd3",
		"getpid() = p1",
		("read(fd3, 832) = 832 \xc3\x97" "4"),
		"open(\"say \\\"hi, there\\\"\\\\\", 1) = 0",
		"f() = ",
		"clone3({flags=CLONE_VM, sig=[SIGA, SIGB], f=g(1, 2)}, 88) = p2",
	};
	static const char *const bad[] = {
		"getpid = 0", "open(\"abc) = 0", ("f(a) = 0 \xc3\x97" "0"), "f(\"\xff\") = 0", "",
	};
	struct gt_event_parts a, b;
	struct gt_error ea = {0}, eb = {0};
	struct gt_buf buf = {0};
	char *first;

	for (size_t i = 0; i < GT_ARRAY_SIZE(lines); i++) {
		assert_int_equal(gt_event_parse(lines[i], &a, &ea), GT_OK);
		assert_int_equal(gt_event_parse_buf(lines[i], &b, &buf, &eb), GT_OK);
		assert_null(b.storage_);
		assert_string_equal(b.call, a.call);
		assert_int_equal(b.nargs, a.nargs);
		for (size_t k = 0; k < a.nargs; k++)
			assert_string_equal(b.args[k], a.args[k]);
		assert_string_equal(b.ret, a.ret);
		assert_int_equal(b.count, a.count);
		/* The parts point into the buffer. */
		assert_true(b.call >= buf.s && b.call < buf.s + buf.len);
		gt_event_parts_free(&a);
		gt_event_parts_free(&b);
	}
	/* A line no longer than the longest before it reuses the storage. */
	first = buf.s;
	assert_int_equal(gt_event_parse_buf("f(a) = 0", &b, &buf, &eb), GT_OK);
	assert_ptr_equal(buf.s, first);
	for (size_t i = 0; i < GT_ARRAY_SIZE(bad); i++) {
		assert_int_equal(gt_event_parse(bad[i], &a, &ea), GT_ERR_FORMAT);
		assert_int_equal(gt_event_parse_buf(bad[i], &b, &buf, &eb), GT_ERR_FORMAT);
		assert_int_equal(eb.rc, GT_ERR_FORMAT);
		assert_string_equal(eb.msg, ea.msg);
		assert_null(b.call);
		assert_null(b.storage_);
	}
	/* The buffer still works after a failure. */
	assert_int_equal(gt_event_parse_buf("g(x) = 1", &b, &buf, &eb), GT_OK);
	assert_string_equal(b.call, "g");
	assert_string_equal(b.args[0], "x");
	gt_buf_free(&buf);
}

/* Feed "TAG<len>:S\n" to ST, as the trace hash is specified. */
static void ref_item(XXH3_state_t *st, char tag, const char *s)
{
	char head[32];
	int n = snprintf(head, sizeof(head), "%c%zu:", tag, strlen(s));

	XXH3_64bits_update(st, head, (size_t)n);
	XXH3_64bits_update(st, s, strlen(s));
	XXH3_64bits_update(st, "\n", 1);
}

/* The hashes avoid allocating for short events and take the heap for long
 * ones: either way they are xxh3 of the text that gt_event_format writes. */
static void test_hash_long(void **state)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");
	struct gt_buf b = {0};
	char arg[2000];
	const char *args[] = {arg, "2000"};
	XXH3_state_t *st = XXH3_createState();
	/* "fsetxattr(ARG, 2000) = 2000" is 24 bytes more than ARG, and the count
	 * " \xc3\x97N" 4 or 5 more: these straddle the 512 bytes on the stack. */
	size_t lens[] = {10, 400, 486, 487, 488, 489, 490, 491, 492, 493, 600, 1999};

	assert_non_null(st);
	for (size_t i = 0; i < GT_ARRAY_SIZE(lens); i++) {
		memset(arg, 'x', lens[i]);
		arg[0] = '"';
		arg[lens[i] - 1] = '"';
		arg[lens[i]] = '\0';
		gt_thread_add_event(t, th, "fsetxattr", args, 2, "2000", 1);
		gt_thread_add_event(t, th, "fsetxattr", args, 2, "2000", (uint32_t)(i + 2));
	}
	XXH3_64bits_reset(st);
	ref_item(st, 'P', "p1");
	ref_item(st, 'T', "p1");
	for (size_t k = 0; k < th->nevents; k++) {
		gt_buf_reset(&b);
		gt_event_format(&b, &th->events[k], false);
		assert_int_equal(th->events[k].hash, XXH3_64bits(b.s, b.len));
		assert_int_equal(gt_event_hash(&th->events[k]), th->events[k].hash);
		gt_buf_reset(&b);
		gt_event_format(&b, &th->events[k], true);
		ref_item(st, 'E', b.s);
	}
	assert_int_equal(gt_trace_hash(t), XXH3_64bits_digest(st));
	XXH3_freeState(st);
	gt_buf_free(&b);
	gt_trace_free(t);
}

/* Byte-count calls: the bytes are a measurement, not the identity. */
static void test_bytes_identity(void **state)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");
	const char *a4k[] = {"3", "4096"}, *a1k[] = {"3", "1024"}, *a4[] = {"4", "4096"};
	struct gt_event *r1 = gt_thread_add_event(t, th, "read", a4k, 2, "296", 1);
	struct gt_event *r2 = gt_thread_add_event(t, th, "read", a1k, 2, "\u03a313288", 5);
	struct gt_event *eof = gt_thread_add_event(t, th, "read", a4k, 2, "0", 1);
	struct gt_event *fd4 = gt_thread_add_event(t, th, "read", a4, 2, "296", 1);
	struct gt_event *err = gt_thread_add_event(t, th, "read", a4k, 2, "-1 EIO", 1);
	struct gt_event *other = gt_thread_add_event(t, th, "fsetxattr", a4k, 2, "296", 1);
	struct gt_event *o2 = gt_thread_add_event(t, th, "fsetxattr", a1k, 2, "296", 1);
	double lo, hi;

	(void)state;
	/* The size asked for and the bytes moved are not the identity... */
	assert_int_equal(r1->hash, r2->hash);
	/* ... end of file, an error and another descriptor are. */
	assert_int_not_equal(r1->hash, eof->hash);
	assert_int_not_equal(r1->hash, err->hash);
	assert_int_not_equal(r1->hash, fd4->hash);
	/* Other calls hash their whole text. */
	assert_int_not_equal(other->hash, o2->hash);
	assert_true(gt_event_bytes(r1, &lo, &hi) && lo == 296 && hi == 296);
	assert_true(gt_event_bytes(r2, &lo, &hi) && lo == 13288 && hi == 13288);
	r2->ret = gt_trace_str(t, "296..328");
	assert_true(gt_event_bytes(r2, &lo, &hi) && lo == 296 && hi == 328);
	r2->ret = gt_trace_str(t, "\u03a34096..8192");
	assert_true(gt_event_bytes(r2, &lo, &hi) && lo == 4096 && hi == 8192);
	assert_false(gt_event_bytes(eof, &lo, &hi));
	assert_false(gt_event_bytes(err, &lo, &hi));
	assert_false(gt_event_bytes(other, &lo, &hi));
	r2->ret = gt_trace_str(t, "12..");
	assert_false(gt_event_bytes(r2, &lo, &hi));
	gt_trace_free(t);
}

static void test_env_diff(void **state)
{
	struct gt_trace_env a = { "6.1.0", "2.36", 2, "ext4", 1 };
	struct gt_trace_env b = { "6.1.0", "2.36", 1, "tmpfs", 0 };
	struct gt_trace_env u = { NULL, NULL, 0, NULL, -1 };
	char *d;

	(void)state;
	d = gt_env_diff(&a, &b);
	assert_string_equal(d, "cpus 2 -> 1, fs ext4 -> tmpfs, root yes -> no");
	free(d);
	assert_null(gt_env_diff(&a, &a));
	/* Only what both sides know. */
	assert_null(gt_env_diff(&a, &u));
}

static void test_hash(void **state)
{
	struct gt_trace *a = gt_trace_new(), *b = gt_trace_new();
	struct gt_thread *ta = gt_process_add_thread(a, gt_trace_add_process(a, "p1", NULL), "p1");
	struct gt_thread *tb = gt_process_add_thread(b, gt_trace_add_process(b, "p1", NULL), "p1");
	const char *args[] = {"fd3", "832"};
	const char *args2[] = {"fd3, 832"};
	struct gt_event *ea, *eb, *ec;
	uint64_t h;

	ea = gt_thread_add_event(a, ta, "lseek", args, 2, "832", 1);
	eb = gt_thread_add_event(b, tb, "lseek", args, 2, "832", 1);
	/* Same text, same hash, in any trace, and stable across releases (the
	 * goldens store it). */
	assert_int_equal(ea->hash, eb->hash);
	assert_int_equal(ea->hash, gt_event_hash(ea));
	gt_trace_rehash(a);
	gt_trace_rehash(b);
	assert_int_equal(a->hash, b->hash);
	assert_int_equal(a->hash, gt_trace_hash(a));
	h = a->hash;
	gt_trace_rehash(a);
	assert_int_equal(a->hash, h);

	/* A different count: same event hash, different trace hash. */
	tb->events[0].count = 4;
	gt_trace_rehash(b);
	assert_int_equal(tb->events[0].hash, ea->hash);
	assert_int_not_equal(b->hash, a->hash);
	tb->events[0].count = 1;
	gt_trace_rehash(b);
	assert_int_equal(b->hash, a->hash);

	/* A different return or argument: a different event hash. */
	ec = gt_thread_add_event(b, tb, "lseek", args, 2, "0", 1);
	assert_int_not_equal(ec->hash, ea->hash);
	/* The hash is over the text: one argument "fd3, 832" reads the same. */
	ec = gt_thread_add_event(b, tb, "lseek", args2, 1, "832", 1);
	assert_int_equal(ec->hash, ea->hash);

	/* The scheme is fixed (goldens store the hash): the event hash is xxh3
	 * of the identity without count, the trace hash xxh3 over tagged netstrings
	 * "P<len>:<process id>\n", "T<len>:<thread id>\n", "E<len>:<event>\n". */
	gt_trace_free(b);
	b = gt_trace_new();
	tb = gt_process_add_thread(b, gt_trace_add_process(b, "p1", NULL), "p1");
	ec = gt_thread_add_event(b, tb, "read", args, 2, "832", 4);
	gt_trace_rehash(b);
	/* (read is a byte-count call: its event hash is of its identity.) */
	assert_int_equal(ec->hash, XXH3_64bits("read(fd3, #) = #", 16));
	assert_int_equal(b->hash, UINT64_C(0xe8f36dc975ab093c));

	/* Thread and process structure is part of the trace hash. */
	gt_trace_free(b);
	b = gt_trace_new();
	tb = gt_process_add_thread(b, gt_trace_add_process(b, "p1", NULL), "p1.t2");
	gt_thread_add_event(b, tb, "lseek", args, 2, "832", 1);
	gt_trace_rehash(b);
	assert_int_not_equal(b->hash, a->hash);
	gt_trace_free(b);
	b = gt_trace_new();
	gt_process_add_thread(b, gt_trace_add_process(b, "p1", NULL), "p1");
	tb = gt_process_add_thread(b, &b->procs[0], "p1.t2");
	gt_thread_add_event(b, tb, "lseek", args, 2, "832", 1);
	gt_trace_rehash(b);
	assert_int_not_equal(b->hash, a->hash);
	/* An empty trace has a hash too, different from both. */
	gt_trace_free(b);
	b = gt_trace_new();
	gt_trace_rehash(b);
	assert_int_not_equal(b->hash, a->hash);

	gt_trace_free(a);
	gt_trace_free(b);
}

static void test_sysstat(void **state)
{
	static const char *const names[] = {"read", "openat", "write", "close", "read",
					    "brk", "zzz", "openat", "a", "mmap"};
	static const char *const sorted[] = {"a", "brk", "close", "mmap", "openat", "read",
					     "write", "zzz"};
	struct gt_trace *t = gt_trace_new();
	struct gt_syscall_stat *s;

	for (size_t i = 0; i < GT_ARRAY_SIZE(names); i++) {
		s = gt_trace_sysstat(t, names[i]);
		assert_string_equal(s->name, names[i]);
		s->calls.max += 1;
	}
	assert_int_equal(t->nsysstats, GT_ARRAY_SIZE(sorted));
	for (size_t i = 0; i < GT_ARRAY_SIZE(sorted); i++)
		assert_string_equal(t->sysstats[i].name, sorted[i]);
	/* Existing entries are found, not duplicated, and kept their values. */
	assert_true(gt_trace_sysstat(t, "read")->calls.max == 2);
	assert_true(gt_trace_sysstat(t, "a")->calls.max == 1);
	assert_true(gt_trace_sysstat(t, "zzz")->calls.max == 1);
	/* A new one is zeroed. */
	s = gt_trace_sysstat(t, "fsync");
	assert_true(s->calls.max == 0 && s->errors.median == 0 && s->time_us.mad == 0);
	assert_int_equal(t->nsysstats, GT_ARRAY_SIZE(sorted) + 1);
	assert_string_equal(t->sysstats[3].name, "fsync");
	gt_trace_free(t);
}

static void test_model(void **state)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p;
	struct gt_thread *th;
	const char *args[] = {"x"};

	assert_int_equal(t->version, GT_TRACE_VERSION);
	assert_non_null(t->generator);
	assert_int_equal(strncmp(t->generator, "gtdiff", 6), 0);
	p = gt_trace_add_process(t, "p1", NULL);
	assert_null(p->parent);
	th = gt_process_add_thread(t, p, "p1");
	gt_thread_add_event(t, th, "f", args, 1, "0", 3);
	gt_thread_add_event(t, th, "g", NULL, 0, "0", 1);
	p = gt_trace_add_process(t, "p2", "p1");
	assert_ptr_equal(p->parent, t->procs[0].id);
	th = gt_process_add_thread(t, p, "p2");
	gt_thread_add_event(t, th, "f", args, 1, "0", 10);
	assert_int_equal(gt_trace_event_total(t), 14);
	gt_trace_add_masked(t, "p1 event 1 arg 1");
	gt_trace_add_command(t, "ls");
	gt_trace_add_unordered(t, "futex");
	gt_trace_add_ignored(t, "getrandom");
	assert_int_equal(t->nmasked, 1);
	assert_int_equal(t->ncommand, 1);
	assert_int_equal(t->nunordered, 1);
	assert_int_equal(t->nignored, 1);

	/* Bytes that are not UTF-8 are replaced so that the golden keeps them. */
	args[0] = "\"a\xff\xc3\"";
	gt_thread_add_event(t, th, "f", args, 1, "0", 1);
	assert_string_equal(th->events[1].args[0], "\"a\xef\xbf\xbd\xef\xbf\xbd\"");
	assert_string_equal(gt_trace_str_utf8(t, "\xc3\xa9\xed\xa0\x80"),
			    "\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	assert_int_equal(gt_trace_utf8_len("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(gt_trace_utf8_len("\xf0\x9f\x98", 3), 0);
	assert_int_equal(gt_trace_utf8_len("\xc0\xaf", 2), 0);
	gt_trace_free(t);
	gt_trace_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_tricky),
		cmocka_unit_test(test_reject),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_bytes_identity),
		cmocka_unit_test(test_env_diff),
		cmocka_unit_test(test_hash_long),
		cmocka_unit_test(test_parse_buf),
		cmocka_unit_test(test_sysstat),
		cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test-canon: the canonicalizer.  Each rule alone first (paths, temp names,
 * loader probes, fd numbering, repeats), then gt_canon_build on hand-built
 * captures, checking the exact canonical text, then gt_canon_merge_runs.
 * The determinism property in miniature: the same behaviour recorded with
 * other pids, fd numbers, directories and temp names gives the same trace.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "canon.h"
#include "event-lines.h"

#define X "\xc3\x97" /* the multiplication sign of "×N" */
#define FDCWD ((uint64_t)(int64_t)AT_FDCWD)
#define PTR 0x7ffd0000aa00ULL
#define U64(v) ((uint64_t)(int64_t)(v))

/* ---- helpers ---- */

static char *canon_path(const struct gt_canon_opts *o, const char *path, gt_pid_namer namer)
{
	struct gt_buf b = { 0 };

	gt_canon_path(o, path, namer, NULL, &b);
	return b.s ? gt_buf_steal(&b) : xstrdup("");
}

static void check_path(const struct gt_canon_opts *o, const char *path, const char *want)
{
	char *got = canon_path(o, path, NULL);

	assert_string_equal(got, want);
	free(got);
}

static const char *test_namer(void *ctx, pid_t pid)
{
	(void)ctx;
	if (pid == 1234)
		return "p2";
	if (pid == 1235)
		return "p2.t2";
	return NULL;
}

static struct gt_raw_event *add_ev(struct gt_capture *c, uint32_t task, const char *name,
				   int64_t ret, const uint64_t *args, size_t nargs)
{
	struct gt_raw_event *e;
	int nr = gt_syscall_nr(name);

	assert_true(nr >= 0);
	e = gt_capture_add_event(c);
	e->task = task;
	e->nr = nr;
	e->ret = ret;
	for (size_t i = 0; i < nargs; i++)
		e->args[i] = args[i];
	/* Every call takes 2 us, so time_us = 2 * calls. */
	e->t_enter_ns = c->nevents * 10000;
	e->t_exit_ns = e->t_enter_ns + 2000;
	return e;
}

#define EV(c, task, name, ret, ...)                                                         \
	add_ev(c, task, name, ret, (const uint64_t[]){ __VA_ARGS__ },                       \
	       sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t))
#define EV0(c, task, name, ret) add_ev(c, task, name, ret, NULL, 0)

/* Attach fetched memory for argument ARGI to the last event. */
static void put_mem(struct gt_capture *c, int argi, const void *p, size_t n)
{
	uint32_t off = gt_capture_blob_add(c, p, n);
	struct gt_raw_event *e = &c->events[c->nevents - 1];
	int slot = e->argi[0] == 0xff ? 0 : 1;

	e->mem[slot] = off;
	e->argi[slot] = (uint8_t)argi;
}

static void put_str(struct gt_capture *c, int argi, const char *s)
{
	put_mem(c, argi, s, strlen(s) + 1);
}

static void put_argv(struct gt_capture *c, int argi, const char *const *v)
{
	struct gt_buf b = { 0 };
	uint32_t n = 0;

	while (v[n])
		n++;
	gt_buf_add(&b, (const char *)&n, sizeof(n));
	for (uint32_t i = 0; i < n; i++)
		gt_buf_add(&b, v[i], strlen(v[i]) + 1);
	put_mem(c, argi, b.s, b.len);
	gt_buf_free(&b);
}

static void put_sockaddr(struct gt_capture *c, int argi, const void *sa, uint32_t len)
{
	char buf[256];

	memcpy(buf, &len, sizeof(len));
	memcpy(buf + sizeof(len), sa, len);
	put_mem(c, argi, buf, sizeof(len) + len);
}

static char *fmt_event(const struct gt_event *e)
{
	struct gt_buf b = { 0 };

	gt_event_format(&b, e, true);
	return gt_buf_steal(&b);
}

static void check_thread(const struct gt_thread *th, const char *const *want, size_t n)
{
	for (size_t i = 0; i < n && i < th->nevents; i++) {
		char *got = fmt_event(&th->events[i]);

		assert_string_equal(got, want[i]);
		free(got);
	}
	assert_int_equal(th->nevents, n);
}

#define CHECK_THREAD(th, ...)                                                                  \
	do {                                                                                   \
		static const char *const want_[] = { __VA_ARGS__ };                            \
		check_thread(th, want_, GT_ARRAY_SIZE(want_));                                 \
	} while (0)

static struct gt_trace *build(const struct gt_capture *c, const struct gt_canon_opts *o)
{
	struct gt_trace *t = NULL;
	struct gt_error err = { 0 };

	assert_int_equal(gt_canon_build(c, o, &t, &err), GT_OK);
	assert_non_null(t);
	return t;
}

static const struct gt_syscall_stat *stat_of(const struct gt_trace *t, const char *name)
{
	for (size_t i = 0; i < t->nsysstats; i++)
		if (strcmp(t->sysstats[i].name, name) == 0)
			return &t->sysstats[i];
	return NULL;
}

/* stat_of for a stat that must be there: fails the test, never NULL (so
 * that an -O2 build sees no null dereference). */
static const struct gt_syscall_stat *must_stat(const struct gt_trace *t, const char *name)
{
	static const struct gt_syscall_stat none;
	const struct gt_syscall_stat *s = stat_of(t, name);

	if (!s) {
		fail_msg("no statistics for %s", name);
		return &none;
	}
	return s;
}

/* ---- gt_canon_path ---- */

static void test_path_prefixes(void **state)
{
	/* $TMP and $GOLDEN lie inside $CWD: the longest prefix wins. */
	struct gt_canon_opts o = {
		.cwd = "/home/u/proj",
		.home = "/home/u",
		.tmp = "/home/u/proj/tmp/",
		.golden = "/home/u/proj/golden_traces",
	};

	(void)state;
	check_path(&o, "/home/u/proj/src/a.c", "$CWD/src/a.c");
	check_path(&o, "/home/u/.config/x", "$HOME/.config/x");
	check_path(&o, "/home/u/proj/tmp/f", "$TMP/f");
	check_path(&o, "/home/u/proj/tmp", "$TMP");
	check_path(&o, "/home/u/proj/golden_traces/c.json", "$GOLDEN/c.json");
	check_path(&o, "/home/u/proj", "$CWD");
	/* A directory above $CWD is $CWD/.. even when it is $HOME: a walk up
	 * from $CWD must not depend on whether the checkout is under $HOME. */
	check_path(&o, "/home/u", "$CWD/..");
	check_path(&o, "/home", "$CWD/..");
	check_path(&o, "/home/", "$CWD/..");
	check_path(&o, "/", "/");
	/* Whole components only. */
	check_path(&o, "/home/user/x", "/home/user/x");
	check_path(&o, "/home/u/projX/a", "$HOME/projX/a");
	check_path(&o, "/home/u/proj/tmpdir/a", "$CWD/tmpdir/a");
	/* Relative paths and others as they are, // and trailing / kept. */
	check_path(&o, "src/a.c", "src/a.c");
	check_path(&o, "/etc//passwd/", "/etc//passwd/");
	check_path(&o, "/home/u/proj//x/", "$CWD//x/");
	check_path(NULL, "/home/u/proj/x", "/home/u/proj/x");
}

static void test_path_user_rules(void **state)
{
	const struct gt_path_rule rules[] = {
		{ "/opt/build", "$BUILD" },
		{ "/home/u/proj/out", "$OUT" },
		{ "/home/u/proj", "$PROJ" },
		{ "/", "$ROOT" }, /* ignored: would swallow everything */
		{ "/opt/build/", "$LATER" }, /* same prefix: the first rule wins */
	};
	struct gt_canon_opts o = {
		.cwd = "/home/u/proj", .home = "/home/u", .rules = rules, .nrules = 5,
	};

	(void)state;
	check_path(&o, "/opt/build/lib/x.so", "$BUILD/lib/x.so");
	check_path(&o, "/opt/buildx/y", "/opt/buildx/y");
	/* Longer than $CWD: the user rule wins. */
	check_path(&o, "/home/u/proj/out/a.o", "$OUT/a.o");
	/* As long as $CWD: user rules come first. */
	check_path(&o, "/home/u/proj/a.c", "$PROJ/a.c");
	check_path(&o, "/usr/bin/ls", "/usr/bin/ls");
}

static void test_path_proc(void **state)
{
	char *got;

	(void)state;
#define PROC(in, want)                                   \
	do {                                             \
		got = canon_path(NULL, in, test_namer);  \
		assert_string_equal(got, want);          \
		free(got);                               \
	} while (0)
	PROC("/proc/1234/fd/3", "/proc/p2/fd/3");
	PROC("/proc/1234", "/proc/p2");
	PROC("/proc/1234/task/1235/stat", "/proc/p2/task/p2.t2/stat");
	PROC("/proc/self/maps", "/proc/self/maps");
	PROC("/proc/self/task/1235/comm", "/proc/self/task/p2.t2/comm");
	PROC("/proc/99/status", "/proc/99/status"); /* the namer does not know it */
	PROC("/proc/1234x/status", "/proc/1234x/status");
	PROC("/proc/cpuinfo", "/proc/cpuinfo");
	PROC("/proc2/1234", "/proc2/1234");
#undef PROC
	/* Without a namer /proc paths stay. */
	check_path(NULL, "/proc/1234/fd/3", "/proc/1234/fd/3");
}

static void test_path_hwcaps(void **state)
{
	struct gt_canon_opts o = { .cwd = "/home/u/proj" };

	(void)state;
	check_path(&o, "/usr/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libz.so.1",
		   "/usr/lib/x86_64-linux-gnu/libz.so.1");
	check_path(&o, "/usr/lib/glibc-hwcaps/x86-64-v3", "/usr/lib");
	check_path(&o, "/home/u/proj/lib/glibc-hwcaps/x86-64-v2/libq.so",
		   "$CWD/lib/libq.so");
	/* Only as a whole component, and only with a level after it. */
	check_path(&o, "/usr/lib/my-glibc-hwcaps/v3/a", "/usr/lib/my-glibc-hwcaps/v3/a");
	check_path(&o, "/usr/lib/glibc-hwcaps/", "/usr/lib/glibc-hwcaps/");
}

/* ---- temp names ---- */

static void check_suffix(const char *name, bool created, size_t want_len, size_t want_off)
{
	size_t off = 999, len = gt_canon_temp_suffix(name, created, &off);

	assert_int_equal(len, want_len);
	if (want_len)
		assert_int_equal(off, want_off);
}

static void test_temp_suffix(void **state)
{
	(void)state;
	/* mkstemp: the last six characters of the stem. */
	check_suffix("ccAbC123.s", true, 6, 2);
	check_suffix("tmpfileR4nD0m", true, 6, 7);
	check_suffix("ccAbC123.s", false, 0, 0);
	/* Python: tmp + 8 of [a-z0-9_], created or not. */
	check_suffix("tmpk2j3_h4g", false, 8, 3);
	check_suffix("tmpk2j3_h4g.py", false, 8, 3);
	check_suffix("tmpk2j3_h4g", true, 8, 3);
	check_suffix("tmpABCDEFGH", false, 0, 0);
	check_suffix("tmpk2j3_h4", false, 0, 0);
	/* Ordinary names not created by the run stay. */
	check_suffix("config.json", false, 0, 0);
	check_suffix("Makefile", false, 0, 0);
	/* Created, but a stem under six characters: no random part. */
	check_suffix("ab.txt", true, 0, 0);
	check_suffix("x", true, 0, 0);
	/* The boundary: a stem of exactly six, and of five. */
	check_suffix("R4nD0m.txt", true, 6, 0);
	check_suffix("R4nD0.txt", true, 0, 0);
	/* The random part is alphanumeric. */
	check_suffix("my-file-name.txt", true, 0, 0);
	/* A dot file's leading dot belongs to its stem. */
	check_suffix(".lockR4nD0m", true, 6, 5);
	/* mkdtemp("foo.XXXXXX"), mktemp(1)'s tmp.XXXXXXXXXX. */
	check_suffix("foo.Ab12Cd", true, 6, 4);
	check_suffix("tmp.AbC123xyz9", true, 10, 4);
}

/* ---- loader probes ---- */

static void test_loader_probe(void **state)
{
	(void)state;
	assert_true(gt_canon_is_loader_probe(
		"openat", "/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libc.so.6", ENOENT));
	assert_true(gt_canon_is_loader_probe("open", "/usr/lib/tls/haswell/x86_64/libm.so.6",
					     ENOENT));
	assert_true(gt_canon_is_loader_probe("newfstatat", "/usr/lib/tls", ENOENT));
	assert_true(gt_canon_is_loader_probe("openat", "/opt/app/lib/libfoo.so", ENOTDIR));
	assert_true(gt_canon_is_loader_probe("stat", "libbar.so.1.2", ENOENT));
	assert_true(gt_canon_is_loader_probe("access", "/usr/lib/aarch64/x", ENOENT));
	assert_true(gt_canon_is_loader_probe("statx", "/lib/avx512_1/libc.so.6", ENOENT));
	/* Not a probe: the preload file, other errors, success, other calls,
	 * ordinary files, look-alike directories. */
	assert_false(gt_canon_is_loader_probe("access", "/etc/ld.so.preload", ENOENT));
	assert_false(gt_canon_is_loader_probe("openat", "/lib/libc.so.6", EACCES));
	assert_false(gt_canon_is_loader_probe("openat", "/lib/libc.so.6", 0));
	assert_false(gt_canon_is_loader_probe("readlink", "/lib/libc.so.6", ENOENT));
	assert_false(gt_canon_is_loader_probe("openat", "/home/u/.config/app", ENOENT));
	assert_false(gt_canon_is_loader_probe("openat", "/usr/lib/x86_64-linux-gnu/notalib",
					      ENOENT));
	assert_false(gt_canon_is_loader_probe("openat", "/data/mylib.so", ENOENT));
	assert_false(gt_canon_is_loader_probe("openat", "/data/libx.sox", ENOENT));
	assert_false(gt_canon_is_loader_probe("openat", NULL, ENOENT));
}

/* ---- environment probes ---- */

static void test_walkup_probe(void **state)
{
	struct gt_canon_opts o = {
		.home = "/tmp/t/a/home", .cwd = "/tmp/t/a/proj", .tmp = "/tmp/gtdiff-run.1",
	};

	(void)state;
	/* Python's prefix search from $HOME/.pyenv/shims up to the root. */
	assert_true(gt_canon_is_walkup_probe(&o, "/tmp/t/a/lib/python311.zip"));
	assert_true(gt_canon_is_walkup_probe(&o, "/tmp/t/lib/python311.zip"));
	assert_true(gt_canon_is_walkup_probe(&o, "/tmp/lib/python311.zip"));
	/* Under a placeholder, at the root, or elsewhere: a real lookup. */
	assert_false(gt_canon_is_walkup_probe(&o, "/tmp/t/a/home/lib/python311.zip"));
	assert_false(gt_canon_is_walkup_probe(&o, "/tmp/t/a/proj/x"));
	assert_false(gt_canon_is_walkup_probe(&o, "/lib/python311.zip"));
	assert_false(gt_canon_is_walkup_probe(&o, "/usr/lib/python311.zip"));
	assert_false(gt_canon_is_walkup_probe(&o, "/tmp"));
	assert_false(gt_canon_is_walkup_probe(&o, "relative/x"));
}

/* A PATH search shows as its hit, however many directories came first;
 * a lone probe next to a PATH directory (Python's pyvenv.cfg) stays. */
static void test_fold_path_searches(void **state)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
	struct gt_thread *th = gt_process_add_thread(t, p, "p1");
	const char *dirs[] = { "/usr/lib/git-core", "/home/u/bin/", "/usr/bin" };
	struct gt_canon_opts o = { .home = "/home/u", .path_dirs = dirs, .npath_dirs = 3 };
	const char *m1[] = { "AT_FDCWD", "\"/usr/lib/git-core/cat\"", "ptr", "0" };
	const char *m2[] = { "AT_FDCWD", "\"$HOME/bin/cat\"", "ptr", "0" };
	const char *hit[] = { "AT_FDCWD", "\"/usr/bin/cat\"", "ptr", "0" };
	const char *lone[] = { "AT_FDCWD", "\"/usr/bin/pyvenv.cfg\"", "O_RDONLY" };
	const char *back[] = { "\"/usr/bin/cc\"", "X_OK" };
	const char *fwd[] = { "\"/usr/lib/git-core/cc\"", "X_OK" };

	(void)state;
	gt_thread_add_event(t, th, "newfstatat", m1, 4, "-1 ENOENT", 1);
	gt_thread_add_event(t, th, "newfstatat", m2, 4, "-1 ENOENT", 1);
	gt_thread_add_event(t, th, "newfstatat", hit, 4, "0", 1);
	gt_thread_add_event(t, th, "openat", lone, 3, "-1 ENOENT", 1);
	/* Not in PATH order: two lookups, not one search. */
	gt_thread_add_event(t, th, "access", back, 2, "0", 1);
	gt_thread_add_event(t, th, "access", fwd, 2, "-1 ENOENT", 1);
	gt_trace_sysstat(t, "newfstatat")->calls.median = 3;
	gt_trace_sysstat(t, "newfstatat")->errors.median = 2;
	assert_int_equal(gt_canon_fold_path_searches(t, th, &o), 2);
	assert_int_equal(th->nevents, 4);
	assert_string_equal(th->events[0].args[1], "\"/usr/bin/cat\"");
	assert_string_equal(th->events[1].args[1], "\"/usr/bin/pyvenv.cfg\"");
	assert_string_equal(th->events[2].args[0], "\"/usr/bin/cc\"");
	assert_true(gt_trace_sysstat(t, "newfstatat")->calls.median == 1);
	assert_true(gt_trace_sysstat(t, "newfstatat")->errors.median == 0);
	/* A directory PATH names twice is searched twice: still one search. */
	th->nevents = 0;
	gt_thread_add_event(t, th, "newfstatat", m1, 4, "-1 ENOENT", 1);
	gt_thread_add_event(t, th, "newfstatat", m1, 4, "-1 ENOENT", 1);
	gt_thread_add_event(t, th, "newfstatat", hit, 4, "0", 1);
	assert_int_equal(gt_canon_fold_path_searches(t, th, &o), 2);
	assert_int_equal(th->nevents, 1);
	/* Hits in two PATH directories (which -a): both stay. */
	th->nevents = 0;
	gt_thread_add_event(t, th, "newfstatat", hit, 4, "0", 1);
	{
		const char *h2[] = { "AT_FDCWD", "\"$HOME/bin/cat\"", "ptr", "0" };

		gt_thread_add_event(t, th, "newfstatat", h2, 4, "0", 1);
	}
	th->events[0].args[1] = gt_trace_str(t, "\"/usr/lib/git-core/cat\"");
	assert_int_equal(gt_canon_fold_path_searches(t, th, &o), 0);
	assert_int_equal(th->nevents, 2);
	gt_trace_free(t);
}

/* ---- threads ---- */

/* A process whose threads split the same work another way, and whose
 * worker's exit was or was not reached, pools to the same sequence; a new
 * call in a worker still shows. */
static char *pooled(const char *const *lead, size_t nl, const char *const *work, size_t nw)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
	struct gt_thread *th;
	struct gt_buf b = { 0 };

	for (int k = 0; k < 2; k++) {
		const char *const *lines = k ? work : lead;
		size_t n = k ? nw : nl;

		th = gt_process_add_thread(t, p, k ? "p1.t2" : "p1");
		for (size_t i = 0; i < n; i++)
			add_line(t, th, lines[i]);
	}
	gt_canon_pool_threads(&t->procs[0]);
	for (size_t j = 0; j < p->nthreads; j++)
		gt_canon_collapse_repeats(t, &t->procs[0].threads[j]);
	assert_int_equal(t->procs[0].nthreads, 2);
	assert_int_equal(t->procs[0].threads[1].nevents, 0);
	for (size_t i = 0; i < t->procs[0].threads[0].nevents; i++) {
		gt_event_format(&b, &t->procs[0].threads[0].events[i], true);
		gt_buf_putc(&b, '\n');
	}
	gt_trace_free(t);
	return gt_buf_steal(&b);
}

static void test_pool_threads(void **state)
{
	const char *l1[] = { "openat|AT_FDCWD|\"in\"|O_RDONLY|3", "clone3|{flags=CLONE_VM|CLONE_THREAD}|88|p1.t2",
			     "newfstatat|1|\"\"|ptr|AT_EMPTY_PATH|0", "write|1|4096|4096",
			     "write|1|4096|4096", "exit_group|0|?" };
	const char *w1[] = { "rseq|ptr|0", "write|1|4096|4096", "exit|0|?" };
	const char *l2[] = { "openat|AT_FDCWD|\"in\"|O_RDONLY|3", "clone3|{flags=CLONE_VM|CLONE_THREAD}|88|p1.t2",
			     "write|1|4096|4096", "exit_group|0|?" };
	const char *w2[] = { "rseq|ptr|0", "newfstatat|1|\"\"|ptr|AT_EMPTY_PATH|0",
			     "write|1|4096|4096", "write|1|4096|4096" };
	const char *w3[] = { "rseq|ptr|0", "newfstatat|1|\"\"|ptr|AT_EMPTY_PATH|0",
			     "fsync|1|0", "write|1|4096|4096", "write|1|4096|4096" };
	char *a = pooled(l1, 6, w1, 3), *b = pooled(l2, 4, w2, 4), *c = pooled(l2, 4, w3, 5);

	(void)state;
	assert_string_equal(a, b);
	/* The leader's sequence up to its first thread stays in order. */
	assert_true(strncmp(a, "openat(AT_FDCWD, \"in\", O_RDONLY) = 3\nclone3(", 40) == 0);
	assert_non_null(strstr(a, "write(1, 4096) = \u03a312288 \u00d73\n"));
	assert_string_not_equal(a, c);
	assert_non_null(strstr(c, "fsync(1) = 0\n"));
	free(a);
	free(b);
	free(c);
	/* A worker killed by the exit_group before its way out (glibc's
	 * SIG_BLOCK, the stack's madvise, exit) did the same work; a
	 * SIG_BLOCK of its own work, before its last call, still shows. */
	{
		const char *w5[] = { "rseq|ptr|0", "write|1|4096|4096", "madvise|ptr|8372224|MADV_DONTNEED|0",
				     "rt_sigprocmask|SIG_BLOCK|ptr|NULL|8|0", "exit|0|?" };
		const char *w6[] = { "rseq|ptr|0", "write|1|4096|4096", "madvise|ptr|8372224|MADV_DONTNEED|0" };
		const char *w7[] = { "rseq|ptr|0", "write|1|4096|4096" };
		const char *w8[] = { "rseq|ptr|0", "rt_sigprocmask|SIG_BLOCK|ptr|NULL|8|0",
				     "write|1|4096|4096", "exit|0|?" };
		char *x5 = pooled(l1, 6, w5, 5), *x6 = pooled(l1, 6, w6, 3), *x7 = pooled(l1, 6, w7, 2);
		char *x8 = pooled(l1, 6, w8, 4);

		assert_string_equal(x5, x7);
		assert_string_equal(x6, x7);
		assert_string_not_equal(x8, x7);
		assert_non_null(strstr(x8, "rt_sigprocmask(SIG_BLOCK, ptr, NULL, 8) = 0\n"));
		free(x5);
		free(x6);
		free(x7);
		free(x8);
	}
	/* The pool ends where the leader execs: the new program's calls keep
	 * their order. */
	{
		const char *l4[] = { "clone3|{flags=CLONE_VM|CLONE_THREAD}|88|p1.t2",
				     "write|1|10|10", "execve|\"/bin/b\"|ptr|ptr|0", "uname|ptr|0",
				     "close|0|0", "exit_group|0|?" };
		const char *w4[] = { "rseq|ptr|0" };

		a = pooled(l4, 6, w4, 1);
		assert_non_null(strstr(a, "execve(\"/bin/b\", ptr, ptr) = 0\nuname(ptr) = 0\n"
					  "close(0) = 0\nexit_group(0) = ?\n"));
		free(a);
	}
}

/* ---- fd maps ---- */

static void test_fdmap_lowest_free(void **state)
{
	struct gt_fdmap *m = gt_fdmap_new();

	(void)state;
	for (int fd = 0; fd < 3; fd++)
		assert_int_equal(gt_fdmap_get(m, fd), fd);
	assert_int_equal(gt_fdmap_get(m, 5), -1);
	assert_int_equal(gt_fdmap_get(m, -1), -1);
	assert_int_equal(gt_fdmap_alloc(m, 1005, false), 3);
	assert_int_equal(gt_fdmap_alloc(m, 1007, false), 4);
	assert_int_equal(gt_fdmap_alloc(m, 1009, false), 5);
	gt_fdmap_close(m, 1005);
	assert_int_equal(gt_fdmap_get(m, 1005), -1);
	/* Reuse after close: the lowest free number. */
	assert_int_equal(gt_fdmap_alloc(m, 1010, false), 3);
	assert_int_equal(gt_fdmap_alloc(m, 1011, false), 6);
	/* A real fd already mapped (a close we missed) is re-numbered. */
	gt_fdmap_close(m, 1010);
	assert_int_equal(gt_fdmap_alloc(m, 1009, false), 3);
	assert_int_equal(gt_fdmap_get(m, 1009), 3);
	assert_int_equal(gt_fdmap_alloc(m, 1012, false), 5);
	/* stdio maps to itself while open, and again when reopened. */
	gt_fdmap_close(m, 1);
	assert_int_equal(gt_fdmap_get(m, 1), -1);
	assert_int_equal(gt_fdmap_alloc(m, 1, false), 1);
	gt_fdmap_close(m, 0);
	assert_int_equal(gt_fdmap_alloc(m, 1013, false), 7);
	assert_int_equal(gt_fdmap_alloc(m, -1, false), -1);
	gt_fdmap_free(m);
	gt_fdmap_free(NULL);
}

static void test_fdmap_exec_and_clone(void **state)
{
	struct gt_fdmap *m = gt_fdmap_new(), *c;

	(void)state;
	assert_int_equal(gt_fdmap_alloc(m, 10, true), 3);
	assert_int_equal(gt_fdmap_alloc(m, 11, false), 4);
	assert_int_equal(gt_fdmap_alloc(m, 12, false), 5);
	gt_fdmap_set_cloexec(m, 12, true);
	gt_fdmap_set_cloexec(m, 1, true);
	gt_fdmap_set_cloexec(m, 11, true);
	gt_fdmap_set_cloexec(m, 11, false);

	/* A fork's copy is independent of the original. */
	c = gt_fdmap_clone(m);
	gt_fdmap_close(c, 11);
	assert_int_equal(gt_fdmap_alloc(c, 20, false), 4);
	assert_int_equal(gt_fdmap_get(m, 11), 4);
	assert_int_equal(gt_fdmap_get(m, 20), -1);

	gt_fdmap_exec(m);
	assert_int_equal(gt_fdmap_get(m, 10), -1);
	assert_int_equal(gt_fdmap_get(m, 12), -1);
	assert_int_equal(gt_fdmap_get(m, 1), -1);
	assert_int_equal(gt_fdmap_get(m, 11), 4);
	assert_int_equal(gt_fdmap_get(m, 0), 0);
	assert_int_equal(gt_fdmap_alloc(m, 30, false), 3);
	assert_int_equal(gt_fdmap_alloc(m, 31, false), 5);
	/* The copy still has its cloexec fds. */
	assert_int_equal(gt_fdmap_get(c, 10), 3);
	assert_int_equal(gt_fdmap_get(c, 12), 5);
	gt_fdmap_free(m);
	gt_fdmap_free(c);
}

/* ---- repeats ---- */

static void add_simple(struct gt_trace *t, struct gt_thread *th, const char *call,
		       const char *arg, const char *ret, uint32_t count)
{
	const char *args[] = { arg };

	gt_thread_add_event(t, th, call, args, 1, ret, count);
}

static void test_collapse_repeats(void **state)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
	struct gt_thread *th = gt_process_add_thread(t, p, "p1");

	(void)state;
	for (int i = 0; i < 3; i++)
		add_simple(t, th, "lseek", "3", "832", 1);
	gt_canon_collapse_repeats(t, th);
	CHECK_THREAD(th, "lseek(3) = 832 " X "3");

	th->nevents = 0;
	add_simple(t, th, "lseek", "3", "1", 1);
	add_simple(t, th, "lseek", "3", "1", 1);
	add_simple(t, th, "lseek", "3", "0", 1);
	add_simple(t, th, "lseek", "3", "1", 1);
	add_simple(t, th, "lseek", "4", "1", 2);
	add_simple(t, th, "lseek", "4", "1", 3);
	add_simple(t, th, "fsync", "4", "1", 1);
	gt_canon_collapse_repeats(t, th);
	CHECK_THREAD(th, "lseek(3) = 1 " X "2", "lseek(3) = 0", "lseek(3) = 1",
		     "lseek(4) = 1 " X "5", "fsync(4) = 1");

	/* Byte-count calls collapse by identity and show their total: the
	 * same bytes in 4 KiB or 1 KiB chunks read alike but for the count. */
	th->nevents = 0;
	{
		const char *a4[] = { "3", "4096" }, *a1[] = { "3", "1024" };

		gt_thread_add_event(t, th, "read", a4, 2, "4096", 1);
		gt_thread_add_event(t, th, "read", a4, 2, "4096", 1);
		gt_thread_add_event(t, th, "read", a4, 2, "1000", 1);
		gt_thread_add_event(t, th, "read", a4, 2, "0", 1);
		for (int i = 0; i < 9; i++)
			gt_thread_add_event(t, th, "read", a1, 2, "1024", 1);
		gt_thread_add_event(t, th, "read", a1, 2, "976", 1);
		gt_thread_add_event(t, th, "read", a1, 2, "0", 1);
	}
	gt_canon_collapse_repeats(t, th);
	CHECK_THREAD(th, "read(3, 4096) = \u03a39192 " X "3", "read(3, 4096) = 0",
		     "read(3, 1024) = \u03a310192 " X "10", "read(3, 1024) = 0");
	assert_int_equal(th->events[0].hash, th->events[2].hash);
	gt_trace_free(t);
}

/* ---- gt_canon_build: a two-process run ---- */

/* What must not matter between two recordings of the same behaviour. */
struct world {
	pid_t pid;                 /* root's real pid */
	int fdoff;                 /* added to every real fd above 2 */
	const char *cwd, *home, *tmp;
	const char *rand;          /* mkstemp's random part */
	const char *py;            /* Python's random part */
	uint64_t addr;             /* where mmap puts things */
};

static const struct world world_a = {
	1000, 0, "/home/alice/proj", "/home/alice", "/tmp/gtdiff-a1b2c3",
	"R4nD0m", "ab12cd34", 0x7f1200000000ULL,
};

/* Other pids, fds, dirs ($TMP inside $CWD this time), random names. */
static const struct world world_b = {
	52000, 1000, "/srv/ci/work", "/root", "/srv/ci/work/.tmp/run-7",
	"Qz9xY1", "zz99_y00", 0x55aa00000000ULL,
};

static uint64_t rfd(const struct world *w, int fd)
{
	return (uint64_t)(fd + w->fdoff);
}

static char *wpath(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *wpath(const char *dir, const char *fmt, ...)
{
	struct gt_buf b = { 0 };
	va_list ap;

	gt_buf_puts(&b, dir);
	va_start(ap, fmt);
	gt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return gt_buf_steal(&b);
}

static void root_start(struct gt_capture *c, const struct world *w)
{
	char *cfg = wpath("--config=", "%s/cfg.ini", w->cwd);
	char *in = wpath(w->cwd, "/in.txt");
	char *rc = wpath(w->home, "/.progrc");
	char *cc = wpath(w->tmp, "/cc%s.s", w->rand);
	const char *argv[] = { "prog", cfg, in, "-v", NULL };
	int32_t fds[2] = { (int32_t)rfd(w, 4), (int32_t)rfd(w, 5) };

	EV(c, 0, "execve", 0, PTR, PTR + 8, PTR + 16);
	put_str(c, 0, "/usr/bin/prog");
	put_argv(c, 1, argv);
	/* A loader probe: dropped from sequence and statistics. */
	EV(c, 0, "openat", -ENOENT, FDCWD, PTR, O_RDONLY | O_CLOEXEC, 0);
	put_str(c, 1, "/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libc.so.6");
	EV(c, 0, "openat", (int64_t)rfd(w, 3), FDCWD, PTR, O_RDONLY | O_CLOEXEC, 0);
	put_str(c, 1, "/lib/x86_64-linux-gnu/libc.so.6");
	EV(c, 0, "mmap", (int64_t)w->addr, 0, 8192, PROT_READ, MAP_PRIVATE, rfd(w, 3), 0);
	EV(c, 0, "mmap", (int64_t)w->addr + 4096, w->addr + 4096, 4096, PROT_READ | PROT_WRITE,
	   MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, U64(-1), 0);
	EV(c, 0, "close", 0, rfd(w, 3));
	EV(c, 0, "openat", (int64_t)rfd(w, 3), FDCWD, PTR, O_RDONLY, 0777);
	put_str(c, 1, in);
	EV(c, 0, "openat", -ENOENT, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, rc);
	for (int i = 0; i < 3; i++)
		EV(c, 0, "read", 100, rfd(w, 3), PTR, 4096);
	EV(c, 0, "pipe2", 0, PTR, O_CLOEXEC);
	put_mem(c, 0, fds, sizeof(fds));
	EV(c, 0, "openat", (int64_t)rfd(w, 6), FDCWD, PTR, O_RDWR | O_CREAT | O_EXCL, 0600);
	put_str(c, 1, cc);
	free(cfg);
	free(in);
	free(rc);
	free(cc);
}

static void child_events(struct gt_capture *c, const struct world *w)
{
	char *out = wpath(w->tmp, "/out");
	char *cc = wpath(w->tmp, "/cc%s.s", w->rand);
	char *cco = wpath(w->tmp, "/cc%s.s.o", w->rand);
	const char *argv[] = { "cc1", cc, "-o", cco, NULL };

	EV(c, 1, "openat", (int64_t)rfd(w, 3), FDCWD, PTR, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	put_str(c, 1, out);
	EV(c, 1, "write", 1, rfd(w, 5), PTR, 1);
	EV(c, 1, "futex", 0, PTR, 128, 0);
	EV(c, 1, "execve", 0, PTR, PTR + 8, PTR + 16);
	put_str(c, 0, "/usr/lib/gcc/cc1");
	put_argv(c, 1, argv);
	/* The pipe was O_CLOEXEC: gone after the exec. */
	EV(c, 1, "close", -EBADF, rfd(w, 5));
	EV(c, 1, "read", 0, rfd(w, 3), PTR, 10);
	EV(c, 1, "exit_group", 0, 0)->flags = GT_EV_NO_RETURN;
	free(out);
	free(cc);
	free(cco);
}

static struct gt_capture *make_run(const struct world *w)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	const uint32_t fork_flags = CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD;
	pid_t child = w->pid + 7;
	char *st = wpath(w->tmp, "/tmp%s/x", w->py);
	char *proc = wpath("/proc/", "%d/status", (int)child);

	gt_capture_add_task(c, w->pid, w->pid, -1, 0);
	gt_capture_add_task(c, child, child, 0, fork_flags);
	c->tasks[0].exit_code = 0;
	c->tasks[1].exit_code = 3;
	root_start(c, w);
	/* The child runs before its parent's clone returns. */
	EV(c, 1, "read", 10, rfd(w, 3), PTR, 10);
	EV(c, 1, "close", 0, rfd(w, 3));
	EV(c, 0, "clone", child, fork_flags, 0, 0, PTR, PTR);
	child_events(c, w);
	EV(c, 0, "read", 0, rfd(w, 3), PTR, 4096);
	EV(c, 0, "futex", 1, PTR, 129, 1);
	EV(c, 0, "newfstatat", -ENOENT, FDCWD, PTR, PTR + 64, 0);
	put_str(c, 1, st);
	EV(c, 0, "wait4", child, U64(-1), PTR, 0, 0);
	EV(c, 0, "openat", -ENOENT, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, proc);
	EV(c, 0, "exit_group", 0, 0)->flags = GT_EV_NO_RETURN;
	c->info = (struct gt_run_info){
		.wall_s = 0.5, .user_s = 0.25, .sys_s = 0.125, .max_rss_kb = 4096,
		.exit_code = 0, .syscalls = c->nevents, .intercepted = c->nevents,
		.let_through = 0, .returns_known = true,
	};
	free(st);
	free(proc);
	return c;
}

static struct gt_canon_opts world_opts(const struct world *w)
{
	return (struct gt_canon_opts){ .cwd = w->cwd, .home = w->home, .tmp = w->tmp };
}

static void check_world_trace(const struct gt_trace *t)
{
	const struct gt_process *p1 = &t->procs[0], *p2 = &t->procs[1];

	assert_int_equal(t->nprocs, 2);
	assert_string_equal(p1->id, "p1");
	assert_null(p1->parent);
	assert_string_equal(p1->exe, "/usr/bin/prog");
	assert_int_equal(p1->nthreads, 1);
	assert_string_equal(p1->threads[0].id, "p1");
	CHECK_THREAD(&p1->threads[0],
		"execve(\"/usr/bin/prog\", [\"prog\", \"--config=$CWD/cfg.ini\", "
		"\"$CWD/in.txt\", \"-v\"], ptr) = 0",
		"openat(AT_FDCWD, \"/lib/x86_64-linux-gnu/libc.so.6\", O_RDONLY|O_CLOEXEC) = 3",
		"mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = addr",
		/* The anonymous mmap is memory management: counted, not
		 * sequenced. */
		"close(3) = 0",
		"openat(AT_FDCWD, \"$CWD/in.txt\", O_RDONLY) = 3",
		"openat(AT_FDCWD, \"$HOME/.progrc\", O_RDONLY) = -1 ENOENT",
		"read(3, 4096) = \u03a3300 " X "3",
		"pipe2([4, 5], O_CLOEXEC) = 0",
		"openat(AT_FDCWD, \"$TMP/ccXXXXXX.s\", O_RDWR|O_CREAT|O_EXCL, 0600) = 6",
		"clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = p2",
		/* The child's close did not touch our table. */
		"read(3, 4096) = 0",
		"newfstatat(AT_FDCWD, \"$TMP/tmpXXXXXXXX/x\", ptr, 0) = -1 ENOENT",
		"wait4(-1, ptr, 0, NULL) = child",
		"openat(AT_FDCWD, \"/proc/p2/status\", O_RDONLY) = -1 ENOENT",
		"exit_group(0) = ?");

	assert_string_equal(p2->id, "p2");
	assert_string_equal(p2->parent, "p1");
	assert_string_equal(p2->exe, "/usr/lib/gcc/cc1");
	assert_int_equal(p2->exit_code, 3);
	assert_null(p2->exit_signal);
	assert_int_equal(p2->nthreads, 1);
	CHECK_THREAD(&p2->threads[0],
		"read(3, 10) = 10",
		"close(3) = 0",
		"openat(AT_FDCWD, \"$TMP/out\", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3",
		"write(5, 1) = 1",
		"execve(\"/usr/lib/gcc/cc1\", [\"cc1\", \"$TMP/ccXXXXXX.s\", \"-o\", "
		"\"$TMP/ccXXXXXX.s.o\"], ptr) = 0",
		"close(fd?) = -1 EBADF",
		"read(3, 10) = 0",
		"exit_group(0) = ?");
}

static void test_build_two_processes(void **state)
{
	struct gt_capture *c = make_run(&world_a);
	struct gt_canon_opts o = world_opts(&world_a);
	struct gt_trace *t = build(c, &o);
	const struct gt_syscall_stat *s;

	(void)state;
	check_world_trace(t);

	/* Statistics: the probe is not counted, futex is. */
	s = must_stat(t, "openat");
	assert_non_null(s);
	assert_true(s->calls.min == 6 && s->calls.median == 6 && s->calls.max == 6);
	assert_true(s->calls.mad == 0);
	assert_true(s->errors.median == 2);
	assert_true(s->time_us.median == 12 && s->time_us.max == 12);
	s = must_stat(t, "futex");
	assert_non_null(s);
	assert_true(s->calls.median == 2 && s->errors.median == 0);
	s = must_stat(t, "read");
	assert_true(s->calls.median == 6);
	s = must_stat(t, "close");
	assert_true(s->calls.median == 3 && s->errors.median == 1);
	/* Sorted by name. */
	for (size_t i = 1; i < t->nsysstats; i++)
		assert_true(strcmp(t->sysstats[i - 1].name, t->sysstats[i].name) < 0);

	assert_int_equal(t->nruns, 1);
	assert_true(t->runs[0].syscalls == (double)c->nevents - 1);
	assert_true(t->syscalls.median == (double)c->nevents - 1);
	assert_true(t->runs[0].wall_s == 0.5 && t->wall_s.min == 0.5 && t->wall_s.max == 0.5);
	assert_true(t->max_rss_kb.median == 4096);
	assert_true(t->user_s.median == 0.25 && t->sys_s.median == 0.125);
	assert_string_equal(t->backend, "ptrace");
	assert_true(t->returns_known);
	assert_int_equal(t->exit_code, 0);
	assert_null(t->exit_signal);
	assert_int_equal(t->intercepted, c->nevents);
	assert_int_equal(t->nunordered, gt_canon_default_nunordered);
	for (size_t i = 0; i < t->nunordered; i++)
		assert_string_equal(t->unordered[i], gt_canon_default_unordered[i]);
	assert_string_equal(t->unordered[0], "futex");
	assert_int_equal(t->nignored, 0);
	assert_true(t->hash != 0);
	assert_true(t->hash == gt_trace_hash(t));
	gt_trace_free(t);
	gt_capture_free(c);
}

/* The determinism property in miniature. */
static void test_build_determinism(void **state)
{
	struct gt_capture *ca = make_run(&world_a), *cb = make_run(&world_b);
	struct gt_canon_opts oa = world_opts(&world_a), ob = world_opts(&world_b);
	struct gt_trace *ta = build(ca, &oa), *tb = build(cb, &ob);

	(void)state;
	check_world_trace(tb);
	assert_true(ta->hash == tb->hash);
	assert_int_equal(ta->nsysstats, tb->nsysstats);
	for (size_t i = 0; i < ta->nsysstats; i++) {
		assert_string_equal(ta->sysstats[i].name, tb->sysstats[i].name);
		assert_true(ta->sysstats[i].calls.median == tb->sysstats[i].calls.median);
	}
	gt_trace_free(ta);
	gt_trace_free(tb);

	/* And the options matter: without them the traces differ. */
	ta = build(ca, NULL);
	tb = build(cb, NULL);
	assert_true(ta->hash != tb->hash);
	gt_trace_free(ta);
	gt_trace_free(tb);
	gt_capture_free(ca);
	gt_capture_free(cb);
}

/* ---- gt_canon_build: threads, ids and pids ---- */

/* Root with two threads; the first thread forks a process.  Task records
 * in creation order ORDER (an interleaving across creators). */
static struct gt_capture *make_threads(bool other_order)
{
	const uint32_t thr = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			     CLONE_SYSVSEM;
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	uint32_t r, t1, t2, a, b;

	r = gt_capture_add_task(c, 500, 500, -1, 0);
	t1 = gt_capture_add_task(c, 501, 500, (int32_t)r, thr);
	/* A fork from thread 1 and the second thread of the root: which the
	 * tracer sees first depends on scheduling. */
	if (!other_order) {
		a = gt_capture_add_task(c, 502, 502, (int32_t)t1, SIGCHLD);
		t2 = gt_capture_add_task(c, 503, 500, (int32_t)r, thr);
	} else {
		t2 = gt_capture_add_task(c, 603, 500, (int32_t)r, thr);
		a = gt_capture_add_task(c, 602, 602, (int32_t)t1, SIGCHLD);
	}
	/* A grandchild: a vfork of the forked process. */
	b = gt_capture_add_task(c, other_order ? 604 : 504, other_order ? 604 : 504, (int32_t)a,
				CLONE_VM | CLONE_VFORK | SIGCHLD);
	c->tasks[a].exit_signal = SIGKILL;

	EV(c, r, "openat", 7, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/etc/hosts");
	EV0(c, t2, "gettid", other_order ? 603 : 503);
	EV(c, t1, "read", 5, 7, PTR, 10);    /* the shared table */
	EV0(c, a, "getpid", other_order ? 602 : 502);
	EV0(c, a, "getppid", 500);
	EV(c, b, "exit_group", 9, 9)->flags = GT_EV_NO_RETURN;
	EV0(c, t1, "gettid", 501);
	EV(c, r, "kill", -ESRCH, 99999, SIGTERM);
	EV(c, r, "kill", 0, U64(-500), SIGTERM);
	EV(c, r, "kill", 0, 0, SIGTERM);
	EV(c, r, "tgkill", 0, 500, other_order ? 603 : 503, SIGTERM);
	EV(c, t1, "close", 0, 7);
	EV(c, r, "read", -EBADF, 7, PTR, 10);
	return c;
}

static void test_build_threads(void **state)
{
	struct gt_capture *c1 = make_threads(false), *c2 = make_threads(true);
	struct gt_trace *t1 = build(c1, NULL), *t2 = build(c2, NULL);
	const struct gt_process *p;

	(void)state;
	assert_int_equal(t1->nprocs, 3);
	p = &t1->procs[0];
	assert_string_equal(p->id, "p1");
	assert_int_equal(p->nthreads, 3);
	assert_string_equal(p->threads[0].id, "p1");
	assert_string_equal(p->threads[1].id, "p1.t2");
	assert_string_equal(p->threads[2].id, "p1.t3");
	CHECK_THREAD(&p->threads[0],
		"openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = 3",
		"kill(pid?, SIGTERM) = -1 ESRCH",
		"kill(-p1, SIGTERM) = 0",
		"kill(0, SIGTERM) = 0",
		"tgkill(p1, p1.t3, SIGTERM) = 0",
		/* Thread 1 closed it: the table is shared. */
		"read(fd?, 10) = -1 EBADF");
	CHECK_THREAD(&p->threads[1], "read(3, 10) = 5", "gettid() = p1.t2", "close(3) = 0");
	CHECK_THREAD(&p->threads[2], "gettid() = p1.t3");
	/* The fork of a thread is a process whose parent is the process. */
	p = &t1->procs[1];
	assert_string_equal(p->id, "p2");
	assert_string_equal(p->parent, "p1");
	assert_int_equal(p->exit_code, -1);
	assert_string_equal(p->exit_signal, "SIGKILL");
	CHECK_THREAD(&p->threads[0], "getpid() = p2", "getppid() = p1");
	p = &t1->procs[2];
	assert_string_equal(p->id, "p3");
	assert_string_equal(p->parent, "p2");
	CHECK_THREAD(&p->threads[0], "exit_group(9) = ?");

	/* Other tids, other interleaving of the task records: same trace. */
	assert_true(t1->hash == t2->hash);
	gt_trace_free(t1);
	gt_trace_free(t2);
	gt_capture_free(c1);
	gt_capture_free(c2);
}

/* Two threads each open, read and close a file of their own (t2 "/a",
 * t3 "/b", or "/c" with OTHER_FILE); the kernel's fd numbers and the order
 * the tracer saw things depend on scheduling:
 *   0: t2 opens first (fd 3), t3 then (fd 4), both still open;
 *   1: t3 opens first (fd 3), t2 then (fd 4);
 *   2: t2 opens and closes fd 3, t3 then opens fd 3;
 *   3: t3's open of fd 3 is reported before t2's close of fd 3 (a tracer
 *      reports calls as they complete: the close freed the fd first).
 * T3_KEEPS: t3 never closes its fd. */
static struct gt_capture *make_fd_threads(int order, bool t3_keeps, bool other_file)
{
	const uint32_t thr = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			     CLONE_SYSVSEM;
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	uint32_t r, t[2];
	int fd[2] = { 3, order == 1 ? 3 : 4 };
	static const char *const files[] = { "/a", "/b", "/c" };

	if (order == 1)
		fd[0] = 4;
	if (order >= 2)
		fd[1] = 3;
	r = gt_capture_add_task(c, 700, 700, -1, 0);
	t[0] = gt_capture_add_task(c, 701, 700, (int32_t)r, thr);
	t[1] = gt_capture_add_task(c, 702, 700, (int32_t)r, thr);
	EV(c, r, "openat", 3, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/etc/before");
	EV(c, r, "clone", 701, thr, PTR, PTR, PTR, PTR);
	EV(c, r, "clone", 702, thr, PTR, PTR, PTR, PTR);
	EV(c, r, "close", 0, 3);
	for (int k = 0; k < 2; k++) {
		int w = order == 1 ? 1 - k : k;     /* who opens now */

		EV(c, t[w], "openat", fd[w], FDCWD, PTR, O_RDONLY, 0);
		put_str(c, 1, files[w == 1 && other_file ? 2 : w]);
		if (order == 3 && w == 0)
			continue;   /* its read and close come after t3's open */
		if (order >= 2 || k == 1) {
			for (int v = order >= 2 ? w : 0; v <= (order >= 2 ? w : 1); v++) {
				EV(c, t[v], "read", 0, (uint64_t)fd[v], PTR, 10);
				if (!(v == 1 && t3_keeps))
					EV(c, t[v], "close", 0, (uint64_t)fd[v]);
			}
		}
	}
	if (order == 3) {
		EV(c, t[0], "read", 0, 3, PTR, 10);
		EV(c, t[0], "close", 0, 3);
	}
	EV(c, r, "exit_group", 0, 0)->flags = GT_EV_NO_RETURN;
	return c;
}

static uint64_t fd_threads_hash(int order, bool t3_keeps, bool other_file, char **text)
{
	struct gt_capture *c = make_fd_threads(order, t3_keeps, other_file);
	struct gt_trace *t = build(c, NULL);
	struct gt_buf b = { 0 };
	uint64_t h = t->hash;

	for (size_t i = 0; i < t->procs[0].threads[0].nevents; i++) {
		char *e = fmt_event(&t->procs[0].threads[0].events[i]);

		gt_buf_printf(&b, "%s\n", e);
		free(e);
	}
	*text = gt_buf_steal(&b);
	gt_trace_free(t);
	gt_capture_free(c);
	return h;
}

static void test_build_thread_fds(void **state)
{
	char *text[4], *keep, *other;
	uint64_t h[4];

	(void)state;
	for (int o = 0; o < 4; o++)
		h[o] = fd_threads_hash(o, false, false, &text[o]);
	/* Each thread numbers its own fds: 3, whoever opened first. */
	assert_non_null(strstr(text[0], "openat(AT_FDCWD, \"/a\", O_RDONLY) = 3\n"));
	assert_non_null(strstr(text[0], "openat(AT_FDCWD, \"/b\", O_RDONLY) = 3\n"));
	assert_non_null(strstr(text[0], "close(3) = 0 " X "3\n"));
	assert_null(strstr(text[0], "fd?"));
	for (int o = 1; o < 4; o++) {
		assert_string_equal(text[o], text[0]);
		assert_true(h[o] == h[0]);
	}
	/* A real change still shows: a thread that keeps its fd, a thread
	 * that opens another file. */
	for (int o = 0; o < 4; o++) {
		assert_true(fd_threads_hash(o, true, false, &keep) != h[0]);
		/* the leader's close of its fd and one thread's */
		assert_non_null(strstr(keep, "close(3) = 0 " X "2\n"));
		free(keep);
		assert_true(fd_threads_hash(o, false, true, &other) != h[0]);
		assert_non_null(strstr(other, "\"/c\""));
		free(other);
	}
	for (int o = 0; o < 4; o++)
		free(text[o]);
}

/* The per-thread numbers of gt_fdmap_thread: each task's new fds are
 * numbered among its own and the common ones; a fork or exec merges. */
static void test_fdmap_threaded(void **state)
{
	struct gt_fdmap *m = gt_fdmap_new(), *c;

	(void)state;
	gt_fdmap_act(m, 0);
	assert_int_equal(gt_fdmap_alloc(m, 10, false), 3);     /* common */
	gt_fdmap_thread(m);
	gt_fdmap_act(m, 1);
	assert_int_equal(gt_fdmap_alloc(m, 11, false), 4);
	gt_fdmap_act(m, 2);
	assert_int_equal(gt_fdmap_alloc(m, 12, true), 4);      /* not 5 */
	assert_int_equal(gt_fdmap_get(m, 10), 3);              /* common */
	assert_int_equal(gt_fdmap_get(m, 11), 4);              /* task 1's */
	gt_fdmap_act(m, 1);
	/* Task 2's fd 12 was reported open before task 1's close of it. */
	assert_int_equal(gt_fdmap_alloc(m, 12, false), 5);
	gt_fdmap_act(m, 2);
	assert_int_equal(gt_fdmap_get(m, 12), 4);
	gt_fdmap_close(m, 12);
	gt_fdmap_act(m, 1);
	assert_int_equal(gt_fdmap_get(m, 12), 5);
	/* A fork from task 1: its fds keep their numbers, task 2's move. */
	c = gt_fdmap_clone(m);
	assert_int_equal(gt_fdmap_get(c, 11), 4);
	assert_int_equal(gt_fdmap_get(c, 12), 5);
	assert_int_equal(gt_fdmap_alloc(c, 13, false), 6);
	gt_fdmap_free(c);
	gt_fdmap_exec(m);
	assert_int_equal(gt_fdmap_get(m, 11), 4);
	assert_int_equal(gt_fdmap_alloc(m, 14, false), 6);
	gt_fdmap_free(m);
}

/* ---- gt_canon_build: fd effects ---- */

static void test_build_fd_effects(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_canon_opts keep_mem = { .keep_memory = true };
	struct gt_trace *t;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	EV(c, 0, "openat", 10, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/etc/a");
	EV(c, 0, "fcntl", 11, 10, F_DUPFD_CLOEXEC, 0);
	EV(c, 0, "dup2", 1, 10, 1);
	EV(c, 0, "dup3", 50, 10, 50, O_CLOEXEC);
	EV(c, 0, "dup2", -EBADF, 77, 51);
	EV(c, 0, "fcntl", 0, 10, F_SETFD, FD_CLOEXEC);
	EV(c, 0, "dup", 9, 1);
	EV(c, 0, "close_range", 0, 11, 0xffffffffU, 0);
	EV(c, 0, "read", -EBADF, 50, PTR, 1);
	EV(c, 0, "read", 1, 9, PTR, 1);
	EV(c, 0, "close_range", 0, 9, 9, CLOSE_RANGE_CLOEXEC);
	EV(c, 0, "execve", 0, PTR, PTR + 8, 0);
	put_str(c, 0, "./run");
	EV(c, 0, "read", -EBADF, 10, PTR, 1);
	EV(c, 0, "read", -EBADF, 9, PTR, 1);
	EV(c, 0, "write", 1, 1, PTR, 1);
	/* After the exec the lowest free number is 3 again. */
	EV(c, 0, "socket", 10, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	EV(c, 0, "memfd_create", 11, PTR, 1);
	put_str(c, 0, "buf");
	EV(c, 0, "execve", -ENOENT, PTR, PTR + 8, PTR);
	put_str(c, 0, "/nope");
	EV(c, 0, "read", 1, 10, PTR, 1);
	/* close releases the fd even when it fails, unless with EBADF. */
	EV(c, 0, "close", -EIO, 11);
	EV(c, 0, "read", -EBADF, 11, PTR, 1);
	EV(c, 0, "fcntl", 12, 10, F_DUPFD_CLOEXEC, 0);
	EV(c, 0, "execve", 0, PTR, 0, PTR);
	put_str(c, 0, "/bin/true");
	EV(c, 0, "read", -EBADF, 10, PTR, 1);
	EV(c, 0, "read", -EBADF, 11, PTR, 1);
	EV(c, 0, "read", -EBADF, 12, PTR, 1);
	/* Below -4095 a return is a value, not an error. */
	EV(c, 0, "mmap", (int64_t)0xfffffffffff00000ULL, 0, 4096, PROT_READ,
	   MAP_PRIVATE | MAP_ANONYMOUS, U64(-1), 0);
	t = build(c, &keep_mem);
	CHECK_THREAD(&t->procs[0].threads[0],
		"openat(AT_FDCWD, \"/etc/a\", O_RDONLY) = 3",
		"fcntl(3, F_DUPFD_CLOEXEC, 0) = 4",
		"dup2(3, 1) = 1",
		"dup3(3, 5, O_CLOEXEC) = 5",
		"dup2(fd?, fd?) = -1 EBADF",
		"fcntl(3, F_SETFD, 1) = 0",
		"dup(1) = 6",
		"close_range(11, 4294967295, 0) = 0",
		"read(fd?, 1) = -1 EBADF",
		"read(6, 1) = 1",
		"close_range(9, 9, 0x4) = 0",
		"execve(\"./run\", ptr, NULL) = 0",
		"read(fd?, 1) = -1 EBADF " X "2",
		"write(1, 1) = 1",
		"socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3",
		"memfd_create(\"buf\", 0x1) = 4",
		"execve(\"/nope\", ptr, ptr) = -1 ENOENT",
		"read(3, 1) = 1",
		"close(4) = -1 EIO",
		"read(fd?, 1) = -1 EBADF",
		"fcntl(3, F_DUPFD_CLOEXEC, 0) = 4",
		"execve(\"/bin/true\", NULL, ptr) = 0",
		"read(fd?, 1) = -1 EBADF " X "3",
		"mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = addr");
	/* The last successful exec names the process. */
	assert_string_equal(t->procs[0].exe, "/bin/true");
	gt_trace_free(t);
	gt_capture_free(c);
}

/* A fork without the child's events before the parent's clone returns, and
 * CLONE_FILES sharing across processes. */
static void test_build_fd_tables(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_trace *t;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	gt_capture_add_task(c, 11, 11, 0, SIGCHLD);
	gt_capture_add_task(c, 12, 12, 0, CLONE_FILES | SIGCHLD);
	EV(c, 0, "openat", 5, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/a");
	EV0(c, 0, "fork", 11);
	/* Opened after the fork: not in the child's copy. */
	EV(c, 0, "openat", 6, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/b");
	EV(c, 1, "read", 1, 5, PTR, 1);
	EV(c, 1, "read", -EBADF, 6, PTR, 1);
	EV(c, 0, "clone", 12, CLONE_FILES | SIGCHLD);
	/* The CLONE_FILES child closes the parent's fd. */
	EV(c, 2, "close", 0, 5);
	EV(c, 0, "read", -EBADF, 5, PTR, 1);
	EV(c, 0, "openat", 7, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/c");
	EV(c, 0, "openat", 8, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/d");
	/* close_range closes in the shared table, unless told to unshare. */
	EV(c, 2, "close_range", 0, 7, 7, 0);
	EV(c, 0, "read", -EBADF, 7, PTR, 1);
	EV(c, 2, "close_range", 0, 8, 8, CLOSE_RANGE_UNSHARE);
	EV(c, 0, "read", 1, 8, PTR, 1);
	EV(c, 2, "execve", 0, PTR, PTR, PTR);
	put_str(c, 0, "/bin/x");
	/* After its exec it has its own table. */
	EV(c, 2, "close", 0, 6);
	EV(c, 0, "read", 1, 6, PTR, 1);
	t = build(c, NULL);
	CHECK_THREAD(&t->procs[0].threads[0],
		"openat(AT_FDCWD, \"/a\", O_RDONLY) = 3",
		"fork() = p2",
		"openat(AT_FDCWD, \"/b\", O_RDONLY) = 4",
		"clone(CLONE_FILES|SIGCHLD) = p3",
		"read(fd?, 1) = -1 EBADF",
		"openat(AT_FDCWD, \"/c\", O_RDONLY) = 3",
		"openat(AT_FDCWD, \"/d\", O_RDONLY) = 5",
		"read(fd?, 1) = -1 EBADF",
		"read(5, 1) = 1",
		"read(4, 1) = 1");
	CHECK_THREAD(&t->procs[1].threads[0], "read(3, 1) = 1", "read(fd?, 1) = -1 EBADF");
	CHECK_THREAD(&t->procs[2].threads[0], "close(3) = 0", "close_range(7, 7, 0) = 0",
		     "close_range(8, 8, 0x2) = 0", "execve(\"/bin/x\", ptr, ptr) = 0",
		     "close(4) = 0");
	gt_trace_free(t);
	gt_capture_free(c);
}

/* ---- gt_canon_build: argument kinds ---- */

static void test_build_sockaddrs(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_canon_opts o = { .tmp = "/tmp/run1" };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(80) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	struct sockaddr_nl { uint16_t fam; uint16_t pad; uint32_t pid, groups; } nl = { 16, 0, 0, 0 };
	const uint16_t fam_only = AF_INET;
	uint64_t cl3 = CLONE_VM | CLONE_VFORK;
	struct gt_trace *t;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	gt_capture_add_task(c, 11, 11, 0, CLONE_VM | CLONE_VFORK);
	strcpy(un.sun_path, "/tmp/run1/sock");
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	in6.sin6_addr = in6addr_loopback;
	EV(c, 0, "connect", 0, 3, PTR, 110);
	put_sockaddr(c, 1, &un, (uint32_t)(offsetof(struct sockaddr_un, sun_path) + 15));
	memcpy(un.sun_path, "\0abstract", 9);
	EV(c, 0, "connect", 0, 3, PTR, 11);
	put_sockaddr(c, 1, &un, (uint32_t)(offsetof(struct sockaddr_un, sun_path) + 9));
	EV(c, 0, "connect", 0, 3, PTR, 16);
	put_sockaddr(c, 1, &in, sizeof(in));
	EV(c, 0, "connect", 0, 3, PTR, 28);
	put_sockaddr(c, 1, &in6, sizeof(in6));
	EV(c, 0, "connect", 0, 3, PTR, 12);
	put_sockaddr(c, 1, &nl, sizeof(nl));
	EV(c, 0, "connect", 0, 3, PTR, 4);
	put_sockaddr(c, 1, &fam_only, sizeof(fam_only));
	EV(c, 0, "connect", 0, 3, PTR, 2);
	put_sockaddr(c, 1, &un, 2);
	EV(c, 0, "sendto", 5, 3, PTR, 5, 0, 0, 0);
	EV(c, 0, "connect", -EFAULT, 3, PTR, 16)->flags = GT_EV_FETCH_FAILED;
	EV(c, 0, "clone3", 11, PTR, 88);
	put_mem(c, 0, &cl3, sizeof(cl3));
	EV(c, 0, "pipe", -EMFILE, PTR);
	/* getcwd and readlink: the path the kernel wrote is canonical, and the
	 * length it returned is that of the canonical text (getcwd counts the
	 * NUL), so that neither encodes where the checkout is. */
	EV(c, 0, "getcwd", 10, PTR, 4096);
	EV(c, 0, "getcwd", 14, PTR, 4096);
	put_mem(c, 0, "/tmp/run1/sub", 14);
	EV(c, 0, "readlink", 13, PTR, PTR, 4096);
	put_mem(c, 0, "/proc/self/exe", 15);
	put_mem(c, 1, "/tmp/run1/bin", 14);
	t = build(c, &o);
	CHECK_THREAD(&t->procs[0].threads[0],
		"connect(fd?, {AF_UNIX, \"$TMP/sock\"}, 110) = 0",
		"connect(fd?, {AF_UNIX, \"@abstract\"}, 11) = 0",
		"connect(fd?, {AF_INET, 127.0.0.1:80}, 16) = 0",
		"connect(fd?, {AF_INET6, [::1]:443}, 28) = 0",
		"connect(fd?, {AF_NETLINK}, 12) = 0",
		"connect(fd?, {AF_INET}, 4) = 0",
		"connect(fd?, {AF_UNIX}, 2) = 0",
		"sendto(fd?, 5, 0, NULL, 0) = 5",
		"connect(fd?, ptr, 16) = -1 EFAULT",
		"clone3({flags=CLONE_VM|CLONE_VFORK}, 88) = p2",
		"pipe(ptr) = -1 EMFILE",
		"getcwd(ptr, 4096) = 10",
		"getcwd(\"$TMP/sub\", 4096) = 9",
		"readlink(\"/proc/self/exe\", \"$TMP/bin\", 4096) = 8");
	gt_trace_free(t);
	gt_capture_free(c);
}

/* The one event of a one-task capture whose fetched memory for argument
 * ARGI is LEN bytes at the very end of the blob, rendered. */
static char *render_last(const char *name, int64_t ret, const uint64_t *args, size_t nargs,
			 int argi, const void *mem, size_t len)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_trace *t;
	char *s;

	gt_capture_add_task(c, 10, 10, -1, 0);
	gt_capture_add_task(c, 11, 11, 0, 0);
	add_ev(c, 0, name, ret, args, nargs);
	if (mem)
		put_mem(c, argi, mem, len);
	t = build(c, NULL);
	assert_int_equal(t->procs[0].threads[0].nevents, 1);
	s = fmt_event(&t->procs[0].threads[0].events[0]);
	gt_trace_free(t);
	gt_capture_free(c);
	return s;
}

#define CHECK_LAST(want, name, ret, argi, mem, len, ...)                                     \
	do {                                                                                 \
		static const uint64_t a_[] = { __VA_ARGS__ };                                \
		char *got_ = render_last(name, ret, a_, GT_ARRAY_SIZE(a_), argi, mem, len);  \
		assert_string_equal(got_, want);                                             \
		free(got_);                                                                  \
	} while (0)

/* Fetched memory that is missing, cut short at the end of the blob, or
 * lacks its NUL there. */
static void test_build_bad_memory(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_trace *t;
	const uint32_t huge = 0xffffffffU, five = 5;
	const char un[] = { 8, 0, 0, 0, AF_UNIX, 0, '/', 't', 'm', 'p', '/', 's' };
	const char in[] = { 100, 0, 0, 0, AF_INET, 0, 0, 80 };
	struct gt_raw_event *e;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	EV(c, 0, "openat", -ENOENT, FDCWD, PTR, O_RDONLY, 0); /* nothing fetched */
	EV(c, 0, "openat", -ENOENT, FDCWD, 0, O_RDONLY, 0);   /* NULL */
	e = EV(c, 0, "openat", -ENOENT, FDCWD, PTR, O_RDONLY, 0);
	e->mem[0] = 0x7fffffff; /* past the blob */
	e->argi[0] = 1;
	EV(c, 0, "openat", -ENOENT, FDCWD, PTR, O_RDONLY, 0)->flags = GT_EV_FETCH_FAILED;
	put_str(c, 1, "/fetched/but/flagged");
	t = build(c, NULL);
	CHECK_THREAD(&t->procs[0].threads[0],
		"openat(AT_FDCWD, ptr, O_RDONLY) = -1 ENOENT",
		"openat(AT_FDCWD, NULL, O_RDONLY) = -1 ENOENT",
		"openat(AT_FDCWD, ptr, O_RDONLY) = -1 ENOENT " X "2");
	gt_trace_free(t);
	gt_capture_free(c);

	CHECK_LAST("openat(AT_FDCWD, \"/etc/pas\", O_RDONLY) = -1 ENOENT", "openat", -ENOENT,
		   1, "/etc/pas", 8, FDCWD, PTR, O_RDONLY, 0);
	CHECK_LAST("execve(ptr, ptr, ptr) = -1 ENOENT", "execve", -ENOENT, 1, &huge, 2,
		   PTR, PTR, PTR);
	CHECK_LAST("execve(ptr, [\"a\", \"bc\", ...], ptr) = -1 ENOENT", "execve", -ENOENT, 1,
		   "\x05\0\0\0" "a\0" "bc", 8, PTR, PTR, PTR);
	CHECK_LAST("execve(ptr, [\"a\", ...], ptr) = -1 ENOENT", "execve", -ENOENT, 1,
		   "\xff\xff\xff\xff" "a", 6, PTR, PTR, PTR);
	CHECK_LAST("execve(ptr, [], ptr) = -1 ENOENT", "execve", -ENOENT, 1, "\0\0\0\0", 4,
		   PTR, PTR, PTR);
	CHECK_LAST("pipe2(ptr, 0) = 0", "pipe2", 0, 0, &five, 3, PTR, 0);
	CHECK_LAST("clone3(ptr, 88) = p2", "clone3", 11, 0, &five, 4, PTR, 88);
	CHECK_LAST("connect(fd?, ptr, 16) = 0", "connect", 0, 1, &five, 2, 3, PTR, 16);
	CHECK_LAST("connect(fd?, {}, 16) = 0", "connect", 0, 1, &five, 4, 3, PTR, 16);
	CHECK_LAST("connect(fd?, {AF_UNIX, \"/tmp/s\"}, 16) = 0", "connect", 0, 1, un, sizeof(un),
		   3, PTR, 16);
	CHECK_LAST("connect(fd?, {AF_INET}, 16) = 0", "connect", 0, 1, in, sizeof(in), 3, PTR, 16);
}

static void test_build_argv_and_temp(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_canon_opts o = { .cwd = "/w/proj", .home = "/home/u", .tmp = "/tmp/r9" };
	const char *argv[] = {
		"gcc", "-I/w/proj/include", "-o", "/w/proj/a.out", "PATH=/w/proj/bin:/usr/bin:rel",
		"--out=/tmp/r9/x", "http://host/w/proj", "a=b", "-x/tmp/tmpq_1234zz/y",
		"/var/tmp/ccAAAA11.o", NULL,
	};
	struct gt_trace *t;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	/* Made exclusively in /var/tmp: that name is random wherever it goes. */
	EV(c, 0, "mkdir", 0, PTR, 0700);
	put_str(c, 0, "/var/tmp/ccAAAA11.o/");
	/* Not exclusive: not registered. */
	EV(c, 0, "openat", 3, FDCWD, PTR, O_WRONLY | O_CREAT, 0600);
	put_str(c, 1, "/tmp/r9/zzplainname");
	/* Exclusive but failed: not registered. */
	EV(c, 0, "openat", -EEXIST, FDCWD, PTR, O_WRONLY | O_CREAT | O_EXCL, 0600);
	put_str(c, 1, "/tmp/r9/failedABCDEF");
	/* Exclusive outside temp directories: not registered. */
	EV(c, 0, "openat", 4, FDCWD, PTR, O_WRONLY | O_CREAT | O_EXCL, 0600);
	put_str(c, 1, "/w/proj/lockQWERTY");
	EV(c, 0, "execve", 0, PTR, PTR, PTR);
	put_str(c, 0, "/usr/bin/gcc");
	put_argv(c, 1, argv);
	EV(c, 0, "unlink", 0, PTR);
	put_str(c, 0, "ccAAAA11.o");
	EV(c, 0, "getxattr", -ENODATA, PTR, PTR, PTR, 10);
	put_str(c, 0, "/tmp/r9/failedABCDEF");
	put_str(c, 1, "user.ccAAAA11.o");
	EV(c, 0, "unlink", 0, PTR);
	put_str(c, 0, "/w/proj/lockQWERTY");
	t = build(c, &o);
	CHECK_THREAD(&t->procs[0].threads[0],
		"mkdir(\"/var/tmp/ccXXXXXX.o/\", 0700) = 0",
		"openat(AT_FDCWD, \"$TMP/zzplainname\", O_WRONLY|O_CREAT, 0600) = 3",
		"openat(AT_FDCWD, \"$TMP/failedABCDEF\", O_WRONLY|O_CREAT|O_EXCL, 0600) = -1 EEXIST",
		"openat(AT_FDCWD, \"$CWD/lockQWERTY\", O_WRONLY|O_CREAT|O_EXCL, 0600) = 4",
		"execve(\"/usr/bin/gcc\", [\"gcc\", \"-I$CWD/include\", \"-o\", \"$CWD/a.out\", "
		"\"PATH=$CWD/bin:/usr/bin:rel\", \"--out=$TMP/x\", \"http://host/w/proj\", "
		"\"a=b\", \"-x/tmp/tmpXXXXXXXX/y\", \"/var/tmp/ccXXXXXX.o\"], ptr) = 0",
		"unlink(\"ccXXXXXX.o\") = 0",
		"getxattr(\"$TMP/failedABCDEF\", \"user.ccXXXXXX.o\", 10) = -1 ENODATA",
		"unlink(\"$CWD/lockQWERTY\") = 0");
	assert_string_equal(t->procs[0].exe, "/usr/bin/gcc");
	gt_trace_free(t);
	gt_capture_free(c);
}

/* ---- gt_canon_build: options ---- */

/* A trace with returns, as a backend without them would have seen it:
 * returns "?", the kernel's outputs "ptr", a read loop one line again. */
static void test_forget_returns(void **state)
{
	struct gt_trace *t = gt_trace_new(), *f = NULL;
	struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
	struct gt_thread *th = gt_process_add_thread(t, p, "p1");
	const char *rd[] = { "3", "4096" }, *cwd[] = { "\"$CWD\"", "4096" };

	(void)state;
	gt_thread_add_event(t, th, "read", rd, 2, "4096", 3);
	gt_thread_add_event(t, th, "read", rd, 2, "100", 1);
	gt_thread_add_event(t, th, "read", rd, 2, "0", 1);
	gt_thread_add_event(t, th, "getcwd", cwd, 2, "5", 1);
	gt_trace_add_masked(t, "p1 event 1 count");
	t->returns_known = true;
	gt_trace_rehash(t);
	gt_canon_forget_returns(t, NULL, &f);
	assert_false(f->returns_known);
	CHECK_THREAD(&f->procs[0].threads[0],
		"read(3, 4096) = ? " X "5",
		"getcwd(ptr, 4096) = ?");
	/* The count that varied is listed again at its new position. */
	assert_int_equal(f->nmasked, 1);
	assert_string_equal(f->masked[0], "p1 event 1 count");
	assert_true(f->hash == gt_trace_hash(f));
	gt_trace_free(f);
	gt_trace_free(t);
}

/* Returns unknown (seccomp): the loader's ld.so.cache map is still found
 * (the process's next mmap of an fd after the open, and the munmap of that
 * length), and malloc's arena trims still dropped. */
static void test_build_unknown_returns_memory(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_SECCOMP);
	struct gt_canon_opts o = { .keep_memory = true };
	struct gt_trace *t;
	size_t n;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	EV(c, 0, "openat", 0, FDCWD, PTR, O_RDONLY | O_CLOEXEC, 0);
	put_str(c, 1, "/etc/ld.so.cache");
	EV(c, 0, "mmap", 0, 0, 41675, PROT_READ, MAP_PRIVATE, 3, 0);
	EV(c, 0, "mmap", 0, 0, 134217728, PROT_NONE,
	   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	EV(c, 0, "munmap", 0, PTR, 44040192);
	EV(c, 0, "munmap", 0, PTR, 23068672);
	EV(c, 0, "munmap", 0, PTR, 41675);
	EV(c, 0, "munmap", 0, PTR, 4096);
	for (size_t i = 0; i < c->nevents; i++)
		c->events[i].flags |= GT_EV_RET_UNKNOWN;
	c->info.returns_known = false;
	t = build(c, &o);
	n = t->procs[0].threads[0].nevents;
	assert_int_equal(n, 5);
	CHECK_THREAD(&t->procs[0].threads[0],
		"openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = ?",
		"mmap(NULL, len(ld.so.cache), PROT_READ, MAP_PRIVATE, 3, 0) = ?",
		"mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = ?",
		"munmap(ptr, len(ld.so.cache)) = ?",
		"munmap(ptr, 4096) = ?");
	gt_trace_free(t);
	gt_capture_free(c);
}

/* A call interrupted by a signal and restarted by the kernel (ERESTART*,
 * 512..516) is the restarted call only: whether it was interrupted is
 * timing.  Nor is it counted. */
static void test_build_restarted_call(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_canon_opts o = { 0 };
	struct gt_trace *t;
	const struct gt_syscall_stat *s;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	EV(c, 0, "read", -512, 0, PTR, 8);  /* ERESTARTSYS */
	EV(c, 0, "read", 8, 0, PTR, 8);
	EV(c, 0, "wait4", -516, -1, PTR, 0, 0); /* ERESTART_RESTARTBLOCK */
	EV(c, 0, "write", -EINTR, 1, PTR, 8); /* a real EINTR stays */
	t = build(c, &o);
	CHECK_THREAD(&t->procs[0].threads[0],
		"read(0, 8) = 8",
		"write(1, 8) = -1 EINTR");
	s = must_stat(t, "read");
	assert_non_null(s);
	assert_true(s->calls.median == 1 && s->errors.median == 0);
	assert_null(stat_of(t, "wait4"));
	gt_trace_free(t);
	gt_capture_free(c);
}

static void test_build_options(void **state)
{
	static const char *const ign[] = { "getrandom", "close" };
	static const char *const unord[] = { "read" };
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_canon_opts o = {
		.ignore = ign, .nignore = 2, .unordered = unord, .nunordered = 1,
		.keep_loader_probes = true, .no_collapse_repeats = true,
	};
	struct gt_trace *t;

	(void)state;
	gt_capture_add_task(c, 10, 10, -1, 0);
	EV(c, 0, "getrandom", 16, PTR, 16, 0);
	/* Ignored calls change no state either: 1 stays open. */
	EV(c, 0, "close", 0, 1);
	EV(c, 0, "read", 1, 0, PTR, 1);
	EV(c, 0, "openat", -ENOENT, FDCWD, PTR, O_RDONLY, 0);
	put_str(c, 1, "/lib/tls/libc.so.6");
	EV(c, 0, "write", 1, 1, PTR, 1);
	EV(c, 0, "write", 1, 1, PTR, 1);
	EV(c, 0, "futex", 0, PTR, 128, 0);
	t = build(c, &o);
	CHECK_THREAD(&t->procs[0].threads[0],
		"openat(AT_FDCWD, \"/lib/tls/libc.so.6\", O_RDONLY) = -1 ENOENT",
		"write(1, 1) = 1",
		"write(1, 1) = 1",
		"futex(ptr, FUTEX_WAIT_PRIVATE, 0) = 0");
	assert_null(stat_of(t, "getrandom"));
	assert_non_null(stat_of(t, "read"));
	assert_true(must_stat(t, "openat")->calls.median == 1);
	assert_true(t->syscalls.median == 5);
	assert_null(stat_of(t, "close"));
	assert_int_equal(t->nignored, 2);
	assert_string_equal(t->ignored[0], "getrandom");
	assert_string_equal(t->ignored[1], "close");
	assert_int_equal(t->nunordered, 1);
	assert_string_equal(t->unordered[0], "read");
	gt_trace_free(t);

	/* An empty list given: nothing unordered. */
	o.nunordered = 0;
	t = build(c, &o);
	assert_int_equal(t->procs[0].threads[0].nevents, 5);
	assert_int_equal(t->nunordered, 0);
	gt_trace_free(t);
	gt_capture_free(c);
}

/* seccomp: returns unknown; fds are numbered at first use. */
static void test_build_returns_unknown(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_SECCOMP);
	struct gt_trace *t;

	(void)state;
	c->info.returns_known = false;
	gt_capture_add_task(c, 10, 10, -1, 0);
	EV(c, 0, "openat", 0, FDCWD, PTR, O_RDONLY, 0)->flags = GT_EV_RET_UNKNOWN;
	put_str(c, 1, "/lib/x86_64/libc.so.6");
	EV(c, 0, "read", 0, 7, PTR, 10)->flags = GT_EV_RET_UNKNOWN;
	EV(c, 0, "read", 0, 7, PTR, 10)->flags = GT_EV_RET_UNKNOWN;
	EV(c, 0, "close", 0, 7)->flags = GT_EV_RET_UNKNOWN;
	EV(c, 0, "read", 0, 8, PTR, 10)->flags = GT_EV_RET_UNKNOWN;
	EV0(c, 0, "fork", 0)->flags = GT_EV_RET_UNKNOWN;
	t = build(c, NULL);
	assert_false(t->returns_known);
	assert_string_equal(t->backend, "seccomp");
	CHECK_THREAD(&t->procs[0].threads[0],
		"openat(AT_FDCWD, \"/lib/x86_64/libc.so.6\", O_RDONLY) = ?",
		"read(3, 10) = ? " X "2",
		"close(3) = ?",
		"read(3, 10) = ?",
		"fork() = ?");
	assert_true(must_stat(t, "read")->errors.median == 0);
	gt_trace_free(t);
	gt_capture_free(c);
}

/* seccomp: the fd pair of a pipe is read at the task's next call and
 * numbers the fds as ptrace would (the write end used first keeps its
 * number); the pair shows as an unseen output.  An implausible pair (the
 * call failed and left the buffer as it was) numbers nothing: first use. */
static void test_build_returns_unknown_pipe(void **state)
{
	static const int32_t pair[2] = {3, 4}, zeros[2] = {0, 0};
	const int32_t *pairs[] = {pair, zeros};

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct gt_capture *c = gt_capture_new(GT_BACKEND_SECCOMP);
		struct gt_trace *t;

		c->info.returns_known = false;
		gt_capture_add_task(c, 10, 10, -1, 0);
		EV(c, 0, "pipe2", 0, PTR, O_CLOEXEC)->flags = GT_EV_RET_UNKNOWN;
		put_mem(c, 0, pairs[k], 2 * sizeof(int32_t));
		EV(c, 0, "close", 0, 4)->flags = GT_EV_RET_UNKNOWN;
		EV(c, 0, "read", 0, 3, PTR, 16)->flags = GT_EV_RET_UNKNOWN;
		t = build(c, NULL);
		if (k == 0)
			CHECK_THREAD(&t->procs[0].threads[0], "pipe2(ptr, O_CLOEXEC) = ?",
				     "close(4) = ?", "read(3, 16) = ?");
		else
			CHECK_THREAD(&t->procs[0].threads[0], "pipe2(ptr, O_CLOEXEC) = ?",
				     "close(3) = ?", "read(3, 16) = ?");
		gt_trace_free(t);
		gt_capture_free(c);
	}
}

static void test_build_malformed(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	struct gt_trace *t = (struct gt_trace *)1;
	struct gt_error err = { 0 };

	(void)state;
	/* No tasks, no events: an empty trace. */
	assert_int_equal(gt_canon_build(c, NULL, &t, &err), GT_OK);
	assert_int_equal(t->nprocs, 0);
	gt_trace_free(t);
	/* An event of a task that does not exist. */
	EV0(c, 0, "getpid", 1);
	assert_int_equal(gt_canon_build(c, NULL, &t, &err), GT_ERR_FORMAT);
	assert_null(t);
	assert_true(strstr(err.msg, "task") != NULL);
	gt_capture_add_task(c, 1, 1, -1, 0);
	gt_capture_add_task(c, 2, 2, 0, 0);
	c->tasks[1].parent = 1; /* its own parent */
	assert_int_equal(gt_canon_build(c, NULL, &t, &err), GT_ERR_FORMAT);
	c->tasks[1].parent = 0;
	c->tasks[0].parent = 1; /* the root is not first */
	assert_int_equal(gt_canon_build(c, NULL, &t, &err), GT_ERR_FORMAT);
	c->tasks[0].parent = -1;
	assert_int_equal(gt_canon_build(c, NULL, &t, &err), GT_OK);
	gt_trace_free(t);
	gt_capture_free(c);
}

/* ---- gt_canon_merge_runs ---- */

/* A one-process trace from event lines "call|arg|arg...|ret". */
static struct gt_trace *mk_trace(const char *const *lines, size_t n, double wall)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
	struct gt_thread *th = gt_process_add_thread(t, p, "p1");
	struct gt_run_sample run = { .wall_s = wall, .syscalls = (double)n };

	t->backend = gt_trace_str(t, "ptrace");
	gt_trace_add_command(t, "prog");
	for (size_t i = 0; i < n; i++) {
		struct gt_syscall_stat *st = gt_trace_sysstat(t, add_line(t, th, lines[i])->call);

		st->calls.min = st->calls.median = st->calls.max = st->calls.median + 1;
	}
	gt_trace_add_run(t, &run);
	gt_canon_collapse_repeats(t, th);
	gt_trace_rehash(t);
	return t;
}

static bool has_masked(const struct gt_trace *t, const char *what)
{
	for (size_t i = 0; i < t->nmasked; i++)
		if (strcmp(t->masked[i], what) == 0)
			return true;
	return false;
}

static void test_merge_wildcards(void **state)
{
	static const char *const r0[] = {
		"openat|AT_FDCWD|\"$TMP/a1\"|O_RDONLY|3", "read|3|10|10", "write|1|5|5",
		"write|1|6|6", "close|3|0",
	};
	static const char *const r1[] = {
		"openat|AT_FDCWD|\"$TMP/b2\"|O_RDONLY|3", "read|3|10|7", "write|1|7|7",
		"write|1|8|8", "close|3|0", "close|3|0",
	};
	static const char *const r2[] = {
		"openat|AT_FDCWD|\"$TMP/a1\"|O_RDONLY|3", "read|3|10|10", "write|1|5|5",
		"write|1|6|6", "close|3|0", "close|3|0", "close|3|0",
	};
	struct gt_trace *runs[3] = {
		mk_trace(r0, GT_ARRAY_SIZE(r0), 1.0), mk_trace(r1, GT_ARRAY_SIZE(r1), 3.0),
		mk_trace(r2, GT_ARRAY_SIZE(r2), 2.0),
	};
	uint64_t h0 = runs[0]->hash;
	struct gt_trace *m = NULL;
	struct gt_error err = { 0 };
	const struct gt_syscall_stat *s;

	(void)state;
	assert_int_equal(gt_canon_merge_runs(runs, 3, &m, &err), GT_OK);
	/* The writes collapsed in each run (byte-count calls, by identity);
	 * bytes that varied are a band, not a wildcard.  The count is the
	 * median. */
	CHECK_THREAD(&m->procs[0].threads[0],
		"openat(AT_FDCWD, *, O_RDONLY) = 3",
		"read(3, 10) = 7..10",
		"write(1, 5) = \u03a311..15 " X "2",
		"close(3) = 0 " X "2");
	/* One learned wildcard and one count that varied between the runs
	 * (the diff does not compare that count). */
	assert_int_equal(m->nmasked, 2);
	assert_true(has_masked(m, "p1 event 4 count"));
	assert_true(has_masked(m, "p1 event 1 arg 2"));
	assert_true(m->hash == gt_trace_hash(m));
	/* The inputs are unchanged. */
	assert_true(runs[0]->hash == h0);
	assert_string_equal(runs[0]->procs[0].threads[0].events[0].args[1], "\"$TMP/a1\"");

	/* Statistics over the runs. */
	assert_int_equal(m->nruns, 3);
	assert_true(m->wall_s.min == 1.0 && m->wall_s.median == 2.0 && m->wall_s.max == 3.0);
	assert_true(m->wall_s.mad == 1.0);
	s = must_stat(m, "close");
	assert_true(s->calls.min == 1 && s->calls.median == 2 && s->calls.max == 3);
	s = must_stat(m, "write");
	assert_true(s->calls.min == 2 && s->calls.max == 2 && s->calls.mad == 0);
	assert_string_equal(m->backend, "ptrace");
	assert_int_equal(m->ncommand, 1);
	assert_string_equal(m->command[0], "prog");
	/* Interned in the new trace, not borrowed from a run. */
	assert_true(m->backend != runs[0]->backend);
	gt_trace_free(m);

	/* A single run merges to itself. */
	assert_int_equal(gt_canon_merge_runs(runs, 1, &m, &err), GT_OK);
	assert_true(m->hash == h0);
	assert_int_equal(m->nmasked, 0);
	gt_trace_free(m);
	for (int i = 0; i < 3; i++)
		gt_trace_free(runs[i]);
}

static void test_merge_mismatch(void **state)
{
	static const char *const r0[] = { "getpid|p1", "read|3|10|10", "write|1|5|5" };
	static const char *const r1[] = { "getpid|p1", "read|3|10|7", "write|1|5|5",
					  "fsync|1|0" };
	static const char *const r2[] = { "getpid|p1", "read|3|10|7", "close|1|0" };
	struct gt_trace *runs[2] = { mk_trace(r0, 3, 1), mk_trace(r1, 4, 1) };
	struct gt_trace *m = NULL;
	struct gt_error err = { 0 };
	struct gt_process *p;

	(void)state;
	/* A second process in each run; its sequence lines up. */
	for (int k = 0; k < 2; k++) {
		p = gt_trace_add_process(runs[k], "p2", "p1");
		gt_thread_add_event(runs[k], gt_process_add_thread(runs[k], p, "p2"), "getppid",
				    NULL, 0, k ? "p9" : "p1", 1);
		gt_trace_rehash(runs[k]);
	}
	assert_int_equal(gt_canon_merge_runs(runs, 2, &m, &err), GT_OK);
	/* p1 does not line up call for call: aligned, the read's bytes
	 * become a band and the fsync run 1 added an alternative. */
	CHECK_THREAD(&m->procs[0].threads[0], "getpid() = p1", "read(3, 10) = 7..10",
		     "write(1, 5) = 5");
	assert_int_equal(m->nalts, 1);
	assert_string_equal(m->alts[0].events.id, "p1");
	assert_int_equal(m->alts[0].at, 3);
	assert_int_equal(m->alts[0].len, 0);
	CHECK_THREAD(&m->alts[0].events, "fsync(1) = 0");
	/* p2 does, and is wildcarded. */
	CHECK_THREAD(&m->procs[1].threads[0], "getppid() = *");
	assert_true(has_masked(m, "p2 event 1 return"));
	assert_int_equal(m->nmasked, 1);
	gt_trace_free(m);
	gt_trace_free(runs[1]);

	/* Same counts, another call. */
	runs[1] = mk_trace(r2, 3, 1);
	assert_int_equal(gt_canon_merge_runs(runs, 2, &m, &err), GT_OK);
	assert_true(has_masked(m, "processes differ between runs (2 vs 1)"));
	assert_true(m->hash == runs[0]->hash);
	gt_trace_free(m);
	p = gt_trace_add_process(runs[1], "p2", "p1");
	gt_process_add_thread(runs[1], p, "p2");
	assert_int_equal(gt_canon_merge_runs(runs, 2, &m, &err), GT_OK);
	/* The write run 1 did not make, and the close it made instead; p2's
	 * getppid it did not make. */
	CHECK_THREAD(&m->procs[0].threads[0], "getpid() = p1", "read(3, 10) = 7..10",
		     "write(1, 5) = 5");
	assert_int_equal(m->nalts, 2);
	assert_int_equal(m->alts[0].at, 2);
	assert_int_equal(m->alts[0].len, 1);
	CHECK_THREAD(&m->alts[0].events, "close(1) = 0");
	assert_string_equal(m->alts[1].events.id, "p2");
	assert_int_equal(m->alts[1].at, 0);
	assert_int_equal(m->alts[1].len, 1);
	assert_int_equal(m->alts[1].events.nevents, 0);
	gt_trace_free(m);

	/* A path longer than an alternative may be is noted instead. */
	{
		struct gt_trace *big = mk_trace(r0, 3, 1);
		struct gt_thread *th = &big->procs[0].threads[0];
		struct gt_trace *two[2] = { runs[0], big };

		for (int k = 0; k < GT_ALT_MAX_EVENTS + 1; k++)
			gt_thread_add_event(big, th, "getuid", NULL, 0, k & 1 ? "1" : "0", 1);
		gt_trace_rehash(big);
		p = gt_trace_add_process(big, "p2", "p1");
		gt_thread_add_event(big, gt_process_add_thread(big, p, "p2"), "getppid", NULL, 0,
				    "p1", 1);
		gt_trace_rehash(big);
		assert_int_equal(gt_canon_merge_runs(two, 2, &m, &err), GT_OK);
		assert_int_equal(m->nalts, 0);
		assert_true(has_masked(m, "p1 after event 3: a run took another path of 65 events "
					  "there (too long to keep)"));
		gt_trace_free(m);
		gt_trace_free(big);
	}

	assert_int_equal(gt_canon_merge_runs(runs, 0, &m, &err), GT_ERR_USAGE);
	assert_null(m);
	gt_trace_free(runs[0]);
	gt_trace_free(runs[1]);
}

/* Merging real builds: the two worlds differ only in what canonicalization
 * hides, so nothing is masked. */
static void test_merge_builds(void **state)
{
	struct gt_capture *ca = make_run(&world_a), *cb = make_run(&world_b);
	struct gt_canon_opts oa = world_opts(&world_a), ob = world_opts(&world_b);
	struct gt_trace *runs[2] = { build(ca, &oa), build(cb, &ob) };
	struct gt_trace *m = NULL;
	struct gt_error err = { 0 };

	(void)state;
	assert_int_equal(gt_canon_merge_runs(runs, 2, &m, &err), GT_OK);
	assert_int_equal(m->nmasked, 0);
	assert_true(m->hash == runs[0]->hash);
	check_world_trace(m);
	assert_string_equal(m->procs[1].exe, "/usr/lib/gcc/cc1");
	assert_int_equal(m->nunordered, gt_canon_default_nunordered);
	gt_trace_free(m);
	gt_trace_free(runs[0]);
	gt_trace_free(runs[1]);
	gt_capture_free(ca);
	gt_capture_free(cb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_prefixes),
		cmocka_unit_test(test_path_user_rules),
		cmocka_unit_test(test_path_proc),
		cmocka_unit_test(test_path_hwcaps),
		cmocka_unit_test(test_temp_suffix),
		cmocka_unit_test(test_loader_probe),
		cmocka_unit_test(test_walkup_probe),
		cmocka_unit_test(test_fold_path_searches),
		cmocka_unit_test(test_pool_threads),
		cmocka_unit_test(test_fdmap_lowest_free),
		cmocka_unit_test(test_fdmap_exec_and_clone),
		cmocka_unit_test(test_fdmap_threaded),
		cmocka_unit_test(test_build_thread_fds),
		cmocka_unit_test(test_collapse_repeats),
		cmocka_unit_test(test_build_two_processes),
		cmocka_unit_test(test_build_determinism),
		cmocka_unit_test(test_build_threads),
		cmocka_unit_test(test_build_fd_effects),
		cmocka_unit_test(test_build_fd_tables),
		cmocka_unit_test(test_build_sockaddrs),
		cmocka_unit_test(test_build_bad_memory),
		cmocka_unit_test(test_build_argv_and_temp),
		cmocka_unit_test(test_build_options),
		cmocka_unit_test(test_build_restarted_call),
		cmocka_unit_test(test_forget_returns),
		cmocka_unit_test(test_build_unknown_returns_memory),
		cmocka_unit_test(test_build_returns_unknown),
		cmocka_unit_test(test_build_returns_unknown_pipe),
		cmocka_unit_test(test_build_malformed),
		cmocka_unit_test(test_merge_wildcards),
		cmocka_unit_test(test_merge_mismatch),
		cmocka_unit_test(test_merge_builds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

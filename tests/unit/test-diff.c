/*
 * test-diff: the sequence diff: Myers' LCS against a plain O(NM) table on
 * random small inputs (minimal and valid), the cost cut (valid), event
 * equality with wildcards and unknown returns, count tolerance and masked
 * counts, process and thread matching, the rendered unified diff (byte for
 * byte, hunk merging, the cap, colour), one insertion in a long thread that
 * must not cascade, and two 100,000-event threads with 100 edits.
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

#include "diff.h"
#include "trace.h"

/* ---- helpers ---- */

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static size_t rnd_below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* Append the event written as TEXT ("call(args) = ret ×N") to TH. */
static void ev(struct gt_trace *t, struct gt_thread *th, const char *text)
{
	struct gt_event_parts parts;
	struct gt_error err = { 0 };

	if (gt_event_parse(text, &parts, &err) != GT_OK)
		fail_msg("cannot parse %s: %s", text, err.msg);
	gt_thread_add_event(t, th, parts.call, (const char *const *)parts.args, parts.nargs,
			    parts.ret, parts.count);
	gt_event_parts_free(&parts);
}

/* Append each of the NULL-terminated TEXTS. */
static void evs(struct gt_trace *t, struct gt_thread *th, const char *const *texts)
{
	for (; *texts; texts++)
		ev(t, th, *texts);
}

/* A process ID (child of PARENT, exe EXE) with its leader thread. */
static struct gt_thread *proc(struct gt_trace *t, const char *id, const char *parent,
			      const char *exe)
{
	struct gt_process *p = gt_trace_add_process(t, id, parent);

	p->exe = gt_trace_str(t, exe);
	return gt_process_add_thread(t, p, id);
}

/* A trace whose root p1 (/bin/ls) runs TEXTS. */
static struct gt_trace *one_thread(const char *const *texts)
{
	struct gt_trace *t = gt_trace_new();

	evs(t, proc(t, "p1", NULL, "/bin/ls"), texts);
	return t;
}

static struct gt_diff *diff(const struct gt_trace *g, const struct gt_trace *n,
			    const struct gt_count_tol *tol)
{
	struct gt_diff_opts o = { .counts = tol, .bytes_pct = GT_BYTES_PCT };
	struct gt_diff *d = NULL;

	gt_diff_traces(g, n, &o, &d);
	assert_non_null(d);
	return d;
}

static char *render(const struct gt_diff *d, unsigned context, size_t max, bool color)
{
	struct gt_diff_render_opts o = { context, max, color, "golden.json", "new run", NULL };
	struct gt_buf b = { 0 };

	gt_diff_render(d, &o, &b);
	return b.s ? gt_buf_steal(&b) : xstrdup("");
}

/* Lines of S starting with C. */
static size_t count_prefix(const char *s, char c)
{
	size_t n = 0;

	for (const char *p = s; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
		if (*p == c)
			n++;
	return n;
}

static size_t count_str(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- LCS ---- */

struct seqs {
	const int *a, *b;
};

static bool int_eq(const void *ctx, size_t i, size_t j)
{
	const struct seqs *s = ctx;

	return s->a[i] == s->b[j];
}

static size_t dp_lcs(const int *a, size_t n, const int *b, size_t m)
{
	size_t *t = xcalloc((n + 1) * (m + 1), sizeof(*t)), r;

	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t up = t[(i - 1) * (m + 1) + j], left = t[i * (m + 1) + j - 1];

			if (a[i - 1] == b[j - 1])
				t[i * (m + 1) + j] = t[(i - 1) * (m + 1) + j - 1] + 1;
			else
				t[i * (m + 1) + j] = up > left ? up : left;
		}
	r = t[n * (m + 1) + m];
	free(t);
	return r;
}

/* The keep arrays pair up into a common subsequence; return its length. */
static size_t check_common(const int *a, size_t n, const bool *ka, const int *b, size_t m,
			   const bool *kb)
{
	size_t i = 0, j = 0, len = 0;

	for (;;) {
		while (i < n && !ka[i])
			i++;
		while (j < m && !kb[j])
			j++;
		if (i == n || j == m)
			break;
		assert_int_equal(a[i], b[j]);
		i++;
		j++;
		len++;
	}
	/* Nothing left over on either side. */
	for (; i < n; i++)
		assert_false(ka[i]);
	for (; j < m; j++)
		assert_false(kb[j]);
	return len;
}

static void test_lcs_minimal_random(void **state)
{
	(void)state;
	for (int round = 0; round < 500; round++) {
		size_t n = rnd_below(41), m = rnd_below(41), alpha = 3 + rnd_below(3);
		int a[40], b[40];
		bool ka[40], kb[40];
		struct seqs s = { a, b };

		for (size_t i = 0; i < n; i++)
			a[i] = (int)rnd_below(alpha);
		for (size_t j = 0; j < m; j++)
			b[j] = (int)rnd_below(alpha);
		gt_diff_lcs(n, m, int_eq, &s, ka, kb);
		assert_int_equal(check_common(a, n, ka, b, m, kb), dp_lcs(a, n, b, m));
	}
}

/* Related sequences (one derived from the other by edits) exercise long
 * snakes, which unrelated random ones rarely have. */
static void test_lcs_minimal_edited(void **state)
{
	(void)state;
	for (int round = 0; round < 300; round++) {
		size_t n = rnd_below(200), m = 0;
		int *a = xcalloc(n + 1, sizeof(int)), *b = xcalloc(2 * n + 1, sizeof(int));
		bool *ka = xcalloc(n + 1, sizeof(bool)), *kb = xcalloc(2 * n + 1, sizeof(bool));
		struct seqs s = { a, b };

		for (size_t i = 0; i < n; i++)
			a[i] = (int)rnd_below(6);
		for (size_t i = 0; i < n; i++) {
			switch (rnd_below(12)) {
			case 0:
				break;                         /* deleted */
			case 1:
				b[m++] = (int)rnd_below(6);    /* replaced */
				break;
			case 2:
				b[m++] = (int)rnd_below(6);    /* inserted */
				b[m++] = a[i];
				break;
			default:
				b[m++] = a[i];
			}
		}
		gt_diff_lcs(n, m, int_eq, &s, ka, kb);
		assert_int_equal(check_common(a, n, ka, b, m, kb), dp_lcs(a, n, b, m));
		free(a);
		free(b);
		free(ka);
		free(kb);
	}
}

/* With the smallest budget every search is cut: still a valid script. */
static void test_lcs_cut_valid(void **state)
{
	(void)state;
	for (int round = 0; round < 300; round++) {
		size_t n = rnd_below(300), m = rnd_below(300), alpha = 2 + rnd_below(20);
		int *a = xcalloc(n + 1, sizeof(int)), *b = xcalloc(m + 1, sizeof(int));
		bool *ka = xcalloc(n + 1, sizeof(bool)), *kb = xcalloc(m + 1, sizeof(bool));
		struct seqs s = { a, b };
		size_t len, best;

		for (size_t i = 0; i < n; i++)
			a[i] = (int)rnd_below(alpha);
		for (size_t j = 0; j < m; j++)
			b[j] = (int)rnd_below(alpha);
		gt_diff_lcs_budget(n, m, int_eq, &s, 1 + rnd_below(64), ka, kb);
		len = check_common(a, n, ka, b, m, kb);
		best = dp_lcs(a, n, b, m);
		assert_true(len <= best);
		free(a);
		free(b);
		free(ka);
		free(kb);
	}
}

/* ---- event equality ---- */

static bool events_equal(const char *golden, const char *new_)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = proc(t, "p1", NULL, NULL);
	bool r;

	ev(t, th, golden);
	ev(t, th, new_);
	r = gt_diff_event_eq(&th->events[0], &th->events[1]);
	gt_trace_free(t);
	return r;
}

static void test_event_eq(void **state)
{
	(void)state;
	assert_true(events_equal("close(fd3) = 0", "close(fd3) = 0"));
	assert_false(events_equal("close(fd3) = 0", "close(fd4) = 0"));
	assert_false(events_equal("close(fd3) = 0", "fsync(fd3) = 0"));
	assert_false(events_equal("close(fd3) = 0", "close(fd3, 1) = 0"));
	/* Wildcards only on the golden side. */
	assert_true(events_equal("openat(AT_FDCWD, *, O_RDONLY) = fd3",
				 "openat(AT_FDCWD, \"$TMP/x\", O_RDONLY) = fd3"));
	assert_false(events_equal("openat(AT_FDCWD, \"$TMP/x\", O_RDONLY) = fd3",
				  "openat(AT_FDCWD, *, O_RDONLY) = fd3"));
	assert_false(events_equal("openat(AT_FDCWD, *, O_RDONLY) = fd3",
				  "openat(AT_FDCWD, \"$TMP/x\", O_WRONLY) = fd3"));
	assert_true(events_equal("getpid() = *", "getpid() = p1"));
	assert_true(events_equal("wait4(*, NULL) = *", "wait4(p2, NULL) = p2"));
	/* "?" on either side matches any return. */
	assert_true(events_equal("rd(fd3, 10) = ?", "rd(fd3, 10) = 10"));
	assert_true(events_equal("rd(fd3, 10) = 10", "rd(fd3, 10) = ?"));
	assert_false(events_equal("rd(fd3, 10) = 10", "rd(fd3, 10) = 11"));
	assert_false(events_equal("rd(fd3, 10) = ?", "rd(fd4, 10) = 10"));
	/* Counts are not part of equality. */
	assert_true(events_equal("rd(fd3, 10) = 10 ×4", "rd(fd3, 10) = 10"));
}

/* The same equality through the whole diff (hash fast path and slow path). */
static void test_wildcards_in_diff(void **state)
{
	static const char *const g[] = {
		"getpid() = *",
		"openat(AT_FDCWD, *, O_RDONLY) = fd3",
		"rd(fd3, 10) = ?",
		"close(fd3) = 0",
		NULL,
	};
	static const char *const n[] = {
		"getpid() = p1",
		"openat(AT_FDCWD, \"$TMP/tmp.XXXX\", O_RDONLY) = fd3",
		"rd(fd3, 10) = 10",
		"close(fd3) = ?",
		NULL,
	};
	static const char *const n2[] = {
		"getpid() = p1",
		"openat(AT_FDCWD, \"$TMP/tmp.XXXX\", O_RDWR) = fd3",
		"rd(fd3, 10) = 10",
		"close(fd3) = ?",
		NULL,
	};
	struct gt_trace *gt = one_thread(g), *nt = one_thread(n), *nt2 = one_thread(n2);
	struct gt_diff *d = diff(gt, nt, NULL);

	(void)state;
	assert_int_equal(d->changes, 0);
	assert_int_equal(d->nthreads, 0);
	gt_diff_free(d);
	d = diff(gt, nt2, NULL);
	assert_int_equal(d->changes, 2);
	assert_int_equal(d->threads[0].ndel, 1);
	assert_int_equal(d->threads[0].nadd, 1);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
	gt_trace_free(nt2);
}

/* ---- sequences ---- */

static const char *const base[] = {
	"execve(\"/bin/ls\") = 0",
	"brk(NULL) = addr",
	"openat(AT_FDCWD, \"$CWD/a\", O_RDONLY) = fd3",
	"rd(fd3, 4096) = 4096 ×3",
	"close(fd3) = 0",
	"wr(1, 12) = 12",
	"exit_group(0) = ?",
	NULL,
};

/* Diff BASE against NEW_ and check the kinds of its lines, e.g. "==+==". */
static void check_kinds(const char *const *golden, const char *const *new_, const char *kinds)
{
	struct gt_trace *gt = one_thread(golden), *nt = one_thread(new_);
	struct gt_diff *d = diff(gt, nt, NULL);
	size_t len = strlen(kinds), changes = 0;

	for (size_t i = 0; i < len; i++)
		changes += kinds[i] != '=';
	assert_int_equal(d->changes, changes);
	if (!changes) {
		assert_int_equal(d->nthreads, 0);
	} else {
		assert_int_equal(d->nthreads, 1);
		assert_int_equal(d->threads[0].nlines, len);
		for (size_t i = 0; i < len; i++) {
			static const char code[] = "=-+#";

			if (code[d->threads[0].lines[i].kind] != kinds[i])
				fail_msg("line %zu: %c, expected %c", i,
					 code[d->threads[0].lines[i].kind], kinds[i]);
		}
	}
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

static void test_insertions(void **state)
{
	static const char *const n[] = {
		"execve(\"/bin/ls\") = 0",
		"brk(NULL) = addr",
		"access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT",
		"openat(AT_FDCWD, \"$CWD/a\", O_RDONLY) = fd3",
		"rd(fd3, 4096) = 4096 ×3",
		"close(fd3) = 0",
		"wr(1, 12) = 12",
		"wr(1, 1) = 1",
		"exit_group(0) = ?",
		NULL,
	};

	(void)state;
	check_kinds(base, n, "==+====+=");
}

static void test_deletions(void **state)
{
	static const char *const n[] = {
		"brk(NULL) = addr",
		"openat(AT_FDCWD, \"$CWD/a\", O_RDONLY) = fd3",
		"rd(fd3, 4096) = 4096 ×3",
		"wr(1, 12) = 12",
		"exit_group(0) = ?",
		NULL,
	};

	(void)state;
	check_kinds(base, n, "-===-==");
}

static void test_replacements(void **state)
{
	static const char *const n[] = {
		"execve(\"/bin/ls\") = 0",
		"brk(NULL) = addr",
		"openat(AT_FDCWD, \"$CWD/b\", O_RDONLY) = fd3",
		"rd(fd3, 4096) = 4096 ×3",
		"close(fd3) = 0",
		"wr(1, 13) = 13",
		"exit_group(1) = ?",
		NULL,
	};

	(void)state;
	check_kinds(base, n, "==-+==--++");
}

static void test_moved_block(void **state)
{
	static const char *const g[] = {
		"a() = 0", "b() = 0", "c() = 0", "d() = 0", "e() = 0", "f() = 0",
		"g() = 0", NULL,
	};
	static const char *const n[] = {
		"a() = 0", "e() = 0", "f() = 0", "b() = 0", "c() = 0", "d() = 0",
		"g() = 0", NULL,
	};

	(void)state;
	/* Either block may be the one that moves; the LCS keeps the longer. */
	check_kinds(g, n, "=++===--=");
}

static void test_empty_sides(void **state)
{
	static const char *const none[] = { NULL };

	(void)state;
	check_kinds(none, base, "+++++++");
	check_kinds(base, none, "-------");
	check_kinds(none, none, "");
}

static void test_identical_long(void **state)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_thread *g = proc(gt, "p1", NULL, "/bin/ls");
	struct gt_thread *n = proc(nt, "p1", NULL, "/bin/ls");
	struct gt_diff *d;
	char *out;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		char text[64];

		snprintf(text, sizeof(text), "rd(fd3, %d) = %d", i % 17, i % 5);
		ev(gt, g, text);
		ev(nt, n, text);
	}
	d = diff(gt, nt, NULL);
	assert_int_equal(d->changes, 0);
	assert_int_equal(d->nthreads, 0);
	assert_int_equal(d->nprocs, 0);
	out = render(d, 3, 0, true);
	assert_string_equal(out, "");
	free(out);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

/* ---- counts ---- */

/* How many COUNT lines diffing "read ×G; write ×G2" against "×N; ×N2"
 * gives under TOL. */
static size_t count_changes(uint32_t g, uint32_t n, uint32_t g2, uint32_t n2,
			    const struct gt_count_tol *tol, const char *masked)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_thread *gth = proc(gt, "p1", NULL, "/bin/cat");
	struct gt_thread *nth = proc(nt, "p1", NULL, "/bin/cat");
	const char *args[] = { "fd3", "4096" };
	struct gt_diff *d;
	size_t r = 0;

	gt_thread_add_event(gt, gth, "rd", args, 2, "4096", g);
	gt_thread_add_event(gt, gth, "wr", args, 2, "4096", g2);
	gt_thread_add_event(nt, nth, "rd", args, 2, "4096", n);
	gt_thread_add_event(nt, nth, "wr", args, 2, "4096", n2);
	if (masked)
		gt_trace_add_masked(gt, masked);
	d = diff(gt, nt, tol);
	if (d->nthreads) {
		assert_int_equal(d->threads[0].ndel + d->threads[0].nadd, 0);
		r = d->threads[0].ncount;
	}
	assert_int_equal(d->changes, r);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
	return r;
}

static void test_count_tolerance(void **state)
{
	struct gt_count_tol abs3 = { { GT_TOL_ABS, 3 }, NULL, 0 };
	struct gt_count_tol pct10 = { { GT_TOL_PCT, 10 }, NULL, 0 };
	struct gt_count_tol exact = { { GT_TOL_EXACT, 0 }, NULL, 0 };
	char read_name[] = "rd";
	struct gt_tol_syscall per = { read_name, { GT_TOL_ABS, 5 } };
	struct gt_count_tol mixed = { { GT_TOL_EXACT, 0 }, &per, 1 };

	(void)state;
	/* Exact (no options, or an exact tolerance). */
	assert_int_equal(count_changes(100, 100, 7, 7, NULL, NULL), 0);
	assert_int_equal(count_changes(100, 101, 7, 7, NULL, NULL), 1);
	assert_int_equal(count_changes(100, 99, 7, 8, &exact, NULL), 2);
	/* ±3: within at 3, beyond at 4, both ways. */
	assert_int_equal(count_changes(100, 103, 7, 4, &abs3, NULL), 0);
	assert_int_equal(count_changes(100, 104, 7, 3, &abs3, NULL), 2);
	/* 10% of the golden count. */
	assert_int_equal(count_changes(100, 110, 10, 9, &pct10, NULL), 0);
	assert_int_equal(count_changes(100, 111, 10, 12, &pct10, NULL), 2);
	assert_int_equal(count_changes(100, 89, 1, 2, &pct10, NULL), 2);
	/* Per-syscall override. */
	assert_int_equal(count_changes(100, 105, 7, 7, &mixed, NULL), 0);
	assert_int_equal(count_changes(100, 105, 7, 8, &mixed, NULL), 1);
}

/* A run of the same rt_sigaction is judged by being there, not by its
 * length; a new signal or another argument still shows. */
static void test_sigaction_repeats(void **state)
{
	const char *g[] = { "openat(AT_FDCWD, \"f\", O_RDONLY) = 3",
			    "rt_sigaction(SIGINT, ptr, ptr, 8) = 0", "execve(\"x\") = 0", NULL };
	const char *twice[] = { "openat(AT_FDCWD, \"f\", O_RDONLY) = 3",
				"rt_sigaction(SIGINT, ptr, ptr, 8) = 0 \xc3\x97" "2",
				"execve(\"x\") = 0", NULL };
	const char *other[] = { "openat(AT_FDCWD, \"f\", O_RDONLY) = 3",
				"rt_sigaction(SIGINT, ptr, ptr, 8) = 0",
				"rt_sigaction(SIGTERM, ptr, ptr, 8) = 0", "execve(\"x\") = 0", NULL };
	const char *query[] = { "openat(AT_FDCWD, \"f\", O_RDONLY) = 3",
				"rt_sigaction(SIGINT, NULL, ptr, 8) = 0", "execve(\"x\") = 0", NULL };
	struct gt_trace *gt = one_thread(g), *t2 = one_thread(twice), *to = one_thread(other),
			*tq = one_thread(query);
	struct gt_diff *d;

	(void)state;
	d = diff(gt, t2, NULL);
	assert_int_equal(d->changes, 0);
	gt_diff_free(d);
	d = diff(t2, gt, NULL);
	assert_int_equal(d->changes, 0);
	gt_diff_free(d);
	d = diff(gt, to, NULL);
	assert_true(d->changes > 0);
	gt_diff_free(d);
	d = diff(gt, tq, NULL);
	assert_true(d->changes > 0);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(t2);
	gt_trace_free(to);
	gt_trace_free(tq);
}

/* Recombined paths: where the recording runs took two paths over a
 * stretch (git's index written back, or the lock let go), a run that
 * mixes them is no change; an event no run made there, or one every run
 * made, dropped, still shows. */
static size_t recombined_changes(const char *const *run)
{
	const char *g[] = { "newfstatat(AT_FDCWD, \"f\", ptr, 0) = 0",
			    "openat(AT_FDCWD, \"i.lock\", O_RDWR|O_CREAT|O_EXCL) = 3",
			    "write(3, 117) = 117", "close(3) = 0",
			    "rename(\"i.lock\", \"i\") = 0", "exit_group(0) = ?", NULL };
	const char *other[] = { "openat(AT_FDCWD, \"i.lock\", O_RDWR|O_CREAT|O_EXCL) = 3",
				"close(3) = 0", "unlink(\"i.lock\") = 0", NULL };
	struct gt_trace *gt = one_thread(g), *nt = one_thread(run);
	struct gt_alt *alt = gt_trace_add_alt(gt, "p1", 1, 4);
	struct gt_diff *d;
	size_t n;

	for (const char *const *e = other; *e; e++)
		ev(gt, &alt->events, *e);
	d = diff(gt, nt, NULL);
	n = d->changes;
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
	return n;
}

static void test_recombined_paths(void **state)
{
	const char *alt_path[] = { "newfstatat(AT_FDCWD, \"f\", ptr, 0) = 0",
				   "openat(AT_FDCWD, \"i.lock\", O_RDWR|O_CREAT|O_EXCL) = 3",
				   "close(3) = 0", "unlink(\"i.lock\") = 0", "exit_group(0) = ?", NULL };
	const char *mixed[] = { "newfstatat(AT_FDCWD, \"f\", ptr, 0) = 0",
				"openat(AT_FDCWD, \"i.lock\", O_RDWR|O_CREAT|O_EXCL) = 3",
				"write(3, 117) = 117", "close(3) = 0", "unlink(\"i.lock\") = 0",
				"exit_group(0) = ?", NULL };
	const char *new_event[] = { "newfstatat(AT_FDCWD, \"f\", ptr, 0) = 0",
				    "openat(AT_FDCWD, \"i.lock\", O_RDWR|O_CREAT|O_EXCL) = 3",
				    "write(3, 117) = 117", "close(3) = 0",
				    "openat(AT_FDCWD, \"/etc/new\", O_RDONLY) = -1 ENOENT",
				    "unlink(\"i.lock\") = 0", "exit_group(0) = ?", NULL };
	const char *lost_open[] = { "newfstatat(AT_FDCWD, \"f\", ptr, 0) = 0",
				    "write(3, 117) = 117", "close(3) = 0",
				    "unlink(\"i.lock\") = 0", "exit_group(0) = ?", NULL };
	const char *outside[] = { "openat(AT_FDCWD, \"i.lock\", O_RDWR|O_CREAT|O_EXCL) = 3",
				  "write(3, 117) = 117", "close(3) = 0", "unlink(\"i.lock\") = 0",
				  "exit_group(0) = ?", NULL };

	(void)state;
	assert_int_equal(recombined_changes(alt_path), 0);
	assert_int_equal(recombined_changes(mixed), 0);
	assert_true(recombined_changes(new_event) > 0);
	assert_true(recombined_changes(lost_open) > 0);
	/* The stat before the stretch is no path a recording run skipped. */
	assert_true(recombined_changes(outside) > 0);
}

static void test_masked_count(void **state)
{
	(void)state;
	/* Event 1 (read) masked: only write counts. */
	assert_int_equal(count_changes(100, 200, 7, 7, NULL, "p1 event 1 count"), 0);
	assert_int_equal(count_changes(100, 200, 7, 8, NULL, "p1 event 1 count"), 1);
	assert_int_equal(count_changes(100, 200, 7, 8, NULL, "p1 event 2 count"), 1);
	/* Other threads' masks, other fields, and junk do not mask. */
	assert_int_equal(count_changes(100, 200, 7, 7, NULL, "p1.t2 event 1 count"), 1);
	assert_int_equal(count_changes(100, 200, 7, 7, NULL, "p1 event 1 arg 2"), 1);
	assert_int_equal(count_changes(100, 200, 7, 7, NULL, "p1 event 1 counts"), 1);
	assert_int_equal(count_changes(100, 200, 7, 7, NULL, "p1 event x count"), 1);
	assert_int_equal(count_changes(100, 200, 7, 7, NULL, "p1 event 9 count"), 1);
}

/* Byte-count calls: their bytes are judged within a band, not the number
 * of calls that moved them; end of file stays an identity. */
static size_t bytes_changes(const char *golden, const char *new_, size_t *del_add)
{
	const char *g[] = { "openat(AT_FDCWD, \"f\", O_RDONLY) = 3", golden, "close(3) = 0", NULL };
	const char *n[] = { "openat(AT_FDCWD, \"f\", O_RDONLY) = 3", new_, "close(3) = 0", NULL };
	struct gt_trace *gt = one_thread(g), *nt = one_thread(n);
	struct gt_diff *d = diff(gt, nt, NULL);
	size_t r = d->nthreads ? d->threads[0].ncount : 0;

	*del_add = d->nthreads ? d->threads[0].ndel + d->threads[0].nadd : 0;
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
	return r;
}

static void test_bytes(void **state)
{
	size_t da;

	(void)state;
	/* The same 13288 bytes in 4 KiB or 1 KiB chunks (st_blksize). */
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a313288 \u00d74",
				       "read(3, 1024) = \u03a313288 \u00d713", &da), 0);
	assert_int_equal(da, 0);
	/* The same size asked for and the same bytes in another number of
	 * calls: a pipe's chunks, as the writer's timing had them (a shell
	 * reading a command substitution)... */
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a37 \u00d72",
				       "read(3, 4096) = 7", &da), 0);
	assert_int_equal(da, 0);
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a340960 \u00d710",
				       "read(3, 4096) = \u03a340960 \u00d711", &da), 0);
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a3300..340 \u00d72",
				       "read(3, 4096) = \u03a3320 \u00d73", &da), 0);
	/* ... but other bytes with the same size asked for: the same
	 * chunking, so a loop that reads once more is a count change even
	 * where the bytes are in band. */
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a340960 \u00d710",
				       "read(3, 4096) = \u03a341000 \u00d711", &da), 1);
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a37 \u00d72",
				       "read(3, 4096) = 8", &da), 1);
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a3300..340 \u00d72",
				       "read(3, 4096) = \u03a3341 \u00d73", &da), 1);
	/* ... but a run of full reads makes as many calls as its bytes take
	 * (bash reading $PATH byte by byte), and the bytes are judged. */
	assert_int_equal(bytes_changes("read(3, 4096) = \u03a340960 \u00d710",
				       "read(3, 4096) = \u03a345056 \u00d711", &da), 0);
	assert_int_equal(bytes_changes("read(0, 1) = \u03a372 \u00d772",
				       "read(0, 1) = \u03a378 \u00d778", &da), 0);
	assert_int_equal(bytes_changes("read(0, 1) = \u03a372 \u00d772",
				       "read(0, 1) = \u03a3900 \u00d7900", &da), 1);
	/* A read of exactly the size asked for, with another size asked for
	 * (sqlite3 reads its header with a st_blksize buffer)... */
	assert_int_equal(bytes_changes("read(3, 4096) = 4096", "read(3, 1024) = 1024", &da), 0);
	/* ... but not with the same size, nor a short read. */
	assert_int_equal(bytes_changes("read(3, 4096) = 4096", "read(3, 4096) = 400", &da), 1);
	assert_int_equal(bytes_changes("read(3, 4096) = 4096", "read(3, 1024) = 400", &da), 1);
	/* A few bytes more (a longer user name in ls -l) pass... */
	assert_int_equal(bytes_changes("write(1, 236) = 236", "write(1, 246) = 246", &da), 0);
	/* ... 8 times as much does not, nor 66 B that became 2.5 KB. */
	assert_int_equal(bytes_changes("write(1, 1000) = 1000", "write(1, 8000) = 8000", &da), 1);
	assert_int_equal(da, 0);
	assert_int_equal(bytes_changes("write(1, 66) = 66", "write(1, 2500) = 2500", &da), 1);
	assert_int_equal(bytes_changes("write(1, 4000) = 4000", "write(1, 400) = 400", &da), 1);
	/* A band learned over the runs, widened. */
	assert_int_equal(bytes_changes("getdents64(3, 32768) = 424..520",
				       "getdents64(3, 32768) = 552", &da), 0);
	assert_int_equal(bytes_changes("getdents64(3, 32768) = 424..520",
				       "getdents64(3, 32768) = 4240", &da), 1);
	/* End of file, an error, another descriptor: a different event. */
	bytes_changes("read(3, 4096) = 100", "read(3, 4096) = 0", &da);
	assert_int_equal(da, 2);
	bytes_changes("read(3, 4096) = 100", "read(3, 4096) = -1 EIO", &da);
	assert_int_equal(da, 2);
	bytes_changes("write(1, 100) = 100", "write(2, 100) = 100", &da);
	assert_int_equal(da, 2);
	/* Unknown returns (seccomp) compare as unknown. */
	assert_int_equal(bytes_changes("read(3, 4096) = 100", "read(3, 4096) = ?", &da), 0);
	assert_int_equal(da, 0);
}

/* ---- processes and threads ---- */

static void test_process_new(void **state)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_thread *th;
	struct gt_diff *d;
	char *out;

	(void)state;
	ev(gt, proc(gt, "p1", NULL, "/bin/sh"), "clone() = p2");
	ev(gt, proc(gt, "p2", "p1", "/usr/bin/cat"), "rd(0, 10) = 0");
	/* New: an earlier sibling appears, so ids shift (p2 -> p3). */
	ev(nt, proc(nt, "p1", NULL, "/bin/sh"), "clone() = p2");
	ev(nt, proc(nt, "p2", "p1", "/usr/bin/tr"), "wr(1, 3) = 3");
	th = proc(nt, "p3", "p1", "/usr/bin/cat");
	ev(nt, th, "rd(0, 10) = 0");
	ev(nt, th, "close(0) = 0");
	d = diff(gt, nt, NULL);
	/* clone's return names p2 in both: no change in p1. */
	assert_int_equal(d->nprocs, 1);
	assert_true(d->procs[0].added);
	assert_string_equal(d->procs[0].id, "p2");
	assert_string_equal(d->procs[0].exe, "/usr/bin/tr");
	assert_int_equal(d->nthreads, 2);
	assert_null(d->threads[0].golden_id);
	assert_string_equal(d->threads[0].new_id, "p2");
	assert_int_equal(d->threads[0].nadd, 1);
	/* The golden p2 (cat) is the new p3. */
	assert_string_equal(d->threads[1].golden_id, "p2");
	assert_string_equal(d->threads[1].new_id, "p3");
	assert_int_equal(d->threads[1].nadd, 1);
	assert_int_equal(d->changes, 2);
	out = render(d, 3, 0, false);
	assert_string_equal(out, "--- golden.json\n"
				 "+++ new run\n"
				 "+ new process p2 (/usr/bin/tr)\n"
				 "@@ p2 (/usr/bin/tr) golden events none, new events 1-1 @@\n"
				 "+p2    wr(1, 3) = 3\n"
				 "@@ p2 (/usr/bin/cat) golden events 1-1, new p3 events 1-2 @@\n"
				 " p2    rd(0, 10) = 0\n"
				 "+p3    close(0) = 0\n");
	free(out);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

static void test_process_gone_subtree(void **state)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_diff *d;

	(void)state;
	ev(gt, proc(gt, "p1", NULL, "/bin/sh"), "wait4(-1) = p2");
	ev(gt, proc(gt, "p2", "p1", "/usr/bin/make"), "clone() = p3");
	ev(gt, proc(gt, "p3", "p2", "/usr/bin/cc"), "exit_group(0) = ?");
	ev(nt, proc(nt, "p1", NULL, "/bin/sh"), "wait4(-1) = p2");
	d = diff(gt, nt, NULL);
	assert_int_equal(d->nprocs, 2);
	assert_false(d->procs[0].added);
	assert_string_equal(d->procs[0].id, "p2");
	assert_false(d->procs[1].added);
	assert_string_equal(d->procs[1].id, "p3");
	assert_int_equal(d->nthreads, 2);
	assert_string_equal(d->threads[0].golden_id, "p2");
	assert_null(d->threads[0].new_id);
	assert_int_equal(d->threads[0].ndel, 1);
	assert_string_equal(d->threads[1].golden_id, "p3");
	assert_int_equal(d->changes, 2);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

static void test_process_exe_changed(void **state)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_diff *d;
	char *out;

	(void)state;
	ev(gt, proc(gt, "p1", NULL, "/bin/sh"), "wait4(-1) = p2");
	ev(gt, proc(gt, "p2", "p1", "/usr/bin/cat"), "rd(0, 10) = 0");
	ev(nt, proc(nt, "p1", NULL, "/bin/sh"), "wait4(-1) = p2");
	ev(nt, proc(nt, "p2", "p1", "/usr/bin/tac"), "rd(0, 10) = 0");
	d = diff(gt, nt, NULL);
	assert_int_equal(d->nprocs, 2);
	assert_int_equal(d->nthreads, 2);
	assert_int_equal(d->changes, 2);
	out = render(d, 3, 0, false);
	assert_string_equal(out, "--- golden.json\n"
				 "+++ new run\n"
				 "- process p2 (/usr/bin/cat) is gone\n"
				 "+ new process p2 (/usr/bin/tac)\n"
				 "@@ p2 (/usr/bin/cat) golden events 1-1, new events none @@\n"
				 "-p2    rd(0, 10) = 0\n"
				 "@@ p2 (/usr/bin/tac) golden events none, new events 1-1 @@\n"
				 "+p2    rd(0, 10) = 0\n");
	free(out);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

static void test_threads(void **state)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_process *gp = gt_trace_add_process(gt, "p1", NULL);
	struct gt_process *np = gt_trace_add_process(nt, "p1", NULL);
	struct gt_diff *d;

	(void)state;
	ev(gt, gt_process_add_thread(gt, gp, "p1"), "clone() = p1.t2");
	ev(gt, gt_process_add_thread(gt, gp, "p1.t2"), "futex(addr) = 0");
	/* The new trace lists its leader last: it still pairs with the leader. */
	ev(nt, gt_process_add_thread(nt, np, "p1.t2"), "futex(addr) = 0");
	ev(nt, gt_process_add_thread(nt, np, "p1.t3"), "nanosleep(1) = 0");
	ev(nt, gt_process_add_thread(nt, np, "p1"), "clone() = p1.t2");
	d = diff(gt, nt, NULL);
	assert_int_equal(d->nprocs, 0);
	assert_int_equal(d->nthreads, 1);
	assert_null(d->threads[0].golden_id);
	assert_string_equal(d->threads[0].new_id, "p1.t3");
	assert_int_equal(d->threads[0].nadd, 1);
	gt_diff_free(d);
	/* And the other way round: a thread is gone. */
	d = diff(nt, gt, NULL);
	assert_int_equal(d->nthreads, 1);
	assert_string_equal(d->threads[0].golden_id, "p1.t3");
	assert_null(d->threads[0].new_id);
	assert_int_equal(d->threads[0].ndel, 1);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

/* ---- rendering ---- */

static void test_render_exact(void **state)
{
	static const char *const n[] = {
		"execve(\"/bin/ls\") = 0",
		"brk(NULL) = addr",
		"openat(AT_FDCWD, \"$CWD/b\", O_RDONLY) = fd3",
		"rd(fd3, 4096) = 4096 ×5",
		"close(fd3) = 0",
		"wr(1, 12) = 12",
		"exit_group(0) = ?",
		NULL,
	};
	struct gt_trace *gt = one_thread(base), *nt = one_thread(n);
	struct gt_diff *d;
	char *out;

	(void)state;
	ev(nt, proc(nt, "p2", "p1", "/bin/true"), "exit_group(0) = ?");
	d = diff(gt, nt, NULL);
	assert_int_equal(d->changes, 4);
	out = render(d, 1, 0, false);
	assert_string_equal(out,
			    "--- golden.json\n"
			    "+++ new run\n"
			    "+ new process p2 (/bin/true)\n"
			    "@@ p1 (/bin/ls) golden events 2-5, new events 2-5 @@\n"
			    " p1    brk(NULL) = addr\n"
			    "-p1    openat(AT_FDCWD, \"$CWD/a\", O_RDONLY) = fd3\n"
			    "+p1    openat(AT_FDCWD, \"$CWD/b\", O_RDONLY) = fd3\n"
			    "-p1    rd(fd3, 4096) = 4096 ×3\n"
			    "+p1    rd(fd3, 4096) = 4096 ×5\n"
			    " p1    close(fd3) = 0\n"
			    "@@ p2 (/bin/true) golden events none, new events 1-1 @@\n"
			    "+p2    exit_group(0) = ?\n");
	free(out);
	/* Context 0: just the changes; a count going to 1 drops the suffix. */
	gt_diff_free(d);
	gt_trace_free(nt);
	nt = one_thread(base);
	nt->procs[0].threads[0].events[3].count = 1;
	d = diff(gt, nt, NULL);
	out = render(d, 0, 0, false);
	assert_string_equal(out,
			    "--- golden.json\n"
			    "+++ new run\n"
			    "@@ p1 (/bin/ls) golden events 4-4, new events 4-4 @@\n"
			    "-p1    rd(fd3, 4096) = 4096 ×3\n"
			    "+p1    rd(fd3, 4096) = 4096\n");
	free(out);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

/* A 40-event thread with the events at AT[] replaced, rendered. */
static char *render_replaced(const size_t *at, size_t nat, unsigned context, size_t max)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_thread *g = proc(gt, "p1", NULL, "/bin/x");
	struct gt_thread *n = proc(nt, "p1", NULL, "/bin/x");
	struct gt_diff *d;
	char *out;

	for (size_t i = 0; i < 40; i++) {
		char text[64];
		bool hit = false;

		for (size_t k = 0; k < nat; k++)
			hit |= at[k] == i;
		snprintf(text, sizeof(text), "e%zu() = 0", i);
		ev(gt, g, text);
		snprintf(text, sizeof(text), "e%zu() = %d", i, hit ? 1 : 0);
		ev(nt, n, text);
	}
	d = diff(gt, nt, NULL);
	out = render(d, context, max, false);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
	return out;
}

static void test_hunks(void **state)
{
	static const size_t gap6[] = { 5, 12 }, gap7[] = { 5, 13 }, edge[] = { 0, 39 };
	static const size_t adj[] = { 5, 6 }, gap1[] = { 5, 7 };
	char *out;

	(void)state;
	/* Six unchanged events between: the contexts touch, one hunk. */
	out = render_replaced(gap6, 2, 3, 0);
	assert_int_equal(count_prefix(out, '@'), 1);
	assert_non_null(strstr(out, "@@ p1 (/bin/x) golden events 3-16, new events 3-16 @@\n"));
	assert_int_equal(count_prefix(out, ' '), 12);
	free(out);
	/* Seven: two hunks, the middle event not shown. */
	out = render_replaced(gap7, 2, 3, 0);
	assert_int_equal(count_prefix(out, '@'), 2);
	assert_non_null(strstr(out, "@@ p1 (/bin/x) golden events 3-9, new events 3-9 @@\n"));
	assert_non_null(strstr(out, "@@ p1 (/bin/x) golden events 11-17, new events 11-17 @@\n"));
	assert_null(strstr(out, "e9()"));
	free(out);
	/* Context is clipped at both ends of the thread. */
	out = render_replaced(edge, 2, 3, 0);
	assert_non_null(strstr(out, "golden events 1-4, new events 1-4 @@\n"));
	assert_non_null(strstr(out, "golden events 37-40, new events 37-40 @@\n"));
	free(out);
	/* Context 0: adjacent changes share a hunk, separated ones do not. */
	out = render_replaced(adj, 2, 0, 0);
	assert_int_equal(count_prefix(out, '@'), 1);
	assert_int_equal(count_prefix(out, ' '), 0);
	free(out);
	out = render_replaced(gap1, 2, 0, 0);
	assert_int_equal(count_prefix(out, '@'), 2);
	assert_int_equal(count_prefix(out, ' '), 0);
	free(out);
}

static void test_cap(void **state)
{
	static const size_t at[] = { 2, 10, 18, 26, 34 };
	char *out;

	(void)state;
	/* 5 replacements = 10 changed lines (-/+ each, a count pair each). */
	out = render_replaced(at, 5, 3, 5);
	assert_int_equal(count_prefix(out, '-') - 1, 3); /* minus the --- line */
	assert_int_equal(count_prefix(out, '+') - 1, 2);
	assert_non_null(strstr(out, "\n... 5 more changed lines not shown\n"));
	assert_int_equal(count_str(out, "not shown"), 1);
	free(out);
	/* Exactly at the cap: nothing more to say. */
	out = render_replaced(at, 5, 3, 10);
	assert_null(strstr(out, "not shown"));
	free(out);
	out = render_replaced(at, 5, 3, 9);
	assert_non_null(strstr(out, "\n... 1 more changed lines not shown\n"));
	free(out);
	/* Process lines count too. */
	{
		struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
		struct gt_diff *d;

		ev(gt, proc(gt, "p1", NULL, "/bin/sh"), "exit_group(0) = ?");
		ev(nt, proc(nt, "p1", NULL, "/bin/sh"), "exit_group(0) = ?");
		for (int i = 2; i < 6; i++) {
			char id[16];

			snprintf(id, sizeof(id), "p%d", i);
			ev(nt, proc(nt, id, "p1", "/bin/true"), "exit_group(0) = ?");
		}
		d = diff(gt, nt, NULL);
		out = render(d, 3, 3, false);
		assert_int_equal(count_str(out, "+ new process"), 3);
		assert_non_null(strstr(out, "\n... 5 more changed lines not shown\n"));
		free(out);
		gt_diff_free(d);
		gt_trace_free(gt);
		gt_trace_free(nt);
	}
}

static void test_color(void **state)
{
	static const size_t at[] = { 5 };
	struct gt_trace *gt = one_thread(base), *nt = gt_trace_new();
	struct gt_diff *d;
	char *out;

	(void)state;
	evs(nt, proc(nt, "p1", NULL, "/bin/ls"), base);
	ev(nt, proc(nt, "p2", "p1", "/bin/true"), "exit_group(0) = ?");
	d = diff(gt, nt, NULL);
	out = render(d, 3, 0, true);
	assert_non_null(strstr(out, "\033[1m--- golden.json\033[0m\n"));
	assert_non_null(strstr(out, "\033[1m+++ new run\033[0m\n"));
	assert_non_null(strstr(out, "\033[32m+ new process p2 (/bin/true)\033[0m\n"));
	assert_non_null(strstr(out, "\033[36m@@ p2"));
	assert_non_null(strstr(out, "\033[32m+p2    exit_group(0) = ?\033[0m\n"));
	free(out);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
	out = render_replaced(at, 1, 1, 0);
	assert_null(strchr(out, '\033'));
	free(out);
	{
		/* Red for a deleted line, and context lines stay plain. */
		struct gt_trace *a = one_thread(base), *b = gt_trace_new();
		struct gt_thread *th = proc(b, "p1", NULL, "/bin/ls");

		for (size_t i = 0; base[i]; i++)
			if (i != 2)
				ev(b, th, base[i]);
		d = diff(a, b, NULL);
		out = render(d, 1, 0, true);
		assert_non_null(strstr(out, "\033[31m-p1    openat(AT_FDCWD, \"$CWD/a\", "
					    "O_RDONLY) = fd3\033[0m\n"));
		assert_non_null(strstr(out, "\n p1    brk(NULL) = addr\n"));
		free(out);
		gt_diff_free(d);
		gt_trace_free(a);
		gt_trace_free(b);
	}
}

/* ---- scale ---- */

static const char *const calls[] = {
	"rd", "wr", "openat", "close", "fstat", "mmap", "lseek", "prd",
	"gd", "newfstatat",
};

/* Event I of a cycle over 50 distinct texts, with an index argument. */
static void cyc_event(struct gt_trace *t, struct gt_thread *th, size_t i, const char *tag)
{
	char a1[32], a2[32];
	const char *args[] = { a1, a2 };

	snprintf(a1, sizeof(a1), "fd%zu", (i % 50) / 10 + 3);
	snprintf(a2, sizeof(a2), "%s%zu", tag, i / 3);
	gt_thread_add_event(t, th, calls[i % 10], args, 2, "0", 1);
}

static void test_cascade(void **state)
{
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_thread *g = proc(gt, "p1", NULL, "/bin/x");
	struct gt_thread *n = proc(nt, "p1", NULL, "/bin/x");
	struct gt_diff *d;
	char *out;

	(void)state;
	for (size_t i = 0; i < 10000; i++) {
		cyc_event(gt, g, i, "");
		if (i == 5000)
			cyc_event(nt, n, 77, "inserted");
		cyc_event(nt, n, i, "");
	}
	d = diff(gt, nt, NULL);
	assert_int_equal(d->changes, 1);
	out = render(d, 3, 0, false);
	assert_int_equal(count_prefix(out, '+'), 1 + 1);
	assert_int_equal(count_prefix(out, '-'), 1);
	assert_int_equal(count_prefix(out, ' '), 6);
	assert_int_equal(count_prefix(out, '@'), 1);
	assert_non_null(strstr(out, "golden events 4998-5003, new events 4998-5004 @@\n"));
	free(out);
	gt_diff_free(d);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

static void test_scale(void **state)
{
	enum { N = 100000, EDITS = 100 };
	struct gt_trace *gt = gt_trace_new(), *nt = gt_trace_new();
	struct gt_thread *g = proc(gt, "p1", NULL, "/bin/x");
	struct gt_thread *n = proc(nt, "p1", NULL, "/bin/x");
	unsigned char *op = xcalloc(N, 1);  /* 0 keep, 1 delete, 2 replace, 3 insert */
	size_t dels = 0, adds = 0, same = 0, k = 0;
	struct gt_diff *d;

	(void)state;
	while (k < EDITS) {
		size_t at = rnd_below(N);

		if (op[at])
			continue;
		op[at] = (unsigned char)(1 + rnd_below(3));
		dels += op[at] == 1 || op[at] == 2;
		adds += op[at] == 2 || op[at] == 3;
		k++;
	}
	for (size_t i = 0; i < N; i++) {
		cyc_event(gt, g, i, "");
		if (op[i] == 2 || op[i] == 3)
			cyc_event(nt, n, i, "edit");
		if (op[i] != 1 && op[i] != 2)
			cyc_event(nt, n, i, "");
	}
	d = diff(gt, nt, NULL);
	assert_int_equal(d->nthreads, 1);
	assert_int_equal(d->threads[0].ndel, dels);
	assert_int_equal(d->threads[0].nadd, adds);
	for (size_t i = 0; i < d->threads[0].nlines; i++)
		same += d->threads[0].lines[i].kind == GT_DL_SAME;
	assert_int_equal(same, N - dels);
	assert_int_equal(d->changes, dels + adds);
	gt_diff_free(d);
	free(op);
	gt_trace_free(gt);
	gt_trace_free(nt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lcs_minimal_random),
		cmocka_unit_test(test_lcs_minimal_edited),
		cmocka_unit_test(test_lcs_cut_valid),
		cmocka_unit_test(test_event_eq),
		cmocka_unit_test(test_wildcards_in_diff),
		cmocka_unit_test(test_insertions),
		cmocka_unit_test(test_deletions),
		cmocka_unit_test(test_replacements),
		cmocka_unit_test(test_moved_block),
		cmocka_unit_test(test_empty_sides),
		cmocka_unit_test(test_identical_long),
		cmocka_unit_test(test_count_tolerance),
		cmocka_unit_test(test_masked_count),
		cmocka_unit_test(test_sigaction_repeats),
		cmocka_unit_test(test_recombined_paths),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_process_new),
		cmocka_unit_test(test_process_gone_subtree),
		cmocka_unit_test(test_process_exe_changed),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_render_exact),
		cmocka_unit_test(test_hunks),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_cascade),
		cmocka_unit_test(test_scale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

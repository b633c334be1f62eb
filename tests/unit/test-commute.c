/*
 * test-commute: the independence relation of canonical events (the pairs
 * issue 10 names, fds followed through open, dup and close, paths through
 * their ancestors and directory listings), and the reordering of a thread
 * toward another: equivalent threads line up, dependent events never swap
 * (a property test over random threads and random legal swaps), and the
 * diff of a shell's reaping at another moment is empty while a moved fsync
 * is still a change.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "commute.h"
#include "diff.h"
#include "trace.h"

#include "event-lines.h"

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A thread of the given event lines (NULL-terminated). */
static struct gt_thread *thread_of(struct gt_trace *t, const char *const *lines)
{
	struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
	struct gt_thread *th = gt_process_add_thread(t, p, "p1");

	for (; *lines; lines++)
		add_line_sep(t, th, *lines, ";");
	return th;
}

/* Are events I and J of LINES independent (footprints over the whole
 * thread, so opens before them count)? */
static bool indep(const char *const *lines, size_t i, size_t j)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = thread_of(t, lines);
	struct gt_fp *fp = calloc(th->nevents, sizeof(*fp));
	bool r, r2;

	gt_fp_of_thread(th->events, th->nevents, fp);
	r = gt_fp_independent(&fp[i], &fp[j]);
	r2 = gt_fp_independent(&fp[j], &fp[i]);
	assert_true(r == r2); /* symmetric */
	free(fp);
	gt_trace_free(t);
	return r;
}

static void test_issue_pairs(void **state)
{
	(void)state;
	{
		const char *l[] = { "close;3;0", "wait4;-1;ptr;WNOHANG;NULL;p2", NULL };
		assert_true(indep(l, 0, 1));
	}
	{
		const char *l[] = { "openat;AT_FDCWD;\"out\";O_WRONLY|O_CREAT;3", "write;3;5;5",
				    "fsync;3;0", NULL };
		assert_false(indep(l, 1, 2));
	}
	{
		const char *l[] = { "openat;AT_FDCWD;\"a\";O_RDONLY;3",
				    "openat;AT_FDCWD;\"b\";O_RDONLY;4", NULL };
		assert_true(indep(l, 0, 1));
	}
	{
		const char *l[] = { "unlink;\"a\";0", "openat;AT_FDCWD;\"a\";O_RDONLY;-1 ENOENT",
				    NULL };
		assert_false(indep(l, 0, 1));
	}
}

static void test_more_pairs(void **state)
{
	(void)state;
	{
		/* Signal-mask bookkeeping and reaping commute; two masks don't. */
		const char *l[] = { "rt_sigprocmask;SIG_SETMASK;ptr;NULL;8;0",
				    "wait4;-1;ptr;WNOHANG;NULL;-1 ECHILD",
				    "rt_sigprocmask;SIG_BLOCK;ptr;ptr;8;0", NULL };
		assert_true(indep(l, 0, 1));
		assert_false(indep(l, 0, 2));
	}
	{
		/* A relative path and its $CWD form are one file; a write
		 * through the fd opened on it depends on its unlink. */
		const char *l[] = { "openat;AT_FDCWD;\"out.txt\";O_WRONLY|O_CREAT;3",
				    "write;3;5;5", "unlink;\"$CWD/out.txt\";0",
				    "openat;AT_FDCWD;\"$CWD/other\";O_RDONLY;4", NULL };
		assert_false(indep(l, 1, 2));
		assert_false(indep(l, 0, 2));
		assert_true(indep(l, 1, 3));
		assert_true(indep(l, 2, 3));
	}
	{
		/* Reads of one file on two fds commute; stdout and stderr
		 * (inherited, maybe one pipe) keep their order. */
		const char *l[] = { "openat;AT_FDCWD;\"/etc/x\";O_RDONLY;3",
				    "openat;AT_FDCWD;\"/etc/x\";O_RDONLY;4", "read;3;10;10",
				    "read;4;10;10", "write;1;4;4", "write;2;4;4", NULL };
		assert_true(indep(l, 2, 3));
		assert_false(indep(l, 4, 5));
		assert_true(indep(l, 2, 4));
	}
	{
		/* A dup shares the file: writes through either depend. */
		const char *l[] = { "openat;AT_FDCWD;\"log\";O_WRONLY|O_APPEND;3", "dup2;3;5;5",
				    "write;5;4;4", "fsync;3;0", NULL };
		assert_false(indep(l, 2, 3));
	}
	{
		/* A rename of a parent directory depends on a lookup below
		 * it; creating a name depends on listing the directory. */
		const char *l[] = { "rename;\"/w/d\";\"/w/e\";0",
				    "newfstatat;AT_FDCWD;\"/w/d/f\";ptr;0;0",
				    "openat;AT_FDCWD;\"/w/e\";O_RDONLY|O_DIRECTORY;3",
				    "getdents64;3;32768;48",
				    "openat;AT_FDCWD;\"/w/e/new\";O_WRONLY|O_CREAT;4",
				    "openat;AT_FDCWD;\"/w/other\";O_RDONLY;5", NULL };
		assert_false(indep(l, 0, 1));
		assert_false(indep(l, 3, 4));
		assert_true(indep(l, 1, 5));
	}
	{
		/* exec, exit and clone are ordered with everything. */
		const char *l[] = { "execve;\"/bin/true\";[\"true\"];ptr;0", "getpid;p1",
				    "clone;CLONE_CHILD_CLEARTID;SIGCHLD;p2", "exit_group;0;?",
				    NULL };
		assert_false(indep(l, 0, 1));
		assert_false(indep(l, 1, 2));
		assert_false(indep(l, 1, 3));
	}
	{
		/* A call with nothing to say keeps its order among its kind. */
		const char *l[] = { "getrandom;ptr;16;0;16", "getrandom;ptr;16;0;16", "close;3;0",
				    NULL };
		assert_false(indep(l, 0, 1));
		assert_true(indep(l, 0, 2));
	}
}

/* Equality by text for the reordering tests. */
struct txt {
	const struct gt_event *g, *n;
};

static bool txt_eq(const void *ctx, size_t i, size_t j)
{
	const struct txt *c = ctx;

	return c->g[i].hash == c->n[j].hash;
}

/* A pool of events touching a few resources. */
static const char *const pool[] = {
	"close;3;0",
	"close;4;0",
	"read;3;10;10",
	"read;4;10;10",
	"write;1;4;4",
	"write;2;4;4",
	"fsync;3;0",
	"wait4;-1;ptr;WNOHANG;NULL;p2",
	"wait4;-1;ptr;WNOHANG;NULL;-1 ECHILD",
	"rt_sigprocmask;SIG_SETMASK;ptr;NULL;8;0",
	"rt_sigprocmask;SIG_BLOCK;ptr;ptr;8;0",
	"newfstatat;AT_FDCWD;\"a\";ptr;0;0",
	"newfstatat;AT_FDCWD;\"b\";ptr;0;0",
	"unlink;\"a\";0",
	"getpid;p1",
	"execve;\"/bin/true\";[\"true\"];ptr;0",
};

/* Random thread G; N is G with random swaps of adjacent independent
 * events; reordering N toward G gives G; and for every dependent pair, the
 * reordered N keeps N's order. */
static void test_reorder_property(void **state)
{
	size_t ndiffer = 0;

	(void)state;
	gt_syscalls_init();
	for (int round = 0; round < 300; round++) {
		struct gt_trace *t = gt_trace_new();
		struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
		struct gt_thread *g = gt_process_add_thread(t, p, "p1");
		struct gt_thread *n = gt_process_add_thread(t, p, "p1.t2");
		size_t len = 2 + (size_t)(rnd() % 40), *order = calloc(len, sizeof(size_t));
		size_t *perm = calloc(len, sizeof(size_t));
		struct gt_fp *fp = calloc(len, sizeof(*fp)), *fpn = calloc(len, sizeof(*fpn));
		const char **picked = calloc(len, sizeof(char *));
		struct txt c;
		bool differs = false;

		for (size_t i = 0; i < len; i++) {
			picked[i] = pool[rnd() % GT_ARRAY_SIZE(pool)];
			add_line_sep(t, g, picked[i], ";");
			order[i] = i;
		}
		gt_fp_of_thread(g->events, len, fp);
		for (int s = 0; s < 60; s++) {
			size_t k = (size_t)(rnd() % (len - 1));

			if (gt_fp_independent(&fp[order[k]], &fp[order[k + 1]])) {
				size_t x = order[k];

				order[k] = order[k + 1];
				order[k + 1] = x;
			}
		}
		for (size_t i = 0; i < len; i++) {
			add_line_sep(t, n, picked[order[i]], ";");
			differs |= order[i] != i;
		}
		ndiffer += differs;
		c.g = g->events;
		c.n = n->events;
		gt_fp_of_thread(n->events, len, fpn);
		gt_commute_toward(len, len, fpn, txt_eq, &c, NULL, NULL, GT_COMMUTE_FAR, perm);
		for (size_t i = 0; i < len; i++)
			assert_int_equal(n->events[perm[i]].hash, g->events[i].hash);
		/* Dependent pairs keep N's order. */
		for (size_t x = 0; x < len; x++) {
			for (size_t y = x + 1; y < len; y++) {
				size_t a = perm[x], b = perm[y];

				if (a > b && !gt_fp_independent(&fpn[a], &fpn[b]))
					fail_msg("round %d: dependent events %zu and %zu swapped", round,
						 b, a);
			}
		}
		free(order);
		free(perm);
		free(fp);
		free(fpn);
		free(picked);
		gt_trace_free(t);
	}
	/* Most rounds had something to put back in order. */
	assert_true(ndiffer > 150);
}

/* Diff two one-thread traces given as lines; returns the changes. */
static size_t diff_lines(const char *const *g, const char *const *n, bool exact)
{
	struct gt_trace *a = gt_trace_new(), *b = gt_trace_new();
	struct gt_diff_opts o = { .bytes_pct = 50, .exact_order = exact };
	struct gt_diff *d;
	size_t changes;

	thread_of(a, g);
	thread_of(b, n);
	gt_diff_traces(a, b, &o, &d);
	changes = d->changes;
	gt_diff_free(d);
	gt_trace_free(a);
	gt_trace_free(b);
	return changes;
}

static struct gt_trace *counted(const char *const *lines, const uint32_t *counts);
static size_t changes_of(struct gt_trace *g, struct gt_trace *n);

static void test_diff_commutes(void **state)
{
	/* The shell reaped its child before closing the pipe, not after. */
	const char *g[] = { "read;3;128;0", "close;3;0", "rt_sigprocmask;SIG_SETMASK;ptr;NULL;8;0",
			    "wait4;-1;ptr;WNOHANG;NULL;p2", "wait4;-1;ptr;WNOHANG;NULL;-1 ECHILD",
			    "write;1;4;4", NULL };
	const char *n[] = { "read;3;128;0", "wait4;-1;ptr;WNOHANG;NULL;p2",
			    "wait4;-1;ptr;WNOHANG;NULL;-1 ECHILD", "close;3;0",
			    "rt_sigprocmask;SIG_SETMASK;ptr;NULL;8;0", "write;1;4;4", NULL };
	/* The fsync moved after the close: a real change. */
	const char *fg[] = { "openat;AT_FDCWD;\"db\";O_WRONLY|O_CREAT;3", "write;3;5;5",
			     "fsync;3;0", "close;3;0", NULL };
	const char *fn[] = { "openat;AT_FDCWD;\"db\";O_WRONLY|O_CREAT;3", "write;3;5;5",
			     "close;3;0", "fsync;3;-1 EBADF", NULL };
	const char *fn2[] = { "openat;AT_FDCWD;\"db\";O_WRONLY|O_CREAT;3", "write;3;5;5",
			      "close;3;0", "fsync;3;0", NULL };

	(void)state;
	/* A repeat collapsed in the golden ("x ×2") that the run made apart,
	 * around an independent event: bash sets and restores SIGINT's
	 * handler around a blocking wait that reaps the child. */
	{
		struct gt_trace *a = gt_trace_new(), *b = gt_trace_new();
		struct gt_thread *ga, *nb;
		struct gt_diff_opts o = { .bytes_pct = 50 };
		struct gt_diff *d;
		const char *w = "wait4;-1;ptr;0;NULL;child", *sa = "rt_sigaction;SIGINT;ptr;ptr;8;0";

		ga = gt_process_add_thread(a, gt_trace_add_process(a, "p1", NULL), "p1");
		add_line_sep(a, ga, w, ";");
		add_line_sep(a, ga, sa, ";")->count = 2;
		nb = gt_process_add_thread(b, gt_trace_add_process(b, "p1", NULL), "p1");
		add_line_sep(b, nb, sa, ";");
		add_line_sep(b, nb, w, ";");
		add_line_sep(b, nb, sa, ";");
		gt_diff_traces(a, b, &o, &d);
		assert_int_equal(d->changes, 0);
		gt_diff_free(d);
		/* ... and the other way: the run made them together (its
		 * SIGCHLD handler reaped first), the golden apart around the
		 * wait. */
		{
			struct gt_trace *g2 = gt_trace_new(), *n2 = gt_trace_new();
			struct gt_thread *t2;

			t2 = gt_process_add_thread(g2, gt_trace_add_process(g2, "p1", NULL), "p1");
			add_line_sep(g2, t2, "close;3;0", ";");
			add_line_sep(g2, t2, sa, ";");
			add_line_sep(g2, t2, w, ";");
			add_line_sep(g2, t2, sa, ";");
			add_line_sep(g2, t2, "write;1;4;4", ";");
			t2 = gt_process_add_thread(n2, gt_trace_add_process(n2, "p1", NULL), "p1");
			add_line_sep(n2, t2, w, ";");
			add_line_sep(n2, t2, "close;3;0", ";");
			add_line_sep(n2, t2, sa, ";")->count = 2;
			add_line_sep(n2, t2, "write;1;4;4", ";");
			gt_diff_traces(g2, n2, &o, &d);
			assert_int_equal(d->changes, 0);
			gt_diff_free(d);
			gt_trace_free(g2);
			gt_trace_free(n2);
		}
		/* One more next to them is a signal toggle (diff-alts.c)... */
		add_line_sep(b, nb, "getpid;p1", ";");
		add_line_sep(b, nb, sa, ";");
		add_line_sep(a, ga, "getpid;p1", ";");
		gt_diff_traces(a, b, &o, &d);
		assert_int_equal(d->changes, 0);
		gt_diff_free(d);
		gt_trace_free(a);
		gt_trace_free(b);
	}
	/* ... but of another call, three apart is a count change still. */
	{
		const char *u = "getuid;$UID", *w = "wait4;-1;ptr;0;NULL;child";
		const char *gl[] = { w, u, "getpid;p1", NULL };
		const uint32_t glc[] = { 0, 2, 0 };
		const char *nl[] = { u, w, u, "getpid;p1", u, NULL };

		assert_int_equal(changes_of(counted(gl, glc), counted(nl, NULL)), 1);
	}
	assert_int_equal(diff_lines(g, n, false), 0);
	assert_true(diff_lines(g, n, true) > 0);
	assert_true(diff_lines(fg, fn, false) > 0);
	assert_true(diff_lines(fg, fn2, false) > 0);
}

/* One thread from LINES (";"-separated fields), COUNTS[i] for line i
 * (0: 1). */
static struct gt_trace *counted(const char *const *lines, const uint32_t *counts)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_thread *th = gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");

	for (size_t i = 0; lines[i]; i++)
		add_line_sep(t, th, lines[i], ";")->count = counts && counts[i] ? counts[i] : 1;
	return t;
}

static size_t changes_of(struct gt_trace *g, struct gt_trace *n)
{
	struct gt_diff_opts o = { .bytes_pct = 50 };
	struct gt_diff *d;
	size_t c;

	gt_diff_traces(g, n, &o, &d);
	c = d->changes;
	gt_diff_free(d);
	gt_trace_free(g);
	gt_trace_free(n);
	return c;
}

/* bash sets SIGINT's handler and puts it back around a wait: three times
 * around a blocking wait4, twice when its SIGCHLD handler reaped first. */
static void test_signal_toggles(void **state)
{
	const char *sa = "rt_sigaction;SIGINT;ptr;ptr;8;0", *w = "wait4;-1;ptr;0;NULL;child";
	const char *term = "rt_sigaction;SIGTERM;ptr;ptr;8;0";
	const char *g[] = { "close;3;0", sa, w, sa, "write;1;4;4", NULL };
	const uint32_t gc[] = { 0, 2, 0, 0, 0 };
	const char *n[] = { w, "close;3;0", sa, "write;1;4;4", NULL };
	const uint32_t nc[] = { 0, 0, 2, 0 };
	const char *n_term[] = { w, "close;3;0", sa, term, "write;1;4;4", NULL };
	const uint32_t ntc[] = { 0, 0, 2, 0, 0 };
	const char *g1[] = { "close;3;0", sa, "write;1;4;4", NULL };
	const char *n1[] = { "close;3;0", "write;1;4;4", NULL };

	(void)state;
	assert_int_equal(changes_of(counted(g, gc), counted(n, nc)), 0);
	/* Another signal's handler set is a change... */
	assert_true(changes_of(counted(g, gc), counted(n_term, ntc)) > 0);
	/* ... and so is a handler no longer set at all. */
	assert_true(changes_of(counted(g1, NULL), counted(n1, NULL)) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_pairs),
		cmocka_unit_test(test_more_pairs),
		cmocka_unit_test(test_reorder_property),
		cmocka_unit_test(test_diff_commutes),
		cmocka_unit_test(test_signal_toggles),
	};

	gt_syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

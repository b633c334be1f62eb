/*
 * ebpf-smoke: the eBPF loader (src/ebpf/loader.h) end to end, as root.
 *
 *   ebpf-smoke FIXTURE [TMPDIR]
 *
 * Runs /bin/true and FIXTURE (tests/ebpf/ebpf-fixture) under the probe
 * while another process, not tracked, makes calls of its own, and checks
 * that the expected calls appear for the right tasks in order, that no
 * call of the other process appears, and that nothing was lost; then
 * floods a 4 KiB ring and checks that the loss is counted.  Last, it
 * prints what the probe costs (no thresholds: numbers for the log), unless
 * EBPF_SMOKE_NO_MEASURE is set.
 *
 * Exit 0 all passed, 1 a check failed, 77 skipped (not privileged).
 * The command is started the way the capture session will: gt_tracee_spawn
 * with a before_exec hook that waits on a pipe until it is tracked.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ebpf/loader.h"
#include "syscalls.h"
#include "tracee.h"
#include "util.h"

extern char **environ;

#define INTRUDER_PATH "/nonexistent/ebpf-smoke-intruder"

static int fails;

#define CHECK(cond, ...)                                       \
	do {                                                   \
		if (cond) {                                    \
			printf("ok: ");                        \
		} else {                                       \
			printf("FAIL: ");                      \
			fails++;                               \
		}                                              \
		printf(__VA_ARGS__);                           \
		printf("\n");                                  \
	} while (0)

struct ev {
	struct gt_ebpf_event e; /* str[] point into S below */
	char *s[2];
};

struct run {
	struct ev *ev;
	size_t n, cap;
	pid_t pid;
	int status;
	uint64_t lost_records, lost_strings;
	uint64_t released_ns, exited_ns; /* the command's life, as we saw it */
};

static void collect(const struct gt_ebpf_event *e, void *ctx)
{
	struct run *r = ctx;
	struct ev *v;

	xgrow((void **)&r->ev, &r->cap, r->n + 1, sizeof(*r->ev));
	v = &r->ev[r->n++];
	v->e = *e;
	for (int i = 0; i < 2; i++) {
		v->s[i] = e->str[i] ? xstrdup(e->str[i]) : NULL;
		v->e.str[i] = v->s[i];
	}
}

static void count_only(const struct gt_ebpf_event *e, void *ctx)
{
	(void)e;
	(*(size_t *)ctx)++;
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->ev[i].s[0]);
		free(r->ev[i].s[1]);
	}
	free(r->ev);
	memset(r, 0, sizeof(*r));
}

/* The child's hook: wait until the parent has tracked us. */
static int wait_go(void *ctx)
{
	int fd = *(int *)ctx;
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	close(fd);
	return 0;
}

/* Run ARGV under H (NULL: untraced) until it exits; events to CB. */
static bool poll_late; /* measure: read the ring only after the command */

static int run_cmd(struct gt_ebpf *h, char *const *argv, gt_ebpf_cb cb, void *ctx,
		   struct run *r)
{
	struct gt_error err = {0};
	struct gt_tracee_start s = {0};
	int go[2], errpipe = -1, pidfd;

	if (pipe(go) < 0)
		return -1;
	s.exe = argv[0];
	s.argv = argv;
	s.envp = environ;
	s.umask = -1;
	s.before_exec = wait_go;
	s.ctx = &go[0];
	r->pid = gt_tracee_spawn(&s, &errpipe, &err);
	close(go[0]);
	if (r->pid < 0) {
		printf("spawn: %s\n", err.msg);
		close(go[1]);
		return -1;
	}
	if (h && gt_ebpf_track(h, r->pid, &err) != GT_OK) {
		printf("track: %s\n", err.msg);
		kill(r->pid, SIGKILL);
		close(go[1]);
		waitpid(r->pid, &r->status, 0);
		return -1;
	}
	pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	r->released_ns = gt_now_ns();
	if (write(go[1], "g", 1) != 1)
		return -1;
	close(go[1]);
	for (;;) {
		struct pollfd p = {pidfd, POLLIN, 0};
		int k = poll(&p, 1, GT_EBPF_POLL_MS);

		if (h && !poll_late && gt_ebpf_poll(h, cb, ctx, NULL, &err) != GT_OK) {
			printf("poll: %s\n", err.msg);
			break;
		}
		if (k > 0)
			break;
	}
	r->exited_ns = gt_now_ns();
	close(pidfd);
	waitpid(r->pid, &r->status, 0);
	if (gt_tracee_child_error(errpipe, argv[0], &err)) {
		printf("child: %s\n", err.msg);
		return -1;
	}
	if (h) {
		if (gt_ebpf_finish(h, cb, ctx, &err) != GT_OK) {
			printf("finish: %s\n", err.msg);
			return -1;
		}
		gt_ebpf_lost(h, &r->lost_records, &r->lost_strings);
	}
	return 0;
}

/* Open a handle, run ARGV, close.  Returns -1 on trouble. */
static int traced(size_t ring, char *const *argv, struct run *r)
{
	struct gt_ebpf_opts o = {.ring_bytes = ring};
	struct gt_error err = {0};
	struct gt_ebpf *h;
	int rc;

	if (gt_ebpf_open(&o, &h, &err) != GT_OK) {
		printf("open: %s\n", err.msg);
		return -1;
	}
	rc = run_cmd(h, argv, collect, r, r);
	gt_ebpf_close(h);
	return rc;
}

/* Index of the first syscall event of TASK at or after FROM named NAME
 * (with string STR when not NULL), or -1. */
static long find(const struct run *r, uint32_t task, long from, const char *name, const char *str)
{
	int nr = gt_syscall_nr(name);

	for (long i = from < 0 ? 0 : from; i < (long)r->n; i++) {
		const struct gt_ebpf_event *e = &r->ev[i].e;

		if (e->kind != GT_EBPF_EV_SYSCALL || e->task != task || e->nr != nr)
			continue;
		if (str && !(e->str[0] && strcmp(e->str[0], str) == 0))
			continue;
		return i;
	}
	return -1;
}

/* No event from another process; no string of the intruder. */
static void check_alone(const struct run *r, pid_t intruder, const char *what)
{
	size_t foreign = 0, other = 0;
	pid_t self = getpid();

	for (size_t i = 0; i < r->n; i++) {
		const struct gt_ebpf_event *e = &r->ev[i].e;

		if (e->tgid == intruder || e->tgid == self ||
		    (e->str[0] && strcmp(e->str[0], INTRUDER_PATH) == 0))
			foreign++;
		if (e->tgid <= 0)
			other++;
	}
	CHECK(foreign == 0, "%s: no event of the concurrent process or of ours (%zu)", what,
	      foreign);
	CHECK(other == 0, "%s: every event has a process id", what);
}

static void check_true(pid_t intruder)
{
	char exe[] = "/bin/true";
	char *argv[] = {exe, NULL};
	struct run r = {0};
	long ex, eg;

	if (traced(0, argv, &r) < 0) {
		CHECK(0, "/bin/true ran under the probe");
		return;
	}
	CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0, "/bin/true exited 0");
	ex = find(&r, 1, 0, "execve", "/bin/true");
	CHECK(ex >= 0 && r.ev[ex].e.returned && r.ev[ex].e.ret == 0,
	      "/bin/true: execve(\"/bin/true\") = 0 recorded");
	CHECK(ex == 0, "/bin/true: the first event is the execve (gtdiff's setup of the child "
		       "and its wait for the release not recorded)");
	eg = find(&r, 1, 0, "exit_group", NULL);
	CHECK(eg > ex && !r.ev[eg].e.returned, "/bin/true: exit_group last, not returned");
	CHECK(r.n > 10, "/bin/true: %zu events (loader, libc)", r.n);
	for (size_t i = 0; i < r.n; i++)
		if (r.ev[i].e.tgid != r.pid) {
			CHECK(0, "/bin/true: event %zu of tgid %d, not %d", i, r.ev[i].e.tgid, r.pid);
			break;
		}
	if (getenv("EBPF_SMOKE_DUMP"))
		for (size_t i = 0; i < r.n; i++) {
			const struct gt_ebpf_event *e = &r.ev[i].e;

			printf("  %u %d/%d %d %s(%s) = %lld%s\n", e->task, e->tid, e->tgid, e->kind,
			       e->kind ? "-" : gt_syscall_name(e->nr), e->str[0] ? e->str[0] : "",
			       (long long)e->ret, e->returned ? "" : " ?");
		}
	check_alone(&r, intruder, "/bin/true");
	CHECK(r.lost_records == 0 && r.lost_strings == 0,
	      "/bin/true: nothing lost (records %llu, strings %llu)",
	      (unsigned long long)r.lost_records, (unsigned long long)r.lost_strings);
	run_free(&r);
}

static void check_files(char *fixture, char *tmp, pid_t intruder)
{
	char mode[] = "files";
	char *argv[] = {fixture, mode, tmp, NULL};
	char *pfile = xasprintf("%s/parent-file", tmp);
	char *tfile = xasprintf("%s/thread-file", tmp);
	char *cfile = xasprintf("%s/child-file", tmp);
	struct run r = {0};
	uint32_t thread = 0, child = 0;
	long i1, i2, i3, i4, ifork = -1, iclone = -1, iwait;

	if (traced(0, argv, &r) < 0) {
		CHECK(0, "fixture ran under the probe");
		goto out;
	}
	CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0, "fixture exited 0");
	/* The parent, task 1: its own calls in its order. */
	i1 = find(&r, 1, 0, "openat", pfile);
	i2 = find(&r, 1, i1, "write", NULL);
	i3 = find(&r, 1, i2, "openat", pfile);
	i4 = find(&r, 1, i3, "read", NULL);
	CHECK(i1 >= 0 && i2 > i1 && i3 > i2 && i4 > i3,
	      "parent: openat(parent-file) write openat(parent-file) read, in order");
	CHECK(i2 >= 0 && r.ev[i2].e.ret == 1 && i4 >= 0 && r.ev[i4].e.ret == 1,
	      "parent: write and read returned 1");
	/* FORK events name the thread and the child; each appears before any
	 * event of the new task. */
	for (size_t i = 0; i < r.n; i++) {
		const struct gt_ebpf_event *e = &r.ev[i].e;

		if (e->kind != GT_EBPF_EV_FORK || e->task != 1)
			continue;
		for (size_t j = 0; j < i; j++)
			if (r.ev[j].e.task == e->child)
				CHECK(0, "task %u has an event before its FORK", e->child);
		if (!thread)
			thread = e->child;
		else if (!child) {
			child = e->child;
			ifork = (long)i;
		}
	}
	CHECK(thread && child, "parent: two FORK events (thread %u, child %u)", thread, child);
	{
		long t = find(&r, thread, 0, "openat", tfile);

		CHECK(t >= 0 && r.ev[t].e.tgid == r.pid && r.ev[t].e.tid != r.pid,
		      "thread: openat(thread-file) in the parent's process, its own tid");
	}
	{
		long c1 = find(&r, child, 0, "openat", cfile);
		long c2 = find(&r, child, c1, "write", NULL);
		long c3 = find(&r, child, c2, "exit_group", NULL);

		CHECK(c1 >= 0 && c2 > c1 && c3 > c2,
		      "child: openat(child-file) write exit_group, in order");
		CHECK(c1 >= 0 && r.ev[c1].e.tgid != r.pid && r.ev[c1].e.tgid == r.ev[c1].e.tid,
		      "child: a process of its own");
		/* The parent's fork (glibc: clone) returned the child's pid. */
		for (long i = 0; i < (long)r.n; i++) {
			const struct gt_ebpf_event *e = &r.ev[i].e;

			if (e->task == 1 && e->kind == GT_EBPF_EV_SYSCALL &&
			    (e->nr == gt_syscall_nr("clone") || e->nr == gt_syscall_nr("clone3")) &&
			    c1 >= 0 && e->ret == r.ev[c1].e.tgid)
				iclone = i;
		}
		CHECK(iclone > ifork && ifork >= 0,
		      "parent: FORK event, then clone returning the child's pid");
		iwait = find(&r, 1, iclone, "wait4", NULL);
		CHECK(iwait > c3 && c3 >= 0 && r.ev[iwait].e.ret == r.ev[c1].e.tgid,
		      "parent: wait4 returned the child's pid, after the child's exit_group");
	}
	check_alone(&r, intruder, "fixture");
	CHECK(r.lost_records == 0 && r.lost_strings == 0,
	      "fixture: nothing lost (records %llu, strings %llu)",
	      (unsigned long long)r.lost_records, (unsigned long long)r.lost_strings);
out:
	run_free(&r);
	free(pfile);
	free(tfile);
	free(cfile);
}

static void check_flood(char *fixture)
{
	char mode[] = "loop", n[] = "100000";
	char *argv[] = {fixture, mode, n, NULL};
	struct run r = {0};

	if (traced(4096, argv, &r) < 0) {
		CHECK(0, "flood ran under the probe");
		return;
	}
	CHECK(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0, "flood exited 0");
	CHECK(r.lost_records > 0,
	      "100,000 calls through a 4 KiB ring: the loss is counted (%llu records, %zu events "
	      "delivered)",
	      (unsigned long long)r.lost_records, r.n);
	run_free(&r);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

#define REPS 5

/* Median of REPS runs of ARGV's life, traced or not; *PROBE_NS (may be
 * NULL) the median of the probe's own run time per run. */
static uint64_t life_ns(char *const *argv, bool trace, uint64_t *whole_ns, uint64_t *probe_ns)
{
	uint64_t t[REPS], w[REPS], p[REPS] = {0};
	struct gt_ebpf_opts o = {.ring_bytes = (size_t)64 << 20};

	for (int i = 0; i < REPS; i++) {
		struct run r = {0};
		struct gt_ebpf *h = NULL;
		struct gt_error err = {0};
		size_t n = 0;
		uint64_t t0 = gt_now_ns();

		if (trace && gt_ebpf_open(poll_late ? &o : NULL, &h, &err) != GT_OK)
			return 0;
		if (h && probe_ns && gt_ebpf_stats_enable(h, &err) != GT_OK)
			probe_ns = NULL;
		run_cmd(h, argv, count_only, &n, &r);
		if (h && probe_ns) {
			uint64_t runs;

			gt_ebpf_stats(h, &runs, &p[i]);
		}
		gt_ebpf_close(h);
		w[i] = gt_now_ns() - t0;
		t[i] = r.exited_ns - r.released_ns;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_u64);
	qsort(w, REPS, sizeof(w[0]), cmp_u64);
	qsort(p, REPS, sizeof(p[0]), cmp_u64);
	if (whole_ns)
		*whole_ns = w[REPS / 2];
	if (probe_ns)
		*probe_ns = p[REPS / 2];
	return t[REPS / 2];
}

static void measure(char *fixture)
{
	uint64_t t[REPS], bare, traced_ns, whole_true, whole_bare, probe = 0;
	char mode[] = "read", n[] = "100000", exe[] = "/bin/true";
	char *rd[] = {fixture, mode, n, NULL};
	char *tr[] = {exe, NULL};

	for (int i = 0; i < REPS; i++) {
		struct gt_ebpf *h = NULL;
		struct gt_error err = {0};
		uint64_t t0 = gt_now_ns();

		if (gt_ebpf_open(NULL, &h, &err) != GT_OK)
			return;
		gt_ebpf_close(h);
		t[i] = gt_now_ns() - t0;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_u64);
	printf("measure: open+attach+close: median %.1f ms (min %.1f, max %.1f; %d runs)\n",
	       t[REPS / 2] / 1e6, t[0] / 1e6, t[REPS - 1] / 1e6, REPS);
	life_ns(tr, false, &whole_bare, NULL);
	life_ns(tr, true, &whole_true, NULL);
	printf("measure: /bin/true start to reaped: bare %.1f ms, under eBPF (open..close) %.1f ms\n",
	       whole_bare / 1e6, whole_true / 1e6);
	bare = life_ns(rd, false, NULL, NULL);
	traced_ns = life_ns(rd, true, NULL, NULL);
	printf("measure: 100,000 reads: bare %.1f ms, traced (polled every %d ms) %.1f ms: "
	       "%+.0f ns per call\n",
	       bare / 1e6, GT_EBPF_POLL_MS, traced_ns / 1e6,
	       ((double)traced_ns - (double)bare) / 100000.0);
	poll_late = true;
	traced_ns = life_ns(rd, true, NULL, &probe);
	poll_late = false;
	printf("measure: 100,000 reads, ring read after the run (64 MiB): traced %.1f ms: %+.0f ns "
	       "per call; the probe's own run time %.0f ns per call (kernel statistics)\n",
	       traced_ns / 1e6, ((double)traced_ns - (double)bare) / 100000.0,
	       (double)probe / 100000.0);
}

int main(int argc, char **argv)
{
	struct gt_ebpf *h;
	struct gt_error err = {0};
	const char *tmp;
	char *dir;
	pid_t intruder;

	if (argc < 2) {
		fprintf(stderr, "usage: ebpf-smoke FIXTURE [TMPDIR]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	gt_syscalls_init();
	/* Can we load at all?  Not privileged is a skip, anything else a
	 * failure. */
	if (gt_ebpf_open(NULL, &h, &err) != GT_OK) {
		if (strstr(err.msg, "needs root")) {
			printf("SKIP: %s\n", err.msg);
			return 77;
		}
		printf("FAIL: %s\n", err.msg);
		return 1;
	}
	gt_ebpf_close(h);

	tmp = argc > 2 ? argv[2] : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	dir = xasprintf("%s/ebpf-smoke.XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		printf("FAIL: mkdtemp %s: %s\n", dir, strerror(errno));
		return 1;
	}
	/* Another process, never tracked, busy with calls of its own. */
	intruder = fork();
	if (intruder == 0) {
		for (;;) {
			int fd = open(INTRUDER_PATH, O_RDONLY);

			if (fd >= 0)
				close(fd);
			syscall(SYS_getppid);
		}
	}
	check_true(intruder);
	check_files(argv[1], dir, intruder);
	kill(intruder, SIGKILL);
	waitpid(intruder, NULL, 0);
	check_flood(argv[1]);
	if (!getenv("EBPF_SMOKE_NO_MEASURE"))
		measure(argv[1]);

	for (const char *f = "parent-file\0thread-file\0child-file\0"; *f; f += strlen(f) + 1) {
		char *p = xasprintf("%s/%s", dir, f);

		unlink(p);
		free(p);
	}
	rmdir(dir);
	free(dir);
	printf("%d failed\n", fails);
	return fails ? 1 : 0;
}

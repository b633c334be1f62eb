/*
 * test-capture-seccomp: the seccomp user-notification backend on real
 * programs: calls recorded at entry with their strings, returns unknown,
 * exit_group without return; the tasks of forks, vforks, clone3 and threads
 * with their parents and order; a timeout kills the whole tree; a missing
 * command is reported as under ptrace; the listener does not leak into the
 * program; ignored calls stay in the kernel; a set-user-ID exec and a
 * program's own seccomp filter fail loudly.
 * Skips (exit 77) where seccomp user notification is not available.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "capture-util.h"
#include "tracee.h"

/* argv wants char *; string literals are const under -Wwrite-strings. */
#define A(s) ((char *)(uintptr_t)(s))

static char progs[4096];
static char self_exe[4096];

static char *prog(const char *name)
{
	static char buf[8][4200];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", progs, name);
	return buf[i];
}

static enum gt_rc run_ign(char **argv, double timeout, const bool *ignore, struct gt_capture **c,
			  struct gt_error *err)
{
	char *env[] = {A("PATH=/usr/bin:/bin"), A("LC_ALL=C"), NULL};
	struct gt_capture_opts o = {0};

	o.backend = GT_BACKEND_SECCOMP;
	o.argv = argv;
	o.envp = env;
	o.timeout_s = timeout;
	o.stdout_to_stderr = true;
	o.ignore = ignore;
	return gt_capture_run(&o, c, err);
}

static enum gt_rc run(char **argv, double timeout, struct gt_capture **c, struct gt_error *err)
{
	return run_ign(argv, timeout, NULL, c, err);
}

static const char *name_of(const struct gt_raw_event *e)
{
	return gt_syscall_by_nr(e->nr)->name;
}

static size_t count_calls(const struct gt_capture *c, const char *name, int task)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nevents; i++)
		if (strcmp(name_of(&c->events[i]), name) == 0 &&
		    (task < 0 || c->events[i].task == (uint32_t)task))
			n++;
	return n;
}

static void test_true(void **state)
{
	char *argv[] = {A("true"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	const struct gt_raw_event *last;
	const char *path;

	assert_int_equal(run(argv, 0, &c, &err), GT_OK);
	assert_non_null(c);
	assert_int_equal(c->backend, GT_BACKEND_SECCOMP);
	assert_int_equal(c->ntasks, 1);
	assert_true(c->nevents > 5);
	/* The first event is the command's execve, with its path fetched;
	 * nothing of the child's own setup before it. */
	assert_string_equal(name_of(&c->events[0]), "execve");
	path = gt_capture_mem(c, &c->events[0], 0);
	assert_non_null(path);
	assert_non_null(strstr(path, "true"));
	assert_int_equal(count_calls(c, "seccomp", -1), 0);
	assert_int_equal(count_calls(c, "fcntl", -1), 0);
	/* Returns are never seen; exit_group never returns. */
	for (size_t i = 0; i + 1 < c->nevents; i++) {
		assert_true(c->events[i].flags & GT_EV_RET_UNKNOWN);
		assert_int_equal(c->events[i].t_enter_ns, c->events[i].t_exit_ns);
	}
	last = &c->events[c->nevents - 1];
	assert_string_equal(name_of(last), "exit_group");
	assert_true(last->flags & GT_EV_NO_RETURN);
	assert_false(c->info.returns_known);
	assert_int_equal(c->info.exit_code, 0);
	assert_int_equal(c->info.term_signal, 0);
	assert_int_equal(c->tasks[0].exit_code, 0);
	assert_true(c->info.wall_s > 0);
	assert_true(c->info.max_rss_kb > 0);
	assert_int_equal(c->info.syscalls, c->nevents);
	assert_int_equal(c->info.intercepted, c->nevents);
	assert_int_equal(c->info.let_through, 0);
	gt_capture_free(c);
}

static void test_exit_status_and_args(void **state)
{
	char *argv[] = {A("sh"), A("-c"), A("exit 3"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	const char *mem;
	uint32_t n;

	assert_int_equal(run(argv, 0, &c, &err), GT_OK);
	assert_int_equal(c->info.exit_code, 3);
	mem = gt_capture_mem(c, &c->events[0], 1);
	assert_non_null(mem);
	memcpy(&n, mem, sizeof(n));
	assert_int_equal(n, 3);
	assert_string_equal(mem + 4, "sh");
	assert_string_equal(mem + 4 + 3, "-c");
	assert_string_equal(mem + 4 + 6, "exit 3");
	gt_capture_free(c);
}

static void test_fork(void **state)
{
	char *argv[] = {prog(A("forker")), A("3"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 0, &c, &err), GT_OK);
	assert_int_equal(c->ntasks, 4);
	for (size_t i = 1; i < 4; i++) {
		const struct gt_task *t = &c->tasks[i];

		assert_int_equal(t->parent, 0);
		assert_int_equal(t->tgid, t->tid);
		assert_false(t->clone_flags & CLONE_THREAD);
		assert_int_equal(t->exit_code, 0);
		assert_int_not_equal(t->tid, c->tasks[0].tid);
		/* Every child wrote its line. */
		assert_true(count_calls(c, "write", (int)i) >= 1);
	}
	/* seq follows creation (tid) order, whatever order the children's
	 * first calls came in. */
	for (size_t i = 1; i < 4; i++)
		for (size_t j = 1; j < 4; j++)
			if (c->tasks[i].tid < c->tasks[j].tid)
				assert_true(c->tasks[i].seq < c->tasks[j].seq);
	for (uint32_t seq = 0; seq < 3; seq++) {
		size_t n = 0;

		for (size_t i = 1; i < 4; i++)
			n += c->tasks[i].seq == seq;
		assert_int_equal(n, 1);
	}
	assert_int_equal(c->info.exit_code, 0);
	gt_capture_free(c);
}

static void test_threads(void **state)
{
	char *argv[] = {prog(A("threads")), A("3"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	size_t nthreads = 0;

	assert_int_equal(run(argv, 0, &c, &err), GT_OK);
	for (size_t i = 1; i < c->ntasks; i++) {
		if (c->tasks[i].clone_flags & CLONE_THREAD) {
			nthreads++;
			assert_int_equal(c->tasks[i].tgid, c->tasks[0].tgid);
			assert_int_equal(c->tasks[i].parent, 0);
			assert_true(c->tasks[i].clone_flags & CLONE_FILES);
			assert_int_equal(count_calls(c, "openat", (int)i), 1);
		}
	}
	assert_int_equal(nthreads, 3);
	assert_int_equal(c->ntasks, 4);
	gt_capture_free(c);
}

static void test_vfork_and_clone3(void **state)
{
	char *argv1[] = {prog(A("vforker")), NULL};
	char *argv2[] = {prog(A("clone3er")), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv1, 0, &c, &err), GT_OK);
	assert_int_equal(c->ntasks, 2);
	assert_int_equal(c->tasks[1].parent, 0);
	assert_true(c->tasks[1].clone_flags & CLONE_VFORK);
	assert_int_equal(count_calls(c, "execve", 1), 1);
	gt_capture_free(c);
	c = NULL;
	assert_int_equal(run(argv2, 0, &c, &err), GT_OK);
	assert_int_equal(c->ntasks, 2);
	assert_int_equal(c->tasks[1].parent, 0);
	assert_false(c->tasks[1].clone_flags & CLONE_THREAD);
	gt_capture_free(c);
}

static void test_exec_from_thread(void **state)
{
	char *argv[] = {prog(A("mtexec")), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 5, &c, &err), GT_OK);
	assert_int_equal(count_calls(c, "execve", -1), 2);
	assert_int_equal(c->info.exit_code, 0);
	gt_capture_free(c);
}

static void test_signal_death(void **state)
{
	char *argv[] = {prog(A("signals")), A("--segv"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 0, &c, &err), GT_OK);
	assert_int_equal(c->info.term_signal, SIGSEGV);
	gt_capture_free(c);
}

static void test_timeout_kills_tree(void **state)
{
	char *argv[] = {A("sh"), A("-c"), A("sleep 30 & sleep 30; wait"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 0.5, &c, &err), GT_ERR_TIMEOUT);
	assert_non_null(strstr(err.msg, "timed out"));
	assert_non_null(c);
	assert_true(c->info.timed_out);
	assert_true(c->ntasks >= 3);
	assert_true(c->info.wall_s < 5);
	/* Nothing of the tree is left. */
	for (size_t i = 0; i < c->ntasks; i++)
		assert_int_equal(kill(c->tasks[i].tid, 0) < 0 && errno == ESRCH, 1);
	gt_capture_free(c);
}

static void test_not_found(void **state)
{
	char *argv[] = {A("gtdiff-no-such-command-xyz"), NULL};
	char *argv2[] = {A("/nonexistent/dir/cmd"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 0, &c, &err), GT_ERR_CAPTURE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "gtdiff-no-such-command-xyz"));
	assert_non_null(strstr(err.msg, "not found"));
	assert_int_equal(run(argv2, 0, &c, &err), GT_ERR_CAPTURE);
	assert_non_null(strstr(err.msg, "no such file"));
}

static void test_bad_cwd(void **state)
{
	char *argv[] = {A("true"), NULL};
	char *env[] = {A("PATH=/usr/bin:/bin"), NULL};
	struct gt_capture_opts o = {0};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	o.backend = GT_BACKEND_SECCOMP;
	o.argv = argv;
	o.envp = env;
	o.cwd = "/nonexistent-gtdiff-dir";
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_ERR_CAPTURE);
	assert_non_null(strstr(err.msg, "cannot change directory"));
	gt_capture_free(c);
}

/* The program starts with fds 0-2 only, as under ptrace: the listener and
 * our pipes are gone at its exec.  [ is a builtin of sh, so /proc/self is
 * the traced shell. */
static void test_no_listener_leak(void **state)
{
	char *argv[] = {A("sh"), A("-c"),
			A("for n in 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do "
			  "[ -e /proc/self/fd/$n ] && exit 1; done; exit 0"),
			NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 10, &c, &err), GT_OK);
	assert_int_equal(c->info.exit_code, 0);
	gt_capture_free(c);
}

static int count_fds(void)
{
	char path[64];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n += access(path, F_OK) == 0;
	}
	return n;
}

/* Nothing of a run stays with us: no descriptor (listener, pidfd, pipes,
 * the guard's socket), no child. */
static void test_no_leftovers(void **state)
{
	char *argv[] = {prog(A("forker")), A("2"), NULL};
	char *argv2[] = {A("gtdiff-no-such-command-xyz"), NULL};
	char *argv3[] = {A("sh"), A("-c"), A("sleep 30"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	int before = count_fds(), st;

	for (int i = 0; i < 3; i++) {
		assert_int_equal(run(argv, 0, &c, &err), GT_OK);
		gt_capture_free(c);
		c = NULL;
	}
	assert_int_equal(run(argv2, 0, &c, &err), GT_ERR_CAPTURE);
	assert_int_equal(run(argv3, 0.2, &c, &err), GT_ERR_TIMEOUT);
	gt_capture_free(c);
	assert_int_equal(count_fds(), before);
	assert_int_equal(waitpid(-1, &st, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* Ignored calls are allowed in the kernel: never notified, never recorded.
 * Those the backend needs (execve, clone, exit_group...) are still seen,
 * not recorded. */
static void test_ignore(void **state)
{
	char *argv[] = {prog(A("forker")), A("2"), NULL};
	static const char *const names[] = {"brk", "mmap", "execve", "clone", "exit_group"};
	bool *ignore = calloc((size_t)gt_syscalls_max(), sizeof(*ignore));
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_non_null(ignore);
	for (size_t i = 0; i < GT_ARRAY_SIZE(names); i++) {
		int nr = gt_syscall_nr(names[i]);

		assert_true(nr >= 0);
		ignore[nr] = true;
	}
	assert_int_equal(run_ign(argv, 0, ignore, &c, &err), GT_OK);
	for (size_t i = 0; i < GT_ARRAY_SIZE(names); i++)
		assert_int_equal(count_calls(c, names[i], -1), 0);
	assert_true(count_calls(c, "openat", -1) > 0);
	assert_int_equal(c->ntasks, 3);
	assert_int_equal(c->tasks[1].parent, 0);
	assert_int_equal(c->tasks[2].parent, 0);
	assert_int_equal(c->tasks[1].exit_code, 0);
	assert_int_equal(c->info.exit_code, 0);
	/* brk and mmap never reached us; the rest did. */
	assert_true(c->info.intercepted >= c->nevents);
	assert_true(c->info.intercepted <= c->nevents + 1 + 2 + 3);
	gt_capture_free(c);
	free(ignore);
}

/* A program with a seccomp filter of its own: this test binary, run again
 * with --own-filter (see main). */
static void test_own_filter(void **state)
{
	char *argv[] = {self_exe, A("--own-filter"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 20, &c, &err), GT_ERR_CAPTURE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "own seccomp filter"));
}

/* Strict mode, which the kernel refuses on top of our filter: the run is
 * refused, not recorded as a program that went on (unless gtdiff itself
 * runs under a filter: then the program would get EINVAL untraced too). */
static void test_strict_refused(void **state)
{
	char *argv[] = {prog(A("strictsec")), NULL};
	char *argv2[] = {prog(A("strictsec")), A("seccomp"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	(void)state;
	if (gt_self_seccomp_mode() == SECCOMP_MODE_FILTER)
		skip();
	assert_int_equal(run(argv, 20, &c, &err), GT_ERR_CAPTURE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "strict seccomp mode"));
	assert_non_null(strstr(err.msg, "--backend ptrace"));
	assert_int_equal(run(argv2, 20, &c, &err), GT_ERR_CAPTURE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "strict seccomp mode"));
}

/* The leader leaves (pthread_exit), a worker execs: after the exec the
 * process goes on under the leader's tid, and its calls are the leader
 * task's, as under ptrace; no second process. */
static void test_leader_exit_exec(void **state)
{
	char *argv[] = {prog(A("leaderexit")), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	(void)state;
	assert_int_equal(run(argv, 20, &c, &err), GT_OK);
	assert_int_equal(c->info.exit_code, 0);
	assert_int_equal(c->ntasks, 2);
	assert_int_equal(c->tasks[0].tgid, c->tasks[1].tgid);
	assert_true(c->tasks[1].parent == 0);
	/* The leader's exit(0), then /bin/true's exit_group(0), both task 0's. */
	assert_int_equal(count_calls(c, "exit", 0), 1);
	assert_int_equal(count_calls(c, "exit_group", 0), 1);
	assert_int_equal(count_calls(c, "execve", 1), 1);
	assert_int_equal(count_calls(c, "exit_group", -1), 1);
	gt_capture_free(c);
}

/* A pipe's fd pair, written by the kernel after the notification, is read
 * at the task's next call and attached to the pipe's event. */
static void test_pipe_pair(void **state)
{
	char *argv[] = {A("sh"), A("-c"), A("echo a | cat"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	size_t pipes = 0;

	assert_int_equal(run(argv, 20, &c, &err), GT_OK);
	for (size_t i = 0; i < c->nevents; i++) {
		const struct gt_raw_event *e = &c->events[i];
		const char *m;
		int32_t fds[2];

		if (strcmp(name_of(e), "pipe2") != 0 && strcmp(name_of(e), "pipe") != 0)
			continue;
		pipes++;
		m = gt_capture_mem(c, e, 0);
		assert_non_null(m);
		memcpy(fds, m, sizeof(fds));
		assert_true(fds[0] >= 3 && fds[1] >= 3 && fds[0] != fds[1]);
	}
	assert_true(pipes >= 1);
	gt_capture_free(c);
}

/* One run of readloop (100 reads of /dev/zero, and the loader's read of
 * libc's ELF header) with read ignored: the number of calls let through. */
static uint64_t let_through_of(enum gt_backend b)
{
	char *argv[] = {prog(A("readloop")), A("/dev/zero"), A("100"), NULL};
	char *env[] = {A("PATH=/usr/bin:/bin"), NULL};
	int max = gt_syscalls_max();
	bool *ignore = calloc((size_t)max, sizeof(bool));
	struct gt_capture_opts o = {0};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	uint64_t n;

	assert_non_null(ignore);
	ignore[gt_syscall_nr("read")] = true;
	o.backend = b;
	o.argv = argv;
	o.envp = env;
	o.timeout_s = 20;
	o.ignore = ignore;
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_OK);
	n = c->info.let_through;
	gt_capture_free(c);
	free(ignore);
	return n;
}

/* let_through counts the calls a filter let through (the ignored ones)
 * with a perf counter, which needs tracefs to name its tracepoint: where
 * none is mounted it is unknown.  Here tracefs is mounted in a mount
 * namespace of a child's own (so the machine is left as it was) and every
 * backend must count the reads exactly; without tracefs the count must say
 * unknown.  Only read is ignored, so the counts must be exactly the 101
 * reads. */
static void test_let_through(void **state)
{
	static const enum gt_backend backends[] = {GT_BACKEND_PTRACE, GT_BACKEND_SECCOMP,
						   GT_BACKEND_AUTO};
	int status;
	pid_t pid;

	if (access("/sys/kernel/tracing/events/raw_syscalls/sys_enter/id", R_OK) != 0) {
		for (size_t i = 0; i < GT_ARRAY_SIZE(backends); i++)
			assert_true(let_through_of(backends[i]) == GT_COUNT_UNKNOWN);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			_exit(77);
		if (access("/sys/kernel/tracing/events", F_OK) != 0 &&
		    mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0)
			_exit(77);
		for (size_t i = 0; i < GT_ARRAY_SIZE(backends); i++) {
			uint64_t n = let_through_of(backends[i]);

			if (n != 101) {
				fprintf(stderr, "%s: let_through %llu, wanted 101\n",
					gt_backend_name(backends[i]), (unsigned long long)n);
				_exit(1);
			}
		}
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		skip(); /* no mount namespace or tracefs here */
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* Without sync wake-up (tuning.no_sync_wakeup stands in for a kernel before
 * 6.6) gtdiff and a single-task command share one CPU, which the command
 * does not see: sched_getaffinity answers as it would unpinned (EINVAL for
 * a short length included), though /proc shows the pin.  gtdiff gets its
 * own mask back, also after a command that never made a task ("true": this
 * sanitized test binary itself clones at exit, for its leak check, which
 * unpins). */
static void test_pin_without_sync(void **state)
{
	char *argv[] = {self_exe, A("--affinity"), NULL};
	char *env[] = {A("PATH=/usr/bin:/bin"), NULL};
	char path[] = "/tmp/gtdiff-test-affinity.XXXXXX", out[512] = "", want[512];
	struct gt_capture_opts o = {0};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	cpu_set_t mine, after;
	int fd = mkstemp(path);
	long bytes;

	assert_true(fd >= 0);
	unlink(path);
	CPU_ZERO(&mine); /* the kernel writes only its mask's bytes */
	bytes = syscall(SYS_sched_getaffinity, 0, sizeof(mine), &mine);
	assert_true(bytes > 0);
	if (CPU_COUNT(&mine) < 2) {
		close(fd);
		skip(); /* one CPU: nothing to pin */
	}
	snprintf(want, sizeof(want), "short EINVAL\nbytes %ld cpus %d\nCpus_allowed_list:\t",
		 bytes, CPU_COUNT(&mine));
	o.backend = GT_BACKEND_SECCOMP;
	o.argv = argv;
	o.envp = env;
	o.out_fd = fd;
	o.timeout_s = 20;
	o.tuning.no_sync_wakeup = true;
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_OK);
	assert_true(pread(fd, out, sizeof(out) - 1, 0) > 0);
	close(fd);
	/* The answers of an unpinned task, then a pin of one CPU in /proc. */
	if (strncmp(out, want, strlen(want)) != 0)
		fail_msg("got:\n%s\nwanted:\n%s", out, want);
	assert_null(strchr(out + strlen(want), '-'));
	assert_null(strchr(out + strlen(want), ','));
	assert_int_equal(sched_getaffinity(0, sizeof(after), &after), 0);
	assert_true(CPU_EQUAL(&after, &mine));
	gt_capture_free(c);
	c = NULL;
	argv[0] = A("true");
	argv[1] = NULL;
	o.out_fd = 0;
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_OK);
	assert_int_equal(sched_getaffinity(0, sizeof(after), &after), 0);
	assert_true(CPU_EQUAL(&after, &mine));
	gt_capture_free(c);
}

/* --backend auto, whose middle tier is user notification: a run of BACKEND
 * with notifications ("1") or without them ("0", tuning.no_notify, which
 * GTDIFF_NOTIFY=0 sets in the CLI). */
static enum gt_rc run_auto(char **argv, const char *notify, struct gt_capture **c,
			   struct gt_error *err)
{
	char *env[] = {A("PATH=/usr/bin:/bin"), A("LC_ALL=C"), NULL};
	struct gt_capture_opts o = {0};
	enum gt_rc rc;

	o.backend = GT_BACKEND_AUTO;
	o.argv = argv;
	o.envp = env;
	o.timeout_s = 20;
	o.stdout_to_stderr = true;
	o.tuning.no_notify = strcmp(notify, "0") == 0;
	rc = gt_capture_run(&o, c, err);
	return rc;
}

/* auto: reads (return not needed) come as notifications, returns unknown;
 * opens (return needed) as ptrace stops, returns known.  With
 * tuning.no_notify the same calls are ptrace entry stops: same record, no
 * notification. */
static void test_auto_notify_tier(void **state)
{
	char *argv[] = {prog(A("readloop")), A("/dev/zero"), A("50"), NULL};
	const char *modes[] = {"1", "0"};

	for (size_t m = 0; m < GT_ARRAY_SIZE(modes); m++) {
		struct gt_capture *c = NULL;
		struct gt_error err = {0};
		size_t reads = 0, opens = 0;

		assert_int_equal(run_auto(argv, modes[m], &c, &err), GT_OK);
		for (size_t i = 0; i < c->nevents; i++) {
			const struct gt_raw_event *e = &c->events[i];

			if (strcmp(name_of(e), "read") == 0) {
				assert_true(e->flags & GT_EV_RET_UNKNOWN);
				reads += gt_capture_turns(c, i);
			} else if (strcmp(name_of(e), "openat") == 0) {
				assert_false(e->flags & GT_EV_RET_UNKNOWN);
				opens++;
			}
		}
		assert_true(reads >= 50);
		assert_true(opens >= 1);
		if (m == 0)
			assert_true(c->info.notified >= reads);
		else
			assert_int_equal(c->info.notified, 0);
		assert_int_equal(c->info.exit_code, 0);
		gt_capture_free(c);
	}
}

/* auto: threads and processes made while calls are notified are tracked:
 * every task has its calls, in the order it made them. */
static void test_auto_tasks(void **state)
{
	char *targv[] = {prog(A("threads")), A("3"), NULL};
	char *fargv[] = {prog(A("forker")), A("3"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run_auto(targv, "1", &c, &err), GT_OK);
	assert_int_equal(c->ntasks, 4);
	for (uint32_t t = 1; t < 4; t++) {
		assert_int_equal(c->tasks[t].parent, 0);
		assert_true(count_calls(c, "exit", (int)t) == 1);
	}
	assert_true(c->info.notified > 0);
	gt_capture_free(c);
	c = NULL;
	assert_int_equal(run_auto(fargv, "1", &c, &err), GT_OK);
	assert_int_equal(c->ntasks, 4);
	for (uint32_t t = 1; t < 4; t++)
		assert_true(count_calls(c, "exit_group", (int)t) == 1);
	/* Within a task, times never go backwards: the two tiers' records
	 * interleave in the order of the calls. */
	for (uint32_t t = 0; t < c->ntasks; t++) {
		uint64_t last = 0;

		for (size_t i = 0; i < c->nevents; i++) {
			if (c->events[i].task != t)
				continue;
			assert_true(c->events[i].t_enter_ns >= last);
			last = c->events[i].t_enter_ns;
		}
	}
	gt_capture_free(c);
}

/* A filter of the program's own would hide the calls it blocks from
 * auto's filter: refused, as by the seccomp backend.  Plain ptrace (no
 * filter of ours) sees every call and records the program. */
static void test_auto_own_filter(void **state)
{
	char *argv[] = {self_exe, A("--own-filter"), NULL};
	struct gt_capture_opts o = {0};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run_auto(argv, "1", &c, &err), GT_ERR_CAPTURE);
	assert_null(c);
	assert_non_null(strstr(err.msg, "own seccomp filter"));
	o.argv = argv;
	o.stdout_to_stderr = true;
	o.timeout_s = 20;
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_OK);
	assert_true(count_calls(c, "seccomp", 0) == 1);
	gt_capture_free(c);
}

/* A set-user-ID program of another user would run without its privileges
 * under no_new_privs: refused.  Needs root (to make one) and a directory
 * not mounted nosuid. */
static void test_setuid(void **state)
{
	static const char *const dirs[] = {"/var/tmp", "/tmp", "/root"};
	char dir[256] = "", file[300], cmd[1024];
	char *argv[] = {file, NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	struct statvfs fs;

	if (geteuid() != 0) {
		skip();
		return;
	}
	for (size_t i = 0; i < GT_ARRAY_SIZE(dirs) && !dir[0]; i++) {
		snprintf(dir, sizeof(dir), "%s/gtdiff-suid.XXXXXX", dirs[i]);
		if (!mkdtemp(dir) || statvfs(dir, &fs) < 0 || (fs.f_flag & ST_NOSUID)) {
			rmdir(dir);
			dir[0] = '\0';
		}
	}
	if (!dir[0]) {
		skip();
		return;
	}
	chmod(dir, 0755);
	snprintf(file, sizeof(file), "%s/suid-true", dir);
	snprintf(cmd, sizeof(cmd), "cp /bin/true %s && chown 65534 %s && chmod 4755 %s", file,
		 file, file);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(run(argv, 10, &c, &err), GT_ERR_CAPTURE);
	assert_non_null(strstr(err.msg, "set-user-ID"));
	assert_null(c);
	unlink(file);
	rmdir(dir);
}

/* Can this process install a user-notification filter (kernel support, no
 * notifying supervisor above us, pidfd_getfd allowed)?  Tried in a child. */
static bool seccomp_notify_available(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {1, &allow};
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		long fd;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(1);
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			     &prog);
		_exit(fd < 0 ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return false;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return false;
	/* pidfd_getfd needs ptrace access to the child. */
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	{
		int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		int fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);

		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		if (fd >= 0)
			close(fd);
		if (pidfd >= 0)
			close(pidfd);
		return fd >= 0;
	}
}

/* --own-filter: install a filter that allows everything, then exit. */
/* --affinity: what sched_getaffinity says (a short length, then a full
 * one: "EINVAL-or-not bytes cpus") and what /proc says (its allowed CPUs). */
static int affinity(void)
{
	unsigned char mask[128];
	char line[256];
	long shortlen, n;
	int cpus = 0;
	FILE *f;

	shortlen = syscall(SYS_sched_getaffinity, 0, 4, mask);
	printf("short %s\n", shortlen < 0 && errno == EINVAL ? "EINVAL" : "ok");
	n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	for (long i = 0; i < n; i++)
		cpus += __builtin_popcount(mask[i]);
	printf("bytes %ld cpus %d\n", n, cpus);
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "Cpus_allowed_list:", 18) == 0)
			fputs(line, stdout);
	if (f)
		fclose(f);
	return 0;
}

static int own_filter(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {1, &allow};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_true),
		cmocka_unit_test(test_exit_status_and_args),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_vfork_and_clone3),
		cmocka_unit_test(test_exec_from_thread),
		cmocka_unit_test(test_signal_death),
		cmocka_unit_test(test_timeout_kills_tree),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_bad_cwd),
		cmocka_unit_test(test_no_listener_leak),
		cmocka_unit_test(test_no_leftovers),
		cmocka_unit_test(test_ignore),
		cmocka_unit_test(test_own_filter),
		cmocka_unit_test(test_strict_refused),
		cmocka_unit_test(test_leader_exit_exec),
		cmocka_unit_test(test_pipe_pair),
		cmocka_unit_test(test_let_through),
		cmocka_unit_test(test_pin_without_sync),
		cmocka_unit_test(test_auto_notify_tier),
		cmocka_unit_test(test_auto_tasks),
		cmocka_unit_test(test_auto_own_filter),
		cmocka_unit_test(test_setuid),
	};
	const char *p = getenv("PROGS");
	ssize_t n;

	if (argc == 2 && strcmp(argv[1], "--own-filter") == 0)
		return own_filter();
	if (argc == 2 && strcmp(argv[1], "--affinity") == 0)
		return affinity();
	if (!seccomp_notify_available()) {
		fprintf(stderr, "SKIP: seccomp user notification is not available here\n");
		return 77;
	}
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 99;
	self_exe[n] = '\0';
	snprintf(progs, sizeof(progs), "%s", p ? p : "tests/progs");
	gt_syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test-capture: the ptrace backend on real programs: the raw record has the
 * exec, the calls, the tasks of forks and threads; a timeout kills the
 * whole tree; a missing command and a failing start are reported.
 * Skips (exit 77) where ptrace is not permitted.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture.h"
#include "capture-session.h"
#include "capture-util.h"
#include "tracee.h"

/* argv wants char *; string literals are const under -Wwrite-strings. */
#define A(s) ((char *)(uintptr_t)(s))

static char progs[4096];

static char *prog(const char *name)
{
	static char buf[8][4200];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", progs, name);
	return buf[i];
}

static enum gt_rc run(char **argv, double timeout, struct gt_capture **c, struct gt_error *err)
{
	char *env[] = {A("PATH=/usr/bin:/bin"), A("LC_ALL=C"), NULL};
	struct gt_capture_opts o = {0};

	o.backend = GT_BACKEND_PTRACE;
	o.argv = argv;
	o.envp = env;
	o.timeout_s = timeout;
	o.stdout_to_stderr = true;
	return gt_capture_run(&o, c, err);
}

static size_t count_calls(const struct gt_capture *c, const char *name, int task)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nevents; i++)
		if (strcmp(gt_syscall_by_nr(c->events[i].nr)->name, name) == 0 &&
		    (task < 0 || c->events[i].task == (uint32_t)task))
			n++;
	return n;
}

static void test_true(void **state)
{
	char *argv[] = {A("true"), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	const char *path;

	assert_int_equal(run(argv, 0, &c, &err), GT_OK);
	assert_non_null(c);
	assert_int_equal(c->ntasks, 1);
	assert_true(c->nevents > 5);
	/* The first event is the command's execve, with its path fetched. */
	assert_string_equal(gt_syscall_by_nr(c->events[0].nr)->name, "execve");
	assert_int_equal(c->events[0].ret, 0);
	path = gt_capture_mem(c, &c->events[0], 0);
	assert_non_null(path);
	assert_non_null(strstr(path, "true"));
	/* exit_group never returns. */
	assert_string_equal(gt_syscall_by_nr(c->events[c->nevents - 1].nr)->name, "exit_group");
	assert_true(c->events[c->nevents - 1].flags & GT_EV_NO_RETURN);
	assert_int_equal(c->info.exit_code, 0);
	assert_int_equal(c->info.term_signal, 0);
	assert_true(c->info.wall_s > 0);
	assert_true(c->info.max_rss_kb > 0);
	assert_int_equal(c->info.syscalls, c->nevents);
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
	/* argv fetched: count then strings. */
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
		assert_int_equal(c->tasks[i].parent, 0);
		assert_int_equal(c->tasks[i].seq, i - 1);
		assert_int_equal(c->tasks[i].exit_code, 0);
		assert_int_not_equal(c->tasks[i].tid, c->tasks[0].tid);
		/* Every child wrote its line. */
		assert_true(count_calls(c, "write", (int)i) >= 1);
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
		if (c->tasks[i].clone_flags & 0x00010000 /* CLONE_THREAD */) {
			nthreads++;
			assert_int_equal(c->tasks[i].tgid, c->tasks[0].tgid);
		}
	}
	assert_int_equal(nthreads, 3);
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
	assert_true(c->tasks[1].clone_flags & 0x00004000 /* CLONE_VFORK */);
	assert_int_equal(count_calls(c, "execve", 1), 1);
	gt_capture_free(c);
	c = NULL;
	assert_int_equal(run(argv2, 0, &c, &err), GT_OK);
	assert_int_equal(c->ntasks, 2);
	assert_int_equal(c->tasks[1].parent, 0);
	gt_capture_free(c);
}

static void test_exec_from_thread(void **state)
{
	char *argv[] = {prog(A("mtexec")), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	assert_int_equal(run(argv, 5, &c, &err), GT_OK);
	/* The second execve (of /bin/true, by the non-leader thread) is on
	 * record, and the run ends normally. */
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

	o.argv = argv;
	o.envp = env;
	o.cwd = "/nonexistent-gtdiff-dir";
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_ERR_CAPTURE);
	assert_non_null(strstr(err.msg, "cannot change directory"));
	gt_capture_free(c);
}

/* Ignored calls are let through in the kernel by a seccomp-BPF prefilter:
 * they never reach the record, the others do, across forks. */
static void test_prefilter(void **state)
{
	char *argv[] = {prog("forker"), A("2"), NULL};
	char *env[] = {A("PATH=/usr/bin:/bin"), NULL};
	struct gt_capture_opts o = {0};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	bool *ignore = calloc((size_t)gt_syscalls_max() + 1, sizeof(*ignore));
	int nr_mmap = gt_syscall_nr("mmap"), nr_write = gt_syscall_nr("write");

	assert_non_null(ignore);
	ignore[nr_mmap] = true;
	o.argv = argv;
	o.envp = env;
	o.ignore = ignore;
	o.stdout_to_stderr = true;
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_OK);
	assert_int_equal(count_calls(c, "mmap", -1), 0);
	assert_int_equal(count_calls(c, "execve", 0), 1);
	assert_int_equal(count_calls(c, "write", 1), 1);
	assert_int_equal(count_calls(c, "write", 2), 1);
	assert_int_equal(c->ntasks, 3);
	assert_int_equal(c->info.exit_code, 0);
	/* Every recorded call has its return (the exit stop was reached). */
	for (size_t i = 0; i < c->nevents; i++)
		if (c->events[i].nr == nr_write)
			assert_int_equal(c->events[i].ret, 8);
	gt_capture_free(c);
	free(ignore);
}

/* auto: calls whose return the trace does not need are recorded at entry
 * only (return unknown); the others with their returns. */
static void test_auto_tiers(void **state)
{
	char *argv[] = {prog("readloop"), A("/dev/zero"), A("3"), NULL};
	char *env[] = {A("PATH=/usr/bin:/bin"), NULL};
	struct gt_capture_opts o = {0};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	int nr_read = gt_syscall_nr("read"), nr_openat = gt_syscall_nr("openat");
	size_t reads = 0, opens = 0;

	o.backend = GT_BACKEND_AUTO;
	o.argv = argv;
	o.envp = env;
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_OK);
	assert_true(c->info.returns_known);
	for (size_t i = 0; i < c->nevents; i++) {
		const struct gt_raw_event *e = &c->events[i];

		if (e->nr == nr_read) {
			assert_true(e->flags & GT_EV_RET_UNKNOWN);
			reads += gt_capture_turns(c, i);
		} else if (e->nr == nr_openat) {
			assert_false(e->flags & GT_EV_RET_UNKNOWN);
			opens++;
		}
	}
	assert_true(reads >= 3);
	assert_true(opens >= 1);
	assert_int_equal(c->info.exit_code, 0);
	gt_capture_free(c);
}

/* The tracer pins itself and a single-threaded tracee to one CPU; the
 * tracee must not see it: nproc (sched_getaffinity) prints gtdiff's own
 * count. */
static void test_pin_is_invisible(void **state)
{
	char *argv[] = {A("nproc"), NULL};
	char *env[] = {A("PATH=/usr/bin:/bin"), NULL};
	struct gt_capture_opts o = {0};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	char path[] = "/tmp/gtdiff-test-nproc.XXXXXX", buf[32] = "";
	cpu_set_t mine;
	int fd = mkstemp(path);
	ssize_t n;

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(sched_getaffinity(0, sizeof(mine), &mine), 0);
	o.argv = argv;
	o.envp = env;
	o.out_fd = fd;
	assert_int_equal(gt_capture_run(&o, &c, &err), GT_OK);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	assert_int_equal(atoi(buf), CPU_COUNT(&mine));
	/* And gtdiff has its own mask back. */
	{
		cpu_set_t after;

		assert_int_equal(sched_getaffinity(0, sizeof(after), &after), 0);
		assert_true(CPU_EQUAL(&after, &mine));
	}
	close(fd);
	gt_capture_free(c);
}

static bool ptrace_allowed(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		pause();
		_exit(0);
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		return false;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, __WALL);
	return true;
}

/* What a call asks of the seccomp mode (capture-util.h). */
static void test_seccomp_request(void **state)
{
	int sc = gt_syscall_nr("seccomp"), pr = gt_syscall_nr("prctl");
	uint64_t a[GT_MAX_ARGS] = {0};

	(void)state;
	a[0] = SECCOMP_SET_MODE_STRICT;
	assert_int_equal(gt_seccomp_request(sc, a), GT_SECCOMP_REQ_STRICT);
	a[1] = 1; /* flags: the kernel's EINVAL */
	assert_int_equal(gt_seccomp_request(sc, a), GT_SECCOMP_REQ_NONE);
	a[1] = 0;
	a[2] = 0x1000; /* args: EINVAL too */
	assert_int_equal(gt_seccomp_request(sc, a), GT_SECCOMP_REQ_NONE);
	a[0] = SECCOMP_SET_MODE_FILTER;
	assert_int_equal(gt_seccomp_request(sc, a), GT_SECCOMP_REQ_FILTER);
	a[0] = PR_SET_SECCOMP;
	a[1] = SECCOMP_MODE_STRICT;
	a[2] = 0x1000; /* prctl ignores it for strict mode */
	assert_int_equal(gt_seccomp_request(pr, a), GT_SECCOMP_REQ_STRICT);
	a[1] = SECCOMP_MODE_FILTER;
	assert_int_equal(gt_seccomp_request(pr, a), GT_SECCOMP_REQ_FILTER);
	a[0] = PR_GET_SECCOMP;
	assert_int_equal(gt_seccomp_request(pr, a), GT_SECCOMP_REQ_NONE);
	a[0] = PR_SET_SECCOMP;
	a[1] = SECCOMP_MODE_STRICT;
	assert_int_equal(gt_seccomp_request(gt_syscall_nr("getpid"), a), GT_SECCOMP_REQ_NONE);
	assert_int_equal(gt_seccomp_request(-1, a), GT_SECCOMP_REQ_NONE);
}

/* A record by hand: which failed ptrace calls are gtdiff's doing. */
static void test_own_ptrace_refused_rules(void **state)
{
	struct gt_capture *c = gt_capture_new(GT_BACKEND_PTRACE);
	int nr = gt_syscall_nr("ptrace");
	struct gt_raw_event *ev;

	(void)state;
	gt_capture_add_task(c, 100, 100, -1, 0);
	gt_capture_add_task(c, 101, 101, 0, 0);
	assert_null(gt_capture_own_ptrace_refused(c));
	/* Attaching to a process not of the command: yama's EPERM, say. */
	ev = gt_capture_add_event(c);
	ev->nr = nr;
	ev->args[0] = PTRACE_ATTACH;
	ev->args[1] = 4242;
	ev->ret = -EPERM;
	/* Another error, another request. */
	ev = gt_capture_add_event(c);
	ev->nr = nr;
	ev->args[0] = PTRACE_SEIZE;
	ev->args[1] = 101;
	ev->ret = -ESRCH;
	ev = gt_capture_add_event(c);
	ev->nr = nr;
	ev->args[0] = PTRACE_GETREGSET;
	ev->args[1] = 101;
	ev->ret = -EPERM;
	/* A return not seen. */
	ev = gt_capture_add_event(c);
	ev->nr = nr;
	ev->args[0] = PTRACE_TRACEME;
	ev->ret = -EPERM;
	ev->flags = GT_EV_RET_UNKNOWN;
	assert_null(gt_capture_own_ptrace_refused(c));
	/* Seizing a task of the command: ours. */
	ev = gt_capture_add_event(c);
	ev->nr = nr;
	ev->args[0] = PTRACE_SEIZE;
	ev->args[1] = 101;
	ev->ret = -EPERM;
	assert_ptr_equal(gt_capture_own_ptrace_refused(c), &c->events[4]);
	/* Under seccomp gtdiff holds no ptrace. */
	c->backend = GT_BACKEND_SECCOMP;
	assert_null(gt_capture_own_ptrace_refused(c));
	gt_capture_free(c);
}

/* A real one: traceme's PTRACE_TRACEME fails under ptrace, with its return. */
static void test_own_ptrace_refused(void **state)
{
	char *argv[] = {prog(A("traceme")), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};
	const struct gt_raw_event *ev;

	(void)state;
	assert_int_equal(run(argv, 20, &c, &err), GT_OK);
	assert_int_equal(c->info.exit_code, 1);
	ev = gt_capture_own_ptrace_refused(c);
	assert_non_null(ev);
	assert_int_equal(ev->args[0], PTRACE_TRACEME);
	gt_capture_free(c);
}

/* strictsec under plain ptrace (no filter of ours): killed at its getpid
 * by SIGKILL, as untraced. */
static void test_strict_as_untraced(void **state)
{
	char *argv[] = {prog(A("strictsec")), NULL};
	struct gt_capture *c = NULL;
	struct gt_error err = {0};

	(void)state;
	assert_int_equal(run(argv, 20, &c, &err), GT_OK);
	assert_int_equal(c->info.term_signal, SIGKILL);
	assert_int_equal(count_calls(c, "getpid", 0), 1);
	gt_capture_free(c);
}

/* A vfork child whose whole life (first stop to reaped exit) came before its
 * parent's vfork event: the event completes the adopted, gone task, rather
 * than making a second task of the same tid (the run was then numbered as
 * a child with no calls beside an orphan with them). */
static void test_early_child_gone(void **state)
{
	struct gt_capture *cap = xcalloc(1, sizeof(*cap));
	struct gt_session_hooks hooks = {.task_size = sizeof(struct gt_live)};
	struct gt_session s = {.cap = cap, .hooks = &hooks};
	uint32_t parent, early, old, done;

	(void)state;
	parent = gt_session_new_task(&s, 100, 100, -1, 0);
	/* tid 200 once had a task of its own, completed by its creator. */
	old = gt_session_new_task(&s, 200, 200, (int32_t)parent, 0);
	gt_session_task_dead(&s, old);
	assert_int_equal(gt_session_early_child(&s, 200), -1);
	/* Now 200 again, seen first, then gone, before its creator's event. */
	early = gt_session_adopt(&s, 200);
	assert_int_equal(gt_session_early_child(&s, 200), (int64_t)early);
	gt_session_task_dead(&s, early);
	assert_int_equal(gt_tidmap_get(&s.map, 200), -1);
	assert_int_equal(gt_session_early_child(&s, 200), (int64_t)early);
	/* Completed, it is no longer an early child. */
	cap->tasks[early].parent = (int32_t)parent;
	assert_int_equal(gt_session_early_child(&s, 200), -1);
	/* A task in the map is its own answer, whoever created it. */
	done = gt_session_new_task(&s, 300, 300, (int32_t)parent, 0);
	assert_int_equal(gt_session_early_child(&s, 300), (int64_t)done);
	assert_int_equal(gt_session_early_child(&s, 400), -1);
	gt_tidmap_free(&s.map);
	free(s.live);
	gt_capture_free(cap);
}

int main(void)
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
		cmocka_unit_test(test_pin_is_invisible),
		cmocka_unit_test(test_prefilter),
		cmocka_unit_test(test_auto_tiers),
		cmocka_unit_test(test_seccomp_request),
		cmocka_unit_test(test_own_ptrace_refused_rules),
		cmocka_unit_test(test_own_ptrace_refused),
		cmocka_unit_test(test_strict_as_untraced),
		cmocka_unit_test(test_early_child_gone),
	};
	const char *p = getenv("PROGS");

	if (!ptrace_allowed()) {
		fprintf(stderr, "SKIP: ptrace is not permitted here\n");
		return 77;
	}
	snprintf(progs, sizeof(progs), "%s", p ? p : "tests/progs");
	gt_syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

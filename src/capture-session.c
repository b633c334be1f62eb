/*
 * capture-session: one capture run, its tasks and the sequence every
 * backend follows (see capture-session.h).
 */
#include "config.h"

#include "capture-session.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracee.h"

uint32_t gt_session_new_task(struct gt_session *s, pid_t tid, pid_t tgid, int32_t parent,
			     uint32_t flags)
{
	uint32_t idx = gt_capture_add_task(s->cap, tid, tgid, parent, flags);
	size_t size = s->hooks->task_size;
	struct gt_live *l;

	xgrow(&s->live, &s->live_cap, idx + 1, size);
	l = gt_session_task(s, idx);
	memset(l, 0, size);
	l->alive = true;
	l->pair_ev = -1;
	s->nalive++;
	gt_tidmap_put(&s->map, tid, idx);
	if (s->hooks->task_init)
		s->hooks->task_init(s, idx);
	return idx;
}

uint32_t gt_session_adopt(struct gt_session *s, pid_t tid)
{
	return gt_session_new_task(s, tid, tid, -2, 0);
}

int64_t gt_session_early_child(const struct gt_session *s, pid_t tid)
{
	int64_t i = gt_tidmap_get(&s->map, tid);

	if (i >= 0)
		return i;
	for (size_t j = s->cap->ntasks; j-- > 0;)
		if (s->cap->tasks[j].tid == tid && s->cap->tasks[j].parent == -2)
			return (int64_t)j;
	return -1;
}

void gt_session_task_dead(struct gt_session *s, uint32_t idx)
{
	struct gt_live *l = gt_session_task(s, idx);

	if (!l->alive)
		return;
	l->alive = false;
	s->nalive--;
	gt_tidmap_del(&s->map, s->cap->tasks[idx].tid);
}

void gt_session_task_revive(struct gt_session *s, uint32_t idx, pid_t tid)
{
	struct gt_live *l = gt_session_task(s, idx);

	if (!l->alive)
		s->nalive++;
	l->alive = true;
	gt_tidmap_put(&s->map, tid, idx);
}

void gt_session_task_status(struct gt_session *s, uint32_t idx, int status)
{
	struct gt_task *t = &s->cap->tasks[idx];

	if (WIFEXITED(status))
		t->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		t->exit_signal = WTERMSIG(status);
}

void gt_session_root_status(struct gt_session *s, int status)
{
	struct gt_run_info *info = &s->cap->info;

	info->wall_s = (double)(gt_now_ns() - s->t_start) / 1e9;
	if (WIFEXITED(status))
		info->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		info->term_signal = WTERMSIG(status);
}

void gt_session_kill_all(struct gt_session *s)
{
	if (s->root > 0)
		kill(-s->root, SIGKILL);
	for (size_t i = 0; i < s->cap->ntasks; i++) {
		const struct gt_live *l = gt_session_task(s, (uint32_t)i);
		pid_t tid = s->cap->tasks[i].tid;

		if (!l->alive)
			continue;
		/* A task that is not held may be gone and its tid reused. */
		if (!s->hooks->held && (!l->start || gt_proc_start(tid) != l->start))
			continue;
		kill(tid, SIGKILL);
	}
	gt_kill_descendants();
}

void gt_session_pin_end(struct gt_session *s)
{
	if (!gt_pin_end(&s->pin))
		return;
	for (size_t i = 0; i < s->cap->ntasks; i++)
		if (gt_session_task(s, (uint32_t)i)->alive)
			gt_pin_release(&s->pin, s->cap->tasks[i].tid);
}

void gt_session_fail(struct gt_session *s, enum gt_rc rc)
{
	if (s->fail == GT_OK)
		s->fail = rc;
}

uint64_t gt_session_now(const struct gt_session *s)
{
	return gt_now_ns() - s->t0;
}

void gt_session_record(struct gt_session *s, const struct gt_raw_event *ev)
{
	if (gt_capture_ignored(s->ignore, ev->nr))
		return;
	*gt_capture_add_event(s->cap) = *ev;
	gt_capture_commit(s->cap);
}

/* Attach failed: kill and reap the root, and say why as well as can be
 * said.  *ERRFD is consumed when the child's own report was read. */
static enum gt_rc attach_failed(struct gt_session *s, enum gt_rc rc, int *errfd)
{
	const struct gt_capture_opts *opts = s->opts;
	int status;

	kill(s->root, SIGKILL);
	/* Reap it for good: a seized child reports stops (its exit stop)
	 * first, and holds the error pipe open until it is gone. */
	for (;;) {
		pid_t w = waitpid(s->root, &status, __WALL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 || WIFEXITED(status) || WIFSIGNALED(status))
			break;
		ptrace(PTRACE_CONT, s->root, 0, 0);
	}
	/* A timeout or a signal explains best (the handler's SIGKILL is what
	 * made a child that was still starting go); then a child that failed
	 * its own setup. */
	if (gt_capture_stop_reason) {
		rc = gt_capture_end_status(opts, s->cap, *errfd, s->err);
		*errfd = -1;
		return rc;
	}
	if (!s->hooks->child_explains && !s->root_gone)
		return GT_ERR_CAPTURE;
	if (gt_tracee_child_error(*errfd, opts->argv[0], s->err))
		rc = GT_ERR_CAPTURE;
	else if (s->root_gone)
		rc = gt_error_set(s->err, GT_ERR_CAPTURE, "%s: the command died before it started",
				  opts->argv[0]);
	*errfd = -1;
	return rc;
}

/* Reap whatever is left, orphans included (we are their subreaper), so
 * that not even a zombie of the tree outlives the run; what still lives
 * (a timeout, a failure) is killed. */
static void reap_all(struct gt_session *s)
{
	int status;

	for (;;) {
		pid_t w = waitpid(-1, &status, __WALL | WNOHANG);

		if (w > 0 || (w < 0 && errno == EINTR))
			continue;
		if (w < 0)
			break;
		gt_session_kill_all(s);
		usleep(1000);
	}
}

/* The loop: until the backend has nothing left to wait for.  A timeout, a
 * signal to gtdiff or a failure kills the tree; the backend's step then
 * sees its tasks go. */
static void loop(struct gt_session *s)
{
	for (;;) {
		pthread_mutex_lock(&s->lock);
		if (gt_capture_stop_reason || s->fail != GT_OK)
			gt_session_kill_all(s);
		pthread_mutex_unlock(&s->lock);
		if (!s->hooks->step(s))
			break;
	}
}

/* A task whose creation was never seen (its creator died first) is
 * counted as a child of the root. */
static void adopt_orphans(struct gt_capture *c)
{
	for (size_t i = 0; i < c->ntasks; i++) {
		if (c->tasks[i].parent == -2) {
			uint32_t seq = 0;

			for (size_t j = 0; j < c->ntasks; j++)
				if (c->tasks[j].parent == 0)
					seq++;
			c->tasks[i].parent = 0;
			c->tasks[i].seq = seq;
		}
	}
}

enum gt_rc gt_session_run(const struct gt_capture_opts *opts, struct gt_capture *c,
			  const struct gt_session_hooks *hooks, void *backend,
			  struct gt_error *err)
{
	struct gt_session s = {0};
	struct sigaction old[GT_CAPTURE_NSIGS];
	struct gt_tracee_start start = {0};
	double user0 = 0, sys0 = 0, user1, sys1;
	bool signals = false;
	int errfd = -1;
	enum gt_rc rc;
	char *exe;
	pid_t pid;

	gt_syscalls_init();
	s.opts = opts;
	s.hooks = hooks;
	s.backend = backend;
	s.cap = c;
	s.err = err;
	s.ignore = opts->ignore;
	s.counter = s.guardfd = s.pidfd = s.listener = s.stopfd = -1;
	s.nr_getaffinity = gt_syscall_nr("sched_getaffinity");
	s.nr_execve = gt_syscall_nr("execve");
	s.arch = seccomp_arch_native();
	pthread_mutex_init(&s.lock, NULL);
	exe = gt_capture_resolve(opts, err);
	if (!exe) {
		rc = err ? err->rc : GT_ERR_CAPTURE;
		goto out_early;
	}
	rc = hooks->prepare ? hooks->prepare(&s, &start) : GT_OK;
	if (rc != GT_OK)
		goto out_early;
	gt_capture_start_of(opts, exe, start.before_exec, start.ctx, &start);

	/* Orphaned descendants come back to us, not to init, so that we can
	 * reap them before returning. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	gt_children_cpu(&user0, &sys0);
	s.t_start = gt_now_ns();
	pid = gt_tracee_spawn(&start, &errfd, err);
	if (hooks->spawned)
		hooks->spawned(&s, pid);
	if (pid < 0) {
		rc = GT_ERR_CAPTURE;
		goto out_early;
	}
	s.root = pid;
	gt_capture_kill_pgid = pid;
	s.guardfd = gt_guard_start(pid);
	gt_session_new_task(&s, pid, pid, -1, 0);
	gt_capture_signals_install(old, opts->timeout_s);
	signals = true;
	rc = hooks->attach(&s);
	if (rc != GT_OK) {
		rc = attach_failed(&s, rc, &errfd);
		goto out;
	}

	loop(&s);
	if (hooks->loop_done)
		hooks->loop_done(&s);
	reap_all(&s);
	adopt_orphans(c);
	if (hooks->reaped)
		hooks->reaped(&s);
	if (s.fail != GT_OK) {
		rc = s.fail;
	} else {
		rc = gt_capture_end_status(opts, c, errfd, err);
		errfd = -1;
	}
out:
	/* CPU of the root and every descendant reaped (by their parents or by
	 * us as subreaper) during the run. */
	gt_children_cpu(&user1, &sys1);
	c->info.user_s = user1 - user0;
	c->info.sys_s = sys1 - sys0;
out_early:
	gt_pin_end(&s.pin); /* a command that never made a task left it on */
	if (signals)
		gt_capture_signals_restore(old);
	if (hooks->finish)
		hooks->finish(&s);
	c->info.syscalls = c->nevents + c->nfolded;
	gt_capture_let_through(&c->info, s.counter, c->info.intercepted, s.lets_through);
	c->info.notified = s.notified;
	gt_guard_stop(s.guardfd);
	gt_close_fd(&errfd);
	gt_close_fd(&s.listener);
	gt_close_fd(&s.pidfd);
	pthread_mutex_destroy(&s.lock);
	free(s.live);
	gt_tidmap_free(&s.map);
	free(exe);
	return rc;
}

/*
 * capture-ptrace: the ptrace backend.  Seizes the command before it execs,
 * follows every fork, vfork, clone and clone3 (auto-attach), stops at each
 * syscall entry and exit, reads the call with PTRACE_GET_SYSCALL_INFO and
 * appends one compact raw event per completed call.  Signals are always
 * delivered to the tracee; group-stops are honoured with PTRACE_LISTEN.
 *
 * The stop loop does no formatting: it copies numbers and fetches the few
 * strings the syscall table asks for (capture.h); the canonicalizer does the
 * rest after the run.
 *
 * With --ignore, a seccomp-BPF prefilter lets the ignored calls through in
 * the kernel.  --backend auto (the hybrid) uses the same filter with three
 * tiers: ALLOW for ignored calls; a user notification for calls whose
 * return the trace does not need (one round trip at entry, no ptrace stop);
 * a ptrace stop at entry and exit for the rest.  Notifications are served
 * by a second thread (the notifier, capture-notify.c), so that each
 * mechanism waits at its own cost: the tracer blocks in wait4, the
 * notifier on the listener.  The session's lock covers the record; a call
 * is on record before its task is let go, so each task's calls are
 * recorded in the order it made them.
 *
 * The run itself (spawn, loop, reap) is capture-session.c's; these are its
 * hooks.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "capture-backend.h"
#include "capture-notify.h"
#include "capture-session.h"
#include "capture-util.h"
#include "unwind.h"

/* The prefilter's RET_DATA: stop at the exit too, or at entry only (the
 * hybrid's middle tier where user notification is not available). */
#define PREFILTER_WITH_EXIT 0
#define PREFILTER_ENTRY_ONLY 1

#define PTRACE_OPTS                                                                        \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |                  \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL |                      \
	 PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXIT)

/* A task's state during the run (the session's, then ours). */
struct ptask {
	struct gt_live base;
	bool in_call;      /* saw the entry of the pending call */
	bool skip_exit;    /* the next exit stop was already recorded (exec) */
	struct gt_raw_event pend;
};

struct sync_ctx {
	int rd, wr;             /* the tracer's "go" */
	int ready_rd, ready_wr; /* the child's "about to wait for it" */
	struct sock_fprog prog; /* the prefilter to install (len 0: none) */
	bool nnp;               /* set no_new_privs first (not root) */
	bool listener;          /* it has notify rules */
};

static int wait_for_tracer(void *p)
{
	const struct sync_ctx *s = p;
	char c;
	ssize_t n;

	/* Everything before is the child's own setup (a signal reset alone is
	 * 64 calls): seized only now, it runs at full speed. */
	close(s->wr);
	if (write(s->ready_wr, "r", 1) != 1)
		return ECANCELED;
	do
		n = read(s->rd, &c, 1);
	while (n < 0 && errno == EINTR);
	close(s->rd);
	if (n != 1)
		return ECANCELED;
	/* Installed last: from here on every call but the ignored ones stops
	 * or notifies.  The tracer takes the listener at this call's exit. */
	if (s->prog.len) {
		long rc;

		if (s->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return errno;
		rc = gt_seccomp_install(&s->prog, s->listener);
		if (rc < 0)
			return (int)-rc;
	}
	return 0;
}

struct tracer {
	struct sync_ctx sync;
	/* A seccomp-BPF prefilter lets ignored calls through in the kernel;
	 * the others stop at a seccomp stop (entry) and, resumed with
	 * PTRACE_SYSCALL, at their exit.  Between calls tasks run with
	 * PTRACE_CONT.  With auto, calls whose return the trace does not need
	 * stop at entry only (the filter's RET_DATA says which), or, where the
	 * kernel offers it, are user notifications. */
	bool filter;
	/* The notification tier.  The root installs the filter right before
	 * its exec; we take the listener (s->listener) at the exit of that
	 * seccomp() call, until then the root stops at every call. */
	bool notify;
	int pre_nr;        /* the root's call in progress before its exec */
	int nr_seccomp;
	bool autom;        /* --backend auto */
	/* opts->stacks: each call's stack is taken at its entry stop. */
	struct gt_unwinder *unwinder;
};

static struct ptask *pt(const struct gt_session *s, uint32_t idx)
{
	return (struct ptask *)gt_session_task(s, idx);
}

/* ---- CPU pinning ---- */

/* While pinned, sched_getaffinity would tell the program it has one CPU
 * (and a program sizes its thread pool by that): write gtdiff's own mask
 * into its result instead, or the CPU count the golden was recorded with
 * (gt_pin_show). */
static void pin_hide(const struct gt_session *s, pid_t pid, const struct gt_raw_event *ev)
{
	struct iovec local, remote;
	const cpu_set_t *mask;
	int len;
	size_t n;

	if (ev->nr != s->nr_getaffinity || ev->ret <= 0 || !ev->args[2] ||
	    (ev->args[0] != 0 && (pid_t)ev->args[0] != pid))
		return;
	mask = gt_pin_answer(&s->pin, &len);
	if (!mask)
		return;
	n = (size_t)ev->ret < sizeof(*mask) ? (size_t)ev->ret : sizeof(*mask);
	local.iov_base = (void *)(uintptr_t)mask;
	local.iov_len = n;
	remote.iov_base = (void *)(uintptr_t)ev->args[2];
	remote.iov_len = n;
	process_vm_writev(pid, &local, 1, &remote, 1, 0);
}

/* ---- stops ---- */

/* The stack of the call EV that task IDX (PID) is entering, for the
 * record; a call that maps or unmaps may change the modules the next
 * stack is read against. */
static void take_stack(struct gt_session *s, pid_t pid, uint32_t idx, struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d)
{
	struct tracer *t = s->backend;

	ev->stack = gt_unwind_stack(t->unwinder, s->cap->tasks[idx].tgid, pid);
	if (strcmp(d->name, "mmap") == 0 || strcmp(d->name, "munmap") == 0 ||
	    strcmp(d->name, "mremap") == 0 || strcmp(d->name, "mmap2") == 0)
		gt_unwind_maps_changed(t->unwinder);
}

/* Before its exec the root installs our filter; the exit of that seccomp()
 * gives the listener's number in the root, and we copy it into ours. */
static void watch_for_listener(struct gt_session *s, pid_t pid, 
			       const struct __ptrace_syscall_info *si)
{
	struct tracer *t = s->backend;
	int fd;

	if (pid != s->root)
		return;
	if (si->op == PTRACE_SYSCALL_INFO_ENTRY) {
		t->pre_nr = (int)si->entry.nr;
		return;
	}
	if (si->op != PTRACE_SYSCALL_INFO_EXIT || t->pre_nr != t->nr_seccomp ||
	    si->exit.is_error || si->exit.rval <= 0)
		return;
	fd = (int)syscall(SYS_pidfd_getfd, s->pidfd, (int)si->exit.rval, 0);
	if (fd < 0) {
		gt_session_fail(s, gt_error_set(s->err, GT_ERR_CAPTURE,
						"cannot take the seccomp listener from the command: "
						"pidfd_getfd: %s (Linux 5.6 or later is needed; set "
						"GTDIFF_NOTIFY=0 to use ptrace stops instead)",
						strerror(errno)));
		return;
	}
	s->listener = fd;
	gt_notify_sync_wakeup(fd);
	gt_notifier_start(s, "--backend auto");
}

/* A seccomp mode of the program's own, where we have a filter in it.  A
 * filter: its ERRNO, TRAP or KILL actions win over our filter's TRACE and
 * USER_NOTIF, so the calls it blocks would be missing from the record.
 * Strict mode: the kernel refuses it on top of our filter
 * (gt_refuse_strict).  Without a filter of ours ptrace sees both as they
 * are. */
static void check_own_filter(struct gt_session *s, const struct gt_raw_event *ev)
{
	const struct tracer *t = s->backend;

	if (s->fail != GT_OK)
		return;
	switch (gt_seccomp_request(ev->nr, ev->args)) {
	case GT_SECCOMP_REQ_FILTER:
		s->fail = gt_error_set(s->err, GT_ERR_CAPTURE,
				       "the program installs its own seccomp filter: calls it "
				       "blocks would be hidden from gtdiff's filter (%s); use "
				       "--backend ptrace without --ignore",
				       t->notify ? "--backend auto" : "--ignore");
		break;
	case GT_SECCOMP_REQ_STRICT:
		if (gt_self_seccomp_mode() != SECCOMP_MODE_FILTER)
			s->fail = gt_refuse_strict(s->err, t->autom ? "--backend auto" : "--ignore");
		break;
	default:
		break;
	}
}

static void on_syscall_stop(struct gt_session *s, pid_t pid, uint32_t idx)
{
	struct __ptrace_syscall_info si;
	struct tracer *t = s->backend;
	struct ptask *l = pt(s, idx);
	long n;

	n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si), &si);
	if (n <= 0)
		return;
	if (!s->started && t->notify && s->listener < 0)
		watch_for_listener(s, pid, &si);
	/* A seccomp stop is the entry of a call the prefilter sends us; its
	 * nr and args sit where an entry's do. */
	if (si.op == PTRACE_SYSCALL_INFO_ENTRY || si.op == PTRACE_SYSCALL_INFO_SECCOMP) {
		bool entry_only = si.op == PTRACE_SYSCALL_INFO_SECCOMP &&
				  si.seccomp.ret_data == PREFILTER_ENTRY_ONLY;

		const struct gt_syscall_desc *d = gt_syscall_by_nr((int)si.entry.nr);
		struct gt_raw_event *ev = &l->pend;

		bool first = !s->started;

		if (!s->started) {
			if (pid != s->root || strcmp(d->name, "execve") != 0)
				return;
			s->started = true;
			s->t0 = gt_now_ns();
		}
		memset(ev, 0, sizeof(*ev));
		ev->argi[0] = ev->argi[1] = 0xff;
		ev->task = idx;
		ev->nr = (int32_t)si.entry.nr;
		memcpy(ev->args, si.entry.args, sizeof(ev->args));
		ev->t_enter_ns = gt_session_now(s);
		/* The exec that starts the command is made by gtdiff's code. */
		if (t->unwinder && !first)
			take_stack(s, pid, idx, ev, d);
		if (gt_syscall_fetches_at_entry(d))
			gt_fetch_args(s->cap, pid, ev, d, false, !entry_only);
		if (t->filter)
			check_own_filter(s, ev);
		if (entry_only) {
			/* No exit stop for this one: on record now, return unseen. */
			ev->t_exit_ns = ev->t_enter_ns;
			ev->flags |= d->retk == GT_R_NONE ? GT_EV_NO_RETURN : GT_EV_RET_UNKNOWN;
			gt_session_record(s, ev);
			return;
		}
		l->in_call = true;
		return;
	}
	if (si.op != PTRACE_SYSCALL_INFO_EXIT)
		return;
	if (l->skip_exit) {
		l->skip_exit = false;
		l->in_call = false;
		return;
	}
	if (!l->in_call)
		return; /* an exit whose entry we did not see (before the start) */
	l->in_call = false;
	{
		const struct gt_syscall_desc *d = gt_syscall_by_nr(l->pend.nr);

		l->pend.ret = si.exit.rval;
		l->pend.t_exit_ns = gt_session_now(s);
		pin_hide(s, pid, &l->pend);
		if (gt_syscall_fetches_at_exit(d))
			gt_fetch_args(s->cap, pid, &l->pend, d, true, true);
		gt_session_record(s, &l->pend);
	}
}

/* Record a call that will not reach its exit stop (exit, exit_group, a
 * task killed inside a call). */
static void flush_pending(struct gt_session *s, uint32_t idx)
{
	struct ptask *l = pt(s, idx);

	if (!l->in_call)
		return;
	l->in_call = false;
	if (gt_capture_ignored(s->ignore, l->pend.nr))
		return;
	l->pend.flags |= GT_EV_NO_RETURN;
	l->pend.t_exit_ns = l->pend.t_enter_ns;
	gt_session_record(s, &l->pend);
}

static uint32_t clone_flags_of(const struct gt_session *s, uint32_t parent, int event)
{
	const struct ptask *l = pt(s, parent);
	const struct gt_syscall_desc *d;

	if (event == PTRACE_EVENT_VFORK)
		return CLONE_VM | CLONE_VFORK;
	if (!l->in_call)
		return 0;
	d = gt_syscall_by_nr(l->pend.nr);
	if (strcmp(d->name, "clone") == 0)
		return (uint32_t)l->pend.args[0];
	if (strcmp(d->name, "clone3") == 0) {
		const char *m = gt_capture_mem(s->cap, &l->pend, 0);
		uint64_t f = 0;

		if (m)
			memcpy(&f, m, sizeof(f));
		return (uint32_t)f;
	}
	return 0; /* fork */
}

static void on_new_task(struct gt_session *s, pid_t pid, uint32_t idx, int event)
{
	unsigned long msg = 0;
	pid_t child;
	uint32_t flags;
	int64_t cidx;

	if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) < 0)
		return;
	child = (pid_t)msg;
	flags = clone_flags_of(s, idx, event);
	cidx = gt_session_early_child(s, child);
	if (cidx >= 0) {
		/* The child's first stop came before this event, maybe its
		 * exit too: complete it. */
		struct gt_task *ct = &s->cap->tasks[cidx];
		uint32_t seq = 0;

		for (size_t i = 0; i < s->cap->ntasks; i++)
			if (s->cap->tasks[i].parent == (int32_t)idx)
				seq++;
		ct->parent = (int32_t)idx;
		ct->seq = seq;
		ct->clone_flags = flags;
		ct->tgid = (flags & CLONE_THREAD) ? s->cap->tasks[idx].tgid : child;
		return;
	}
	gt_session_new_task(s, child, (flags & CLONE_THREAD) ? s->cap->tasks[idx].tgid : child,
			    (int32_t)idx, flags);
}

static enum gt_rc on_exec(struct gt_session *s, pid_t pid, uint32_t idx)
{
	unsigned long former = 0;
	char exe[64];
	struct stat st;

	ptrace(PTRACE_GETEVENTMSG, pid, 0, &former);
	if ((pid_t)former != pid && former) {
		/* A non-leader thread exec'd: it now has the leader's tid.  Its
		 * execve (pending on the thread's task) ends here; later events
		 * belong to the leader. */
		int64_t tidx = gt_tidmap_get(&s->map, (pid_t)former);

		if (tidx >= 0) {
			struct ptask *tl = pt(s, tidx);

			if (tl->in_call) {
				struct gt_raw_event *ev;

				tl->in_call = false;
				tl->pend.ret = 0;
				tl->pend.t_exit_ns = gt_session_now(s);
				ev = gt_capture_add_event(s->cap);
				*ev = tl->pend;
			}
			gt_session_task_dead(s, (uint32_t)tidx);
			/* The old leader's own call ended with it. */
			flush_pending(s, idx);
			pt(s, idx)->in_call = true; /* swallow the exit stop */
			pt(s, idx)->skip_exit = true;
		}
	}
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	if (stat(exe, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)) && geteuid() != 0) {
		char target[4096];
		ssize_t n = readlink(exe, target, sizeof(target) - 1);

		target[n > 0 ? n : 0] = '\0';
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "%s is set-user-ID or set-group-ID: under a tracer it runs "
				    "without its privileges, so its trace would not show what it "
				    "really does (run gtdiff as root, or trace without it)",
				    target);
	}
	return GT_OK;
}

static void task_gone(struct gt_session *s, uint32_t idx, int status)
{
	const struct tracer *t = s->backend;
	const struct gt_task *task = &s->cap->tasks[idx];

	/* The leader is reaped last: the process is gone. */
	if (t->unwinder && task->tid == task->tgid)
		gt_unwind_process_gone(t->unwinder, task->tgid);
	flush_pending(s, idx);
	gt_session_task_status(s, idx, status);
	gt_session_task_dead(s, idx);
}

/* ---- the notification tier (--backend auto) ---- */

/* A notified call's task: known, or one whose first stop has not come
 * yet (its creation event completes it). */
static uint32_t notify_task_of(struct gt_session *s, pid_t tid, bool *checked)
{
	int64_t i = tid > 0 ? gt_tidmap_get(&s->map, tid) : 0;

	(void)checked;
	return i >= 0 ? (uint32_t)i : gt_session_adopt(s, tid);
}

static void notify_check(struct gt_session *s, uint32_t idx, pid_t tid,
			 const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	(void)idx;
	(void)tid;
	(void)d;
	check_own_filter(s, ev);
}

static const struct gt_notify_hooks notify_hooks = {
	.task_of = notify_task_of,
	.check = notify_check,
};

/* ---- the filter ---- */

/* Does the filter let calls through (any ignored)? */
static bool lets_through(const bool *ignore)
{
	for (int nr = 0; nr < gt_syscalls_max(); nr++)
		if (gt_capture_ignored(ignore, nr))
			return true;
	return false;
}

/* Does --backend auto get its middle tier from user notification?  Where
 * the kernel offers it, unless the tuning says no_notify (ptrace stops at
 * entry only, as on kernels without it). */
static bool want_notify(const struct gt_capture_opts *opts)
{
	return !opts->tuning.no_notify && gt_notify_available();
}

/* The prefilter's action for NR: ALLOW for an ignored call, a stop at entry
 * and exit when the trace needs its return (or when not AUTO), else MIDDLE
 * (a user notification, or a stop at entry only). */
static uint32_t tier_of(int nr, const bool *ignore, bool autom, uint32_t middle)
{
	const char *name = gt_syscall_name(nr);

	if (ignore && ignore[nr])
		return SCMP_ACT_ALLOW;
	if (!autom)
		return SCMP_ACT_TRACE(PREFILTER_WITH_EXIT);
	/* A call libseccomp cannot name has no description: nothing is read of
	 * its return either way. */
	if (!name)
		return middle;
	/* Its exit rewrites the result while tracer and tracee share a CPU. */
	if (gt_syscall_needs_return(gt_syscall_by_nr(nr)) || strcmp(name, "sched_getaffinity") == 0)
		return SCMP_ACT_TRACE(PREFILTER_WITH_EXIT);
	return middle;
}

/* The prefilter, as BPF in S->prog: a ptrace stop at entry and exit for
 * every call, ALLOW for the ignored ones; with AUTO, the calls whose
 * return the trace does not need are user notifications (or stops at entry
 * only, RET_TRACE(PREFILTER_ENTRY_ONLY), where the kernel has none).  No
 * filter when neither applies (that is cheaper still), nor when it cannot
 * be built: then every call stops.  The commonest action is the default, so
 * that libseccomp has the fewest rules to compile (auto: 120 rules rather
 * than 250, 0.35 ms rather than 1 ms of every run).  As root no_new_privs is
 * not needed (and not set: set-uid programs keep their meaning); otherwise
 * the kernel requires it. */
static void build_prefilter(struct sync_ctx *s, const struct gt_capture_opts *opts)
{
	const bool *ignore = opts->ignore;
	bool autom = opts->backend == GT_BACKEND_AUTO;
	bool notify = autom && want_notify(opts);
	uint32_t middle = notify ? SCMP_ACT_NOTIFY : SCMP_ACT_TRACE(PREFILTER_ENTRY_ONLY);
	uint32_t dflt = autom ? middle : SCMP_ACT_TRACE(PREFILTER_WITH_EXIT);
	int max = gt_syscalls_max();
	scmp_filter_ctx f;

	if (!autom && !lets_through(ignore))
		return;
	f = seccomp_init(dflt);
	if (!f)
		return;
	/* Another architecture's calls stop too, rather than kill. */
	seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(PREFILTER_WITH_EXIT));
	for (int nr = 0; nr < max; nr++) {
		uint32_t action = tier_of(nr, ignore, autom, middle);
		int rc;

		if (action == dflt)
			continue;
		rc = seccomp_rule_add(f, action, nr, 0);
		if (rc < 0 && rc != -EDOM && rc != -EFAULT)
			goto out;
	}
	if (gt_seccomp_export(f, &s->prog, NULL) == GT_OK) {
		s->nnp = geteuid() != 0;
		s->listener = notify;
	}
out:
	seccomp_release(f);
}

/* Seize the root once it has done its own setup and waits for us (READY
 * says so; end of file: it failed, and the seize fails with it), stop it,
 * and let it go on to its exec with every call stopping (SYNCWR). */
static enum gt_rc seize_root(struct gt_session *s, pid_t pid, int ready, int syncwr)
{
	int status;
	pid_t w;
	char c;

	while (read(ready, &c, 1) < 0 && errno == EINTR && !gt_capture_stop_reason)
		;
	/* Killed by a timeout or a signal before it could be seized: a
	 * seize would fail on the dying child ("already has a tracer"). */
	if (gt_capture_stop_reason)
		return GT_ERR_TIMEOUT;

	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)PTRACE_OPTS) < 0) {
		int e = errno;

		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "cannot trace the command: ptrace(PTRACE_SEIZE): %s%s",
				    strerror(e),
				    e == EPERM ? " (does it already have a tracer, e.g. is gtdiff "
						 "itself running under strace or a debugger? "
						 "Is ptrace forbidden here: "
						 "/proc/sys/kernel/yama/ptrace_scope, seccomp?)"
					       : "");
	}
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0)
		return gt_error_set(s->err, GT_ERR_CAPTURE, "ptrace(PTRACE_INTERRUPT): %s",
				    strerror(errno));
	do
		w = waitpid(pid, &status, __WALL);
	while (w < 0 && errno == EINTR);
	if (w != pid || !WIFSTOPPED(status))
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "the command did not stop for the tracer");
	if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0)
		return gt_error_set(s->err, GT_ERR_CAPTURE, "ptrace(PTRACE_SYSCALL): %s",
				    strerror(errno));
	/* Before the exec it counts from: the calls a filter lets through. */
	if (s->lets_through)
		s->counter = gt_syscall_counter_open(pid);
	if (write(syncwr, "g", 1) != 1)
		return gt_error_set(s->err, GT_ERR_CAPTURE, "cannot release the command: %s",
				    strerror(errno));
	return GT_OK;
}

static void handle_stop(struct gt_session *s, pid_t pid, int status)
{
	const struct tracer *t = s->backend;
	int64_t i = gt_tidmap_get(&s->map, pid);
	uint32_t idx = i >= 0 ? (uint32_t)i : gt_session_adopt(s, pid);
	int sig = WSTOPSIG(status), event = status >> 16, inject = 0;
	enum __ptrace_request restart = PTRACE_SYSCALL;

	if (sig == (SIGTRAP | 0x80) || event == PTRACE_EVENT_SECCOMP) {
		on_syscall_stop(s, pid, idx);
	} else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
		   event == PTRACE_EVENT_CLONE) {
		on_new_task(s, pid, idx, event);
		gt_session_pin_end(s);
	} else if (event == PTRACE_EVENT_EXIT) {
		/* About to exit, memory still there: its own peak, since its
		 * exec (ru_maxrss would count gtdiff's pages from before). */
		long kb = gt_proc_peak_rss_kb(pid);

		if (kb > s->cap->info.max_rss_kb)
			s->cap->info.max_rss_kb = kb;
	} else if (event == PTRACE_EVENT_EXEC) {
		enum gt_rc rc = on_exec(s, pid, idx);

		if (t->unwinder)
			gt_unwind_maps_changed(t->unwinder);

		if (rc != GT_OK)
			gt_session_fail(s, rc);
	} else if (event == PTRACE_EVENT_STOP) {
		/* Group-stop (job control): stay stopped until SIGCONT. */
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			restart = PTRACE_LISTEN;
	} else if (event == 0) {
		inject = sig; /* signal-delivery-stop: deliver it, never swallow */
	}
	/* With the prefilter, a task runs freely between calls; inside a call
	 * (a seccomp stop, a fork or exec event) it must stop at the exit. */
	if (t->filter && restart == PTRACE_SYSCALL && !pt(s, idx)->in_call &&
	    !(t->notify && s->listener < 0 && !s->started))
		restart = PTRACE_CONT;
	if (ptrace(restart, pid, 0, (void *)(long)inject) < 0 && errno == ESRCH) {
		/* Killed meanwhile: its exit will be reported by waitpid. */
	}
}

/* ---- the hooks on the session ---- */

static enum gt_rc ptrace_prepare(struct gt_session *s, struct gt_tracee_start *start)
{
	struct tracer *t = s->backend;
	int p[2], ready[2];

	t->nr_seccomp = gt_syscall_nr("seccomp");
	if (s->opts->stacks) {
		enum gt_rc rc;

		s->cap->stacks = gt_stacks_new();
		rc = gt_unwind_new(s->cap->stacks, s->opts->debuginfod, &t->unwinder, s->err);
		if (rc != GT_OK)
			return rc;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return gt_error_set(s->err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
	if (pipe2(ready, O_CLOEXEC) < 0) {
		close(p[0]);
		close(p[1]);
		return gt_error_set(s->err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
	}
	t->sync.rd = p[0];
	t->sync.wr = p[1];
	t->sync.ready_rd = ready[0];
	t->sync.ready_wr = ready[1];
	build_prefilter(&t->sync, s->opts);
	t->filter = t->sync.prog.len > 0;
	t->autom = s->opts->backend == GT_BACKEND_AUTO;
	t->notify = t->sync.listener;
	s->lets_through = lets_through(s->ignore);
	start->before_exec = wait_for_tracer;
	start->ctx = &t->sync;
	gt_pin_start(&s->pin, 0, s->opts->tuning.no_pin); /* the tracee inherits it */
	gt_pin_show(&s->pin, s->opts->show_cpus);
	return GT_OK;
}

static void ptrace_spawned(struct gt_session *s, pid_t pid)
{
	struct tracer *t = s->backend;

	(void)pid;
	gt_close_fd(&t->sync.rd);
	gt_close_fd(&t->sync.ready_wr);
}

static enum gt_rc ptrace_attach(struct gt_session *s)
{
	struct tracer *t = s->backend;
	enum gt_rc rc;

	if (t->notify)
		s->pidfd = (int)syscall(SYS_pidfd_open, s->root, 0);
	if (t->notify && s->pidfd < 0)
		rc = gt_error_set(s->err, GT_ERR_CAPTURE,
				  "--backend auto: pidfd_open: %s (Linux 5.3 or later is needed; "
				  "set GTDIFF_NOTIFY=0 to use ptrace stops instead)",
				  strerror(errno));
	else
		rc = seize_root(s, s->root, t->sync.ready_rd, t->sync.wr);
	gt_close_fd(&t->sync.wr);
	gt_close_fd(&t->sync.ready_rd);
	return rc;
}

/* One stop or exit, waited for without the lock (the notifier records
 * meanwhile) and handled with it. */
static bool ptrace_step(struct gt_session *s)
{
	int status;
	pid_t w;

	pthread_mutex_lock(&s->lock);
	if (s->nalive == 0) {
		pthread_mutex_unlock(&s->lock);
		return false;
	}
	pthread_mutex_unlock(&s->lock);
	/* No rusage: filling it sums the thread group's times on every stop.
	 * CPU times come from RUSAGE_CHILDREN, memory from the exit stops. */
	w = wait4(-1, &status, __WALL, NULL);
	if (w < 0)
		return errno == EINTR; /* ECHILD: nothing left */
	pthread_mutex_lock(&s->lock);
	if (gt_capture_stop_reason || s->fail != GT_OK)
		gt_session_kill_all(s);
	if (WIFSTOPPED(status)) {
		handle_stop(s, w, status);
	} else {
		int64_t idx = gt_tidmap_get(&s->map, w);

		if (idx >= 0)
			task_gone(s, (uint32_t)idx, status);
		if (w == s->root)
			gt_session_root_status(s, status);
	}
	pthread_mutex_unlock(&s->lock);
	return true;
}

static void ptrace_finish(struct gt_session *s)
{
	struct tracer *t = s->backend;
	struct gt_capture *c = s->cap;

	gt_notifier_stop(s);
	gt_close_fd(&t->sync.rd);
	gt_close_fd(&t->sync.wr);
	gt_close_fd(&t->sync.ready_rd);
	gt_close_fd(&t->sync.ready_wr);
	free(t->sync.prog.filter);
	t->sync.prog.filter = NULL;
	gt_unwind_free(t->unwinder);
	t->unwinder = NULL;
	c->info.intercepted = c->nevents + c->nfolded;
	c->info.returns_known = true;
}

static const struct gt_session_hooks ptrace_hooks = {
	.task_size = sizeof(struct ptask),
	.held = true,
	.child_explains = true,
	.prepare = ptrace_prepare,
	.spawned = ptrace_spawned,
	.attach = ptrace_attach,
	.step = ptrace_step,
	.loop_done = gt_notifier_stop,
	.finish = ptrace_finish,
	.notify = &notify_hooks,
};

enum gt_rc gt_capture_ptrace_run(const struct gt_capture_opts *opts, struct gt_capture *c,
				 struct gt_error *err)
{
	struct tracer t = {.sync = {.rd = -1, .wr = -1, .ready_rd = -1, .ready_wr = -1}};

	return gt_session_run(opts, c, &ptrace_hooks, &t, err);
}

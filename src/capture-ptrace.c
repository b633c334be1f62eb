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
 * by a second thread (the notifier), so that each mechanism waits at its
 * own cost: the tracer blocks in wait4, the notifier on the listener.  One
 * lock covers the record; a call is on record before its task is let go,
 * so each task's calls are recorded in the order it made them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "capture-backend.h"
#include "capture-notify.h"
#include "capture-util.h"
#include "tracee.h"

/* The prefilter's RET_DATA: stop at the exit too, or at entry only (the
 * hybrid's middle tier where user notification is not available). */
#define PREFILTER_WITH_EXIT 0
#define PREFILTER_ENTRY_ONLY 1

#define PTRACE_OPTS                                                                        \
	(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |                  \
	 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL |                      \
	 PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEEXIT)


/* Live state of a task during the run (parallel to cap->tasks). */
struct live {
	bool alive;
	bool in_call;      /* saw the entry of the pending call */
	bool skip_exit;    /* the next exit stop was already recorded (exec) */
	struct gt_raw_event pend;
};

struct tracer {
	struct gt_capture *cap;
	struct live *live;
	size_t live_cap;
	struct gt_tidmap map;    /* tid -> task index */
	pid_t root;
	bool started;      /* the root's first execve was seen */
	uint64_t t0;
	size_t nalive;
	const bool *ignore;
	struct gt_error *err;
	enum gt_rc fail;   /* set when the run must be aborted */
	/* One CPU for tracer and tracee while the tracee is single-threaded:
	 * a stop then costs a switch on one CPU, not a wake-up across two. */
	struct gt_pin pin;
	int nr_getaffinity;    /* sched_getaffinity's number, to hide the pin */
	/* A seccomp-BPF prefilter lets ignored calls through in the kernel;
	 * the others stop at a seccomp stop (entry) and, resumed with
	 * PTRACE_SYSCALL, at their exit.  Between calls tasks run with
	 * PTRACE_CONT.  With auto, calls whose return the trace does not need
	 * stop at entry only (the filter's RET_DATA says which), or, where the
	 * kernel offers it, are user notifications. */
	bool filter;
	/* The notification tier.  The root installs the filter right before
	 * its exec; we take the listener at the exit of that seccomp() call,
	 * until then the root stops at every call. */
	bool notify;
	int listener;      /* -1 until taken */
	int pidfd;         /* the root's, to take the listener */
	int pre_nr;        /* the root's call in progress before its exec */
	/* The notifier thread, started when the listener is taken; STOPFD (an
	 * eventfd) ends it.  LOCK covers everything above and the record: the
	 * tracer holds it while it handles a stop, the notifier while it
	 * records a call. */
	pthread_t notifier;
	bool notifier_on;
	int stopfd;
	pthread_mutex_t lock;
	int nr_seccomp, nr_prctl;
	bool autom;        /* --backend auto */
	uint64_t notified; /* notifications answered after the start */
};

/* ---- signals: timeout and ^C ---- */


/* ---- tid map ---- */


static uint32_t new_task(struct tracer *t, pid_t tid, pid_t tgid, int32_t parent,
			 uint32_t flags)
{
	uint32_t idx = gt_capture_add_task(t->cap, tid, tgid, parent, flags);

	xgrow((void **)&t->live, &t->live_cap, idx + 1, sizeof(*t->live));
	memset(&t->live[idx], 0, sizeof(t->live[idx]));
	t->live[idx].alive = true;
	t->nalive++;
	gt_tidmap_put(&t->map, tid, idx);
	return idx;
}

/* ---- CPU pinning ---- */

/* The tracee made a thread or a process: let everything run anywhere
 * again, as it would untraced. */
static void pin_end(struct tracer *t)
{
	if (!gt_pin_end(&t->pin))
		return;
	for (size_t i = 0; i < t->cap->ntasks; i++)
		if (t->live[i].alive)
			gt_pin_release(&t->pin, t->cap->tasks[i].tid);
}

/* While pinned, sched_getaffinity would tell the program it has one CPU
 * (and a program sizes its thread pool by that): write gtdiff's own mask
 * into its result instead, or the CPU count the golden was recorded with
 * (gt_pin_show). */
static void pin_hide(const struct tracer *t, pid_t pid, const struct gt_raw_event *ev)
{
	struct iovec local, remote;
	const cpu_set_t *mask;
	int len;
	size_t n;

	if (ev->nr != t->nr_getaffinity || ev->ret <= 0 || !ev->args[2] ||
	    (ev->args[0] != 0 && (pid_t)ev->args[0] != pid))
		return;
	mask = gt_pin_answer(&t->pin, &len);
	if (!mask)
		return;
	n = (size_t)ev->ret < sizeof(*mask) ? (size_t)ev->ret : sizeof(*mask);
	local.iov_base = (void *)(uintptr_t)mask;
	local.iov_len = n;
	remote.iov_base = (void *)(uintptr_t)ev->args[2];
	remote.iov_len = n;
	process_vm_writev(pid, &local, 1, &remote, 1, 0);
}

/* ---- tracee memory ---- */


/* Fetch what D's arguments need at this stop: AT_EXIT or the entry.
 * EXIT_FOLLOWS: an exit stop will come for this call (the directory
 * listing of getdents64 waits for it, and is made only when the call
 * returned entries). */
static void fetch_args(struct tracer *t, pid_t pid, struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d, bool at_exit, bool exit_follows)
{
	int slot = ev->argi[0] == 0xff ? 0 : 1;

	for (int i = 0; i < d->nargs && slot < 2; i++) {
		uint32_t off = 0;
		bool want = true;

		switch (d->argk[i]) {
		case GT_A_PATH:
		case GT_A_STR:
			if (at_exit)
				continue;
			off = gt_fetch_str(t->cap, pid, ev->args[i]);
			break;
		case GT_A_ARGV:
			if (at_exit)
				continue;
			off = gt_fetch_argv(t->cap, pid, ev->args[i]);
			break;
		case GT_A_SOCKADDR:
			if (at_exit)
				continue;
			off = gt_fetch_sized(t->cap, pid, ev->args[i],
					  i + 1 < GT_MAX_ARGS ? ev->args[i + 1] : 0);
			break;
		case GT_A_CLONE3:
			if (at_exit)
				continue;
			off = gt_fetch_fixed(t->cap, pid, ev->args[i], sizeof(uint64_t));
			break;
		case GT_A_DIRENTS:
			if (at_exit ? ev->ret <= 0 : exit_follows)
				continue;
			off = gt_fetch_dirnames(t->cap, pid, ev->args[0]);
			want = false;
			break;
		case GT_A_OUTPATH:
			if (!at_exit)
				continue;
			want = ev->ret > 0;
			off = want ? gt_fetch_sized_str(t->cap, pid, ev->args[i], (size_t)ev->ret) : 0;
			break;
		case GT_A_FDPAIR:
			if (!at_exit)
				continue;
			off = ev->ret == 0 ? gt_fetch_fixed(t->cap, pid, ev->args[i], 2 * sizeof(int))
					   : 0;
			want = ev->ret == 0;
			break;
		default:
			continue;
		}
		if (!off && ev->args[i] && want)
			ev->flags |= GT_EV_FETCH_FAILED;
		ev->argi[slot] = (uint8_t)i;
		ev->mem[slot] = off;
		slot++;
	}
}

/* ---- stops ---- */

static uint64_t now_rel(const struct tracer *t)
{
	return gt_now_ns() - t->t0;
}

static void notifier_start(struct tracer *t);

/* Before its exec the root installs our filter; the exit of that seccomp()
 * gives the listener's number in the root, and we copy it into ours. */
static void watch_for_listener(struct tracer *t, pid_t pid, const struct __ptrace_syscall_info *si)
{
	int fd;

	if (pid != t->root)
		return;
	if (si->op == PTRACE_SYSCALL_INFO_ENTRY) {
		t->pre_nr = (int)si->entry.nr;
		return;
	}
	if (si->op != PTRACE_SYSCALL_INFO_EXIT || t->pre_nr != t->nr_seccomp ||
	    si->exit.is_error || si->exit.rval <= 0)
		return;
	fd = (int)syscall(SYS_pidfd_getfd, t->pidfd, (int)si->exit.rval, 0);
	if (fd < 0) {
		if (t->fail == GT_OK)
			t->fail = gt_error_set(t->err, GT_ERR_CAPTURE,
					       "cannot take the seccomp listener from the command: "
					       "pidfd_getfd: %s (Linux 5.6 or later is needed; set "
					       "GTDIFF_NOTIFY=0 to use ptrace stops instead)",
					       strerror(errno));
		return;
	}
	t->listener = fd;
	gt_notify_sync_wakeup(fd);
	notifier_start(t);
}

/* A seccomp mode of the program's own, where we have a filter in it.  A
 * filter: its ERRNO, TRAP or KILL actions win over our filter's TRACE and
 * USER_NOTIF, so the calls it blocks would be missing from the record.
 * Strict mode: the kernel refuses it on top of our filter
 * (gt_refuse_strict).  Without a filter of ours ptrace sees both as they
 * are. */
static void check_own_filter(struct tracer *t, const struct gt_raw_event *ev)
{
	if (t->fail != GT_OK)
		return;
	switch (gt_seccomp_request(ev->nr, ev->args)) {
	case GT_SECCOMP_REQ_FILTER:
		t->fail = gt_error_set(t->err, GT_ERR_CAPTURE,
				       "the program installs its own seccomp filter: calls it "
				       "blocks would be hidden from gtdiff's filter (%s); use "
				       "--backend ptrace without --ignore",
				       t->notify ? "--backend auto" : "--ignore");
		break;
	case GT_SECCOMP_REQ_STRICT:
		if (gt_self_seccomp_mode() != SECCOMP_MODE_FILTER)
			t->fail = gt_refuse_strict(t->err, t->autom ? "--backend auto" : "--ignore");
		break;
	default:
		break;
	}
}

static void on_syscall_stop(struct tracer *t, pid_t pid, uint32_t idx)
{
	struct __ptrace_syscall_info si;
	struct live *l = &t->live[idx];
	long n;

	n = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(si), &si);
	if (n <= 0)
		return;
	if (!t->started && t->notify && t->listener < 0)
		watch_for_listener(t, pid, &si);
	/* A seccomp stop is the entry of a call the prefilter sends us; its
	 * nr and args sit where an entry's do. */
	if (si.op == PTRACE_SYSCALL_INFO_ENTRY || si.op == PTRACE_SYSCALL_INFO_SECCOMP) {
		bool entry_only = si.op == PTRACE_SYSCALL_INFO_SECCOMP &&
				  si.seccomp.ret_data == PREFILTER_ENTRY_ONLY;

		const struct gt_syscall_desc *d = gt_syscall_by_nr((int)si.entry.nr);
		struct gt_raw_event *ev = &l->pend;

		if (!t->started) {
			if (pid != t->root || strcmp(d->name, "execve") != 0)
				return;
			t->started = true;
			t->t0 = gt_now_ns();
		}
		memset(ev, 0, sizeof(*ev));
		ev->argi[0] = ev->argi[1] = 0xff;
		ev->task = idx;
		ev->nr = (int32_t)si.entry.nr;
		memcpy(ev->args, si.entry.args, sizeof(ev->args));
		ev->t_enter_ns = now_rel(t);
		if (gt_syscall_fetches_at_entry(d))
			fetch_args(t, pid, ev, d, false, !entry_only);
		if (t->filter)
			check_own_filter(t, ev);
		if (entry_only) {
			/* No exit stop for this one: on record now, return unseen. */
			struct gt_raw_event *rec;

			ev->t_exit_ns = ev->t_enter_ns;
			ev->flags |= d->retk == GT_R_NONE ? GT_EV_NO_RETURN : GT_EV_RET_UNKNOWN;
			if (gt_capture_ignored(t->ignore, ev->nr))
				return;
			rec = gt_capture_add_event(t->cap);
			*rec = *ev;
			gt_capture_commit(t->cap);
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
		struct gt_raw_event *ev;

		l->pend.ret = si.exit.rval;
		l->pend.t_exit_ns = now_rel(t);
		pin_hide(t, pid, &l->pend);
		if (gt_syscall_fetches_at_exit(d))
			fetch_args(t, pid, &l->pend, d, true, true);
		if (gt_capture_ignored(t->ignore, l->pend.nr))
			return;
		ev = gt_capture_add_event(t->cap);
		*ev = l->pend;
		gt_capture_commit(t->cap);
	}
}

/* Record a call that will not reach its exit stop (exit, exit_group, a
 * task killed inside a call). */
static void flush_pending(struct tracer *t, uint32_t idx)
{
	struct live *l = &t->live[idx];
	struct gt_raw_event *ev;

	if (!l->in_call)
		return;
	l->in_call = false;
	if (gt_capture_ignored(t->ignore, l->pend.nr))
		return;
	l->pend.flags |= GT_EV_NO_RETURN;
	l->pend.t_exit_ns = l->pend.t_enter_ns;
	ev = gt_capture_add_event(t->cap);
	*ev = l->pend;
	gt_capture_commit(t->cap);
}

static uint32_t clone_flags_of(const struct tracer *t, uint32_t parent, int event)
{
	const struct live *l = &t->live[parent];
	const struct gt_syscall_desc *d;

	if (event == PTRACE_EVENT_VFORK)
		return CLONE_VM | CLONE_VFORK;
	if (!l->in_call)
		return 0;
	d = gt_syscall_by_nr(l->pend.nr);
	if (strcmp(d->name, "clone") == 0)
		return (uint32_t)l->pend.args[0];
	if (strcmp(d->name, "clone3") == 0) {
		const char *m = gt_capture_mem(t->cap, &l->pend, 0);
		uint64_t f = 0;

		if (m)
			memcpy(&f, m, sizeof(f));
		return (uint32_t)f;
	}
	return 0; /* fork */
}

static void on_new_task(struct tracer *t, pid_t pid, uint32_t idx, int event)
{
	unsigned long msg = 0;
	pid_t child;
	uint32_t flags;
	int64_t cidx;

	if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) < 0)
		return;
	child = (pid_t)msg;
	flags = clone_flags_of(t, idx, event);
	cidx = gt_tidmap_get(&t->map, child);
	if (cidx >= 0) {
		/* The child's first stop came before this event: complete it. */
		struct gt_task *ct = &t->cap->tasks[cidx];
		uint32_t seq = 0;

		for (size_t i = 0; i < t->cap->ntasks; i++)
			if (t->cap->tasks[i].parent == (int32_t)idx)
				seq++;
		ct->parent = (int32_t)idx;
		ct->seq = seq;
		ct->clone_flags = flags;
		ct->tgid = (flags & CLONE_THREAD) ? t->cap->tasks[idx].tgid : child;
		return;
	}
	new_task(t, child, (flags & CLONE_THREAD) ? t->cap->tasks[idx].tgid : child, (int32_t)idx,
		 flags);
}

/* A task we do not know stopped: an auto-attached child whose creation event
 * has not been seen yet.  Its parent is filled in by on_new_task. */
static uint32_t adopt(struct tracer *t, pid_t pid)
{
	return new_task(t, pid, pid, -2, 0);
}

static enum gt_rc on_exec(struct tracer *t, pid_t pid, uint32_t idx)
{
	unsigned long former = 0;
	char exe[64];
	struct stat st;

	ptrace(PTRACE_GETEVENTMSG, pid, 0, &former);
	if ((pid_t)former != pid && former) {
		/* A non-leader thread exec'd: it now has the leader's tid.  Its
		 * execve (pending on the thread's task) ends here; later events
		 * belong to the leader. */
		int64_t tidx = gt_tidmap_get(&t->map, (pid_t)former);

		if (tidx >= 0) {
			struct live *tl = &t->live[tidx];

			if (tl->in_call) {
				struct gt_raw_event *ev;

				tl->in_call = false;
				tl->pend.ret = 0;
				tl->pend.t_exit_ns = now_rel(t);
				ev = gt_capture_add_event(t->cap);
				*ev = tl->pend;
			}
			if (tl->alive) {
				tl->alive = false;
				t->nalive--;
			}
			gt_tidmap_del(&t->map, (pid_t)former);
			/* The old leader's own call ended with it. */
			flush_pending(t, idx);
			t->live[idx].in_call = true; /* swallow the exit stop */
			t->live[idx].skip_exit = true;
		}
	}
	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	if (stat(exe, &st) == 0 && (st.st_mode & (S_ISUID | S_ISGID)) && geteuid() != 0) {
		char target[4096];
		ssize_t n = readlink(exe, target, sizeof(target) - 1);

		target[n > 0 ? n : 0] = '\0';
		return gt_error_set(t->err, GT_ERR_CAPTURE,
				    "%s is set-user-ID or set-group-ID: under a tracer it runs "
				    "without its privileges, so its trace would not show what it "
				    "really does (run gtdiff as root, or trace without it)",
				    target);
	}
	return GT_OK;
}

static void task_gone(struct tracer *t, uint32_t idx, int status)
{
	struct live *l = &t->live[idx];
	struct gt_task *task = &t->cap->tasks[idx];

	flush_pending(t, idx);
	if (WIFEXITED(status))
		task->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		task->exit_signal = WTERMSIG(status);
	if (l->alive) {
		l->alive = false;
		t->nalive--;
	}
	gt_tidmap_del(&t->map, task->tid);
}

static void kill_all(struct tracer *t)
{
	if (t->root > 0)
		kill(-t->root, SIGKILL);
	for (size_t i = 0; i < t->cap->ntasks; i++)
		if (t->live[i].alive)
			kill(t->cap->tasks[i].tid, SIGKILL);
	gt_kill_descendants();
}

/* ---- the notification tier (--backend auto) ---- */

/* A call whose return the trace does not need: record it at entry and let
 * it run in the kernel.  The task waits for our answer, so what we read of
 * its memory is checked against the notification id afterwards.  In the
 * notifier thread: the record is written under the lock, and before the
 * task is let go, so that its next call (perhaps a ptrace stop, recorded
 * by the tracer) comes after it. */
static void on_notification(struct tracer *t)
{
	const struct gt_syscall_desc *d;
	struct seccomp_notif req;
	struct gt_raw_event ev;
	size_t blob_mark, at = SIZE_MAX;
	int64_t i;
	uint32_t idx;
	int e;

	e = gt_notify_recv(t->listener, &req);
	pthread_mutex_lock(&t->lock);
	if (e) {
		/* EINTR; ENOENT: the caller was killed meanwhile */
		if (e != EINTR && e != ENOENT && t->fail == GT_OK)
			t->fail = gt_error_set(t->err, GT_ERR_CAPTURE,
					       "cannot receive the command's calls: "
					       "SECCOMP_IOCTL_NOTIF_RECV: %s",
					       strerror(e));
		pthread_mutex_unlock(&t->lock);
		return;
	}
	if (!t->started) {
		/* The child's own calls before its execve are not the command. */
		pthread_mutex_unlock(&t->lock);
		gt_notify_continue(t->listener, req.id);
		return;
	}
	t->notified++;
	i = req.pid > 0 ? gt_tidmap_get(&t->map, (pid_t)req.pid) : 0;
	idx = i >= 0 ? (uint32_t)i : adopt(t, (pid_t)req.pid);
	d = gt_syscall_by_nr(req.data.nr);
	memset(&ev, 0, sizeof(ev));
	ev.argi[0] = ev.argi[1] = 0xff;
	ev.task = idx;
	ev.nr = req.data.nr;
	memcpy(ev.args, req.data.args, sizeof(ev.args));
	ev.t_enter_ns = ev.t_exit_ns = now_rel(t);
	ev.flags = d->retk == GT_R_NONE ? GT_EV_NO_RETURN : GT_EV_RET_UNKNOWN;
	blob_mark = t->cap->bloblen;
	if (gt_syscall_fetches_at_entry(d)) {
		fetch_args(t, (pid_t)req.pid, &ev, d, false, false);
		if (!gt_notify_id_valid(t->listener, req.id)) {
			/* Not that call any more (its task was killed and the
			 * tid reused?): what was read may be another's. */
			t->cap->bloblen = blob_mark;
			ev.mem[0] = ev.mem[1] = 0;
			ev.argi[0] = ev.argi[1] = 0xff;
			ev.flags |= GT_EV_FETCH_FAILED;
		}
	}
	check_own_filter(t, &ev);
	if (t->fail != GT_OK) {
		/* Refused (or failed): not one more call of the command. */
		kill_all(t);
		pthread_mutex_unlock(&t->lock);
		return;
	}
	if (!gt_capture_ignored(t->ignore, ev.nr)) {
		at = t->cap->nevents;
		*gt_capture_add_event(t->cap) = ev;
		gt_capture_commit(t->cap);
	}
	pthread_mutex_unlock(&t->lock);
	e = gt_notify_continue(t->listener, req.id);
	if (e) {
		/* Killed inside the call: like a ptrace stop's, it has no return. */
		pthread_mutex_lock(&t->lock);
		/* Unless it was folded into the turn before it. */
		if (at != SIZE_MAX && at < t->cap->nevents &&
		    t->cap->events[at].task == ev.task &&
		    t->cap->events[at].t_enter_ns == ev.t_enter_ns) {
			struct gt_raw_event *rec = &t->cap->events[at];

			rec->flags = (uint8_t)((rec->flags & ~GT_EV_RET_UNKNOWN) | GT_EV_NO_RETURN);
		}
		if (e != ENOENT && t->fail == GT_OK)
			t->fail = gt_error_set(t->err, GT_ERR_CAPTURE,
					       "cannot let a call of the command continue: "
					       "SECCOMP_IOCTL_NOTIF_SEND: %s",
					       strerror(e));
		pthread_mutex_unlock(&t->lock);
	}
}

/* The notifier: serve notifications until the run is over (STOPFD) or no
 * task uses the filter any more.  A blocked NOTIF_RECV would not notice
 * either, so it polls. */
static void *notifier_main(void *p)
{
	struct tracer *t = p;
	struct pollfd pf[2] = {{t->listener, POLLIN, 0}, {t->stopfd, POLLIN, 0}};

	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		if (pf[0].revents & POLLIN)
			on_notification(t);
		else if (pf[0].revents)
			break; /* POLLHUP: every task of the filter is gone */
	}
	return NULL;
}

/* Start the notifier with every signal blocked: the timeout and ^C must
 * interrupt the tracer's wait4, not the notifier's poll. */
static void notifier_start(struct tracer *t)
{
	sigset_t all, old;
	int rc;

	t->stopfd = eventfd(0, EFD_CLOEXEC);
	if (t->stopfd < 0) {
		rc = errno;
	} else {
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&t->notifier, NULL, notifier_main, t);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (rc == 0) {
		t->notifier_on = true;
	} else if (t->fail == GT_OK) {
		t->fail = gt_error_set(t->err, GT_ERR_CAPTURE,
				       "--backend auto: cannot start its notification thread: "
				       "%s",
				       strerror(rc));
	}
}

static void notifier_stop(struct tracer *t)
{
	uint64_t one = 1;

	if (t->notifier_on) {
		if (write(t->stopfd, &one, sizeof(one)) != (ssize_t)sizeof(one))
			pthread_cancel(t->notifier); /* cannot happen: eventfd */
		pthread_join(t->notifier, NULL);
		t->notifier_on = false;
	}
	if (t->stopfd >= 0)
		close(t->stopfd);
	t->stopfd = -1;
}

/* ---- the child's start hook: wait until the tracer has seized us ---- */

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
static enum gt_rc seize_root(struct tracer *t, pid_t pid, int ready, int syncwr, int *counter)
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

		return gt_error_set(t->err, GT_ERR_CAPTURE,
				    "cannot trace the command: ptrace(PTRACE_SEIZE): %s%s",
				    strerror(e),
				    e == EPERM ? " (does it already have a tracer, e.g. is gtdiff "
						 "itself running under strace or a debugger? "
						 "Is ptrace forbidden here: "
						 "/proc/sys/kernel/yama/ptrace_scope, seccomp?)"
					       : "");
	}
	if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0)
		return gt_error_set(t->err, GT_ERR_CAPTURE, "ptrace(PTRACE_INTERRUPT): %s",
				    strerror(errno));
	do
		w = waitpid(pid, &status, __WALL);
	while (w < 0 && errno == EINTR);
	if (w != pid || !WIFSTOPPED(status))
		return gt_error_set(t->err, GT_ERR_CAPTURE,
				    "the command did not stop for the tracer");
	if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0)
		return gt_error_set(t->err, GT_ERR_CAPTURE, "ptrace(PTRACE_SYSCALL): %s",
				    strerror(errno));
	/* Before the exec it counts from: the calls a filter lets through. */
	if (lets_through(t->ignore))
		*counter = gt_syscall_counter_open(pid);
	if (write(syncwr, "g", 1) != 1)
		return gt_error_set(t->err, GT_ERR_CAPTURE, "cannot release the command: %s",
				    strerror(errno));
	return GT_OK;
}

static void handle_stop(struct tracer *t, pid_t pid, int status)
{
	int64_t i = gt_tidmap_get(&t->map, pid);
	uint32_t idx = i >= 0 ? (uint32_t)i : adopt(t, pid);
	int sig = WSTOPSIG(status), event = status >> 16, inject = 0;
	enum __ptrace_request restart = PTRACE_SYSCALL;

	if (sig == (SIGTRAP | 0x80) || event == PTRACE_EVENT_SECCOMP) {
		on_syscall_stop(t, pid, idx);
	} else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
		   event == PTRACE_EVENT_CLONE) {
		on_new_task(t, pid, idx, event);
		pin_end(t);
	} else if (event == PTRACE_EVENT_EXIT) {
		/* About to exit, memory still there: its own peak, since its
		 * exec (ru_maxrss would count gtdiff's pages from before). */
		long kb = gt_proc_peak_rss_kb(pid);

		if (kb > t->cap->info.max_rss_kb)
			t->cap->info.max_rss_kb = kb;
	} else if (event == PTRACE_EVENT_EXEC) {
		enum gt_rc rc = on_exec(t, pid, idx);

		if (rc != GT_OK && t->fail == GT_OK)
			t->fail = rc;
	} else if (event == PTRACE_EVENT_STOP) {
		/* Group-stop (job control): stay stopped until SIGCONT. */
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			restart = PTRACE_LISTEN;
	} else if (event == 0) {
		inject = sig; /* signal-delivery-stop: deliver it, never swallow */
	}
	/* With the prefilter, a task runs freely between calls; inside a call
	 * (a seccomp stop, a fork or exec event) it must stop at the exit. */
	if (t->filter && restart == PTRACE_SYSCALL && !t->live[idx].in_call &&
	    !(t->notify && t->listener < 0 && !t->started))
		restart = PTRACE_CONT;
	if (ptrace(restart, pid, 0, (void *)(long)inject) < 0 && errno == ESRCH) {
		/* Killed meanwhile: its exit will be reported by waitpid. */
	}
}

enum gt_rc gt_capture_ptrace_run(const struct gt_capture_opts *opts, struct gt_capture *c,
				 struct gt_error *err)
{
	struct tracer t = {0};
	struct sigaction old[GT_CAPTURE_NSIGS];
	struct sync_ctx sync = {.rd = -1, .wr = -1, .ready_rd = -1, .ready_wr = -1};
	struct gt_tracee_start start = {0};
	double user0, sys0, user1, sys1;
	char *exe = NULL;
	int p[2], ready[2], errfd = -1, status, counter = -1, guardfd = -1;
	enum gt_rc rc = GT_OK;
	uint64_t t_start;
	pid_t pid;

	gt_syscalls_init();
	t.cap = c;
	t.err = err;
	t.ignore = opts->ignore;
	t.listener = t.pidfd = t.stopfd = -1;
	pthread_mutex_init(&t.lock, NULL);
	t.nr_seccomp = gt_syscall_nr("seccomp");
	t.nr_prctl = gt_syscall_nr("prctl");
	exe = gt_capture_resolve(opts, err);
	if (!exe)
		return err ? err->rc : GT_ERR_CAPTURE;
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(exe);
		return gt_error_set(err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
	}
	if (pipe2(ready, O_CLOEXEC) < 0) {
		rc = gt_error_set(err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		free(exe);
		return rc;
	}
	sync.rd = p[0];
	sync.wr = p[1];
	sync.ready_rd = ready[0];
	sync.ready_wr = ready[1];
	build_prefilter(&sync, opts);
	t.filter = sync.prog.len > 0;
	t.autom = opts->backend == GT_BACKEND_AUTO;
	t.notify = sync.listener;
	gt_capture_start_of(opts, exe, wait_for_tracer, &sync, &start);

	/* Orphaned descendants come back to us, not to init, so that we can
	 * reap them before returning. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	t.nr_getaffinity = gt_syscall_nr("sched_getaffinity");
	gt_pin_start(&t.pin, 0, opts->tuning.no_pin); /* the tracee inherits it */
	gt_pin_show(&t.pin, opts->show_cpus);
	gt_children_cpu(&user0, &sys0);
	t_start = gt_now_ns();
	pid = gt_tracee_spawn(&start, &errfd, err);
	close(sync.rd);
	close(sync.ready_wr);
	if (pid < 0) {
		close(sync.wr);
		close(sync.ready_rd);
		gt_pin_end(&t.pin);
		pthread_mutex_destroy(&t.lock);
		free(exe);
		free(sync.prog.filter);
		return GT_ERR_CAPTURE;
	}
	t.root = pid;
	gt_capture_kill_pgid = pid;
	guardfd = gt_guard_start(pid);
	new_task(&t, pid, pid, -1, 0);
	gt_capture_signals_install(old, opts->timeout_s);
	if (t.notify)
		t.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (t.notify && t.pidfd < 0)
		rc = gt_error_set(err, GT_ERR_CAPTURE,
				  "--backend auto: pidfd_open: %s (Linux 5.3 or later is needed; "
				  "set GTDIFF_NOTIFY=0 to use ptrace stops instead)",
				  strerror(errno));
	else
		rc = seize_root(&t, pid, sync.ready_rd, sync.wr, &counter);
	close(sync.wr);
	close(sync.ready_rd);
	if (rc != GT_OK) {
		kill(pid, SIGKILL);
		/* Reap it for good: a seized child reports stops (its exit
		 * stop) first, and holds the error pipe open until it is gone. */
		for (;;) {
			pid_t w = waitpid(pid, &status, __WALL);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 || WIFEXITED(status) || WIFSIGNALED(status))
				break;
			ptrace(PTRACE_CONT, pid, 0, 0);
		}
		/* A timeout or a signal explains best; then a child that failed
		 * its own setup. */
		if (gt_capture_stop_reason) {
			rc = gt_capture_end_status(opts, c, errfd, err);
		} else if (gt_tracee_child_error(errfd, opts->argv[0], err)) {
			rc = GT_ERR_CAPTURE;
		} else if (rc == GT_ERR_TIMEOUT) {
			rc = gt_error_set(err, GT_ERR_CAPTURE, "%s: the command died before it started",
					  opts->argv[0]);
		}
		errfd = -1;
		goto out;
	}

	/* The lock is held except while waiting (see struct tracer). */
	pthread_mutex_lock(&t.lock);
	while (t.nalive > 0) {
		pid_t w;

		pthread_mutex_unlock(&t.lock);
		/* No rusage: filling it sums the thread group's times on every
		 * stop.  CPU times come from RUSAGE_CHILDREN, memory from the
		 * exit stops. */
		w = wait4(-1, &status, __WALL, NULL);
		pthread_mutex_lock(&t.lock);
		if (w < 0) {
			if (errno == EINTR) {
				if (gt_capture_stop_reason)
					kill_all(&t);
				continue;
			}
			break; /* ECHILD: nothing left */
		}
		if (gt_capture_stop_reason || t.fail != GT_OK)
			kill_all(&t);
		if (WIFSTOPPED(status)) {
			handle_stop(&t, w, status);
			continue;
		}
		{
			int64_t idx = gt_tidmap_get(&t.map, w);

			if (idx >= 0)
				task_gone(&t, (uint32_t)idx, status);
			if (w == pid) {
				c->info.wall_s = (double)(gt_now_ns() - t_start) / 1e9;
				if (WIFEXITED(status))
					c->info.exit_code = WEXITSTATUS(status);
				else if (WIFSIGNALED(status))
					c->info.term_signal = WTERMSIG(status);
			}
		}
	}
	pthread_mutex_unlock(&t.lock);
	notifier_stop(&t);
	/* Reap everything that is left, orphans included (we are their
	 * subreaper), so that not even a zombie of the tree outlives the run.
	 * Every traced task is dead by now, so this ends. */
	kill_all(&t);
	for (;;) {
		pid_t w = waitpid(-1, &status, __WALL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;
	}
	gt_children_cpu(&user1, &sys1);
	c->info.user_s = user1 - user0;
	c->info.sys_s = sys1 - sys0;
	/* A task whose creation event never came (its creator died first) is
	 * counted as a child of the root. */
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

	if (t.fail != GT_OK) {
		rc = t.fail;
	} else {
		rc = gt_capture_end_status(opts, c, errfd, err);
		errfd = -1;
	}
out:
	gt_pin_end(&t.pin);
	if (errfd >= 0)
		close(errfd);
	gt_capture_signals_restore(old);
	notifier_stop(&t);
	gt_guard_stop(guardfd);
	if (t.listener >= 0)
		close(t.listener);
	if (t.pidfd >= 0)
		close(t.pidfd);
	pthread_mutex_destroy(&t.lock);
	free(sync.prog.filter);
	c->info.syscalls = c->nevents + c->nfolded;
	c->info.intercepted = c->nevents + c->nfolded;
	gt_capture_let_through(&c->info, counter, c->info.intercepted, lets_through(opts->ignore));
	counter = -1;
	c->info.notified = t.notified;
	c->info.returns_known = true;
	free(t.live);
	gt_tidmap_free(&t.map);
	free(exe);
	return rc;
}

/*
 * capture-seccomp: the seccomp user-notification backend (SPEC section 4,
 * "fast").  Before it execs, the command's child sets no_new_privs and
 * installs a seccomp filter whose default action notifies a listener
 * (SECCOMP_RET_USER_NOTIF); the calls gtdiff was told to ignore are allowed
 * in the kernel.  We take the listener out of the child with pidfd_getfd,
 * then for each notification record the call at entry (number, arguments,
 * the strings the syscall table asks for) and let it continue in the kernel
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  There is one round trip per call and
 * no stop at exit: return values and durations are not observable, and the
 * record says so (GT_EV_RET_UNKNOWN, info.returns_known = false).
 *
 * Tasks are learnt from the tid of their first notification and /proc; who
 * created whom is inferred (the latest clone of the parent process), not
 * reported by the kernel as under ptrace.
 *
 * The tree dies with gtdiff as under ptrace's EXITKILL: the root by
 * PR_SET_PDEATHSIG, its process group by a small guard process.
 *
 * What it cannot see it refuses to hide: a set-user-ID exec (no_new_privs
 * makes it run without its privileges), a seccomp filter of the program's
 * own (its ERRNO or KILL actions win over our notification), code of another
 * architecture.
 *
 * The run (spawn, loop, reap) is capture-session.c's and the notification
 * path capture-notify.c's, which --backend auto shares; these are their
 * hooks.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture-backend.h"
#include "capture-notify.h"
#include "capture-session.h"
#include "capture-util.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define NOTIFY_INODE "anon_inode:seccomp notify"

#define LISTENER_WAIT_NS (10ull * 1000000000ull) /* the child's setup, at most */
#define REAP_EVERY 64    /* notifications between two looks for exited orphans */

/* A task's state during the run (the session's, then ours). */
struct stask {
	struct gt_live base;
	/* Its clones of threads and of processes: the event index of the last
	 * one (-1: none), its flags, how many, how many children seen since. */
	int64_t thr_ev, proc_ev;
	uint32_t thr_flags, proc_flags;
	uint32_t thr_clones, proc_clones, thr_kids, proc_kids;
	/* Its last call was an execve or execveat: if that was a thread
	 * other than the leader and the exec worked, the process goes on
	 * under the leader's tid (exec_takeover). */
	bool in_exec;
};

struct hook_ctx {
	const struct sock_fprog *prog;
	int report;   /* write end, close-on-exec */
	pid_t parent; /* gtdiff */
};

struct sup {
	struct sock_fprog prog;  /* our filter */
	struct hook_ctx hook;    /* the child's side */
	int report_rd;           /* the child's reports, or -1 */
	bool root_done;    /* the root was reaped */
	bool sync_wakeup;  /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP accepted */
	int nr_exit, nr_exit_group;
	struct pollfd pf[2];     /* the listener, the root's pidfd */
	unsigned since_reap;
};

static struct stask *st(const struct gt_session *s, uint32_t idx)
{
	return (struct stask *)gt_session_task(s, idx);
}

/* ---- /proc ---- */

/* Tgid and PPid of TID from /proc/TID/status. */
static bool proc_status(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	char path[64], buf[1024];
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (gt_read_small(path, buf, sizeof(buf)) < 0)
		return false;
	p = strstr(buf, "\nTgid:");
	if (!p || sscanf(p + 6, "%d", tgid) != 1)
		return false;
	p = strstr(buf, "\nPPid:");
	if (!p || sscanf(p + 6, "%d", ppid) != 1)
		return false;
	return true;
}

/* ---- tasks ---- */

/* The root and every task adopted: its start time names it for good; a
 * process is told to the guard. */
static void seccomp_task_init(struct gt_session *s, uint32_t idx)
{
	struct stask *l = st(s, idx);
	const struct gt_task *t = &s->cap->tasks[idx];

	l->thr_ev = l->proc_ev = -1;
	if (t->tid == t->tgid)
		gt_guard_task(s->guardfd, t->tid);
	l->base.start = gt_proc_start(t->tid);
}

/* The latest task called TID (alive or not), or -1. */
static int64_t find_tid(const struct gt_session *s, pid_t tid)
{
	int64_t i = gt_tidmap_get(&s->map, tid);

	if (i >= 0)
		return i;
	for (size_t j = s->cap->ntasks; j-- > 0;)
		if (s->cap->tasks[j].tid == tid)
			return (int64_t)j;
	return -1;
}

/* Who made a new task?  The kernel does not say, so: the task whose clone
 * of that kind (thread or process) came last among those of process TGID
 * whose clones outnumber the children seen, else the last at all.  A
 * child's first call nearly always follows its creator's clone before that
 * process clones again.  TGID 0: the creator died before the child's first
 * call (a daemon's double fork), so any task with a clone unaccounted for.
 * Returns -1 when there is no candidate. */
static int64_t find_creator(const struct gt_session *s, pid_t tgid, bool thread, uint32_t *flags)
{
	int64_t best = -1, best_ev = -1;
	bool best_open = false;

	for (size_t i = 0; i < s->cap->ntasks; i++) {
		const struct stask *l = st(s, i);
		int64_t ev = thread ? l->thr_ev : l->proc_ev;
		bool open = thread ? l->thr_clones > l->thr_kids : l->proc_clones > l->proc_kids;

		if (ev < 0 || (tgid && s->cap->tasks[i].tgid != tgid) || (!tgid && !open))
			continue;
		if ((open && !best_open) || (open == best_open && ev > best_ev)) {
			best_ev = ev;
			best_open = open;
			best = (int64_t)i;
			*flags = thread ? l->thr_flags : l->proc_flags;
		}
	}
	return best;
}

/* A tid seen for the first time: it is blocked in its notification, so
 * alive, and /proc tells its process and its parent process. */
static uint32_t adopt(struct gt_session *s, pid_t tid)
{
	pid_t tgid = tid, ppid = 0;
	uint32_t flags = 0;
	int64_t parent;
	bool thread;

	if (!proc_status(tid, &tgid, &ppid)) {
		tgid = tid;
		ppid = 0;
	}
	thread = tgid != tid;
	if (thread) {
		parent = find_creator(s, tgid, true, &flags);
		if (parent < 0)
			parent = find_tid(s, tgid);
	} else {
		/* Our own pid: an orphan that came to us as subreaper. */
		parent = find_creator(s, ppid == getpid() ? 0 : ppid, false, &flags);
		if (parent < 0) {
			parent = find_tid(s, ppid);
			flags = 0;
		}
	}
	if (parent < 0) {
		parent = 0; /* a task whose creator we never saw: the root's */
		flags = 0;
	}
	if (thread) {
		flags |= CLONE_THREAD;
		st(s, parent)->thr_kids++;
	} else {
		flags &= ~(uint32_t)CLONE_THREAD;
		st(s, parent)->proc_kids++;
	}
	return gt_session_new_task(s, tid, tgid, (int32_t)parent, flags);
}

/* A notification from TID, a tid we do not know (any more): is it process
 * TID running the program a thread of it exec'd, after its leader left
 * with exit() (pthread_exit)?  The kernel gives the exec'ing thread the
 * leader's tid, as ptrace's PTRACE_EVENT_EXEC reports; we see only the
 * next call from that tid.  It is when the leader is a task we saw exit,
 * a thread of its process is in an execve, and TID started when the
 * leader did (the exec keeps the process's start time; a zombie leader
 * keeps its pid while any thread lives, and a reused pid would have a
 * later start).  Then the process's calls go on under the leader's task,
 * as under ptrace, and its other threads are gone (the exec ended them).
 * Returns the leader's task index, or -1. */
static int64_t exec_takeover(struct gt_session *s, pid_t tid)
{
	int64_t lead = -1;
	bool execing = false;

	for (size_t j = s->cap->ntasks; j-- > 0;) {
		const struct gt_task *t = &s->cap->tasks[j];

		if (t->tid == tid && t->tgid == tid && !st(s, j)->base.alive) {
			lead = (int64_t)j;
			break;
		}
	}
	if (lead < 0)
		return -1;
	for (size_t j = 0; j < s->cap->ntasks; j++)
		if (s->cap->tasks[j].tgid == tid && st(s, j)->base.alive && st(s, j)->in_exec)
			execing = true;
	if (!execing || !st(s, lead)->base.start || gt_proc_start(tid) != st(s, lead)->base.start)
		return -1;
	for (size_t j = 0; j < s->cap->ntasks; j++)
		if (s->cap->tasks[j].tgid == tid && (int64_t)j != lead)
			gt_session_task_dead(s, (uint32_t)j);
	gt_session_task_revive(s, (uint32_t)lead, tid);
	st(s, lead)->base.pair_ev = -1;
	st(s, lead)->in_exec = false;
	return lead;
}

/* Remember a clone-family call: the next new task of this process is
 * probably its result. */
static void note_clone(struct gt_session *s, uint32_t idx, const struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d)
{
	struct stask *l = st(s, idx);
	uint32_t flags = 0;

	if (strcmp(d->name, "clone") == 0) {
		flags = (uint32_t)ev->args[0];
	} else if (strcmp(d->name, "clone3") == 0) {
		const char *m = gt_capture_mem(s->cap, ev, 0);
		uint64_t f = 0;

		if (m && !(ev->flags & GT_EV_FETCH_FAILED))
			memcpy(&f, m, sizeof(f));
		flags = (uint32_t)f;
	} else if (strcmp(d->name, "vfork") == 0) {
		flags = CLONE_VM | CLONE_VFORK;
	}
	if (flags & CLONE_THREAD) {
		l->thr_ev = (int64_t)s->cap->nevents;
		l->thr_flags = flags;
		l->thr_clones++;
	} else {
		l->proc_ev = (int64_t)s->cap->nevents;
		l->proc_flags = flags;
		l->proc_clones++;
	}
}

/* exit(CODE) ends the task, exit_group(CODE) every task of its process. */
static void on_exit_call(struct gt_session *s, uint32_t idx, int nr, uint64_t code)
{
	const struct sup *b = s->backend;
	pid_t tgid = s->cap->tasks[idx].tgid;

	if (nr == b->nr_exit) {
		s->cap->tasks[idx].exit_code = (int)(code & 0xff);
		gt_session_task_dead(s, idx);
		return;
	}
	for (size_t i = 0; i < s->cap->ntasks; i++) {
		if (s->cap->tasks[i].tgid == tgid && st(s, i)->base.alive) {
			s->cap->tasks[i].exit_code = (int)(code & 0xff);
			gt_session_task_dead(s, (uint32_t)i);
		}
	}
}

/* ---- the filter and the child's side ---- */

/* Calls we must see even when they are not to be recorded: the start of
 * the command, the birth and death of tasks, the checks that fail loudly. */
static bool always_notified(int nr)
{
	static const char *const names[] = {
		"execve", "execveat", "clone", "clone3", "fork", "vfork",
		"exit", "exit_group", "seccomp", "prctl",
	};
	const char *name = gt_syscall_name(nr);

	for (size_t i = 0; name && i < GT_ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Our filter as classic BPF, built by libseccomp in the parent: the child
 * only passes it to seccomp(2), since after fork only async-signal-safe
 * calls are allowed. */
static enum gt_rc build_filter(const bool *ignore, struct sock_fprog *prog, struct gt_error *err)
{
	scmp_filter_ctx ctx;
	enum gt_rc rc;

	ctx = gt_notify_available() ? seccomp_init(SCMP_ACT_NOTIFY) : NULL;
	if (!ctx)
		return gt_error_set(err, GT_ERR_CAPTURE,
				    "seccomp user notification is not available here (kernel "
				    "older than 5.0, or seccomp disabled); use --backend ptrace");
	/* Another architecture's calls (i386 on x86-64) reach us too, so that
	 * we can refuse them by name rather than have the kernel kill them. */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY);
	for (int nr = 0; ignore && nr < gt_syscalls_max(); nr++)
		if (ignore[nr] && !always_notified(nr))
			seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0); /* unknown nr: skip */
	rc = gt_seccomp_export(ctx, prog, err);
	seccomp_release(ctx);
	return rc;
}

/* What the child tells us through its report pipe before the filter is in
 * place (after, every write of it would wait for us). */
enum { HOOK_READY = 1, HOOK_NNP, HOOK_INSTALL };

struct hook_msg {
	int stage;
	int err;
};

static void hook_report(int fd, int stage, int e)
{
	struct hook_msg m = {stage, e};
	ssize_t n = write(fd, &m, sizeof(m));

	(void)n;
}

/* In the child, right before execve: async-signal-safe calls only. */
static int install_filter(void *p)
{
	const struct hook_ctx *h = p;
	long fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		int e = errno;

		hook_report(h->report, HOOK_NNP, e);
		return e;
	}
	/* If gtdiff dies, the command dies with it (ptrace's EXITKILL): a
	 * closed listener alone would only make its calls fail with ENOSYS. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != h->parent)
		return ECANCELED;
	hook_report(h->report, HOOK_READY, 0);
	fd = gt_seccomp_install(h->prog, true);
	if (fd < 0) {
		hook_report(h->report, HOOK_INSTALL, (int)-fd);
		return (int)-fd;
	}
	/* The kernel made the listener close-on-exec already, so the program
	 * starts with fds 0-2 only.  Saying so again is the first notified
	 * call: it waits until the supervisor has taken the listener. */
	fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

static enum gt_rc hook_error(struct gt_session *s, const struct hook_msg *m)
{
	if (m->stage == HOOK_NNP)
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "the seccomp backend cannot set no_new_privs in the command: "
				    "%s; use --backend ptrace",
				    strerror(m->err));
	switch (m->err) {
	case EINVAL:
	case ENOSYS:
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "seccomp user notification is not available here (%s from "
				    "seccomp(2); it needs Linux 5.0 with seccomp filters); "
				    "use --backend ptrace",
				    strerror(m->err));
	case EBUSY:
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "seccomp user notification is taken: gtdiff already runs "
				    "under a seccomp supervisor (a container runtime, or gtdiff "
				    "--backend seccomp); use --backend ptrace");
	default:
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "cannot install the seccomp filter in the command: %s; use "
				    "--backend ptrace",
				    strerror(m->err));
	}
}

/* Find the listener among the child's fds and copy it into ours. */
static int grab_listener(pid_t pid, int pidfd, int *err)
{
	char path[64], link[64];
	struct dirent *de;
	int fd = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir) {
		*err = errno;
		return -1;
	}
	while (fd < 0 && (de = readdir(dir)) != NULL) {
		char *end;
		long n = strtol(de->d_name, &end, 10);
		ssize_t len;

		if (*end || end == de->d_name || n < 3)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%ld", (int)pid, n);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (strcmp(link, NOTIFY_INODE) != 0)
			continue;
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)n, 0);
		if (fd < 0) {
			*err = errno;
			break;
		}
		/* The kernel gives us our copy close-on-exec; check what it is,
		 * in case the child's table changed under us. */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0 || (link[len] = '\0', strcmp(link, NOTIFY_INODE) != 0)) {
			close(fd);
			fd = -1;
		}
	}
	closedir(dir);
	return fd;
}

/* Wait until the child has installed its filter and take the listener.
 * The child reports on REPORT before installing; then it blocks in its first
 * notified call until we answer.  *GONE: the child died first (its own
 * report on the tracee's error pipe says why; ERR is not set). */
static enum gt_rc take_listener(struct gt_session *s, pid_t pid, int pidfd, int report, bool *gone)
{
	uint64_t deadline = gt_now_ns() + LISTENER_WAIT_NS;
	bool ready = false;

	for (;;) {
		struct pollfd pf[2] = {{report, POLLIN, 0}, {pidfd, POLLIN, 0}};
		struct timespec ts = {0, ready ? 100000 : 10000000};
		int n, e = 0;

		if (ready) {
			s->listener = grab_listener(pid, pidfd, &e);
			if (s->listener >= 0)
				return GT_OK;
			if (e == EPERM || e == EACCES)
				return gt_error_set(s->err, GT_ERR_CAPTURE,
						    "cannot take the seccomp listener from the "
						    "command: pidfd_getfd: %s (is ptrace "
						    "forbidden here? see "
						    "/proc/sys/kernel/yama/ptrace_scope); use "
						    "--backend ptrace",
						    strerror(e));
			if (e == ENOSYS)
				return gt_error_set(s->err, GT_ERR_CAPTURE,
						    "the seccomp backend needs pidfd_getfd "
						    "(Linux 5.6); use --backend ptrace");
		}
		/* A timeout is the main loop's to report, with what was seen. */
		if (gt_capture_stop_reason && gt_capture_stop_reason != SIGALRM)
			return gt_error_set(s->err, GT_ERR_CAPTURE, "interrupted by %s",
					    gt_signal_name(gt_capture_stop_reason));
		if (gt_now_ns() > deadline)
			return gt_error_set(s->err, GT_ERR_CAPTURE,
					    "the command did not install its seccomp filter");
		n = ppoll(pf, 2, &ts, NULL);
		if (n < 0 && errno != EINTR)
			return gt_error_set(s->err, GT_ERR_CAPTURE, "poll: %s", strerror(errno));
		if (n > 0 && (pf[0].revents & POLLIN)) {
			struct hook_msg m;

			if (read(report, &m, sizeof(m)) == (ssize_t)sizeof(m)) {
				if (m.stage != HOOK_READY)
					return hook_error(s, &m);
				ready = true;
				continue;
			}
		}
		if (n > 0 && (pf[1].revents || (pf[0].revents & (POLLHUP | POLLERR)))) {
			*gone = true;
			return GT_ERR_CAPTURE;
		}
	}
}

/* ---- notifications ---- */

/* Would this exec give the program privileges we do not have?  Under
 * no_new_privs it runs without them, so its trace would be a lie. */
static enum gt_rc check_exec(struct gt_session *s, pid_t tid, const struct gt_raw_event *ev,
			     const struct gt_syscall_desc *d)
{
	bool at = strcmp(d->name, "execveat") == 0;
	const char *path = gt_capture_mem(s->cap, ev, at ? 1 : 0);
	int dirfd = at ? (int)(int32_t)ev->args[0] : AT_FDCWD;
	char buf[GT_FETCH_MAX_STR + 64];
	struct statvfs fs;
	struct stat st;

	if (!path || (ev->flags & GT_EV_FETCH_FAILED))
		return GT_OK;
	if (path[0] == '/')
		snprintf(buf, sizeof(buf), "%s", path);
	else if (at && !path[0] && (ev->args[4] & AT_EMPTY_PATH))
		snprintf(buf, sizeof(buf), "/proc/%d/fd/%d", (int)tid, dirfd);
	else if (dirfd == AT_FDCWD)
		snprintf(buf, sizeof(buf), "/proc/%d/cwd/%s", (int)tid, path);
	else
		snprintf(buf, sizeof(buf), "/proc/%d/fd/%d/%s", (int)tid, dirfd, path);
	if (stat(buf, &st) < 0 || !S_ISREG(st.st_mode))
		return GT_OK;
	if (statvfs(buf, &fs) == 0 && (fs.f_flag & ST_NOSUID))
		return GT_OK; /* ignored there anyway */
	if (((st.st_mode & S_ISUID) && st.st_uid != geteuid()) ||
	    ((st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) && st.st_gid != getegid()))
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "%s is set-user-ID or set-group-ID: under the seccomp backend "
				    "(no_new_privs) it runs without its privileges, so its trace "
				    "would not show what it really does (trace without it)",
				    path);
	return GT_OK;
}

/* A seccomp mode of the program's own.  A filter: its ERRNO, TRAP or KILL
 * results take precedence over our notification, so calls it filters
 * would be missing from the record.  Strict mode: the kernel refuses it on
 * top of our filter (gt_refuse_strict), unless gtdiff runs under a filter
 * itself, when the program gets the same EINVAL untraced. */
static void check_own_seccomp(struct gt_session *s, const struct gt_raw_event *ev)
{
	switch (gt_seccomp_request(ev->nr, ev->args)) {
	case GT_SECCOMP_REQ_FILTER:
		s->fail = gt_error_set(s->err, GT_ERR_CAPTURE,
				       "the program installs its own seccomp filter; calls it "
				       "filters may be hidden from the seccomp backend (use "
				       "--backend ptrace)");
		break;
	case GT_SECCOMP_REQ_STRICT:
		if (gt_self_seccomp_mode() != SECCOMP_MODE_FILTER)
			s->fail = gt_refuse_strict(s->err, "--backend seccomp");
		break;
	default:
		break;
	}
}

/* Does the filter let calls through (any ignored)? */
static bool lets_through(const bool *ignore)
{
	for (int nr = 0; nr < gt_syscalls_max(); nr++)
		if (gt_capture_ignored(ignore, nr) && !always_notified(nr))
			return true;
	return false;
}

/* ---- the notification path's hooks ---- */

/* The task of a notified call: known, a leader whose thread exec'd, or a
 * tid seen for the first time (/proc was read: *CHECKED). */
static uint32_t notify_task_of(struct gt_session *s, pid_t tid, bool *checked)
{
	/* A tid of 0 would be a task outside our pid namespace: impossible
	 * for our descendants, but then it is the root's. */
	int64_t i = tid > 0 ? gt_tidmap_get(&s->map, tid) : 0;

	*checked = i < 0;
	if (i < 0)
		i = exec_takeover(s, tid);
	return i >= 0 ? (uint32_t)i : adopt(s, tid);
}

static void notify_check(struct gt_session *s, uint32_t idx, pid_t tid,
			 const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	(void)idx;
	if (d->fx & GT_FX_EXEC)
		gt_session_fail(s, check_exec(s, tid, ev, d));
	if (s->fail == GT_OK)
		check_own_seccomp(s, ev);
}

static void notify_before_answer(struct gt_session *s, uint32_t idx, pid_t tid,
				 const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	const struct sup *b = s->backend;

	st(s, idx)->in_exec = (d->fx & GT_FX_EXEC) != 0;
	if (d->fx & GT_FX_FORK) {
		note_clone(s, idx, ev, d);
		gt_session_pin_end(s);
	}
	if (ev->nr == b->nr_exit || ev->nr == b->nr_exit_group) {
		/* Before the answer, while its memory is there: its own peak
		 * since its exec (ru_maxrss would count gtdiff's pages). */
		long kb = gt_proc_peak_rss_kb(tid);

		if (kb > s->cap->info.max_rss_kb)
			s->cap->info.max_rss_kb = kb;
	}
}

static void notify_after_answer(struct gt_session *s, uint32_t idx, const struct gt_raw_event *ev)
{
	const struct sup *b = s->backend;

	if (ev->nr == b->nr_exit || ev->nr == b->nr_exit_group)
		on_exit_call(s, idx, ev->nr, ev->args[0]);
}

static const struct gt_notify_hooks notify_hooks = {
	.task_of = notify_task_of,
	.check = notify_check,
	.before_answer = notify_before_answer,
	.after_answer = notify_after_answer,
};

/* ---- exits ---- */

static void on_reaped(struct gt_session *s, pid_t pid, int status)
{
	struct sup *b = s->backend;
	int64_t i = find_tid(s, pid);

	if (i >= 0) {
		gt_session_task_status(s, (uint32_t)i, status);
		gt_session_task_dead(s, (uint32_t)i);
	}
	if (pid != s->root)
		return;
	b->root_done = true;
	gt_session_root_status(s, status);
}

/* Reap whatever of ours has exited: the root, and orphans of the tree that
 * came to us as their subreaper.  Returns false when no child is left. */
static bool reap(struct gt_session *s)
{
	for (;;) {
		struct rusage ru;
		int status;
		pid_t w = wait4(-1, &status, __WALL | WNOHANG, &ru);

		if (w > 0) {
			pthread_mutex_lock(&s->lock);
			on_reaped(s, w, status);
			pthread_mutex_unlock(&s->lock);
			continue;
		}
		if (w == 0)
			return true;
		if (errno == EINTR)
			continue;
		return false; /* ECHILD */
	}
}

/* seq: the order in which a creator made its children.  Tids grow with
 * creation, and notifications arrive in no such order. */
static const struct gt_task *sort_tasks;

static int cmp_sibling(const void *a, const void *b)
{
	const struct gt_task *x = &sort_tasks[*(const uint32_t *)a];
	const struct gt_task *y = &sort_tasks[*(const uint32_t *)b];

	if (x->parent != y->parent)
		return x->parent < y->parent ? -1 : 1;
	return (x->tid > y->tid) - (x->tid < y->tid);
}

static void assign_seq(struct gt_capture *c)
{
	uint32_t *order = xcalloc(c->ntasks ? c->ntasks : 1, sizeof(*order));
	uint32_t seq = 0;

	for (size_t i = 0; i < c->ntasks; i++)
		order[i] = (uint32_t)i;
	sort_tasks = c->tasks;
	qsort(order, c->ntasks, sizeof(*order), cmp_sibling);
	sort_tasks = NULL;
	for (size_t k = 0; k < c->ntasks; k++) {
		struct gt_task *t = &c->tasks[order[k]];

		if (k == 0 || c->tasks[order[k - 1]].parent != t->parent)
			seq = 0;
		t->seq = seq++;
	}
	free(order);
}

/* ---- the hooks on the session ---- */

static enum gt_rc seccomp_prepare(struct gt_session *s, struct gt_tracee_start *start)
{
	struct sup *b = s->backend;
	int p[2];
	enum gt_rc rc;

	b->nr_exit = gt_syscall_nr("exit");
	b->nr_exit_group = gt_syscall_nr("exit_group");
	s->lets_through = lets_through(s->ignore);
	rc = build_filter(s->ignore, &b->prog, s->err);
	if (rc != GT_OK)
		return rc;
	if (pipe2(p, O_CLOEXEC) < 0)
		return gt_error_set(s->err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
	b->report_rd = p[0];
	b->hook.prog = &b->prog;
	b->hook.report = p[1];
	b->hook.parent = getpid();
	start->before_exec = install_filter;
	start->ctx = &b->hook;
	return GT_OK;
}

static void seccomp_spawned(struct gt_session *s, pid_t pid)
{
	struct sup *b = s->backend;

	(void)pid;
	gt_close_fd(&b->hook.report);
}

static enum gt_rc seccomp_attach(struct gt_session *s)
{
	struct sup *b = s->backend;
	enum gt_rc rc;

	s->pidfd = (int)syscall(SYS_pidfd_open, s->root, 0);
	if (s->pidfd < 0)
		return gt_error_set(s->err, GT_ERR_CAPTURE,
				    "the seccomp backend needs pidfd_open (Linux 5.3): %s; use "
				    "--backend ptrace",
				    strerror(errno));
	rc = take_listener(s, s->root, s->pidfd, b->report_rd, &s->root_gone);
	if (rc != GT_OK)
		return rc;
	/* The child waits in its first notified call, before its exec: the
	 * counter of the calls the filter lets through starts there. */
	if (s->lets_through)
		s->counter = gt_syscall_counter_open(s->root);
	/* 6.6+: hand the CPU straight to the waiting task on answer. */
	b->sync_wakeup = !s->opts->tuning.no_sync_wakeup && gt_notify_sync_wakeup(s->listener);
	if (!b->sync_wakeup)
		gt_pin_start(&s->pin, s->root, s->opts->tuning.no_pin);
	gt_pin_show(&s->pin, s->opts->show_cpus);
	b->pf[0] = (struct pollfd){s->listener, POLLIN, 0};
	b->pf[1] = (struct pollfd){s->pidfd, POLLIN, 0};
	return GT_OK;
}

/* Serve notifications, and every REAP_EVERY of them (or when the root
 * exited) reap what has exited. */
static bool seccomp_step(struct gt_session *s)
{
	struct sup *b = s->backend;
	int n;

	if (b->root_done && !reap(s))
		return false; /* the root and all its descendants are gone */
	n = poll(b->pf, 2, b->root_done ? 10 : 100);
	if (n < 0) {
		if (errno == EINTR)
			return true;
		pthread_mutex_lock(&s->lock);
		gt_session_fail(s, gt_error_set(s->err, GT_ERR_CAPTURE, "poll: %s", strerror(errno)));
		pthread_mutex_unlock(&s->lock);
		return false;
	}
	if (b->pf[0].revents & POLLIN) {
		gt_notify_serve(s);
		if (++b->since_reap < REAP_EVERY && !b->pf[1].revents)
			return true;
	} else if (b->pf[0].revents) {
		b->pf[0].fd = -1; /* no task uses the filter any more */
	}
	b->since_reap = 0;
	reap(s);
	if (b->root_done)
		b->pf[1].fd = -1;
	return true;
}

static void seccomp_reaped(struct gt_session *s)
{
	assign_seq(s->cap);
}

static void seccomp_finish(struct gt_session *s)
{
	struct sup *b = s->backend;

	gt_close_fd(&b->report_rd);
	gt_close_fd(&b->hook.report);
	free(b->prog.filter);
	b->prog.filter = NULL;
	s->cap->info.intercepted = s->notified;
	s->cap->info.returns_known = false;
}

static const struct gt_session_hooks seccomp_hooks = {
	.task_size = sizeof(struct stask),
	.held = false,
	.child_explains = false,
	.prepare = seccomp_prepare,
	.spawned = seccomp_spawned,
	.task_init = seccomp_task_init,
	.attach = seccomp_attach,
	.step = seccomp_step,
	.reaped = seccomp_reaped,
	.finish = seccomp_finish,
	.notify = &notify_hooks,
};

enum gt_rc gt_capture_seccomp_run(const struct gt_capture_opts *opts, struct gt_capture *c,
				  struct gt_error *err)
{
	struct sup b = {.prog = {0, NULL}, .hook = {NULL, -1, 0}, .report_rd = -1};

	c->info.returns_known = false;
	return gt_session_run(opts, c, &seccomp_hooks, &b, err);
}

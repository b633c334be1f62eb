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
 * architecture.  The fetch helpers are copies of capture-ptrace.c's.
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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture-backend.h"
#include "capture-notify.h"
#include "capture-util.h"
#include "tracee.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

#define NOTIFY_INODE "anon_inode:seccomp notify"


#define LISTENER_WAIT_NS (10ull * 1000000000ull) /* the child's setup, at most */
#define REAP_EVERY 64    /* notifications between two looks for exited orphans */

/* Live state of a task during the run (parallel to cap->tasks). */
struct live {
	bool alive;
	unsigned long long start;  /* start time from /proc (ticks), 0 unknown */
	/* Its clones of threads and of processes: the event index of the last
	 * one (-1: none), its flags, how many, how many children seen since. */
	int64_t thr_ev, proc_ev;
	uint32_t thr_flags, proc_flags;
	uint32_t thr_clones, proc_clones, thr_kids, proc_kids;
	/* A call whose fd pair (pipe2, socketpair) the kernel writes: the
	 * event index (-1: none), the argument and its address.  Read at the
	 * task's next call, when the kernel has written it. */
	int64_t pair_ev;
	int pair_arg;
	uint64_t pair_addr;
	/* Its last call was an execve or execveat: if that was a thread
	 * other than the leader and the exec worked, the process goes on
	 * under the leader's tid (exec_takeover). */
	bool in_exec;
};

struct sup {
	struct gt_capture *cap;
	struct live *live;
	size_t live_cap;
	struct gt_tidmap map;    /* tid -> task index */
	pid_t root;
	int listener;
	bool started;      /* the root's first execve was seen */
	bool root_done;    /* the root was reaped */
	bool sync_wakeup;  /* SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP accepted */
	/* Without sync wake-up (before Linux 6.6) each notification wakes us
	 * on the other CPU, about 10 times dearer than on the same one: then
	 * gtdiff and the command share one CPU while it has one task, as
	 * under ptrace, and sched_getaffinity is answered with the mask it
	 * would have had (MASKLEN bytes, what the kernel returns). */
	struct gt_pin pin;
	int nr_getaffinity;
	uint32_t arch;     /* native AUDIT_ARCH_* */
	int nr_execve, nr_exit, nr_exit_group;
	uint64_t t0;
	uint64_t answered; /* notifications answered after the start */
	const bool *ignore;
	struct gt_error *err;
	enum gt_rc fail;   /* set when the run must be aborted */
	int guardfd;       /* gt_guard_start's, or -1 */
};

/* ---- signals: timeout and ^C (as in capture-ptrace.c) ---- */


/* ---- tid map ---- */


/* ---- /proc ---- */

/* Tgid and PPid of TID from /proc/TID/status. */
static bool proc_status(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	char path[64], buf[1024];
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strstr(buf, "\nTgid:");
	if (!p || sscanf(p + 6, "%d", tgid) != 1)
		return false;
	p = strstr(buf, "\nPPid:");
	if (!p || sscanf(p + 6, "%d", ppid) != 1)
		return false;
	return true;
}

/* Start time of TID (field 22 of /proc/TID/stat), 0 if unknown: with the
 * tid it names one task for good, even after the tid is reused. */
static unsigned long long proc_start(pid_t tid)
{
	char path[64], buf[1024];
	unsigned long long start = 0;
	const char *p;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
	if (!p)
		return 0;
	/* After ") " comes field 3 (state); field 22 is 19 fields later. */
	for (p++, field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (field == 22)
		sscanf(p, "%llu", &start);
	return start;
}

/* ---- tracee memory (copied from capture-ptrace.c) ---- */


/* The entry-time fetches of capture-ptrace.c; what the kernel writes at exit
 * (OUTPATH, FDPAIR) is never seen here.  Returns whether it read anything. */
static bool fetch_args(struct sup *s, pid_t pid, struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d)
{
	int slot = 0;
	bool did = false;

	for (int i = 0; i < d->nargs && slot < 2; i++) {
		uint32_t off;

		switch (d->argk[i]) {
		case GT_A_PATH:
		case GT_A_STR:
			off = gt_fetch_str(s->cap, pid, ev->args[i]);
			break;
		case GT_A_ARGV:
			off = gt_fetch_argv(s->cap, pid, ev->args[i]);
			break;
		case GT_A_SOCKADDR:
			off = gt_fetch_sized(s->cap, pid, ev->args[i],
					  i + 1 < GT_MAX_ARGS ? ev->args[i + 1] : 0);
			break;
		case GT_A_CLONE3:
			off = gt_fetch_fixed(s->cap, pid, ev->args[i], sizeof(uint64_t));
			break;
		case GT_A_DIRENTS:
			/* Read by us, not from the tracee: nothing to re-check. */
			off = gt_fetch_dirnames(s->cap, pid, ev->args[0]);
			ev->argi[slot] = (uint8_t)i;
			ev->mem[slot++] = off;
			continue;
		default:
			continue;
		}
		did = did || ev->args[i];
		if (!off && ev->args[i])
			ev->flags |= GT_EV_FETCH_FAILED;
		ev->argi[slot] = (uint8_t)i;
		ev->mem[slot] = off;
		slot++;
	}
	return did;
}

/* ---- tasks ---- */

static uint64_t now_rel(const struct sup *s)
{
	return gt_now_ns() - s->t0;
}

static uint32_t new_task(struct sup *s, pid_t tid, pid_t tgid, int32_t parent, uint32_t flags)
{
	uint32_t idx = gt_capture_add_task(s->cap, tid, tgid, parent, flags);
	struct live *l;

	xgrow((void **)&s->live, &s->live_cap, idx + 1, sizeof(*s->live));
	l = &s->live[idx];
	memset(l, 0, sizeof(*l));
	l->alive = true;
	l->thr_ev = l->proc_ev = l->pair_ev = -1;
	gt_tidmap_put(&s->map, tid, idx);
	if (tid == tgid)
		gt_guard_task(s->guardfd, tid);
	return idx;
}

/* The latest task called TID (alive or not), or -1. */
static int64_t find_tid(const struct sup *s, pid_t tid)
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
static int64_t find_creator(const struct sup *s, pid_t tgid, bool thread, uint32_t *flags)
{
	int64_t best = -1, best_ev = -1;
	bool best_open = false;

	for (size_t i = 0; i < s->cap->ntasks; i++) {
		const struct live *l = &s->live[i];
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
static uint32_t adopt(struct sup *s, pid_t tid)
{
	pid_t tgid = tid, ppid = 0;
	uint32_t flags = 0, idx;
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
		s->live[parent].thr_kids++;
	} else {
		flags &= ~(uint32_t)CLONE_THREAD;
		s->live[parent].proc_kids++;
	}
	idx = new_task(s, tid, tgid, (int32_t)parent, flags);
	s->live[idx].start = proc_start(tid);
	return idx;
}

static void task_dead(struct sup *s, uint32_t idx)
{
	if (s->live[idx].alive) {
		s->live[idx].alive = false;
		gt_tidmap_del(&s->map, s->cap->tasks[idx].tid);
	}
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
static int64_t exec_takeover(struct sup *s, pid_t tid)
{
	int64_t lead = -1;
	bool execing = false;

	for (size_t j = s->cap->ntasks; j-- > 0;) {
		const struct gt_task *t = &s->cap->tasks[j];

		if (t->tid == tid && t->tgid == tid && !s->live[j].alive) {
			lead = (int64_t)j;
			break;
		}
	}
	if (lead < 0)
		return -1;
	for (size_t j = 0; j < s->cap->ntasks; j++)
		if (s->cap->tasks[j].tgid == tid && s->live[j].alive && s->live[j].in_exec)
			execing = true;
	if (!execing || !s->live[lead].start || proc_start(tid) != s->live[lead].start)
		return -1;
	for (size_t j = 0; j < s->cap->ntasks; j++)
		if (s->cap->tasks[j].tgid == tid && (int64_t)j != lead)
			task_dead(s, (uint32_t)j);
	s->live[lead].alive = true;
	s->live[lead].pair_ev = -1;
	s->live[lead].in_exec = false;
	gt_tidmap_put(&s->map, tid, (uint32_t)lead);
	return lead;
}

/* Remember a clone-family call: the next new task of this process is
 * probably its result. */
static void note_clone(struct sup *s, uint32_t idx, const struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d)
{
	struct live *l = &s->live[idx];
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
static void on_exit_call(struct sup *s, uint32_t idx, int nr, uint64_t code)
{
	pid_t tgid = s->cap->tasks[idx].tgid;

	if (nr == s->nr_exit) {
		s->cap->tasks[idx].exit_code = (int)(code & 0xff);
		task_dead(s, idx);
		return;
	}
	for (size_t i = 0; i < s->cap->ntasks; i++) {
		if (s->cap->tasks[i].tgid == tgid && s->live[i].alive) {
			s->cap->tasks[i].exit_code = (int)(code & 0xff);
			task_dead(s, (uint32_t)i);
		}
	}
}

/* Kill the tree: its process group, every task still known alive (checked
 * against its start time, so that a reused tid is left alone), and our
 * children (orphans of the tree that we adopted as subreaper). */
static void kill_all(struct sup *s)
{
	if (s->root > 0)
		kill(-s->root, SIGKILL);
	for (size_t i = 0; i < s->cap->ntasks; i++) {
		const struct gt_task *t = &s->cap->tasks[i];

		if (s->live[i].alive && s->live[i].start && proc_start(t->tid) == s->live[i].start)
			kill(t->tid, SIGKILL);
	}
	gt_kill_descendants();
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

struct hook_ctx {
	const struct sock_fprog *prog;
	int report;   /* write end, close-on-exec */
	pid_t parent; /* gtdiff */
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

static enum gt_rc hook_error(struct sup *s, const struct hook_msg *m)
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
static enum gt_rc take_listener(struct sup *s, pid_t pid, int pidfd, int report, bool *gone)
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
static enum gt_rc check_exec(struct sup *s, pid_t tid, const struct gt_raw_event *ev,
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
static void check_own_seccomp(struct sup *s, const struct gt_raw_event *ev)
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

/* Let the call run.  Returns false when it never will: the task was killed
 * while we looked (the notification is gone). */
static bool let_continue(struct sup *s, uint64_t id)
{
	int e = gt_notify_continue(s->listener, id);

	/* Anything but a vanished caller leaves it waiting for good. */
	if (e && e != ENOENT && s->fail == GT_OK)
		s->fail = gt_error_set(s->err, GT_ERR_CAPTURE,
				       "cannot let a call of the command continue: "
				       "SECCOMP_IOCTL_NOTIF_SEND: %s",
				       strerror(e));
	return e == 0;
}

/* The argument of D the kernel fills with an fd pair, or -1. */
static int fdpair_arg(const struct gt_syscall_desc *d)
{
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++)
		if (d->argk[i] == GT_A_FDPAIR)
			return i;
	return -1;
}

/* The task IDX waits in its next call: the fd pair its previous call made
 * is in its memory now (if that call failed, whatever was there before:
 * canon-render.c takes only a plausible pair).  Into the blob; its offset,
 * or 0 when there is none to read or it cannot be read. */
static uint32_t fetch_pending_pair(struct sup *s, pid_t tid, uint32_t idx)
{
	struct live *l = &s->live[idx];
	uint32_t off = l->pair_ev < 0 ? 0 : gt_fetch_fixed(s->cap, tid, l->pair_addr,
							  2 * sizeof(int32_t));

	if (!off)
		l->pair_ev = -1;
	return off;
}

/* Attach the pair at blob offset OFF to the call that made it, in a free
 * memory slot. */
static void attach_pair(struct sup *s, uint32_t idx, uint32_t off)
{
	struct live *l = &s->live[idx];
	struct gt_raw_event *ev = &s->cap->events[l->pair_ev];
	int slot = ev->argi[0] == 0xff ? 0 : ev->argi[1] == 0xff ? 1 : -1;

	if (slot >= 0) {
		ev->argi[slot] = (uint8_t)l->pair_arg;
		ev->mem[slot] = off;
	}
	l->pair_ev = -1;
}

/* ---- one CPU without sync wake-up ---- */

/* The command is about to make a task: everything runs anywhere again
 * (the new task inherits its creator's mask). */
static void pin_end(struct sup *s)
{
	if (!gt_pin_end(&s->pin))
		return;
	for (size_t i = 0; i < s->cap->ntasks; i++)
		if (s->live[i].alive)
			gt_pin_release(&s->pin, s->cap->tasks[i].tid);
}

/* While pinned, a task asking for its own mask gets the one it would have
 * had, as the kernel would give it: EINVAL for a length that is not whole
 * longs or is too short, else MASKLEN bytes.  False: not its own (the
 * kernel answers).  The id is checked before writing, so that a task
 * killed meanwhile (its tid perhaps reused) is not written to. */
static bool answer_getaffinity(struct sup *s, const struct seccomp_notif *req)
{
	pid_t who = (pid_t)req->data.args[0];
	uint64_t len = req->data.args[1];
	int masklen;
	const cpu_set_t *mask = gt_pin_answer(&s->pin, &masklen);
	struct iovec local = {(void *)(uintptr_t)mask, (size_t)masklen};
	struct iovec remote = {(void *)(uintptr_t)req->data.args[2], (size_t)masklen};
	int error = 0;

	if (!mask || (who != 0 && who != (pid_t)req->pid))
		return false;
	if (len % sizeof(long) != 0 || len < (uint64_t)masklen)
		error = EINVAL;
	else if (!gt_notify_id_valid(s->listener, req->id))
		return true; /* gone: nothing to answer */
	else if (process_vm_writev((pid_t)req->pid, &local, 1, &remote, 1, 0) != masklen)
		error = EFAULT;
	gt_notify_answer(s->listener, req->id, masklen, error);
	return true;
}

/* Does the filter let calls through (any ignored)? */
static bool lets_through(const bool *ignore)
{
	for (int nr = 0; nr < gt_syscalls_max(); nr++)
		if (gt_capture_ignored(ignore, nr) && !always_notified(nr))
			return true;
	return false;
}

static void on_notification(struct sup *s)
{
	struct seccomp_notif req;
	const struct gt_syscall_desc *d;
	struct gt_raw_event ev;
	size_t blob_mark;
	bool checked;
	pid_t tid;
	int64_t i;
	uint32_t idx;
	int nr, e, pa;
	uint32_t pair;

	e = gt_notify_recv(s->listener, &req);
	if (e) {
		/* EINTR; ENOENT: the caller was killed meanwhile */
		if (e != EINTR && e != ENOENT && s->fail == GT_OK)
			s->fail = gt_error_set(s->err, GT_ERR_CAPTURE,
					       "cannot receive the command's calls: "
					       "SECCOMP_IOCTL_NOTIF_RECV: %s",
					       strerror(e));
		return;
	}
	tid = (pid_t)req.pid;
	nr = req.data.nr;
	if (!s->started) {
		/* The child's own calls before its execve are not the command. */
		if (tid != s->root || nr != s->nr_execve || req.data.arch != s->arch) {
			let_continue(s, req.id);
			return;
		}
		s->started = true;
		s->t0 = gt_now_ns();
	}
	s->answered++;
	if (req.data.arch != s->arch) {
		if (s->fail == GT_OK)
			s->fail = gt_error_set(s->err, GT_ERR_CAPTURE,
					       "the command runs code of another architecture "
					       "(AUDIT_ARCH 0x%x): gtdiff cannot name its calls",
					       req.data.arch);
		let_continue(s, req.id);
		return;
	}
	blob_mark = s->cap->bloblen;
	/* A tid of 0 would be a task outside our pid namespace: impossible
	 * for our descendants, but then it is the root's. */
	i = tid > 0 ? gt_tidmap_get(&s->map, tid) : 0;
	checked = i < 0; /* /proc was read for it: check the id after */
	if (i < 0)
		i = exec_takeover(s, tid);
	idx = i >= 0 ? (uint32_t)i : adopt(s, tid);
	d = gt_syscall_by_nr(nr);
	memset(&ev, 0, sizeof(ev));
	ev.argi[0] = ev.argi[1] = 0xff;
	ev.task = idx;
	ev.nr = nr;
	memcpy(ev.args, req.data.args, sizeof(ev.args));
	ev.t_enter_ns = ev.t_exit_ns = now_rel(s);
	ev.flags = d->retk == GT_R_NONE ? GT_EV_NO_RETURN : GT_EV_RET_UNKNOWN;
	pair = fetch_pending_pair(s, tid, idx);
	if (pair)
		checked = true;
	if (gt_syscall_fetches_at_entry(d) && fetch_args(s, tid, &ev, d))
		checked = true;
	/* The TOCTOU guard: the id is valid only while that very task waits in
	 * this very call, so if it still is, everything read above (memory,
	 * /proc) was that task's and not a reused tid's. */
	if (checked && !gt_notify_id_valid(s->listener, req.id)) {
		s->cap->bloblen = blob_mark;
		ev.mem[0] = ev.mem[1] = 0;
		ev.argi[0] = ev.argi[1] = 0xff;
		ev.flags |= GT_EV_FETCH_FAILED;
		pair = 0;
		s->live[idx].pair_ev = -1;
	}
	if (pair)
		attach_pair(s, idx, pair);
	if ((d->fx & GT_FX_EXEC) && s->fail == GT_OK) {
		enum gt_rc rc = check_exec(s, tid, &ev, d);

		if (rc != GT_OK)
			s->fail = rc;
	}
	if (s->fail == GT_OK) {
		check_own_seccomp(s, &ev);
		/* Refused: not one more call of it, its error message included. */
		if (s->fail != GT_OK)
			kill_all(s);
	}
	s->live[idx].in_exec = (d->fx & GT_FX_EXEC) != 0;
	if (d->fx & GT_FX_FORK) {
		note_clone(s, idx, &ev, d);
		pin_end(s);
	}
	if (nr == s->nr_exit || nr == s->nr_exit_group) {
		/* Before the answer, while its memory is there: its own peak
		 * since its exec (ru_maxrss would count gtdiff's pages). */
		long kb = gt_proc_peak_rss_kb((pid_t)req.pid);

		if (kb > s->cap->info.max_rss_kb)
			s->cap->info.max_rss_kb = kb;
	}
	if ((s->pin.on || s->pin.show) && nr == s->nr_getaffinity &&
	    answer_getaffinity(s, &req)) {
		/* answered: the call did not run, but the record is the same */
	} else if (!let_continue(s, req.id)) {
		/* Killed inside the call: like ptrace's, the call has no return. */
		ev.flags = (uint8_t)((ev.flags & ~GT_EV_RET_UNKNOWN) | GT_EV_NO_RETURN);
	}
	if (nr == s->nr_exit || nr == s->nr_exit_group)
		on_exit_call(s, idx, nr, ev.args[0]);
	if (gt_capture_ignored(s->ignore, nr))
		return;
	*gt_capture_add_event(s->cap) = ev;
	gt_capture_commit(s->cap);
	pa = fdpair_arg(d);
	if (pa >= 0 && ev.args[pa] && !(ev.flags & GT_EV_NO_RETURN)) {
		s->live[idx].pair_ev = (int64_t)s->cap->nevents - 1;
		s->live[idx].pair_arg = pa;
		s->live[idx].pair_addr = ev.args[pa];
	}
}

/* ---- exits ---- */

static void on_reaped(struct sup *s, pid_t pid, int status, const struct rusage *ru,
		      uint64_t t_start)
{
	struct gt_run_info *info = &s->cap->info;
	int64_t i = find_tid(s, pid);

	(void)ru;
	if (i >= 0) {
		struct gt_task *t = &s->cap->tasks[i];

		if (WIFEXITED(status))
			t->exit_code = WEXITSTATUS(status);
		else if (WIFSIGNALED(status))
			t->exit_signal = WTERMSIG(status);
		task_dead(s, (uint32_t)i);
	}
	if (pid != s->root)
		return;
	s->root_done = true;
	info->wall_s = (double)(gt_now_ns() - t_start) / 1e9;
	if (WIFEXITED(status))
		info->exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		info->term_signal = WTERMSIG(status);
}

/* Reap whatever of ours has exited: the root, and orphans of the tree that
 * came to us as their subreaper.  Returns false when no child is left. */
static bool reap(struct sup *s, uint64_t t_start)
{
	for (;;) {
		struct rusage ru;
		int status;
		pid_t w = wait4(-1, &status, __WALL | WNOHANG, &ru);

		if (w > 0) {
			on_reaped(s, w, status, &ru, t_start);
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

enum gt_rc gt_capture_seccomp_run(const struct gt_capture_opts *opts, struct gt_capture *c,
				  struct gt_error *err)
{
	struct sup s = {0};
	struct sigaction old[GT_CAPTURE_NSIGS];
	struct sock_fprog prog = {0, NULL};
	struct hook_ctx hook = {&prog, -1, 0};
	struct gt_tracee_start start = {0};
	struct pollfd pf[2];
	char *exe = NULL;
	int p[2] = {-1, -1}, errfd = -1, pidfd = -1, guardfd = -1, status, counter = -1;
	unsigned since_reap = 0;
	bool gone = false;
	enum gt_rc rc = GT_OK;
	uint64_t t_start;
	double user0, sys0, user1, sys1;
	pid_t pid;

	gt_syscalls_init();
	s.cap = c;
	s.err = err;
	s.ignore = opts->ignore;
	s.listener = -1;
	s.guardfd = -1;
	s.arch = seccomp_arch_native();
	s.nr_execve = gt_syscall_nr("execve");
	s.nr_exit = gt_syscall_nr("exit");
	s.nr_exit_group = gt_syscall_nr("exit_group");
	c->info.returns_known = false;
	exe = gt_capture_resolve(opts, err);
	if (!exe)
		return err ? err->rc : GT_ERR_CAPTURE;
	rc = build_filter(opts->ignore, &prog, err);
	if (rc != GT_OK)
		goto out_early;
	if (pipe2(p, O_CLOEXEC) < 0) {
		rc = gt_error_set(err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
		goto out_early;
	}
	hook.report = p[1];
	hook.parent = getpid();
	gt_capture_start_of(opts, exe, install_filter, &hook, &start);

	guardfd = -1;
	/* Orphaned descendants come back to us, not to init, so that we can
	 * reap them before returning. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	t_start = gt_now_ns();
	pid = gt_tracee_spawn(&start, &errfd, err);
	close(p[1]);
	p[1] = -1;
	if (pid < 0) {
		rc = GT_ERR_CAPTURE;
		goto out_early;
	}
	s.root = pid;
	gt_capture_kill_pgid = pid;
	gt_children_cpu(&user0, &sys0);
	guardfd = s.guardfd = gt_guard_start(pid);
	new_task(&s, pid, pid, -1, 0);
	s.live[0].start = proc_start(pid);
	gt_capture_signals_install(old, opts->timeout_s);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		rc = gt_error_set(err, GT_ERR_CAPTURE,
				  "the seccomp backend needs pidfd_open (Linux 5.3): %s; use "
				  "--backend ptrace",
				  strerror(errno));
	else
		rc = take_listener(&s, pid, pidfd, p[0], &gone);
	/* The child waits in its first notified call, before its exec: the
	 * counter of the calls the filter lets through starts there. */
	if (rc == GT_OK && lets_through(opts->ignore))
		counter = gt_syscall_counter_open(pid);
	if (rc != GT_OK) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
			;
		/* A timeout or a signal explains best (the handler's SIGKILL is
		 * what made a child that was still starting go); then a child
		 * that failed its own setup. */
		if (gt_capture_stop_reason) {
			rc = gt_capture_end_status(opts, c, errfd, err);
			errfd = -1;
			goto out;
		}
		if (gone && !gt_tracee_child_error(errfd, opts->argv[0], err))
			gt_error_set(err, GT_ERR_CAPTURE, "%s: the command died before it started",
				     opts->argv[0]);
		if (gone)
			errfd = -1;
		rc = GT_ERR_CAPTURE;
		goto out;
	}
	/* 6.6+: hand the CPU straight to the waiting task on answer. */
	s.sync_wakeup = !opts->tuning.no_sync_wakeup && gt_notify_sync_wakeup(s.listener);
	s.nr_getaffinity = gt_syscall_nr("sched_getaffinity");
	if (!s.sync_wakeup)
		gt_pin_start(&s.pin, pid, opts->tuning.no_pin);
	gt_pin_show(&s.pin, opts->show_cpus);

	pf[0] = (struct pollfd){s.listener, POLLIN, 0};
	pf[1] = (struct pollfd){pidfd, POLLIN, 0};
	for (;;) {
		int n;

		if (gt_capture_stop_reason || s.fail != GT_OK)
			kill_all(&s);
		if (s.root_done && !reap(&s, t_start))
			break; /* the root and all its descendants are gone */
		n = poll(pf, 2, s.root_done ? 10 : 100);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = gt_error_set(err, GT_ERR_CAPTURE, "poll: %s", strerror(errno));
			break;
		}
		if (pf[0].revents & POLLIN) {
			on_notification(&s);
			if (++since_reap < REAP_EVERY && !pf[1].revents)
				continue;
		} else if (pf[0].revents) {
			pf[0].fd = -1; /* no task uses the filter any more */
		}
		since_reap = 0;
		reap(&s, t_start);
		if (s.root_done)
			pf[1].fd = -1;
	}
	/* On a timeout or a failure: kill and reap whatever is left, orphans
	 * included (we are their subreaper), so that not even a zombie of the
	 * tree outlives the run. */
	for (;;) {
		pid_t w = waitpid(-1, &status, __WALL | WNOHANG);

		if (w > 0 || (w < 0 && errno == EINTR))
			continue;
		if (w < 0)
			break;
		kill_all(&s);
		usleep(1000);
	}
	assign_seq(c);

	if (rc != GT_OK) {
		/* poll failed: reported above */
	} else if (s.fail != GT_OK) {
		rc = s.fail;
	} else {
		rc = gt_capture_end_status(opts, c, errfd, err);
		errfd = -1;
	}
out:
	gt_pin_end(&s.pin); /* a command that never made a task left it on */
	gt_capture_signals_restore(old);
	/* CPU of the root and every descendant reaped (by their parents or by
	 * us as subreaper) during the run. */
	gt_children_cpu(&user1, &sys1);
	c->info.user_s = user1 - user0;
	c->info.sys_s = sys1 - sys0;
	c->info.syscalls = c->nevents + c->nfolded;
	c->info.intercepted = s.answered;
	gt_capture_let_through(&c->info, counter, s.answered, lets_through(opts->ignore));
	counter = -1;
	c->info.notified = s.answered;
	c->info.returns_known = false;
out_early:
	gt_guard_stop(guardfd);
	if (errfd >= 0)
		close(errfd);
	if (pidfd >= 0)
		close(pidfd);
	if (s.listener >= 0)
		close(s.listener);
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	free(prog.filter);
	free(s.live);
	gt_tidmap_free(&s.map);
	free(exe);
	return rc;
}

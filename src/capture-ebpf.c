/*
 * capture-ebpf: the eBPF backend.  The probe (src/ebpf/probe.bpf.c) is
 * loaded and attached before the command is spawned; the command waits,
 * before its exec, until its first task is tracked, then runs at full
 * speed: nothing stops it.  The probe follows every task it creates from
 * the kernel's fork tracepoint on (no child runs before it is known, no
 * other process is recorded) and writes each call's entry, its memory (the
 * strings, argv, sockaddrs and outputs that ptrace's gt_fetch_args reads)
 * and its exit into a ring buffer that the session's step drains every
 * GT_EBPF_POLL_MS.  The loader (src/ebpf/loader.c) pairs them; this file
 * turns them into the raw events the ptrace backend records, so that the
 * canonicalizer and a golden do not depend on the backend.
 *
 * Each task's calls are recorded in its own order; tasks are merged in the
 * order their calls completed (the ring's).  Nothing is dropped silently:
 * a record the ring had no room for, memory that could not be read, a task
 * the probe's table had no room for make the capture incomplete: the run
 * fails (exit 2) and no golden is written.
 *
 * The run itself (spawn, loop, reap) is capture-session.c's; these are its
 * hooks.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture-backend.h"
#include "capture-ebpf-dirs.h"
#include "capture-session.h"
#include "capture-util.h"
#include "ebpf/loader.h"
#include "ebpf/probe.h"
#include "taskstats.h"

/* A task's state during the run (the session's, then ours). */
struct etask {
	struct gt_live base;
	bool tid_known;   /* created by a FORK: its tid comes with its first record */
	uint32_t proc;    /* the task of its process (its own when a process) */
};

/* What the command's child does before its exec (async-signal-safe). */
struct child_ctx {
	int rd, wr;       /* the go pipe: the child reads RD */
	bool drop;        /* run as UID:GID (gt_capture_command_ids) */
	uid_t uid;
	gid_t gid;
};

struct ebpf_be {
	struct gt_ebpf *h;
	struct child_ctx child;
	bool root_done;
	/* serial (the probe's name of a task) -> 1 + task index (0: unknown) */
	uint32_t *by_serial;
	size_t nserial;
	struct gt_ebpf_dirs dirs;
	/* The peak RSS of each task that exited (taskstats.h): every exit of
	 * the machine, sorted out at the end. */
	struct gt_taskstats ts;
	struct exit_rss {
		pid_t pid;
		uint64_t kb;
	} *rss;
	size_t nrss, rss_cap;
	bool rss_lost;
	int nr_exit, nr_exit_group, nr_wait4, nr_execve, nr_execveat;
	int nr_clone, nr_clone3, nr_vfork;
};

static struct etask *et(const struct gt_session *s, uint32_t idx)
{
	return (struct etask *)gt_session_task(s, idx);
}

/* ---- the child's side ---- */

static int wait_for_go(void *p)
{
	const struct child_ctx *c = p;
	char b;
	ssize_t n;

	close(c->wr);
	do
		n = read(c->rd, &b, 1);
	while (n < 0 && errno == EINTR);
	close(c->rd);
	if (n != 1)
		return ECANCELED;
	if (c->drop) {
		if (setgroups(1, &c->gid) < 0 || setgid(c->gid) < 0 || setuid(c->uid) < 0)
			return errno;
	}
	return 0;
}

/* The run's TMPDIR (in the command's environment) is the invoking user's
 * when the command runs as that user. */
static void give_tmpdir(const struct gt_session *s, const struct child_ctx *c)
{
	for (char *const *e = s->opts->envp; c->drop && e && *e; e++)
		if (strncmp(*e, "TMPDIR=", 7) == 0 && (*e)[7] == '/' &&
		    chown(*e + 7, c->uid, c->gid) < 0) {
			/* Its own writes there will fail and show. */
		}
}

/* ---- tasks ---- */

static int64_t task_of_serial(const struct ebpf_be *b, uint32_t serial)
{
	if (serial < b->nserial && b->by_serial[serial])
		return (int64_t)b->by_serial[serial] - 1;
	return -1;
}

static void set_serial(struct ebpf_be *b, uint32_t serial, uint32_t idx)
{
	if (serial >= b->nserial) {
		size_t old = b->nserial;

		xgrow((void **)&b->by_serial, &b->nserial, (size_t)serial + 1, sizeof(*b->by_serial));
		memset(b->by_serial + old, 0, (b->nserial - old) * sizeof(*b->by_serial));
	}
	b->by_serial[serial] = idx + 1;
}

/* The task IDX has ids TID and TGID (from its first record). */
static void learn_ids(struct gt_session *s, uint32_t idx, pid_t tid, pid_t tgid)
{
	struct etask *l = et(s, idx);
	struct gt_task *t = &s->cap->tasks[idx];

	if (l->tid_known || tid <= 0)
		return;
	l->tid_known = true;
	if (l->base.alive) {
		gt_tidmap_del(&s->map, t->tid);
		gt_tidmap_put(&s->map, tid, idx);
	}
	t->tid = tid;
	t->tgid = tgid;
	if (tid == tgid)
		gt_guard_task(s->guardfd, tid);
}

/* The task a record of SERIAL belongs to: the root's first (its execve),
 * or one a FORK made.  -1: none (the FORK was lost, which is counted). */
static int64_t task_for(struct gt_session *s, uint32_t serial, pid_t tid, pid_t tgid)
{
	struct ebpf_be *b = s->backend;
	int64_t i = task_of_serial(b, serial);

	if (i < 0 && tid == s->root && !s->started) {
		set_serial(b, serial, 0);
		i = 0;
	}
	if (i >= 0)
		learn_ids(s, (uint32_t)i, tid, tgid);
	return i;
}

static uint32_t fork_flags(const struct ebpf_be *b, const struct gt_ebpf_event *e)
{
	if (e->fork_nr == b->nr_clone)
		return (uint32_t)e->fork_arg0;
	if (e->fork_nr == b->nr_clone3)
		return e->fork_has_clone3 ? (uint32_t)e->fork_clone3 : 0;
	if (e->fork_nr == b->nr_vfork)
		return CLONE_VM | CLONE_VFORK;
	return 0; /* fork */
}

static void on_fork(struct gt_session *s, const struct gt_ebpf_event *e)
{
	struct ebpf_be *b = s->backend;
	int64_t parent = task_for(s, e->task, e->tid, e->tgid);
	uint32_t flags, idx;
	const struct gt_task *pt;

	if (parent < 0)
		return;
	flags = fork_flags(b, e);
	pt = &s->cap->tasks[parent];
	/* Its tid comes with its first record: a placeholder until then that
	 * no real tid can be (tid 0 and -1 are the map's empty and deleted
	 * slots). */
	idx = gt_session_new_task(s, -(pid_t)(e->child + 1), (flags & CLONE_THREAD) ? pt->tgid : 0,
				  (int32_t)parent, flags);
	et(s, idx)->tid_known = false;
	et(s, idx)->proc = (flags & CLONE_THREAD) ? et(s, (uint32_t)parent)->proc : idx;
	set_serial(b, e->child, idx);
	if (!(flags & CLONE_THREAD))
		gt_ebpf_dirs_fork(&b->dirs, et(s, (uint32_t)parent)->proc, idx);
}

static void on_task_exit(struct gt_session *s, const struct gt_ebpf_event *e)
{
	struct ebpf_be *b = s->backend;
	int64_t i = task_for(s, e->task, e->tid, e->tgid);

	if (i < 0)
		return;
	gt_ebpf_dirs_flush(&b->dirs, s, (uint32_t)i);
	gt_session_task_dead(s, (uint32_t)i);
}

/* exit(CODE) ends the task, exit_group(CODE) every task of its process. */
static void on_exit_call(struct gt_session *s, uint32_t idx, const struct gt_raw_event *ev)
{
	const struct ebpf_be *b = s->backend;
	int code = (int)(ev->args[0] & 0xff);

	if (ev->nr == b->nr_exit) {
		s->cap->tasks[idx].exit_code = code;
		return;
	}
	for (size_t i = 0; i < s->cap->ntasks; i++)
		if (et(s, (uint32_t)i)->proc == et(s, idx)->proc && et(s, (uint32_t)i)->base.alive)
			s->cap->tasks[i].exit_code = code;
}

/* A wait4 that reaped child RET with STATUS: the child's end, also when a
 * signal killed it (which no call of its own shows). */
static void on_reaped_by_parent(struct gt_session *s, pid_t pid, const struct gt_ebpf_event *e)
{
	int status;

	if (pid <= 0 || e->out_len < sizeof(status))
		return;
	memcpy(&status, e->out, sizeof(status));
	for (size_t j = s->cap->ntasks; j-- > 0;)
		if (s->cap->tasks[j].tid == pid && s->cap->tasks[j].tgid == pid) {
			gt_session_task_status(s, (uint32_t)j, status);
			return;
		}
}

/* A thread other than the leader exec'd: it goes on as the leader (the
 * kernel gives it the leader's tid), as ptrace's PTRACE_EVENT_EXEC says. */
static void exec_by_thread(struct gt_session *s, uint32_t idx, const struct gt_ebpf_event *e)
{
	struct ebpf_be *b = s->backend;
	uint32_t lead = et(s, idx)->proc;

	if (lead == idx || s->cap->tasks[lead].tid != e->exit_tid)
		return;
	for (size_t j = 0; j < s->cap->ntasks; j++)
		if (et(s, (uint32_t)j)->proc == lead && j != lead)
			gt_session_task_dead(s, (uint32_t)j);
	gt_session_task_revive(s, lead, e->exit_tid);
	set_serial(b, e->task, lead);
}

/* ---- calls ---- */

/* Copy N bytes (and a NUL) into the blob; returns the offset. */
static uint32_t blob_str(struct gt_capture *c, const char *p, size_t n)
{
	char *t = xmalloc(n + 1);
	uint32_t off;

	memcpy(t, p, n);
	t[n] = '\0';
	off = gt_capture_blob_add(c, t, strlen(t) + 1);
	free(t);
	return off;
}

/* The slot of the probe's entry memory that holds argument I, or -1. */
static int slot_of(const struct gt_ebpf_event *e, int i)
{
	for (int k = 0; k < 2; k++)
		if (e->str_arg[k] == i)
			return k;
	return -1;
}

/* Argument I's memory read at entry, in the raw record's layout
 * (capture.h), or 0.  *LOST: it could not be read. */
static uint32_t entry_mem(struct gt_capture *c, const struct gt_ebpf_event *e, int i, int argk,
			  bool *lost)
{
	int k = slot_of(e, i);

	if (argk == GT_A_ARGV) {
		uint32_t n = e->argc, off;
		char *t;

		if (e->argv_arg != i || e->argv_lost) {
			*lost = e->argv_lost;
			return 0;
		}
		t = xmalloc(sizeof(n) + e->argv_len);
		memcpy(t, &n, sizeof(n));
		memcpy(t + sizeof(n), e->argv, e->argv_len);
		off = gt_capture_blob_add(c, t, sizeof(n) + e->argv_len);
		free(t);
		return off;
	}
	if (k < 0)
		return 0;
	if (e->str_lost & (1u << k))
		*lost = true;
	if (argk == GT_A_SOCKADDR) {
		uint32_t n = e->str[k] ? (uint32_t)e->str_len[k] : 0;
		unsigned char t[sizeof(uint32_t) + GT_EBPF_SOCKADDR_MAX];

		/* A length of 0 reads nothing, and has nothing to read. */
		if (!e->str[k] && (i + 1 >= GT_MAX_ARGS || e->args[i + 1] != 0))
			return 0;
		if (n > GT_EBPF_SOCKADDR_MAX)
			n = GT_EBPF_SOCKADDR_MAX;
		memcpy(t, &n, sizeof(n));
		if (n)
			memcpy(t + sizeof(n), e->str[k], n);
		return gt_capture_blob_add(c, t, sizeof(n) + n);
	}
	if (!e->str[k])
		return 0;
	if (argk == GT_A_CLONE3)
		return e->str_len[k] >= 8 ? gt_capture_blob_add(c, e->str[k], 8) : 0;
	return blob_str(c, e->str[k], e->str_len[k]);
}

/* Fill EV's memory slots as gt_fetch_args does for ptrace: the entry's,
 * then (when the call returned) the exit's, two at most. */
static void fill_mem(struct gt_session *s, struct gt_raw_event *ev, const struct gt_ebpf_event *e,
		     const struct gt_syscall_desc *d)
{
	int slot = 0;

	for (int pass = 0; pass < 2; pass++) {
		bool at_exit = pass == 1;

		if (at_exit ? !e->returned || !gt_syscall_fetches_at_exit(d)
			    : !gt_syscall_fetches_at_entry(d))
			continue;
		for (int i = 0; i < d->nargs && slot < 2; i++) {
			uint32_t off = 0;
			bool want = true, lost = false;
			int k = d->argk[i];

			switch (k) {
			case GT_A_PATH:
			case GT_A_STR:
			case GT_A_ARGV:
			case GT_A_SOCKADDR:
			case GT_A_CLONE3:
				if (at_exit)
					continue;
				off = entry_mem(s->cap, e, i, k, &lost);
				break;
			case GT_A_DIRENTS:
				/* The listing is the directory's whole, made when
				 * the task's run of reads of it ends
				 * (capture-ebpf-dirs.c). */
				if (!at_exit || ev->ret <= 0)
					continue;
				want = false;
				lost = e->out_lost;
				break;
			case GT_A_OUTPATH:
				if (!at_exit)
					continue;
				want = ev->ret > 0;
				lost = e->out_lost;
				if (want && e->out_arg == i && e->out)
					off = blob_str(s->cap, e->out,
						       e->out_len < (size_t)ev->ret ? e->out_len
										    : (size_t)ev->ret);
				break;
			case GT_A_FDPAIR:
				if (!at_exit)
					continue;
				want = ev->ret == 0;
				lost = e->out_lost;
				if (want && e->out_arg == i && e->out_len >= 2 * sizeof(int))
					off = gt_capture_blob_add(s->cap, e->out, 2 * sizeof(int));
				break;
			default:
				continue;
			}
			if (lost || e->no_mem || (!off && ev->args[i] && want))
				ev->flags |= GT_EV_FETCH_FAILED;
			ev->argi[slot] = (uint8_t)i;
			ev->mem[slot] = off;
			slot++;
		}
	}
}

static void on_call(struct gt_session *s, const struct gt_ebpf_event *e)
{
	struct ebpf_be *b = s->backend;
	int64_t i = task_for(s, e->task, e->tid, e->tgid);
	const struct gt_syscall_desc *d;
	struct gt_raw_event ev;
	uint32_t idx;

	if (i < 0)
		return;
	idx = (uint32_t)i;
	if (!s->started) {
		/* The probe starts at the root's execve. */
		s->started = true;
		s->t0 = e->enter_ns;
	}
	d = gt_syscall_by_nr(e->nr);
	memset(&ev, 0, sizeof(ev));
	ev.argi[0] = ev.argi[1] = 0xff;
	ev.task = idx;
	ev.nr = e->nr;
	memcpy(ev.args, e->args, sizeof(ev.args));
	ev.t_enter_ns = e->enter_ns > s->t0 ? e->enter_ns - s->t0 : 0;
	if (e->returned) {
		ev.ret = e->ret;
		ev.t_exit_ns = e->exit_ns > s->t0 ? e->exit_ns - s->t0 : ev.t_enter_ns;
	} else {
		ev.flags |= GT_EV_NO_RETURN;
		ev.t_exit_ns = ev.t_enter_ns;
	}
	fill_mem(s, &ev, e, d);
	if (ev.nr == b->nr_exit || ev.nr == b->nr_exit_group)
		on_exit_call(s, idx, &ev);
	else if (ev.nr == b->nr_wait4 && e->returned && ev.ret > 0)
		on_reaped_by_parent(s, (pid_t)ev.ret, e);
	gt_ebpf_dirs_call(&b->dirs, s, et(s, idx)->proc, &ev, e->out, e->out_len);
	if ((ev.nr == b->nr_execve || ev.nr == b->nr_execveat) && e->returned && ev.ret == 0 &&
	    e->exit_tid != e->tid)
		exec_by_thread(s, idx, e);
}

static void on_event(const struct gt_ebpf_event *e, void *ctx)
{
	struct gt_session *s = ctx;

	switch (e->kind) {
	case GT_EBPF_EV_SYSCALL:
		on_call(s, e);
		break;
	case GT_EBPF_EV_FORK:
		on_fork(s, e);
		break;
	case GT_EBPF_EV_TASK_EXIT:
		on_task_exit(s, e);
		break;
	}
}

/* ---- peak RSS ---- */

static void on_task_rss(pid_t pid, uint64_t kb, void *ctx)
{
	struct ebpf_be *b = ctx;

	if (!kb)
		return;
	xgrow((void **)&b->rss, &b->rss_cap, b->nrss + 1, sizeof(*b->rss));
	b->rss[b->nrss++] = (struct exit_rss){pid, kb};
}

static void drain_rss(struct ebpf_be *b)
{
	if (b->ts.fd >= 0 && gt_taskstats_drain(&b->ts, on_task_rss, b) < 0)
		b->rss_lost = true;
}

/* The run's peak RSS: the largest of its tasks' at their exits.  Without
 * the kernel's reports (or some lost), wait4's, which counts gtdiff's own
 * pages from before the exec too (reap kept it). */
static void peak_rss(struct gt_session *s)
{
	struct ebpf_be *b = s->backend;
	struct gt_tidmap ours = {0};
	long peak = 0;

	if (b->ts.fd < 0 || b->rss_lost)
		return;
	for (size_t i = 0; i < s->cap->ntasks; i++)
		if (s->cap->tasks[i].tid > 0)
			gt_tidmap_put(&ours, s->cap->tasks[i].tid, (uint32_t)i);
	for (size_t i = 0; i < b->nrss; i++)
		if (gt_tidmap_get(&ours, b->rss[i].pid) >= 0 && (long)b->rss[i].kb > peak)
			peak = (long)b->rss[i].kb;
	gt_tidmap_free(&ours);
	if (peak)
		s->cap->info.max_rss_kb = peak;
}

/* ---- reaping ---- */

/* Reap what of ours has exited (the root, and orphans of the tree that came
 * to us as their subreaper).  False when no child is left. */
static bool reap(struct gt_session *s)
{
	struct ebpf_be *b = s->backend;

	for (;;) {
		struct rusage ru;
		int status;
		pid_t w = wait4(-1, &status, __WALL | WNOHANG, &ru);

		if (w > 0) {
			for (size_t j = s->cap->ntasks; j-- > 0;) {
				if (s->cap->tasks[j].tid == w && s->cap->tasks[j].tgid == w) {
					gt_session_task_status(s, (uint32_t)j, status);
					break;
				}
			}
			if (ru.ru_maxrss > s->cap->info.max_rss_kb)
				s->cap->info.max_rss_kb = ru.ru_maxrss;
			if (w == s->root) {
				b->root_done = true;
				gt_session_root_status(s, status);
			}
			continue;
		}
		if (w == 0)
			return true;
		if (errno == EINTR)
			continue;
		return false; /* ECHILD */
	}
}

/* ---- the hooks on the session ---- */

static enum gt_rc ebpf_prepare(struct gt_session *s, struct gt_tracee_start *start)
{
	struct ebpf_be *b = s->backend;
	struct gt_ebpf_opts eo = {0};
	int p[2];
	enum gt_rc rc;

	b->nr_exit = gt_syscall_nr("exit");
	b->nr_exit_group = gt_syscall_nr("exit_group");
	b->nr_wait4 = gt_syscall_nr("wait4");
	b->nr_execve = gt_syscall_nr("execve");
	b->nr_execveat = gt_syscall_nr("execveat");
	b->nr_clone = gt_syscall_nr("clone");
	b->nr_clone3 = gt_syscall_nr("clone3");
	b->nr_vfork = gt_syscall_nr("vfork");
	eo.ring_bytes = s->opts->tuning.ebpf_ring;
	eo.ignore = s->ignore;
	for (int nr = 0; nr < gt_syscalls_max(); nr++)
		if (gt_capture_ignored(s->ignore, nr))
			s->lets_through = true;
	rc = gt_ebpf_open(&eo, &b->h, s->err);
	if (rc != GT_OK)
		return rc;
	gt_taskstats_open(&b->ts);
	if (pipe2(p, O_CLOEXEC) < 0)
		return gt_error_set(s->err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
	b->child.rd = p[0];
	b->child.wr = p[1];
	b->child.drop = gt_capture_command_ids(GT_BACKEND_EBPF, &s->opts->tuning, &b->child.uid,
					       &b->child.gid);
	give_tmpdir(s, &b->child);
	gt_ebpf_dirs_init(&b->dirs, s->opts->cwd);
	start->before_exec = wait_for_go;
	start->ctx = &b->child;
	return GT_OK;
}

static void ebpf_spawned(struct gt_session *s, pid_t pid)
{
	struct ebpf_be *b = s->backend;

	(void)pid;
	gt_close_fd(&b->child.rd);
}

static void ebpf_task_init(struct gt_session *s, uint32_t idx)
{
	struct etask *l = et(s, idx);

	l->tid_known = true;
	l->proc = idx;
	if (idx == 0)
		gt_guard_task(s->guardfd, s->cap->tasks[0].tid);
}

static enum gt_rc ebpf_attach(struct gt_session *s)
{
	struct ebpf_be *b = s->backend;
	enum gt_rc rc = gt_ebpf_track(b->h, s->root, s->err);

	if (rc == GT_OK) {
		s->pidfd = (int)syscall(SYS_pidfd_open, s->root, 0);
		if (write(b->child.wr, "g", 1) != 1)
			rc = gt_error_set(s->err, GT_ERR_CAPTURE, "cannot release the command: %s",
					  strerror(errno));
	}
	gt_close_fd(&b->child.wr);
	return rc;
}

/* Drain the ring, reap what exited, and wait a poll period (or until the
 * root exits). */
static bool ebpf_step(struct gt_session *s)
{
	struct ebpf_be *b = s->backend;
	bool left;
	enum gt_rc rc;

	pthread_mutex_lock(&s->lock);
	rc = gt_ebpf_poll(b->h, on_event, s, NULL, s->err);
	if (rc != GT_OK)
		gt_session_fail(s, rc);
	left = reap(s);
	drain_rss(b);
	pthread_mutex_unlock(&s->lock);
	if (!left)
		return false; /* the root and all its descendants are gone */
	if (!b->root_done && s->pidfd >= 0) {
		struct pollfd pf = {s->pidfd, POLLIN, 0};

		poll(&pf, 1, GT_EBPF_POLL_MS);
	} else {
		poll(NULL, 0, GT_EBPF_POLL_MS);
	}
	return true;
}

static void ebpf_reaped(struct gt_session *s)
{
	struct ebpf_be *b = s->backend;
	uint64_t records = 0, strings = 0;
	enum gt_rc rc;

	rc = gt_ebpf_finish(b->h, on_event, s, s->err);
	if (rc != GT_OK)
		gt_session_fail(s, rc);
	for (size_t i = 0; i < s->cap->ntasks; i++) {
		gt_ebpf_dirs_flush(&b->dirs, s, (uint32_t)i);
		gt_session_task_dead(s, (uint32_t)i);
	}
	drain_rss(b);
	peak_rss(s);
	gt_ebpf_lost(b->h, &records, &strings);
	if (records || strings)
		gt_session_fail(s, gt_error_set(
			s->err, GT_ERR_CAPTURE,
			"eBPF backend: the capture is incomplete: %llu records lost (the ring "
			"buffer of %zu bytes was full, or too many tasks: raise --ebpf-ring or "
			"GTDIFF_EBPF_RING), %llu pieces of memory (paths, argv, outputs) "
			"unreadable; nothing was written",
			(unsigned long long)records,
			s->opts->tuning.ebpf_ring ? s->opts->tuning.ebpf_ring : GT_EBPF_RING_DEFAULT,
			(unsigned long long)strings));
}

static void ebpf_finish(struct gt_session *s)
{
	struct ebpf_be *b = s->backend;

	gt_ebpf_close(b->h);
	b->h = NULL;
	gt_close_fd(&b->child.rd);
	gt_close_fd(&b->child.wr);
	gt_ebpf_dirs_free(&b->dirs);
	gt_taskstats_close(&b->ts);
	free(b->rss);
	b->rss = NULL;
	free(b->by_serial);
	b->by_serial = NULL;
	s->cap->info.intercepted = s->cap->nevents + s->cap->nfolded;
	s->cap->info.returns_known = true;
}

static const struct gt_session_hooks ebpf_hooks = {
	.task_size = sizeof(struct etask),
	.held = false,
	.child_explains = true,
	.prepare = ebpf_prepare,
	.spawned = ebpf_spawned,
	.task_init = ebpf_task_init,
	.attach = ebpf_attach,
	.step = ebpf_step,
	.reaped = ebpf_reaped,
	.finish = ebpf_finish,
};

bool gt_capture_ebpf_shows(const struct gt_capture_opts *opts)
{
	struct gt_pin pin = {0};
	const cpu_set_t *mask;
	cpu_set_t mine;
	int len;

	gt_pin_show(&pin, opts->show_cpus);
	mask = gt_pin_answer(&pin, &len);
	CPU_ZERO(&mine);
	return !mask || (sched_getaffinity(0, sizeof(mine), &mine) == 0 && CPU_EQUAL(&mine, mask));
}

enum gt_rc gt_capture_ebpf_run(const struct gt_capture_opts *opts, struct gt_capture *c,
			       struct gt_error *err)
{
	struct ebpf_be b = {.child = {.rd = -1, .wr = -1}, .ts = {.fd = -1}};

	return gt_session_run(opts, c, &ebpf_hooks, &b, err);
}

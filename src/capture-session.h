/*
 * capture-session: one capture run, whatever the backend.  A session holds
 * what every backend needs (the record, the tasks and their tid map, the
 * CPU pin, the ignore set, the first error, the clock, the root and its
 * guard) and runs the sequence every backend follows once: resolve the
 * command, spawn it, attach, loop until its tasks are gone, kill and reap
 * what is left, account.  A backend is a set of hooks on that sequence
 * (struct gt_session_hooks): ptrace stops at every call, seccomp user
 * notification records calls at entry, and a backend that consumes a ring
 * buffer fits the same steps (spawn stopped, attach, step = drain the
 * buffer and reap).  Internal to capture-*.c.
 */
#ifndef GT_CAPTURE_SESSION_H
#define GT_CAPTURE_SESSION_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture-util.h"
#include "capture.h"
#include "tracee.h"

/* What the session knows of a task while the command runs (parallel to
 * cap->tasks).  A backend's per-task state begins with it. */
struct gt_live {
	bool alive;
	/* Start time from /proc (gt_proc_start), 0 when unknown or not read:
	 * with the tid it names one task for good, even after the tid is
	 * reused. */
	unsigned long long start;
	/* A call recorded at entry whose fd pair (pipe2, socketpair) the
	 * kernel writes: its event index (-1: none), the argument and its
	 * address.  Read at the task's next notified call (capture-notify.c). */
	int64_t pair_ev;
	int pair_arg;
	uint64_t pair_addr;
};

struct gt_session;
struct seccomp_notif;
struct gt_syscall_desc;

/* What a notification path (capture-notify.c) asks of the backend whose
 * filter notifies.  Called with the session's lock held. */
struct gt_notify_hooks {
	/* The task that made a call: known, taken over or adopted.  *CHECKED:
	 * /proc was read for it, so the notification id must be checked. */
	uint32_t (*task_of)(struct gt_session *s, pid_t tid, bool *checked);
	/* Refuse what it cannot record (sets s->fail). */
	void (*check)(struct gt_session *s, uint32_t idx, pid_t tid,
		      const struct gt_raw_event *ev, const struct gt_syscall_desc *d);
	/* Before the call is let go, and after (NULL: nothing). */
	void (*before_answer)(struct gt_session *s, uint32_t idx, pid_t tid,
			      const struct gt_raw_event *ev, const struct gt_syscall_desc *d);
	void (*after_answer)(struct gt_session *s, uint32_t idx, const struct gt_raw_event *ev);
};

/* A backend: hooks on the session's sequence (gt_session_run).  NULL hooks
 * do nothing. */
struct gt_session_hooks {
	/* Bytes of the backend's per-task state (at least sizeof(struct
	 * gt_live), which it begins with). */
	size_t task_size;
	/* A task's tid stays its own until the session reaps it (a traced
	 * task): killing it needs no check of its start time. */
	bool held;
	/* When attach fails, the command's own report of a failed setup
	 * explains it best, if it made one; otherwise only when the root
	 * died first (s->root_gone). */
	bool child_explains;
	/* Before the spawn: filters, the child's hook (START->before_exec,
	 * ctx), the pin the command inherits; s->lets_through. */
	enum gt_rc (*prepare)(struct gt_session *s, struct gt_tracee_start *start);
	/* Right after the spawn, whether it worked or not (PID < 0): close
	 * the child's ends of the backend's pipes. */
	void (*spawned)(struct gt_session *s, pid_t pid);
	/* The new task IDX (its gt_live set, start 0, pair_ev -1). */
	void (*task_init)(struct gt_session *s, uint32_t idx);
	/* The root is spawned, known as task 0, guarded, the stop signals
	 * installed: take hold of it (seize it, take its listener) and open
	 * s->counter.  Sets ERR and s->root_gone as it fails. */
	enum gt_rc (*attach)(struct gt_session *s);
	/* Wait for what the command does next and record it.  False when
	 * nothing is left to wait for.  Called without the lock. */
	bool (*step)(struct gt_session *s);
	/* The loop is over, before the last reap (stop helper threads). */
	void (*loop_done)(struct gt_session *s);
	/* Everything is reaped: complete the record (task order). */
	void (*reaped)(struct gt_session *s);
	/* The run is over, whatever happened after prepare: the record's
	 * counts (info.intercepted, returns_known) and the backend's own
	 * resources. */
	void (*finish)(struct gt_session *s);
	/* The notification path's hooks, for a backend whose filter notifies
	 * (NULL: none). */
	const struct gt_notify_hooks *notify;
};

struct gt_session {
	const struct gt_capture_opts *opts;
	const struct gt_session_hooks *hooks;
	void *backend;            /* the backend's own state */
	struct gt_capture *cap;
	struct gt_error *err;
	enum gt_rc fail;          /* set when the run must be aborted */
	const bool *ignore;       /* opts->ignore */
	/* tasks */
	void *live;               /* hooks->task_size bytes per task */
	size_t live_cap;
	size_t nalive;
	struct gt_tidmap map;     /* tid -> task index */
	pid_t root;
	bool root_gone;           /* the root died before attach took hold */
	/* the clock: relative to the root's first execve */
	bool started;
	uint64_t t0;
	uint64_t t_start;         /* the spawn, for wall_s */
	/* One CPU for gtdiff and a single-task command (gt_pin). */
	struct gt_pin pin;
	int nr_getaffinity;
	/* Our filter lets calls through in the kernel; COUNTER counts every
	 * call (gt_syscall_counter_open), -1: none. */
	bool lets_through;
	int counter;
	int guardfd;              /* gt_guard_start's, or -1 */
	int pidfd;                /* the root's, or -1 */
	int listener;             /* a user-notification listener, or -1 */
	uint64_t notified;        /* notifications answered after the start */
	int nr_execve;
	uint32_t arch;            /* native AUDIT_ARCH_* */
	/* Another thread records too (the notifier of --backend auto): LOCK
	 * covers the record and everything above; the notification path
	 * records a call before its task goes on. */
	pthread_mutex_t lock;
	bool threaded;
	pthread_t notifier;
	int stopfd;               /* ends the notifier (an eventfd), or -1 */
};

/* Run OPTS->argv under HOOKS into C (already created); see gt_capture_run
 * for the contract. */
enum gt_rc gt_session_run(const struct gt_capture_opts *opts, struct gt_capture *c,
			  const struct gt_session_hooks *hooks, void *backend,
			  struct gt_error *err);

/* The state of task IDX. */
static inline struct gt_live *gt_session_task(const struct gt_session *s, uint32_t idx)
{
	return (struct gt_live *)((char *)s->live + (size_t)idx * s->hooks->task_size);
}

/* A new live task: on record, in the tid map, counted alive. */
uint32_t gt_session_new_task(struct gt_session *s, pid_t tid, pid_t tgid, int32_t parent,
			     uint32_t flags);
/* A task we do not know stopped or called: one whose creation the backend
 * has not seen yet (parent -2, completed later or, at the end, taken as
 * the root's child). */
uint32_t gt_session_adopt(struct gt_session *s, pid_t tid);
/* The task of TID that a creation event (fork, vfork, clone) completes:
 * the one in the tid map, or else one adopted (parent -2) whose whole life
 * came before its creator's event, so that it is gone from the map: a
 * vfork child can run to its exit while its parent, preempted, has not
 * reached its event stop yet.  Its tid cannot be reused meanwhile: the
 * creator, which must reap it, is held in that stop.  -1: none. */
int64_t gt_session_early_child(const struct gt_session *s, pid_t tid);
/* Task IDX is gone (not alive, out of the tid map), or back (TID maps to
 * it again: a thread's exec made it the leader again). */
void gt_session_task_dead(struct gt_session *s, uint32_t idx);
void gt_session_task_revive(struct gt_session *s, uint32_t idx, pid_t tid);
/* Exit status of task IDX from a wait status; for the root also the run's
 * (info.exit_code, term_signal, wall_s). */
void gt_session_task_status(struct gt_session *s, uint32_t idx, int status);
void gt_session_root_status(struct gt_session *s, int status);
/* Kill the tree: its process group, every task known alive (a task that is
 * not held only while its start time still matches), and our children. */
void gt_session_kill_all(struct gt_session *s);
/* The command made a task: everything may run anywhere again. */
void gt_session_pin_end(struct gt_session *s);
/* Set S->fail to RC unless a failure came first. */
void gt_session_fail(struct gt_session *s, enum gt_rc rc);
/* Nanoseconds since the start (the root's execve). */
uint64_t gt_session_now(const struct gt_session *s);
/* A call was recorded whole: on record (unless ignored) and folded. */
void gt_session_record(struct gt_session *s, const struct gt_raw_event *ev);

#endif

/*
 * loader: the user-space half of the eBPF capture backend.  It loads and
 * attaches the probe (probe.bpf.c), seeds it with the command's first task,
 * reads the ring buffer and hands back one event per syscall (entry and
 * exit paired), per task created and per task exit.  It does not spawn
 * the command and builds no capture record: the capture session does both
 * and calls this module.
 *
 * Use:
 *     gt_ebpf_open(&opts, &h, &err);          load and attach (root)
 *     pid = <fork; the child blocks, e.g. reading a pipe, before exec>
 *     gt_ebpf_track(h, pid, &err);            recorded from its execve on
 *     <release the child>
 *     while (<the command runs>) {            every GT_EBPF_POLL_MS
 *             gt_ebpf_poll(h, cb, ctx, &err);
 *     }
 *     gt_ebpf_finish(h, cb, ctx, &err);       the rest, and calls that never returned
 *     gt_ebpf_lost(h, &records, &strings);    non-zero: the capture is incomplete
 *     gt_ebpf_close(h);
 *
 * Tasks are followed in the kernel from the moment they are created, so no
 * child runs before it is known, and no other process is ever recorded.
 * Nothing is dropped silently: what the ring buffer had no room for and
 * the strings that could not be read are counted (gt_ebpf_lost); a caller
 * must fail the capture when they are not zero.
 */
#ifndef GT_EBPF_LOADER_H
#define GT_EBPF_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* How often the consumer should read the ring: the probe never wakes it
 * up (BPF_RB_NO_WAKEUP), which saves a wake-up per record. */
#define GT_EBPF_POLL_MS 10
#define GT_EBPF_RING_DEFAULT ((size_t)16 << 20)

struct gt_ebpf_opts {
	size_t ring_bytes;  /* 0: GT_EBPF_RING_DEFAULT; else a power of two >= 4096 */
	uint32_t max_tasks; /* 0: 32768 tasks alive at once */
};

enum gt_ebpf_kind {
	GT_EBPF_EV_SYSCALL,   /* a call: its entry and, if it returned, its exit */
	GT_EBPF_EV_FORK,      /* TASK created CHILD (a process or a thread) */
	GT_EBPF_EV_TASK_EXIT, /* TASK exited */
};

/* One event.  Tasks are named by serial numbers (1, 2... in order of
 * discovery) that never change; their tid and tgid are as seen from
 * gtdiff's pid namespace. */
struct gt_ebpf_event {
	enum gt_ebpf_kind kind;
	uint32_t task;    /* serial of the task */
	uint32_t child;   /* FORK: the new task's serial */
	pid_t tid, tgid;  /* at entry (SYSCALL), else at the event */
	pid_t exit_tid;   /* SYSCALL that returned: tid at exit (a thread's
			   * exec takes the process id) */
	int32_t nr;       /* native syscall number */
	uint64_t args[6];
	int64_t ret;      /* the raw return: -errno on failure */
	bool returned;    /* false: no exit (exit_group, the task died) */
	uint64_t enter_ns, exit_ns; /* CLOCK_MONOTONIC; exit_ns 0 if not returned */
	/* Path arguments (the arguments of kind GT_A_PATH, two at most):
	 * STR[I] is the string of argument STR_ARG[I] (-1: none), NULL when
	 * the pointer was NULL or it could not be read (then bit I of
	 * STR_LOST is set and it was counted in gt_ebpf_lost).  The strings
	 * are valid during the callback only. */
	int str_arg[2];
	const char *str[2];
	unsigned str_lost;
	uint64_t ts;      /* FORK, TASK_EXIT: when (CLOCK_MONOTONIC) */
};

typedef void (*gt_ebpf_cb)(const struct gt_ebpf_event *ev, void *ctx);

struct gt_ebpf;

/* Load the probe, size its maps from OPTS (NULL: defaults) and attach it.
 * Fails with GT_ERR_CAPTURE and a message that names the fallback
 * (--backend ptrace) when gtdiff lacks the privilege (root, or CAP_BPF with
 * CAP_PERFMON) or the kernel refuses the probe; GT_ERR_USAGE for a ring
 * size that is not a power of two.  *OUT is the caller's: gt_ebpf_close. */
enum gt_rc gt_ebpf_open(const struct gt_ebpf_opts *opts, struct gt_ebpf **out,
			struct gt_error *err);

/* Follow PID (in gtdiff's pid namespace) and every task it creates, from
 * its next execve (or execveat) on, that call included: what it does
 * before, gtdiff's setup of the command, is not recorded.  PID must not
 * reach its exec yet: call this before releasing it.  Up to 64 tasks may
 * wait for their exec at once. */
enum gt_rc gt_ebpf_track(struct gt_ebpf *h, pid_t pid, struct gt_error *err);

/* Read what the ring holds and call CB for each event completed: a
 * syscall when it has returned (or its task exited), FORK and TASK_EXIT
 * when they happen.  Events of one task come in its order; a FORK comes
 * before any event of its child.  *N (may be NULL) is set to the number
 * of records read.  Fails with GT_ERR_CAPTURE when the ring cannot be
 * read. */
enum gt_rc gt_ebpf_poll(struct gt_ebpf *h, gt_ebpf_cb cb, void *ctx, size_t *n,
			struct gt_error *err);

/* After the command's last task exited: poll once more, then hand over
 * the calls still open as not returned, in serial order. */
enum gt_rc gt_ebpf_finish(struct gt_ebpf *h, gt_ebpf_cb cb, void *ctx, struct gt_error *err);

/* What could not be recorded so far: *RECORDS (the ring buffer was full,
 * or the task table was and a child was not followed) and *STRINGS (path
 * arguments that could not be read).  Either may be NULL.  The counters
 * are the probe's, so they hold whatever has not been polled yet too. */
void gt_ebpf_lost(struct gt_ebpf *h, uint64_t *records, uint64_t *strings);

/* For measurements: turn on the kernel's run-time statistics of BPF
 * programs (system-wide, for as long as H is open; it costs two clock
 * reads per program run), then read the probe's: *RUNS program runs
 * (entries, exits, forks and exits of the tracked tasks and the tests of
 * every other task's calls) taking *NS in all.  Fails with GT_ERR_CAPTURE
 * when the kernel has no statistics. */
enum gt_rc gt_ebpf_stats_enable(struct gt_ebpf *h, struct gt_error *err);
void gt_ebpf_stats(struct gt_ebpf *h, uint64_t *runs, uint64_t *ns);

/* Detach and free everything.  Accepts NULL. */
void gt_ebpf_close(struct gt_ebpf *h);

#endif

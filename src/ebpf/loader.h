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
	/* Syscalls (native numbers, gt_syscalls_max() entries) the probe
	 * records nothing of, except those that start, make or end tasks
	 * (execve, clone, exit...), which a capture needs.  NULL: none. */
	const bool *ignore;
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
	/* Memory read at entry, two slots at most: the strings of arguments
	 * of kind GT_A_PATH and GT_A_STR, a sockaddr (GT_A_SOCKADDR, up to
	 * 128 bytes) and clone3's flags (GT_A_CLONE3, 8 bytes).  STR[I] holds
	 * STR_LEN[I] bytes (a string: with its NUL) of argument STR_ARG[I]
	 * (-1: none), of kind STR_KIND[I] (enum gt_ebpf_mem_kind); NULL when
	 * the pointer was NULL or it could not be read (then bit I of
	 * STR_LOST is set and it was counted in gt_ebpf_lost).  Everything
	 * pointed to is valid during the callback only. */
	int str_arg[2];
	int str_kind[2];
	const char *str[2];
	size_t str_len[2];
	unsigned str_lost;
	/* The call was seen at its exit only (a seccomp filter of the
	 * program's own refused it): none of its memory was read. */
	bool no_mem;
	/* execve's argv (argument ARGV_ARG, -1: none): ARGC strings, each
	 * with its NUL, back to back in ARGV (ARGV_LEN bytes).  ARGV_LOST:
	 * some of it could not be read (counted). */
	int argv_arg;
	uint32_t argc;
	const char *argv;
	size_t argv_len;
	bool argv_lost;
	/* What the kernel wrote, read at exit: argument OUT_ARG (-1: none)
	 * of kind OUT_KIND (an fd pair, getcwd's or readlink's path,
	 * getdents64's entries, wait4's status), OUT_LEN bytes at OUT.
	 * OUT_LOST: some of it could not be read (counted). */
	int out_arg;
	int out_kind;
	const char *out;
	size_t out_len;
	bool out_lost;
	/* FORK: the call of TASK in progress that made CHILD (FORK_NR -1:
	 * none seen), its first argument, and clone3's flags when
	 * FORK_HAS_CLONE3. */
	int32_t fork_nr;
	uint64_t fork_arg0;
	uint64_t fork_clone3;
	bool fork_has_clone3;
	uint64_t ts;      /* FORK, TASK_EXIT: when (CLOCK_MONOTONIC) */
};

/* Is NR one of the calls the probe records even when told to ignore it
 * (gt_ebpf_opts.ignore): they start, make or end tasks. */
bool gt_ebpf_always_recorded(int nr);

/* Is gtdiff privileged enough for the probe (root, or CAP_BPF with
 * CAP_PERFMON)?  Cheap: no BPF call is made. */
bool gt_ebpf_allowed(void);
/* Allowed, and the kernel is recent enough for the probe (bpf_loop: Linux
 * 5.17).  Cheap: no BPF call is made. */
bool gt_ebpf_usable(void);

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
 * or the task table was and a child was not followed) and *STRINGS
 * (memory of a call that could not be read: a path, argv, an output).  Either may be NULL.  The counters
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

/*
 * capture-util: what the capture backends share: the signals that stop a
 * run (timeout, ^C, SIGTERM, SIGHUP), the tid -> task map, and fetching
 * tracee memory (strings, argv, sockaddrs, small structs) into the raw
 * record's blob.  Internal to capture-*.c.
 */
#ifndef GT_CAPTURE_UTIL_H
#define GT_CAPTURE_UTIL_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture.h"

/* ---- stopping a run ---- */

/* The signal that stopped the run (SIGALRM for the timeout, SIGINT,
 * SIGTERM, SIGHUP), or 0.  Set by the handler. */
extern volatile sig_atomic_t gt_capture_stop_reason;
/* The process group the handler kills with SIGKILL (0: none). */
extern volatile pid_t gt_capture_kill_pgid;

#define GT_CAPTURE_NSIGS 5
/* Install the handlers (without SA_RESTART, so that a blocking wait
 * returns EINTR), ignore SIGPIPE, and arm the timeout (0: none); the old
 * dispositions go to OLD.  SIGINT, SIGTERM and SIGHUP also go through
 * gtdiff's signal policy (interrupt.h); one that came before the install
 * stops the run at once.  After the first signal the handler re-arms a
 * 100 ms interval so that the loop keeps being interrupted until it has
 * noticed. */
void gt_capture_signals_install(struct sigaction old[GT_CAPTURE_NSIGS], double timeout_s);
void gt_capture_signals_restore(const struct sigaction old[GT_CAPTURE_NSIGS]);

/* ---- the tree dies with gtdiff ---- */

/* Start a guard: a small process, not our child, that kills the command's
 * tree when gtdiff dies without a chance to (SIGKILL): the process group
 * PGID, the processes told of with gt_guard_task and whatever they started
 * (a setsid double-forked daemon too).  Meanwhile it sends a stopped
 * gtdiff SIGCONT (a command that ran kill(getppid(), SIGSTOP)), except
 * after ^Z (SIGTSTP, caught while it runs).  Returns our end of its socket
 * (writes to it never raise SIGPIPE), or -1: then the tree does not die
 * with gtdiff, which is no reason to fail. */
int gt_guard_start(pid_t pgid);
/* PID is a process of the tree (a setsid may take it out of the group). */
void gt_guard_task(int fd, pid_t pid);
/* The run is over and everything reaped: the guard goes (FD < 0: none). */
void gt_guard_stop(int fd);

/* SIGKILL every descendant of gtdiff (we are their subreaper, so orphans of
 * the tree are among them), walking /proc/PID/task/TID/children, pass
 * after pass until none is alive.  True when one was. */
bool gt_kill_descendants(void);

/* ---- the tracee's start ---- */

struct gt_tracee_start;
/* Fill S from OPTS for the command EXE, with the backend's hook. */
void gt_capture_start_of(const struct gt_capture_opts *opts, const char *exe,
			 int (*before_exec)(void *ctx), void *ctx, struct gt_tracee_start *s);

/* Is NR among the calls the options ignore (IGNORE, indexed by number, may
 * be NULL)? */
bool gt_capture_ignored(const bool *ignore, int nr);

/* The command's executable: a bare name looked up in the PATH of its
 * environment (OPTS->envp), as its own shell would (a pyenv shim first in
 * it is what runs); without envp, in ours.  NULL with ERR set when there is
 * none. */
char *gt_capture_resolve(const struct gt_capture_opts *opts, struct gt_error *err);

/* ---- one CPU for gtdiff and a single-task command ---- */

/* A stop or a notification answered on the same CPU is a switch, not a
 * wake-up across two: several times cheaper.  The backends pin gtdiff and
 * the command while it has one task, and unpin at its first clone. */
struct gt_pin {
	bool on;
	cpu_set_t orig;  /* gtdiff's own mask, given back by gt_pin_end */
	int masklen;     /* what sched_getaffinity returns for it (bytes) */
	/* The CPU count shown to the command (gt_pin_show): while SHOW, its
	 * sched_getaffinity for itself answers SHOWN, pinned or not. */
	bool show;
	cpu_set_t shown;
};

/* Pin the calling thread, and TID when it is above 0, to the CPU it runs
 * on, unless there is only one or NO_PIN (the tuning's); P->on says if it
 * did. */
void gt_pin_start(struct gt_pin *p, pid_t tid, bool no_pin);

/* Give gtdiff its own mask back.  False when it was not pinned (then
 * nothing is to be done for the command's tasks either). */
bool gt_pin_end(struct gt_pin *p);

/* Give task TID the mask gtdiff had before gt_pin_start. */
void gt_pin_release(const struct gt_pin *p, pid_t tid);

/* Show the command NCPUS CPUs when it asks sched_getaffinity for its own
 * mask (0: what it has): gtdiff's own CPUs first, then further CPU
 * numbers, or the first NCPUS of them.  The CPUs it may run on do not
 * change.  Call after gt_pin_start. */
void gt_pin_show(struct gt_pin *p, int ncpus);
/* The mask the command is to be told it has: P->shown, P->orig while
 * pinned, or NULL (the kernel's answer stands).  *LEN gets its length in
 * bytes as the kernel gives it. */
const cpu_set_t *gt_pin_answer(const struct gt_pin *p, int *len);

/* ---- resources ---- */

/* The peak RSS (VmHWM, kB) of the live task PID's memory, or 0.  Read when
 * a task exits: wait4's ru_maxrss would also count the forked gtdiff's own
 * pages from before the command's exec. */
long gt_proc_peak_rss_kb(pid_t pid);
/* Start time of TID (field 22 of /proc/TID/stat), 0 if unknown: with the
 * tid it names one task for good, even after the tid is reused. */
unsigned long long gt_proc_start(pid_t tid);
/* User and system CPU seconds of every reaped descendant so far
 * (getrusage(RUSAGE_CHILDREN)); a run takes the difference. */
void gt_children_cpu(double *user_s, double *sys_s);

/* How a run that the backend itself did not fail ended: timed out (the
 * capture is marked so), interrupted by a signal to gtdiff, or the child
 * reported a failure of its own setup on ERRFD; else GT_OK.  Closes ERRFD
 * in every case. */
enum gt_rc gt_capture_end_status(const struct gt_capture_opts *opts, struct gt_capture *c,
				 int errfd, struct gt_error *err);

/* ---- a seccomp mode of the program's own ---- */

/* What a call asks of the calling thread's seccomp mode: nothing, a filter
 * (seccomp(SECCOMP_SET_MODE_FILTER), prctl(PR_SET_SECCOMP,
 * SECCOMP_MODE_FILTER)) or strict mode (seccomp(SECCOMP_SET_MODE_STRICT,
 * 0, NULL), prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)).  NR is native,
 * ARGS its six arguments.  Strict mode with other arguments is the
 * kernel's EINVAL, not a mode. */
enum gt_seccomp_req {
	GT_SECCOMP_REQ_NONE = 0,
	GT_SECCOMP_REQ_FILTER,
	GT_SECCOMP_REQ_STRICT,
};
enum gt_seccomp_req gt_seccomp_request(int nr, const uint64_t *args);

/* gtdiff's own seccomp mode (the Seccomp: line of /proc/self/status): 0
 * none, 1 strict, 2 filter (a container runtime's); -1 unknown.  Read once.
 * The command inherits it: under a filter the kernel refuses strict mode
 * to the program untraced too. */
int gt_self_seccomp_mode(void);

/* Strict mode asked of a kernel that has a filter of gtdiff's in the
 * command (WHOSE: "--backend seccomp", "--backend auto", "--ignore"): the
 * kernel answers EINVAL where, untraced, the program would run strict and
 * be killed at its first other call.  The run is refused rather than
 * recorded as something it is not: sets ERR (GT_ERR_CAPTURE) and returns
 * its rc. */
enum gt_rc gt_refuse_strict(struct gt_error *err, const char *whose);

/* Close *FD if it is open (>= 0) and mark it closed (-1). */
void gt_close_fd(int *fd);

/* ---- tid -> task index ---- */

/* Open addressing; tid 0 is an empty slot, -1 a deleted one.  Zero it to
 * start; free with gt_tidmap_free. */
struct gt_tidmap {
	pid_t *tid;
	uint32_t *idx;
	size_t size, used;
};
void gt_tidmap_put(struct gt_tidmap *m, pid_t tid, uint32_t idx);
int64_t gt_tidmap_get(const struct gt_tidmap *m, pid_t tid); /* -1: unknown */
void gt_tidmap_del(struct gt_tidmap *m, pid_t tid);
void gt_tidmap_free(struct gt_tidmap *m);

/* ---- tracee memory (process_vm_readv) ---- */

#define GT_FETCH_MAX_STR 4096          /* longest string fetched (PATH_MAX) */
#define GT_FETCH_MAX_ARGV 4096         /* most argv entries fetched */
#define GT_FETCH_MAX_ARGV_BYTES (128 * 1024)
#define GT_FETCH_MAX_SOCKADDR 128
#define GT_FETCH_MAX_DIRNAMES 100000   /* most directory entries listed */

/* Each copies from task PID at ADDR into C's blob in the layout capture.h
 * describes and returns its offset, or 0 when nothing could be read (or
 * ADDR is NULL). */
/* A NUL-terminated string, read page by page. */
uint32_t gt_fetch_str(struct gt_capture *c, pid_t pid, uint64_t addr);
/* A string of known length LEN, not NUL-terminated in the tracee. */
uint32_t gt_fetch_sized_str(struct gt_capture *c, pid_t pid, uint64_t addr, size_t len);
/* argv: a uint32 count, then the strings. */
uint32_t gt_fetch_argv(struct gt_capture *c, pid_t pid, uint64_t addr);
/* A uint32 length and up to GT_FETCH_MAX_SOCKADDR bytes (a sockaddr). */
uint32_t gt_fetch_sized(struct gt_capture *c, pid_t pid, uint64_t addr, uint64_t len);
/* Exactly N bytes (at most 16): an fd pair, clone_args' flags. */
uint32_t gt_fetch_fixed(struct gt_capture *c, pid_t pid, uint64_t addr, size_t n);
/* The directory open on descriptor FD of task PID, read by us through
 * /proc/PID/fd/FD from its start: a uint32 count N, the directory's real
 * path NUL-terminated, then N entry names NUL-terminated, in the order the
 * file system returns them (at most GT_FETCH_MAX_DIRNAMES).  0 (nothing)
 * for a directory this task had listed already and that has not changed
 * since (C->listed). */
uint32_t gt_fetch_dirnames(struct gt_capture *c, pid_t pid, uint64_t fd);

/* Fetch what D's arguments need into EV (its mem and argi slots), at a
 * call's exit (AT_EXIT) or its entry.  EXIT_FOLLOWS: the exit will be seen
 * too (the directory listing of getdents64 waits for it, and is made only
 * when the call returned entries).  Memory that could not be read marks
 * EV GT_EV_FETCH_FAILED.  True when something was read from the tracee's
 * memory (a listing is read by us), which a notification must check
 * against its id. */
bool gt_fetch_args(struct gt_capture *c, pid_t pid, struct gt_raw_event *ev,
		   const struct gt_syscall_desc *d, bool at_exit, bool exit_follows);

/* ---- counting every call, for let_through ---- */

/* A perf counter of the system calls that PID and every task it creates
 * enter from PID's next exec on (tracepoint raw_syscalls:sys_enter), or -1
 * where there is none: the tracepoint is named only under tracefs, and perf
 * may be refused.  A filter's ALLOWs are seen by nothing else. */
int gt_syscall_counter_open(pid_t pid);

/* The calls counted so far (those of exited tasks included), or -1. */
int64_t gt_syscall_counter_read(int fd);

/* info->let_through from the counter FD (closed here; -1: none) and the
 * calls the backend saw, SEEN, counting the root's execve (entered before
 * the counter starts).  Without a counter the number is unknown
 * (GT_COUNT_UNKNOWN) when FILTERED (a filter let calls through), else 0. */
void gt_capture_let_through(struct gt_run_info *info, int fd, uint64_t seen, bool filtered);

#endif

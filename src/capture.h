/*
 * capture: the backend-neutral interface for running a command under a
 * tracer and getting back its raw record: the tasks it created, every system
 * call in the order the tracer saw them complete, the tracee memory fetched
 * for them (strings, argv, sockaddrs), and the run's resource usage.
 *
 * The raw record holds real numbers (pids, fds, addresses).  Turning it into
 * something stable is the canonicalizer's job (canon.h); capture only
 * records, so that the stop loop stays cheap.
 */
#ifndef GT_CAPTURE_H
#define GT_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "stacks.h"
#include "syscalls.h"
#include "util.h"

enum gt_backend {
	GT_BACKEND_PTRACE = 0,
	GT_BACKEND_SECCOMP,
	GT_BACKEND_AUTO,
	GT_BACKEND_EBPF,
};

/* "ptrace" etc.; parse returns -1 for an unknown name, or for "ebpf" when
 * it is not built in. */
const char *gt_backend_name(enum gt_backend b);
int gt_backend_parse(const char *name);
/* The backend used when none is named: ebpf where it is built in, gtdiff
 * has the privilege (root, or CAP_BPF with CAP_PERFMON) and the kernel the
 * probe needs (Linux 5.17), else ptrace: the fastest one that sees
 * everything. */
enum gt_backend gt_backend_default(void);
/* The backends built in, space-separated ("ptrace seccomp auto ebpf"). */
const char *gt_backends_built(void);

/* Switches of the capture machinery, for tests and measurements.  All
 * false (zeroed) is the default.  The library never reads them from the
 * environment: the command layer sets them from GTDIFF_NOTIFY,
 * GTDIFF_SYNC_WAKEUP and GTDIFF_PIN (gtdiff(1), ENVIRONMENT). */
struct gt_capture_tuning {
	bool no_notify;      /* auto: ptrace stops at entry, not user notifications */
	bool no_sync_wakeup; /* seccomp: no synchronous wake-up, as before Linux 6.6 */
	bool no_pin;         /* never share one CPU with a single-task command */
	/* ebpf: the ring buffer's bytes, a power of two (0: 16 MiB); from
	 * --ebpf-ring or GTDIFF_EBPF_RING. */
	size_t ebpf_ring;
	/* ebpf under sudo: the command runs as root, not as the user who ran
	 * sudo (--as-root, GTDIFF_AS_ROOT=1). */
	bool keep_root;
};

/* What to run and how.  All pointers are borrowed for the call. */
struct gt_capture_opts {
	enum gt_backend backend;
	char *const *argv;     /* the command; argv[0] is looked up in PATH */
	char *const *envp;     /* the tracee's complete environment */
	const char *cwd;       /* working directory of the tracee (NULL: ours) */
	const char *stdin_path; /* NULL: /dev/null */
	bool stdout_to_stderr; /* the command's stdout goes to our stderr */
	int out_fd;            /* > 0: the command's stdout and stderr (overrides) */
	double timeout_s;      /* 0: none */
	/* Syscalls (native numbers) that need not be recorded at all: a backend
	 * may let them through in the kernel.  NULL or all false: none. */
	const bool *ignore;    /* indexed by nr, gt_syscalls_max() entries */
	/* > 0: the command's sched_getaffinity for itself says it has this
	 * many CPUs (the count its golden was recorded with), so that a
	 * program that sizes its threads by it does the same work on a
	 * machine or a taskset with fewer or more.  0: what it has. */
	int show_cpus;
	/* SET_UMASK: the command runs with UMASK (update varies it between
	 * its recording runs); else with gtdiff's own. */
	bool set_umask;
	unsigned umask;
	/* Non-NULL: the command's host name, in a UTS namespace of its own
	 * where gtdiff may make one (update varies it); else the machine's. */
	const char *hostname;
	struct gt_capture_tuning tuning;
	/* Take the call stack of every call at its entry (stacks.h, by
	 * unwind.h): the ptrace backend only; GT_ERR_USAGE under another,
	 * GT_ERR_CAPTURE in a build without libdw.  DEBUGINFOD: libdw may ask
	 * a debuginfod server for debug info that is not installed. */
	bool stacks;
	bool debuginfod;
};

/* A task (thread or process) the command created. */
struct gt_task {
	pid_t tid;         /* real thread id */
	pid_t tgid;        /* real process id */
	int32_t parent;    /* index of the task that created it; -1 for the root */
	uint32_t seq;      /* it was the SEQ-th task (from 0) its parent created */
	uint32_t clone_flags; /* CLONE_THREAD, CLONE_VM, CLONE_FILES... used */
	int exit_code;     /* exit status if exited, else -1 */
	int exit_signal;   /* terminating signal if killed, else 0 */
};

/* Flags of a raw event. */
enum {
	GT_EV_RET_UNKNOWN = 1 << 0, /* the backend could not see the return */
	GT_EV_NO_RETURN = 1 << 1,   /* the call did not return (exit, killed) */
	GT_EV_FETCH_FAILED = 1 << 2, /* tracee memory could not be read */
};

/* One system call.  Fetched memory lives in the capture's blob: MEM[i] is an
 * offset there (0 = nothing fetched) for argument ARGI[i].
 *   PATH, STR: a NUL-terminated string;
 *   ARGV: a uint32 count followed by that many NUL-terminated strings;
 *   SOCKADDR: a uint32 length followed by the raw bytes;
 *   FDPAIR: two int32;
 *   CLONE3: the uint64 flags of struct clone_args. */
struct gt_raw_event {
	uint32_t task;       /* index into tasks */
	int32_t nr;          /* native syscall number */
	uint64_t args[GT_MAX_ARGS];
	int64_t ret;         /* raw return: -4095..-1 is -errno */
	uint64_t t_enter_ns; /* monotonic, relative to the start of the run */
	uint64_t t_exit_ns;
	uint32_t mem[2];
	/* REP > 0: this event and the PERIOD - 1 after it ran REP more times
	 * in a row, the same each time (gt_capture_commit folded the copies;
	 * t_exit_ns - t_enter_ns is then the time of all of them). */
	uint32_t rep;
	uint8_t period;
	uint8_t argi[2];
	uint8_t flags;
	/* Its call stack's number in the capture's stacks (0: none). */
	uint32_t stack;
};

/* Is RET a kernel-internal restart code (ERESTARTSYS..ERESTART_RESTARTBLOCK,
 * 512..516)?  Such a call was interrupted by a signal and is restarted by
 * the kernel (or fails with EINTR): the program sees one call, and whether
 * the interruption happened at all is timing. */
static inline bool gt_ret_is_restart(int64_t ret)
{
	return ret <= -512 && ret >= -516;
}

/* What the run did, from wait4's rusage and the tracer's clock. */
struct gt_run_info {
	double wall_s, user_s, sys_s;
	long max_rss_kb;      /* peak RSS of the largest process (ru_maxrss) */
	int exit_code;        /* the root's exit status, or -1 if killed */
	int term_signal;      /* the signal that killed the root, or 0 */
	bool timed_out;
	uint64_t syscalls;    /* calls recorded */
	uint64_t intercepted; /* calls the tracer stopped on */
	uint64_t let_through; /* calls let through without a stop (filters), or
			       * GT_COUNT_UNKNOWN where they could not be counted */
	uint64_t notified;    /* of those intercepted, by user notification */
	bool returns_known;   /* false for seccomp: return values not seen */
	/* Seconds in which some task of the machine waited for a CPU during
	 * the run (/proc/pressure/cpu, "some"); < 0 where not known. */
	double cpu_stall_s;
};

/* A raw record.  Owns every array and the blob; gt_capture_free releases. */
struct gt_capture {
	enum gt_backend backend;
	struct gt_task *tasks;
	size_t ntasks, tasks_cap;
	struct gt_raw_event *events;
	size_t nevents, events_cap;
	uint64_t nfolded;     /* calls folded into an earlier event's REP */
	char *blob;           /* offset 0 is reserved for "nothing" */
	size_t bloblen, blob_cap;
	struct gt_run_info info;
	/* The directories already listed for each task (gt_fetch_dirnames),
	 * as they were then: a task's further reads of a directory are listed
	 * again only when it changed (entries added or removed). */
	struct gt_listed_dir {
		pid_t tid;
		dev_t dev;
		ino_t ino;
		struct timespec mtime;  /* listed again when it changed */
	} *listed;
	size_t nlisted, listed_cap;
	/* The call stacks the events name (opts.stacks), or NULL.  Owned. */
	struct gt_stacks *stacks;
};

/* The user and group the command runs as under backend B with tuning T:
 * gtdiff's own, except that the eBPF backend, run as root under sudo
 * (SUDO_UID and SUDO_GID set, the user not root), runs it as the user who
 * ran sudo unless T->keep_root.  True when they are not gtdiff's. */
bool gt_capture_command_ids(enum gt_backend b, const struct gt_capture_tuning *t, uid_t *uid,
			    gid_t *gid);

/* Run OPTS->argv under the chosen backend and return its raw record in *OUT
 * (caller frees with gt_capture_free).  The tracee's stdout and stderr are
 * ours; its stdin is OPTS->stdin_path or /dev/null; its descriptors above 2
 * are closed.  On timeout, on SIGINT/SIGTERM to gtdiff, and on any failure,
 * the whole process tree of the command is killed and reaped before this
 * returns.  Fails with GT_ERR_CAPTURE (command not found, ptrace refused,
 * tracee already traced, setuid exec) or GT_ERR_TIMEOUT; a timed-out run
 * still returns its partial record in *OUT. */
enum gt_rc gt_capture_run(const struct gt_capture_opts *opts, struct gt_capture **out,
			  struct gt_error *err);
void gt_capture_free(struct gt_capture *c);

/* The first of the command's own ptrace calls that attach a tracer
 * (PTRACE_TRACEME; PTRACE_ATTACH or PTRACE_SEIZE of one of its own tasks)
 * and failed with EPERM, in a record of a ptrace-based backend (ptrace,
 * auto): every task of the command has gtdiff as its tracer already, and a
 * task has one at most, so gtdiff's tracing is the cause.  NULL when there
 * is none, or the backend does not trace (seccomp) or saw no returns.  The
 * event is C's. */
const struct gt_raw_event *gt_capture_own_ptrace_refused(const struct gt_capture *c);

/* Helpers for backends and tests building a record. */
struct gt_capture *gt_capture_new(enum gt_backend b);
uint32_t gt_capture_add_task(struct gt_capture *c, pid_t tid, pid_t tgid, int32_t parent,
			     uint32_t clone_flags);
struct gt_raw_event *gt_capture_add_event(struct gt_capture *c);
/* The last event added is complete: if it ends a repeat of the PERIOD (1 to
 * GT_FOLD_MAX_PERIOD) events of one task before it, all of them stateless
 * calls (gt_capture_foldable), fold the copy into the first one's REP, so
 * that a loop of millions of calls takes the memory of one turn.  The
 * indices of earlier events do not change; the last PERIOD may go. */
#define GT_FOLD_MAX_PERIOD 4
void gt_capture_commit(struct gt_capture *c);
/* Is NR a call whose repeats may fold: it changes no state the
 * canonicalizer follows (reads and writes of bytes, lseek, clocks...). */
bool gt_capture_foldable(int32_t nr);
/* How many times event I ran: REP + 1 of its group's head, or 1. */
uint64_t gt_capture_turns(const struct gt_capture *c, size_t i);
/* Copy N bytes into the blob; returns their offset (never 0). */
uint32_t gt_capture_blob_add(struct gt_capture *c, const void *p, size_t n);
/* The fetched memory of argument ARGI of EV, or NULL. */
const char *gt_capture_mem(const struct gt_capture *c, const struct gt_raw_event *ev, int argi);

#endif

/*
 * trace: the canonical trace model: a process tree, each process with its
 * threads, each thread a sequence of canonical events; the statistics of the
 * recording runs; and what the recording could and could not see.
 *
 * Ownership: a trace owns everything reachable from it.  All strings are
 * interned in the trace's strtab (compare them with ==), and gt_trace_free
 * releases the whole tree.
 *
 * An event's canonical text is strace-like: CALL(ARG, ARG...) = RET, where
 * each ARG is already rendered ("AT_FDCWD", "\"$CWD/x\"", "O_RDONLY") and RET
 * is "0", "3" (a logical fd), "p2", "addr", "-1 ENOENT", or "?" (unknown or no
 * return).
 * A collapsed run of identical events carries count > 1 and is written
 * "CALL(...) = RET ×N".  An argument or return that is exactly "*" is a
 * wildcard learned from variation between recording runs.
 */
#ifndef GT_TRACE_H
#define GT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stacks.h"
#include "stats.h"
#include "strtab.h"
#include "syscalls.h"
#include "util.h"

#define GT_TRACE_FORMAT "gtdiff-trace"
#define GT_TRACE_VERSION 1
/* The canonicalization's version: what the events of a trace mean.  2: the
 * environment named and folded, sizes as measurements, memory management
 * out of the sequence, walks in name order, threads pooled (issue 9).  3:
 * a wait4 that reaped a child without WNOHANG, empty WNOHANG polls counted
 * and not sequenced (issue 10).  4: repeated turns of 2 to 4 stateless
 * calls are one loop event (issue 14); a walk's mirror (cp -r's copy/NAME)
 * moves with its entry.  5: a thread's way out (glibc's SIG_BLOCK and
 * madvise before its exit) is not in the pool (issue 10).  A trace
 * without it in the file is 1.
 * Traces of two versions do not compare: a check says so instead of
 * showing a diff of the rules. */
#define GT_CANON_VERSION 5
#define GT_WILDCARD "*"

struct gt_event {
	const char *call;             /* interned syscall name */
	const char *args[GT_MAX_ARGS]; /* interned rendered arguments */
	uint8_t nargs;
	/* Where the call was made: a stack number in the trace's stacks (0:
	 * none).  Not part of the event's identity, text or hash. */
	uint32_t stack;
	const char *ret;              /* interned rendered return value */
	uint32_t count;               /* >= 1 */
	uint32_t flags;               /* GT_EVF_*; not saved (see masked) */
	uint64_t hash;                /* xxh3 of the text without the count */
};

/* A loop (canon-loops.c): its arguments are the event texts of one turn,
 * its count the turns. */
#define GT_LOOP_CALL "loop"
bool gt_event_is_loop(const struct gt_event *e);

/* The count of this event differed between the recording runs (merge sets
 * it; the trace file says so with a masked entry "<thread> event K count"). */
#define GT_EVF_COUNT_VARIED 1u

struct gt_thread {
	const char *id;               /* "p1" for a leader, "p1.t2" otherwise */
	struct gt_event *events;
	size_t nevents, cap;
};

struct gt_process {
	const char *id;               /* "p1", "p2"... */
	const char *parent;           /* id of the parent process, NULL for root */
	const char *exe;              /* canonical path of the last exec, or NULL */
	struct gt_thread *threads;
	size_t nthreads, cap;
	int exit_code;                /* -1 if killed */
	const char *exit_signal;      /* "SIGKILL", or NULL */
};

/* A path a recording run took instead of golden events [AT, AT + LEN) of
 * one thread (LEN 0: events put before AT): learned when the recording
 * runs of one command took different, each legitimate, paths (a shell
 * that reaps its child with one blocking wait4 in one run, with two
 * WNOHANG ones in another).  A check whose run took that path there is
 * no change.  EVENTS.id is the thread's id. */
struct gt_alt {
	struct gt_thread events;
	size_t at, len;               /* 0-based, in the golden's thread */
};

/* Bounds on what a golden keeps of them: a longer stretch, or more, say
 * that the runs differ too much to learn from. */
#define GT_ALT_MAX_EVENTS 64
#define GT_ALT_MAX_PER_THREAD 16

/* Per-syscall statistics over the recording runs. */
struct gt_syscall_stat {
	const char *name;             /* interned */
	struct gt_stat calls, errors, time_us;
};

/* One recording run's metrics (kept for rank tests and for review). */
struct gt_run_sample {
	double wall_s, user_s, sys_s;
	double max_rss_kb;
	double syscalls;
	/* Anonymous memory the run asked for: anonymous mmaps, mremap
	 * growth and each process's heap growth by brk, in bytes; < 0 when
	 * not known (a golden from before it was recorded). */
	double anon_bytes;
	/* Seconds in which some task of the machine waited for a CPU during
	 * the run (the kernel's CPU pressure): how much of the wall time a
	 * busy machine may have taken; 0 or less: none seen, or not known
	 * (only a positive value is written). */
	double cpu_stall_s;
};

/* Where a trace was recorded (the golden says where it was blessed, and a
 * failing check shows what differs).  Strings interned; NULL: unknown. */
struct gt_trace_env {
	const char *kernel;           /* uname release, "6.1.0-26-amd64" */
	const char *libc;             /* glibc's version, "2.36" */
	int cpus;                     /* CPUs the command was shown; 0: unknown */
	const char *fs;               /* file system of the working directory */
	int root;                     /* 1 recorded as root, 0 not, -1 unknown */
};

/* What differs between environments A and B, as "kernel 6.1 -> 6.6, cpus
 * 2 -> 1, fs ext4 -> tmpfs, root yes -> no" (only fields both know), or
 * NULL when nothing does.  Caller frees. */
char *gt_env_diff(const struct gt_trace_env *a, const struct gt_trace_env *b);

struct gt_trace {
	struct gt_strtab *strs;
	int version;                  /* GT_TRACE_VERSION when built here */
	int canon_version;            /* GT_CANON_VERSION when built here */
	const char *generator;        /* "gtdiff 0.1.0" */
	const char **command;         /* argv as given, interned */
	size_t ncommand;
	const char *backend;          /* "ptrace", "seccomp", "auto" */
	bool returns_known;           /* false: returns are "?" (seccomp) */
	const char *reason;           /* why the golden changed, or NULL */
	int exit_code;                /* root process: -1 if killed */
	const char *exit_signal;      /* root process: "SIGSEGV", or NULL */
	uint64_t intercepted, let_through; /* let_through: GT_COUNT_UNKNOWN, null */
	const char **masked;          /* what learned variation wildcarded */
	size_t nmasked, masked_cap;
	const char **unordered;       /* syscalls counted, not sequenced */
	size_t nunordered;
	/* With returns known: the syscalls whose returns were not observed all
	 * the same (the auto backend lets some run without an exit stop); they
	 * read "?" and are compared as unknown. */
	const char **unknown_returns;
	size_t nunknown_returns;
	const char **ignored;         /* syscalls dropped entirely */
	size_t nignored;
	struct gt_process *procs;
	size_t nprocs, procs_cap;
	struct gt_alt *alts;          /* sorted by thread id (as added), then AT */
	size_t nalts, alts_cap;
	struct gt_syscall_stat *sysstats; /* sorted by name */
	size_t nsysstats, sysstats_cap;
	struct gt_run_sample *runs;   /* one per recording run */
	size_t nruns, runs_cap;
	struct gt_stat wall_s, user_s, sys_s, max_rss_kb, syscalls;
	uint64_t hash;                /* xxh3 of the canonical sequence */
	struct gt_trace_env env;
	/* The call stacks events name (record --stacks, explain.h), or NULL.
	 * Owned. */
	struct gt_stacks *stacks;
};

/* A new empty trace with its own strtab, version GT_TRACE_VERSION. */
struct gt_trace *gt_trace_new(void);
/* Would canonicalization collapse A and B into one event: the same text
 * (byte-count calls: the same identity, their bytes add up)? */
bool gt_event_same(const struct gt_event *a, const struct gt_event *b);
/* The return of A and B collapsed: their bytes added up (bands at both
 * ends), interned in T; A's return for other calls. */
const char *gt_event_add_bytes(struct gt_trace *t, const struct gt_event *a,
			       const struct gt_event *b);

/* Free the trace and everything it owns.  Accepts NULL. */
void gt_trace_free(struct gt_trace *t);

/* Intern a string in T (shorthand for gt_strtab_intern(t->strs, s)). */
const char *gt_trace_str(struct gt_trace *t, const char *s);

/* Append a process / thread / event; the returned pointer is valid until the
 * next append to the same array.  ID strings are interned here. */
struct gt_process *gt_trace_add_process(struct gt_trace *t, const char *id, const char *parent);
struct gt_thread *gt_process_add_thread(struct gt_trace *t, struct gt_process *p, const char *id);
/* Append an event; ARGS[i] and RET are interned here; the hash is computed.
 * NARGS <= GT_MAX_ARGS and COUNT >= 1 (asserted).  So that the golden can be
 * read back, each argument must have balanced quotes and brackets and RET must
 * not contain " ×" (U+00D7); bytes that are not UTF-8 become U+FFFD. */
struct gt_event *gt_thread_add_event(struct gt_trace *t, struct gt_thread *th, const char *call,
				     const char *const *args, size_t nargs, const char *ret,
				     uint32_t count);
/* The stat entry of syscall NAME, created (zeroed) if absent; keeps order. */
struct gt_syscall_stat *gt_trace_sysstat(struct gt_trace *t, const char *name);
/* Append a masked-field description (interned). */
void gt_trace_add_masked(struct gt_trace *t, const char *what);
/* A new alternative for golden events [AT, AT + LEN) of thread THREAD;
 * add its events with gt_thread_add_event(T, &alt->events, ...).  The
 * pointer is valid until the next call. */
struct gt_alt *gt_trace_add_alt(struct gt_trace *t, const char *thread, size_t at, size_t len);

/* xxh3 of the event's identity: its canonical text without its count, and
 * for a byte-count call (syscalls.h) without its bytes. */
uint64_t gt_event_hash(const struct gt_event *e);

/* Byte-count calls (read, write, getdents64...): the bytes they moved are a
 * measurement, not part of the event.  The return of such an event is the
 * bytes ("296"), the total of a collapsed run (GT_BYTES_TOTAL "13288"), or
 * a band learned over recording runs ("296..328", "Σ4096..8192"); "0" (end
 * of file), an error, "?" and "*" are identities like any other return.
 * Its byte-count argument (the size asked for: a buffer's size, set by
 * st_blksize) is shown but not compared. */
#define GT_BYTES_TOTAL "\u03a3"
#define GT_BYTES_ANY "#"
/* The bytes of E as a band [*LO, *HI]; false when E is not a byte-count
 * call or its return is not a number of bytes. */
bool gt_event_bytes(const struct gt_event *e, double *lo, double *hi);
/* E, or SHADOW filled as E with its bytes replaced by GT_BYTES_ANY: what
 * identity (the hash, collapsing, equality) compares.  Returns which. */
const struct gt_event *gt_event_identity(const struct gt_event *e, struct gt_event *shadow);
/* Recompute every event hash and the trace hash (sequence of every thread of
 * every process in order, counts included). */
void gt_trace_rehash(struct gt_trace *t);

/* Append the canonical text "CALL(ARGS) = RET" (and " ×N" when WITH_COUNT and
 * count > 1) to B. */
void gt_event_format(struct gt_buf *b, const struct gt_event *e, bool with_count);

/* A parsed event line, its strings pointing into a private copy. */
struct gt_event_parts {
	char *call;
	char *args[GT_MAX_ARGS];
	size_t nargs;
	char *ret;
	uint32_t count;
	char *storage_;               /* owned; freed by gt_event_parts_free */
};
/* Parse TEXT (the canonical form above) into PARTS.  Arguments are split at
 * top-level ", " outside quotes, brackets and braces (parentheses nest too,
 * as in "makedev(1, 3)").  TEXT must be valid UTF-8.  Fails with
 * GT_ERR_FORMAT and a message (without a file name) on malformed text. */
enum gt_rc gt_event_parse(const char *text, struct gt_event_parts *parts, struct gt_error *err);
void gt_event_parts_free(struct gt_event_parts *parts);

/* A masked entry of T that names an event ("p1.t2 event 12 arg 2"):
 * append that event's text to B and return true; false for the other
 * entries (notes about whole threads or processes). */
bool gt_trace_masked_event(const struct gt_trace *t, const char *masked, struct gt_buf *b);

/* Total number of events (counts included) in the trace. */
uint64_t gt_trace_event_total(const struct gt_trace *t);

/* Additions beyond the original model (above, only comments were added). */

/* Append to the command, the unordered or the ignored syscall list, or add a
 * recording run's sample; strings are interned here.  These arrays (and
 * every other array of the trace) are malloc'd and released by gt_trace_free,
 * so code that fills them directly must allocate them with x*alloc too. */
void gt_trace_add_command(struct gt_trace *t, const char *arg);
void gt_trace_add_unordered(struct gt_trace *t, const char *name);
void gt_trace_add_unknown_return(struct gt_trace *t, const char *name);
/* Are CALL's returns unknown in T (all of them, or this syscall's)? */
bool gt_trace_return_unknown(const struct gt_trace *t, const char *call);
void gt_trace_add_ignored(struct gt_trace *t, const char *name);
void gt_trace_add_run(struct gt_trace *t, const struct gt_run_sample *r);
/* Set T's run statistics (wall_s, user_s, sys_s, max_rss_kb, syscalls)
 * from its runs' samples. */
void gt_trace_restat_runs(struct gt_trace *t);

/* The trace hash as gt_trace_rehash computes it, without storing anything:
 * the writer uses it so that a saved file's "hash" always matches its
 * events, whatever t->hash says.  It is xxh3 over, for each process in order,
 * "P<len>:<id>\n", then for each of its threads "T<len>:<id>\n" and for each
 * event "E<len>:<text with count>\n".  Goldens store it: do not change it
 * within a format version. */
uint64_t gt_trace_hash(const struct gt_trace *t);

/* gt_event_parse, but PARTS points into BUF (reset first, then reused), so
 * that a loop over many lines allocates only for a line longer than any
 * before.  PARTS owns nothing (storage_ is NULL) and is valid until BUF
 * changes; BUF's owner frees it with gt_buf_free. */
enum gt_rc gt_event_parse_buf(const char *text, struct gt_event_parts *parts,
			      struct gt_buf *buf, struct gt_error *err);

/* Is the N bytes at S a valid syscall name: non-empty, only [a-z0-9_]? */
bool gt_trace_name_ok(const char *s, size_t n);

/* Length of the valid UTF-8 sequence at S (N bytes available), 0 if the
 * bytes there are not valid UTF-8 (overlong forms and surrogates included). */
size_t gt_trace_utf8_len(const char *s, size_t n);
/* Intern S with every byte that is not valid UTF-8 replaced by U+FFFD, so
 * that it survives the JSON golden unchanged.  Process and thread ids and
 * event texts are interned this way, so that their hashes do too.  NULL
 * gives NULL. */
const char *gt_trace_str_utf8(struct gt_trace *t, const char *s);

#endif

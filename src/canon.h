/*
 * canon: the canonicalizer.  Turns a raw capture (real pids, fds, addresses,
 * paths) into a canonical trace that is the same for the same behaviour run
 * from another directory, as another user, with another TMPDIR, on another
 * machine of the same OS release (SPEC section 5).
 *
 * Each rule is a small function of its own, declared here so that the unit
 * tests can check them one by one; gt_canon_build applies them all.
 */
#ifndef GT_CANON_H
#define GT_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "capture.h"
#include "trace.h"
#include "util.h"

struct gt_path_rule {
	const char *prefix;   /* a real path prefix, e.g. "/opt/build" */
	const char *as;       /* its placeholder, e.g. "$BUILD" */
};

struct gt_canon_opts {
	/* Real directories replaced by placeholders (NULL: rule unused).  The
	 * longest match wins, so $TMP inside $CWD works either way. */
	const char *cwd;      /* -> $CWD */
	const char *home;     /* -> $HOME */
	const char *tmp;      /* -> $TMP (the run's private TMPDIR) */
	const char *golden;   /* -> $GOLDEN */
	const char *pwhome;   /* the passwd home (getpwuid), also -> $HOME */
	/* The command's PATH, split: a failed probe of DIR/NAME for one of
	 * these directories is part of a PATH search (see below). */
	const char *const *path_dirs;
	size_t npath_dirs;
	/* The running user's ids: shown as $UID and $GID where a uid or gid
	 * argument or return is one of them (when NAME_IDS). */
	bool name_ids;
	uid_t uid;
	gid_t gid;
	const struct gt_path_rule *rules; /* user rules, applied first */
	size_t nrules;
	/* Syscall names counted in the statistics but not sequenced.  NULL:
	 * gt_canon_default_unordered; non-NULL with nunordered 0: none. */
	const char *const *unordered;
	size_t nunordered;
	/* Syscall names dropped entirely: not sequenced, not counted, and
	 * without effect on the fd tables (a backend may not see them at all,
	 * and the trace must not depend on whether it did). */
	const char *const *ignore;
	size_t nignore;
	bool keep_loader_probes;      /* default false: collapse them */
	bool no_collapse_repeats;     /* default false: collapse runs to ×N */
	bool keep_dir_order;          /* default false: walks in name order */
	bool keep_memory;             /* default false: memory management is
				       * counted, not sequenced */
	bool keep_wait_timing;        /* default false: a reaping wait4 without
				       * WNOHANG, empty WNOHANG polls counted */
	bool keep_threads;            /* default false: pool a multi-threaded
				       * process's calls */
	bool keep_env_probes;         /* default false: fold PATH searches, drop
				       * walk-up probes */
};

/* The built-in unordered list, used when a config gives none:
 * futex, sched_yield and the like, whose counts depend on scheduling. */
extern const char *const gt_canon_default_unordered[];
extern const size_t gt_canon_default_nunordered;

/* Build the canonical trace of one capture.  Statistics get that one run.
 * *OUT is a new trace (caller frees); its command and generator are left
 * for the caller to set.  OPTS may be NULL (all defaults).  Fails with
 * GT_ERR_FORMAT only on a malformed capture: an event of a task that does
 * not exist, a task whose creator is not an earlier task, a root that is not
 * task 0.  Fetched memory is never trusted: strings are read up to the end
 * of the blob at most, and records cut short render as far as they go.
 *
 * Rendering, beyond trace.h: a file descriptor is its logical number ("3"),
 * "fd?" when unknown; where returns are not observable (seccomp) an fd is
 * numbered at its first use instead.  A pid is its logical id ("p2",
 * "p1.t2"), "-p2" for a process group, "pid?" when not of this run.  A
 * pointer is "NULL" or "ptr", an mmap/brk result "addr".  A call name that
 * libseccomp spells oddly ("syscall_-1") is written "syscall_neg1". */
enum gt_rc gt_canon_build(const struct gt_capture *cap, const struct gt_canon_opts *opts,
			  struct gt_trace **out, struct gt_error *err);

/* Merge the canonical traces of N recording runs of the same command into
 * one (learned variation): an argument or return that differs between runs
 * at the same position becomes the wildcard "*", and what was masked is
 * listed in the result's `masked`.  Where the runs' sequences do not line up
 * (different processes, threads or event counts) the first run's sequence is
 * kept and the mismatch is listed in `masked`.  Statistics are summarised
 * over all runs.  The inputs are not changed; *OUT is new.
 *
 * Masked entries, with 1-based positions in the merged sequence (after
 * wildcarded neighbours re-collapsed): "p1 event 12 arg 2", "p1.t2 event 3
 * return"; mismatches: "processes differ between runs (3 vs 4)", "p2: event
 * counts differ between runs (41 vs 43)", "p2 event 5: calls differ between
 * runs (read vs write)" and the like.  Alignment is judged per thread: a
 * thread that lines up is wildcarded even when another does not.  A
 * collapsed event's count becomes the median of the runs' counts.  Fails
 * with GT_ERR_USAGE only for N == 0 or a NULL run. */
enum gt_rc gt_canon_merge_runs(struct gt_trace *const *runs, size_t n, struct gt_trace **out,
			       struct gt_error *err);

/* T as it would read if recorded like LIKE, which did not see some
 * returns: every return LIKE could not see (all of them when LIKE is NULL
 * or recorded without returns, as seccomp; some syscalls' with auto)
 * becomes "?", the arguments the kernel fills in for those calls (getcwd's
 * and readlink's path, pipe's fd pair) "ptr", and repeats collapse again
 * (a read loop whose last read returned less is one line then).  Used to
 * compare traces whose backends saw different returns.  *OUT is new. */
void gt_canon_forget_returns(const struct gt_trace *t, const struct gt_trace *like,
			     struct gt_trace **out);

/* ---- the rules, one by one ---- */

/* Paths: replace the longest matching prefix among the user rules and the
 * $CWD/$HOME/$TMP/$GOLDEN directories (a prefix matches whole components
 * only; on a tie the earlier user rule, then the user rules, win; a rule for
 * "/" is ignored); map /proc/<pid>/ and /proc/<pid>/task/<tid>/ through
 * PIDNAME (may be NULL: /proc paths then unchanged; a pid it returns NULL
 * for stays), also the tid of /proc/self/task/<tid>; strip
 * glibc-hwcaps/<level>/ components; a directory above $CWD, $TMP or $HOME
 * (other than "/") becomes GT_CWD_ANCESTOR etc.  Relative paths are left as they are.
 * Appends the result to OUT.  Temp-name masking is not done here: it needs
 * the whole run (gt_canon_build). */
typedef const char *(*gt_pid_namer)(void *ctx, pid_t pid);
/* Every directory above $CWD (but "/") is shown as $CWD/.., likewise for
 * $TMP and $HOME, and a run of identical events on them collapses to one
 * uncounted line: how deep the checkout is must not matter. */
#define GT_CWD_ANCESTOR "$CWD/.."
#define GT_TMP_ANCESTOR "$TMP/.."
#define GT_HOME_ANCESTOR "$HOME/.."
void gt_canon_path(const struct gt_canon_opts *o, const char *path, gt_pid_namer pidname,
		   void *ctx, struct gt_buf *out);

/* Temp names: is this path component (a file name) of the form a temp-file
 * maker produces (mkstemp's XXXXXX, Python's tmpXXXXXXXX)?  If so, return
 * the length of the random part at the end of the stem and its offset via
 * *OFF (may be NULL); else 0.  The stem is the name up to its first '.'
 * after position 0.  CREATED says the name was created exclusively by the
 * run (O_CREAT|O_EXCL or mkdir), which lets the last six characters of any
 * stem of six or more count as random when they are [A-Za-z0-9]; failing
 * that, an all-[A-Za-z0-9] part of six or more after the last '.' counts
 * (mkdtemp("foo.XXXXXX"), mktemp(1)'s "tmp.XXXXXXXXXX").  Not created, only
 * Python's pattern (the whole stem "tmp" + 8 of [a-z0-9_]) counts. */
size_t gt_canon_temp_suffix(const char *name, bool created, size_t *off);

/* Loader noise: is a call a dynamic-loader library probe: a failed
 * (ENOENT/ENOTDIR) open, openat, stat-family or access of a shared-library
 * candidate (a path under a glibc-hwcaps, tls or platform directory, or
 * whose file name is lib*.so*)? */
bool gt_canon_is_loader_probe(const char *call, const char *path, int err);

/* Environment probes.  A PATH search (a shell's stats, execvp's execves,
 * access(X_OK) in turn in each directory of PATH) probes DIR/NAME for the
 * directories of the command's PATH until one has NAME: how many misses
 * come first depends on the PATH, not the program.  In TH, each run of
 * two or more consecutive calls of one syscall on DIR/NAME for one NAME and
 * directories of O's PATH in PATH order (a directory PATH names twice may
 * come again), each but the last a miss, keeps only its last call, the hit
 * (or the last miss); the others leave T's statistics too (returns how
 * many went).  Under unknown returns (seccomp) the same rule gives the same
 * events. */
size_t gt_canon_fold_path_searches(struct gt_trace *t, struct gt_thread *th,
				   const struct gt_canon_opts *o);
/* Which PATH directory a command run by its bare name was found in is the
 * PATH's doing too (git's hooks put /usr/lib/git-core first, where a
 * second git lives): in P, an exec of DIR/NAME, DIR one of O's PATH
 * directories, with argv[0] "NAME" names its program "$PATH/NAME", and so
 * does P's exe. */
void gt_canon_name_path_execs(struct gt_trace *t, struct gt_process *p,
			      const struct gt_canon_opts *o);
/* A failed lookup of a path strictly below a directory above $HOME, $CWD
 * or $TMP (other than "/") that no placeholder covers: a walk up from the
 * program's own location (Python looks for its prefix from its shim's
 * directory up), as long as that directory is deep.  Such probes are
 * dropped. */
bool gt_canon_is_walkup_probe(const struct gt_canon_opts *o, const char *path);

/* Repeats: collapse consecutive identical events of TH (same identity,
 * gt_event_identity) into one with the summed count; a run of byte-count
 * events shows its total bytes (GT_BYTES_TOTAL), interned in T. */
void gt_canon_collapse_repeats(struct gt_trace *t, struct gt_thread *th);

/* Loops (canon-loops.c): GT_LOOP_MIN or more turns in a row of the same 2
 * to GT_LOOP_MAX stateless events are one event
 * "loop(TEXT1, TEXT2...) = P ×TURNS".  gt_canon_loops_tail folds the tail
 * of TH after an event was appended (SCRATCH: a buffer to reuse);
 * gt_canon_fold_loops folds a whole thread (after the repeats collapsed).
 * The result follows the sequence of events only. */
#define GT_LOOP_MIN 8
#define GT_LOOP_MAX 4
void gt_canon_loops_tail(struct gt_trace *t, struct gt_thread *th, struct gt_buf *scratch);
void gt_canon_fold_loops(struct gt_trace *t, struct gt_thread *th);

/* A directory a getdents call read: the tracer lists it too (syscalls.h,
 * GT_A_DIRENTS), so the entries and their order are known. */
struct gt_listing {
	size_t event;        /* index of the getdents event in its thread */
	char *dir;           /* canonical path of the directory ("$CWD/tree") */
	char **names;        /* its entries, in the file system's order */
	size_t nnames;
};
void gt_listing_fini(struct gt_listing *l);

/* Directory order: put the per-entry work of each directory walk in TH in
 * the order of the entry names, not the order getdents returned them.  LS
 * are the thread's listings (N of them, by event index).  A walk is work on
 * at least half the entries of a listed directory, done entry by entry
 * (canon-dirorder.c says how walks are found).  Runs before repeats
 * collapse. */
void gt_canon_dir_order(struct gt_thread *th, const struct gt_listing *ls, size_t n);

/* Thread pool: in a process with more than one thread, every call after
 * the leader's first thread creation, of any of its threads, goes to the
 * leader as one pool sorted by identity; the other threads are left empty
 * (canon-threads.c).  Runs before repeats collapse, which then adds up
 * the pool's repeats across threads. */
void gt_canon_pool_threads(struct gt_process *p);

/* Logical ids for file descriptors of one fd table: lowest free logical
 * number, in order of allocation; 0-2 stay themselves.  The map follows
 * close-on-exec so that an exec drops what the kernel drops. */
struct gt_fdmap;
/* A new map with 0, 1 and 2 open (every tracee starts with exactly those). */
struct gt_fdmap *gt_fdmap_new(void);
void gt_fdmap_free(struct gt_fdmap *m); /* accepts NULL */
struct gt_fdmap *gt_fdmap_clone(const struct gt_fdmap *m); /* fork: a copy */
/* A new real fd appeared: give it a logical number and return it (-1 for a
 * negative REAL).  A real fd that is already mapped (a close the map
 * missed) is re-allocated. */
int gt_fdmap_alloc(struct gt_fdmap *m, int real, bool cloexec);
/* Logical number of REAL, or -1 if unknown. */
int gt_fdmap_get(const struct gt_fdmap *m, int real);
void gt_fdmap_close(struct gt_fdmap *m, int real);
void gt_fdmap_set_cloexec(struct gt_fdmap *m, int real, bool cloexec);
/* execve succeeded: drop every close-on-exec fd (and, the exec'ing thread
 * being the only one left, number as one task again). */
void gt_fdmap_exec(struct gt_fdmap *m);
/* The process whose table M is has started a thread: from now on a new fd
 * is numbered among the acting task's own fds and the ones opened before
 * (lowest free there), so that its number does not depend on which thread
 * opened first.  Lookups try the acting task's own fds, then the older
 * ones, then other tasks'.  A clone (fork) or an exec ends it. */
void gt_fdmap_thread(struct gt_fdmap *m);
/* The task (any number that names it, e.g. its capture index) that the
 * calls on M act for, until the next gt_fdmap_act. */
void gt_fdmap_act(struct gt_fdmap *m, uint32_t task);

#endif

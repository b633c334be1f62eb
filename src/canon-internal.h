/*
 * canon-internal: what the canonicalizer's files (canon*.c) share, and no
 * other file includes: the state of one gt_canon_build pass (struct ctx)
 * and the functions that one of them calls in another.  Not installed; the
 * public API is canon.h.
 */
#ifndef GT_CANON_INTERNAL_H
#define GT_CANON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "canon.h"
#include "capture.h"
#include "syscalls.h"
#include "trace.h"
#include "util.h"

struct ctask {
	const char *id; /* logical thread id, interned in the trace */
	size_t proc;    /* index into trace->procs */
	size_t thread;  /* index into that process's threads */
	long tab;       /* index into ctx->tabs, -1 until made */
	/* Returns unknown: the munmaps that may follow an arena reservation
	 * in this thread (glibc trims its ends right away), and how much. */
	uint64_t trim_left;
	uint8_t trims_left;
};

/* A final path component the run created exclusively in a temp directory,
 * and its masked form (same length). */
struct tempname {
	char *name, *masked;
	size_t len;
};

struct pidkey {
	pid_t tid;
	uint32_t task;
};

struct ctx {
	const struct gt_capture *cap;
	const struct gt_canon_opts *o;
	struct gt_trace *t;
	struct ctask *tasks;
	size_t *kids, *kids_at;  /* children of task i: kids[kids_at[i]..kids_at[i+1]) */
	struct pidkey *pids;     /* by tid, then task index */
	struct gt_fdmap **tabs;
	size_t ntabs, tabs_cap;
	struct tempname *temps;  /* longest first */
	size_t ntemps, temps_cap;
	const char *const *unordered;
	size_t nunordered;
	uint64_t kept;           /* calls counted in the statistics */
	/* A folded group (capture-fold.c) is processed once for all its
	 * turns: MULT of them.  Its events, as appended, are kept in FED
	 * (NFED of them) to be fed again for the other turns. */
	uint64_t mult;
	struct gt_fed { size_t proc, thread; struct gt_event e; } fed[GT_FOLD_MAX_PERIOD];
	size_t nfed;
	bool feeding;
	struct gt_buf loopbuf;
	struct gt_buf arg[GT_MAX_ARGS], ret, scratch, elem;
	long outlen;             /* canonical length of this call's OUTPATH, or -1 */
	/* Address ranges (real) that are allocator reservations (PROT_NONE,
	 * MAP_NORESERVE) or maps of /etc/ld.so.cache, per process. */
	struct region *regions;
	size_t nregions, regions_cap;
	int *ldcache_fd;         /* per process: real fd of /etc/ld.so.cache, or -1 */
	size_t nldcache;
	/* Memory management, out of the sequence: the anonymous bytes asked
	 * for, and each process's first and highest program break. */
	double anon_bytes;
	bool anon_unknown;       /* a brk's return was not seen */
	uint64_t *brk_base, *brk_top;
	size_t nbrk;
	/* The directories getdents read, per thread (for the dir-order rule). */
	struct ctx_listing {
		size_t proc, thread;
		struct gt_listing l;
	} *listings;
	size_t nlistings, listings_cap;
};

/* -- canon.c: the build pass -- */

/* Is S one of the N strings of LIST (NULL entries skipped)? */
bool canon_in_list(const char *s, const char *const *list, size_t n);
/* Equal strings, or both NULL. */
bool canon_str_eq(const char *a, const char *b);
/* The event's return was seen; it failed (-errno); it succeeded. */
bool canon_ret_known(const struct gt_raw_event *ev);
bool canon_failed(const struct gt_raw_event *ev);
bool canon_succeeded(const struct gt_raw_event *ev);
/* The index of D's first argument of kind K, or -1. */
int canon_arg_index(const struct gt_syscall_desc *d, enum gt_argk k);

/* canon-align.c: line up run thread R with the golden's thread BASE (both
 * canonical): MAP[e] (BASE->nevents entries) is the index in R of the event
 * that pairs with BASE's event e, or SIZE_MAX where R took another path;
 * those paths are added to T as alternatives of BASE (or noted in T's
 * masked list when too long or too many). */
void canon_align_run(struct gt_trace *t, const struct gt_thread *base, const struct gt_thread *r,
		     size_t *map);
/* The logical id of real tid PID, or NULL (a gt_pid_namer; CTX a struct ctx). */
const char *canon_name_pid(void *ctx, pid_t pid);
/* Task I's fd table, made (with its creators') if it has none yet. */
struct gt_fdmap *canon_table_of(struct ctx *c, size_t i);
/* Length of the temp directory PATH starts with ($TMP, /tmp, /var/tmp,
 * /dev/shm), or 0. */
size_t canon_temp_dir_len(const struct ctx *c, const char *path);

/* -- canon-fdmap.c -- */

/* close_range(LO, HI, ...): close, or mark close-on-exec, every real fd in
 * [LO, HI]. */
void canon_fdmap_range(struct gt_fdmap *m, unsigned int lo, unsigned int hi, bool cloexec);

/* -- canon-path.c -- */

/* Does PREFIX (a real directory) match PATH on whole components?  Its
 * length without trailing slashes goes to *PLEN. */
bool canon_prefix_match(const char *path, const char *prefix, size_t *plen);

/* -- canon-render.c -- */

/* A NUL-terminated copy of the string argument I (caller frees), or NULL. */
char *canon_arg_string(struct ctx *c, const struct gt_raw_event *ev, int i);
/* Canonical text of path RAW, unquoted, appended to OUT. */
void canon_put_path(struct ctx *c, const char *raw, struct gt_buf *out);
/* Does the call make its new fds close-on-exec? */
bool canon_call_cloexec(const struct gt_raw_event *ev, const struct gt_syscall_desc *d);
/* Render the shown arguments of EV (task TI) into c->arg[]; returns how
 * many.  A dup2 target is left for later: *DEFER is its slot, or -1. */
size_t canon_render_args(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
			 const struct gt_syscall_desc *d, bool cloexec, int *defer);
/* An fd argument V of task TI (DIRFD: AT_FDCWD is named), appended to B. */
void canon_render_fd(struct ctx *c, size_t ti, uint64_t v, bool dirfd, struct gt_buf *b);
/* EV's return, appended to B; an fd it makes gets its logical number. */
void canon_render_ret(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
		      const struct gt_syscall_desc *d, bool cloexec, struct gt_buf *b);

/* canon-memory.c: the memory rules.  What they make of a call: keep it,
 * drop it, or keep it with its length shown as len(ld.so.cache). */
enum canon_mem_verdict { MEM_KEEP, MEM_DROP, MEM_LDCACHE_LENGTH };
enum canon_mem_verdict canon_memory_rules(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
					  const struct gt_syscall_desc *d);
/* Memory management: brk, munmap, mremap, madvise, anonymous mmap. */
bool canon_is_memory_call(const struct gt_raw_event *ev, const struct gt_syscall_desc *d,
			  const char *name);
/* An mprotect inside an allocator's reservation. */
bool canon_commits_reserve(struct ctx *c, const struct ctask *ct, const struct gt_raw_event *ev,
			   const struct gt_syscall_desc *d);
/* Add what a memory call asked for to the run's anonymous bytes. */
void canon_account_memory(struct ctx *c, const struct ctask *ct, const struct gt_raw_event *ev,
			  const struct gt_syscall_desc *d);

#endif

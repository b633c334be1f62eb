/*
 * commute: which canonical events of one thread are independent, and the
 * reordering of a thread within its equivalence class (trace theory:
 * Mazurkiewicz traces).  Two runs of a thread that differ only by swaps of
 * adjacent independent events show the same behaviour: a shell reaping its
 * children with wait4 whenever SIGCHLD lands, before or after it closes a
 * pipe, did the same thing.
 *
 * The independence relation.  Each event has a footprint: the resources it
 * touches, each read or written.  Two events are dependent when one writes
 * a resource the other touches, or when either is ordered with everything;
 * otherwise they are independent (they commute).  Per class of call:
 * - ordered with everything: exec, exit, clone/fork/vfork, chdir/fchdir
 *   and chroot (they change what a relative path means), signals sent
 *   (kill, tgkill...), credentials and umask (they change what later calls
 *   may do or create), namespaces, prctl, seccomp, ptrace, waits on many
 *   fds at once (poll, select, epoll_wait: which fds is not shown),
 *   close_range, pause, sigsuspend, and any call the table does not
 *   describe;
 * - an fd argument writes that fd ("fd N"; as the dirfd of a lookup it
 *   only reads it), and reads or writes the file it was opened on in this
 *   thread (written if opened for writing); an fd this thread did not open
 *   (stdin, stdout, stderr: inherited) also writes one shared "inherited"
 *   resource, so that output to stdout and stderr, maybe one pipe, stays
 *   in its order;
 * - a new fd (open's return, pipe's pair, dup's target) writes that fd;
 *   a dup shares the file of the fd it copies;
 * - a path reads the path and each of its ancestors (a rename or rmdir of
 *   a parent is dependent); the calls that change a path (open for
 *   writing or creating, unlink, rename, mkdir, rmdir, link, symlink,
 *   mknod, chmod, chown, truncate, utimes, xattrs) write it, and those that
 *   add or remove a name write its parent's listing, which a directory
 *   read (getdents64 on its fd) reads;
 * - relative paths are resolved against "$CWD" (AT_FDCWD) or the dirfd's
 *   path, so "out.txt" and "$CWD/out.txt" are one resource;
 * - waits for children (wait4, waitid, any pid) write "children"; signal
 *   mask bookkeeping (rt_sigprocmask, rt_sigreturn, sigaltstack,
 *   rt_sigpending, rt_sigtimedwait) writes "sigmask"; rt_sigaction writes
 *   "sigaction";
 * - a call with none of these (getpid, futex, getrandom, uname...) writes
 *   a resource named after the call: calls of one kind keep their order,
 *   and commute with the rest.
 * So close(3) and wait4 commute; write(3) and fsync(3) do not;
 * openat("a") and openat("b") commute; unlink("a") and openat("a") do not.
 */
#ifndef GT_COMMUTE_H
#define GT_COMMUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

/* Resources one footprint holds before it counts as ordered with
 * everything. */
#define GT_FP_MAX 14

struct gt_fp {
	bool global;              /* ordered with everything */
	uint8_t n;
	uint16_t writes;          /* bit i: key[i] is written, not only read */
	uint64_t key[GT_FP_MAX];  /* resources, hashed with their kind */
};

/* The footprints of the N events of one thread, in order (what an fd
 * refers to follows the thread's own opens and closes): fills FP[0..N). */
void gt_fp_of_thread(const struct gt_event *ev, size_t n, struct gt_fp *fp);

/* Do events with footprints A and B commute? */
bool gt_fp_independent(const struct gt_fp *a, const struct gt_fp *b);

/* Reorder a thread NEW (NN events, footprints FP) toward the order of a
 * thread GOLDEN (GN events) without leaving NEW's equivalence class: an
 * event is only ever moved earlier past events independent of it.  EQ(CTX,
 * I, J) compares GOLDEN[I] with NEW[J].  GCOUNT and NCOUNT (NULL: all 1)
 * are the events' counts: a golden "x ×3" takes up to three x of the run,
 * wherever they may be moved from.  Fills PERM[0..NN) with the indices
 * into NEW of the reordered sequence.  When NEW is equivalent to GOLDEN
 * (event for event under EQ) and no event has to move past more than
 * WINDOW others, the result matches GOLDEN in order; where they differ,
 * the events keep NEW's order around the difference (a wide window may
 * pull an event from far off to stand in for a missing one: callers try
 * GT_COMMUTE_NEAR and GT_COMMUTE_FAR and keep the better).
 * O((GN + NN) * WINDOW) at worst; linear where the two agree. */
#define GT_COMMUTE_NEAR 16
#define GT_COMMUTE_FAR 256
typedef bool (*gt_commute_eq)(const void *ctx, size_t i, size_t j);
void gt_commute_toward(size_t gn, size_t nn, const struct gt_fp *fp, gt_commute_eq eq,
		       const void *ctx, const uint32_t *gcount, const uint32_t *ncount,
		       size_t window, size_t *perm);

#endif

/*
 * interrupt: gtdiff's one signal policy.  The first SIGINT, SIGTERM or
 * SIGHUP, wherever it comes, stops the run: it is noted here
 * (gt_interrupted), the capture under way kills and reaps the traced tree,
 * no file renames into place after it while writes are fenced
 * (gt_interrupt_fence_writes), and the command flushes what it had decided
 * (its reports marked interrupted) and exits 128 + the signal.  A second
 * signal exits at once, still killing the traced process group (a guard
 * process kills the rest of the tree, see capture-util.h), after removing
 * the temporary files and directories gtdiff has made and not yet removed
 * (the registry below), so that not even a second ^C leaves one behind.
 */
#ifndef GT_INTERRUPT_H
#define GT_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* The first SIGINT, SIGTERM or SIGHUP received, or 0. */
extern volatile sig_atomic_t gt_interrupted;

/* Install the handlers for SIGINT, SIGTERM and SIGHUP (without SA_RESTART,
 * so that a blocking wait returns EINTR).  Called once by main. */
void gt_interrupt_install(void);

/* What a handler does with SIG (SIGINT, SIGTERM, SIGHUP): the first is
 * noted; a second kills process group PGID (> 0), removes the registered
 * temporary paths and exits at once.  Async-signal-safe; the capture's own
 * handler calls it. */
void gt_interrupt_note(int sig, pid_t pgid);

/* ON: from now on (and at once if interrupted already) a signal makes
 * gt_write_file_atomic refuse to rename its file into place (the temporary
 * file is removed).  OFF: writes go through again (the reports of what was
 * decided before the signal). */
void gt_interrupt_fence_writes(bool on);

/* ---- temporary paths a second signal removes ---- */

/* At most this many registered at once (a run's TMPDIR and working-directory
 * copy, a file being written). */
#define GT_INTERRUPT_MAX_TEMPS 16

/* Register PATH, a temporary file or directory gtdiff just made, to be
 * removed (with everything in it) by a second signal before it exits.  PATH
 * is copied, relative to the working directory (which gtdiff never
 * changes).  False when it does not fit (GT_INTERRUPT_MAX_TEMPS taken, or
 * longer than PATH_MAX): a second signal then leaves it.  Call from the
 * main thread, between gt_interrupt_block and gt_interrupt_unblock around
 * the call that creates PATH, so that no signal lands between the two. */
bool gt_interrupt_temp_add(const char *path);
/* PATH (as registered) was removed or renamed by its owner: forget it.
 * Call after the removal, so that a signal meanwhile finishes it. */
void gt_interrupt_temp_forget(const char *path);
/* Hold off SIGINT, SIGTERM and SIGHUP (pending ones are delivered by
 * gt_interrupt_unblock); OLD keeps the previous mask. */
void gt_interrupt_block(sigset_t *old);
void gt_interrupt_unblock(const sigset_t *old);

/* The process group of an untraced helper gtdiff waits for (a case's
 * setup or teardown, the copy of its working directory), or 0.  The first
 * signal sends it SIGTERM (a helper may tidy up), the second SIGKILL. */
extern volatile sig_atomic_t gt_interrupt_helper_pgid;

/* Set by a command that said how far it got (main says the rest). */
extern bool gt_interrupt_reported;

/* 128 + the signal (130 SIGINT, 143 SIGTERM, 129 SIGHUP), or 0. */
int gt_interrupt_status(void);

#endif

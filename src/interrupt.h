/*
 * interrupt: gtdiff's one signal policy.  The first SIGINT, SIGTERM or
 * SIGHUP, wherever it comes, stops the run: it is noted here
 * (gt_interrupted), the capture under way kills and reaps the traced tree,
 * no file renames into place after it while writes are fenced
 * (gt_interrupt_fence_writes), and the command flushes what it had decided
 * and exits 128 + the signal.  A second signal exits at once, still killing
 * the traced process group (a guard process kills the rest of the tree,
 * see capture-util.h), unless a file is being written (gt_interrupt_hold):
 * then as soon as the write is done.
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
 * noted; a second kills process group PGID (> 0) and exits at once unless
 * a write is held.  Async-signal-safe; the capture's own handler calls it. */
void gt_interrupt_note(int sig, pid_t pgid);

/* ON: from now on (and at once if interrupted already) a signal makes
 * gt_write_file_atomic refuse to rename its file into place (the temporary
 * file is removed).  OFF: writes go through again (the reports of what was
 * decided before the signal). */
void gt_interrupt_fence_writes(bool on);

/* Around writing a file: a second signal meanwhile exits only when the
 * hold is released, so that no temporary file is left behind. */
void gt_interrupt_hold(bool on);

/* Set by a command that said how far it got (main says the rest). */
extern bool gt_interrupt_reported;

/* 128 + the signal (130 SIGINT, 143 SIGTERM, 129 SIGHUP), or 0. */
int gt_interrupt_status(void);

#endif

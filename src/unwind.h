/*
 * unwind: the call stack of a task stopped under ptrace, by libdw
 * (elfutils), the way `strace -k` takes it: the process's modules from
 * /proc/PID/maps, its registers and memory through ptrace, the frames by
 * the CFI (.eh_frame, .debug_frame), each frame named by the symbol table
 * and, where there is debug info, the source line.  Separate debug info
 * (/usr/lib/debug/.build-id/...) is used when installed; debuginfod is
 * not asked unless the caller allows it.
 *
 * Built without libdw (configure says so), gt_unwind_available is false
 * and gt_unwind_new fails: stacks are then not a feature of this build.
 * Internal to the capture (capture-ptrace.c).
 */
#ifndef GT_UNWIND_H
#define GT_UNWIND_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "stacks.h"
#include "util.h"

struct gt_unwinder;

/* Was gtdiff built with libdw? */
bool gt_unwind_available(void);

/* A new unwinder that adds the stacks it takes to STACKS (borrowed, must
 * outlive it).  DEBUGINFOD: libdw may ask a debuginfod server (the
 * DEBUGINFOD_URLS of gtdiff's environment) for debug info it lacks;
 * otherwise that variable is removed from gtdiff's environment, since
 * libdw reads it from there.  Fails with GT_ERR_CAPTURE and a message
 * when this build has no libdw or libdw cannot start. */
enum gt_rc gt_unwind_new(struct gt_stacks *stacks, bool debuginfod, struct gt_unwinder **out,
			 struct gt_error *err);
void gt_unwind_free(struct gt_unwinder *u); /* accepts NULL */

/* The stack of thread TID of process TGID, stopped under ptrace by us:
 * its number in the table (stacks.h), 0 when it could not be taken (the
 * event then has none; nothing else fails). */
uint32_t gt_unwind_stack(struct gt_unwinder *u, pid_t tgid, pid_t tid);

/* The mappings of some process may have changed (mmap, munmap, mremap,
 * an exec): the modules are read again before the next stack. */
void gt_unwind_maps_changed(struct gt_unwinder *u);

/* Process TGID is gone: what was read of it is released (a build that
 * runs thousands of processes would otherwise keep each one's modules). */
void gt_unwind_process_gone(struct gt_unwinder *u, pid_t tgid);

/* Counters, for -v and the tests: stacks taken, stacks that failed. */
void gt_unwind_counts(const struct gt_unwinder *u, uint64_t *taken, uint64_t *failed);

#endif

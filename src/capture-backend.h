/*
 * capture-backend: what capture.c expects of a backend.  Internal to the
 * capture modules.
 */
#ifndef GT_CAPTURE_BACKEND_H
#define GT_CAPTURE_BACKEND_H

#include "capture.h"

/* Run the command under ptrace, filling C (already created).  See
 * gt_capture_run for the contract. */
enum gt_rc gt_capture_ptrace_run(const struct gt_capture_opts *opts, struct gt_capture *c,
				 struct gt_error *err);

#endif

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

/* Run the command under a seccomp user-notification filter, filling C
 * (already created): every call is recorded at entry and continues in the
 * kernel, so returns are unknown (GT_EV_RET_UNKNOWN, info.returns_known
 * false).  See gt_capture_run for the contract; also fails with
 * GT_ERR_CAPTURE where seccomp user notification or pidfd_getfd is not
 * available, and when the program installs a seccomp filter of its own. */
enum gt_rc gt_capture_seccomp_run(const struct gt_capture_opts *opts, struct gt_capture *c,
				  struct gt_error *err);

/* Run the command under the eBPF probe (capture-ebpf.c), filling C
 * (already created).  See gt_capture_run for the contract; also fails with
 * GT_ERR_CAPTURE without the privilege (root, or CAP_BPF and CAP_PERFMON:
 * the message names --backend ptrace), and when anything could not be
 * recorded (the ring buffer was full, memory could not be read). */
/* Does the command see the CPUs OPTS->show_cpus asks for as it is (the
 * eBPF backend cannot change what sched_getaffinity answers)? */
bool gt_capture_ebpf_shows(const struct gt_capture_opts *opts);
enum gt_rc gt_capture_ebpf_run(const struct gt_capture_opts *opts, struct gt_capture *c,
			       struct gt_error *err);

#endif

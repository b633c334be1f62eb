/*
 * capture-ebpf-dirs: the directory listings of the eBPF backend, and the
 * recording of its calls.  The ptrace backend lists a directory that a
 * task reads with getdents64 itself, through /proc/PID/fd/FD, while the
 * task is stopped (gt_fetch_dirnames), for the canonicalizer's
 * directory-order rule.  Under eBPF nothing stops: the probe hands over
 * the entries each getdents64 returned, and this module
 *   - follows which path each descriptor of each process was opened on
 *     (open, openat, dup, fcntl, close, chdir, fork), as the calls come;
 *   - holds a task's run of getdents64 calls on one descriptor until the
 *     run ends (end of directory, or any other call of the task), and
 *     then records them with the directory's whole listing on the first,
 *     in the layout of gt_fetch_dirnames (a uint32 count, the directory's
 *     real path, the names in the order the file system returned them),
 *     nothing on the others, and a listing of a directory that this task
 *     had listed already and that has not changed is not made again.
 * Every other call is recorded as it comes.  Internal to capture-ebpf.c.
 */
#ifndef GT_CAPTURE_EBPF_DIRS_H
#define GT_CAPTURE_EBPF_DIRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "util.h"

struct gt_session;

struct gt_ebpf_dirs {
	char *cwd0;             /* where the command started (absolute) */
	struct gt_ebpf_proc {   /* indexed by the task index of a process */
		bool used;
		char *cwd;
		char **fd;      /* fd -> path it was opened on, or NULL */
		size_t nfd;
	} *procs;
	size_t nprocs;
	struct gt_ebpf_held {   /* indexed by task index */
		bool on;
		int64_t fd;
		char *dir;      /* the descriptor's path, or NULL: not known */
		struct gt_buf names;
		uint32_t count;
		bool lost;      /* some entries could not be read */
		struct gt_raw_event *evs;
		size_t nev, cap;
	} *held;
	size_t nheld;
	int nr_open, nr_openat, nr_openat2, nr_creat, nr_close, nr_close_range;
	int nr_dup, nr_dup2, nr_dup3, nr_fcntl, nr_chdir, nr_fchdir, nr_getdents64;
};

/* CWD: the command's working directory (NULL: ours). */
void gt_ebpf_dirs_init(struct gt_ebpf_dirs *d, const char *cwd);
void gt_ebpf_dirs_free(struct gt_ebpf_dirs *d);

/* Process CHILD (a task index) starts with a copy of PARENT's descriptors
 * and working directory. */
void gt_ebpf_dirs_fork(struct gt_ebpf_dirs *d, uint32_t parent, uint32_t child);

/* Record EV, a call of a task of process PROC (OUT: what the kernel wrote
 * into the call's output, OUT_LEN bytes: getdents64's entries), or hold it
 * in its task's run of getdents64. */
void gt_ebpf_dirs_call(struct gt_ebpf_dirs *d, struct gt_session *s, uint32_t proc,
		       const struct gt_raw_event *ev, const char *out, size_t out_len);

/* Record what task IDX holds (it exited, or the run ended). */
void gt_ebpf_dirs_flush(struct gt_ebpf_dirs *d, struct gt_session *s, uint32_t idx);

#endif

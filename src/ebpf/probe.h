/*
 * probe: the records the eBPF probe (probe.bpf.c) writes into its ring
 * buffer and the maps the loader (loader.c) fills, shared by both sides.
 * Compiled for the BPF target and for the host, so it uses only the
 * fixed-size types of <linux/types.h>.
 *
 * A syscall is two records, an ENTER at sys_enter and an EXIT at sys_exit,
 * that the loader pairs by the task's serial (not its tid: a thread that
 * execs takes the process id on the way).  Records of one task arrive in
 * order; a FORK record (written by the parent) comes before any record of
 * the child.
 */
#ifndef GT_EBPF_PROBE_H
#define GT_EBPF_PROBE_H

#include <linux/types.h>

/* Longest string read from the command's memory, NUL included: PATH_MAX,
 * so that no path the kernel accepts is cut. */
#define GT_EBPF_STR_MAX 4096
/* Strings per call: rename, link, symlink and mount take two paths. */
#define GT_EBPF_NSTR 2
/* Syscall numbers the path-argument table covers (both architectures stay
 * below 512; a bigger number has no path argument read). */
#define GT_EBPF_MAX_NR 1024

enum gt_ebpf_rec_type {
	GT_EBPF_R_ENTER = 1,
	GT_EBPF_R_EXIT,
	GT_EBPF_R_FORK,      /* a tracked task created a task (thread or process) */
	GT_EBPF_R_TASK_EXIT, /* a tracked task exited */
};

/* Record flags. */
enum {
	/* String slot 0 / 1 could not be read at entry (the page was not
	 * resident yet); the EXIT record carries it, read again after the
	 * kernel itself faulted it in. */
	GT_EBPF_F_STR0_LATE = 1 << 0,
	GT_EBPF_F_STR1_LATE = 1 << 1,
	/* String slot 0 / 1 could not be read at all (counted as lost). */
	GT_EBPF_F_STR0_LOST = 1 << 2,
	GT_EBPF_F_STR1_LOST = 1 << 3,
};

/* Indices of the drop counters (a per-CPU array the loader sums). */
enum {
	GT_EBPF_LOST_RECORDS = 0, /* ring buffer full: a record not written */
	GT_EBPF_LOST_STRINGS,     /* a path argument that could not be read */
	GT_EBPF_LOST_TASKS,       /* task table full: a child not followed */
	GT_EBPF_LOST__COUNT
};

/* Every record starts with this. */
struct gt_ebpf_head {
	__u32 type;   /* enum gt_ebpf_rec_type */
	__u32 serial; /* the task: 1, 2... in order of discovery */
	__u32 tid;    /* in the loader's pid namespace */
	__u32 tgid;
	__u64 ts;     /* CLOCK_MONOTONIC, ns */
};

/* Strings that follow a record: slot I (0 or 1) is the string of argument
 * ARG[I] (0xff: none), LEN[I] bytes with its NUL (0: not read), at offset
 * OFF[I] from the start of the record. */
struct gt_ebpf_strs {
	__u16 len[GT_EBPF_NSTR];
	__u16 off[GT_EBPF_NSTR];
	__u8 arg[GT_EBPF_NSTR];
	__u16 flags; /* GT_EBPF_F_* */
};

struct gt_ebpf_enter {
	struct gt_ebpf_head h;
	__s64 nr;
	__u64 args[6];
	struct gt_ebpf_strs s;
};

struct gt_ebpf_exit {
	struct gt_ebpf_head h;
	__s64 nr;
	__s64 ret;
	struct gt_ebpf_strs s; /* strings read late (GT_EBPF_F_STR*_LATE) */
};

struct gt_ebpf_fork {
	struct gt_ebpf_head h; /* the parent */
	__u32 child;           /* the new task's serial */
	__u32 pad;
};

/* Per-CPU scratch where a record with strings is built before it is
 * copied into the ring. */
struct gt_ebpf_scratch {
	union {
		struct gt_ebpf_enter enter;
		struct gt_ebpf_exit exit;
	} r;
	char str[GT_EBPF_NSTR * GT_EBPF_STR_MAX];
};

#endif

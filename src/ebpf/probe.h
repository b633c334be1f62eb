/*
 * probe: the records the eBPF probe (probe.bpf.c) writes into its ring
 * buffer and the maps the loader (loader.c) fills, shared by both sides.
 * Compiled for the BPF target and for the host, so it uses only the
 * fixed-size types of <linux/types.h>.
 *
 * A syscall is two records, an ENTER at sys_enter and an EXIT at sys_exit,
 * that the loader pairs by the task's serial (not its tid: a thread that
 * execs takes the process id on the way), with DATA records between them
 * for what is read of the command's memory beyond the two slots of the
 * ENTER: execve's argv (one DATA per string, at entry) and what the kernel
 * wrote (at exit: an fd pair, getcwd's or readlink's path, getdents64's
 * entries, wait4's status).  Records of one task arrive in order; a FORK
 * record (written by the parent) comes before any record of the child.
 */
#ifndef GT_EBPF_PROBE_H
#define GT_EBPF_PROBE_H

#include <linux/types.h>

/* Longest string read from the command's memory, NUL included: PATH_MAX,
 * so that no path the kernel accepts is cut. */
#define GT_EBPF_STR_MAX 4096
/* Strings per call: rename, link, symlink and mount take two paths. */
#define GT_EBPF_NSTR 2
/* Syscall numbers the plan table covers (both architectures stay below
 * 512; a bigger number has nothing read). */
#define GT_EBPF_MAX_NR 1024
/* A sockaddr is read up to this many bytes (GT_FETCH_MAX_SOCKADDR). */
#define GT_EBPF_SOCKADDR_MAX 128
/* execve's argv: at most this many strings and bytes (GT_FETCH_MAX_ARGV,
 * GT_FETCH_MAX_ARGV_BYTES); more is counted lost. */
#define GT_EBPF_ARGV_MAX 4096
#define GT_EBPF_ARGV_BYTES (128 * 1024)
/* Output buffers (getdents64) are read in chunks of GT_EBPF_STR_MAX bytes,
 * this many at most; more is counted lost. */
#define GT_EBPF_OUT_CHUNKS 256

/* What is read for an argument (the plan's kind[], from the syscall
 * table's argument kinds, syscalls.h). */
enum gt_ebpf_mem_kind {
	GT_EBPF_K_NONE = 0,
	GT_EBPF_K_STR,      /* entry: a NUL-terminated string (PATH, STR) */
	GT_EBPF_K_SOCKADDR, /* entry: the next argument's length of bytes, capped */
	GT_EBPF_K_CLONE3,   /* entry: the first 8 bytes (clone_args.flags) */
	GT_EBPF_K_ARGV,     /* entry: each string of a NULL-terminated array (DATA) */
	GT_EBPF_K_FDPAIR,   /* exit, when 0 returned: two ints (DATA) */
	GT_EBPF_K_OUTPATH,  /* exit, when > 0 returned: that many bytes (DATA) */
	GT_EBPF_K_DIRENTS,  /* exit, when > 0 returned: that many bytes (DATA) */
	GT_EBPF_K_WSTATUS,  /* exit, when > 0 returned: an int (DATA) */
};

/* How the probe treats one syscall number (a table the loader fills from
 * the syscall table's argument kinds, so that the probe itself loops over
 * nothing per argument). */
/* Argument numbers are stored plus one: an entry the loader did not fill
 * is all zeros, which means nothing to read. */
struct gt_ebpf_plan {
	__u8 slot_arg[2];  /* 1 + the arguments read into the ENTER's slots (0: none) */
	__u8 slot_kind[2]; /* K_STR, K_SOCKADDR or K_CLONE3 */
	__u8 argv_arg;     /* 1 + the K_ARGV argument (0: none) */
	__u8 xarg;         /* 1 + the argument read at exit (0: none) */
	__u8 xkind;        /* its kind: K_FDPAIR, K_OUTPATH, K_DIRENTS, K_WSTATUS */
	__u8 ignore;       /* record nothing of it (--ignore) */
};

enum gt_ebpf_rec_type {
	GT_EBPF_R_ENTER = 1,
	GT_EBPF_R_EXIT,
	GT_EBPF_R_FORK,      /* a tracked task created a task (thread or process) */
	GT_EBPF_R_TASK_EXIT, /* a tracked task exited */
	GT_EBPF_R_DATA,      /* memory of the call in progress (struct gt_ebpf_data) */
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
	/* DATA: could not be read (counted as lost). */
	GT_EBPF_F_DATA_LOST = 1 << 4,
	/* ENTER written at the exit of a call whose sys_enter did not run (a
	 * seccomp filter refused it): its memory was not read. */
	GT_EBPF_F_NO_MEM = 1 << 5,
};

/* Indices of the drop counters (a per-CPU array the loader sums). */
enum {
	GT_EBPF_LOST_RECORDS = 0, /* ring buffer full: a record not written */
	GT_EBPF_LOST_STRINGS,     /* a path argument that could not be read */
	GT_EBPF_LOST_TASKS,       /* task table full: a child not followed */
	GT_EBPF_LOST_DATA,        /* argv or an output buffer not read whole */
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

/* Memory that follows a record: slot I (0 or 1) is what argument ARG[I]
 * (0xff: none) points to, of kind KIND[I]: LEN[I] bytes (a string with its
 * NUL; 0: not read) at offset OFF[I] from the start of the record. */
struct gt_ebpf_strs {
	__u16 len[GT_EBPF_NSTR];
	__u16 off[GT_EBPF_NSTR];
	__u8 arg[GT_EBPF_NSTR];
	__u8 kind[GT_EBPF_NSTR];
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

/* A piece of the memory of the call in progress: for K_ARGV the INDEX-th
 * string (LEN bytes with its NUL; 0: not read, F_DATA_LOST), else LEN bytes
 * from byte INDEX of what argument ARG points to.  The bytes start at
 * GT_EBPF_DATA_OFF from the start of the record. */
struct gt_ebpf_data {
	struct gt_ebpf_head h;
	__u8 arg;
	__u8 kind;   /* enum gt_ebpf_mem_kind */
	__u16 flags; /* GT_EBPF_F_DATA_LOST */
	__u32 index;
	__u32 len;
	__u32 pad;
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
		struct gt_ebpf_data data;
	} r;
	char str[GT_EBPF_NSTR * GT_EBPF_STR_MAX];
};

#define GT_EBPF_DATA_OFF __builtin_offsetof(struct gt_ebpf_scratch, str)

#endif

/*
 * syscalls: what gtdiff knows about each system call: its name (from
 * libseccomp's resolver, so every syscall of the architecture has one), the
 * kind of each argument and of the return value.  Capture uses the kinds to
 * decide which tracee memory to fetch (path strings, argv, sockaddrs, fd
 * pairs); the canonicalizer uses them to render arguments.
 *
 * The table of kinds is keyed by name, so it serves x86-64 and aarch64 alike
 * (aarch64 simply has no open(2) or stat(2)).  Syscalls without an entry get
 * a generic description: no arguments shown, integer return.
 */
#ifndef GT_SYSCALLS_H
#define GT_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GT_MAX_ARGS 6

/* How an argument is shown.  Kinds marked (fetch) need tracee memory, read
 * by the capture backend at syscall entry, or at exit for (fetch at exit). */
enum gt_argk {
	GT_A_SKIP = 0,     /* not shown at all (buffers, unused slots) */
	GT_A_INT,          /* signed decimal */
	GT_A_UINT,         /* unsigned decimal (sizes, counts, lengths) */
	GT_A_HEX,          /* hexadecimal (unknown flag words) */
	GT_A_OCTAL,        /* octal with a leading 0 (modes, umask) */
	GT_A_PTR,          /* "NULL" or "ptr": addresses are never recorded */
	GT_A_FD,           /* a file descriptor: mapped to a logical id */
	GT_A_DIRFD,        /* AT_FDCWD or a file descriptor */
	GT_A_PID,          /* a pid or tid (0, -1 and negative pgids kept) */
	GT_A_PATH,         /* (fetch) NUL-terminated path string */
	GT_A_STR,          /* (fetch) NUL-terminated string that is not a path */
	GT_A_ARGV,         /* (fetch) NULL-terminated array of strings (execve) */
	GT_A_ENVP,         /* execve environment: not fetched, shown like PTR */
	GT_A_SOCKADDR,     /* (fetch) struct sockaddr; length is the next argument */
	GT_A_FDPAIR,       /* (fetch at exit) int[2] of new fds: pipe, socketpair */
	GT_A_OUTPATH,      /* (fetch at exit) a path the kernel wrote: getcwd, readlink;
			    * its length is the return value */
	GT_A_CLONE3,       /* (fetch) struct clone_args: its flags are shown */
	GT_A_DIRENTS,      /* (fetch) getdents64's buffer: not shown; the tracer lists
			    * the directory open on argument 0 itself, through /proc,
			    * for the directory-order rule */
	GT_A_UID,          /* a user id: $UID when it is the running user's */
	GT_A_GID,          /* a group id: $GID when it is the running group's */
	GT_A_SIGNAL,       /* signal number as SIGxxx */
	GT_A_OPEN_FLAGS,   /* O_RDONLY|O_CLOEXEC... */
	GT_A_AT_FLAGS,     /* AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH... */
	GT_A_ACCESS_MODE,  /* F_OK or R_OK|W_OK|X_OK */
	GT_A_MMAP_PROT,    /* PROT_READ|PROT_WRITE... */
	GT_A_MMAP_FLAGS,   /* MAP_PRIVATE|MAP_ANONYMOUS... */
	GT_A_CLONE_FLAGS,  /* CLONE_VM|CLONE_FS...|SIGCHLD */
	GT_A_SOCK_FAMILY,  /* AF_INET... */
	GT_A_SOCK_TYPE,    /* SOCK_STREAM|SOCK_CLOEXEC... */
	GT_A_FCNTL_CMD,    /* F_GETFD... */
	GT_A_WHENCE,       /* SEEK_SET... */
	GT_A_FUTEX_OP,     /* FUTEX_WAIT_PRIVATE... */
	GT_A_SIGPROCMASK_HOW, /* SIG_BLOCK... */
	GT_A_WAIT_OPTIONS, /* WNOHANG|__WALL... */
	GT_A_CLOCKID,      /* CLOCK_MONOTONIC... */
	GT_A_MADVISE,      /* MADV_DONTNEED... */
	GT_A_PRCTL_OPTION, /* PR_SET_NAME... */
	GT_A_ARCH_PRCTL,   /* ARCH_SET_FS... */
	GT_A_RLIMIT,       /* RLIMIT_NOFILE... */
	GT_A_IOCTL_REQ,    /* TCGETS... or hex */
	GT_A_SHUTDOWN_HOW, /* SHUT_RD... */
	GT_A_SOCKOPT_LEVEL,/* SOL_SOCKET... */
	GT_A_MSG_FLAGS,    /* MSG_NOSIGNAL... */
	GT_A_EPOLL_OP,     /* EPOLL_CTL_ADD... */
	GT_A_UNLINKAT_FLAGS, /* 0 or AT_REMOVEDIR */
	GT_A_RENAME_FLAGS, /* RENAME_NOREPLACE... */
	GT_A_FD_FLAGS,     /* O_CLOEXEC|O_NONBLOCK, as for pipe2, dup3, eventfd... */
	GT_A_MSYNC_FLAGS,  /* MS_SYNC... */
	GT_A_STATX_MASK,   /* STATX_BASIC_STATS... */
	GT_A_PTRACE_REQ,   /* PTRACE_TRACEME, PTRACE_SEIZE... */
	GT_A__COUNT
};

/* How the return value is shown when the call succeeded (a failed call is
 * always "-1 EXXX"). */
enum gt_retk {
	GT_R_INT = 0,  /* signed decimal */
	GT_R_FD,       /* a new file descriptor: allocated a logical id */
	GT_R_PID,      /* a pid or tid: mapped to a logical id */
	GT_R_ADDR,     /* an address (mmap, brk): dropped, shown as "addr" */
	GT_R_NONE,     /* does not return (exit, exit_group): shown as "?" */
	GT_R_HEX,      /* flags word */
	GT_R_UID,      /* a user id: $UID when it is the running user's */
	GT_R_GID,      /* a group id: $GID when it is the running group's */
	GT_R_STRLEN,   /* the length of the OUTPATH argument: shown as the length
			* of its canonical form, so that it does not encode the
			* real directory (getcwd, readlink) */
};

/* What else a call does to the canonicalizer's state. */
enum gt_sysfx {
	GT_FX_NONE = 0,
	GT_FX_CLOSE = 1 << 0,     /* arg 0 fd is closed on success */
	GT_FX_DUP_TO = 1 << 1,    /* arg 1 fd is the new fd (dup2, dup3) */
	GT_FX_EXEC = 1 << 2,      /* execve, execveat: O_CLOEXEC fds go */
	GT_FX_FORK = 1 << 3,      /* creates a task: fork, vfork, clone, clone3 */
	GT_FX_CLOSE_RANGE = 1 << 4, /* close_range(first, last, flags) */
	GT_FX_FCNTL = 1 << 5,     /* fcntl: F_DUPFD* return new fds */
	GT_FX_CREATE = 1 << 6,    /* creates a path (open O_CREAT|O_EXCL, mkdir) */
};

struct gt_syscall_desc {
	const char *name;           /* the table key, e.g. "openat" */
	uint8_t nargs;              /* arguments shown (kinds beyond are SKIP) */
	uint8_t argk[GT_MAX_ARGS];  /* enum gt_argk of each argument */
	uint8_t retk;               /* enum gt_retk */
	uint16_t fx;                /* enum gt_sysfx bits */
};

/* Build the number-indexed table for the native architecture; idempotent and
 * cheap after the first call.  Never fails (unknown names are skipped). */
void gt_syscalls_init(void);

/* Highest syscall number known for the native architecture, plus one. */
int gt_syscalls_max(void);

/* Description of syscall NR for the native architecture.  Never NULL: a
 * number libseccomp names but the table does not describe gets a generic
 * description (no arguments, GT_R_INT); a number nobody names gets one
 * called "syscall_NNN".  O(1) array lookup for 0..1023; others (-1 after a
 * skipped call, x32 numbers) are made once and kept, under a lock.  The
 * descriptions live as long as the process. */
const struct gt_syscall_desc *gt_syscall_by_nr(int nr);

/* Number of the syscall called NAME on the native architecture, or -1.
 * The generic name of an unnamed number ("syscall_1023") reads back too. */
int gt_syscall_nr(const char *name);

/* Name of syscall NR (libseccomp's), or NULL when unknown. */
const char *gt_syscall_name(int nr);

/* The static table of described syscalls, sorted by name, *N entries.  It
 * includes calls that the native architecture lacks (open on aarch64). */
const struct gt_syscall_desc *gt_syscalls_table(size_t *n);

/* Does any argument of the call need memory fetched at entry / at exit?
 * O(1): precomputed for the table's descriptions. */
bool gt_syscall_fetches_at_entry(const struct gt_syscall_desc *d);
bool gt_syscall_fetches_at_exit(const struct gt_syscall_desc *d);

/* The model's classes of calls (gtdiff-trace(5), "What a golden
 * promises").  Byte-count calls (read, write, getdents64, sendto...) move
 * data whose amount and chunking follow the file system (st_blksize) and
 * the environment: the bytes are a measurement, not the event's identity.
 * Returns -1 for any other call; else the index, among the arguments an
 * event shows, of its byte count (the size asked for), or GT_BYTES_RET_ONLY
 * when only the return is one (readv, recvmsg). */
#define GT_BYTES_RET_ONLY 7
int gt_syscall_bytes_arg(const char *name);
/* Is that byte count a capacity (read, getdents64: the most it may return,
 * a buffer's size) rather than the amount to move (write)? */
bool gt_syscall_bytes_capacity(const char *name);
/* Does a call of NAME change no state that the canonicalizer follows (no
 * descriptor, path, process, memory or signal state): reads and writes of
 * bytes on a descriptor, lseek, clocks, sched_yield, getpid...?  Only such
 * calls fold into loops (capture-fold.c, canon-loops.c). */
bool gt_syscall_stateless(const char *name);
/* Memory management (brk, munmap, mremap, madvise; mmap when anonymous,
 * which the caller decides): how an allocator grows its heap follows
 * sizes, CPU counts and libc, not the program's behaviour.  Such calls are
 * counted, and their bytes summed, but not sequenced. */
bool gt_syscall_is_memory(const char *name);

/* The kinds of the arguments a canonical event of D shows, in order (the
 * ones not shown, GT_A_SKIP and getdents64's buffer, left out): fills
 * KINDS (GT_MAX_ARGS entries) and returns how many.  A mode open does not
 * use, or fcntl's third argument, may be missing from an event's end. */
int gt_syscall_shown_kinds(const struct gt_syscall_desc *d, uint8_t *kinds);

/* Does the canonical form of D need its return value: a new fd or pid, an
 * address, a path's result, a fork or exec, what the kernel writes back?
 * The auto backend records the others at entry only (return "?"). */
bool gt_syscall_needs_return(const struct gt_syscall_desc *d);

/* "ENOENT" for 2 (glibc's strerrorname_np), kernel-internal codes a tracer
 * sees ("ERESTARTSYS" for 512), "E123" when unnamed.  Never NULL; static
 * storage (thread-local, valid until the next call, outside 0..4095). */
const char *gt_errno_name(int e);
/* errno value of NAME ("ENOENT", "EWOULDBLOCK", "E123"), or -1. */
int gt_errno_from_name(const char *name);
/* "SIGTERM" for 15 (glibc's sigabbrev_np); realtime (32..64) as "SIGRT_3",
 * counted from the kernel's first, not glibc's SIGRTMIN.  Never NULL; other
 * numbers in decimal ("0", "99") in a thread-local buffer valid until the
 * next call; named ones are static. */
const char *gt_signal_name(int sig);
/* signal number of NAME ("SIGTERM", "TERM", "SIGRT_1", "SIGIOT"), or -1. */
int gt_signal_from_name(const char *name);

#endif

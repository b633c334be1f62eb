/*
 * xlat: render an argument value of a pure-value kind (numbers, flag words,
 * constants) as strace would print it.  Every kind is described by data, a
 * struct xspec of constant and flag tables, and drawn by two functions:
 * render_const for one value, render_flags for a word of bits.
 */
#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#ifdef __x86_64__
#include <asm/prctl.h>
#endif

#include "syscalls.h"
#include "util.h"
#include "xlat.h"

/*
 * Values the C library leaves out or defines differently from the kernel.
 * glibc defines O_LARGEFILE as 0 on 64-bit targets, but a program can still
 * pass the kernel's bit, which differs per architecture.
 */
#if defined(__x86_64__)
#define K_O_LARGEFILE 0100000
#elif defined(__aarch64__)
#define K_O_LARGEFILE 0400000
#else
#define K_O_LARGEFILE 0
#endif
/* clone3-only flags from <linux/sched.h>, which clashes with <sched.h>. */
#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef CSIGNAL
#define CSIGNAL 0xff
#endif

struct flag {
	uint64_t v;
	const char *name;
};

#define F(x) { (uint64_t)(x), #x }

/* How a kind is drawn.  A value is split by cmask into a constant part,
 * named from consts (always printed, e.g. the O_ACCMODE part of open flags
 * or a whole constant), and a flag part, named bit by bit from flags. */
struct xspec {
	const struct flag *consts;
	size_t nconsts;
	uint64_t cmask;
	const struct flag *flags;
	size_t nflags;
	const char *zero;      /* name of an all-zero flag word, or "0" */
	bool wide;             /* 64-bit value; otherwise an int (upper half junk) */
	bool hex_unknown;      /* an unknown constant in hex (ioctl requests) */
	bool exit_signal;      /* low byte is a signal number (clone) */
};

static const struct flag open_modes[] = {
	F(O_RDONLY), F(O_WRONLY), F(O_RDWR),
	{ O_ACCMODE, "O_ACCMODE" },
};

/* Composite flags come before their parts: O_SYNC holds O_DSYNC's bit and
 * O_TMPFILE holds O_DIRECTORY's, and a match takes its bits away. */
static const struct flag open_flags[] = {
	F(O_CREAT), F(O_EXCL), F(O_NOCTTY), F(O_TRUNC), F(O_APPEND), F(O_NONBLOCK),
	F(O_SYNC), F(O_DSYNC), F(O_ASYNC), F(O_DIRECT), { K_O_LARGEFILE, "O_LARGEFILE" },
	F(O_TMPFILE), F(O_DIRECTORY), F(O_NOFOLLOW), F(O_NOATIME), F(O_CLOEXEC), F(O_PATH),
};

/* 0x200 is AT_REMOVEDIR for unlinkat (its own kind) and AT_EACCESS for
 * faccessat: the AT_FLAGS kind serves the latter. */
static const struct flag at_flags[] = {
	F(AT_SYMLINK_NOFOLLOW), F(AT_EACCESS), F(AT_SYMLINK_FOLLOW), F(AT_NO_AUTOMOUNT),
	F(AT_EMPTY_PATH),
#ifdef AT_STATX_FORCE_SYNC
	F(AT_STATX_FORCE_SYNC), F(AT_STATX_DONT_SYNC),
#endif
#ifdef AT_RECURSIVE
	F(AT_RECURSIVE),
#endif
};

static const struct flag access_modes[] = { F(R_OK), F(W_OK), F(X_OK) };

static const struct flag mmap_prot[] = {
	F(PROT_READ), F(PROT_WRITE), F(PROT_EXEC),
#ifdef PROT_SEM
	F(PROT_SEM),
#endif
#ifdef PROT_BTI
	F(PROT_BTI),
#endif
#ifdef PROT_MTE
	F(PROT_MTE),
#endif
	F(PROT_GROWSDOWN), F(PROT_GROWSUP),
};

static const struct flag mmap_types[] = {
	F(MAP_SHARED), F(MAP_PRIVATE),
#ifdef MAP_SHARED_VALIDATE
	F(MAP_SHARED_VALIDATE),
#endif
};

static const struct flag mmap_flags[] = {
	F(MAP_FIXED), F(MAP_ANONYMOUS),
#ifdef MAP_32BIT
	F(MAP_32BIT),
#endif
	F(MAP_GROWSDOWN), F(MAP_DENYWRITE), F(MAP_EXECUTABLE), F(MAP_LOCKED),
	F(MAP_NORESERVE), F(MAP_POPULATE), F(MAP_NONBLOCK), F(MAP_STACK), F(MAP_HUGETLB),
#ifdef MAP_SYNC
	F(MAP_SYNC),
#endif
#ifdef MAP_FIXED_NOREPLACE
	F(MAP_FIXED_NOREPLACE),
#endif
};

static const struct flag clone_flags[] = {
	F(CLONE_VM), F(CLONE_FS), F(CLONE_FILES), F(CLONE_SIGHAND),
#ifdef CLONE_PIDFD
	F(CLONE_PIDFD),
#endif
	F(CLONE_PTRACE), F(CLONE_VFORK), F(CLONE_PARENT), F(CLONE_THREAD), F(CLONE_NEWNS),
	F(CLONE_SYSVSEM), F(CLONE_SETTLS), F(CLONE_PARENT_SETTID), F(CLONE_CHILD_CLEARTID),
	F(CLONE_DETACHED), F(CLONE_UNTRACED), F(CLONE_CHILD_SETTID), F(CLONE_NEWCGROUP),
	F(CLONE_NEWUTS), F(CLONE_NEWIPC), F(CLONE_NEWUSER), F(CLONE_NEWPID), F(CLONE_NEWNET),
	F(CLONE_IO), F(CLONE_CLEAR_SIGHAND), F(CLONE_INTO_CGROUP),
};

static const struct flag sock_families[] = {
	F(AF_UNSPEC), F(AF_UNIX), F(AF_INET), F(AF_AX25), F(AF_IPX), F(AF_APPLETALK),
	F(AF_NETROM), F(AF_BRIDGE), F(AF_ATMPVC), F(AF_X25), F(AF_INET6), F(AF_ROSE),
	F(AF_DECnet), F(AF_NETBEUI), F(AF_SECURITY), F(AF_KEY), F(AF_NETLINK), F(AF_PACKET),
	F(AF_ASH), F(AF_ECONET), F(AF_ATMSVC), F(AF_RDS), F(AF_SNA), F(AF_IRDA), F(AF_PPPOX),
	F(AF_WANPIPE), F(AF_LLC), F(AF_IB), F(AF_MPLS), F(AF_CAN), F(AF_TIPC),
	F(AF_BLUETOOTH), F(AF_IUCV), F(AF_RXRPC), F(AF_ISDN), F(AF_PHONET), F(AF_IEEE802154),
	F(AF_CAIF), F(AF_ALG), F(AF_NFC), F(AF_VSOCK), F(AF_KCM), F(AF_QIPCRTR), F(AF_SMC),
#ifdef AF_XDP
	F(AF_XDP),
#endif
#ifdef AF_MCTP
	F(AF_MCTP),
#endif
};

static const struct flag sock_types[] = {
	F(SOCK_STREAM), F(SOCK_DGRAM), F(SOCK_RAW), F(SOCK_RDM), F(SOCK_SEQPACKET),
	F(SOCK_DCCP), F(SOCK_PACKET),
};

static const struct flag sock_type_flags[] = { F(SOCK_NONBLOCK), F(SOCK_CLOEXEC) };

static const struct flag fcntl_cmds[] = {
	F(F_DUPFD), F(F_GETFD), F(F_SETFD), F(F_GETFL), F(F_SETFL), F(F_GETLK), F(F_SETLK),
	F(F_SETLKW), F(F_SETOWN), F(F_GETOWN), F(F_SETSIG), F(F_GETSIG), F(F_SETOWN_EX),
	F(F_GETOWN_EX), F(F_OFD_GETLK), F(F_OFD_SETLK), F(F_OFD_SETLKW), F(F_SETLEASE),
	F(F_GETLEASE), F(F_NOTIFY), F(F_DUPFD_CLOEXEC), F(F_SETPIPE_SZ), F(F_GETPIPE_SZ),
#ifdef F_ADD_SEALS
	F(F_ADD_SEALS), F(F_GET_SEALS),
#endif
#ifdef F_GET_RW_HINT
	F(F_GET_RW_HINT), F(F_SET_RW_HINT), F(F_GET_FILE_RW_HINT), F(F_SET_FILE_RW_HINT),
#endif
};

static const struct flag whences[] = {
	F(SEEK_SET), F(SEEK_CUR), F(SEEK_END),
#ifdef SEEK_DATA
	F(SEEK_DATA), F(SEEK_HOLE),
#endif
};

/* The command together with FUTEX_PRIVATE_FLAG, as strace names it. */
#define FUTEX_OP_MASK ((uint64_t)(uint32_t)~FUTEX_CLOCK_REALTIME)
#define FUTEX_CMD(x) { (x), #x }, { (x) | FUTEX_PRIVATE_FLAG, #x "_PRIVATE" }
static const struct flag futex_ops[] = {
	FUTEX_CMD(FUTEX_WAIT), FUTEX_CMD(FUTEX_WAKE), FUTEX_CMD(FUTEX_FD),
	FUTEX_CMD(FUTEX_REQUEUE), FUTEX_CMD(FUTEX_CMP_REQUEUE), FUTEX_CMD(FUTEX_WAKE_OP),
	FUTEX_CMD(FUTEX_LOCK_PI), FUTEX_CMD(FUTEX_UNLOCK_PI), FUTEX_CMD(FUTEX_TRYLOCK_PI),
	FUTEX_CMD(FUTEX_WAIT_BITSET), FUTEX_CMD(FUTEX_WAKE_BITSET),
	FUTEX_CMD(FUTEX_WAIT_REQUEUE_PI), FUTEX_CMD(FUTEX_CMP_REQUEUE_PI),
#ifdef FUTEX_LOCK_PI2
	FUTEX_CMD(FUTEX_LOCK_PI2),
#endif
};

static const struct flag futex_flags[] = { F(FUTEX_CLOCK_REALTIME) };

static const struct flag sigprocmask_hows[] = { F(SIG_BLOCK), F(SIG_UNBLOCK), F(SIG_SETMASK) };

/* WSTOPPED is WUNTRACED's bit under waitid's name; a bit has one name, and
 * wait4 is the common caller. */
static const struct flag wait_options[] = {
	F(WNOHANG), F(WUNTRACED), F(WCONTINUED), F(WEXITED), F(WNOWAIT),
	F(__WNOTHREAD), F(__WALL), F(__WCLONE),
};


static const struct flag clockids[] = {
	F(CLOCK_REALTIME), F(CLOCK_MONOTONIC), F(CLOCK_PROCESS_CPUTIME_ID),
	F(CLOCK_THREAD_CPUTIME_ID), F(CLOCK_MONOTONIC_RAW), F(CLOCK_REALTIME_COARSE),
	F(CLOCK_MONOTONIC_COARSE), F(CLOCK_BOOTTIME), F(CLOCK_REALTIME_ALARM),
	F(CLOCK_BOOTTIME_ALARM),
#ifdef CLOCK_TAI
	F(CLOCK_TAI),
#endif
};

static const struct flag madvises[] = {
	F(MADV_NORMAL), F(MADV_RANDOM), F(MADV_SEQUENTIAL), F(MADV_WILLNEED),
	F(MADV_DONTNEED), F(MADV_FREE), F(MADV_REMOVE), F(MADV_DONTFORK), F(MADV_DOFORK),
	F(MADV_MERGEABLE), F(MADV_UNMERGEABLE), F(MADV_HUGEPAGE), F(MADV_NOHUGEPAGE),
	F(MADV_DONTDUMP), F(MADV_DODUMP), F(MADV_WIPEONFORK), F(MADV_KEEPONFORK),
#ifdef MADV_COLD
	F(MADV_COLD), F(MADV_PAGEOUT),
#endif
#ifdef MADV_POPULATE_READ
	F(MADV_POPULATE_READ), F(MADV_POPULATE_WRITE),
#endif
#ifdef MADV_DONTNEED_LOCKED
	F(MADV_DONTNEED_LOCKED),
#endif
#ifdef MADV_COLLAPSE
	F(MADV_COLLAPSE),
#endif
	F(MADV_HWPOISON),
#ifdef MADV_SOFT_OFFLINE
	F(MADV_SOFT_OFFLINE),
#endif
};

static const struct flag prctl_options[] = {
	F(PR_SET_PDEATHSIG), F(PR_GET_PDEATHSIG), F(PR_GET_DUMPABLE), F(PR_SET_DUMPABLE),
	F(PR_GET_KEEPCAPS), F(PR_SET_KEEPCAPS), F(PR_SET_NAME), F(PR_GET_NAME),
	F(PR_GET_SECCOMP), F(PR_SET_SECCOMP), F(PR_CAPBSET_READ), F(PR_CAPBSET_DROP),
	F(PR_GET_TIMERSLACK), F(PR_SET_TIMERSLACK), F(PR_MCE_KILL), F(PR_SET_MM),
	F(PR_SET_CHILD_SUBREAPER), F(PR_GET_CHILD_SUBREAPER), F(PR_SET_NO_NEW_PRIVS),
	F(PR_GET_NO_NEW_PRIVS), F(PR_SET_THP_DISABLE), F(PR_GET_THP_DISABLE),
	F(PR_CAP_AMBIENT), F(PR_SET_PTRACER),
#ifdef PR_SVE_SET_VL
	F(PR_SVE_SET_VL), F(PR_SVE_GET_VL),
#endif
#ifdef PR_GET_SPECULATION_CTRL
	F(PR_GET_SPECULATION_CTRL), F(PR_SET_SPECULATION_CTRL),
#endif
#ifdef PR_SET_TAGGED_ADDR_CTRL
	F(PR_SET_TAGGED_ADDR_CTRL), F(PR_GET_TAGGED_ADDR_CTRL),
#endif
#ifdef PR_SET_IO_FLUSHER
	F(PR_SET_IO_FLUSHER), F(PR_GET_IO_FLUSHER),
#endif
#ifdef PR_SET_SYSCALL_USER_DISPATCH
	F(PR_SET_SYSCALL_USER_DISPATCH),
#endif
#ifdef PR_SET_VMA
	F(PR_SET_VMA),
#endif
};

/* glibc's are enumerators, each with a macro of its own name or a PT_
 * alias for the #ifdef; the architecture's own requests where it has them. */
static const struct flag ptrace_reqs[] = {
	F(PTRACE_TRACEME), F(PTRACE_PEEKTEXT), F(PTRACE_PEEKDATA), F(PTRACE_PEEKUSER),
	F(PTRACE_POKETEXT), F(PTRACE_POKEDATA), F(PTRACE_POKEUSER), F(PTRACE_CONT),
	F(PTRACE_KILL), F(PTRACE_SINGLESTEP), F(PTRACE_ATTACH), F(PTRACE_DETACH),
	F(PTRACE_SYSCALL), F(PTRACE_SETOPTIONS), F(PTRACE_GETEVENTMSG),
	F(PTRACE_GETSIGINFO), F(PTRACE_SETSIGINFO),
#ifdef PT_GETREGS
	F(PTRACE_GETREGS), F(PTRACE_SETREGS),
#endif
#ifdef PT_GETFPREGS
	F(PTRACE_GETFPREGS), F(PTRACE_SETFPREGS),
#endif
#ifdef PT_GETFPXREGS
	F(PTRACE_GETFPXREGS), F(PTRACE_SETFPXREGS),
#endif
#ifdef PT_GET_THREAD_AREA
	F(PTRACE_GET_THREAD_AREA), F(PTRACE_SET_THREAD_AREA),
#endif
#ifdef PT_ARCH_PRCTL
	F(PTRACE_ARCH_PRCTL),
#endif
#ifdef PT_SYSEMU
	F(PTRACE_SYSEMU), F(PTRACE_SYSEMU_SINGLESTEP),
#endif
#ifdef PT_STEPBLOCK
	F(PTRACE_SINGLEBLOCK),
#endif
#ifdef PTRACE_GETREGSET
	F(PTRACE_GETREGSET), F(PTRACE_SETREGSET),
#endif
#ifdef PTRACE_SEIZE
	F(PTRACE_SEIZE), F(PTRACE_INTERRUPT), F(PTRACE_LISTEN),
#endif
#ifdef PTRACE_PEEKSIGINFO
	F(PTRACE_PEEKSIGINFO),
#endif
#ifdef PTRACE_GETSIGMASK
	F(PTRACE_GETSIGMASK), F(PTRACE_SETSIGMASK),
#endif
#ifdef PTRACE_SECCOMP_GET_FILTER
	F(PTRACE_SECCOMP_GET_FILTER),
#endif
#ifdef PTRACE_SECCOMP_GET_METADATA
	F(PTRACE_SECCOMP_GET_METADATA),
#endif
#ifdef PTRACE_GET_SYSCALL_INFO
	F(PTRACE_GET_SYSCALL_INFO),
#endif
#ifdef PTRACE_GET_RSEQ_CONFIGURATION
	F(PTRACE_GET_RSEQ_CONFIGURATION),
#endif
};

static const struct flag arch_prctl_codes[] = {
#ifdef __x86_64__
	F(ARCH_SET_GS), F(ARCH_SET_FS), F(ARCH_GET_FS), F(ARCH_GET_GS),
	F(ARCH_GET_CPUID), F(ARCH_SET_CPUID),
#ifdef ARCH_GET_XCOMP_SUPP
	F(ARCH_GET_XCOMP_SUPP), F(ARCH_GET_XCOMP_PERM), F(ARCH_REQ_XCOMP_PERM),
#endif
#ifdef ARCH_GET_XCOMP_GUEST_PERM
	F(ARCH_GET_XCOMP_GUEST_PERM), F(ARCH_REQ_XCOMP_GUEST_PERM),
#endif
	F(ARCH_MAP_VDSO_X32), F(ARCH_MAP_VDSO_32), F(ARCH_MAP_VDSO_64),
#ifdef ARCH_SHSTK_ENABLE
	F(ARCH_SHSTK_ENABLE), F(ARCH_SHSTK_DISABLE), F(ARCH_SHSTK_LOCK),
	F(ARCH_SHSTK_UNLOCK), F(ARCH_SHSTK_STATUS),
#endif
#endif
	{ 0, NULL } /* keeps the array non-empty on other architectures */
};

static const struct flag rlimits[] = {
	F(RLIMIT_CPU), F(RLIMIT_FSIZE), F(RLIMIT_DATA), F(RLIMIT_STACK), F(RLIMIT_CORE),
	F(RLIMIT_RSS), F(RLIMIT_NPROC), F(RLIMIT_NOFILE), F(RLIMIT_MEMLOCK), F(RLIMIT_AS),
	F(RLIMIT_LOCKS), F(RLIMIT_SIGPENDING), F(RLIMIT_MSGQUEUE), F(RLIMIT_NICE),
	F(RLIMIT_RTPRIO), F(RLIMIT_RTTIME),
};

static const struct flag ioctl_reqs[] = {
	F(TCGETS), F(TCSETS), F(TCSETSW), F(TCSETSF), F(TCGETA), F(TCSETA), F(TCSETAW),
	F(TCSETAF), F(TCSBRK), F(TCXONC), F(TCFLSH), F(TIOCEXCL), F(TIOCNXCL), F(TIOCSCTTY),
	F(TIOCGPGRP), F(TIOCSPGRP), F(TIOCOUTQ), F(TIOCSTI), F(TIOCGWINSZ), F(TIOCSWINSZ),
	F(TIOCMGET), F(TIOCMSET), F(FIONREAD), F(TIOCLINUX), F(TIOCCONS), F(FIONBIO),
	F(TIOCNOTTY), F(TIOCGSID), F(TIOCGPTN), F(TIOCSPTLCK), F(TIOCGPTPEER), F(FIONCLEX),
	F(FIOCLEX), F(FIOASYNC), F(FIOQSIZE),
	F(FS_IOC_GETFLAGS), F(FS_IOC_SETFLAGS), F(FS_IOC_GETVERSION), F(FS_IOC_SETVERSION),
	F(FS_IOC_FIEMAP), F(FS_IOC_FSGETXATTR), F(FS_IOC_FSSETXATTR),
	F(FICLONE), F(FICLONERANGE), F(FIDEDUPERANGE), F(FIFREEZE), F(FITHAW), F(FITRIM),
	F(BLKGETSIZE64), F(BLKSSZGET), F(BLKGETSIZE), F(BLKROGET),
};

static const struct flag shutdown_hows[] = { F(SHUT_RD), F(SHUT_WR), F(SHUT_RDWR) };

static const struct flag sockopt_levels[] = {
	F(SOL_IP), F(SOL_SOCKET), F(SOL_TCP), F(SOL_UDP), F(SOL_IPV6), F(SOL_ICMPV6),
	F(SOL_RAW), F(SOL_PACKET), F(SOL_NETLINK), F(SOL_ALG),
#ifdef SOL_TLS
	F(SOL_TLS),
#endif
#ifdef SOL_XDP
	F(SOL_XDP),
#endif
};

static const struct flag msg_flags[] = {
	F(MSG_OOB), F(MSG_PEEK), F(MSG_DONTROUTE), F(MSG_CTRUNC), F(MSG_PROXY), F(MSG_TRUNC),
	F(MSG_DONTWAIT), F(MSG_EOR), F(MSG_WAITALL), F(MSG_FIN), F(MSG_SYN), F(MSG_CONFIRM),
	F(MSG_RST), F(MSG_ERRQUEUE), F(MSG_NOSIGNAL), F(MSG_MORE), F(MSG_WAITFORONE),
#ifdef MSG_BATCH
	F(MSG_BATCH),
#endif
#ifdef MSG_ZEROCOPY
	F(MSG_ZEROCOPY),
#endif
	F(MSG_FASTOPEN), F(MSG_CMSG_CLOEXEC),
};

static const struct flag epoll_ops[] = { F(EPOLL_CTL_ADD), F(EPOLL_CTL_DEL), F(EPOLL_CTL_MOD) };

static const struct flag unlinkat_flags[] = { F(AT_REMOVEDIR) };

static const struct flag rename_flags[] = {
#ifdef RENAME_NOREPLACE
	F(RENAME_NOREPLACE), F(RENAME_EXCHANGE), F(RENAME_WHITEOUT),
#endif
	{ 0, NULL }
};

/* EFD_, SFD_, TFD_, IN_, EPOLL_ and SOCK_ CLOEXEC/NONBLOCK share these bits;
 * pipe2 also takes O_DIRECT. */
static const struct flag fd_flags[] = { F(O_NONBLOCK), F(O_CLOEXEC), F(O_DIRECT) };

static const struct flag msync_flags[] = { F(MS_ASYNC), F(MS_INVALIDATE), F(MS_SYNC) };

static const struct flag statx_masks[] = {
#ifdef STATX_ALL
	F(STATX_ALL), F(STATX_BASIC_STATS), F(STATX_TYPE), F(STATX_MODE), F(STATX_NLINK),
	F(STATX_UID), F(STATX_GID), F(STATX_ATIME), F(STATX_MTIME), F(STATX_CTIME),
	F(STATX_INO), F(STATX_SIZE), F(STATX_BLOCKS), F(STATX_BTIME),
#endif
#ifdef STATX_MNT_ID
	F(STATX_MNT_ID),
#endif
#ifdef STATX_DIOALIGN
	F(STATX_DIOALIGN),
#endif
#ifdef STATX_MNT_ID_UNIQUE
	F(STATX_MNT_ID_UNIQUE),
#endif
	{ 0, NULL }
};

#define ALL UINT64_MAX
#define CONSTS(t, m) .consts = (t), .nconsts = GT_ARRAY_SIZE(t), .cmask = (m)
#define FLAGS(t) .flags = (t), .nflags = GT_ARRAY_SIZE(t)

static const struct xspec specs[GT_A__COUNT] = {
	[GT_A_OPEN_FLAGS] = { CONSTS(open_modes, O_ACCMODE), FLAGS(open_flags) },
	[GT_A_AT_FLAGS] = { FLAGS(at_flags) },
	[GT_A_ACCESS_MODE] = { FLAGS(access_modes), .zero = "F_OK" },
	[GT_A_MMAP_PROT] = { FLAGS(mmap_prot), .zero = "PROT_NONE", .wide = true },
	[GT_A_MMAP_FLAGS] = { CONSTS(mmap_types, MAP_TYPE), FLAGS(mmap_flags), .wide = true },
	[GT_A_CLONE_FLAGS] = { FLAGS(clone_flags), .wide = true, .exit_signal = true },
	[GT_A_SOCK_FAMILY] = { CONSTS(sock_families, ALL) },
	[GT_A_SOCK_TYPE] = { CONSTS(sock_types, 0xf), FLAGS(sock_type_flags) },
	[GT_A_FCNTL_CMD] = { CONSTS(fcntl_cmds, ALL) },
	[GT_A_WHENCE] = { CONSTS(whences, ALL) },
	[GT_A_FUTEX_OP] = { CONSTS(futex_ops, FUTEX_OP_MASK), FLAGS(futex_flags) },
	[GT_A_SIGPROCMASK_HOW] = { CONSTS(sigprocmask_hows, ALL) },
	[GT_A_WAIT_OPTIONS] = { FLAGS(wait_options) },
	[GT_A_CLOCKID] = { CONSTS(clockids, ALL) },
	[GT_A_MADVISE] = { CONSTS(madvises, ALL) },
	[GT_A_PRCTL_OPTION] = { CONSTS(prctl_options, ALL) },
	[GT_A_ARCH_PRCTL] = { CONSTS(arch_prctl_codes, ALL) },
	[GT_A_RLIMIT] = { CONSTS(rlimits, ALL) },
	[GT_A_IOCTL_REQ] = { CONSTS(ioctl_reqs, ALL), .hex_unknown = true },
	[GT_A_SHUTDOWN_HOW] = { CONSTS(shutdown_hows, ALL) },
	[GT_A_SOCKOPT_LEVEL] = { CONSTS(sockopt_levels, ALL) },
	[GT_A_MSG_FLAGS] = { FLAGS(msg_flags) },
	[GT_A_EPOLL_OP] = { CONSTS(epoll_ops, ALL) },
	[GT_A_UNLINKAT_FLAGS] = { FLAGS(unlinkat_flags) },
	[GT_A_RENAME_FLAGS] = { FLAGS(rename_flags) },
	[GT_A_FD_FLAGS] = { FLAGS(fd_flags) },
	[GT_A_MSYNC_FLAGS] = { FLAGS(msync_flags) },
	[GT_A_STATX_MASK] = { FLAGS(statx_masks) },
	[GT_A_PTRACE_REQ] = { CONSTS(ptrace_reqs, ALL) },
};

static const char *const_name(const struct xspec *s, uint64_t v)
{
	for (size_t i = 0; i < s->nconsts; i++) {
		if (s->consts[i].name && s->consts[i].v == v)
			return s->consts[i].name;
	}
	return NULL;
}

/* One constant: its name, else the number (decimal, signed for ints). */
static void render_const(struct gt_buf *b, const struct xspec *s, uint64_t v)
{
	const char *name = const_name(s, v);

	if (name)
		gt_buf_puts(b, name);
	else if (s->hex_unknown)
		gt_buf_printf(b, "%#" PRIx64, v);
	else if (s->wide)
		gt_buf_printf(b, "%" PRId64, (int64_t)v);
	else
		gt_buf_printf(b, "%" PRId32, (int32_t)(uint32_t)v);
}

/* The set bits of V by name in table order, each match taking its bits
 * away, then what is left in hex; '|' between them.  Nothing is appended
 * for V == 0.  Returns whether something was appended. */
static bool render_flags(struct gt_buf *b, const struct xspec *s, uint64_t v, bool sep)
{
	bool any = false;

	for (size_t i = 0; i < s->nflags && v; i++) {
		uint64_t f = s->flags[i].v;

		if (!f || !s->flags[i].name || (v & f) != f)
			continue;
		if (sep || any)
			gt_buf_putc(b, '|');
		gt_buf_puts(b, s->flags[i].name);
		v &= ~f;
		any = true;
	}
	if (v) {
		if (sep || any)
			gt_buf_putc(b, '|');
		gt_buf_printf(b, "%#" PRIx64, v);
		any = true;
	}
	return any;
}

static void render_spec(struct gt_buf *b, const struct xspec *s, uint64_t v)
{
	bool any = false;

	if (!s->wide)
		v = (uint32_t)v;
	if (s->nconsts) {
		render_const(b, s, v & s->cmask);
		render_flags(b, s, v & ~s->cmask, true);
		return;
	}
	if (s->exit_signal) {
		uint64_t sig = v & CSIGNAL;

		any = render_flags(b, s, v & ~(uint64_t)CSIGNAL, false);
		if (sig) {
			if (any)
				gt_buf_putc(b, '|');
			gt_buf_puts(b, gt_signal_name((int)sig));
			any = true;
		}
	} else {
		any = render_flags(b, s, v, false);
	}
	if (!any)
		gt_buf_puts(b, s->zero ? s->zero : "0");
}

void gt_xlat_arg(struct gt_buf *b, enum gt_argk k, uint64_t value)
{
	switch (k) {
	case GT_A_SKIP:
		return;
	case GT_A_INT:
		gt_buf_printf(b, "%" PRId64, (int64_t)value);
		return;
	case GT_A_UINT:
	case GT_A_UID:
	case GT_A_GID:
		gt_buf_printf(b, "%" PRIu64, value);
		return;
	case GT_A_HEX:
		gt_buf_printf(b, "%#" PRIx64, value);
		return;
	case GT_A_OCTAL:
		gt_buf_printf(b, "%#" PRIo64, value);
		return;
	case GT_A_PTR:
	case GT_A_ENVP: /* not fetched: an address, so only NULL or not */
		gt_buf_puts(b, value ? "ptr" : "NULL");
		return;
	case GT_A_SIGNAL:
		if ((int)value == 0)
			gt_buf_putc(b, '0');
		else
			gt_buf_puts(b, gt_signal_name((int)value));
		return;
	case GT_A_DIRFD:
		if ((int)value == AT_FDCWD) {
			gt_buf_puts(b, "AT_FDCWD");
			return;
		}
		__attribute__((fallthrough));
	case GT_A_FD:
	case GT_A_PID:
		/* int arguments: the upper half of the register is not theirs */
		gt_buf_printf(b, "%d", (int)value);
		return;
	case GT_A_PATH:
	case GT_A_STR:
	case GT_A_ARGV:
	case GT_A_SOCKADDR:
	case GT_A_FDPAIR:
	case GT_A_CLONE3:
		gt_buf_printf(b, "%" PRId64, (int64_t)value);
		return;
	default:
		break;
	}
	if ((unsigned)k < GT_A__COUNT && (specs[k].nconsts || specs[k].nflags))
		render_spec(b, &specs[k], value);
	else
		gt_buf_printf(b, "%" PRId64, (int64_t)value);
}

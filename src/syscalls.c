/*
 * syscalls: the table of argument and return kinds of the system calls
 * gtdiff decodes, keyed by name, and the number-indexed view of it for the
 * native architecture.  Names and numbers always come from libseccomp; this
 * file never spells out a syscall number.  Also errno and signal names.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscalls.h"
#include "util.h"

/*
 * Table entries.  Sn(name, return kind, effect, n argument kinds) with the
 * kinds written without their GT_A_ prefix.  One macro per arity, because
 * a variadic dispatcher would macro-expand kind names such as AT_FLAGS
 * (an auxv constant in <elf.h>) before pasting the prefix.  Keep the table
 * sorted by name (a unit test checks it).
 */
#define S1(nm, r, f, a) \
	{ #nm, 1, { GT_A_##a }, GT_R_##r, GT_FX_##f }
#define S2(nm, r, f, a, b) \
	{ #nm, 2, { GT_A_##a, GT_A_##b }, GT_R_##r, GT_FX_##f }
#define S3(nm, r, f, a, b, c) \
	{ #nm, 3, { GT_A_##a, GT_A_##b, GT_A_##c }, GT_R_##r, GT_FX_##f }
#define S4(nm, r, f, a, b, c, d) \
	{ #nm, 4, { GT_A_##a, GT_A_##b, GT_A_##c, GT_A_##d }, GT_R_##r, GT_FX_##f }
#define S5(nm, r, f, a, b, c, d, e)                                      \
	{ #nm, 5, { GT_A_##a, GT_A_##b, GT_A_##c, GT_A_##d, GT_A_##e },  \
	  GT_R_##r, GT_FX_##f }
#define S6(nm, r, f, a, b, c, d, e, g)                                   \
	{ #nm, 6, { GT_A_##a, GT_A_##b, GT_A_##c, GT_A_##d, GT_A_##e, GT_A_##g }, \
	  GT_R_##r, GT_FX_##f }
#define S0(nm, r, f) { #nm, 0, { 0 }, GT_R_##r, GT_FX_##f }

static const struct gt_syscall_desc table[] = {
	S3(accept, FD, NONE, FD, PTR, PTR),
	S4(accept4, FD, NONE, FD, PTR, PTR, FD_FLAGS),
	S2(access, INT, NONE, PATH, ACCESS_MODE),
	S1(acct, INT, NONE, PATH),
	S2(add_key, INT, NONE, STR, STR),
	S1(adjtimex, INT, NONE, PTR),
	S1(alarm, INT, NONE, UINT),
	S2(arch_prctl, INT, NONE, ARCH_PRCTL, PTR),
	S3(bind, INT, NONE, FD, SOCKADDR, UINT),
	S3(bpf, INT, NONE, INT, PTR, UINT),
	S1(brk, ADDR, NONE, PTR),
	S4(cachestat, INT, NONE, FD, PTR, PTR, HEX),
	S2(capget, INT, NONE, PTR, PTR),
	S2(capset, INT, NONE, PTR, PTR),
	S1(chdir, INT, NONE, PATH),
	S2(chmod, INT, NONE, PATH, OCTAL),
	S3(chown, INT, NONE, PATH, UID, GID),
	S1(chroot, INT, NONE, PATH),
	S2(clock_adjtime, INT, NONE, CLOCKID, PTR),
	S2(clock_getres, INT, NONE, CLOCKID, PTR),
	S2(clock_gettime, INT, NONE, CLOCKID, PTR),
	S4(clock_nanosleep, INT, NONE, CLOCKID, INT, PTR, PTR),
	S2(clock_settime, INT, NONE, CLOCKID, PTR),
	/* Only the flags: the other arguments are addresses, and their order
	 * differs between x86-64 and aarch64. */
	S1(clone, PID, FORK, CLONE_FLAGS),
	S2(clone3, PID, FORK, CLONE3, UINT),
	S1(close, INT, CLOSE, FD),
	/* A range, not descriptors: ~0U as last is common. */
	S3(close_range, INT, CLOSE_RANGE, UINT, UINT, HEX),
	S3(connect, INT, NONE, FD, SOCKADDR, UINT),
	S6(copy_file_range, INT, NONE, FD, PTR, FD, PTR, UINT, HEX),
	S2(creat, FD, CREATE, PATH, OCTAL),
	S2(delete_module, INT, NONE, STR, HEX),
	S1(dup, FD, NONE, FD),
	S2(dup2, FD, DUP_TO, FD, FD),
	S3(dup3, FD, DUP_TO, FD, FD, FD_FLAGS),
	S1(epoll_create, FD, NONE, INT),
	S1(epoll_create1, FD, NONE, FD_FLAGS),
	S4(epoll_ctl, INT, NONE, FD, EPOLL_OP, FD, PTR),
	S6(epoll_pwait, INT, NONE, FD, PTR, INT, INT, PTR, UINT),
	S6(epoll_pwait2, INT, NONE, FD, PTR, INT, PTR, PTR, UINT),
	S4(epoll_wait, INT, NONE, FD, PTR, INT, INT),
	S1(eventfd, FD, NONE, UINT),
	S2(eventfd2, FD, NONE, UINT, FD_FLAGS),
	S3(execve, INT, EXEC, PATH, ARGV, ENVP),
	S5(execveat, INT, EXEC, DIRFD, PATH, ARGV, ENVP, AT_FLAGS),
	S1(exit, NONE, NONE, INT),
	S1(exit_group, NONE, NONE, INT),
	S3(faccessat, INT, NONE, DIRFD, PATH, ACCESS_MODE),
	S4(faccessat2, INT, NONE, DIRFD, PATH, ACCESS_MODE, AT_FLAGS),
	S4(fadvise64, INT, NONE, FD, INT, UINT, INT),
	S4(fallocate, INT, NONE, FD, HEX, INT, INT),
	S2(fanotify_init, FD, NONE, HEX, OPEN_FLAGS),
	S5(fanotify_mark, INT, NONE, FD, HEX, HEX, DIRFD, PATH),
	S1(fchdir, INT, NONE, FD),
	S2(fchmod, INT, NONE, FD, OCTAL),
	S3(fchmodat, INT, NONE, DIRFD, PATH, OCTAL),
	S4(fchmodat2, INT, NONE, DIRFD, PATH, OCTAL, AT_FLAGS),
	S3(fchown, INT, NONE, FD, UID, GID),
	S5(fchownat, INT, NONE, DIRFD, PATH, UID, GID, AT_FLAGS),
	S3(fcntl, INT, FCNTL, FD, FCNTL_CMD, INT),
	S1(fdatasync, INT, NONE, FD),
	S4(fgetxattr, INT, NONE, FD, STR, SKIP, UINT),
	S3(finit_module, INT, NONE, FD, STR, HEX),
	S3(flistxattr, INT, NONE, FD, SKIP, UINT),
	S2(flock, INT, NONE, FD, INT),
	S0(fork, PID, FORK),
	S2(fremovexattr, INT, NONE, FD, STR),
	S5(fsconfig, INT, NONE, FD, UINT, STR, PTR, INT),
	S5(fsetxattr, INT, NONE, FD, STR, SKIP, UINT, HEX),
	S3(fsmount, FD, NONE, FD, HEX, HEX),
	S2(fsopen, FD, NONE, STR, HEX),
	S3(fspick, FD, NONE, DIRFD, PATH, HEX),
	S2(fstat, INT, NONE, FD, PTR),
	S2(fstatfs, INT, NONE, FD, PTR),
	S1(fsync, INT, NONE, FD),
	S2(ftruncate, INT, NONE, FD, INT),
	S3(futex, INT, NONE, PTR, FUTEX_OP, INT),
	S4(futex_requeue, INT, NONE, PTR, HEX, INT, INT),
	S6(futex_wait, INT, NONE, PTR, HEX, HEX, HEX, PTR, CLOCKID),
	S5(futex_waitv, INT, NONE, PTR, UINT, HEX, PTR, CLOCKID),
	S4(futex_wake, INT, NONE, PTR, HEX, INT, HEX),
	S3(futimesat, INT, NONE, DIRFD, PATH, PTR),
	S5(get_mempolicy, INT, NONE, PTR, PTR, UINT, PTR, HEX),
	S3(get_robust_list, INT, NONE, PID, PTR, PTR),
	S1(get_thread_area, INT, NONE, PTR),
	S3(getcpu, INT, NONE, PTR, PTR, PTR),
	S2(getcwd, STRLEN, NONE, OUTPATH, UINT),
	S3(getdents, INT, NONE, FD, SKIP, UINT),
	S3(getdents64, INT, NONE, FD, DIRENTS, UINT),
	S0(getegid, GID, NONE),
	S0(geteuid, UID, NONE),
	S0(getgid, GID, NONE),
	S1(getgroups, INT, NONE, INT),
	S2(getitimer, INT, NONE, INT, PTR),
	S3(getpeername, INT, NONE, FD, PTR, PTR),
	S1(getpgid, PID, NONE, PID),
	S0(getpgrp, PID, NONE),
	S0(getpid, PID, NONE),
	S0(getppid, PID, NONE),
	S2(getpriority, INT, NONE, INT, INT),
	S3(getrandom, INT, NONE, SKIP, UINT, HEX),
	S3(getresgid, INT, NONE, PTR, PTR, PTR),
	S3(getresuid, INT, NONE, PTR, PTR, PTR),
	S2(getrlimit, INT, NONE, RLIMIT, PTR),
	S2(getrusage, INT, NONE, INT, PTR),
	S1(getsid, PID, NONE, PID),
	S3(getsockname, INT, NONE, FD, PTR, PTR),
	S5(getsockopt, INT, NONE, FD, SOCKOPT_LEVEL, INT, PTR, PTR),
	S0(gettid, PID, NONE),
	S2(gettimeofday, INT, NONE, PTR, PTR),
	S0(getuid, UID, NONE),
	S4(getxattr, INT, NONE, PATH, STR, SKIP, UINT),
	S3(init_module, INT, NONE, PTR, UINT, STR),
	S3(inotify_add_watch, INT, NONE, FD, PATH, HEX),
	S0(inotify_init, FD, NONE),
	S1(inotify_init1, FD, NONE, FD_FLAGS),
	S2(inotify_rm_watch, INT, NONE, FD, INT),
	S3(io_cancel, INT, NONE, PTR, PTR, PTR),
	S1(io_destroy, INT, NONE, PTR),
	S5(io_getevents, INT, NONE, PTR, INT, INT, PTR, PTR),
	S6(io_pgetevents, INT, NONE, PTR, INT, INT, PTR, PTR, PTR),
	S2(io_setup, INT, NONE, UINT, PTR),
	S3(io_submit, INT, NONE, PTR, INT, PTR),
	S6(io_uring_enter, INT, NONE, FD, UINT, UINT, HEX, PTR, UINT),
	S4(io_uring_register, INT, NONE, FD, UINT, PTR, UINT),
	S2(io_uring_setup, FD, NONE, UINT, PTR),
	S3(ioctl, INT, NONE, FD, IOCTL_REQ, PTR),
	S3(ioperm, INT, NONE, UINT, UINT, INT),
	S1(iopl, INT, NONE, INT),
	S2(ioprio_get, INT, NONE, INT, INT),
	S3(ioprio_set, INT, NONE, INT, INT, INT),
	S5(kcmp, INT, NONE, PID, PID, INT, UINT, UINT),
	S1(keyctl, INT, NONE, INT),
	S2(kill, INT, NONE, PID, SIGNAL),
	S4(landlock_add_rule, INT, NONE, FD, INT, PTR, HEX),
	S3(landlock_create_ruleset, FD, NONE, PTR, UINT, HEX),
	S2(landlock_restrict_self, INT, NONE, FD, HEX),
	S3(lchown, INT, NONE, PATH, UID, GID),
	S4(lgetxattr, INT, NONE, PATH, STR, SKIP, UINT),
	S2(link, INT, NONE, PATH, PATH),
	S5(linkat, INT, NONE, DIRFD, PATH, DIRFD, PATH, AT_FLAGS),
	S2(listen, INT, NONE, FD, INT),
	S3(listxattr, INT, NONE, PATH, SKIP, UINT),
	S3(llistxattr, INT, NONE, PATH, SKIP, UINT),
	S2(lremovexattr, INT, NONE, PATH, STR),
	S3(lseek, INT, NONE, FD, INT, WHENCE),
	S5(lsetxattr, INT, NONE, PATH, STR, SKIP, UINT, HEX),
	S2(lstat, INT, NONE, PATH, PTR),
	S3(madvise, INT, NONE, PTR, UINT, MADVISE),
	S3(map_shadow_stack, ADDR, NONE, PTR, UINT, HEX),
	S6(mbind, INT, NONE, PTR, UINT, INT, PTR, UINT, HEX),
	S3(membarrier, INT, NONE, INT, HEX, INT),
	S2(memfd_create, FD, NONE, STR, HEX),
	S1(memfd_secret, FD, NONE, HEX),
	S4(migrate_pages, INT, NONE, PID, UINT, PTR, PTR),
	S2(mincore, INT, NONE, PTR, UINT),
	S2(mkdir, INT, CREATE, PATH, OCTAL),
	S3(mkdirat, INT, CREATE, DIRFD, PATH, OCTAL),
	S3(mknod, INT, NONE, PATH, OCTAL, HEX),
	S4(mknodat, INT, NONE, DIRFD, PATH, OCTAL, HEX),
	S2(mlock, INT, NONE, PTR, UINT),
	S3(mlock2, INT, NONE, PTR, UINT, HEX),
	S1(mlockall, INT, NONE, HEX),
	S6(mmap, ADDR, NONE, PTR, UINT, MMAP_PROT, MMAP_FLAGS, FD, UINT),
	S3(modify_ldt, INT, NONE, INT, PTR, UINT),
	/* Three strings: the source (a device path that differs between
	 * machines) is the one not fetched. */
	S5(mount, INT, NONE, PTR, PATH, STR, HEX, PTR),
	S5(mount_setattr, INT, NONE, DIRFD, PATH, AT_FLAGS, PTR, UINT),
	S5(move_mount, INT, NONE, DIRFD, PATH, DIRFD, PATH, HEX),
	S6(move_pages, INT, NONE, PID, UINT, PTR, PTR, PTR, HEX),
	S3(mprotect, INT, NONE, PTR, UINT, MMAP_PROT),
	S3(mq_getsetattr, INT, NONE, FD, PTR, PTR),
	S2(mq_notify, INT, NONE, FD, PTR),
	S4(mq_open, FD, NONE, STR, OPEN_FLAGS, OCTAL, PTR),
	S5(mq_timedreceive, INT, NONE, FD, SKIP, UINT, PTR, PTR),
	S5(mq_timedsend, INT, NONE, FD, SKIP, UINT, UINT, PTR),
	S1(mq_unlink, INT, NONE, STR),
	S5(mremap, ADDR, NONE, PTR, UINT, UINT, HEX, PTR),
	S3(msgctl, INT, NONE, INT, INT, PTR),
	S2(msgget, INT, NONE, INT, HEX),
	S5(msgrcv, INT, NONE, INT, PTR, UINT, INT, HEX),
	S4(msgsnd, INT, NONE, INT, PTR, UINT, HEX),
	S3(msync, INT, NONE, PTR, UINT, MSYNC_FLAGS),
	S2(munlock, INT, NONE, PTR, UINT),
	S0(munlockall, INT, NONE),
	S2(munmap, INT, NONE, PTR, UINT),
	S5(name_to_handle_at, INT, NONE, DIRFD, PATH, PTR, PTR, AT_FLAGS),
	S2(nanosleep, INT, NONE, PTR, PTR),
	S4(newfstatat, INT, NONE, DIRFD, PATH, PTR, AT_FLAGS),
	S3(open, FD, CREATE, PATH, OPEN_FLAGS, OCTAL),
	S3(open_by_handle_at, FD, NONE, FD, PTR, OPEN_FLAGS),
	S3(open_tree, FD, NONE, DIRFD, PATH, HEX),
	S4(openat, FD, CREATE, DIRFD, PATH, OPEN_FLAGS, OCTAL),
	S4(openat2, FD, CREATE, DIRFD, PATH, PTR, UINT),
	S0(pause, INT, NONE),
	S5(perf_event_open, FD, NONE, PTR, PID, INT, FD, HEX),
	S1(personality, HEX, NONE, HEX),
	S3(pidfd_getfd, FD, NONE, FD, INT, HEX),
	S2(pidfd_open, FD, NONE, PID, HEX),
	S4(pidfd_send_signal, INT, NONE, FD, SIGNAL, PTR, HEX),
	S1(pipe, INT, NONE, FDPAIR),
	S2(pipe2, INT, NONE, FDPAIR, FD_FLAGS),
	S2(pivot_root, INT, NONE, PATH, PATH),
	S2(pkey_alloc, INT, NONE, HEX, HEX),
	S1(pkey_free, INT, NONE, INT),
	S4(pkey_mprotect, INT, NONE, PTR, UINT, MMAP_PROT, INT),
	S3(poll, INT, NONE, PTR, UINT, INT),
	S5(ppoll, INT, NONE, PTR, UINT, PTR, PTR, UINT),
	/* Only the option: arguments are addresses for some options (PR_SET_NAME),
	 * which must never reach a trace. */
	S1(prctl, INT, NONE, PRCTL_OPTION),
	S4(pread64, INT, NONE, FD, SKIP, UINT, INT),
	S4(preadv, INT, NONE, FD, SKIP, UINT, INT),
	S6(preadv2, INT, NONE, FD, SKIP, UINT, INT, SKIP, HEX),
	S4(prlimit64, INT, NONE, PID, RLIMIT, PTR, PTR),
	S5(process_madvise, INT, NONE, FD, PTR, UINT, MADVISE, HEX),
	S2(process_mrelease, INT, NONE, FD, HEX),
	S6(process_vm_readv, INT, NONE, PID, PTR, UINT, PTR, UINT, HEX),
	S6(process_vm_writev, INT, NONE, PID, PTR, UINT, PTR, UINT, HEX),
	S6(pselect6, INT, NONE, INT, PTR, PTR, PTR, PTR, PTR),
	S4(ptrace, INT, NONE, PTRACE_REQ, PID, PTR, PTR),
	S4(pwrite64, INT, NONE, FD, SKIP, UINT, INT),
	S4(pwritev, INT, NONE, FD, SKIP, UINT, INT),
	S6(pwritev2, INT, NONE, FD, SKIP, UINT, INT, SKIP, HEX),
	S4(quotactl, INT, NONE, HEX, PATH, INT, PTR),
	S4(quotactl_fd, INT, NONE, FD, HEX, INT, PTR),
	S3(read, INT, NONE, FD, SKIP, UINT),
	S3(readahead, INT, NONE, FD, INT, UINT),
	S3(readlink, STRLEN, NONE, PATH, OUTPATH, UINT),
	S4(readlinkat, STRLEN, NONE, DIRFD, PATH, OUTPATH, UINT),
	S3(readv, INT, NONE, FD, SKIP, UINT),
	S3(reboot, INT, NONE, HEX, HEX, HEX),
	S6(recvfrom, INT, NONE, FD, SKIP, UINT, MSG_FLAGS, PTR, PTR),
	S5(recvmmsg, INT, NONE, FD, PTR, UINT, MSG_FLAGS, PTR),
	S3(recvmsg, INT, NONE, FD, PTR, MSG_FLAGS),
	S5(remap_file_pages, INT, NONE, PTR, UINT, MMAP_PROT, UINT, MMAP_FLAGS),
	S2(removexattr, INT, NONE, PATH, STR),
	S2(rename, INT, NONE, PATH, PATH),
	S4(renameat, INT, NONE, DIRFD, PATH, DIRFD, PATH),
	S5(renameat2, INT, NONE, DIRFD, PATH, DIRFD, PATH, RENAME_FLAGS),
	S4(request_key, INT, NONE, STR, STR, PTR, INT),
	S0(restart_syscall, INT, NONE),
	S1(rmdir, INT, NONE, PATH),
	S4(rseq, INT, NONE, PTR, UINT, HEX, HEX),
	S4(rt_sigaction, INT, NONE, SIGNAL, PTR, PTR, UINT),
	S2(rt_sigpending, INT, NONE, PTR, UINT),
	S4(rt_sigprocmask, INT, NONE, SIGPROCMASK_HOW, PTR, PTR, UINT),
	S3(rt_sigqueueinfo, INT, NONE, PID, SIGNAL, PTR),
	S0(rt_sigreturn, NONE, NONE),
	S2(rt_sigsuspend, INT, NONE, PTR, UINT),
	S4(rt_sigtimedwait, INT, NONE, PTR, PTR, PTR, UINT),
	S4(rt_tgsigqueueinfo, INT, NONE, PID, PID, SIGNAL, PTR),
	S1(sched_get_priority_max, INT, NONE, INT),
	S1(sched_get_priority_min, INT, NONE, INT),
	S3(sched_getaffinity, INT, NONE, PID, UINT, PTR),
	S4(sched_getattr, INT, NONE, PID, PTR, UINT, HEX),
	S2(sched_getparam, INT, NONE, PID, PTR),
	S1(sched_getscheduler, INT, NONE, PID),
	S2(sched_rr_get_interval, INT, NONE, PID, PTR),
	S3(sched_setaffinity, INT, NONE, PID, UINT, PTR),
	S3(sched_setattr, INT, NONE, PID, PTR, HEX),
	S2(sched_setparam, INT, NONE, PID, PTR),
	S3(sched_setscheduler, INT, NONE, PID, INT, PTR),
	S0(sched_yield, INT, NONE),
	S3(seccomp, INT, NONE, UINT, HEX, PTR),
	S5(select, INT, NONE, INT, PTR, PTR, PTR, PTR),
	S4(semctl, INT, NONE, INT, INT, INT, PTR),
	S3(semget, INT, NONE, INT, INT, HEX),
	S3(semop, INT, NONE, INT, PTR, UINT),
	S4(semtimedop, INT, NONE, INT, PTR, UINT, PTR),
	S4(sendfile, INT, NONE, FD, FD, PTR, UINT),
	S4(sendmmsg, INT, NONE, FD, PTR, UINT, MSG_FLAGS),
	S3(sendmsg, INT, NONE, FD, PTR, MSG_FLAGS),
	S6(sendto, INT, NONE, FD, SKIP, UINT, MSG_FLAGS, SOCKADDR, UINT),
	S3(set_mempolicy, INT, NONE, INT, PTR, UINT),
	S4(set_mempolicy_home_node, INT, NONE, PTR, UINT, UINT, HEX),
	S2(set_robust_list, INT, NONE, PTR, UINT),
	S1(set_thread_area, INT, NONE, PTR),
	S1(set_tid_address, PID, NONE, PTR),
	S2(setdomainname, INT, NONE, SKIP, UINT),
	S1(setfsgid, GID, NONE, GID),
	S1(setfsuid, UID, NONE, UID),
	S1(setgid, INT, NONE, GID),
	S1(setgroups, INT, NONE, UINT),
	S2(sethostname, INT, NONE, SKIP, UINT),
	S3(setitimer, INT, NONE, INT, PTR, PTR),
	S2(setns, INT, NONE, FD, CLONE_FLAGS),
	S2(setpgid, INT, NONE, PID, PID),
	S3(setpriority, INT, NONE, INT, INT, INT),
	S2(setregid, INT, NONE, GID, GID),
	S3(setresgid, INT, NONE, GID, GID, GID),
	S3(setresuid, INT, NONE, UID, UID, UID),
	S2(setreuid, INT, NONE, UID, UID),
	S2(setrlimit, INT, NONE, RLIMIT, PTR),
	S0(setsid, PID, NONE),
	S5(setsockopt, INT, NONE, FD, SOCKOPT_LEVEL, INT, PTR, UINT),
	S2(settimeofday, INT, NONE, PTR, PTR),
	S1(setuid, INT, NONE, UID),
	S5(setxattr, INT, NONE, PATH, STR, SKIP, UINT, HEX),
	S3(shmat, ADDR, NONE, INT, PTR, HEX),
	S3(shmctl, INT, NONE, INT, INT, PTR),
	S1(shmdt, INT, NONE, PTR),
	S3(shmget, INT, NONE, INT, UINT, HEX),
	S2(shutdown, INT, NONE, FD, SHUTDOWN_HOW),
	S2(sigaltstack, INT, NONE, PTR, PTR),
	S3(signalfd, FD, NONE, FD, PTR, UINT),
	S4(signalfd4, FD, NONE, FD, PTR, UINT, FD_FLAGS),
	S3(socket, FD, NONE, SOCK_FAMILY, SOCK_TYPE, INT),
	S4(socketpair, INT, NONE, SOCK_FAMILY, SOCK_TYPE, INT, FDPAIR),
	S6(splice, INT, NONE, FD, PTR, FD, PTR, UINT, HEX),
	S2(stat, INT, NONE, PATH, PTR),
	S2(statfs, INT, NONE, PATH, PTR),
	S5(statx, INT, NONE, DIRFD, PATH, AT_FLAGS, STATX_MASK, PTR),
	S1(swapoff, INT, NONE, PATH),
	S2(swapon, INT, NONE, PATH, HEX),
	S2(symlink, INT, NONE, PATH, PATH),
	S3(symlinkat, INT, NONE, PATH, DIRFD, PATH),
	S0(sync, INT, NONE),
	S4(sync_file_range, INT, NONE, FD, INT, INT, HEX),
	S1(syncfs, INT, NONE, FD),
	S1(sysinfo, INT, NONE, PTR),
	S3(syslog, INT, NONE, INT, SKIP, INT),
	S4(tee, INT, NONE, FD, FD, UINT, HEX),
	S3(tgkill, INT, NONE, PID, PID, SIGNAL),
	S1(time, INT, NONE, PTR),
	S3(timer_create, INT, NONE, CLOCKID, PTR, PTR),
	S1(timer_delete, INT, NONE, INT),
	S1(timer_getoverrun, INT, NONE, INT),
	S2(timer_gettime, INT, NONE, INT, PTR),
	S4(timer_settime, INT, NONE, INT, HEX, PTR, PTR),
	S2(timerfd_create, FD, NONE, CLOCKID, FD_FLAGS),
	S2(timerfd_gettime, INT, NONE, FD, PTR),
	S4(timerfd_settime, INT, NONE, FD, HEX, PTR, PTR),
	S1(times, INT, NONE, PTR),
	S2(tkill, INT, NONE, PID, SIGNAL),
	S2(truncate, INT, NONE, PATH, INT),
	S1(umask, INT, NONE, OCTAL),
	S2(umount2, INT, NONE, PATH, HEX),
	S1(uname, INT, NONE, PTR),
	S1(unlink, INT, NONE, PATH),
	S3(unlinkat, INT, NONE, DIRFD, PATH, UNLINKAT_FLAGS),
	S1(unshare, INT, NONE, CLONE_FLAGS),
	S1(userfaultfd, FD, NONE, FD_FLAGS),
	S2(utime, INT, NONE, PATH, PTR),
	S4(utimensat, INT, NONE, DIRFD, PATH, PTR, AT_FLAGS),
	S2(utimes, INT, NONE, PATH, PTR),
	S0(vfork, PID, FORK),
	S0(vhangup, INT, NONE),
	S4(vmsplice, INT, NONE, FD, SKIP, UINT, HEX),
	S4(wait4, PID, NONE, PID, PTR, WAIT_OPTIONS, PTR),
	/* idtype P_ALL/P_PID/P_PGID/P_PIDFD, id, info, options, rusage */
	S5(waitid, INT, NONE, INT, PID, PTR, WAIT_OPTIONS, PTR),
	S3(write, INT, NONE, FD, SKIP, UINT),
	S3(writev, INT, NONE, FD, SKIP, UINT),
};

#define TABLE_LEN GT_ARRAY_SIZE(table)

/* Numbers scanned for names; every architecture gtdiff targets stays
 * below this (x86-64 and aarch64 end near 460). */
#define NR_SLOTS 1024

enum { FETCH_ENTRY = 1, FETCH_EXIT = 2 };

struct name_nr {
	const char *name;
	int nr;
};

/* Numbers outside 0..NR_SLOTS-1 (-1 after a skipped call, x32 numbers) get
 * their generic description made on demand and kept in this list. */
struct odd_desc {
	struct gt_syscall_desc d;
	int nr;
	char name[24];
	struct odd_desc *next;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static uint8_t table_fetch[TABLE_LEN];
static const struct gt_syscall_desc *by_nr[NR_SLOTS];
static struct gt_syscall_desc generic[NR_SLOTS];
static char *seccomp_name[NR_SLOTS];    /* libseccomp's, malloc'd, kept */
static char unnamed[NR_SLOTS][24];      /* "syscall_NNN" */
static struct name_nr *names;           /* every named number, by name */
static size_t nnames;
static int max_nr;
static pthread_mutex_t odd_lock = PTHREAD_MUTEX_INITIALIZER;
static struct odd_desc *odd_list;

static uint8_t fetch_bits(const struct gt_syscall_desc *d)
{
	uint8_t bits = 0;

	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++) {
		switch (d->argk[i]) {
		case GT_A_PATH:
		case GT_A_STR:
		case GT_A_ARGV:
		case GT_A_SOCKADDR:
		case GT_A_CLONE3:
			bits |= FETCH_ENTRY;
			break;
		case GT_A_DIRENTS:
			/* ptrace lists at the exit, only when entries came back;
			 * a backend without exits, at the entry. */
			bits |= FETCH_ENTRY | FETCH_EXIT;
			break;
		case GT_A_FDPAIR:
		case GT_A_OUTPATH:
			bits |= FETCH_EXIT;
			break;
		default:
			break;
		}
	}
	return bits;
}

static int cmp_name_nr(const void *a, const void *b)
{
	const struct name_nr *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int resolve_native(const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);

	/* libseccomp answers with negative pseudo numbers for calls that do not
	 * exist on the architecture. */
	return nr < 0 ? -1 : nr;
}

static void init(void)
{
	for (size_t i = 0; i < TABLE_LEN; i++)
		table_fetch[i] = fetch_bits(&table[i]);

	for (int nr = 0; nr < NR_SLOTS; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

		snprintf(unnamed[nr], sizeof(unnamed[nr]), "syscall_%d", nr);
		generic[nr].name = unnamed[nr];
		generic[nr].retk = GT_R_INT;
		if (name) {
			seccomp_name[nr] = name;
			generic[nr].name = name;
			max_nr = nr + 1;
			nnames++;
		}
		by_nr[nr] = &generic[nr];
	}

	for (size_t i = 0; i < TABLE_LEN; i++) {
		int nr = resolve_native(table[i].name);

		if (nr >= 0 && nr < NR_SLOTS)
			by_nr[nr] = &table[i];
	}

	names = xcalloc(nnames ? nnames : 1, sizeof(*names));
	for (int nr = 0, j = 0; nr < NR_SLOTS; nr++) {
		if (seccomp_name[nr])
			names[j++] = (struct name_nr){ seccomp_name[nr], nr };
	}
	qsort(names, nnames, sizeof(*names), cmp_name_nr);
}

void gt_syscalls_init(void)
{
	pthread_once(&init_once, init);
}

int gt_syscalls_max(void)
{
	gt_syscalls_init();
	return max_nr;
}

static const struct gt_syscall_desc *odd_desc(int nr)
{
	struct odd_desc *o;

	pthread_mutex_lock(&odd_lock);
	for (o = odd_list; o; o = o->next) {
		if (o->nr == nr)
			goto out;
	}
	o = xcalloc(1, sizeof(*o));
	o->nr = nr;
	snprintf(o->name, sizeof(o->name), "syscall_%d", nr);
	o->d.name = o->name;
	o->d.retk = GT_R_INT;
	o->next = odd_list;
	odd_list = o;
out:
	pthread_mutex_unlock(&odd_lock);
	return &o->d;
}

const struct gt_syscall_desc *gt_syscall_by_nr(int nr)
{
	gt_syscalls_init();
	if (nr >= 0 && nr < NR_SLOTS)
		return by_nr[nr];
	return odd_desc(nr);
}

int gt_syscall_nr(const char *name)
{
	struct name_nr key = { name, 0 };
	const struct name_nr *hit;
	char *end;
	long v;

	gt_syscalls_init();
	if (!name)
		return -1;
	hit = bsearch(&key, names, nnames, sizeof(*names), cmp_name_nr);
	if (hit)
		return hit->nr;
	/* The generic name of an unnamed number reads back as that number. */
	if (strncmp(name, "syscall_", 8) == 0 && name[8] >= '0' && name[8] <= '9') {
		errno = 0;
		v = strtol(name + 8, &end, 10);
		if (!*end && !errno && v <= INT32_MAX && (v >= NR_SLOTS || !seccomp_name[v]))
			return (int)v;
	}
	return -1;
}

const char *gt_syscall_name(int nr)
{
	gt_syscalls_init();
	if (nr < 0 || nr >= NR_SLOTS)
		return NULL;
	return seccomp_name[nr];
}

/* Byte-count calls and the shown index of their byte count, sorted. */
static const struct {
	const char *name;
	int arg;
} bytes_calls[] = {
	{ "copy_file_range", 4 }, { "getdents", 1 }, { "getdents64", 1 },
	{ "pread64", 1 }, { "preadv", GT_BYTES_RET_ONLY }, { "preadv2", GT_BYTES_RET_ONLY },
	{ "pwrite64", 1 }, { "pwritev", GT_BYTES_RET_ONLY }, { "pwritev2", GT_BYTES_RET_ONLY },
	{ "read", 1 }, { "readv", GT_BYTES_RET_ONLY }, { "recvfrom", 1 },
	{ "recvmsg", GT_BYTES_RET_ONLY }, { "sendfile", 3 }, { "sendmsg", GT_BYTES_RET_ONLY },
	{ "sendto", 1 }, { "splice", 4 }, { "vmsplice", 1 }, { "write", 1 },
	{ "writev", GT_BYTES_RET_ONLY },
};

/* The loader and the diff ask this for every event, of a few interned call
 * names: a small per-thread cache keyed by the string's address, checked
 * by its text (an address may be reused by another trace's string). */
#define BYTES_CACHE 64
static __thread struct {
	const char *p;
	char name[24];
	int arg;
} bytes_cache[BYTES_CACHE];

static int bytes_lookup(const char *name)
{
	size_t lo = 0, hi = GT_ARRAY_SIZE(bytes_calls);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(bytes_calls[mid].name, name);

		if (r == 0)
			return bytes_calls[mid].arg;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int gt_syscall_bytes_arg(const char *name)
{
	size_t slot = ((uintptr_t)name >> 3) % BYTES_CACHE, n;

	if (!name)
		return -1;
	if (bytes_cache[slot].p == name && strcmp(bytes_cache[slot].name, name) == 0)
		return bytes_cache[slot].arg;
	n = strlen(name);
	if (n >= sizeof(bytes_cache[slot].name))
		return bytes_lookup(name);
	bytes_cache[slot].p = name;
	memcpy(bytes_cache[slot].name, name, n + 1);
	bytes_cache[slot].arg = bytes_lookup(name);
	return bytes_cache[slot].arg;
}

bool gt_syscall_stateless(const char *name)
{
	/* Sorted. */
	static const char *const calls[] = {
		"clock_gettime", "clock_nanosleep", "getpid", "getppid", "gettid",
		"gettimeofday", "lseek", "nanosleep", "pread64", "preadv", "preadv2",
		"pwrite64", "pwritev", "pwritev2", "read", "readv", "recvfrom",
		"sched_yield", "sendto", "time", "write", "writev",
	};
	size_t lo = 0, hi = GT_ARRAY_SIZE(calls);

	while (name && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(calls[mid], name);

		if (r == 0)
			return true;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool gt_syscall_bytes_capacity(const char *name)
{
	static const char *const reads[] = { "getdents", "getdents64", "pread64", "read",
					     "recvfrom" };

	for (size_t i = 0; name && i < GT_ARRAY_SIZE(reads); i++)
		if (strcmp(name, reads[i]) == 0)
			return true;
	return false;
}

bool gt_syscall_is_memory(const char *name)
{
	return name && (strcmp(name, "brk") == 0 || strcmp(name, "munmap") == 0 ||
			strcmp(name, "mremap") == 0 || strcmp(name, "madvise") == 0);
}

const struct gt_syscall_desc *gt_syscalls_table(size_t *n)
{
	*n = TABLE_LEN;
	return table;
}

static uint8_t desc_fetch(const struct gt_syscall_desc *d)
{
	uintptr_t p = (uintptr_t)d;

	if (p >= (uintptr_t)table && p < (uintptr_t)(table + TABLE_LEN)) {
		gt_syscalls_init();
		return table_fetch[d - table];
	}
	/* Generic descriptions show no arguments; a description built
	 * elsewhere (tests) is examined directly: at most six kinds. */
	return d->nargs ? fetch_bits(d) : 0;
}

int gt_syscall_shown_kinds(const struct gt_syscall_desc *d, uint8_t *kinds)
{
	int n = 0;

	for (int k = 0; k < d->nargs && k < GT_MAX_ARGS; k++)
		if (d->argk[k] != GT_A_SKIP && d->argk[k] != GT_A_DIRENTS)
			kinds[n++] = d->argk[k];
	return n;
}

bool gt_syscall_needs_return(const struct gt_syscall_desc *d)
{
	if (d->retk == GT_R_FD || d->retk == GT_R_PID || d->retk == GT_R_ADDR ||
	    d->retk == GT_R_STRLEN)
		return true;
	if (d->fx & (GT_FX_EXEC | GT_FX_FORK | GT_FX_DUP_TO | GT_FX_CLOSE_RANGE | GT_FX_FCNTL |
		     GT_FX_CREATE))
		return true;
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++) {
		switch (d->argk[i]) {
		case GT_A_PATH:     /* opens, stats: did it fail (loader probes)? */
		case GT_A_OUTPATH:
		case GT_A_FDPAIR:
		case GT_A_SOCKADDR: /* connect, bind: the network */
		case GT_A_ARGV:
		case GT_A_CLONE3:
		/* ptrace: did the program's own tracing fail because gtdiff
		 * traces it (record.h's notes)? */
		case GT_A_PTRACE_REQ:
			return true;
		default:
			break;
		}
	}
	return false;
}

bool gt_syscall_fetches_at_entry(const struct gt_syscall_desc *d)
{
	return desc_fetch(d) & FETCH_ENTRY;
}

bool gt_syscall_fetches_at_exit(const struct gt_syscall_desc *d)
{
	return desc_fetch(d) & FETCH_EXIT;
}

/* errno and signal names */

#define ERRNO_MAX 4096

/* Kernel-internal codes that a tracer can see at syscall exit (a call
 * interrupted by a signal) but that glibc does not name. */
static const struct name_nr kernel_errnos[] = {
	{ "ERESTARTSYS", 512 },
	{ "ERESTARTNOINTR", 513 },
	{ "ERESTARTNOHAND", 514 },
	{ "ENOIOCTLCMD", 515 },
	{ "ERESTART_RESTARTBLOCK", 516 },
	{ "EPROBE_DEFER", 517 },
	{ "EOPENSTALE", 518 },
	{ "ENOPARAM", 519 },
	{ "EBADHANDLE", 521 },
	{ "ENOTSYNC", 522 },
	{ "EBADCOOKIE", 523 },
	{ "ENOTSUPP", 524 },
	{ "ETOOSMALL", 525 },
	{ "ESERVERFAULT", 526 },
	{ "EBADTYPE", 527 },
	{ "EJUKEBOX", 528 },
	{ "EIOCBQUEUED", 529 },
	{ "ERECALLCONFLICT", 530 },
};

/* Second names of errno values: glibc names only the first. */
static const struct name_nr errno_aliases[] = {
	{ "EWOULDBLOCK", EWOULDBLOCK },
	{ "EDEADLOCK", EDEADLOCK },
	{ "ENOTSUP", ENOTSUP },
};

static const struct name_nr signal_aliases[] = {
	{ "IOT", SIGIOT },
	{ "POLL", SIGPOLL },
	{ "CLD", SIGCHLD },
};

#define SIG_MAX 64 /* kernel _NSIG on x86-64 and aarch64 */

static pthread_once_t names_once = PTHREAD_ONCE_INIT;
static const char *errno_names[ERRNO_MAX];
static char errno_unnamed[ERRNO_MAX][16];
static char signal_names[SIG_MAX + 1][24];
static __thread char odd_name[32];

static void init_names(void)
{
	for (int e = 0; e < ERRNO_MAX; e++) {
		errno_names[e] = e > 0 ? strerrorname_np(e) : NULL;
		if (!errno_names[e]) {
			snprintf(errno_unnamed[e], sizeof(errno_unnamed[e]), "E%d", e);
			errno_names[e] = errno_unnamed[e];
		}
	}
	for (size_t i = 0; i < GT_ARRAY_SIZE(kernel_errnos); i++)
		errno_names[kernel_errnos[i].nr] = kernel_errnos[i].name;

	for (int sig = 1; sig <= SIG_MAX; sig++) {
		const char *abbrev = sig < 32 ? sigabbrev_np(sig) : NULL;

		/* Realtime signals counted from the kernel's first (32), not from
		 * glibc's SIGRTMIN, which reserves some for itself. */
		if (abbrev)
			snprintf(signal_names[sig], sizeof(signal_names[sig]), "SIG%s", abbrev);
		else if (sig >= 32)
			snprintf(signal_names[sig], sizeof(signal_names[sig]), "SIGRT_%d",
				 sig - 32);
		else
			snprintf(signal_names[sig], sizeof(signal_names[sig]), "%d", sig);
	}
}

const char *gt_errno_name(int e)
{
	pthread_once(&names_once, init_names);
	if (e >= 0 && e < ERRNO_MAX)
		return errno_names[e];
	snprintf(odd_name, sizeof(odd_name), "E%d", e);
	return odd_name;
}

static int lookup_alias(const struct name_nr *tab, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(tab[i].name, name) == 0)
			return tab[i].nr;
	}
	return -1;
}

/* Parse the decimal number at S (whole string), or -1. */
static int parse_nonneg(const char *s, int max)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	return (int)v;
}

int gt_errno_from_name(const char *name)
{
	int e;

	pthread_once(&names_once, init_names);
	if (!name || name[0] != 'E')
		return -1;
	for (e = 1; e < ERRNO_MAX; e++) {
		if (strcmp(errno_names[e], name) == 0)
			return e;
	}
	e = lookup_alias(errno_aliases, GT_ARRAY_SIZE(errno_aliases), name);
	if (e >= 0)
		return e;
	e = parse_nonneg(name + 1, INT32_MAX);
	return e > 0 ? e : -1;
}

const char *gt_signal_name(int sig)
{
	pthread_once(&names_once, init_names);
	if (sig >= 1 && sig <= SIG_MAX)
		return signal_names[sig];
	snprintf(odd_name, sizeof(odd_name), "%d", sig);
	return odd_name;
}

int gt_signal_from_name(const char *name)
{
	const char *bare;

	pthread_once(&names_once, init_names);
	if (!name)
		return -1;
	bare = strncmp(name, "SIG", 3) == 0 ? name + 3 : name;
	if (!*bare)
		return -1;
	for (int sig = 1; sig <= SIG_MAX; sig++) {
		if (signal_names[sig][0] == 'S' && strcmp(signal_names[sig] + 3, bare) == 0)
			return sig;
	}
	return lookup_alias(signal_aliases, GT_ARRAY_SIZE(signal_aliases), bare);
}

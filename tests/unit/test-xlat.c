/*
 * test-xlat: the symbolic rendering of argument values, kind by kind, with
 * the corner cases that a careless table gets wrong (composite flags, the
 * access mode of open, clone's exit signal, unknown bits, junk in the upper
 * half of int arguments).
 */
#include "config.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "syscalls.h"
#include "util.h"
#include "xlat.h"

static struct gt_buf out;

/* The rendering of VALUE as kind K, valid until the next call. */
static const char *x(enum gt_argk k, uint64_t value)
{
	gt_buf_reset(&out);
	gt_xlat_arg(&out, k, value);
	return out.s ? out.s : "";
}

#define CHECK(k, v, want) assert_string_equal(x(GT_A_##k, (uint64_t)(v)), want)

static void test_numbers(void **state)
{
	CHECK(INT, 0, "0");
	CHECK(INT, 42, "42");
	CHECK(INT, -1, "-1");
	CHECK(INT, (int64_t)-4096, "-4096");
	CHECK(UINT, 4096, "4096");
	CHECK(UINT, UINT64_MAX, "18446744073709551615");
	CHECK(HEX, 0xff, "0xff");
	CHECK(HEX, 0x53053053, "0x53053053");
	CHECK(OCTAL, 0644, "0644");
	CHECK(OCTAL, 0, "0");
	CHECK(OCTAL, 022, "022");
	CHECK(OCTAL, 04755, "04755");
	CHECK(PTR, 0, "NULL");
	CHECK(PTR, 0x7ffd12345678, "ptr");
	/* An environment pointer is an address: never shown. */
	CHECK(ENVP, 0x7ffd12345678, "ptr");
	CHECK(ENVP, 0, "NULL");
}

static void test_stateful_kinds_are_decimal(void **state)
{
	CHECK(DIRFD, AT_FDCWD, "AT_FDCWD");
	/* An int argument zero-extended into the register. */
	CHECK(DIRFD, (uint32_t)AT_FDCWD, "AT_FDCWD");
	CHECK(DIRFD, 3, "3");
	CHECK(FD, 5, "5");
	CHECK(FD, -1, "-1");
	CHECK(FD, 0xffffffffULL, "-1");
	CHECK(PID, 1234, "1234");
	CHECK(PID, -1, "-1");
	CHECK(PATH, 1234, "1234");
	/* Nothing at all for a skipped argument. */
	CHECK(SKIP, 1234, "");
}

static void test_signal(void **state)
{
	CHECK(SIGNAL, SIGTERM, "SIGTERM");
	CHECK(SIGNAL, SIGKILL, "SIGKILL");
	CHECK(SIGNAL, 0, "0");
	CHECK(SIGNAL, 33, "SIGRT_1");
	CHECK(SIGNAL, 200, "200");
}

static void test_open_flags(void **state)
{
	CHECK(OPEN_FLAGS, 0x80000, "O_RDONLY|O_CLOEXEC");
	CHECK(OPEN_FLAGS, 0, "O_RDONLY");
	CHECK(OPEN_FLAGS, O_WRONLY | O_CREAT | O_TRUNC, "O_WRONLY|O_CREAT|O_TRUNC");
	CHECK(OPEN_FLAGS, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
	      "O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC");
	CHECK(OPEN_FLAGS, O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC,
	      "O_RDONLY|O_NONBLOCK|O_DIRECTORY|O_CLOEXEC");
	/* O_SYNC holds O_DSYNC's bit; O_TMPFILE holds O_DIRECTORY's. */
	CHECK(OPEN_FLAGS, O_WRONLY | O_SYNC, "O_WRONLY|O_SYNC");
	CHECK(OPEN_FLAGS, O_WRONLY | O_DSYNC, "O_WRONLY|O_DSYNC");
	CHECK(OPEN_FLAGS, O_RDWR | O_TMPFILE, "O_RDWR|O_TMPFILE");
	CHECK(OPEN_FLAGS, O_PATH | O_NOFOLLOW, "O_RDONLY|O_NOFOLLOW|O_PATH");
	CHECK(OPEN_FLAGS, O_WRONLY | O_APPEND, "O_WRONLY|O_APPEND");
	/* Unknown bits survive, in hex. */
	CHECK(OPEN_FLAGS, O_RDONLY | 0x40000000, "O_RDONLY|0x40000000");
	CHECK(OPEN_FLAGS, O_WRONLY | O_CREAT | 0x40000000, "O_WRONLY|O_CREAT|0x40000000");
	/* The upper half of the register is not part of an int. */
	CHECK(OPEN_FLAGS, 0xdead000000000000ULL | O_WRONLY, "O_WRONLY");
#if defined(__x86_64__)
	CHECK(OPEN_FLAGS, 0100000, "O_RDONLY|O_LARGEFILE");
#endif
}

static void test_at_and_access(void **state)
{
	CHECK(AT_FLAGS, 0, "0");
	CHECK(AT_FLAGS, AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW");
	CHECK(AT_FLAGS, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
	      "AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH");
	CHECK(AT_FLAGS, AT_EACCESS, "AT_EACCESS");
	CHECK(AT_FLAGS, AT_NO_AUTOMOUNT | 0x10000000, "AT_NO_AUTOMOUNT|0x10000000");
	CHECK(UNLINKAT_FLAGS, AT_REMOVEDIR, "AT_REMOVEDIR");
	CHECK(UNLINKAT_FLAGS, 0, "0");
	CHECK(ACCESS_MODE, F_OK, "F_OK");
	CHECK(ACCESS_MODE, R_OK | X_OK, "R_OK|X_OK");
	CHECK(ACCESS_MODE, R_OK | W_OK | X_OK, "R_OK|W_OK|X_OK");
	CHECK(ACCESS_MODE, 8, "0x8");
#ifdef RENAME_NOREPLACE
	CHECK(RENAME_FLAGS, RENAME_NOREPLACE, "RENAME_NOREPLACE");
	CHECK(RENAME_FLAGS, 0, "0");
#endif
#ifdef STATX_BASIC_STATS
	CHECK(STATX_MASK, STATX_BASIC_STATS, "STATX_BASIC_STATS");
	CHECK(STATX_MASK, STATX_ALL, "STATX_ALL");
	CHECK(STATX_MASK, STATX_TYPE | STATX_SIZE, "STATX_TYPE|STATX_SIZE");
	CHECK(STATX_MASK, STATX_BASIC_STATS | STATX_BTIME, "STATX_ALL");
	CHECK(STATX_MASK, STATX_BASIC_STATS | 0x80000000U, "STATX_BASIC_STATS|0x80000000");
#endif
}

static void test_mmap(void **state)
{
	CHECK(MMAP_PROT, 0, "PROT_NONE");
	CHECK(MMAP_PROT, PROT_READ | PROT_WRITE, "PROT_READ|PROT_WRITE");
	CHECK(MMAP_PROT, PROT_READ | PROT_EXEC, "PROT_READ|PROT_EXEC");
	CHECK(MMAP_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS, "MAP_PRIVATE|MAP_ANONYMOUS");
	CHECK(MMAP_FLAGS, MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE,
	      "MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE");
	CHECK(MMAP_FLAGS, MAP_SHARED, "MAP_SHARED");
	CHECK(MMAP_FLAGS, MAP_SHARED_VALIDATE | MAP_SYNC, "MAP_SHARED_VALIDATE|MAP_SYNC");
	CHECK(MMAP_FLAGS, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK,
	      "MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK");
	CHECK(MADVISE, MADV_DONTNEED, "MADV_DONTNEED");
	CHECK(MADVISE, MADV_NORMAL, "MADV_NORMAL");
	CHECK(MADVISE, 12345, "12345");
	CHECK(MSYNC_FLAGS, MS_SYNC, "MS_SYNC");
	CHECK(MSYNC_FLAGS, MS_ASYNC | MS_INVALIDATE, "MS_ASYNC|MS_INVALIDATE");
}

static void test_clone(void **state)
{
	CHECK(CLONE_FLAGS, CLONE_VM | CLONE_VFORK | SIGCHLD, "CLONE_VM|CLONE_VFORK|SIGCHLD");
	/* glibc's fork() */
	CHECK(CLONE_FLAGS, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
	      "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD");
	/* glibc's pthread_create() */
	CHECK(CLONE_FLAGS,
	      CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
	      CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
	      "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|"
	      "CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID");
	CHECK(CLONE_FLAGS, SIGCHLD, "SIGCHLD");
	CHECK(CLONE_FLAGS, 0, "0");
	CHECK(CLONE_FLAGS, CLONE_NEWUSER | CLONE_NEWNS, "CLONE_NEWNS|CLONE_NEWUSER");
	/* 64-bit: clone3's flags beyond bit 31 are kept. */
	CHECK(CLONE_FLAGS, 0x100000000ULL, "CLONE_CLEAR_SIGHAND");
	CHECK(CLONE_FLAGS, 0x1000000000ULL | CLONE_VM, "CLONE_VM|0x1000000000");
}

static void test_sockets(void **state)
{
	CHECK(SOCK_FAMILY, AF_INET, "AF_INET");
	CHECK(SOCK_FAMILY, AF_INET6, "AF_INET6");
	CHECK(SOCK_FAMILY, AF_UNIX, "AF_UNIX");
	CHECK(SOCK_FAMILY, AF_NETLINK, "AF_NETLINK");
	CHECK(SOCK_FAMILY, 250, "250");
	CHECK(SOCK_TYPE, SOCK_STREAM | SOCK_CLOEXEC, "SOCK_STREAM|SOCK_CLOEXEC");
	CHECK(SOCK_TYPE, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	      "SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC");
	CHECK(SOCK_TYPE, SOCK_RAW, "SOCK_RAW");
	CHECK(SHUTDOWN_HOW, SHUT_RDWR, "SHUT_RDWR");
	CHECK(SOCKOPT_LEVEL, SOL_SOCKET, "SOL_SOCKET");
	CHECK(SOCKOPT_LEVEL, 6, "SOL_TCP");
	CHECK(MSG_FLAGS, 0, "0");
	CHECK(MSG_FLAGS, MSG_NOSIGNAL | MSG_DONTWAIT, "MSG_DONTWAIT|MSG_NOSIGNAL");
	CHECK(MSG_FLAGS, MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC");
}

static void test_constants(void **state)
{
	CHECK(FCNTL_CMD, F_SETFD, "F_SETFD");
	CHECK(FCNTL_CMD, F_DUPFD_CLOEXEC, "F_DUPFD_CLOEXEC");
	CHECK(FCNTL_CMD, F_GETFL, "F_GETFL");
	CHECK(FCNTL_CMD, 9999, "9999");
	CHECK(WHENCE, SEEK_SET, "SEEK_SET");
	CHECK(WHENCE, SEEK_END, "SEEK_END");
	CHECK(SIGPROCMASK_HOW, SIG_SETMASK, "SIG_SETMASK");
	CHECK(SIGPROCMASK_HOW, SIG_BLOCK, "SIG_BLOCK");
	CHECK(CLOCKID, CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
	CHECK(CLOCKID, CLOCK_REALTIME, "CLOCK_REALTIME");
	/* A per-process CPU clock is a negative id. */
	CHECK(CLOCKID, (uint32_t)-6, "-6");
	CHECK(RLIMIT, RLIMIT_NOFILE, "RLIMIT_NOFILE");
	CHECK(RLIMIT, RLIMIT_STACK, "RLIMIT_STACK");
	CHECK(PRCTL_OPTION, 15, "PR_SET_NAME");
	CHECK(PRCTL_OPTION, 38, "PR_SET_NO_NEW_PRIVS");
	CHECK(PTRACE_REQ, 0, "PTRACE_TRACEME");
	CHECK(PTRACE_REQ, 16, "PTRACE_ATTACH");
	CHECK(PTRACE_REQ, 0x4206, "PTRACE_SEIZE");
	CHECK(PTRACE_REQ, 0x420e, "PTRACE_GET_SYSCALL_INFO");
	CHECK(PTRACE_REQ, 0x42ff, "17151");
	CHECK(EPOLL_OP, 1, "EPOLL_CTL_ADD");
	CHECK(EPOLL_OP, 7, "7");
#ifdef __x86_64__
	CHECK(ARCH_PRCTL, 0x1002, "ARCH_SET_FS");
#else
	CHECK(ARCH_PRCTL, 0x1002, "4098");
#endif
	CHECK(IOCTL_REQ, 0x5401, "TCGETS");
	CHECK(IOCTL_REQ, 0x5413, "TIOCGWINSZ");
	CHECK(IOCTL_REQ, 0x541b, "FIONREAD");
	CHECK(IOCTL_REQ, 0x5451, "FIOCLEX");
	/* Unknown requests in hex, as they are built from bit fields. */
	CHECK(IOCTL_REQ, 0x1234abcd, "0x1234abcd");
}

static void test_futex_and_wait(void **state)
{
	CHECK(FUTEX_OP, FUTEX_WAIT_PRIVATE, "FUTEX_WAIT_PRIVATE");
	CHECK(FUTEX_OP, FUTEX_WAKE, "FUTEX_WAKE");
	CHECK(FUTEX_OP, FUTEX_WAKE_PRIVATE, "FUTEX_WAKE_PRIVATE");
	CHECK(FUTEX_OP, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME,
	      "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME");
	CHECK(FUTEX_OP, 100, "100");
	CHECK(WAIT_OPTIONS, 0, "0");
	CHECK(WAIT_OPTIONS, WNOHANG | __WALL, "WNOHANG|__WALL");
	CHECK(WAIT_OPTIONS, WEXITED | WNOWAIT, "WEXITED|WNOWAIT");
	CHECK(WAIT_OPTIONS, 0x10000000, "0x10000000");
}

static void test_fd_flags(void **state)
{
	CHECK(FD_FLAGS, 0, "0");
	CHECK(FD_FLAGS, O_CLOEXEC, "O_CLOEXEC");
	CHECK(FD_FLAGS, O_NONBLOCK | O_CLOEXEC, "O_NONBLOCK|O_CLOEXEC");
}

/* Every kind renders something, without touching memory it should not (ASan
 * watches), and appends rather than overwriting. */
static void test_every_kind_appends(void **state)
{
	static const uint64_t values[] = { 0, 1, 0xff, 0x80000000, UINT64_MAX };

	for (int k = 0; k < GT_A__COUNT; k++) {
		for (size_t i = 0; i < GT_ARRAY_SIZE(values); i++) {
			gt_buf_reset(&out);
			gt_buf_puts(&out, "x=");
			gt_xlat_arg(&out, (enum gt_argk)k, values[i]);
			assert_non_null(out.s);
			assert_memory_equal(out.s, "x=", 2);
			assert_int_equal(strlen(out.s), out.len);
			if (k != GT_A_SKIP)
				assert_true(out.len > 2);
		}
	}
}

static int teardown(void **state)
{
	gt_buf_free(&out);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_stateful_kinds_are_decimal),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_open_flags),
		cmocka_unit_test(test_at_and_access),
		cmocka_unit_test(test_mmap),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_sockets),
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_futex_and_wait),
		cmocka_unit_test(test_fd_flags),
		cmocka_unit_test(test_every_kind_appends),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}

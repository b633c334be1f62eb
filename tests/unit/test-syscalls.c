/*
 * test-syscalls: the syscall table and its number-indexed view: numbers
 * agree with the C library's <sys/syscall.h>, names round-trip, the table
 * obeys the conventions that capture and the canonicalizer rely on, and
 * errno and signal names work both ways.
 */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "syscalls.h"
#include "util.h"

static const struct gt_syscall_desc *table;
static size_t table_len;

static int cmp_desc(const void *key, const void *elem)
{
	const struct gt_syscall_desc *d = elem;

	return strcmp(key, d->name);
}

/* The table's entry for NAME, whether or not the architecture has it. */
static const struct gt_syscall_desc *entry(const char *name)
{
	const struct gt_syscall_desc *d;

	d = bsearch(name, table, table_len, sizeof(*table), cmp_desc);
	if (!d)
		fail_msg("no table entry for %s", name);
	return d;
}

static int setup(void **state)
{
	gt_syscalls_init();
	table = gt_syscalls_table(&table_len);
	return 0;
}

static void test_native_numbers(void **state)
{
	assert_int_equal(gt_syscall_nr("openat"), SYS_openat);
	assert_int_equal(gt_syscall_nr("read"), SYS_read);
	assert_int_equal(gt_syscall_nr("execve"), SYS_execve);
	assert_int_equal(gt_syscall_nr("clone"), SYS_clone);
	assert_int_equal(gt_syscall_nr("exit_group"), SYS_exit_group);
	assert_string_equal(gt_syscall_name(SYS_openat), "openat");
	assert_string_equal(gt_syscall_by_nr(SYS_read)->name, "read");
	assert_string_equal(gt_syscall_by_nr(SYS_execve)->name, "execve");
	assert_string_equal(gt_syscall_by_nr(SYS_clone)->name, "clone");
	/* The number-indexed view hands out the table's own entries. */
	assert_ptr_equal(gt_syscall_by_nr(SYS_openat), entry("openat"));
	assert_ptr_equal(gt_syscall_by_nr(SYS_write), entry("write"));
#ifdef SYS_open
	assert_int_equal(gt_syscall_nr("open"), SYS_open);
	assert_ptr_equal(gt_syscall_by_nr(SYS_open), entry("open"));
#else
	/* aarch64 has no open(2): the entry exists but resolves to nothing. */
	assert_int_equal(gt_syscall_nr("open"), -1);
#endif
	assert_true(gt_syscalls_max() > SYS_openat);
	assert_true(gt_syscalls_max() > SYS_clone3);
	assert_int_equal(gt_syscall_nr("no_such_call"), -1);
	assert_int_equal(gt_syscall_nr(""), -1);
}

static void test_names_round_trip(void **state)
{
	int max = gt_syscalls_max(), named = 0;

	for (int nr = 0; nr < max; nr++) {
		const char *name = gt_syscall_name(nr);
		const struct gt_syscall_desc *d = gt_syscall_by_nr(nr);

		assert_non_null(d);
		assert_non_null(d->name);
		if (!name) {
			assert_int_equal(gt_syscall_nr(d->name), nr);
			continue;
		}
		named++;
		assert_string_equal(d->name, name);
		assert_int_equal(gt_syscall_nr(name), nr);
		/* The name is libseccomp's too. */
		assert_int_equal(seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name), nr);
	}
	/* Both x86-64 and aarch64 name several hundred calls. */
	assert_true(named > 250);
	/* max is the highest named number plus one */
	assert_non_null(gt_syscall_name(max - 1));
	assert_null(gt_syscall_name(max + 2000));
	assert_null(gt_syscall_name(-1));
}

static void test_generic_descriptions(void **state)
{
	const struct gt_syscall_desc *d, *again;
	int nr, found = 0;

	/* A number libseccomp names but the table does not describe. */
	for (nr = 0; nr < gt_syscalls_max() && !found; nr++) {
		const char *name = gt_syscall_name(nr);

		if (name && !bsearch(name, table, table_len, sizeof(*table), cmp_desc)) {
			d = gt_syscall_by_nr(nr);
			assert_string_equal(d->name, name);
			assert_int_equal(d->nargs, 0);
			assert_int_equal(d->retk, GT_R_INT);
			assert_int_equal(d->fx, GT_FX_NONE);
			found = 1;
		}
	}
	assert_true(found);

	/* Numbers nobody names. */
	d = gt_syscall_by_nr(1023);
	assert_string_equal(d->name, "syscall_1023");
	assert_int_equal(d->nargs, 0);
	assert_int_equal(d->retk, GT_R_INT);
	assert_int_equal(gt_syscall_nr("syscall_1023"), 1023);
	assert_int_equal(gt_syscall_nr("syscall_"), -1);
	assert_int_equal(gt_syscall_nr("syscall_12x"), -1);
	/* "syscall_0" is not read's name. */
	assert_int_equal(gt_syscall_nr("syscall_0"), -1);

	d = gt_syscall_by_nr(-1);
	assert_string_equal(d->name, "syscall_-1");
	again = gt_syscall_by_nr(-1);
	assert_ptr_equal(d, again);
	d = gt_syscall_by_nr(0x40000000);
	assert_string_equal(d->name, "syscall_1073741824");
	assert_int_equal(gt_syscall_nr(d->name), 0x40000000);
	assert_false(gt_syscall_fetches_at_entry(d));
	d = gt_syscall_by_nr(INT32_MIN);
	assert_non_null(d->name);
	d = gt_syscall_by_nr(INT32_MAX);
	assert_string_equal(d->name, "syscall_2147483647");
}

static bool fetched(uint8_t k)
{
	switch (k) {
	case GT_A_PATH:
	case GT_A_STR:
	case GT_A_ARGV:
	case GT_A_SOCKADDR:
	case GT_A_FDPAIR:
	case GT_A_OUTPATH:
	case GT_A_CLONE3:
	case GT_A_DIRENTS:
		return true;
	default:
		return false;
	}
}

static void test_table_shape(void **state)
{
	assert_true(table_len >= 180);
	for (size_t i = 0; i < table_len; i++) {
		const struct gt_syscall_desc *d = &table[i];
		int nfetch = 0;

		if (i > 0 && strcmp(table[i - 1].name, d->name) >= 0)
			fail_msg("table not sorted or duplicate at %s", d->name);
		assert_true(d->nargs <= GT_MAX_ARGS);
		for (int a = 0; a < GT_MAX_ARGS; a++) {
			assert_true(d->argk[a] < GT_A__COUNT);
			if (a >= d->nargs)
				assert_int_equal(d->argk[a], GT_A_SKIP);
			else if (fetched(d->argk[a]))
				nfetch++;
		}
		/* The last shown argument is never a skipped one. */
		if (d->nargs && d->argk[d->nargs - 1] == GT_A_SKIP)
			fail_msg("%s: last shown argument is SKIP", d->name);
		if (nfetch > 2)
			fail_msg("%s fetches %d arguments (at most 2)", d->name, nfetch);
		assert_true(d->retk <= GT_R_STRLEN);
	}
}

/* Names the native architecture lacks; anything else the table holds must
 * be known to libseccomp, or its entry is dead (a typo, a wrong name). */
static const char *const not_native[] = {
#if defined(__x86_64__)
	NULL,
#elif defined(__aarch64__)
	"access", "alarm", "arch_prctl", "chmod", "chown", "creat", "dup2",
	"epoll_create", "epoll_wait", "eventfd", "fork", "futimesat", "getdents",
	"get_thread_area", "getpgrp", "inotify_init", "ioperm", "iopl", "lchown", "link",
	"lstat", "mkdir", "mknod", "modify_ldt", "open", "pause", "pipe",
	"poll", "readlink", "rename", "rmdir", "select", "set_thread_area", "signalfd",
	"stat", "symlink", "time", "unlink", "utime", "utimes", "vfork",
#endif
	NULL
};

static bool is_not_native(const char *name)
{
	for (size_t i = 0; i < GT_ARRAY_SIZE(not_native); i++) {
		if (not_native[i] && strcmp(not_native[i], name) == 0)
			return true;
	}
	return false;
}

static void test_table_names_known(void **state)
{
	struct gt_buf unknown = { 0 };
	int bad = 0;

	for (size_t i = 0; i < table_len; i++) {
		const char *name = table[i].name;
		int nr = gt_syscall_nr(name);

		if (nr >= 0) {
			assert_ptr_equal(gt_syscall_by_nr(nr), &table[i]);
			continue;
		}
		gt_buf_printf(&unknown, " %s", name);
		if (!is_not_native(name))
			bad++;
	}
	if (unknown.len)
		print_message("table names unknown on this architecture:%s\n", unknown.s);
	gt_buf_free(&unknown);
	assert_int_equal(bad, 0);
}

#define ASSERT_ARGS(name, ...)                                                     \
	do {                                                                       \
		const uint8_t want_[] = { __VA_ARGS__ };                           \
		const struct gt_syscall_desc *d_ = entry(name);                    \
		assert_int_equal(d_->nargs, sizeof(want_));                        \
		for (size_t a_ = 0; a_ < sizeof(want_); a_++) {                    \
			if (d_->argk[a_] != want_[a_])                             \
				fail_msg("%s arg %zu: kind %d, want %d", name, a_, \
					 d_->argk[a_], want_[a_]);                 \
		}                                                                  \
	} while (0)

/* The argument conventions the canonicalizer is written against. */
static void test_argument_conventions(void **state)
{
	ASSERT_ARGS("read", GT_A_FD, GT_A_SKIP, GT_A_UINT);
	ASSERT_ARGS("write", GT_A_FD, GT_A_SKIP, GT_A_UINT);
	ASSERT_ARGS("pread64", GT_A_FD, GT_A_SKIP, GT_A_UINT, GT_A_INT);
	ASSERT_ARGS("pwrite64", GT_A_FD, GT_A_SKIP, GT_A_UINT, GT_A_INT);
	ASSERT_ARGS("readv", GT_A_FD, GT_A_SKIP, GT_A_UINT);
	ASSERT_ARGS("writev", GT_A_FD, GT_A_SKIP, GT_A_UINT);
	/* The buffer is not read: the tracer lists the directory itself. */
	ASSERT_ARGS("getdents64", GT_A_FD, GT_A_DIRENTS, GT_A_UINT);
	ASSERT_ARGS("getrandom", GT_A_SKIP, GT_A_UINT, GT_A_HEX);
	/* The path the kernel writes back is fetched at exit, so that it
	 * (and the length it implies) can be canonicalized. */
	ASSERT_ARGS("readlink", GT_A_PATH, GT_A_OUTPATH, GT_A_UINT);
	ASSERT_ARGS("getcwd", GT_A_OUTPATH, GT_A_UINT);
	assert_int_equal(entry("getcwd")->retk, GT_R_STRLEN);
	assert_int_equal(entry("readlinkat")->retk, GT_R_STRLEN);
	ASSERT_ARGS("fstat", GT_A_FD, GT_A_PTR);
	ASSERT_ARGS("newfstatat", GT_A_DIRFD, GT_A_PATH, GT_A_PTR, GT_A_AT_FLAGS);
	ASSERT_ARGS("statx", GT_A_DIRFD, GT_A_PATH, GT_A_AT_FLAGS, GT_A_STATX_MASK, GT_A_PTR);
	ASSERT_ARGS("wait4", GT_A_PID, GT_A_PTR, GT_A_WAIT_OPTIONS, GT_A_PTR);
	/* Its return is needed: a ptrace of the program's own that gtdiff's
	 * tracing made fail is told (record.h's notes), under auto too. */
	ASSERT_ARGS("ptrace", GT_A_PTRACE_REQ, GT_A_PID, GT_A_PTR, GT_A_PTR);
	assert_true(gt_syscall_needs_return(entry("ptrace")));
	ASSERT_ARGS("execve", GT_A_PATH, GT_A_ARGV, GT_A_ENVP);
	ASSERT_ARGS("execveat", GT_A_DIRFD, GT_A_PATH, GT_A_ARGV, GT_A_ENVP, GT_A_AT_FLAGS);
	ASSERT_ARGS("pipe", GT_A_FDPAIR);
	ASSERT_ARGS("pipe2", GT_A_FDPAIR, GT_A_FD_FLAGS);
	ASSERT_ARGS("socketpair", GT_A_SOCK_FAMILY, GT_A_SOCK_TYPE, GT_A_INT, GT_A_FDPAIR);
	ASSERT_ARGS("connect", GT_A_FD, GT_A_SOCKADDR, GT_A_UINT);
	ASSERT_ARGS("bind", GT_A_FD, GT_A_SOCKADDR, GT_A_UINT);
	ASSERT_ARGS("sendto", GT_A_FD, GT_A_SKIP, GT_A_UINT, GT_A_MSG_FLAGS, GT_A_SOCKADDR,
		    GT_A_UINT);
	ASSERT_ARGS("clone3", GT_A_CLONE3, GT_A_UINT);
	ASSERT_ARGS("clone", GT_A_CLONE_FLAGS);
	ASSERT_ARGS("socket", GT_A_SOCK_FAMILY, GT_A_SOCK_TYPE, GT_A_INT);
	ASSERT_ARGS("mmap", GT_A_PTR, GT_A_UINT, GT_A_MMAP_PROT, GT_A_MMAP_FLAGS, GT_A_FD,
		    GT_A_UINT);
	ASSERT_ARGS("kill", GT_A_PID, GT_A_SIGNAL);
	ASSERT_ARGS("tgkill", GT_A_PID, GT_A_PID, GT_A_SIGNAL);
	ASSERT_ARGS("open", GT_A_PATH, GT_A_OPEN_FLAGS, GT_A_OCTAL);
	ASSERT_ARGS("openat", GT_A_DIRFD, GT_A_PATH, GT_A_OPEN_FLAGS, GT_A_OCTAL);
	ASSERT_ARGS("access", GT_A_PATH, GT_A_ACCESS_MODE);
	ASSERT_ARGS("faccessat2", GT_A_DIRFD, GT_A_PATH, GT_A_ACCESS_MODE, GT_A_AT_FLAGS);
	ASSERT_ARGS("rt_sigaction", GT_A_SIGNAL, GT_A_PTR, GT_A_PTR, GT_A_UINT);
	ASSERT_ARGS("rt_sigprocmask", GT_A_SIGPROCMASK_HOW, GT_A_PTR, GT_A_PTR, GT_A_UINT);
	ASSERT_ARGS("lseek", GT_A_FD, GT_A_INT, GT_A_WHENCE);
	ASSERT_ARGS("ioctl", GT_A_FD, GT_A_IOCTL_REQ, GT_A_PTR);
	ASSERT_ARGS("fcntl", GT_A_FD, GT_A_FCNTL_CMD, GT_A_INT);
	ASSERT_ARGS("futex", GT_A_PTR, GT_A_FUTEX_OP, GT_A_INT);
	ASSERT_ARGS("prlimit64", GT_A_PID, GT_A_RLIMIT, GT_A_PTR, GT_A_PTR);
	ASSERT_ARGS("arch_prctl", GT_A_ARCH_PRCTL, GT_A_PTR);
	ASSERT_ARGS("clock_nanosleep", GT_A_CLOCKID, GT_A_INT, GT_A_PTR, GT_A_PTR);
	ASSERT_ARGS("unlinkat", GT_A_DIRFD, GT_A_PATH, GT_A_UNLINKAT_FLAGS);
	ASSERT_ARGS("renameat2", GT_A_DIRFD, GT_A_PATH, GT_A_DIRFD, GT_A_PATH,
		    GT_A_RENAME_FLAGS);
	ASSERT_ARGS("umask", GT_A_OCTAL);
	ASSERT_ARGS("mkdir", GT_A_PATH, GT_A_OCTAL);
	ASSERT_ARGS("close", GT_A_FD);
	ASSERT_ARGS("dup3", GT_A_FD, GT_A_FD, GT_A_FD_FLAGS);
	ASSERT_ARGS("chown", GT_A_PATH, GT_A_UID, GT_A_GID);
	ASSERT_ARGS("fchownat", GT_A_DIRFD, GT_A_PATH, GT_A_UID, GT_A_GID, GT_A_AT_FLAGS);
	ASSERT_ARGS("setresuid", GT_A_UID, GT_A_UID, GT_A_UID);
	ASSERT_ARGS("setregid", GT_A_GID, GT_A_GID);
}

static void assert_retk(const char *const *names, size_t n, enum gt_retk k)
{
	for (size_t i = 0; i < n; i++) {
		if (entry(names[i])->retk != k)
			fail_msg("%s returns kind %d, want %d", names[i], entry(names[i])->retk, k);
	}
}

static void assert_fx(const char *const *names, size_t n, uint16_t fx)
{
	for (size_t i = 0; i < n; i++) {
		if (entry(names[i])->fx != fx)
			fail_msg("%s has effects %#x, want %#x", names[i], entry(names[i])->fx, fx);
	}
}

#define RETK(k, ...)                                                            \
	do {                                                                    \
		static const char *const n_[] = { __VA_ARGS__ };                \
		assert_retk(n_, GT_ARRAY_SIZE(n_), k);                          \
	} while (0)
#define FX(f, ...)                                                              \
	do {                                                                    \
		static const char *const n_[] = { __VA_ARGS__ };                \
		assert_fx(n_, GT_ARRAY_SIZE(n_), f);                            \
	} while (0)

static void test_returns_and_effects(void **state)
{
	RETK(GT_R_FD, "open", "openat", "openat2", "creat", "socket", "accept", "accept4",
	     "dup", "dup2", "dup3", "epoll_create1", "eventfd2", "memfd_create",
	     "timerfd_create", "signalfd4", "inotify_init1", "pidfd_open", "io_uring_setup",
	     "fanotify_init", "perf_event_open", "userfaultfd");
	RETK(GT_R_PID, "fork", "vfork", "clone", "clone3", "wait4", "getpid", "getppid",
	     "gettid", "set_tid_address", "getpgrp", "getsid", "setsid");
	RETK(GT_R_INT, "waitid", "read", "write", "close", "execve", "pipe2", "setuid");
	/* The running user's ids are named ($UID, $GID). */
	RETK(GT_R_UID, "getuid", "geteuid", "setfsuid");
	RETK(GT_R_GID, "getgid", "getegid", "setfsgid");
	RETK(GT_R_ADDR, "mmap", "mremap", "brk", "shmat");
	RETK(GT_R_NONE, "exit", "exit_group", "rt_sigreturn");

	FX(GT_FX_CLOSE, "close");
	FX(GT_FX_DUP_TO, "dup2", "dup3");
	FX(GT_FX_NONE, "dup", "read", "write", "pipe2", "socket", "unlinkat");
	FX(GT_FX_EXEC, "execve", "execveat");
	FX(GT_FX_FORK, "fork", "vfork", "clone", "clone3");
	FX(GT_FX_CLOSE_RANGE, "close_range");
	FX(GT_FX_FCNTL, "fcntl");
	FX(GT_FX_CREATE, "open", "openat", "creat", "openat2", "mkdir", "mkdirat");
}

static void test_fetch_points(void **state)
{
	struct gt_syscall_desc own = { .name = "own", .nargs = 2,
				       .argk = { GT_A_FD, GT_A_FDPAIR } };

	assert_true(gt_syscall_fetches_at_entry(entry("execve")));
	assert_false(gt_syscall_fetches_at_exit(entry("execve")));
	assert_true(gt_syscall_fetches_at_entry(entry("openat")));
	assert_true(gt_syscall_fetches_at_entry(entry("connect")));
	assert_true(gt_syscall_fetches_at_entry(entry("clone3")));
	assert_true(gt_syscall_fetches_at_entry(entry("memfd_create")));
	assert_false(gt_syscall_fetches_at_entry(entry("pipe2")));
	assert_true(gt_syscall_fetches_at_exit(entry("pipe2")));
	assert_true(gt_syscall_fetches_at_exit(entry("socketpair")));
	assert_false(gt_syscall_fetches_at_entry(entry("read")));
	assert_false(gt_syscall_fetches_at_exit(entry("read")));
	/* ENVP is not fetched. */
	assert_false(gt_syscall_fetches_at_entry(&(struct gt_syscall_desc){
		.name = "e", .nargs = 1, .argk = { GT_A_ENVP } }));
	/* Through the number-indexed view as well. */
	assert_true(gt_syscall_fetches_at_entry(gt_syscall_by_nr(SYS_openat)));
	assert_false(gt_syscall_fetches_at_entry(gt_syscall_by_nr(SYS_getpid)));
	/* A description built elsewhere is judged by its kinds. */
	assert_false(gt_syscall_fetches_at_entry(&own));
	assert_true(gt_syscall_fetches_at_exit(&own));
	/* Every table entry agrees with its kinds. */
	for (size_t i = 0; i < table_len; i++) {
		bool at_entry = false, at_exit = false;

		for (int a = 0; a < table[i].nargs; a++) {
			bool exit_kind = table[i].argk[a] == GT_A_FDPAIR ||
					 table[i].argk[a] == GT_A_OUTPATH;
			/* Listed at the exit under ptrace, at the entry elsewhere. */
			bool both = table[i].argk[a] == GT_A_DIRENTS;

			at_exit |= exit_kind || both;
			at_entry |= fetched(table[i].argk[a]) && !exit_kind;
		}
		assert_int_equal(gt_syscall_fetches_at_entry(&table[i]), at_entry);
		assert_int_equal(gt_syscall_fetches_at_exit(&table[i]), at_exit);
	}
}

static void test_errno_names(void **state)
{
	assert_string_equal(gt_errno_name(ENOENT), "ENOENT");
	assert_string_equal(gt_errno_name(EACCES), "EACCES");
	assert_string_equal(gt_errno_name(EAGAIN), "EAGAIN");
	assert_string_equal(gt_errno_name(512), "ERESTARTSYS");
	assert_string_equal(gt_errno_name(4000), "E4000");
	assert_string_equal(gt_errno_name(100000), "E100000");
	assert_int_equal(gt_errno_from_name("ENOENT"), ENOENT);
	assert_int_equal(gt_errno_from_name("EACCES"), EACCES);
	assert_int_equal(gt_errno_from_name("EWOULDBLOCK"), EAGAIN);
	assert_int_equal(gt_errno_from_name("ERESTARTSYS"), 512);
	assert_int_equal(gt_errno_from_name("E4000"), 4000);
	assert_int_equal(gt_errno_from_name("ENOSUCH"), -1);
	assert_int_equal(gt_errno_from_name("E"), -1);
	assert_int_equal(gt_errno_from_name(""), -1);
	assert_int_equal(gt_errno_from_name("ENOENTX"), -1);
	for (int e = 1; e < 4096; e++)
		assert_int_equal(gt_errno_from_name(gt_errno_name(e)), e);
}

static void test_signal_names(void **state)
{
	assert_string_equal(gt_signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(gt_signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(gt_signal_name(SIGCHLD), "SIGCHLD");
	assert_string_equal(gt_signal_name(32), "SIGRT_0");
	assert_string_equal(gt_signal_name(33), "SIGRT_1");
	assert_string_equal(gt_signal_name(64), "SIGRT_32");
	assert_int_equal(gt_signal_from_name("SIGKILL"), SIGKILL);
	assert_int_equal(gt_signal_from_name("KILL"), SIGKILL);
	assert_int_equal(gt_signal_from_name("SIGRT_1"), 33);
	assert_int_equal(gt_signal_from_name("RT_1"), 33);
	assert_int_equal(gt_signal_from_name("SIGIOT"), SIGABRT);
	assert_int_equal(gt_signal_from_name("SIGFOO"), -1);
	assert_int_equal(gt_signal_from_name("SIG"), -1);
	assert_int_equal(gt_signal_from_name(""), -1);
	for (int sig = 1; sig <= 64; sig++)
		assert_int_equal(gt_signal_from_name(gt_signal_name(sig)), sig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native_numbers),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_generic_descriptions),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_table_names_known),
		cmocka_unit_test(test_argument_conventions),
		cmocka_unit_test(test_returns_and_effects),
		cmocka_unit_test(test_fetch_points),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_signal_names),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

/*
 * clone3er: a child made with the raw clone3 system call, which glibc's
 * fork() does not use (it uses clone) and which puts its arguments in a
 * struct rather than in registers.
 *
 * The parent calls syscall(SYS_clone3, &args, 64) with only exit_signal =
 * SIGCHLD set (no CLONE_VM: a fork-like copy); the child writes
 * "clone3 child\n" with one write(2) and _exit(0)s; the parent waits for it
 * with waitpid and exits 0.  If clone3 fails with ENOSYS (old kernel, or a
 * seccomp policy that hides it) the program says "clone3er: clone3 not
 * available, using fork" on stderr and forks instead.
 *
 *   clone3er            the above
 *   clone3er --fork     use fork() directly (the known change: clone3
 *                       replaced by clone in p1)
 *
 * SIGCHLD is blocked first thing so that its delivery does not land at a
 * scheduling-dependent place in the parent's sequence.  Tests look for
 * clone3({..., exit_signal=SIGCHLD, ...}, 64) = p2 in p1, p2's one write and
 * exit_group(0), then p1's wait4 returning p2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* struct clone_args, version 0 (64 bytes), spelt out to avoid the clash
 * between <linux/sched.h> and <sched.h> on some systems. */
struct clone_args_v0 {
	uint64_t flags, pidfd, child_tid, parent_tid;
	uint64_t exit_signal, stack, stack_size, tls;
};

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

int main(int argc, char **argv)
{
	static const char line[] = "clone3 child\n";
	static const char nosys[] = "clone3er: clone3 not available, using fork\n";
	struct clone_args_v0 args;
	sigset_t chld;
	long pid = -1;
	int use_fork = 0, st;

	if (argc == 2 && strcmp(argv[1], "--fork") == 0)
		use_fork = 1;
	else if (argc != 1)
		die("usage: clone3er [--fork]\n");

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0)
		die("clone3er: sigprocmask failed\n");

	if (!use_fork) {
		memset(&args, 0, sizeof args);
		args.exit_signal = SIGCHLD;
		pid = syscall(SYS_clone3, &args, sizeof args);
		if (pid < 0 && errno == ENOSYS) {
			if (write(2, nosys, sizeof nosys - 1) < 0)
				_exit(2);
			use_fork = 1;
		} else if (pid < 0) {
			die("clone3er: clone3 failed\n");
		}
	}
	if (use_fork) {
		pid = fork();
		if (pid < 0)
			die("clone3er: fork failed\n");
	}
	if (pid == 0) {
		/* glibc does not know about this process (its cached tid is the
		 * parent's), so use nothing but raw write and _exit here. */
		if (write(1, line, sizeof line - 1) != (ssize_t)(sizeof line - 1))
			_exit(1);
		_exit(0);
	}
	if (waitpid((pid_t)pid, &st, 0) != (pid_t)pid)
		die("clone3er: waitpid failed\n");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

/*
 * vforker: vfork + execve.  The parent vfork()s (it stays suspended until
 * the child execs); the child execve()s PATH (default /bin/true), or
 * _exit(127)s if that fails; the parent waits for it and exits with 0 if the
 * child exited 0, else 1.
 *
 *   vforker [PATH]      exec PATH (argv: just PATH) in the child
 *
 * Known change for tests: another PATH (e.g. /bin/false: the child's image
 * and its exit status change, and vforker then exits 1).
 *
 * SIGCHLD is blocked first thing, so that its delivery does not land at a
 * scheduling-dependent place in the parent's sequence.  Tests look for: a
 * vfork (clone with CLONE_VM|CLONE_VFORK) in p1, the child p2's execve and
 * exit, then p1's wait4 returning p2.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

int main(int argc, char **argv)
{
	static char truepath[] = "/bin/true";
	char *args[2] = { truepath, NULL };
	sigset_t chld;
	pid_t pid;
	int st;

	if (argc > 2)
		die("usage: vforker [PATH]\n");
	if (argc == 2)
		args[0] = argv[1];

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0)
		die("vforker: sigprocmask failed\n");

	pid = vfork();
	if (pid < 0)
		die("vforker: vfork failed\n");
	if (pid == 0) {
		/* only execve and _exit are allowed in a vfork child */
		execve(args[0], args, environ);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid)
		die("vforker: waitpid failed\n");
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		die("vforker: the child could not exec\n");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

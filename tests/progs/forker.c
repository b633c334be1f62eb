/*
 * forker: several short-lived child processes.  Forks N children (default
 * 2); child i writes "child i\n" with one write(2) and _exit(0)s; the parent
 * then waits for each child in fork order with waitpid and exits 0.
 *
 *   forker [N]             N children
 *   forker --extra-child   one more child than asked for (the known change:
 *                          a new process p<N+2>, one more fork and wait)
 *
 * SIGCHLD is blocked in the parent first thing: otherwise where (and how
 * often) its delivery shows up in the parent's sequence depends on when the
 * children happen to exit.  Blocked, it stays pending and is never delivered,
 * so every process's syscall sequence is fixed.  The children run
 * concurrently, so the ORDER of their lines on stdout is not fixed; tests
 * should compare traces, not that output.
 *
 * Tests look for: processes p1 (parent) and p2..p<N+1>, each child with one
 * write and exit_group(0); the parent with N clone()s then N wait4()s, each
 * wait4 returning the matching child's canonical pid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXKIDS 64

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

int main(int argc, char **argv)
{
	pid_t kids[MAXKIDS];
	unsigned long n = 2;
	int extra = 0;
	sigset_t chld;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--extra-child") == 0) {
			extra = 1;
		} else {
			char *end;

			errno = 0;
			n = strtoul(argv[i], &end, 10);
			if (errno || end == argv[i] || *end || argv[i][0] == '-')
				die("usage: forker [--extra-child] [N]\n");
		}
	}
	n += (unsigned long)extra;
	if (n > MAXKIDS)
		die("forker: at most 64 children\n");

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0)
		die("forker: sigprocmask failed\n");

	for (unsigned long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("forker: fork failed\n");
		if (pid == 0) {
			char line[32];
			int len = snprintf(line, sizeof line, "child %lu\n", i + 1);

			if (write(1, line, (size_t)len) != len)
				_exit(1);
			_exit(0);
		}
		kids[i] = pid;
	}
	for (unsigned long i = 0; i < n; i++) {
		int st;

		if (waitpid(kids[i], &st, 0) != kids[i])
			die("forker: waitpid failed\n");
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die("forker: a child failed\n");
	}
	return 0;
}

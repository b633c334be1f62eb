/*
 * leaderexit: the thread-group leader leaves with pthread_exit() and a
 * worker thread then execve()s PATH (default /bin/true).  After a
 * non-leader's execve the kernel gives the exec'ing thread the leader's
 * tid: the process is still the same process (same pid) running a new
 * program.
 *
 * main starts one pthread, tells it (an atomic flag, no syscalls) that it
 * is about to leave, and calls pthread_exit(); the worker sleeps 20 ms so
 * that main has left, then execve()s PATH.  If the exec fails it says so on
 * stderr and exits 127.
 *
 *   leaderexit [PATH]     exec PATH (argv: just PATH) from the worker
 *
 * Tests look for: one process (p1) under every backend, its worker's
 * execve = 0 and the new program's calls in p1; no second process.
 *
 * Residual race: if main is descheduled for over 20 ms between setting the
 * flag and its exit, the exec overtakes the leader's exit.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char *args[2];
static int leaving;

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

static void *execer(void *unused)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	(void)unused;
	while (!__atomic_load_n(&leaving, __ATOMIC_ACQUIRE))
		;       /* spin: no syscalls */
	nanosleep(&ts, NULL);
	execve(args[0], args, environ);
	if (write(2, "leaderexit: cannot exec ", 24) < 0 ||
	    write(2, args[0], strlen(args[0])) < 0 || write(2, "\n", 1) < 0)
		_exit(2);
	_exit(127);
}

int main(int argc, char **argv)
{
	static char truepath[] = "/bin/true";
	pthread_t tid;

	if (argc > 2)
		die("usage: leaderexit [PATH]\n");
	args[0] = argc == 2 ? argv[1] : truepath;
	if (pthread_create(&tid, NULL, execer, NULL) != 0)
		die("leaderexit: pthread_create failed\n");
	__atomic_store_n(&leaving, 1, __ATOMIC_RELEASE);
	pthread_exit(NULL);
}

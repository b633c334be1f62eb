/*
 * leaderexit: the thread-group leader leaves with pthread_exit() and a
 * worker thread then execve()s PATH (default /bin/true).  After a
 * non-leader's execve the kernel gives the exec'ing thread the leader's
 * tid: the process is still the same process (same pid) running a new
 * program.
 *
 * main starts one pthread and calls pthread_exit(); the worker joins main
 * (pthread_join waits for the kernel to clear main's tid as it exits, on a
 * futex, which the trace counts but does not sequence), then execve()s
 * PATH.  If the exec fails it says so on stderr and exits 127.
 *
 *   leaderexit [PATH]     exec PATH (argv: just PATH) from the worker
 *
 * Tests look for: one process (p1) under every backend, its worker's
 * execve = 0 and the new program's calls in p1; no second process.
 * (A sleep instead of the join let the exec overtake main's exit, and
 * kill it inside pthread_exit's loading of libgcc_s, on a busy machine.)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static char *args[2];
static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

static void *execer(void *arg)
{
	pthread_t leader = *(pthread_t *)arg;

	if (pthread_join(leader, NULL) != 0)
		die("leaderexit: cannot join the main thread\n");
	execve(args[0], args, environ);
	if (write(2, "leaderexit: cannot exec ", 24) < 0 ||
	    write(2, args[0], strlen(args[0])) < 0 || write(2, "\n", 1) < 0)
		_exit(2);
	_exit(127);
}

int main(int argc, char **argv)
{
	static char truepath[] = "/bin/true";
	static pthread_t leader;
	pthread_t tid;

	if (argc > 2)
		die("usage: leaderexit [PATH]\n");
	args[0] = argc == 2 ? argv[1] : truepath;
	leader = pthread_self();
	if (pthread_create(&tid, NULL, execer, &leader) != 0)
		die("leaderexit: pthread_create failed\n");
	pthread_exit(NULL);
}

/*
 * mtexec: execve from a multi-threaded process, by a thread that is not the
 * thread-group leader.  The kernel then kills every other thread, and the
 * exec'ing thread takes over the leader's pid: a tracer sees the leader
 * vanish in the middle of pause() and the exec complete in the leader's
 * place (PTRACE_EVENT_EXEC with the old tid as the former thread id).
 *
 * main starts one pthread and sleeps in pause(); the thread waits until
 * main is about to call pause(), sleeps 20 ms so that main is inside it,
 * then execve()s PATH (default /bin/true).  If the exec fails the thread
 * says so on stderr and the whole process exits 127.
 *
 *   mtexec [PATH]       exec PATH (argv: just PATH) from the second thread
 *
 * Known change for tests: another PATH (e.g. /bin/false: the new image and
 * the exit status change).  Tests look for: t1 blocked in pause() (never
 * returning), t2's execve = 0, and the rest of the run (the new image)
 * continuing under the process's original pid p1.
 *
 * Residual race: if main is descheduled for over 20 ms between setting the
 * flag and entering pause(), t1's pause() is missing from the trace.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char *args[2];
static int main_asleep;

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
	while (!__atomic_load_n(&main_asleep, __ATOMIC_ACQUIRE))
		;       /* spin: no syscalls */
	nanosleep(&ts, NULL);
	execve(args[0], args, environ);
	if (write(2, "mtexec: cannot exec ", 20) < 0 ||
	    write(2, args[0], strlen(args[0])) < 0 || write(2, "\n", 1) < 0)
		_exit(2);
	_exit(127);
}

int main(int argc, char **argv)
{
	static char truepath[] = "/bin/true";
	pthread_t tid;

	if (argc > 2)
		die("usage: mtexec [PATH]\n");
	args[0] = argc == 2 ? argv[1] : truepath;

	if (pthread_create(&tid, NULL, execer, NULL) != 0)
		die("mtexec: pthread_create failed\n");
	__atomic_store_n(&main_asleep, 1, __ATOMIC_RELEASE);
	for (;;)
		pause();        /* ended by the other thread's execve */
}

/*
 * bench-time: run one command and say how long it took (`make bench`).
 *
 *   bench-time [-1] CMD [ARG...]
 *
 * Runs CMD (searched in PATH) with stdin, stdout and stderr on /dev/null,
 * waits for it, and prints one line on stdout:
 *
 *   SECONDS STATUS MAXRSS_KB
 *
 * SECONDS is the wall time from just before the fork to just after the
 * wait (CLOCK_MONOTONIC, printed to the microsecond), STATUS the exit code
 * (128 + N for a signal N) and MAXRSS_KB the peak resident set of the
 * largest process of the command's waited-for tree (wait4's ru_maxrss).
 * A shell timing with `date +%s.%N` pays a fork and exec of date inside
 * the measured interval (about a millisecond); this costs a fork.
 *
 * -1 runs CMD on one CPU, the one bench-time is on: what gtdiff's ptrace
 * backend does for itself and its tracee, applied to another tracer
 * (strace) for a like-for-like comparison.
 *
 * Exit status: 0 when CMD ran (whatever its own status), 127 when it could
 * not be started, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	double t0, t1;
	int argi = 1, status, code, null_fd, err_fd, cpu = -1;
	cpu_set_t one;
	pid_t pid;

	if (argi < argc && strcmp(argv[argi], "-1") == 0) {
		cpu = sched_getcpu();
		argi++;
	}
	if (argi < argc && strcmp(argv[argi], "--") == 0)
		argi++;
	if (argi >= argc) {
		fprintf(stderr, "usage: bench-time [-1] CMD [ARG...]\n");
		return 2;
	}
	if (cpu >= 0) {
		/* Pinned here, before the clock starts; the child inherits it. */
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) < 0) {
			fprintf(stderr, "bench-time: sched_setaffinity: %s\n", strerror(errno));
			return 2;
		}
	}
	/* Opened before the clock starts: the child only dup2s it. */
	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0) {
		fprintf(stderr, "bench-time: /dev/null: %s\n", strerror(errno));
		return 2;
	}
	fflush(stdout);

	t0 = now_s();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench-time: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		if (dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0)
			_exit(127);
		/* Keep our stderr until exec has worked, to report a failure. */
		err_fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
		if (err_fd < 0 || dup2(null_fd, 2) < 0)
			_exit(127);
		execvp(argv[argi], argv + argi);
		dprintf(err_fd, "bench-time: %s: %s\n", argv[argi], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "bench-time: wait4: %s\n", strerror(errno));
			return 2;
		}
	}
	t1 = now_s();

	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else
		code = 128 + WTERMSIG(status);
	printf("%.6f %d %ld\n", t1 - t0, code, ru.ru_maxrss);
	return code == 127 ? 127 : 0;
}

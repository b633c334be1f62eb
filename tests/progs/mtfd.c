/*
 * mtfd: threads whose fds may overlap.  Starts N pthreads (default 2) that
 * each open FILE (default /dev/null) with O_RDONLY|O_CLOEXEC, read it once
 * into a 64-byte buffer and close it, as soon as they start.  Unlike
 * `threads`, nothing orders the workers: which of them gets the lower fd,
 * and whether one has closed its fd before another opens, is scheduling.
 * main joins them in creation order and exits 0.
 *
 *   mtfd [N] [--no-close K] [--file K PATH]
 *
 * MTFD_FIRST=K in the environment orders them instead: thread K opens
 * first, then the others in turn (a lock-free token, no syscalls), and
 * every thread keeps its fd open until all have opened theirs, so that
 * thread K gets the lowest fd.  With --file, two runs with a different
 * MTFD_FIRST (the command line and the trace's argv the same) differ only
 * in which thread opened first.
 *
 * Known changes for tests: a different N (a thread more or fewer),
 * --no-close K (thread K, 1..N, leaves its fd open), --file K PATH
 * (thread K opens PATH instead).
 *
 * Tests look for: the same canonical trace on every run (each thread's
 * openat = 3, read(3, ...), close(3)), whichever thread opened first.
 * pthread_join's futex calls vary; they are in the canonicalizer's
 * unordered set.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXTHREADS 64

static const char *path = "/dev/null";
static const char *other_path;
static unsigned long other_k, noclose_k, first_k, nthreads;
static unsigned long opened;  /* --first: how many have opened */

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

static void *worker(void *arg)
{
	unsigned long me = (unsigned long)arg + 1;
	char buf[64];
	int fd;
	long ok = 1;

	/* --first: my place in the order is 0 for K, else my index among
	 * the others. */
	unsigned long place = me == first_k ? 0 : me < first_k ? me : me - 1;

	while (first_k && __atomic_load_n(&opened, __ATOMIC_ACQUIRE) != place)
		;       /* spin: no syscalls */
	fd = open(me == other_k ? other_path : path, O_RDONLY | O_CLOEXEC);
	if (first_k) {
		__atomic_store_n(&opened, place + 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&opened, __ATOMIC_ACQUIRE) != nthreads)
			;
	}
	if (fd < 0 || read(fd, buf, sizeof buf) < 0)
		ok = 0;
	if (fd >= 0 && me != noclose_k)
		close(fd);
	return (void *)ok;
}

static unsigned long number(const char *s, unsigned long max)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || n < 1 || n > max)
		die("mtfd: a number must be 1..64\n");
	return n;
}

int main(int argc, char **argv)
{
	pthread_t tids[MAXTHREADS];
	unsigned long n = 2;
	int failed = 0, i = 1;

	if (i < argc && argv[i][0] != '-')
		n = number(argv[i++], MAXTHREADS);
	while (i < argc) {
		if (strcmp(argv[i], "--no-close") == 0 && i + 1 < argc) {
			noclose_k = number(argv[i + 1], MAXTHREADS);
			i += 2;
		} else if (strcmp(argv[i], "--file") == 0 && i + 2 < argc) {
			other_k = number(argv[i + 1], MAXTHREADS);
			other_path = argv[i + 2];
			i += 3;
		} else {
			die("usage: mtfd [N] [--no-close K] [--file K PATH]\n");
		}
	}
	if (getenv("MTFD_FIRST") && *getenv("MTFD_FIRST"))
		first_k = number(getenv("MTFD_FIRST"), n);
	nthreads = n;
	for (unsigned long t = 0; t < n; t++)
		if (pthread_create(&tids[t], NULL, worker, (void *)t) != 0)
			die("mtfd: pthread_create failed\n");
	for (unsigned long t = 0; t < n; t++) {
		void *ret;

		if (pthread_join(tids[t], &ret) != 0)
			die("mtfd: pthread_join failed\n");
		if (ret != (void *)1)
			failed = 1;
	}
	if (failed)
		die("mtfd: a thread could not open or read its file\n");
	return 0;
}

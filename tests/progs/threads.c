/*
 * threads: a multi-threaded process.  Starts N pthreads (default 2); each
 * opens FILE (default /dev/null) with O_RDONLY|O_CLOEXEC, reads it once into
 * a 64-byte buffer, closes it and returns; main joins them in creation order
 * and exits 0.
 *
 *   threads [N [FILE]]     N threads (1..64), each reading FILE
 *
 * Known changes for tests: a different N (a thread more or less), or a
 * different FILE (the openat path and the read's result change).
 *
 * The workers take turns through a lock-free token (an atomic counter they
 * spin on, no syscalls): thread i does its open/read/close only after thread
 * i-1 has closed its fd.  Otherwise two threads could hold fds at once and
 * which of them got the lower number would depend on scheduling.  Only the
 * futex calls inside pthread_join vary between runs (whether a thread had
 * already exited when joined); they belong to the canonicalizer's unordered
 * set.
 *
 * Tests look for: threads t1 (main: N clone3 calls) and t2..t<N+1>, each
 * with openat(FILE) = 3, read(3, ...), close(3), exit(0).
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
static unsigned long turn;      /* index of the thread whose turn it is */

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

static void *worker(void *arg)
{
	unsigned long me = (unsigned long)arg;
	char buf[64];
	int fd;
	long ok = 1;

	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != me)
		;       /* spin: no syscalls, so nothing to see in the trace */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof buf) < 0)
		ok = 0;
	if (fd >= 0)
		close(fd);
	__atomic_store_n(&turn, me + 1, __ATOMIC_RELEASE);
	return (void *)ok;
}

int main(int argc, char **argv)
{
	pthread_t tids[MAXTHREADS];
	unsigned long n = 2;
	int failed = 0;

	if (argc > 3)
		die("usage: threads [N [FILE]]\n");
	if (argc > 1) {
		char *end;

		errno = 0;
		n = strtoul(argv[1], &end, 10);
		if (errno || end == argv[1] || *end || n < 1 || n > MAXTHREADS)
			die("threads: N must be 1..64\n");
	}
	if (argc > 2)
		path = argv[2];

	for (unsigned long i = 0; i < n; i++)
		if (pthread_create(&tids[i], NULL, worker, (void *)i) != 0)
			die("threads: pthread_create failed\n");
	for (unsigned long i = 0; i < n; i++) {
		void *ret;

		if (pthread_join(tids[i], &ret) != 0)
			die("threads: pthread_join failed\n");
		if (ret != (void *)1)
			failed = 1;
	}
	if (failed)
		die("threads: a thread could not open or read its file\n");
	return 0;
}

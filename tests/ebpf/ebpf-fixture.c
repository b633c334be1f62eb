/*
 * ebpf-fixture: the tracee of ebpf-smoke, built plain (no sanitizers).
 *
 *   ebpf-fixture files DIR   the parent creates DIR/parent-file, writes
 *                            "p", reads it back; a thread opens
 *                            DIR/thread-file; a forked child creates
 *                            DIR/child-file and writes "c"; the parent
 *                            joins and waits for both.
 *   ebpf-fixture loop N      N getppid calls (a ring-buffer flood)
 *   ebpf-fixture read N      N one-byte reads of /dev/zero (overhead)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[4000];

static void *thread_main(void *arg)
{
	char path[4096];
	int fd;

	(void)arg;
	snprintf(path, sizeof(path), "%s/thread-file", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int files(void)
{
	char path[4096], buf[4];
	pthread_t t;
	pid_t pid;
	int fd, st;

	snprintf(path, sizeof(path), "%s/parent-file", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "p", 1) != 1)
		return 1;
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof(buf)) != 1)
		return 1;
	close(fd);
	if (pthread_create(&t, NULL, thread_main, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		snprintf(path, sizeof(path), "%s/child-file", dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, "c", 1) != 1)
			_exit(1);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "files") == 0) {
		snprintf(dir, sizeof(dir), "%s", argv[2]);
		return files();
	}
	if (argc == 3 && strcmp(argv[1], "loop") == 0) {
		long n = atol(argv[2]);

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "read") == 0) {
		long n = atol(argv[2]);
		int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
		char c;

		for (long i = 0; i < n; i++)
			if (read(fd, &c, 1) != 1)
				return 1;
		return 0;
	}
	fprintf(stderr, "usage: ebpf-fixture files DIR | loop N | read N\n");
	return 2;
}

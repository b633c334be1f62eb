/*
 * readloop: a loop of identical reads, collapsed by the canonicalizer into
 * one event "×N"; also the benchmark's syscall-heavy tracee.
 *
 *   readloop [FILE [N]]  open FILE (default /dev/zero) and read it in
 *                        4096-byte chunks N times (default 100); N = 0: read
 *                        to EOF (never ends on /dev/zero)
 *   readloop --small N   instead, N reads of 1 byte from /dev/zero
 *                        (N up to 1,000,000: two ptrace stops per call)
 *   --write              afterwards open "$TMPDIR/readloop.out" (TMPDIR
 *                        unset or empty: /tmp) with O_CREAT|O_TRUNC, write 3
 *                        times, close and unlink it
 *   --fsync              the same with an fsync before the close
 *
 * Known changes for tests: a golden of "readloop --fsync" against a run of
 * "readloop --write" differs by exactly the lost fsync; against a plain
 * "readloop" the whole write-out block is gone.  A different N changes only
 * the repeat count.  The file name is fixed, so concurrent --write/--fsync
 * runs need their own TMPDIR (gtdiff gives every run a private one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *what, const char *arg)
{
	if (write(2, what, strlen(what)) < 0 || write(2, arg, strlen(arg)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(2);
	_exit(1);
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		die("readloop: not a count: ", s);
	return n;
}

int main(int argc, char **argv)
{
	static char buf[4096];
	const char *file = "/dev/zero", *tmp;
	unsigned long n = 100, small = 0;
	int do_small = 0, do_write = 0, do_fsync = 0, npos = 0, fd;
	char out[4096];

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--fsync") == 0) {
			do_write = do_fsync = 1;
		} else if (strcmp(argv[i], "--write") == 0) {
			do_write = 1;
		} else if (strcmp(argv[i], "--small") == 0 && i + 1 < argc) {
			do_small = 1;
			small = number(argv[++i]);
		} else if (argv[i][0] != '-' && npos == 0) {
			file = argv[i];
			npos++;
		} else if (argv[i][0] != '-' && npos == 1) {
			n = number(argv[i]);
			npos++;
		} else {
			die("usage: readloop [--small N] [--write|--fsync] [FILE [N]]", "");
		}
	}

	if (do_small) {
		fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("readloop: cannot open ", "/dev/zero");
		for (unsigned long i = 0; i < small; i++)
			if (read(fd, buf, 1) != 1)
				die("readloop: short read from ", "/dev/zero");
	} else {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("readloop: cannot open ", file);
		for (unsigned long i = 0; n == 0 || i < n; i++) {
			ssize_t r = read(fd, buf, sizeof buf);

			if (r < 0)
				die("readloop: read failed: ", file);
			if (r == 0)
				break;
		}
	}
	close(fd);

	if (do_write) {
		tmp = getenv("TMPDIR");
		if (!tmp || !*tmp)
			tmp = "/tmp";
		if (snprintf(out, sizeof out, "%s/readloop.out", tmp) >= (int)sizeof out)
			die("readloop: TMPDIR too long: ", tmp);
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			die("readloop: cannot create ", out);
		for (int i = 0; i < 3; i++)
			if (write(fd, "data\n", 5) != 5)
				die("readloop: write failed: ", out);
		if (do_fsync && fsync(fd) != 0)
			die("readloop: fsync failed: ", out);
		close(fd);
		if (unlink(out) != 0)
			die("readloop: cannot unlink ", out);
	}
	return 0;
}

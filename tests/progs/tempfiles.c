/*
 * tempfiles: randomly named temporary files, the canonicalizer's temp-name
 * masking at work.  TMPDIR unset or empty means /tmp.
 *
 *   1. "$TMPDIR/gtd-XXXXXX" made as mkstemp makes it: openat O_RDWR|O_CREAT|
 *      O_EXCL, 0600 with a random 6-character suffix; write 10 bytes, close;
 *      reopen read-only, read it back, close, unlink;
 *   2. "$TMPDIR/gtd-dir-XXXXXX" made as mkdtemp makes it: mkdir 0700; create
 *      "data.txt" in it (O_CREAT|O_EXCL), write 10 bytes, close, unlink it,
 *      rmdir the directory.
 *
 *   tempfiles            the above, names from our own mkstemp look-alike
 *   tempfiles --libc     names from glibc's mkstemp and mkdtemp
 *   tempfiles --keep     leave the directory and data.txt behind (the known
 *                        change: the final unlink and rmdir go missing)
 *
 * Suffixes differ on every run; tests look for the same canonical trace from
 * two runs, random parts masked, paths under $TMP.  Why a look-alike by
 * default: glibc (2.36 at least) derives the suffix from the clock and, when
 * that value lands in the top ~4% of its range, draws again with getrandom(2)
 * -- an extra syscall for about one name in 23, a nondeterministic trace.
 * Ours mixes the clock (vDSO, no syscall) with stack-address randomness.
 * --libc keeps glibc's behaviour, stray getrandom and all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, const char *path)
{
	if (write(2, what, strlen(what)) < 0 || write(2, path, strlen(path)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(2);
	_exit(1);
}

/* Replace the trailing XXXXXX of TMPL and create it (a file if !DIR, else a
 * directory) exclusively.  Returns the fd (file) or 0 (dir), -1 on error. */
static int make_temp(char *tmpl, int dir)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char *x = tmpl + strlen(tmpl) - 6;
	struct timespec ts;
	uint64_t v;

	clock_gettime(CLOCK_REALTIME, &ts);
	v = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)(uintptr_t)&ts;
	for (int attempt = 0; attempt < 100; attempt++) { /* EEXIST: ~1 in 5e10 */
		int fd;

		v = v * 6364136223846793005ULL + 1442695040888963407ULL;
		for (int i = 0; i < 6; i++)
			x[i] = set[(v >> (16 + 7 * i)) % 62];
		fd = dir ? mkdir(tmpl, 0700) : open(tmpl, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const char data[10] = "0123456789";
	const char *tmp = getenv("TMPDIR");
	char file[4096], dir[4096], inner[4200], buf[64];
	int keep = 0, libc = 0, fd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keep") == 0)
			keep = 1;
		else if (strcmp(argv[i], "--libc") == 0)
			libc = 1;
		else
			die("usage: tempfiles [--libc] [--keep]", "");
	}
	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(file, sizeof file, "%s/gtd-XXXXXX", tmp) >= (int)sizeof file ||
	    snprintf(dir, sizeof dir, "%s/gtd-dir-XXXXXX", tmp) >= (int)sizeof dir)
		die("tempfiles: TMPDIR too long: ", tmp);

	/* 1. a temp file */
	fd = libc ? mkstemp(file) : make_temp(file, 0);
	if (fd < 0)
		die("tempfiles: cannot make a temp file in ", tmp);
	if (write(fd, data, sizeof data) != (ssize_t)sizeof data)
		die("tempfiles: write failed: ", file);
	close(fd);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, buf, sizeof buf) != (ssize_t)sizeof data ||
	    memcmp(buf, data, sizeof data) != 0)
		die("tempfiles: cannot read back ", file);
	close(fd);
	if (unlink(file) != 0)
		die("tempfiles: cannot unlink ", file);

	/* 2. a temp directory with a fixed-name file in it */
	if (libc ? !mkdtemp(dir) : make_temp(dir, 1) != 0)
		die("tempfiles: cannot make a temp directory in ", tmp);
	snprintf(inner, sizeof inner, "%s/data.txt", dir);
	fd = open(inner, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		die("tempfiles: cannot create ", inner);
	if (write(fd, data, sizeof data) != (ssize_t)sizeof data)
		die("tempfiles: write failed: ", inner);
	close(fd);
	if (!keep && (unlink(inner) != 0 || rmdir(dir) != 0))
		die("tempfiles: cannot remove ", dir);
	return 0;
}

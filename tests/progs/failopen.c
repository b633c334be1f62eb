/*
 * failopen: failing system calls.  Tries to open three files that do not
 * exist, each failing with ENOENT, then opens /dev/null, closes it and exits
 * 0.
 *
 *   failopen [--stat-each] [PATH1 PATH2 PATH3]
 *       names: the paths given, else $TMPDIR/nope-1, nope-2, nope-3 (TMPDIR
 *       unset or empty: /tmp)
 *   --stat-each   stat() each name first (it fails with ENOENT too), the
 *                 known change "an extra stat per file": three more failed
 *                 calls, one before each failed openat
 *
 * Tests look for three openat(..., O_RDONLY) = -1 ENOENT with the names
 * under $TMP, then openat("/dev/null") = 3 and close(3).  If a name does
 * exist after all, the program says so on stderr and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what, const char *arg)
{
	if (write(2, what, strlen(what)) < 0 || write(2, arg, strlen(arg)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(2);
	_exit(1);
}

int main(int argc, char **argv)
{
	char names[3][4096];
	int stat_each = 0, i = 1, fd;

	if (i < argc && strcmp(argv[i], "--stat-each") == 0) {
		stat_each = 1;
		i++;
	}
	if (argc - i == 3) {
		for (int k = 0; k < 3; k++)
			if (snprintf(names[k], sizeof names[k], "%s", argv[i + k]) >= (int)sizeof names[k])
				die("failopen: name too long: ", argv[i + k]);
	} else if (argc - i == 0) {
		const char *tmp = getenv("TMPDIR");

		if (!tmp || !*tmp)
			tmp = "/tmp";
		for (int k = 0; k < 3; k++)
			if (snprintf(names[k], sizeof names[k], "%s/nope-%d", tmp, k + 1) >= (int)sizeof names[k])
				die("failopen: TMPDIR too long: ", tmp);
	} else {
		die("usage: failopen [--stat-each] [PATH1 PATH2 PATH3]", "");
	}

	for (int k = 0; k < 3; k++) {
		struct stat st;

		if (stat_each && stat(names[k], &st) == 0)
			die("failopen: exists: ", names[k]);
		fd = open(names[k], O_RDONLY);
		if (fd >= 0)
			die("failopen: exists: ", names[k]);
		if (errno != ENOENT)
			die("failopen: not ENOENT: ", names[k]);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd < 0)
		die("failopen: cannot open ", "/dev/null");
	close(fd);
	return 0;
}

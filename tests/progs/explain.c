/*
 * explain: a program whose changes sit at known source lines, for the
 * tests of `check`'s explanations (issue 13, tests/e2e/explain.test).
 * Built with -g -O0 (and -rdynamic, so that a stripped copy still has the
 * names of its global functions, read_config and scan_cache, in .dynsym).
 *
 *   explain MODEFILE
 *       reads MODEFILE (up to 63 bytes), writes "explain\n" and exits 0;
 *       the file's words switch the known changes, so that the command
 *       line stays the same between a golden and a changed run:
 *   access   read_config() also calls access("explain.conf", R_OK): one
 *            added call (it fails with ENOENT), at the line marked
 *            EXPLAIN-ACCESS
 *   stat     scan_cache() stats "explain.cache" 5 times more: a changed
 *            count, at the line marked EXPLAIN-STAT
 *
 * The tests find the line numbers by grepping for the markers.  The
 * user's CFLAGS come after the -O0 of Makefile.am, so the program must read
 * the same at -O2: each call's result is stored, so that no call is a
 * tail call (whose caller would be missing from the stack), and the
 * functions are not inlined.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char mode[64];
static volatile int sink;

static int has(const char *word)
{
	return strstr(mode, word) != NULL;
}

void __attribute__((noinline, noclone)) read_config(void);
void __attribute__((noinline, noclone)) read_config(void)
{
	int fd = open("/dev/null", O_RDONLY);

	if (fd >= 0)
		close(fd);
	if (has("access"))
		sink = access("explain.conf", R_OK); /* EXPLAIN-ACCESS */
}

void __attribute__((noinline, noclone)) scan_cache(void);
void __attribute__((noinline, noclone)) scan_cache(void)
{
	struct stat st;
	int turns = has("stat") ? 6 : 1;

	for (int i = 0; i < turns; i++)
		sink = stat("explain.cache", &st); /* EXPLAIN-STAT */
}

int main(int argc, char **argv)
{
	int fd;
	ssize_t n;

	if (argc != 2) {
		(void)!write(2, "usage: explain MODEFILE\n", 24);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		return 2;
	n = read(fd, mode, sizeof(mode) - 1);
	close(fd);
	mode[n > 0 ? n : 0] = '\0';
	read_config();
	scan_cache();
	(void)!write(1, "explain\n", 8);
	return 0;
}

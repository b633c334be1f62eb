/*
 * hello: the smallest tracee.  Writes "hello\n" to stdout with one write(2)
 * per line and exits 0.
 *
 *   hello        one write(1, "hello\n", 6)
 *   hello N      N such writes (collapsed by the canonicalizer to one
 *                event "×N")
 *
 * Tests look for exactly one (or N) write of 6 bytes to fd 1 after the
 * loader's startup calls, then exit_group(0).  Changing N is the known
 * change: the golden for "hello 3" differs from a run of "hello 4" only in
 * the repeat count.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

int main(int argc, char **argv)
{
	static const char line[] = "hello\n";
	unsigned long n = 1;

	if (argc > 2)
		die("usage: hello [N]\n");
	if (argc == 2) {
		char *end;

		errno = 0;
		n = strtoul(argv[1], &end, 10);
		if (errno || end == argv[1] || *end || argv[1][0] == '-')
			die("hello: N must be a non-negative integer\n");
	}
	for (unsigned long i = 0; i < n; i++)
		if (write(1, line, sizeof line - 1) != (ssize_t)(sizeof line - 1))
			die("hello: write failed\n");
	return 0;
}

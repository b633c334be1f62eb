/*
 * execer: a process that replaces itself.  Opens FILE (default /dev/null)
 * without O_CLOEXEC and closes it again, then execve()s PATH (default
 * /bin/true) with ARGS and the current environment.
 *
 *   execer                            open+close /dev/null, exec /bin/true
 *   execer [--open FILE] [PATH ARGS...]
 *                                     open+close FILE; exec PATH with argv
 *                                     PATH ARGS... (argv[0] is PATH)
 *
 * Known changes for tests: another PATH (e.g. /bin/false: the exec'd image
 * and the exit status change), or another --open FILE (the one openat
 * before the exec changes).
 *
 * Tests look for: openat(FILE) = 3, close(3), then execve(PATH, ...) = 0 in
 * the same process, followed by the new image's startup and its exit.  If
 * execve fails the program says so on stderr and exits 127.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static void say(const char *a, const char *b)
{
	if (write(2, a, strlen(a)) < 0 || write(2, b, strlen(b)) < 0 || write(2, "\n", 1) < 0)
		_exit(2);
}

int main(int argc, char **argv)
{
	static char truepath[] = "/bin/true";
	char *defargv[] = { truepath, NULL };
	const char *file = "/dev/null";
	char **args = defargv;
	int i = 1, fd;

	if (i < argc && strcmp(argv[i], "--open") == 0) {
		if (i + 1 >= argc) {
			say("usage: execer [--open FILE] [PATH ARGS...]", "");
			return 2;
		}
		file = argv[i + 1];
		i += 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i < argc)
		args = &argv[i];

	fd = open(file, O_RDONLY);
	if (fd < 0) {
		say("execer: cannot open ", file);
		return 1;
	}
	close(fd);

	execve(args[0], args, environ);
	say("execer: cannot exec ", args[0]);
	return 127;
}

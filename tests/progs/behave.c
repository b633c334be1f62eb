/*
 * behave: a small "application" whose behaviour is switched by a MODE FILE,
 * so that its command line never changes between the golden run and the
 * changed run.  tests/e2e/detect.test records it, then flips one word in the
 * mode file at a time and checks that `gtdiff check` names that change.
 *
 *   behave MODEFILE WORKDIR
 *
 * MODEFILE is read with ONE read(2) of exactly 256 bytes (the test pads it
 * with spaces to 256 bytes, so the read's return value never changes); it
 * holds space-separated words.  WORKDIR holds a.txt, b.txt, c.txt (and
 * extra.cfg for extra-open).  An unknown word or a short mode file: exit 2.
 *
 * Base behaviour (deterministic syscall sequence per process):
 *   1. open MODEFILE, read 256 bytes, close;  chdir WORKDIR
 *   2. for a.txt, b.txt, c.txt: stat, open, read 16-byte chunks until EOF
 *      (ceil(size/16) + 1 reads), close
 *   3. create $TMPDIR/out.txt (TMPDIR unset or empty: /tmp) with
 *      O_WRONLY|O_CREAT|O_TRUNC, write 3 times, fsync, close, unlink
 *   4. block SIGCHLD (no delivery timing in the sequence), fork one child
 *      that writes one line to stdout and _exit(0)s, waitpid it
 *   5. mmap 64 MiB anonymous, touch the first 8 MiB (one byte per page)
 *   6. busy-loop about 60 ms on a volatile counter (no syscalls)
 *   7. exit(0)
 *
 * Words (each one known change):
 *   extra-stat  stat each file twice                      (+ stat lines)
 *   extra-open  open and close WORKDIR/extra.cfg after the files
 *   loop-more   one more 16-byte read per file (the EOF read repeated)
 *   no-fsync    skip the fsync                            (a lost fsync)
 *   new-child   fork and wait a second child the same way (a new process)
 *   connect     socket(AF_INET, SOCK_STREAM), connect to 127.0.0.1:9,
 *               close (refused or not, the attempt is the change)
 *   fail-open   open "b.txt.missing" instead of b.txt (-1 ENOENT), no reads
 *   slow        busy-loop 16x as long (no extra syscalls): large enough to
 *               stand out when the golden was recorded on a busy machine
 *   slow4       busy-loop 4x as long
 *   fsync-late  fsync the output after closing it instead of before
 *               (a moved fsync: it now fails with EBADF)
 *   fsync-dir   also open WORKDIR, fsync it and close it (a new fsync)
 *   mem         touch 32 MiB of the same mapping instead of 8 MiB
 *   exit3       exit(3) instead of exit(0)
 *
 * The busy loop is a fixed number of iterations, not a clock: its length
 * varies with the machine, but not between a golden and a check run on it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MODE_SIZE 256
#define MAP_SIZE (64UL << 20)
#define TOUCH_BASE (8UL << 20)
#define PAGE 4096UL
/* About 50-60 ms on a current x86-64 at -O1 (a volatile load+store each);
 * slower machines take longer, equally for the golden and the check run. */
#define SPIN_BASE 200000000UL

enum {
	EXTRA_STAT = 1 << 0,
	EXTRA_OPEN = 1 << 1,
	LOOP_MORE = 1 << 2,
	NO_FSYNC = 1 << 3,
	NEW_CHILD = 1 << 4,
	CONNECT = 1 << 5,
	FAIL_OPEN = 1 << 6,
	SLOW = 1 << 7,
	MEM = 1 << 8,
	EXIT3 = 1 << 9,
	SLOW4 = 1 << 10,
	FSYNC_LATE = 1 << 11,
	FSYNC_DIR = 1 << 12,
};

static const struct {
	const char *word;
	unsigned flag;
} words[] = {
	{"extra-stat", EXTRA_STAT}, {"extra-open", EXTRA_OPEN},
	{"loop-more", LOOP_MORE},   {"no-fsync", NO_FSYNC},
	{"new-child", NEW_CHILD},   {"connect", CONNECT},
	{"fail-open", FAIL_OPEN},   {"slow", SLOW},
	{"mem", MEM},               {"exit3", EXIT3},
	{"slow4", SLOW4},           {"fsync-late", FSYNC_LATE},
	{"fsync-dir", FSYNC_DIR},
};

static void say(int fd, const char *a, const char *b)
{
	if (write(fd, a, strlen(a)) < 0 || write(fd, b, strlen(b)) < 0 ||
	    write(fd, "\n", 1) < 0)
		_exit(2);
}

static void die(const char *what, const char *arg)
{
	say(2, what, arg);
	_exit(2);
}

static unsigned parse_mode(const char *path)
{
	char buf[MODE_SIZE + 1];
	unsigned flags = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die("behave: cannot open mode file ", path);
	n = read(fd, buf, MODE_SIZE);
	close(fd);
	if (n != MODE_SIZE)
		die("behave: mode file must be exactly 256 bytes: ", path);
	buf[MODE_SIZE] = '\0';
	for (char *save = NULL, *w = strtok_r(buf, " \t\n", &save); w;
	     w = strtok_r(NULL, " \t\n", &save)) {
		size_t i;

		for (i = 0; i < sizeof words / sizeof words[0]; i++)
			if (strcmp(w, words[i].word) == 0)
				break;
		if (i == sizeof words / sizeof words[0])
			die("behave: unknown mode word: ", w);
		flags |= words[i].flag;
	}
	return flags;
}

static void read_file(const char *name, unsigned flags)
{
	char buf[16];
	struct stat st;
	int fd, extra = !!(flags & LOOP_MORE);

	if (stat(name, &st) != 0)
		die("behave: cannot stat ", name);
	if ((flags & EXTRA_STAT) && stat(name, &st) != 0)
		die("behave: cannot stat ", name);
	if ((flags & FAIL_OPEN) && strcmp(name, "b.txt") == 0) {
		if (open("b.txt.missing", O_RDONLY | O_CLOEXEC) >= 0)
			die("behave: unexpectedly opened ", "b.txt.missing");
		return;
	}
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("behave: cannot open ", name);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);

		if (r < 0)
			die("behave: read failed: ", name);
		if (r == 0 && extra-- <= 0)
			break;
	}
	close(fd);
}

static void write_out(unsigned flags)
{
	const char *tmp = getenv("TMPDIR");
	char out[4096];
	size_t len;
	int fd;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	len = strlen(tmp);
	if (len + sizeof "/out.txt" > sizeof out)
		die("behave: TMPDIR too long: ", tmp);
	memcpy(out, tmp, len);
	memcpy(out + len, "/out.txt", sizeof "/out.txt");
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("behave: cannot create ", out);
	for (int i = 0; i < 3; i++)
		if (write(fd, "data\n", 5) != 5)
			die("behave: write failed: ", out);
	if (!(flags & (NO_FSYNC | FSYNC_LATE)) && fsync(fd) != 0)
		die("behave: fsync failed: ", out);
	close(fd);
	if (flags & FSYNC_LATE)
		(void)fsync(fd); /* the bug: the fd is closed */
	if (unlink(out) != 0)
		die("behave: cannot unlink ", out);
}

static void child(const char *line)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("behave: fork failed", "");
	if (pid == 0) {
		if (write(1, line, strlen(line)) < 0)
			_exit(1);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("behave: waitpid failed", "");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("behave: child failed", "");
}

static void try_connect(void)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("behave: socket failed", "");
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(9);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* Refused or accepted: the attempt is the behaviour. */
	(void)connect(fd, (struct sockaddr *)&sa, sizeof sa);
	close(fd);
}

int main(int argc, char **argv)
{
	static const char *const files[] = {"a.txt", "b.txt", "c.txt"};
	volatile unsigned long spin = 0;
	unsigned long touch, iters;
	unsigned flags;
	sigset_t chld;
	char *map;

	if (argc != 3)
		die("usage: behave MODEFILE WORKDIR", "");
	flags = parse_mode(argv[1]);
	if (chdir(argv[2]) != 0)
		die("behave: cannot chdir to ", argv[2]);

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		read_file(files[i], flags);
	if (flags & EXTRA_OPEN) {
		int fd = open("extra.cfg", O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			die("behave: cannot open ", "extra.cfg");
		close(fd);
	}
	if (flags & CONNECT)
		try_connect();
	if (flags & FSYNC_DIR) {
		int fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0 || fsync(fd) != 0)
			die("behave: cannot fsync ", ".");
		close(fd);
	}
	write_out(flags);

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0)
		die("behave: sigprocmask failed", "");
	child("behave: child 1\n");
	if (flags & NEW_CHILD)
		child("behave: child 2\n");

	map = mmap(NULL, MAP_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		die("behave: mmap failed", "");
	touch = (flags & MEM) ? 4 * TOUCH_BASE : TOUCH_BASE;
	for (unsigned long off = 0; off < touch; off += PAGE)
		((volatile char *)map)[off] = 1;

	iters = (flags & SLOW) ? 16 * SPIN_BASE : (flags & SLOW4) ? 4 * SPIN_BASE : SPIN_BASE;
	for (unsigned long i = 0; i < iters; i++)
		spin++;

	exit((flags & EXIT3) ? 3 : 0);
}

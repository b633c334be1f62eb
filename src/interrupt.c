/*
 * interrupt: the signal policy.  See interrupt.h.
 *
 * The registry of temporary paths is read by a signal handler, possibly on
 * another thread than the one that writes it (the auto backend has two), so
 * a slot's path is written before the slot is marked taken, with atomics;
 * and the handler removes trees with system calls only (openat,
 * getdents64, unlinkat), no stdio, no malloc, no opendir.
 */
#include "config.h"

#include "interrupt.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

volatile sig_atomic_t gt_interrupted;
volatile sig_atomic_t gt_interrupt_helper_pgid;
bool gt_interrupt_reported;
static volatile sig_atomic_t fence;

/* ---- the registry of temporary paths ---- */

static char temp_path[GT_INTERRUPT_MAX_TEMPS][PATH_MAX];
static atomic_int temp_used[GT_INTERRUPT_MAX_TEMPS];

/* How deep the handler follows directories (each level holds an fd and
 * a buffer on the stack); deeper trees are left. */
#define MAX_DEPTH 48
/* Passes over a tree: a process of the tree that the SIGKILL has not
 * stopped yet may still add an entry; once the top directory is gone,
 * nothing can be created in it. */
#define MAX_PASSES 20

static void remove_at(int dfd, const char *name, int depth);

/* Remove what directory FD holds. */
static void empty_dir(int fd, int depth)
{
	/* aligned for struct dirent64 */
	char buf[2048] __attribute__((aligned(8)));

	for (;;) {
		ssize_t n = getdents64(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		for (ssize_t off = 0; off < n;) {
			const struct dirent64 *d = (const struct dirent64 *)(void *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
				continue;
			remove_at(fd, d->d_name, depth);
		}
	}
}

/* Remove NAME in directory DFD, with everything in it; never follows a
 * link. */
static void remove_at(int dfd, const char *name, int depth)
{
	int fd;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return;
	if (errno != EISDIR && errno != EPERM)
		return;
	if (depth < MAX_DEPTH) {
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0) {
			empty_dir(fd, depth + 1);
			close(fd);
		}
	}
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/* The handler's part: every registered path, gone. */
static void remove_temps(void)
{
	for (size_t i = 0; i < GT_INTERRUPT_MAX_TEMPS; i++) {
		if (!atomic_load(&temp_used[i]))
			continue;
		for (int pass = 0; pass < MAX_PASSES; pass++) {
			struct stat st;

			remove_at(AT_FDCWD, temp_path[i], 0);
			if (fstatat(AT_FDCWD, temp_path[i], &st, AT_SYMLINK_NOFOLLOW) < 0 &&
			    errno == ENOENT)
				break;
			if (pass > 0) {
				struct timespec ts = {0, 1000000};

				nanosleep(&ts, NULL);
			}
		}
	}
}

bool gt_interrupt_temp_add(const char *path)
{
	size_t len = strlen(path);

	if (len >= PATH_MAX)
		return false;
	for (size_t i = 0; i < GT_INTERRUPT_MAX_TEMPS; i++) {
		if (atomic_load(&temp_used[i]))
			continue;
		memcpy(temp_path[i], path, len + 1);
		atomic_store(&temp_used[i], 1);
		return true;
	}
	return false;
}

void gt_interrupt_temp_forget(const char *path)
{
	for (size_t i = 0; i < GT_INTERRUPT_MAX_TEMPS; i++) {
		if (atomic_load(&temp_used[i]) && strcmp(temp_path[i], path) == 0) {
			atomic_store(&temp_used[i], 0);
			return;
		}
	}
}

static void policy_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

void gt_interrupt_block(sigset_t *old)
{
	sigset_t set;

	policy_set(&set);
	sigprocmask(SIG_BLOCK, &set, old);
}

void gt_interrupt_unblock(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* ---- the handlers ---- */

static void say_and_exit(void)
{
	static const char msg[] = "gtdiff: interrupted again; exiting at once\n";
	ssize_t n;

	/* The files first: a blocked stderr must not keep them. */
	remove_temps();
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	_exit(128 + gt_interrupted);
}

void gt_interrupt_note(int sig, pid_t pgid)
{
	pid_t helper = (pid_t)gt_interrupt_helper_pgid;

	if (!gt_interrupted) {
		gt_interrupted = sig;
		if (fence)
			gt_write_cancel = 1;
		if (pgid > 0)
			kill(-pgid, SIGKILL);
		if (helper > 0)
			kill(-helper, SIGTERM);
		return;
	}
	if (pgid > 0)
		kill(-pgid, SIGKILL);
	if (helper > 0)
		kill(-helper, SIGKILL);
	say_and_exit();
}

static void on_signal(int sig)
{
	gt_interrupt_note(sig, 0);
}

void gt_interrupt_install(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < GT_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

void gt_interrupt_fence_writes(bool on)
{
	fence = on;
	gt_write_cancel = on && gt_interrupted;
}

int gt_interrupt_status(void)
{
	return gt_interrupted ? 128 + gt_interrupted : 0;
}

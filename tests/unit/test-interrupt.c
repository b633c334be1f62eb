/*
 * test-interrupt: the second signal's cleanup.  In a child: the temporary
 * directories gtdiff makes (gt_tracee_mktmp), a file registered by hand,
 * trees in them; SIGTERM twice: the child exits 143 at once and every
 * registered path is gone with what it held, while a path forgotten after
 * its owner was done with it stays.  And the registry's limits.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "interrupt.h"
#include "tracee.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char base[64];

static int group_setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(base, sizeof(base), "%s/test-interrupt.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(base))
		return -1;
	/* gt_tracee_mktmp makes its directories here. */
	return setenv("TMPDIR", base, 1);
}

static int group_teardown(void **state)
{
	(void)state;
	gt_tracee_rmtree(base);
	return 0;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
}

/* A tree in DIR: files and directories four deep, a link out of it. */
static void fill(const char *dir)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b/c", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b/c/d", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	for (int i = 0; i < 200; i++) {
		snprintf(p, sizeof(p), "%s/a/b/c/d/file-with-a-long-name-%d", dir, i);
		touch(p);
	}
	snprintf(p, sizeof(p), "%s/top", dir);
	touch(p);
	snprintf(p, sizeof(p), "%s/a/out", dir);
	assert_int_equal(symlink(base, p), 0);
}

static void test_second_signal_removes(void **state)
{
	char keep[128], file[128], *dirs[2] = {NULL, NULL};
	int status;
	pid_t pid;

	(void)state;
	/* Made here so that the parent knows the names; registered in the
	 * child by the same calls gtdiff makes. */
	snprintf(keep, sizeof(keep), "%s/kept", base);
	snprintf(file, sizeof(file), "%s/report.json.tmp.XXXXXX", base);
	assert_int_equal(mkdir(keep, 0700), 0);
	close(mkstemp(file));
	{
		int p[2];

		assert_int_equal(pipe(p), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct gt_error err = {0};
			sigset_t mask;

			close(p[0]);
			gt_interrupt_install();
			for (int i = 0; i < 2; i++) {
				char *d = gt_tracee_mktmp((unsigned)i, &err);

				if (!d)
					_exit(90);
				fill(d);
				if (write(p[1], d, strlen(d) + 1) < 0)
					_exit(91);
			}
			close(p[1]);
			gt_interrupt_block(&mask);
			gt_interrupt_temp_add(file);
			gt_interrupt_temp_add(keep);
			gt_interrupt_unblock(&mask);
			gt_interrupt_temp_forget(keep);
			raise(SIGTERM);           /* noted */
			if (!gt_interrupted)
				_exit(92);
			raise(SIGTERM);           /* exits at once */
			_exit(93);
		}
		close(p[1]);
		{
			char buf[1024];
			ssize_t n, got = 0;

			while ((n = read(p[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
				got += n;
			buf[got] = '\0';
			close(p[0]);
			dirs[0] = xstrdup(buf);
			dirs[1] = xstrdup(buf + strlen(buf) + 1);
		}
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 128 + SIGTERM);
	assert_true(dirs[0][0] == '/' && dirs[1][0] == '/');
	assert_false(exists(dirs[0]));
	assert_false(exists(dirs[1]));
	assert_false(exists(file));
	/* The link's target and the forgotten path are left alone. */
	assert_true(exists(base));
	assert_true(exists(keep));
	rmdir(keep);
	free(dirs[0]);
	free(dirs[1]);
}

static void test_registry_limits(void **state)
{
	char p[64], *longp;
	sigset_t mask;

	(void)state;
	gt_interrupt_block(&mask);
	for (int i = 0; i < GT_INTERRUPT_MAX_TEMPS; i++) {
		snprintf(p, sizeof(p), "slot-%d", i);
		assert_true(gt_interrupt_temp_add(p));
	}
	assert_false(gt_interrupt_temp_add("one-too-many"));
	gt_interrupt_temp_forget("slot-3");
	assert_true(gt_interrupt_temp_add("one-too-many"));
	for (int i = 0; i < GT_INTERRUPT_MAX_TEMPS; i++) {
		snprintf(p, sizeof(p), "slot-%d", i);
		gt_interrupt_temp_forget(p);
	}
	gt_interrupt_temp_forget("one-too-many");
	gt_interrupt_temp_forget("never-added");
	longp = xmalloc(PATH_MAX + 1);
	memset(longp, 'x', PATH_MAX);
	longp[PATH_MAX] = '\0';
	assert_false(gt_interrupt_temp_add(longp));
	free(longp);
	gt_interrupt_unblock(&mask);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_limits),
		cmocka_unit_test(test_second_signal_removes),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

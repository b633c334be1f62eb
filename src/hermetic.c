/*
 * hermetic: private working-directory copies, setup and teardown.  See
 * hermetic.h.
 */
#include "config.h"

#include "hermetic.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interrupt.h"
#include "tracee.h"

/* Run ARGV (execvp) in CWD with ENVP; its stdout goes to stderr.  Returns
 * the wait status, or -1 with errno set when it could not be started.  It
 * runs in a process group of its own, which gtdiff's signal policy sends
 * SIGTERM on the first signal and SIGKILL on the second (interrupt.h): a
 * setup that hangs does not hold the run, and none outlives gtdiff. */
static int run(const char *const *argv, const char *cwd, char *const *envp)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd;

		setpgid(0, 0);
		fd = open("/dev/null", O_RDONLY);

		if (fd >= 0 && fd != STDIN_FILENO) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		dup2(STDERR_FILENO, STDOUT_FILENO);
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		/* exec takes char *const[] for historical reasons; it does not
		 * write to the strings. */
		if (envp)
			execve(argv[0], (char *const *)(uintptr_t)argv, envp);
		else
			execvp(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	setpgid(pid, pid); /* whichever of the two comes first */
	gt_interrupt_helper_pgid = pid;
	if (gt_interrupted) /* before it was known */
		kill(-pid, SIGTERM);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			gt_interrupt_helper_pgid = 0;
			return -1;
		}
	}
	gt_interrupt_helper_pgid = 0;
	/* What it left running in its group goes with it. */
	if (gt_interrupted)
		kill(-pid, SIGKILL);
	return status;
}

static void describe(char *buf, size_t n, int status)
{
	if (WIFEXITED(status))
		snprintf(buf, n, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, n, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, n, "status %d", status);
}

char *gt_hermetic_copy(const char *src, unsigned depth, char **top, struct gt_error *err)
{
	char *parent, *base, *tmp, *dest, *dir;
	char why[64];
	int status;

	*top = NULL;
	parent = gt_tracee_mktmp(0, err);
	if (!parent)
		return NULL;
	dir = xstrdup(parent);
	for (unsigned i = 0; i < depth && i < 16; i++) {
		char *d = xasprintf("%s/deeper", dir);

		free(dir);
		dir = d;
		if (mkdir(dir, 0700) < 0) {
			gt_error_set(err, GT_ERR_IO, "%s: cannot create: %s", dir, strerror(errno));
			gt_tracee_rmtree(parent);
			free(parent);
			free(dir);
			return NULL;
		}
	}
	tmp = xstrdup(src);
	base = basename(tmp);
	dest = xasprintf("%s/%s", dir, *base && strcmp(base, "/") != 0 ? base : "cwd");
	free(tmp);
	free(dir);
	{
		const char *argv[] = { "cp", "-a", "--reflink=auto", "--", src, dest, NULL };

		status = run(argv, NULL, NULL);
	}
	if (status != 0) {
		if (status < 0)
			snprintf(why, sizeof(why), "%s", strerror(errno));
		else
			describe(why, sizeof(why), status);
		gt_error_set(err, GT_ERR_IO, "%s: cannot copy the working directory to %s "
			     "(cp -a: %s)", src, dest, why);
		gt_tracee_rmtree(parent);
		free(parent);
		free(dest);
		return NULL;
	}
	*top = parent;
	return gt_real_or_keep(dest);
}

void gt_hermetic_drop(const char *top)
{
	gt_tracee_rmtree(top);
}

enum gt_rc gt_hermetic_shell(const char *what, const char *cmd, const char *cwd,
			     char *const *envp, struct gt_error *err)
{
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	char why[64];
	int status = run(argv, cwd, envp);

	if (status == 0)
		return GT_OK;
	if (status < 0)
		snprintf(why, sizeof(why), "cannot start /bin/sh: %s", strerror(errno));
	else
		describe(why, sizeof(why), status);
	return gt_error_set(err, GT_ERR_CAPTURE, "%s command failed (%s): %s", what, why, cmd);
}

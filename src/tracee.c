/*
 * tracee: a reproducible start for the traced command.  See tracee.h.
 */
#include "config.h"

#include "tracee.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "interrupt.h"

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static bool is_exec_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *gt_tracee_resolve(const char *argv0, const char *path, const char *cwd,
			struct gt_error *err)
{
	const char *p, *end;

	if (!argv0 || !*argv0) {
		gt_error_set(err, GT_ERR_USAGE, "empty command");
		return NULL;
	}
	if (strchr(argv0, '/')) {
		/* The child runs it after its chdir: look where it will. */
		char *at = argv0[0] != '/' && cwd ? xasprintf("%s/%s", cwd, argv0)
						  : xstrdup(argv0);
		bool ok = is_exec_file(at), there = ok || access(at, F_OK) == 0;

		free(at);
		if (ok)
			return xstrdup(argv0);
		if (argv0[0] != '/' && cwd)
			gt_error_set(err, GT_ERR_CAPTURE, "%s: %s in %s", argv0,
				     there ? "not an executable file" : "no such file", cwd);
		else
			gt_error_set(err, GT_ERR_CAPTURE, "%s: %s", argv0,
				     there ? "not an executable file" : "no such file");
		return NULL;
	}
	if (!path)
		path = DEFAULT_PATH;
	for (p = path;; p = end + 1) {
		char *cand;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (end == p)
			cand = xasprintf("./%s", argv0);
		else
			cand = xasprintf("%.*s/%s", (int)(end - p), p, argv0);
		if (is_exec_file(cand))
			return cand;
		free(cand);
		if (!*end)
			break;
	}
	gt_error_set(err, GT_ERR_CAPTURE, "%s: command not found in PATH", argv0);
	return NULL;
}

/* The child side.  Only async-signal-safe calls from here to execve. */
struct child_report {
	int stage;
	int err;
};

enum { STAGE_STDIN = 1, STAGE_CWD, STAGE_HOOK, STAGE_EXEC };

static const char *const stage_names[] = {
	[STAGE_STDIN] = "cannot open stdin",
	[STAGE_CWD] = "cannot change directory",
	[STAGE_HOOK] = "cannot set up tracing",
	[STAGE_EXEC] = "cannot execute",
};

static __attribute__((noreturn)) void child_fail(int fd, int stage, int e)
{
	struct child_report r = {stage, e};
	ssize_t n = write(fd, &r, sizeof(r));

	(void)n;
	_exit(127);
}

static __attribute__((noreturn)) void child(const struct gt_tracee_start *s, int errfd)
{
	struct sigaction sa;
	sigset_t all;
	int fd;

	/* Own process group, so that a timeout can kill the whole tree. */
	setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);

	fd = open(s->stdin_path ? s->stdin_path : "/dev/null", O_RDONLY);
	if (fd < 0)
		child_fail(errfd, STAGE_STDIN, errno);
	if (fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (s->out_fd > 0) {
		dup2(s->out_fd, 1);
		dup2(s->out_fd, 2);
	} else if (s->stdout_to_stderr) {
		dup2(2, 1);
	}
	if (s->cwd && chdir(s->cwd) < 0)
		child_fail(errfd, STAGE_CWD, errno);
	if (s->umask >= 0)
		umask((mode_t)s->umask);
	/* Learned variation: another host name, where a UTS namespace can be
	 * had (root); elsewhere the run keeps the machine's. */
	if (s->hostname && unshare(CLONE_NEWUTS) == 0)
		sethostname(s->hostname, strlen(s->hostname));
	/* Inherited descriptors above 2 go at exec; the error pipe is among
	 * them, so a successful exec closes it and tells the parent. */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
		for (fd = 3; fd < 1024; fd++)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	if (s->before_exec) {
		int e = s->before_exec(s->ctx);

		if (e)
			child_fail(errfd, STAGE_HOOK, e);
	}
	execve(s->exe, s->argv, s->envp);
	child_fail(errfd, STAGE_EXEC, errno);
}

pid_t gt_tracee_spawn(const struct gt_tracee_start *s, int *errpipe_rd, struct gt_error *err)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0) {
		gt_error_set(err, GT_ERR_CAPTURE, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		gt_error_set(err, GT_ERR_CAPTURE, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(s, p[1]);
	}
	close(p[1]);
	/* Also from the parent, so that the group exists before we signal it. */
	setpgid(pid, pid);
	*errpipe_rd = p[0];
	return pid;
}

bool gt_tracee_child_error(int fd, const char *argv0, struct gt_error *err)
{
	struct child_report r;
	ssize_t n;

	/* Never block for good: a child still alive (stopped, or holding the
	 * pipe in its exit) has nothing to say that is worth a hang. */
	for (int tries = 0;; tries++) {
		struct pollfd pf = {fd, POLLIN, 0};
		int k = poll(&pf, 1, 1000);

		n = -1;
		if (k > 0) {
			n = read(fd, &r, sizeof(r));
			if (n < 0 && errno == EINTR && tries < 100)
				continue;
			break;
		}
		if (k < 0 && errno == EINTR && tries < 100)
			continue;
		break;
	}
	close(fd);
	if (n != (ssize_t)sizeof(r))
		return false;
	if (r.stage < 1 || r.stage >= (int)GT_ARRAY_SIZE(stage_names))
		r.stage = STAGE_EXEC;
	gt_error_set(err, GT_ERR_CAPTURE, "%s: %s: %s", argv0, stage_names[r.stage],
		     strerror(r.err));
	return true;
}

static int cmp_env(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t nx = strcspn(x, "="), ny = strcspn(y, "=");
	int c = strncmp(x, y, nx < ny ? nx : ny);

	return c ? c : (nx > ny) - (nx < ny);
}

/* Set NAME=VALUE in the vector, replacing an earlier entry of that name. */
static void env_put(char ***env, size_t *n, size_t *cap, const char *entry)
{
	size_t nl = strcspn(entry, "=");

	for (size_t i = 0; i < *n; i++) {
		if (strncmp((*env)[i], entry, nl) == 0 && (*env)[i][nl] == '=') {
			free((*env)[i]);
			(*env)[i] = xstrdup(entry);
			return;
		}
	}
	xgrow((void **)env, cap, *n + 2, sizeof(**env));
	(*env)[(*n)++] = xstrdup(entry);
	(*env)[*n] = NULL;
}

char **gt_tracee_env(const char *tmpdir, const char *const *keep, const char *const *set,
		     unsigned seed)
{
	char **env = NULL;
	size_t n = 0, cap = 0;
	const char *v;
	char *e;

	v = getenv("PATH");
	e = xasprintf("PATH=%s", v && *v ? v : DEFAULT_PATH);
	env_put(&env, &n, &cap, e);
	free(e);
	v = getenv("HOME");
	if (v) {
		e = xasprintf("HOME=%s", v);
		env_put(&env, &n, &cap, e);
		free(e);
	}
	env_put(&env, &n, &cap, "LC_ALL=C");
	if (tmpdir) {
		e = xasprintf("TMPDIR=%s", tmpdir);
		env_put(&env, &n, &cap, e);
		free(e);
	}
	for (size_t i = 0; keep && keep[i]; i++) {
		v = getenv(keep[i]);
		if (!v)
			continue;
		e = xasprintf("%s=%s", keep[i], v);
		env_put(&env, &n, &cap, e);
		free(e);
	}
	for (size_t i = 0; set && set[i]; i++)
		env_put(&env, &n, &cap, set[i]);
	qsort(env, n, sizeof(*env), cmp_env);
	if (seed) {
		/* Fisher-Yates with a small LCG: reproducible for a seed. */
		unsigned x = seed;

		for (size_t i = n; i > 1; i--) {
			size_t j;
			char *t;

			x = x * 1103515245u + 12345u;
			j = (x >> 8) % i;
			t = env[i - 1];
			env[i - 1] = env[j];
			env[j] = t;
		}
	}
	return env;
}

void gt_tracee_env_free(char **env)
{
	if (!env)
		return;
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

char *gt_tracee_mktmp(unsigned vary, struct gt_error *err)
{
	const char *base = getenv("TMPDIR");
	char *tmpl, *real;
	sigset_t mask;
	bool made;
	int e;

	if (!base || !*base)
		base = "/tmp";
	if (vary > 32)
		vary = 32;
	tmpl = xasprintf("%s/gtdiff-run%.*s.XXXXXX", base, (int)vary,
			 "-varied-length-of-the-temp-name-");
	/* Registered as it is made: a second signal removes it (interrupt.h). */
	gt_interrupt_block(&mask);
	made = mkdtemp(tmpl) != NULL;
	e = errno;
	if (made)
		gt_interrupt_temp_add(tmpl);
	gt_interrupt_unblock(&mask);
	if (!made) {
		gt_error_set(err, GT_ERR_IO, "%s: cannot create a temporary directory: %s", base,
			     strerror(e));
		free(tmpl);
		return NULL;
	}
	real = realpath(tmpl, NULL);
	if (!real)
		return tmpl;
	/* gt_tracee_rmtree forgets it by the name it is given. */
	if (strcmp(real, tmpl) != 0) {
		gt_interrupt_block(&mask);
		gt_interrupt_temp_add(real);
		gt_interrupt_temp_forget(tmpl);
		gt_interrupt_unblock(&mask);
	}
	free(tmpl);
	return real;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void gt_tracee_rmtree(const char *dir)
{
	if (!dir)
		return;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	gt_interrupt_temp_forget(dir);
}

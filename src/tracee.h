/*
 * tracee: starting the traced command reproducibly (SPEC section 4): PATH
 * lookup done by gtdiff, a reduced environment, stdin from /dev/null,
 * descriptors above 2 closed, its own process group, default signal
 * dispositions.  Shared by every capture backend.
 */
#ifndef GT_TRACEE_H
#define GT_TRACEE_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

/* Find ARGV0 the way execvp would (a name with '/' is taken as is) in PATH
 * (NULL: the default path).  A relative name with '/' ("./bin/tool") is
 * looked for in CWD, where the command will run (NULL: ours), and returned
 * as it is.  Returns an allocated path or NULL with ERR set ("CMD: command
 * not found", "CMD: not executable"). */
char *gt_tracee_resolve(const char *argv0, const char *path, const char *cwd,
			struct gt_error *err);

/* What the child does before exec; the backend adds its own hook. */
struct gt_tracee_start {
	const char *exe;        /* resolved path */
	char *const *argv;
	char *const *envp;
	const char *cwd;        /* NULL: unchanged */
	const char *stdin_path; /* NULL: /dev/null */
	bool stdout_to_stderr;  /* fd 1 becomes a copy of fd 2 */
	int out_fd;             /* > 0: fds 1 and 2 become copies of it */
	int umask;              /* >= 0: the child's umask; < 0: inherited */
	/* Non-NULL: the child gets a UTS namespace of its own with this host
	 * name, where it may (root); else the machine's. */
	const char *hostname;
	/* Called in the child after the setup and right before execve; a
	 * non-zero return aborts with that errno.  May be NULL. */
	int (*before_exec)(void *ctx);
	void *ctx;
};

/* Fork the child: it sets itself up and execs.  Failures in the child
 * (chdir, stdin, before_exec, execve) are reported back through a
 * close-on-exec pipe; read them with gt_tracee_child_error.  Returns the
 * pid, or -1 with ERR set. */
pid_t gt_tracee_spawn(const struct gt_tracee_start *s, int *errpipe_rd, struct gt_error *err);

/* After the child has exec'd or died: if it reported a setup failure on
 * ERRPIPE_RD, fill ERR and return true.  Closes the pipe. */
bool gt_tracee_child_error(int errpipe_rd, const char *argv0, struct gt_error *err);

/* Build the tracee's environment: PATH (ours, or a default), HOME (ours),
 * LC_ALL=C, TMPDIR=TMPDIR, the names in KEEP copied from ours when set,
 * then each "NAME=VALUE" of SET (overriding).  Sorted by name; SHUFFLE_SEED
 * non-zero shuffles the order instead (learned variation: order must not
 * matter).  Returns a NULL-terminated allocated vector; free with
 * gt_tracee_env_free. */
char **gt_tracee_env(const char *tmpdir, const char *const *keep, const char *const *set,
		     unsigned shuffle_seed);
void gt_tracee_env_free(char **env);

/* A fresh private temporary directory for one run, under $TMPDIR or /tmp.
 * VARY > 0 makes its name VARY characters longer (learned variation: a
 * field that depends on the length of $TMP must vary between runs).
 * Returns an allocated real path, or NULL with ERR set. */
char *gt_tracee_mktmp(unsigned vary, struct gt_error *err);
/* Remove DIR and everything in it (best effort; a tracee may leave files). */
void gt_tracee_rmtree(const char *dir);

#endif

/*
 * parallel: recordings in worker processes, results taken in order.  See
 * parallel.h.
 *
 * A job's files in the private directory D: D/I.out and D/I.err (the
 * worker's stdout and stderr), D/I.json (its trace) or D/I.msg (its error:
 * the gt_rc number, a space, the message).  A worker that exits 0 wrote
 * one of the two or had nothing to record.
 */
#include "config.h"

#include "parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interrupt.h"
#include "syscalls.h"
#include "trace-json.h"
#include "tracee.h"

struct job {
	pid_t pid;        /* running: > 0 */
	bool done;
	int status;       /* its wait status */
	uint64_t t0, t1;
};

struct gt_parallel {
	char *dir;
	size_t n;
	struct job *jobs;
};

static char *job_path(const struct gt_parallel *p, size_t i, const char *ext)
{
	return xasprintf("%s/%zu.%s", p->dir, i, ext);
}

/* Point FD at a new file PATH. */
static bool redirect(int fd, const char *path)
{
	int f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	bool ok;

	if (f < 0)
		return false;
	ok = dup2(f, fd) == fd;
	close(f);
	return ok;
}

/* The worker: job I, then _exit (no atexit handlers, no stdio buffers of
 * gtdiff's flushed twice). */
static void __attribute__((noreturn)) worker(const struct gt_parallel *p, size_t i,
					     pid_t parent, gt_parallel_fn fn, void *ctx,
					     const sigset_t *mask)
{
	char *out = job_path(p, i, "out"), *errp = job_path(p, i, "err");
	struct gt_trace *t = NULL;
	struct gt_error err = {0};
	enum gt_rc rc;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != parent || !redirect(STDOUT_FILENO, out) ||
	    !redirect(STDERR_FILENO, errp))
		_exit(3);
	gt_interrupt_unblock(mask);
	rc = fn(i, ctx, &t, &err);
	if (rc == GT_OK && t) {
		char *path = job_path(p, i, "json");

		rc = gt_trace_save(t, path, &err);
		free(path);
	}
	if (rc != GT_OK) {
		struct gt_buf b = {0};
		char *path = job_path(p, i, "msg");
		struct gt_error werr = {0};

		gt_buf_printf(&b, "%d %s", (int)rc, err.msg);
		if (gt_write_file_atomic(path, b.s, b.len, &werr) != GT_OK)
			_exit(4);
	}
	fflush(stdout);
	fflush(stderr);
	_exit(gt_interrupted ? 128 + gt_interrupted : 0);
}

/* Pass the first signal on to every running worker, once. */
static void pass_signal(struct gt_parallel *p, bool *passed)
{
	if (!gt_interrupted || *passed)
		return;
	*passed = true;
	for (size_t i = 0; i < p->n; i++)
		if (p->jobs[i].pid > 0 && !p->jobs[i].done)
			kill(p->jobs[i].pid, gt_interrupted);
}

/* Wait for one worker; false when none is left. */
static bool reap_one(struct gt_parallel *p, bool *passed)
{
	int st;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR) {
			pass_signal(p, passed);
			continue;
		}
		if (pid < 0)
			return false;
		for (size_t i = 0; i < p->n; i++) {
			if (p->jobs[i].pid == pid && !p->jobs[i].done) {
				p->jobs[i].done = true;
				p->jobs[i].status = st;
				p->jobs[i].t1 = gt_now_ns();
				return true;
			}
		}
	}
}

struct gt_parallel *gt_parallel_run(size_t n, unsigned jobs, gt_parallel_fn fn, void *ctx,
				    struct gt_error *err)
{
	struct gt_parallel *p;
	size_t next = 0, running = 0;
	bool passed = false;
	pid_t self = getpid();

	char *dir = gt_tracee_mktmp(0, err);

	if (!dir)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->dir = dir;
	p->n = n;
	p->jobs = xcalloc(n + 1, sizeof(*p->jobs));
	while (next < n || running > 0) {
		while (next < n && running < jobs && !gt_interrupted) {
			sigset_t mask;
			pid_t pid;

			fflush(stdout);
			fflush(stderr);
			/* No signal between the fork and the note of its pid. */
			gt_interrupt_block(&mask);
			pid = fork();
			if (pid == 0)
				worker(p, next, self, fn, ctx, &mask);
			if (pid > 0) {
				p->jobs[next].pid = pid;
				p->jobs[next].t0 = gt_now_ns();
				running++;
			}
			gt_interrupt_unblock(&mask);
			/* A fork that failed leaves the job to the caller. */
			next++;
		}
		pass_signal(p, &passed);
		if (gt_interrupted)
			next = n;
		if (running == 0 || !reap_one(p, &passed))
			break;
		running--;
	}
	return p;
}

/* Copy the file PATH to FD (what a worker printed). */
static void replay(const char *path, FILE *to)
{
	char buf[8192];
	FILE *f = fopen(path, "re");
	size_t k;

	if (!f)
		return;
	fflush(to);
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		if (fwrite(buf, 1, k, to) != k)
			break;
	fflush(to);
	fclose(f);
}

/* Read job I's error file into ERR; false when there is none. */
static bool read_msg(const struct gt_parallel *p, size_t i, struct gt_error *err)
{
	char *path = job_path(p, i, "msg"), *data = NULL, *sp;
	size_t len;
	struct gt_error e = {0};
	bool ok = gt_read_file(path, &data, &len, &e) == GT_OK && (sp = strchr(data, ' '));

	if (ok)
		gt_error_set(err, (enum gt_rc)atoi(data), "%s", sp + 1);
	free(data);
	free(path);
	return ok;
}

enum gt_parallel_outcome gt_parallel_take(struct gt_parallel *p, size_t i,
					  struct gt_trace **out, double *seconds,
					  struct gt_error *err)
{
	const struct job *j = &p->jobs[i];
	char *path;
	enum gt_parallel_outcome o = GT_PAR_NONE;

	*out = NULL;
	*seconds = j->done ? (double)(j->t1 - j->t0) / 1e9 : 0;
	path = job_path(p, i, "out");
	replay(path, stdout);
	free(path);
	path = job_path(p, i, "err");
	replay(path, stderr);
	free(path);
	if (!j->done) {
		gt_error_set(err, GT_ERR_IO, "job %zu did not run", i);
		return GT_PAR_NONE;
	}
	if (!WIFEXITED(j->status) || WEXITSTATUS(j->status) != 0) {
		if (WIFSIGNALED(j->status))
			gt_error_set(err, GT_ERR_IO, "its worker was killed by %s",
				     gt_signal_name(WTERMSIG(j->status)));
		else
			gt_error_set(err, GT_ERR_IO, "its worker exited %d",
				     WEXITSTATUS(j->status));
		return GT_PAR_NONE;
	}
	path = job_path(p, i, "json");
	if (access(path, F_OK) == 0) {
		if (gt_trace_load(path, out, err) == GT_OK)
			o = GT_PAR_TRACE;
	} else if (read_msg(p, i, err)) {
		o = GT_PAR_ERROR;
	}
	free(path);
	return o;
}

void gt_parallel_free(struct gt_parallel *p)
{
	if (!p)
		return;
	gt_tracee_rmtree(p->dir);
	free(p->dir);
	free(p->jobs);
	free(p);
}

/*
 * capture: the backend-neutral side of capture: building the raw record and
 * dispatching to a backend.  The backends live in capture-<name>.c and the
 * tracee's reproducible start (environment, descriptors, exec) in tracee.c.
 */
#include "config.h"

#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

#include "capture-backend.h"

static const char *const backend_names[] = {
	[GT_BACKEND_PTRACE] = "ptrace",
	[GT_BACKEND_SECCOMP] = "seccomp",
	[GT_BACKEND_AUTO] = "auto",
};

const char *gt_backend_name(enum gt_backend b)
{
	if ((size_t)b < GT_ARRAY_SIZE(backend_names))
		return backend_names[b];
	return "?";
}

int gt_backend_parse(const char *name)
{
	for (size_t i = 0; i < GT_ARRAY_SIZE(backend_names); i++)
		if (strcmp(name, backend_names[i]) == 0)
			return (int)i;
	return -1;
}

struct gt_capture *gt_capture_new(enum gt_backend b)
{
	struct gt_capture *c = xcalloc(1, sizeof(*c));

	c->backend = b;
	/* Offset 0 of the blob means "nothing fetched". */
	gt_capture_blob_add(c, "", 1);
	c->info.exit_code = -1;
	c->info.returns_known = true;
	c->info.cpu_stall_s = -1;
	(void)gt_capture_foldable(0);  /* its table, before any thread asks */
	return c;
}

void gt_capture_free(struct gt_capture *c)
{
	if (!c)
		return;
	free(c->tasks);
	free(c->events);
	free(c->blob);
	free(c->listed);
	free(c);
}

uint32_t gt_capture_add_task(struct gt_capture *c, pid_t tid, pid_t tgid, int32_t parent,
			     uint32_t clone_flags)
{
	struct gt_task *t;
	uint32_t seq = 0;

	if (parent >= 0)
		for (size_t i = 0; i < c->ntasks; i++)
			if (c->tasks[i].parent == parent)
				seq++;
	xgrow((void **)&c->tasks, &c->tasks_cap, c->ntasks + 1, sizeof(*c->tasks));
	t = &c->tasks[c->ntasks];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->tgid = tgid;
	t->parent = parent;
	t->seq = seq;
	t->clone_flags = clone_flags;
	t->exit_code = -1;
	return (uint32_t)c->ntasks++;
}

struct gt_raw_event *gt_capture_add_event(struct gt_capture *c)
{
	struct gt_raw_event *e;

	xgrow((void **)&c->events, &c->events_cap, c->nevents + 1, sizeof(*c->events));
	e = &c->events[c->nevents++];
	memset(e, 0, sizeof(*e));
	e->argi[0] = e->argi[1] = 0xff;
	return e;
}

uint32_t gt_capture_blob_add(struct gt_capture *c, const void *p, size_t n)
{
	uint32_t off = (uint32_t)c->bloblen;

	xgrow((void **)&c->blob, &c->blob_cap, c->bloblen + n, 1);
	memcpy(c->blob + c->bloblen, p, n);
	c->bloblen += n;
	return off;
}

const char *gt_capture_mem(const struct gt_capture *c, const struct gt_raw_event *ev, int argi)
{
	for (int i = 0; i < 2; i++)
		if (ev->argi[i] == argi && ev->mem[i] != 0 && ev->mem[i] < c->bloblen)
			return c->blob + ev->mem[i];
	return NULL;
}

enum gt_rc gt_capture_run(const struct gt_capture_opts *opts, struct gt_capture **out,
			  struct gt_error *err)
{
	struct gt_capture *c;
	enum gt_rc rc;

	*out = NULL;
	if (!opts->argv || !opts->argv[0])
		return gt_error_set(err, GT_ERR_USAGE, "no command to run");
	switch (opts->backend) {
	case GT_BACKEND_PTRACE:
	case GT_BACKEND_SECCOMP:
	case GT_BACKEND_AUTO: /* ptrace, with an entry-only tier (capture-ptrace.c) */
		break;
	default:
		return gt_error_set(err, GT_ERR_USAGE, "unknown backend %d", (int)opts->backend);
	}
	c = gt_capture_new(opts->backend);
	if (opts->backend == GT_BACKEND_SECCOMP)
		rc = gt_capture_seccomp_run(opts, c, err);
	else
		rc = gt_capture_ptrace_run(opts, c, err);
	if (rc == GT_OK || rc == GT_ERR_TIMEOUT)
		*out = c;
	else
		gt_capture_free(c);
	return rc;
}

const struct gt_raw_event *gt_capture_own_ptrace_refused(const struct gt_capture *c)
{
	int nr = gt_syscall_nr("ptrace");

	if (nr < 0 || c->backend == GT_BACKEND_SECCOMP)
		return NULL;
	for (size_t i = 0; i < c->nevents; i++) {
		const struct gt_raw_event *ev = &c->events[i];
		bool own = false;

		if (ev->nr != nr || (ev->flags & (GT_EV_RET_UNKNOWN | GT_EV_NO_RETURN)) ||
		    ev->ret != -EPERM)
			continue;
		if (ev->args[0] == PTRACE_TRACEME) {
			own = true;
		} else if (ev->args[0] == PTRACE_ATTACH || ev->args[0] == PTRACE_SEIZE) {
			for (size_t j = 0; j < c->ntasks && !own; j++)
				own = c->tasks[j].tid == (pid_t)ev->args[1];
		}
		if (own)
			return ev;
	}
	return NULL;
}

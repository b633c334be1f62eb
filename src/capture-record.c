/*
 * capture-record: the raw record (capture.h) as the backends build it:
 * tasks, events, the blob of fetched memory, and what a finished record
 * says about the command's own ptrace.  Knows no backend; the fold of
 * repeats is capture-fold.c's.
 */
#include "config.h"

#include "capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>

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
	gt_stacks_free(c->stacks);
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

const struct gt_raw_event *gt_capture_own_ptrace_refused(const struct gt_capture *c)
{
	int nr = gt_syscall_nr("ptrace");

	if (nr < 0 || c->backend == GT_BACKEND_SECCOMP || c->backend == GT_BACKEND_EBPF)
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

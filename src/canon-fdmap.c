/*
 * canon-fdmap: the canonicalizer's logical fd tables (gt_fdmap_*, canon.h).
 * A real fd gets the lowest free logical number, so that a trace shows the
 * same number wherever the kernel put the fd; the table follows
 * close-on-exec, so that an exec drops what the kernel drops.
 *
 * Threads: once a process has started a thread (gt_fdmap_thread), which
 * real fd the kernel gives whom depends on which thread opened first, and
 * a tracer may see one thread's open complete before another's close of
 * the same number.  So each task then numbers the fds it makes among its
 * own and those the process had before (the common ones): lowest free in
 * that set, whatever the other threads hold.  A task looks a real fd up in
 * its own, then the common ones, then the other tasks' (an fd handed
 * over).  An exec or a fork makes one table of them again.
 */
#include "config.h"

#include "canon.h"

#include <stdlib.h>
#include <string.h>

#include "canon-internal.h"

/* ---- fd tables ---- */

struct fd_slot {
	int real;     /* the real fd, -1 when this logical number is free */
	bool cloexec;
};

/* An fd a task made after its process started threads. */
struct fd_own {
	int real, logical;
	uint32_t task;
	bool cloexec;
};

/* Slots are indexed by logical number: logical numbers are dense (lowest
 * free first), so the array stays as small as the number of open fds. */
struct gt_fdmap {
	struct fd_slot *slot;
	size_t n, cap;  /* slots in use (highest logical + 1), allocated */
	size_t hint;    /* every logical number in [3, hint) is taken */
	bool threaded;  /* new fds go to the acting task's own set */
	uint32_t task;  /* the acting task (gt_fdmap_act) */
	struct fd_own *own;
	size_t nown, own_cap;
};

static void fdmap_set(struct gt_fdmap *m, size_t logical, int real, bool cloexec)
{
	if (logical >= m->n) {
		xgrow((void **)&m->slot, &m->cap, logical + 1, sizeof(*m->slot));
		for (size_t i = m->n; i <= logical; i++)
			m->slot[i] = (struct fd_slot){ -1, false };
		m->n = logical + 1;
	}
	m->slot[logical] = (struct fd_slot){ real, cloexec };
}

static void fdmap_free_slot(struct gt_fdmap *m, size_t logical)
{
	m->slot[logical] = (struct fd_slot){ -1, false };
	if (logical >= 3 && logical < m->hint)
		m->hint = logical;
	while (m->n > 0 && m->slot[m->n - 1].real < 0)
		m->n--;
}

struct gt_fdmap *gt_fdmap_new(void)
{
	struct gt_fdmap *m = xcalloc(1, sizeof(*m));

	/* Every process starts with stdin, stdout and stderr open: capture
	 * gives the tracee exactly those. */
	for (int fd = 0; fd < 3; fd++)
		fdmap_set(m, (size_t)fd, fd, false);
	m->hint = 3;
	return m;
}

void gt_fdmap_free(struct gt_fdmap *m)
{
	if (!m)
		return;
	free(m->slot);
	free(m->own);
	free(m);
}

static bool common_free(const struct gt_fdmap *m, size_t l)
{
	return l >= m->n || m->slot[l].real < 0;
}

/* One table again (exec, fork): the tasks' own fds join the common ones,
 * the acting task's first, each keeping its number where that is free in
 * the common set, else the lowest free. */
static void fdmap_unthread(struct gt_fdmap *m)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < m->nown; i++) {
			struct fd_own *o = &m->own[i];
			size_t l = (size_t)o->logical;

			if (o->real < 0 || (pass == 0) != (o->task == m->task))
				continue;
			if (!common_free(m, l) || l < 3)
				for (l = m->hint; !common_free(m, l); l++)
					;
			fdmap_set(m, l, o->real, o->cloexec);
			o->real = -1;
		}
	}
	m->nown = 0;
	m->threaded = false;
}

struct gt_fdmap *gt_fdmap_clone(const struct gt_fdmap *m)
{
	struct gt_fdmap *c = xcalloc(1, sizeof(*c));

	*c = *m;
	c->slot = NULL;
	c->cap = 0;
	c->own = NULL;
	c->own_cap = 0;
	if (m->n) {
		xgrow((void **)&c->slot, &c->cap, m->n, sizeof(*c->slot));
		memcpy(c->slot, m->slot, m->n * sizeof(*c->slot));
	}
	if (m->nown) {
		xgrow((void **)&c->own, &c->own_cap, m->nown, sizeof(*c->own));
		memcpy(c->own, m->own, m->nown * sizeof(*c->own));
	}
	/* The copy belongs to a new process, or to a task that left the
	 * shared table: one table. */
	fdmap_unthread(c);
	return c;
}

void gt_fdmap_act(struct gt_fdmap *m, uint32_t task)
{
	m->task = task;
}

void gt_fdmap_thread(struct gt_fdmap *m)
{
	m->threaded = true;
}

/* Where REAL is, for the acting task: its own fd (*OWN its index), a
 * common one (*OWN = SIZE_MAX, returns the logical number), another
 * task's (*OWN its index); -1 if none. */
static int fdmap_find(const struct gt_fdmap *m, int real, size_t *own)
{
	*own = SIZE_MAX;
	if (real < 0)
		return -1;
	for (size_t i = m->nown; i-- > 0;)
		if (m->own[i].real == real && m->own[i].task == m->task) {
			*own = i;
			return m->own[i].logical;
		}
	for (size_t i = 0; i < m->n; i++)
		if (m->slot[i].real == real)
			return (int)i;
	/* The latest first: two tasks holding one real fd is a close
	 * missed, and the later open is the live one. */
	for (size_t i = m->nown; i-- > 0;)
		if (m->own[i].real == real) {
			*own = i;
			return m->own[i].logical;
		}
	return -1;
}

static void own_remove(struct gt_fdmap *m, size_t i)
{
	memmove(m->own + i, m->own + i + 1, (m->nown - i - 1) * sizeof(*m->own));
	m->nown--;
}

int gt_fdmap_get(const struct gt_fdmap *m, int real)
{
	size_t own;

	return fdmap_find(m, real, &own);
}

void gt_fdmap_close(struct gt_fdmap *m, int real)
{
	size_t own;
	int l = fdmap_find(m, real, &own);

	if (l < 0)
		return;
	if (own != SIZE_MAX)
		own_remove(m, own);
	else
		fdmap_free_slot(m, (size_t)l);
}

/* A threaded table: REAL is new in the acting task's own set. */
static int alloc_own(struct gt_fdmap *m, int real, bool cloexec)
{
	int l = 3;

	/* Only the acting task's stale mapping goes: another task's may be
	 * one whose close the tracer reports after this open. */
	for (size_t i = m->nown; i-- > 0;)
		if (m->own[i].real == real && m->own[i].task == m->task)
			own_remove(m, i);
	for (bool again = true; again;) {
		again = !common_free(m, (size_t)l);
		for (size_t i = 0; i < m->nown && !again; i++)
			again = m->own[i].task == m->task && m->own[i].logical == l;
		l += again;
	}
	xgrow((void **)&m->own, &m->own_cap, m->nown + 1, sizeof(*m->own));
	m->own[m->nown++] = (struct fd_own){ real, l, m->task, cloexec };
	return l;
}

int gt_fdmap_alloc(struct gt_fdmap *m, int real, bool cloexec)
{
	size_t l;

	if (real < 0)
		return -1;
	if (m->threaded && real >= 3)
		return alloc_own(m, real, cloexec);
	/* The kernel hands out a real fd only when it is free, so an old
	 * mapping of it is one whose close we did not see. */
	gt_fdmap_close(m, real);
	if (real < 3) {
		l = (size_t)real;
	} else {
		for (l = m->hint; l < m->n && m->slot[l].real >= 0; l++)
			;
		m->hint = l + 1;
	}
	fdmap_set(m, l, real, cloexec);
	return (int)l;
}

void gt_fdmap_set_cloexec(struct gt_fdmap *m, int real, bool cloexec)
{
	size_t own;
	int l = fdmap_find(m, real, &own);

	if (l >= 0 && own != SIZE_MAX)
		m->own[own].cloexec = cloexec;
	else if (l >= 0)
		m->slot[l].cloexec = cloexec;
}

void gt_fdmap_exec(struct gt_fdmap *m)
{
	for (size_t i = m->n; i-- > 0;)
		if (m->slot[i].real >= 0 && m->slot[i].cloexec)
			fdmap_free_slot(m, i);
	for (size_t i = m->nown; i-- > 0;)
		if (m->own[i].cloexec)
			own_remove(m, i);
	/* The exec'ing thread is the only one left. */
	fdmap_unthread(m);
}

/* close_range(LO, HI, ...): close, or mark close-on-exec, every real fd in
 * [LO, HI]. */
void canon_fdmap_range(struct gt_fdmap *m, unsigned int lo, unsigned int hi, bool cloexec)
{
	for (size_t i = m->n; i-- > 0;) {
		int r = m->slot[i].real;

		if (r < 0 || (unsigned int)r < lo || (unsigned int)r > hi)
			continue;
		if (cloexec)
			m->slot[i].cloexec = true;
		else
			fdmap_free_slot(m, i);
	}
	for (size_t i = m->nown; i-- > 0;) {
		int r = m->own[i].real;

		if ((unsigned int)r < lo || (unsigned int)r > hi)
			continue;
		if (cloexec)
			m->own[i].cloexec = true;
		else
			own_remove(m, i);
	}
}

/*
 * canon-fdmap: the canonicalizer's logical fd tables (gt_fdmap_*, canon.h).
 * A real fd gets the lowest free logical number, so that a trace shows the
 * same number wherever the kernel put the fd; the table follows
 * close-on-exec, so that an exec drops what the kernel drops.
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

/* Slots are indexed by logical number: logical numbers are dense (lowest
 * free first), so the array stays as small as the number of open fds. */
struct gt_fdmap {
	struct fd_slot *slot;
	size_t n, cap;  /* slots in use (highest logical + 1), allocated */
	size_t hint;    /* every logical number in [3, hint) is taken */
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
	free(m);
}

struct gt_fdmap *gt_fdmap_clone(const struct gt_fdmap *m)
{
	struct gt_fdmap *c = xcalloc(1, sizeof(*c));

	*c = *m;
	c->slot = NULL;
	c->cap = 0;
	if (m->n) {
		xgrow((void **)&c->slot, &c->cap, m->n, sizeof(*c->slot));
		memcpy(c->slot, m->slot, m->n * sizeof(*c->slot));
	}
	return c;
}

int gt_fdmap_get(const struct gt_fdmap *m, int real)
{
	if (real < 0)
		return -1;
	for (size_t i = 0; i < m->n; i++)
		if (m->slot[i].real == real)
			return (int)i;
	return -1;
}

void gt_fdmap_close(struct gt_fdmap *m, int real)
{
	int l = gt_fdmap_get(m, real);

	if (l >= 0)
		fdmap_free_slot(m, (size_t)l);
}

int gt_fdmap_alloc(struct gt_fdmap *m, int real, bool cloexec)
{
	size_t l;

	if (real < 0)
		return -1;
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
	int l = gt_fdmap_get(m, real);

	if (l >= 0)
		m->slot[l].cloexec = cloexec;
}

void gt_fdmap_exec(struct gt_fdmap *m)
{
	for (size_t i = m->n; i-- > 0;)
		if (m->slot[i].real >= 0 && m->slot[i].cloexec)
			fdmap_free_slot(m, i);
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
}

/*
 * canon-threads: the thread-pool rule.  Once a process has started a
 * thread, which of its threads does which piece of work, and how their
 * calls interleave, is scheduling: sort's writes of its output go to
 * whichever thread gets there, and the first write's fstat of stdout with
 * them.  What the threads did together is the behaviour.
 *
 * So a process with more than one thread keeps, in its leader, the
 * sequence up to and including its first thread creation, followed by
 * every later call of all its threads (up to the leader's exec, after which
 * the leader's calls keep their order) as one pool: sorted by identity,
 * so that repeats collapse across threads (byte counts add up).  The
 * other threads stay, empty, so that how many there were still shows (and
 * their calls are in the statistics as ever).  A thread's way out is left
 * out: a thread that has done its work may be killed by the process's
 * exit_group before it gets there.  That is its exit call and, at its
 * very end, the C library's teardown before it (glibc blocks every signal
 * with rt_sigprocmask(SIG_BLOCK, ..., NULL) and gives its stack back with
 * madvise): python3's worker, joined, made its SIG_BLOCK in some runs and
 * not in others at the eBPF backend's native speed.  A call of the
 * thread's own work, even its last, stays.
 */
#include "config.h"

#include "canon.h"

#include <stdlib.h>
#include <string.h>

/* Does E create a thread of its process (CLONE_THREAD; its return may be
 * unknown)? */
static bool makes_thread(const struct gt_event *e)
{
	if (strcmp(e->call, "clone") != 0 && strcmp(e->call, "clone3") != 0)
		return false;
	if (e->ret[0] == '-')
		return false;
	for (size_t i = 0; i < e->nargs; i++)
		if (strstr(e->args[i], "CLONE_THREAD"))
			return true;
	return false;
}

/* Does a thread other than the leader exec (the process becomes another
 * program: its calls before and after are not one pool)? */
static bool thread_execs(const struct gt_process *p, const struct gt_thread *lead)
{
	for (size_t i = 0; i < p->nthreads; i++)
		for (size_t k = 0; &p->threads[i] != lead && k < p->threads[i].nevents; k++)
			if (strncmp(p->threads[i].events[k].call, "execve", 6) == 0)
				return true;
	return false;
}

/* Is E a call of a thread's way out (above)? */
static bool teardown(const struct gt_event *e)
{
	if (strcmp(e->call, "exit") == 0 || strcmp(e->call, "madvise") == 0)
		return true;
	return strcmp(e->call, "rt_sigprocmask") == 0 && e->nargs >= 3 &&
	       strcmp(e->args[0], "SIG_BLOCK") == 0 && strcmp(e->args[2], "NULL") == 0;
}

/* How many of thread T's events are its work: all but its way out. */
static size_t work_of(const struct gt_thread *t)
{
	size_t n = t->nevents;

	while (n > 0 && teardown(&t->events[n - 1]))
		n--;
	return n;
}

struct item {
	char *key;                    /* the event's identity text */
	const struct gt_event *e;
	size_t seq;                   /* for a stable sort */
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r ? r : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static void add_item(struct item *it, size_t *n, const struct gt_event *e)
{
	struct gt_event shadow;
	struct gt_buf b = {0};

	gt_event_format(&b, gt_event_identity(e, &shadow), false);
	it[*n].key = b.s ? gt_buf_steal(&b) : xstrdup("");
	it[*n].e = e;
	it[*n].seq = *n;
	(*n)++;
}

void gt_canon_pool_threads(struct gt_process *p)
{
	struct gt_thread *lead = NULL;
	struct item *pool;
	struct gt_event *out;
	size_t first = 0, end, npool = 0, total = 0, n = 0;

	if (p->nthreads < 2)
		return;
	for (size_t i = 0; i < p->nthreads; i++)
		if (strcmp(p->threads[i].id, p->id) == 0)
			lead = &p->threads[i];
	if (!lead || thread_execs(p, lead))
		return;
	while (first < lead->nevents && !makes_thread(&lead->events[first]))
		first++;
	if (first == lead->nevents)
		return;   /* its threads came from elsewhere (exec from a thread) */
	first++;
	/* The pool ends where the leader execs: the program after it is
	 * another, and its calls keep their order. */
	end = first;
	while (end < lead->nevents && !(strncmp(lead->events[end].call, "execve", 6) == 0 &&
					lead->events[end].ret[0] != '-'))
		end++;
	for (size_t i = 0; i < p->nthreads; i++)
		total += p->threads[i].nevents;
	pool = xcalloc(total + 1, sizeof(*pool));
	for (size_t k = first; k < end; k++)
		add_item(pool, &npool, &lead->events[k]);
	for (size_t i = 0; i < p->nthreads; i++) {
		size_t work;

		if (&p->threads[i] == lead)
			continue;
		/* Its way out (its exit among them): whether it gets there
		 * before the process's exit_group kills it is timing. */
		work = work_of(&p->threads[i]);
		for (size_t k = 0; k < work; k++)
			add_item(pool, &npool, &p->threads[i].events[k]);
	}
	qsort(pool, npool, sizeof(*pool), cmp_item);
	out = xcalloc(first + npool + (lead->nevents - end) + 1, sizeof(*out));
	memcpy(out, lead->events, first * sizeof(*out));
	for (size_t k = 0; k < npool; k++) {
		out[first + k] = *pool[k].e;
		free(pool[k].key);
	}
	memcpy(out + first + npool, lead->events + end, (lead->nevents - end) * sizeof(*out));
	n = first + npool + (lead->nevents - end);
	free(pool);
	for (size_t i = 0; i < p->nthreads; i++)
		if (&p->threads[i] != lead)
			p->threads[i].nevents = 0;
	free(lead->events);
	lead->events = out;
	lead->nevents = n;
	lead->cap = n + 1;
}

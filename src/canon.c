/*
 * canon: the canonicalizer's build pass (SPEC section 5).  gt_canon_build
 * turns a raw capture, full of numbers that change from run to run (pids,
 * fds, addresses, directories, random temp names), into a canonical trace
 * that stays the same for the same behaviour.  It gives tasks their logical
 * ids, threads the state the rules need (fd tables, temp names, memory
 * regions) through one pass over the capture's events, drops what is not
 * behaviour (loader probes, allocator trims), counts the statistics and
 * collapses repeats.
 *
 * The rules live in canon-fdmap.c, canon-path.c, canon-render.c and
 * canon-memory.c (the allocator's and the loader's memory calls), the
 * merging of recording runs in canon-merge.c; canon-internal.h is what
 * they share.
 */
#include "config.h"

#include "canon.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "canon-internal.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
/* Raw returns in -4095..-1 are -errno (the kernel's MAX_ERRNO). */
#define MAX_ERRNO 4095

const char *const gt_canon_default_unordered[] = {
	"futex",       /* lock contention: how often depends on scheduling */
	"sched_yield", /* spin loops: likewise */
	/* Where an asynchronous signal (a shell's SIGCHLD) lands, and so where
	 * its handler returns or an interrupted sleep restarts, is timing. */
	"rt_sigreturn",
	"restart_syscall",
	/* glibc's mkstemp asks for more entropy when the bytes it got make a
	 * name that exists: how often is random. */
	"getrandom",
};
const size_t gt_canon_default_nunordered = GT_ARRAY_SIZE(gt_canon_default_unordered);

bool canon_in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] && strcmp(s, list[i]) == 0)
			return true;
	return false;
}

bool canon_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- repeats ---- */

static bool mentions_ancestor(const struct gt_event *e)
{
	static const char *const quoted[] = {
		"\"" GT_CWD_ANCESTOR "\"", "\"" GT_TMP_ANCESTOR "\"", "\"" GT_HOME_ANCESTOR "\"",
	};

	for (size_t i = 0; i < e->nargs && i < GT_MAX_ARGS; i++) {
		for (size_t q = 0; e->args[i] && q < GT_ARRAY_SIZE(quoted); q++)
			if (strcmp(e->args[i], quoted[q]) == 0)
				return true;
	}
	return false;
}

void gt_canon_collapse_repeats(struct gt_trace *t, struct gt_thread *th)
{
	size_t w = 0;

	for (size_t r = 0; r < th->nevents; r++) {
		struct gt_event *e = &th->events[r];

		if (w > 0 && gt_event_same(&th->events[w - 1], e)) {
			uint64_t sum = (uint64_t)th->events[w - 1].count + e->count;

			th->events[w - 1].ret = gt_event_add_bytes(t, &th->events[w - 1], e);
			/* A walk over the directories above $CWD (or $TMP,
			 * $HOME) is as long as the checkout is deep: one line,
			 * not counted. */
			if (mentions_ancestor(e))
				sum = 1;

			th->events[w - 1].count = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
			th->events[w - 1].flags |= e->flags;
			continue;
		}
		if (w != r)
			th->events[w] = *e;
		w++;
	}
	th->nevents = w;
}

/* ---- gt_canon_build ---- */

bool canon_ret_known(const struct gt_raw_event *ev)
{
	return !(ev->flags & (GT_EV_RET_UNKNOWN | GT_EV_NO_RETURN));
}

bool canon_failed(const struct gt_raw_event *ev)
{
	return canon_ret_known(ev) && ev->ret < 0 && ev->ret >= -MAX_ERRNO;
}

bool canon_succeeded(const struct gt_raw_event *ev)
{
	return canon_ret_known(ev) && !canon_failed(ev);
}

int canon_arg_index(const struct gt_syscall_desc *d, enum gt_argk k)
{
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++)
		if (d->argk[i] == k)
			return i;
	return -1;
}

static enum gt_rc check_capture(const struct gt_capture *cap, struct gt_error *err)
{
	if (cap->ntasks == 0 && cap->nevents > 0)
		return gt_error_set(err, GT_ERR_FORMAT, "capture: %zu events but no task",
				    cap->nevents);
	if (cap->ntasks > 0 && cap->tasks[0].parent != -1)
		return gt_error_set(err, GT_ERR_FORMAT, "capture: task 0 is not the root");
	for (size_t i = 1; i < cap->ntasks; i++)
		if (cap->tasks[i].parent < 0 || (size_t)cap->tasks[i].parent >= i)
			return gt_error_set(err, GT_ERR_FORMAT,
					    "capture: task %zu has bad parent %" PRId32, i,
					    cap->tasks[i].parent);
	for (size_t i = 0; i < cap->nevents; i++)
		if (cap->events[i].task >= cap->ntasks)
			return gt_error_set(err, GT_ERR_FORMAT,
					    "capture: event %zu refers to task %" PRIu32 " of %zu",
					    i, cap->events[i].task, cap->ntasks);
	for (size_t i = 0; i < cap->nevents; i++) {
		const struct gt_raw_event *e = &cap->events[i];

		if (e->rep > 0 && (e->period == 0 || e->period > GT_FOLD_MAX_PERIOD ||
				   e->period > cap->nevents - i))
			return gt_error_set(err, GT_ERR_FORMAT,
					    "capture: event %zu folds %u events of %zu",
					    i, (unsigned)e->period, cap->nevents - i);
	}
	return GT_OK;
}

/* Children lists ordered by seq.  The capture adds a creator's children in
 * seq order already; the insertion sort only repairs an odd record. */
static void build_children(struct ctx *c)
{
	const struct gt_capture *cap = c->cap;
	size_t n = cap->ntasks, *fill;

	c->kids_at = xcalloc(n + 1, sizeof(*c->kids_at));
	c->kids = xcalloc(n ? n : 1, sizeof(*c->kids));
	for (size_t i = 1; i < n; i++)
		c->kids_at[cap->tasks[i].parent + 1]++;
	for (size_t i = 0; i < n; i++)
		c->kids_at[i + 1] += c->kids_at[i];
	fill = xcalloc(n ? n : 1, sizeof(*fill));
	for (size_t i = 1; i < n; i++) {
		size_t p = (size_t)cap->tasks[i].parent;

		c->kids[c->kids_at[p] + fill[p]++] = i;
	}
	free(fill);
	for (size_t p = 0; p < n; p++) {
		for (size_t a = c->kids_at[p] + 1; a < c->kids_at[p + 1]; a++) {
			size_t k = c->kids[a], b = a;

			while (b > c->kids_at[p] && cap->tasks[c->kids[b - 1]].seq > cap->tasks[k].seq) {
				c->kids[b] = c->kids[b - 1];
				b--;
			}
			c->kids[b] = k;
		}
	}
}

/* Give task I its process (a new one unless it is a thread) and thread. */
static void visit_task(struct ctx *c, size_t i)
{
	const struct gt_task *tk = &c->cap->tasks[i];
	struct ctask *ct = &c->tasks[i];
	struct gt_process *p;
	struct gt_thread *th;
	char id[64];

	if (tk->parent < 0 || !(tk->clone_flags & CLONE_THREAD)) {
		const char *parent = tk->parent < 0 ? NULL :
				     c->t->procs[c->tasks[tk->parent].proc].id;

		snprintf(id, sizeof(id), "p%zu", c->t->nprocs + 1);
		p = gt_trace_add_process(c->t, id, parent);
		p->exit_code = tk->exit_code;
		p->exit_signal = tk->exit_signal ?
				 gt_trace_str(c->t, gt_signal_name(tk->exit_signal)) : NULL;
		ct->proc = c->t->nprocs - 1;
	} else {
		ct->proc = c->tasks[tk->parent].proc;
		p = &c->t->procs[ct->proc];
		snprintf(id, sizeof(id), "%s.t%zu", p->id, p->nthreads + 1);
	}
	th = gt_process_add_thread(c->t, p, id);
	ct->thread = p->nthreads - 1;
	ct->id = th->id;
}

/* Logical ids: pre-order over the creation tree, children by seq, which is
 * the order of the birth keys and does not depend on scheduling. */
static void assign_ids(struct ctx *c)
{
	size_t n = c->cap->ntasks, top = 0, *stack;

	if (n == 0)
		return;
	build_children(c);
	stack = xcalloc(n, sizeof(*stack));
	stack[top++] = 0;
	while (top > 0) {
		size_t i = stack[--top];

		visit_task(c, i);
		for (size_t a = c->kids_at[i + 1]; a-- > c->kids_at[i];)
			stack[top++] = c->kids[a];
	}
	free(stack);
}

static int cmp_pidkey(const void *a, const void *b)
{
	const struct pidkey *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return x->task < y->task ? -1 : x->task > y->task;
}

static void build_pid_index(struct ctx *c)
{
	size_t n = c->cap->ntasks;

	c->pids = xcalloc(n ? n : 1, sizeof(*c->pids));
	for (size_t i = 0; i < n; i++)
		c->pids[i] = (struct pidkey){ c->cap->tasks[i].tid, (uint32_t)i };
	qsort(c->pids, n, sizeof(*c->pids), cmp_pidkey);
}

/* The logical id of real tid PID, or NULL.  A tid the kernel reused within
 * the run names its latest task. */
const char *canon_name_pid(void *ctx, pid_t pid)
{
	struct ctx *c = ctx;
	size_t lo = 0, hi = c->cap->ntasks;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->pids[mid].tid <= pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || c->pids[lo - 1].tid != pid)
		return NULL;
	return c->tasks[c->pids[lo - 1].task].id;
}

/* -- fd tables of tasks -- */

static long add_table(struct ctx *c, struct gt_fdmap *m)
{
	xgrow((void **)&c->tabs, &c->tabs_cap, c->ntabs + 1, sizeof(*c->tabs));
	c->tabs[c->ntabs] = m;
	return (long)c->ntabs++;
}

/* Task J's table, from its creator's, which must exist already. */
static void make_table(struct ctx *c, size_t j)
{
	const struct gt_task *tk = &c->cap->tasks[j];

	struct gt_fdmap *from;

	if (tk->parent < 0) {
		c->tasks[j].tab = add_table(c, gt_fdmap_new());
		return;
	}
	from = c->tabs[c->tasks[tk->parent].tab];
	if (tk->clone_flags & CLONE_THREAD)
		gt_fdmap_thread(from);
	if (tk->clone_flags & (CLONE_THREAD | CLONE_FILES)) {
		c->tasks[j].tab = c->tasks[tk->parent].tab;
	} else {
		/* A fork from a thread: the forking thread's fds keep their
		 * numbers in the child. */
		gt_fdmap_act(from, (uint32_t)tk->parent);
		c->tasks[j].tab = add_table(c, gt_fdmap_clone(from));
	}
}

/* Make task I's table if it has none yet, and its creators' first: the copy
 * is taken lazily, at the child's first event or when the creator's clone
 * returns, whichever the capture shows first. */
struct gt_fdmap *canon_table_of(struct ctx *c, size_t i)
{
	while (c->tasks[i].tab < 0) {
		size_t j = i;

		while (c->cap->tasks[j].parent >= 0 && c->tasks[c->cap->tasks[j].parent].tab < 0)
			j = (size_t)c->cap->tasks[j].parent;
		make_table(c, j);
	}
	/* The calls that follow act for task I (per-thread fd numbers). */
	gt_fdmap_act(c->tabs[c->tasks[i].tab], (uint32_t)i);
	return c->tabs[c->tasks[i].tab];
}

/* Task I gets a private copy of its table (unshare, close_range). */
static void unshare_table(struct ctx *c, size_t i)
{
	c->tasks[i].tab = add_table(c, gt_fdmap_clone(canon_table_of(c, i)));
}

/* execve unshares a table shared with other processes (CLONE_FILES). */
static void unshare_for_exec(struct ctx *c, size_t i)
{
	long old = c->tasks[i].tab, tab;
	size_t proc = c->tasks[i].proc;
	bool shared = false;

	for (size_t j = 0; j < c->cap->ntasks && !shared; j++)
		shared = c->tasks[j].tab == old && c->tasks[j].proc != proc;
	if (!shared)
		return;
	gt_fdmap_act(c->tabs[old], (uint32_t)i);
	tab = add_table(c, gt_fdmap_clone(c->tabs[old]));
	for (size_t j = 0; j < c->cap->ntasks; j++)
		if (c->tasks[j].tab == old && c->tasks[j].proc == proc)
			c->tasks[j].tab = tab;
}

/* -- temp names -- */

size_t canon_temp_dir_len(const struct ctx *c, const char *path)
{
	static const char *const dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
	size_t n;

	if (canon_prefix_match(path, c->o->tmp, &n))
		return n;
	for (size_t i = 0; i < GT_ARRAY_SIZE(dirs); i++)
		if (canon_prefix_match(path, dirs[i], &n))
			return n;
	return 0;
}

/* Was EV an exclusive creation (mkstemp, mkdtemp and the like)? */
static bool creates_exclusively(const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	int fl;

	if (strcmp(d->name, "mkdir") == 0 || strcmp(d->name, "mkdirat") == 0)
		return true;
	if (strcmp(d->name, "open") != 0 && strcmp(d->name, "openat") != 0)
		return false;
	fl = canon_arg_index(d, GT_A_OPEN_FLAGS);
	return fl >= 0 && (ev->args[fl] & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
}

static void register_temp(struct ctx *c, const char *base)
{
	size_t off, len = gt_canon_temp_suffix(base, true, &off);
	struct tempname *tn;

	if (!len)
		return;
	for (size_t i = 0; i < c->ntemps; i++)
		if (strcmp(c->temps[i].name, base) == 0)
			return;
	xgrow((void **)&c->temps, &c->temps_cap, c->ntemps + 1, sizeof(*c->temps));
	tn = &c->temps[c->ntemps++];
	tn->name = xstrdup(base);
	tn->masked = xstrdup(base);
	tn->len = strlen(base);
	memset(tn->masked + off, 'X', len);
}

static int cmp_temp(const void *a, const void *b)
{
	const struct tempname *x = a, *y = b;

	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Pre-pass: the names the run created exclusively in temp directories,
 * so that every later mention of one (argv of a child, a rename) is masked
 * the same way. */
static void find_temp_names(struct ctx *c)
{
	for (size_t i = 0; i < c->cap->nevents; i++) {
		const struct gt_raw_event *ev = &c->cap->events[i];
		const struct gt_syscall_desc *d = gt_syscall_by_nr(ev->nr);
		int pi = canon_arg_index(d, GT_A_PATH);
		char *path, *base;
		size_t n;

		if (pi < 0 || canon_failed(ev) || !creates_exclusively(ev, d))
			continue;
		path = canon_arg_string(c, ev, pi);
		if (path && path[0] == '/' && canon_temp_dir_len(c, path)) {
			n = strlen(path);
			while (n > 1 && path[n - 1] == '/')
				path[--n] = '\0';
			base = strrchr(path, '/') + 1;
			if (*base)
				register_temp(c, base);
		}
		free(path);
	}
	if (c->ntemps > 1)
		qsort(c->temps, c->ntemps, sizeof(*c->temps), cmp_temp);
}

/* -- effects on the fd tables and processes -- */

/* A process's heap ends (exec gives it a new one, elsewhere): what it grew
 * by goes to the run's anonymous bytes. */
static void end_heap(struct ctx *c, size_t proc)
{
	if (proc >= c->nbrk)
		return;
	if (c->brk_top[proc] > c->brk_base[proc])
		c->anon_bytes += (double)(c->brk_top[proc] - c->brk_base[proc]);
	c->brk_base[proc] = c->brk_top[proc] = 0;
}

static void do_exec(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
		    const struct gt_syscall_desc *d)
{
	int pi = canon_arg_index(d, GT_A_PATH);
	char *raw = pi >= 0 ? canon_arg_string(c, ev, pi) : NULL;

	unshare_for_exec(c, ti);
	gt_fdmap_exec(canon_table_of(c, ti));
	end_heap(c, c->tasks[ti].proc);
	if (raw) {
		gt_buf_reset(&c->scratch);
		canon_put_path(c, raw, &c->scratch);
		c->t->procs[c->tasks[ti].proc].exe =
			gt_trace_str_utf8(c->t, c->scratch.s ? c->scratch.s : "");
		free(raw);
	}
}

/* fork and friends returned: copy the child's table now, if its first event
 * has not done it already. */
static void do_fork(struct ctx *c, size_t ti, const struct gt_raw_event *ev)
{
	for (size_t a = c->kids_at[ti]; a < c->kids_at[ti + 1]; a++) {
		size_t k = c->kids[a];

		if (c->cap->tasks[k].tid == (pid_t)ev->ret && c->tasks[k].tab < 0) {
			canon_table_of(c, k);
			return;
		}
	}
}

static void do_close_range(struct ctx *c, size_t ti, const struct gt_raw_event *ev)
{
	if (ev->args[2] & CLOSE_RANGE_UNSHARE)
		unshare_table(c, ti);
	canon_fdmap_range(canon_table_of(c, ti), (unsigned int)ev->args[0],
			  (unsigned int)ev->args[1], ev->args[2] & CLOSE_RANGE_CLOEXEC);
}

static void apply_effects(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
			  const struct gt_syscall_desc *d, bool cloexec)
{
	struct gt_fdmap *tab = canon_table_of(c, ti);
	int32_t a0 = (int32_t)ev->args[0], a1 = (int32_t)ev->args[1];

	/* close() releases the fd even when it fails, except with EBADF. */
	if ((d->fx & GT_FX_CLOSE) && !(canon_failed(ev) && ev->ret == -EBADF))
		gt_fdmap_close(tab, a0);
	if (canon_failed(ev))
		return;
	if ((d->fx & GT_FX_DUP_TO) && a0 != a1)
		gt_fdmap_alloc(tab, a1, cloexec);
	if (d->fx & GT_FX_CLOSE_RANGE)
		do_close_range(c, ti, ev);
	if ((d->fx & GT_FX_FCNTL) && a1 == F_SETFD)
		gt_fdmap_set_cloexec(tab, a0, ev->args[2] & FD_CLOEXEC);
	if ((d->fx & GT_FX_FORK) && canon_ret_known(ev) && ev->ret > 0)
		do_fork(c, ti, ev);
	if (strcmp(d->name, "unshare") == 0 && (ev->args[0] & CLONE_FILES))
		unshare_table(c, ti);
	if (d->fx & GT_FX_EXEC)
		do_exec(c, ti, ev, d);
}

/* -- the pass over the events -- */

static bool is_probe_event(struct ctx *c, const struct gt_raw_event *ev,
			   const struct gt_syscall_desc *d)
{
	int pi = canon_arg_index(d, GT_A_PATH);
	char *path;
	bool probe;

	if (pi < 0 || !canon_failed(ev) || (ev->ret != -ENOENT && ev->ret != -ENOTDIR))
		return false;
	path = canon_arg_string(c, ev, pi);
	probe = gt_canon_is_loader_probe(d->name, path, (int)-ev->ret);
	free(path);
	return probe;
}

/* A failed lookup below a directory above $HOME, $CWD or $TMP: a walk up
 * from the program's location (gt_canon_is_walkup_probe). */
static bool is_walkup_probe(struct ctx *c, const struct gt_raw_event *ev,
			    const struct gt_syscall_desc *d)
{
	int pi = canon_arg_index(d, GT_A_PATH);
	char *path;
	bool r;

	if (pi < 0 || !canon_failed(ev) ||
	    (ev->ret != -ENOENT && ev->ret != -ENOTDIR && ev->ret != -EACCES))
		return false;
	path = canon_arg_string(c, ev, pi);
	r = gt_canon_is_walkup_probe(c->o, path);
	free(path);
	return r;
}

/* The call's name as the trace writes it.  A trace name is [a-z0-9_]; a
 * generic name for an odd number ("syscall_-1") is spelled "syscall_neg1"
 * so that the event text parses back. */
static const char *call_name(const struct gt_raw_event *ev, const struct gt_syscall_desc *d,
			     char *buf, size_t size)
{
	if (gt_trace_name_ok(d->name, strlen(d->name)))
		return d->name;
	if (ev->nr < 0)
		snprintf(buf, size, "syscall_neg%" PRIu32, -(uint32_t)ev->nr);
	else
		snprintf(buf, size, "syscall_%" PRId32, ev->nr);
	return buf;
}

static void count_stats(struct ctx *c, const struct gt_raw_event *ev, const char *name)
{
	struct gt_syscall_stat *s = gt_trace_sysstat(c->t, name);

	/* Summed in .median; finish_stats spreads it to min and max. */
	s->calls.median += (double)c->mult;
	if (canon_failed(ev))
		s->errors.median += (double)c->mult;
	/* A folded group's first turn holds the time of all its turns. */
	if (ev->t_exit_ns > ev->t_enter_ns)
		s->time_us.median += (double)(ev->t_exit_ns - ev->t_enter_ns) / 1000.0;
	c->kept += c->mult;
}

static bool args_mention_ancestor(const struct ctx *c, size_t nargs)
{
	static const char *const quoted[] = {
		"\"" GT_CWD_ANCESTOR "\"", "\"" GT_TMP_ANCESTOR "\"", "\"" GT_HOME_ANCESTOR "\"",
	};

	for (size_t i = 0; i < nargs; i++)
		for (size_t q = 0; c->arg[i].s && q < GT_ARRAY_SIZE(quoted); q++)
			if (strcmp(c->arg[i].s, quoted[q]) == 0)
				return true;
	return false;
}

/* Do the rendered arguments of a clone say CLONE_THREAD (its fds are
 * numbered per thread from now on, gt_fdmap_thread)? */
static bool args_make_thread(const struct ctx *c, size_t nargs)
{
	for (size_t i = 0; i < nargs; i++)
		if (c->arg[i].s && strstr(c->arg[i].s, "CLONE_THREAD"))
			return true;
	return false;
}

/* The tracer's listing of the directory EV read (GT_A_DIRENTS), for the
 * directory-order rule: kept with the index of the event just added. */
static void keep_listing(struct ctx *c, const struct ctask *ct, const struct gt_raw_event *ev)
{
	const char *m = gt_capture_mem(c->cap, ev, 1), *end, *p;
	struct ctx_listing *cl;
	uint32_t n;
	size_t len;

	if (!m || (ev->flags & GT_EV_FETCH_FAILED))
		return;
	end = c->cap->blob + c->cap->bloblen;
	if ((size_t)(end - m) < sizeof(n))
		return;
	memcpy(&n, m, sizeof(n));
	p = m + sizeof(n);
	len = strnlen(p, (size_t)(end - p));
	if (p + len >= end)
		return;
	xgrow((void **)&c->listings, &c->listings_cap, c->nlistings + 1, sizeof(*c->listings));
	cl = &c->listings[c->nlistings++];
	memset(cl, 0, sizeof(*cl));
	cl->proc = ct->proc;
	cl->thread = ct->thread;
	cl->l.event = c->t->procs[ct->proc].threads[ct->thread].nevents - 1;
	gt_buf_reset(&c->scratch);
	canon_put_path(c, p, &c->scratch);
	cl->l.dir = xstrdup(c->scratch.s ? c->scratch.s : "");
	p += len + 1;
	cl->l.names = xcalloc((size_t)n + 1, sizeof(char *));
	for (uint32_t k = 0; k < n && p < end; k++) {
		len = strnlen(p, (size_t)(end - p));
		cl->l.names[cl->l.nnames++] = xstrndup(p, len);
		p += len + 1;
	}
}

void gt_listing_fini(struct gt_listing *l)
{
	for (size_t i = 0; i < l->nnames; i++)
		free(l->names[i]);
	free(l->names);
	free(l->dir);
	memset(l, 0, sizeof(*l));
}

/* The listings of thread J of process I, in event order (they were kept in
 * capture order, which is each thread's event order). */
static void dir_order(struct ctx *c, size_t i, size_t j)
{
	struct gt_listing *ls = xcalloc(c->nlistings + 1, sizeof(*ls));
	size_t n = 0;

	for (size_t k = 0; k < c->nlistings; k++)
		if (c->listings[k].proc == i && c->listings[k].thread == j)
			ls[n++] = c->listings[k].l;
	gt_canon_dir_order(&c->t->procs[i].threads[j], ls, n);
	free(ls);
}

/* A wait for any child (a shell reaping its pipeline when SIGCHLD lands). */
enum child_wait { WAIT_OTHER = 0, WAIT_REAPED, WAIT_EMPTY_POLL };

/* Whether a wait that reaped a child had to block (options 0) or found it
 * exited already (WNOHANG) is timing, and so is a WNOHANG poll that found
 * nothing (0, or ECHILD: no child left): the reaping is the behaviour.  So
 * a reaping wait shows its options without WNOHANG, and an empty poll is
 * counted, not sequenced.  A WNOHANG wait whose return was not seen
 * (seccomp) is taken for a poll: most are (a known gap: a SIGCHLD
 * handler's reap then goes too).  waitid's return does not say whether it
 * reaped. */
static enum child_wait child_wait(const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	if (strcmp(d->name, "wait4") != 0 || (int32_t)ev->args[0] > 0)
		return WAIT_OTHER;
	if (!canon_ret_known(ev))
		return (ev->args[2] & WNOHANG) ? WAIT_EMPTY_POLL : WAIT_OTHER;
	if ((int64_t)ev->ret > 0)
		return WAIT_REAPED;
	if ((ev->args[2] & WNOHANG) && (ev->ret == 0 || ev->ret == -ECHILD))
		return WAIT_EMPTY_POLL;
	return WAIT_OTHER;
}

static void process_event(struct ctx *c, const struct gt_raw_event *ev)
{
	struct gt_raw_event reaped;
	enum canon_mem_verdict mem;
	const struct gt_syscall_desc *d = gt_syscall_by_nr(ev->nr);
	const char *args[GT_MAX_ARGS], *name;
	size_t ti = ev->task, nargs;
	char namebuf[32];
	struct ctask *ct = &c->tasks[ti];
	struct gt_thread *th;
	struct gt_event *e;
	bool cloexec;
	int defer;

	/* Ignored calls change no state either: a backend may not even see
	 * them, and the trace must not depend on that. */
	name = call_name(ev, d, namebuf, sizeof(namebuf));
	if (canon_in_list(name, c->o->ignore, c->o->nignore))
		return;
	/* An attempt the kernel restarts: the restarted call is the event. */
	if (canon_ret_known(ev) && gt_ret_is_restart(ev->ret))
		return;
	/* A backend that sees returns let this one go by unseen (auto). */
	if (c->cap->info.returns_known && (ev->flags & GT_EV_RET_UNKNOWN))
		gt_trace_add_unknown_return(c->t, name);
	canon_table_of(c, ti);
	if (!c->o->keep_loader_probes && is_probe_event(c, ev, d))
		return;
	if (!c->o->keep_env_probes && is_walkup_probe(c, ev, d))
		return;
	mem = canon_memory_rules(c, ti, ev, d);
	if (mem == MEM_DROP)
		return;
	if (!c->o->keep_memory &&
	    (canon_is_memory_call(ev, d, name) || canon_commits_reserve(c, ct, ev, d))) {
		canon_account_memory(c, ct, ev, d);
		count_stats(c, ev, name);
		return;
	}
	switch (c->o->keep_wait_timing ? WAIT_OTHER : child_wait(ev, d)) {
	case WAIT_EMPTY_POLL:
		count_stats(c, ev, name);
		return;
	case WAIT_REAPED:
		reaped = *ev;
		reaped.args[2] &= ~(uint64_t)WNOHANG;
		ev = &reaped;
		break;
	case WAIT_OTHER:
		break;
	}
	cloexec = canon_call_cloexec(ev, d);
	nargs = canon_render_args(c, ti, ev, d, cloexec, &defer);
	/* A walk above $CWD is one uncounted line in the sequence; its calls
	 * stay out of the statistics too, or their number (the depth of the
	 * checkout) would show there. */
	if (!args_mention_ancestor(c, nargs))
		count_stats(c, ev, name);
	if (mem == MEM_LDCACHE_LENGTH && nargs > 1) {
		gt_buf_reset(&c->arg[1]);
		gt_buf_puts(&c->arg[1], "len(ld.so.cache)");
	}
	apply_effects(c, ti, ev, d, cloexec);
	if ((d->fx & GT_FX_FORK) && !canon_failed(ev) && args_make_thread(c, nargs))
		gt_fdmap_thread(canon_table_of(c, ti));
	if (defer >= 0)
		canon_render_fd(c, ti, ev->args[1], false, &c->arg[defer]);
	gt_buf_reset(&c->ret);
	canon_render_ret(c, ti, ev, d, cloexec, &c->ret);
	if (canon_in_list(name, c->unordered, c->nunordered))
		return;
	for (size_t i = 0; i < nargs; i++)
		args[i] = c->arg[i].s ? c->arg[i].s : "";
	th = &c->t->procs[ct->proc].threads[ct->thread];
	e = gt_thread_add_event(c->t, th, name, args, nargs, c->ret.s, 1);
	e->stack = ev->stack;
	if (c->feeding && c->nfed < GT_ARRAY_SIZE(c->fed))
		c->fed[c->nfed++] = (struct gt_fed){ct->proc, ct->thread, *e};
	if (d->nargs > 1 && d->argk[1] == GT_A_DIRENTS)
		keep_listing(c, ct, ev);
	else if (!c->o->no_collapse_repeats)
		gt_canon_loops_tail(c->t, th, &c->loopbuf);
}

/* A group the capture folded (capture-fold.c): its P events ran MULT times
 * in a row.  The first turn is processed as any; the statistics count all
 * turns at once, and the other turns' events are appended one by one, as
 * an unfolded capture would have given them, folding as they come (a
 * thread keeps a turn and a count, not the calls). */
static void process_group(struct ctx *c, const struct gt_raw_event *ev, size_t p)
{
	uint64_t mult = (uint64_t)ev->rep + 1;

	c->mult = mult;
	c->feeding = true;
	c->nfed = 0;
	for (size_t j = 0; j < p; j++)
		process_event(c, &ev[j]);
	c->feeding = false;
	c->mult = 1;
	for (uint64_t turn = 1; turn < mult; turn++) {
		for (size_t j = 0; j < c->nfed; j++) {
			struct gt_thread *th = &c->t->procs[c->fed[j].proc].threads[c->fed[j].thread];

			xgrow((void **)&th->events, &th->cap, th->nevents + 1, sizeof(*th->events));
			th->events[th->nevents++] = c->fed[j].e;
			if (!c->o->no_collapse_repeats)
				gt_canon_loops_tail(c->t, th, &c->loopbuf);
		}
	}
}

static struct gt_stat stat1(double v)
{
	return (struct gt_stat){ .min = v, .median = v, .mad = 0, .max = v };
}

static void finish(struct ctx *c)
{
	const struct gt_run_info *in = &c->cap->info;
	struct gt_trace *t = c->t;
	struct gt_run_sample run = {
		.wall_s = in->wall_s, .user_s = in->user_s, .sys_s = in->sys_s,
		.max_rss_kb = (double)in->max_rss_kb, .syscalls = (double)c->kept,
		.cpu_stall_s = in->cpu_stall_s,
	};

	/* Directory order first: the listings point at events by their index
	 * as captured, which the folds below change. */
	for (size_t i = 0; i < t->nprocs && !c->o->keep_dir_order; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++)
			dir_order(c, i, j);
	for (size_t i = 0; i < t->nprocs && !c->o->keep_env_probes; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++)
			c->kept -= gt_canon_fold_path_searches(t, &t->procs[i].threads[j], c->o);
		gt_canon_name_path_execs(t, &t->procs[i], c->o);
	}
	run.syscalls = (double)c->kept;
	for (size_t i = 0; i < c->nbrk; i++)
		end_heap(c, i);
	run.anon_bytes = c->anon_unknown ? -1 : c->anon_bytes;
	for (size_t i = 0; i < t->nprocs && !c->o->keep_threads; i++)
		gt_canon_pool_threads(&t->procs[i]);
	for (size_t i = 0; i < t->nprocs && !c->o->no_collapse_repeats; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			gt_canon_collapse_repeats(t, &t->procs[i].threads[j]);
			gt_canon_fold_loops(t, &t->procs[i].threads[j]);
		}
	for (size_t i = 0; i < t->nsysstats; i++) {
		struct gt_syscall_stat *s = &t->sysstats[i];

		s->calls = stat1(s->calls.median);
		s->errors = stat1(s->errors.median);
		s->time_us = stat1(s->time_us.median);
	}
	gt_trace_add_run(t, &run);
	t->wall_s = stat1(run.wall_s);
	t->user_s = stat1(run.user_s);
	t->sys_s = stat1(run.sys_s);
	t->max_rss_kb = stat1(run.max_rss_kb);
	t->syscalls = stat1(run.syscalls);
	t->backend = gt_trace_str(t, gt_backend_name(c->cap->backend));
	t->returns_known = in->returns_known;
	t->exit_code = in->exit_code;
	t->exit_signal = in->term_signal ? gt_trace_str(t, gt_signal_name(in->term_signal)) : NULL;
	t->intercepted = in->intercepted;
	t->let_through = in->let_through;
	for (size_t i = 0; i < c->nunordered; i++)
		gt_trace_add_unordered(t, c->unordered[i]);
	for (size_t i = 0; i < c->o->nignore; i++)
		gt_trace_add_ignored(t, c->o->ignore[i]);
	t->stacks = gt_stacks_copy(c->cap->stacks);
	gt_trace_rehash(t);
}

static void ctx_init(struct ctx *c, const struct gt_capture *cap, const struct gt_canon_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->cap = cap;
	c->o = o;
	c->t = gt_trace_new();
	c->mult = 1;
	c->tasks = xcalloc(cap->ntasks ? cap->ntasks : 1, sizeof(*c->tasks));
	for (size_t i = 0; i < cap->ntasks; i++)
		c->tasks[i].tab = -1;
	if (o->unordered) {
		c->unordered = o->unordered;
		c->nunordered = o->nunordered;
	} else {
		c->unordered = gt_canon_default_unordered;
		c->nunordered = gt_canon_default_nunordered;
	}
}

static void ctx_free(struct ctx *c)
{
	gt_trace_free(c->t);
	free(c->regions);
	free(c->ldcache_fd);
	free(c->tasks);
	free(c->kids);
	free(c->kids_at);
	free(c->pids);
	for (size_t i = 0; i < c->ntabs; i++)
		gt_fdmap_free(c->tabs[i]);
	free(c->tabs);
	for (size_t i = 0; i < c->ntemps; i++) {
		free(c->temps[i].name);
		free(c->temps[i].masked);
	}
	free(c->temps);
	free(c->brk_base);
	free(c->brk_top);
	for (size_t i = 0; i < c->nlistings; i++)
		gt_listing_fini(&c->listings[i].l);
	free(c->listings);
	for (size_t i = 0; i < GT_MAX_ARGS; i++)
		gt_buf_free(&c->arg[i]);
	gt_buf_free(&c->ret);
	gt_buf_free(&c->scratch);
	gt_buf_free(&c->elem);
	gt_buf_free(&c->loopbuf);
}

enum gt_rc gt_canon_build(const struct gt_capture *cap, const struct gt_canon_opts *opts,
			  struct gt_trace **out, struct gt_error *err)
{
	static const struct gt_canon_opts defaults;
	struct ctx c;
	enum gt_rc rc;

	*out = NULL;
	if (!cap)
		return gt_error_set(err, GT_ERR_USAGE, "canon: no capture");
	rc = check_capture(cap, err);
	if (rc != GT_OK)
		return rc;
	gt_syscalls_init();
	ctx_init(&c, cap, opts ? opts : &defaults);
	assign_ids(&c);
	build_pid_index(&c);
	find_temp_names(&c);
	for (size_t i = 0; i < cap->nevents; i++) {
		if (cap->events[i].rep > 0) {
			process_group(&c, &cap->events[i], cap->events[i].period);
			i += cap->events[i].period - 1;
		} else {
			process_event(&c, &cap->events[i]);
		}
	}
	finish(&c);
	*out = c.t;
	c.t = NULL;
	ctx_free(&c);
	return GT_OK;
}

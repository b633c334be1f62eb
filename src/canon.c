/*
 * canon: the canonicalizer (SPEC section 5).  It turns a raw capture, full of
 * numbers that change from run to run (pids, fds, addresses, directories,
 * random temp names), into a canonical trace that stays the same for the
 * same behaviour, and merges the traces of several recording runs into one
 * golden with the fields that still varied wildcarded.
 *
 * The rules are small public functions (canon.h) so that each can be tested
 * alone; gt_canon_build threads the state they need (fd tables, logical ids,
 * temp names) through one pass over the capture's events.
 *
 * Fetched tracee memory is untrusted: the capture bounds-checks offsets, but
 * a string may run to the end of the blob without its NUL, so every read here
 * is bounded by the blob's end.
 */
#include "config.h"

#include "canon.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "xlat.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#define MFD_CLOEXEC_FLAG 1U
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

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] && strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

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
static void fdmap_range(struct gt_fdmap *m, unsigned int lo, unsigned int hi, bool cloexec)
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

/* ---- temp names ---- */

static bool is_mkstemp_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_python_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool all_of(const char *s, size_t n, bool (*ok)(char))
{
	for (size_t i = 0; i < n; i++)
		if (!ok(s[i]))
			return false;
	return true;
}

/* The stem: the name up to its first '.' after position 0 (so that a dot
 * file's leading dot is part of it). */
static size_t stem_len(const char *name, size_t n)
{
	const char *dot = n > 1 ? memchr(name + 1, '.', n - 1) : NULL;

	return dot ? (size_t)(dot - name) : n;
}

size_t gt_canon_temp_suffix(const char *name, bool created, size_t *off)
{
	size_t n = strlen(name), stem = stem_len(name, n), o = 0, len = 0;
	const char *dot;

	/* Python's tempfile: "tmp" and eight of [a-z0-9_], the whole stem. */
	if (stem == 11 && strncmp(name, "tmp", 3) == 0 && all_of(name + 3, 8, is_python_char)) {
		o = 3;
		len = 8;
	} else if (!created) {
		return 0;
	} else if (stem >= 6 && all_of(name + stem - 6, 6, is_mkstemp_char)) {
		/* mkstemp(s)'s XXXXXX, at the end of the stem. */
		o = stem - 6;
		len = 6;
	} else if ((dot = strrchr(name, '.')) && dot > name && n - (size_t)(dot + 1 - name) >= 6 &&
		   all_of(dot + 1, n - (size_t)(dot + 1 - name), is_mkstemp_char)) {
		/* mkdtemp("foo.XXXXXX"), mktemp(1)'s "tmp.XXXXXXXXXX": the random
		 * part is everything after the last dot. */
		o = (size_t)(dot + 1 - name);
		len = n - o;
	}
	if (len && off)
		*off = o;
	return len;
}

/* ---- paths ---- */

/* Does PREFIX (a real directory) match PATH on whole components?  Its
 * length without trailing slashes goes to *PLEN. */
static bool prefix_match(const char *path, const char *prefix, size_t *plen)
{
	size_t n;

	if (!prefix || prefix[0] != '/')
		return false;
	n = strlen(prefix);
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	/* "/" would turn every path into a placeholder: not a useful rule. */
	if (n <= 1)
		return false;
	if (strncmp(path, prefix, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return false;
	*plen = n;
	return true;
}

/* The placeholder for the longest prefix of PATH among the rules; the user
 * rules come first, so they win a tie. */
static const char *best_prefix(const struct gt_canon_opts *o, const char *path, size_t *plen)
{
	const struct gt_path_rule dirs[] = {
		{ o->cwd, "$CWD" },
		{ o->home, "$HOME" },
		{ o->tmp, "$TMP" },
		{ o->golden, "$GOLDEN" },
	};
	const char *as = NULL;
	size_t best = 0, n;

	for (size_t i = 0; i < o->nrules; i++) {
		if (o->rules[i].as && prefix_match(path, o->rules[i].prefix, &n) && n > best) {
			best = n;
			as = o->rules[i].as;
		}
	}
	for (size_t i = 0; i < GT_ARRAY_SIZE(dirs); i++) {
		if (prefix_match(path, dirs[i].prefix, &n) && n > best) {
			best = n;
			as = dirs[i].as;
		}
	}
	*plen = best;
	return as;
}

/* Parse the decimal pid at S, ending at '/' or the end; *END after it. */
static bool parse_pid(const char *s, pid_t *pid, const char **end)
{
	long v = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > INT_MAX)
			return false;
	}
	if (i == 0 || (s[i] != '/' && s[i] != '\0'))
		return false;
	*pid = (pid_t)v;
	*end = s + i;
	return true;
}

/* /proc/<pid>/... and /proc/<pid>/task/<tid>/... through PIDNAME; the
 * tid of /proc/self/task/<tid> too (self itself is stable).  False when
 * PATH is no such path or a pid has no name. */
static bool canon_proc(const char *path, gt_pid_namer pidname, void *ctx, struct gt_buf *out)
{
	const char *p = path + 6, *rest, *rest2, *name = "self", *tname;
	pid_t pid;

	if (strncmp(path, "/proc/", 6) != 0)
		return false;
	if (parse_pid(p, &pid, &rest)) {
		name = pidname(ctx, pid);
		if (!name)
			return false;
	} else if (strncmp(p, "self", 4) == 0 && (p[4] == '/' || p[4] == '\0')) {
		rest = p + 4;
	} else {
		return false;
	}
	gt_buf_puts(out, "/proc/");
	gt_buf_puts(out, name);
	if (strncmp(rest, "/task/", 6) == 0 && parse_pid(rest + 6, &pid, &rest2) &&
	    (tname = pidname(ctx, pid))) {
		gt_buf_puts(out, "/task/");
		gt_buf_puts(out, tname);
		rest = rest2;
	}
	gt_buf_puts(out, rest);
	return true;
}

/* Append S (a path or a path's tail after its prefix) without its
 * "glibc-hwcaps/<level>/" components: the same library is found under a
 * different level, or none, on another machine. */
static void put_without_hwcaps(struct gt_buf *out, const char *s)
{
	static const char hw[] = "glibc-hwcaps/";
	const size_t hwlen = sizeof(hw) - 1;
	const char *p = s;

	while (*p) {
		if (p > s && p[-1] == '/' && strncmp(p, hw, hwlen) == 0 && p[hwlen] != '\0' &&
		    p[hwlen] != '/') {
			const char *end = strchrnul(p + hwlen, '/');

			if (*end) {
				p = end + 1;
			} else {
				/* The level directory itself: drop the slash
				 * before it too. */
				if (out->len > 1)
					out->s[--out->len] = '\0';
				p = end;
			}
			continue;
		}
		gt_buf_putc(out, *p++);
	}
}

/* Is PATH a directory above DIR, other than "/"?  Programs that resolve a
 * path (realpath, sqlite, gcc's lrealpath) walk every directory above it,
 * and how many there are depends on where the checkout or TMPDIR is. */
static bool is_ancestor(const char *dir, const char *path)
{
	size_t n = strlen(path), dn;

	if (!dir)
		return false;
	dn = strlen(dir);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (dn > 1 && dir[dn - 1] == '/')
		dn--;
	return n > 1 && n < dn && strncmp(dir, path, n) == 0 && dir[n] == '/';
}

/* The placeholder for a directory above $TMP or $HOME, or NULL.  (Above
 * $CWD is decided first, before the prefixes: see gt_canon_path.) */
static const char *ancestor_placeholder(const struct gt_canon_opts *o, const char *path)
{
	if (is_ancestor(o->tmp, path))
		return GT_TMP_ANCESTOR;
	if (is_ancestor(o->home, path))
		return GT_HOME_ANCESTOR;
	return NULL;
}

void gt_canon_path(const struct gt_canon_opts *o, const char *path, gt_pid_namer pidname,
		   void *ctx, struct gt_buf *out)
{
	const char *as = NULL;
	size_t plen = 0;

	if (!path)
		return;
	/* Relative to the cwd, which the placeholders already make stable. */
	if (path[0] != '/') {
		gt_buf_puts(out, path);
		return;
	}
	if (pidname && canon_proc(path, pidname, ctx, out))
		return;
	/* Above $CWD wins even over $HOME: a walk up from $CWD must not depend
	 * on whether the checkout is under $HOME.  Above $TMP or $HOME counts
	 * only for a path that no placeholder covers. */
	if (o && is_ancestor(o->cwd, path)) {
		gt_buf_puts(out, GT_CWD_ANCESTOR);
		return;
	}
	if (o)
		as = best_prefix(o, path, &plen);
	if (o && !as && (as = ancestor_placeholder(o, path)) != NULL) {
		gt_buf_puts(out, as);
		return;
	}
	if (as)
		gt_buf_puts(out, as);
	put_without_hwcaps(out, path + plen);
}

/* ---- loader probes ---- */

static const char *const probe_calls[] = {
	"open", "openat", "openat2", "stat", "lstat", "newfstatat",
	"statx", "access", "faccessat", "faccessat2",
};

/* Directories the loader searches per platform and capability level. */
static const char *const probe_dirs[] = {
	"glibc-hwcaps", "tls", "haswell", "x86_64", "aarch64", "avx512_1",
};

static bool is_lib_name(const char *name, size_t n)
{
	if (n < 6 || strncmp(name, "lib", 3) != 0)
		return false;
	if (strcmp(name + n - 3, ".so") == 0)
		return true;
	return strstr(name + 3, ".so.") != NULL;
}

bool gt_canon_is_loader_probe(const char *call, const char *path, int err)
{
	const char *p, *end;

	if (!call || !path || (err != ENOENT && err != ENOTDIR))
		return false;
	if (!in_list(call, probe_calls, GT_ARRAY_SIZE(probe_calls)))
		return false;
	for (p = path; *p; p = *end ? end + 1 : end) {
		size_t n;

		end = strchrnul(p, '/');
		n = (size_t)(end - p);
		for (size_t i = 0; i < GT_ARRAY_SIZE(probe_dirs); i++)
			if (strlen(probe_dirs[i]) == n && strncmp(p, probe_dirs[i], n) == 0)
				return true;
		if (*end == '\0')
			return is_lib_name(p, n); /* the file name */
	}
	return false;
}

/* ---- repeats ---- */

static bool same_event(const struct gt_event *a, const struct gt_event *b)
{
	if (a->hash != b->hash || !str_eq(a->call, b->call) || a->nargs != b->nargs ||
	    !str_eq(a->ret, b->ret))
		return false;
	for (size_t i = 0; i < a->nargs && i < GT_MAX_ARGS; i++)
		if (!str_eq(a->args[i], b->args[i]))
			return false;
	return true;
}

static bool mentions_ancestor(const struct gt_event *e)
{
	static const char *const quoted[] = {
		"\"" GT_CWD_ANCESTOR "\"", "\"" GT_TMP_ANCESTOR "\"", "\"" GT_HOME_ANCESTOR "\"",
	};

	for (size_t i = 0; i < e->nargs && i < GT_MAX_ARGS; i++)
		for (size_t q = 0; e->args[i] && q < GT_ARRAY_SIZE(quoted); q++)
			if (strcmp(e->args[i], quoted[q]) == 0)
				return true;
	return false;
}

void gt_canon_collapse_repeats(struct gt_thread *th)
{
	size_t w = 0;

	for (size_t r = 0; r < th->nevents; r++) {
		struct gt_event *e = &th->events[r];

		if (w > 0 && same_event(&th->events[w - 1], e)) {
			uint64_t sum = (uint64_t)th->events[w - 1].count + e->count;

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

struct ctask {
	const char *id; /* logical thread id, interned in the trace */
	size_t proc;    /* index into trace->procs */
	size_t thread;  /* index into that process's threads */
	long tab;       /* index into ctx->tabs, -1 until made */
	/* Returns unknown: the munmaps that may follow an arena reservation
	 * in this thread (glibc trims its ends right away), and how much. */
	uint64_t trim_left;
	uint8_t trims_left;
};

/* A final path component the run created exclusively in a temp directory,
 * and its masked form (same length). */
struct tempname {
	char *name, *masked;
	size_t len;
};

struct pidkey {
	pid_t tid;
	uint32_t task;
};

struct ctx {
	const struct gt_capture *cap;
	const struct gt_canon_opts *o;
	struct gt_trace *t;
	struct ctask *tasks;
	size_t *kids, *kids_at;  /* children of task i: kids[kids_at[i]..kids_at[i+1]) */
	struct pidkey *pids;     /* by tid, then task index */
	struct gt_fdmap **tabs;
	size_t ntabs, tabs_cap;
	struct tempname *temps;  /* longest first */
	size_t ntemps, temps_cap;
	const char *const *unordered;
	size_t nunordered;
	uint64_t kept;           /* calls counted in the statistics */
	struct gt_buf arg[GT_MAX_ARGS], ret, scratch, elem;
	long outlen;             /* canonical length of this call's OUTPATH, or -1 */
	/* Address ranges (real) that are allocator reservations (PROT_NONE,
	 * MAP_NORESERVE) or maps of /etc/ld.so.cache, per process. */
	struct region *regions;
	size_t nregions, regions_cap;
	int *ldcache_fd;         /* per process: real fd of /etc/ld.so.cache, or -1 */
	size_t nldcache;
};

enum region_kind { REGION_RESERVE, REGION_LDCACHE };

struct region {
	size_t proc;
	uint64_t addr, len;
	enum region_kind kind;
};

static bool ret_known(const struct gt_raw_event *ev)
{
	return !(ev->flags & (GT_EV_RET_UNKNOWN | GT_EV_NO_RETURN));
}

static bool failed(const struct gt_raw_event *ev)
{
	return ret_known(ev) && ev->ret < 0 && ev->ret >= -MAX_ERRNO;
}

static bool succeeded(const struct gt_raw_event *ev)
{
	return ret_known(ev) && !failed(ev);
}

static int arg_index(const struct gt_syscall_desc *d, enum gt_argk k)
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
static const char *name_pid(void *ctx, pid_t pid)
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

static void put_pid(struct ctx *c, int64_t v, struct gt_buf *b)
{
	int32_t p = (int32_t)v;
	const char *name;

	if (p == 0 || p == -1) {
		gt_buf_printf(b, "%" PRId32, p);
		return;
	}
	if (p < 0) {
		/* A process group: named after its leader. */
		gt_buf_putc(b, '-');
		name = p == INT32_MIN ? NULL : name_pid(c, -p);
	} else {
		name = name_pid(c, p);
	}
	gt_buf_puts(b, name ? name : "pid?");
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

	if (tk->parent < 0)
		c->tasks[j].tab = add_table(c, gt_fdmap_new());
	else if (tk->clone_flags & (CLONE_THREAD | CLONE_FILES))
		c->tasks[j].tab = c->tasks[tk->parent].tab;
	else
		c->tasks[j].tab = add_table(c, gt_fdmap_clone(c->tabs[c->tasks[tk->parent].tab]));
}

/* Make task I's table if it has none yet, and its creators' first: the copy
 * is taken lazily, at the child's first event or when the creator's clone
 * returns, whichever the capture shows first. */
static struct gt_fdmap *table_of(struct ctx *c, size_t i)
{
	while (c->tasks[i].tab < 0) {
		size_t j = i;

		while (c->cap->tasks[j].parent >= 0 && c->tasks[c->cap->tasks[j].parent].tab < 0)
			j = (size_t)c->cap->tasks[j].parent;
		make_table(c, j);
	}
	return c->tabs[c->tasks[i].tab];
}

/* Task I gets a private copy of its table (unshare, close_range). */
static void unshare_table(struct ctx *c, size_t i)
{
	c->tasks[i].tab = add_table(c, gt_fdmap_clone(table_of(c, i)));
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
	tab = add_table(c, gt_fdmap_clone(c->tabs[old]));
	for (size_t j = 0; j < c->cap->ntasks; j++)
		if (c->tasks[j].tab == old && c->tasks[j].proc == proc)
			c->tasks[j].tab = tab;
}

/* -- fetched memory -- */

/* Fetched memory of argument I, and the bytes of blob after it. */
static const char *arg_mem(struct ctx *c, const struct gt_raw_event *ev, int i, size_t *avail)
{
	const char *m;

	if (ev->flags & GT_EV_FETCH_FAILED)
		return NULL;
	m = gt_capture_mem(c->cap, ev, i);
	if (!m)
		return NULL;
	*avail = (size_t)(c->cap->blob + c->cap->bloblen - m);
	return m;
}

/* A NUL-terminated copy of the string argument I (caller frees), or NULL. */
static char *arg_string(struct ctx *c, const struct gt_raw_event *ev, int i)
{
	size_t avail;
	const char *m = arg_mem(c, ev, i, &avail);

	return m ? xstrndup(m, strnlen(m, avail)) : NULL;
}

/* -- temp names -- */

static size_t temp_dir_len(const struct ctx *c, const char *path)
{
	static const char *const dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
	size_t n;

	if (prefix_match(path, c->o->tmp, &n))
		return n;
	for (size_t i = 0; i < GT_ARRAY_SIZE(dirs); i++)
		if (prefix_match(path, dirs[i], &n))
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
	fl = arg_index(d, GT_A_OPEN_FLAGS);
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
		int pi = arg_index(d, GT_A_PATH);
		char *path, *base;
		size_t n;

		if (pi < 0 || failed(ev) || !creates_exclusively(ev, d))
			continue;
		path = arg_string(c, ev, pi);
		if (path && path[0] == '/' && temp_dir_len(c, path)) {
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

/* Replace every registered name in S by its masked form, in place. */
static void mask_temp_names(const struct ctx *c, char *s)
{
	char *p = s;

	if (!c->ntemps)
		return;
	while (*p) {
		bool hit = false;

		for (size_t i = 0; i < c->ntemps && !hit; i++) {
			const struct tempname *tn = &c->temps[i];

			if (p[0] == tn->name[0] && strncmp(p, tn->name, tn->len) == 0) {
				memcpy(p, tn->masked, tn->len);
				p += tn->len;
				hit = true;
			}
		}
		if (!hit)
			p++;
	}
}

/* Mask Python-style temp names in the components of canonical path S that
 * lie under a temp directory, in place. */
static void mask_temp_components(const struct ctx *c, char *s)
{
	size_t skip = 0, off, len;
	char *p, *end, save;

	if (strncmp(s, "$TMP", 4) == 0 && (s[4] == '/' || s[4] == '\0'))
		skip = 4;
	else if (s[0] == '/')
		skip = temp_dir_len(c, s);
	if (!skip)
		return;
	for (p = s + skip; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		save = *end;
		*end = '\0';
		len = gt_canon_temp_suffix(p, false, &off);
		*end = save;
		if (len)
			memset(p + off, 'X', len);
	}
}

/* -- rendering -- */

/* Canonical text of path RAW, unquoted, appended to OUT. */
static void put_canon_path(struct ctx *c, const char *raw, struct gt_buf *out)
{
	size_t start = out->len;

	gt_canon_path(c->o, raw, name_pid, c, out);
	if (out->len > start) {
		mask_temp_components(c, out->s + start);
		mask_temp_names(c, out->s + start);
	}
}

static void put_quoted(struct gt_buf *b, const struct gt_buf *s)
{
	gt_buf_quote(b, s->s ? s->s : "", s->len);
}

static void render_path(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	char *raw;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return;
	}
	raw = arg_string(c, ev, i);
	if (!raw) {
		gt_buf_puts(b, "ptr");
		return;
	}
	gt_buf_reset(&c->scratch);
	put_canon_path(c, raw, &c->scratch);
	put_quoted(b, &c->scratch);
	free(raw);
}

/* A path the kernel wrote for the caller (getcwd, readlink): canonical like
 * any path; its canonical length stands in for the return value. */
static void render_outpath(struct ctx *c, const struct gt_raw_event *ev, int i,
			   struct gt_buf *b)
{
	char *raw = succeeded(ev) ? arg_string(c, ev, i) : NULL;

	if (!raw) {
		gt_buf_puts(b, ev->args[i] ? "ptr" : "NULL");
		return;
	}
	gt_buf_reset(&c->scratch);
	put_canon_path(c, raw, &c->scratch);
	c->outlen = (long)c->scratch.len;
	put_quoted(b, &c->scratch);
	free(raw);
}

static void render_str(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	char *raw;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return;
	}
	raw = arg_string(c, ev, i);
	if (!raw) {
		gt_buf_puts(b, "ptr");
		return;
	}
	mask_temp_names(c, raw);
	gt_buf_quote(b, raw, strlen(raw));
	free(raw);
}

/* A ':'-separated list of values, each absolute one a path. */
static void put_canon_path_list(struct ctx *c, const char *v, struct gt_buf *out)
{
	for (;;) {
		const char *end = strchrnul(v, ':');
		char *piece = xstrndup(v, (size_t)(end - v));

		if (piece[0] == '/')
			put_canon_path(c, piece, out);
		else
			gt_buf_puts(out, piece);
		free(piece);
		if (!*end)
			break;
		gt_buf_putc(out, ':');
		v = end + 1;
	}
}

/* The '=' of "--opt=/path" or "NAME=/path" (no '/' before it), or NULL. */
static const char *assign_of_path(const char *s)
{
	const char *eq = strchr(s, '=');

	if (!eq || eq == s || eq[1] != '/' || memchr(s, '/', (size_t)(eq - s)))
		return NULL;
	return eq;
}

/* One argv element: absolute paths canonicalized, also after "NAME=" and
 * after a glued short option such as "-I/path". */
static void render_argv_elem(struct ctx *c, const char *s, struct gt_buf *b)
{
	const char *eq;

	gt_buf_reset(&c->elem);
	if (s[0] == '/') {
		put_canon_path(c, s, &c->elem);
	} else if ((eq = assign_of_path(s))) {
		gt_buf_add(&c->elem, s, (size_t)(eq + 1 - s));
		put_canon_path_list(c, eq + 1, &c->elem);
	} else if (s[0] == '-' && isalpha((unsigned char)s[1]) && s[2] == '/') {
		gt_buf_add(&c->elem, s, 2);
		put_canon_path(c, s + 2, &c->elem);
	} else {
		gt_buf_puts(&c->elem, s);
	}
	if (c->elem.s)
		mask_temp_names(c, c->elem.s);
	put_quoted(b, &c->elem);
}

/* Blob layout: uint32 count, then count NUL-terminated strings.  A record
 * cut short shows what is there and "..." for the rest. */
static void render_argv(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	size_t avail, k;
	const char *m;
	uint32_t count;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return;
	}
	m = arg_mem(c, ev, i, &avail);
	if (!m || avail < sizeof(count)) {
		gt_buf_puts(b, "ptr");
		return;
	}
	memcpy(&count, m, sizeof(count));
	m += sizeof(count);
	avail -= sizeof(count);
	gt_buf_putc(b, '[');
	for (k = 0; k < count && avail > 0; k++) {
		size_t len = strnlen(m, avail);
		char *s = xstrndup(m, len);

		if (k)
			gt_buf_puts(b, ", ");
		render_argv_elem(c, s, b);
		free(s);
		m += len;
		avail -= len;
		if (avail) {
			m++;
			avail--;
		}
	}
	if (k < count)
		gt_buf_puts(b, k ? ", ..." : "...");
	gt_buf_putc(b, ']');
}

static void render_sun(struct ctx *c, const char *p, size_t n, struct gt_buf *b)
{
	char *path;

	if (n == 0) {
		gt_buf_puts(b, "{AF_UNIX}");
		return;
	}
	gt_buf_puts(b, "{AF_UNIX, ");
	gt_buf_reset(&c->scratch);
	if (p[0] == '\0') {
		/* Abstract: no file, the name may hold any byte. */
		gt_buf_putc(&c->scratch, '@');
		gt_buf_add(&c->scratch, p + 1, n - 1);
	} else {
		path = xstrndup(p, strnlen(p, n));
		put_canon_path(c, path, &c->scratch);
		free(path);
	}
	put_quoted(b, &c->scratch);
	gt_buf_putc(b, '}');
}

static void render_inet(const unsigned char *p, int fam, struct gt_buf *b)
{
	char addr[INET6_ADDRSTRLEN];
	uint16_t port;

	memcpy(&port, p + 2, sizeof(port));
	if (fam == AF_INET) {
		inet_ntop(AF_INET, p + 4, addr, sizeof(addr));
		gt_buf_printf(b, "{AF_INET, %s:%u}", addr, ntohs(port));
	} else {
		inet_ntop(AF_INET6, p + 8, addr, sizeof(addr));
		gt_buf_printf(b, "{AF_INET6, [%s]:%u}", addr, ntohs(port));
	}
}

/* Blob layout: uint32 length, then the struct sockaddr. */
static void render_sockaddr(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	size_t avail;
	const char *m;
	uint32_t len;
	uint16_t fam;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return;
	}
	m = arg_mem(c, ev, i, &avail);
	if (!m || avail < sizeof(len)) {
		gt_buf_puts(b, "ptr");
		return;
	}
	memcpy(&len, m, sizeof(len));
	m += sizeof(len);
	avail -= sizeof(len);
	if (len > avail)
		len = (uint32_t)avail;
	if (len < sizeof(fam)) {
		gt_buf_puts(b, "{}");
		return;
	}
	memcpy(&fam, m, sizeof(fam));
	if (fam == AF_UNIX) {
		render_sun(c, m + 2, len - 2, b);
	} else if ((fam == AF_INET && len >= 8) || (fam == AF_INET6 && len >= 24)) {
		render_inet((const unsigned char *)m, fam, b);
	} else {
		gt_buf_putc(b, '{');
		gt_xlat_arg(b, GT_A_SOCK_FAMILY, fam);
		gt_buf_putc(b, '}');
	}
}

/* pipe, pipe2, socketpair: two new fds, fetched at exit. */
/* Above any fd a process can have open (the kernel's nr_open ceiling). */
#define GT_FD_PLAUSIBLE (1 << 30)

static void render_fdpair(struct ctx *c, size_t ti, const struct gt_raw_event *ev, int i,
			  bool cloexec, struct gt_buf *b)
{
	struct gt_fdmap *tab = table_of(c, ti);
	size_t avail;
	const char *m;
	int32_t fds[2];
	int l0, l1;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return;
	}
	m = arg_mem(c, ev, i, &avail);
	if (!m || avail < sizeof(fds) || (!succeeded(ev) && !(ev->flags & GT_EV_RET_UNKNOWN))) {
		gt_buf_puts(b, "ptr");
		return;
	}
	memcpy(fds, m, sizeof(fds));
	if (!succeeded(ev)) {
		/* Return unknown (seccomp): the backend read the pair at the
		 * task's next call.  A call that failed left whatever was
		 * there, so only a plausible pair is taken.  Its fds are
		 * numbered as under ptrace, where they are seen being made (a
		 * pipe's write end is often used first: numbered at first use
		 * it would take the read end's number); the pair itself shows
		 * as an output that was not seen, like the other side's
		 * projection. */
		if (fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1] && fds[0] < GT_FD_PLAUSIBLE &&
		    fds[1] < GT_FD_PLAUSIBLE && gt_fdmap_get(tab, fds[0]) < 0 &&
		    gt_fdmap_get(tab, fds[1]) < 0) {
			gt_fdmap_alloc(tab, fds[0], cloexec);
			gt_fdmap_alloc(tab, fds[1], cloexec);
		}
		gt_buf_puts(b, "ptr");
		return;
	}
	l0 = gt_fdmap_alloc(tab, fds[0], cloexec);
	l1 = gt_fdmap_alloc(tab, fds[1], cloexec);
	gt_buf_printf(b, "[%d, %d]", l0, l1);
}

static void render_clone3(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	size_t avail;
	const char *m;
	uint64_t flags;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return;
	}
	m = arg_mem(c, ev, i, &avail);
	if (!m || avail < sizeof(flags)) {
		gt_buf_puts(b, "ptr");
		return;
	}
	memcpy(&flags, m, sizeof(flags));
	gt_buf_puts(b, "{flags=");
	gt_xlat_arg(b, GT_A_CLONE_FLAGS, flags);
	gt_buf_putc(b, '}');
}

/* An fd argument.  Where returns are not observable (seccomp) no new fd is
 * ever seen being made, so an fd is numbered at its first use instead. */
static void render_fd(struct ctx *c, size_t ti, uint64_t v, bool dirfd, struct gt_buf *b)
{
	int32_t fd = (int32_t)v;
	int l;

	if (dirfd && fd == AT_FDCWD) {
		gt_buf_puts(b, "AT_FDCWD");
		return;
	}
	if (fd < 0) {
		gt_buf_printf(b, "%" PRId32, fd);
		return;
	}
	l = gt_fdmap_get(table_of(c, ti), fd);
	if (l < 0 && !c->cap->info.returns_known)
		l = gt_fdmap_alloc(table_of(c, ti), fd, false);
	if (l < 0)
		gt_buf_puts(b, "fd?");
	else
		gt_buf_printf(b, "%d", l);
}

static bool is_open_call(const char *name)
{
	return strcmp(name, "open") == 0 || strcmp(name, "openat") == 0 ||
	       strcmp(name, "mq_open") == 0;
}

/* open's mode means something only with O_CREAT or O_TMPFILE; strace omits
 * it otherwise, and so do we, since it is whatever was in the register. */
static bool hide_mode(const struct gt_raw_event *ev, const struct gt_syscall_desc *d, int i)
{
	int fl;

	if (d->argk[i] != GT_A_OCTAL || !is_open_call(d->name))
		return false;
	fl = arg_index(d, GT_A_OPEN_FLAGS);
	if (fl < 0)
		return false;
	return !(ev->args[fl] & O_CREAT) && (ev->args[fl] & O_TMPFILE) != O_TMPFILE;
}

/* Does the call make its new fds close-on-exec? */
static bool call_cloexec(const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++) {
		switch (d->argk[i]) {
		case GT_A_OPEN_FLAGS:
		case GT_A_FD_FLAGS: /* EFD_, SFD_, TFD_, IN_, EPOLL_CLOEXEC alike */
			if (ev->args[i] & O_CLOEXEC)
				return true;
			break;
		case GT_A_SOCK_TYPE:
			if (ev->args[i] & SOCK_CLOEXEC)
				return true;
			break;
		default:
			break;
		}
	}
	if (d->fx & GT_FX_FCNTL)
		return (int32_t)ev->args[1] == F_DUPFD_CLOEXEC;
	if (strcmp(d->name, "memfd_create") == 0)
		return ev->args[1] & MFD_CLOEXEC_FLAG;
	/* The kernel makes pidfds close-on-exec unconditionally. */
	return strcmp(d->name, "pidfd_open") == 0 || strcmp(d->name, "pidfd_getfd") == 0;
}

static void render_arg(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d, int i, bool cloexec, struct gt_buf *b)
{
	uint64_t v = ev->args[i];

	switch (d->argk[i]) {
	case GT_A_FD:
		render_fd(c, ti, v, false, b);
		break;
	case GT_A_DIRFD:
		render_fd(c, ti, v, true, b);
		break;
	case GT_A_PID:
		put_pid(c, (int64_t)v, b);
		break;
	case GT_A_PATH:
		render_path(c, ev, i, b);
		break;
	case GT_A_STR:
		render_str(c, ev, i, b);
		break;
	case GT_A_ARGV:
		render_argv(c, ev, i, b);
		break;
	case GT_A_ENVP:
	case GT_A_PTR:
		gt_buf_puts(b, v ? "ptr" : "NULL");
		break;
	case GT_A_SOCKADDR:
		render_sockaddr(c, ev, i, b);
		break;
	case GT_A_FDPAIR:
		render_fdpair(c, ti, ev, i, cloexec, b);
		break;
	case GT_A_CLONE3:
		render_clone3(c, ev, i, b);
		break;
	case GT_A_OUTPATH:
		render_outpath(c, ev, i, b);
		break;
	default:
		gt_xlat_arg(b, (enum gt_argk)d->argk[i], v);
		break;
	}
}

/* fcntl's third argument means what the command says: nothing, flags, a
 * number or a pointer (a lock).  Never its raw value, which for a command
 * without an argument is whatever was in the register. */
static int fcntl_arg_kind(int cmd)
{
	switch (cmd) {
	case F_GETFD:
	case F_GETFL:
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
	case F_GETPIPE_SZ:
	case F_GET_SEALS:
		return GT_A_SKIP;
	case F_SETFD:
		return GT_A_INT;
	case F_SETFL:
		return GT_A_OPEN_FLAGS;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETOWN:
	case F_SETSIG:
	case F_SETLEASE:
	case F_SETPIPE_SZ:
	case F_ADD_SEALS:
	case F_NOTIFY:
		return GT_A_INT;
	default: /* F_GETLK, F_SETLK(W), F_OFD_*, F_GETOWN_EX...: a struct */
		return GT_A_PTR;
	}
}

/* Render the shown arguments into c->arg[]; returns how many.  dup2's
 * target is left for later (*DEFER is its slot): it becomes a new fd only
 * through the call's effect. */
static size_t render_args(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
			  const struct gt_syscall_desc *d, bool cloexec, int *defer)
{
	size_t n = 0;

	*defer = -1;
	c->outlen = -1;
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++) {
		int fk = (d->fx & GT_FX_FCNTL) && i == 2 ? fcntl_arg_kind((int32_t)ev->args[1]) : -2;

		if (d->argk[i] == GT_A_SKIP || hide_mode(ev, d, i) || fk == GT_A_SKIP)
			continue;
		gt_buf_reset(&c->arg[n]);
		if ((d->fx & GT_FX_DUP_TO) && i == 1 && !failed(ev))
			*defer = (int)n;
		else if (fk >= 0)
			gt_xlat_arg(&c->arg[n], (enum gt_argk)fk, ev->args[i]);
		else
			render_arg(c, ti, ev, d, i, cloexec, &c->arg[n]);
		n++;
	}
	return n;
}

/* -- effects on the fd tables and processes -- */

static void do_exec(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
		    const struct gt_syscall_desc *d)
{
	int pi = arg_index(d, GT_A_PATH);
	char *raw = pi >= 0 ? arg_string(c, ev, pi) : NULL;

	unshare_for_exec(c, ti);
	gt_fdmap_exec(table_of(c, ti));
	if (raw) {
		gt_buf_reset(&c->scratch);
		put_canon_path(c, raw, &c->scratch);
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
			table_of(c, k);
			return;
		}
	}
}

static void do_close_range(struct ctx *c, size_t ti, const struct gt_raw_event *ev)
{
	if (ev->args[2] & CLOSE_RANGE_UNSHARE)
		unshare_table(c, ti);
	fdmap_range(table_of(c, ti), (unsigned int)ev->args[0], (unsigned int)ev->args[1],
		    ev->args[2] & CLOSE_RANGE_CLOEXEC);
}

static void apply_effects(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
			  const struct gt_syscall_desc *d, bool cloexec)
{
	struct gt_fdmap *tab = table_of(c, ti);
	int32_t a0 = (int32_t)ev->args[0], a1 = (int32_t)ev->args[1];

	/* close() releases the fd even when it fails, except with EBADF. */
	if ((d->fx & GT_FX_CLOSE) && !(failed(ev) && ev->ret == -EBADF))
		gt_fdmap_close(tab, a0);
	if (failed(ev))
		return;
	if ((d->fx & GT_FX_DUP_TO) && a0 != a1)
		gt_fdmap_alloc(tab, a1, cloexec);
	if (d->fx & GT_FX_CLOSE_RANGE)
		do_close_range(c, ti, ev);
	if ((d->fx & GT_FX_FCNTL) && a1 == F_SETFD)
		gt_fdmap_set_cloexec(tab, a0, ev->args[2] & FD_CLOEXEC);
	if ((d->fx & GT_FX_FORK) && ret_known(ev) && ev->ret > 0)
		do_fork(c, ti, ev);
	if (strcmp(d->name, "unshare") == 0 && (ev->args[0] & CLONE_FILES))
		unshare_table(c, ti);
	if (d->fx & GT_FX_EXEC)
		do_exec(c, ti, ev, d);
}

static bool is_dupfd(const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	int32_t cmd = (int32_t)ev->args[1];

	return (d->fx & GT_FX_FCNTL) && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC);
}

static void render_ret(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d, bool cloexec, struct gt_buf *b)
{
	int32_t fd = (int32_t)ev->ret;
	int l;

	if (!ret_known(ev) || d->retk == GT_R_NONE) {
		gt_buf_puts(b, "?");
	} else if (failed(ev)) {
		gt_buf_printf(b, "-1 %s", gt_errno_name((int)-ev->ret));
	} else if (d->fx & GT_FX_DUP_TO) {
		/* The effect made the new fd already. */
		l = gt_fdmap_get(table_of(c, ti), fd);
		if (l < 0)
			gt_buf_puts(b, "fd?");
		else
			gt_buf_printf(b, "%d", l);
	} else if (d->retk == GT_R_FD || is_dupfd(ev, d)) {
		gt_buf_printf(b, "%d", gt_fdmap_alloc(table_of(c, ti), fd, cloexec));
	} else if (d->retk == GT_R_PID && strcmp(d->name, "wait4") == 0 &&
		   (int32_t)ev->args[0] <= 0) {
		/* Waiting for any child: which one is reaped first is the order
		 * in which they happened to exit (a shell's pipeline). */
		gt_buf_puts(b, "child");
	} else if (d->retk == GT_R_PID) {
		put_pid(c, ev->ret, b);
	} else if (d->retk == GT_R_ADDR) {
		gt_buf_puts(b, "addr");
	} else if (d->retk == GT_R_HEX) {
		gt_buf_printf(b, "0x%" PRIx64, (uint64_t)ev->ret);
	} else if (d->retk == GT_R_STRLEN && c->outlen >= 0) {
		/* getcwd counts the terminating NUL, readlink does not. */
		gt_buf_printf(b, "%ld", c->outlen + (strcmp(d->name, "getcwd") == 0));
	} else {
		gt_buf_printf(b, "%" PRId64, ev->ret);
	}
}

/* -- the pass over the events -- */

static bool is_probe_event(struct ctx *c, const struct gt_raw_event *ev,
			   const struct gt_syscall_desc *d)
{
	int pi = arg_index(d, GT_A_PATH);
	char *path;
	bool probe;

	if (pi < 0 || !failed(ev) || (ev->ret != -ENOENT && ev->ret != -ENOTDIR))
		return false;
	path = arg_string(c, ev, pi);
	probe = gt_canon_is_loader_probe(d->name, path, (int)-ev->ret);
	free(path);
	return probe;
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
	s->calls.median += 1;
	if (failed(ev))
		s->errors.median += 1;
	if (ev->t_exit_ns > ev->t_enter_ns)
		s->time_us.median += (double)(ev->t_exit_ns - ev->t_enter_ns) / 1000.0;
	c->kept++;
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

/* What the memory rules make of a call. */
enum mem_verdict { MEM_KEEP, MEM_DROP, MEM_LDCACHE_LENGTH };

/* ldcache slot value: opened with an unknown fd (returns unknown). */
#define LDCACHE_PENDING (-2)

static struct region *find_region(struct ctx *c, size_t proc, uint64_t addr, uint64_t len)
{
	for (size_t i = c->nregions; i-- > 0;) {
		struct region *r = &c->regions[i];

		if (r->proc == proc && addr >= r->addr && addr - r->addr < r->len &&
		    len <= r->len - (addr - r->addr))
			return r;
	}
	return NULL;
}

/* [ADDR, ADDR+LEN) of PROC is no longer what any region says (unmapped,
 * or mapped anew): cut it out of every region, so that a later mapping
 * that reuses the addresses is not taken for the old one. */
static void forget_range(struct ctx *c, size_t proc, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;

	for (size_t i = 0; i < c->nregions;) {
		struct region *r = &c->regions[i];
		uint64_t rend = r->addr + r->len;

		if (r->proc != proc || rend <= addr || r->addr >= end) {
			i++;
			continue;
		}
		if (r->addr < addr && rend > end) {
			/* a hole in the middle: keep both sides */
			struct region tail = *r;

			tail.addr = end;
			tail.len = rend - end;
			r->len = addr - r->addr;
			xgrow((void **)&c->regions, &c->regions_cap, c->nregions + 1,
			      sizeof(*c->regions));
			c->regions[c->nregions++] = tail;
			i++;
		} else if (r->addr < addr) {
			r->len = addr - r->addr;
			i++;
		} else if (rend > end) {
			r->len = rend - end;
			r->addr = end;
			i++;
		} else {
			c->regions[i] = c->regions[--c->nregions];
		}
	}
}

static void add_region(struct ctx *c, size_t proc, uint64_t addr, uint64_t len,
		       enum region_kind kind)
{
	xgrow((void **)&c->regions, &c->regions_cap, c->nregions + 1, sizeof(*c->regions));
	c->regions[c->nregions++] = (struct region){ proc, addr, len, kind };
}

/*
 * Memory calls whose numbers are not behaviour:
 * - glibc's malloc reserves an aligned arena by mapping twice the size with
 *   PROT_NONE|MAP_NORESERVE and unmapping the misaligned ends; how much it
 *   trims, and whether it trims once or twice, depends on where ASLR put
 *   the mapping.  The trims are dropped.
 * - the loader maps /etc/ld.so.cache whole; its size changes whenever a
 *   library is installed.  Its length is shown as "len(ld.so.cache)".
 */
/* The slot of PROC's ld.so.cache fd (processes start loading at once in a
 * pipeline, so one slot for all would mix them up). */
static int *ldcache_slot(struct ctx *c, size_t proc)
{
	if (proc >= c->nldcache) {
		size_t n = c->nldcache;

		xgrow((void **)&c->ldcache_fd, &c->nldcache, proc + 1, sizeof(*c->ldcache_fd));
		for (size_t i = n; i < c->nldcache; i++)
			c->ldcache_fd[i] = -1;
	}
	return &c->ldcache_fd[proc];
}

/* The same rules for a backend that cannot see return values (seccomp):
 * no addresses, no fds from opens.  The loader's ld.so.cache open is
 * followed by its mmap (the process's next mmap of an fd) and, later, a
 * munmap of that length; an arena reservation is followed at once, in the
 * same thread, by at most two trims within its length. */
static enum mem_verdict memory_rules_unknown(struct ctx *c, size_t ti,
					     const struct gt_raw_event *ev,
					     const struct gt_syscall_desc *d)
{
	struct ctask *ct = &c->tasks[ti];
	size_t proc = ct->proc;
	int *ldcache = ldcache_slot(c, proc);
	bool is_mmap = strcmp(d->name, "mmap") == 0, is_munmap = strcmp(d->name, "munmap") == 0;
	int pi;

	if (is_munmap && ct->trims_left && ev->args[1] <= ct->trim_left) {
		ct->trims_left--;
		ct->trim_left -= ev->args[1];
		return MEM_DROP;
	}
	ct->trims_left = 0;
	if (is_mmap && ev->args[2] == PROT_NONE && (ev->args[3] & MAP_NORESERVE)) {
		ct->trims_left = 2;
		ct->trim_left = ev->args[1];
		return MEM_KEEP;
	}
	if (is_mmap && *ldcache == LDCACHE_PENDING && (int32_t)ev->args[4] >= 0) {
		*ldcache = -1;
		add_region(c, proc, 0, ev->args[1], REGION_LDCACHE);
		return MEM_LDCACHE_LENGTH;
	}
	if (is_munmap) {
		/* Its address is an argument, known either way: a region whose
		 * address was seen (auto: mmap's return is) is found by it. */
		struct region *r = find_region(c, proc, ev->args[0], ev->args[1]);

		if (r && r->addr != 0) {
			enum mem_verdict v = r->kind == REGION_RESERVE ? MEM_DROP
								 : MEM_LDCACHE_LENGTH;

			forget_range(c, proc, ev->args[0], ev->args[1]);
			return v;
		}
		for (size_t i = 0; i < c->nregions; i++) {
			r = &c->regions[i];
			if (r->proc == proc && r->addr == 0 && r->kind == REGION_LDCACHE &&
			    r->len == ev->args[1]) {
				c->regions[i] = c->regions[--c->nregions];
				return MEM_LDCACHE_LENGTH;
			}
		}
		return MEM_KEEP;
	}
	pi = arg_index(d, GT_A_PATH);
	if (d->retk == GT_R_FD && pi >= 0) {
		const char *m = gt_capture_mem(c->cap, ev, pi);
		size_t avail = m ? c->cap->bloblen - (size_t)(m - c->cap->blob) : 0;

		if (m && strnlen(m, avail) == sizeof("/etc/ld.so.cache") - 1 &&
		    strncmp(m, "/etc/ld.so.cache", avail) == 0)
			*ldcache = LDCACHE_PENDING;
	}
	return MEM_KEEP;
}

static enum mem_verdict memory_rules(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
				     const struct gt_syscall_desc *d)
{
	size_t proc = c->tasks[ti].proc;
	int *ldcache = ldcache_slot(c, proc);
	int pi;

	/* A close ends the cache's fd whether or not its return was seen. */
	if ((d->fx & GT_FX_CLOSE) && *ldcache >= 0 && (int32_t)ev->args[0] == *ldcache)
		*ldcache = -1;
	if (!ret_known(ev) && !(ev->flags & GT_EV_NO_RETURN))
		return memory_rules_unknown(c, ti, ev, d);
	if (!succeeded(ev))
		return MEM_KEEP;
	if (strcmp(d->name, "mmap") == 0) {
		/* Whatever was mapped there before is gone. */
		forget_range(c, proc, (uint64_t)ev->ret, ev->args[1]);
		if (ev->args[2] == PROT_NONE && (ev->args[3] & MAP_NORESERVE))
			add_region(c, proc, (uint64_t)ev->ret, ev->args[1], REGION_RESERVE);
		if (*ldcache >= 0 && (int32_t)ev->args[4] == *ldcache) {
			add_region(c, proc, (uint64_t)ev->ret, ev->args[1], REGION_LDCACHE);
			return MEM_LDCACHE_LENGTH;
		}
		return MEM_KEEP;
	}
	if (strcmp(d->name, "munmap") == 0) {
		struct region *r = find_region(c, proc, ev->args[0], ev->args[1]);
		enum mem_verdict verdict = MEM_KEEP;

		if (r)
			verdict = r->kind == REGION_RESERVE ? MEM_DROP : MEM_LDCACHE_LENGTH;
		forget_range(c, proc, ev->args[0], ev->args[1]);
		return verdict;
	}
	if ((d->fx & GT_FX_CLOSE) && (int32_t)ev->args[0] == *ldcache) {
		*ldcache = -1;
		return MEM_KEEP;
	}
	pi = arg_index(d, GT_A_PATH);
	if (d->retk == GT_R_FD && pi >= 0) {
		const char *m = gt_capture_mem(c->cap, ev, pi);
		size_t avail = m ? c->cap->bloblen - (size_t)(m - c->cap->blob) : 0;

		if (m && strnlen(m, avail) == sizeof("/etc/ld.so.cache") - 1 &&
		    strncmp(m, "/etc/ld.so.cache", avail) == 0) {
			*ldcache = (int)ev->ret;
		}
	}
	return MEM_KEEP;
}

static void process_event(struct ctx *c, const struct gt_raw_event *ev)
{
	enum mem_verdict mem;
	const struct gt_syscall_desc *d = gt_syscall_by_nr(ev->nr);
	const char *args[GT_MAX_ARGS], *name;
	size_t ti = ev->task, nargs;
	char namebuf[32];
	struct ctask *ct = &c->tasks[ti];
	bool cloexec;
	int defer;

	/* Ignored calls change no state either: a backend may not even see
	 * them, and the trace must not depend on that. */
	name = call_name(ev, d, namebuf, sizeof(namebuf));
	if (in_list(name, c->o->ignore, c->o->nignore))
		return;
	/* An attempt the kernel restarts: the restarted call is the event. */
	if (ret_known(ev) && gt_ret_is_restart(ev->ret))
		return;
	/* A backend that sees returns let this one go by unseen (auto). */
	if (c->cap->info.returns_known && (ev->flags & GT_EV_RET_UNKNOWN))
		gt_trace_add_unknown_return(c->t, name);
	table_of(c, ti);
	if (!c->o->keep_loader_probes && is_probe_event(c, ev, d))
		return;
	mem = memory_rules(c, ti, ev, d);
	if (mem == MEM_DROP)
		return;
	cloexec = call_cloexec(ev, d);
	nargs = render_args(c, ti, ev, d, cloexec, &defer);
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
	if (defer >= 0)
		render_fd(c, ti, ev->args[1], false, &c->arg[defer]);
	gt_buf_reset(&c->ret);
	render_ret(c, ti, ev, d, cloexec, &c->ret);
	if (in_list(name, c->unordered, c->nunordered))
		return;
	for (size_t i = 0; i < nargs; i++)
		args[i] = c->arg[i].s ? c->arg[i].s : "";
	gt_thread_add_event(c->t, &c->t->procs[ct->proc].threads[ct->thread], name, args,
			    nargs, c->ret.s, 1);
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
	};

	for (size_t i = 0; i < t->nprocs && !c->o->no_collapse_repeats; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++)
			gt_canon_collapse_repeats(&t->procs[i].threads[j]);
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
	gt_trace_rehash(t);
}

static void ctx_init(struct ctx *c, const struct gt_capture *cap, const struct gt_canon_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->cap = cap;
	c->o = o;
	c->t = gt_trace_new();
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
	for (size_t i = 0; i < GT_MAX_ARGS; i++)
		gt_buf_free(&c->arg[i]);
	gt_buf_free(&c->ret);
	gt_buf_free(&c->scratch);
	gt_buf_free(&c->elem);
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
	for (size_t i = 0; i < cap->nevents; i++)
		process_event(&c, &cap->events[i]);
	finish(&c);
	*out = c.t;
	c.t = NULL;
	ctx_free(&c);
	return GT_OK;
}

/* ---- gt_canon_merge_runs ---- */

static void add_masked_once(struct gt_trace *t, const char *what)
{
	const char *s = gt_trace_str(t, what);

	for (size_t i = 0; i < t->nmasked; i++)
		if (t->masked[i] == s)
			return;
	gt_trace_add_masked(t, s);
}

static void copy_header(struct gt_trace *t, const struct gt_trace *r)
{
	t->version = r->version;
	t->generator = gt_trace_str(t, r->generator);
	for (size_t i = 0; i < r->ncommand; i++)
		gt_trace_add_command(t, r->command[i]);
	t->backend = gt_trace_str(t, r->backend);
	t->returns_known = r->returns_known;
	t->reason = gt_trace_str(t, r->reason);
	t->exit_code = r->exit_code;
	t->exit_signal = gt_trace_str(t, r->exit_signal);
	t->intercepted = r->intercepted;
	t->let_through = r->let_through;
	for (size_t i = 0; i < r->nunordered; i++)
		gt_trace_add_unordered(t, r->unordered[i]);
	for (size_t i = 0; i < r->nignored; i++)
		gt_trace_add_ignored(t, r->ignored[i]);
	for (size_t i = 0; i < r->nunknown_returns; i++)
		gt_trace_add_unknown_return(t, r->unknown_returns[i]);
	for (size_t i = 0; i < r->nmasked; i++)
		add_masked_once(t, r->masked[i]);
}

static void copy_procs(struct gt_trace *t, const struct gt_trace *r)
{
	for (size_t i = 0; i < r->nprocs; i++) {
		const struct gt_process *rp = &r->procs[i];
		struct gt_process *p = gt_trace_add_process(t, rp->id, rp->parent);

		p->exe = gt_trace_str(t, rp->exe);
		p->exit_code = rp->exit_code;
		p->exit_signal = gt_trace_str(t, rp->exit_signal);
		for (size_t j = 0; j < rp->nthreads; j++) {
			const struct gt_thread *rth = &rp->threads[j];
			struct gt_thread *th = gt_process_add_thread(t, p, rth->id);

			for (size_t k = 0; k < rth->nevents; k++) {
				const struct gt_event *e = &rth->events[k];

				gt_thread_add_event(t, th, e->call, e->args, e->nargs, e->ret,
						    e->count);
			}
		}
	}
}

/* Is the I-th shown argument of CALL one the kernel fills in? */
static bool is_output_arg(const char *call, size_t i)
{
	int nr = gt_syscall_nr(call);
	const struct gt_syscall_desc *d;
	size_t shown = 0;

	if (nr < 0)
		return false;
	d = gt_syscall_by_nr(nr);
	for (int k = 0; k < d->nargs && k < GT_MAX_ARGS; k++) {
		if (d->argk[k] == GT_A_SKIP)
			continue;
		if (shown++ == i)
			return d->argk[k] == GT_A_OUTPATH || d->argk[k] == GT_A_FDPAIR;
	}
	return false;
}

static void copy_stats(struct gt_trace *t, const struct gt_trace *r)
{
	for (size_t i = 0; i < r->nsysstats; i++) {
		struct gt_syscall_stat *s = gt_trace_sysstat(t, r->sysstats[i].name);

		s->calls = r->sysstats[i].calls;
		s->errors = r->sysstats[i].errors;
		s->time_us = r->sysstats[i].time_us;
	}
	for (size_t i = 0; i < r->nruns; i++)
		gt_trace_add_run(t, &r->runs[i]);
	t->wall_s = r->wall_s;
	t->user_s = r->user_s;
	t->sys_s = r->sys_s;
	t->max_rss_kb = r->max_rss_kb;
	t->syscalls = r->syscalls;
}

/* List the events whose count varied, by their final positions. */
static void list_count_masks(struct gt_trace *t)
{
	char what[96];

	for (size_t i = 0; i < t->nprocs; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			for (size_t e = 0; e < th->nevents; e++) {
				if (!(th->events[e].flags & GT_EVF_COUNT_VARIED))
					continue;
				snprintf(what, sizeof(what), "%s event %zu count", th->id, e + 1);
				add_masked_once(t, what);
			}
		}
	}
}

void gt_canon_forget_returns(const struct gt_trace *r, const struct gt_trace *like,
			     struct gt_trace **out)
{
	struct gt_trace *t = gt_trace_new();
	bool all = !like || !like->returns_known;
	const char *unknown, *ptr;
	char want[96];

	copy_header(t, r);
	if (all)
		t->returns_known = false;
	else
		for (size_t i = 0; i < like->nunknown_returns; i++)
			gt_trace_add_unknown_return(t, like->unknown_returns[i]);
	/* Counts the golden masked are re-listed after the re-collapse. */
	t->nmasked = 0;
	for (size_t i = 0; i < r->nmasked; i++)
		if (!strstr(r->masked[i], " count"))
			add_masked_once(t, r->masked[i]);
	copy_procs(t, r);
	unknown = gt_trace_str(t, "?");
	ptr = gt_trace_str(t, "ptr");
	for (size_t i = 0; i < t->nprocs; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			struct gt_thread *th = &t->procs[i].threads[j];

			/* Still the original positions: the collapse comes after. */
			for (size_t k = 0; k < th->nevents; k++) {
				struct gt_event *e = &th->events[k];

				snprintf(want, sizeof(want), "%s event %zu count", th->id, k + 1);
				for (size_t m = 0; m < r->nmasked; m++)
					if (strcmp(r->masked[m], want) == 0)
						e->flags |= GT_EVF_COUNT_VARIED;
				if (!all && !gt_trace_return_unknown(like, e->call))
					continue;
				for (size_t a = 0; a < e->nargs; a++)
					if (is_output_arg(e->call, a))
						e->args[a] = ptr;
				e->ret = unknown;
				e->hash = gt_event_hash(e);
			}
			gt_canon_collapse_repeats(th);
		}
	}
	list_count_masks(t);
	copy_stats(t, r);
	gt_trace_rehash(t);
	*out = t;
}

static void notef(struct gt_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void notef(struct gt_trace *t, const char *fmt, ...)
{
	struct gt_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add_masked_once(t, b.s ? b.s : "");
	gt_buf_free(&b);
}

static const char *nz(const char *s)
{
	return s ? s : "(none)";
}

/* Do RUNS have the same processes and threads?  If not, say how in T. */
static bool same_tree(struct gt_trace *t, struct gt_trace *const *runs, size_t n)
{
	const struct gt_trace *r0 = runs[0];

	for (size_t k = 1; k < n; k++) {
		const struct gt_trace *r = runs[k];

		if (r->nprocs != r0->nprocs) {
			notef(t, "processes differ between runs (%zu vs %zu)", r0->nprocs,
			      r->nprocs);
			return false;
		}
		for (size_t i = 0; i < r0->nprocs; i++) {
			const struct gt_process *p0 = &r0->procs[i], *p = &r->procs[i];

			if (!str_eq(p0->id, p->id)) {
				notef(t, "process ids differ between runs (%s vs %s)", nz(p0->id),
				      nz(p->id));
				return false;
			}
			if (p0->nthreads != p->nthreads) {
				notef(t, "%s: threads differ between runs (%zu vs %zu)", nz(p0->id),
				      p0->nthreads, p->nthreads);
				return false;
			}
			for (size_t j = 0; j < p0->nthreads; j++) {
				if (!str_eq(p0->threads[j].id, p->threads[j].id)) {
					notef(t, "%s: thread ids differ between runs (%s vs %s)",
					      nz(p0->id), nz(p0->threads[j].id),
					      nz(p->threads[j].id));
					return false;
				}
			}
		}
	}
	return true;
}

static const struct gt_thread *thread_of(const struct gt_trace *r, size_t pi, size_t ti)
{
	return &r->procs[pi].threads[ti];
}

/* Do the runs' sequences of thread (PI, TI) line up event by event? */
static bool thread_aligns(struct gt_trace *t, struct gt_trace *const *runs, size_t n, size_t pi,
			  size_t ti)
{
	const struct gt_thread *th0 = thread_of(runs[0], pi, ti);

	for (size_t k = 1; k < n; k++) {
		const struct gt_thread *th = thread_of(runs[k], pi, ti);

		if (th->nevents != th0->nevents) {
			notef(t, "%s: event counts differ between runs (%zu vs %zu)", nz(th0->id),
			      th0->nevents, th->nevents);
			return false;
		}
		for (size_t e = 0; e < th0->nevents; e++) {
			if (!str_eq(th0->events[e].call, th->events[e].call)) {
				notef(t, "%s event %zu: calls differ between runs (%s vs %s)",
				      nz(th0->id), e + 1, nz(th0->events[e].call),
				      nz(th->events[e].call));
				return false;
			}
		}
	}
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Wildcard the fields of event E (index EI of thread PI/TI) that differ
 * between the runs; its count becomes the runs' median.  True if changed. */
static bool wildcard_event(struct gt_trace *t, struct gt_trace *const *runs, size_t n, size_t pi,
			   size_t ti, size_t ei, struct gt_event *e, uint32_t *counts)
{
	const char *star = gt_trace_str(t, GT_WILDCARD);
	bool changed = false;

	for (size_t k = 0; k < n; k++) {
		const struct gt_event *o = &thread_of(runs[k], pi, ti)->events[ei];

		for (size_t a = 0; a < e->nargs; a++) {
			if (e->args[a] != star && (a >= o->nargs || !str_eq(e->args[a], o->args[a]))) {
				e->args[a] = star;
				changed = true;
			}
		}
		if (e->ret != star && !str_eq(e->ret, o->ret)) {
			e->ret = star;
			changed = true;
		}
		counts[k] = o->count;
	}
	qsort(counts, n, sizeof(*counts), cmp_u32);
	if (counts[0] != counts[n - 1])
		e->flags |= GT_EVF_COUNT_VARIED;
	if (e->count != counts[(n - 1) / 2]) {
		e->count = counts[(n - 1) / 2];
		changed = true;
	}
	if (changed)
		e->hash = gt_event_hash(e);
	return changed;
}

static void wildcard_thread(struct gt_trace *t, struct gt_trace *const *runs, size_t n,
			    size_t pi, size_t ti)
{
	struct gt_thread *th = &t->procs[pi].threads[ti];
	uint32_t *counts = xcalloc(n, sizeof(*counts));
	bool changed = false;

	for (size_t e = 0; e < th->nevents; e++)
		changed |= wildcard_event(t, runs, n, pi, ti, e, &th->events[e], counts);
	free(counts);
	/* Fields that became "*" may make neighbours identical. */
	if (changed)
		gt_canon_collapse_repeats(th);
}

/* List every wildcard of T in its masked list, by final position. */
static void list_wildcards(struct gt_trace *t)
{
	const char *star = gt_trace_str(t, GT_WILDCARD);

	for (size_t i = 0; i < t->nprocs; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			for (size_t e = 0; e < th->nevents; e++) {
				const struct gt_event *ev = &th->events[e];

				for (size_t a = 0; a < ev->nargs; a++)
					if (ev->args[a] == star)
						notef(t, "%s event %zu arg %zu", th->id, e + 1,
						      a + 1);
				if (ev->ret == star)
					notef(t, "%s event %zu return", th->id, e + 1);
				if (ev->flags & GT_EVF_COUNT_VARIED)
					notef(t, "%s event %zu count", th->id, e + 1);
			}
		}
	}
}

static const struct gt_syscall_stat *find_stat(const struct gt_trace *r, const char *name)
{
	for (size_t i = 0; i < r->nsysstats; i++)
		if (str_eq(r->sysstats[i].name, name))
			return &r->sysstats[i];
	return NULL;
}

/* One field of syscall NAME over the runs (0 where a run lacks it). */
static struct gt_stat stat_over_runs(struct gt_trace *const *runs, size_t n, const char *name,
				     size_t field, double *v)
{
	for (size_t k = 0; k < n; k++) {
		const struct gt_syscall_stat *s = find_stat(runs[k], name);
		const struct gt_stat *f = !s ? NULL : field == 0 ? &s->calls :
					  field == 1 ? &s->errors : &s->time_us;

		/* A run's value: single-run traces have min = median = max. */
		v[k] = f ? f->median : 0;
	}
	return gt_stat_of(v, n);
}

static void merge_stats(struct gt_trace *t, struct gt_trace *const *runs, size_t n)
{
	size_t ns;
	double *v;

	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < runs[k]->nsysstats; i++)
			gt_trace_sysstat(t, runs[k]->sysstats[i].name);
		for (size_t i = 0; i < runs[k]->nruns; i++)
			gt_trace_add_run(t, &runs[k]->runs[i]);
	}
	v = xcalloc(n > t->nruns ? n : t->nruns ? t->nruns : 1, sizeof(*v));
	for (size_t i = 0; i < t->nsysstats; i++) {
		struct gt_syscall_stat *s = &t->sysstats[i];

		s->calls = stat_over_runs(runs, n, s->name, 0, v);
		s->errors = stat_over_runs(runs, n, s->name, 1, v);
		s->time_us = stat_over_runs(runs, n, s->name, 2, v);
	}
	ns = t->nruns;
#define RUN_STAT(field)                                  \
	do {                                             \
		for (size_t k = 0; k < ns; k++)          \
			v[k] = t->runs[k].field;         \
		t->field = gt_stat_of(v, ns);            \
	} while (0)
	RUN_STAT(wall_s);
	RUN_STAT(user_s);
	RUN_STAT(sys_s);
	RUN_STAT(max_rss_kb);
	RUN_STAT(syscalls);
#undef RUN_STAT
	free(v);
}

enum gt_rc gt_canon_merge_runs(struct gt_trace *const *runs, size_t n, struct gt_trace **out,
			       struct gt_error *err)
{
	struct gt_trace *t;

	*out = NULL;
	if (n == 0)
		return gt_error_set(err, GT_ERR_USAGE, "merge: no runs");
	for (size_t k = 0; k < n; k++)
		if (!runs[k])
			return gt_error_set(err, GT_ERR_USAGE, "merge: run %zu missing", k + 1);
	t = gt_trace_new();
	copy_header(t, runs[0]);
	copy_procs(t, runs[0]);
	if (same_tree(t, runs, n)) {
		for (size_t i = 0; i < t->nprocs; i++)
			for (size_t j = 0; j < t->procs[i].nthreads; j++)
				if (thread_aligns(t, runs, n, i, j))
					wildcard_thread(t, runs, n, i, j);
	}
	list_wildcards(t);
	merge_stats(t, runs, n);
	gt_trace_rehash(t);
	*out = t;
	return GT_OK;
}

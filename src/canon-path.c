/*
 * canon-path: the canonicalizer's rules for names, pure functions of their
 * arguments: paths (placeholders for the run's directories, /proc/<pid>
 * through logical ids, glibc-hwcaps levels, directories above $CWD), the
 * random part of temp names, and the dynamic loader's library probes.
 * gt_canon_build supplies the run's state (which pid is which, which names
 * the run created).
 */
#include "config.h"

#include "canon.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "canon-internal.h"

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
bool canon_prefix_match(const char *path, const char *prefix, size_t *plen)
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
		{ o->pwhome, "$HOME" },
		{ o->tmp, "$TMP" },
		{ o->golden, "$GOLDEN" },
	};
	const char *as = NULL;
	size_t best = 0, n;

	for (size_t i = 0; i < o->nrules; i++) {
		if (o->rules[i].as && canon_prefix_match(path, o->rules[i].prefix, &n) &&
		    n > best) {
			best = n;
			as = o->rules[i].as;
		}
	}
	for (size_t i = 0; i < GT_ARRAY_SIZE(dirs); i++) {
		if (canon_prefix_match(path, dirs[i].prefix, &n) && n > best) {
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

/* ---- environment probes ---- */

/* Is PATH strictly below DIR's proper ancestor (not "/")? */
static bool below_ancestor_of(const char *dir, const char *path)
{
	const char *slash;
	size_t n;

	if (!dir)
		return false;
	/* The ancestors of DIR are its prefixes ending before a '/'. */
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		n = (size_t)(slash - dir);
		if (strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1])
			return true;
	}
	return false;
}

bool gt_canon_is_walkup_probe(const struct gt_canon_opts *o, const char *path)
{
	size_t plen;

	if (!o || !path || path[0] != '/' || best_prefix(o, path, &plen))
		return false;
	return below_ancestor_of(o->home, path) || below_ancestor_of(o->cwd, path) ||
	       below_ancestor_of(o->tmp, path);
}

/* The event's path: its first string argument, without the quotes, as a
 * pointer into it and a length; NULL if it has none. */
static const char *event_path(const struct gt_event *e, size_t *len)
{
	for (size_t i = 0; i < e->nargs && i < GT_MAX_ARGS; i++) {
		const char *a = e->args[i];
		size_t n = a ? strlen(a) : 0;

		if (n >= 2 && a[0] == '"' && a[n - 1] == '"') {
			*len = n - 2;
			return a + 1;
		}
		if (n && a[0] == '"')
			return NULL;
	}
	return NULL;
}

/* Which of the N canonical PATH directories DIRS is E's path directly in
 * (-1: none); its NAME goes to *NAME, *NLEN. */
static int in_path_dir(char *const *dirs, size_t n, const struct gt_event *e, const char **name,
		       size_t *nlen)
{
	size_t len;
	const char *p = event_path(e, &len), *slash;

	if (!p)
		return -1;
	slash = memrchr(p, '/', len);
	if (!slash || slash + 1 == p + len)
		return -1;
	for (size_t k = 0; k < n; k++) {
		size_t dn = strlen(dirs[k]);

		if (dn == (size_t)(slash - p) && strncmp(dirs[k], p, dn) == 0) {
			*name = slash + 1;
			*nlen = len - dn - 1;
			return (int)k;
		}
	}
	return -1;
}

static void uncount(struct gt_trace *t, const struct gt_event *e)
{
	struct gt_syscall_stat *st = gt_trace_sysstat(t, e->call);

	if (st->calls.median >= e->count)
		st->calls.median -= e->count;
	if (e->ret[0] == '-' && st->errors.median >= e->count)
		st->errors.median -= e->count;
}

/* O's PATH directories as the events spell them (caller frees with
 * free_dirs); *N of them. */
static char **canon_path_dirs(const struct gt_canon_opts *o, size_t *n)
{
	char **dirs = xcalloc(o->npath_dirs + 1, sizeof(*dirs));
	struct gt_buf b = { 0 };

	*n = 0;
	for (size_t i = 0; i < o->npath_dirs; i++) {
		gt_buf_reset(&b);
		gt_canon_path(o, o->path_dirs[i], NULL, NULL, &b);
		if (b.len > 1 && b.s[b.len - 1] == '/')
			b.s[--b.len] = '\0';
		if (b.s && b.s[0])
			dirs[(*n)++] = xstrdup(b.s);
	}
	gt_buf_free(&b);
	return dirs;
}

static void free_dirs(char **dirs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

size_t gt_canon_fold_path_searches(struct gt_trace *t, struct gt_thread *th,
				   const struct gt_canon_opts *o)
{
	char **dirs;
	size_t w = 0, r = 0, ndirs = 0, dropped = 0;

	if (!o || !o->npath_dirs)
		return 0;
	dirs = canon_path_dirs(o, &ndirs);
	while (r < th->nevents) {
		const char *name, *n2;
		size_t nlen, n2len, j = r + 1;
		int k = in_path_dir(dirs, ndirs, &th->events[r], &name, &nlen), k2;

		/* A run of misses (failed, or unknown under seccomp) that the
		 * next call in a later PATH directory continues. */
		while (k >= 0 && j < th->nevents && th->events[j].call == th->events[r].call &&
		       (th->events[j - 1].ret[0] == '-' || th->events[j - 1].ret[0] == '?') &&
		       (k2 = in_path_dir(dirs, ndirs, &th->events[j], &n2, &n2len)) >= k &&
		       n2len == nlen && strncmp(n2, name, nlen) == 0) {
			k = k2;
			j++;
		}
		if (j - r >= 2) {
			/* The misses go; the last call (the hit) stands. */
			for (; r < j - 1; r++, dropped++)
				uncount(t, &th->events[r]);
		}
		while (r < j)
			th->events[w++] = th->events[r++];
	}
	th->nevents = w;
	free_dirs(dirs, ndirs);
	return dropped;
}

/* Is E an exec of DIR/NAME with argv[0] "NAME": a command run by its bare
 * name (execvp, a shell, gtdiff's own lookup)? */
static bool exec_by_name(const struct gt_event *e, const char *name, size_t nlen)
{
	const char *argv = NULL;

	if (strcmp(e->call, "execve") == 0 && e->nargs > 1)
		argv = e->args[1];
	else if (strcmp(e->call, "execveat") == 0 && e->nargs > 2)
		argv = e->args[2];
	return argv && argv[0] == '[' && argv[1] == '"' && strncmp(argv + 2, name, nlen) == 0 &&
	       argv[2 + nlen] == '"';
}

void gt_canon_name_path_execs(struct gt_trace *t, struct gt_process *p,
			      const struct gt_canon_opts *o)
{
	struct gt_buf b = { 0 };
	char **dirs;
	size_t ndirs = 0;

	if (!o || !o->npath_dirs)
		return;
	dirs = canon_path_dirs(o, &ndirs);
	for (size_t j = 0; j < p->nthreads; j++) {
		struct gt_thread *th = &p->threads[j];

		for (size_t i = 0; i < th->nevents; i++) {
			struct gt_event *e = &th->events[i];
			const char *name, *old;
			size_t nlen, at;

			if (in_path_dir(dirs, ndirs, e, &name, &nlen) < 0 ||
			    !exec_by_name(e, name, nlen))
				continue;
			at = strcmp(e->call, "execveat") == 0 ? 1 : 0;
			old = e->args[at];
			gt_buf_reset(&b);
			gt_buf_printf(&b, "\"$PATH/%.*s\"", (int)nlen, name);
			e->args[at] = gt_trace_str(t, b.s);
			e->hash = gt_event_hash(e);
			/* The process's program, as its exec now names it. */
			if (p->exe && strlen(p->exe) == strlen(old) - 2 &&
			    strncmp(p->exe, old + 1, strlen(p->exe)) == 0) {
				gt_buf_reset(&b);
				gt_buf_printf(&b, "$PATH/%.*s", (int)nlen, name);
				p->exe = gt_trace_str(t, b.s);
			}
		}
	}
	gt_buf_free(&b);
	free_dirs(dirs, ndirs);
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
	if (!canon_in_list(call, probe_calls, GT_ARRAY_SIZE(probe_calls)))
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

/*
 * stateful: did an earlier recording run change what a later one saw?  A
 * run that leaves a file in its working directory (an object file, a
 * database, a rewritten git index) makes the next run take another path:
 * the runs differ by state, not by behaviour, and a golden learned from
 * them would be wrong on a fresh checkout.  See stateful.h.
 */
#include "config.h"

#include "stateful.h"

#include <stdlib.h>
#include <string.h>

/* The event's path (its first string argument, unquoted; its last for
 * rename, link and symlink, which make that one) into BUF of N bytes;
 * false when it has none or it does not fit. */
static bool event_path(const struct gt_event *e, char *buf, size_t n)
{
	/* rename, link and symlink make their last path. */
	bool last = strncmp(e->call, "rename", 6) == 0 || strncmp(e->call, "link", 4) == 0 ||
		    strncmp(e->call, "symlink", 7) == 0;

	for (size_t i0 = 0; i0 < e->nargs; i0++) {
		size_t i = last ? e->nargs - 1 - i0 : i0;
		const char *a = e->args[i];
		size_t len = a ? strlen(a) : 0;

		if (len >= 2 && a[0] == '"' && a[len - 1] == '"') {
			/* Relative to a directory descriptor (openat(4, "x")):
			 * not the working directory's. */
			if (i > 0 && e->args[i - 1][0] >= '0' && e->args[i - 1][0] <= '9' &&
			    a[1] != '/' && a[1] != '$')
				return false;
			if (len - 2 >= n)
				return false;
			memcpy(buf, a + 1, len - 2);
			buf[len - 2] = '\0';
			return true;
		}
	}
	return false;
}

/* Is P in the working directory: relative, or under $CWD? */
static bool in_cwd(const char *p)
{
	return (p[0] != '/' && p[0] != '$' && p[0]) || strncmp(p, "$CWD/", 5) == 0;
}

/* Does E create, write, remove or rename onto its path? */
static bool writes(const struct gt_event *e)
{
	static const char *const calls[] = {
		"creat", "mkdir", "mkdirat", "rename", "renameat", "renameat2", "unlink",
		"unlinkat", "rmdir", "link", "linkat", "symlink", "symlinkat", "truncate",
	};

	if (e->ret[0] == '-')
		return false;
	for (size_t i = 0; i < GT_ARRAY_SIZE(calls); i++)
		if (strcmp(e->call, calls[i]) == 0)
			return true;
	if (strcmp(e->call, "open") == 0 || strcmp(e->call, "openat") == 0 ||
	    strcmp(e->call, "openat2") == 0)
		for (size_t i = 0; i < e->nargs; i++)
			if (strstr(e->args[i], "O_CREAT") || strstr(e->args[i], "O_WRONLY") ||
			    strstr(e->args[i], "O_RDWR") || strstr(e->args[i], "O_TRUNC"))
				return true;
	return false;
}

/* Does thread TH of T look up PATH and find it missing (ENOENT) before
 * any write of it? */
static bool missed_before_write(const struct gt_thread *th, const char *path)
{
	char buf[4096];

	for (size_t k = 0; k < th->nevents; k++) {
		const struct gt_event *e = &th->events[k];

		if (!event_path(e, buf, sizeof(buf)) || strcmp(buf, path) != 0)
			continue;
		if (writes(e))
			return false;
		if (strcmp(e->ret, "-1 ENOENT") == 0)
			return true;
	}
	return false;
}

/* Does T look up PATH and find it? */
static bool found(const struct gt_trace *t, const char *path)
{
	char buf[4096];

	for (size_t i = 0; i < t->nprocs; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++)
			for (size_t k = 0; k < t->procs[i].threads[j].nevents; k++) {
				const struct gt_event *e = &t->procs[i].threads[j].events[k];

				if (event_path(e, buf, sizeof(buf)) && strcmp(buf, path) == 0 &&
				    e->ret[0] != '-' && !writes(e))
					return true;
			}
	return false;
}

/* Did process I of T (or an ancestor) change its working directory?  Its
 * relative paths are then not the case directory's. */
static bool moved(const struct gt_trace *t, size_t i)
{
	for (size_t depth = 0; depth < t->nprocs; depth++) {
		const struct gt_process *p = &t->procs[i];
		size_t up = t->nprocs;

		for (size_t j = 0; j < p->nthreads; j++)
			for (size_t k = 0; k < p->threads[j].nevents; k++)
				if (strcmp(p->threads[j].events[k].call, "chdir") == 0 ||
				    strcmp(p->threads[j].events[k].call, "fchdir") == 0)
					return true;
		for (size_t q = 0; p->parent && q < t->nprocs; q++)
			if (t->procs[q].id == p->parent || strcmp(t->procs[q].id, p->parent) == 0)
				up = q;
		if (up == t->nprocs)
			return false;
		i = up;
	}
	return false;
}

/* Is NAME one of the ", "-separated names of LIST? */
static bool listed_name(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *end = strstr(p, ", ");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p = end ? end + 2 : NULL;
	}
	return false;
}

char *gt_stateful_runs(struct gt_trace *const *runs, size_t n, const struct gt_trace *merged)
{
	const struct gt_trace *first = runs[0];
	struct gt_buf names = {0};
	size_t nnames = 0;
	char buf[4096], *r = NULL;
	bool differ = merged && merged->nmasked > 0;

	if (n < 2)
		return NULL;
	for (size_t i = 0; i < first->nprocs; i++) {
		if (moved(first, i))
			continue;
		for (size_t j = 0; j < first->procs[i].nthreads; j++) {
			const struct gt_thread *th = &first->procs[i].threads[j];

			for (size_t k = 0; k < th->nevents; k++) {
				const struct gt_event *e = &th->events[k];
				bool seen_later = false;

				if (!writes(e) || !event_path(e, buf, sizeof(buf)) || !in_cwd(buf))
					continue;
				/* Missing before run 1 wrote it, there for a later run. */
				for (size_t m = 1; m < n && !seen_later; m++)
					seen_later = found(runs[m], buf);
				if (!(seen_later && missed_before_write(th, buf)) &&
				    !(differ && seen_later))
					continue;
				if (nnames < 3 && !listed_name(names.s, buf)) {
					gt_buf_printf(&names, "%s%s", nnames ? ", " : "", buf);
					nnames++;
				}
			}
		}
	}
	if (nnames)
		r = xasprintf("recording run 1 wrote %s in the working directory and a later run "
			      "found it there, so the runs saw different states; make the case "
			      "hermetic: 'fresh_cwd: true' (each run in a fresh copy of its "
			      "directory), or a 'setup:' that puts the directory back",
			      names.s);
	gt_buf_free(&names);
	return r;
}

/*
 * canon-dirorder: the directory-order rule.  A program that walks a
 * directory does its per-entry work (stat, open, read, recurse) in the order
 * getdents returned the entries, and that order is the file system's: ext4
 * hashes names with a per-file-system seed, tmpfs lists the newest first,
 * btrfs and XFS have orders of their own.  This pass puts each such walk in
 * a canonical order, by entry name, so that the same walk reads the same on
 * every file system, while a new, lost or changed per-entry call still
 * shows.
 *
 * It works on one thread's canonical events, before repeats collapse:
 *
 * 1. Each event gets a subject: the path it is about.  A path argument,
 *    joined to its directory descriptor's path when relative to one; or
 *    the path of its descriptor argument ("read(3, ...)" is about what fd 3
 *    was opened on).  Descriptors get paths from the opens that made them,
 *    and keep them through dup and F_DUPFD; a directory is "listed" from
 *    its first getdents on.
 * 2. A walk segment of a listed directory D starts at an event about an
 *    entry below D, and runs until another getdents of D, an event that
 *    changes the process (exec, fork, exit, wait, chdir), or the end; it
 *    ends at its last event below D.  statfs and fstatfs have no subject:
 *    they ask about the file system, once, wherever the walk is then.
 * 3. Inside a segment, the events below D form blocks, one per consecutive
 *    run of the same entry name (D/NAME and everything below it, and
 *    M/NAME and below, a mirror of it that cp -r or tar x writes).  Events in
 *    the segment about anything else (stdout, the archive being written, no
 *    path at all) float: they are placed first, in their own order.  The
 *    blocks are sorted by name, stably (a stat pass and a visit pass over the
 *    same entries keep their order), and each block is done again, for the
 *    directories listed below its entry.
 */
#include "config.h"

#include "canon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct dctx {
	struct gt_event *ev;          /* the thread's events */
	size_t n;
	char **subj;                  /* per event: what it is about, or NULL */
	bool *barrier;                /* per event: a walk cannot cross it */
	struct listed {
		const char *dir;      /* canonical path (the listing's) */
		size_t at;            /* index of its first getdents */
		char **sorted;        /* its entry names, sorted (bsearch) */
		size_t nnames;
		size_t prev;          /* 1 + the index of the same directory's
				       * listing before this one, or 0 */
	} *listed;                    /* directories read, in order */
	size_t nlisted, listed_cap;
	/* An index of LISTED by path: open addressing, a power of two slots,
	 * each 1 + an index into LISTED (0: empty). */
	size_t *slots;
	size_t nslots;
	char *cwd;                    /* where relative paths start: "$CWD",
				       * moved by chdir, learned from "." */
	const struct gt_listing *ls;  /* the tracer's listings, by event */
	size_t nls;
	char **fdpath;                /* per logical fd: its path, or NULL */
	size_t nfd;
	struct gt_event *tmp;         /* scratch for reordering */
};

/* The description of CALL, through a small cache keyed by the interned
 * name's address (one trace's strings, alive for the whole pass). */
static const struct gt_syscall_desc *desc_of(const char *call)
{
	static __thread struct {
		const char *p;
		const struct gt_syscall_desc *d;
	} cache[128];
	size_t slot = ((uintptr_t)call >> 3) % 128;
	int nr;

	if (cache[slot].p == call && cache[slot].d && strcmp(cache[slot].d->name, call) == 0)
		return cache[slot].d;
	nr = gt_syscall_nr(call);
	cache[slot].p = call;
	cache[slot].d = nr >= 0 ? gt_syscall_by_nr(nr) : NULL;
	return cache[slot].d;
}

static int arg_of_kind(const struct gt_syscall_desc *d, enum gt_argk k)
{
	for (int i = 0; d && i < d->nargs; i++)
		if (d->argk[i] == k)
			return i;
	return -1;
}

/* A logical fd as rendered ("3"), or -1. */
/* A logical fd at the start of S ("3, 4]"), or -1; *END after it. */
static long fd_num_prefix(const char *s, const char **end)
{
	char *e;
	long v;

	*end = s;
	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &e, 10);
	*end = e;
	return v > 65535 ? -1 : v;
}

/* S as a whole a logical fd ("3"), or -1. */
static long fd_num(const char *s)
{
	const char *end;
	long v = fd_num_prefix(s, &end);

	return !end || *end ? -1 : v;
}

static const char *fd_path(const struct dctx *c, long fd)
{
	return fd >= 0 && (size_t)fd < c->nfd ? c->fdpath[fd] : NULL;
}

static void set_fd(struct dctx *c, long fd, const char *path)
{
	if (fd < 0)
		return;
	if ((size_t)fd >= c->nfd) {
		size_t n = (size_t)fd + 16;

		c->fdpath = xrealloc(c->fdpath, n * sizeof(*c->fdpath));
		memset(c->fdpath + c->nfd, 0, (n - c->nfd) * sizeof(*c->fdpath));
		c->nfd = n;
	}
	free(c->fdpath[fd]);
	c->fdpath[fd] = path ? xstrdup(path) : NULL;
}

/* The inside of a rendered string argument "\"...\"" (escapes kept: only
 * prefixes and '/' matter here), without a leading "./" or trailing '/';
 * NULL when ARG is not a string. */
static char *unquote(const char *arg)
{
	size_t n = arg ? strlen(arg) : 0;
	char *s;

	if (n < 2 || arg[0] != '"' || arg[n - 1] != '"')
		return NULL;
	arg++;
	n -= 2;
	while (n >= 2 && arg[0] == '.' && arg[1] == '/') {
		arg += 2;
		n -= 2;
	}
	while (n > 1 && arg[n - 1] == '/')
		n--;
	s = xmalloc(n + 1);
	memcpy(s, arg, n);
	s[n] = '\0';
	return s;
}

static char *join(const char *dir, const char *name)
{
	if (!*name || strcmp(name, ".") == 0)
		return xstrdup(dir);
	return xasprintf("%s/%s", dir, name);
}

/* Is S strictly below directory D? */
static bool below(const char *s, const char *d)
{
	size_t n = strlen(d);

	return s && strncmp(s, d, n) == 0 && s[n] == '/' && s[n + 1];
}

static bool is_barrier_call(const char *call, const struct gt_syscall_desc *d)
{
	static const char *const names[] = {
		"exit", "exit_group", "wait4", "waitid", "kill", "tkill", "tgkill",
		"chdir", "fchdir", "chroot",
	};

	if (d && (d->fx & (GT_FX_EXEC | GT_FX_FORK)))
		return true;
	for (size_t i = 0; i < GT_ARRAY_SIZE(names); i++)
		if (strcmp(call, names[i]) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t hash_n(const char *s, size_t n)
{
	size_t h = 1469598103934665603u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* The listed directory whose path is the N bytes at DIR, or NULL. */
static const struct listed *lookup_n(const struct dctx *c, const char *dir, size_t n)
{
	if (!c->nslots)
		return NULL;
	for (size_t h = hash_n(dir, n) & (c->nslots - 1);; h = (h + 1) & (c->nslots - 1)) {
		const struct listed *l;

		if (!c->slots[h])
			return NULL;
		l = &c->listed[c->slots[h] - 1];
		if (strncmp(l->dir, dir, n) == 0 && !l->dir[n])
			return l;
	}
}

static void index_listed(struct dctx *c)
{
	bool *superseded;

	free(c->slots);
	c->nslots = 16;
	while (c->nslots < 2 * c->nlisted)
		c->nslots *= 2;
	c->slots = xcalloc(c->nslots, sizeof(*c->slots));
	/* The newest listing of each directory only. */
	superseded = xcalloc(c->nlisted + 1, sizeof(*superseded));
	for (size_t i = 0; i < c->nlisted; i++)
		if (c->listed[i].prev)
			superseded[c->listed[i].prev - 1] = true;
	for (size_t i = 0; i < c->nlisted; i++) {
		size_t h = hash_n(c->listed[i].dir, strlen(c->listed[i].dir)) & (c->nslots - 1);

		if (superseded[i])
			continue;
		while (c->slots[h])
			h = (h + 1) & (c->nslots - 1);
		c->slots[h] = i + 1;
	}
	free(superseded);
}

/* A directory listed again (its entries changed: the tracer lists a
 * directory again only then) gets a newer listing; the index points at the
 * newest, each listing at the one before it. */
static void add_listed(struct dctx *c, const struct gt_listing *l, size_t at)
{
	const struct listed *old = lookup_n(c, l->dir, strlen(l->dir));
	size_t prev = old ? (size_t)(old - c->listed) + 1 : 0;
	struct listed *d;

	if (c->nlisted == c->listed_cap) {
		c->listed_cap = c->listed_cap ? 2 * c->listed_cap : 8;
		c->listed = xrealloc(c->listed, c->listed_cap * sizeof(*c->listed));
	}
	d = &c->listed[c->nlisted++];
	d->dir = l->dir;
	d->at = at;
	d->prev = prev;
	d->nnames = l->nnames;
	d->sorted = xcalloc(l->nnames + 1, sizeof(*d->sorted));
	memcpy(d->sorted, l->names, l->nnames * sizeof(*d->sorted));
	qsort(d->sorted, d->nnames, sizeof(*d->sorted), cmp_str);
	if (prev) {
		/* Repoint the directory's slot at the newer listing. */
		size_t h = hash_n(d->dir, strlen(d->dir)) & (c->nslots - 1);

		while (c->slots[h] != prev)
			h = (h + 1) & (c->nslots - 1);
		c->slots[h] = c->nlisted;
	} else if (2 * c->nlisted > c->nslots) {
		index_listed(c);
	} else {
		size_t h = hash_n(d->dir, strlen(d->dir)) & (c->nslots - 1);

		while (c->slots[h])
			h = (h + 1) & (c->nslots - 1);
		c->slots[h] = c->nlisted;
	}
}


/* Is the N bytes at NAME an entry of L? */
static bool has_entry(const struct listed *l, const char *name, size_t n)
{
	size_t lo = 0, hi = l->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strncmp(l->sorted[mid], name, n);

		if (r == 0 && l->sorted[mid][n])
			r = 1;
		if (r == 0)
			return true;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* chdir and fchdir that succeeded move where relative paths start. */
static void follow_chdir(struct dctx *c, const struct gt_event *e)
{
	char *p, *to = NULL;

	if (e->ret[0] == '-' || e->nargs < 1)
		return;
	if (strcmp(e->call, "chdir") == 0 && (p = unquote(e->args[0])) != NULL) {
		to = p[0] == '/' || p[0] == '$' ? xstrdup(p) : join(c->cwd, p);
		free(p);
	} else if (strcmp(e->call, "fchdir") == 0 && fd_path(c, fd_num(e->args[0]))) {
		to = xstrdup(fd_path(c, fd_num(e->args[0])));
	}
	if (to) {
		free(c->cwd);
		c->cwd = to;
	}
}

/* Step 1: subjects, barriers and listed directories. */
static void find_subjects(struct dctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct gt_event *e = &c->ev[i];
		const struct gt_syscall_desc *d = desc_of(e->call);
		int ip = arg_of_kind(d, GT_A_PATH), idir = arg_of_kind(d, GT_A_DIRFD);
		int ifd = arg_of_kind(d, GT_A_FD);
		long ret = fd_num(e->ret);
		char *s = NULL;

		c->barrier[i] = is_barrier_call(e->call, d);
		if (ip >= 0 && ip < e->nargs) {
			char *p = unquote(e->args[ip]);

			if (p && p[0] != '/' && p[0] != '$' && idir >= 0 && idir < e->nargs &&
			    strcmp(e->args[idir], "AT_FDCWD") != 0) {
				const char *base = fd_path(c, fd_num(e->args[idir]));

				s = base ? join(base, p) : NULL;
				free(p);
			} else if (p && p[0] != '/' && p[0] != '$' && *p) {
				/* Relative to the working directory: spelled as
				 * the listings are. */
				s = join(c->cwd, p);
				free(p);
			} else {
				s = p;
			}
		} else if (ifd >= 0 && ifd < e->nargs) {
			const char *fp = fd_path(c, fd_num(e->args[ifd]));

			s = fp ? xstrdup(fp) : NULL;
		}
		/* A file-system query is not per-entry work: fts asks it once, at
		 * whichever directory it visits first. */
		if (strcmp(e->call, "statfs") == 0 || strcmp(e->call, "fstatfs") == 0) {
			free(s);
			s = NULL;
		}
		if (s && !*s) {
			free(s);   /* "" (AT_EMPTY_PATH without a known fd) */
			s = NULL;
		}
		c->subj[i] = s;
		follow_chdir(c, e);
		if (!d)
			continue;
		/* What the call does to the descriptors' paths. */
		if (strcmp(e->call, "dup") == 0 ||
		    (strcmp(e->call, "fcntl") == 0 && e->nargs >= 2 &&
		     strncmp(e->args[1], "F_DUPFD", 7) == 0)) {
			set_fd(c, ret, fd_path(c, fd_num(e->args[0])));
		} else if ((d->fx & GT_FX_DUP_TO) && e->nargs >= 2 && e->ret[0] != '-') {
			const char *fp = fd_path(c, fd_num(e->args[0]));
			char *keep = fp ? xstrdup(fp) : NULL;

			set_fd(c, fd_num(e->args[1]), keep);
			free(keep);
		} else if (d->retk == GT_R_FD) {
			set_fd(c, ret, ip >= 0 ? s : NULL);
		} else if ((d->fx & GT_FX_CLOSE) && e->nargs >= 1) {
			set_fd(c, fd_num(e->args[0]), NULL);
		} else {
			int ipair = arg_of_kind(d, GT_A_FDPAIR);

			/* pipe2's "[3, 4]": new descriptors with no path. */
			if (ipair >= 0 && ipair < e->nargs && e->args[ipair][0] == '[') {
				const char *a = e->args[ipair] + 1, *comma = strchr(a, ','), *end;

				set_fd(c, fd_num_prefix(a, &end), NULL);
				if (comma)
					set_fd(c, fd_num_prefix(comma + 2, &end), NULL);
			}
		}
		/* The tracer's listing names the directory, even where the
		 * open's descriptor was not seen (seccomp). */
		while (c->nls && c->ls->event < i) {
			c->ls++;
			c->nls--;
		}
		if (c->nls && c->ls->event == i && ifd >= 0 && ifd < e->nargs) {
			const char *was = fd_path(c, fd_num(e->args[ifd]));

			/* A listing of "." tells where this process is (a shell
			 * that did cd before it forked us). */
			if (was && strcmp(was, c->cwd) == 0 && strcmp(was, c->ls->dir) != 0) {
				free(c->cwd);
				c->cwd = xstrdup(c->ls->dir);
			}
			set_fd(c, fd_num(e->args[ifd]), c->ls->dir);
			free(c->subj[i]);
			c->subj[i] = xstrdup(c->ls->dir);
			add_listed(c, c->ls, i);
		}
	}
}

/* The listing, before event I, of the outermost directory that the
 * event's subject is strictly below, itself equal to or below WITHIN (NULL:
 * anywhere). */
static const struct listed *walk_dir(const struct dctx *c, size_t i, const char *within)
{
	const char *s = c->subj[i], *slash;
	size_t wn = within ? strlen(within) : 0;

	if (!s || !*s)
		return NULL;
	/* The subject's ancestors, outermost first: the first listed one. */
	for (slash = strchr(s + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t n = (size_t)(slash - s);
		const struct listed *l;

		if (within && n < wn)
			continue;   /* must be WITHIN or below it */
		if (!slash[1])
			break;
		l = lookup_n(c, s, n);
		/* At the top, a walk needs the listing before it; inside a
		 * block, whose events have moved, the newest will do. */
		while (l && !within && l->at >= i)
			l = l->prev ? &c->listed[l->prev - 1] : NULL;
		if (!l)
			continue;
		if (within && strcmp(l->dir, within) != 0 && !below(l->dir, within))
			continue;
		return l;
	}
	return NULL;
}

/* The entry name of S below D: its first component after "D/", as a
 * length. */
static size_t entry_len(const char *s, const char *d)
{
	const char *name = s + strlen(d) + 1, *slash = strchr(name, '/');

	return slash ? (size_t)(slash - name) : strlen(name);
}

/* An entry of L mirrored outside D: S is not below D, but its path runs
 * through M/E for an entry E of L, where M is neither D nor above it (cp -r
 * and tar x work on copy/E as they read D/E).  Returns E's length and sets
 * *NAME to it; 0 if S mirrors no entry. */
static size_t mirror_entry(const struct listed *l, const char *d, const char *s,
			   const char **name)
{
	size_t dn = strlen(d);

	if (!s || !*s || below(s, d) || strcmp(s, d) == 0)
		return 0;
	for (const char *p = strchr(s + 1, '/'); p; p = strchr(p + 1, '/')) {
		const char *e = p + 1, *end = strchr(e, '/');
		size_t mn = (size_t)(p - s), n = end ? (size_t)(end - e) : strlen(e);

		if (n == 0 || (e[0] == '.' && (n == 1 || (n == 2 && e[1] == '.'))))
			continue;
		/* M is D or a directory above it: a sibling, not a mirror. */
		if (mn <= dn && strncmp(d, s, mn) == 0 && (d[mn] == '/' || d[mn] == '\0'))
			continue;
		if (has_entry(l, e, n)) {
			*name = e;
			return n;
		}
	}
	return 0;
}

struct block {
	size_t *idx;                  /* event indexes, in order */
	size_t n, cap;
	const char *name;             /* points into a subject */
	size_t len;
	size_t seq;                   /* for a stable sort */
};

static int cmp_block(const void *a, const void *b)
{
	const struct block *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int r = memcmp(x->name, y->name, n);

	if (r)
		return r;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void block_add(struct block *b, size_t i)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 8;
		b->idx = xrealloc(b->idx, b->cap * sizeof(*b->idx));
	}
	b->idx[b->n++] = i;
}

static void reorder(struct dctx *c, size_t lo, size_t hi, const char *within);

/* Is this the walk of a listing: every block (sorted by name) an entry of
 * D's listing, and the blocks at least two and at least half of its entries
 * ("." and ".." aside)?  A program that lists a directory and later opens a few of its
 * files in an order of its own (Python's imports) is not walking it. */
static bool walk_like(const struct listed *l, const struct block *blocks, size_t nblocks)
{
	size_t distinct = 0, entries;

	if (!l || nblocks < 2)
		return false;
	entries = l->nnames;
	if (has_entry(l, ".", 1))
		entries--;
	if (has_entry(l, "..", 2))
		entries--;
	for (size_t b = 0; b < nblocks; b++) {
		if (!has_entry(l, blocks[b].name, blocks[b].len))
			return false;
		distinct += b == 0 || blocks[b - 1].len != blocks[b].len ||
			    memcmp(blocks[b - 1].name, blocks[b].name, blocks[b].len) != 0;
	}
	return distinct >= 2 && 2 * distinct >= entries;
}

/* Steps 2 and 3 for the segment [I, LAST] of the walk of D.  Reorders the
 * events in place (and their subjects and barriers along with them). */
static void sort_segment(struct dctx *c, size_t i, size_t last, const struct listed *l)
{
	const char *d = l->dir;
	size_t len = last - i + 1, nfloat = 0, nblocks = 0, pos;
	size_t *floats = xcalloc(len, sizeof(*floats));
	struct block *blocks = xcalloc(len, sizeof(*blocks));
	char **subj = xcalloc(len, sizeof(*subj));
	bool *barrier = xcalloc(len, sizeof(*barrier));
	char *dcopy = xstrdup(d);
	size_t *start = xcalloc(len + 1, sizeof(*start));

	for (size_t k = i; k <= last; k++) {
		const char *s = c->subj[k], *name = NULL;
		size_t el;

		if (below(s, dcopy)) {
			name = s + strlen(dcopy) + 1;
			el = entry_len(s, dcopy);
		} else if ((el = mirror_entry(l, dcopy, s, &name)) == 0) {
			floats[nfloat++] = k;
			continue;
		}
		if (!nblocks || blocks[nblocks - 1].len != el ||
		    memcmp(blocks[nblocks - 1].name, name, el) != 0) {
			blocks[nblocks].name = name;
			blocks[nblocks].len = el;
			blocks[nblocks].seq = nblocks;
			nblocks++;
		}
		block_add(&blocks[nblocks - 1], k);
	}
	qsort(blocks, nblocks, sizeof(*blocks), cmp_block);
	if (!walk_like(l, blocks, nblocks))
		goto out;   /* the events have not moved yet */
	/* Lay the segment out anew: floating events, then the blocks. */
	pos = 0;
	for (size_t k = 0; k < nfloat; k++) {
		c->tmp[pos] = c->ev[floats[k]];
		subj[pos] = c->subj[floats[k]];
		barrier[pos++] = c->barrier[floats[k]];
	}
	for (size_t b = 0; b < nblocks; b++) {
		start[b] = pos;
		for (size_t k = 0; k < blocks[b].n; k++) {
			c->tmp[pos] = c->ev[blocks[b].idx[k]];
			subj[pos] = c->subj[blocks[b].idx[k]];
			barrier[pos++] = c->barrier[blocks[b].idx[k]];
		}
	}
	start[nblocks] = pos;
	/* Each block's path (D/NAME) before the subjects move. */
	{
		char **bpath = xcalloc(nblocks + 1, sizeof(*bpath));

		for (size_t b = 0; b < nblocks; b++)
			bpath[b] = xasprintf("%s/%.*s", dcopy, (int)blocks[b].len, blocks[b].name);
		memcpy(c->ev + i, c->tmp, len * sizeof(*c->ev));
		memcpy(c->subj + i, subj, len * sizeof(*subj));
		memcpy(c->barrier + i, barrier, len * sizeof(*barrier));
		for (size_t b = 0; b < nblocks; b++) {
			reorder(c, i + start[b], i + start[b + 1], bpath[b]);
			free(bpath[b]);
		}
		free(bpath);
	}
out:
	for (size_t b = 0; b < nblocks; b++)
		free(blocks[b].idx);
	free(blocks);
	free(floats);
	free(subj);
	free(barrier);
	free(start);
	free(dcopy);
}

/* Find and sort the walk segments in [LO, HI) of directories equal to or
 * below WITHIN (NULL: any). */
static void reorder(struct dctx *c, size_t lo, size_t hi, const char *within)
{
	size_t i = lo;

	while (i < hi) {
		const struct listed *l = c->barrier[i] ? NULL : walk_dir(c, i, within);
		size_t last = i;
		char *dir;

		if (!l) {
			i++;
			continue;
		}
		dir = xstrdup(l->dir);
		for (size_t j = i + 1; j < hi; j++) {
			const char *s = c->subj[j], *name;

			/* A new listing of the directory starts another walk;
			 * other calls on it (fts closes dups of it) float. */
			if (c->barrier[j] || (s && strcmp(s, dir) == 0 &&
					      strncmp(c->ev[j].call, "getdents", 8) == 0))
				break;
			if (below(s, dir) || mirror_entry(l, dir, s, &name))
				last = j;
		}
		if (last > i)
			sort_segment(c, i, last, l);
		free(dir);
		i = last + 1;
	}
}

void gt_canon_dir_order(struct gt_thread *th, const struct gt_listing *ls, size_t nls)
{
	struct dctx c = { .ev = th->events, .n = th->nevents, .ls = ls, .nls = nls };

	if (th->nevents < 2 || nls == 0)
		return;   /* no directory read: no walk */
	c.subj = xcalloc(c.n, sizeof(*c.subj));
	c.barrier = xcalloc(c.n, sizeof(*c.barrier));
	c.tmp = xcalloc(c.n, sizeof(*c.tmp));
	c.cwd = xstrdup("$CWD");
	find_subjects(&c);
	if (c.nlisted)
		reorder(&c, 0, c.n, NULL);
	for (size_t i = 0; i < c.n; i++)
		free(c.subj[i]);
	for (size_t i = 0; i < c.nlisted; i++)
		free(c.listed[i].sorted);
	for (size_t i = 0; i < c.nfd; i++)
		free(c.fdpath[i]);
	free(c.subj);
	free(c.barrier);
	free(c.tmp);
	free(c.listed);
	free(c.slots);
	free(c.cwd);
	free(c.fdpath);
}

/*
 * commute: the independence relation of canonical events and the
 * reordering of a thread within its equivalence class (see commute.h).
 *
 * Footprints are computed from the canonical text alone (the argument
 * kinds of the syscall table say which argument is an fd, a path or a
 * pid), so a golden read back from its file and a fresh run get the same
 * ones.  Resources are hashed with their kind as the seed.
 */
#include "config.h"

#include "commute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "syscalls.h"
#include "util.h"

/* Kinds of resource (the hash seeds). */
enum {
	R_FD = 1,       /* an fd number */
	R_PATH,         /* a path (and the file an fd was opened on) */
	R_LISTING,      /* the names in a directory */
	R_FILE,         /* a file with no path: a pipe, socket, eventfd... */
	R_NAMED,        /* one of the named resources below, or a call's own */
};

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

/* Ordered with everything (commute.h). */
static const char *const global_calls[] = {
	"execve", "execveat", "exit", "exit_group", "clone", "clone3", "fork", "vfork",
	"chdir", "fchdir", "chroot", "pivot_root", "kill", "tkill", "tgkill",
	"rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal", "setuid", "setgid",
	"setreuid", "setregid", "setresuid", "setresgid", "setfsuid", "setfsgid", "setgroups",
	"capset", "umask", "unshare", "setns", "prctl", "seccomp", "ptrace", "personality",
	"setsid", "setpgid", "mount", "umount2", "poll", "ppoll", "select", "pselect6",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "io_uring_enter", "pause",
	"rt_sigsuspend", "close_range", NULL,
};

/* Calls that change the path they name. */
static const char *const path_writers[] = {
	"unlink", "unlinkat", "rmdir", "mkdir", "mkdirat", "rename", "renameat", "renameat2",
	"link", "linkat", "symlink", "symlinkat", "mknod", "mknodat", "creat", "chmod",
	"fchmodat", "fchmodat2", "chown", "lchown", "fchownat", "truncate", "utime", "utimes",
	"utimensat", "futimesat", "setxattr", "lsetxattr", "removexattr", "lremovexattr",
	NULL,
};

/* ... and of those, the ones that add or remove a name in its directory. */
static const char *const listing_writers[] = {
	"unlink", "unlinkat", "rmdir", "mkdir", "mkdirat", "rename", "renameat", "renameat2",
	"link", "linkat", "symlink", "symlinkat", "mknod", "mknodat", "creat", NULL,
};

/* Calls that change the file behind an fd whatever its open mode. */
static const char *const fd_meta_writers[] = {
	"fchmod", "fchown", "fsetxattr", "fremovexattr", "ftruncate", "fallocate", NULL,
};

static const char *const sigmask_calls[] = {
	"rt_sigprocmask", "rt_sigreturn", "sigaltstack", "rt_sigpending", "rt_sigtimedwait",
	NULL,
};

static const char *const child_waits[] = { "wait4", "waitid", NULL };

/* What this thread knows of one of its fds. */
struct fdinfo {
	bool open;
	bool writable;
	uint64_t file;      /* R_PATH or R_FILE key */
	char *path;         /* resolved path it was opened on, or NULL */
};

struct fdtab {
	struct fdinfo *fd;
	size_t n;
	uint64_t next_file; /* for files with no path */
};

#define FD_LIMIT 65536

static struct fdinfo *fd_slot(struct fdtab *t, long fd, bool grow)
{
	if (fd < 0 || fd >= FD_LIMIT)
		return NULL;
	if ((size_t)fd >= t->n) {
		size_t n = t->n ? t->n : 16;

		if (!grow)
			return NULL;
		while (n <= (size_t)fd)
			n *= 2;
		t->fd = xrealloc(t->fd, n * sizeof(*t->fd));
		memset(t->fd + t->n, 0, (n - t->n) * sizeof(*t->fd));
		t->n = n;
	}
	return &t->fd[fd];
}

static void fd_forget(struct fdinfo *f)
{
	free(f->path);
	memset(f, 0, sizeof(*f));
}

static uint64_t key_of(int kind, const char *s, size_t n)
{
	return XXH3_64bits_withSeed(s, n, (uint64_t)kind);
}

static void add_key(struct gt_fp *fp, uint64_t key, bool write)
{
	for (uint8_t i = 0; i < fp->n; i++) {
		if (fp->key[i] == key) {
			if (write)
				fp->writes |= (uint16_t)(1u << i);
			return;
		}
	}
	if (fp->n == GT_FP_MAX) {
		fp->global = true; /* too much to say: ordered with everything */
		return;
	}
	if (write)
		fp->writes |= (uint16_t)(1u << fp->n);
	fp->key[fp->n++] = key;
}

static void add_named(struct gt_fp *fp, const char *name)
{
	add_key(fp, key_of(R_NAMED, name, strlen(name)), true);
}

/* A decimal fd ("3"), or -1. */
static long parse_fd(const char *s)
{
	char *end;
	long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	return *end ? -1 : v;
}

/* The text of a quoted path argument without its quotes, or NULL. */
static bool path_text(const char *s, const char **p, size_t *n)
{
	size_t len = s ? strlen(s) : 0;

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return false;
	*p = s + 1;
	*n = len - 2;
	return true;
}

/* Resolve path text P (N bytes) against DIRFD's string (NULL or
 * "AT_FDCWD": the working directory) into B. */
static void resolve(struct fdtab *t, const char *dirfd, const char *p, size_t n, struct gt_buf *b)
{
	gt_buf_reset(b);
	if (n && (p[0] == '/' || p[0] == '$')) {
		gt_buf_add(b, p, n);
		return;
	}
	if (!dirfd || strcmp(dirfd, "AT_FDCWD") == 0) {
		gt_buf_puts(b, "$CWD");
	} else {
		struct fdinfo *f = fd_slot(t, parse_fd(dirfd), false);

		if (f && f->open && f->path)
			gt_buf_puts(b, f->path);
		else
			gt_buf_printf(b, "@fd %s", dirfd);
	}
	if (n) {
		gt_buf_putc(b, '/');
		gt_buf_add(b, p, n);
	}
}

/* The ancestors of a path that a lookup passes through, nearest first; a
 * rename or rmdir several levels up is rare enough to leave out. */
#define ANCESTORS 5

/* Path S (resolved, LEN bytes): the path itself (written or read), its
 * nearest ancestors (read), and with LISTING its parent's listing
 * (written). */
static void add_path(struct gt_fp *fp, const char *s, size_t len, bool write, bool listing)
{
	size_t end = len;

	add_key(fp, key_of(R_PATH, s, len), write);
	for (int k = 0; k < ANCESTORS; k++) {
		while (end > 0 && s[end - 1] != '/')
			end--;
		if (end <= 1)
			break;
		end--; /* the '/' */
		if (k == 0 && listing)
			add_key(fp, key_of(R_LISTING, s, end), true);
		add_key(fp, key_of(R_PATH, s, end), false);
	}
}

/* What an fd argument touches. */
static void add_fd(struct gt_fp *fp, struct fdtab *t, long fd, bool lookup, bool meta_write,
		   bool listing_read)
{
	struct fdinfo *f = fd_slot(t, fd, false);
	char num[24];
	int n = snprintf(num, sizeof(num), "%ld", fd);

	add_key(fp, key_of(R_FD, num, (size_t)n), !lookup);
	if (!f || !f->open) {
		add_named(fp, "inherited");
		return;
	}
	if (lookup)
		return; /* the directory itself is read through the path */
	add_key(fp, f->file, f->writable || meta_write);
	if (listing_read && f->path)
		add_key(fp, key_of(R_LISTING, f->path, strlen(f->path)), false);
}

static bool open_writes(const char *flags, bool *creates)
{
	*creates = flags && strstr(flags, "O_CREAT");
	return flags && (strstr(flags, "O_WRONLY") || strstr(flags, "O_RDWR") ||
			 strstr(flags, "O_TRUNC") || *creates);
}

/* Record a new fd NEWFD: on path PATH (resolved, may be NULL) or a copy of
 * fd FROM (>= 0), else a fresh file. */
static void new_fd(struct fdtab *t, long newfd, const char *path, bool writable, long from)
{
	struct fdinfo *f = fd_slot(t, newfd, true), *src;

	if (!f)
		return;
	src = from >= 0 ? fd_slot(t, from, false) : NULL;
	fd_forget(f);
	f->open = true;
	if (src && src->open && src != f) {
		f->writable = src->writable;
		f->file = src->file;
		f->path = src->path ? xstrdup(src->path) : NULL;
	} else if (path) {
		f->writable = writable;
		f->file = key_of(R_PATH, path, strlen(path));
		f->path = xstrdup(path);
	} else {
		uint64_t id = ++t->next_file;

		f->writable = true;
		f->file = key_of(R_FILE, (const char *)&id, sizeof(id));
	}
}

/* The footprint of E, updating T with the fds it makes or closes. */
static void fp_of(const struct gt_event *e, struct fdtab *t, struct gt_buf *b, struct gt_fp *fp)
{
	int nr = e->call ? gt_syscall_nr(e->call) : -1;
	const struct gt_syscall_desc *d;
	uint8_t kinds[GT_MAX_ARGS];
	int nk, a;
	const char *dirfd = NULL, *flags = NULL;
	char *opened = NULL;     /* resolved path of an open-like call */
	bool creates = false, writes_path, listing, is_open, writable = false;
	long retfd = -1, fd0 = -1;

	memset(fp, 0, sizeof(*fp));
	if (nr < 0 || in_list(e->call, global_calls)) {
		fp->global = true;
		if (nr >= 0 && gt_syscall_by_nr(nr)->fx & GT_FX_CLOSE_RANGE)
			for (size_t i = 0; i < t->n; i++)
				fd_forget(&t->fd[i]);
		return;
	}
	d = gt_syscall_by_nr(nr);
	nk = gt_syscall_shown_kinds(d, kinds);
	if (nk > e->nargs)
		nk = e->nargs;
	for (a = 0; a < nk; a++) {
		if (kinds[a] == GT_A_DIRFD && !dirfd)
			dirfd = e->args[a];
		if (kinds[a] == GT_A_OPEN_FLAGS)
			flags = e->args[a];
	}
	is_open = strcmp(e->call, "open") == 0 || strcmp(e->call, "openat") == 0 ||
		  strcmp(e->call, "creat") == 0;
	writes_path = in_list(e->call, path_writers);
	listing = in_list(e->call, listing_writers);
	if (is_open) {
		writable = open_writes(flags, &creates) || strcmp(e->call, "creat") == 0;
		writes_path |= writable;
		listing |= creates;
	}
	for (a = 0; a < nk; a++) {
		const char *s = e->args[a];
		const char *p;
		size_t n;
		long fd;

		switch (kinds[a]) {
		case GT_A_FD:
			fd = parse_fd(s);
			if (fd >= 0) {
				if (a == 0)
					fd0 = fd;
				add_fd(fp, t, fd, false, in_list(e->call, fd_meta_writers),
				       strcmp(e->call, "getdents64") == 0 ||
					       strcmp(e->call, "getdents") == 0);
			}
			break;
		case GT_A_DIRFD:
			fd = parse_fd(s);
			if (fd >= 0)
				add_fd(fp, t, fd, true, false, false);
			break;
		case GT_A_PATH:
			if (!path_text(s, &p, &n))
				break;
			if (!n && dirfd) {
				/* AT_EMPTY_PATH: the dirfd's own file. */
				fd = parse_fd(dirfd);
				if (fd >= 0)
					add_fd(fp, t, fd, false, writes_path, false);
				break;
			}
			resolve(t, dirfd, p, n, b);
			add_path(fp, b->s, b->len, writes_path, listing);
			if (is_open && !opened)
				opened = xstrndup(b->s, b->len);
			/* A second path (rename's target) resolves against
			 * its own dirfd, the next DIRFD argument. */
			for (int k = a + 1; k < nk; k++) {
				if (kinds[k] == GT_A_DIRFD) {
					dirfd = e->args[k];
					break;
				}
			}
			break;
		case GT_A_PID:
			if (in_list(e->call, child_waits))
				add_named(fp, "children");
			else
				add_named(fp, "process");
			break;
		case GT_A_FDPAIR:
			if (s && s[0] == '[') {
				char *end;
				long f0 = strtol(s + 1, &end, 10), f1 = -1;

				if (*end == ',')
					f1 = strtol(end + 1, &end, 10);
				if (f0 >= 0 && f1 >= 0 && *end == ']') {
					new_fd(t, f0, NULL, true, -1);
					new_fd(t, f1, NULL, true, f0);
					add_fd(fp, t, f0, false, false, false);
					add_fd(fp, t, f1, false, false, false);
				}
			}
			break;
		default:
			break;
		}
	}
	if (in_list(e->call, sigmask_calls))
		add_named(fp, "sigmask");
	else if (strcmp(e->call, "rt_sigaction") == 0)
		add_named(fp, "sigaction");
	else if (in_list(e->call, child_waits))
		add_named(fp, "children");
	/* A new fd, and what it refers to. */
	if (d->retk == GT_R_FD && (retfd = parse_fd(e->ret)) >= 0) {
		char num[24];
		int n = snprintf(num, sizeof(num), "%ld", retfd);

		add_key(fp, key_of(R_FD, num, (size_t)n), true);
		new_fd(t, retfd, opened, writable, opened ? -1 : fd0);
	}
	if (d->fx & GT_FX_DUP_TO && nk > 1 && fd0 >= 0) {
		long to = parse_fd(e->args[1]);

		if (to >= 0 && to != fd0) {
			char num[24];
			int n = snprintf(num, sizeof(num), "%ld", to);

			add_key(fp, key_of(R_FD, num, (size_t)n), true);
			new_fd(t, to, NULL, false, fd0);
		}
	}
	if (d->fx & GT_FX_CLOSE && fd0 >= 0 && e->ret && strcmp(e->ret, "0") == 0) {
		struct fdinfo *f = fd_slot(t, fd0, false);

		if (f)
			fd_forget(f);
	}
	if (!fp->n && !fp->global)
		add_named(fp, e->call);
	free(opened);
}

void gt_fp_of_thread(const struct gt_event *ev, size_t n, struct gt_fp *fp)
{
	struct fdtab t = { 0 };
	struct gt_buf b = { 0 };

	for (size_t i = 0; i < n; i++)
		fp_of(&ev[i], &t, &b, &fp[i]);
	for (size_t i = 0; i < t.n; i++)
		free(t.fd[i].path);
	free(t.fd);
	gt_buf_free(&b);
}

bool gt_fp_independent(const struct gt_fp *a, const struct gt_fp *b)
{
	if (a->global || b->global)
		return false;
	for (uint8_t i = 0; i < a->n; i++)
		for (uint8_t j = 0; j < b->n; j++)
			if (a->key[i] == b->key[j] &&
			    ((a->writes >> i) & 1 || (b->writes >> j) & 1))
				return false;
	return true;
}

/* ---- reordering ---- */

#define END SIZE_MAX

struct order {
	size_t *next, *prev;
	size_t head;
	size_t *perm;
	size_t k;
};

static void emit(struct order *o, size_t j)
{
	if (o->prev[j] == END)
		o->head = o->next[j];
	else
		o->next[o->prev[j]] = o->next[j];
	if (o->next[j] != END)
		o->prev[o->next[j]] = o->prev[j];
	o->perm[o->k++] = j;
}

/* May J move to the front of the unemitted events past all before it? */
static bool to_front(const struct order *o, const struct gt_fp *fp, size_t j)
{
	for (size_t k = o->head; k != j; k = o->next[k])
		if (!gt_fp_independent(&fp[k], &fp[j]))
			return false;
	return true;
}

/* Where the reordering is in the golden thread: event GI, of which LEFT
 * calls are still to take (its count), some TAKEN already. */
struct at_golden {
	size_t gi, gn;
	const uint32_t *gcount;
	uint64_t left;
	bool taken;
};

static void next_golden(struct at_golden *g)
{
	g->gi++;
	g->left = g->gi < g->gn && g->gcount ? g->gcount[g->gi] : 1;
	g->taken = false;
}

/* Emit new event J as (part of) golden event G->gi. */
static void take(struct order *o, struct at_golden *g, const uint32_t *ncount, size_t j)
{
	uint64_t c = ncount ? ncount[j] : 1;

	emit(o, j);
	g->taken = true;
	g->left = c >= g->left ? 0 : g->left - c;
	if (!g->left)
		next_golden(g);
}

void gt_commute_toward(size_t gn, size_t nn, const struct gt_fp *fp, gt_commute_eq eq,
		       const void *ctx, const uint32_t *gcount, const uint32_t *ncount,
		       size_t window, size_t *perm)
{
	struct order o;
	struct at_golden g = { 0, gn, gcount, gn && gcount ? gcount[0] : 1, false };

	if (!nn)
		return;
	o.next = xmalloc(nn * sizeof(*o.next));
	o.prev = xmalloc(nn * sizeof(*o.prev));
	for (size_t j = 0; j < nn; j++) {
		o.next[j] = j + 1 < nn ? j + 1 : END;
		o.prev[j] = j ? j - 1 : END;
	}
	o.head = 0;
	o.perm = perm;
	o.k = 0;
	while (o.head != END) {
		size_t j, steps, found = END;
		bool blocked = false, head_later = false;

		if (g.gi >= gn) {
			emit(&o, o.head);
			continue;
		}
		if (eq(ctx, g.gi, o.head)) {
			take(&o, &g, ncount, o.head);
			continue;
		}
		/* The first equal event in the window: the one to move, if
		 * everything before it commutes with it (a trace's first
		 * occurrence of an event is the one that can lead it). */
		for (j = o.next[o.head], steps = 1; j != END && steps < window;
		     j = o.next[j], steps++) {
			if (eq(ctx, g.gi, j)) {
				if (to_front(&o, fp, j))
					found = j;
				else
					blocked = true;
				break;
			}
		}
		if (found != END) {
			take(&o, &g, ncount, found);
			continue;
		}
		if (g.taken) {
			/* A repeat (x ×3) the run made fewer times here. */
			next_golden(&g);
			continue;
		}
		if (blocked) {
			emit(&o, o.head); /* what must come first does */
			continue;
		}
		/* GOLDEN[gi] is not near: deleted, unless the head is new. */
		for (size_t k = g.gi + 1; k < gn && k - g.gi < window; k++) {
			if (eq(ctx, k, o.head)) {
				head_later = true;
				break;
			}
		}
		if (!head_later)
			emit(&o, o.head);
		next_golden(&g);
	}
	free(o.next);
	free(o.prev);
}

/*
 * capture-ebpf-dirs: descriptor paths and directory listings for the eBPF
 * backend (see capture-ebpf-dirs.h).
 */
#include "config.h"

#include "capture-ebpf-dirs.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture-session.h"

#define F_DUPFD_CLOEXEC_ 1030

void gt_ebpf_dirs_init(struct gt_ebpf_dirs *d, const char *cwd)
{
	char here[PATH_MAX];

	memset(d, 0, sizeof(*d));
	if (cwd && cwd[0] == '/')
		d->cwd0 = xstrdup(cwd);
	else if (getcwd(here, sizeof(here)))
		d->cwd0 = cwd ? xasprintf("%s/%s", here, cwd) : xstrdup(here);
	else
		d->cwd0 = xstrdup("/");
	d->nr_open = gt_syscall_nr("open");
	d->nr_openat = gt_syscall_nr("openat");
	d->nr_openat2 = gt_syscall_nr("openat2");
	d->nr_creat = gt_syscall_nr("creat");
	d->nr_close = gt_syscall_nr("close");
	d->nr_close_range = gt_syscall_nr("close_range");
	d->nr_dup = gt_syscall_nr("dup");
	d->nr_dup2 = gt_syscall_nr("dup2");
	d->nr_dup3 = gt_syscall_nr("dup3");
	d->nr_fcntl = gt_syscall_nr("fcntl");
	d->nr_chdir = gt_syscall_nr("chdir");
	d->nr_fchdir = gt_syscall_nr("fchdir");
	d->nr_getdents64 = gt_syscall_nr("getdents64");
}

static void proc_clear(struct gt_ebpf_proc *p)
{
	for (size_t i = 0; i < p->nfd; i++)
		free(p->fd[i]);
	free(p->fd);
	free(p->cwd);
	memset(p, 0, sizeof(*p));
}

static void held_clear(struct gt_ebpf_held *h)
{
	free(h->dir);
	h->dir = NULL;
	gt_buf_reset(&h->names);
	h->count = 0;
	h->nev = 0;
	h->lost = false;
	h->on = false;
}

void gt_ebpf_dirs_free(struct gt_ebpf_dirs *d)
{
	for (size_t i = 0; i < d->nprocs; i++)
		proc_clear(&d->procs[i]);
	for (size_t i = 0; i < d->nheld; i++) {
		held_clear(&d->held[i]);
		gt_buf_free(&d->held[i].names);
		free(d->held[i].evs);
	}
	free(d->procs);
	free(d->held);
	free(d->cwd0);
	memset(d, 0, sizeof(*d));
}

static struct gt_ebpf_proc *proc_of(struct gt_ebpf_dirs *d, uint32_t proc)
{
	struct gt_ebpf_proc *p;

	if (proc >= d->nprocs) {
		size_t old = d->nprocs;

		xgrow((void **)&d->procs, &d->nprocs, (size_t)proc + 1, sizeof(*d->procs));
		memset(d->procs + old, 0, (d->nprocs - old) * sizeof(*d->procs));
	}
	p = &d->procs[proc];
	if (!p->used) {
		p->used = true;
		p->cwd = xstrdup(d->cwd0);
	}
	return p;
}

static struct gt_ebpf_held *held_of(struct gt_ebpf_dirs *d, uint32_t idx)
{
	if (idx >= d->nheld) {
		size_t old = d->nheld;

		xgrow((void **)&d->held, &d->nheld, (size_t)idx + 1, sizeof(*d->held));
		memset(d->held + old, 0, (d->nheld - old) * sizeof(*d->held));
	}
	return &d->held[idx];
}

static const char *fd_path(const struct gt_ebpf_proc *p, uint64_t fd)
{
	return fd < p->nfd ? p->fd[fd] : NULL;
}

/* Descriptor FD of P is PATH (NULL: closed, or not known). */
static void set_fd(struct gt_ebpf_proc *p, uint64_t fd, const char *path)
{
	if (fd > INT_MAX)
		return;
	if (fd >= p->nfd) {
		size_t old = p->nfd;

		if (!path)
			return;
		xgrow((void **)&p->fd, &p->nfd, (size_t)fd + 1, sizeof(*p->fd));
		memset(p->fd + old, 0, (p->nfd - old) * sizeof(*p->fd));
	}
	free(p->fd[fd]);
	p->fd[fd] = path ? xstrdup(path) : NULL;
}

void gt_ebpf_dirs_fork(struct gt_ebpf_dirs *d, uint32_t parent, uint32_t child)
{
	struct gt_ebpf_proc *c = proc_of(d, child), *p;

	p = proc_of(d, parent); /* after the child's: PROCS may move */
	free(c->cwd);
	c->cwd = xstrdup(p->cwd);
	for (size_t i = 0; i < p->nfd; i++)
		if (p->fd[i])
			set_fd(c, i, p->fd[i]);
}

/* PATH as the call saw it: absolute, or from its directory descriptor's
 * path (DIRFD, AT_FDCWD: the working directory).  NULL: not known. */
static char *resolve(const struct gt_ebpf_proc *p, int64_t dirfd, const char *path)
{
	const char *base;

	if (!path)
		return NULL;
	if (path[0] == '/')
		return xstrdup(path);
	base = (int32_t)dirfd == AT_FDCWD ? p->cwd : fd_path(p, (uint64_t)dirfd);
	if (!base)
		return NULL;
	if (!path[0] || strcmp(path, ".") == 0)
		return xstrdup(base);
	return xasprintf("%s/%s", base, path);
}

/* Follow what a call that worked did to the descriptors and the working
 * directory of its process. */
static void follow(struct gt_ebpf_dirs *d, struct gt_session *s, uint32_t proc,
		   const struct gt_raw_event *ev)
{
	struct gt_ebpf_proc *p = proc_of(d, proc);
	const uint64_t *a = ev->args;
	int nr = ev->nr;
	char *path = NULL;

	if ((ev->flags & (GT_EV_NO_RETURN | GT_EV_RET_UNKNOWN)) || ev->ret < 0)
		return;
	if (nr == d->nr_openat || nr == d->nr_openat2) {
		path = resolve(p, (int64_t)a[0], gt_capture_mem(s->cap, ev, 1));
		set_fd(p, (uint64_t)ev->ret, path);
	} else if (nr == d->nr_open || nr == d->nr_creat) {
		path = resolve(p, AT_FDCWD, gt_capture_mem(s->cap, ev, 0));
		set_fd(p, (uint64_t)ev->ret, path);
	} else if (nr == d->nr_close) {
		set_fd(p, a[0], NULL);
	} else if (nr == d->nr_close_range) {
		for (uint64_t fd = a[0]; fd <= a[1] && fd < p->nfd; fd++)
			set_fd(p, fd, NULL);
	} else if (nr == d->nr_dup || (nr == d->nr_fcntl && (a[1] == F_DUPFD ||
							     a[1] == F_DUPFD_CLOEXEC_))) {
		set_fd(p, (uint64_t)ev->ret, fd_path(p, a[0]));
	} else if (nr == d->nr_dup2 || nr == d->nr_dup3) {
		if (a[0] != a[1])
			set_fd(p, a[1], fd_path(p, a[0]));
	} else if (nr == d->nr_chdir || nr == d->nr_fchdir) {
		path = nr == d->nr_chdir ? resolve(p, AT_FDCWD, gt_capture_mem(s->cap, ev, 0))
					 : (fd_path(p, a[0]) ? xstrdup(fd_path(p, a[0])) : NULL);
		if (path) {
			free(p->cwd);
			p->cwd = path;
			path = NULL;
		}
	}
	free(path);
}

/* The names in a getdents64 buffer, appended to H. */
static void add_names(struct gt_ebpf_held *h, const char *buf, size_t len)
{
	for (size_t at = 0; at + 19 < len;) {
		unsigned short reclen;
		const char *name = buf + at + 19;
		size_t nl;

		memcpy(&reclen, buf + at + 16, sizeof(reclen));
		if (reclen < 20 || at + reclen > len)
			break;
		nl = strnlen(name, (size_t)reclen - 19);
		gt_buf_add(&h->names, name, nl);
		gt_buf_add(&h->names, "", 1);
		h->count++;
		at += reclen;
	}
}

/* The listing of H's directory for task TID, in gt_fetch_dirnames's
 * layout, or 0: not known, or listed by this task already, unchanged. */
static uint32_t listing(struct gt_capture *c, pid_t tid, const struct gt_ebpf_held *h)
{
	char real[PATH_MAX];
	const char *dir;
	struct gt_buf b = {0};
	struct stat st;
	uint32_t off;

	if (!h->dir || h->lost)
		return 0;
	dir = realpath(h->dir, real) ? real : h->dir;
	if (stat(dir, &st) == 0) {
		for (size_t i = 0; i < c->nlisted; i++)
			if (c->listed[i].tid == tid && c->listed[i].dev == st.st_dev &&
			    c->listed[i].ino == st.st_ino &&
			    c->listed[i].mtime.tv_sec == st.st_mtim.tv_sec &&
			    c->listed[i].mtime.tv_nsec == st.st_mtim.tv_nsec)
				return 0;
		xgrow((void **)&c->listed, &c->listed_cap, c->nlisted + 1, sizeof(*c->listed));
		c->listed[c->nlisted++] =
			(struct gt_listed_dir){tid, st.st_dev, st.st_ino, st.st_mtim};
	}
	gt_buf_add(&b, (const char *)&h->count, sizeof(h->count));
	gt_buf_add(&b, dir, strlen(dir) + 1);
	if (h->names.len)
		gt_buf_add(&b, h->names.s, h->names.len);
	off = gt_capture_blob_add(c, b.s, b.len);
	gt_buf_free(&b);
	return off;
}

void gt_ebpf_dirs_flush(struct gt_ebpf_dirs *d, struct gt_session *s, uint32_t idx)
{
	struct gt_ebpf_held *h;

	if (idx >= d->nheld || !d->held[idx].on)
		return;
	h = &d->held[idx];
	if (h->nev) {
		struct gt_raw_event *first = &h->evs[0];

		for (int k = 0; k < 2; k++)
			if (first->argi[k] == 1)
				first->mem[k] = listing(s->cap, s->cap->tasks[idx].tid, h);
	}
	for (size_t i = 0; i < h->nev; i++)
		gt_session_record(s, &h->evs[i]);
	held_clear(h);
}

static void hold(struct gt_ebpf_held *h, const struct gt_raw_event *ev)
{
	xgrow((void **)&h->evs, &h->cap, h->nev + 1, sizeof(*h->evs));
	h->evs[h->nev++] = *ev;
}

void gt_ebpf_dirs_call(struct gt_ebpf_dirs *d, struct gt_session *s, uint32_t proc,
		       const struct gt_raw_event *ev, const char *out, size_t out_len)
{
	uint32_t idx = ev->task;
	struct gt_ebpf_held *h = idx < d->nheld ? &d->held[idx] : NULL;
	bool same = h && h->on && ev->nr == d->nr_getdents64 && (int64_t)ev->args[0] == h->fd;

	if (ev->nr == d->nr_getdents64 && ev->ret > 0 && !(ev->flags & GT_EV_NO_RETURN)) {
		if (!same) {
			gt_ebpf_dirs_flush(d, s, idx);
			h = held_of(d, idx);
			h->on = true;
			h->fd = (int64_t)ev->args[0];
			if (fd_path(proc_of(d, proc), ev->args[0]))
				h->dir = xstrdup(fd_path(proc_of(d, proc), ev->args[0]));
		}
		if (ev->flags & GT_EV_FETCH_FAILED)
			h->lost = true;
		add_names(h, out ? out : "", out ? out_len : 0);
		hold(h, ev);
		return;
	}
	if (same) {
		/* The end of the directory ends the run. */
		hold(h, ev);
		gt_ebpf_dirs_flush(d, s, idx);
		return;
	}
	gt_ebpf_dirs_flush(d, s, idx);
	gt_session_record(s, ev);
	follow(d, s, proc, ev);
}

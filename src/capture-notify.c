/*
 * capture-notify: seccomp filters as BPF, their installation in the child,
 * the user-notification listener's calls, and the one path that serves
 * notifications for the seccomp backend and --backend auto, with auto's
 * notifier thread (see capture-notify.h).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "capture-notify.h"
#include "capture-session.h"

/* Newer than some headers: 5.19 and 6.6. */
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1UL
#endif

bool gt_notify_available(void)
{
	static int avail = -1;

	if (avail < 0) {
		uint32_t action = SECCOMP_RET_USER_NOTIF;

		avail = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
	}
	return avail;
}

enum gt_rc gt_seccomp_export(scmp_filter_ctx ctx, struct sock_fprog *prog, struct gt_error *err)
{
	struct sock_filter *code;
	enum gt_rc rc = GT_OK;
	off_t size;
	int fd;

	prog->filter = NULL;
	prog->len = 0;
	fd = memfd_create("gtdiff-seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return gt_error_set(err, GT_ERR_CAPTURE, "memfd_create: %s", strerror(errno));
	if (seccomp_export_bpf(ctx, fd) < 0 || (size = lseek(fd, 0, SEEK_END)) <= 0 ||
	    size % (off_t)sizeof(*code) != 0 || size / (off_t)sizeof(*code) > BPF_MAXINSNS) {
		rc = gt_error_set(err, GT_ERR_CAPTURE, "cannot build the seccomp filter");
		goto out;
	}
	code = xmalloc((size_t)size);
	if (pread(fd, code, (size_t)size, 0) != (ssize_t)size) {
		free(code);
		rc = gt_error_set(err, GT_ERR_CAPTURE, "cannot read the seccomp filter back");
		goto out;
	}
	prog->filter = code;
	prog->len = (unsigned short)(size / (off_t)sizeof(*code));
out:
	close(fd);
	return rc;
}

long gt_seccomp_install(const struct sock_fprog *prog, bool listener)
{
	long fd;

	if (!listener)
		return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0 ? -errno : 0;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		     SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
		     prog);
	if (fd < 0 && errno == EINVAL)
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			     SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	return fd < 0 ? -errno : fd;
}

bool gt_notify_sync_wakeup(int listener)
{
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		     SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) == 0;
}

int gt_notify_recv(int listener, struct seccomp_notif *req)
{
	memset(req, 0, sizeof(*req)); /* the kernel insists */
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0 ? errno : 0;
}

bool gt_notify_id_valid(int listener, uint64_t id)
{
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

int gt_notify_continue(int listener, uint64_t id)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	while (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		if (errno != EINTR)
			return errno;
	return 0;
}

int gt_notify_answer(int listener, uint64_t id, int64_t val, int error)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.val = error ? 0 : val;
	resp.error = -error;
	while (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		if (errno != EINTR)
			return errno;
	return 0;
}

/* ---- serving notifications on a session ---- */

/* The call's answer was sent, or not (E, an errno): anything but a
 * vanished caller (ENOENT) leaves it waiting for good.  Lock held. */
static void answer_failed(struct gt_session *s, int e)
{
	if (e && e != ENOENT)
		gt_session_fail(s, gt_error_set(s->err, GT_ERR_CAPTURE,
						"cannot let a call of the command continue: "
						"SECCOMP_IOCTL_NOTIF_SEND: %s",
						strerror(e)));
}

/* Let call ID run, the lock released meanwhile (the other thread may
 * record).  0, or the errno. */
static int let_continue(struct gt_session *s, uint64_t id)
{
	int e;

	pthread_mutex_unlock(&s->lock);
	e = gt_notify_continue(s->listener, id);
	pthread_mutex_lock(&s->lock);
	answer_failed(s, e);
	return e;
}

/* The argument of D the kernel fills with an fd pair, or -1. */
static int fdpair_arg(const struct gt_syscall_desc *d)
{
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++)
		if (d->argk[i] == GT_A_FDPAIR)
			return i;
	return -1;
}

/* The task IDX waits in its next call: the fd pair its previous call made
 * is in its memory now (if that call failed, whatever was there before:
 * canon-render.c takes only a plausible pair).  Into the blob; its offset,
 * or 0 when there is none to read or it cannot be read. */
static uint32_t fetch_pending_pair(struct gt_session *s, pid_t tid, uint32_t idx)
{
	struct gt_live *l = gt_session_task(s, idx);
	uint32_t off = l->pair_ev < 0 ? 0 : gt_fetch_fixed(s->cap, tid, l->pair_addr,
							  2 * sizeof(int32_t));

	if (!off)
		l->pair_ev = -1;
	return off;
}

/* Attach the pair at blob offset OFF to the call that made it, in a free
 * memory slot. */
static void attach_pair(struct gt_session *s, uint32_t idx, uint32_t off)
{
	struct gt_live *l = gt_session_task(s, idx);
	struct gt_raw_event *ev = &s->cap->events[l->pair_ev];
	int slot = ev->argi[0] == 0xff ? 0 : ev->argi[1] == 0xff ? 1 : -1;

	if (slot >= 0) {
		ev->argi[slot] = (uint8_t)l->pair_arg;
		ev->mem[slot] = off;
	}
	l->pair_ev = -1;
}

/* While pinned, a task asking for its own mask gets the one it would have
 * had, as the kernel would give it: EINVAL for a length that is not whole
 * longs or is too short, else MASKLEN bytes.  False: not its own (the
 * kernel answers).  The id is checked before writing, so that a task
 * killed meanwhile (its tid perhaps reused) is not written to. */
static bool answer_getaffinity(struct gt_session *s, const struct seccomp_notif *req)
{
	pid_t who = (pid_t)req->data.args[0];
	uint64_t len = req->data.args[1];
	int masklen;
	const cpu_set_t *mask = gt_pin_answer(&s->pin, &masklen);
	struct iovec local = {(void *)(uintptr_t)mask, (size_t)masklen};
	struct iovec remote = {(void *)(uintptr_t)req->data.args[2], (size_t)masklen};
	int error = 0;

	if (!mask || (who != 0 && who != (pid_t)req->pid))
		return false;
	if (len % sizeof(long) != 0 || len < (uint64_t)masklen)
		error = EINVAL;
	else if (!gt_notify_id_valid(s->listener, req->id))
		return true; /* gone: nothing to answer */
	else if (process_vm_writev((pid_t)req->pid, &local, 1, &remote, 1, 0) != masklen)
		error = EFAULT;
	gt_notify_answer(s->listener, req->id, masklen, error);
	return true;
}

void gt_notify_serve(struct gt_session *s)
{
	const struct gt_notify_hooks *h = s->hooks->notify;
	const struct gt_syscall_desc *d;
	struct seccomp_notif req;
	struct gt_raw_event ev;
	size_t blob_mark, at = SIZE_MAX;
	uint32_t idx, pair;
	bool checked = false;
	pid_t tid;
	int e, nr, pa;

	e = gt_notify_recv(s->listener, &req);
	pthread_mutex_lock(&s->lock);
	if (e) {
		/* EINTR; ENOENT: the caller was killed meanwhile */
		if (e != EINTR && e != ENOENT)
			gt_session_fail(s, gt_error_set(s->err, GT_ERR_CAPTURE,
							"cannot receive the command's calls: "
							"SECCOMP_IOCTL_NOTIF_RECV: %s",
							strerror(e)));
		goto out;
	}
	tid = (pid_t)req.pid;
	nr = req.data.nr;
	if (!s->started) {
		/* The child's own calls before its execve are not the command. */
		if (tid != s->root || nr != s->nr_execve || req.data.arch != s->arch) {
			let_continue(s, req.id);
			goto out;
		}
		s->started = true;
		s->t0 = gt_now_ns();
	}
	s->notified++;
	if (req.data.arch != s->arch) {
		gt_session_fail(s, gt_error_set(s->err, GT_ERR_CAPTURE,
						"the command runs code of another architecture "
						"(AUDIT_ARCH 0x%x): gtdiff cannot name its calls",
						req.data.arch));
		let_continue(s, req.id);
		goto out;
	}
	blob_mark = s->cap->bloblen;
	idx = h->task_of(s, tid, &checked);
	d = gt_syscall_by_nr(nr);
	memset(&ev, 0, sizeof(ev));
	ev.argi[0] = ev.argi[1] = 0xff;
	ev.task = idx;
	ev.nr = nr;
	memcpy(ev.args, req.data.args, sizeof(ev.args));
	ev.t_enter_ns = ev.t_exit_ns = gt_session_now(s);
	ev.flags = d->retk == GT_R_NONE ? GT_EV_NO_RETURN : GT_EV_RET_UNKNOWN;
	pair = fetch_pending_pair(s, tid, idx);
	if (pair)
		checked = true;
	if (gt_syscall_fetches_at_entry(d) && gt_fetch_args(s->cap, tid, &ev, d, false, false))
		checked = true;
	/* The TOCTOU guard: the id is valid only while that very task waits in
	 * this very call, so if it still is, everything read above (memory,
	 * /proc) was that task's and not a reused tid's. */
	if (checked && !gt_notify_id_valid(s->listener, req.id)) {
		s->cap->bloblen = blob_mark;
		ev.mem[0] = ev.mem[1] = 0;
		ev.argi[0] = ev.argi[1] = 0xff;
		ev.flags |= GT_EV_FETCH_FAILED;
		pair = 0;
		gt_session_task(s, idx)->pair_ev = -1;
	}
	if (pair)
		attach_pair(s, idx, pair);
	if (s->fail == GT_OK)
		h->check(s, idx, tid, &ev, d);
	if (s->fail != GT_OK) {
		/* Refused (or failed): not one more call of the command. */
		gt_session_kill_all(s);
		goto out;
	}
	if (h->before_answer)
		h->before_answer(s, idx, tid, &ev, d);
	/* With another thread recording, the call is on record before its
	 * task goes on, so that its next call comes after it. */
	if (s->threaded && !gt_capture_ignored(s->ignore, nr)) {
		at = s->cap->nevents;
		gt_session_record(s, &ev);
	}
	if ((s->pin.on || s->pin.show) && nr == s->nr_getaffinity &&
	    answer_getaffinity(s, &req)) {
		/* answered: the call did not run, but the record is the same */
	} else if (let_continue(s, req.id)) {
		/* Killed inside the call: like a ptrace stop's, it has no return
		 * (unless it was folded into the turn before it). */
		ev.flags = (uint8_t)((ev.flags & ~GT_EV_RET_UNKNOWN) | GT_EV_NO_RETURN);
		if (at != SIZE_MAX && at < s->cap->nevents && s->cap->events[at].task == ev.task &&
		    s->cap->events[at].t_enter_ns == ev.t_enter_ns)
			s->cap->events[at].flags = ev.flags;
	}
	if (h->after_answer)
		h->after_answer(s, idx, &ev);
	if (!s->threaded && !gt_capture_ignored(s->ignore, nr)) {
		at = s->cap->nevents;
		gt_session_record(s, &ev);
	}
	pa = fdpair_arg(d);
	if (at != SIZE_MAX && pa >= 0 && ev.args[pa] && !(ev.flags & GT_EV_NO_RETURN)) {
		struct gt_live *l = gt_session_task(s, idx);

		l->pair_ev = (int64_t)at;
		l->pair_arg = pa;
		l->pair_addr = ev.args[pa];
	}
out:
	pthread_mutex_unlock(&s->lock);
}

/* ---- the notifier thread ---- */

/* Serve notifications until the run is over (STOPFD) or no task uses the
 * filter any more.  A blocked NOTIF_RECV would not notice either, so it
 * polls. */
static void *notifier_main(void *p)
{
	struct gt_session *s = p;
	struct pollfd pf[2] = {{s->listener, POLLIN, 0}, {s->stopfd, POLLIN, 0}};

	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents)
			break;
		if (pf[0].revents & POLLIN)
			gt_notify_serve(s);
		else if (pf[0].revents)
			break; /* POLLHUP: every task of the filter is gone */
	}
	return NULL;
}

void gt_notifier_start(struct gt_session *s, const char *whose)
{
	sigset_t all, old;
	int rc;

	s->stopfd = eventfd(0, EFD_CLOEXEC);
	if (s->stopfd < 0) {
		rc = errno;
	} else {
		/* Every signal blocked: the timeout and ^C must interrupt the
		 * main thread's wait, not the notifier's poll. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&s->notifier, NULL, notifier_main, s);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (rc == 0)
		s->threaded = true;
	else
		gt_session_fail(s, gt_error_set(s->err, GT_ERR_CAPTURE,
						"%s: cannot start its notification thread: %s", whose,
						strerror(rc)));
}

void gt_notifier_stop(struct gt_session *s)
{
	uint64_t one = 1;

	if (s->threaded) {
		if (write(s->stopfd, &one, sizeof(one)) != (ssize_t)sizeof(one))
			pthread_cancel(s->notifier); /* cannot happen: eventfd */
		pthread_join(s->notifier, NULL);
		s->threaded = false;
	}
	if (s->stopfd >= 0)
		close(s->stopfd);
	s->stopfd = -1;
}

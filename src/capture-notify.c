/*
 * capture-notify: seccomp filters as BPF, their installation in the child,
 * and the user-notification listener's calls (see capture-notify.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capture-notify.h"

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

/*
 * newfile: create a file only when absent, atomically (newfile.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interrupt.h"
#include "newfile.h"

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Where link(2) is not supported (some FUSE and FAT file systems): an
 * exclusive create, written in place. */
static enum gt_rc create_excl(const char *path, const char *data, size_t len, mode_t mode,
			      bool *existed, struct gt_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0 && errno == EEXIST) {
		*existed = true;
		return GT_OK;
	}
	if (fd < 0)
		return gt_error_set(err, GT_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(path);
		return gt_error_set(err, GT_ERR_IO, "%s: write failed: %s", path, strerror(e));
	}
	close(fd);
	return GT_OK;
}

enum gt_rc gt_newfile_create(const char *path, const char *data, size_t len, mode_t mode,
			     bool *existed, struct gt_error *err)
{
	mode_t mask = umask(022);
	struct stat st;
	char *tmp;
	sigset_t sigs;
	enum gt_rc rc = GT_OK;
	int fd, e;

	umask(mask);
	mode &= ~mask;
	*existed = false;
	if (lstat(path, &st) == 0) {
		*existed = true;
		return GT_OK;
	}
	tmp = xasprintf("%s.tmp.XXXXXX", path);
	/* Registered as it is made: a second signal removes it (interrupt.h). */
	gt_interrupt_block(&sigs);
	fd = mkstemp(tmp);
	e = errno;
	if (fd >= 0)
		gt_interrupt_temp_add(tmp);
	gt_interrupt_unblock(&sigs);
	if (fd < 0) {
		free(tmp);
		return gt_error_set(err, GT_ERR_IO, "%s: cannot create: %s", path, strerror(e));
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: write failed: %s", path, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: write failed: %s", path, strerror(errno));
		goto out;
	}
	if (gt_write_cancel) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: not written: interrupted", path);
		goto out;
	}
	if (link(tmp, path) < 0) {
		if (errno == EEXIST)
			*existed = true;
		else if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS)
			rc = create_excl(path, data, len, mode, existed, err);
		else
			rc = gt_error_set(err, GT_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
	}
out:
	unlink(tmp);
	gt_interrupt_temp_forget(tmp);
	free(tmp);
	return rc;
}

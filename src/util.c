/*
 * util: allocation wrappers, the error record, growable strings, atomic file
 * writes.  See util.h.
 */
#include "config.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(size_t n)
{
	fprintf(stderr, "gtdiff: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

void xgrow(void **p, size_t *cap, size_t want, size_t size)
{
	size_t c = *cap;

	if (want <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < want) {
		if (c > SIZE_MAX / 2 / size)
			oom(SIZE_MAX);
		c *= 2;
	}
	*p = xrealloc(*p, c * size);
	*cap = c;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct gt_buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return gt_buf_steal(&b);
}

enum gt_rc gt_error_set(struct gt_error *err, enum gt_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return rc;
	err->rc = rc;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return rc;
}

void gt_buf_add(struct gt_buf *b, const char *s, size_t n)
{
	if (n == 0 && b->s)
		return;
	xgrow((void **)&b->s, &b->cap, b->len + n + 1, 1);
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void gt_buf_puts(struct gt_buf *b, const char *s)
{
	gt_buf_add(b, s, strlen(s));
}

void gt_buf_putc(struct gt_buf *b, char c)
{
	gt_buf_add(b, &c, 1);
}

void gt_buf_vprintf(struct gt_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	xgrow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void gt_buf_printf(struct gt_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void gt_buf_quote(struct gt_buf *b, const char *s, size_t n)
{
	gt_buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': gt_buf_puts(b, "\\\""); break;
		case '\\': gt_buf_puts(b, "\\\\"); break;
		case '\n': gt_buf_puts(b, "\\n"); break;
		case '\t': gt_buf_puts(b, "\\t"); break;
		case '\r': gt_buf_puts(b, "\\r"); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				gt_buf_printf(b, "\\%03o", c);
			else
				gt_buf_putc(b, (char)c);
		}
	}
	gt_buf_putc(b, '"');
}

void gt_buf_reset(struct gt_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

char *gt_buf_steal(struct gt_buf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void gt_buf_free(struct gt_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

uint64_t gt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static enum gt_rc write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return GT_ERR_IO;
		}
		data += n;
		len -= (size_t)n;
	}
	return GT_OK;
}

/* The mode a rewritten file keeps: its own, or 0666 less the umask. */
static mode_t file_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mask = umask(022);
	umask(mask);
	return 0666 & ~mask;
}

volatile sig_atomic_t gt_write_cancel;

enum gt_rc gt_write_file_atomic(const char *path, const char *data, size_t len,
				struct gt_error *err)
{
	char *dir = NULL, *tmp = NULL;
	const char *slash;
	enum gt_rc rc = GT_OK;
	int fd = -1, dfd = -1;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, len) != GT_OK)
			return gt_error_set(err, GT_ERR_IO, "<stdout>: write failed: %s",
					    strerror(errno));
		return GT_OK;
	}
	{
		/* A device or a pipe (/dev/null, /dev/stdout, a fifo) is written
		 * in place: renaming over it would replace it with a file. */
		struct stat st;

		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || write_all(fd, data, len) != GT_OK) {
				rc = gt_error_set(err, GT_ERR_IO, "%s: write failed: %s", path,
						  strerror(errno));
				if (fd >= 0)
					close(fd);
				return rc;
			}
			close(fd);
			return GT_OK;
		}
	}
	slash = strrchr(path, '/');
	dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
	tmp = xasprintf("%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: cannot create temporary file: %s", path,
				  strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, file_mode(path)) < 0 || write_all(fd, data, len) != GT_OK ||
	    fsync(fd) < 0) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: write failed: %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = gt_error_set(err, GT_ERR_IO, "%s: write failed: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (gt_write_cancel) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: not written: interrupted", path);
		goto out;
	}
	if (rename(tmp, path) < 0) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: cannot replace: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	return rc;
}

enum gt_rc gt_mkdir_p(const char *dir, struct gt_error *err)
{
	char *p = xstrdup(dir);
	enum gt_rc rc = GT_OK;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			break; /* the final mkdir reports it */
		*s = '/';
	}
	if (mkdir(p, 0777) < 0 && errno != EEXIST)
		rc = gt_error_set(err, GT_ERR_IO, "%s: cannot create directory: %s", dir,
				  strerror(errno));
	free(p);
	return rc;
}

enum gt_rc gt_read_file(const char *path, char **data, size_t *len, struct gt_error *err)
{
	struct gt_buf b = {0};
	char chunk[65536];
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (!f)
		return gt_error_set(err, GT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		gt_buf_add(&b, chunk, n);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		gt_buf_free(&b);
		return gt_error_set(err, GT_ERR_IO, "%s: read failed: %s", path, strerror(e));
	}
	fclose(f);
	if (!b.s)
		gt_buf_add(&b, "", 0);
	*len = b.len;
	*data = gt_buf_steal(&b);
	return GT_OK;
}

bool gt_env_true(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0;
}

char *gt_real_or_keep(char *path)
{
	char *real = path ? realpath(path, NULL) : NULL;

	if (!real)
		return path;
	free(path);
	return real;
}

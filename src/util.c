/*
 * util: allocation wrappers, the error record, growable strings, atomic file
 * writes.  See util.h.
 */
#include "config.h"

#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "interrupt.h"

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

/* The mode a new file gets: 0666 less the umask. */
static mode_t new_file_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

volatile sig_atomic_t gt_write_cancel;

/* Temporary file in PATH's directory, fsync, rename over PATH, fsync of the
 * directory; the new file gets MODE. */
static enum gt_rc replace_atomic(const char *path, const char *data, size_t len, mode_t mode,
				 struct gt_error *err)
{
	char *dir = NULL, *tmp = NULL;
	const char *slash;
	enum gt_rc rc = GT_OK;
	int fd = -1, dfd = -1, e;
	sigset_t mask;

	slash = strrchr(path, '/');
	dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
	tmp = xasprintf("%s.tmp.XXXXXX", path);
	/* Registered as it is made: a second signal removes it (interrupt.h). */
	gt_interrupt_block(&mask);
	fd = mkstemp(tmp);
	e = errno;
	if (fd >= 0)
		gt_interrupt_temp_add(tmp);
	gt_interrupt_unblock(&mask);
	if (fd < 0) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: cannot create temporary file: %s", path,
				  strerror(e));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) != GT_OK || fsync(fd) < 0) {
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
	gt_interrupt_temp_forget(tmp);
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
		gt_interrupt_temp_forget(tmp);
		free(tmp);
	}
	free(dir);
	return rc;
}

enum gt_rc gt_write_file_atomic(const char *path, const char *data, size_t len,
				struct gt_error *err)
{
	struct stat st;
	enum gt_rc rc;
	int fd;

	if (strcmp(path, "-") == 0) {
		if (write_all(STDOUT_FILENO, data, len) != GT_OK)
			return gt_error_set(err, GT_ERR_IO, "<stdout>: write failed: %s",
					    strerror(errno));
		return GT_OK;
	}
	/* A device or a pipe (/dev/null, /dev/stdout, a fifo) is written in
	 * place: renaming over it would replace it with a file.  (Reports
	 * only: gtdiff's own files go through gt_write_file_regular.) */
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
	return replace_atomic(path, data, len, stat(path, &st) == 0 ? st.st_mode & 07777
								    : new_file_mode(), err);
}

/* What a non-regular file is, for messages. */
static const char *file_kind(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

enum gt_rc gt_write_file_regular(const char *path, const char *data, size_t len,
				 struct gt_error *err)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return gt_error_set(err, GT_ERR_USAGE, "%s: refusing to write: it is %s, "
					    "not a regular file (remove it, and gtdiff writes a "
					    "new file)", path, file_kind(st.st_mode));
		return replace_atomic(path, data, len, st.st_mode & 0777, err);
	}
	if (errno != ENOENT)
		return gt_error_set(err, GT_ERR_IO, "%s: cannot write: %s", path, strerror(errno));
	return replace_atomic(path, data, len, new_file_mode(), err);
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

ssize_t gt_read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return n;
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

/* "256 MiB", "1.5 KiB", "17 bytes": N in a unit that reads well. */
static void size_str(uint64_t n, char *buf, size_t cap)
{
	if (n >= ((uint64_t)1 << 30) && n % ((uint64_t)1 << 30) == 0)
		snprintf(buf, cap, "%llu GiB", (unsigned long long)(n >> 30));
	else if (n >= ((uint64_t)1 << 20) && n % ((uint64_t)1 << 20) == 0)
		snprintf(buf, cap, "%llu MiB", (unsigned long long)(n >> 20));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, cap, "%llu KiB", (unsigned long long)(n >> 10));
	else
		snprintf(buf, cap, "%llu bytes", (unsigned long long)n);
}

static enum gt_rc too_big(const char *path, uint64_t size, bool at_least, uint64_t max,
			  struct gt_error *err)
{
	char a[64], b[64];

	size_str(size, a, sizeof(a));
	size_str(max, b, sizeof(b));
	return gt_error_set(err, GT_ERR_USAGE, "%s: refusing to read: %s%s (%llu bytes) is "
			    "over the limit of %s (golden_max_size in gtdiff.yaml)", path,
			    at_least ? "at least " : "", a, (unsigned long long)size, b);
}

enum gt_rc gt_read_file_regular(const char *path, uint64_t max, char **data, size_t *len,
				struct gt_error *err)
{
	struct gt_buf b = {0};
	struct stat st;
	char *real = NULL, *dir, *realdir;
	const char *open_path = path, *slash;
	enum gt_rc rc = GT_OK;
	int fd;

	*data = NULL;
	*len = 0;
	if (lstat(path, &st) < 0)
		return gt_error_set(err, GT_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
	if (S_ISLNK(st.st_mode)) {
		/* A link within the golden directory is a golden that goes by
		 * two names; one that leaves it could show any file. */
		slash = strrchr(path, '/');
		dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
		realdir = realpath(dir, NULL);
		real = realpath(path, NULL);
		free(dir);
		if (!real || !realdir || !gt_path_within(real, realdir) ||
		    strcmp(real, realdir) == 0) {
			rc = real && realdir
				     ? gt_error_set(err, GT_ERR_USAGE, "%s: refusing to read: it is a "
						    "symbolic link to a file outside its directory %s",
						    path, realdir)
				     : gt_error_set(err, GT_ERR_USAGE, "%s: refusing to read: it is a "
						    "symbolic link that does not resolve: %s", path,
						    strerror(errno));
			free(real);
			free(realdir);
			return rc;
		}
		free(realdir);
		open_path = real;
	}
	/* O_NONBLOCK: a FIFO must not block the open; O_NOFOLLOW: a link
	 * swapped in after the check is not followed. */
	fd = open(open_path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = gt_error_set(err, errno == ELOOP ? GT_ERR_USAGE : GT_ERR_IO,
				  "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		rc = gt_error_set(err, GT_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = gt_error_set(err, GT_ERR_USAGE, "%s: refusing to read: it is %s, not a regular "
				  "file", path, file_kind(st.st_mode));
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		rc = too_big(path, (uint64_t)st.st_size, false, max, err);
		goto out;
	}
	xgrow((void **)&b.s, &b.cap, (size_t)st.st_size + 1, 1);
	for (;;) {
		char chunk[65536];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = gt_error_set(err, GT_ERR_IO, "%s: read failed: %s", path,
					  strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		/* It grew while being read. */
		if ((uint64_t)b.len + (uint64_t)n > max) {
			rc = too_big(path, (uint64_t)b.len + (uint64_t)n, true, max, err);
			goto out;
		}
		gt_buf_add(&b, chunk, (size_t)n);
	}
	if (!b.s)
		gt_buf_add(&b, "", 0);
	*len = b.len;
	*data = gt_buf_steal(&b);
out:
	if (fd >= 0)
		close(fd);
	gt_buf_free(&b);
	free(real);
	return rc;
}

bool gt_is_write_tmp_name(const char *name)
{
	static const char suffix[] = ".json.tmp.";
	size_t n = strlen(name), m = sizeof(suffix) - 1;

	if (n < m + 6 + 1 || strncmp(name + n - 6 - m, suffix, m) != 0)
		return false;
	for (size_t i = n - 6; i < n; i++)
		if (!isalnum((unsigned char)name[i]))
			return false;
	return true;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t gt_write_tmp_leftovers(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (!gt_is_write_tmp_name(de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		xgrow((void **)&v, &cap, n + 2, sizeof(*v));
		v[n++] = xasprintf("%s/%s", dir, de->d_name);
		v[n] = NULL;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_strp);
	*out = v;
	return n;
}

char *gt_resolve_existing(const char *path)
{
	char *head = xstrdup(path), *real = NULL, *rest, *out;
	struct gt_buf b = {0};
	size_t cut = strlen(head);

	/* The longest prefix that exists, through realpath. */
	for (;;) {
		real = realpath(cut ? head : "/", NULL);
		if (real || cut == 0)
			break;
		while (cut > 0 && head[cut - 1] != '/')
			cut--;
		while (cut > 0 && head[cut - 1] == '/')
			cut--;
		head[cut] = '\0';
	}
	gt_buf_puts(&b, real ? real : "/");
	/* The rest, "." and ".." applied lexically. */
	rest = xstrdup(path + cut);
	for (char *save = NULL, *seg = strtok_r(rest, "/", &save); seg;
	     seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			char *s = strrchr(b.s, '/');

			b.len = s && s != b.s ? (size_t)(s - b.s) : 1;
			b.s[b.len] = '\0';
			continue;
		}
		if (b.len > 1)
			gt_buf_putc(&b, '/');
		gt_buf_puts(&b, seg);
	}
	free(rest);
	free(real);
	free(head);
	out = gt_buf_steal(&b);
	return out;
}

bool gt_path_within(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
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

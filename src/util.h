/*
 * util: the allocation wrappers, the error record and the growable string
 * buffer that every module shares.
 *
 * Allocation never fails visibly: the x-wrappers abort with a message when
 * memory runs out, so callers need no NULL checks.  Library code reports
 * failures by returning an enum gt_rc and filling an optional struct
 * gt_error; it never prints and never exits.  Only gtdiff.c and cmd-*.c do.
 */
#ifndef GT_UTIL_H
#define GT_UTIL_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A count that could not be taken (a trace writes it as null). */
#define GT_COUNT_UNKNOWN UINT64_MAX

/* Status of every fallible library call.  GT_OK is zero. */
enum gt_rc {
	GT_OK = 0,
	GT_ERR_USAGE,   /* bad arguments or options */
	GT_ERR_IO,      /* a file could not be read or written */
	GT_ERR_FORMAT,  /* a file is not what it should be (corrupt, truncated) */
	GT_ERR_VERSION, /* a file written by a newer gtdiff */
	GT_ERR_CAPTURE, /* the tracer could not run or could not see everything */
	GT_ERR_TIMEOUT, /* the traced command ran past its time limit */
};

/* What went wrong, as a message ready for the user ("FILE: what").  The
 * message names the file (and line:column where there is one). */
struct gt_error {
	enum gt_rc rc;
	char msg[1024];
};

/* Fill ERR (which may be NULL) with a printf-style message; return RC so that
 * callers can write `return gt_error_set(err, GT_ERR_IO, ...)`. */
enum gt_rc gt_error_set(struct gt_error *err, enum gt_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Allocation that aborts on failure.  xfree-style release is plain free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow *P to hold at least WANT elements of SIZE bytes; *CAP is updated. */
void xgrow(void **p, size_t *cap, size_t want, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* PATH (malloc'd, taken over) made absolute and free of symlinks by
 * realpath(3), or PATH itself when that fails.  Caller frees the result. */
char *gt_real_or_keep(char *path);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated string.  Zero-initialise; free with gt_buf_free.
 * The buffer owns its memory; gt_buf_steal hands it to the caller. */
struct gt_buf {
	char *s;
	size_t len, cap;
};
void gt_buf_add(struct gt_buf *b, const char *s, size_t n);
void gt_buf_puts(struct gt_buf *b, const char *s);
void gt_buf_putc(struct gt_buf *b, char c);
void gt_buf_printf(struct gt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gt_buf_vprintf(struct gt_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Append S as a C string literal with quotes, escaping as strace does
 * (\n \t \" \\ and \ooo for other bytes outside printable ASCII). */
void gt_buf_quote(struct gt_buf *b, const char *s, size_t n);
void gt_buf_reset(struct gt_buf *b);
char *gt_buf_steal(struct gt_buf *b);
void gt_buf_free(struct gt_buf *b);

/* Monotonic clock in nanoseconds. */
uint64_t gt_now_ns(void);

/* Write DATA to PATH atomically: a temporary file in the same directory,
 * fsync, rename, fsync of the directory.  On failure PATH is untouched and
 * the temporary file is removed.  PATH "-" writes to stdout. */
enum gt_rc gt_write_file_atomic(const char *path, const char *data, size_t len,
				struct gt_error *err);
/* Set (by the signal policy, interrupt.h): gt_write_file_atomic renames
 * nothing into place and fails "interrupted", removing its temporary file. */
extern volatile sig_atomic_t gt_write_cancel;

/* Like gt_write_file_atomic, for the files gtdiff owns (goldens and the
 * kept runs <case>.new.json): never through a link and never in place.
 * PATH must be absent or a regular file; a symbolic link (wherever it
 * points), a device, a FIFO or a directory is refused with GT_ERR_USAGE
 * and a message naming PATH, and nothing is written.  The rename replaces
 * the directory entry itself, so a link made after the check is replaced,
 * not followed. */
enum gt_rc gt_write_file_regular(const char *path, const char *data, size_t len,
				 struct gt_error *err);

/* The size cap of gt_read_file_regular when the config sets none. */
#define GT_READ_MAX_DEFAULT ((uint64_t)256 << 20)

/* Read a file gtdiff owns (a golden, a kept run) into a NUL-terminated
 * allocated buffer (caller frees), refusing without reading a byte of it:
 * anything but a regular file (a FIFO, a device, a directory: opened with
 * O_NONBLOCK, so a FIFO never blocks); a symbolic link that resolves outside
 * the directory PATH is in (a link to a file in that directory or below is
 * followed); a file larger than MAX bytes.  GT_ERR_USAGE for a refusal,
 * GT_ERR_IO when it cannot be read; the message names PATH and never
 * quotes the file. */
enum gt_rc gt_read_file_regular(const char *path, uint64_t max, char **data, size_t *len,
				struct gt_error *err);

/* Is NAME (a file name, no directory) a temporary file that
 * gt_write_file_regular leaves behind when killed between creating and
 * renaming it: "<x>.json.tmp.XXXXXX" (six letters or digits)? */
bool gt_is_write_tmp_name(const char *name);

/* The leftover temporary files (gt_is_write_tmp_name, regular files, links
 * not followed) in DIR, as "DIR/NAME", sorted, in a NULL-terminated
 * allocated vector (*OUT; NULL when there are none).  Returns how many. */
size_t gt_write_tmp_leftovers(const char *dir, char ***out);

/* PATH (absolute) with symlinks resolved as far as it exists: the longest
 * existing prefix through realpath(3), the rest appended cleaned of "." and
 * "..".  Allocated. */
char *gt_resolve_existing(const char *path);

/* Is PATH equal to DIR or below it (both absolute and resolved)? */
bool gt_path_within(const char *path, const char *dir);

/* Create DIR and its missing parents (mode 0777 less the umask). */
enum gt_rc gt_mkdir_p(const char *dir, struct gt_error *err);

/* Read the start of a small file (a /proc or /sys entry) into BUF of SIZE
 * bytes, NUL-terminated; returns the bytes read, or -1 when it cannot be
 * opened or is empty.  Async-signal-safe: open, read and close only. */
ssize_t gt_read_small(const char *path, char *buf, size_t size);

/* Read a whole file into a NUL-terminated allocated buffer (caller frees). */
enum gt_rc gt_read_file(const char *path, char **data, size_t *len, struct gt_error *err);

/* Is ENV (e.g. "CI") set to a true value: set, not empty, not "0"/"false"? */
bool gt_env_true(const char *name);

#endif

/*
 * test-util: allocation growth, the growable string buffer and its strace-style
 * quoting, the error record, atomic file writes, whole-file reads and the
 * boolean environment test.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The private directory every file test works in (group setup/teardown). */
static char tmpdir[64];

static char *tpath(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* Remove every entry of DIR (files and directories one level down). */
static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *p;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

/* How many entries of DIR have NEEDLE in their name. */
static int count_entries(const char *dir, const char *needle)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strstr(de->d_name, needle))
			n++;
	closedir(d);
	return n;
}

static void write_raw(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	if (len)
		assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int group_setup(void **state)
{
	strcpy(tmpdir, "/tmp/gt-test-util.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	rm_tree(tmpdir);
	return 0;
}

/* ---- allocation ---- */

static void test_xgrow(void **state)
{
	int *v = NULL;
	void *before;
	size_t cap = 0;

	/* No growth needed: nothing happens. */
	xgrow((void **)&v, &cap, 0, sizeof(*v));
	assert_null(v);
	assert_int_equal(cap, 0);

	/* The first allocation is at least 8 elements. */
	xgrow((void **)&v, &cap, 1, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(cap, 8);
	for (int i = 0; i < 8; i++)
		v[i] = i;

	/* Asking for no more than the capacity changes nothing. */
	before = v;
	xgrow((void **)&v, &cap, 8, sizeof(*v));
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 8);
	xgrow((void **)&v, &cap, 3, sizeof(*v));
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 8);

	/* Growth doubles; the contents are kept. */
	xgrow((void **)&v, &cap, 9, sizeof(*v));
	assert_int_equal(cap, 16);
	xgrow((void **)&v, &cap, 1000, sizeof(*v));
	assert_int_equal(cap, 1024);
	for (int i = 0; i < 8; i++)
		assert_int_equal(v[i], i);
	/* Every element of the new capacity is usable (ASan checks). */
	for (size_t i = 0; i < cap; i++)
		v[i] = (int)i;
	assert_int_equal(v[1023], 1023);
	free(v);

	/* A small but non-zero capacity also grows by doubling from 8. */
	{
		char *c = xmalloc(3);
		size_t ccap = 3;

		memcpy(c, "ab", 3);
		xgrow((void **)&c, &ccap, 4, 1);
		assert_int_equal(ccap, 8);
		assert_string_equal(c, "ab");
		free(c);
	}
}

static void test_xstr(void **state)
{
	char *s;

	s = xstrdup("hello");
	assert_string_equal(s, "hello");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
	/* xstrndup stops at N even without a NUL there. */
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("abc", 0);
	assert_string_equal(s, "");
	free(s);
	s = xasprintf("%s-%d-%05.1f", "x", -42, 3.14159);
	assert_string_equal(s, "x--42-003.1");
	free(s);
	s = xasprintf("%s", "");
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	/* Zero-sized allocations still give usable pointers. */
	s = xmalloc(0);
	assert_non_null(s);
	free(s);
	s = xcalloc(0, 0);
	assert_non_null(s);
	free(s);
	s = xcalloc(4, 4);
	for (int i = 0; i < 16; i++)
		assert_int_equal(s[i], 0);
	free(s);
}

/* ---- the error record ---- */

static void test_error_set(void **state)
{
	struct gt_error err = {0};
	char big[3000];

	/* A NULL record: the code is returned and nothing else happens. */
	assert_int_equal(gt_error_set(NULL, GT_ERR_IO, "x %d", 1), GT_ERR_IO);
	assert_int_equal(gt_error_set(NULL, GT_ERR_TIMEOUT, "y"), GT_ERR_TIMEOUT);
	assert_int_equal(gt_error_set(NULL, GT_OK, "z"), GT_OK);

	assert_int_equal(gt_error_set(&err, GT_ERR_FORMAT, "%s:%d:%d: %s", "a.json", 3, 7,
				      "bad"),
			 GT_ERR_FORMAT);
	assert_int_equal(err.rc, GT_ERR_FORMAT);
	assert_string_equal(err.msg, "a.json:3:7: bad");

	/* A second call replaces the first message. */
	gt_error_set(&err, GT_ERR_USAGE, "short");
	assert_int_equal(err.rc, GT_ERR_USAGE);
	assert_string_equal(err.msg, "short");

	/* An overlong message is truncated, NUL-terminated, not overflowed. */
	memset(big, 'm', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	gt_error_set(&err, GT_ERR_IO, "%s", big);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
	assert_int_equal(err.msg[0], 'm');
}

/* ---- the string buffer ---- */

static void test_buf_add(void **state)
{
	struct gt_buf b = {0};

	gt_buf_add(&b, "abc", 3);
	assert_non_null(b.s);
	assert_int_equal(b.len, 3);
	assert_true(b.cap >= 4);
	assert_string_equal(b.s, "abc");

	/* Only N bytes are taken. */
	gt_buf_add(&b, "defXYZ", 3);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.s, "abcdef");

	/* Adding nothing keeps the string as it is. */
	gt_buf_add(&b, "", 0);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.s, "abcdef");

	gt_buf_puts(&b, "-ghi");
	gt_buf_putc(&b, '!');
	assert_int_equal(b.len, 11);
	assert_string_equal(b.s, "abcdef-ghi!");

	/* Embedded NUL bytes are data. */
	gt_buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 14);
	assert_memory_equal(b.s + 11, "a\0b", 4);
	gt_buf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);

	/* Adding zero bytes to an empty buffer makes it the empty string. */
	gt_buf_add(&b, "", 0);
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	gt_buf_free(&b);

	/* Many small appends: length and contents stay right across growth. */
	for (int i = 0; i < 10000; i++)
		gt_buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(b.s), 10000);
	assert_int_equal(b.s[9999], 'a' + 9999 % 26);
	assert_true(b.cap > b.len);
	gt_buf_free(&b);
	/* Freeing twice is harmless. */
	gt_buf_free(&b);
}

static void test_buf_printf(void **state)
{
	struct gt_buf b = {0};
	char *big = xmalloc(5001);
	char *want;

	gt_buf_printf(&b, "%d+%d=%s", 2, 2, "4");
	assert_string_equal(b.s, "2+2=4");
	assert_int_equal(b.len, 5);

	/* Output longer than any initial capacity, appended to what is there. */
	memset(big, 'x', 5000);
	big[5000] = '\0';
	gt_buf_printf(&b, "[%s]%u", big, 12345u);
	assert_int_equal(b.len, 5 + 1 + 5000 + 1 + 5);
	assert_int_equal(strlen(b.s), b.len);
	want = xasprintf("2+2=4[%s]12345", big);
	assert_string_equal(b.s, want);
	free(want);

	/* Empty output still leaves a valid string. */
	gt_buf_printf(&b, "%s", "");
	assert_int_equal(b.len, 5012);
	gt_buf_free(&b);
	gt_buf_printf(&b, "%s", "");
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);

	/* A long first output into an empty buffer. */
	gt_buf_free(&b);
	gt_buf_printf(&b, "%s%s", big, big);
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(b.s), 10000);
	assert_true(b.cap >= 10001);
	gt_buf_free(&b);
	free(big);
}

/* Quote N bytes of S and compare with WANT. */
static void quoted(const char *s, size_t n, const char *want)
{
	struct gt_buf b = {0};

	gt_buf_quote(&b, s, n);
	if (strcmp(b.s, want) != 0)
		fail_msg("quoted as %s, wanted %s", b.s, want);
	assert_int_equal(b.len, strlen(want));
	gt_buf_free(&b);
}

static void test_buf_quote(void **state)
{
	struct gt_buf b = {0};

	quoted("", 0, "\"\"");
	quoted("hello world", 11, "\"hello world\"");
	quoted("a\"b", 3, "\"a\\\"b\"");
	quoted("a\\b", 3, "\"a\\\\b\"");
	quoted("\n\t\r", 3, "\"\\n\\t\\r\"");
	/* Other control bytes are three-digit octal, even before a digit. */
	quoted("\x01", 1, "\"\\001\"");
	quoted("\x01" "2", 2, "\"\\0012\"");
	quoted("\x1f", 1, "\"\\037\"");
	quoted("\x0b\x0c\x1b\x08\x07", 5, "\"\\013\\014\\033\\010\\007\"");
	/* Embedded NUL: quoted, not the end. */
	quoted("a\0b", 3, "\"a\\000b\"");
	/* Printable ASCII edges are themselves; DEL and high bytes are octal. */
	quoted(" ~", 2, "\" ~\"");
	quoted("\x7f", 1, "\"\\177\"");
	quoted("\x80\xff", 2, "\"\\200\\377\"");
	quoted("\xc3\xa9", 2, "\"\\303\\251\"");
	/* Only N bytes are quoted. */
	quoted("abcdef", 2, "\"ab\"");
	/* Everything at once. */
	{
		static const char all[] = "x=\"1\"\\\n\t\r\x01\x7f\x80!";

		quoted(all, sizeof(all) - 1,
		       "\"x=\\\"1\\\"\\\\\\n\\t\\r\\001\\177\\200!\"");
	}

	/* Quoting appends to what is there. */
	gt_buf_puts(&b, "open(");
	gt_buf_quote(&b, "/etc/passwd", 11);
	gt_buf_putc(&b, ')');
	assert_string_equal(b.s, "open(\"/etc/passwd\")");
	gt_buf_free(&b);

	/* All 256 byte values: each is 1, 2 or 4 output bytes as it should be. */
	{
		char all[256];
		size_t want = 2;

		for (int i = 0; i < 256; i++) {
			all[i] = (char)i;
			if (i == '"' || i == '\\' || i == '\n' || i == '\t' || i == '\r')
				want += 2;
			else if (i < 0x20 || i >= 0x7f)
				want += 4;
			else
				want += 1;
		}
		gt_buf_quote(&b, all, sizeof(all));
		assert_int_equal(b.len, want);
		assert_int_equal(strlen(b.s), want);
		gt_buf_free(&b);
	}
}

static void test_buf_reset(void **state)
{
	struct gt_buf b = {0};
	char *keep;
	size_t cap;

	/* Resetting an empty buffer is harmless. */
	gt_buf_reset(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);

	gt_buf_puts(&b, "some text that is long enough");
	cap = b.cap;
	keep = b.s;
	gt_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.s, "");
	/* The memory is kept for reuse. */
	assert_int_equal(b.cap, cap);
	assert_ptr_equal(b.s, keep);
	gt_buf_puts(&b, "new");
	assert_string_equal(b.s, "new");
	assert_int_equal(b.len, 3);
	gt_buf_free(&b);
}

static void test_buf_steal(void **state)
{
	struct gt_buf b = {0};
	char *s;

	/* An empty (never used) buffer gives an allocated "". */
	s = gt_buf_steal(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);

	gt_buf_puts(&b, "owned");
	s = gt_buf_steal(&b);
	assert_string_equal(s, "owned");
	/* The buffer is empty again and does not share the memory. */
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	gt_buf_puts(&b, "fresh");
	assert_ptr_not_equal(b.s, s);
	assert_string_equal(s, "owned");
	free(s);

	/* A reset buffer steals as "". */
	gt_buf_reset(&b);
	s = gt_buf_steal(&b);
	assert_string_equal(s, "");
	free(s);
	gt_buf_free(&b);
}

static void test_now(void **state)
{
	uint64_t a = gt_now_ns(), b = gt_now_ns();

	assert_true(a > 0);
	assert_true(b >= a);
}

/* ---- files ---- */

static void test_write_new(void **state)
{
	struct gt_error err = {0};
	char *path = tpath("new.json");
	char *data = NULL;
	size_t len = 99;
	struct stat st;

	assert_int_equal(gt_write_file_atomic(path, "{\"a\": 1}\n", 9, &err), GT_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_size, 9);
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_int_equal(len, 9);
	assert_string_equal(data, "{\"a\": 1}\n");
	free(data);
	assert_int_equal(count_entries(tmpdir, ".tmp."), 0);

	/* Embedded NUL bytes and an empty write. */
	assert_int_equal(gt_write_file_atomic(path, "a\0b", 3, &err), GT_OK);
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "a\0b", 4);
	free(data);
	assert_int_equal(gt_write_file_atomic(path, "", 0, &err), GT_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	unlink(path);
	free(path);
}

static void test_write_overwrite(void **state)
{
	struct gt_error err = {0};
	char *path = tpath("over.json");
	char *data = NULL;
	size_t len = 0;
	struct stat st;
	ino_t old_ino;

	write_raw(path, "old contents that are longer than the new ones\n", 47);
	assert_int_equal(stat(path, &st), 0);
	old_ino = st.st_ino;
	assert_int_equal(gt_write_file_atomic(path, "new\n", 4, &err), GT_OK);
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_int_equal(len, 4);
	assert_string_equal(data, "new\n");
	free(data);
	/* Replaced by rename, not rewritten in place. */
	assert_int_equal(stat(path, &st), 0);
	assert_int_not_equal(st.st_ino, old_ino);
	assert_int_equal(count_entries(tmpdir, ".tmp."), 0);
	unlink(path);
	free(path);

	/* A relative path (no slash) is written in the current directory. */
	{
		char cwd[4096];

		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(tmpdir), 0);
		assert_int_equal(gt_write_file_atomic("rel.txt", "r", 1, &err), GT_OK);
		assert_int_equal(gt_read_file("rel.txt", &data, &len, &err), GT_OK);
		assert_string_equal(data, "r");
		free(data);
		assert_int_equal(count_entries(".", ".tmp."), 0);
		unlink("rel.txt");
		assert_int_equal(chdir(cwd), 0);
	}

	/* A big file (several write/read chunks). */
	{
		size_t n = 300000;
		char *big = xmalloc(n);

		path = tpath("big.bin");
		for (size_t i = 0; i < n; i++)
			big[i] = (char)(i * 7 + i / 251);
		assert_int_equal(gt_write_file_atomic(path, big, n, &err), GT_OK);
		assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
		assert_int_equal(len, n);
		assert_memory_equal(data, big, n);
		assert_int_equal(data[n], '\0');
		free(data);
		free(big);
		unlink(path);
		free(path);
	}
}

static void test_write_fail(void **state)
{
	struct gt_error err = {0};
	char *missing = tpath("missing");
	char *path = tpath("missing/out.json");
	char *dir = tpath("adir");
	struct stat st;

	/* A file in a directory that does not exist. */
	assert_int_equal(gt_write_file_atomic(path, "x", 1, &err), GT_ERR_IO);
	assert_int_equal(err.rc, GT_ERR_IO);
	if (!strstr(err.msg, path))
		fail_msg("message \"%s\" does not name %s", err.msg, path);
	assert_int_equal(stat(missing, &st), -1);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(count_entries(tmpdir, ".tmp."), 0);
	/* With no error record, only the code. */
	assert_int_equal(gt_write_file_atomic(path, "x", 1, NULL), GT_ERR_IO);

	/* The target is a directory: the rename fails after the temporary file
	 * was written; the temporary file is removed, the directory kept. */
	assert_int_equal(mkdir(dir, 0755), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gt_write_file_atomic(dir, "x", 1, &err), GT_ERR_IO);
	assert_int_equal(err.rc, GT_ERR_IO);
	if (!strstr(err.msg, dir))
		fail_msg("message \"%s\" does not name %s", err.msg, dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(count_entries(tmpdir, ".tmp."), 0);
	rmdir(dir);

	free(missing);
	free(path);
	free(dir);
}

/* A device is written in place, never renamed over (that would turn
 * /dev/null into a regular file for the whole machine); a kept file keeps
 * its mode. */
static void test_write_device_and_mode(void **state)
{
	struct gt_error err = {0};
	struct stat st;
	char *path;

	assert_int_equal(gt_write_file_atomic("/dev/null", "x", 1, &err), GT_OK);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	path = tpath("mode.txt");
	write_raw(path, "old", 3);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(gt_write_file_atomic(path, "new", 3, &err), GT_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	unlink(path);
	free(path);
}

/* gt_write_file_regular: a link (to a device, a FIFO, a file elsewhere)
 * or a FIFO in the file's place is refused, its target untouched. */
static void test_write_regular(void **state)
{
	struct gt_error err = {0};
	char *path = tpath("g.json"), *other = tpath("other.txt"), *fifo = tpath("fifo");
	char *data = NULL;
	size_t len = 0;
	struct stat st;

	(void)state;
	assert_int_equal(gt_write_file_regular(path, "one", 3, &err), GT_OK);
	assert_int_equal(gt_write_file_regular(path, "two", 3, &err), GT_OK);
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_string_equal(data, "two");
	free(data);
	unlink(path);

	write_raw(other, "keep", 4);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	for (const char *const *t = (const char *const[]){ "/dev/null", other, fifo, NULL }; *t;
	     t++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(symlink(*t, path), 0);
		assert_int_equal(gt_write_file_regular(path, "x", 1, &err), GT_ERR_USAGE);
		assert_non_null(strstr(err.msg, path));
		assert_non_null(strstr(err.msg, "symbolic link"));
		assert_int_equal(lstat(path, &st), 0);
		assert_true(S_ISLNK(st.st_mode));
		unlink(path);
	}
	assert_int_equal(gt_write_file_regular(fifo, "x", 1, &err), GT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "FIFO"));
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_int_equal(gt_read_file(other, &data, &len, &err), GT_OK);
	assert_string_equal(data, "keep");
	free(data);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(count_entries(tmpdir, ".tmp."), 0);
	unlink(fifo);
	unlink(other);
	free(path);
	free(other);
	free(fifo);
}

/* gt_read_file_regular: FIFOs (without blocking), devices, directories,
 * links out of the directory and files over the cap are refused without
 * their content in the message; a link within the directory is read. */
static void test_read_regular(void **state)
{
	struct gt_error err = {0};
	char *path = tpath("r.json"), *real = tpath("real.json"), *sub = tpath("sub");
	char *outside = xasprintf("%s.outside", tmpdir);
	char *data = NULL;
	size_t len = 0;

	(void)state;
	write_raw(real, "{\"ok\": 1}", 9);
	assert_int_equal(gt_read_file_regular(real, 100, &data, &len, &err), GT_OK);
	assert_int_equal(len, 9);
	free(data);
	/* The cap: exactly at it reads, one byte under refuses. */
	assert_int_equal(gt_read_file_regular(real, 9, &data, &len, &err), GT_OK);
	free(data);
	assert_int_equal(gt_read_file_regular(real, 8, &data, &len, &err), GT_ERR_USAGE);
	assert_null(data);
	assert_non_null(strstr(err.msg, real));
	assert_non_null(strstr(err.msg, "9 bytes"));
	assert_non_null(strstr(err.msg, "8 bytes"));
	/* A link within the directory is followed. */
	assert_int_equal(symlink("real.json", path), 0);
	assert_int_equal(gt_read_file_regular(path, 100, &data, &len, &err), GT_OK);
	assert_string_equal(data, "{\"ok\": 1}");
	free(data);
	unlink(path);
	/* Links out of it: a secret, a device. */
	write_raw(outside, "SECRET-42", 9);
	for (const char *const *t = (const char *const[]){ outside, "/dev/zero", "../x", NULL };
	     *t; t++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(symlink(*t, path), 0);
		assert_int_equal(gt_read_file_regular(path, 100, &data, &len, &err), GT_ERR_USAGE);
		assert_null(data);
		assert_non_null(strstr(err.msg, path));
		assert_null(strstr(err.msg, "SECRET"));
		unlink(path);
	}
	unlink(outside);
	/* A FIFO (no writer: a blocking open would hang), a directory. */
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(gt_read_file_regular(path, 100, &data, &len, &err), GT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "FIFO"));
	unlink(path);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(gt_read_file_regular(sub, 100, &data, &len, &err), GT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "directory"));
	rmdir(sub);
	assert_int_equal(gt_read_file_regular("/dev/null", 100, &data, &len, &err), GT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "character device"));
	unlink(real);
	free(path);
	free(real);
	free(sub);
	free(outside);
}

static void test_tmp_names(void **state)
{
	char *a = tpath("a.json.tmp.Ab12Cd"), *b = tpath("b.json.tmp.XY34zz");
	char *link = tpath("c.json.tmp.Qq11Rr"), **v = NULL;
	char *r;

	(void)state;
	assert_true(gt_is_write_tmp_name("a.json.tmp.Ab12Cd"));
	assert_true(gt_is_write_tmp_name("a.new.json.tmp.000000"));
	assert_false(gt_is_write_tmp_name(".json.tmp.Ab12Cd"));
	assert_false(gt_is_write_tmp_name("a.json.tmp.Ab12C"));
	assert_false(gt_is_write_tmp_name("a.json.tmp.Ab12Cde"));
	assert_false(gt_is_write_tmp_name("a.json.tmp.Ab-2Cd"));
	assert_false(gt_is_write_tmp_name("a.txt.tmp.Ab12Cd"));
	assert_false(gt_is_write_tmp_name("a.json"));
	write_raw(b, "x", 1);
	write_raw(a, "x", 1);
	assert_int_equal(symlink(a, link), 0);
	assert_int_equal(gt_write_tmp_leftovers(tmpdir, &v), 2);
	assert_string_equal(v[0], a);
	assert_string_equal(v[1], b);
	assert_null(v[2]);
	free(v[0]);
	free(v[1]);
	free(v);
	unlink(a);
	unlink(b);
	unlink(link);
	assert_int_equal(gt_write_tmp_leftovers(tmpdir, &v), 0);
	assert_null(v);
	free(a);
	free(b);
	free(link);

	r = gt_resolve_existing("/no-such-dir-gt/x/../y/./z");
	assert_string_equal(r, "/no-such-dir-gt/y/z");
	free(r);
	r = gt_resolve_existing("/../..");
	assert_string_equal(r, "/");
	free(r);
	assert_true(gt_path_within("/a/b", "/a"));
	assert_true(gt_path_within("/a", "/a/"));
	assert_false(gt_path_within("/ab", "/a"));
	assert_true(gt_path_within("/x", "/"));
}

static void test_read_file(void **state)
{
	struct gt_error err = {0};
	char *path = tpath("read.txt");
	char *missing = tpath("no-such-file");
	char *data = NULL;
	size_t len = 99;

	write_raw(path, "line 1\nline 2\n", 14);
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_int_equal(len, 14);
	assert_string_equal(data, "line 1\nline 2\n");
	free(data);

	/* Embedded NUL: the length counts all bytes. */
	write_raw(path, "a\0\0b", 4);
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_int_equal(len, 4);
	assert_memory_equal(data, "a\0\0b\0", 5);
	free(data);

	/* Empty file: an allocated "" of length 0. */
	write_raw(path, "", 0);
	data = NULL;
	len = 99;
	assert_int_equal(gt_read_file(path, &data, &len, &err), GT_OK);
	assert_non_null(data);
	assert_string_equal(data, "");
	assert_int_equal(len, 0);
	free(data);

	/* Missing file: an I/O error naming the path. */
	assert_int_equal(gt_read_file(missing, &data, &len, &err), GT_ERR_IO);
	assert_int_equal(err.rc, GT_ERR_IO);
	if (!strstr(err.msg, missing))
		fail_msg("message \"%s\" does not name %s", err.msg, missing);
	assert_non_null(strstr(err.msg, strerror(ENOENT)));
	assert_int_equal(gt_read_file(missing, &data, &len, NULL), GT_ERR_IO);

	/* A directory cannot be read as a file. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(gt_read_file(tmpdir, &data, &len, &err), GT_ERR_IO);
	assert_int_equal(err.rc, GT_ERR_IO);
	assert_non_null(strstr(err.msg, tmpdir));

	unlink(path);
	free(path);
	free(missing);
}

/* ---- environment ---- */

#define ENV_NAME "GTDIFF_TEST_UTIL_ENV_TRUE_7Q"

static void test_env_true(void **state)
{
	static const char *const falses[] = {"", "0", "false", "FALSE", "False"};
	static const char *const trues[] = {"1", "true", "yes", "TRUE", "2", "00", "no", "off"};

	unsetenv(ENV_NAME);
	assert_false(gt_env_true(ENV_NAME));
	for (size_t i = 0; i < GT_ARRAY_SIZE(falses); i++) {
		assert_int_equal(setenv(ENV_NAME, falses[i], 1), 0);
		if (gt_env_true(ENV_NAME))
			fail_msg("\"%s\" counted as true", falses[i]);
	}
	for (size_t i = 0; i < GT_ARRAY_SIZE(trues); i++) {
		assert_int_equal(setenv(ENV_NAME, trues[i], 1), 0);
		if (!gt_env_true(ENV_NAME))
			fail_msg("\"%s\" counted as false", trues[i]);
	}
	unsetenv(ENV_NAME);
	assert_false(gt_env_true(ENV_NAME));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xgrow),
		cmocka_unit_test(test_xstr),
		cmocka_unit_test(test_error_set),
		cmocka_unit_test(test_buf_add),
		cmocka_unit_test(test_buf_printf),
		cmocka_unit_test(test_buf_quote),
		cmocka_unit_test(test_buf_reset),
		cmocka_unit_test(test_buf_steal),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_write_new),
		cmocka_unit_test(test_write_overwrite),
		cmocka_unit_test(test_write_fail),
		cmocka_unit_test(test_write_device_and_mode),
		cmocka_unit_test(test_write_regular),
		cmocka_unit_test(test_read_regular),
		cmocka_unit_test(test_tmp_names),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_env_true),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * test-canon-dirorder: the directory-order rule (canon-dirorder.c).  The
 * same walk in two getdents orders reads the same; a new per-entry call
 * still shows; a program's own order over a few entries of a listed
 * directory is kept.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "canon.h"
#include "event-lines.h"
#include "trace.h"

/* A thread of events "call|arg|...|ret", and the listings of its getdents
 * events: NAMES (comma-separated, in file-system order) for each event
 * whose text starts with "getdents64", in turn, all of directory DIR; with
 * ';' in NAMES, the first part for the first getdents64, the next for the
 * next, and so on (the last for the rest). */
static char *walk(const char *const *lines, size_t n, const char *dir, const char *names)
{
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p = gt_trace_add_process(t, "p1", NULL);
	struct gt_thread *th = gt_process_add_thread(t, p, "p1");
	struct gt_listing ls[4];
	size_t nls = 0;
	struct gt_buf out = { 0 };
	char *r;

	memset(ls, 0, sizeof(ls));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(add_line(t, th, lines[i])->call, "getdents64") == 0 &&
		    nls < GT_ARRAY_SIZE(ls)) {
			const char *part = names;
			char *copy, *sv = NULL, *semi;

			for (size_t k = 0; k < nls && strchr(part, ';'); k++)
				part = strchr(part, ';') + 1;
			copy = xstrdup(part);
			if ((semi = strchr(copy, ';')) != NULL)
				*semi = '\0';

			ls[nls].event = i;
			ls[nls].dir = xstrdup(dir);
			ls[nls].names = xcalloc(64, sizeof(char *));
			for (char *tok = strtok_r(copy, ",", &sv); tok && ls[nls].nnames < 63;
			     tok = strtok_r(NULL, ",", &sv))
				ls[nls].names[ls[nls].nnames++] = xstrdup(tok);
			free(copy);
			nls++;
		}
	}
	gt_canon_dir_order(th, ls, nls);
	for (size_t i = 0; i < th->nevents; i++) {
		gt_event_format(&out, &th->events[i], true);
		gt_buf_putc(&out, '\n');
	}
	for (size_t i = 0; i < nls; i++)
		gt_listing_fini(&ls[i]);
	gt_trace_free(t);
	r = gt_buf_steal(&out);
	return r;
}

/* ls -l: getdents, then a stat and xattrs per entry, in getdents order. */
#define LS(a, b, c)                                                                    \
	"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3",                              \
	"getdents64|3|32768|96", "getdents64|3|32768|0", "close|3|0",                  \
	"statx|AT_FDCWD|\"tree/" a "\"|0", "getxattr|\"tree/" a "\"|\"x\"|-1 ENODATA", \
	"statx|AT_FDCWD|\"tree/" b "\"|0", "getxattr|\"tree/" b "\"|\"x\"|-1 ENODATA", \
	"statx|AT_FDCWD|\"tree/" c "\"|0", "getxattr|\"tree/" c "\"|\"x\"|-1 ENODATA", \
	"write|1|120|120", "exit_group|0|?"

static void test_ls_orders_agree(void **state)
{
	const char *ext4[] = { LS("b.txt", "c.txt", "a.txt") };
	const char *tmpfs[] = { LS("c.txt", "a.txt", "b.txt") };
	char *x = walk(ext4, GT_ARRAY_SIZE(ext4), "$CWD/tree", "b.txt,c.txt,a.txt");
	char *y = walk(tmpfs, GT_ARRAY_SIZE(tmpfs), "$CWD/tree", "c.txt,a.txt,b.txt");

	(void)state;
	assert_string_equal(x, y);
	/* In name order, the write after the walk left where it was. */
	assert_non_null(strstr(x, "statx(AT_FDCWD, \"tree/a.txt\") = 0\n"
				  "getxattr(\"tree/a.txt\", \"x\") = -1 ENODATA\n"
				  "statx(AT_FDCWD, \"tree/b.txt\""));
	assert_non_null(strstr(x, "\"tree/c.txt\", \"x\") = -1 ENODATA\nwrite(1, 120) = 120\n"));
	free(x);
	free(y);
}

/* A new per-entry call is still a difference after the reordering. */
static void test_new_per_entry_call_shows(void **state)
{
	const char *before[] = { LS("b.txt", "c.txt", "a.txt") };
	const char *after[] = {
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3",
		"getdents64|3|32768|96", "getdents64|3|32768|0", "close|3|0",
		"statx|AT_FDCWD|\"tree/c.txt\"|0", "getxattr|\"tree/c.txt\"|\"x\"|-1 ENODATA",
		"statx|AT_FDCWD|\"tree/a.txt\"|0", "getxattr|\"tree/a.txt\"|\"x\"|-1 ENODATA",
		"openat|AT_FDCWD|\"tree/a.txt\"|O_RDONLY|3", "close|3|0",
		"statx|AT_FDCWD|\"tree/b.txt\"|0", "getxattr|\"tree/b.txt\"|\"x\"|-1 ENODATA",
		"write|1|120|120", "exit_group|0|?",
	};
	char *x = walk(before, GT_ARRAY_SIZE(before), "$CWD/tree", "b.txt,c.txt,a.txt");
	char *y = walk(after, GT_ARRAY_SIZE(after), "$CWD/tree", "c.txt,a.txt,b.txt");

	(void)state;
	assert_string_not_equal(x, y);
	/* ... and it sits in the block of its entry. */
	assert_non_null(strstr(y, "getxattr(\"tree/a.txt\", \"x\") = -1 ENODATA\n"
				  "openat(AT_FDCWD, \"tree/a.txt\", O_RDONLY) = 3\n"));
	free(x);
	free(y);
}

/* fts (find, grep -r): entries relative to a dup of the directory's fd,
 * a visit into each subdirectory, a stdout fstat and a statfs that happen
 * once, at whichever entry comes first. */
#define FTS(a, b, first)                                                               \
	"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|4", "fcntl|4|F_DUPFD_CLOEXEC|3|5", \
	"getdents64|4|32768|72", "getdents64|4|32768|0", "close|4|0",                   \
	"newfstatat|5|\"" a "\"|ptr|AT_SYMLINK_NOFOLLOW|0",                             \
	"openat|5|\"" a "\"|O_RDONLY|O_DIRECTORY|6", first,                             \
	"fstatfs|6|ptr|0", "read|6|10|10", "close|6|0",                                 \
	"newfstatat|5|\"" b "\"|ptr|AT_SYMLINK_NOFOLLOW|0",                             \
	"openat|5|\"" b "\"|O_RDONLY|O_DIRECTORY|6", "read|6|10|10", "close|6|0",        \
	"close|5|0"

static void test_fts_orders_agree(void **state)
{
	const char *one[] = { FTS("alpha", "beta", "newfstatat|1|\"\"|ptr|AT_EMPTY_PATH|0") };
	const char *two[] = { FTS("beta", "alpha", "newfstatat|1|\"\"|ptr|AT_EMPTY_PATH|0") };
	char *x = walk(one, GT_ARRAY_SIZE(one), "$CWD/tree", ".,..,alpha,beta");
	char *y = walk(two, GT_ARRAY_SIZE(two), "$CWD/tree", ".,..,beta,alpha");

	(void)state;
	assert_string_equal(x, y);
	free(x);
	free(y);
}

/* A program that lists a directory and then opens a few of its files in an
 * order of its own (Python's imports) keeps that order. */
static void test_program_order_kept(void **state)
{
	const char *lines[] = {
		"openat|AT_FDCWD|\"/usr/lib/py\"|O_RDONLY|O_DIRECTORY|3",
		"getdents64|3|32768|200", "getdents64|3|32768|0", "close|3|0",
		"openat|AT_FDCWD|\"/usr/lib/py/os.py\"|O_RDONLY|3", "close|3|0",
		"openat|AT_FDCWD|\"/usr/lib/py/abc.py\"|O_RDONLY|3", "close|3|0",
	};
	char *x = walk(lines, GT_ARRAY_SIZE(lines), "/usr/lib/py",
		       "os.py,abc.py,json,re,site.py,io.py,stat.py,types.py");

	(void)state;
	assert_true(strstr(x, "os.py") < strstr(x, "abc.py"));
	free(x);
}

/* Where returns were not seen (seccomp), the listing names the directory
 * its getdents read. */
static void test_unknown_returns(void **state)
{
	const char *one[] = {
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|?", "getdents64|3|32768|?",
		"close|3|?", "statx|AT_FDCWD|\"tree/b\"|?", "statx|AT_FDCWD|\"tree/a\"|?",
	};
	const char *two[] = {
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|?", "getdents64|3|32768|?",
		"close|3|?", "statx|AT_FDCWD|\"tree/a\"|?", "statx|AT_FDCWD|\"tree/b\"|?",
	};
	char *x = walk(one, GT_ARRAY_SIZE(one), "$CWD/tree", "b,a");
	char *y = walk(two, GT_ARRAY_SIZE(two), "$CWD/tree", "a,b");

	(void)state;
	assert_string_equal(x, y);
	free(x);
	free(y);
}

/* A shell did cd before it forked ls: ls lists "." and stats the entries
 * by their bare names; its listing says where "." is. */
static void test_cwd_from_listing(void **state)
{
	const char *one[] = {
		"openat|AT_FDCWD|\".\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|96",
		"close|3|0", "statx|AT_FDCWD|\"b\"|0", "statx|AT_FDCWD|\"a\"|0",
	};
	const char *two[] = {
		"openat|AT_FDCWD|\".\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|96",
		"close|3|0", "statx|AT_FDCWD|\"a\"|0", "statx|AT_FDCWD|\"b\"|0",
	};
	char *x = walk(one, GT_ARRAY_SIZE(one), "$CWD/tree", "b,a");
	char *y = walk(two, GT_ARRAY_SIZE(two), "$CWD/tree", "a,b");

	(void)state;
	assert_string_equal(x, y);
	free(x);
	free(y);
}

/* A directory listed again after the program added an entry: its walk is
 * judged by the newer listing. */
static void test_listed_again(void **state)
{
	const char *one[] = {
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|48",
		"close|3|0", "openat|AT_FDCWD|\"tree/b\"|O_WRONLY|O_CREAT|4", "close|4|0",
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|72",
		"close|3|0", "statx|AT_FDCWD|\"tree/b\"|0", "statx|AT_FDCWD|\"tree/a\"|0",
	};
	const char *two[] = {
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|48",
		"close|3|0", "openat|AT_FDCWD|\"tree/b\"|O_WRONLY|O_CREAT|4", "close|4|0",
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|72",
		"close|3|0", "statx|AT_FDCWD|\"tree/a\"|0", "statx|AT_FDCWD|\"tree/b\"|0",
	};
	char *x = walk(one, GT_ARRAY_SIZE(one), "$CWD/tree", ".,..,a;.,..,b,a");
	char *y = walk(two, GT_ARRAY_SIZE(two), "$CWD/tree", ".,..,a;.,..,a,b");

	(void)state;
	assert_string_equal(x, y);
	free(x);
	free(y);
}

/* An empty path (AT_EMPTY_PATH with AT_FDCWD) is about nothing. */
static void test_empty_path(void **state)
{
	const char *lines[] = {
		"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|96",
		"newfstatat|AT_FDCWD|\"\"|ptr|AT_EMPTY_PATH|-1 ENOENT",
		"statx|AT_FDCWD|\"tree/b\"|0", "statx|AT_FDCWD|\"tree/a\"|0",
	};
	char *x = walk(lines, GT_ARRAY_SIZE(lines), "$CWD/tree", "b,a");

	(void)state;
	assert_true(strstr(x, "tree/a") < strstr(x, "tree/b"));
	free(x);
}

/* cp -r: each entry is read from tree/NAME and written to its mirror
 * tree-copy/NAME, in the order cp chose (inode order, not getdents'; the
 * subdirectory's own walk left out here): both orders read the same,
 * mirror side included; a new call on the mirror side still shows. */
#define CP_FILE(n)                                                                       \
	"newfstatat|AT_FDCWD|\"tree/" n "\"|ptr|AT_SYMLINK_NOFOLLOW|0",                    \
	"openat|AT_FDCWD|\"tree/" n "\"|O_RDONLY|O_NOFOLLOW|3",                             \
	"openat|AT_FDCWD|\"tree-copy/" n "\"|O_WRONLY|O_CREAT|O_EXCL|0644|4",               \
	"copy_file_range|3|NULL|4|NULL|65536|0|4", "close|4|0", "close|3|0"
#define CP_DIR(n)                                                                        \
	"newfstatat|AT_FDCWD|\"tree/" n "\"|ptr|AT_SYMLINK_NOFOLLOW|0",                    \
	"mkdirat|AT_FDCWD|\"tree-copy/" n "\"|0755|0",                                      \
	"newfstatat|AT_FDCWD|\"tree-copy/" n "\"|ptr|AT_SYMLINK_NOFOLLOW|0",               \
	"fchmodat|AT_FDCWD|\"tree-copy/" n "\"|0755|0"
#define CP_HEAD                                                                          \
	"mkdirat|AT_FDCWD|\"tree-copy\"|0755|0",                                             \
	"openat|AT_FDCWD|\"tree\"|O_RDONLY|O_DIRECTORY|3", "getdents64|3|32768|104",         \
	"getdents64|3|32768|0", "close|3|0"

static void test_cp_mirror_orders_agree(void **state)
{
	const char *dir_first[] = { CP_HEAD, CP_DIR("sub"), CP_FILE("a.txt"), "exit_group|0|?" };
	const char *file_first[] = { CP_HEAD, CP_FILE("a.txt"), CP_DIR("sub"), "exit_group|0|?" };
	const char *synced[] = { CP_HEAD, CP_DIR("sub"), CP_FILE("a.txt"), "fsync|4|0",
				 "exit_group|0|?" };
	char *x = walk(dir_first, GT_ARRAY_SIZE(dir_first), "$CWD/tree", "a.txt,sub");
	char *y = walk(file_first, GT_ARRAY_SIZE(file_first), "$CWD/tree", "sub,a.txt");
	char *z = walk(synced, GT_ARRAY_SIZE(synced), "$CWD/tree", "a.txt,sub");

	(void)state;
	assert_string_equal(x, y);
	/* In name order, each copy next to its read. */
	assert_non_null(strstr(x, "openat(AT_FDCWD, \"tree/a.txt\""));
	assert_true(strstr(x, "openat(AT_FDCWD, \"tree/a.txt\"") <
		    strstr(x, "openat(AT_FDCWD, \"tree-copy/a.txt\""));
	assert_true(strstr(x, "openat(AT_FDCWD, \"tree-copy/a.txt\"") <
		    strstr(x, "mkdirat(AT_FDCWD, \"tree-copy/sub\""));
	assert_string_not_equal(x, z);
	free(x);
	free(y);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ls_orders_agree),
		cmocka_unit_test(test_new_per_entry_call_shows),
		cmocka_unit_test(test_fts_orders_agree),
		cmocka_unit_test(test_program_order_kept),
		cmocka_unit_test(test_unknown_returns),
		cmocka_unit_test(test_cwd_from_listing),
		cmocka_unit_test(test_empty_path),
		cmocka_unit_test(test_listed_again),
		cmocka_unit_test(test_cp_mirror_orders_agree),
	};

	gt_syscalls_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}

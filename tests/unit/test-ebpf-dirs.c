/*
 * test-ebpf-dirs: the eBPF backend's directory listings
 * (capture-ebpf-dirs.c).  A task's run of getdents64 on a descriptor is
 * held and recorded with the whole listing (count, the directory's path,
 * the names in the order they came) on its first call when the run ends;
 * the descriptor's path comes from the openat that made it (relative to
 * the working directory, through dup2 and chdir, copied by a fork); a
 * directory not known gets no listing; other calls are recorded at once.
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture-ebpf-dirs.h"
#include "capture-session.h"

static const struct gt_session_hooks hooks = {.task_size = sizeof(struct gt_live)};

struct fixture {
	struct gt_session s;
	struct gt_ebpf_dirs d;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	gt_syscalls_init();
	f->s.hooks = &hooks;
	f->s.cap = gt_capture_new(GT_BACKEND_EBPF);
	gt_capture_add_task(f->s.cap, 100, 100, -1, 0);
	gt_capture_add_task(f->s.cap, 101, 101, 0, 0);
	/* Not a directory that exists: the path stays as followed. */
	gt_ebpf_dirs_init(&f->d, "/nonexistent-gtdiff-test/w");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	gt_ebpf_dirs_free(&f->d);
	gt_capture_free(f->s.cap);
	free(f);
	return 0;
}

static struct gt_raw_event call(struct fixture *f, uint32_t task, const char *name, int64_t ret,
				uint64_t a0, uint64_t a1)
{
	struct gt_raw_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.argi[0] = ev.argi[1] = 0xff;
	ev.task = task;
	ev.nr = gt_syscall_nr(name);
	ev.ret = ret;
	ev.args[0] = a0;
	ev.args[1] = a1;
	(void)f;
	return ev;
}

/* An openat (or chdir: ARGI 0) of PATH. */
static void path_call(struct fixture *f, uint32_t task, const char *name, int argi,
		      const char *path, int64_t ret)
{
	struct gt_raw_event ev = call(f, task, name, ret, (uint64_t)(int64_t)AT_FDCWD, 0x1000);

	ev.argi[0] = (uint8_t)argi;
	ev.mem[0] = gt_capture_blob_add(f->s.cap, path, strlen(path) + 1);
	gt_ebpf_dirs_call(&f->d, &f->s, task, &ev, NULL, 0);
}

/* A getdents64 buffer of NAMES (NUL-separated, "" ends). */
static size_t dirents(char *buf, const char *names)
{
	size_t at = 0;

	for (const char *n = names; *n; n += strlen(n) + 1) {
		unsigned short reclen = (unsigned short)((19 + strlen(n) + 1 + 7) & ~7u);

		memset(buf + at, 0, reclen);
		memcpy(buf + at + 16, &reclen, sizeof(reclen));
		memcpy(buf + at + 19, n, strlen(n) + 1);
		at += reclen;
	}
	return at;
}

static void getdents(struct fixture *f, uint32_t task, uint64_t fd, const char *names)
{
	char buf[1024];
	size_t n = names ? dirents(buf, names) : 0;
	struct gt_raw_event ev = call(f, task, "getdents64", (int64_t)n, fd, 0x2000);

	if (n) {
		ev.argi[0] = 1;
		ev.mem[0] = 0;
	}
	gt_ebpf_dirs_call(&f->d, &f->s, task, &ev, buf, n);
}

/* The listing on event I: its count, path and names joined by spaces. */
static char *listing(struct fixture *f, size_t i)
{
	const char *m = gt_capture_mem(f->s.cap, &f->s.cap->events[i], 1), *p;
	struct gt_buf b = {0};
	uint32_t n;

	if (!m)
		return NULL;
	memcpy(&n, m, sizeof(n));
	p = m + sizeof(n);
	gt_buf_printf(&b, "%u %s", n, p);
	p += strlen(p) + 1;
	for (uint32_t k = 0; k < n; k++, p += strlen(p) + 1)
		gt_buf_printf(&b, " %s", p);
	return gt_buf_steal(&b);
}

static void test_run_of_reads(void **state)
{
	struct fixture *f = *state;
	char *l;

	path_call(f, 0, "openat", 1, "tree", 3);
	getdents(f, 0, 3, "b\0a\0");
	getdents(f, 0, 3, "c\0");
	/* Held until the run ends. */
	assert_int_equal(f->s.cap->nevents, 1);
	getdents(f, 0, 3, NULL);
	assert_int_equal(f->s.cap->nevents, 4);
	l = listing(f, 1);
	assert_non_null(l);
	assert_string_equal(l, "3 /nonexistent-gtdiff-test/w/tree b a c");
	free(l);
	assert_null(listing(f, 2)); /* listed once, on the first */
	assert_int_equal(f->s.cap->events[2].argi[0], 1);
	assert_int_equal(f->s.cap->events[3].argi[0], 0xff); /* the end: no slot */
}

static void test_other_call_ends_run(void **state)
{
	struct fixture *f = *state;
	struct gt_raw_event w = call(f, 0, "write", 1, 1, 0);
	char *l;

	path_call(f, 0, "chdir", 0, "sub", 0);
	path_call(f, 0, "openat", 1, ".", 4);
	assert_int_equal(gt_syscall_nr("dup2") >= 0, 1);
	{
		struct gt_raw_event d = call(f, 0, "dup2", 7, 4, 7);

		gt_ebpf_dirs_call(&f->d, &f->s, 0, &d, NULL, 0);
	}
	getdents(f, 0, 7, "x\0");
	gt_ebpf_dirs_call(&f->d, &f->s, 0, &w, NULL, 0);
	assert_int_equal(f->s.cap->nevents, 5);
	assert_int_equal(f->s.cap->events[4].nr, gt_syscall_nr("write"));
	l = listing(f, 3);
	assert_non_null(l);
	assert_string_equal(l, "1 /nonexistent-gtdiff-test/w/sub x");
	free(l);
}

static void test_fork_and_unknown(void **state)
{
	struct fixture *f = *state;
	char *l;

	path_call(f, 0, "openat", 1, "/abs/dir", 5);
	gt_ebpf_dirs_fork(&f->d, 0, 1);
	getdents(f, 1, 5, "y\0");
	getdents(f, 1, 9, "z\0"); /* another descriptor: a new run, unknown path */
	gt_ebpf_dirs_flush(&f->d, &f->s, 1);
	assert_int_equal(f->s.cap->nevents, 3);
	l = listing(f, 1);
	assert_non_null(l);
	assert_string_equal(l, "1 /abs/dir y");
	free(l);
	assert_null(listing(f, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_of_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_call_ends_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_and_unknown, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

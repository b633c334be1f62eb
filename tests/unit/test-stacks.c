/*
 * test-stacks: the call-stack table (stacks.h): equal stacks stored once,
 * a copy keeps the numbers; which frame is the program's own (the C
 * library's, the loader's and the vDSO's frames skipped, a program's own
 * library and an interpreter kept); paths made relative to the repository;
 * a frame written with and without debug info.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "stacks.h"

#include <stdlib.h>
#include <string.h>

static struct gt_frame frame(const char *module, uint64_t offset, const char *symbol,
			     const char *file, unsigned line)
{
	return (struct gt_frame){module, offset, symbol, 0x10, file, line};
}

static void test_relative(void **state)
{
	char *p;

	(void)state;
#define REL(path, root, want)                         \
	p = gt_path_relative(path, root);             \
	assert_string_equal(p, want);                 \
	free(p)
	REL("/repo/src/config.c", "/repo", "src/config.c");
	REL("/repo/src/config.c", "/repo/", "src/config.c");
	REL("/repo/src/config.c", "/repo/src", "config.c");
	/* Only whole components: /repo2 is not below /repo. */
	REL("/repo2/src/config.c", "/repo", "/repo2/src/config.c");
	REL("/other/config.c", "/repo", "/other/config.c");
	REL("/repo", "/repo", "/repo");
	REL("/repo/", "/repo", "/repo/");
	REL("/usr/lib/x.so", "/", "usr/lib/x.so");
	REL("/repo/a.c", NULL, "/repo/a.c");
	REL("/repo/a.c", "", "/repo/a.c");
	/* A relative path (DWARF may give one) stays as it is. */
	REL("src/a.c", "/repo", "src/a.c");
#undef REL
}

static void test_runtime(void **state)
{
	static const char *const runtime[] = {
		"/usr/lib/x86_64-linux-gnu/libc.so.6",
		"/lib64/ld-linux-x86-64.so.2",
		"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
		"/lib/ld-linux-aarch64.so.1",
		"/lib/x86_64-linux-gnu/libpthread.so.0",
		"/lib/x86_64-linux-gnu/libm.so.6",
		"/lib/x86_64-linux-gnu/libc-2.31.so",
		"/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
		"/lib/x86_64-linux-gnu/libgcc_s.so.1",
		"/lib/x86_64-linux-gnu/libnss_files.so.2",
		"[vdso]",
	};
	static const char *const own[] = {
		"/usr/bin/python3.11",
		"/work/repo/build/tool",
		"/usr/lib/x86_64-linux-gnu/libmagic.so.1",  /* libm... but not libm */
		"/usr/lib/x86_64-linux-gnu/libcrypto.so.3", /* libc... but not libc */
		"/opt/app/lib/libapp.so",
		"/usr/lib/x86_64-linux-gnu/libldap-2.5.so.0", /* ld... but not ld */
	};
	struct gt_frame f;

	(void)state;
	for (size_t i = 0; i < sizeof(runtime) / sizeof(runtime[0]); i++) {
		f = frame(runtime[i], 0x100, "open64", NULL, 0);
		if (!gt_frame_is_runtime(&f))
			print_error("%s should be runtime\n", runtime[i]);
		assert_true(gt_frame_is_runtime(&f));
	}
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		f = frame(own[i], 0x100, "f", NULL, 0);
		if (gt_frame_is_runtime(&f))
			print_error("%s should be the program's\n", own[i]);
		assert_false(gt_frame_is_runtime(&f));
	}
	/* A pc in no module (the vDSO unmapped, JIT code) is not the program's. */
	f = frame(NULL, 0x100, NULL, NULL, 0);
	assert_true(gt_frame_is_runtime(&f));
}

static void test_own_frame(void **state)
{
	const char *libc = "/usr/lib/x86_64-linux-gnu/libc.so.6";
	const char *ld = "/lib64/ld-linux-x86-64.so.2";
	const char *prog = "/repo/tests/progs/explain";
	struct gt_frame s[] = {
		frame(libc, 0x10, "access", NULL, 0),
		frame(ld, 0x20, "_dl_runtime_resolve", NULL, 0),
		frame(prog, 0x1234, "read_config", "/repo/tests/progs/explain.c", 40),
		frame(prog, 0x1300, "main", "/repo/tests/progs/explain.c", 70),
		frame(libc, 0x30, "__libc_start_call_main", NULL, 0),
	};
	struct gt_frame all_runtime[] = {s[0], s[1], s[4]};

	(void)state;
	assert_int_equal(gt_frame_own(s, 5), 2);
	/* The innermost frame is the program's: it is the one. */
	assert_int_equal(gt_frame_own(s + 2, 3), 0);
	/* Nothing of the program's (a call the loader makes): the innermost. */
	assert_int_equal(gt_frame_own(all_runtime, 3), 0);
	assert_int_equal(gt_frame_own(s, 0), 0);
}

static void test_table(void **state)
{
	struct gt_stacks *t = gt_stacks_new(), *c;
	char mod[] = "/repo/bin/tool";
	struct gt_frame a[] = {
		frame("/usr/lib/x86_64-linux-gnu/libc.so.6", 0x10, "stat", NULL, 0),
		frame(mod, 0x1234, "scan", "/repo/src/scan.c", 12),
	};
	struct gt_frame b[] = {a[0], frame(mod, 0x1250, "scan", "/repo/src/scan.c", 14)};
	const struct gt_frame *f;
	uint32_t ia, ib;
	size_t n;

	(void)state;
	assert_int_equal(gt_stacks_add(t, a, 0), 0);
	ia = gt_stacks_add(t, a, 2);
	ib = gt_stacks_add(t, b, 2);
	assert_int_equal(ia, 1);
	assert_int_equal(ib, 2);
	/* The same frames again: the same stack, stored once. */
	assert_int_equal(gt_stacks_add(t, a, 2), ia);
	assert_int_equal(t->nstacks, 2);
	assert_int_equal(t->nframes, 4);
	/* A prefix is another stack. */
	assert_int_equal(gt_stacks_add(t, a, 1), 3);
	/* The strings are the table's own. */
	strcpy(mod, "/XXXX/bin/tool");
	f = gt_stacks_get(t, ia, &n);
	assert_int_equal(n, 2);
	assert_string_equal(f[1].module, "/repo/bin/tool");
	assert_int_equal(f[1].line, 12);
	assert_null(gt_stacks_get(t, 0, &n));
	assert_int_equal(n, 0);
	assert_null(gt_stacks_get(t, 99, &n));
	assert_null(gt_stacks_get(NULL, 1, &n));
	c = gt_stacks_copy(t);
	for (uint32_t id = 1; id <= 3; id++) {
		const struct gt_frame *x, *y;
		size_t nx, ny;

		x = gt_stacks_get(t, id, &nx);
		y = gt_stacks_get(c, id, &ny);
		assert_int_equal(nx, ny);
		for (size_t k = 0; k < nx; k++) {
			assert_int_equal(x[k].offset, y[k].offset);
			assert_string_equal(x[k].module, y[k].module);
		}
	}
	assert_null(gt_stacks_copy(NULL));
	gt_stacks_free(c);
	gt_stacks_free(t);
	gt_stacks_free(NULL);
}

static void test_format(void **state)
{
	struct gt_buf b = {0};
	struct gt_frame f = frame("/repo/bin/tool", 0x1234, "load_config", "/repo/src/config.c",
				  212);

	(void)state;
	gt_frame_format(&b, &f, "/repo");
	assert_string_equal(b.s, "src/config.c:212 (load_config)");
	gt_buf_reset(&b);
	gt_frame_format(&b, &f, NULL);
	assert_string_equal(b.s, "/repo/src/config.c:212 (load_config)");
	/* No debug info: the binary, the address in it, the nearest symbol. */
	f.file = NULL;
	f.line = 0;
	f.symoff = 0x1d;
	gt_buf_reset(&b);
	gt_frame_format(&b, &f, "/repo");
	assert_string_equal(b.s, "bin/tool+0x1234 (load_config+0x1d)");
	f.symbol = NULL;
	gt_buf_reset(&b);
	gt_frame_format(&b, &f, "/elsewhere");
	assert_string_equal(b.s, "/repo/bin/tool+0x1234");
	f.module = NULL;
	gt_buf_reset(&b);
	gt_frame_format(&b, &f, NULL);
	assert_string_equal(b.s, "?+0x1234");
	gt_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relative),
		cmocka_unit_test(test_runtime),
		cmocka_unit_test(test_own_frame),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

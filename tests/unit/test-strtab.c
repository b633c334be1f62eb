/*
 * test-strtab: string interning: equal strings give the same pointer,
 * different ones different pointers, across rehashes and chunk boundaries,
 * for strings that are empty, not NUL-terminated or bigger than a chunk.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "strtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void test_same_pointer(void **state)
{
	struct gt_strtab *t = gt_strtab_new();
	char copy[16];
	const char *a, *b, *c;

	assert_int_equal(gt_strtab_count(t), 0);
	a = gt_strtab_intern(t, "open");
	assert_non_null(a);
	assert_string_equal(a, "open");
	assert_int_equal(gt_strtab_count(t), 1);

	/* Equal contents from different memory: the same pointer. */
	strcpy(copy, "open");
	b = gt_strtab_intern(t, copy);
	assert_ptr_equal(a, b);
	/* The table keeps its own copy, not the caller's memory. */
	assert_ptr_not_equal(b, copy);
	strcpy(copy, "XXXX");
	assert_string_equal(a, "open");
	assert_int_equal(gt_strtab_count(t), 1);

	/* Different strings: different pointers, each its own text. */
	c = gt_strtab_intern(t, "openat");
	assert_ptr_not_equal(a, c);
	assert_string_equal(c, "openat");
	assert_ptr_not_equal(gt_strtab_intern(t, "ope"), a);
	assert_ptr_not_equal(gt_strtab_intern(t, "Open"), a);
	assert_int_equal(gt_strtab_count(t), 4);
	assert_ptr_equal(gt_strtab_intern(t, "openat"), c);
	assert_ptr_equal(gt_strtab_intern(t, "open"), a);
	assert_int_equal(gt_strtab_count(t), 4);
	gt_strtab_free(t);
	gt_strtab_free(NULL);
}

static void test_intern_n(void **state)
{
	struct gt_strtab *t = gt_strtab_new();
	/* Not NUL-terminated anywhere near the parts we intern. */
	static const char data[8] = {'r', 'e', 'a', 'd', 'v', 'x', 'y', 'z'};
	const char *a, *b, *c, *d;

	a = gt_strtab_intern_n(t, data, 4);
	assert_string_equal(a, "read");
	assert_int_equal(strlen(a), 4);
	assert_ptr_equal(gt_strtab_intern(t, "read"), a);
	b = gt_strtab_intern_n(t, data, 5);
	assert_string_equal(b, "readv");
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(gt_strtab_intern(t, "readv"), b);
	c = gt_strtab_intern_n(t, data + 5, 3);
	assert_string_equal(c, "xyz");
	assert_int_equal(gt_strtab_count(t), 3);

	/* Embedded NUL bytes are part of the string: "a\0b" is not "a". */
	d = gt_strtab_intern_n(t, "a\0b", 3);
	assert_memory_equal(d, "a\0b\0", 4);
	assert_ptr_not_equal(gt_strtab_intern(t, "a"), d);
	assert_ptr_equal(gt_strtab_intern_n(t, "a\0b", 3), d);
	assert_ptr_equal(gt_strtab_intern_n(t, "a\0c", 1), gt_strtab_intern(t, "a"));
	assert_int_equal(gt_strtab_count(t), 5);
	gt_strtab_free(t);
}

static void test_empty(void **state)
{
	struct gt_strtab *t = gt_strtab_new();
	const char *e = gt_strtab_intern(t, "");

	assert_non_null(e);
	assert_string_equal(e, "");
	assert_int_equal(gt_strtab_count(t), 1);
	assert_ptr_equal(gt_strtab_intern_n(t, "abc", 0), e);
	assert_ptr_equal(gt_strtab_intern(t, ""), e);
	assert_int_equal(gt_strtab_count(t), 1);
	assert_ptr_not_equal(gt_strtab_intern(t, "x"), e);
	assert_int_equal(gt_strtab_count(t), 2);
	gt_strtab_free(t);
}

#define MANY 100000

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;

	return (x > y) - (x < y);
}

static void test_many(void **state)
{
	struct gt_strtab *t = gt_strtab_new();
	const char **p = xcalloc(MANY, sizeof(*p));
	char name[32];

	for (size_t i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "s%zu", i);
		p[i] = gt_strtab_intern(t, name);
		assert_string_equal(p[i], name);
		assert_int_equal(gt_strtab_count(t), i + 1);
	}
	/* After many rehashes and chunks every string is still found at the
	 * pointer it got first, with its text intact. */
	for (size_t i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "s%zu", i);
		if (gt_strtab_intern(t, name) != p[i])
			fail_msg("\"%s\" moved or was duplicated", name);
		assert_string_equal(p[i], name);
	}
	/* Looking up again in reverse order added nothing. */
	for (size_t i = MANY; i-- > 0;) {
		snprintf(name, sizeof(name), "s%zu", i);
		assert_ptr_equal(gt_strtab_intern_n(t, name, strlen(name)), p[i]);
	}
	assert_int_equal(gt_strtab_count(t), MANY);
	/* All pointers are distinct: sort them and look at neighbours. */
	qsort(p, MANY, sizeof(*p), cmp_ptr);
	for (size_t i = 1; i < MANY; i++)
		assert_ptr_not_equal(p[i], p[i - 1]);
	free(p);
	gt_strtab_free(t);
}

static void test_big(void **state)
{
	struct gt_strtab *t = gt_strtab_new();
	size_t n = 64 * 1024 + 123;
	char *big = xmalloc(n + 1);
	const char *small1, *small2, *b1, *b2, *exact;
	char *chunk;

	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';

	/* A small string first, so that a chunk is in use. */
	small1 = gt_strtab_intern(t, "before");
	b1 = gt_strtab_intern(t, big);
	assert_int_equal(strlen(b1), n);
	assert_memory_equal(b1, big, n + 1);
	/* Strings interned later still go somewhere valid and stay intact. */
	small2 = gt_strtab_intern(t, "after");
	assert_string_equal(small1, "before");
	assert_string_equal(small2, "after");
	assert_ptr_equal(gt_strtab_intern(t, big), b1);
	assert_ptr_equal(gt_strtab_intern_n(t, big, n), b1);

	/* A big string that differs only in its last byte is different. */
	big[n - 1] = '!';
	b2 = gt_strtab_intern(t, big);
	assert_ptr_not_equal(b1, b2);
	assert_int_equal(b1[n - 1], 'a' + (n - 1) % 26);
	assert_int_equal(b2[n - 1], '!');
	/* A prefix of a big string is its own string. */
	assert_ptr_not_equal(gt_strtab_intern_n(t, big, n - 1), b1);
	assert_int_equal(gt_strtab_count(t), 5);

	/* A string of exactly one chunk (64 KiB including its NUL) and one of
	 * a chunk plus one, in an empty table. */
	gt_strtab_free(t);
	t = gt_strtab_new();
	chunk = xmalloc(64 * 1024 + 1);
	memset(chunk, 'q', 64 * 1024);
	chunk[64 * 1024 - 1] = '\0';
	exact = gt_strtab_intern(t, chunk);
	assert_int_equal(strlen(exact), 64 * 1024 - 1);
	chunk[64 * 1024 - 1] = 'q';
	chunk[64 * 1024] = '\0';
	b1 = gt_strtab_intern(t, chunk);
	assert_int_equal(strlen(b1), 64 * 1024);
	small1 = gt_strtab_intern(t, "x");
	assert_string_equal(small1, "x");
	assert_int_equal(strlen(exact), 64 * 1024 - 1);
	assert_ptr_equal(gt_strtab_intern(t, chunk), b1);
	assert_int_equal(gt_strtab_count(t), 3);

	free(chunk);
	free(big);
	gt_strtab_free(t);
}

/* A string that exactly fills what is left of a chunk, and one that is a
 * byte too long for it (its NUL would not fit): both intact, and ASan sees
 * any write past the chunk. */
static void test_chunk_boundary(void **state)
{
	static const size_t lefts[] = {0, 1, 2, 10, 100};
	const size_t chunk = 64 * 1024;

	for (size_t k = 0; k < GT_ARRAY_SIZE(lefts); k++) {
		for (size_t extra = 0; extra < 2; extra++) {
			struct gt_strtab *t = gt_strtab_new();
			size_t left = lefts[k], fill = chunk - left - 1, n;
			char *a = xmalloc(fill + 1), *b;
			const char *pa, *pb, *pc;

			/* The first string leaves LEFT bytes of the first chunk. */
			memset(a, 'f', fill);
			a[fill] = '\0';
			pa = gt_strtab_intern(t, a);
			/* The next needs LEFT bytes (fits exactly, NUL included)
			 * or LEFT + 1 (does not fit). */
			n = left + extra > 0 ? left + extra - 1 : 0;
			b = xmalloc(n + 1);
			memset(b, 'g', n);
			b[n] = '\0';
			pb = gt_strtab_intern(t, b);
			/* And one more after it. */
			pc = gt_strtab_intern(t, "zz");
			assert_int_equal(strlen(pa), fill);
			assert_string_equal(pa, a);
			assert_string_equal(pb, b);
			assert_string_equal(pc, "zz");
			assert_ptr_equal(gt_strtab_intern(t, a), pa);
			assert_ptr_equal(gt_strtab_intern(t, b), pb);
			assert_int_equal(gt_strtab_count(t), 3);
			free(a);
			free(b);
			gt_strtab_free(t);
		}
	}
	/* Equal strings of 15 characters and the NUL: 4096 of them fill a
	 * chunk exactly, and the next ones start a new chunk. */
	{
		struct gt_strtab *t = gt_strtab_new();
		const char *p[4100];
		char name[16];

		for (int i = 0; i < 4100; i++) {
			snprintf(name, sizeof(name), "%015d", i);
			p[i] = gt_strtab_intern(t, name);
		}
		for (int i = 0; i < 4100; i++) {
			snprintf(name, sizeof(name), "%015d", i);
			assert_string_equal(p[i], name);
			assert_ptr_equal(gt_strtab_intern(t, name), p[i]);
		}
		gt_strtab_free(t);
	}
}

/* Many big strings mixed with small ones: everything stays intact. */
static void test_mixed(void **state)
{
	struct gt_strtab *t = gt_strtab_new();
	const char *bigs[20], *smalls[2000];
	size_t n = 70000;
	char *buf = xmalloc(n + 1);
	char name[32];

	for (int i = 0; i < 20; i++) {
		memset(buf, 'A' + i, n);
		buf[n] = '\0';
		bigs[i] = gt_strtab_intern(t, buf);
		for (int j = 0; j < 100; j++) {
			snprintf(name, sizeof(name), "small-%d-%d", i, j);
			smalls[i * 100 + j] = gt_strtab_intern(t, name);
		}
	}
	assert_int_equal(gt_strtab_count(t), 20 + 2000);
	for (int i = 0; i < 20; i++) {
		assert_int_equal(strlen(bigs[i]), n);
		assert_int_equal(bigs[i][0], 'A' + i);
		assert_int_equal(bigs[i][n - 1], 'A' + i);
		for (int j = 0; j < 100; j++) {
			snprintf(name, sizeof(name), "small-%d-%d", i, j);
			assert_string_equal(smalls[i * 100 + j], name);
			assert_ptr_equal(gt_strtab_intern(t, name), smalls[i * 100 + j]);
		}
	}
	free(buf);
	gt_strtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_pointer),
		cmocka_unit_test(test_intern_n),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_chunk_boundary),
		cmocka_unit_test(test_mixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

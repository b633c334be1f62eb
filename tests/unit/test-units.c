/*
 * test-units: durations and sizes with their units (units.c): every unit,
 * decimal against binary, fractions, spaces and case, and what is refused
 * (no unit, an unknown one, a sign, an exponent, zero, too large); and the
 * way the reports print them.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "units.h"

static double dur(const char *s)
{
	const char *why = NULL;
	double ms = -1;

	if (!gt_units_duration(s, &ms, &why))
		fail_msg("'%s' refused: %s", s, why);
	return ms;
}

static uint64_t size(const char *s)
{
	const char *why = NULL;
	uint64_t b = 0;

	if (!gt_units_bytes(s, &b, &why))
		fail_msg("'%s' refused: %s", s, why);
	return b;
}

static void test_durations(void **state)
{
	const char *bad[] = {"", "1", "500", "ms", "1.s", ".5s", "-1s", "+1s", "1e3ms", "0s",
			     "0.0ms", "1 sec", "1S", "1  s", "1s ", "5us", "0x10s", NULL};
	const char *why;
	double ms;

	(void)state;
	assert_true(dur("500ms") == 500);
	assert_true(dur("1s") == 1000);
	assert_true(dur("1.5s") == 1500);
	assert_true(dur("2m") == 120000);
	assert_true(dur("1h") == 3600000);
	assert_true(dur("100 ms") == 100);
	assert_true(dur("0.25ms") == 0.25);
	for (size_t i = 0; bad[i]; i++) {
		why = NULL;
		if (gt_units_duration(bad[i], &ms, &why))
			fail_msg("'%s' accepted as %g ms", bad[i], ms);
		assert_non_null(why);
	}
	assert_false(gt_units_duration(NULL, &ms, &why));
	assert_false(gt_units_duration("500", &ms, &why));
	assert_non_null(strstr(why, "needs a unit"));
}

static void test_sizes(void **state)
{
	const char *bad[] = {"", "512", "MB", "1.MB", "-1MB", "1e6B", "0B", "0.4B", "1 Mbit",
			     "1M", "1K", "1 MiBs", "1  MB", "99999999999TiB", NULL};
	const char *why;
	uint64_t b;

	(void)state;
	/* Decimal: powers of 1000; binary: powers of 1024. */
	assert_int_equal(size("1B"), 1);
	assert_int_equal(size("1KB"), 1000);
	assert_int_equal(size("1kB"), 1000);
	assert_int_equal(size("1KiB"), 1024);
	assert_int_equal(size("64KiB"), 65536);
	assert_int_equal(size("512MB"), 512000000);
	assert_int_equal(size("512MiB"), 536870912);
	assert_int_equal(size("100MiB"), 104857600);
	assert_int_equal(size("1GB"), 1000000000);
	assert_int_equal(size("1GiB"), 1073741824);
	assert_int_equal(size("1TB"), 1000000000000ULL);
	assert_int_equal(size("2TiB"), 2199023255552ULL);
	assert_int_equal(size("1.5GiB"), 1610612736);
	assert_int_equal(size("1 mb"), 1000000);
	assert_int_equal(size("1 mib"), 1048576);
	assert_int_equal(size("0.5B"), 1);   /* rounded to whole bytes */
	for (size_t i = 0; bad[i]; i++) {
		why = NULL;
		if (gt_units_bytes(bad[i], &b, &why))
			fail_msg("'%s' accepted as %llu bytes", bad[i], (unsigned long long)b);
		assert_non_null(why);
	}
	assert_false(gt_units_bytes("512", &b, &why));
	assert_non_null(strstr(why, "needs a unit"));
	assert_false(gt_units_bytes("512Mb/s", &b, &why));
	assert_non_null(strstr(why, "not B, kB"));
}

/* APPEND(buf) appended to an empty buffer equals WANT. */
#define PRINTS(want, call)                                                  \
	do {                                                                \
		struct gt_buf b_ = {0};                                     \
		call;                                                       \
		assert_string_equal(b_.s, want);                            \
		gt_buf_free(&b_);                                           \
	} while (0)

static void test_printing(void **state)
{
	bool dec = false;

	(void)state;
	PRINTS("512 MB", gt_units_put_limit_bytes(&b_, 512000000, &dec));
	assert_true(dec);
	PRINTS("512 MiB", gt_units_put_limit_bytes(&b_, 536870912, &dec));
	assert_false(dec);
	PRINTS("1536 MiB", gt_units_put_limit_bytes(&b_, 1610612736, NULL));
	PRINTS("1 kB", gt_units_put_limit_bytes(&b_, 1000, NULL));
	PRINTS("1001 B", gt_units_put_limit_bytes(&b_, 1001, NULL));
	PRINTS("4.1 MiB", gt_units_put_bytes(&b_, 4.1 * 1048576, false));
	PRINTS("4.3 MB", gt_units_put_bytes(&b_, 4.1 * 1048576, true));
	PRINTS("900 B", gt_units_put_bytes(&b_, 900, false));
	PRINTS("12 KiB", gt_units_put_bytes(&b_, 12 * 1024, false));
	PRINTS("213 ms", gt_units_put_seconds(&b_, 0.2131));
	PRINTS("4.12 ms", gt_units_put_seconds(&b_, 0.00412));
	PRINTS("1.5 s", gt_units_put_seconds(&b_, 1.5));
	PRINTS("150 s", gt_units_put_seconds(&b_, 150.2));
	PRINTS("500 ms", gt_units_put_limit_ms(&b_, 500));
	PRINTS("1 s", gt_units_put_limit_ms(&b_, 1000));
	PRINTS("1.5 s", gt_units_put_limit_ms(&b_, 1500));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_printing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

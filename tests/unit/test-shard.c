/*
 * test-shard: the weighted partition of --shard I/N: every case in exactly
 * one shard, loads within the heaviest single weight, the same answer
 * every time, and few cases moved when one is added.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shard.h"

#define MAXN 1001

struct set {
	char *names[MAXN];
	double w[MAXN];
	size_t n;
};

/* A deterministic pseudo-random generator (xorshift64). */
static uint64_t rs;
static double rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (double)(rs >> 11) / 9007199254740992.0;
}

/* N cases; weights: 0 equal, 1 skewed random, 2 one heavy among light. */
static void make(struct set *s, size_t n, int kind, uint64_t seed)
{
	rs = seed;
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "case-%zu", i);
		s->names[i] = strdup(buf);
		s->w[i] = kind == 0 ? 1 : kind == 1 ? 0.05 + 5 * rnd() * rnd() : i == 3 ? 40 : 0.5;
	}
}

static void drop(struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->names[i]);
}

/* Every case in exactly one shard (the union is every case once), and
 * the loads within the heaviest weight of each other. */
static void check_partition(const struct set *s, unsigned k, const unsigned *out)
{
	double load[64] = {0}, wmax = 0, hi = 0, lo = 1e300;
	size_t count = 0;

	assert_true(k <= 64);
	for (unsigned shard = 0; shard < k; shard++) {
		for (size_t i = 0; i < s->n; i++) {
			if (out[i] != shard)
				continue;
			count++;
			load[shard] += s->w[i];
		}
	}
	assert_int_equal(count, s->n);
	for (size_t i = 0; i < s->n; i++) {
		assert_true(out[i] < k);
		if (s->w[i] > wmax)
			wmax = s->w[i];
	}
	for (unsigned shard = 0; shard < k && shard < s->n; shard++) {
		if (load[shard] > hi)
			hi = load[shard];
		if (load[shard] < lo)
			lo = load[shard];
	}
	assert_true(hi - lo <= wmax + 1e-9);
}

static void test_partition_balanced(void **state)
{
	static const unsigned ks[] = {1, 2, 3, 4, 7, 16};
	static struct set s;

	(void)state;
	for (int kind = 0; kind < 3; kind++) {
		for (size_t ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++) {
			unsigned out[MAXN];

			make(&s, 200, kind, 42 + ki);
			gt_shard_assign((const char *const *)s.names, s.w, s.n, ks[ki], out);
			check_partition(&s, ks[ki], out);
			drop(&s);
		}
	}
}

/* One case of 40 s among 199 of 0.5 s over 3 shards: the loads end
 * within the lightest case of the most loaded shard (0.5 s) of each
 * other, much closer than the 40 s the weakest bound allows. */
static void test_heavy_case(void **state)
{
	static struct set s;
	unsigned out[MAXN];
	double load[3] = {0}, hi = 0, lo = 1e300;

	(void)state;
	make(&s, 200, 2, 7);
	gt_shard_assign((const char *const *)s.names, s.w, s.n, 3, out);
	check_partition(&s, 3, out);
	for (size_t i = 0; i < s.n; i++)
		load[out[i]] += s.w[i];
	for (unsigned a = 0; a < 3; a++) {
		hi = load[a] > hi ? load[a] : hi;
		lo = load[a] < lo ? load[a] : lo;
	}
	assert_true(hi - lo <= 0.5 + 1e-9);
	drop(&s);
}

static void test_deterministic(void **state)
{
	static struct set s;
	unsigned a[MAXN], b[MAXN];

	(void)state;
	make(&s, 300, 1, 99);
	gt_shard_assign((const char *const *)s.names, s.w, s.n, 5, a);
	gt_shard_assign((const char *const *)s.names, s.w, s.n, 5, b);
	assert_memory_equal(a, b, s.n * sizeof(*a));
	drop(&s);
}

/* Adding a case moves few others: at most 10% of 200 over 4 shards in
 * every one of 20 random sets (greedy longest-first moves about 40%). */
static void test_stable(void **state)
{
	static struct set s;
	unsigned a[MAXN], b[MAXN];
	size_t total = 0;

	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		for (uint64_t seed = 1; seed <= 10; seed++) {
			size_t moved = 0;

			make(&s, 201, kind, seed * 7919);
			gt_shard_assign((const char *const *)s.names, s.w, 200, 4, a);
			gt_shard_assign((const char *const *)s.names, s.w, 201, 4, b);
			for (size_t i = 0; i < 200; i++)
				moved += a[i] != b[i];
			assert_true(moved <= 20);
			total += moved;
			/* Removing it again gives back the first partition. */
			gt_shard_assign((const char *const *)s.names, s.w, 200, 4, b);
			assert_memory_equal(a, b, 200 * sizeof(*a));
			drop(&s);
		}
	}
	print_message("cases moved by adding one to 200 over 4 shards: %.1f on average\n",
		      (double)total / 20);
}

/* More shards than cases: one case each, no huge allocation. */
static void test_more_shards_than_cases(void **state)
{
	static struct set s;
	unsigned out[MAXN];
	bool seen[3] = {false};

	(void)state;
	make(&s, 3, 0, 1);
	gt_shard_assign((const char *const *)s.names, s.w, s.n, 4294967295u, out);
	for (size_t i = 0; i < 3; i++) {
		assert_true(out[i] < 3);
		assert_false(seen[out[i]]);
		seen[out[i]] = true;
	}
	gt_shard_assign((const char *const *)s.names, s.w, 0, 3, out);
	drop(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partition_balanced),
		cmocka_unit_test(test_heavy_case),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_more_shards_than_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

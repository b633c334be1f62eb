/*
 * shard: the weighted, stable partition of the cases for --shard I/N.
 * See shard.h for the algorithm and what it guarantees.
 */
#include "config.h"

#include "shard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "trace-json.h"
#include "util.h"

/* The rendezvous score of case NAME for shard S. */
static uint64_t score(const char *name, unsigned s)
{
	return XXH3_64bits_withSeed(name, strlen(name), 0x9e3779b97f4a7c15ull ^ s);
}

/* Does case A rank shard S above case B does (score, then name)? */
static bool ranks_higher(const char *a, const char *b, unsigned s)
{
	uint64_t x = score(a, s), y = score(b, s);

	return x != y ? x > y : strcmp(a, b) < 0;
}

void gt_shard_assign(const char *const *names, const double *weights, size_t n, unsigned k,
		     unsigned *out)
{
	/* More shards than cases: the first N shards are enough to hold them
	 * one each, and no N-sized arrays are made for N in the billions. */
	unsigned m = (size_t)k > n ? (unsigned)n : k;
	double *load;
	size_t limit = 64 * n + 64;

	if (n == 0)
		return;
	load = xcalloc(m, sizeof(*load));
	for (size_t i = 0; i < n; i++) {
		unsigned best = 0;
		uint64_t top = score(names[i], 0);

		for (unsigned s = 1; s < m; s++) {
			uint64_t x = score(names[i], s);

			if (x > top)
				top = x, best = s;
		}
		out[i] = best;
		load[best] += weights[i];
	}
	/* Rebalance: the most loaded shard gives a case lighter than the gap
	 * to the least loaded one (the sum of squares falls at each move;
	 * LIMIT is only a guard against a bug). */
	while (limit--) {
		unsigned a = 0, b = 0;
		size_t pick = n;
		double gap;

		for (unsigned s = 1; s < m; s++) {
			if (load[s] > load[a])
				a = s;
			if (load[s] < load[b])
				b = s;
		}
		gap = load[a] - load[b];
		for (size_t i = 0; i < n; i++) {
			if (out[i] != a || !(weights[i] < gap))
				continue;
			if (pick == n || ranks_higher(names[i], names[pick], b))
				pick = i;
		}
		if (pick == n)
			break;
		out[pick] = b;
		load[a] -= weights[pick];
		load[b] += weights[pick];
	}
	free(load);
}

/* The recorded wall-time median of golden T, or -1. */
static double golden_wall(const struct gt_trace *t)
{
	double *x, med;

	if (t->wall_s.median > 0)
		return t->wall_s.median;
	if (!t->nruns)
		return -1;
	x = xmalloc(t->nruns * sizeof(*x));
	for (size_t i = 0; i < t->nruns; i++)
		x[i] = t->runs[i].wall_s;
	med = gt_median(x, t->nruns);
	free(x);
	return med > 0 ? med : -1;
}

void gt_shard_weights(const struct gt_config *cfg, const struct gt_overrides *ov,
		      const struct gt_case *const *cases, size_t n, double *out)
{
	double sum = 0, mean;
	size_t known = 0;

	for (size_t i = 0; i < n; i++) {
		char *path = gt_golden_path(cfg, ov, cases[i]->name);
		struct gt_trace *t = NULL;
		struct gt_error err = {0};

		out[i] = -1;
		/* An unreadable golden is the check's to report, in whichever
		 * shard runs its case; here it only has no weight. */
		if (gt_trace_load_golden(path, cfg->golden_max_size, &t, &err) == GT_OK)
			out[i] = golden_wall(t);
		gt_trace_free(t);
		free(path);
		if (out[i] > 0) {
			out[i] += GT_SHARD_OVERHEAD;
			sum += out[i];
			known++;
		}
	}
	mean = known ? sum / (double)known : 1;
	for (size_t i = 0; i < n; i++)
		if (!(out[i] > 0))
			out[i] = mean;
}

size_t gt_shard_select(const struct gt_config *cfg, const struct gt_overrides *ov,
		       const struct gt_case **v, size_t n, unsigned i, unsigned k)
{
	const char **names = xcalloc(n + 1, sizeof(*names));
	double *w = xcalloc(n + 1, sizeof(*w));
	unsigned *to = xcalloc(n + 1, sizeof(*to));
	size_t kept = 0;

	for (size_t j = 0; j < n; j++)
		names[j] = v[j]->name;
	gt_shard_weights(cfg, ov, v, n, w);
	gt_shard_assign(names, w, n, k, to);
	for (size_t j = 0; j < n; j++)
		if (to[j] == i - 1)
			v[kept++] = v[j];
	free(names);
	free(w);
	free(to);
	return kept;
}

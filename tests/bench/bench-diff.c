/*
 * bench-diff: time the diff engine alone on two trace files (`make bench`).
 *
 *   bench-diff [-r REPEAT] GOLDEN NEW
 *
 * Loads both traces (timed apart, not part of the engine's time), then runs
 * what `gtdiff diff` and `gtdiff check` run on them: gt_diff_traces with the
 * built-in (exact) count tolerance, and gt_diff_render of the result as a
 * unified diff with 3 lines of context and no cap, into a memory buffer.
 * That pair is timed with CLOCK_MONOTONIC, REPEAT times (default 3), and
 * the fastest and the median are reported, with the size of the diff and
 * the peak RSS (getrusage) after loading and after the diffs, e.g.
 *
 *   load 3.087 s; diff engine: best 0.117 s, median 0.118 s (diff 0.092,
 *   render 0.026) over 5; 13225 changed lines, 3.9 MB of text
 *   peak RSS 376 MB after loading, 377 MB after the diffs; the diff
 *   result and its text hold 80 MB of heap
 *
 * The engine mostly reuses memory that the loader freed, so the peak RSS
 * barely moves; the heap in use (glibc's mallinfo2) while the result is
 * held says what the engine itself needs on top of the two traces.
 *
 * Exit status 0, or 2 when a file cannot be loaded.
 */
#include "config.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "trace-json.h"
#include "trace.h"
#include "util.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Peak resident set of this process so far, in MB. */
static double peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

/* Heap in use (malloc'd and not freed), in MB; -1 where unknown (not
 * glibc, or a sanitizer's allocator, for which mallinfo2 says 0). */
static double heap_mb(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	struct mallinfo2 mi = mallinfo2();
	size_t used = mi.uordblks + mi.hblkhd;

	return used ? (double)used / (1024.0 * 1024.0) : -1;
#else
	return -1;
#endif
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct gt_trace *golden = NULL, *now = NULL;
	struct gt_error err = {0};
	unsigned long repeat = 3;
	double t0, t_load, rss_load, rss_diff, heap0 = -1, held = 0, *total, *t_diff, *t_render;
	size_t changes = 0, text_len = 0;
	int opt;

	while ((opt = getopt(argc, argv, "r:h")) != -1) {
		char *end;

		switch (opt) {
		case 'r':
			errno = 0;
			repeat = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || repeat == 0 || repeat > 1000) {
				fprintf(stderr, "bench-diff: bad repeat count: %s\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: bench-diff [-r REPEAT] GOLDEN NEW\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: bench-diff [-r REPEAT] GOLDEN NEW\n");
		return 2;
	}

	t0 = now_s();
	if (gt_trace_load(argv[optind], &golden, &err) != GT_OK ||
	    gt_trace_load(argv[optind + 1], &now, &err) != GT_OK) {
		fprintf(stderr, "bench-diff: %s\n", err.msg);
		gt_trace_free(golden);
		return 2;
	}
	t_load = now_s() - t0;
	rss_load = peak_rss_mb();

	total = xcalloc(repeat, sizeof(*total));
	t_diff = xcalloc(repeat, sizeof(*t_diff));
	t_render = xcalloc(repeat, sizeof(*t_render));
	for (unsigned long i = 0; i < repeat; i++) {
		/* As gt_case_compare does it, minus the colour copy and the judge. */
		struct gt_diff_opts dopts = { .counts = NULL, .bytes_pct = GT_BYTES_PCT };
		struct gt_diff_render_opts ro = {
			.context = 3,
			.max_lines = 0,
			.golden_name = argv[optind],
			.new_name = argv[optind + 1],
		};
		struct gt_diff *d = NULL;
		struct gt_buf b = {0};
		double t1, t2, t3;

		heap0 = heap_mb();
		t1 = now_s();
		gt_diff_traces(golden, now, &dopts, &d);
		t2 = now_s();
		gt_diff_render(d, &ro, &b);
		t3 = now_s();
		if (heap0 >= 0)
			held = heap_mb() - heap0;
		t_diff[i] = t2 - t1;
		t_render[i] = t3 - t2;
		total[i] = t3 - t1;
		changes = d->changes;
		text_len = b.len;
		gt_buf_free(&b);
		gt_diff_free(d);
	}
	rss_diff = peak_rss_mb();

	/* Report the median split, then sort the totals for best/median. */
	qsort(t_diff, repeat, sizeof(*t_diff), cmp_double);
	qsort(t_render, repeat, sizeof(*t_render), cmp_double);
	qsort(total, repeat, sizeof(*total), cmp_double);
	printf("load %.3f s; diff engine: best %.3f s, median %.3f s (diff %.3f, render %.3f) "
	       "over %lu; %zu changed lines, %.1f MB of text\n",
	       t_load, total[0], total[repeat / 2], t_diff[repeat / 2], t_render[repeat / 2],
	       repeat, changes, (double)text_len / 1e6);
	printf("peak RSS %.0f MB after loading, %.0f MB after the diffs", rss_load, rss_diff);
	if (heap0 >= 0)
		printf("; the diff result and its text hold %.0f MB of heap", held);
	printf("\n");

	free(total);
	free(t_diff);
	free(t_render);
	gt_trace_free(golden);
	gt_trace_free(now);
	return 0;
}

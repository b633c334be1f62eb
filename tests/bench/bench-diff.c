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
 * the fastest and the median are reported, with the size of the diff, e.g.
 *
 *   load 1.234 s; diff engine: best 0.345 s, median 0.350 s (diff 0.30,
 *   render 0.05) over 3; 20000 changed lines, 2.1 MB of text
 *
 * Exit status 0, or 2 when a file cannot be loaded.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	double t0, t_load, *total, *t_diff, *t_render;
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

	total = xcalloc(repeat, sizeof(*total));
	t_diff = xcalloc(repeat, sizeof(*t_diff));
	t_render = xcalloc(repeat, sizeof(*t_render));
	for (unsigned long i = 0; i < repeat; i++) {
		/* As gt_case_compare does it, minus the colour copy and the judge. */
		struct gt_diff_opts dopts = { .counts = NULL };
		struct gt_diff_render_opts ro = {
			.context = 3,
			.max_lines = 0,
			.golden_name = argv[optind],
			.new_name = argv[optind + 1],
		};
		struct gt_diff *d = NULL;
		struct gt_buf b = {0};
		double t1, t2, t3;

		t1 = now_s();
		gt_diff_traces(golden, now, &dopts, &d);
		t2 = now_s();
		gt_diff_render(d, &ro, &b);
		t3 = now_s();
		t_diff[i] = t2 - t1;
		t_render[i] = t3 - t2;
		total[i] = t3 - t1;
		changes = d->changes;
		text_len = b.len;
		gt_buf_free(&b);
		gt_diff_free(d);
	}
	/* Report the median split, then sort the totals for best/median. */
	qsort(t_diff, repeat, sizeof(*t_diff), cmp_double);
	qsort(t_render, repeat, sizeof(*t_render), cmp_double);
	qsort(total, repeat, sizeof(*total), cmp_double);
	printf("load %.3f s; diff engine: best %.3f s, median %.3f s (diff %.3f, render %.3f) "
	       "over %lu; %zu changed lines, %.1f MB of text\n",
	       t_load, total[0], total[repeat / 2], t_diff[repeat / 2], t_render[repeat / 2],
	       repeat, changes, (double)text_len / 1e6);

	free(total);
	free(t_diff);
	free(t_render);
	gt_trace_free(golden);
	gt_trace_free(now);
	return 0;
}

/*
 * plotdata: what the HTML report shows of one case beyond its verdict,
 * taken from its golden and new traces while both are loaded: the new
 * run's measurements beside the golden's and the case's budgets, the calls
 * per syscall on each side, and the wall times of the golden's recording
 * runs with their band and the new run's.  `check` and `diff` attach it to
 * a case result (report.h) when --report-html is asked for.
 */
#ifndef GT_PLOTDATA_H
#define GT_PLOTDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace.h"

struct gt_case;

/* A syscall's calls: the golden's median and the new run's (0 when a side
 * never made the call). */
struct gt_plot_count {
	char *name;
	double golden, new_;
};

/* Medians over the runs of a trace: wall time (s), syscalls, peak RSS
 * (KiB); each 0 when not recorded. */
struct gt_plot_measures {
	double wall_s, syscalls, rss_kb;
};

struct gt_plotdata {
	struct gt_plot_measures golden, new_;
	/* The case's budgets (0: not set). */
	double budget_ms;
	uint64_t budget_syscalls, budget_rss_bytes;
	/* Every syscall either side made, the largest change first (then the
	 * larger count, then by name). */
	struct gt_plot_count *counts;
	size_t ncounts;
	/* Wall times (s) of the golden's recording runs and the new runs. */
	double *golden_wall, *new_wall;
	size_t ngolden_wall, nnew_wall;
	bool band;                 /* the golden's wall-time band is known */
	double band_lo, band_hi;
};

/* The plot data of NEW against GOLDEN under case C (NULL: the defaults).
 * The result owns copies of everything; free with gt_plotdata_free. */
struct gt_plotdata *gt_plotdata_new(const struct gt_trace *golden, const struct gt_trace *new_,
				    const struct gt_case *c);
/* Accepts NULL. */
void gt_plotdata_free(struct gt_plotdata *p);

#endif

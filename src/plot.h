/*
 * plot: the two charts of the HTML report, drawn as inline SVG (svg.h):
 * per-syscall counts of the golden and the new run as grouped bars, and
 * the wall times of the golden's recording runs against their band, the
 * budget and the new run as a strip plot (a box plot past
 * GT_PLOT_STRIP_MAX runs).  Pure drawing: the numbers come from the
 * caller (plotdata.h).
 */
#ifndef GT_PLOT_H
#define GT_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The geometry the unit tests check the scaling against. */
#define GT_PLOT_WIDTH 640.0     /* every chart's width */
#define GT_PLOT_LABEL_W 150.0   /* the bars' label column */
#define GT_PLOT_BAR_MAX (GT_PLOT_WIDTH - GT_PLOT_LABEL_W - 60.0) /* the longest bar */
#define GT_PLOT_STRIP_MAX 64    /* more runs than this: a box, not points */

/* One group of bars: LABEL (a syscall's name), the golden's value and the
 * new run's. */
struct gt_plot_bar {
	const char *label;
	double golden, new_;
};
/* N groups (0: nothing is drawn), in the order given, each a golden bar
 * over a new one, lengths proportional to the values (the longest, of all,
 * GT_PLOT_BAR_MAX), each with its value at its end and a tooltip.  A new
 * bar above its golden has class "up", below "down", equal "same". */
void gt_plot_bars(struct gt_buf *b, const struct gt_plot_bar *v, size_t n);

/* Wall times in seconds. */
struct gt_plot_strip {
	const double *golden;   /* the golden's recording runs */
	size_t ngolden;
	const double *new_;     /* the new run(s) */
	size_t nnew;
	bool band;              /* draw [band_lo, band_hi] */
	double band_lo, band_hi;
	double budget_s;        /* max_duration; <= 0: none */
};
/* One horizontal axis (ms when everything is under a second, else s), a
 * row of the golden's runs (class "golden"; a box of min, quartiles and
 * max past GT_PLOT_STRIP_MAX runs) and a row of the new runs (class
 * "new"), the band shaded behind both, the budget as a line.  Nothing is
 * drawn when there are no runs on either side. */
void gt_plot_strip(struct gt_buf *b, const struct gt_plot_strip *s);

#endif

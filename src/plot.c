/*
 * plot: grouped bars and a strip plot as inline SVG (see plot.h).
 */
#include "config.h"

#include "plot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "svg.h"

/* ---- grouped bars ------------------------------------------------------- */

#define BAR_H 9.0
#define GROUP_H 24.0
#define BARS_TOP 22.0

static void legend(struct gt_buf *b, double x, const char *cls, const char *name)
{
	gt_svg_rect(b, x, 6, 10, 10, cls, NULL);
	gt_svg_text(b, x + 14, 15, "start", "legend", name);
}

static const char *trend(double golden, double new_)
{
	return new_ > golden ? "bar new up" : new_ < golden ? "bar new down" : "bar new same";
}

static void bar(struct gt_buf *b, const struct gt_svg_scale *sc, double y, double v,
		const char *cls)
{
	double x0 = gt_svg_map(sc, 0), x1 = gt_svg_map(sc, v > 0 ? v : 0);
	struct gt_buf t = {0};

	gt_svg_rect(b, x0, y, x1 - x0, BAR_H, cls, NULL);
	gt_buf_printf(&t, "%.6g", v);
	gt_svg_text(b, x1 + 4, y + BAR_H - 1, "start", "value", t.s);
	gt_buf_free(&t);
}

void gt_plot_bars(struct gt_buf *b, const struct gt_plot_bar *v, size_t n)
{
	struct gt_svg_scale sc = {.d0 = 0, .r0 = GT_PLOT_LABEL_W,
				  .r1 = GT_PLOT_LABEL_W + GT_PLOT_BAR_MAX};
	double max = 0;
	struct gt_buf title = {0};

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++)
		max = fmax(max, fmax(v[i].golden, v[i].new_));
	sc.d1 = max > 0 ? max : 1;
	gt_svg_begin(b, GT_PLOT_WIDTH, BARS_TOP + (double)n * GROUP_H + 4,
		     "calls per syscall, golden and new run");
	legend(b, GT_PLOT_LABEL_W, "bar golden", "golden");
	legend(b, GT_PLOT_LABEL_W + 70, "bar new", "new run");
	for (size_t i = 0; i < n; i++) {
		double y = BARS_TOP + (double)i * GROUP_H;

		gt_buf_reset(&title);
		gt_buf_printf(&title, "%s: golden %.6g, new %.6g (%+.6g)", v[i].label,
			      v[i].golden, v[i].new_, v[i].new_ - v[i].golden);
		gt_svg_group_begin(b, title.s);
		gt_svg_text(b, GT_PLOT_LABEL_W - 6, y + BAR_H + 3, "end", "label", v[i].label);
		bar(b, &sc, y, v[i].golden, "bar golden");
		bar(b, &sc, y + BAR_H + 1, v[i].new_, trend(v[i].golden, v[i].new_));
		gt_svg_group_end(b);
	}
	gt_svg_end(b);
	gt_buf_free(&title);
}

/* ---- strip plot --------------------------------------------------------- */

#define STRIP_LEFT 70.0
#define STRIP_RIGHT (GT_PLOT_WIDTH - 30.0)
#define ROW_GOLDEN 32.0
#define ROW_NEW 62.0
#define AXIS_Y 82.0
#define STRIP_H 102.0

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The Q-quantile of the N sorted values X (linear interpolation). */
static double quantile(const double *x, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;

	if (i + 1 >= n)
		return x[n - 1];
	return x[i] + (pos - (double)i) * (x[i + 1] - x[i]);
}

/* A box of the N values X at row Y: whiskers at min and max, the box from
 * the first to the third quartile, a line at the median. */
static void box(struct gt_buf *b, const struct gt_svg_scale *sc, double scale,
		const double *x, size_t n, double y, const char *cls)
{
	double *s = xmalloc(n * sizeof(*s)), q1, q3, med;
	struct gt_buf t = {0};

	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	q1 = gt_svg_map(sc, quantile(s, n, 0.25) * scale);
	q3 = gt_svg_map(sc, quantile(s, n, 0.75) * scale);
	med = gt_svg_map(sc, quantile(s, n, 0.5) * scale);
	gt_svg_line(b, gt_svg_map(sc, s[0] * scale), y, gt_svg_map(sc, s[n - 1] * scale), y,
		    "whisker");
	gt_buf_printf(&t, "%zu runs: min %.4g, median %.4g, max %.4g s", n, s[0],
		      quantile(s, n, 0.5), s[n - 1]);
	gt_svg_rect(b, q1, y - 7, q3 - q1, 14, cls, t.s);
	gt_svg_line(b, med, y - 7, med, y + 7, "median");
	gt_buf_free(&t);
	free(s);
}

/* A row of runs: one point each, or a box when there are many. */
static void row(struct gt_buf *b, const struct gt_svg_scale *sc, double scale,
		const double *x, size_t n, double y, const char *cls, const char *name)
{
	struct gt_buf t = {0};

	gt_svg_text(b, STRIP_LEFT - 8, y + 4, "end", "label", name);
	if (n > GT_PLOT_STRIP_MAX) {
		box(b, sc, scale, x, n, y, cls);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		/* A small fixed jitter, so that equal times stay apart. */
		double dy = (double)((int)(i * 7 % 5) - 2) * 2.5;

		gt_buf_reset(&t);
		gt_buf_printf(&t, "%s run %zu: %.4g s", name, i + 1, x[i]);
		gt_svg_circle(b, gt_svg_map(sc, x[i] * scale), y + dy, 3.5, cls, t.s);
	}
	if (n > 1) {
		double med = gt_svg_map(sc, gt_median(x, n) * scale);

		gt_svg_line(b, med, y - 9, med, y + 9, "median");
	}
	gt_buf_free(&t);
}

/* The smallest and largest of the N values X into *LO, *HI. */
static void extend(double *lo, double *hi, const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(x[i]))
			continue;
		*lo = fmin(*lo, x[i]);
		*hi = fmax(*hi, x[i]);
	}
}

static void axis(struct gt_buf *b, const struct gt_svg_scale *sc, double step, const char *unit)
{
	struct gt_buf t = {0};
	long ticks = lround((sc->d1 - sc->d0) / step);

	gt_svg_line(b, STRIP_LEFT, AXIS_Y, STRIP_RIGHT, AXIS_Y, "axis");
	for (long k = 0; k <= ticks && k <= 20; k++) {
		double v = sc->d0 + (double)k * step, x = gt_svg_map(sc, v);

		gt_svg_line(b, x, AXIS_Y, x, AXIS_Y + 4, "axis");
		gt_buf_reset(&t);
		gt_svg_tick_label(&t, v, step);
		gt_svg_text(b, x, AXIS_Y + 16, "middle", "tick", t.s);
	}
	gt_svg_text(b, STRIP_LEFT - 24, AXIS_Y + 16, "end", "tick", unit);
	gt_buf_free(&t);
}

void gt_plot_strip(struct gt_buf *b, const struct gt_plot_strip *s)
{
	double lo = INFINITY, hi = -INFINITY, scale, step;
	struct gt_svg_scale sc = {.r0 = STRIP_LEFT, .r1 = STRIP_RIGHT};
	struct gt_buf t = {0};

	if (s->ngolden == 0 && s->nnew == 0)
		return;
	extend(&lo, &hi, s->golden, s->ngolden);
	extend(&lo, &hi, s->new_, s->nnew);
	if (s->band) {
		extend(&lo, &hi, &s->band_lo, 1);
		extend(&lo, &hi, &s->band_hi, 1);
	}
	if (s->budget_s > 0)
		extend(&lo, &hi, &s->budget_s, 1);
	if (!(lo <= hi))
		lo = hi = 0;
	/* Milliseconds for a short program: "12 ms", not "0.012 s". */
	scale = hi < 1 ? 1000 : 1;
	lo *= scale;
	hi *= scale;
	step = gt_svg_nice_range(&lo, &hi, 6);
	sc.d0 = lo;
	sc.d1 = hi;
	gt_svg_begin(b, GT_PLOT_WIDTH, STRIP_H, "wall times: the golden's runs, its band and the new run");
	if (s->band) {
		double x0 = gt_svg_map(&sc, s->band_lo * scale), x1 = gt_svg_map(&sc, s->band_hi * scale);

		gt_buf_printf(&t, "band [%.4g, %.4g] s", s->band_lo, s->band_hi);
		gt_svg_rect(b, x0, ROW_GOLDEN - 14, x1 - x0, ROW_NEW - ROW_GOLDEN + 28, "band", t.s);
	}
	if (s->budget_s > 0) {
		double x = gt_svg_map(&sc, s->budget_s * scale);

		gt_svg_line(b, x, ROW_GOLDEN - 18, x, AXIS_Y, "budget");
		gt_svg_text(b, x, ROW_GOLDEN - 20, "middle", "tick", "budget");
	}
	row(b, &sc, scale, s->golden, s->ngolden, ROW_GOLDEN, "golden", "golden");
	row(b, &sc, scale, s->new_, s->nnew, ROW_NEW, "new", "new run");
	axis(b, &sc, step, scale == 1 ? "s" : "ms");
	gt_svg_end(b);
	gt_buf_free(&t);
}

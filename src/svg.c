/*
 * svg: scales, ticks and SVG elements for the HTML report (see svg.h).
 */
#include "config.h"

#include "svg.h"

#include <math.h>
#include <string.h>

#include "markup.h"

double gt_svg_map(const struct gt_svg_scale *s, double v)
{
	double span = s->d1 - s->d0;

	if (!(fabs(span) > 0) || !isfinite(span))
		return (s->r0 + s->r1) / 2;
	return s->r0 + (v - s->d0) / span * (s->r1 - s->r0);
}

double gt_svg_tick_step(double lo, double hi, unsigned n)
{
	double span = hi - lo, raw, mag, f;

	if (n < 1)
		n = 1;
	if (!(span > 0) || !isfinite(span))
		return 1;
	raw = span / n;
	mag = pow(10, floor(log10(raw)));
	f = raw / mag;
	/* The round step nearest above the raw one: at most N ticks. */
	if (f <= 1)
		f = 1;
	else if (f <= 2)
		f = 2;
	else if (f <= 5)
		f = 5;
	else
		f = 10;
	return f * mag;
}

double gt_svg_nice_range(double *lo, double *hi, unsigned n)
{
	double step;

	if (!isfinite(*lo) || !isfinite(*hi)) {
		*lo = 0;
		*hi = 1;
	}
	if (*hi < *lo) {
		double t = *lo;

		*lo = *hi;
		*hi = t;
	}
	if (*hi == *lo) {
		double d = *lo != 0 ? fabs(*lo) / 10 : 1;

		if (*lo != 0)
			*lo -= d;
		*hi += d;
	}
	step = gt_svg_tick_step(*lo, *hi, n);
	/* A hair of tolerance: 0.3 / 0.1 is 2.9999999999999996. */
	*lo = floor(*lo / step + 1e-9) * step;
	*hi = ceil(*hi / step - 1e-9) * step;
	return step;
}

void gt_svg_tick_label(struct gt_buf *b, double v, double step)
{
	int decimals = 0;

	if (step > 0 && step < 1 && isfinite(step))
		decimals = (int)ceil(-log10(step) - 1e-9);
	if (decimals > 9)
		decimals = 9;
	if (fabs(v) < step / 2)
		v = 0; /* not "-0.0" */
	gt_buf_printf(b, "%.*f", decimals, isfinite(v) ? v : 0);
}

/* A coordinate: one decimal, 0 when not finite. */
static void num(struct gt_buf *b, const char *attr, double v)
{
	if (!isfinite(v))
		v = 0;
	if (fabs(v) < 0.05)
		v = 0;
	gt_buf_printf(b, " %s=\"%.1f\"", attr, v);
}

static void cls_attr(struct gt_buf *b, const char *cls)
{
	if (cls)
		gt_buf_printf(b, " class=\"%s\"", cls);
}

/* End an element: with a <title> child when TITLE is given. */
static void close_el(struct gt_buf *b, const char *tag, const char *title)
{
	if (!title) {
		gt_buf_puts(b, "/>");
		return;
	}
	gt_buf_puts(b, "><title>");
	gt_markup_escape_str(b, title, 0);
	gt_buf_printf(b, "</title></%s>", tag);
}

void gt_svg_begin(struct gt_buf *b, double w, double h, const char *label)
{
	gt_buf_puts(b, "<svg");
	num(b, "width", w);
	num(b, "height", h);
	gt_buf_printf(b, " viewBox=\"0 0 %.1f %.1f\" role=\"img\" aria-label=\"", w, h);
	gt_markup_escape_str(b, label ? label : "", GT_MARKUP_ATTR);
	gt_buf_puts(b, "\">\n");
}

void gt_svg_end(struct gt_buf *b)
{
	gt_buf_puts(b, "</svg>\n");
}

void gt_svg_group_begin(struct gt_buf *b, const char *title)
{
	gt_buf_puts(b, "<g>");
	if (title) {
		gt_buf_puts(b, "<title>");
		gt_markup_escape_str(b, title, 0);
		gt_buf_puts(b, "</title>");
	}
	gt_buf_putc(b, '\n');
}

void gt_svg_group_end(struct gt_buf *b)
{
	gt_buf_puts(b, "</g>\n");
}

void gt_svg_rect(struct gt_buf *b, double x, double y, double w, double h, const char *cls,
		 const char *title)
{
	gt_buf_puts(b, "<rect");
	num(b, "x", x);
	num(b, "y", y);
	num(b, "width", w > 0 ? w : 0);
	num(b, "height", h > 0 ? h : 0);
	cls_attr(b, cls);
	close_el(b, "rect", title);
	gt_buf_putc(b, '\n');
}

void gt_svg_line(struct gt_buf *b, double x1, double y1, double x2, double y2, const char *cls)
{
	gt_buf_puts(b, "<line");
	num(b, "x1", x1);
	num(b, "y1", y1);
	num(b, "x2", x2);
	num(b, "y2", y2);
	cls_attr(b, cls);
	gt_buf_puts(b, "/>\n");
}

void gt_svg_circle(struct gt_buf *b, double cx, double cy, double r, const char *cls,
		   const char *title)
{
	gt_buf_puts(b, "<circle");
	num(b, "cx", cx);
	num(b, "cy", cy);
	num(b, "r", r > 0 ? r : 0);
	cls_attr(b, cls);
	close_el(b, "circle", title);
	gt_buf_putc(b, '\n');
}

void gt_svg_text(struct gt_buf *b, double x, double y, const char *anchor, const char *cls,
		 const char *text)
{
	gt_buf_puts(b, "<text");
	num(b, "x", x);
	num(b, "y", y);
	if (anchor && strcmp(anchor, "start") != 0)
		gt_buf_printf(b, " text-anchor=\"%s\"", anchor);
	cls_attr(b, cls);
	gt_buf_putc(b, '>');
	gt_markup_escape_str(b, text, 0);
	gt_buf_puts(b, "</text>\n");
}

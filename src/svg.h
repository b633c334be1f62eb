/*
 * svg: the drawing primitives of the HTML report's inline plots: a linear
 * scale with round ticks, and SVG elements appended to a buffer.  Every
 * text (a label, a tooltip) is escaped (markup.h); every number is printed
 * with one decimal, a number that is not finite as 0, so that what a trace
 * holds can neither break the markup nor the drawing.
 */
#ifndef GT_SVG_H
#define GT_SVG_H

#include <stddef.h>

#include "util.h"

/* A linear map from the domain [d0, d1] to the range [r0, r1]. */
struct gt_svg_scale {
	double d0, d1, r0, r1;
};
/* V in the range (extrapolated outside the domain); an empty domain
 * (d0 == d1) maps everything to the middle of the range. */
double gt_svg_map(const struct gt_svg_scale *s, double v);

/* A round tick step for [LO, HI] with about N (>= 1) ticks: 1, 2 or 5
 * times a power of ten; 1 for an empty or non-finite span. */
double gt_svg_tick_step(double lo, double hi, unsigned n);
/* Widen [*LO, *HI] to multiples of the tick step for N ticks; an empty
 * span first grows by a tenth of its value each way ([0, 0]: to [0, 1]);
 * non-finite ends give [0, 1].  Returns the step. */
double gt_svg_nice_range(double *lo, double *hi, unsigned n);
/* Append V as an axis label for ticks STEP apart: as many decimals as the
 * step needs ("0.05", "40"). */
void gt_svg_tick_label(struct gt_buf *b, double v, double step);

/* <svg> with a view box of W x H and LABEL (escaped) as its accessible
 * name, and its end. */
void gt_svg_begin(struct gt_buf *b, double w, double h, const char *label);
void gt_svg_end(struct gt_buf *b);
/* A group <g> whose elements share the tooltip TITLE (escaped; NULL:
 * none), and its end. */
void gt_svg_group_begin(struct gt_buf *b, const char *title);
void gt_svg_group_end(struct gt_buf *b);
/* Elements; CLS is a CSS class (a literal of the caller, not escaped) or
 * NULL; TITLE (escaped) a tooltip or NULL.  A negative width or height is
 * drawn as 0. */
void gt_svg_rect(struct gt_buf *b, double x, double y, double w, double h, const char *cls,
		 const char *title);
void gt_svg_line(struct gt_buf *b, double x1, double y1, double x2, double y2,
		 const char *cls);
void gt_svg_circle(struct gt_buf *b, double cx, double cy, double r, const char *cls,
		   const char *title);
/* TEXT (escaped) at (X, Y); ANCHOR "start", "middle" or "end". */
void gt_svg_text(struct gt_buf *b, double x, double y, const char *anchor, const char *cls,
		 const char *text);

#endif

/*
 * test-report-html: the HTML report and its parts.  The escaper (markup.c)
 * on every special, control bytes, bad UTF-8 and attributes; the SVG
 * primitives (svg.c): the linear scale, round ticks and escaped text; the
 * plots' scaling (plot.c): bar lengths proportional to the values, the
 * strip plot's band and budget where the scale puts them, a box past
 * GT_PLOT_STRIP_MAX runs; the side-by-side diff (htmldiff.c): pairing,
 * the changed part marked, escaping, the cut; the plot data of two traces
 * (plotdata.c); and the page (report-html.c): nothing to fetch, names
 * escaped, verdicts marked, 100 failing cases with long diffs under
 * 2 MiB, written atomically.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "htmldiff.h"
#include "markup.h"
#include "plot.h"
#include "plotdata.h"
#include "report.h"
#include "svg.h"
#include "trace.h"

static char *escaped(const char *s, size_t n, unsigned flags)
{
	struct gt_buf b = {0};

	gt_markup_escape(&b, s, n, flags);
	return gt_buf_steal(&b);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The value of attribute ATTR (` ATTR="...`) in the first element at or
 * after P, as a number. */
static double attr_of(const char *p, const char *attr)
{
	char key[32];
	const char *q;

	snprintf(key, sizeof(key), " %s=\"", attr);
	q = strstr(p, key);
	assert_non_null(q);
	return strtod(q + strlen(key), NULL);
}

/* ---- markup ------------------------------------------------------------- */

static void test_markup_specials(void **state)
{
	char *s;

	(void)state;
	s = escaped("<a href=\"x\">&'</a>", 18, 0);
	assert_string_equal(s, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
	free(s);
	/* Text keeps LF and TAB; an attribute makes them references. */
	s = escaped("a\nb\tc", 5, 0);
	assert_string_equal(s, "a\nb\tc");
	free(s);
	s = escaped("a\nb\tc", 5, GT_MARKUP_ATTR);
	assert_string_equal(s, "a&#10;b&#9;c");
	free(s);
}

static void test_markup_bytes(void **state)
{
	char *s;

	(void)state;
	/* ESC, CR, NUL dropped; UTF-8 kept; a lone byte, an overlong form
	 * and U+FFFF replaced. */
	s = escaped("a\033[31m\r\0b", 9, 0);
	assert_string_equal(s, "a[31mb");
	free(s);
	s = escaped("\xc3\xa9\xff\xc0\xaf\xef\xbf\xbf", 8, 0);
	assert_string_equal(s, "\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	/* NULL appends nothing, and the buffer is a string. */
	{
		struct gt_buf b = {0};

		gt_markup_escape_str(&b, NULL, 0);
		gt_markup_escape(&b, "", 0, 0);
		assert_non_null(b.s);
		assert_string_equal(b.s, "");
		gt_buf_free(&b);
	}
}

/* ---- svg ---------------------------------------------------------------- */

static void test_svg_scale(void **state)
{
	struct gt_svg_scale s = {.d0 = 10, .d1 = 20, .r0 = 100, .r1 = 300};

	(void)state;
	assert_true(fabs(gt_svg_map(&s, 10) - 100) < 1e-9);
	assert_true(fabs(gt_svg_map(&s, 15) - 200) < 1e-9);
	assert_true(fabs(gt_svg_map(&s, 20) - 300) < 1e-9);
	assert_true(fabs(gt_svg_map(&s, 25) - 400) < 1e-9); /* extrapolated */
	/* A reversed range (an SVG y axis grows down). */
	s.r0 = 300;
	s.r1 = 100;
	assert_true(fabs(gt_svg_map(&s, 12.5) - 250) < 1e-9);
	/* An empty domain: the middle. */
	s.d1 = s.d0;
	assert_true(fabs(gt_svg_map(&s, 10) - 200) < 1e-9);
}

static void test_svg_ticks(void **state)
{
	double lo, hi, step;

	(void)state;
	assert_true(fabs(gt_svg_tick_step(0, 10, 5) - 2) < 1e-12);
	assert_true(fabs(gt_svg_tick_step(0, 7, 5) - 2) < 1e-12);
	assert_true(fabs(gt_svg_tick_step(0, 0.0123, 5) - 0.005) < 1e-12);
	assert_true(fabs(gt_svg_tick_step(0, 1000, 4) - 500) < 1e-9);
	assert_true(gt_svg_tick_step(3, 3, 5) == 1);
	assert_true(gt_svg_tick_step(0, NAN, 5) == 1);
	/* The range widens to whole steps and covers the data. */
	lo = 0.113;
	hi = 0.347;
	step = gt_svg_nice_range(&lo, &hi, 6);
	assert_true(fabs(step - 0.05) < 1e-12);
	assert_true(fabs(lo - 0.1) < 1e-9 && fabs(hi - 0.35) < 1e-9);
	/* Already round: unchanged. */
	lo = 0.3;
	hi = 0.6;
	step = gt_svg_nice_range(&lo, &hi, 6);
	assert_true(fabs(step - 0.05) < 1e-12);
	assert_true(fabs(lo - 0.3) < 1e-9 && fabs(hi - 0.6) < 1e-9);
	/* Empty, reversed, zero and not finite. */
	lo = hi = 5;
	gt_svg_nice_range(&lo, &hi, 5);
	assert_true(lo < 5 && hi > 5);
	lo = hi = 0;
	gt_svg_nice_range(&lo, &hi, 5);
	assert_true(lo == 0 && hi == 1);
	lo = 9;
	hi = 1;
	gt_svg_nice_range(&lo, &hi, 4);
	assert_true(lo <= 1 && hi >= 9);
	lo = -INFINITY;
	hi = 3;
	gt_svg_nice_range(&lo, &hi, 4);
	assert_true(lo == 0 && hi == 1);
}

static void test_svg_elements(void **state)
{
	struct gt_buf b = {0};

	(void)state;
	gt_svg_tick_label(&b, 0.1 + 0.2, 0.05);
	assert_string_equal(b.s, "0.30");
	gt_buf_reset(&b);
	gt_svg_tick_label(&b, 40, 20);
	assert_string_equal(b.s, "40");
	gt_buf_reset(&b);
	gt_svg_tick_label(&b, -1e-17, 0.1);
	assert_string_equal(b.s, "0.0");
	gt_buf_reset(&b);
	gt_svg_begin(&b, 100, 50, "a \"label\"");
	gt_svg_text(&b, 1, 2, "end", "c", "<script>alert(1)</script>");
	gt_svg_rect(&b, 1, 2, -5, NAN, NULL, "t<i>p");
	gt_svg_circle(&b, INFINITY, 2, 3, "k", NULL);
	gt_svg_end(&b);
	assert_non_null(strstr(b.s, "aria-label=\"a &quot;label&quot;\""));
	assert_non_null(strstr(b.s, "&lt;script&gt;alert(1)&lt;/script&gt;</text>"));
	assert_null(strstr(b.s, "<script"));
	assert_non_null(strstr(b.s, "text-anchor=\"end\""));
	assert_non_null(strstr(b.s, "width=\"0.0\" height=\"0.0\"><title>t&lt;i&gt;p</title></rect>"));
	assert_non_null(strstr(b.s, "<circle cx=\"0.0\""));
	assert_null(strstr(b.s, "nan"));
	assert_null(strstr(b.s, "inf"));
	gt_buf_free(&b);
}

/* ---- plots -------------------------------------------------------------- */

static void test_plot_bars_scale(void **state)
{
	struct gt_plot_bar v[] = {{"openat", 10, 20}, {"read", 5, 5}, {"a<b", 0, 1}};
	struct gt_buf b = {0};
	const char *p;

	(void)state;
	gt_plot_bars(&b, v, 0);
	assert_true(b.len == 0);
	gt_plot_bars(&b, v, 3);
	/* Two bars per group and the two legend squares. */
	assert_int_equal(count(b.s, "<rect"), 2 * 3 + 2);
	assert_non_null(strstr(b.s, "<g><title>openat: golden 10, new 20 (+10)</title>"));
	assert_int_equal(count(b.s, "<g>"), 3);
	/* The bars: openat golden 10 (half the longest), new 20 (the
	 * longest), read 5 (a quarter). */
	p = strstr(b.s, "<rect x=\"150.0\" y=\"22.0\"");
	assert_non_null(p);
	assert_true(fabs(attr_of(p, "width") - GT_PLOT_BAR_MAX / 2) < 0.06);
	p = strstr(b.s, "<rect x=\"150.0\" y=\"32.0\"");
	assert_non_null(p);
	assert_true(fabs(attr_of(p, "width") - GT_PLOT_BAR_MAX) < 0.06);
	assert_non_null(strstr(p, "class=\"bar new up\""));
	p = strstr(b.s, "<rect x=\"150.0\" y=\"46.0\"");
	assert_non_null(p);
	assert_true(fabs(attr_of(p, "width") - GT_PLOT_BAR_MAX / 4) < 0.06);
	assert_non_null(strstr(b.s, "class=\"bar new same\""));
	/* The label is escaped, the zero bar has no width. */
	assert_non_null(strstr(b.s, ">a&lt;b</text>"));
	assert_non_null(strstr(b.s, "width=\"0.0\" height=\"9.0\" class=\"bar golden\""));
	gt_buf_free(&b);

	/* All zero: nothing divides by zero. */
	v[0] = (struct gt_plot_bar){"x", 0, 0};
	gt_plot_bars(&b, v, 1);
	assert_null(strstr(b.s, "nan"));
	gt_buf_free(&b);
}

static void test_plot_strip_scale(void **state)
{
	double golden[] = {0.100, 0.110, 0.120}, new_[] = {0.300};
	struct gt_plot_strip s = {.golden = golden, .ngolden = 3, .new_ = new_, .nnew = 1,
				  .band = true, .band_lo = 0.05, .band_hi = 0.2,
				  .budget_s = 0.25};
	struct gt_buf b = {0};
	const char *p;
	double x0, x1;

	(void)state;
	gt_plot_strip(&b, &s);
	/* In ms, 50..300 on 6 ticks: step 50, the axis 50..300. */
	assert_non_null(strstr(b.s, ">ms</text>"));
	assert_int_equal(count(b.s, "<circle"), 4);
	assert_int_equal(count(b.s, "class=\"golden\""), 3);
	assert_int_equal(count(b.s, "class=\"new\""), 1);
	p = strstr(b.s, "class=\"band\"");
	assert_non_null(p);
	while (p > b.s && strncmp(p, "<rect", 5) != 0)
		p--;
	x0 = attr_of(p, "x");
	x1 = x0 + attr_of(p, "width");
	/* The band starts at the axis' start and covers 150 of its 250 ms. */
	assert_true(fabs(x0 - 70) < 0.06);
	assert_true(fabs((x1 - x0) - (610 - 70) * 150.0 / 250) < 0.2);
	/* The budget line at 250 ms, the new run's point at 300 (the end). */
	p = strstr(b.s, "class=\"budget\"");
	assert_non_null(p);
	while (p > b.s && strncmp(p, "<line", 5) != 0)
		p--;
	assert_true(fabs(attr_of(p, "x1") - (70 + 540 * 200.0 / 250)) < 0.06);
	p = strstr(b.s, "new run run 1: 0.3 s");
	assert_non_null(p);
	while (p > b.s && strncmp(p, "<circle", 7) != 0)
		p--;
	assert_true(fabs(attr_of(p, "cx") - 610) < 0.06);
	gt_buf_free(&b);

	/* Nothing to draw. */
	s.ngolden = s.nnew = 0;
	gt_plot_strip(&b, &s);
	assert_true(b.len == 0);
	gt_buf_free(&b);
}

static void test_plot_strip_box(void **state)
{
	double golden[GT_PLOT_STRIP_MAX + 1], new_[] = {2.5};
	struct gt_plot_strip s = {.golden = golden, .ngolden = GT_PLOT_STRIP_MAX + 1,
				  .new_ = new_, .nnew = 1};
	struct gt_buf b = {0};

	(void)state;
	for (size_t i = 0; i < GT_PLOT_STRIP_MAX + 1; i++)
		golden[i] = 1 + (double)i / GT_PLOT_STRIP_MAX; /* 1 .. 2 s */
	gt_plot_strip(&b, &s);
	/* Past the limit the golden is a box, the new run still a point;
	 * over a second: seconds. */
	assert_int_equal(count(b.s, "<circle"), 1);
	assert_int_equal(count(b.s, "class=\"whisker\""), 1);
	assert_non_null(strstr(b.s, "65 runs: min 1, median 1.5, max 2 s"));
	assert_non_null(strstr(b.s, ">s</text>"));
	assert_null(strstr(b.s, "class=\"band\""));
	assert_null(strstr(b.s, "class=\"budget\""));
	gt_buf_free(&b);
}

/* ---- side-by-side diff -------------------------------------------------- */

static const char diff_text[] =
	"--- goldens/a.json\n"
	"+++ new run\n"
	"@@ p1 (/bin/x) golden events 1-4, new events 1-5 @@\n"
	" p1    read(3, 16) = 7\n"
	"-p1    openat(AT_FDCWD, \"a<b\", O_RDONLY) = 3\n"
	"+p1    openat(AT_FDCWD, \"a&c\", O_RDONLY) = 3\n"
	"+p1    openat(AT_FDCWD, \"extra.cfg\", O_RDONLY) = 4\n"
	" p1    close(3) = 0\n"
	"       (the recording runs took 1 other path near here)\n";

static void test_htmldiff(void **state)
{
	struct gt_buf b = {0};
	size_t shown;

	(void)state;
	shown = gt_htmldiff(&b, diff_text, 0);
	assert_int_equal(shown, 5);
	assert_non_null(strstr(b.s, "<th colspan=\"2\">goldens/a.json</th><th colspan=\"2\">new run</th>"));
	assert_non_null(strstr(b.s, "<tr class=\"hunk\"><td colspan=\"4\">@@ p1 (/bin/x)"));
	/* Context on both sides. */
	assert_int_equal(count(b.s, "<tr class=\"ctx\">"), 2);
	assert_int_equal(count(b.s, "read(3, 16) = 7</td>"), 2);
	/* The removed line paired with the first added one, the differing
	 * part marked and escaped; the second added line against nothing. */
	assert_int_equal(count(b.s, "<tr class=\"change\">"), 2);
	assert_non_null(strstr(b.s, "<td class=\"del\">p1    openat(AT_FDCWD, &quot;a<mark>&lt;b</mark>"
				    "&quot;, O_RDONLY) = 3</td>"));
	assert_null(strstr(b.s, "\"a<b"));
	assert_non_null(strstr(b.s, "<mark>&amp;c</mark>"));
	assert_non_null(strstr(b.s, "<td class=\"sign empty\"></td><td class=\"empty\"></td>"
				    "<td class=\"sign add\">+</td><td class=\"add\">p1    openat(AT_FDCWD, "
				    "&quot;extra.cfg&quot;, O_RDONLY) = 4</td>"));
	assert_non_null(strstr(b.s, "<tr class=\"note\"><td colspan=\"4\">       (the recording"));
	assert_null(strstr(b.s, "more line"));
	gt_buf_free(&b);
}

static void test_htmldiff_utf8_and_cut(void **state)
{
	struct gt_buf text = {0}, b = {0};
	size_t shown;

	(void)state;
	/* The marked part never splits a character: é (c3 a9) against è
	 * (c3 a8) share their first byte. */
	gt_htmldiff(&b, "-x \xc3\xa9\n+x \xc3\xa8\n", 0);
	assert_non_null(strstr(b.s, "<mark>\xc3\xa9</mark>"));
	assert_non_null(strstr(b.s, "<mark>\xc3\xa8</mark>"));
	assert_non_null(strstr(b.s, "<th colspan=\"2\">golden</th>"));
	gt_buf_free(&b);

	for (int i = 0; i < 2000; i++)
		gt_buf_printf(&text, "+p1    write(1, \"line %d\", 7) = 7\n", i);
	shown = gt_htmldiff(&b, text.s, 16 << 10);
	assert_true(shown > 10 && shown < 2000);
	assert_true(b.len < (16 << 10) + 1024);
	{
		char want[128];

		snprintf(want, sizeof(want), "&hellip; %zu more lines not shown", 2000 - shown);
		assert_non_null(strstr(b.s, want));
	}
	assert_non_null(strstr(b.s, "</tbody>\n</table>\n"));
	gt_buf_free(&b);
	gt_buf_free(&text);
}

/* ---- plot data ---------------------------------------------------------- */

static struct gt_trace *trace_of(const char *const *names, const double *calls, size_t n,
				 const double *walls, size_t nruns)
{
	struct gt_trace *t = gt_trace_new();

	for (size_t i = 0; i < n; i++) {
		struct gt_syscall_stat *s = gt_trace_sysstat(t, names[i]);

		s->calls = (struct gt_stat){calls[i], calls[i], 0, calls[i]};
	}
	for (size_t i = 0; i < nruns; i++) {
		struct gt_run_sample r = {.wall_s = walls[i], .syscalls = 40 + (double)i,
					  .max_rss_kb = 1024, .anon_bytes = -1};

		gt_trace_add_run(t, &r);
	}
	gt_trace_restat_runs(t);
	return t;
}

static void test_plotdata(void **state)
{
	static const char *const gn[] = {"close", "openat", "read", "write"};
	static const char *const nn[] = {"close", "connect", "openat", "read", "write"};
	double gc[] = {7, 7, 100, 3}, nc[] = {8, 1, 9, 100, 3};
	double gw[] = {0.10, 0.12, 0.11}, nw[] = {0.5};
	struct gt_trace *g = trace_of(gn, gc, 4, gw, 3), *n = trace_of(nn, nc, 5, nw, 1);
	struct gt_plotdata *p = gt_plotdata_new(g, n, NULL);

	(void)state;
	/* Largest change first, then the larger count, then the name. */
	assert_int_equal(p->ncounts, 5);
	assert_string_equal(p->counts[0].name, "openat");
	assert_true(p->counts[0].golden == 7 && p->counts[0].new_ == 9);
	assert_string_equal(p->counts[1].name, "close");
	assert_string_equal(p->counts[2].name, "connect");
	assert_true(p->counts[2].golden == 0 && p->counts[2].new_ == 1);
	assert_string_equal(p->counts[3].name, "read");
	assert_string_equal(p->counts[4].name, "write");
	/* The runs and their medians. */
	assert_int_equal(p->ngolden_wall, 3);
	assert_int_equal(p->nnew_wall, 1);
	assert_true(fabs(p->golden.wall_s - 0.11) < 1e-12);
	assert_true(fabs(p->new_.wall_s - 0.5) < 1e-12);
	assert_true(fabs(p->golden.syscalls - 41) < 1e-12);
	assert_true(fabs(p->new_.rss_kb - 1024) < 1e-12);
	/* The band covers the golden's runs; no budgets without a case. */
	assert_true(p->band);
	assert_true(p->band_lo <= 0.10 && p->band_hi >= 0.12 && p->band_hi < 0.5);
	assert_true(p->budget_ms == 0 && p->budget_syscalls == 0 && p->budget_rss_bytes == 0);
	gt_plotdata_free(p);
	gt_plotdata_free(NULL);
	gt_trace_free(g);
	gt_trace_free(n);
}

/* ---- the page ----------------------------------------------------------- */

static void fill_plot(struct gt_case_result *c, size_t nsys, size_t nruns)
{
	struct gt_plotdata *p = xcalloc(1, sizeof(*p));

	p->counts = xcalloc(nsys, sizeof(*p->counts));
	p->ncounts = nsys;
	for (size_t i = 0; i < nsys; i++)
		p->counts[i] = (struct gt_plot_count){xasprintf("sys%zu", i), (double)(nsys - i),
						      (double)(2 * (nsys - i))};
	p->golden_wall = xcalloc(nruns, sizeof(double));
	p->ngolden_wall = nruns;
	for (size_t i = 0; i < nruns; i++)
		p->golden_wall[i] = 0.1 + 0.001 * (double)i;
	p->new_wall = xcalloc(1, sizeof(double));
	p->new_wall[0] = 0.4;
	p->nnew_wall = 1;
	p->band = true;
	p->band_lo = 0.05;
	p->band_hi = 0.2;
	p->budget_ms = 300;
	p->budget_syscalls = 10;
	p->new_ = (struct gt_plot_measures){0.4, 120, 2048};
	p->golden = (struct gt_plot_measures){0.1, 100, 2048};
	c->plot = p;
}

static void small_report(struct gt_report *r)
{
	struct gt_case_result *c;

	c = gt_report_add(r, "good");
	c->verdict.verdict = GT_VERDICT_PASS;
	c->seconds = 0.02;
	fill_plot(c, 3, 3);
	c = gt_report_add(r, "bad<script>alert(1)</script>");
	c->verdict.verdict = GT_VERDICT_REGRESSION;
	c->verdict.kinds = GT_KIND_SEQUENCE;
	c->diff_text = xstrdup(diff_text);
	c->golden_path = xstrdup("goldens/bad.json");
	c->new_path = xstrdup("goldens/bad.new.json");
	fill_plot(c, 20, 5);
	c = gt_report_add(r, "broken");
	c->verdict.verdict = GT_VERDICT_ERROR;
	c->error = xstrdup("no golden <here> & there");
	gt_report_add_obsolete(r, "goldens/old&.json");
}

static void test_page(void **state)
{
	struct gt_report r = {0};
	struct gt_buf b = {0};

	(void)state;
	small_report(&r);
	gt_report_html_render(&r, &b);
	assert_true(strncmp(b.s, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(b.s, "</html>\n"));
	/* Nothing to fetch, nothing to run, and a policy that forbids it. */
	assert_null(strstr(b.s, "http://"));
	assert_null(strstr(b.s, "https://"));
	assert_null(strstr(b.s, "<script"));
	assert_null(strstr(b.s, "<link"));
	assert_null(strstr(b.s, "src="));
	assert_null(strstr(b.s, "@import"));
	assert_non_null(strstr(b.s, "content=\"default-src 'none'; style-src 'unsafe-inline'\""));
	/* The verdict table: a row per case, verdicts marked. */
	assert_non_null(strstr(b.s, "<title>gtdiff: 1 passed, 1 failed, 1 error</title>"));
	assert_non_null(strstr(b.s, "<tr data-verdict=\"pass\" data-case=\"good\">"));
	assert_non_null(strstr(b.s, "data-case=\"bad&lt;script&gt;alert(1)&lt;/script&gt;\""));
	assert_non_null(strstr(b.s, "<td class=\"verdict regression\">FAIL</td>"));
	assert_non_null(strstr(b.s, "<td class=\"verdict error\">ERROR</td>"));
	/* Measurements, one over its budget, and the budgets. */
	assert_non_null(strstr(b.s, "<td class=\"num over\" title=\"golden median: 100.0 ms\">400.0 ms</td>"));
	assert_non_null(strstr(b.s, "<td class=\"num over\" title=\"golden median: 100\">120</td>"));
	assert_non_null(strstr(b.s, ">2.0 MiB</td>"));
	assert_non_null(strstr(b.s, "time &le; 300.0 ms, syscalls &le; 10"));
	/* Sections: the failing one open with its diff and plots, top 12. */
	assert_non_null(strstr(b.s, "<details open><summary><h2>bad&lt;script&gt;"));
	assert_non_null(strstr(b.s, "<details><summary><h2>good</h2>"));
	assert_int_equal(count(b.s, "<table class=\"diff\">"), 1);
	assert_non_null(strstr(b.s, "(top 12 of 20, largest change first)"));
	assert_non_null(strstr(b.s, "(all 3 of 3, largest change first)"));
	assert_int_equal(count(b.s, "<figure class=\"walls\">"), 2);
	assert_non_null(strstr(b.s, "no golden &lt;here&gt; &amp; there"));
	assert_non_null(strstr(b.s, "goldens/old&amp;.json"));
	gt_buf_free(&b);
	gt_report_free(&r);
}

/* 100 failing cases, each with a diff at the --max-diff-lines limit and
 * long lines, 300 syscalls and 1000 recorded runs: under 2 MiB, every
 * diff shown in part. */
static void test_page_size(void **state)
{
	struct gt_report r = {0};
	struct gt_buf b = {0}, diff = {0};

	(void)state;
	gt_buf_puts(&diff, "--- goldens/x.json\n+++ new run\n@@ p1 @@\n");
	for (int i = 0; i < 200; i++)
		gt_buf_printf(&diff, "%cp1    openat(AT_FDCWD, \"%0200d\", O_RDONLY) = 3\n",
			      i % 2 ? '+' : '-', i);
	for (int i = 0; i < 100; i++) {
		char name[32];
		struct gt_case_result *c;

		snprintf(name, sizeof(name), "case-%03d", i);
		c = gt_report_add(&r, name);
		c->verdict.verdict = GT_VERDICT_REGRESSION;
		c->verdict.kinds = GT_KIND_SEQUENCE | GT_KIND_COUNTS;
		c->diff_text = xstrdup(diff.s);
		fill_plot(c, 300, 1000);
	}
	gt_report_html_render(&r, &b);
	print_message("100 cases: %zu bytes\n", b.len);
	assert_true(b.len < (size_t)2 << 20);
	assert_int_equal(count(b.s, "<table class=\"diff\">"), 100);
	assert_int_equal(count(b.s, "more lines not shown here"), 100);
	assert_int_equal(count(b.s, "class=\"whisker\""), 100);
	gt_buf_free(&b);
	gt_buf_free(&diff);
	gt_report_free(&r);
}

static void test_write(void **state)
{
	struct gt_report r = {0};
	struct gt_error err = {0};
	char dir[] = "/tmp/gtdiff-html-XXXXXX", *path, *bad, *data;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/r.html", dir);
	bad = xasprintf("%s/no/such/dir/r.html", dir);
	small_report(&r);
	assert_int_equal(gt_report_html(&r, path, &err), GT_OK);
	f = fopen(path, "r");
	assert_non_null(f);
	data = xmalloc(1 << 20);
	len = fread(data, 1, (1 << 20) - 1, f);
	fclose(f);
	data[len] = '\0';
	assert_non_null(strstr(data, "data-case=\"good\""));
	/* A directory that is not there: an error naming the file. */
	assert_int_equal(gt_report_html(&r, bad, &err), GT_ERR_IO);
	assert_non_null(strstr(err.msg, bad));
	unlink(path);
	rmdir(dir);
	free(data);
	free(path);
	free(bad);
	gt_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markup_specials),
		cmocka_unit_test(test_markup_bytes),
		cmocka_unit_test(test_svg_scale),
		cmocka_unit_test(test_svg_ticks),
		cmocka_unit_test(test_svg_elements),
		cmocka_unit_test(test_plot_bars_scale),
		cmocka_unit_test(test_plot_strip_scale),
		cmocka_unit_test(test_plot_strip_box),
		cmocka_unit_test(test_htmldiff),
		cmocka_unit_test(test_htmldiff_utf8_and_cut),
		cmocka_unit_test(test_plotdata),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_page_size),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

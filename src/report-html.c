/*
 * report-html: the check as one self-contained HTML page (--report-html
 * FILE) for a person reading a CI run: the verdict table (case, verdict,
 * the new run's wall time, syscalls and peak RSS, the budgets), then a
 * section per case: its violations, the side-by-side diff of a failing
 * case (htmldiff.h), and two inline SVG plots (plot.h): the calls of the
 * syscalls that changed most, golden against new, and the wall times of
 * the golden's recording runs against their band and the new run.
 *
 * Nothing is fetched: the style is inline, there is no script, and a
 * Content-Security-Policy forbids every load, so that whatever a case
 * name, a path or an event text holds (all of it escaped, markup.h) the
 * page stays inert.  Diffs share a byte budget, so that 100 failing cases
 * stay well under 2 MiB; a cut diff says so and points to the terminal
 * and JSON reports, which have it whole.
 */
#include "config.h"

#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "htmldiff.h"
#include "markup.h"
#include "plot.h"
#include "plotdata.h"

/* The syscalls a bar chart shows: those that changed most. */
#define TOP_SYSCALLS 12
/* The diffs' share of the page, and the least any one diff gets. */
#define DIFF_BUDGET ((size_t)768 << 10)
#define DIFF_MIN ((size_t)8 << 10)

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
	"h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.15em;margin:0;display:inline}"
	"table{border-collapse:collapse}"
	".verdicts td,.verdicts th{border-bottom:1px solid #ddd;padding:.25em .7em;"
	"text-align:left}.verdicts td.num{text-align:right;font-variant-numeric:tabular-nums}"
	".verdict{font-weight:bold}.pass{color:#1a7f37}.improved{color:#0969da}"
	".regression{color:#cf222e}.error{color:#9a6700}.over{color:#cf222e;font-weight:bold}"
	".budgets{color:#555;font-size:.9em}"
	"section.case{border:1px solid #ccc;border-radius:6px;margin:1em 0;padding:.6em 1em}"
	"section.case>details>summary{cursor:pointer}"
	"ul.violations{margin:.4em 0}pre.message{white-space:pre-wrap;margin:.4em 0}"
	".diff{font:12px/1.35 ui-monospace,monospace;width:100%;table-layout:fixed;margin:.6em 0}"
	".diff col.sign{width:1.5em}.diff th{background:#f3f3f3;text-align:left;padding:.2em .4em}"
	".diff td{white-space:pre-wrap;word-break:break-all;padding:0 .3em;vertical-align:top}"
	".diff td.del{background:#ffebe9}.diff td.add{background:#dafbe1}"
	".diff td.del mark{background:#ff818266}.diff td.add mark{background:#4ac26b66}"
	".diff td.empty{background:#f6f8fa}.diff tr.hunk td{background:#ddf4ff;color:#555}"
	".diff tr.note td{color:#555;font-style:italic}"
	".plots{display:flex;flex-wrap:wrap;gap:1.5em}figure{margin:.5em 0}"
	"figcaption{font-size:.9em;color:#555}"
	"svg text{font:11px system-ui,sans-serif;fill:#333}svg .legend{font-size:12px}"
	"svg .bar.golden,svg rect.golden{fill:#8c959f}svg .bar.new{fill:#0969da}"
	"svg .bar.new.up{fill:#cf222e}svg .bar.new.down{fill:#1a7f37}"
	"svg circle.golden{fill:#8c959f}svg circle.new{fill:#cf222e}svg rect.new{fill:#cf222e}"
	"svg .band{fill:#0969da1f;stroke:#0969da55}svg .median{stroke:#222;stroke-width:1.5}"
	"svg .budget{stroke:#cf222e;stroke-dasharray:4 3}svg .axis,svg .whisker{stroke:#555}";

static void esc(struct gt_buf *b, const char *s)
{
	gt_markup_escape_str(b, s, 0);
}

/* Append "12.3 ms" or "1.23 s"; a dash when not measured. */
static void seconds(struct gt_buf *b, double s)
{
	if (!(s > 0) || !isfinite(s))
		gt_buf_puts(b, "&ndash;");
	else if (s < 1)
		gt_buf_printf(b, "%.1f ms", s * 1000);
	else
		gt_buf_printf(b, "%.2f s", s);
}

static void bytes(struct gt_buf *b, double n)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	size_t u = 0;

	if (!(n > 0) || !isfinite(n)) {
		gt_buf_puts(b, "&ndash;");
		return;
	}
	while (n >= 1024 && u + 1 < GT_ARRAY_SIZE(units)) {
		n /= 1024;
		u++;
	}
	gt_buf_printf(b, u ? "%.1f %s" : "%.0f %s", n, units[u]);
}

/* A measurement cell, marked when over its budget (LIMIT > 0). */
static void measure_cell(struct gt_buf *b, const char *kind, double v, double limit,
			 double golden)
{
	bool over = limit > 0 && v > limit;

	gt_buf_printf(b, "<td class=\"num%s\" title=\"golden median: ", over ? " over" : "");
	if (strcmp(kind, "s") == 0)
		seconds(b, golden);
	else if (strcmp(kind, "kb") == 0)
		bytes(b, golden * 1024);
	else
		gt_buf_printf(b, "%.0f", golden);
	gt_buf_puts(b, "\">");
	if (strcmp(kind, "s") == 0)
		seconds(b, v);
	else if (strcmp(kind, "kb") == 0)
		bytes(b, v * 1024);
	else if (v > 0 && isfinite(v))
		gt_buf_printf(b, "%.0f", v);
	else
		gt_buf_puts(b, "&ndash;");
	gt_buf_puts(b, "</td>");
}

static void budgets(struct gt_buf *b, const struct gt_plotdata *p)
{
	bool any = false;

	gt_buf_puts(b, "<td class=\"budgets\">");
	if (p && p->budget_ms > 0) {
		gt_buf_puts(b, "time &le; ");
		seconds(b, p->budget_ms / 1000);
		any = true;
	}
	if (p && p->budget_syscalls) {
		gt_buf_printf(b, "%ssyscalls &le; %" PRIu64, any ? ", " : "", p->budget_syscalls);
		any = true;
	}
	if (p && p->budget_rss_bytes) {
		gt_buf_printf(b, "%sRSS &le; ", any ? ", " : "");
		bytes(b, (double)p->budget_rss_bytes);
		any = true;
	}
	if (!any)
		gt_buf_puts(b, "&ndash;");
	gt_buf_puts(b, "</td>");
}

/* The CSS class and the label of a verdict. */
static const char *verdict_label(enum gt_verdict_kind v)
{
	switch (v) {
	case GT_VERDICT_PASS:
		return "PASS";
	case GT_VERDICT_IMPROVED:
		return "IMPROVED";
	case GT_VERDICT_REGRESSION:
		return "FAIL";
	case GT_VERDICT_ERROR:
		break;
	}
	return "ERROR";
}

static void table(struct gt_buf *b, const struct gt_report *r)
{
	gt_buf_puts(b, "<table class=\"verdicts\">\n<thead><tr><th>case</th><th>verdict</th>"
		    "<th>wall time</th><th>syscalls</th><th>peak RSS</th><th>budgets</th>"
		    "<th>took</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->ncases; i++) {
		const struct gt_case_result *c = &r->cases[i];
		const struct gt_plotdata *p = c->plot;
		const char *v = gt_verdict_name(c->verdict.verdict);

		gt_buf_printf(b, "<tr data-verdict=\"%s\" data-case=\"", v);
		gt_markup_escape_str(b, c->name, GT_MARKUP_ATTR);
		gt_buf_printf(b, "\"><td><a href=\"#case-%zu\">", i + 1);
		esc(b, c->name);
		gt_buf_printf(b, "</a></td><td class=\"verdict %s\">%s</td>", v,
			      verdict_label(c->verdict.verdict));
		if (p) {
			measure_cell(b, "s", p->new_.wall_s, p->budget_ms / 1000, p->golden.wall_s);
			measure_cell(b, "n", p->new_.syscalls, (double)p->budget_syscalls,
				     p->golden.syscalls);
			measure_cell(b, "kb", p->new_.rss_kb, (double)p->budget_rss_bytes / 1024,
				     p->golden.rss_kb);
		} else {
			gt_buf_puts(b, "<td class=\"num\">&ndash;</td><td class=\"num\">&ndash;</td>"
				    "<td class=\"num\">&ndash;</td>");
		}
		budgets(b, p);
		gt_buf_puts(b, "<td class=\"num\">");
		seconds(b, c->seconds);
		gt_buf_puts(b, "</td></tr>\n");
	}
	gt_buf_puts(b, "</tbody>\n</table>\n");
}

static void plots(struct gt_buf *b, const struct gt_plotdata *p)
{
	struct gt_plot_bar bars[TOP_SYSCALLS];
	size_t n = p->ncounts < TOP_SYSCALLS ? p->ncounts : TOP_SYSCALLS;
	struct gt_plot_strip s = {
		.golden = p->golden_wall, .ngolden = p->ngolden_wall,
		.new_ = p->new_wall, .nnew = p->nnew_wall,
		.band = p->band, .band_lo = p->band_lo, .band_hi = p->band_hi,
		.budget_s = p->budget_ms / 1000,
	};

	for (size_t i = 0; i < n; i++)
		bars[i] = (struct gt_plot_bar){p->counts[i].name, p->counts[i].golden,
					       p->counts[i].new_};
	gt_buf_puts(b, "<div class=\"plots\">\n");
	if (n) {
		gt_buf_printf(b, "<figure class=\"counts\"><figcaption>calls per syscall, golden and "
			      "new run (%s%zu of %zu, largest change first)</figcaption>\n",
			      n < p->ncounts ? "top " : "all ", n, p->ncounts);
		gt_plot_bars(b, bars, n);
		gt_buf_puts(b, "</figure>\n");
	}
	if (s.ngolden || s.nnew) {
		gt_buf_printf(b, "<figure class=\"walls\"><figcaption>wall time: the golden's %zu "
			      "recording run%s, %s and the new run%s</figcaption>\n", s.ngolden,
			      s.ngolden == 1 ? "" : "s", s.band ? "their band" : "no band",
			      s.nnew == 1 ? "" : "s");
		gt_plot_strip(b, &s);
		gt_buf_puts(b, "</figure>\n");
	}
	gt_buf_puts(b, "</div>\n");
}

static void violations(struct gt_buf *b, const struct gt_case_result *c)
{
	if (!c->verdict.nv)
		return;
	gt_buf_puts(b, "<ul class=\"violations\">\n");
	for (size_t i = 0; i < c->verdict.nv; i++) {
		const struct gt_violation *v = &c->verdict.v[i];

		gt_buf_printf(b, "<li class=\"%s\">", v->improved ? "improved" : "regression");
		esc(b, v->message);
		gt_buf_puts(b, "</li>\n");
	}
	gt_buf_puts(b, "</ul>\n");
}

/* A paragraph "LABEL: TEXT" when TEXT is set. */
static void note(struct gt_buf *b, const char *label, const char *text)
{
	if (!text)
		return;
	gt_buf_printf(b, "<p class=\"note\">%s: ", label);
	esc(b, text);
	gt_buf_puts(b, "</p>\n");
}

static void section(struct gt_buf *b, const struct gt_case_result *c, size_t i, size_t diff_max)
{
	const char *v = gt_verdict_name(c->verdict.verdict);
	bool open = c->verdict.verdict == GT_VERDICT_REGRESSION ||
		    c->verdict.verdict == GT_VERDICT_ERROR;

	gt_buf_printf(b, "<section class=\"case\" data-verdict=\"%s\" id=\"case-%zu\">\n"
		      "<details%s><summary><h2>", v, i + 1, open ? " open" : "");
	esc(b, c->name);
	gt_buf_printf(b, "</h2> <span class=\"verdict %s\">%s</span>", v,
		      verdict_label(c->verdict.verdict));
	if (c->verdict.kinds) {
		struct gt_buf k = {0};

		gt_kinds_format(c->verdict.kinds, &k);
		gt_buf_puts(b, ": ");
		esc(b, k.s);
		gt_buf_free(&k);
	}
	gt_buf_puts(b, "</summary>\n");
	if (c->error) {
		gt_buf_puts(b, "<pre class=\"message error\">");
		esc(b, c->error);
		gt_buf_puts(b, "</pre>\n");
	}
	violations(b, c);
	note(b, "environment", c->env_diff);
	note(b, "golden", c->golden_path);
	note(b, "new run kept as", c->new_path);
	if (c->diff_text)
		gt_htmldiff(b, c->diff_text, diff_max);
	if (c->plot)
		plots(b, c->plot);
	gt_buf_puts(b, "</details>\n</section>\n");
}

/* Each diff's share of the budget. */
static size_t diff_share(const struct gt_report *r)
{
	size_t n = 0, share;

	for (size_t i = 0; i < r->ncases; i++)
		n += r->cases[i].diff_text != NULL;
	share = n ? DIFF_BUDGET / n : DIFF_BUDGET;
	return share > DIFF_MIN ? share : DIFF_MIN;
}

void gt_report_html_render(const struct gt_report *r, struct gt_buf *b)
{
	size_t passed, failed, errors, share = diff_share(r);
	struct gt_buf total = {0};

	gt_report_counts(r, &passed, &failed, &errors);
	gt_buf_printf(&total, "%zu passed, %zu failed", passed, failed);
	if (errors)
		gt_buf_printf(&total, ", %zu error%s", errors, errors == 1 ? "" : "s");
	gt_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'\">\n<meta name=\"viewport\" "
		    "content=\"width=device-width\">\n<title>gtdiff: ");
	gt_buf_puts(b, total.s);
	gt_buf_printf(b, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>gtdiff check</h1>\n"
		      "<p class=\"total\">%s in ", style, total.s);
	seconds(b, r->seconds);
	gt_buf_puts(b, "</p>\n");
	if (r->interrupted) {
		struct gt_buf n = {0};

		gt_report_interrupted_note(r, &n);
		gt_buf_puts(b, "<p class=\"error\">");
		esc(b, n.s);
		gt_buf_puts(b, "</p>\n");
		gt_buf_free(&n);
	}
	table(b, r);
	if (r->nobsolete) {
		gt_buf_printf(b, "<p class=\"%s\">goldens no case names:</p>\n<ul>\n",
			      r->obsolete_fail ? "error" : "note");
		for (size_t i = 0; i < r->nobsolete; i++) {
			gt_buf_puts(b, "<li>");
			esc(b, r->obsolete[i]);
			gt_buf_puts(b, "</li>\n");
		}
		gt_buf_puts(b, "</ul>\n");
	}
	for (size_t i = 0; i < r->ncases; i++)
		section(b, &r->cases[i], i, share);
	gt_buf_puts(b, "</body>\n</html>\n");
	gt_buf_free(&total);
}

enum gt_rc gt_report_html(const struct gt_report *r, const char *path, struct gt_error *err)
{
	struct gt_buf b = {0};
	enum gt_rc rc;

	gt_report_html_render(r, &b);
	rc = gt_write_file_atomic(path, b.s, b.len, err);
	gt_buf_free(&b);
	return rc;
}

/*
 * report-junit: the check as JUnit XML (--junit FILE) for CI dashboards:
 * one <testsuite name="gtdiff"> with a <testcase> per case.  A regression
 * carries a <failure> with the violations and the diff, an error an
 * <error>, an improved case passes with a note in <system-out>; a case
 * that ran has its measurements as <properties> (headroom.h); obsolete
 * goldens under --unreferenced=fail add a failing "obsolete goldens" case.
 * A run cut short by a signal says so twice: a testsuite property
 * "interrupted" (the signal's name) and an erring "run interrupted" case
 * naming how many cases were done, so that a dashboard does not show the
 * part as the whole.
 *
 * Everything the traced program or the user controls is escaped (no CDATA,
 * so that a "]]>" in a diff cannot end a section early); control
 * characters XML 1.0 cannot carry are dropped and bytes that are not UTF-8
 * become U+FFFD, so that the file always parses.
 */
#include "config.h"

#include "markup.h"
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Append S escaped for XML text, or for a double-quoted attribute when
 * ATTR (where newlines and tabs must be character references to survive
 * attribute-value normalisation). */
static void esc(struct gt_buf *b, const char *s, bool attr)
{
	gt_markup_escape_str(b, s, attr ? GT_MARKUP_ATTR : 0);
}

/* Append TEXT escaped, ending it with a newline if it has none. */
static void esc_block(struct gt_buf *b, const char *text)
{
	size_t n = strlen(text);

	if (n == 0)
		return;
	esc(b, text, false);
	if (text[n - 1] != '\n')
		gt_buf_putc(b, '\n');
}

/* A duration for a time="" attribute, which dashboards parse as a number. */
static double secs(double s)
{
	return isfinite(s) && s > 0 ? s : 0;
}

static void open_case(struct gt_buf *b, const char *name, double seconds)
{
	gt_buf_puts(b, "    <testcase classname=\"gtdiff\" name=\"");
	esc(b, name, true);
	gt_buf_printf(b, "\" time=\"%.3f\"", secs(seconds));
}

static void violations(struct gt_buf *b, const struct gt_case_result *c, bool improved)
{
	for (size_t i = 0; i < c->verdict.nv; i++) {
		const struct gt_violation *v = &c->verdict.v[i];

		if (v->improved != improved)
			continue;
		gt_buf_puts(b, "- ");
		esc(b, v->message ? v->message : v->metric ? v->metric : "?", false);
		gt_buf_putc(b, '\n');
	}
}

static void regression(struct gt_buf *b, const struct gt_case_result *c)
{
	struct gt_buf kinds = {0};

	gt_kinds_format(c->verdict.kinds, &kinds);
	gt_buf_puts(b, "      <failure message=\"");
	esc(b, kinds.len ? kinds.s : "regression", true);
	gt_buf_puts(b, "\" type=\"regression\">");
	gt_buf_free(&kinds);
	violations(b, c, false);
	/* Where the added and changed calls were made (explain.h). */
	for (size_t i = 0; i < c->nlocations; i++) {
		gt_buf_puts(b, i ? "- " : "located:\n- ");
		esc(b, c->locations[i].event, false);
		gt_buf_puts(b, " at ");
		esc(b, c->locations[i].where, false);
		gt_buf_putc(b, '\n');
	}
	if (c->diff_text && c->diff_text[0]) {
		if (c->verdict.nv)
			gt_buf_putc(b, '\n');
		esc_block(b, c->diff_text);
	}
	if (c->new_path) {
		struct gt_buf hint = {0};

		gt_report_kept_hint(c, &hint);
		esc(b, hint.s, false);
		gt_buf_putc(b, '\n');
		gt_buf_free(&hint);
	}
	gt_buf_puts(b, "</failure>\n    </testcase>\n");
}

/* The case's measurements (headroom.h) as <properties>: "gtdiff.headroom"
 * the line people read, "gtdiff.wall_s"... the numbers. */
static void properties(struct gt_buf *b, const struct gt_headroom *h)
{
	struct gt_headroom_prop p[GT_HEADROOM_MAX_PROPS];
	size_t n = gt_headroom_props(h, p);
	struct gt_buf text = {0};

	if (!gt_headroom_any(h))
		return;
	gt_headroom_text(h, &text);
	gt_buf_puts(b, "      <properties>\n        <property name=\"gtdiff.headroom\" value=\"");
	esc(b, text.s, true);
	gt_buf_puts(b, "\"/>\n");
	gt_buf_free(&text);
	for (size_t i = 0; i < n; i++)
		gt_buf_printf(b, "        <property name=\"gtdiff.%s\" value=\"%.15g\"/>\n",
			      p[i].name, isfinite(p[i].value) ? p[i].value : 0);
	gt_buf_puts(b, "      </properties>\n");
}

static void one_case(struct gt_buf *b, const struct gt_case_result *c)
{
	const char *msg = c->error ? c->error : "unknown error";
	struct gt_buf hint = {0};

	open_case(b, c->name, c->seconds);
	if (c->verdict.verdict == GT_VERDICT_PASS && !gt_headroom_any(&c->headroom)) {
		gt_buf_puts(b, "/>\n");
		return;
	}
	gt_buf_puts(b, ">\n");
	properties(b, &c->headroom);
	switch (c->verdict.verdict) {
	case GT_VERDICT_PASS:
		gt_buf_puts(b, "    </testcase>\n");
		break;
	case GT_VERDICT_IMPROVED:
		gt_report_improved_hint(c, &hint);
		gt_buf_puts(b, "      <system-out>improved: ");
		esc(b, hint.s, false);
		gt_buf_putc(b, '\n');
		gt_buf_free(&hint);
		violations(b, c, true);
		gt_buf_puts(b, "</system-out>\n    </testcase>\n");
		break;
	case GT_VERDICT_REGRESSION:
		regression(b, c);
		break;
	case GT_VERDICT_ERROR:
	default:
		gt_buf_puts(b, "      <error message=\"");
		esc(b, msg, true);
		gt_buf_puts(b, "\" type=\"error\">");
		esc_block(b, msg);
		gt_buf_puts(b, "</error>\n    </testcase>\n");
		break;
	}
}

enum gt_rc gt_report_junit(const struct gt_report *r, const char *path, struct gt_error *err)
{
	struct gt_buf b = {0};
	size_t tests = r->ncases, failures = 0, errors = 0;
	bool obsolete = r->obsolete_fail && r->nobsolete;
	double seconds;
	enum gt_rc rc;

	for (size_t i = 0; i < r->ncases; i++) {
		if (r->cases[i].verdict.verdict == GT_VERDICT_REGRESSION)
			failures++;
		else if (r->cases[i].verdict.verdict != GT_VERDICT_PASS &&
			 r->cases[i].verdict.verdict != GT_VERDICT_IMPROVED)
			errors++;
	}
	if (obsolete) {
		tests++;
		failures++;
	}
	if (r->interrupted) {
		tests++;
		errors++;
	}
	seconds = secs(r->seconds);
	gt_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	gt_buf_printf(&b,
		      "<testsuites name=\"gtdiff\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\""
		      " time=\"%.3f\">\n", tests, failures, errors, seconds);
	gt_buf_printf(&b,
		      "  <testsuite name=\"gtdiff\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\""
		      " skipped=\"0\" time=\"%.3f\">\n", tests, failures, errors, seconds);
	if (r->interrupted) {
		gt_buf_printf(&b, "    <properties>\n      <property name=\"interrupted\""
			      " value=\"%s\"/>\n", gt_signal_name(r->interrupted));
		if (r->planned)
			gt_buf_printf(&b, "      <property name=\"planned\" value=\"%zu\"/>\n",
				      r->planned);
		gt_buf_puts(&b, "    </properties>\n");
	}
	for (size_t i = 0; i < r->ncases; i++)
		one_case(&b, &r->cases[i]);
	if (obsolete) {
		open_case(&b, "obsolete goldens", 0);
		gt_buf_printf(&b, ">\n      <failure message=\"%zu obsolete golden%s\""
			      " type=\"obsolete\">", r->nobsolete, r->nobsolete == 1 ? "" : "s");
		for (size_t i = 0; i < r->nobsolete; i++) {
			esc(&b, r->obsolete[i], false);
			gt_buf_puts(&b, " (no case refers to it)\n");
		}
		gt_buf_puts(&b, "</failure>\n    </testcase>\n");
	}
	if (r->interrupted) {
		struct gt_buf note = {0};

		gt_report_interrupted_note(r, &note);
		open_case(&b, "run interrupted", 0);
		gt_buf_puts(&b, ">\n      <error message=\"");
		esc(&b, note.s, true);
		gt_buf_puts(&b, "\" type=\"interrupted\">");
		esc_block(&b, note.s);
		gt_buf_puts(&b, "</error>\n    </testcase>\n");
		gt_buf_free(&note);
	}
	gt_buf_puts(&b, "  </testsuite>\n</testsuites>\n");
	rc = gt_write_file_atomic(path, b.s, b.len, err);
	gt_buf_free(&b);
	return rc;
}

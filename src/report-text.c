/*
 * report-text: the terminal report of a check.  One line per case with its
 * verdict, then for each failure the diff, the band violations and how to
 * accept the new run, the obsolete goldens, and the closing line
 * "N passed, M failed".  The verdict labels share one column width so that
 * the case names line up.
 *
 * Case names, messages, paths and diffs hold text the user, a golden file
 * or the traced program controls: all of it is printed through
 * gt_escape(), so that it can neither drive the terminal nor forge a line
 * (or, under GitHub Actions, a workflow command).
 */
#include "config.h"

#include "report.h"
#include "syscalls.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "count-groups.h"

#define GREEN "\033[32m"
#define RED "\033[31m"
#define CYAN "\033[36m"
#define MAGENTA "\033[35m"
#define RESET "\033[0m"

/* "IMPROVED" and two spaces. */
#define LABEL_WIDTH 10

/* Print LABEL padded to the label column, coloured when asked. */
static void label(FILE *f, const struct gt_text_opts *o, const char *lbl, const char *color)
{
	int pad = LABEL_WIDTH - (int)strlen(lbl);

	if (o->color)
		fprintf(f, "%s%s%s", color, lbl, RESET);
	else
		fputs(lbl, f);
	fprintf(f, "%*s", pad > 1 ? pad : 1, "");
}

/* Print FMT escaped: FLAGS says whether it starts its line (see escape.h).
 * The format strings here hold no control characters, so escaping the
 * whole text escapes exactly the strings it quotes. */
static void __attribute__((format(printf, 3, 4)))
putf(FILE *f, unsigned flags, const char *fmt, ...)
{
	struct gt_buf raw = {0}, out = {0};
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	gt_escape(&out, raw.s, raw.len, flags);
	if (out.len)
		fputs(out.s, f);
	gt_buf_free(&raw);
	gt_buf_free(&out);
}

/* Print the diff TEXT, ending it with a newline if it has none.
 * gt_diff_render escaped what it quotes; the plain text is escaped once
 * more line by line (a no-op on escaped text), the coloured one must keep
 * its colour sequences. */
static void block(FILE *f, const char *text, bool color)
{
	size_t n = strlen(text);

	if (n == 0)
		return;
	if (color)
		fputs(text, f);
	else
		putf(f, GT_ESC_KEEP_NL, "%s", text);
	if (text[n - 1] != '\n')
		fputc('\n', f);
}

/* The count changes that follow from the sequence change, under it: one
 * line, or (ALL) a heading and each of them. */
static void explained(FILE *f, const struct gt_case_result *c, bool all)
{
	struct gt_buf b = {0};

	gt_count_groups_line(&c->verdict, !all, &b);
	if (b.len) {
		putf(f, 0, "    %s", b.s);
		fputc('\n', f);
	}
	gt_buf_free(&b);
	for (size_t i = 0; all && i < c->verdict.nv; i++) {
		if (!c->verdict.v[i].explained)
			continue;
		putf(f, 0, "      - %s", c->verdict.v[i].message);
		fputc('\n', f);
	}
}

/* The violations of C as "  - message" lines: the regressions, and the
 * improvements too when ALL. */
static void violations(FILE *f, const struct gt_case_result *c, bool all)
{
	for (size_t i = 0; i < c->verdict.nv; i++) {
		const struct gt_violation *v = &c->verdict.v[i];

		if ((v->improved && !all) || v->explained)
			continue;
		putf(f, 0, "  - %s", v->message ? v->message : v->metric ? v->metric : "?");
		fputc('\n', f);
		if (v->kind == GT_KIND_SEQUENCE)
			explained(f, c, all);
	}
}

/* With -v, every case's measurements against its budgets and bands. */
static void headroom(FILE *f, const struct gt_case_result *c, const struct gt_text_opts *o)
{
	struct gt_buf b = {0};

	if (o->verbosity <= 0 || !gt_headroom_any(&c->headroom))
		return;
	gt_headroom_text(&c->headroom, &b);
	fprintf(f, "  headroom: %s\n", b.s);
	gt_buf_free(&b);
}

/* What to do with the kept run (gt_report_kept_hint). */
static void kept_hint(FILE *f, const struct gt_case_result *c)
{
	struct gt_buf hint = {0};

	gt_report_kept_hint(c, &hint);
	putf(f, 0, "  %s", hint.s);
	fputc('\n', f);
	gt_buf_free(&hint);
}

static void failure(FILE *f, const struct gt_case_result *c, const struct gt_text_opts *o)
{
	struct gt_buf kinds = {0};
	const char *diff = o->color && c->diff_text_color ? c->diff_text_color : c->diff_text;

	gt_kinds_format(c->verdict.kinds, &kinds);
	label(f, o, "FAIL", RED);
	putf(f, GT_ESC_INLINE, "%s  (%.2f s)", c->name, c->seconds);
	if (kinds.len)
		fprintf(f, ": %s", kinds.s);
	fputc('\n', f);
	gt_buf_free(&kinds);
	if (diff && o->diffs_folded) {
		putf(f, 0, "  the diff is in the folded group 'gtdiff diff: %s' above", c->name);
		fputc('\n', f);
	} else if (diff)
		block(f, diff, diff == c->diff_text_color);
	violations(f, c, o->verbosity > 0);
	headroom(f, c, o);
	if (c->reruns && c->timing_outcome == GT_TIMING_DIFFERENT)
		fprintf(f, "  timing: different from the golden after %u rerun%s (Mann-Whitney "
			"p=%.3g over the runs)\n", c->reruns, c->reruns == 1 ? "" : "s",
			c->timing_p);
	else if (c->reruns)
		fprintf(f, "  timing: undecided after %u rerun%s (Mann-Whitney p=%.3g); the "
			"runs' medians are out of tolerance\n", c->reruns,
			c->reruns == 1 ? "" : "s", c->timing_p);
	if (c->env_diff) {
		putf(f, 0, "  environment (golden -> this run): %s", c->env_diff);
		fputc('\n', f);
	}
	if (c->new_path)
		kept_hint(f, c);
}

void gt_report_text(const struct gt_report *r, const struct gt_text_opts *o, FILE *f)
{
	static const struct gt_text_opts defaults = {0};
	bool quiet;
	size_t passed, failed, errors;

	if (!o)
		o = &defaults;
	quiet = o->verbosity < 0;
	for (size_t i = 0; i < r->ncases; i++) {
		const struct gt_case_result *c = &r->cases[i];
		struct gt_buf hint = {0};

		switch (c->verdict.verdict) {
		case GT_VERDICT_PASS:
			if (quiet)
				break;
			label(f, o, "PASS", GREEN);
			putf(f, GT_ESC_INLINE, "%s  (%.2f s)", c->name, c->seconds);
			if (c->reruns)
				fprintf(f, ": timing the same as the golden's after %u rerun%s",
					c->reruns, c->reruns == 1 ? "" : "s");
			fputc('\n', f);
			headroom(f, c, o);
			break;
		case GT_VERDICT_IMPROVED:
			if (quiet)
				break;
			gt_report_improved_hint(c, &hint);
			label(f, o, "IMPROVED", CYAN);
			putf(f, GT_ESC_INLINE, "%s  (%.2f s): %s", c->name, c->seconds, hint.s);
			fputc('\n', f);
			gt_buf_free(&hint);
			if (o->verbosity > 0)
				violations(f, c, true);
			headroom(f, c, o);
			break;
		case GT_VERDICT_REGRESSION:
			failure(f, c, o);
			break;
		case GT_VERDICT_ERROR:
		default:
			label(f, o, "ERROR", MAGENTA);
			putf(f, GT_ESC_INLINE, "%s: %s", c->name, c->error ? c->error : "unknown error");
			fputc('\n', f);
			if (c->new_path)
				kept_hint(f, c);
			break;
		}
	}
	for (size_t i = 0; i < r->nobsolete; i++) {
		if (r->obsolete_fail)
			label(f, o, "ERROR", MAGENTA);
		else if (quiet)
			continue;
		putf(f, r->obsolete_fail ? GT_ESC_INLINE : 0, "obsolete golden: %s (no case refers to it)",
		     r->obsolete[i]);
		fputc('\n', f);
	}
	gt_report_counts(r, &passed, &failed, &errors);
	fprintf(f, "%zu passed, %zu failed", passed, failed);
	if (errors)
		fprintf(f, ", %zu error%s", errors, errors == 1 ? "" : "s");
	if (r->interrupted)
		fprintf(f, " (interrupted by %s)", gt_signal_name(r->interrupted));
	fputc('\n', f);
}

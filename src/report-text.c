/*
 * report-text: the terminal report of a check.  One line per case with its
 * verdict, then for each failure the diff, the band violations and how to
 * accept the new run, the obsolete goldens, and the closing line
 * "N passed, M failed".  The verdict labels share one column width so that
 * the case names line up.
 */
#include "config.h"

#include "report.h"
#include "syscalls.h"

#include <stdlib.h>
#include <string.h>

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

/* Print TEXT, ending it with a newline if it has none. */
static void block(FILE *f, const char *text)
{
	size_t n = strlen(text);

	if (n == 0)
		return;
	fputs(text, f);
	if (text[n - 1] != '\n')
		fputc('\n', f);
}

/* The violations of C as "  - message" lines: the regressions, and the
 * improvements too when ALL. */
static void violations(FILE *f, const struct gt_case_result *c, bool all)
{
	for (size_t i = 0; i < c->verdict.nv; i++) {
		const struct gt_violation *v = &c->verdict.v[i];

		if (v->improved && !all)
			continue;
		fprintf(f, "  - %s\n", v->message ? v->message : v->metric ? v->metric : "?");
	}
}

static void failure(FILE *f, const struct gt_case_result *c, const struct gt_text_opts *o)
{
	struct gt_buf kinds = {0};
	const char *diff = o->color && c->diff_text_color ? c->diff_text_color : c->diff_text;

	gt_kinds_format(c->verdict.kinds, &kinds);
	label(f, o, "FAIL", RED);
	fprintf(f, "%s  (%.2f s)", c->name, c->seconds);
	if (kinds.len)
		fprintf(f, ": %s", kinds.s);
	fputc('\n', f);
	gt_buf_free(&kinds);
	if (diff)
		block(f, diff);
	violations(f, c, o->verbosity > 0);
	if (c->reruns && c->timing_outcome == GT_TIMING_DIFFERENT)
		fprintf(f, "  timing: different from the golden after %u rerun%s (Mann-Whitney "
			"p=%.3g over the runs)\n", c->reruns, c->reruns == 1 ? "" : "s",
			c->timing_p);
	else if (c->reruns)
		fprintf(f, "  timing: undecided after %u rerun%s (Mann-Whitney p=%.3g); the "
			"runs' medians are out of tolerance\n", c->reruns,
			c->reruns == 1 ? "" : "s", c->timing_p);
	if (c->env_diff)
		fprintf(f, "  environment (golden -> this run): %s\n", c->env_diff);
	if (c->new_path)
		fprintf(f, "  kept the new run as %s; accept it with: gtdiff update --accept %s\n",
			c->new_path, c->name);
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
			fprintf(f, "%s  (%.2f s)", c->name, c->seconds);
			if (c->reruns)
				fprintf(f, ": timing the same as the golden's after %u rerun%s",
					c->reruns, c->reruns == 1 ? "" : "s");
			fputc('\n', f);
			break;
		case GT_VERDICT_IMPROVED:
			if (quiet)
				break;
			gt_report_improved_hint(c, &hint);
			label(f, o, "IMPROVED", CYAN);
			fprintf(f, "%s  (%.2f s): %s\n", c->name, c->seconds, hint.s);
			gt_buf_free(&hint);
			if (o->verbosity > 0)
				violations(f, c, true);
			break;
		case GT_VERDICT_REGRESSION:
			failure(f, c, o);
			break;
		case GT_VERDICT_ERROR:
		default:
			label(f, o, "ERROR", MAGENTA);
			fprintf(f, "%s: %s\n", c->name, c->error ? c->error : "unknown error");
			break;
		}
	}
	for (size_t i = 0; i < r->nobsolete; i++) {
		if (r->obsolete_fail)
			label(f, o, "ERROR", MAGENTA);
		else if (quiet)
			continue;
		fprintf(f, "obsolete golden: %s (no case refers to it)\n", r->obsolete[i]);
	}
	gt_report_counts(r, &passed, &failed, &errors);
	fprintf(f, "%zu passed, %zu failed", passed, failed);
	if (errors)
		fprintf(f, ", %zu error%s", errors, errors == 1 ? "" : "s");
	if (r->interrupted)
		fprintf(f, " (interrupted by %s)", gt_signal_name(r->interrupted));
	fputc('\n', f);
}

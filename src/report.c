/*
 * report: the case results of a check and what they add up to: the counts,
 * the exit status, and the memory that goes with them.  The formats live in
 * report-text.c, report-json.c, report-junit.c and report-github.c.
 */
#include "config.h"

#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "plotdata.h"

struct gt_case_result *gt_report_add(struct gt_report *r, const char *name)
{
	struct gt_case_result *c;

	xgrow((void **)&r->cases, &r->cap, r->ncases + 1, sizeof(*r->cases));
	c = &r->cases[r->ncases++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->timing_p = -1;
	return c;
}

static void case_free(struct gt_case_result *c)
{
	free(c->name);
	gt_verdict_free(&c->verdict);
	free(c->error);
	free(c->diff_text);
	free(c->diff_text_color);
	free(c->env_diff);
	free(c->golden_path);
	free(c->new_path);
	gt_plotdata_free(c->plot);
	for (size_t i = 0; i < c->nlocations; i++) {
		struct gt_location *l = &c->locations[i];

		free(l->event);
		free(l->where);
		free(l->file);
		free(l->function);
		free(l->module);
		for (size_t k = 0; k < l->nframes; k++)
			free(l->frames[k]);
	}
	free(c->locations);
}

void gt_report_drop_last(struct gt_report *r)
{
	if (r->ncases == 0)
		return;
	case_free(&r->cases[--r->ncases]);
}

const char *gt_timing_outcome_name(enum gt_timing_outcome t)
{
	switch (t) {
	case GT_TIMING_SAME:
		return "same";
	case GT_TIMING_DIFFERENT:
		return "different";
	case GT_TIMING_UNDECIDED:
		return "undecided";
	case GT_TIMING_NONE:
		break;
	}
	return "none";
}

void gt_report_add_obsolete(struct gt_report *r, const char *path)
{
	r->obsolete = xrealloc(r->obsolete, (r->nobsolete + 1) * sizeof(*r->obsolete));
	r->obsolete[r->nobsolete++] = xstrdup(path);
}

void gt_report_free(struct gt_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncases; i++)
		case_free(&r->cases[i]);
	free(r->cases);
	for (size_t i = 0; i < r->nobsolete; i++)
		free(r->obsolete[i]);
	free(r->obsolete);
	memset(r, 0, sizeof(*r));
}

void gt_report_counts(const struct gt_report *r, size_t *passed, size_t *failed,
		      size_t *errors)
{
	size_t p = 0, f = 0, e = 0;

	for (size_t i = 0; i < r->ncases; i++) {
		switch (r->cases[i].verdict.verdict) {
		case GT_VERDICT_PASS:
		case GT_VERDICT_IMPROVED:
			p++;
			break;
		case GT_VERDICT_REGRESSION:
			f++;
			break;
		case GT_VERDICT_ERROR:
		default:
			e++;
			break;
		}
	}
	/* An obsolete golden under --unreferenced=fail is an error like any
	 * other, so that the totals agree with the exit status. */
	if (r->obsolete_fail)
		e += r->nobsolete;
	if (passed)
		*passed = p;
	if (failed)
		*failed = f;
	if (errors)
		*errors = e;
}

int gt_report_exit_status(const struct gt_report *r)
{
	size_t failed, errors;

	gt_report_counts(r, NULL, &failed, &errors);
	if (errors)
		return 2;
	return failed ? 1 : 0;
}

size_t gt_report_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned cp;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void gt_report_interrupted_note(const struct gt_report *r, struct gt_buf *b)
{
	gt_buf_printf(b, "interrupted by %s", gt_signal_name(r->interrupted));
	if (r->planned)
		gt_buf_printf(b, "; %zu of %zu case%s done, the rest not run", r->ncases,
			      r->planned, r->planned == 1 ? "" : "s");
}

void gt_report_kept_hint(const struct gt_case_result *c, struct gt_buf *b)
{
	if (!c->pending) {
		gt_buf_printf(b, "kept the new run as %s; accept it with: gtdiff update --accept %s",
			      c->new_path, c->name);
		return;
	}
	gt_buf_printf(b, "kept the case's runs as %s for upload; to bless them as recorded "
		      "here, download the artifact into a directory DIR, run 'gtdiff update "
		      "--from DIR', and commit the golden", c->new_path);
}

void gt_report_improved_hint(const struct gt_case_result *c, struct gt_buf *b)
{
	unsigned kinds = 0;

	for (size_t i = 0; i < c->verdict.nv; i++)
		if (c->verdict.v[i].improved)
			kinds |= (unsigned)c->verdict.v[i].kind;
	if (kinds) {
		gt_kinds_format(kinds, b);
		gt_buf_putc(b, ' ');
	}
	gt_buf_printf(b, "better beyond the band; run 'gtdiff update %s'", c->name);
}

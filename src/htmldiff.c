/*
 * htmldiff: a unified diff as a side-by-side HTML table (see htmldiff.h).
 *
 * The lines of the text diff-render.c writes: "--- GOLDEN" and "+++ NEW"
 * first, then hunks: "@@ ... @@", " " context, "-" removed, "+" added
 * (events, or "- process p2 ... is gone", "+ new process ..."), and notes
 * (an indented remark, "... N more changed lines not shown").
 */
#include "config.h"

#include "htmldiff.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "markup.h"

/* A line of the text: [s, s + n), without its line end. */
struct line {
	const char *s;
	size_t n;
};

struct table {
	struct gt_buf *b;
	size_t start, max;
	struct line *del, *add;  /* the pending run of removed / added lines */
	size_t ndel, nadd, cap_del, cap_add;
	size_t shown;
	bool full;
};

static void esc(struct gt_buf *b, const char *s, size_t n)
{
	gt_markup_escape(b, s, n, 0);
}

/* Back I up to the start of a UTF-8 character of S. */
static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* A cell of line L (its sign dropped): the bytes in [from, to) marked as
 * changed when MARK. */
static void cell(struct gt_buf *b, const char *cls, const struct line *l, bool mark, size_t from,
		 size_t to)
{
	const char *s = l ? l->s + 1 : "";
	size_t n = l ? l->n - 1 : 0;
	char sign = l ? l->s[0] : ' ';

	gt_buf_printf(b, "<td class=\"sign %s\">%s</td><td class=\"%s\">", l ? cls : "empty",
		      l && sign != ' ' ? (sign == '-' ? "&minus;" : "+") : "", l ? cls : "empty");
	if (mark && from < to) {
		esc(b, s, from);
		gt_buf_puts(b, "<mark>");
		esc(b, s + from, to - from);
		gt_buf_puts(b, "</mark>");
		esc(b, s + to, n - to);
	} else {
		esc(b, s, n);
	}
	gt_buf_puts(b, "</td>");
}

/* The changed middle of A and B (signs dropped): the common prefix ends
 * at *PA, the common suffix starts at *EA in A and *EB in B. */
static void changed_part(const struct line *a, const struct line *b, size_t *p, size_t *ea,
			 size_t *eb)
{
	const char *x = a->s + 1, *y = b->s + 1;
	size_t nx = a->n - 1, ny = b->n - 1, pre = 0, suf = 0;

	while (pre < nx && pre < ny && x[pre] == y[pre])
		pre++;
	pre = char_start(x, pre);
	while (suf < nx - pre && suf < ny - pre && x[nx - 1 - suf] == y[ny - 1 - suf])
		suf++;
	/* The suffix starts on a character boundary in both. */
	while (suf > 0 && ((unsigned char)x[nx - suf] & 0xc0) == 0x80)
		suf--;
	*p = pre;
	*ea = nx - suf;
	*eb = ny - suf;
}

static bool room(struct table *t)
{
	if (t->full)
		return false;
	if (t->max && t->b->len - t->start > t->max) {
		t->full = true;
		return false;
	}
	return true;
}

/* The pending removed and added lines as rows, paired. */
static void flush(struct table *t)
{
	size_t rows = t->ndel > t->nadd ? t->ndel : t->nadd;

	for (size_t i = 0; i < rows && room(t); i++) {
		const struct line *l = i < t->ndel ? &t->del[i] : NULL;
		const struct line *r = i < t->nadd ? &t->add[i] : NULL;
		size_t p = 0, el = 0, er = 0;

		if (l && r)
			changed_part(l, r, &p, &el, &er);
		gt_buf_puts(t->b, "<tr class=\"change\">");
		cell(t->b, "del", l, l && r, p, el);
		cell(t->b, "add", r, l && r, p, er);
		gt_buf_puts(t->b, "</tr>\n");
		t->shown += (l != NULL) + (r != NULL);
	}
	t->ndel = t->nadd = 0;
}

static void wide_row(struct table *t, const char *cls, const struct line *l)
{
	gt_buf_printf(t->b, "<tr class=\"%s\"><td colspan=\"4\">", cls);
	esc(t->b, l->s, l->n);
	gt_buf_puts(t->b, "</td></tr>\n");
}

static void push(struct line **v, size_t *n, size_t *cap, const struct line *l)
{
	xgrow((void **)v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *l;
}

/* The header row: the golden's and the new run's names from "--- " and
 * "+++ " (the first lines), "golden" and "new run" without them. */
static const char *head(struct gt_buf *b, const char *text)
{
	struct line names[2] = {{"golden", 6}, {"new run", 7}};
	const char *p = text;

	for (int i = 0; i < 2; i++) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n < 4 || strncmp(p, i == 0 ? "--- " : "+++ ", 4) != 0)
			break;
		names[i] = (struct line){p + 4, n - 4};
		p += n + (e != NULL);
	}
	gt_buf_puts(b, "<table class=\"diff\">\n<colgroup><col class=\"sign\"><col class=\"side\">"
		    "<col class=\"sign\"><col class=\"side\"></colgroup>\n<thead><tr>");
	for (int i = 0; i < 2; i++) {
		gt_buf_puts(b, "<th colspan=\"2\">");
		esc(b, names[i].s, names[i].n);
		gt_buf_puts(b, "</th>");
	}
	gt_buf_puts(b, "</tr></thead>\n<tbody>\n");
	return p;
}

/* A context line: a blank, then the thread's id (never empty); a note is
 * indented further. */
static bool is_context(const char *s, size_t n)
{
	return n > 1 && s[0] == ' ' && s[1] != ' ';
}

/* The event and context lines of the diff from P on. */
static size_t diff_lines(const char *p)
{
	size_t n = 0;

	while (*p) {
		const char *e = strchr(p, '\n');

		if (is_context(p, e ? (size_t)(e - p) : strlen(p)) || *p == '-' || *p == '+')
			n++;
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

size_t gt_htmldiff(struct gt_buf *b, const char *text, size_t max_bytes)
{
	struct table t = {.b = b, .max = max_bytes};
	const char *p;
	size_t total;

	gt_buf_add(b, "", 0);
	t.start = b->len;
	p = head(b, text);
	total = diff_lines(p);
	while (*p && room(&t)) {
		const char *e = strchr(p, '\n');
		struct line l = {p, e ? (size_t)(e - p) : strlen(p)};

		if (l.s[0] == '-' && l.n > 0) {
			if (t.nadd)
				flush(&t); /* a removal after additions: a new pair run */
			push(&t.del, &t.ndel, &t.cap_del, &l);
		} else if (l.s[0] == '+') {
			push(&t.add, &t.nadd, &t.cap_add, &l);
		} else {
			flush(&t);
			if (!room(&t))
				break;
			if (is_context(l.s, l.n)) {
				gt_buf_puts(b, "<tr class=\"ctx\">");
				cell(b, "ctx", &l, false, 0, 0);
				cell(b, "ctx", &l, false, 0, 0);
				gt_buf_puts(b, "</tr>\n");
				t.shown++;
			} else if (strncmp(l.s, "@@", 2) == 0) {
				wide_row(&t, "hunk", &l);
			} else if (l.n) {
				wide_row(&t, "note", &l);
			}
		}
		p += l.n + (e != NULL);
	}
	flush(&t);
	if (t.full && total > t.shown) {
		size_t left = total - t.shown;

		gt_buf_printf(b, "<tr class=\"note cut\"><td colspan=\"4\">&hellip; %zu more line%s "
			      "not shown here (the terminal report and the JSON report have the "
			      "whole diff)</td></tr>\n", left, left == 1 ? "" : "s");
	}
	gt_buf_puts(b, "</tbody>\n</table>\n");
	free(t.del);
	free(t.add);
	return t.shown;
}

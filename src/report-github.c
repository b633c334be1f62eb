/*
 * report-github: the check under GitHub Actions.  On F, workflow commands
 * the runner turns into annotations: ::error per failing case (the kinds and
 * the first violations), its diff folded in ::group::, ::error for cases
 * that could not be checked, ::notice for improved ones, and the obsolete
 * goldens.  To SUMMARY_PATH ($GITHUB_STEP_SUMMARY), appended, never
 * truncated: a Markdown table of the cases (with each one's headroom:
 * its measurements against its budgets and bands), the closing line and each
 * failure's diff in a <details> block.  A run cut short by a signal adds
 * an ::error saying so and how many cases were done, and a line under the
 * summary's heading.
 *
 * The traced program, the config and the golden files control much of
 * this text (names, commands, paths, diff lines), so every piece of it
 * goes through gt_escape() first (no control byte, no "::" starting a
 * line, no "##[" reaches the log) and then through the workflow command
 * rules (% CR LF, and : , in properties); a diff that still held a line
 * the runner would read as a command would be wrapped in
 * ::stop-commands:: with an unguessable token.
 */
#include "config.h"

#include "report.h"
#include "escape.h"
#include "count-groups.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How many violations an annotation names before "and N more". */
#define MAX_ANNOTATED 5

/* Append S escaped as a workflow command's data (after the "::"), or as a
 * property value (title=...) when PROP: first gt_escape (the data keeps
 * its line breaks, which become %0A), then the runner's own rules. */
static void cmd_esc(struct gt_buf *b, const char *text, bool prop)
{
	struct gt_buf t = {0};

	gt_escape_str(&t, text, GT_ESC_INLINE | (prop ? 0 : GT_ESC_KEEP_NL));
	for (const char *s = t.s ? t.s : ""; *s; s++) {
		switch (*s) {
		case '%': gt_buf_puts(b, "%25"); break;
		case '\r': gt_buf_puts(b, "%0D"); break;
		case '\n': gt_buf_puts(b, "%0A"); break;
		case ':':
			if (prop)
				gt_buf_puts(b, "%3A");
			else
				gt_buf_putc(b, ':');
			break;
		case ',':
			if (prop)
				gt_buf_puts(b, "%2C");
			else
				gt_buf_putc(b, ',');
			break;
		default: gt_buf_putc(b, *s); break;
		}
	}
	gt_buf_free(&t);
}

/* "::LEVEL title=gtdiff TITLE::" (the message follows). */
static void cmd_start(struct gt_buf *b, const char *level, const char *title)
{
	gt_buf_printf(b, "::%s title=", level);
	cmd_esc(b, "gtdiff ", true);
	cmd_esc(b, title, true);
	gt_buf_puts(b, "::");
}

/* Would the runner take a line of TEXT for a workflow command?  It trims
 * leading white space before it looks for "::". */
static bool has_command(const char *text)
{
	for (const char *line = text; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		line += gt_escape_blank_len(line, strlen(line));
		if (strncmp(line, "::", 2) == 0)
			return true;
	}
	return false;
}

/* A token for ::stop-commands:: that the traced program cannot guess. */
void gt_report_github_stop_token(struct gt_buf *b)
{
	unsigned char rnd[16];
	uint64_t t = gt_now_ns() ^ ((uint64_t)getpid() << 32);

	if (getentropy(rnd, sizeof(rnd)) < 0) {
		for (size_t i = 0; i < sizeof(rnd); i++) {
			t = t * 6364136223846793005ULL + 1442695040888963407ULL;
			rnd[i] = (unsigned char)(t >> 56);
		}
	}
	gt_buf_puts(b, "gtdiff-");
	for (size_t i = 0; i < sizeof(rnd); i++)
		gt_buf_printf(b, "%02x", rnd[i]);
}

/* The diff of case C folded in a group. */
static void group(struct gt_buf *b, const struct gt_case_result *c)
{
	struct gt_buf token = {0};
	size_t n = strlen(c->diff_text);

	if (n == 0)
		return;
	gt_buf_puts(b, "::group::");
	cmd_esc(b, "gtdiff diff: ", false);
	cmd_esc(b, c->name, false);
	gt_buf_putc(b, '\n');
	if (has_command(c->diff_text)) {
		gt_report_github_stop_token(&token);
		gt_buf_printf(b, "::stop-commands::%s\n", token.s);
	}
	gt_escape(b, c->diff_text, n, GT_ESC_KEEP_NL);
	if (c->diff_text[n - 1] != '\n')
		gt_buf_putc(b, '\n');
	if (token.len)
		gt_buf_printf(b, "::%s::\n", token.s);
	gt_buf_free(&token);
	gt_buf_puts(b, "::endgroup::\n");
}

static void line_esc(struct gt_buf *b, const char *s);

/* An annotation on the source line of each located call of C that has
 * one (explain.h): the pull request shows it on that line.  At most
 * MAX_LOCATED (the runner shows ten errors a step). */
#define MAX_LOCATED 8
static void located(struct gt_buf *b, const struct gt_case_result *c)
{
	size_t shown = 0;

	for (size_t i = 0; i < c->nlocations && shown < MAX_LOCATED; i++) {
		const struct gt_location *l = &c->locations[i];

		if (!l->file || !l->line)
			continue;
		gt_buf_puts(b, "::error file=");
		cmd_esc(b, l->file, true);
		gt_buf_printf(b, ",line=%u,title=", l->line);
		cmd_esc(b, "gtdiff ", true);
		cmd_esc(b, c->name, true);
		gt_buf_puts(b, "::");
		line_esc(b, "this line made a call the golden trace does not have: ");
		line_esc(b, l->event);
		gt_buf_putc(b, '\n');
		shown++;
	}
}

static void regression(struct gt_buf *b, const struct gt_case_result *c)
{
	struct gt_buf msg = {0};
	size_t shown = 0, worse = 0;

	gt_buf_puts(&msg, "regression");
	if (c->verdict.kinds) {
		gt_buf_puts(&msg, ": ");
		gt_kinds_format(c->verdict.kinds, &msg);
	}
	for (size_t i = 0; i < c->verdict.nv; i++) {
		const struct gt_violation *v = &c->verdict.v[i];

		if (v->improved || v->explained)
			continue;
		if (worse++ >= MAX_ANNOTATED)
			continue;
		gt_buf_putc(&msg, '\n');
		/* Its own line breaks are escaped: only the list's remain. */
		gt_escape_str(&msg, v->message ? v->message : v->metric ? v->metric : "?",
			      GT_ESC_INLINE);
		if (v->kind == GT_KIND_SEQUENCE && gt_count_groups_n(&c->verdict)) {
			gt_buf_puts(&msg, "\n");
			gt_count_groups_line(&c->verdict, true, &msg);
		}
		shown++;
	}
	if (worse > shown)
		gt_buf_printf(&msg, "\nand %zu more", worse - shown);
	cmd_start(b, "error", c->name);
	cmd_esc(b, msg.s, false);
	gt_buf_putc(b, '\n');
	gt_buf_free(&msg);
	located(b, c);
	if (c->diff_text)
		group(b, c);
}

/* Append S as a message of one line: its line breaks escaped too. */
static void line_esc(struct gt_buf *b, const char *s)
{
	struct gt_buf t = {0};

	gt_escape_str(&t, s, GT_ESC_INLINE);
	cmd_esc(b, t.s ? t.s : "", false);
	gt_buf_free(&t);
}

static void annotations(struct gt_buf *b, const struct gt_report *r)
{
	for (size_t i = 0; i < r->ncases; i++) {
		const struct gt_case_result *c = &r->cases[i];
		struct gt_buf hint = {0};

		switch (c->verdict.verdict) {
		case GT_VERDICT_PASS:
			break;
		case GT_VERDICT_IMPROVED:
			gt_buf_puts(&hint, "improved: ");
			gt_report_improved_hint(c, &hint);
			cmd_start(b, "notice", c->name);
			line_esc(b, hint.s);
			gt_buf_putc(b, '\n');
			gt_buf_free(&hint);
			break;
		case GT_VERDICT_REGRESSION:
			regression(b, c);
			break;
		case GT_VERDICT_ERROR:
		default:
			cmd_start(b, "error", c->name);
			line_esc(b, c->error ? c->error : "unknown error");
			gt_buf_putc(b, '\n');
			if (c->diff_text)
				group(b, c);
			break;
		}
	}
	for (size_t i = 0; i < r->nobsolete; i++) {
		cmd_start(b, r->obsolete_fail ? "error" : "warning", "obsolete golden");
		line_esc(b, r->obsolete[i]);
		cmd_esc(b, " (no case refers to it)", false);
		gt_buf_putc(b, '\n');
	}
	if (r->interrupted) {
		struct gt_buf note = {0};

		gt_report_interrupted_note(r, &note);
		cmd_start(b, "error", "interrupted");
		line_esc(b, note.s);
		gt_buf_putc(b, '\n');
		gt_buf_free(&note);
	}
}

/* ---- step summary ----------------------------------------------------- */

/* Append S for a Markdown table cell or list item: no line breaks, no
 * HTML, no pipes, no emphasis or links. */
static void md_esc(struct gt_buf *b, const char *text)
{
	struct gt_buf t = {0};

	gt_escape_str(&t, text, GT_ESC_INLINE);
	for (const char *s = t.s ? t.s : ""; *s; s++) {
		switch (*s) {
		case '&': gt_buf_puts(b, "&amp;"); break;
		case '<': gt_buf_puts(b, "&lt;"); break;
		case '>': gt_buf_puts(b, "&gt;"); break;
		case '\n':
		case '\r': gt_buf_putc(b, ' '); break;
		case '|':
		case '\\':
		case '*':
		case '_':
		case '`':
		case '[':
		case ']':
		case '#':
			gt_buf_putc(b, '\\');
			gt_buf_putc(b, *s);
			break;
		default: gt_buf_putc(b, *s); break;
		}
	}
	gt_buf_free(&t);
}

/* Append S for HTML text (the <summary> of a <details>). */
static void html_esc(struct gt_buf *b, const char *text)
{
	struct gt_buf t = {0};

	gt_escape_str(&t, text, GT_ESC_INLINE);
	for (const char *s = t.s ? t.s : ""; *s; s++) {
		switch (*s) {
		case '&': gt_buf_puts(b, "&amp;"); break;
		case '<': gt_buf_puts(b, "&lt;"); break;
		case '>': gt_buf_puts(b, "&gt;"); break;
		case '"': gt_buf_puts(b, "&quot;"); break;
		case '\n':
		case '\r': gt_buf_putc(b, ' '); break;
		default: gt_buf_putc(b, *s); break;
		}
	}
	gt_buf_free(&t);
}

/* Append TEXT as a fenced code block of language LANG, with a fence longer
 * than any run of backticks in it so that the text cannot close it. */
static void fenced(struct gt_buf *b, const char *lang, const char *raw)
{
	struct gt_buf t = {0};
	const char *text;
	size_t run = 0, longest = 0, n, fence;

	gt_escape_str(&t, raw, GT_ESC_KEEP_NL);
	text = t.s ? t.s : "";
	n = t.len;

	for (size_t i = 0; i < n; i++) {
		run = text[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	fence = longest >= 3 ? longest + 1 : 3;
	for (size_t i = 0; i < fence; i++)
		gt_buf_putc(b, '`');
	gt_buf_printf(b, "%s\n%s", lang, text);
	if (n && text[n - 1] != '\n')
		gt_buf_putc(b, '\n');
	for (size_t i = 0; i < fence; i++)
		gt_buf_putc(b, '`');
	gt_buf_putc(b, '\n');
	gt_buf_free(&t);
}

static const char *summary_verdict(enum gt_verdict_kind v)
{
	switch (v) {
	case GT_VERDICT_PASS: return "pass";
	case GT_VERDICT_IMPROVED: return "improved";
	case GT_VERDICT_REGRESSION: return "**regression**";
	case GT_VERDICT_ERROR: return "**error**";
	}
	return "**error**";
}

static void details(struct gt_buf *b, const struct gt_case_result *c)
{
	bool any = false;

	for (size_t i = 0; i < c->verdict.nv; i++)
		any |= !c->verdict.v[i].improved;
	if (!any && !(c->diff_text && c->diff_text[0]))
		return;
	gt_buf_puts(b, "<details><summary>");
	html_esc(b, c->name);
	gt_buf_puts(b, c->diff_text && c->diff_text[0] ? " diff" : " violations");
	gt_buf_puts(b, "</summary>\n\n");
	for (size_t i = 0; i < c->verdict.nv; i++) {
		const struct gt_violation *v = &c->verdict.v[i];
		struct gt_buf line = {0};

		if (v->improved || v->explained)
			continue;
		gt_buf_puts(b, "- ");
		md_esc(b, v->message ? v->message : v->metric ? v->metric : "?");
		gt_buf_putc(b, '\n');
		if (v->kind == GT_KIND_SEQUENCE)
			gt_count_groups_line(&c->verdict, true, &line);
		if (line.len) {
			gt_buf_puts(b, "  - ");
			md_esc(b, line.s);
			gt_buf_putc(b, '\n');
		}
		gt_buf_free(&line);
	}
	if (c->diff_text && c->diff_text[0]) {
		if (any)
			gt_buf_putc(b, '\n');
		fenced(b, "diff", c->diff_text);
	}
	gt_buf_puts(b, "\n</details>\n\n");
}

static void summary(struct gt_buf *b, const struct gt_report *r)
{
	size_t passed, failed, errors;
	bool notes = false;

	gt_buf_puts(b, "### gtdiff\n\n");
	if (r->interrupted) {
		struct gt_buf note = {0};

		gt_report_interrupted_note(r, &note);
		gt_buf_puts(b, "**");
		md_esc(b, note.s);
		gt_buf_puts(b, "**\n\n");
		gt_buf_free(&note);
	}
	gt_buf_puts(b, "| case | verdict | kinds | time | headroom |\n|---|---|---|---:|---|\n");
	for (size_t i = 0; i < r->ncases; i++) {
		const struct gt_case_result *c = &r->cases[i];
		unsigned kinds = c->verdict.kinds;
		struct gt_buf k = {0};

		if (c->verdict.verdict == GT_VERDICT_IMPROVED) {
			for (size_t j = 0; j < c->verdict.nv; j++)
				if (c->verdict.v[j].improved)
					kinds |= (unsigned)c->verdict.v[j].kind;
		}
		gt_kinds_format(kinds, &k);
		gt_buf_puts(b, "| ");
		md_esc(b, c->name);
		gt_buf_printf(b, " | %s | ", summary_verdict(c->verdict.verdict));
		md_esc(b, k.s ? k.s : "");
		gt_buf_printf(b, " | %.2f s | ", c->seconds);
		gt_buf_reset(&k);
		gt_headroom_text(&c->headroom, &k);
		md_esc(b, k.s);
		gt_buf_puts(b, " |\n");
		gt_buf_free(&k);
	}
	gt_report_counts(r, &passed, &failed, &errors);
	gt_buf_printf(b, "\n%zu passed, %zu failed", passed, failed);
	if (errors)
		gt_buf_printf(b, ", %zu error%s", errors, errors == 1 ? "" : "s");
	if (r->interrupted)
		gt_buf_printf(b, " (interrupted by %s)", gt_signal_name(r->interrupted));
	gt_buf_puts(b, "\n\n");
	for (size_t i = 0; i < r->ncases; i++) {
		const struct gt_case_result *c = &r->cases[i];

		if (c->verdict.verdict != GT_VERDICT_ERROR)
			continue;
		gt_buf_puts(b, "- error in **");
		md_esc(b, c->name);
		gt_buf_puts(b, "**: ");
		md_esc(b, c->error ? c->error : "unknown error");
		gt_buf_putc(b, '\n');
		notes = true;
	}
	for (size_t i = 0; i < r->nobsolete; i++) {
		gt_buf_printf(b, "- %sobsolete golden: ", r->obsolete_fail ? "error: " : "");
		md_esc(b, r->obsolete[i]);
		gt_buf_puts(b, " (no case refers to it)\n");
		notes = true;
	}
	if (notes)
		gt_buf_putc(b, '\n');
	for (size_t i = 0; i < r->ncases; i++)
		if (r->cases[i].verdict.verdict == GT_VERDICT_REGRESSION)
			details(b, &r->cases[i]);
}

static enum gt_rc write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return GT_ERR_IO;
		}
		p += w;
		n -= (size_t)w;
	}
	return GT_OK;
}

/* Append the summary to PATH, which may already hold other steps' text. */
static enum gt_rc append_summary(const struct gt_report *r, const char *path,
				 struct gt_error *err)
{
	struct gt_buf b = {0};
	enum gt_rc rc = GT_OK;
	struct stat st;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return gt_error_set(err, GT_ERR_IO, "%s: cannot open the step summary: %s", path,
				    strerror(errno));
	/* Start a new block after what an earlier step wrote. */
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		gt_buf_putc(&b, '\n');
	summary(&b, r);
	if (write_all(fd, b.s, b.len) != GT_OK)
		rc = gt_error_set(err, GT_ERR_IO, "%s: cannot append the step summary: %s", path,
				  strerror(errno));
	if (close(fd) < 0 && rc == GT_OK)
		rc = gt_error_set(err, GT_ERR_IO, "%s: cannot append the step summary: %s", path,
				  strerror(errno));
	gt_buf_free(&b);
	return rc;
}

enum gt_rc gt_report_github(const struct gt_report *r, FILE *f, const char *summary_path,
			    struct gt_error *err)
{
	struct gt_buf b = {0};
	enum gt_rc rc = GT_OK;

	if (f) {
		annotations(&b, r);
		if (b.len && (fwrite(b.s, 1, b.len, f) != b.len || fflush(f) != 0))
			rc = gt_error_set(err, GT_ERR_IO, "<annotations>: write failed: %s",
					  strerror(errno));
		gt_buf_free(&b);
	}
	if (summary_path && *summary_path) {
		/* The first failure is the one reported. */
		enum gt_rc src = append_summary(r, summary_path, rc == GT_OK ? err : NULL);

		if (rc == GT_OK)
			rc = src;
	}
	return rc;
}

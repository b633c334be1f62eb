/*
 * diff-render: a thread diff as a unified diff of strace-like lines (see
 * gt_diff_render in diff.h).  Event texts, ids, executables and the file
 * names come from trace files, so each is escaped (escape.h) as it goes
 * into a line: the rendered diff holds no control byte but its colour
 * sequences and line ends, and no line the GitHub runner would take for a
 * workflow command.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "diff-internal.h"
#include "escape.h"

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- rendering ---- */

#define RED "\033[31m"
#define GREEN "\033[32m"
#define CYAN "\033[36m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

struct render {
	const struct gt_diff_render_opts *o;
	struct gt_buf *b;
	struct gt_buf line;  /* an event line before it is escaped */
	size_t shown;       /* changed lines shown */
	size_t total;       /* changed lines in the diff */
	bool stopped;
};

static void color_on(struct render *r, const char *code)
{
	if (r->o->color)
		gt_buf_puts(r->b, code);
}

static void line_end(struct render *r)
{
	if (r->o->color)
		gt_buf_puts(r->b, RESET);
	gt_buf_putc(r->b, '\n');
}

/* May N more changed lines be shown?  If not, stop for good. */
static bool room_for(struct render *r, size_t n)
{
	if (r->stopped)
		return false;
	if (r->o->max_lines && r->shown + n > r->o->max_lines) {
		r->stopped = true;
		return false;
	}
	return true;
}

/* The notes on line L of TD (gt_diff_notes): the first at the end of the
 * event line, the others on lines of their own. */
static void put_note(struct render *r, const struct gt_thread_diff *td, const struct gt_dline *l)
{
	const char *p, *nl;

	gt_buf_reset(&r->line);
	r->o->notes->note(r->o->notes->ctx, td, l, &r->line);
	for (p = r->line.s; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (p != r->line.s) {
			line_end(r);
			gt_buf_puts(r->b, "       ");
		}
		gt_escape(r->b, p, nl ? (size_t)(nl - p) : strlen(p), 0);
		if (!nl)
			break;
	}
}

static void event_line(struct render *r, char sign, const char *id, const struct gt_event *e,
		       const struct gt_thread_diff *td, const struct gt_dline *l)
{
	bool change = sign == '-' || sign == '+';

	if (change)
		color_on(r, sign == '-' ? RED : GREEN);
	/* The whole line at once: the runner trims a leading blank (the
	 * context sign) and would see an id or event text that starts the
	 * line after an empty id. */
	gt_buf_reset(&r->line);
	gt_buf_printf(&r->line, "%c%-5s ", sign, id ? id : "?");
	gt_event_format(&r->line, e, true);
	gt_escape(r->b, r->line.s, r->line.len, 0);
	if (l && r->o->notes && r->o->notes->note)
		put_note(r, td, l);
	if (change) {
		line_end(r);
		r->shown++;
	} else {
		gt_buf_putc(r->b, '\n');
	}
}

static void range(struct gt_buf *b, size_t first, size_t count)
{
	if (count)
		gt_buf_printf(b, "%zu-%zu", first + 1, first + count);
	else
		gt_buf_puts(b, "none");
}

static void hunk_header(struct render *r, const struct gt_thread_diff *td, size_t from,
			size_t to)
{
	size_t gfirst = 0, gcount = 0, nlo = SIZE_MAX, nhi = 0;
	const char *id = td->golden_id ? td->golden_id : td->new_id;
	bool other = td->golden_id && td->new_id && !str_eq(td->golden_id, td->new_id);

	/* The new side's events may have been reordered within their
	 * equivalence class: its range spans their positions as run. */
	for (size_t k = from; k < to; k++) {
		const struct gt_dline *l = &td->lines[k];

		if (l->kind != GT_DL_ADD && !gcount++)
			gfirst = l->gi;
		if (l->kind != GT_DL_DEL) {
			nlo = l->ni < nlo ? l->ni : nlo;
			nhi = l->ni > nhi ? l->ni : nhi;
		}
	}
	color_on(r, CYAN);
	gt_buf_puts(r->b, "@@ ");
	gt_escape_str(r->b, id ? id : "?", GT_ESC_INLINE);
	if (td->process_exe) {
		gt_buf_puts(r->b, " (");
		gt_escape_str(r->b, td->process_exe, GT_ESC_INLINE);
		gt_buf_putc(r->b, ')');
	}
	gt_buf_puts(r->b, " golden events ");
	range(r->b, gfirst, gcount);
	gt_buf_puts(r->b, ", new ");
	if (other) {
		gt_escape_str(r->b, td->new_id, GT_ESC_INLINE);
		gt_buf_putc(r->b, ' ');
	}
	gt_buf_puts(r->b, "events ");
	range(r->b, nlo, nlo == SIZE_MAX ? 0 : nhi - nlo + 1);
	gt_buf_puts(r->b, " @@");
	line_end(r);
}

static void render_lines(struct render *r, const struct gt_thread_diff *td, size_t from,
			 size_t to)
{
	for (size_t k = from; k < to; k++) {
		const struct gt_dline *l = &td->lines[k];

		switch (l->kind) {
		case GT_DL_SAME:
			event_line(r, ' ', td->golden_id, l->golden, NULL, NULL);
			break;
		case GT_DL_DEL:
			if (!room_for(r, 1))
				return;
			event_line(r, '-', td->golden_id, l->golden, NULL, NULL);
			break;
		case GT_DL_ADD:
			if (!room_for(r, 1))
				return;
			event_line(r, '+', td->new_id, l->new_, td, l);
			break;
		case GT_DL_COUNT:
			/* The pair is shown whole or not at all. */
			if (!room_for(r, 2))
				return;
			event_line(r, '-', td->golden_id, l->golden, NULL, NULL);
			event_line(r, '+', td->new_id, l->new_, td, l);
			break;
		case GT_DL_ALT_DEL:
			break; /* the golden's path, not taken: no change */
		case GT_DL_ALT_ADD:
			event_line(r, '~', td->new_id, l->new_, NULL, NULL);
			break;
		}
		if (l->other_paths && !r->stopped)
			gt_buf_printf(r->b, "       (the recording runs took %zu other path%s near "
				      "golden event %zu; this run took none of them)\n",
				      l->other_paths, l->other_paths == 1 ? "" : "s", l->gi + 1);
	}
}

/* First changed line at or after K, or NLINES. */
static size_t next_change(const struct gt_thread_diff *td, size_t k)
{
	while (k < td->nlines &&
	       (td->lines[k].kind == GT_DL_SAME || td->lines[k].kind == GT_DL_ALT_DEL ||
		td->lines[k].kind == GT_DL_ALT_ADD))
		k++;
	return k;
}

static void render_thread(struct render *r, const struct gt_thread_diff *td)
{
	size_t ctx = r->o->context, k = next_change(td, 0);

	while (k < td->nlines && !r->stopped) {
		size_t from = k > ctx ? k - ctx : 0, end = k + 1, to;

		/* Merge the next change while the contexts touch or overlap. */
		for (;;) {
			size_t nx = next_change(td, end);

			if (nx >= td->nlines || nx - end > 2 * ctx)
				break;
			end = nx + 1;
		}
		to = td->nlines - end > ctx ? end + ctx : td->nlines;
		if (!room_for(r, td->lines[k].kind == GT_DL_COUNT ? 2 : 1))
			return;
		hunk_header(r, td, from, to);
		render_lines(r, td, from, to);
		k = next_change(td, to);
	}
}

void gt_diff_render(const struct gt_diff *d, const struct gt_diff_render_opts *o,
		    struct gt_buf *b)
{
	struct render r = { o, b, {0}, 0, 0, false };

	r.total = d->nprocs;
	for (size_t i = 0; i < d->nthreads; i++)
		r.total += d->threads[i].ndel + d->threads[i].nadd + 2 * d->threads[i].ncount;
	if (!r.total)
		return;
	color_on(&r, BOLD);
	gt_buf_puts(b, "--- ");
	gt_escape_str(b, o->golden_name ? o->golden_name : "golden", GT_ESC_INLINE);
	line_end(&r);
	color_on(&r, BOLD);
	gt_buf_puts(b, "+++ ");
	gt_escape_str(b, o->new_name ? o->new_name : "new", GT_ESC_INLINE);
	line_end(&r);
	for (size_t i = 0; i < d->nprocs && room_for(&r, 1); i++) {
		const struct gt_proc_change *pc = &d->procs[i];

		color_on(&r, pc->added ? GREEN : RED);
		gt_buf_puts(b, pc->added ? "+ new process " : "- process ");
		gt_escape_str(b, pc->id ? pc->id : "?", GT_ESC_INLINE);
		if (pc->exe) {
			gt_buf_puts(b, " (");
			gt_escape_str(b, pc->exe, GT_ESC_INLINE);
			gt_buf_putc(b, ')');
		}
		if (!pc->added)
			gt_buf_puts(b, " is gone");
		line_end(&r);
		r.shown++;
	}
	for (size_t i = 0; i < d->nthreads && !r.stopped; i++)
		render_thread(&r, &d->threads[i]);
	if (r.shown < r.total)
		gt_buf_printf(b, "... %zu more changed lines not shown\n", r.total - r.shown);
	gt_buf_free(&r.line);
}

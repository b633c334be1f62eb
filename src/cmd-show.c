/*
 * cmd-show: `gtdiff show FILE`: a trace as strace-like canonical lines, one
 * process after another, each line prefixed by its thread's logical id.
 * A trace file is input like any other: every line is escaped (escape.h),
 * so that a crafted golden cannot drive the terminal or forge lines.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "escape.h"
#include "trace-json.h"

static void help(void)
{
	printf("Usage: gtdiff show [OPTIONS] FILE\n"
	       "Print the canonical trace in FILE as strace-like lines: one process after\n"
	       "another, each event prefixed by its thread's logical id (p1, p2, p1.t2).\n"
	       "Threads are shown one after another: their interleaving is not recorded.\n"
	       "A trace recorded with --stacks shows each call's stack below it, innermost\n"
	       "frame first, the program's own innermost frame marked '*'.\n\n"
	       "  -h, --help   this help\n\n"
	       "Exit status: 0 shown, 2 the file is missing, unreadable or not a valid trace.\n");
}

/* Add to the line in B. */
static void __attribute__((format(printf, 2, 3))) add(struct gt_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Print the line in B escaped, and empty B for the next one. */
static void put_line(struct gt_buf *b, struct gt_buf *out)
{
	gt_buf_reset(out);
	gt_escape(out, b->s, b->len, 0);
	gt_buf_putc(out, '\n');
	fputs(out->s, stdout);
	gt_buf_reset(b);
}

/* The call stack ID of an event (record --stacks), innermost frame first,
 * the program's own innermost frame marked with '*' (stacks.h). */
static void show_stack(const struct gt_trace *t, uint32_t id, struct gt_buf *line,
		       struct gt_buf *out)
{
	size_t n;
	const struct gt_frame *f = gt_stacks_get(t->stacks, id, &n);
	size_t own = gt_frame_own(f, n);

	for (size_t k = 0; k < n; k++) {
		add(line, "      %c #%zu ", k == own ? '*' : ' ', k);
		gt_frame_format(line, &f[k], NULL);
		put_line(line, out);
	}
}

static void show(const struct gt_trace *t)
{
	struct gt_buf b = {0}, line = {0}, out = {0};

	add(&line, "# gtdiff trace of:");
	for (size_t i = 0; i < t->ncommand; i++)
		add(&line, " %s", t->command[i]);
	put_line(&line, &out);
	add(&line, "# backend %s, %zu run%s, returns %s, ", t->backend ? t->backend : "?",
	    t->nruns, t->nruns == 1 ? "" : "s", t->returns_known ? "known" : "unknown");
	if (t->exit_signal)
		add(&line, "killed by %s", t->exit_signal);
	else
		add(&line, "exit status %d", t->exit_code);
	put_line(&line, &out);
	if (t->reason) {
		add(&line, "# reason: %s", t->reason);
		put_line(&line, &out);
	}
	for (size_t i = 0; i < t->nmasked; i++) {
		add(&line, "# masked: %s", t->masked[i]);
		put_line(&line, &out);
	}
	for (size_t i = 0; i < t->nprocs; i++) {
		const struct gt_process *p = &t->procs[i];

		add(&line, "# process %s", p->id);
		if (p->parent)
			add(&line, ", child of %s", p->parent);
		if (p->exe)
			add(&line, ", exec %s", p->exe);
		put_line(&line, &out);
		for (size_t j = 0; j < p->nthreads; j++) {
			const struct gt_thread *th = &p->threads[j];

			for (size_t k = 0; k < th->nevents; k++) {
				gt_buf_reset(&b);
				gt_event_format(&b, &th->events[k], true);
				add(&line, "%-5s %s", th->id, b.s);
				put_line(&line, &out);
				show_stack(t, th->events[k].stack, &line, &out);
			}
		}
	}
	gt_buf_free(&b);
	gt_buf_free(&line);
	gt_buf_free(&out);
}

int gt_cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct gt_error err = {0};
	struct gt_trace *t = NULL;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			help();
			return GT_EXIT_OK;
		}
		return gt_usage_error("show", "unknown option");
	}
	if (optind != argc - 1)
		return gt_usage_error("show", "give exactly one trace file");
	if (gt_trace_load(argv[optind], &t, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		return GT_EXIT_TROUBLE;
	}
	show(t);
	gt_trace_free(t);
	return GT_EXIT_OK;
}

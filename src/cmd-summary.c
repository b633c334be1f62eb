/*
 * cmd-summary: `gtdiff summary (-- CMD [ARG...] | FILE)`: a per-syscall
 * table of calls, errors and time in the layout of `strace -c`.
 *
 * Of a live command the table counts every completed call the tracer saw,
 * as strace -c does (calls that never return, like exit_group, are left
 * out; the loader's probes are counted).  Of a trace
 * file it shows the trace's statistics (medians over its recording runs),
 * which leave out what the canonicalizer dropped (loader probes, ignored
 * syscalls).  A closing line gives the run's totals: wall time, CPU time
 * and peak RSS.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "commands.h"
#include "record.h"
#include "stats.h"
#include "trace-json.h"
#include "units.h"

struct row {
	const char *name;
	int nr;
	double seconds;
	unsigned long calls, errors;
};

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void print_table(struct row *rows, size_t n, FILE *f)
{
	static const char dashes[] =
		"------ ----------- ----------- --------- --------- ----------------\n";
	double total_s = 0;
	unsigned long calls = 0, errors = 0;

	qsort(rows, n, sizeof(*rows), cmp_row);
	for (size_t i = 0; i < n; i++) {
		total_s += rows[i].seconds;
		calls += rows[i].calls;
		errors += rows[i].errors;
	}
	fprintf(f, "%6.6s %11.11s %11.11s %9.9s %9.9s %s\n", "% time", "seconds", "usecs/call",
		"calls", "errors", "syscall");
	fputs(dashes, f);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "%6.2f %11.6f %11lu %9lu %9.lu %s\n",
			total_s > 0 ? 100.0 * r->seconds / total_s : 0.0, r->seconds,
			r->calls ? (unsigned long)(r->seconds * 1e6 / (double)r->calls) : 0UL,
			r->calls, r->errors, r->name);
	}
	fputs(dashes, f);
	fprintf(f, "%6.6s %11.6f %11lu %9lu %9.lu %s\n", "100.00", total_s,
		calls ? (unsigned long)(total_s * 1e6 / (double)calls) : 0UL, calls, errors,
		"total");
}

/* The closing line: the run's wall time, CPU time (user + sys) and peak
 * RSS; of a trace file, the medians over its recording runs. */
static void print_totals(const struct gt_trace *t, FILE *f)
{
	size_t n = t->nruns;
	double *w, *u, *s, *r;
	struct gt_buf b = {0};

	if (!n)
		return;
	w = xcalloc(n, sizeof(*w));
	u = xcalloc(n, sizeof(*u));
	s = xcalloc(n, sizeof(*s));
	r = xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < n; i++) {
		w[i] = t->runs[i].wall_s;
		u[i] = t->runs[i].user_s;
		s[i] = t->runs[i].sys_s;
		r[i] = t->runs[i].max_rss_kb * 1024;
	}
	gt_buf_puts(&b, "total: wall ");
	gt_units_put_seconds(&b, gt_stat_of(w, n).median);
	gt_buf_puts(&b, ", CPU ");
	for (size_t i = 0; i < n; i++)
		r[i] = u[i] + s[i];
	gt_units_put_seconds(&b, gt_stat_of(r, n).median);
	for (size_t i = 0; i < n; i++)
		r[i] = t->runs[i].max_rss_kb * 1024;
	gt_buf_puts(&b, " (user ");
	gt_units_put_seconds(&b, gt_stat_of(u, n).median);
	gt_buf_puts(&b, ", sys ");
	gt_units_put_seconds(&b, gt_stat_of(s, n).median);
	gt_buf_puts(&b, "), peak RSS ");
	gt_units_put_bytes(&b, gt_stat_of(r, n).median, false);
	if (n > 1)
		gt_buf_printf(&b, " (medians of %zu recording runs)", n);
	fprintf(f, "%s\n", b.s);
	gt_buf_free(&b);
	free(w);
	free(u);
	free(s);
	free(r);
}

static size_t rows_of_capture(const struct gt_capture *c, struct row **out)
{
	int max = gt_syscalls_max();
	struct row *byn = xcalloc((size_t)max + 1, sizeof(*byn));
	struct row *rows;
	size_t n = 0;

	uint64_t times = 1;  /* the turns of the folded group event I is in */
	size_t left = 0;

	for (size_t i = 0; i < c->nevents; i++) {
		const struct gt_raw_event *e = &c->events[i];
		struct row *r;

		if (e->rep > 0) {
			times = (uint64_t)e->rep + 1;
			left = e->period;
		} else if (left == 0) {
			times = 1;
		}
		if (left > 0)
			left--;
		if (e->flags & GT_EV_NO_RETURN)
			continue; /* as strace -c: only completed calls */
		if (!(e->flags & GT_EV_RET_UNKNOWN) && gt_ret_is_restart(e->ret))
			continue; /* interrupted and restarted: one call */
		r = &byn[e->nr >= 0 && e->nr < max ? e->nr : max];
		r->nr = e->nr;
		r->name = gt_syscall_by_nr(e->nr)->name;
		r->calls += times;
		if (e->ret < 0 && e->ret >= -4095 && !(e->flags & GT_EV_RET_UNKNOWN))
			r->errors += times;
		r->seconds += (double)(e->t_exit_ns - e->t_enter_ns) / 1e9;
	}
	rows = xcalloc((size_t)max + 1, sizeof(*rows));
	for (int i = 0; i <= max; i++)
		if (byn[i].calls)
			rows[n++] = byn[i];
	free(byn);
	*out = rows;
	return n;
}

static size_t rows_of_trace(const struct gt_trace *t, struct row **out)
{
	struct row *rows = xcalloc(t->nsysstats + 1, sizeof(*rows));
	size_t n = 0;

	for (size_t i = 0; i < t->nsysstats; i++) {
		const struct gt_syscall_stat *s = &t->sysstats[i];

		if (s->calls.median <= 0)
			continue;
		rows[n].name = s->name;
		rows[n].nr = gt_syscall_nr(s->name);
		rows[n].calls = (unsigned long)(s->calls.median + 0.5);
		rows[n].errors = (unsigned long)(s->errors.median + 0.5);
		rows[n].seconds = s->time_us.median / 1e6;
		n++;
	}
	*out = rows;
	return n;
}

static void help(void)
{
	printf("Usage: gtdiff summary [OPTIONS] -- CMD [ARG...]\n"
	       "       gtdiff summary [OPTIONS] FILE\n"
	       "Print a per-syscall table (%% time, seconds, usecs/call, calls, errors) in\n"
	       "the layout of strace -c: of CMD traced now, or of the trace FILE (medians of\n"
	       "its recording runs).  The table goes to stdout; CMD's own stdout goes to\n"
	       "stderr.  Time is the wall time from syscall entry to exit as the tracer saw it.\n"
	       "A last line gives the run's totals: wall time, CPU time (user + sys) and peak\n"
	       "RSS (of a FILE, the medians of its recording runs).\n\n"
	       "  -h, --help   this help\n\n"
	       "%s\n"
	       "Exit status: 0 shown, 2 trouble (bad usage, unreadable trace, tracer failure).\n",
	       gt_capture_opts_help);
}

int gt_cmd_summary(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		GT_CAPTURE_LONGOPTS,
		{NULL, 0, NULL, 0},
	};
	struct gt_capture_cli cli;
	struct gt_error err = {0};
	struct gt_trace *t = NULL;
	struct gt_capture *raw = NULL;
	struct row *rows = NULL;
	int opt, status = GT_EXIT_TROUBLE;
	bool live;
	size_t n;

	gt_capture_cli_init(&cli);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		int r = gt_capture_cli_opt(&cli, opt, optarg, &err);

		if (r < 0) {
			gt_usage_error("summary", "%s", err.msg);
			goto out;
		}
		if (r > 0)
			continue;
		if (opt == 'h') {
			help();
			status = GT_EXIT_OK;
			goto out;
		}
		gt_usage_error("summary", "unknown option");
		goto out;
	}
	if (optind >= argc) {
		gt_usage_error("summary", "give -- CMD [ARG...] or a trace FILE");
		goto out;
	}
	/* getopt leaves "--" consumed; a lone FILE is a trace, a "--" before
	 * means a command. */
	live = strcmp(argv[optind - 1], "--") == 0 || argc - optind > 1;
	gt_syscalls_init();
	if (live) {
		gt_capture_cli_finish(&cli, argv + optind);
		cli.rec.stdout_to_stderr = true;
		cli.rec.runs = 1;
		gt_capture_tuning_from_env(&cli.rec.tuning);
		enum gt_rc rc = gt_record(&cli.rec, &t, &raw, &err);

		gt_warn_notes(argv[optind], &cli.notes);
		if (rc != GT_OK) {
			gt_die_msg("%s", err.msg);
			goto out;
		}
		n = rows_of_capture(raw, &rows);
	} else {
		if (gt_trace_load(argv[optind], &t, &err) != GT_OK) {
			gt_die_msg("%s", err.msg);
			goto out;
		}
		n = rows_of_trace(t, &rows);
	}
	print_table(rows, n, stdout);
	print_totals(t, stdout);
	status = GT_EXIT_OK;
out:
	free(rows);
	gt_capture_free(raw);
	gt_trace_free(t);
	gt_capture_cli_free(&cli);
	return status;
}

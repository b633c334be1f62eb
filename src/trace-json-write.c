/*
 * trace-json-write: the golden trace file's writer (see trace-json.h and
 * gtdiff-trace(5)).  Hand-written so that the layout (key order,
 * indentation, one event per line) never depends on jansson's encoder and a
 * golden change reads well in `git diff`.  The loader is trace-json.c.
 */
#include "config.h"

#include "trace-json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The per-run metrics of "stats", in file order (and struct gt_trace order). */
static const char *const metrics[] = {"wall_s", "user_s", "sys_s", "max_rss_kb", "syscalls"};

/* ---- writer --------------------------------------------------------------- */

/* Append S as a JSON string.  Non-ASCII text stays UTF-8 so that goldens
 * read well; bytes that are not valid UTF-8 (a command line argument can be
 * anything) become U+FFFD, because JSON cannot carry raw bytes. */
static void put_str(struct gt_buf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);

	gt_buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len;

		switch (c) {
		case '"': gt_buf_puts(b, "\\\""); i++; continue;
		case '\\': gt_buf_puts(b, "\\\\"); i++; continue;
		case '\b': gt_buf_puts(b, "\\b"); i++; continue;
		case '\f': gt_buf_puts(b, "\\f"); i++; continue;
		case '\n': gt_buf_puts(b, "\\n"); i++; continue;
		case '\r': gt_buf_puts(b, "\\r"); i++; continue;
		case '\t': gt_buf_puts(b, "\\t"); i++; continue;
		default: break;
		}
		if (c < 0x20) {
			gt_buf_printf(b, "\\u%04x", c);
			i++;
			continue;
		}
		len = gt_trace_utf8_len(str + i, n - i);
		if (len == 0) {
			gt_buf_puts(b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		gt_buf_add(b, str + i, len);
		i += len;
	}
	gt_buf_putc(b, '"');
}

static void put_str_or_null(struct gt_buf *b, const char *s)
{
	if (s)
		put_str(b, s);
	else
		gt_buf_puts(b, "null");
}

/* Append V so that reading it back and writing it again gives the same
 * bytes: integral values below 1e15 exactly, others with 9 significant
 * digits, where the decision is made on the value those digits denote.
 * Non-finite values cannot be written in JSON and never come out of
 * gt_stat_of over finite samples; they are written as 0. */
static void put_num(struct gt_buf *b, double v)
{
	char s[64];

	if (!isfinite(v) || v == 0) {
		gt_buf_puts(b, "0");
		return;
	}
	if (fabs(v) < 1e15 && v == trunc(v)) {
		gt_buf_printf(b, "%.0f", v);
		return;
	}
	snprintf(s, sizeof(s), "%.9g", v);
	v = strtod(s, NULL);
	if (fabs(v) < 1e15 && v == trunc(v))
		gt_buf_printf(b, "%.0f", v);
	else
		gt_buf_puts(b, s);
}

static void put_stat(struct gt_buf *b, const struct gt_stat *s)
{
	gt_buf_putc(b, '[');
	put_num(b, s->min);
	gt_buf_puts(b, ", ");
	put_num(b, s->median);
	gt_buf_puts(b, ", ");
	put_num(b, s->mad);
	gt_buf_puts(b, ", ");
	put_num(b, s->max);
	gt_buf_putc(b, ']');
}

/* ["a", "b"] on one line. */
static void put_inline_strs(struct gt_buf *b, const char *const *v, size_t n)
{
	gt_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			gt_buf_puts(b, ", ");
		put_str(b, v[i] ? v[i] : "");
	}
	gt_buf_putc(b, ']');
}

static void put_exit(struct gt_buf *b, int code, const char *signal)
{
	gt_buf_printf(b, "{\"code\": %d, \"signal\": ", code);
	put_str_or_null(b, signal);
	gt_buf_putc(b, '}');
}

/* TH's events as an array of event lines, one per line indented by
 * INDENT spaces, the closing bracket by INDENT - 2. */
static void put_events(struct gt_buf *b, const struct gt_thread *th, int indent)
{
	struct gt_buf ev = {0};

	gt_buf_putc(b, '[');
	for (size_t k = 0; k < th->nevents; k++) {
		gt_buf_reset(&ev);
		gt_event_format(&ev, &th->events[k], true);
		gt_buf_printf(b, "%s\n%*s", k ? "," : "", indent, "");
		put_str(b, ev.s);
	}
	if (th->nevents)
		gt_buf_printf(b, "\n%*s", indent - 2, "");
	gt_buf_putc(b, ']');
	gt_buf_free(&ev);
}

/* The call stacks of TH's events (record --stacks), when it has any:
 * "stacks", parallel to "events", each the number of the event's stack in
 * the trace's "stacks" (RENUM: the trace's numbers to the file's), 0 for
 * none.  Readers that do not know the key ignore it (trace-json.c). */
static void put_thread_stacks(struct gt_buf *b, const struct gt_thread *th,
			      const uint32_t *renum)
{
	size_t k;

	for (k = 0; renum && k < th->nevents && !th->events[k].stack; k++)
		;
	if (!renum || k == th->nevents)
		return;
	gt_buf_puts(b, ",\n          \"stacks\": [");
	for (k = 0; k < th->nevents; k++)
		gt_buf_printf(b, "%s%" PRIu32, k ? ", " : "", renum[th->events[k].stack]);
	gt_buf_putc(b, ']');
}

static void put_thread(struct gt_buf *b, const struct gt_thread *th, const uint32_t *renum)
{
	gt_buf_puts(b, "        {\n          \"id\": ");
	put_str(b, th->id ? th->id : "");
	gt_buf_puts(b, ",\n          \"events\": ");
	put_events(b, th, 12);
	put_thread_stacks(b, th, renum);
	gt_buf_puts(b, "\n        }");
}

/* The stacks T's events name, numbered from 1 in the order of their first
 * use: a new array RENUM[old number] (0 for a stack no event names), and
 * *N of them; NULL when no event has one. */
static uint32_t *number_stacks(const struct gt_trace *t, uint32_t *n)
{
	uint32_t *renum;

	*n = 0;
	if (!t->stacks || !t->stacks->nstacks)
		return NULL;
	renum = xcalloc(t->stacks->nstacks + 1, sizeof(*renum));
	for (size_t i = 0; i < t->nprocs; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			for (size_t k = 0; k < th->nevents; k++) {
				uint32_t id = th->events[k].stack;

				if (id && id <= t->stacks->nstacks && !renum[id])
					renum[id] = ++*n;
			}
		}
	renum[0] = 0;
	if (*n == 0) {
		free(renum);
		return NULL;
	}
	return renum;
}

static void put_frame(struct gt_buf *b, const struct gt_frame *f)
{
	gt_buf_puts(b, "{\"module\": ");
	put_str_or_null(b, f->module);
	gt_buf_printf(b, ", \"offset\": %" PRIu64 ", \"symbol\": ", f->offset);
	put_str_or_null(b, f->symbol);
	gt_buf_printf(b, ", \"symoff\": %" PRIu64 ", \"file\": ", f->symoff);
	put_str_or_null(b, f->file);
	gt_buf_printf(b, ", \"line\": %u}", f->line);
}

/* The table of call stacks, N of them as RENUM numbers them: "stacks", an
 * array of stacks, each an array of frames innermost first. */
static void put_stack_table(struct gt_buf *b, const struct gt_trace *t, const uint32_t *renum,
			    uint32_t n)
{
	uint32_t *old = xcalloc(n, sizeof(*old));

	for (uint32_t id = 1; id <= t->stacks->nstacks; id++)
		if (renum[id])
			old[renum[id] - 1] = id;
	gt_buf_puts(b, "  \"stacks\": [");
	for (uint32_t i = 0; i < n; i++) {
		size_t nf;
		const struct gt_frame *f = gt_stacks_get(t->stacks, old[i], &nf);

		gt_buf_puts(b, i ? ",\n    [" : "\n    [");
		for (size_t k = 0; k < nf; k++) {
			gt_buf_puts(b, k ? ",\n     " : "");
			put_frame(b, &f[k]);
		}
		gt_buf_putc(b, ']');
	}
	gt_buf_puts(b, "\n  ],\n");
	free(old);
}

/* The learned alternatives, when there are any (older goldens have none). */
static void put_alts(struct gt_buf *b, const struct gt_trace *t)
{
	if (!t->nalts)
		return;
	gt_buf_puts(b, "  \"alternatives\": [");
	for (size_t i = 0; i < t->nalts; i++) {
		const struct gt_alt *a = &t->alts[i];

		gt_buf_puts(b, i ? ",\n    {\"thread\": " : "\n    {\"thread\": ");
		put_str(b, a->events.id ? a->events.id : "");
		gt_buf_printf(b, ", \"at\": %zu, \"replaces\": %zu, \"events\": ", a->at + 1,
			      a->len);
		put_events(b, &a->events, 6);
		gt_buf_putc(b, '}');
	}
	gt_buf_puts(b, "\n  ],\n");
}

static void put_process(struct gt_buf *b, const struct gt_process *p, const uint32_t *renum)
{
	gt_buf_puts(b, "    {\n      \"id\": ");
	put_str(b, p->id ? p->id : "");
	gt_buf_puts(b, ",\n      \"parent\": ");
	put_str_or_null(b, p->parent);
	gt_buf_puts(b, ",\n      \"exe\": ");
	put_str_or_null(b, p->exe);
	gt_buf_puts(b, ",\n      \"exit\": ");
	put_exit(b, p->exit_code, p->exit_signal);
	gt_buf_puts(b, ",\n      \"threads\": [");
	for (size_t j = 0; j < p->nthreads; j++) {
		gt_buf_puts(b, j ? ",\n" : "\n");
		put_thread(b, &p->threads[j], renum);
	}
	gt_buf_puts(b, p->nthreads ? "\n      ]\n    }" : "]\n    }");
}

/* Where it was recorded; only what is known (older goldens have none). */
static void put_env(struct gt_buf *b, const struct gt_trace_env *e)
{
	bool any = false;

	if (!e->kernel && !e->libc && !e->cpus && !e->fs && e->root < 0)
		return;
	gt_buf_puts(b, "  \"environment\": {");
#define SEP() (any ? ", " : (any = true, ""))
	if (e->kernel) {
		gt_buf_printf(b, "%s\"kernel\": ", SEP());
		put_str(b, e->kernel);
	}
	if (e->libc) {
		gt_buf_printf(b, "%s\"libc\": ", SEP());
		put_str(b, e->libc);
	}
	if (e->cpus)
		gt_buf_printf(b, "%s\"cpus\": %d", SEP(), e->cpus);
	if (e->fs) {
		gt_buf_printf(b, "%s\"fs\": ", SEP());
		put_str(b, e->fs);
	}
	if (e->root >= 0)
		gt_buf_printf(b, "%s\"root\": %s", SEP(), e->root ? "true" : "false");
#undef SEP
	gt_buf_puts(b, "},\n");
}

static void put_stats(struct gt_buf *b, const struct gt_trace *t)
{
	const struct gt_stat *stats[] = {&t->wall_s, &t->user_s, &t->sys_s, &t->max_rss_kb,
					 &t->syscalls};

	gt_buf_printf(b, "  \"stats\": {\n    \"runs\": %zu,\n", t->nruns);
	for (size_t i = 0; i < GT_ARRAY_SIZE(metrics); i++) {
		gt_buf_printf(b, "    \"%s\": ", metrics[i]);
		put_stat(b, stats[i]);
		gt_buf_puts(b, ",\n");
	}
	gt_buf_puts(b, "    \"samples\": [");
	for (size_t i = 0; i < t->nruns; i++) {
		const struct gt_run_sample *r = &t->runs[i];

		gt_buf_puts(b, i ? ",\n      {\"wall_s\": " : "\n      {\"wall_s\": ");
		put_num(b, r->wall_s);
		gt_buf_puts(b, ", \"user_s\": ");
		put_num(b, r->user_s);
		gt_buf_puts(b, ", \"sys_s\": ");
		put_num(b, r->sys_s);
		gt_buf_puts(b, ", \"max_rss_kb\": ");
		put_num(b, r->max_rss_kb);
		gt_buf_puts(b, ", \"syscalls\": ");
		put_num(b, r->syscalls);
		if (r->anon_bytes >= 0) {
			gt_buf_puts(b, ", \"anon_bytes\": ");
			put_num(b, r->anon_bytes);
		}
		if (r->cpu_stall_s > 0) {
			gt_buf_puts(b, ", \"cpu_stall_s\": ");
			put_num(b, r->cpu_stall_s);
		}
		gt_buf_putc(b, '}');
	}
	gt_buf_puts(b, t->nruns ? "\n    ],\n" : "],\n");
	gt_buf_puts(b, "    \"by_syscall\": {");
	for (size_t i = 0; i < t->nsysstats; i++) {
		const struct gt_syscall_stat *s = &t->sysstats[i];

		gt_buf_puts(b, i ? ",\n      " : "\n      ");
		put_str(b, s->name ? s->name : "");
		gt_buf_puts(b, ": {\"calls\": ");
		put_stat(b, &s->calls);
		gt_buf_puts(b, ", \"errors\": ");
		put_stat(b, &s->errors);
		gt_buf_puts(b, ", \"time_us\": ");
		put_stat(b, &s->time_us);
		gt_buf_putc(b, '}');
	}
	gt_buf_puts(b, t->nsysstats ? "\n    }\n  }\n" : "}\n  }\n");
}

char *gt_trace_to_json(const struct gt_trace *t)
{
	struct gt_buf b = {0};
	uint32_t nstacks;
	uint32_t *renum = number_stacks(t, &nstacks);

	gt_buf_printf(&b, "{\n  \"format\": \"%s\",\n  \"version\": %d,\n  \"generator\": ",
		      GT_TRACE_FORMAT, GT_TRACE_VERSION);
	put_str(&b, t->generator ? t->generator : "");
	gt_buf_puts(&b, ",\n  \"command\": ");
	put_inline_strs(&b, t->command, t->ncommand);
	gt_buf_puts(&b, ",\n  \"backend\": ");
	put_str(&b, t->backend ? t->backend : "");
	gt_buf_printf(&b, ",\n  \"returns\": \"%s\",\n  \"reason\": ",
		      t->returns_known ? "known" : "unknown");
	put_str_or_null(&b, t->reason);
	/* Hash what is written, not what t->hash claims. */
	gt_buf_printf(&b, ",\n  \"hash\": \"xxh3:%016" PRIx64 "\",\n  \"exit\": ",
		      gt_trace_hash(t));
	put_exit(&b, t->exit_code, t->exit_signal);
	gt_buf_printf(&b, ",\n  \"capture\": {\"intercepted\": %" PRIu64 ", \"let_through\": ",
		      t->intercepted);
	if (t->let_through == GT_COUNT_UNKNOWN)
		gt_buf_puts(&b, "null");
	else
		gt_buf_printf(&b, "%" PRIu64, t->let_through);
	/* Only when some returns were not seen: older goldens stay as they are. */
	if (t->nunknown_returns) {
		gt_buf_puts(&b, ", \"unknown_returns\": ");
		put_inline_strs(&b, t->unknown_returns, t->nunknown_returns);
	}
	gt_buf_puts(&b, "},\n");
	put_env(&b, &t->env);
	gt_buf_printf(&b, "  \"canonicalize\": {\"version\": %d, \"unordered\": ",
		      t->canon_version);
	put_inline_strs(&b, t->unordered, t->nunordered);
	gt_buf_puts(&b, ", \"ignored\": ");
	put_inline_strs(&b, t->ignored, t->nignored);
	gt_buf_puts(&b, "},\n  \"masked\": [");
	for (size_t i = 0; i < t->nmasked; i++) {
		gt_buf_puts(&b, i ? ",\n    " : "\n    ");
		put_str(&b, t->masked[i] ? t->masked[i] : "");
	}
	gt_buf_puts(&b, t->nmasked ? "\n  ],\n  \"processes\": [" : "],\n  \"processes\": [");
	for (size_t i = 0; i < t->nprocs; i++) {
		gt_buf_puts(&b, i ? ",\n" : "\n");
		put_process(&b, &t->procs[i], renum);
	}
	gt_buf_puts(&b, t->nprocs ? "\n  ],\n" : "],\n");
	put_alts(&b, t);
	if (renum)
		put_stack_table(&b, t, renum, nstacks);
	free(renum);
	put_stats(&b, t);
	gt_buf_puts(&b, "}\n");
	return gt_buf_steal(&b);
}

enum gt_rc gt_trace_save(const struct gt_trace *t, const char *path, struct gt_error *err)
{
	char *json = gt_trace_to_json(t);
	enum gt_rc rc = gt_write_file_atomic(path, json, strlen(json), err);

	free(json);
	return rc;
}


enum gt_rc gt_trace_save_golden(const struct gt_trace *t, const char *path,
				struct gt_error *err)
{
	char *json = gt_trace_to_json(t);
	enum gt_rc rc = gt_write_file_regular(path, json, strlen(json), err);

	free(json);
	return rc;
}

/*
 * trace-json: the golden trace file's loader, version 1 (see trace-json.h
 * and gtdiff-trace(5)); the writer is trace-json-write.c.  The loader uses
 * jansson and checks every field, so that a broken golden is reported with
 * its file name and the place that is wrong, never half-loaded.
 */
#include "config.h"

#include "trace-json.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include "json-events.h"
#include "trace-json-stacks.h"

/* The per-run metrics of "stats", in file order (and struct gt_trace order). */
static const char *const metrics[] = {"wall_s", "user_s", "sys_s", "max_rss_kb", "syscalls"};

/* ---- the event scanner's path (json-events.c) -------------------------- */

/*
 * GTDIFF_JSON_FASTPATH=0 in the environment turns the scanner off, for the
 * tests that check that both paths load the same traces and give the same
 * errors.  It is read at each parse, which costs nothing next to the parse.
 */

/* How many gt_trace_parse calls took the scanner's path (for tests). */
static _Atomic unsigned long fastpath_loads;

unsigned long gt_trace_json_fastpath_count(void)
{
	return fastpath_loads;
}

static bool fastpath_enabled(void)
{
	const char *v = getenv("GTDIFF_JSON_FASTPATH");

	return !v || strcmp(v, "0") != 0;
}

/* ---- loader --------------------------------------------------------------- */

/*
 * Compatibility: a file of a newer format version is refused before anything
 * else is looked at, since its layout may differ.  Within version 1, keys this
 * loader does not know are tolerated (at the top level and inside objects),
 * so that a later gtdiff may add informational keys to version 1 without
 * breaking older readers; they are dropped when the trace is written again.
 * Every key that this writer emits is required.
 */

struct ctx {
	const char *name;             /* the file, for messages */
	struct gt_error *err;
	struct gt_trace *t;
	struct gt_json_events *ev;           /* the scanned events, or NULL */
	struct gt_buf line;           /* scratch for gt_event_parse_buf */
	char *own;                    /* the file's bytes, if ours to free */
};

static void jansson_init(void)
{
	static bool done;

	/* Idempotent: a race only stores the same pointers twice. */
	if (!done) {
		json_set_alloc_funcs(xmalloc, free);
		done = true;
	}
}

static enum gt_rc vfail(struct ctx *c, enum gt_rc rc, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static enum gt_rc fail(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static enum gt_rc fail_rc(struct ctx *c, enum gt_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fail with "NAME: message". */
static enum gt_rc vfail(struct ctx *c, enum gt_rc rc, const char *fmt, va_list ap)
{
	char msg[sizeof(c->err->msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	return gt_error_set(c->err, rc, "%s: %s", c->name, msg);
}

static enum gt_rc fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	enum gt_rc rc;

	va_start(ap, fmt);
	rc = vfail(c, GT_ERR_FORMAT, fmt, ap);
	va_end(ap);
	return rc;
}

static enum gt_rc fail_rc(struct ctx *c, enum gt_rc rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rc = vfail(c, rc, fmt, ap);
	va_end(ap);
	return rc;
}

/* S from the file, quoted for a message: at most 40 bytes of it, escaped so
 * that the message stays printable ASCII.  Returns BUF. */
static const char *show(char *buf, size_t size, const char *s)
{
	struct gt_buf q = {0};
	size_t n = strlen(s);

	gt_buf_quote(&q, s, n > 40 ? 40 : n);
	snprintf(buf, size, "%s%s", q.s, n > 40 ? "..." : "");
	gt_buf_free(&q);
	return buf;
}

/* The full name of KEY inside LOC ("" at the top level), for messages. */
static const char *key_name(char *buf, size_t size, const char *loc, const char *key)
{
	snprintf(buf, size, "%s%s%s", loc, *loc ? "." : "", key);
	return buf;
}

enum want {
	W_STRING,
	W_STRING_OR_NULL,
	W_OBJECT,
	W_ARRAY,
	W_INTEGER,
};

static const char *const want_text[] = {
	[W_STRING] = "a string",
	[W_STRING_OR_NULL] = "a string or null",
	[W_OBJECT] = "an object",
	[W_ARRAY] = "an array",
	[W_INTEGER] = "an integer",
};

static bool has_type(const json_t *v, enum want w)
{
	switch (w) {
	case W_STRING: return json_is_string(v);
	case W_STRING_OR_NULL: return json_is_string(v) || json_is_null(v);
	case W_OBJECT: return json_is_object(v);
	case W_ARRAY: return json_is_array(v);
	case W_INTEGER: return json_is_integer(v);
	}
	return false;
}

/* Fetch OBJ[KEY] (LOC names OBJ in messages), which must exist and be of
 * type W. */
static enum gt_rc get(struct ctx *c, json_t *obj, const char *loc, const char *key, enum want w,
		      json_t **out)
{
	char kn[256];
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v)
		return fail(c, "missing \"%s\"", key_name(kn, sizeof(kn), loc, key));
	if (!has_type(v, w))
		return fail(c, "\"%s\" must be %s", key_name(kn, sizeof(kn), loc, key),
			    want_text[w]);
	*out = v;
	return GT_OK;
}

/* A string (or NULL for null, where W allows it), interned in the trace. */
static enum gt_rc get_str(struct ctx *c, json_t *obj, const char *loc, const char *key,
			  enum want w, const char **out)
{
	json_t *v = NULL;
	enum gt_rc rc = get(c, obj, loc, key, w, &v);

	if (rc == GT_OK)
		*out = json_is_null(v) ? NULL : gt_trace_str(c->t, json_string_value(v));
	return rc;
}

static enum gt_rc get_int(struct ctx *c, json_t *obj, const char *loc, const char *key,
			  json_int_t min, json_int_t max, json_int_t *out)
{
	char kn[256];
	json_t *v = NULL;
	enum gt_rc rc = get(c, obj, loc, key, W_INTEGER, &v);

	if (rc != GT_OK)
		return rc;
	*out = json_integer_value(v);
	if (*out < min || *out > max)
		return fail(c, "\"%s\" is %lld, must be between %lld and %lld",
			    key_name(kn, sizeof(kn), loc, key), (long long)*out, (long long)min,
			    (long long)max);
	return GT_OK;
}

/* A non-negative number. */
static enum gt_rc get_metric(struct ctx *c, json_t *obj, const char *loc, const char *key,
			     double *out)
{
	char kn[256];
	json_t *v = json_object_get(obj, key);

	if (!v)
		return fail(c, "missing \"%s\"", key_name(kn, sizeof(kn), loc, key));
	if (!json_is_number(v) || json_number_value(v) < 0)
		return fail(c, "\"%s\" must be a non-negative number",
			    key_name(kn, sizeof(kn), loc, key));
	*out = json_number_value(v);
	return GT_OK;
}

/* [min, median, mad, max]: four non-negative numbers, min <= median <= max. */
static enum gt_rc get_stat(struct ctx *c, json_t *obj, const char *loc, const char *key,
			   struct gt_stat *out)
{
	char kn[256];
	json_t *v = json_object_get(obj, key);
	double d[4];

	key_name(kn, sizeof(kn), loc, key);
	if (!v)
		return fail(c, "missing \"%s\"", kn);
	if (!json_is_array(v) || json_array_size(v) != 4)
		return fail(c, "\"%s\" must be an array of 4 numbers [min, median, mad, max]", kn);
	for (size_t i = 0; i < 4; i++) {
		json_t *x = json_array_get(v, i);

		if (!json_is_number(x))
			return fail(c, "\"%s\" must be an array of 4 numbers "
				    "[min, median, mad, max]", kn);
		d[i] = json_number_value(x);
		if (d[i] < 0)
			return fail(c, "\"%s\": negative value", kn);
	}
	if (d[0] > d[1] || d[1] > d[3])
		return fail(c, "\"%s\": [min, median, mad, max] out of order", kn);
	out->min = d[0];
	out->median = d[1];
	out->mad = d[2];
	out->max = d[3];
	return GT_OK;
}

/* An array of strings; each goes through ADD.  NAMES: each must be a
 * syscall name. */
static enum gt_rc get_strs(struct ctx *c, json_t *obj, const char *loc, const char *key,
			   bool names, void (*add)(struct gt_trace *, const char *))
{
	char kn[256];
	json_t *v = NULL, *x;
	size_t i;
	enum gt_rc rc = get(c, obj, loc, key, W_ARRAY, &v);

	if (rc != GT_OK)
		return rc;
	key_name(kn, sizeof(kn), loc, key);
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);

		if (!s)
			return fail(c, "%s[%zu] must be a string", kn, i);
		if (names && !gt_trace_name_ok(s, strlen(s)))
			return fail(c, "%s[%zu] is not a syscall name", kn, i);
		add(c->t, s);
	}
	return GT_OK;
}

static enum gt_rc get_exit(struct ctx *c, json_t *obj, const char *loc, int *code,
			   const char **signal)
{
	char kn[128]; /* shorter than the callees' buffers, which add to it */
	json_t *e = NULL;
	json_int_t n = 0;
	enum gt_rc rc = get(c, obj, loc, "exit", W_OBJECT, &e);

	if (rc != GT_OK)
		return rc;
	key_name(kn, sizeof(kn), loc, "exit");
	rc = get_int(c, e, kn, "code", -1, 255, &n);
	if (rc == GT_OK)
		rc = get_str(c, e, kn, "signal", W_STRING_OR_NULL, signal);
	*code = (int)n;
	return rc;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const char *const *)a, y = (uintptr_t)*(const char *const *)b;

	return (x > y) - (x < y);
}

/* Interned ids compare by pointer: sort them and look for neighbours. */
static const char *find_duplicate(const char **ids, size_t n)
{
	if (n < 2)
		return NULL;
	qsort(ids, n, sizeof(*ids), cmp_ptr);
	for (size_t i = 1; i < n; i++) {
		if (ids[i] == ids[i - 1])
			return ids[i];
	}
	return NULL;
}

/* jansson's tree of DATA.  When the scanner took the events out first, C->ev
 * is EV, holding them, and their arrays in the tree are empty.  On failure,
 * JERR describes the error in DATA itself. */
static json_t *load_json(struct ctx *c, const char *data, size_t len, struct gt_json_events *ev,
			 json_error_t *jerr)
{
	const size_t flags = JSON_DECODE_ANY | JSON_REJECT_DUPLICATES;
	json_t *root;

	if (fastpath_enabled() && gt_json_events_scan(data, len, ev)) {
		root = json_loadb(ev->copy, ev->copy_len, flags, jerr);
		free(ev->copy);
		ev->copy = NULL;
		if (root) {
			c->ev = ev;
			fastpath_loads++;
			return root;
		}
		gt_json_events_free(ev);
	}
	return json_loadb(data, len, flags, jerr);
}

/* Parse TEXT, events[K] of the thread at LOC, and append the event to TH.
 * The parts live in C->line, reused from one event to the next. */
static enum gt_rc add_event(struct ctx *c, struct gt_thread *th, const char *loc, size_t k,
			    const char *text)
{
	struct gt_event_parts parts;
	struct gt_error perr;

	if (gt_event_parse_buf(text, &parts, &c->line, &perr) != GT_OK)
		return fail(c, "%s.events[%zu]: %s", loc, k, perr.msg);
	gt_thread_add_event(c->t, th, parts.call, (const char *const *)parts.args, parts.nargs,
			    parts.ret, parts.count);
	return GT_OK;
}

/* The events of the thread at LOC, from the next array the scanner found;
 * jansson's EVENTS, in the copy, must be empty. */
static enum gt_rc load_scanned_events(struct ctx *c, json_t *events, const char *loc,
				      struct gt_thread *th)
{
	struct gt_json_events *ev = c->ev;
	const struct gt_json_ev_array *a;
	const char *text;
	enum gt_rc rc;

	/* Only a scanner that followed another path than the loader gets
	 * here: refuse the file rather than give a thread another's events. */
	if (json_array_size(events) != 0 || ev->next == ev->narrays)
		return fail(c, "%s.events: internal error (the event scanner is out of step)",
			    loc);
	a = &ev->arrays[ev->next++];
	text = ev->arena + a->start;
	for (size_t k = 0; k < a->n; k++) {
		rc = add_event(c, th, loc, k, text);
		if (rc != GT_OK)
			return rc;
		text += strlen(text) + 1;
	}
	return GT_OK;
}

static enum gt_rc load_thread(struct ctx *c, json_t *jt, const char *loc, struct gt_process *p)
{
	struct gt_thread *th;
	const char *id = NULL;
	json_t *events = NULL, *x;
	size_t k;
	enum gt_rc rc;

	if (!json_is_object(jt))
		return fail(c, "%s must be an object", loc);
	rc = get_str(c, jt, loc, "id", W_STRING, &id);
	if (rc == GT_OK && *id == '\0')
		rc = fail(c, "\"%s.id\" is empty", loc);
	if (rc == GT_OK)
		rc = get(c, jt, loc, "events", W_ARRAY, &events);
	if (rc != GT_OK)
		return rc;
	th = gt_process_add_thread(c->t, p, id);
	if (c->ev)
		return load_scanned_events(c, events, loc, th);
	json_array_foreach(events, k, x) {
		const char *text = json_string_value(x);

		if (!text)
			return fail(c, "%s.events[%zu] must be a string", loc, k);
		rc = add_event(c, th, loc, k, text);
		if (rc != GT_OK)
			return rc;
	}
	return GT_OK;
}

static enum gt_rc load_process(struct ctx *c, json_t *jp, size_t i)
{
	char loc[64], tloc[96];
	struct gt_process *p;
	const char *id = NULL, *parent = NULL, *exe = NULL, *signal = NULL;
	json_t *threads = NULL, *x;
	int code = 0;
	size_t j;
	enum gt_rc rc;

	snprintf(loc, sizeof(loc), "processes[%zu]", i);
	if (!json_is_object(jp))
		return fail(c, "%s must be an object", loc);
	rc = get_str(c, jp, loc, "id", W_STRING, &id);
	if (rc == GT_OK && *id == '\0')
		rc = fail(c, "\"%s.id\" is empty", loc);
	if (rc == GT_OK)
		rc = get_str(c, jp, loc, "parent", W_STRING_OR_NULL, &parent);
	if (rc == GT_OK)
		rc = get_str(c, jp, loc, "exe", W_STRING_OR_NULL, &exe);
	if (rc == GT_OK)
		rc = get_exit(c, jp, loc, &code, &signal);
	if (rc == GT_OK)
		rc = get(c, jp, loc, "threads", W_ARRAY, &threads);
	if (rc != GT_OK)
		return rc;
	p = gt_trace_add_process(c->t, id, parent);
	p->exe = exe;
	p->exit_code = code;
	p->exit_signal = signal;
	json_array_foreach(threads, j, x) {
		snprintf(tloc, sizeof(tloc), "%s.threads[%zu]", loc, j);
		rc = load_thread(c, x, tloc, p);
		if (rc != GT_OK)
			return rc;
	}
	return GT_OK;
}

/* Process ids unique, thread ids unique over the whole trace, one root, and
 * every other process's parent one of the processes. */
static enum gt_rc check_tree(struct ctx *c)
{
	struct gt_trace *t = c->t;
	const char **ids = NULL, **tids = NULL, *dup;
	char q[256];
	size_t ntids = 0, tcap = 0;
	enum gt_rc rc = GT_OK;

	ids = xmalloc((t->nprocs ? t->nprocs : 1) * sizeof(*ids));
	for (size_t i = 0; i < t->nprocs; i++) {
		ids[i] = t->procs[i].id;
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			xgrow((void **)&tids, &tcap, ntids + 1, sizeof(*tids));
			tids[ntids++] = t->procs[i].threads[j].id;
		}
	}
	dup = find_duplicate(ids, t->nprocs);
	if (dup) {
		rc = fail(c, "duplicate process id %s", show(q, sizeof(q), dup));
		goto out;
	}
	dup = find_duplicate(tids, ntids);
	if (dup) {
		rc = fail(c, "duplicate thread id %s", show(q, sizeof(q), dup));
		goto out;
	}
	for (size_t i = 0; i < t->nprocs; i++) {
		const char *parent = t->procs[i].parent;

		/* The first process is the command itself; every other one was
		 * created by a process of the trace. */
		if (i == 0 && parent) {
			rc = fail(c, "\"processes[0].parent\" must be null (the root process)");
			goto out;
		}
		if (i > 0 && !parent) {
			rc = fail(c, "\"processes[%zu].parent\" is null, but only the root process "
				  "(the first) has no parent", i);
			goto out;
		}
		if (parent == t->procs[i].id) {
			rc = fail(c, "\"processes[%zu].parent\" is the process itself", i);
			goto out;
		}
		if (parent && !bsearch(&parent, ids, t->nprocs, sizeof(*ids), cmp_ptr)) {
			rc = fail(c, "\"processes[%zu].parent\" (%s) is not a process of "
				  "this trace", i, show(q, sizeof(q), parent));
			goto out;
		}
	}
out:
	free(ids);
	free(tids);
	return rc;
}

static const struct gt_thread *find_thread(const struct gt_trace *t, const char *id)
{
	for (size_t i = 0; i < t->nprocs; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++)
			if (strcmp(t->procs[i].threads[j].id, id) == 0)
				return &t->procs[i].threads[j];
	return NULL;
}

/* "alternatives" (optional): paths recording runs took instead of golden
 * events "at" (1-based) .. at + replaces - 1 of a thread. */
static enum gt_rc load_alts(struct ctx *c, json_t *root)
{
	json_t *alts = json_object_get(root, "alternatives"), *x;
	char loc[64];
	size_t i;

	if (!alts)
		return GT_OK;
	if (!json_is_array(alts))
		return fail(c, "\"alternatives\" must be an array");
	json_array_foreach(alts, i, x) {
		const char *id = NULL;
		json_int_t at = 0, len = 0;
		json_t *events = NULL, *e;
		const struct gt_thread *th;
		struct gt_alt *a;
		size_t k;
		enum gt_rc rc;

		snprintf(loc, sizeof(loc), "alternatives[%zu]", i);
		if (!json_is_object(x))
			return fail(c, "%s must be an object", loc);
		rc = get_str(c, x, loc, "thread", W_STRING, &id);
		if (rc == GT_OK)
			rc = get_int(c, x, loc, "at", 1, INT32_MAX, &at);
		if (rc == GT_OK)
			rc = get_int(c, x, loc, "replaces", 0, INT32_MAX, &len);
		if (rc == GT_OK)
			rc = get(c, x, loc, "events", W_ARRAY, &events);
		if (rc != GT_OK)
			return rc;
		th = find_thread(c->t, id);
		if (!th)
			return fail(c, "%s.thread: no thread \"%s\" in the trace", loc, id);
		if ((size_t)at - 1 > th->nevents || (size_t)len > th->nevents - ((size_t)at - 1))
			return fail(c, "%s: events %lld to %lld are not in thread %s (%zu events)",
				    loc, (long long)at, (long long)(at + len - 1), id, th->nevents);
		if (json_array_size(events) > GT_ALT_MAX_EVENTS)
			return fail(c, "%s.events: more than %d events", loc, GT_ALT_MAX_EVENTS);
		a = gt_trace_add_alt(c->t, id, (size_t)at - 1, (size_t)len);
		json_array_foreach(events, k, e) {
			const char *text = json_string_value(e);

			if (!text)
				return fail(c, "%s.events[%zu] must be a string", loc, k);
			rc = add_event(c, &a->events, loc, k, text);
			if (rc != GT_OK)
				return rc;
		}
	}
	return GT_OK;
}

static enum gt_rc load_env(struct ctx *c, json_t *obj)
{
	struct gt_trace_env *e = &c->t->env;
	static const char *const strs[] = { "kernel", "libc", "fs" };
	const char **dst[] = { &e->kernel, &e->libc, &e->fs };
	json_t *v;

	if (!json_is_object(obj))
		return fail(c, "\"environment\" must be an object");
	for (size_t i = 0; i < GT_ARRAY_SIZE(strs); i++) {
		v = json_object_get(obj, strs[i]);
		if (!v)
			continue;
		if (!json_is_string(v))
			return fail(c, "\"environment.%s\" must be a string", strs[i]);
		*dst[i] = gt_trace_str_utf8(c->t, json_string_value(v));
	}
	v = json_object_get(obj, "cpus");
	if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
		  json_integer_value(v) > 1 << 20))
		return fail(c, "\"environment.cpus\" must be a whole number from 1");
	if (v)
		e->cpus = (int)json_integer_value(v);
	v = json_object_get(obj, "root");
	if (v && !json_is_boolean(v))
		return fail(c, "\"environment.root\" must be true or false");
	if (v)
		e->root = json_is_true(v);
	return GT_OK;
}

static enum gt_rc load_stats(struct ctx *c, json_t *root)
{
	struct gt_trace *t = c->t;
	struct gt_stat *stats[] = {&t->wall_s, &t->user_s, &t->sys_s, &t->max_rss_kb, &t->syscalls};
	json_t *st = NULL, *samples = NULL, *by = NULL, *x;
	json_int_t runs = 0;
	const char *key;
	char loc[64], q[256];
	size_t i;
	enum gt_rc rc;

	rc = get(c, root, "", "stats", W_OBJECT, &st);
	if (rc == GT_OK)
		rc = get_int(c, st, "stats", "runs", 0, 1000000, &runs);
	for (i = 0; rc == GT_OK && i < GT_ARRAY_SIZE(metrics); i++)
		rc = get_stat(c, st, "stats", metrics[i], stats[i]);
	if (rc == GT_OK)
		rc = get(c, st, "stats", "samples", W_ARRAY, &samples);
	if (rc == GT_OK && json_array_size(samples) != (size_t)runs)
		rc = fail(c, "\"stats.samples\" has %zu entries but \"stats.runs\" is %lld",
			  json_array_size(samples), (long long)runs);
	if (rc != GT_OK)
		return rc;
	json_array_foreach(samples, i, x) {
		struct gt_run_sample r;

		snprintf(loc, sizeof(loc), "stats.samples[%zu]", i);
		if (!json_is_object(x))
			return fail(c, "%s must be an object", loc);
		rc = get_metric(c, x, loc, "wall_s", &r.wall_s);
		if (rc == GT_OK)
			rc = get_metric(c, x, loc, "user_s", &r.user_s);
		if (rc == GT_OK)
			rc = get_metric(c, x, loc, "sys_s", &r.sys_s);
		if (rc == GT_OK)
			rc = get_metric(c, x, loc, "max_rss_kb", &r.max_rss_kb);
		if (rc == GT_OK)
			rc = get_metric(c, x, loc, "syscalls", &r.syscalls);
		/* Optional: goldens from before it was recorded lack it. */
		r.anon_bytes = -1;
		if (rc == GT_OK && json_object_get(x, "anon_bytes"))
			rc = get_metric(c, x, loc, "anon_bytes", &r.anon_bytes);
		r.cpu_stall_s = -1;
		if (rc == GT_OK && json_object_get(x, "cpu_stall_s"))
			rc = get_metric(c, x, loc, "cpu_stall_s", &r.cpu_stall_s);
		if (rc != GT_OK)
			return rc;
		gt_trace_add_run(t, &r);
	}
	rc = get(c, st, "stats", "by_syscall", W_OBJECT, &by);
	if (rc != GT_OK)
		return rc;
	json_object_foreach(by, key, x) {
		struct gt_syscall_stat *s;

		if (!gt_trace_name_ok(key, strlen(key)))
			return fail(c, "\"stats.by_syscall\": key %s is not a syscall name",
				    show(q, sizeof(q), key));
		snprintf(loc, sizeof(loc), "stats.by_syscall.%s", key);
		if (!json_is_object(x))
			return fail(c, "\"%s\" must be an object", loc);
		s = gt_trace_sysstat(t, key);
		rc = get_stat(c, x, loc, "calls", &s->calls);
		if (rc == GT_OK)
			rc = get_stat(c, x, loc, "errors", &s->errors);
		if (rc == GT_OK)
			rc = get_stat(c, x, loc, "time_us", &s->time_us);
		if (rc != GT_OK)
			return rc;
	}
	return GT_OK;
}

/* "xxh3:" and 16 lowercase hex digits. */
static bool parse_hash(const char *s, uint64_t *h)
{
	uint64_t v = 0;

	if (strncmp(s, "xxh3:", 5) != 0 || strlen(s) != 5 + 16)
		return false;
	for (s += 5; *s; s++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*h = v;
	return true;
}

/* Copy jansson's message, replacing bytes that are not printable ASCII (it
 * quotes the offending input, which can be anything). */
static void clean_text(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++) {
		unsigned char ch = (unsigned char)src[i];

		dst[i] = ch < 0x20 || ch >= 0x7f ? '?' : src[i];
	}
	dst[i] = '\0';
}

/* Did jansson fail because the input stops early?  It says so itself when
 * the cut falls between tokens.  A cut inside a token ("nu", "1e", a string
 * escape) shows as an invalid token at the very end, and a cut inside a UTF-8
 * sequence as an undecodable lead byte with too few bytes after it; count
 * those as truncation when the input started as an object or array. */
static bool truncated(const char *data, size_t len, const json_error_t *jerr)
{
	enum json_error_code code = json_error_code(jerr);
	size_t i, pos, left, need;
	unsigned char c;

	if (code == json_error_premature_end_of_input)
		return true;
	for (i = 0; i < len && strchr(" \t\r\n", data[i]) && data[i]; i++)
		;
	if (i == len || (data[i] != '{' && data[i] != '[') || jerr->position < 0)
		return false;
	pos = (size_t)jerr->position;
	if (code == json_error_invalid_syntax)
		return pos >= len;
	if (code != json_error_invalid_utf8 || pos >= len)
		return false;
	c = (unsigned char)data[pos];
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4;
	else
		return false;
	left = len - pos;
	if (left >= need)
		return false;
	for (i = 1; i < left; i++) {
		if (((unsigned char)data[pos + i] & 0xc0) != 0x80)
			return false;
	}
	return true;
}

static enum gt_rc load_top(struct ctx *c, json_t *root)
{
	struct gt_trace *t = c->t;
	const char *returns = NULL, *hash = NULL;
	json_t *obj = NULL, *procs = NULL, *x;
	json_int_t n = 0;
	uint64_t stored = 0;
	size_t i;
	enum gt_rc rc;

	rc = get_str(c, root, "", "generator", W_STRING, &t->generator);
	if (rc == GT_OK)
		rc = get_strs(c, root, "", "command", false, gt_trace_add_command);
	if (rc == GT_OK)
		rc = get_str(c, root, "", "backend", W_STRING, &t->backend);
	if (rc == GT_OK)
		rc = get_str(c, root, "", "returns", W_STRING, &returns);
	if (rc == GT_OK && strcmp(returns, "known") != 0 && strcmp(returns, "unknown") != 0)
		rc = fail(c, "\"returns\" must be \"known\" or \"unknown\"");
	if (rc != GT_OK)
		return rc;
	t->returns_known = strcmp(returns, "known") == 0;
	rc = get_str(c, root, "", "reason", W_STRING_OR_NULL, &t->reason);
	if (rc == GT_OK)
		rc = get_str(c, root, "", "hash", W_STRING, &hash);
	if (rc == GT_OK && !parse_hash(hash, &stored))
		rc = fail(c, "\"hash\" must be \"xxh3:\" and 16 lowercase hex digits");
	if (rc == GT_OK)
		rc = get_exit(c, root, "", &t->exit_code, &t->exit_signal);
	if (rc == GT_OK)
		rc = get(c, root, "", "capture", W_OBJECT, &obj);
	if (rc == GT_OK)
		rc = get_int(c, obj, "capture", "intercepted", 0, INT64_MAX, &n);
	if (rc != GT_OK)
		return rc;
	t->intercepted = (uint64_t)n;
	/* null: a filter let calls through that could not be counted. */
	if (json_is_null(json_object_get(obj, "let_through"))) {
		t->let_through = GT_COUNT_UNKNOWN;
	} else {
		rc = get_int(c, obj, "capture", "let_through", 0, INT64_MAX, &n);
		if (rc != GT_OK)
			return rc;
		t->let_through = (uint64_t)n;
	}
	/* Optional: only traces with some returns unobserved have it. */
	if (json_object_get(obj, "unknown_returns")) {
		rc = get_strs(c, obj, "capture", "unknown_returns", true,
			      gt_trace_add_unknown_return);
		if (rc != GT_OK)
			return rc;
	}
	/* Optional: goldens from before it was recorded lack it. */
	obj = json_object_get(root, "environment");
	if (obj) {
		rc = load_env(c, obj);
		if (rc != GT_OK)
			return rc;
	}
	rc = get(c, root, "", "canonicalize", W_OBJECT, &obj);
	if (rc == GT_OK) {
		/* Optional: traces from before it was written are version 1. */
		json_t *v = json_object_get(obj, "version");

		t->canon_version = 1;
		if (v && (!json_is_integer(v) || json_integer_value(v) < 1 ||
			  json_integer_value(v) > 1000))
			rc = fail(c, "\"canonicalize.version\" must be a whole number from 1");
		else if (v)
			t->canon_version = (int)json_integer_value(v);
	}
	if (rc == GT_OK)
		rc = get_strs(c, obj, "canonicalize", "unordered", true, gt_trace_add_unordered);
	if (rc == GT_OK)
		rc = get_strs(c, obj, "canonicalize", "ignored", true, gt_trace_add_ignored);
	if (rc == GT_OK)
		rc = get_strs(c, root, "", "masked", false, gt_trace_add_masked);
	if (rc == GT_OK)
		rc = get(c, root, "", "processes", W_ARRAY, &procs);
	if (rc != GT_OK)
		return rc;
	json_array_foreach(procs, i, x) {
		rc = load_process(c, x, i);
		if (rc != GT_OK)
			return rc;
	}
	if (c->ev) {
		if (c->ev->next != c->ev->narrays)
			return fail(c, "internal error (the event scanner found %zu events arrays, "
				    "the loader took %zu)", c->ev->narrays, c->ev->next);
		/* The events are in the trace: the arena is no longer needed. */
		gt_json_events_free(c->ev);
		c->ev = NULL;
	}
	rc = check_tree(c);
	if (rc == GT_OK)
		rc = gt_trace_json_stacks_load(root, t, c->name, c->err);
	if (rc == GT_OK)
		rc = load_alts(c, root);
	if (rc == GT_OK)
		rc = load_stats(c, root);
	if (rc != GT_OK)
		return rc;
	/* The event hashes were computed as the events were added. */
	t->hash = gt_trace_hash(t);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/* The diff engine trusts the hash to skip identical sequences, so a file
	 * whose events were edited without updating it is refused.  Fuzzing
	 * builds skip this, or mutated inputs would never get past it. */
	if (stored != t->hash)
		return fail(c, "\"hash\" is xxh3:%016" PRIx64 " but the events hash to "
			    "xxh3:%016" PRIx64 " (edited by hand? re-record with gtdiff update)",
			    stored, t->hash);
#endif
	return GT_OK;
}

/* Parse the LEN bytes at DATA into *OUT.  If C->own is set, it is DATA,
 * and is freed (and DATA no longer read) once jansson has its tree. */
static enum gt_rc parse(struct ctx *c, const char *data, size_t len, struct gt_trace **out)
{
	struct gt_json_events ev = {0};
	json_error_t jerr;
	json_t *root = NULL, *v;
	char text[sizeof(jerr.text)];
	enum gt_rc rc;
	size_t i;

	*out = NULL;
	jansson_init();
	for (i = 0; i < len && strchr(" \t\r\n", data[i]) && data[i]; i++)
		;
	if (i == len)
		return fail(c, "empty file");
	root = load_json(c, data, len, &ev, &jerr);
	if (!root) {
		clean_text(text, sizeof(text), jerr.text);
		return fail(c, "not JSON%s: %s at line %d column %d",
			    truncated(data, len, &jerr) ? " (truncated)" : "", text,
			    jerr.line, jerr.column);
	}
	/* The tree (and the arena) hold all that is needed: a big file's bytes
	 * would otherwise stay for the whole load, on top of its events. */
	free(c->own);
	c->own = NULL;
	if (!json_is_object(root)) {
		rc = fail(c, "not a gtdiff trace (the top level is %s, not an object)",
			  json_is_array(root) ? "an array" : "a scalar");
		goto out;
	}
	v = json_object_get(root, "format");
	if (!json_is_string(v) || strcmp(json_string_value(v), GT_TRACE_FORMAT) != 0) {
		rc = fail(c, "not a gtdiff trace (no \"format\": \"%s\")", GT_TRACE_FORMAT);
		goto out;
	}
	v = json_object_get(root, "version");
	if (!v) {
		rc = fail(c, "missing \"version\"");
		goto out;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		rc = fail(c, "\"version\" must be a positive integer");
		goto out;
	}
	if (json_integer_value(v) > GT_TRACE_VERSION) {
		rc = fail_rc(c, GT_ERR_VERSION, "written by a newer gtdiff (format version %lld; "
			     "this gtdiff reads version %d)", (long long)json_integer_value(v),
			     GT_TRACE_VERSION);
		goto out;
	}
	c->t = gt_trace_new();
	c->t->version = (int)json_integer_value(v);
	rc = load_top(c, root);
	if (rc == GT_OK) {
		*out = c->t;
		c->t = NULL;
	}
out:
	gt_trace_free(c->t);
	json_decref(root);
	gt_json_events_free(&ev);
	gt_buf_free(&c->line);
	return rc;
}

enum gt_rc gt_trace_parse(const char *data, size_t len, const char *name, struct gt_trace **out,
			  struct gt_error *err)
{
	struct ctx c = {.name = name ? name : "<input>", .err = err};

	return parse(&c, data, len, out);
}

enum gt_rc gt_trace_load(const char *path, struct gt_trace **out, struct gt_error *err)
{
	struct ctx c = {.name = path, .err = err};
	char *data;
	size_t len;
	enum gt_rc rc;

	*out = NULL;
	rc = gt_read_file(path, &data, &len, err);
	if (rc != GT_OK)
		return rc;
	c.own = data;
	rc = parse(&c, data, len, out);
	free(c.own);
	return rc;
}

enum gt_rc gt_trace_load_golden(const char *path, uint64_t max, struct gt_trace **out,
				struct gt_error *err)
{
	struct ctx c = {.name = path, .err = err};
	char *data;
	size_t len;
	enum gt_rc rc;

	*out = NULL;
	rc = gt_read_file_regular(path, max, &data, &len, err);
	if (rc != GT_OK)
		return rc;
	c.own = data;
	rc = parse(&c, data, len, out);
	free(c.own);
	return rc;
}

/* gt_trace_load_pair's second load, in a thread of its own. */
struct load_job {
	const char *path;
	struct gt_trace *t;
	struct gt_error err;
	enum gt_rc rc;
};

static void *load_job_main(void *p)
{
	struct load_job *j = p;

	j->rc = gt_trace_load(j->path, &j->t, &j->err);
	return NULL;
}

enum gt_rc gt_trace_load_pair(const char *path_a, const char *path_b, struct gt_trace **a,
			      struct gt_trace **b, struct gt_error *err)
{
	struct load_job job = {.path = path_b};
	pthread_t th;
	enum gt_rc rc;
	bool threaded;

	*a = *b = NULL;
	jansson_init(); /* once, before two threads could race on it */
	threaded = pthread_create(&th, NULL, load_job_main, &job) == 0;
	rc = gt_trace_load(path_a, a, err);
	if (threaded)
		pthread_join(th, NULL);
	else
		load_job_main(&job);
	if (rc == GT_OK && job.rc != GT_OK) {
		rc = job.rc;
		if (err)
			*err = job.err;
	}
	if (rc != GT_OK) {
		gt_trace_free(*a);
		gt_trace_free(job.t);
		*a = NULL;
		return rc;
	}
	*b = job.t;
	return GT_OK;
}

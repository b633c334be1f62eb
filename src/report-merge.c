/*
 * report-merge: the shards' JSON reports joined into one.  See
 * report-merge.h.  Reading a report back (a case object into a struct
 * gt_case_result) lives here too: only the merge needs it.
 */
#include "config.h"

#include "report-merge.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* How many missing shards are named one by one. */
#define MAX_NAMED_MISSING 10

static void problem(struct gt_merge *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct gt_merge *m, const char *fmt, ...)
{
	struct gt_buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	m->problems = xrealloc(m->problems, (m->nproblems + 1) * sizeof(*m->problems));
	m->problems[m->nproblems++] = gt_buf_steal(&b);
}

/* ---- reading a case object back -------------------------------------- */

static char *opt_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static double opt_num(json_t *o, const char *key, double dflt)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : dflt;
}

static bool parse_verdict(const char *s, enum gt_verdict_kind *out)
{
	for (int v = GT_VERDICT_PASS; v <= GT_VERDICT_ERROR; v++) {
		if (strcmp(s, gt_verdict_name((enum gt_verdict_kind)v)) == 0) {
			*out = (enum gt_verdict_kind)v;
			return true;
		}
	}
	return false;
}

/* The kind bit named S ("sequence"), or 0. */
static unsigned parse_kind(const char *s)
{
	for (unsigned bit = 1; bit <= GT_KIND_EXIT; bit <<= 1) {
		struct gt_buf b = {0};
		bool same;

		gt_kinds_format(bit, &b);
		same = b.s && strcmp(b.s, s) == 0;
		gt_buf_free(&b);
		if (same)
			return bit;
	}
	return 0;
}

static unsigned parse_kinds(json_t *a)
{
	unsigned kinds = 0;
	size_t i;
	json_t *k;

	json_array_foreach(a, i, k)
		if (json_is_string(k))
			kinds |= parse_kind(json_string_value(k));
	return kinds;
}

static void read_violations(json_t *a, struct gt_verdict *v)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x) {
		struct gt_violation *w;
		json_t *band = json_object_get(x, "band");
		json_t *kind = json_object_get(x, "kind");

		if (!json_is_object(x))
			continue;
		xgrow((void **)&v->v, &v->cap, v->nv + 1, sizeof(*v->v));
		w = &v->v[v->nv++];
		memset(w, 0, sizeof(*w));
		w->kind = (enum gt_kind)(json_is_string(kind) ? parse_kind(json_string_value(kind))
							      : 0);
		w->improved = json_is_true(json_object_get(x, "improved"));
		w->metric = opt_str(x, "metric");
		w->value = opt_num(x, "value", NAN);
		w->lo = json_is_number(json_array_get(band, 0))
				? json_number_value(json_array_get(band, 0))
				: NAN;
		w->hi = json_is_number(json_array_get(band, 1))
				? json_number_value(json_array_get(band, 1))
				: NAN;
		w->golden_median = opt_num(x, "golden_median", NAN);
		w->message = opt_str(x, "message");
	}
}

static enum gt_timing_outcome parse_outcome(const char *s)
{
	for (int t = GT_TIMING_NONE; t <= GT_TIMING_UNDECIDED; t++)
		if (s && strcmp(s, gt_timing_outcome_name((enum gt_timing_outcome)t)) == 0)
			return (enum gt_timing_outcome)t;
	return GT_TIMING_NONE;
}

/* The case's "headroom" object back into H (zeroed): its numbers, from
 * which the text is rendered again as it was. */
static void read_headroom(json_t *o, struct gt_headroom *h)
{
	const char *key;
	json_t *v;

	if (!json_is_object(o))
		return;
	json_object_foreach(o, key, v) {
		if (json_is_number(v))
			(void)gt_headroom_set_prop(h, key, json_number_value(v));
	}
}

/* The case's "locations" array (report-json.c) back into C. */
static void read_locations(json_t *a, struct gt_case_result *c)
{
	size_t n = json_is_array(a) ? json_array_size(a) : 0;

	if (n == 0)
		return;
	c->locations = xcalloc(n, sizeof(*c->locations));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(a, i), *frames = json_object_get(o, "frames");
		struct gt_location *l = &c->locations[c->nlocations];
		json_t *line = json_object_get(o, "line");

		if (!json_is_object(o))
			continue;
		l->event = opt_str(o, "event");
		l->where = opt_str(o, "at");
		if (!l->event || !l->where) {
			free(l->event);
			free(l->where);
			memset(l, 0, sizeof(*l));
			continue;
		}
		l->file = opt_str(o, "file");
		l->line = json_is_integer(line) && json_integer_value(line) > 0
				  ? (unsigned)json_integer_value(line)
				  : 0;
		l->function = opt_str(o, "function");
		l->module = opt_str(o, "module");
		l->offset = (unsigned long long)opt_num(o, "offset", 0);
		for (size_t k = 0; json_is_array(frames) && k < json_array_size(frames) &&
				   l->nframes < GT_LOCATION_FRAMES; k++) {
			const char *f = json_string_value(json_array_get(frames, k));

			if (f)
				l->frames[l->nframes++] = xstrdup(f);
		}
		c->nlocations++;
	}
}

/* Case object O (checked: a name and a known verdict) into R. */
static void read_case(json_t *o, enum gt_verdict_kind verdict, struct gt_report *r)
{
	struct gt_case_result *c = gt_report_add(r, json_string_value(json_object_get(o, "name")));
	json_t *reruns = json_object_get(o, "reruns");
	char *outcome = opt_str(o, "timing_outcome");

	c->verdict.verdict = verdict;
	c->verdict.kinds = parse_kinds(json_object_get(o, "kinds"));
	read_violations(json_object_get(o, "violations"), &c->verdict);
	c->error = opt_str(o, "error");
	c->diff_text = opt_str(o, "diff");
	c->golden_path = opt_str(o, "golden");
	c->new_path = opt_str(o, "new");
	c->env_diff = opt_str(o, "environment_diff");
	c->reruns = json_is_integer(reruns) && json_integer_value(reruns) > 0
			    ? (unsigned)json_integer_value(reruns)
			    : 0;
	c->timing_outcome = parse_outcome(outcome);
	c->timing_p = opt_num(o, "timing_p", -1);
	c->seconds = opt_num(o, "seconds", 0);
	read_headroom(json_object_get(o, "headroom"), &c->headroom);
	read_locations(json_object_get(o, "locations"), c);
	free(outcome);
}

/* ---- one shard's report ----------------------------------------------- */

struct shard_file {
	const char *path;
	json_t *root;            /* NULL: unusable */
	long long index, count;  /* its "shard", or 0 */
};

/* Load PATH into F; a problem and F->root NULL when it is not a usable
 * gtdiff report. */
static void load(struct gt_merge *m, const char *path, struct shard_file *f)
{
	char *data = NULL;
	size_t len = 0;
	struct gt_error err = {0};
	json_error_t jerr;
	json_t *root, *cases, *shard, *x;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->path = path;
	if (gt_read_file_regular(path, GT_READ_MAX_DEFAULT, &data, &len, &err) != GT_OK) {
		problem(m, "%s", err.msg);
		return;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	free(data);
	if (!root) {
		problem(m, "%s:%d:%d: not a gtdiff report: %s", path, jerr.line, jerr.column,
			jerr.text);
		return;
	}
	if (!json_is_object(root) ||
	    !json_is_string(json_object_get(root, "format")) ||
	    strcmp(json_string_value(json_object_get(root, "format")), "gtdiff-report") != 0) {
		problem(m, "%s: not a gtdiff report (no \"format\": \"gtdiff-report\")", path);
		goto bad;
	}
	x = json_object_get(root, "version");
	if (!json_is_integer(x) || json_integer_value(x) < 1) {
		problem(m, "%s: the report has no valid \"version\"", path);
		goto bad;
	}
	if (json_integer_value(x) > 1) {
		problem(m, "%s: report version %lld was written by a newer gtdiff (this one reads "
			   "version 1)", path, (long long)json_integer_value(x));
		goto bad;
	}
	cases = json_object_get(root, "cases");
	if (!json_is_array(cases)) {
		problem(m, "%s: the report has no \"cases\" array", path);
		goto bad;
	}
	json_array_foreach(cases, i, x) {
		json_t *name = json_object_get(x, "name"), *v = json_object_get(x, "verdict");
		enum gt_verdict_kind verdict = GT_VERDICT_ERROR;

		if (!json_is_string(name) || !json_is_string(v) ||
		    !parse_verdict(json_string_value(v), &verdict)) {
			problem(m, "%s: case %zu has no name or no known verdict", path, i + 1);
			goto bad;
		}
	}
	shard = json_object_get(root, "shard");
	if (shard) {
		json_t *a = json_object_get(shard, "index"), *b = json_object_get(shard, "count");

		if (!json_is_integer(a) || !json_is_integer(b) || json_integer_value(a) < 1 ||
		    json_integer_value(a) > json_integer_value(b)) {
			problem(m, "%s: \"shard\" is not {\"index\": I, \"count\": N} with 1 <= I <= N",
				path);
			goto bad;
		}
		f->index = json_integer_value(a);
		f->count = json_integer_value(b);
	}
	f->root = root;
	return;
bad:
	json_decref(root);
}

/* Shards: all of one N, each index once, none missing. */
static void check_shards(struct gt_merge *m, struct shard_file *f, size_t n)
{
	const struct shard_file *first = NULL;
	long long *seen, count, missing = 0;
	size_t k = 0, named = 0;
	struct gt_buf b = {0};

	for (size_t i = 0; i < n; i++) {
		if (!f[i].count)
			continue;
		if (!first) {
			first = &f[i];
		} else if (f[i].count != first->count) {
			problem(m, "%s is shard %lld/%lld but %s is shard %lld/%lld: not one matrix",
				f[i].path, f[i].index, f[i].count, first->path, first->index,
				first->count);
			return;
		}
	}
	if (!first)
		return;
	count = first->count;
	seen = xcalloc(n, sizeof(*seen));
	for (size_t i = 0; i < n; i++) {
		bool dup = false;

		if (!f[i].count)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (f[j].count && f[j].index == f[i].index) {
				problem(m, "%s and %s are both shard %lld/%lld (the second is left "
					   "out)", f[j].path, f[i].path, f[i].index, count);
				json_decref(f[i].root);
				f[i].root = NULL;
				dup = true;
				break;
			}
		}
		if (!dup)
			seen[k++] = f[i].index;
	}
	/* The missing ones, the first few by number (N may be huge). */
	for (long long s = 1; s <= count && named < MAX_NAMED_MISSING; s++) {
		bool have = false;

		for (size_t j = 0; j < k && !have; j++)
			have = seen[j] == s;
		if (have)
			continue;
		gt_buf_printf(&b, "%s%lld", named ? ", " : "", s);
		named++;
	}
	missing = count - (long long)k;
	if (missing > 0)
		problem(m, "no report for shard%s %s%s of %lld (%lld missing; a failed or "
			   "cancelled job?)", missing > 1 ? "s" : "", b.s,
			missing > (long long)named ? ", ..." : "", count, missing);
	gt_buf_free(&b);
	free(seen);
}

static int by_index(const void *a, const void *b)
{
	const struct shard_file *x = a, *y = b;

	/* Reports without a shard keep their place after those with one. */
	if (!x->count != !y->count)
		return x->count ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void jansson_init(void)
{
	json_set_alloc_funcs(xmalloc, free);
}

/* The first of the N reports F that has a case NAME, or NULL. */
static const char *has_case(const struct shard_file *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		json_t *c;
		size_t j;

		if (!f[i].root)
			continue;
		json_array_foreach(json_object_get(f[i].root, "cases"), j, c)
			if (strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
				return f[i].path;
	}
	return NULL;
}

/* Take F's cases (those not in the NEARLIER reports before it), obsolete
 * goldens and totals into M and the arrays of the merged document. */
static void take(struct gt_merge *m, const struct shard_file *f, size_t nearlier,
		 json_t *cases, json_t *obsolete, json_t *from, size_t *obsolete_errors)
{
	json_t *c, *o, *x;
	size_t i, error_verdicts = 0;
	long long errors;

	json_array_foreach(json_object_get(f->root, "cases"), i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *first = has_case(f - nearlier, nearlier, name);
		enum gt_verdict_kind verdict = GT_VERDICT_ERROR;

		if (first) {
			problem(m, "case '%s' is in %s and in %s: run by two shards (the first "
				   "is kept)", name, first, f->path);
			continue;
		}
		parse_verdict(json_string_value(json_object_get(c, "verdict")), &verdict);
		error_verdicts += verdict == GT_VERDICT_ERROR;
		read_case(c, verdict, &m->rep);
		json_array_append(cases, c);
	}
	json_array_foreach(json_object_get(f->root, "obsolete"), i, o) {
		bool dup = false;
		size_t j;

		if (!json_is_string(o))
			continue;
		json_array_foreach(obsolete, j, x)
			dup = dup || json_equal(x, o);
		if (!dup) {
			json_array_append(obsolete, o);
			gt_report_add_obsolete(&m->rep, json_string_value(o));
		}
	}
	/* A shard's errors beyond its erring cases are its obsolete goldens
	 * under --unreferenced=fail: the same in every shard (each looks at
	 * the whole config), so counted once. */
	x = json_object_get(f->root, "errors");
	errors = json_is_integer(x) ? json_integer_value(x) : 0;
	if (errors > (long long)error_verdicts &&
	    (size_t)(errors - (long long)error_verdicts) > *obsolete_errors)
		*obsolete_errors = (size_t)(errors - (long long)error_verdicts);
	x = json_object_get(f->root, "interrupted");
	if (json_is_string(x))
		problem(m, "%s: the shard was interrupted by %s: its cases are not all there",
			f->path, json_string_value(x));
	m->rep.seconds += opt_num(f->root, "seconds", 0);
	json_array_append_new(from, json_pack("{sssOsO}", "file", f->path, "shard",
					      json_object_get(f->root, "shard")
						      ? json_object_get(f->root, "shard")
						      : json_null(),
					      "seconds", json_object_get(f->root, "seconds")
								 ? json_object_get(f->root, "seconds")
								 : json_null()));
}

void gt_merge_reports(const char *const *paths, size_t n, struct gt_merge *m)
{
	struct shard_file *f = xcalloc(n + 1, sizeof(*f));
	json_t *root, *cases = NULL, *obsolete = NULL, *from = NULL, *problems;
	size_t passed, failed, errors, obsolete_errors = 0;

	jansson_init();
	for (size_t i = 0; i < n; i++)
		load(m, paths[i], &f[i]);
	check_shards(m, f, n);
	qsort(f, n, sizeof(*f), by_index);
	cases = json_array();
	obsolete = json_array();
	from = json_array();
	for (size_t i = 0; i < n; i++)
		if (f[i].root)
			take(m, &f[i], i, cases, obsolete, from, &obsolete_errors);
	/* The obsolete goldens that failed a shard fail the merge once. */
	m->rep.obsolete_fail = obsolete_errors > 0;
	gt_report_counts(&m->rep, &passed, &failed, &errors);
	root = json_object();
	json_object_set_new(root, "format", json_string("gtdiff-report"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "passed", json_integer((json_int_t)passed));
	json_object_set_new(root, "failed", json_integer((json_int_t)failed));
	json_object_set_new(root, "errors", json_integer((json_int_t)errors));
	json_object_set_new(root, "seconds", isfinite(m->rep.seconds) ? json_real(m->rep.seconds)
								     : json_null());
	json_object_set_new(root, "merged_from", from);
	json_object_set_new(root, "cases", cases);
	json_object_set_new(root, "obsolete", obsolete);
	problems = json_array();
	for (size_t i = 0; i < m->nproblems; i++)
		json_array_append_new(problems, json_string(m->problems[i]));
	json_object_set_new(root, "problems", problems);
	m->json = root;
	for (size_t i = 0; i < n; i++)
		json_decref(f[i].root);
	free(f);
}

enum gt_rc gt_merge_save_json(const struct gt_merge *m, const char *path, struct gt_error *err)
{
	return gt_report_json_save(m->json, path, err);
}

int gt_merge_exit_status(const struct gt_merge *m)
{
	return m->nproblems ? 2 : gt_report_exit_status(&m->rep);
}

void gt_merge_free(struct gt_merge *m)
{
	if (!m)
		return;
	gt_report_free(&m->rep);
	for (size_t i = 0; i < m->nproblems; i++)
		free(m->problems[i]);
	free(m->problems);
	json_decref(m->json);
	memset(m, 0, sizeof(*m));
}

/*
 * report-json: the machine-readable report of a check (--report-json FILE),
 * one JSON document with a stable key order:
 *
 *   {"format": "gtdiff-report", "version": 1, "passed", "failed", "errors",
 *    "seconds", "cases": [{"name", "verdict", "kinds", "seconds", "golden",
 *    "new", "environment_diff", "reruns", "timing_outcome" ("none", "same",
 *    "different", "undecided"), "timing_p" (null: none), "error",
 *    "violations": [{"kind", "improved", "metric", "value", "band": [lo, hi],
 *    "golden_median", "message", "explained" (a count change that follows
 *    from the sequence change, count-groups.h)}], "diff", "headroom" (null: no run; else
 *    {"text", and the numbers of gt_headroom_props: "wall_s"...}),
 *    "locations": [{"event", "at", "file" (null: no debug info), "line",
 *    "function", "module", "offset", "frames": [up to 3, the program's own
 *    frame first]}]}],
 *    "obsolete": [paths]}
 * ("shard": {"index": I, "count": N} after "seconds" under --shard I/N)
 *
 * Strings that are not valid UTF-8 (a path can be anything) have their bad
 * bytes replaced by U+FFFD, because JSON cannot carry raw bytes; numbers
 * that are not finite become null.
 */
#include "config.h"

#include "report.h"
#include "syscalls.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void jansson_init(void)
{
	static bool done;

	/* Idempotent: a race only stores the same pointers twice. */
	if (!done) {
		json_set_alloc_funcs(xmalloc, free);
		done = true;
	}
}

/* S as a JSON string (null when S is NULL). */
static json_t *jstr(const char *s)
{
	struct gt_buf b = {0};
	size_t n;
	json_t *j;

	if (!s)
		return json_null();
	n = strlen(s);
	gt_buf_add(&b, "", 0);
	for (size_t i = 0; i < n;) {
		size_t len = gt_report_utf8_len(s + i, n - i);

		if (len == 0) {
			gt_buf_puts(&b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		gt_buf_add(&b, s + i, len);
		i += len;
	}
	j = json_stringn_nocheck(b.s, b.len);
	gt_buf_free(&b);
	return j;
}

static json_t *jnum(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

/* The kind bits of KINDS as an array of names ("sequence", "counts"). */
static json_t *jkinds(unsigned kinds)
{
	json_t *a = json_array();

	for (unsigned bit = 1; bit && bit <= kinds; bit <<= 1) {
		struct gt_buf b = {0};

		if (!(kinds & bit))
			continue;
		gt_kinds_format(bit, &b);
		if (b.len)
			json_array_append_new(a, jstr(b.s));
		gt_buf_free(&b);
	}
	return a;
}

static json_t *jviolation(const struct gt_violation *v)
{
	json_t *o = json_object();
	struct gt_buf kind = {0};

	gt_kinds_format((unsigned)v->kind, &kind);
	json_object_set_new(o, "kind", jstr(kind.s ? kind.s : ""));
	gt_buf_free(&kind);
	json_object_set_new(o, "improved", json_boolean(v->improved));
	json_object_set_new(o, "metric", jstr(v->metric));
	json_object_set_new(o, "value", jnum(v->value));
	json_object_set_new(o, "band", json_pack("[oo]", jnum(v->lo), jnum(v->hi)));
	json_object_set_new(o, "golden_median", jnum(v->golden_median));
	json_object_set_new(o, "message", jstr(v->message));
	json_object_set_new(o, "explained", json_boolean(v->explained));
	return o;
}

/* The case's measurements against its budgets and bands (headroom.h):
 * {"text": "wall ...", "wall_s": 0.2, ...}, or null when it did not run. */
static json_t *jheadroom(const struct gt_headroom *h)
{
	struct gt_headroom_prop p[GT_HEADROOM_MAX_PROPS];
	size_t n = gt_headroom_props(h, p);
	struct gt_buf text = {0};
	json_t *o;

	if (!gt_headroom_any(h))
		return json_null();
	o = json_object();
	gt_headroom_text(h, &text);
	json_object_set_new(o, "text", jstr(text.s));
	gt_buf_free(&text);
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, p[i].name, jnum(p[i].value));
	return o;
}

/* Where an added or changed call was made (explain.h). */
static json_t *jlocation(const struct gt_location *l)
{
	json_t *o = json_object(), *frames = json_array();

	json_object_set_new(o, "event", jstr(l->event));
	json_object_set_new(o, "at", jstr(l->where));
	json_object_set_new(o, "file", jstr(l->file));
	json_object_set_new(o, "line", l->file ? json_integer(l->line) : json_null());
	json_object_set_new(o, "function", jstr(l->function));
	json_object_set_new(o, "module", jstr(l->module));
	json_object_set_new(o, "offset", json_integer((json_int_t)l->offset));
	for (size_t k = 0; k < l->nframes; k++)
		json_array_append_new(frames, jstr(l->frames[k]));
	json_object_set_new(o, "frames", frames);
	return o;
}

static json_t *jcase(const struct gt_case_result *c)
{
	json_t *o = json_object(), *vs = json_array();

	json_object_set_new(o, "name", jstr(c->name));
	json_object_set_new(o, "verdict", jstr(gt_verdict_name(c->verdict.verdict)));
	json_object_set_new(o, "kinds", jkinds(c->verdict.kinds));
	json_object_set_new(o, "seconds", jnum(c->seconds));
	json_object_set_new(o, "golden", jstr(c->golden_path));
	json_object_set_new(o, "new", jstr(c->new_path));
	json_object_set_new(o, "environment_diff", jstr(c->env_diff));
	json_object_set_new(o, "reruns", json_integer(c->reruns));
	json_object_set_new(o, "timing_outcome",
			    json_string(gt_timing_outcome_name(c->timing_outcome)));
	json_object_set_new(o, "timing_p", c->timing_p >= 0 ? json_real(c->timing_p) : json_null());
	json_object_set_new(o, "error", jstr(c->error));
	for (size_t i = 0; i < c->verdict.nv; i++)
		json_array_append_new(vs, jviolation(&c->verdict.v[i]));
	json_object_set_new(o, "violations", vs);
	json_object_set_new(o, "diff", jstr(c->diff_text));
	json_object_set_new(o, "headroom", jheadroom(&c->headroom));
	vs = json_array();
	for (size_t i = 0; i < c->nlocations; i++)
		json_array_append_new(vs, jlocation(&c->locations[i]));
	json_object_set_new(o, "locations", vs);
	return o;
}

enum gt_rc gt_report_json(const struct gt_report *r, const char *path, struct gt_error *err)
{
	json_t *root, *cases, *obsolete;
	size_t passed, failed, errors;
	enum gt_rc rc;

	jansson_init();
	gt_report_counts(r, &passed, &failed, &errors);
	root = json_object();
	json_object_set_new(root, "format", json_string("gtdiff-report"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "passed", json_integer((json_int_t)passed));
	json_object_set_new(root, "failed", json_integer((json_int_t)failed));
	json_object_set_new(root, "errors", json_integer((json_int_t)errors));
	json_object_set_new(root, "seconds", jnum(r->seconds));
	if (r->shard_n)
		json_object_set_new(root, "shard", json_pack("{sIsI}", "index", (json_int_t)r->shard_i,
							     "count", (json_int_t)r->shard_n));
	if (r->interrupted) {
		json_object_set_new(root, "interrupted", jstr(gt_signal_name(r->interrupted)));
		if (r->planned)
			json_object_set_new(root, "planned", json_integer((json_int_t)r->planned));
	}
	cases = json_array();
	for (size_t i = 0; i < r->ncases; i++)
		json_array_append_new(cases, jcase(&r->cases[i]));
	json_object_set_new(root, "cases", cases);
	obsolete = json_array();
	for (size_t i = 0; i < r->nobsolete; i++)
		json_array_append_new(obsolete, jstr(r->obsolete[i]));
	json_object_set_new(root, "obsolete", obsolete);

	rc = gt_report_json_save(root, path, err);
	json_decref(root);
	return rc;
}

enum gt_rc gt_report_json_save(const void *doc, const char *path, struct gt_error *err)
{
	struct gt_buf out = {0};
	enum gt_rc rc;
	/* 15 significant digits: 0.3 rather than 0.30000000000000004. */
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15));

	if (!text)
		return gt_error_set(err, GT_ERR_IO, "%s: cannot encode the report", path);
	gt_buf_puts(&out, text);
	gt_buf_putc(&out, '\n');
	free(text);
	rc = gt_write_file_atomic(path, out.s, out.len, err);
	gt_buf_free(&out);
	return rc;
}

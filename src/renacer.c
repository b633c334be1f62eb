/*
 * renacer: renacer.toml to gtdiff.yaml (renacer.h).  One pass over the
 * document collects the cases, the two global budgets and the notes; a
 * second step binds the commands; the text is written last.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "confgen.h"
#include "gtconfig.h"
#include "renacer.h"

struct tcase {
	char *name;            /* the case name (valid, unique) */
	const char *aname;     /* the assertion's name */
	int64_t ms;
	const char *off;       /* why the budget is a comment (warn-only, 0), or NULL */
	char **argv;           /* the bound command, or NULL */
	char *shell;           /* ... or it as a shell string */
	bool bound;
};

struct budget {
	bool set;
	int64_t value;
	const char *from;      /* the assertion's name */
	bool warn_only;
	const char *note;      /* a remark on the line, or NULL */
};

struct ctx {
	const char *source;
	struct gt_error *err;
	char **notes;
	size_t nnotes, notes_cap;
	struct tcase *cases;
	size_t ncases, cases_cap;
	struct budget syscalls, rss;
};

static void note(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct ctx *c, const char *fmt, ...)
{
	struct gt_buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	gt_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	xgrow((void **)&c->notes, &c->notes_cap, c->nnotes + 1, sizeof(*c->notes));
	c->notes[c->nnotes++] = gt_buf_steal(&b);
}

static enum gt_rc bad(struct ctx *c, const struct gt_toml *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum gt_rc bad(struct ctx *c, const struct gt_toml *at, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return gt_error_set(c->err, GT_ERR_FORMAT, "%s:%d:%d: %s", c->source, at->line, at->col, what);
}

/* KEY of the assertion A (called NAME) as TYPE: *OUT is NULL when absent
 * (an error when REQUIRED) or the value. */
static enum gt_rc field(struct ctx *c, const struct gt_toml *a, const char *name, const char *key,
			enum gt_toml_type type, bool required, const struct gt_toml **out)
{
	const struct gt_toml *v = gt_toml_get(a, key);

	*out = NULL;
	if (!v) {
		if (required)
			return bad(c, a, "assertion%s%s%s has no '%s'", name ? " '" : "", name ? name : "",
				   name ? "'" : "", key);
		return GT_OK;
	}
	if (v->type != type)
		return bad(c, v, "assertion%s%s%s: '%s' must be %s, not %s", name ? " '" : "",
			   name ? name : "", name ? "'" : "", key, gt_toml_type_name(type),
			   gt_toml_type_name(v->type));
	if (type == GT_TOML_INTEGER && v->i < 0)
		return bad(c, v, "assertion '%s': '%s' must not be negative", name, key);
	*out = v;
	return GT_OK;
}

static bool in_list(const char *s, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* Note the keys of assertion A that neither its type nor the common ones
 * know: listed, never dropped in silence. */
static void note_unknown_keys(struct ctx *c, const struct gt_toml *a, const char *name,
			      const char *const *known)
{
	static const char *const common[] = { "name", "type", "enabled", "fail_on_violation", NULL };

	for (size_t i = 0; i < a->n; i++)
		if (!in_list(a->keys[i], common) && !in_list(a->keys[i], known))
			note(c, "assertion '%s': key '%s' (line %d) is unknown, not translated", name,
			     a->keys[i], a->items[i]->line);
}

static void add_case(struct ctx *c, const char *aname, int64_t ms, const char *off)
{
	char *base = gt_confgen_case_name(aname), *name = xstrdup(base);
	struct tcase *t;

	for (unsigned k = 2;; k++) {
		bool taken = false;

		for (size_t i = 0; i < c->ncases && !taken; i++)
			taken = strcmp(c->cases[i].name, name) == 0;
		if (!taken)
			break;
		char suffix[16];

		free(name);
		snprintf(suffix, sizeof(suffix), "-%u", k);
		/* within the longest name a config takes */
		name = xasprintf("%.*s%s", (int)(GT_CONFIG_MAX_NAME - strlen(suffix)), base, suffix);
	}
	free(base);
	if (strcmp(name, aname) != 0)
		note(c, "assertion '%s': the case is called '%s' (a case name has only letters, "
			"digits, '.', '_' and '-', and is unique)", aname, name);
	xgrow((void **)&c->cases, &c->cases_cap, c->ncases + 1, sizeof(*c->cases));
	t = &c->cases[c->ncases++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->aname = aname;
	t->ms = ms;
	t->off = off;
}

/* A global budget from assertion NAME: a config has one of each, so the
 * tightest gating one wins and the others are noted. */
static void set_budget(struct ctx *c, struct budget *b, const char *what, int64_t v,
		       const char *name, bool warn_only)
{
	bool keep_old = b->set && (warn_only ? !b->warn_only : !b->warn_only && b->value <= v);

	if (b->set) {
		const char *lost = keep_old ? name : b->from, *kept = keep_old ? b->from : name;
		int64_t lost_v = keep_old ? v : b->value, kept_v = keep_old ? b->value : v;

		note(c, "assertion '%s': %s %" PRId64 " not translated: a config has one such budget, "
			"and '%s' (%" PRId64 ") is kept", lost, what, lost_v, kept, kept_v);
	}
	if (keep_old)
		return;
	b->set = true;
	b->value = v;
	b->from = name;
	b->warn_only = warn_only;
	b->note = NULL;
}

static enum gt_rc assertion(struct ctx *c, const struct gt_toml *a)
{
	static const char *const cp_keys[] = { "max_duration_ms", "trace_name_pattern", NULL };
	static const char *const sc_keys[] = { "max_spans", "span_name_pattern", NULL };
	static const char *const mu_keys[] = { "max_bytes", "tracking_mode", NULL };
	const struct gt_toml *name_v, *type_v, *enabled, *fail, *v, *pattern;
	const char *name, *type;
	bool warn_only;
	enum gt_rc rc;

	if (a->type != GT_TOML_TABLE)
		return bad(c, a, "each assertion must be a table ([[assertion]])");
	rc = field(c, a, NULL, "name", GT_TOML_STRING, true, &name_v);
	if (rc != GT_OK)
		return rc;
	name = name_v->s;
	rc = field(c, a, name, "type", GT_TOML_STRING, true, &type_v);
	if (rc == GT_OK)
		rc = field(c, a, name, "enabled", GT_TOML_BOOL, false, &enabled);
	if (rc == GT_OK)
		rc = field(c, a, name, "fail_on_violation", GT_TOML_BOOL, false, &fail);
	if (rc != GT_OK)
		return rc;
	type = type_v->s;
	warn_only = fail && !fail->b;
	if (enabled && !enabled->b) {
		note(c, "assertion '%s' (%s): enabled = false, not translated", name, type);
		return GT_OK;
	}
	if (strcmp(type, "critical_path") == 0) {
		rc = field(c, a, name, "max_duration_ms", GT_TOML_INTEGER, true, &v);
		if (rc == GT_OK)
			rc = field(c, a, name, "trace_name_pattern", GT_TOML_STRING, false, &pattern);
		if (rc != GT_OK)
			return rc;
		if (pattern)
			note(c, "assertion '%s': trace_name_pattern not translated: the case's budget "
				"is the wall time of its whole command", name);
		if (v->i == 0)
			note(c, "assertion '%s': max_duration_ms = 0 is no gtdiff budget (those are "
				"greater than 0), so it is written commented out", name);
		else if (warn_only)
			note(c, "assertion '%s': fail_on_violation = false: gtdiff budgets always fail "
				"the check, so max_duration_ms is written commented out", name);
		add_case(c, name, v->i,
			 v->i == 0 ? "0 is no gtdiff budget" : warn_only ? "warn-only in renacer" : NULL);
		note_unknown_keys(c, a, name, cp_keys);
	} else if (strcmp(type, "span_count") == 0) {
		rc = field(c, a, name, "max_spans", GT_TOML_INTEGER, true, &v);
		if (rc == GT_OK)
			rc = field(c, a, name, "span_name_pattern", GT_TOML_STRING, false, &pattern);
		if (rc != GT_OK)
			return rc;
		if (pattern) {
			note(c, "assertion '%s' (span_count): counts only the spans matching "
				"span_name_pattern; gtdiff's max_syscalls counts all: not translated", name);
			return GT_OK;
		}
		if (v->i == 0) {
			note(c, "assertion '%s': max_spans = 0 is no gtdiff budget (those are greater "
				"than 0): not translated", name);
			return GT_OK;
		}
		if (warn_only)
			note(c, "assertion '%s': fail_on_violation = false: gtdiff budgets always fail "
				"the check, so max_syscalls is written commented out", name);
		set_budget(c, &c->syscalls, "max_spans", v->i, name, warn_only);
		note_unknown_keys(c, a, name, sc_keys);
	} else if (strcmp(type, "memory_usage") == 0) {
		const struct gt_toml *mode;

		rc = field(c, a, name, "max_bytes", GT_TOML_INTEGER, true, &v);
		if (rc == GT_OK)
			rc = field(c, a, name, "tracking_mode", GT_TOML_STRING, false, &mode);
		if (rc != GT_OK)
			return rc;
		if (mode && strcmp(mode->s, "allocations") != 0 && strcmp(mode->s, "rss") != 0)
			return bad(c, mode, "assertion '%s': tracking_mode must be \"allocations\" or "
					    "\"rss\"", name);
		if (v->i == 0) {
			note(c, "assertion '%s': max_bytes = 0 is no gtdiff budget (those are greater "
				"than 0): not translated", name);
			return GT_OK;
		}
		if (warn_only)
			note(c, "assertion '%s': fail_on_violation = false: gtdiff budgets always fail "
				"the check, so max_rss_bytes is written commented out", name);
		set_budget(c, &c->rss, "max_bytes", v->i, name, warn_only);
		if (!mode || strcmp(mode->s, "allocations") == 0) {
			note(c, "assertion '%s': tracking_mode \"allocations\" (the bytes of mmap and brk) "
				"becomes a peak-RSS budget: translated approximately", name);
			if (c->rss.from == name)
				c->rss.note = "renacer counted mmap/brk allocations; this is peak RSS";
		}
		note_unknown_keys(c, a, name, mu_keys);
	} else if (strcmp(type, "anti_pattern") == 0) {
		const struct gt_toml *p = gt_toml_get(a, "pattern");

		note(c, "assertion '%s' (anti_pattern%s%s): gtdiff has no anti-pattern detection; "
			"a golden trace shows a new loop or process as a diff instead", name,
		     p && p->type == GT_TOML_STRING ? " " : "",
		     p && p->type == GT_TOML_STRING ? p->s : "");
	} else if (strcmp(type, "custom") == 0) {
		note(c, "assertion '%s' (custom): a Rust expression has no gtdiff equivalent", name);
	} else {
		note(c, "assertion '%s': unknown type '%s', not translated", name, type);
	}
	return GT_OK;
}

/* Why a renacer table has no translation. */
static const char *table_reason(const char *name)
{
	static const char *const reasons[][2] = {
		{ "semantic_equivalence",
		  "gtdiff compares every run with its golden trace itself (golden_traces/, "
		  "recorded by gtdiff update)" },
		{ "lamport_clock", "gtdiff orders events per process and thread; no clock to set" },
		{ "compression", "golden traces are canonical JSON with repeats collapsed" },
		{ "otlp", "gtdiff exports no OpenTelemetry; see --report-json and --junit" },
		{ "ci", "gtdiff check exits 1 on a regression; in CI see --ci, --junit, "
			"--report-json, --artifacts-dir" },
	};

	for (size_t i = 0; i < GT_ARRAY_SIZE(reasons); i++)
		if (strcmp(name, reasons[i][0]) == 0)
			return reasons[i][1];
	return "no gtdiff equivalent";
}

static void note_table(struct ctx *c, const char *name, const struct gt_toml *t)
{
	struct gt_buf keys = {0};

	for (size_t i = 0; i < t->n; i++)
		gt_buf_printf(&keys, "%s%s", i ? ", " : "", t->keys[i]);
	note(c, "[%s] (line %d%s%s): not translated: %s", name, t->line, t->n ? "; " : "",
	     t->n ? keys.s : "", table_reason(name));
	gt_buf_free(&keys);
}

static enum gt_rc bind(struct ctx *c, const struct gt_renacer_run *r)
{
	struct tcase *t = NULL;
	char **words;
	enum gt_rc rc;

	for (size_t i = 0; i < c->ncases && !t; i++)
		if (strcmp(c->cases[i].aname, r->name) == 0 || strcmp(c->cases[i].name, r->name) == 0)
			t = &c->cases[i];
	if (!t) {
		struct gt_buf names = {0};

		for (size_t i = 0; i < c->ncases; i++)
			gt_buf_printf(&names, "%s'%s'", i ? ", " : "", c->cases[i].name);
		rc = gt_error_set(c->err, GT_ERR_USAGE,
				  "--run %s: %s has no critical_path assertion of that name (%s%s)",
				  r->name, c->source, c->ncases ? "its cases: " : "it has none",
				  c->ncases ? names.s : "");
		gt_buf_free(&names);
		return rc;
	}
	if (t->bound)
		return gt_error_set(c->err, GT_ERR_USAGE, "--run %s: given twice", r->name);
	rc = gt_confgen_split(r->cmd, &words, c->err);
	if (rc != GT_OK) {
		char msg[sizeof(c->err->msg)];

		snprintf(msg, sizeof(msg), "%s", c->err->msg);
		return gt_error_set(c->err, rc, "--run %s: %s", r->name, msg);
	}
	t->bound = true;
	t->argv = words;
	if (!words)
		t->shell = xstrdup(r->cmd);
	return GT_OK;
}

/* --- the text ------------------------------------------------------------ */

static void put_budget(struct gt_buf *y, const char *indent, const char *key, const struct budget *b,
		       const char *what)
{
	gt_buf_printf(y, "%s%s%s: %" PRId64 "  # %s of '", indent, b->warn_only ? "# " : "", key, b->value,
		      what);
	gt_confgen_comment_text(y, b->from);
	gt_buf_printf(y, "'%s%s\n", b->note ? "; " : "", b->note ? b->note : "");
}

static void put_case(struct gt_buf *y, const struct tcase *t)
{
	/* an unbound case is all comment; a warn-only budget is one */
	const char *lead = t->bound ? "  " : "  # ";
	const char *bhash = t->bound && t->off ? "# " : "";

	if (!t->bound) {
		gt_buf_puts(y, "  # No command for this case yet: give --run ");
		gt_confgen_comment_text(y, t->name);
		gt_buf_puts(y, "='CMD ARGS' to gtdiff import,\n"
			       "  # or write it here and uncomment the case.\n");
	}
	gt_buf_printf(y, "%s- name: ", lead);
	gt_confgen_scalar(y, t->name);
	if (strcmp(t->name, t->aname) != 0) {
		gt_buf_puts(y, "  # renacer assertion '");
		gt_confgen_comment_text(y, t->aname);
		gt_buf_putc(y, '\'');
	}
	gt_buf_printf(y, "\n%s  ", lead);
	if (t->argv) {
		gt_buf_puts(y, "run: ");
		gt_confgen_argv(y, t->argv);
	} else if (t->shell) {
		gt_buf_puts(y, "shell: ");
		gt_confgen_scalar(y, t->shell);
	} else {
		gt_buf_puts(y, "run: [CMD, ARGS]");
	}
	gt_buf_printf(y, "\n%s  %sbudgets:\n", lead, bhash);
	gt_buf_printf(y, "%s  %s  max_duration_ms: %" PRId64 "  # critical_path: wall time%s%s\n",
		      lead, bhash, t->ms, t->off ? "; " : "", t->off ? t->off : "");
}

static char *render(const struct ctx *c)
{
	struct gt_buf y = {0};
	bool any_budget = (c->syscalls.set && !c->syscalls.warn_only) ||
			  (c->rss.set && !c->rss.warn_only);

	gt_buf_puts(&y, "# gtdiff.yaml imported by gtdiff import from ");
	gt_confgen_comment_text(&y, c->source);
	gt_buf_puts(&y, "\n# (man 1 gtdiff, man 5 gtdiff.yaml).\n"
			"# Record the goldens with 'gtdiff update', review and commit them, and run\n"
			"# 'gtdiff check' in CI: exit 0 within the budgets and the goldens, 1 a\n"
			"# regression, 2 trouble.\n");
	if (c->nnotes) {
		gt_buf_printf(&y, "#\n# Not translated, or only approximately (%zu):\n", c->nnotes);
		for (size_t i = 0; i < c->nnotes; i++) {
			gt_buf_puts(&y, "#   - ");
			gt_confgen_comment_text(&y, c->notes[i]);
			gt_buf_putc(&y, '\n');
		}
	}
	gt_buf_puts(&y, "version: 1\ngolden_dir: golden_traces\n");
	if (c->syscalls.set || c->rss.set) {
		const char *hash = any_budget ? "" : "# ";

		gt_buf_printf(&y, "%sdefaults:\n%s  budgets:\n", hash, hash);
		if (c->syscalls.set)
			put_budget(&y, any_budget ? "    " : "#     ", "max_syscalls", &c->syscalls,
				   "max_spans");
		if (c->rss.set)
			put_budget(&y, any_budget ? "    " : "#     ", "max_rss_bytes", &c->rss,
				   "max_bytes");
	}
	gt_buf_puts(&y, "cases:\n");
	if (!c->ncases)
		gt_buf_puts(&y, "  # No critical_path assertion to make a case of: add yours, e.g.\n"
				"  # - name: my-command\n"
				"  #   run: [./my-program, input.txt]\n");
	for (size_t i = 0; i < c->ncases; i++)
		put_case(&y, &c->cases[i]);
	return gt_buf_steal(&y);
}

/* --- the whole ----------------------------------------------------------- */

static void ctx_free(struct ctx *c)
{
	for (size_t i = 0; i < c->ncases; i++) {
		free(c->cases[i].name);
		gt_confgen_words_free(c->cases[i].argv);
		free(c->cases[i].shell);
	}
	free(c->cases);
	for (size_t i = 0; i < c->nnotes; i++)
		free(c->notes[i]);
	free(c->notes);
}

enum gt_rc gt_renacer_translate(const struct gt_toml *doc, const char *source,
				const struct gt_renacer_run *runs, size_t nruns,
				struct gt_renacer_result *out, struct gt_error *err)
{
	struct ctx c = { .source = source, .err = err };
	enum gt_rc rc = GT_OK;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < doc->n && rc == GT_OK; i++) {
		const char *key = doc->keys[i];
		const struct gt_toml *v = doc->items[i];

		if (strcmp(key, "assertion") == 0) {
			if (v->type != GT_TOML_ARRAY) {
				rc = bad(&c, v, "'assertion' must be an array of tables ([[assertion]]), "
						"not %s", gt_toml_type_name(v->type));
				break;
			}
			for (size_t k = 0; k < v->n && rc == GT_OK; k++)
				rc = assertion(&c, v->items[k]);
		} else if (v->type == GT_TOML_TABLE) {
			note_table(&c, key, v);
		} else {
			note(&c, "key '%s' (line %d): not translated: no gtdiff equivalent", key, v->line);
		}
	}
	for (size_t i = 0; i < nruns && rc == GT_OK; i++)
		rc = bind(&c, &runs[i]);
	if (rc != GT_OK) {
		ctx_free(&c);
		return rc;
	}
	out->yaml = render(&c);
	out->ncases = c.ncases;
	for (size_t i = 0; i < c.ncases; i++)
		out->nbound += c.cases[i].bound;
	out->notes = c.notes;
	out->nnotes = c.nnotes;
	c.notes = NULL;
	c.nnotes = 0;
	ctx_free(&c);
	return GT_OK;
}

void gt_renacer_result_free(struct gt_renacer_result *r)
{
	if (!r)
		return;
	free(r->yaml);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

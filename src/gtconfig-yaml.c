/*
 * gtconfig-yaml: the config loader's access to libyaml's document tree:
 * nodes, typed values (strings, paths, numbers, tolerances, lists) checked
 * as they are read, the small parsers behind them, and the positioned
 * messages ("FILE:LINE:COLUMN: what is wrong", with "did you mean"
 * suggestions).  See gtconfig-internal.h.
 */
#include "config.h"

#include "gtconfig-internal.h"

#include <limits.h>
#include <math.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscalls.h"
#include "units.h"

void cfg_where_str(const struct where *w, char *buf, size_t n)
{
	if (w->label && w->section)
		snprintf(buf, n, "in '%s' of %s", w->section, w->label);
	else if (w->label)
		snprintf(buf, n, "in %s", w->label);
	else if (w->defaults && w->section)
		snprintf(buf, n, "in 'defaults.%s'", w->section);
	else if (w->defaults)
		snprintf(buf, n, "in 'defaults'");
	else if (w->section)
		snprintf(buf, n, "in '%s'", w->section);
	else
		snprintf(buf, n, "at the top level");
}

/* A sub-section of W (SECTION is "canonicalize" and the like). */
struct where cfg_where_sub(const struct where *w, const char *section)
{
	struct where s = *w;

	s.section = section;
	return s;
}

/* User text made safe for a message: control characters escaped, long text
 * cut.  The result lives until three more calls. */
const char *cfg_show(struct ctx *c, const char *s)
{
	char *out = c->shown[c->nshown++ % GT_ARRAY_SIZE(c->shown)];
	size_t o = 0, cap = sizeof(c->shown[0]);
	const size_t limit = 60;

	for (size_t i = 0; s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (o >= limit) {
			/* Do not cut a UTF-8 sequence in half. */
			while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 0 && (unsigned char)out[o - 1] >= 0xc0)
				o--;
			memcpy(out + o, "...", 4);
			return out;
		}
		if (ch == '\n') {
			memcpy(out + o, "\\n", 2);
			o += 2;
		} else if (ch == '\t') {
			memcpy(out + o, "\\t", 2);
			o += 2;
		} else if (ch < 0x20 || ch == 0x7f) {
			snprintf(out + o, cap - o, "\\x%02x", ch);
			o += 4;
		} else {
			out[o++] = (char)ch;
		}
	}
	out[o] = '\0';
	return out;
}

/* Fail at node N (its first character): "FILE:LINE:COLUMN: message". */
enum gt_rc cfg_fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A "\0" in a double-quoted scalar is refused where a string is
	 * read (cfg_string_of); say so, or "must be a string" puzzles. */
	if (n && n->type == YAML_SCALAR_NODE) {
		const char *v = (const char *)n->data.scalar.value;
		size_t at = strlen(v);

		if (at < n->data.scalar.length)
			return gt_error_set(c->err, GT_ERR_FORMAT, "%s:%zu:%zu: %s; this one "
					    "contains a NUL byte (\\0, character %zu of the "
					    "value), which no string here can hold", c->file,
					    n->start_mark.line + 1, n->start_mark.column + 1, msg,
					    at + 1);
	}
	return gt_error_set(c->err, GT_ERR_FORMAT, "%s:%zu:%zu: %s", c->file,
			    n ? n->start_mark.line + 1 : 1, n ? n->start_mark.column + 1 : 1, msg);
}

/* --- small parsers ------------------------------------------------------ */

/* Edit distance for "did you mean": Levenshtein's, with a swap of two
 * adjacent letters counted as one edit (the optimal string alignment
 * distance), so that "rnus" is nearer to "runs" than to "run". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2], *t;

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* Is the nearest of CAND (first wins a tie) close enough to WORD to offer?
 * Close enough: at most max(2, len/3) edits, len being WORD's length. */
struct nearest {
	const char *best;
	size_t dist;
};

static void nearest_add(struct nearest *nr, const char *word, const char *cand)
{
	size_t d = edit_distance(word, cand);

	if (d < nr->dist) {
		nr->dist = d;
		nr->best = cand;
	}
}

static const char *nearest_ok(const struct nearest *nr, const char *word)
{
	size_t len = strlen(word), limit = len / 3 > 2 ? len / 3 : 2;

	return nr->best && nr->dist <= limit ? nr->best : NULL;
}

static const char *suggest(const char *word, const char *const *known)
{
	struct nearest nr = { NULL, SIZE_MAX };

	for (size_t i = 0; known[i]; i++)
		nearest_add(&nr, word, known[i]);
	return nearest_ok(&nr, word);
}

/* "a, b or c" */
static void list_words(char *buf, size_t n, const char *const *words)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; words[i] && o < n; i++) {
		const char *sep = i == 0 ? "" : words[i + 1] ? ", " : " or ";
		int w = snprintf(buf + o, n - o, "%s%s", sep, words[i]);

		if (w < 0)
			break;
		o += (size_t)w;
	}
}

/* [0-9]+(\.[0-9]+)?, finite.  No signs, exponents, hex or spaces. */
static bool parse_decimal(const char *s, double *out)
{
	const char *end;
	double v;

	if (!gt_units_number(s, &v, &end) || *end)
		return false;
	*out = v;
	return true;
}

/* [0-9]+ that fits in 64 bits. */
static bool parse_whole(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return true;
}

/* "-" followed by a number: worth its own message. */
static bool is_negative(const char *s)
{
	double v;

	return s[0] == '-' && parse_decimal(s + 1, &v);
}

bool gt_tol_parse(const char *s, struct gt_tol *out)
{
	struct gt_tol t = { GT_TOL_ABS, 0 };
	char num[64];
	size_t n;

	if (!s)
		return false;
	if (strncmp(s, "\xc2\xb1", 2) == 0 || strncmp(s, "+-", 2) == 0)
		s += 2;
	n = strlen(s);
	if (n > 0 && s[n - 1] == '%') {
		t.kind = GT_TOL_PCT;
		n--;
	}
	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	if (!parse_decimal(num, &t.value))
		return false;
	if (t.value == 0)
		t.kind = GT_TOL_EXACT;
	*out = t;
	return true;
}

struct gt_tol gt_tol_for(const struct gt_count_tol *t, const char *syscall)
{
	for (size_t i = 0; syscall && i < t->nper; i++)
		if (strcmp(t->per[i].syscall, syscall) == 0)
			return t->per[i].tol;
	return t->dflt;
}

double gt_tol_slack(struct gt_tol t, double value)
{
	switch (t.kind) {
	case GT_TOL_ABS:
		return t.value;
	case GT_TOL_PCT:
		return value * t.value / 100.0;
	case GT_TOL_EXACT:
	default:
		return 0;
	}
}

/* Timeouts: "60", "1.5", "500ms", "1.5s", "2m", "1h". */
bool cfg_parse_timeout(const char *s, double *out)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = { { "", 1 }, { "s", 1 }, { "ms", 0.001 }, { "m", 60 }, { "h", 3600 } };
	char num[64];
	size_t n = 0;
	double v;

	while ((s[n] >= '0' && s[n] <= '9') || s[n] == '.')
		n++;
	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n);
	num[n] = '\0';
	if (!parse_decimal(num, &v))
		return false;
	for (size_t i = 0; i < GT_ARRAY_SIZE(units); i++) {
		if (strcmp(s + n, units[i].unit) == 0) {
			*out = v * units[i].mult;
			return true;
		}
	}
	return false;
}

bool cfg_valid_env_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

bool cfg_valid_case_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* Known on some architecture: a config must mean the same on x86-64 and
 * aarch64, so "open" is fine on both.  libseccomp names every syscall of
 * every architecture (those foreign to this one resolve to a negative
 * pseudo number); "syscall_NNN" names an unnamed number. */
static bool syscall_known(const char *name)
{
	size_t n;
	const struct gt_syscall_desc *t;

	if (seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR || gt_syscall_nr(name) >= 0)
		return true;
	t = gt_syscalls_table(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return true;
	return false;
}

static const char *suggest_syscall(const char *name)
{
	struct nearest nr = { NULL, SIZE_MAX };
	const struct gt_syscall_desc *t;
	size_t n;
	int max;

	if (strlen(name) > SUGGEST_MAX_LEN)
		return NULL;
	t = gt_syscalls_table(&n);
	for (size_t i = 0; i < n; i++)
		nearest_add(&nr, name, t[i].name);
	max = gt_syscalls_max();
	for (int i = 0; i < max; i++) {
		const char *s = gt_syscall_name(i);

		if (s)
			nearest_add(&nr, name, s);
	}
	return nearest_ok(&nr, name);
}

bool gt_config_syscall_ok(const char *name, const char **near)
{
	*near = NULL;
	if (syscall_known(name))
		return true;
	*near = suggest_syscall(name);
	return false;
}

const char *gt_config_path_rule_problem(const char *prefix, const char *as, bool *on_prefix)
{
	size_t n = strlen(prefix);

	*on_prefix = true;
	if (prefix[0] != '/')
		return "must be an absolute path";
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	if (n == 1)
		return "must not be '/' (it would match every path)";
	*on_prefix = false;
	if (as[0] != '$' || !cfg_valid_env_name(as + 1))
		return "must be a placeholder such as $BUILD";
	return NULL;
}

/* A path relative to DIR made absolute: resolved through realpath when it
 * exists, else joined and cleaned of "." and ".." lexically. */
char *cfg_resolve_path(const char *dir, const char *p)
{
	char *joined = p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", dir, p);
	char *real = realpath(joined, NULL);
	char *out, *seg, *save = NULL;
	size_t o = 0;

	if (real) {
		free(joined);
		return real;
	}
	out = xmalloc(strlen(joined) + 2);
	for (seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, seg, strlen(seg));
		o += strlen(seg);
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	free(joined);
	return out;
}


/* --- nodes -------------------------------------------------------------- */

yaml_node_t *cfg_node_at(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

const char *cfg_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A plain empty, "~" or "null" scalar: YAML's null. */
static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	const char *s = cfg_scalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < GT_ARRAY_SIZE(nulls); i++)
		if (strcmp(s, nulls[i]) == 0)
			return true;
	return false;
}

/* A string value: a scalar that is not null and has no NUL inside
 * ("\0" in a double-quoted scalar would silently cut it short). */
const char *cfg_string_of(const yaml_node_t *n)
{
	const char *s = cfg_scalar(n);

	if (!s || is_null(n) || strlen(s) != n->data.scalar.length)
		return NULL;
	return s;
}

size_t cfg_seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

yaml_node_t *cfg_seq_item(struct ctx *c, const yaml_node_t *n, size_t i)
{
	return cfg_node_at(c, n->data.sequence.items.start[i]);
}

/* The value of KEY in mapping MAP (keys already checked), and the key node
 * in *KEYNODE when not NULL. */
yaml_node_t *cfg_map_get(struct ctx *c, const yaml_node_t *map, const char *key,
			 yaml_node_t **keynode)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = cfg_node_at(c, p->key);
		const char *s = cfg_scalar(k);

		if (s && strcmp(s, key) == 0) {
			if (keynode)
				*keynode = k;
			return cfg_node_at(c, p->value);
		}
	}
	return NULL;
}

/* Check that every key of MAP is a string, is in KNOWN (NULL: any name
 * goes) and appears once. */
enum gt_rc cfg_check_keys(struct ctx *c, const yaml_node_t *map, const char *const *known,
			  const struct where *w)
{
	yaml_node_pair_t *start = map->data.mapping.pairs.start;
	char where[300], words[400];

	cfg_where_str(w, where, sizeof(where));
	for (yaml_node_pair_t *p = start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = cfg_node_at(c, p->key);
		const char *s = cfg_string_of(k);
		const char *near;
		bool ok = !known;

		if (!k || !s)
			return cfg_fail(c, k, "keys must be strings %s", where);
		/* libyaml leaves YAML 1.1 merge keys to the application. */
		if (strcmp(s, "<<") == 0 && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return cfg_fail(c, k, "merge keys ('<<') are not supported %s; put shared "
					"values in 'defaults', or alias a whole value", where);
		for (size_t i = 0; known && known[i]; i++)
			ok = ok || strcmp(s, known[i]) == 0;
		if (!ok) {
			near = suggest(s, known);
			if (near)
				return cfg_fail(c, k, "unknown key '%s' %s; did you mean '%s'?",
						cfg_show(c, s), where, near);
			list_words(words, sizeof(words), known);
			return cfg_fail(c, k, "unknown key '%s' %s; known keys: %s", cfg_show(c, s),
					where, words);
		}
		for (yaml_node_pair_t *q = start; q < p; q++) {
			yaml_node_t *k0 = cfg_node_at(c, q->key);

			if (strcmp(cfg_scalar(k0), s) == 0)
				return cfg_fail(c, k, "duplicate key '%s' %s (the first is at line "
						"%zu, column %zu)", cfg_show(c, s), where,
						k0->start_mark.line + 1, k0->start_mark.column + 1);
		}
	}
	return GT_OK;
}

/* V must be a mapping with keys from KNOWN. */
enum gt_rc cfg_want_map(struct ctx *c, const yaml_node_t *v, const char *key,
			const char *const *known, const struct where *w)
{
	if (v->type != YAML_MAPPING_NODE)
		return cfg_fail(c, v, "'%s' must be a mapping", key);
	return cfg_check_keys(c, v, known, w);
}

/* --- values ------------------------------------------------------------- */

enum gt_rc cfg_get_string(struct ctx *c, const yaml_node_t *v, const char *key,
			  bool nonempty, char **out)
{
	const char *s = cfg_string_of(v);

	if (!s)
		return cfg_fail(c, v, "'%s' must be a string", key);
	if (nonempty && !*s)
		return cfg_fail(c, v, "'%s' must not be empty", key);
	free(*out);
	*out = xstrdup(s);
	return GT_OK;
}

enum gt_rc cfg_get_path(struct ctx *c, const yaml_node_t *v, const char *key, char **out)
{
	const char *s = cfg_string_of(v);

	if (!s || !*s)
		return cfg_fail(c, v, "'%s' must be a path", key);
	free(*out);
	*out = cfg_resolve_path(c->dir, s);
	return GT_OK;
}

enum gt_rc cfg_get_bool(struct ctx *c, const yaml_node_t *v, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };
	const char *s = cfg_string_of(v);

	for (size_t i = 0; s && i < GT_ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
			*out = strcmp(s, yes[i]) == 0;
			return GT_OK;
		}
	}
	return cfg_fail(c, v, "'%s' must be true or false", key);
}

/* A whole number in LO..HI; MSG the complaint otherwise. */
enum gt_rc cfg_get_whole(struct ctx *c, const yaml_node_t *v, uint64_t lo, uint64_t hi,
			 uint64_t *out, const char *msg)
{
	const char *s = cfg_string_of(v);
	uint64_t x;

	if (!s || !parse_whole(s, &x) || x < lo || x > hi)
		return cfg_fail(c, v, "%s", msg);
	*out = x;
	return GT_OK;
}

/* A budget: a number greater than 0 (whole when WHOLE). */
enum gt_rc cfg_get_budget(struct ctx *c, const yaml_node_t *v, const char *key, bool whole,
			  double *dout, uint64_t *uout)
{
	const char *s = cfg_string_of(v);
	double d = 0;
	uint64_t u = 0;

	if (s && is_negative(s))
		return cfg_fail(c, v, "'%s' must not be negative", key);
	if (!s || (whole ? !parse_whole(s, &u) : !parse_decimal(s, &d)) ||
	    (whole ? u == 0 : d == 0))
		return cfg_fail(c, v, "'%s' must be a %s greater than 0", key,
				whole ? "whole number" : "number");
	if (dout)
		*dout = d;
	if (uout)
		*uout = u;
	return GT_OK;
}

/* A number >= LO (or > LO when STRICT) and below HI. */
enum gt_rc cfg_get_number(struct ctx *c, const yaml_node_t *v, double lo, bool strict,
			  double hi, double *out, const char *msg)
{
	const char *s = cfg_string_of(v);
	double d;

	if (!s || !parse_decimal(s, &d) || d < lo || (strict && d == lo) || d >= hi)
		return cfg_fail(c, v, "%s", msg);
	*out = d;
	return GT_OK;
}

enum gt_rc cfg_get_tol(struct ctx *c, const yaml_node_t *v, const char *key,
		       struct gt_tol *out)
{
	const char *s = cfg_string_of(v);

	if (!s)
		return cfg_fail(c, v, "'%s' must be a tolerance: N, \xc2\xb1N, +-N or N%%", key);
	if (!gt_tol_parse(s, out))
		return cfg_fail(c, v, "bad tolerance '%s' for '%s': expected N, \xc2\xb1N, +-N or N%%",
				cfg_show(c, s), key);
	return GT_OK;
}

/* A percentage: "25%", or 0. */
enum gt_rc cfg_get_pct(struct ctx *c, const yaml_node_t *v, const char *key, double *out)
{
	const char *s = cfg_string_of(v);
	struct gt_tol t;

	if (!s || !gt_tol_parse(s, &t) || t.kind == GT_TOL_ABS || strncmp(s, "+-", 2) == 0 ||
	    strncmp(s, "\xc2\xb1", 2) == 0)
		return cfg_fail(c, v, "'%s' must be a percentage such as 25%%", key);
	*out = t.kind == GT_TOL_PCT ? t.value : 0;
	return GT_OK;
}

/* One word of WORDS. */
enum gt_rc cfg_get_choice(struct ctx *c, const yaml_node_t *v, const char *what,
			  const char *const *words, int *out)
{
	const char *s = cfg_string_of(v), *near;
	char list[200];

	for (int i = 0; s && words[i]; i++) {
		if (strcmp(s, words[i]) == 0) {
			*out = i;
			return GT_OK;
		}
	}
	list_words(list, sizeof(list), words);
	if (!s)
		return cfg_fail(c, v, "'%s' must be one of %s", what, list);
	near = suggest(s, words);
	if (near)
		return cfg_fail(c, v, "bad %s '%s': expected %s; did you mean '%s'?", what, cfg_show(c, s),
				list, near);
	return cfg_fail(c, v, "bad %s '%s': expected %s", what, cfg_show(c, s), list);
}

enum gt_rc cfg_check_item(struct ctx *c, const yaml_node_t *n, const char *s,
			  enum item_kind kind, const struct where *w)
{
	char where[300];
	const char *near;

	cfg_where_str(w, where, sizeof(where));
	switch (kind) {
	case ITEM_NONEMPTY:
		if (!*s)
			return cfg_fail(c, n, "empty string %s", where);
		break;
	case ITEM_ENV_NAME:
		if (!cfg_valid_env_name(s))
			return cfg_fail(c, n, "bad environment variable name '%s' %s", cfg_show(c, s),
					where);
		break;
	case ITEM_SYSCALL:
		if (gt_config_syscall_ok(s, &near))
			break;
		if (near)
			return cfg_fail(c, n, "unknown syscall '%s' %s; did you mean '%s'?",
					cfg_show(c, s), where, near);
		return cfg_fail(c, n, "unknown syscall '%s' %s", cfg_show(c, s), where);
	case ITEM_STRING:
		break;
	}
	return GT_OK;
}

/* A list of strings, replacing *LIST (lists are never merged). */
enum gt_rc cfg_get_list(struct ctx *c, const yaml_node_t *v, const char *key,
			enum item_kind kind, const struct where *w, char ***list, size_t *n)
{
	size_t len;

	if (v->type != YAML_SEQUENCE_NODE)
		return cfg_fail(c, v, "'%s' must be a list", key);
	cfg_strv_free(*list, *n);
	len = cfg_seq_len(v);
	*list = xcalloc(len + 1, sizeof(**list));
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = cfg_seq_item(c, v, i);
		const char *s = cfg_string_of(item);
		enum gt_rc rc;

		if (!s)
			return cfg_fail(c, item ? item : v, "'%s' item %zu must be a string", key,
					i + 1);
		rc = cfg_check_item(c, item, s, kind, w);
		if (rc != GT_OK)
			return rc;
		(*list)[(*n)++] = xstrdup(s);
	}
	return GT_OK;
}

/*
 * gtconfig: load gtdiff.yaml (see gtconfig.h and man/gtdiff.yaml.5).  The
 * file is read with libyaml's document API, so that anchors and aliases are
 * resolved for us and every node carries its position; the tree is then
 * walked once against a fixed schema.  Every refusal is one message,
 * "FILE:LINE:COLUMN: what is wrong", positioned on the offending key or
 * value.  This is the only file that includes yaml.h.
 *
 * Memory: everything hangs off the struct gt_config as plain allocated
 * strings and arrays.  Values are stored into the config as they are parsed,
 * always leaving it in a state gt_config_free can release, so that an error
 * anywhere only has to free the config.
 */
#include "config.h"

#include "gtconfig.h"

#include <limits.h>
#include <math.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include <yaml.h>

#include "syscalls.h"

/* The keys each mapping knows, in the order they are listed to the user. */
static const char *const top_keys[] = { "version", "golden_dir", "defaults", "cases", NULL };
static const char *const defaults_keys[] = {
	"runs", "backend", "timeout", "env", "keep_env", "stdin", "cwd", "expect_exit",
	"setup", "teardown", "fresh_cwd", "canonicalize", "tolerance", "budgets", NULL
};
static const char *const case_keys[] = {
	"name", "run", "shell", "cwd", "expect_exit", "runs", "backend", "timeout", "env",
	"keep_env", "stdin", "setup", "teardown", "fresh_cwd", "canonicalize", "tolerance",
	"budgets", NULL
};
static const char *const canon_keys[] = {
	"paths", "unordered", "ignore", "keep_loader_probes", "keep_env_probes",
	"keep_dir_order", "keep_threads", "keep_memory",
	"keep_wait_timing", NULL
};
static const char *const rule_keys[] = { "prefix", "as", NULL };
static const char *const tol_keys[] = { "counts", "duration", "rss", "bytes", "order", NULL };
static const char *const order_names[] = { "commute", "exact", NULL };
static const char *const dur_keys[] = { "mads", "floor", "gross", "gate", "alpha", "reruns",
					"rerun_time", NULL };
static const char *const budget_keys[] = {
	"max_duration_ms", "max_syscalls", "max_rss_bytes", "forbid_syscalls",
	"forbid_write_paths", NULL
};
static const char *const backend_names[] = { "ptrace", "seccomp", "auto", NULL };
static const char *const gate_names[] = { "gross", "tight", NULL };

#define MAX_TIMEOUT_S 1e6   /* eleven days: beyond that it is a typo */
#define SUGGEST_MAX_LEN 64  /* keys longer than this get no suggestion */

/* The state of one parse. */
struct ctx {
	const char *file;       /* the name messages start with */
	const char *dir;        /* the config's directory, absolute */
	yaml_document_t *doc;
	struct gt_error *err;
	/* show() formats user text for messages into these, round robin. */
	char shown[4][200];
	unsigned nshown;
};

/* Where a mapping is, for messages: "at the top level", "in 'defaults'",
 * "in 'defaults.tolerance'", "in case 'x'", "in 'tolerance' of case 'x'". */
struct where {
	const char *label;     /* "case 'x'" / "case 3"; NULL: defaults or top */
	bool defaults;
	const char *section;   /* "canonicalize", "tolerance.duration"; or NULL */
};

static void where_str(const struct where *w, char *buf, size_t n)
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
static struct where where_sub(const struct where *w, const char *section)
{
	struct where s = *w;

	s.section = section;
	return s;
}

/* User text made safe for a message: control characters escaped, long text
 * cut.  The result lives until three more calls. */
static const char *show(struct ctx *c, const char *s)
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
static enum gt_rc fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum gt_rc fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
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
	const char *p = s;
	char *end;
	double v;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return false;
	v = strtod(s, &end);
	if (*end || !isfinite(v))
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
static bool parse_timeout(const char *s, double *out)
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

static bool valid_env_name(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool valid_case_name(const char *s)
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

/* A path relative to DIR made absolute: resolved through realpath when it
 * exists, else joined and cleaned of "." and ".." lexically. */
static char *resolve_path(const char *dir, const char *p)
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

/* --- the case record ---------------------------------------------------- */

static void strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static size_t strv_len(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

static char **strv_dup(char *const *v, size_t n)
{
	char **d;

	if (!v)
		return NULL;
	d = xcalloc(n + 1, sizeof(*d));
	for (size_t i = 0; i < n; i++)
		d[i] = xstrdup(v[i]);
	return d;
}

static char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The rule strings are the config's although gt_path_rule says const. */
static void free_const(const char *p)
{
	free((char *)(uintptr_t)p);
}

static void case_fini(struct gt_case *cs)
{
	free(cs->name);
	strv_free(cs->run, strv_len(cs->run));
	free(cs->shell);
	free(cs->cwd);
	strv_free(cs->env, cs->nenv);
	strv_free(cs->keep_env, cs->nkeep_env);
	free(cs->stdin_path);
	free(cs->setup);
	free(cs->teardown);
	for (size_t i = 0; i < cs->npaths; i++) {
		free_const(cs->paths[i].prefix);
		free_const(cs->paths[i].as);
	}
	free(cs->paths);
	strv_free(cs->unordered, cs->nunordered);
	strv_free(cs->ignore, cs->nignore);
	for (size_t i = 0; i < cs->tol.counts.nper; i++)
		free(cs->tol.counts.per[i].syscall);
	free(cs->tol.counts.per);
	strv_free(cs->budgets.forbid_syscalls, cs->budgets.nforbid_syscalls);
	strv_free(cs->budgets.forbid_write_paths, cs->budgets.nforbid_write_paths);
	memset(cs, 0, sizeof(*cs));
}

/* D becomes a deep copy of S. */
static void case_copy(struct gt_case *d, const struct gt_case *s)
{
	*d = *s;
	d->name = xstrdup_or_null(s->name);
	d->run = strv_dup(s->run, strv_len(s->run));
	d->shell = xstrdup_or_null(s->shell);
	d->cwd = xstrdup_or_null(s->cwd);
	d->env = strv_dup(s->env, s->nenv);
	d->keep_env = strv_dup(s->keep_env, s->nkeep_env);
	d->stdin_path = xstrdup_or_null(s->stdin_path);
	d->setup = xstrdup_or_null(s->setup);
	d->teardown = xstrdup_or_null(s->teardown);
	d->paths = NULL;
	if (s->paths) {
		d->paths = xcalloc(s->npaths + 1, sizeof(*d->paths));
		for (size_t i = 0; i < s->npaths; i++) {
			d->paths[i].prefix = xstrdup(s->paths[i].prefix);
			d->paths[i].as = xstrdup(s->paths[i].as);
		}
	}
	d->unordered = strv_dup(s->unordered, s->nunordered);
	d->ignore = strv_dup(s->ignore, s->nignore);
	d->tol.counts.per = NULL;
	if (s->tol.counts.per) {
		d->tol.counts.per = xcalloc(s->tol.counts.nper + 1, sizeof(*d->tol.counts.per));
		for (size_t i = 0; i < s->tol.counts.nper; i++) {
			d->tol.counts.per[i].syscall = xstrdup(s->tol.counts.per[i].syscall);
			d->tol.counts.per[i].tol = s->tol.counts.per[i].tol;
		}
	}
	d->budgets.forbid_syscalls = strv_dup(s->budgets.forbid_syscalls,
					      s->budgets.nforbid_syscalls);
	d->budgets.forbid_write_paths = strv_dup(s->budgets.forbid_write_paths,
						 s->budgets.nforbid_write_paths);
}

static void count_tol_set(struct gt_count_tol *t, const char *name, struct gt_tol tol);

static void defaults_init(struct gt_case *d, const char *dir)
{
	memset(d, 0, sizeof(*d));
	d->cwd = xstrdup(dir);
	d->runs = 5;
	d->backend = GT_BACKEND_PTRACE;
	d->timeout_s = 60;
	d->tol.counts.dflt.kind = GT_TOL_EXACT;
	/* malloc grows the heap with brk a page at a time: how many calls it
	 * takes follows sizes such as the length of a path in $TMP, which
	 * differs between checkouts.  A config's counts map overrides it. */
	count_tol_set(&d->tol.counts, "brk", (struct gt_tol){GT_TOL_ABS, 2});
	d->tol.duration.mads = 4;
	d->tol.duration.floor_pct = 25;
	d->tol.duration.gross = 2;
	d->tol.duration.gate = GT_GATE_GROSS;
	d->tol.duration.alpha = 0.01;
	d->tol.duration.reruns = 4;
	d->tol.duration.rerun_time_s = 60;
	d->tol.rss_pct = 25;
	d->tol.bytes_pct = 50;
}

/* Set NAME=VALUE in CS->env, replacing an earlier NAME. */
static void env_set(struct gt_case *cs, const char *name, const char *value)
{
	size_t len = strlen(name);
	char *kv = xasprintf("%s=%s", name, value);

	for (size_t i = 0; i < cs->nenv; i++) {
		if (strncmp(cs->env[i], name, len) == 0 && cs->env[i][len] == '=') {
			free(cs->env[i]);
			cs->env[i] = kv;
			return;
		}
	}
	cs->env = xrealloc(cs->env, (cs->nenv + 2) * sizeof(*cs->env));
	cs->env[cs->nenv++] = kv;
	cs->env[cs->nenv] = NULL;
}

static void count_tol_set(struct gt_count_tol *t, const char *syscall, struct gt_tol tol)
{
	for (size_t i = 0; i < t->nper; i++) {
		if (strcmp(t->per[i].syscall, syscall) == 0) {
			t->per[i].tol = tol;
			return;
		}
	}
	t->per = xrealloc(t->per, (t->nper + 1) * sizeof(*t->per));
	t->per[t->nper].syscall = xstrdup(syscall);
	t->per[t->nper].tol = tol;
	t->nper++;
}

/* --- nodes -------------------------------------------------------------- */

static yaml_node_t *node_at(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A plain empty, "~" or "null" scalar: YAML's null. */
static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };
	const char *s = scalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < GT_ARRAY_SIZE(nulls); i++)
		if (strcmp(s, nulls[i]) == 0)
			return true;
	return false;
}

/* A string value: a scalar that is not null and has no NUL inside
 * ("\0" in a double-quoted scalar would silently cut it short). */
static const char *string_of(const yaml_node_t *n)
{
	const char *s = scalar(n);

	if (!s || is_null(n) || strlen(s) != n->data.scalar.length)
		return NULL;
	return s;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_item(struct ctx *c, const yaml_node_t *n, size_t i)
{
	return node_at(c, n->data.sequence.items.start[i]);
}

/* The value of KEY in mapping MAP (keys already checked), and the key node
 * in *KEYNODE when not NULL. */
static yaml_node_t *map_get(struct ctx *c, const yaml_node_t *map, const char *key,
			    yaml_node_t **keynode)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(c, p->key);
		const char *s = scalar(k);

		if (s && strcmp(s, key) == 0) {
			if (keynode)
				*keynode = k;
			return node_at(c, p->value);
		}
	}
	return NULL;
}

/* Check that every key of MAP is a string, is in KNOWN (NULL: any name
 * goes) and appears once. */
static enum gt_rc check_keys(struct ctx *c, const yaml_node_t *map, const char *const *known,
			     const struct where *w)
{
	yaml_node_pair_t *start = map->data.mapping.pairs.start;
	char where[300], words[400];

	where_str(w, where, sizeof(where));
	for (yaml_node_pair_t *p = start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key);
		const char *s = string_of(k);
		const char *near;
		bool ok = !known;

		if (!k || !s)
			return fail(c, k, "keys must be strings %s", where);
		/* libyaml leaves YAML 1.1 merge keys to the application. */
		if (strcmp(s, "<<") == 0 && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			return fail(c, k, "merge keys ('<<') are not supported %s; put shared "
				    "values in 'defaults', or alias a whole value", where);
		for (size_t i = 0; known && known[i]; i++)
			ok = ok || strcmp(s, known[i]) == 0;
		if (!ok) {
			near = suggest(s, known);
			if (near)
				return fail(c, k, "unknown key '%s' %s; did you mean '%s'?",
					    show(c, s), where, near);
			list_words(words, sizeof(words), known);
			return fail(c, k, "unknown key '%s' %s; known keys: %s", show(c, s),
				    where, words);
		}
		for (yaml_node_pair_t *q = start; q < p; q++) {
			yaml_node_t *k0 = node_at(c, q->key);

			if (strcmp(scalar(k0), s) == 0)
				return fail(c, k, "duplicate key '%s' %s (the first is at line "
					    "%zu, column %zu)", show(c, s), where,
					    k0->start_mark.line + 1, k0->start_mark.column + 1);
		}
	}
	return GT_OK;
}

/* V must be a mapping with keys from KNOWN. */
static enum gt_rc want_map(struct ctx *c, const yaml_node_t *v, const char *key,
			   const char *const *known, const struct where *w)
{
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "'%s' must be a mapping", key);
	return check_keys(c, v, known, w);
}

/* --- values ------------------------------------------------------------- */

static enum gt_rc get_string(struct ctx *c, const yaml_node_t *v, const char *key,
			     bool nonempty, char **out)
{
	const char *s = string_of(v);

	if (!s)
		return fail(c, v, "'%s' must be a string", key);
	if (nonempty && !*s)
		return fail(c, v, "'%s' must not be empty", key);
	free(*out);
	*out = xstrdup(s);
	return GT_OK;
}

static enum gt_rc get_path(struct ctx *c, const yaml_node_t *v, const char *key, char **out)
{
	const char *s = string_of(v);

	if (!s || !*s)
		return fail(c, v, "'%s' must be a path", key);
	free(*out);
	*out = resolve_path(c->dir, s);
	return GT_OK;
}

static enum gt_rc get_bool(struct ctx *c, const yaml_node_t *v, const char *key, bool *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };
	const char *s = string_of(v);

	for (size_t i = 0; s && i < GT_ARRAY_SIZE(yes); i++) {
		if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
			*out = strcmp(s, yes[i]) == 0;
			return GT_OK;
		}
	}
	return fail(c, v, "'%s' must be true or false", key);
}

/* A whole number in LO..HI; MSG the complaint otherwise. */
static enum gt_rc get_whole(struct ctx *c, const yaml_node_t *v, uint64_t lo, uint64_t hi,
			    uint64_t *out, const char *msg)
{
	const char *s = string_of(v);
	uint64_t x;

	if (!s || !parse_whole(s, &x) || x < lo || x > hi)
		return fail(c, v, "%s", msg);
	*out = x;
	return GT_OK;
}

/* A budget: a number greater than 0 (whole when WHOLE). */
static enum gt_rc get_budget(struct ctx *c, const yaml_node_t *v, const char *key, bool whole,
			     double *dout, uint64_t *uout)
{
	const char *s = string_of(v);
	double d = 0;
	uint64_t u = 0;

	if (s && is_negative(s))
		return fail(c, v, "'%s' must not be negative", key);
	if (!s || (whole ? !parse_whole(s, &u) : !parse_decimal(s, &d)) ||
	    (whole ? u == 0 : d == 0))
		return fail(c, v, "'%s' must be a %s greater than 0", key,
			    whole ? "whole number" : "number");
	if (dout)
		*dout = d;
	if (uout)
		*uout = u;
	return GT_OK;
}

/* A number >= LO (or > LO when STRICT) and below HI. */
static enum gt_rc get_number(struct ctx *c, const yaml_node_t *v, double lo, bool strict,
			     double hi, double *out, const char *msg)
{
	const char *s = string_of(v);
	double d;

	if (!s || !parse_decimal(s, &d) || d < lo || (strict && d == lo) || d >= hi)
		return fail(c, v, "%s", msg);
	*out = d;
	return GT_OK;
}

static enum gt_rc get_tol(struct ctx *c, const yaml_node_t *v, const char *key,
			  struct gt_tol *out)
{
	const char *s = string_of(v);

	if (!s)
		return fail(c, v, "'%s' must be a tolerance: N, \xc2\xb1N, +-N or N%%", key);
	if (!gt_tol_parse(s, out))
		return fail(c, v, "bad tolerance '%s' for '%s': expected N, \xc2\xb1N, +-N or N%%",
			    show(c, s), key);
	return GT_OK;
}

/* A percentage: "25%", or 0. */
static enum gt_rc get_pct(struct ctx *c, const yaml_node_t *v, const char *key, double *out)
{
	const char *s = string_of(v);
	struct gt_tol t;

	if (!s || !gt_tol_parse(s, &t) || t.kind == GT_TOL_ABS || strncmp(s, "+-", 2) == 0 ||
	    strncmp(s, "\xc2\xb1", 2) == 0)
		return fail(c, v, "'%s' must be a percentage such as 25%%", key);
	*out = t.kind == GT_TOL_PCT ? t.value : 0;
	return GT_OK;
}

/* One word of WORDS. */
static enum gt_rc get_choice(struct ctx *c, const yaml_node_t *v, const char *what,
			     const char *const *words, int *out)
{
	const char *s = string_of(v), *near;
	char list[200];

	for (int i = 0; s && words[i]; i++) {
		if (strcmp(s, words[i]) == 0) {
			*out = i;
			return GT_OK;
		}
	}
	list_words(list, sizeof(list), words);
	if (!s)
		return fail(c, v, "'%s' must be one of %s", what, list);
	near = suggest(s, words);
	if (near)
		return fail(c, v, "bad %s '%s': expected %s; did you mean '%s'?", what, show(c, s),
			    list, near);
	return fail(c, v, "bad %s '%s': expected %s", what, show(c, s), list);
}

/* What the items of a string list must be. */
enum item_kind { ITEM_STRING, ITEM_NONEMPTY, ITEM_ENV_NAME, ITEM_SYSCALL };

static enum gt_rc check_item(struct ctx *c, const yaml_node_t *n, const char *s,
			     enum item_kind kind, const struct where *w)
{
	char where[300];
	const char *near;

	where_str(w, where, sizeof(where));
	switch (kind) {
	case ITEM_NONEMPTY:
		if (!*s)
			return fail(c, n, "empty string %s", where);
		break;
	case ITEM_ENV_NAME:
		if (!valid_env_name(s))
			return fail(c, n, "bad environment variable name '%s' %s", show(c, s),
				    where);
		break;
	case ITEM_SYSCALL:
		if (syscall_known(s))
			break;
		near = suggest_syscall(s);
		if (near)
			return fail(c, n, "unknown syscall '%s' %s; did you mean '%s'?",
				    show(c, s), where, near);
		return fail(c, n, "unknown syscall '%s' %s", show(c, s), where);
	case ITEM_STRING:
		break;
	}
	return GT_OK;
}

/* A list of strings, replacing *LIST (lists are never merged). */
static enum gt_rc get_list(struct ctx *c, const yaml_node_t *v, const char *key,
			   enum item_kind kind, const struct where *w, char ***list, size_t *n)
{
	size_t len;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(c, v, "'%s' must be a list", key);
	strv_free(*list, *n);
	len = seq_len(v);
	*list = xcalloc(len + 1, sizeof(**list));
	*n = 0;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = seq_item(c, v, i);
		const char *s = string_of(item);
		enum gt_rc rc;

		if (!s)
			return fail(c, item ? item : v, "'%s' item %zu must be a string", key,
				    i + 1);
		rc = check_item(c, item, s, kind, w);
		if (rc != GT_OK)
			return rc;
		(*list)[(*n)++] = xstrdup(s);
	}
	return GT_OK;
}

/* --- sections ----------------------------------------------------------- */

static enum gt_rc apply_paths(struct ctx *c, const yaml_node_t *v, struct gt_case *cs,
			      const struct where *w)
{
	struct where rw = where_sub(w, "canonicalize.paths");
	size_t len;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(c, v, "'paths' must be a list of {prefix, as} rules");
	for (size_t i = 0; i < cs->npaths; i++) {
		free_const(cs->paths[i].prefix);
		free_const(cs->paths[i].as);
	}
	free(cs->paths);
	len = seq_len(v);
	cs->paths = xcalloc(len + 1, sizeof(*cs->paths));
	cs->npaths = 0;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *r = seq_item(c, v, i), *pv, *av;
		struct gt_path_rule *rule = &cs->paths[cs->npaths];
		const char *prefix, *as;
		char *p;
		size_t plen;
		enum gt_rc rc;

		if (!r || r->type != YAML_MAPPING_NODE)
			return fail(c, r ? r : v,
				    "path rule %zu must be a mapping {prefix: /abs/dir, as: $NAME}",
				    i + 1);
		rc = check_keys(c, r, rule_keys, &rw);
		if (rc != GT_OK)
			return rc;
		pv = map_get(c, r, "prefix", NULL);
		av = map_get(c, r, "as", NULL);
		if (!pv || !av)
			return fail(c, r, "path rule has no '%s' (write {prefix: /abs/dir, "
				    "as: $NAME})", pv ? "as" : "prefix");
		prefix = string_of(pv);
		if (!prefix || prefix[0] != '/')
			return fail(c, pv, "'prefix' must be an absolute path");
		as = string_of(av);
		if (!as || as[0] != '$' || !valid_env_name(as + 1))
			return fail(c, av, "'as' must be a placeholder such as $BUILD");
		/* "/opt/build/" and "/opt/build" are the same prefix. */
		p = xstrdup(prefix);
		plen = strlen(p);
		while (plen > 1 && p[plen - 1] == '/')
			p[--plen] = '\0';
		if (strcmp(p, "/") == 0) {
			free(p);
			return fail(c, pv, "'prefix' must not be '/' (it would match every path)");
		}
		rule->prefix = p;
		rule->as = xstrdup(as);
		cs->npaths++;
	}
	return GT_OK;
}

static enum gt_rc apply_canon(struct ctx *c, const yaml_node_t *m, struct gt_case *cs,
			      const struct where *w)
{
	struct where sw = where_sub(w, "canonicalize");
	enum gt_rc rc = want_map(c, m, "canonicalize", canon_keys, &sw);

	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = scalar(node_at(c, p->key));
		yaml_node_t *v = node_at(c, p->value);

		if (strcmp(key, "paths") == 0) {
			rc = apply_paths(c, v, cs, w);
		} else if (strcmp(key, "unordered") == 0) {
			struct where lw = where_sub(w, "canonicalize.unordered");

			rc = get_list(c, v, key, ITEM_SYSCALL, &lw, &cs->unordered,
				      &cs->nunordered);
		} else if (strcmp(key, "ignore") == 0) {
			struct where lw = where_sub(w, "canonicalize.ignore");

			rc = get_list(c, v, key, ITEM_SYSCALL, &lw, &cs->ignore, &cs->nignore);
		} else if (strcmp(key, "keep_env_probes") == 0) {
			rc = get_bool(c, v, key, &cs->keep_env_probes);
		} else if (strcmp(key, "keep_dir_order") == 0) {
			rc = get_bool(c, v, key, &cs->keep_dir_order);
		} else if (strcmp(key, "keep_threads") == 0) {
			rc = get_bool(c, v, key, &cs->keep_threads);
		} else if (strcmp(key, "keep_memory") == 0) {
			rc = get_bool(c, v, key, &cs->keep_memory);
		} else if (strcmp(key, "keep_wait_timing") == 0) {
			rc = get_bool(c, v, key, &cs->keep_wait_timing);
		} else {
			rc = get_bool(c, v, key, &cs->keep_loader_probes);
		}
	}
	return rc;
}

static enum gt_rc apply_counts(struct ctx *c, const yaml_node_t *v, struct gt_count_tol *t,
			       const struct where *w)
{
	struct where cw = where_sub(w, "tolerance.counts");
	enum gt_rc rc;

	/* A single tolerance is short for {default: X}. */
	if (v->type == YAML_SCALAR_NODE)
		return get_tol(c, v, "counts", &t->dflt);
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "'counts' must be a tolerance or a mapping "
			    "{default: 0, read: 10%%}");
	rc = check_keys(c, v, NULL, &cw);
	if (rc != GT_OK)
		return rc;
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
	     rc == GT_OK && p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key);
		const char *key = scalar(k);
		struct gt_tol tol;

		if (strcmp(key, "default") == 0) {
			rc = get_tol(c, node_at(c, p->value), key, &t->dflt);
			continue;
		}
		rc = check_item(c, k, key, ITEM_SYSCALL, &cw);
		if (rc == GT_OK)
			rc = get_tol(c, node_at(c, p->value), key, &tol);
		if (rc == GT_OK)
			count_tol_set(t, key, tol);
	}
	return rc;
}

static enum gt_rc apply_duration(struct ctx *c, const yaml_node_t *m, struct gt_duration_tol *d,
				 const struct where *w)
{
	struct where sw = where_sub(w, "tolerance.duration");
	enum gt_rc rc = want_map(c, m, "duration", dur_keys, &sw);

	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = scalar(node_at(c, p->key));
		yaml_node_t *v = node_at(c, p->value);
		int gate;

		if (strcmp(key, "mads") == 0) {
			rc = get_number(c, v, 0, false, 1e6, &d->mads,
					"'mads' must be a number of MADs, 0 or more");
		} else if (strcmp(key, "floor") == 0) {
			rc = get_pct(c, v, key, &d->floor_pct);
		} else if (strcmp(key, "gross") == 0) {
			rc = get_number(c, v, 1, false, 1e6, &d->gross, "'gross' must be a number "
					"of at least 1 (times the golden median)");
		} else if (strcmp(key, "gate") == 0) {
			rc = get_choice(c, v, "gate", gate_names, &gate);
			if (rc == GT_OK)
				d->gate = (enum gt_gate)gate;
		} else if (strcmp(key, "reruns") == 0) {
			double n;

			rc = get_number(c, v, 0, false, 100, &n, "'reruns' must be a whole number "
					"of extra runs from 0 to 100");
			if (rc == GT_OK && n != floor(n))
				rc = fail(c, v, "'reruns' must be a whole number of extra runs "
					     "from 0 to 100");
			if (rc == GT_OK)
				d->reruns = (unsigned)n;
		} else if (strcmp(key, "rerun_time") == 0) {
			rc = get_number(c, v, 0, false, 86400, &d->rerun_time_s,
					"'rerun_time' must be a number of seconds, 0 or more");
		} else {
			rc = get_number(c, v, 0, true, 1, &d->alpha,
					"'alpha' must be a number between 0 and 1, such as 0.01");
		}
	}
	return rc;
}

static enum gt_rc apply_tolerance(struct ctx *c, const yaml_node_t *m, struct gt_tolerance *t,
				  const struct where *w)
{
	struct where sw = where_sub(w, "tolerance");
	enum gt_rc rc = want_map(c, m, "tolerance", tol_keys, &sw);

	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = scalar(node_at(c, p->key));
		yaml_node_t *v = node_at(c, p->value);

		int order;

		if (strcmp(key, "counts") == 0) {
			rc = apply_counts(c, v, &t->counts, w);
		} else if (strcmp(key, "duration") == 0) {
			rc = apply_duration(c, v, &t->duration, w);
		} else if (strcmp(key, "bytes") == 0) {
			rc = get_pct(c, v, key, &t->bytes_pct);
		} else if (strcmp(key, "order") == 0) {
			rc = get_choice(c, v, "order", order_names, &order);
			if (rc == GT_OK)
				t->exact_order = order == 1;
		} else {
			rc = get_pct(c, v, key, &t->rss_pct);
		}
	}
	return rc;
}

static enum gt_rc apply_budgets(struct ctx *c, const yaml_node_t *m, struct gt_budgets *b,
				const struct where *w)
{
	struct where sw = where_sub(w, "budgets");
	enum gt_rc rc = want_map(c, m, "budgets", budget_keys, &sw);

	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = scalar(node_at(c, p->key));
		yaml_node_t *v = node_at(c, p->value);

		if (strcmp(key, "max_duration_ms") == 0) {
			rc = get_budget(c, v, key, false, &b->max_duration_ms, NULL);
		} else if (strcmp(key, "max_syscalls") == 0) {
			rc = get_budget(c, v, key, true, NULL, &b->max_syscalls);
		} else if (strcmp(key, "max_rss_bytes") == 0) {
			rc = get_budget(c, v, key, true, NULL, &b->max_rss_bytes);
		} else if (strcmp(key, "forbid_syscalls") == 0) {
			struct where lw = where_sub(w, "budgets.forbid_syscalls");

			rc = get_list(c, v, key, ITEM_SYSCALL, &lw, &b->forbid_syscalls,
				      &b->nforbid_syscalls);
		} else {
			struct where lw = where_sub(w, "budgets.forbid_write_paths");

			rc = get_list(c, v, key, ITEM_NONEMPTY, &lw, &b->forbid_write_paths,
				      &b->nforbid_write_paths);
		}
	}
	return rc;
}

static enum gt_rc apply_env(struct ctx *c, const yaml_node_t *m, struct gt_case *cs,
			    const struct where *w)
{
	struct where sw = where_sub(w, "env");
	enum gt_rc rc = want_map(c, m, "env", NULL, &sw);
	char where[300];

	if (rc != GT_OK)
		return rc;

	where_str(&sw, where, sizeof(where));
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
		const char *name = scalar(k), *value = string_of(v);

		rc = check_item(c, k, name, ITEM_ENV_NAME, &sw);
		if (rc != GT_OK)
			break;
		if (!value)
			rc = fail(c, v, "'%s' %s must be a string (write \"\" for an empty value)",
				  show(c, name), where);
		else
			env_set(cs, name, value);
	}
	return rc;
}

/* A key that defaults and cases share.  *HANDLED false: not one of them. */
static enum gt_rc apply_common(struct ctx *c, const char *key, const yaml_node_t *v,
			       struct gt_case *cs, const struct where *w, bool *handled)
{
	uint64_t u = 0;
	int backend;
	enum gt_rc rc = GT_OK;

	*handled = true;
	if (strcmp(key, "runs") == 0) {
		rc = get_whole(c, v, 1, GT_CONFIG_MAX_RUNS, &u,
			       "'runs' must be a whole number from 1 to 1000");
		if (rc == GT_OK)
			cs->runs = (unsigned)u;
	} else if (strcmp(key, "backend") == 0) {
		rc = get_choice(c, v, "backend", backend_names, &backend);
		if (rc == GT_OK)
			backend = gt_backend_parse(backend_names[backend]);
		if (rc == GT_OK && backend < 0)
			rc = fail(c, v, "backend '%s' is not built in", show(c, scalar(v)));
		if (rc == GT_OK)
			cs->backend = (enum gt_backend)backend;
	} else if (strcmp(key, "timeout") == 0) {
		const char *s = string_of(v);
		double t;

		if (!s)
			rc = fail(c, v, "'timeout' must be seconds (60, 1.5) or a number with a "
				  "unit (500ms, 1.5s, 2m, 1h)");
		else if (!parse_timeout(s, &t))
			rc = fail(c, v, "bad timeout '%s': expected seconds (60, 1.5) or a number "
				  "with a unit (500ms, 1.5s, 2m, 1h)", show(c, s));
		else if (t > MAX_TIMEOUT_S)
			rc = fail(c, v, "timeout '%s' is too long (at most %.0f seconds; "
				  "0 for none)", show(c, s), MAX_TIMEOUT_S);
		else
			cs->timeout_s = t;
	} else if (strcmp(key, "env") == 0) {
		rc = apply_env(c, v, cs, w);
	} else if (strcmp(key, "keep_env") == 0) {
		struct where lw = where_sub(w, "keep_env");

		rc = get_list(c, v, key, ITEM_ENV_NAME, &lw, &cs->keep_env, &cs->nkeep_env);
	} else if (strcmp(key, "stdin") == 0) {
		rc = get_path(c, v, key, &cs->stdin_path);
	} else if (strcmp(key, "cwd") == 0) {
		rc = get_path(c, v, key, &cs->cwd);
	} else if (strcmp(key, "setup") == 0) {
		rc = get_string(c, v, key, true, &cs->setup);
	} else if (strcmp(key, "teardown") == 0) {
		rc = get_string(c, v, key, true, &cs->teardown);
	} else if (strcmp(key, "fresh_cwd") == 0) {
		rc = get_bool(c, v, key, &cs->fresh_cwd);
	} else if (strcmp(key, "expect_exit") == 0) {
		rc = get_whole(c, v, 0, 255, &u,
			       "'expect_exit' must be a whole number from 0 to 255");
		if (rc == GT_OK) {
			cs->has_expect_exit = true;
			cs->expect_exit = (int)u;
		}
	} else if (strcmp(key, "canonicalize") == 0) {
		rc = apply_canon(c, v, cs, w);
	} else if (strcmp(key, "tolerance") == 0) {
		rc = apply_tolerance(c, v, &cs->tol, w);
	} else if (strcmp(key, "budgets") == 0) {
		rc = apply_budgets(c, v, &cs->budgets, w);
	} else {
		*handled = false;
	}
	return rc;
}

static enum gt_rc apply_defaults(struct ctx *c, const yaml_node_t *m, struct gt_case *d)
{
	struct where w = { NULL, true, NULL };
	enum gt_rc rc;
	bool handled;

	if (m->type != YAML_MAPPING_NODE)
		return fail(c, m, "'defaults' must be a mapping");
	rc = check_keys(c, m, defaults_keys, &w);
	if (rc != GT_OK)
		return rc;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++)
		rc = apply_common(c, scalar(node_at(c, p->key)), node_at(c, p->value), d, &w,
				  &handled);
	return rc;
}

static enum gt_rc apply_run(struct ctx *c, const yaml_node_t *v, struct gt_case *cs)
{
	size_t len;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(c, v, "'run' must be a list of strings (the argv); for a shell "
			    "command line use 'shell'");
	len = seq_len(v);
	if (len == 0)
		return fail(c, v, "'run' is empty; it needs at least the program to run");
	cs->run = xcalloc(len + 1, sizeof(*cs->run));
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = seq_item(c, v, i);
		const char *s = string_of(item);

		if (!s)
			return fail(c, item ? item : v, "'run' element %zu must be a string",
				    i + 1);
		if (i == 0 && !*s)
			return fail(c, item, "'run' must start with the program to run");
		cs->run[i] = xstrdup(s);
	}
	return GT_OK;
}

/* The slot of NAME in CFG's name table: the one that holds it, or the empty
 * one where it goes.  The table is at most half full, so a probe ends. */
static size_t name_slot(const struct gt_config *cfg, const char *name)
{
	size_t mask = cfg->by_name_cap - 1;
	size_t i = (size_t)XXH3_64bits(name, strlen(name)) & mask;

	while (cfg->by_name[i] && strcmp(cfg->cases[cfg->by_name[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return i;
}

/* Case number I (0-based) at node M; NAMES holds the name nodes of the cases
 * before it, for the duplicate check (through CFG's name table). */
static enum gt_rc apply_case(struct ctx *c, const yaml_node_t *m, size_t i,
			     const struct gt_config *cfg, yaml_node_t **names, struct gt_case *cs)
{
	char label[GT_CONFIG_MAX_NAME + 16];
	struct where w = { label, false, NULL };
	yaml_node_t *nk, *nv, *runk = NULL, *shellk = NULL;
	const char *name;
	enum gt_rc rc;
	size_t slot;

	if (m->type != YAML_MAPPING_NODE)
		return fail(c, m, "case %zu must be a mapping with 'name' and 'run' or 'shell'",
			    i + 1);
	nv = map_get(c, m, "name", &nk);
	name = string_of(nv);
	if (name && valid_case_name(name) && strlen(name) <= GT_CONFIG_MAX_NAME)
		snprintf(label, sizeof(label), "case '%s'", name);
	else
		snprintf(label, sizeof(label), "case %zu", i + 1);
	rc = check_keys(c, m, case_keys, &w);
	if (rc != GT_OK)
		return rc;
	if (!nv)
		return fail(c, m, "case %zu has no 'name'", i + 1);
	if (!name || !*name)
		return fail(c, nv, "'name' must be a non-empty string");
	if (!valid_case_name(name))
		return fail(c, nv, "bad case name '%s': use only letters, digits, '.', '_' and '-'",
			    show(c, name));
	if (strlen(name) > GT_CONFIG_MAX_NAME)
		return fail(c, nv, "case name '%s' is longer than %d characters", show(c, name),
			    GT_CONFIG_MAX_NAME);
	/* <case>.new.json is where check keeps the failing run of <case>. */
	if (strlen(name) >= 4 && strcmp(name + strlen(name) - 4, ".new") == 0)
		return fail(c, nv, "bad case name '%s': a name must not end in '.new' (that is "
			    "the name of a failed run kept beside a golden)", show(c, name));
	slot = name_slot(cfg, name);
	if (cfg->by_name[slot]) {
		size_t j = cfg->by_name[slot] - 1;

		return fail(c, nv, "duplicate case name '%s' (the first is at line %zu, "
			    "column %zu)", show(c, name), names[j]->start_mark.line + 1,
			    names[j]->start_mark.column + 1);
	}
	names[i] = nv;
	cs->name = xstrdup(name);
	cfg->by_name[slot] = i + 1;
	cs->line = (int)m->start_mark.line + 1;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
		const char *key = scalar(k);
		bool handled;

		if (strcmp(key, "name") == 0)
			continue;
		if (strcmp(key, "run") == 0 || strcmp(key, "shell") == 0) {
			if (runk || shellk)
				return fail(c, k, "case '%s' has both 'run' and 'shell'; "
					    "choose one", show(c, name));
			if (key[0] == 'r') {
				runk = k;
				rc = apply_run(c, v, cs);
			} else {
				shellk = k;
				rc = get_string(c, v, "shell", true, &cs->shell);
			}
		} else {
			rc = apply_common(c, key, v, cs, &w, &handled);
		}
		if (rc != GT_OK)
			return rc;
	}
	if (!runk && !shellk)
		return fail(c, m, "case '%s' has neither 'run' nor 'shell'", show(c, name));
	return GT_OK;
}

static enum gt_rc apply_cases(struct ctx *c, const yaml_node_t *root, struct gt_config *cfg)
{
	yaml_node_t *v = map_get(c, root, "cases", NULL), **names = NULL;
	enum gt_rc rc = GT_OK;
	size_t len;

	if (!v)
		return fail(c, root, "missing 'cases' (a list of the commands to trace)");
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(c, v, "'cases' must be a list of cases");
	len = seq_len(v);
	if (len == 0)
		return fail(c, v, "'cases' is empty; add at least one case");
	cfg->cases = xcalloc(len, sizeof(*cfg->cases));
	names = xcalloc(len, sizeof(*names));
	/* A name check that scanned the cases before was quadratic: 40000
	 * cases took seconds. */
	cfg->by_name_cap = 16;
	while (cfg->by_name_cap < 2 * len)
		cfg->by_name_cap *= 2;
	cfg->by_name = xcalloc(cfg->by_name_cap, sizeof(*cfg->by_name));
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = seq_item(c, v, i);

		if (!item) {
			rc = fail(c, v, "case %zu is missing", i + 1);
			goto out;
		}
		/* Counted first, so that gt_config_free sees a half-made case. */
		case_copy(&cfg->cases[cfg->ncases++], &cfg->defaults);
		rc = apply_case(c, item, i, cfg, names, &cfg->cases[i]);
		if (rc != GT_OK)
			goto out;
	}
out:
	free(names);
	return rc;
}

static enum gt_rc apply_root(struct ctx *c, const yaml_node_t *root, struct gt_config *cfg)
{
	struct where w = { NULL, false, NULL };
	yaml_node_t *v;
	const char *s;
	enum gt_rc rc;

	if (root->type != YAML_MAPPING_NODE)
		return fail(c, root, "the top level must be a mapping with 'version' and 'cases'");
	/* The version first: a newer file's new keys are not typos. */
	v = map_get(c, root, "version", NULL);
	s = string_of(v);
	if (v && !s)
		return fail(c, v, "'version' must be %d", GT_CONFIG_VERSION);
	if (s && strcmp(s, "1") != 0)
		return fail(c, v, "unsupported version '%s' (this gtdiff reads version %d)",
			    show(c, s), GT_CONFIG_VERSION);
	rc = check_keys(c, root, top_keys, &w);
	if (rc != GT_OK)
		return rc;
	if (!v)
		return fail(c, root, "missing 'version' (add 'version: %d')", GT_CONFIG_VERSION);
	cfg->version = GT_CONFIG_VERSION;

	v = map_get(c, root, "golden_dir", NULL);
	if (v) {
		rc = get_path(c, v, "golden_dir", &cfg->golden_dir);
		if (rc != GT_OK)
			return rc;
	}
	v = map_get(c, root, "defaults", NULL);
	if (v) {
		rc = apply_defaults(c, v, &cfg->defaults);
		if (rc != GT_OK)
			return rc;
	}
	return apply_cases(c, root, cfg);
}

/* The byte offset of mark M in DATA (UTF-8; lines end in \n, \r\n or \r as
 * libyaml counts them), or LEN if it lies beyond. */
static size_t mark_offset(const char *data, size_t len, yaml_mark_t m)
{
	size_t i = 0, line = 0, col = 0;

	while (i < len && line < m.line) {
		if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
			i++;
		if (data[i] == '\n' || data[i] == '\r')
			line++;
		i++;
	}
	while (i < len && col < m.column) {
		if (data[i] == '\n' || data[i] == '\r')
			return len;
		i++;
		while (i < len && ((unsigned char)data[i] & 0xc0) == 0x80)
			i++;
		col++;
	}
	return i;
}

/* libyaml's own complaint, positioned. */
static enum gt_rc yaml_fail(struct ctx *c, const yaml_parser_t *p, const char *data, size_t len)
{
	size_t at;
	size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "cannot parse";
	char extra[200] = "";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return gt_error_set(c->err, GT_ERR_FORMAT, "%s: out of memory while reading YAML",
				    c->file);
	case YAML_READER_ERROR:
		/* Reader errors have a byte offset, not a mark. */
		line = 1;
		col = 1;
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (data[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		if (p->problem_value != -1)
			snprintf(extra, sizeof(extra), " (byte 0x%02X)",
				 (unsigned)p->problem_value & 0xff);
		break;
	default:
		/* Name the alias or anchor libyaml complains about. */
		at = mark_offset(data, len, p->problem_mark);
		if (p->error == YAML_COMPOSER_ERROR && at < len &&
		    (data[at] == '*' || data[at] == '&')) {
			size_t n = 1;

			while (at + n < len && n < 60 && !strchr(" \t\r\n,[]{}", data[at + n]))
				n++;
			if (data[at] == '&') {
				problem = "duplicate anchor";
				snprintf(extra, sizeof(extra), " '%.*s' (the first is at line %zu, "
					 "column %zu)", (int)n, data + at, p->context_mark.line + 1,
					 p->context_mark.column + 1);
			} else {
				snprintf(extra, sizeof(extra), " '%.*s'", (int)n, data + at);
			}
			break;
		}
		if (p->context)
			snprintf(extra, sizeof(extra), " (%s at line %zu, column %zu)", p->context,
				 p->context_mark.line + 1, p->context_mark.column + 1);
		break;
	}
	return gt_error_set(c->err, GT_ERR_FORMAT, "%s:%zu:%zu: YAML syntax error: %s%s", c->file,
			    line, col, problem, extra);
}

/* DIR made absolute (NULL: the current directory). */
static enum gt_rc absolute_dir(const char *dir, const char *name, char **out,
			       struct gt_error *err)
{
	char *cwd = NULL;

	if (!dir || dir[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			return gt_error_set(err, GT_ERR_IO,
					    "%s: cannot tell the current directory", name);
	}
	*out = resolve_path(cwd ? cwd : "/", dir ? dir : ".");
	free(cwd);
	return GT_OK;
}

enum gt_rc gt_config_parse(const char *data, size_t len, const char *name, const char *dir,
			   struct gt_config **out, struct gt_error *err)
{
	struct gt_config *cfg = xcalloc(1, sizeof(*cfg));
	struct ctx c = { 0 };
	yaml_parser_t parser;
	yaml_document_t doc, doc2;
	bool have_parser = false, have_doc = false;
	yaml_node_t *root, *root2;
	enum gt_rc rc;

	*out = NULL;
	name = name ? name : "gtdiff.yaml";
	cfg->path = xstrdup(name);
	rc = absolute_dir(dir, name, &cfg->dir, err);
	if (rc != GT_OK)
		goto out;
	defaults_init(&cfg->defaults, cfg->dir);
	c.file = name;
	c.dir = cfg->dir;
	c.err = err;
	c.doc = &doc;

	if (!yaml_parser_initialize(&parser)) {
		rc = gt_error_set(err, GT_ERR_FORMAT, "%s: cannot set up the YAML parser", name);
		goto out;
	}
	have_parser = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = yaml_fail(&c, &parser, data, len);
		goto out;
	}
	have_doc = true;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = gt_error_set(err, GT_ERR_FORMAT, "%s:1:1: the file is empty; it needs "
				  "'version: 1' and 'cases'", name);
		goto out;
	}
	/* A second document would be silently ignored: refuse it. */
	if (!yaml_parser_load(&parser, &doc2)) {
		rc = yaml_fail(&c, &parser, data, len);
		goto out;
	}
	root2 = yaml_document_get_root_node(&doc2);
	if (root2)
		rc = fail(&c, root2, "a second YAML document; gtdiff.yaml holds one");
	yaml_document_delete(&doc2);
	if (rc != GT_OK)
		goto out;

	rc = apply_root(&c, root, cfg);
	if (rc == GT_OK && !cfg->golden_dir)
		cfg->golden_dir = resolve_path(cfg->dir, "golden_traces");
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	if (rc != GT_OK) {
		gt_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return GT_OK;
}

enum gt_rc gt_config_load(const char *path, struct gt_config **out, struct gt_error *err)
{
	const char *slash = strrchr(path, '/');
	char *data = NULL, *dir;
	size_t len = 0;
	enum gt_rc rc;

	*out = NULL;
	rc = gt_read_file(path, &data, &len, err);
	if (rc != GT_OK)
		return rc;
	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	rc = gt_config_parse(data, len, path, dir, out, err);
	free(dir);
	free(data);
	return rc;
}

void gt_config_free(struct gt_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ncases; i++)
		case_fini(&c->cases[i]);
	free(c->cases);
	free(c->by_name);
	case_fini(&c->defaults);
	free(c->golden_dir);
	free(c->dir);
	free(c->path);
	free(c);
}

const struct gt_case *gt_config_case(const struct gt_config *c, const char *name)
{
	size_t slot;

	if (!c || !name || !c->by_name)
		return NULL;
	slot = name_slot(c, name);
	return c->by_name[slot] ? &c->cases[c->by_name[slot] - 1] : NULL;
}

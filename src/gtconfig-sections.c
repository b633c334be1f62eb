/*
 * gtconfig-sections: the case record (copy, free, built-in defaults) and
 * the keys that `defaults` and the cases share: runs, backend, timeout,
 * env, canonicalize, tolerance, budgets and the rest.  See
 * gtconfig-internal.h.
 */
#include "config.h"

#include "gtconfig-internal.h"
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The keys each mapping knows, in the order they are listed to the user. */
static const char *const defaults_keys[] = {
	"runs", "backend", "timeout", "env", "keep_env", "stdin", "cwd", "expect_exit",
	"setup", "teardown", "fresh_cwd", "explain", "canonicalize", "tolerance", "budgets", NULL
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
	"max_duration", "max_duration_ms", "max_syscalls", "max_rss", "max_rss_bytes",
	"forbid_syscalls", "forbid_write_paths", NULL
};
static const char *const backend_names[] = { "ptrace", "seccomp", "auto", "ebpf", NULL };
static const char *const gate_names[] = { "gross", "tight", NULL };

#define MAX_TIMEOUT_S 1e6   /* eleven days: beyond that it is a typo */

/* --- the case record ---------------------------------------------------- */

void cfg_strv_free(char **v, size_t n)
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

void cfg_case_fini(struct gt_case *cs)
{
	free(cs->name);
	cfg_strv_free(cs->run, strv_len(cs->run));
	free(cs->shell);
	free(cs->cwd);
	cfg_strv_free(cs->env, cs->nenv);
	cfg_strv_free(cs->keep_env, cs->nkeep_env);
	free(cs->stdin_path);
	free(cs->setup);
	free(cs->teardown);
	for (size_t i = 0; i < cs->npaths; i++) {
		free_const(cs->paths[i].prefix);
		free_const(cs->paths[i].as);
	}
	free(cs->paths);
	cfg_strv_free(cs->unordered, cs->nunordered);
	cfg_strv_free(cs->ignore, cs->nignore);
	for (size_t i = 0; i < cs->tol.counts.nper; i++)
		free(cs->tol.counts.per[i].syscall);
	free(cs->tol.counts.per);
	cfg_strv_free(cs->budgets.forbid_syscalls, cs->budgets.nforbid_syscalls);
	cfg_strv_free(cs->budgets.forbid_write_paths, cs->budgets.nforbid_write_paths);
	memset(cs, 0, sizeof(*cs));
}

/* D becomes a deep copy of S. */
void cfg_case_copy(struct gt_case *d, const struct gt_case *s)
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

void cfg_defaults_init(struct gt_case *d, const char *dir)
{
	memset(d, 0, sizeof(*d));
	d->cwd = xstrdup(dir);
	d->runs = 5;
	d->backend = gt_backend_default();
	d->timeout_s = 60;
	d->explain = true;
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

/* --- sections ----------------------------------------------------------- */

static enum gt_rc apply_paths(struct ctx *c, const yaml_node_t *v, struct gt_case *cs,
			      const struct where *w)
{
	struct where rw = cfg_where_sub(w, "canonicalize.paths");
	size_t len;

	if (v->type != YAML_SEQUENCE_NODE)
		return cfg_fail(c, v, "'paths' must be a list of {prefix, as} rules");
	for (size_t i = 0; i < cs->npaths; i++) {
		free_const(cs->paths[i].prefix);
		free_const(cs->paths[i].as);
	}
	free(cs->paths);
	len = cfg_seq_len(v);
	cs->paths = xcalloc(len + 1, sizeof(*cs->paths));
	cs->npaths = 0;
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *r = cfg_seq_item(c, v, i), *pv, *av;
		struct gt_path_rule *rule = &cs->paths[cs->npaths];
		const char *prefix, *as, *why;
		bool on_prefix;
		char *p;
		size_t plen;
		enum gt_rc rc;

		if (!r || r->type != YAML_MAPPING_NODE)
			return cfg_fail(c, r ? r : v,
					"path rule %zu must be a mapping {prefix: /abs/dir, as: $NAME}",
					i + 1);
		rc = cfg_check_keys(c, r, rule_keys, &rw);
		if (rc != GT_OK)
			return rc;
		pv = cfg_map_get(c, r, "prefix", NULL);
		av = cfg_map_get(c, r, "as", NULL);
		if (!pv || !av)
			return cfg_fail(c, r, "path rule has no '%s' (write {prefix: /abs/dir, "
					"as: $NAME})", pv ? "as" : "prefix");
		prefix = cfg_string_of(pv);
		if (!prefix)
			return cfg_fail(c, pv, "'prefix' must be an absolute path");
		as = cfg_string_of(av);
		if (!as)
			return cfg_fail(c, av, "'as' must be a placeholder such as $BUILD");
		why = gt_config_path_rule_problem(prefix, as, &on_prefix);
		if (why)
			return cfg_fail(c, on_prefix ? pv : av, "'%s' %s",
					on_prefix ? "prefix" : "as", why);
		/* "/opt/build/" and "/opt/build" are the same prefix. */
		p = xstrdup(prefix);
		plen = strlen(p);
		while (plen > 1 && p[plen - 1] == '/')
			p[--plen] = '\0';
		rule->prefix = p;
		rule->as = xstrdup(as);
		cs->npaths++;
	}
	return GT_OK;
}

static enum gt_rc apply_canon(struct ctx *c, const yaml_node_t *m, struct gt_case *cs,
			      const struct where *w)
{
	struct where sw = cfg_where_sub(w, "canonicalize");
	enum gt_rc rc = cfg_want_map(c, m, "canonicalize", canon_keys, &sw);

	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = cfg_scalar(cfg_node_at(c, p->key));
		yaml_node_t *v = cfg_node_at(c, p->value);

		if (strcmp(key, "paths") == 0) {
			rc = apply_paths(c, v, cs, w);
		} else if (strcmp(key, "unordered") == 0) {
			struct where lw = cfg_where_sub(w, "canonicalize.unordered");

			rc = cfg_get_list(c, v, key, ITEM_SYSCALL, &lw, &cs->unordered,
					  &cs->nunordered);
		} else if (strcmp(key, "ignore") == 0) {
			struct where lw = cfg_where_sub(w, "canonicalize.ignore");

			rc = cfg_get_list(c, v, key, ITEM_SYSCALL, &lw, &cs->ignore, &cs->nignore);
		} else if (strcmp(key, "keep_env_probes") == 0) {
			rc = cfg_get_bool(c, v, key, &cs->keep_env_probes);
		} else if (strcmp(key, "keep_dir_order") == 0) {
			rc = cfg_get_bool(c, v, key, &cs->keep_dir_order);
		} else if (strcmp(key, "keep_threads") == 0) {
			rc = cfg_get_bool(c, v, key, &cs->keep_threads);
		} else if (strcmp(key, "keep_memory") == 0) {
			rc = cfg_get_bool(c, v, key, &cs->keep_memory);
		} else if (strcmp(key, "keep_wait_timing") == 0) {
			rc = cfg_get_bool(c, v, key, &cs->keep_wait_timing);
		} else {
			rc = cfg_get_bool(c, v, key, &cs->keep_loader_probes);
		}
	}
	return rc;
}

static enum gt_rc apply_counts(struct ctx *c, const yaml_node_t *v, struct gt_count_tol *t,
			       const struct where *w)
{
	struct where cw = cfg_where_sub(w, "tolerance.counts");
	enum gt_rc rc;

	/* A single tolerance is short for {default: X}. */
	if (v->type == YAML_SCALAR_NODE)
		return cfg_get_tol(c, v, "counts", &t->dflt);
	if (v->type != YAML_MAPPING_NODE)
		return cfg_fail(c, v, "'counts' must be a tolerance or a mapping "
				"{default: 0, read: 10%%}");
	rc = cfg_check_keys(c, v, NULL, &cw);
	if (rc != GT_OK)
		return rc;
	for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
	     rc == GT_OK && p < v->data.mapping.pairs.top; p++) {
		yaml_node_t *k = cfg_node_at(c, p->key);
		const char *key = cfg_scalar(k);
		struct gt_tol tol;

		if (strcmp(key, "default") == 0) {
			rc = cfg_get_tol(c, cfg_node_at(c, p->value), key, &t->dflt);
			continue;
		}
		rc = cfg_check_item(c, k, key, ITEM_SYSCALL, &cw);
		if (rc == GT_OK)
			rc = cfg_get_tol(c, cfg_node_at(c, p->value), key, &tol);
		if (rc == GT_OK)
			count_tol_set(t, key, tol);
	}
	return rc;
}

static enum gt_rc apply_duration(struct ctx *c, const yaml_node_t *m, struct gt_duration_tol *d,
				 const struct where *w)
{
	struct where sw = cfg_where_sub(w, "tolerance.duration");
	enum gt_rc rc = cfg_want_map(c, m, "duration", dur_keys, &sw);

	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = cfg_scalar(cfg_node_at(c, p->key));
		yaml_node_t *v = cfg_node_at(c, p->value);
		int gate;

		if (strcmp(key, "mads") == 0) {
			rc = cfg_get_number(c, v, 0, false, 1e6, &d->mads,
					    "'mads' must be a number of MADs, 0 or more");
		} else if (strcmp(key, "floor") == 0) {
			rc = cfg_get_pct(c, v, key, &d->floor_pct);
		} else if (strcmp(key, "gross") == 0) {
			rc = cfg_get_number(c, v, 1, false, 1e6, &d->gross, "'gross' must be a number "
					    "of at least 1 (times the golden median)");
		} else if (strcmp(key, "gate") == 0) {
			rc = cfg_get_choice(c, v, "gate", gate_names, &gate);
			if (rc == GT_OK)
				d->gate = (enum gt_gate)gate;
		} else if (strcmp(key, "reruns") == 0) {
			double n;

			rc = cfg_get_number(c, v, 0, false, 100, &n, "'reruns' must be a whole number "
					    "of extra runs from 0 to 100");
			if (rc == GT_OK && n != floor(n))
				rc = cfg_fail(c, v, "'reruns' must be a whole number of extra runs "
					     "from 0 to 100");
			if (rc == GT_OK)
				d->reruns = (unsigned)n;
		} else if (strcmp(key, "rerun_time") == 0) {
			rc = cfg_get_number(c, v, 0, false, 86400, &d->rerun_time_s,
					    "'rerun_time' must be a number of seconds, 0 or more");
		} else {
			rc = cfg_get_number(c, v, 0, true, 1, &d->alpha,
					    "'alpha' must be a number between 0 and 1, such as 0.01");
		}
	}
	return rc;
}

static enum gt_rc apply_tolerance(struct ctx *c, const yaml_node_t *m, struct gt_tolerance *t,
				  const struct where *w)
{
	struct where sw = cfg_where_sub(w, "tolerance");
	enum gt_rc rc = cfg_want_map(c, m, "tolerance", tol_keys, &sw);

	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = cfg_scalar(cfg_node_at(c, p->key));
		yaml_node_t *v = cfg_node_at(c, p->value);

		int order;

		if (strcmp(key, "counts") == 0) {
			rc = apply_counts(c, v, &t->counts, w);
		} else if (strcmp(key, "duration") == 0) {
			rc = apply_duration(c, v, &t->duration, w);
		} else if (strcmp(key, "bytes") == 0) {
			rc = cfg_get_pct(c, v, key, &t->bytes_pct);
		} else if (strcmp(key, "order") == 0) {
			rc = cfg_get_choice(c, v, "order", order_names, &order);
			if (rc == GT_OK)
				t->exact_order = order == 1;
		} else {
			rc = cfg_get_pct(c, v, key, &t->rss_pct);
		}
	}
	return rc;
}

/* A budget with its unit ("1.5s", "512MB") or in the unit its key names
 * (max_duration_ms, max_rss_bytes). */
static enum gt_rc get_duration_budget(struct ctx *c, const yaml_node_t *v, const char *key,
				      struct gt_budgets *b)
{
	const char *why;

	b->duration_units = strcmp(key, "max_duration") == 0;
	if (!b->duration_units)
		return cfg_get_budget(c, v, key, false, &b->max_duration_ms, NULL);
	if (!gt_units_duration(cfg_string_of(v), &b->max_duration_ms, &why))
		return cfg_fail(c, v, "'%s' %s", key, why);
	return GT_OK;
}

static enum gt_rc get_rss_budget(struct ctx *c, const yaml_node_t *v, const char *key,
				 struct gt_budgets *b)
{
	const char *why;

	b->rss_units = strcmp(key, "max_rss") == 0;
	if (!b->rss_units)
		return cfg_get_budget(c, v, key, true, NULL, &b->max_rss_bytes);
	if (!gt_units_bytes(cfg_string_of(v), &b->max_rss_bytes, &why))
		return cfg_fail(c, v, "'%s' %s", key, why);
	return GT_OK;
}

/* One mapping may not give a budget twice, with and without its unit. */
static enum gt_rc refuse_both(struct ctx *c, const yaml_node_t *m, const char *a,
			      const char *b_, const struct where *w)
{
	const yaml_node_t *first = NULL;
	char where[300];

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = cfg_node_at(c, p->key);
		const char *key = cfg_scalar(k);

		if (strcmp(key, a) != 0 && strcmp(key, b_) != 0)
			continue;
		if (!first) {
			first = k;
			continue;
		}
		cfg_where_str(w, where, sizeof(where));
		return cfg_fail(c, k, "'%s' and '%s' are the same budget, set twice %s (line "
				"%zu); keep one", a, b_, where, first->start_mark.line + 1);
	}
	return GT_OK;
}

static enum gt_rc apply_budgets(struct ctx *c, const yaml_node_t *m, struct gt_budgets *b,
				const struct where *w)
{
	struct where sw = cfg_where_sub(w, "budgets");
	enum gt_rc rc = cfg_want_map(c, m, "budgets", budget_keys, &sw);

	if (rc == GT_OK)
		rc = refuse_both(c, m, "max_duration", "max_duration_ms", &sw);
	if (rc == GT_OK)
		rc = refuse_both(c, m, "max_rss", "max_rss_bytes", &sw);
	if (rc != GT_OK)
		return rc;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		const char *key = cfg_scalar(cfg_node_at(c, p->key));
		yaml_node_t *v = cfg_node_at(c, p->value);

		if (strcmp(key, "max_duration_ms") == 0 || strcmp(key, "max_duration") == 0) {
			rc = get_duration_budget(c, v, key, b);
		} else if (strcmp(key, "max_syscalls") == 0) {
			rc = cfg_get_budget(c, v, key, true, NULL, &b->max_syscalls);
		} else if (strcmp(key, "max_rss_bytes") == 0 || strcmp(key, "max_rss") == 0) {
			rc = get_rss_budget(c, v, key, b);
		} else if (strcmp(key, "forbid_syscalls") == 0) {
			struct where lw = cfg_where_sub(w, "budgets.forbid_syscalls");

			rc = cfg_get_list(c, v, key, ITEM_SYSCALL, &lw, &b->forbid_syscalls,
					  &b->nforbid_syscalls);
		} else {
			struct where lw = cfg_where_sub(w, "budgets.forbid_write_paths");

			rc = cfg_get_list(c, v, key, ITEM_NONEMPTY, &lw, &b->forbid_write_paths,
					  &b->nforbid_write_paths);
		}
	}
	return rc;
}

static enum gt_rc apply_env(struct ctx *c, const yaml_node_t *m, struct gt_case *cs,
			    const struct where *w)
{
	struct where sw = cfg_where_sub(w, "env");
	enum gt_rc rc = cfg_want_map(c, m, "env", NULL, &sw);
	char where[300];

	if (rc != GT_OK)
		return rc;

	cfg_where_str(&sw, where, sizeof(where));
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = cfg_node_at(c, p->key), *v = cfg_node_at(c, p->value);
		const char *name = cfg_scalar(k), *value = cfg_string_of(v);

		rc = cfg_check_item(c, k, name, ITEM_ENV_NAME, &sw);
		if (rc != GT_OK)
			break;
		if (!value)
			rc = cfg_fail(c, v, "'%s' %s must be a string (write \"\" for an empty value)",
				      cfg_show(c, name), where);
		else
			env_set(cs, name, value);
	}
	return rc;
}

/* A key that defaults and cases share.  *HANDLED false: not one of them. */
enum gt_rc cfg_apply_common(struct ctx *c, const char *key, const yaml_node_t *v,
			    struct gt_case *cs, const struct where *w, bool *handled)
{
	uint64_t u = 0;
	int backend;
	enum gt_rc rc = GT_OK;

	*handled = true;
	if (strcmp(key, "runs") == 0) {
		rc = cfg_get_whole(c, v, 1, GT_CONFIG_MAX_RUNS, &u,
				   "'runs' must be a whole number from 1 to 1000");
		if (rc == GT_OK)
			cs->runs = (unsigned)u;
	} else if (strcmp(key, "backend") == 0) {
		rc = cfg_get_choice(c, v, "backend", backend_names, &backend);
		if (rc == GT_OK)
			backend = gt_backend_parse(backend_names[backend]);
		if (rc == GT_OK && backend < 0)
			rc = cfg_fail(c, v, "backend '%s' is not built in", cfg_show(c, cfg_scalar(v)));
		if (rc == GT_OK)
			cs->backend = (enum gt_backend)backend;
	} else if (strcmp(key, "timeout") == 0) {
		const char *s = cfg_string_of(v);
		double t;

		if (!s)
			rc = cfg_fail(c, v, "'timeout' must be seconds (60, 1.5) or a number with a "
				      "unit (500ms, 1.5s, 2m, 1h)");
		else if (!cfg_parse_timeout(s, &t))
			rc = cfg_fail(c, v, "bad timeout '%s': expected seconds (60, 1.5) or a number "
				      "with a unit (500ms, 1.5s, 2m, 1h)", cfg_show(c, s));
		else if (t > MAX_TIMEOUT_S)
			rc = cfg_fail(c, v, "timeout '%s' is too long (at most %.0f seconds; "
				      "0 for none)", cfg_show(c, s), MAX_TIMEOUT_S);
		else
			cs->timeout_s = t;
	} else if (strcmp(key, "env") == 0) {
		rc = apply_env(c, v, cs, w);
	} else if (strcmp(key, "keep_env") == 0) {
		struct where lw = cfg_where_sub(w, "keep_env");

		rc = cfg_get_list(c, v, key, ITEM_ENV_NAME, &lw, &cs->keep_env, &cs->nkeep_env);
	} else if (strcmp(key, "stdin") == 0) {
		rc = cfg_get_path(c, v, key, &cs->stdin_path);
	} else if (strcmp(key, "cwd") == 0) {
		rc = cfg_get_path(c, v, key, &cs->cwd);
	} else if (strcmp(key, "setup") == 0) {
		rc = cfg_get_string(c, v, key, true, &cs->setup);
	} else if (strcmp(key, "teardown") == 0) {
		rc = cfg_get_string(c, v, key, true, &cs->teardown);
	} else if (strcmp(key, "fresh_cwd") == 0) {
		rc = cfg_get_bool(c, v, key, &cs->fresh_cwd);
	} else if (strcmp(key, "explain") == 0) {
		rc = cfg_get_bool(c, v, key, &cs->explain);
	} else if (strcmp(key, "expect_exit") == 0) {
		rc = cfg_get_whole(c, v, 0, 255, &u,
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

enum gt_rc cfg_apply_defaults(struct ctx *c, const yaml_node_t *m, struct gt_case *d)
{
	struct where w = { NULL, true, NULL };
	enum gt_rc rc;
	bool handled;

	if (m->type != YAML_MAPPING_NODE)
		return cfg_fail(c, m, "'defaults' must be a mapping");
	rc = cfg_check_keys(c, m, defaults_keys, &w);
	if (rc != GT_OK)
		return rc;
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	     rc == GT_OK && p < m->data.mapping.pairs.top; p++)
		rc = cfg_apply_common(c, cfg_scalar(cfg_node_at(c, p->key)), cfg_node_at(c, p->value), d, &w,
				      &handled);
	return rc;
}

/*
 * runner: one case through the golden workflow.  See runner.h.
 */
#include "config.h"

#include "runner.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "count-groups.h"
#include "tolerance.h"

bool gt_ci_mode(bool flag)
{
	return flag || gt_env_true("CI");
}

void gt_case_opts_init(const struct gt_config *cfg, const struct gt_case *c,
		       const struct gt_overrides *ov, bool update, struct gt_case_opts *o)
{
	struct gt_record_opts *r = &o->rec;
	struct gt_canon_opts *k = &r->canon;

	memset(o, 0, sizeof(*o));
	r->notes = &o->notes;
	if (c->shell) {
		o->argv_storage = xcalloc(4, sizeof(char *));
		o->argv_storage[0] = xstrdup("/bin/sh");
		o->argv_storage[1] = xstrdup("-c");
		o->argv_storage[2] = xstrdup(c->shell);
		r->argv = o->argv_storage;
	} else {
		r->argv = c->run;
		r->expand_argv = true;
	}
	r->backend = ov && ov->backend >= 0 ? (enum gt_backend)ov->backend : c->backend;
	r->cwd = c->cwd;
	r->golden_dir = ov && ov->golden_dir ? ov->golden_dir : cfg->golden_dir;
	r->stdin_path = c->stdin_path;
	r->timeout_s = ov && ov->timeout_s > 0 ? ov->timeout_s : c->timeout_s;
	r->env_keep = (const char *const *)c->keep_env;
	r->env_set = (const char *const *)c->env;
	r->setup = c->setup;
	r->teardown = c->teardown;
	r->fresh_cwd = c->fresh_cwd;
	if (ov && ov->runs)
		r->runs = ov->runs;
	else if (update)
		r->runs = c->runs;
	else
		r->runs = 1;
	/* A tight timing gate compares samples: it needs several new runs. */
	if (!update && c->tol.duration.gate == GT_GATE_TIGHT && r->runs < 5)
		r->runs = 5;
	k->rules = c->paths;
	k->nrules = c->npaths;
	if (c->unordered) {
		k->unordered = (const char *const *)c->unordered;
		k->nunordered = c->nunordered;
	} else {
		k->unordered = gt_canon_default_unordered;
		k->nunordered = gt_canon_default_nunordered;
	}
	k->ignore = (const char *const *)c->ignore;
	k->nignore = c->nignore;
	k->keep_loader_probes = c->keep_loader_probes;
	k->keep_env_probes = c->keep_env_probes;
	k->keep_dir_order = c->keep_dir_order;
	k->keep_threads = c->keep_threads;
	k->keep_memory = c->keep_memory;
	k->keep_wait_timing = c->keep_wait_timing;
}

void gt_case_opts_free(struct gt_case_opts *o)
{
	if (o->argv_storage) {
		for (size_t i = 0; o->argv_storage[i]; i++)
			free(o->argv_storage[i]);
		free(o->argv_storage);
	}
	gt_record_notes_clear(&o->notes);
	memset(o, 0, sizeof(*o));
}

char *gt_golden_path(const struct gt_config *cfg, const struct gt_overrides *ov,
		     const char *name)
{
	const char *dir = ov && ov->golden_dir ? ov->golden_dir : cfg->golden_dir;

	return xasprintf("%s/%s.json", dir, name);
}

char *gt_new_path(const struct gt_config *cfg, const struct gt_overrides *ov,
		  const char *artifacts_dir, const char *name)
{
	const char *dir = artifacts_dir ? artifacts_dir
					: ov && ov->golden_dir ? ov->golden_dir : cfg->golden_dir;

	return xasprintf("%s/%s.new.json", dir, name);
}

bool gt_case_compare(const struct gt_trace *golden, const struct gt_trace *new_,
		     const struct gt_case *c, const char *golden_name, const char *new_name,
		     size_t max_diff_lines, struct gt_case_result *r)
{
	return gt_case_compare_notes(golden, new_, c, golden_name, new_name, max_diff_lines,
				     NULL, r);
}

bool gt_case_compare_notes(const struct gt_trace *golden, const struct gt_trace *new_,
			   const struct gt_case *c, const char *golden_name, const char *new_name,
			   size_t max_diff_lines, const struct gt_diff_notes *notes,
			   struct gt_case_result *r)
{
	struct gt_diff_opts dopts = {.counts = &c->tol.counts, .bytes_pct = c->tol.bytes_pct,
				     .exact_order = c->tol.exact_order};
	struct gt_diff_render_opts ro = {0};
	struct gt_diff *d = NULL;
	struct gt_buf b = {0};
	struct gt_trace *pg = NULL, *pn = NULL;

	gt_headroom_compute(golden, new_, c, &r->headroom);
	/* Other rules, other events: a diff would show the rules. */
	if (golden->canon_version != new_->canon_version) {
		r->verdict.verdict = GT_VERDICT_ERROR;
		r->error = xasprintf("%s was made with canonicalization %d and %s with %d, "
				     "whose events do not compare; re-record the older one "
				     "(gtdiff update --force)", golden_name, golden->canon_version,
				     new_name, new_->canon_version);
		return true;
	}
	/* A side recorded without some return values (seccomp: all; auto:
	 * some syscalls'): compare the other as that backend would have
	 * recorded it. */
	if (!new_->returns_known || new_->nunknown_returns) {
		gt_canon_forget_returns(golden, new_, &pg);
		golden = pg;
	}
	if (!golden->returns_known || golden->nunknown_returns) {
		gt_canon_forget_returns(new_, golden, &pn);
		new_ = pn;
	}
	gt_diff_traces(golden, new_, &dopts, &d);
	/* A process that came or went is a change even with no events. */
	gt_judge(golden, new_, c, d->changes + d->nprocs, &r->verdict);
	gt_count_groups_mark(d, &r->verdict);
	if (d->changes + d->nprocs > 0) {
		if (notes && notes->prepare)
			notes->prepare(notes->ctx, d);
		ro.notes = notes;
		ro.context = 3;
		ro.max_lines = max_diff_lines;
		ro.golden_name = golden_name;
		ro.new_name = new_name;
		gt_diff_render(d, &ro, &b);
		r->diff_text = gt_buf_steal(&b);
		ro.color = true;
		gt_diff_render(d, &ro, &b);
		r->diff_text_color = gt_buf_steal(&b);
	}
	r->golden_events = (size_t)gt_trace_event_total(golden);
	r->new_events = (size_t)gt_trace_event_total(new_);
	gt_diff_free(d);
	gt_trace_free(pg);
	gt_trace_free(pn);
	return r->verdict.verdict == GT_VERDICT_REGRESSION;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t gt_obsolete_goldens(const struct gt_config *cfg, const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *name;
		bool known;

		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".json") ||
		    ends_with(de->d_name, ".new.json") || ends_with(de->d_name, ".pending.json"))
			continue;
		name = xstrndup(de->d_name, strlen(de->d_name) - 5);
		known = gt_config_case(cfg, name) != NULL;
		free(name);
		if (known)
			continue;
		xgrow((void **)&v, &cap, n + 2, sizeof(*v));
		v[n++] = xasprintf("%s/%s", dir, de->d_name);
		v[n] = NULL;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	return n;
}

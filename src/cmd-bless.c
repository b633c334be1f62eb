/*
 * cmd-bless: blessing on the CI image (cmd-bless.h).  The check side keeps
 * a recording fit to be a golden (the case's runs, recorded as `update`
 * records them) with a manifest; the update side (`update --from DIR`)
 * checks every manifest against the config and goldens of the day, and
 * only when all are current writes their recordings as the goldens, as
 * they are: a laptop's recording would differ from the CI image's, which
 * is the point of blessing there.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd-bless.h"
#include "commands.h"
#include "interrupt.h"
#include "pending.h"
#include "runner.h"
#include "trace-json.h"

bool gt_bless_record(const struct gt_config *cfg, const struct gt_case *c,
		     const struct gt_wf_opts *o, struct gt_trace **now)
{
	struct gt_case_opts co;
	struct gt_trace *t = NULL;
	struct gt_error err = {0};
	enum gt_rc rc;

	/* The options of `update` (cmd-update.c, update_case): its runs, no
	 * CPU count shown from a golden, runs that must not see each other. */
	gt_case_opts_init(cfg, c, &o->ov, true, &co);
	co.rec.private_output = true;
	co.rec.show_output = o->verbosity > 0;
	co.rec.refuse_stateful = true;
	gt_capture_tuning_from_env(&co.rec.tuning);
	rc = gt_record(&co.rec, &t, NULL, &err);
	gt_warn_notes(c->name, &co.notes);
	gt_case_opts_free(&co);
	if (rc != GT_OK || gt_interrupted) {
		if (!gt_interrupted)
			fprintf(stderr, "gtdiff: warning: %s: the case's runs could not be recorded "
				"for 'gtdiff update --from' (%s); only the check's run is kept\n",
				c->name, err.msg);
		gt_trace_free(t);
		return false;
	}
	gt_trace_free(*now);
	*now = t;
	return true;
}

void gt_bless_manifest(const struct gt_config *cfg, const struct gt_case *c, const char *gpath,
		       const char *npath, const struct gt_trace *now, struct gt_case_result *r)
{
	struct gt_pending p = {0};
	struct gt_error err = {0};
	char *dir = xstrdup(npath), *slash = strrchr(dir, '/'), *mpath;
	bool run_exists = false;

	if (slash)
		*slash = '\0';
	mpath = gt_pending_path(slash ? dir : ".", c->name);
	p.name = c->name;
	p.case_hash = gt_pending_case_hash(cfg, c);
	p.runs = (unsigned)now->nruns;
	if (gt_pending_file_hash(gpath, cfg->golden_max_size, &p.has_golden, &p.golden_hash,
				 &err) != GT_OK ||
	    gt_pending_file_hash(npath, cfg->golden_max_size, &run_exists, &p.run_hash,
				 &err) != GT_OK ||
	    !run_exists || gt_pending_save(&p, mpath, &err) != GT_OK)
		fprintf(stderr, "gtdiff: warning: %s: no manifest for 'gtdiff update --from': %s\n",
			c->name, run_exists ? err.msg : "the kept run is gone");
	else
		r->pending = true;
	free(mpath);
	free(dir);
}

void gt_bless_forget(const struct gt_wf_opts *o, const struct gt_case *c)
{
	char *m;

	if (!o->artifacts_dir)
		return;
	m = gt_pending_path(o->artifacts_dir, c->name);
	unlink(m);
	free(m);
}

/* --- update --from */

struct pend {
	struct gt_pending m;
	const struct gt_case *c;
	struct gt_trace *t;
	char *run, *gpath;
};

static void pend_free(struct pend *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		gt_pending_free(&v[i].m);
		gt_trace_free(v[i].t);
		free(v[i].run);
		free(v[i].gpath);
	}
	free(v);
}

static bool selected(const struct gt_case *c, const struct gt_case **cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cases[i] == c)
			return true;
	return false;
}

/* Is P (its case found) still current and fit to be blessed?  Loads its
 * run into P->t.  Says why not. */
static bool verify(const struct gt_config *cfg, struct pend *p)
{
	const char *name = p->c->name;
	struct gt_error err = {0};
	bool exists;
	uint64_t h;

	if (gt_pending_case_hash(cfg, p->c) != p->m.case_hash) {
		gt_die_msg("%s: stale: the case's definition in %s changed since its run was "
			   "recorded (%s); check it again and take the new artifact", name,
			   cfg->path, p->m.path);
		return false;
	}
	if (gt_pending_file_hash(p->gpath, cfg->golden_max_size, &exists, &h, &err) != GT_OK) {
		gt_die_msg("%s: %s", name, err.msg);
		return false;
	}
	if (exists != p->m.has_golden || (exists && h != p->m.golden_hash)) {
		gt_die_msg("%s: stale: the golden %s %s since the run was compared with it (%s); "
			   "check it again and take the new artifact", name, p->gpath,
			   !exists ? "was removed" : !p->m.has_golden ? "was created" : "changed",
			   p->m.path);
		return false;
	}
	if (gt_pending_file_hash(p->run, cfg->golden_max_size, &exists, &h, &err) != GT_OK) {
		gt_die_msg("%s: %s", name, err.msg);
		return false;
	}
	if (!exists || h != p->m.run_hash) {
		gt_die_msg("%s: %s %s (its manifest is %s)", name, p->run,
			   exists ? "is not the run its manifest was written for" : "is missing",
			   p->m.path);
		return false;
	}
	if (gt_trace_load_golden(p->run, cfg->golden_max_size, &p->t, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		return false;
	}
	return gt_exit_blessable(p->c, p->t);
}

/* Load the manifests MS (N of them) of the selected CASES into *OUT;
 * returns how many problems were said. */
static size_t gather(const struct gt_config *cfg, const struct gt_wf_opts *o, char **ms,
		     size_t n, const struct gt_case **cases, size_t ncases, struct pend **out,
		     size_t *nout)
{
	struct pend *v = xcalloc(n ? n : 1, sizeof(*v));
	size_t k = 0, problems = 0;

	for (size_t i = 0; i < n; i++) {
		struct pend *p = &v[k];
		struct gt_error err = {0};

		if (gt_pending_load(ms[i], &p->m, &err) != GT_OK) {
			gt_die_msg("%s", err.msg);
			gt_pending_free(&p->m);
			problems++;
			continue;
		}
		p->c = gt_config_case(cfg, p->m.name);
		if (!p->c) {
			gt_die_msg("%s: stale: no case '%s' in %s any more", ms[i], p->m.name,
				   cfg->path);
			gt_pending_free(&p->m);
			problems++;
			continue;
		}
		if (!selected(p->c, cases, ncases)) {
			gt_pending_free(&p->m);
			continue;
		}
		for (size_t j = 0; j < k; j++) {
			if (v[j].c == p->c) {
				gt_die_msg("%s: two pending runs, %s and %s: remove the one not to "
					   "bless", p->c->name, v[j].m.path, ms[i]);
				problems++;
			}
		}
		p->run = gt_pending_run_path(ms[i]);
		p->gpath = gt_golden_path(cfg, &o->ov, p->c->name);
		k++;
	}
	*out = v;
	*nout = k;
	return problems;
}

int gt_bless_from(const struct gt_config *cfg, const struct gt_wf_opts *o, const char *dir,
		  const struct gt_case **cases, size_t ncases, bool named)
{
	struct gt_error err = {0};
	struct pend *v = NULL;
	char **ms = NULL;
	long nm = gt_pending_find(dir, &ms, &err);
	size_t nv = 0, problems = 0, done = 0;
	int status = GT_EXIT_TROUBLE;

	if (nm < 0) {
		gt_die_msg("--from: %s", err.msg);
		return GT_EXIT_TROUBLE;
	}
	problems = gather(cfg, o, ms, (size_t)nm, cases, ncases, &v, &nv);
	for (size_t i = 0; named && i < ncases; i++) {
		bool found = false;

		for (size_t j = 0; j < nv; j++)
			found = found || v[j].c == cases[i];
		if (!found) {
			gt_die_msg("%s: no pending run in %s (a <case>.pending.json that 'gtdiff "
				   "check --artifacts-dir' writes)", cases[i]->name, dir);
			problems++;
		}
	}
	for (size_t i = 0; i < nv; i++)
		if (!verify(cfg, &v[i]))
			problems++;
	if (problems) {
		gt_die_msg("update --from: %zu problem%s; nothing was written", problems,
			   problems == 1 ? "" : "s");
		goto out;
	}
	if (nv == 0) {
		gt_die_msg("nothing to bless: no pending runs (<case>.pending.json) in %s", dir);
		goto out;
	}
	for (size_t i = 0; i < nv && !gt_interrupted; i++) {
		if (gt_write_golden(v[i].t, o->reason, v[i].gpath) < 0)
			goto out;
		done++;
		if (unlink(v[i].run) < 0 || unlink(v[i].m.path) < 0)
			fprintf(stderr, "gtdiff: warning: %s: cannot remove the blessed run: %s\n",
				v[i].m.path, strerror(errno));
		if (o->verbosity >= 0)
			printf("blessed   %s  -> %s  (%zu run%s as recorded, from %s)\n",
			       v[i].c->name, v[i].gpath, v[i].t->nruns,
			       v[i].t->nruns == 1 ? "" : "s", v[i].run);
	}
	if (gt_interrupted) {
		fflush(stdout);
		gt_die_msg("interrupted by %s; %zu of %zu goldens written, none after the signal",
			   gt_signal_name(gt_interrupted), done, nv);
		gt_interrupt_reported = true;
		goto out;
	}
	status = GT_EXIT_OK;
out:
	pend_free(v, nv);
	for (long i = 0; i < nm; i++)
		free(ms[i]);
	free(ms);
	return status;
}

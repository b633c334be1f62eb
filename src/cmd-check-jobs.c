/*
 * cmd-check-jobs: check's parallel phase and the judging of its runs.  See
 * cmd-check-jobs.h.
 */
#include "config.h"

#include "cmd-check-jobs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmdline.h"
#include "commands.h"
#include "trace-json.h"

void gt_check_case_opts(const struct gt_config *cfg, const struct gt_case *c,
			const struct gt_wf_opts *o, const struct gt_trace *golden,
			struct gt_case_opts *co)
{
	gt_case_opts_init(cfg, c, &o->ov, false, co);
	co->rec.private_output = true;
	co->rec.show_output = o->verbosity > 0;
	/* The command sees the CPU count its golden was recorded with. */
	co->rec.show_cpus = golden->env.cpus;
	gt_capture_tuning_from_env(&co->rec.tuning);
}

int gt_check_jobs_option(int opt, const char *arg, void *ctx)
{
	struct gt_error err = {0};

	if (opt != 'j')
		return -1;
	if (gt_parse_uint(arg, 1, 256, (unsigned *)ctx, "--jobs", &err) == GT_OK)
		return 0;
	gt_usage_error("check", "%s", err.msg);
	return 1;
}

struct job_ctx {
	const struct gt_config *cfg;
	const struct gt_case *const *cases;
	const struct gt_wf_opts *o;
};

/* In a worker: case I recorded as check records it.  A case whose golden
 * is missing or unreadable records nothing: its judging says why. */
static enum gt_rc record_job(size_t i, void *ctx, struct gt_trace **out,
			     struct gt_error *err)
{
	const struct job_ctx *x = ctx;
	const struct gt_case *c = x->cases[i];
	char *gpath = gt_golden_path(x->cfg, &x->o->ov, c->name);
	struct gt_trace *golden = NULL;
	struct gt_case_opts co;
	struct gt_error gerr = {0};
	enum gt_rc rc = GT_OK;
	struct stat st;

	*out = NULL;
	if (lstat(gpath, &st) == 0 &&
	    gt_trace_load_golden(gpath, x->cfg->golden_max_size, &golden, &gerr) == GT_OK) {
		gt_check_case_opts(x->cfg, c, x->o, golden, &co);
		rc = gt_record(&co.rec, out, NULL, err);
		gt_warn_notes(c->name, &co.notes);
		gt_case_opts_free(&co);
	}
	gt_trace_free(golden);
	free(gpath);
	return rc;
}

struct gt_parallel *gt_check_jobs_start(const struct gt_config *cfg,
					const struct gt_case *const *cases, size_t n,
					const struct gt_wf_opts *o, unsigned jobs)
{
	struct job_ctx x = {cfg, cases, o};
	struct gt_error err = {0};
	struct gt_parallel *p;

	if (jobs <= 1 || n <= 1)
		return NULL;
	p = gt_parallel_run(n, jobs, record_job, &x, &err);
	if (!p)
		gt_die_msg("warning: %s; the cases run one at a time", err.msg);
	return p;
}

enum gt_rc gt_check_record(struct gt_parallel *p, size_t i, struct gt_case_opts *co,
			   const char *name, struct gt_trace **now, bool *parallel,
			   double *seconds, struct gt_error *err)
{
	struct gt_error perr = {0};
	bool said = false;
	enum gt_rc rc;

	*parallel = false;
	*seconds = 0;
	if (p) {
		switch (gt_parallel_take(p, i, now, seconds, &perr)) {
		case GT_PAR_TRACE:
			*parallel = true;
			return GT_OK;
		case GT_PAR_ERROR:
			/* Beside other jobs a case may run past its timeout
			 * that would not alone. */
			if (perr.rc != GT_ERR_TIMEOUT) {
				*err = perr;
				return perr.rc;
			}
			said = true;   /* its notes were printed with its output */
			break;
		case GT_PAR_NONE:
			break;
		}
	}
	rc = gt_record(&co->rec, now, NULL, err);
	if (said)
		gt_record_notes_clear(&co->notes);
	else
		gt_warn_notes(name, &co->notes);
	return rc;
}

/* Does a violation of V rest on wall time? */
static bool wall_judged(const struct gt_verdict *v)
{
	for (size_t i = 0; i < v->nv; i++) {
		const struct gt_violation *x = &v->v[i];

		if (x->improved)
			continue;
		if (x->kind == GT_KIND_TIMING ||
		    (x->kind == GT_KIND_BUDGET && x->metric &&
		     strcmp(x->metric, "budget max_duration_ms") == 0))
			return true;
	}
	return false;
}

static void result_clear(struct gt_case_result *r)
{
	gt_verdict_free(&r->verdict);
	free(r->diff_text);
	free(r->diff_text_color);
	r->diff_text = r->diff_text_color = NULL;
	r->golden_events = r->new_events = 0;
}

bool gt_check_compare_parallel(const struct gt_trace *golden, struct gt_trace **now,
			       const struct gt_case *c, const char *gshow,
			       size_t max_diff_lines, struct gt_case_opts *co,
			       struct gt_case_result *r)
{
	struct gt_trace *t = *now, *alone = NULL;
	double *stall = xcalloc(t->nruns + 1, sizeof(*stall));
	struct gt_error err = {0};
	bool differ;

	/* The pressure was our own jobs': no discount for it. */
	for (size_t i = 0; i < t->nruns; i++) {
		stall[i] = t->runs[i].cpu_stall_s;
		t->runs[i].cpu_stall_s = -1;
	}
	differ = gt_case_compare(golden, t, c, gshow, "new run", max_diff_lines, r);
	for (size_t i = 0; i < t->nruns; i++)
		t->runs[i].cpu_stall_s = stall[i];
	free(stall);
	if (!wall_judged(&r->verdict))
		return differ;
	result_clear(r);
	/* Alone, after the parallel phase; its notes were said with the
	 * parallel run's output. */
	if (gt_record(&co->rec, &alone, NULL, &err) != GT_OK) {
		gt_record_notes_clear(&co->notes);
		r->verdict.verdict = GT_VERDICT_ERROR;
		r->error = xstrdup(err.msg);
		return false;
	}
	gt_record_notes_clear(&co->notes);
	gt_trace_free(*now);
	*now = alone;
	return gt_case_compare(golden, alone, c, gshow, "new run", max_diff_lines, r);
}

/*
 * cmd-common: options, config loading and case selection shared by the
 * golden-workflow commands.  See cmd-common.h.
 */
#include "config.h"

#include "cmd-common.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "commands.h"
#include "shard.h"

const char gt_wf_help_common[] =
	"  -C, --config FILE       the configuration (default ./gtdiff.yaml)\n"
	"      --golden-dir DIR    the goldens' directory (default: the config's golden_dir)\n"
	"      --color WHEN        auto (default), always or never\n"
	"  -q, --quiet             only failures and the total\n"
	"  -v, --verbose           more detail\n"
	"  -h, --help              this help\n";
const char gt_wf_help_run[] =
	"      --backend NAME      override the cases' backend\n"
	"      --runs N            runs per case (check: 1; update: the case's runs)\n"
	"      --timeout SECONDS   override the cases' timeout\n"
	"      --shard I/N         run only the I-th of N shares of the cases, balanced by\n"
	"                          the goldens' wall times (see gtdiff(1))\n"
	"      --ci                CI mode (also when $CI is set): never write goldens,\n"
	"                          a missing golden is an error, update needs --force\n";
const char gt_wf_help_report[] =
	"      --report-json FILE  also write a JSON report\n"
	"      --junit FILE        also write JUnit XML\n"
	"      --report-html FILE  also write a self-contained HTML report with plots\n"
	"      --max-diff-lines N  show at most N changed lines per case (default 200)\n";

void gt_wf_init(struct gt_wf_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->color = -1;
	o->ov.backend = -1;
	o->max_diff_lines = 200;
}

int gt_wf_option(struct gt_wf_opts *o, int opt, const char *arg, const char *cmd)
{
	struct gt_error err = {0};
	int b;

	switch (opt) {
	case GT_WF_CONFIG:
		o->config_path = arg;
		return 1;
	case GT_WF_GOLDEN_DIR:
		o->ov.golden_dir = arg;
		return 1;
	case GT_WF_COLOR:
		if (strcmp(arg, "auto") == 0)
			o->color = -1;
		else if (strcmp(arg, "always") == 0)
			o->color = 1;
		else if (strcmp(arg, "never") == 0)
			o->color = 0;
		else
			return gt_usage_error(cmd, "--color: '%s' is not auto, always or never", arg),
			       -1;
		return 1;
	case 'q':
		o->verbosity = -1;
		return 1;
	case 'v':
		o->verbosity = 1;
		return 1;
	case GT_WF_BACKEND:
		b = gt_backend_parse(arg);
		if (b < 0)
			return gt_usage_error(cmd, "--backend: '%s' is not one of %s", arg,
					      gt_backends_built()), -1;
		o->ov.backend = b;
		return 1;
	case GT_WF_RUNS:
		if (gt_parse_uint(arg, 1, 1000, &o->ov.runs, "--runs", &err))
			return gt_usage_error(cmd, "%s", err.msg), -1;
		return 1;
	case GT_WF_TIMEOUT:
		if (gt_parse_seconds(arg, &o->ov.timeout_s, "--timeout", &err))
			return gt_usage_error(cmd, "%s", err.msg), -1;
		return 1;
	case GT_WF_SHARD:
		if (gt_parse_shard(arg, &o->shard_i, &o->shard_n, &err))
			return gt_usage_error(cmd, "%s", err.msg), -1;
		return 1;
	case GT_WF_CI:
		o->ci_flag = true;
		return 1;
	case GT_WF_REPORT_JSON:
		o->report_json = arg;
		return 1;
	case GT_WF_JUNIT:
		o->junit = arg;
		return 1;
	case GT_WF_REPORT_HTML:
		o->report_html = arg;
		return 1;
	case GT_WF_MAX_DIFF:
		if (gt_parse_uint(arg, 0, 1000000, &o->max_diff_lines, "--max-diff-lines", &err))
			return gt_usage_error(cmd, "%s", err.msg), -1;
		return 1;
	case GT_WF_ARTIFACTS:
		o->artifacts_dir = arg;
		return 1;
	case GT_WF_UNREF:
		if (strcmp(arg, "fail") == 0)
			o->unref_fail = true;
		else if (strcmp(arg, "warn") == 0)
			o->unref_fail = false;
		else
			return gt_usage_error(cmd, "--unreferenced: '%s' is not warn or fail", arg),
			       -1;
		return 1;
	case GT_WF_FORCE:
		o->force = true;
		return 1;
	case GT_WF_ACCEPT:
		o->accept = true;
		return 1;
	case GT_WF_REASON:
		o->reason = arg;
		return 1;
	default:
		return 0;
	}
}

int gt_wf_parse(int argc, char **argv, const struct option *longopts, const char *cmd,
		void (*help)(void), int (*extra)(int opt, const char *arg, void *ctx), void *ctx,
		struct gt_wf_opts *o)
{
	int opt;

	gt_wf_init(o);
	optind = 1;
	while ((opt = getopt_long(argc, argv, "C:qvhj:", longopts, NULL)) != -1) {
		int r = gt_wf_option(o, opt, optarg, cmd);

		if (r < 0)
			return GT_EXIT_TROUBLE;
		if (r > 0)
			continue;
		if (opt == 'h') {
			help();
			return GT_EXIT_OK;
		}
		r = extra ? extra(opt, optarg, ctx) : -1;
		if (r == 0)
			continue;
		return r > 0 ? GT_EXIT_TROUBLE : gt_usage_error(cmd, "unknown option");
	}
	return -1;
}

int gt_wf_report(const struct gt_report *rep, const struct gt_wf_opts *o)
{
	struct gt_text_opts to = {.color = gt_wf_color(o, stdout), .verbosity = o->verbosity,
				  .diffs_folded = o->github};
	struct gt_error err = {0};
	int status;

	gt_report_text(rep, &to, stdout);
	status = gt_report_exit_status(rep);
	if (o->report_json && gt_report_json(rep, o->report_json, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		status = GT_EXIT_TROUBLE;
	}
	if (o->junit && gt_report_junit(rep, o->junit, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		status = GT_EXIT_TROUBLE;
	}
	if (o->report_html && gt_report_html(rep, o->report_html, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		status = GT_EXIT_TROUBLE;
	}
	return status;
}

bool gt_wf_color(const struct gt_wf_opts *o, FILE *f)
{
	const char *term = getenv("TERM");

	if (o->color >= 0)
		return o->color;
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		return false;
	return isatty(fileno(f)) && term && strcmp(term, "dumb") != 0;
}

struct gt_config *gt_wf_load_config(const struct gt_wf_opts *o)
{
	struct gt_config *cfg = NULL;
	struct gt_error err = {0};
	const char *path = o->config_path ? o->config_path : "gtdiff.yaml";

	if (gt_config_load(path, &cfg, &err) != GT_OK) {
		gt_die_msg("%s", err.msg);
		if (!o->config_path && access(path, F_OK) != 0)
			fprintf(stderr, "gtdiff: (no gtdiff.yaml here; give one with -C FILE, "
					"see gtdiff.yaml(5))\n");
		return NULL;
	}
	return cfg;
}

const char *gt_wf_golden_dir(const struct gt_config *cfg, const struct gt_wf_opts *o)
{
	return o->ov.golden_dir ? o->ov.golden_dir : cfg->golden_dir;
}

bool gt_wf_select(const struct gt_config *cfg, const struct gt_wf_opts *o, char **names,
		  size_t n, const struct gt_case ***out, size_t *nout)
{
	const struct gt_case **v = xcalloc(cfg->ncases + n + 1, sizeof(*v));
	size_t k = 0;
	bool ok = true;

	if (n == 0) {
		for (size_t i = 0; i < cfg->ncases; i++)
			v[k++] = &cfg->cases[i];
	} else {
		for (size_t i = 0; i < n; i++) {
			const struct gt_case *c = gt_config_case(cfg, names[i]);

			if (!c) {
				gt_die_msg("%s: no case named '%s'", cfg->path, names[i]);
				ok = false;
				continue;
			}
			v[k++] = c;
		}
	}
	if (o->shard_n)
		k = gt_shard_select(cfg, &o->ov, v, k, o->shard_i, o->shard_n);
	*out = v;
	*nout = k;
	return ok;
}

/*
 * cmd-import: `gtdiff import [--run NAME='CMD ARGS']... [-o FILE [--force]]
 * renacer.toml`: write the gtdiff.yaml equivalent of a renacer.toml's
 * budgets (the translation is renacer.c's), list what has no equivalent,
 * and check that what it writes loads as a gtdiff config.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "gtconfig.h"
#include "newfile.h"
#include "renacer.h"
#include "toml.h"

static void help(void)
{
	printf("Usage: gtdiff import [--run NAME='CMD ARGS']... [-o FILE [--force]] RENACER_TOML\n"
	       "Write the gtdiff.yaml equivalent of a renacer.toml's assertions:\n"
	       "  critical_path max_duration_ms  a case NAME with that wall-time budget\n"
	       "                                 (budgets.max_duration_ms), running the\n"
	       "                                 command given by --run NAME=...\n"
	       "  span_count max_spans           defaults.budgets.max_syscalls\n"
	       "  memory_usage max_bytes         defaults.budgets.max_rss_bytes (peak RSS)\n"
	       "What has no equivalent (other assertion types, disabled or pattern-scoped\n"
	       "assertions, unknown keys, the other tables) is listed on stderr and as\n"
	       "comments in the output; a case without --run is written commented out.\n\n"
	       "      --run NAME='CMD ARGS'\n"
	       "                        the command of case NAME (repeatable); split into\n"
	       "                        words as sh(1) would, or a 'shell:' case when it\n"
	       "                        uses pipes, redirections, variables or globs\n"
	       "  -o, --output FILE     write to FILE, atomically (default: stdout); an\n"
	       "                        existing FILE is kept unless --force\n"
	       "      --force           replace FILE\n"
	       "  -h, --help            this help\n\n"
	       "Exit status: 0 written, 2 trouble: bad usage, a --run naming no case, an\n"
	       "unreadable or malformed renacer.toml (named with its line and column), FILE\n"
	       "exists.\n");
}

/* NAME=CMD into R; false when there is no '=' or no name. */
static bool parse_run(char *arg, struct gt_renacer_run *r)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg)
		return false;
	*eq = '\0';
	r->name = arg;
	r->cmd = eq + 1;
	return true;
}

static int output(const char *path, bool force, const struct gt_renacer_result *res)
{
	struct gt_error err = {0};
	size_t len = strlen(res->yaml);
	bool existed = false;
	enum gt_rc rc;

	if (!path || strcmp(path, "-") == 0) {
		fputs(res->yaml, stdout);
		if (fflush(stdout) != 0) {
			gt_die_msg("import: <stdout>: write failed");
			return GT_EXIT_TROUBLE;
		}
		return GT_EXIT_OK;
	}
	if (force)
		rc = gt_write_file_atomic(path, res->yaml, len, &err);
	else
		rc = gt_newfile_create(path, res->yaml, len, 0666, &existed, &err);
	if (rc != GT_OK) {
		gt_die_msg("import: %s", err.msg);
		return GT_EXIT_TROUBLE;
	}
	if (existed) {
		gt_die_msg("import: %s exists; not replaced (--force replaces it)", path);
		return GT_EXIT_TROUBLE;
	}
	return GT_EXIT_OK;
}

/* What gtdiff import writes must load as a config: checked before it is
 * written, so that a translation bug is found here, not in CI. */
static bool loads(const struct gt_renacer_result *res, const char *out)
{
	struct gt_config *cfg = NULL;
	struct gt_error err = {0};
	char *dir = NULL;
	const char *slash = out ? strrchr(out, '/') : NULL;
	enum gt_rc rc;

	if (slash)
		dir = xstrndup(out, (size_t)(slash - out) + (slash == out));
	rc = gt_config_parse(res->yaml, strlen(res->yaml), out ? out : "<stdout>", dir, &cfg, &err);
	if (rc != GT_OK)
		gt_die_msg("import: the gtdiff.yaml made does not load (a bug in gtdiff import): %s",
			   err.msg);
	gt_config_free(cfg);
	free(dir);
	return rc == GT_OK;
}

int gt_cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"run", required_argument, NULL, 'r'},
		{"output", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct gt_renacer_run *runs = xcalloc((size_t)argc, sizeof(*runs));
	struct gt_renacer_result res = {0};
	struct gt_toml *doc = NULL;
	struct gt_error err = {0};
	const char *out = NULL, *src;
	bool force = false;
	size_t nruns = 0;
	int opt, status = GT_EXIT_TROUBLE;
	enum gt_rc rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			if (!parse_run(optarg, &runs[nruns++])) {
				gt_usage_error("import", "--run wants NAME='CMD ARGS', not '%s'", optarg);
				goto out;
			}
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'h':
			help();
			status = GT_EXIT_OK;
			goto out;
		default:
			gt_usage_error("import", "unknown option");
			goto out;
		}
	}
	if (optind + 1 != argc) {
		gt_usage_error("import", optind == argc ? "no renacer.toml given"
							: "one renacer.toml at a time");
		goto out;
	}
	src = argv[optind];
	rc = gt_toml_load(src, &doc, &err);
	if (rc == GT_OK)
		rc = gt_renacer_translate(doc, src, runs, nruns, &res, &err);
	if (rc == GT_ERR_USAGE) {
		gt_usage_error("import", "%s", err.msg);
		goto out;
	}
	if (rc != GT_OK) {
		gt_die_msg("%s", err.msg);
		goto out;
	}
	for (size_t i = 0; i < res.nnotes; i++)
		gt_die_msg("import: note: %s", res.notes[i]);
	if (res.nbound && !loads(&res, out))
		goto out;
	status = output(out, force, &res);
	if (status != GT_EXIT_OK)
		goto out;
	gt_die_msg("import: %s%s: %zu case%s from %s, %zu with a command%s", out ? "wrote " : "",
		   out ? out : "gtdiff.yaml on stdout", res.ncases, res.ncases == 1 ? "" : "s", src,
		   res.nbound,
		   res.nbound < res.ncases ? "; the others are commented out until --run NAME='CMD ARGS'"
					   : "");
out:
	gt_renacer_result_free(&res);
	gt_toml_free(doc);
	free(runs);
	return status;
}

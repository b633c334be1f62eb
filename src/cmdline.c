/*
 * cmdline: parsing helpers shared by the subcommands.  See cmdline.h.
 */
#include "config.h"

#include "cmdline.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gtconfig.h"

void gt_strlist_add(struct gt_strlist *l, const char *s)
{
	xgrow((void **)&l->v, &l->cap, l->n + 2, sizeof(*l->v));
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

void gt_strlist_free(struct gt_strlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

enum gt_rc gt_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out,
			 const char *what, struct gt_error *err)
{
	unsigned long v;
	char *end;

	errno = 0;
	if (!s || !isdigit((unsigned char)*s))
		goto bad;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = (unsigned)v;
	return GT_OK;
bad:
	return gt_error_set(err, GT_ERR_USAGE, "%s: '%s' is not a whole number from %u to %u",
			    what, s ? s : "", min, max);
}

enum gt_rc gt_parse_shard(const char *s, unsigned *i, unsigned *n, struct gt_error *err)
{
	const char *slash = strchr(s, '/');
	unsigned long a, b;
	char *end;

	if (!slash || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)slash[1]))
		goto bad;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno || end != slash || a > UINT_MAX)
		goto bad;
	b = strtoul(slash + 1, &end, 10);
	if (errno || *end || b > UINT_MAX || a == 0 || a > b)
		goto bad;
	*i = (unsigned)a;
	*n = (unsigned)b;
	return GT_OK;
bad:
	return gt_error_set(err, GT_ERR_USAGE, "--shard: '%s' is not I/N with 1 <= I <= N <= %u",
			    s, UINT_MAX);
}

enum gt_rc gt_parse_seconds(const char *s, double *out, const char *what, struct gt_error *err)
{
	double v, mult = 1;
	char *end;

	errno = 0;
	if (!s || !*s || isspace((unsigned char)*s) || *s == '-')
		goto bad;
	v = strtod(s, &end);
	if (errno || end == s)
		goto bad;
	if (strcmp(end, "ms") == 0)
		mult = 1e-3;
	else if (strcmp(end, "m") == 0)
		mult = 60;
	else if (strcmp(end, "s") != 0 && *end)
		goto bad;
	v *= mult;
	if (!isfinite(v) || v <= 0 || v > 1e7)
		goto bad;
	*out = v;
	return GT_OK;
bad:
	return gt_error_set(err, GT_ERR_USAGE,
			    "%s: '%s' is not a duration (e.g. 60, 1.5s, 500ms, 2m)", what,
			    s ? s : "");
}

enum gt_rc gt_parse_env_assign(const char *s, struct gt_error *err)
{
	const char *eq = strchr(s, '=');

	if (!eq || eq == s)
		goto bad;
	for (const char *p = s; p < eq; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_') || (p == s && isdigit((unsigned char)*p)))
			goto bad;
	return GT_OK;
bad:
	return gt_error_set(err, GT_ERR_USAGE, "--env: '%s' is not NAME=VALUE", s);
}

enum gt_rc gt_parse_path_rule(char *s, struct gt_path_rule *out, struct gt_error *err)
{
	char *eq = strrchr(s, '=');
	const char *why;
	bool on_prefix;
	size_t n;

	if (!eq)
		return gt_error_set(err, GT_ERR_USAGE,
				    "--path-prefix: '%s' is not /PREFIX=$NAME", s);
	*eq = '\0';
	why = gt_config_path_rule_problem(s, eq + 1, &on_prefix);
	if (why) {
		*eq = '=';
		if (on_prefix)
			return gt_error_set(err, GT_ERR_USAGE, "--path-prefix: '%s': the prefix %s",
					    s, why);
		return gt_error_set(err, GT_ERR_USAGE, "--path-prefix: '%s': '%s' %s", s, eq + 1,
				    why);
	}
	/* "/opt/build/" and "/opt/build" are the same prefix. */
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	out->prefix = s;
	out->as = eq + 1;
	return GT_OK;
}

enum gt_rc gt_parse_size(const char *s, size_t *out, const char *what, struct gt_error *err)
{
	unsigned long long v, mult = 1;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end != s && *end && !end[1]) {
		const char *units = "KMG";
		const char *u = strchr(units, *end);

		if (u) {
			mult = 1ull << (10 * (u - units + 1));
			end++;
		}
	}
	if (errno || end == s || *end || s[0] == '-' || v == 0 || v > SIZE_MAX / mult)
		return gt_error_set(err, GT_ERR_USAGE,
				    "%s: '%s' is not a size in bytes (e.g. 65536, 64K, 16M)", what, s);
	*out = (size_t)(v * mult);
	return GT_OK;
}

const char gt_capture_opts_help[] =
	"Capture options:\n"
	"      --backend NAME        ebpf (the default as root where built in: full\n"
	"                            fidelity at near-native speed), ptrace (the\n"
	"                            default otherwise, full fidelity), seccomp\n"
	"                            (faster; return values unknown), or auto (ptrace\n"
	"                            stops for calls whose return the trace needs,\n"
	"                            seccomp user notifications for the others)\n"
	"      --ebpf-ring SIZE      ebpf: the ring buffer's size, a power of two\n"
	"                            (default 16M; also GTDIFF_EBPF_RING)\n"
	"      --as-root             ebpf under sudo: run the command as root, not as\n"
	"                            the user who ran sudo (also GTDIFF_AS_ROOT=1)\n"
	"      --runs N              record N runs and learn what varies (default 1)\n"
	"      --timeout SECONDS     kill the command after this long (e.g. 60, 500ms)\n"
	"      --cwd DIR             run the command in DIR (shown as $CWD)\n"
	"      --env NAME=VALUE      set a variable in the command's environment\n"
	"      --keep-env NAME       pass NAME through from gtdiff's environment\n"
	"      --stdin FILE          the command's stdin (default /dev/null)\n"
	"      --unordered SYSCALL   count SYSCALL but keep it out of the sequence\n"
	"                            (repeatable; default: futex, sched_yield,\n"
	"                            rt_sigreturn, restart_syscall, getrandom)\n"
	"      --ignore SYSCALL      leave SYSCALL out entirely (repeatable)\n"
	"      --path-prefix /P=$N   show paths under /P as $N\n"
	"      --keep-loader-probes  keep the dynamic loader's failed library probes\n"
	"      --no-collapse         do not collapse repeated events into ×N\n";

void gt_capture_cli_init(struct gt_capture_cli *c)
{
	memset(c, 0, sizeof(*c));
	c->rec.backend = gt_backend_default();
	c->rec.runs = 1;
	c->rec.notes = &c->notes;
}

/* A syscall name as gtdiff.yaml's canonicalize lists take them. */
static enum gt_rc check_syscall(const char *opt, const char *name, struct gt_error *err)
{
	const char *near;

	if (gt_config_syscall_ok(name, &near))
		return GT_OK;
	if (near)
		return gt_error_set(err, GT_ERR_USAGE, "%s: unknown syscall '%s'; did you mean "
				    "'%s'?", opt, name, near);
	return gt_error_set(err, GT_ERR_USAGE, "%s: unknown syscall '%s'", opt, name);
}

int gt_capture_cli_opt(struct gt_capture_cli *c, int opt, char *arg, struct gt_error *err)
{
	int b;

	switch (opt) {
	case GT_OPT_BACKEND:
		b = gt_backend_parse(arg);
		if (b < 0) {
			gt_error_set(err, GT_ERR_USAGE,
				     "--backend: '%s' is not one of %s", arg, gt_backends_built());
			return -1;
		}
		c->rec.backend = (enum gt_backend)b;
		return 1;
	case GT_OPT_RUNS:
		return gt_parse_uint(arg, 1, 1000, &c->rec.runs, "--runs", err) ? -1 : 1;
	case GT_OPT_TIMEOUT:
		return gt_parse_seconds(arg, &c->rec.timeout_s, "--timeout", err) ? -1 : 1;
	case GT_OPT_CWD:
		c->rec.cwd = arg;
		return 1;
	case GT_OPT_ENV:
		if (gt_parse_env_assign(arg, err))
			return -1;
		gt_strlist_add(&c->env_set, arg);
		return 1;
	case GT_OPT_KEEP_ENV:
		gt_strlist_add(&c->env_keep, arg);
		return 1;
	case GT_OPT_STDIN:
		c->rec.stdin_path = arg;
		return 1;
	case GT_OPT_UNORDERED:
		if (check_syscall("--unordered", arg, err))
			return -1;
		c->unordered_given = true;
		gt_strlist_add(&c->unordered, arg);
		return 1;
	case GT_OPT_IGNORE:
		if (check_syscall("--ignore", arg, err))
			return -1;
		gt_strlist_add(&c->ignore, arg);
		return 1;
	case GT_OPT_PATH_PREFIX:
		xgrow((void **)&c->rules, &c->rules_cap, c->nrules + 1, sizeof(*c->rules));
		if (gt_parse_path_rule(arg, &c->rules[c->nrules], err))
			return -1;
		c->nrules++;
		return 1;
	case GT_OPT_KEEP_LOADER:
		c->rec.canon.keep_loader_probes = true;
		return 1;
	case GT_OPT_NO_COLLAPSE:
		c->rec.canon.no_collapse_repeats = true;
		return 1;
	case GT_OPT_EBPF_RING:
		return gt_parse_size(arg, &c->rec.tuning.ebpf_ring, "--ebpf-ring", err) ? -1 : 1;
	case GT_OPT_AS_ROOT:
		c->rec.tuning.keep_root = true;
		return 1;
	default:
		return 0;
	}
}

void gt_capture_cli_finish(struct gt_capture_cli *c, char *const *argv)
{
	struct gt_canon_opts *k = &c->rec.canon;

	c->rec.argv = argv;
	c->rec.env_set = c->env_set.v;
	c->rec.env_keep = c->env_keep.v;
	k->rules = c->rules;
	k->nrules = c->nrules;
	if (c->unordered_given) {
		k->unordered = c->unordered.v;
		k->nunordered = c->unordered.n;
	} else {
		k->unordered = gt_canon_default_unordered;
		k->nunordered = gt_canon_default_nunordered;
	}
	k->ignore = c->ignore.v;
	k->nignore = c->ignore.n;
}

void gt_capture_cli_free(struct gt_capture_cli *c)
{
	gt_strlist_free(&c->env_set);
	gt_strlist_free(&c->env_keep);
	gt_strlist_free(&c->unordered);
	gt_strlist_free(&c->ignore);
	free(c->rules);
	gt_record_notes_clear(&c->notes);
}

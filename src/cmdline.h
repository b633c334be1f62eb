/*
 * cmdline: parsing helpers shared by the subcommands: numbers, durations,
 * NAME=VALUE pairs, path rules, string lists, and the options every
 * capturing command takes (--backend, --runs, --timeout, --env...).
 */
#ifndef GT_CMDLINE_H
#define GT_CMDLINE_H

#include <getopt.h>
#include <stdbool.h>

#include "record.h"
#include "util.h"

/* A growable NULL-terminated list of borrowed strings. */
struct gt_strlist {
	const char **v;
	size_t n, cap;
};
void gt_strlist_add(struct gt_strlist *l, const char *s);
void gt_strlist_free(struct gt_strlist *l); /* frees the vector, not the strings */

/* An unsigned integer in [MIN, MAX]; WHAT names the option in messages. */
enum gt_rc gt_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out,
			 const char *what, struct gt_error *err);
/* "I/N" with 1 <= I <= N, each a whole number that fits (no overflow). */
enum gt_rc gt_parse_shard(const char *s, unsigned *i, unsigned *n, struct gt_error *err);
/* A duration: "60", "1.5", "1.5s", "500ms", "2m"; > 0. */
enum gt_rc gt_parse_seconds(const char *s, double *out, const char *what, struct gt_error *err);
/* A size in bytes: "65536", "64K", "16M", "1G" (powers of 1024), >= 1. */
enum gt_rc gt_parse_size(const char *s, size_t *out, const char *what, struct gt_error *err);
/* "NAME=VALUE" with NAME a valid environment variable name. */
enum gt_rc gt_parse_env_assign(const char *s, struct gt_error *err);
/* "PREFIX=$NAME": an absolute prefix other than "/" and a placeholder
 * "$NAME", checked as gtdiff.yaml's canonicalize.paths is (trailing slashes
 * of the prefix dropped).  The strings point into S (which is modified). */
enum gt_rc gt_parse_path_rule(char *s, struct gt_path_rule *out, struct gt_error *err);

/* The options of every capturing command (record, summary; later check,
 * update).  Codes above 256 so that they do not clash with short options. */
enum {
	GT_OPT_BACKEND = 300,
	GT_OPT_RUNS,
	GT_OPT_TIMEOUT,
	GT_OPT_CWD,
	GT_OPT_ENV,
	GT_OPT_KEEP_ENV,
	GT_OPT_STDIN,
	GT_OPT_UNORDERED,
	GT_OPT_IGNORE,
	GT_OPT_PATH_PREFIX,
	GT_OPT_KEEP_LOADER,
	GT_OPT_NO_COLLAPSE,
	GT_OPT_EBPF_RING,
	GT_OPT_AS_ROOT,
};

#define GT_CAPTURE_LONGOPTS                                                                \
	{"backend", required_argument, NULL, GT_OPT_BACKEND},                              \
	{"runs", required_argument, NULL, GT_OPT_RUNS},                                    \
	{"timeout", required_argument, NULL, GT_OPT_TIMEOUT},                              \
	{"cwd", required_argument, NULL, GT_OPT_CWD},                                      \
	{"env", required_argument, NULL, GT_OPT_ENV},                                      \
	{"keep-env", required_argument, NULL, GT_OPT_KEEP_ENV},                            \
	{"stdin", required_argument, NULL, GT_OPT_STDIN},                                  \
	{"unordered", required_argument, NULL, GT_OPT_UNORDERED},                          \
	{"ignore", required_argument, NULL, GT_OPT_IGNORE},                                \
	{"path-prefix", required_argument, NULL, GT_OPT_PATH_PREFIX},                      \
	{"keep-loader-probes", no_argument, NULL, GT_OPT_KEEP_LOADER},                     \
	{"no-collapse", no_argument, NULL, GT_OPT_NO_COLLAPSE},                           \
	{"ebpf-ring", required_argument, NULL, GT_OPT_EBPF_RING},                          \
	{"as-root", no_argument, NULL, GT_OPT_AS_ROOT}

/* The help text of those options, for the commands' --help. */
extern const char gt_capture_opts_help[];

/* Everything the capture options fill in, with the lists they own. */
struct gt_capture_cli {
	struct gt_record_opts rec;
	struct gt_strlist env_set, env_keep, unordered, ignore;
	struct gt_path_rule *rules;
	size_t nrules, rules_cap;
	bool unordered_given;
	struct gt_record_notes notes; /* rec.notes points here */
};

/* Defaults: gt_backend_default(), 1 run, no timeout, default unordered list. */
void gt_capture_cli_init(struct gt_capture_cli *c);
/* Handle option OPT with ARG if it is a capture option: returns 1 if
 * handled, 0 if not a capture option, -1 on a bad value (ERR set). */
int gt_capture_cli_opt(struct gt_capture_cli *c, int opt, char *arg, struct gt_error *err);
/* Finish: wire the lists into c->rec (call once, after parsing). */
void gt_capture_cli_finish(struct gt_capture_cli *c, char *const *argv);
void gt_capture_cli_free(struct gt_capture_cli *c);

#endif

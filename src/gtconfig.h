/*
 * gtconfig: gtdiff.yaml, the list of cases and the rules that apply to them
 * (SPEC section 3; the format in full is man/gtdiff.yaml.5).  gtconfig*.c
 * are the only files that include yaml.h.  (Not "config.h": that name
 * belongs to the header that configure generates.)
 *
 * Ownership: a config owns every string and array reachable from it;
 * gt_config_free releases all.  A case starts as a copy of `defaults` and
 * overrides what it sets itself.
 */
#ifndef GT_GTCONFIG_H
#define GT_GTCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canon.h"
#include "capture.h"
#include "tolerance.h"
#include "util.h"

#define GT_CONFIG_VERSION 1      /* the only `version` this gtdiff reads */
#define GT_CONFIG_MAX_RUNS 1000
#define GT_CONFIG_MAX_NAME 128   /* longest case name */

struct gt_case {
	char *name;          /* [A-Za-z0-9._-]+, unique */
	char **run;          /* argv, NULL-terminated; or NULL when shell is set */
	char *shell;         /* a /bin/sh -c string: the explicit opt-in */
	char *cwd;           /* absolute (resolved against the config's dir) */
	bool has_expect_exit;
	int expect_exit;     /* exit status the command must have */
	unsigned runs;       /* runs `update` records; default 5 */
	enum gt_backend backend;
	double timeout_s;    /* default 60; 0: no limit */
	char **env;          /* NAME=VALUE, NULL-terminated */
	size_t nenv;
	char **keep_env;     /* names passed through, NULL-terminated */
	size_t nkeep_env;
	char *stdin_path;    /* absolute; NULL: /dev/null */
	/* Hermetic runs: SETUP and TEARDOWN are /bin/sh -c strings run, not
	 * traced, before and after each run, in its working directory and
	 * environment (NULL: none); FRESH_CWD runs each run in a private copy
	 * of the working directory, so that no run sees what another left. */
	char *setup;
	char *teardown;
	bool fresh_cwd;
	/* A failing check is run once more to locate its changed calls
	 * (explain.h); default true. */
	bool explain;
	/* canonicalize: */
	struct gt_path_rule *paths; /* the config owns the strings */
	size_t npaths;
	char **unordered;    /* NULL: the built-in default list; non-NULL with
			      * nunordered 0: none (`unordered: []`) */
	size_t nunordered;
	char **ignore;       /* NULL-terminated, or NULL */
	size_t nignore;
	bool keep_loader_probes;
	bool keep_env_probes;    /* canon.h: the raw PATH and walk-up probes */
	bool keep_dir_order;     /* walks in getdents order */
	bool keep_threads;       /* each thread's own sequence */
	bool keep_memory;        /* memory management in the sequence */
	bool keep_wait_timing;   /* wait4's WNOHANG and empty polls as run */
	struct gt_tolerance tol;
	struct gt_budgets budgets;
	int line;            /* where the case starts in the file (1-based; 0 for
			      * the defaults) */
};

struct gt_config {
	char *path;          /* as given */
	char *dir;           /* its directory, absolute */
	int version;         /* 1 */
	char *golden_dir;    /* absolute; default <dir>/golden_traces; within
			      * <dir> (symlinks resolved) unless
			      * golden_dir_outside is true */
	bool golden_dir_outside;
	uint64_t golden_max_size; /* bytes a golden or kept run may have;
				   * default GT_READ_MAX_DEFAULT */
	struct gt_case defaults; /* built-in defaults with `defaults:` applied;
				  * no name, run or shell; cwd <dir> unless set */
	struct gt_case *cases;
	size_t ncases;
	/* Name lookup (gt_config_case): open addressing over XXH3 of the
	 * name, each slot a case index + 1 (0: empty); a power of two. */
	size_t *by_name;
	size_t by_name_cap;
};

/* Load and validate PATH.  Every error names the file, line and column and
 * what is wrong; an unknown key suggests the nearest known one ("did you
 * mean 'runs'?").  Errors: GT_ERR_IO (unreadable), GT_ERR_FORMAT (bad YAML,
 * unknown key, wrong type, duplicate case name, empty `run`, both or
 * neither of run/shell, bad tolerance string, version other than 1). */
enum gt_rc gt_config_load(const char *path, struct gt_config **out, struct gt_error *err);
/* Parse from memory (NAME in messages, NULL: "gtdiff.yaml"; DIR for relative
 * paths, NULL: the current directory).  DATA need not be NUL-terminated.  On failure *OUT
 * is NULL and nothing is left allocated. */
enum gt_rc gt_config_parse(const char *data, size_t len, const char *name, const char *dir,
			   struct gt_config **out, struct gt_error *err);
void gt_config_free(struct gt_config *c); /* accepts NULL */

/* Shared with the command line (--path-prefix, --unordered, --ignore), so
 * that both refuse the same values.  Why the rule PREFIX -> AS is refused
 * (a phrase such as "must be an absolute path", to follow "'prefix'" when
 * *ON_PREFIX, else "'as'"), or NULL when it is good. */
const char *gt_config_path_rule_problem(const char *prefix, const char *as, bool *on_prefix);
/* Is NAME a syscall a config may name (on some architecture)?  When not,
 * *NEAR is the nearest known name or NULL. */
bool gt_config_syscall_ok(const char *name, const char **near);

/* The case called NAME, or NULL.  Constant time (a hash of the names). */
const struct gt_case *gt_config_case(const struct gt_config *c, const char *name);

#endif

/*
 * gtconfig-internal: what the files of the config loader share, and no
 * other file includes: the state of one parse (struct ctx), where a mapping
 * is (struct where), and the helpers one file calls in another.
 *   gtconfig-yaml.c      YAML nodes, typed values and positioned messages
 *   gtconfig-sections.c  the case record; canonicalize, tolerance, budgets,
 *                        env and the other keys defaults and cases share
 *   gtconfig.c           the top level, the cases, load, free and lookup
 * Not installed; the public API is gtconfig.h.  These three files are the
 * only ones that include yaml.h.
 */
#ifndef GT_GTCONFIG_INTERNAL_H
#define GT_GTCONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "gtconfig.h"
#include "util.h"

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

/* What the items of a string list must be. */
enum item_kind { ITEM_STRING, ITEM_NONEMPTY, ITEM_ENV_NAME, ITEM_SYSCALL };

/* --- gtconfig-yaml.c ---------------------------------------------------- */

void cfg_where_str(const struct where *w, char *buf, size_t n);

/* A sub-section of W (SECTION is "canonicalize" and the like). */
struct where cfg_where_sub(const struct where *w, const char *section);

/* User text made safe for a message: control characters escaped, long text
 * cut.  The result lives until three more calls. */
const char *cfg_show(struct ctx *c, const char *s);

/* Fail at node N (its first character): "FILE:LINE:COLUMN: message". */
enum gt_rc cfg_fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Timeouts: "60", "1.5", "500ms", "1.5s", "2m", "1h". */
bool cfg_parse_timeout(const char *s, double *out);

bool cfg_valid_env_name(const char *s);

bool cfg_valid_case_name(const char *s);

/* A path relative to DIR made absolute: resolved through realpath when it
 * exists, else joined and cleaned of "." and ".." lexically. */
char *cfg_resolve_path(const char *dir, const char *p);

yaml_node_t *cfg_node_at(struct ctx *c, int id);

const char *cfg_scalar(const yaml_node_t *n);

/* A string value: a scalar that is not null and has no NUL inside
 * ("\0" in a double-quoted scalar would silently cut it short). */
const char *cfg_string_of(const yaml_node_t *n);

size_t cfg_seq_len(const yaml_node_t *n);

yaml_node_t *cfg_seq_item(struct ctx *c, const yaml_node_t *n, size_t i);

/* The value of KEY in mapping MAP (keys already checked), and the key node
 * in *KEYNODE when not NULL. */
yaml_node_t *cfg_map_get(struct ctx *c, const yaml_node_t *map, const char *key,
			 yaml_node_t **keynode);

/* Check that every key of MAP is a string, is in KNOWN (NULL: any name
 * goes) and appears once. */
enum gt_rc cfg_check_keys(struct ctx *c, const yaml_node_t *map, const char *const *known,
			  const struct where *w);

/* V must be a mapping with keys from KNOWN. */
enum gt_rc cfg_want_map(struct ctx *c, const yaml_node_t *v, const char *key,
			const char *const *known, const struct where *w);

enum gt_rc cfg_get_string(struct ctx *c, const yaml_node_t *v, const char *key,
			  bool nonempty, char **out);

enum gt_rc cfg_get_path(struct ctx *c, const yaml_node_t *v, const char *key, char **out);

enum gt_rc cfg_get_bool(struct ctx *c, const yaml_node_t *v, const char *key, bool *out);

/* A whole number in LO..HI; MSG the complaint otherwise. */
enum gt_rc cfg_get_whole(struct ctx *c, const yaml_node_t *v, uint64_t lo, uint64_t hi,
			 uint64_t *out, const char *msg);

/* A budget: a number greater than 0 (whole when WHOLE). */
enum gt_rc cfg_get_budget(struct ctx *c, const yaml_node_t *v, const char *key, bool whole,
			  double *dout, uint64_t *uout);

/* A number >= LO (or > LO when STRICT) and below HI. */
enum gt_rc cfg_get_number(struct ctx *c, const yaml_node_t *v, double lo, bool strict,
			  double hi, double *out, const char *msg);

enum gt_rc cfg_get_tol(struct ctx *c, const yaml_node_t *v, const char *key,
		       struct gt_tol *out);

/* A percentage: "25%", or 0. */
enum gt_rc cfg_get_pct(struct ctx *c, const yaml_node_t *v, const char *key, double *out);

/* One word of WORDS. */
enum gt_rc cfg_get_choice(struct ctx *c, const yaml_node_t *v, const char *what,
			  const char *const *words, int *out);

enum gt_rc cfg_check_item(struct ctx *c, const yaml_node_t *n, const char *s,
			  enum item_kind kind, const struct where *w);

/* A list of strings, replacing *LIST (lists are never merged). */
enum gt_rc cfg_get_list(struct ctx *c, const yaml_node_t *v, const char *key,
			enum item_kind kind, const struct where *w, char ***list, size_t *n);

/* --- gtconfig-sections.c: the case record ------------------------------- */

void cfg_strv_free(char **v, size_t n);

void cfg_case_fini(struct gt_case *cs);

/* D becomes a deep copy of S. */
void cfg_case_copy(struct gt_case *d, const struct gt_case *s);

void cfg_defaults_init(struct gt_case *d, const char *dir);

/* --- gtconfig-sections.c: the shared keys ------------------------------- */

/* A key that defaults and cases share.  *HANDLED false: not one of them. */
enum gt_rc cfg_apply_common(struct ctx *c, const char *key, const yaml_node_t *v,
			    struct gt_case *cs, const struct where *w, bool *handled);

enum gt_rc cfg_apply_defaults(struct ctx *c, const yaml_node_t *m, struct gt_case *d);

#endif

/*
 * renacer: the translation of a renacer.toml (its [[assertion]] budgets)
 * into gtdiff.yaml text, for `gtdiff import`.
 *
 *   critical_path  max_duration_ms  a case of the assertion's name with
 *                                   budgets.max_duration_ms (wall time);
 *                                   its command comes from a binding
 *   span_count     max_spans        defaults.budgets.max_syscalls
 *   memory_usage   max_bytes        defaults.budgets.max_rss_bytes (peak RSS)
 *
 * Everything else (other assertion types, pattern-scoped assertions,
 * disabled ones, unknown keys, the other tables) is not translated: each
 * is listed as a note, and the notes are comments at the top of the text.
 * A case without a binding is written commented out.
 */
#ifndef GT_RENACER_H
#define GT_RENACER_H

#include <stdbool.h>
#include <stddef.h>

#include "toml.h"
#include "util.h"

/* A --run NAME='CMD ARGS' binding: the command of the case NAME (the
 * assertion's name or the case name made of it). */
struct gt_renacer_run {
	const char *name;
	const char *cmd;
};

struct gt_renacer_result {
	char *yaml;      /* the gtdiff.yaml text */
	char **notes;    /* what was not translated (or only approximately),
			  * one line each, in the order of the file */
	size_t nnotes;
	size_t ncases;   /* cases made of critical_path assertions */
	size_t nbound;   /* of which have a command (the others are comments) */
};

/* Translate DOC (a parsed renacer.toml; SOURCE is its name for messages
 * and the header comment) with the bindings RUNS[0..NRUNS) into *OUT
 * (caller frees with gt_renacer_result_free).  GT_ERR_FORMAT, with
 * SOURCE:LINE:COL, for a renacer.toml that renacer itself would refuse
 * (an assertion without a name or type, a budget of the wrong type or
 * negative); GT_ERR_USAGE for a binding that names no such case, names
 * one twice, or whose command is empty or badly quoted.  On failure *OUT
 * is left empty. */
enum gt_rc gt_renacer_translate(const struct gt_toml *doc, const char *source,
				const struct gt_renacer_run *runs, size_t nruns,
				struct gt_renacer_result *out, struct gt_error *err);
void gt_renacer_result_free(struct gt_renacer_result *r);

#endif

/*
 * confgen: the pieces of gtdiff.yaml text that `gtdiff init` and `gtdiff
 * import` write: YAML scalars quoted only where YAML needs it, argument
 * vectors as flow lists, case names made from free text, comments that
 * cannot break out of their line, and a command line split into words as
 * sh(1) would, or kept whole when it needs a shell.
 */
#ifndef GT_CONFGEN_H
#define GT_CONFGEN_H

#include <stdbool.h>

#include "util.h"

/* Append S as a YAML scalar: plain when that reads back as the same
 * string, else double-quoted with escapes. */
void gt_confgen_scalar(struct gt_buf *b, const char *s);
/* Append ARGV (NULL-terminated) as a flow list: [a, b, "c d"]. */
void gt_confgen_argv(struct gt_buf *b, char *const *argv);
/* Append S as comment text: control characters become '?', so that the
 * comment stays on its line. */
void gt_confgen_comment_text(struct gt_buf *b, const char *s);
/* A valid case name ([A-Za-z0-9._-], at most GT_CONFIG_MAX_NAME bytes,
 * not ending in ".new") made from S: other bytes become '-', a final
 * ".new" "-new"; "case" when nothing is left.  Allocated. */
char *gt_confgen_case_name(const char *s);

/* Split the command line CMD into words as sh(1) would, with '...' and
 * "..." quoting and backslash escapes, and no expansion.  Returns the
 * words (NULL-terminated, allocated; free with gt_confgen_words_free) in
 * *WORDS, or sets *WORDS to NULL when CMD needs a shell: an unquoted
 * operator or expansion (| & ; < > ( ) $ ` * ? [ ~ { } or a newline).
 * GT_ERR_USAGE, with the reason in ERR, for an unterminated quote or an
 * empty command. */
enum gt_rc gt_confgen_split(const char *cmd, char ***words, struct gt_error *err);
void gt_confgen_words_free(char **words);

#endif

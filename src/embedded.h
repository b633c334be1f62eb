/*
 * embedded: texts gtdiff ships inside the binary, generated at build time
 * (src/gen-embedded.sh, Makefile.am) from their one source in ci/, so that
 * what `gtdiff init` installs is what the repository holds.
 */
#ifndef GT_EMBEDDED_H
#define GT_EMBEDDED_H

#include <stddef.h>

/* ci/pre-commit: the git pre-commit hook */
extern const char gt_embed_pre_commit[];
extern const size_t gt_embed_pre_commit_len;
/* ci/gtdiff-workflow.yml: the GitHub workflow for a project's cases */
extern const char gt_embed_workflow[];
extern const size_t gt_embed_workflow_len;

#endif

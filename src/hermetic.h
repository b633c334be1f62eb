/*
 * hermetic: what makes every recording run of a case start from the same
 * state: a private copy of its working directory, and its setup and teardown
 * commands, run untraced around each run.  A run that leaves files where the
 * next run looks (an object file, a database, a rewritten git index) would
 * otherwise make the runs differ by state, not by behaviour.
 */
#ifndef GT_HERMETIC_H
#define GT_HERMETIC_H

#include "util.h"

/* Copy the directory SRC, with everything in it, modes and times kept, to a
 * new private directory; copy-on-write where the file system allows (cp -a
 * --reflink=auto).  The copy keeps SRC's last path component, inside a new
 * directory under $TMPDIR (or /tmp), DEPTH directories further down (so
 * that update can vary how deep the working directory lies).  Returns the
 * copy's real path (caller frees it) and the new directory in *TOP (caller
 * removes it with gt_hermetic_drop, and frees it), or NULL with ERR set
 * (GT_ERR_IO) naming SRC and what failed. */
char *gt_hermetic_copy(const char *src, unsigned depth, char **top, struct gt_error *err);
/* Remove TOP, a copy's directory from gt_hermetic_copy.  Accepts NULL. */
void gt_hermetic_drop(const char *top);

/* Run CMD with /bin/sh -c in directory CWD with environment ENVP (NULL:
 * ours), stdin from /dev/null and stdout sent to stderr, untraced; WHAT
 * ("setup", "teardown") names it in errors.  Fails with GT_ERR_CAPTURE when
 * the command cannot be started or does not exit 0. */
enum gt_rc gt_hermetic_shell(const char *what, const char *cmd, const char *cwd,
			     char *const *envp, struct gt_error *err);

#endif

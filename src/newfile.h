/*
 * newfile: creating a file that must not exist yet, atomically: `gtdiff
 * init` and `gtdiff import -o` never replace a file.
 */
#ifndef GT_NEWFILE_H
#define GT_NEWFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util.h"

/* Create PATH holding DATA[0..LEN) with MODE (less the umask): written to a
 * temporary file in PATH's directory, fsync'd, then linked into place,
 * which fails rather than replace anything, so that a reader sees no file
 * or all of it, and a file made meanwhile is kept.  When PATH exists (a
 * file, a directory, a link, even a dangling one) nothing is written,
 * *EXISTED is true and the result is GT_OK.  GT_ERR_IO, with a message
 * naming PATH, when it cannot be written. */
enum gt_rc gt_newfile_create(const char *path, const char *data, size_t len, mode_t mode,
			     bool *existed, struct gt_error *err);

#endif

/*
 * pending: what makes a kept run blessable on another machine.  `check
 * --artifacts-dir DIR` keeps a failing case's recording as DIR/<case>.new.json
 * and, beside it, a manifest DIR/<case>.pending.json that says what the
 * recording belongs to: the case's definition in the config (a hash of
 * what shapes a recording) and the golden it was compared against (a hash
 * of its bytes, or none).  `update --from DIR` blesses the recording as it
 * is only while both are still what they were (see man gtdiff, update).
 *
 * One manifest per case, not one per directory: shards and parallel checks
 * write theirs without sharing a file, and the artifacts of several jobs
 * downloaded side by side (DIR/<artifact>/...) are found all the same.
 *
 * Library code: returns a status and fills a struct gt_error; prints nothing.
 */
#ifndef GT_PENDING_H
#define GT_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gtconfig.h"
#include "util.h"

#define GT_PENDING_FORMAT "gtdiff-pending"
#define GT_PENDING_VERSION 1
#define GT_PENDING_SUFFIX ".pending.json"

/* A manifest.  Owns its strings; release with gt_pending_free. */
struct gt_pending {
	char *path;          /* the manifest file (set by gt_pending_load) */
	char *name;          /* the case */
	uint64_t case_hash;  /* gt_pending_case_hash when the run was recorded */
	bool has_golden;     /* false: the case had no golden then */
	uint64_t golden_hash; /* xxh3 of the golden file's bytes */
	uint64_t run_hash;   /* xxh3 of <case>.new.json's bytes */
	unsigned runs;       /* runs in the recording (for the reader) */
};

/* xxh3 of what shapes a recording of case C: the command (run or shell),
 * its working directory, stdin, env, keep_env, setup, teardown, fresh_cwd,
 * runs, backend and the canonicalize section.  Paths below the config's
 * directory count relative to it, so that a CI checkout elsewhere hashes
 * the same.  Not in it: the tolerances, budgets, timeout and expect_exit,
 * which judge a golden rather than make it (update --from checks the
 * recording's exit status against the expect_exit of the day). */
uint64_t gt_pending_case_hash(const struct gt_config *cfg, const struct gt_case *c);

/* xxh3 of the bytes of PATH (a file gtdiff owns, read with
 * gt_read_file_regular and the cap MAX).  *EXISTS false (and GT_OK) when
 * there is no such file. */
enum gt_rc gt_pending_file_hash(const char *path, uint64_t max, bool *exists, uint64_t *hash,
				struct gt_error *err);

/* DIR/<NAME>.pending.json and DIR/<NAME>.new.json beside a manifest at
 * MANIFEST.  Allocated. */
char *gt_pending_path(const char *dir, const char *name);
char *gt_pending_run_path(const char *manifest);

/* Write P as a manifest to PATH (atomically, a regular file only). */
enum gt_rc gt_pending_save(const struct gt_pending *p, const char *path, struct gt_error *err);

/* Read the manifest at PATH into *OUT (zeroed first; free with
 * gt_pending_free even on failure).  GT_ERR_FORMAT for anything but a
 * manifest of this version whose case name is the file's (<case>.pending.json),
 * GT_ERR_VERSION for a newer one, with a message naming PATH and what is
 * wrong. */
enum gt_rc gt_pending_load(const char *path, struct gt_pending *out, struct gt_error *err);
void gt_pending_free(struct gt_pending *p);

/* The manifests in DIR and in its subdirectories down to two levels (an
 * artifact keeps the directory it was uploaded from: DIR/gtdiff-runs/;
 * several downloaded side by side: DIR/<artifact>/gtdiff-runs/), as
 * allocated paths in a sorted,
 * NULL-terminated vector *OUT (NULL when none).  Returns how many, or -1
 * with ERR when DIR cannot be read. */
long gt_pending_find(const char *dir, char ***out, struct gt_error *err);

#endif

/*
 * report-merge: `gtdiff report merge`: the JSON reports of the shards of a
 * check (--shard I/N in a CI matrix) joined into one report with one
 * verdict.
 *
 * The merged JSON keeps every case object of the shards as it was written
 * (fields it does not know included) and recomputes the totals:
 *
 *   {"format": "gtdiff-report", "version": 1, "passed", "failed", "errors",
 *    "seconds" (the shards' sum), "merged_from": [{"file", "shard" (as the
 *    file has it, or null), "seconds"}], "cases": [the shards' cases, the
 *    shards in the order of their index, else as given],
 *    "obsolete": [each path once], "problems": [messages]}
 *
 * A problem is what makes the whole untrustworthy, each message naming the
 * file: a report that cannot be read or is not a gtdiff report (none of
 * its cases is taken), one written by a newer gtdiff, an interrupted shard,
 * a case in two reports (the first is kept), and, when the reports record
 * their shard I/N, shards that disagree on N, one given twice, and the
 * shards of which no report was given.
 */
#ifndef GT_REPORT_MERGE_H
#define GT_REPORT_MERGE_H

#include <stddef.h>

#include "report.h"
#include "util.h"

struct gt_merge {
	struct gt_report rep;  /* the merged cases, for the text and JUnit
				* reports (without the coloured diffs) */
	char **problems;       /* owned messages */
	size_t nproblems;
	void *json;            /* the merged document (json_t), owned */
};

/* Merge the N reports PATHS into M (zeroed by the caller; free with
 * gt_merge_free).  Never fails: what is wrong is in M->problems. */
void gt_merge_reports(const char *const *paths, size_t n, struct gt_merge *m);
/* Write the merged JSON report to PATH atomically ("-": stdout); fails
 * with GT_ERR_IO naming PATH. */
enum gt_rc gt_merge_save_json(const struct gt_merge *m, const char *path, struct gt_error *err);
/* 2 when there is a problem or an error, else 1 when a case regressed,
 * else 0. */
int gt_merge_exit_status(const struct gt_merge *m);
void gt_merge_free(struct gt_merge *m);

#endif

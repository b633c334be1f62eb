/*
 * trace-json: the golden trace file format (JSON), version 1.  The loader
 * (trace-json.c) is the only module that includes jansson.h; the writer
 * (trace-json-write.c) writes by hand.
 *
 * The writer's layout is fixed (key order, one event per line, one syscall
 * statistic per line) so that a golden change reads well in `git diff`.  The
 * loader validates everything and names the file and what is wrong.
 */
#ifndef GT_TRACE_JSON_H
#define GT_TRACE_JSON_H

#include "trace.h"
#include "util.h"

/* Serialise T into a newly allocated NUL-terminated string (caller frees). */
char *gt_trace_to_json(const struct gt_trace *t);

/* Write T to PATH atomically (see gt_write_file_atomic); "-" is stdout. */
enum gt_rc gt_trace_save(const struct gt_trace *t, const char *path, struct gt_error *err);

/* Write T as a golden or kept run: like gt_trace_save, through
 * gt_write_file_regular (never through a link, never in place). */
enum gt_rc gt_trace_save_golden(const struct gt_trace *t, const char *path,
				struct gt_error *err);

/* Parse a trace from the LEN bytes at DATA; NAME is used in messages.
 * On success *OUT is a new trace (caller frees).  Errors: GT_ERR_FORMAT for
 * anything malformed (empty, truncated, not JSON, wrong "format", missing or
 * mistyped fields, bad event lines), GT_ERR_VERSION for a newer version. */
enum gt_rc gt_trace_parse(const char *data, size_t len, const char *name, struct gt_trace **out,
			  struct gt_error *err);

/* Read and parse the file PATH; GT_ERR_IO if it cannot be read. */
enum gt_rc gt_trace_load(const char *path, struct gt_trace **out, struct gt_error *err);

/* Read and parse a golden or kept run PATH through gt_read_file_regular
 * (no FIFO, device or link out of its directory; at most MAX bytes). */
enum gt_rc gt_trace_load_golden(const char *path, uint64_t max, struct gt_trace **out,
				struct gt_error *err);

/* Load PATH_A into *A and PATH_B into *B, the two at once on two threads
 * (gtdiff diff: two big traces load in about the time of one).  On failure
 * both are NULL and ERR is the first file's error if it has one, else the
 * second's. */
enum gt_rc gt_trace_load_pair(const char *path_a, const char *path_b, struct gt_trace **a,
			      struct gt_trace **b, struct gt_error *err);

/* For tests: how many gt_trace_parse calls so far took the event scanner's
 * path, which GTDIFF_JSON_FASTPATH=0 turns off (see trace-json.c). */
unsigned long gt_trace_json_fastpath_count(void);

#endif

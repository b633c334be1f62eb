/*
 * trace-json-stacks: the call stacks of a trace file (record --stacks), read
 * by the loader (trace-json.c) once the processes are in.  Internal to the
 * trace-json modules.
 */
#ifndef GT_TRACE_JSON_STACKS_H
#define GT_TRACE_JSON_STACKS_H

#include "trace.h"
#include "util.h"

struct json_t;

/* Read the optional "stacks" table of ROOT (the document) into T->stacks,
 * and each thread's optional "stacks" (parallel to its "events") into its
 * events, T's processes and threads being those of ROOT's "processes" in
 * order.  NAME names the file in messages.  Fails with GT_ERR_FORMAT and
 * "NAME: where: what is wrong". */
enum gt_rc gt_trace_json_stacks_load(struct json_t *root, struct gt_trace *t, const char *name,
				     struct gt_error *err);

#endif

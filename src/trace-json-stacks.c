/*
 * trace-json-stacks: the loader of a trace file's call stacks (see
 * trace-json-stacks.h; the writer is trace-json-write.c).  Both keys are
 * optional and a version 1 reader that predates them ignores them, as it
 * ignores every key it does not know.
 */
#include "config.h"

#include "trace-json-stacks.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>

static enum gt_rc bad(struct gt_error *err, const char *name, const char *where, const char *what)
{
	return gt_error_set(err, GT_ERR_FORMAT, "%s: %s %s", name, where, what);
}

/* A string or null member KEY of OBJ into *OUT. */
static bool opt_str(json_t *obj, const char *key, const char **out)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return true;
	*out = json_string_value(v);
	return *out != NULL;
}

static bool opt_uint(json_t *obj, const char *key, uint64_t max, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);

	*out = 0;
	if (!v)
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return false;
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static enum gt_rc load_frame(json_t *jf, struct gt_frame *f, const char *name, const char *where,
			     struct gt_error *err)
{
	uint64_t line;

	if (!json_is_object(jf))
		return bad(err, name, where, "must be an object");
	if (!opt_str(jf, "module", &f->module) || !opt_str(jf, "symbol", &f->symbol) ||
	    !opt_str(jf, "file", &f->file))
		return bad(err, name, where, "has a \"module\", \"symbol\" or \"file\" that is "
			   "not a string or null");
	if (!opt_uint(jf, "offset", INT64_MAX, &f->offset) ||
	    !opt_uint(jf, "symoff", INT64_MAX, &f->symoff) || !opt_uint(jf, "line", UINT_MAX, &line))
		return bad(err, name, where, "has an \"offset\", \"symoff\" or \"line\" that is "
			   "not a whole number from 0");
	f->line = (unsigned)line;
	return GT_OK;
}

/* The table: file number K + 1 is table number IDS[K]. */
static enum gt_rc load_table(json_t *table, struct gt_trace *t, uint32_t *ids, const char *name,
			     struct gt_error *err)
{
	struct gt_frame frames[GT_STACK_MAX_FRAMES];
	char where[96];
	json_t *js, *jf;
	size_t i, k;
	enum gt_rc rc;

	json_array_foreach(table, i, js) {
		snprintf(where, sizeof(where), "stacks[%zu]", i);
		if (!json_is_array(js) || json_array_size(js) == 0 ||
		    json_array_size(js) > GT_STACK_MAX_FRAMES)
			return bad(err, name, where, "must be an array of 1 to 64 frames");
		json_array_foreach(js, k, jf) {
			snprintf(where, sizeof(where), "stacks[%zu][%zu]", i, k);
			rc = load_frame(jf, &frames[k], name, where, err);
			if (rc != GT_OK)
				return rc;
		}
		ids[i] = gt_stacks_add(t->stacks, frames, json_array_size(js));
	}
	return GT_OK;
}

static enum gt_rc load_thread(json_t *jt, struct gt_thread *th, const uint32_t *ids, size_t n,
			      const char *name, const char *where, struct gt_error *err)
{
	json_t *js = json_object_get(jt, "stacks"), *v;
	size_t k;

	if (!js)
		return GT_OK;
	if (!json_is_array(js) || json_array_size(js) != th->nevents)
		return bad(err, name, where, "must be an array with a number for each event");
	json_array_foreach(js, k, v) {
		json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;

		if (x < 0 || (uint64_t)x > n)
			return bad(err, name, where, "must hold stack numbers of \"stacks\" (or 0)");
		th->events[k].stack = x ? ids[x - 1] : 0;
	}
	return GT_OK;
}

enum gt_rc gt_trace_json_stacks_load(json_t *root, struct gt_trace *t, const char *name,
				     struct gt_error *err)
{
	json_t *table = json_object_get(root, "stacks");
	json_t *procs = json_object_get(root, "processes");
	uint32_t *ids = NULL;
	size_t n = 0;
	char where[96];
	enum gt_rc rc = GT_OK;

	if (table) {
		if (!json_is_array(table))
			return bad(err, name, "\"stacks\"", "must be an array");
		n = json_array_size(table);
		ids = xcalloc(n ? n : 1, sizeof(*ids));
		t->stacks = gt_stacks_new();
		rc = load_table(table, t, ids, name, err);
	}
	/* The loader checked the shape of the processes and threads. */
	for (size_t i = 0; rc == GT_OK && i < t->nprocs && i < json_array_size(procs); i++) {
		json_t *threads = json_object_get(json_array_get(procs, i), "threads");

		for (size_t j = 0; rc == GT_OK && j < t->procs[i].nthreads &&
				   j < json_array_size(threads); j++) {
			snprintf(where, sizeof(where), "processes[%zu].threads[%zu].stacks", i, j);
			rc = load_thread(json_array_get(threads, j), &t->procs[i].threads[j], ids, n,
					 name, where, err);
		}
	}
	free(ids);
	return rc;
}

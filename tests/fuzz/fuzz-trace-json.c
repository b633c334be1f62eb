/*
 * fuzz-trace-json: libFuzzer target for the golden trace loader.  Any input
 * must be refused with a message or loaded; a loaded trace must serialise to
 * a file that loads again and serialises to the same bytes.
 *
 * It is also differential: the loader has two paths (the event scanner's,
 * json-events.c, and jansson's alone, forced by GTDIFF_JSON_FASTPATH=0), and
 * for any input they must give the same return code, the same message and,
 * when they load it, the same trace.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What one parse gave. */
struct outcome {
	enum gt_rc rc;
	struct gt_error err;
	struct gt_trace *t;           /* the trace, when loaded */
	char *json;                   /* and written again */
};

/* Parse the SIZE bytes at DATA with the event scanner allowed or not, then
 * put GTDIFF_JSON_FASTPATH back as it was. */
static void parse_with(const uint8_t *data, size_t size, int fastpath, struct outcome *o)
{
	const char *v = getenv("GTDIFF_JSON_FASTPATH");
	char *saved = v ? strdup(v) : NULL;

	if (v && !saved)
		abort();
	memset(o, 0, sizeof(*o));
	if (fastpath)
		unsetenv("GTDIFF_JSON_FASTPATH");
	else
		setenv("GTDIFF_JSON_FASTPATH", "0", 1);
	o->rc = gt_trace_parse((const char *)data, size, "fuzz", &o->t, &o->err);
	if (saved)
		setenv("GTDIFF_JSON_FASTPATH", saved, 1);
	else
		unsetenv("GTDIFF_JSON_FASTPATH");
	free(saved);
	/* A trace exactly when the load succeeds. */
	if ((o->rc == GT_OK) != (o->t != NULL))
		abort();
	if (o->t)
		o->json = gt_trace_to_json(o->t);
}

static void outcome_free(struct outcome *o)
{
	free(o->json);
	gt_trace_free(o->t);
}

/* The two paths disagree: say how (libFuzzer shows stderr), then crash. */
static void disagree(const char *what, const struct outcome *fast, const struct outcome *plain)
{
	fprintf(stderr, "fuzz-trace-json: the two loader paths differ in %s\n"
		"  fast path:  rc %d, %s\n  plain path: rc %d, %s\n", what,
		(int)fast->rc, fast->rc == GT_OK ? "loaded" : fast->err.msg,
		(int)plain->rc, plain->rc == GT_OK ? "loaded" : plain->err.msg);
	if (fast->json && plain->json)
		fprintf(stderr, "--- fast path\n%s--- plain path\n%s", fast->json, plain->json);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome fast, plain;
	struct gt_trace *t2 = NULL;
	struct gt_error err = {0};
	char *json2;

	parse_with(data, size, 1, &fast);
	parse_with(data, size, 0, &plain);
	if (fast.rc != plain.rc)
		disagree("the return code", &fast, &plain);
	if (fast.rc != GT_OK && strcmp(fast.err.msg, plain.err.msg) != 0)
		disagree("the message", &fast, &plain);
	if (fast.rc == GT_OK
	    && (strcmp(fast.json, plain.json) != 0 || fast.t->hash != plain.t->hash))
		disagree("the trace loaded", &fast, &plain);

	if (fast.rc != GT_OK) {
		/* Every refusal says why, and names the input. */
		if (strncmp(fast.err.msg, "fuzz: ", 6) != 0 || fast.err.msg[6] == '\0')
			abort();
		goto out;
	}
	if (gt_trace_parse(fast.json, strlen(fast.json), "fuzz-again", &t2, &err) != GT_OK)
		abort();
	json2 = gt_trace_to_json(t2);
	if (strcmp(fast.json, json2) != 0 || fast.t->hash != t2->hash)
		abort();
	free(json2);
	gt_trace_free(t2);
out:
	outcome_free(&fast);
	outcome_free(&plain);
	return 0;
}

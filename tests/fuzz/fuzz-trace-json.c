/*
 * fuzz-trace-json: libFuzzer target for the golden trace loader.  Any input
 * must be refused with a message or loaded; a loaded trace must serialise to
 * a file that loads again and serialises to the same bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_trace *t = NULL, *t2 = NULL;
	struct gt_error err = {0};
	char *json, *json2;

	if (gt_trace_parse((const char *)data, size, "fuzz", &t, &err) != GT_OK) {
		/* Every refusal says why, and names the input. */
		if (strncmp(err.msg, "fuzz: ", 6) != 0 || err.msg[6] == '\0')
			abort();
		return 0;
	}
	json = gt_trace_to_json(t);
	if (gt_trace_parse(json, strlen(json), "fuzz-again", &t2, &err) != GT_OK)
		abort();
	json2 = gt_trace_to_json(t2);
	if (strcmp(json, json2) != 0 || t->hash != t2->hash)
		abort();
	free(json);
	free(json2);
	gt_trace_free(t);
	gt_trace_free(t2);
	return 0;
}

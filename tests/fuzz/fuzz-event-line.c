/*
 * fuzz-event-line: libFuzzer target for the event line parser.  Any input
 * must be refused with a message or parsed; a parsed line must format to a
 * line that parses again to the same parts and formats to the same bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Format PARTS as an event of T, append the text to B and return the event's
 * hash. */
static uint64_t format_parts(struct gt_trace *t, struct gt_thread *th,
			     const struct gt_event_parts *parts, struct gt_buf *b)
{
	const struct gt_event *e;

	e = gt_thread_add_event(t, th, parts->call, (const char *const *)parts->args,
				parts->nargs, parts->ret, parts->count);
	gt_event_format(b, e, true);
	return e->hash;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_event_parts p1, p2;
	struct gt_error err = {0};
	struct gt_buf b1 = {0}, b2 = {0};
	struct gt_trace *t;
	struct gt_thread *th;
	char *text;
	uint64_t h1, h2;

	/* The parser takes a C string: stop at the first NUL, like a caller. */
	text = strndup((const char *)data, size);
	if (!text)
		return 0;
	if (gt_event_parse(text, &p1, &err) != GT_OK) {
		if (err.rc != GT_ERR_FORMAT || err.msg[0] == '\0')
			abort();
		free(text);
		return 0;
	}
	t = gt_trace_new();
	th = gt_process_add_thread(t, gt_trace_add_process(t, "p1", NULL), "p1");
	h1 = format_parts(t, th, &p1, &b1);
	if (gt_event_parse(b1.s, &p2, &err) != GT_OK)
		abort();
	if (p1.nargs != p2.nargs || p1.count != p2.count || strcmp(p1.call, p2.call) != 0 ||
	    strcmp(p1.ret, p2.ret) != 0)
		abort();
	for (size_t i = 0; i < p1.nargs; i++) {
		if (strcmp(p1.args[i], p2.args[i]) != 0)
			abort();
	}
	h2 = format_parts(t, th, &p2, &b2);
	if (strcmp(b1.s, b2.s) != 0 || h1 != h2)
		abort();
	gt_event_parts_free(&p1);
	gt_event_parts_free(&p2);
	gt_buf_free(&b1);
	gt_buf_free(&b2);
	gt_trace_free(t);
	free(text);
	return 0;
}

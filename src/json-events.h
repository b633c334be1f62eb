/*
 * json-events: the event scanner of the trace loader (trace-json.c).
 */
#ifndef GT_JSON_EVENTS_H
#define GT_JSON_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

/* One events array: its strings follow each other in the arena. */
struct gt_json_ev_array {
	size_t start;                 /* offset of its first string */
	size_t n;                     /* how many strings */
};

struct gt_json_events {
	char *copy;                   /* the document, events arrays emptied */
	size_t copy_len;
	char *arena;                  /* the event strings, each NUL-terminated */
	size_t arena_len;
	struct gt_json_ev_array *arrays;      /* in document order */
	size_t narrays, cap;
	size_t next;                  /* the array the next thread takes */
};

/* Scan the LEN bytes at DATA (a trace document) into *EV: the copy with
 * the events arrays emptied, and their strings.  False, with nothing
 * allocated, if the scanner gives up or finds no event to take out (then
 * the copy would gain nothing). */
bool gt_json_events_scan(const char *data, size_t len, struct gt_json_events *ev);
void gt_json_events_free(struct gt_json_events *ev);

#endif

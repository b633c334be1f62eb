/*
 * json-events: the event scanner of the trace loader.
 *
 * A big trace is nearly all event lines, and jansson would make each one a
 * json_t of its own: slow to build, and several times the size of the text.
 * So before jansson runs, this strict scanner (RFC 8259) reads the document
 * once, decodes the strings of every thread's events array (root
 * "processes"[i] "threads"[j] "events") into one arena, and writes a copy of
 * the document with those arrays emptied.  jansson then parses the small
 * copy, and each thread that load_thread loads takes the next array the
 * scanner found: load_top and load_process walk "processes" and "threads" in
 * array order, and duplicate keys are refused, so the k-th thread loaded is
 * the k-th events array of the document (load_top checks that all were
 * taken).
 *
 * The scanner only has to be right when it succeeds.  At anything it does
 * not accept (a syntax error, an event that is not a string, "\u0000",
 * invalid UTF-8, a key spelt with escapes on the followed path, deep
 * nesting) it gives up, and the document is parsed as it is, so that the
 * message is the one it always was; likewise when jansson refuses the copy,
 * since the user wants the lines and columns of their file.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json-events.h"
#include "trace.h"
#include "util.h"

/* Deeper documents are left to jansson (whose own limit is 2048). */
#define SCAN_DEPTH_MAX 512

/* Where a value is, as far as the scanner cares. */
enum role {
	R_OTHER,
	R_ROOT,                       /* the top-level value */
	R_PROCESSES,                  /* the root's "processes" */
	R_PROCESS,                    /* an element of it */
	R_THREADS,                    /* a process's "threads" */
	R_THREAD,                     /* an element of it */
	R_EVENTS,                     /* a thread's "events" */
};

struct scan {
	const char *p, *end;          /* what is left of the document */
	const char *copied;           /* the copy has the document up to here */
	struct gt_json_events *out;
	unsigned depth;
};

void gt_json_events_free(struct gt_json_events *ev)
{
	free(ev->copy);
	free(ev->arena);
	free(ev->arrays);
	memset(ev, 0, sizeof(*ev));
}

static bool at(const struct scan *s, char c)
{
	return s->p < s->end && *s->p == c;
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

/* Four hex digits of a \u escape. */
static bool scan_hex4(struct scan *s, uint32_t *cp)
{
	uint32_t v = 0;

	if (s->end - s->p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		char c = *s->p++;

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v << 4 | (uint32_t)(c - 'A' + 10);
		else
			return false;
	}
	*cp = v;
	return true;
}

/* The escape after a backslash, as a code point.  Surrogates must come in
 * pairs, and U+0000 is refused as jansson does (the loader's strings are C
 * strings). */
static bool scan_escape(struct scan *s, uint32_t *cp)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	uint32_t lo;

	if (s->p == s->end)
		return false;
	if (*s->p != 'u') {
		e = memchr(from, *s->p, sizeof(from) - 1);
		if (!e)
			return false;
		s->p++;
		*cp = (unsigned char)to[e - from];
		return true;
	}
	s->p++;
	if (!scan_hex4(s, cp) || *cp == 0 || (*cp >= 0xdc00 && *cp <= 0xdfff))
		return false;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return true;
	if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
		return false;
	s->p += 2;
	if (!scan_hex4(s, &lo) || lo < 0xdc00 || lo > 0xdfff)
		return false;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return true;
}

/* Write CP as UTF-8 at DST (unless NULL); returns its length. */
static size_t put_utf8(char *dst, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (dst)
		memcpy(dst, u, n);
	return n;
}

/* The rest of a string whose opening quote was just read, decoded to DST
 * (unless NULL: then only checked); *N is the decoded length.  Runs of plain
 * ASCII are copied whole. */
static bool scan_string(struct scan *s, char *dst, size_t *n)
{
	size_t k = 0, len;
	uint32_t cp;

	while (s->p < s->end) {
		const char *run = s->p;
		unsigned char c;

		while (s->p < s->end && (unsigned char)*s->p >= 0x20 && (unsigned char)*s->p < 0x80
		       && *s->p != '"' && *s->p != '\\')
			s->p++;
		if (dst)
			memcpy(dst + k, run, (size_t)(s->p - run));
		k += (size_t)(s->p - run);
		if (s->p == s->end)
			break;
		c = (unsigned char)*s->p;
		if (c == '"') {
			s->p++;
			*n = k;
			return true;
		}
		if (c == '\\') {
			s->p++;
			if (!scan_escape(s, &cp))
				return false;
			k += put_utf8(dst ? dst + k : NULL, cp);
			continue;
		}
		len = c < 0x20 ? 0 : gt_trace_utf8_len(s->p, (size_t)(s->end - s->p));
		if (len == 0)
			return false;
		if (dst)
			memcpy(dst + k, s->p, len);
		k += len;
		s->p += len;
	}
	return false;
}

/* One or more digits. */
static bool scan_digits(struct scan *s)
{
	const char *from = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > from;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?  (jansson checks the
 * range on the copy, where numbers stay as they are). */
static bool scan_number(struct scan *s)
{
	if (at(s, '-'))
		s->p++;
	if (at(s, '0'))
		s->p++;
	else if (!scan_digits(s))
		return false;
	if (at(s, '.')) {
		s->p++;
		if (!scan_digits(s))
			return false;
	}
	if (at(s, 'e') || at(s, 'E')) {
		s->p++;
		if (at(s, '+') || at(s, '-'))
			s->p++;
		if (!scan_digits(s))
			return false;
	}
	return true;
}

static bool scan_word(struct scan *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return false;
	s->p += n;
	return true;
}

/* The role of the value of key KEY (N bytes as written) in an object of
 * role PARENT. */
static enum role child_role(enum role parent, const char *key, size_t n)
{
	static const struct {
		enum role parent, child;
		const char *key;
	} path[] = {
		{R_ROOT, R_PROCESSES, "processes"},
		{R_PROCESS, R_THREADS, "threads"},
		{R_THREAD, R_EVENTS, "events"},
	};

	for (size_t i = 0; i < GT_ARRAY_SIZE(path); i++) {
		if (parent == path[i].parent && strlen(path[i].key) == n
		    && memcmp(key, path[i].key, n) == 0)
			return path[i].child;
	}
	return R_OTHER;
}

static bool scan_value(struct scan *s, enum role role);

static bool scan_object(struct scan *s, enum role role)
{
	s->p++;
	skip_ws(s);
	if (at(s, '}')) {
		s->p++;
		return true;
	}
	for (;;) {
		const char *key;
		size_t n;

		if (!at(s, '"'))
			return false;
		s->p++;
		key = s->p;
		if (!scan_string(s, NULL, &n))
			return false;
		n = (size_t)(s->p - 1 - key);
		/* "even\u0074s" is "events" to jansson. */
		if (role != R_OTHER && memchr(key, '\\', n))
			return false;
		skip_ws(s);
		if (!at(s, ':'))
			return false;
		s->p++;
		skip_ws(s);
		if (!scan_value(s, child_role(role, key, n)))
			return false;
		skip_ws(s);
		if (at(s, '}')) {
			s->p++;
			return true;
		}
		if (!at(s, ','))
			return false;
		s->p++;
		skip_ws(s);
	}
}

static bool scan_array(struct scan *s, enum role elem)
{
	s->p++;
	skip_ws(s);
	if (at(s, ']')) {
		s->p++;
		return true;
	}
	for (;;) {
		if (!scan_value(s, elem))
			return false;
		skip_ws(s);
		if (at(s, ']')) {
			s->p++;
			return true;
		}
		if (!at(s, ','))
			return false;
		s->p++;
		skip_ws(s);
	}
}

/* One event: a string, decoded to the end of the arena and NUL-terminated. */
static bool scan_event(struct scan *s)
{
	struct gt_json_events *ev = s->out;
	size_t n;

	if (!at(s, '"'))
		return false;
	s->p++;
	if (!scan_string(s, ev->arena + ev->arena_len, &n))
		return false;
	ev->arena_len += n;
	ev->arena[ev->arena_len++] = '\0';
	return true;
}

/* A thread's events array: its strings go to the arena, and the copy gets
 * "[]" for it. */
static bool scan_events(struct scan *s)
{
	struct gt_json_events *ev = s->out;
	struct gt_json_ev_array *a;
	const char *open = s->p;

	xgrow((void **)&ev->arrays, &ev->cap, ev->narrays + 1, sizeof(*ev->arrays));
	a = &ev->arrays[ev->narrays++];
	a->start = ev->arena_len;
	a->n = 0;
	s->p++;
	skip_ws(s);
	while (!at(s, ']')) {
		if (a->n) {
			if (!at(s, ','))
				return false;
			s->p++;
			skip_ws(s);
		}
		if (!scan_event(s))
			return false;
		a->n++;
		skip_ws(s);
	}
	/* The copy: everything since the last cut, up to and with the '['. */
	memcpy(ev->copy + ev->copy_len, s->copied, (size_t)(open + 1 - s->copied));
	ev->copy_len += (size_t)(open + 1 - s->copied);
	s->copied = s->p++;
	return true;
}

static bool scan_value(struct scan *s, enum role role)
{
	size_t n;
	bool ok;

	if (s->p == s->end || s->depth == SCAN_DEPTH_MAX)
		return false;
	s->depth++;
	switch (*s->p) {
	case '{':
		ok = scan_object(s, role);
		break;
	case '[':
		if (role == R_EVENTS)
			ok = scan_events(s);
		else
			ok = scan_array(s, role == R_PROCESSES ? R_PROCESS
					   : role == R_THREADS ? R_THREAD : R_OTHER);
		break;
	case '"':
		s->p++;
		ok = scan_string(s, NULL, &n);
		break;
	case 't':
		ok = scan_word(s, "true");
		break;
	case 'f':
		ok = scan_word(s, "false");
		break;
	case 'n':
		ok = scan_word(s, "null");
		break;
	default:
		ok = scan_number(s);
		break;
	}
	s->depth--;
	return ok;
}

/* Scan the LEN bytes at DATA into *EV.  False if the scanner gives up, or
 * finds no event to take out (then the copy would gain nothing). */
bool gt_json_events_scan(const char *data, size_t len, struct gt_json_events *ev)
{
	struct scan s = {.p = data, .end = data + len, .copied = data, .out = ev};
	bool ok;

	memset(ev, 0, sizeof(*ev));
	/* A decoded string is shorter than its JSON text with the quotes, and
	 * the copy than the document: neither buffer has to grow.  Only the
	 * pages written to are ever backed by memory. */
	ev->arena = xmalloc(len + 1);
	ev->copy = xmalloc(len + 1);
	skip_ws(&s);
	ok = scan_value(&s, R_ROOT);
	skip_ws(&s);
	if (!ok || s.p != s.end || ev->arena_len == 0) {
		gt_json_events_free(ev);
		return false;
	}
	memcpy(ev->copy + ev->copy_len, s.copied, (size_t)(s.end - s.copied));
	ev->copy_len += (size_t)(s.end - s.copied);
	return true;
}


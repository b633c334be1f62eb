/*
 * trace: the canonical trace model (see trace.h): building the process tree,
 * the canonical text of an event and its inverse parser, and the xxh3 hashes
 * that the diff engine compares.
 */
#include "config.h"

#include "trace.h"

#include <assert.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#ifdef PACKAGE_VERSION
#define GENERATOR "gtdiff " PACKAGE_VERSION
#else
#define GENERATOR "gtdiff"
#endif

/* U+00D7 MULTIPLICATION SIGN, as in "read(3, 832) = 832 ×4". */
#define TIMES " \xc3\x97"

/* How much of a malformed event line an error message quotes. */
#define QUOTE_MAX 60

/* How deeply brackets may nest inside one event line. */
#define NEST_MAX 64

/* Most pieces an event's text is made of (see event_pieces): the call, "(",
 * the arguments and the ", " between them, ") = ", the return and the count. */
#define PIECES_MAX (2 * GT_MAX_ARGS + 4)

/* Event texts up to this long are hashed without allocating. */
#define HASH_STACK 512

/* Room for " ×4294967295" and its NUL. */
#define COUNT_MAX 16

size_t gt_trace_utf8_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0; /* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90; /* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	}
	return len;
}

/* How many bytes at the start of the N at S are valid UTF-8.  Trace texts
 * are nearly all ASCII, which is passed over without a call. */
static size_t utf8_valid_prefix(const char *s, size_t n)
{
	size_t i = 0, len;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		len = gt_trace_utf8_len(s + i, n - i);
		if (len == 0)
			break;
		i += len;
	}
	return i;
}

const char *gt_trace_str_utf8(struct gt_trace *t, const char *s)
{
	struct gt_buf b = {0};
	const char *r;
	size_t n, i, len;

	if (!s)
		return NULL;
	n = strlen(s);
	i = utf8_valid_prefix(s, n);
	if (i == n)
		return gt_strtab_intern_n(t->strs, s, n);
	gt_buf_add(&b, s, i);
	while (i < n) {
		len = gt_trace_utf8_len(s + i, n - i);
		if (len == 0) {
			gt_buf_puts(&b, "\xef\xbf\xbd");
			i++;
		} else {
			gt_buf_add(&b, s + i, len);
			i += len;
		}
	}
	r = gt_strtab_intern_n(t->strs, b.s, b.len);
	gt_buf_free(&b);
	return r;
}

struct gt_trace *gt_trace_new(void)
{
	struct gt_trace *t = xcalloc(1, sizeof(*t));

	t->strs = gt_strtab_new();
	t->version = GT_TRACE_VERSION;
	t->canon_version = GT_CANON_VERSION;
	t->generator = gt_trace_str(t, GENERATOR);
	t->returns_known = true;
	t->env.root = -1;
	return t;
}

void gt_trace_free(struct gt_trace *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nprocs; i++) {
		struct gt_process *p = &t->procs[i];

		for (size_t j = 0; j < p->nthreads; j++)
			free(p->threads[j].events);
		free(p->threads);
	}
	free(t->procs);
	for (size_t i = 0; i < t->nalts; i++)
		free(t->alts[i].events.events);
	free(t->alts);
	free(t->command);
	free(t->masked);
	free(t->unordered);
	free(t->unknown_returns);
	free(t->ignored);
	free(t->sysstats);
	free(t->runs);
	gt_stacks_free(t->stacks);
	gt_strtab_free(t->strs);
	free(t);
}

const char *gt_trace_str(struct gt_trace *t, const char *s)
{
	return s ? gt_strtab_intern(t->strs, s) : NULL;
}

struct gt_process *gt_trace_add_process(struct gt_trace *t, const char *id, const char *parent)
{
	struct gt_process *p;

	xgrow((void **)&t->procs, &t->procs_cap, t->nprocs + 1, sizeof(*t->procs));
	p = &t->procs[t->nprocs++];
	memset(p, 0, sizeof(*p));
	p->id = gt_trace_str_utf8(t, id);
	p->parent = gt_trace_str_utf8(t, parent);
	return p;
}

struct gt_thread *gt_process_add_thread(struct gt_trace *t, struct gt_process *p, const char *id)
{
	struct gt_thread *th;

	xgrow((void **)&p->threads, &p->cap, p->nthreads + 1, sizeof(*p->threads));
	th = &p->threads[p->nthreads++];
	memset(th, 0, sizeof(*th));
	th->id = gt_trace_str_utf8(t, id);
	return th;
}

struct gt_event *gt_thread_add_event(struct gt_trace *t, struct gt_thread *th, const char *call,
				     const char *const *args, size_t nargs, const char *ret,
				     uint32_t count)
{
	struct gt_event *e;

	/* Callers render at most GT_MAX_ARGS arguments; more is a bug. */
	assert(nargs <= GT_MAX_ARGS);
	assert(count >= 1);
	if (nargs > GT_MAX_ARGS)
		nargs = GT_MAX_ARGS;
	xgrow((void **)&th->events, &th->cap, th->nevents + 1, sizeof(*th->events));
	e = &th->events[th->nevents++];
	memset(e, 0, sizeof(*e));
	e->call = gt_trace_str_utf8(t, call ? call : "");
	for (size_t i = 0; i < nargs; i++)
		e->args[i] = gt_trace_str_utf8(t, args[i] ? args[i] : "");
	e->nargs = (uint8_t)nargs;
	e->ret = gt_trace_str_utf8(t, ret ? ret : "?");
	e->count = count ? count : 1;
	e->hash = gt_event_hash(e);
	return e;
}

struct gt_syscall_stat *gt_trace_sysstat(struct gt_trace *t, const char *name)
{
	size_t lo = 0, hi = t->nsysstats;
	struct gt_syscall_stat *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(t->sysstats[mid].name, name);

		if (c == 0)
			return &t->sysstats[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	xgrow((void **)&t->sysstats, &t->sysstats_cap, t->nsysstats + 1, sizeof(*t->sysstats));
	s = &t->sysstats[lo];
	memmove(s + 1, s, (t->nsysstats - lo) * sizeof(*s));
	t->nsysstats++;
	memset(s, 0, sizeof(*s));
	s->name = gt_trace_str(t, name);
	return s;
}

struct gt_alt *gt_trace_add_alt(struct gt_trace *t, const char *thread, size_t at, size_t len)
{
	struct gt_alt *a;

	xgrow((void **)&t->alts, &t->alts_cap, t->nalts + 1, sizeof(*t->alts));
	a = &t->alts[t->nalts++];
	memset(a, 0, sizeof(*a));
	a->events.id = gt_trace_str_utf8(t, thread);
	a->at = at;
	a->len = len;
	return a;
}

void gt_trace_add_masked(struct gt_trace *t, const char *what)
{
	xgrow((void **)&t->masked, &t->masked_cap, t->nmasked + 1, sizeof(*t->masked));
	t->masked[t->nmasked++] = gt_trace_str(t, what);
}

/* The arrays below have no capacity field in struct gt_trace: they are short
 * and built once, so they grow by one each time. */
static void append_str(struct gt_trace *t, const char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = gt_trace_str(t, s);
}

void gt_trace_add_command(struct gt_trace *t, const char *arg)
{
	append_str(t, &t->command, &t->ncommand, arg);
}

void gt_trace_add_unordered(struct gt_trace *t, const char *name)
{
	append_str(t, &t->unordered, &t->nunordered, name);
}

void gt_trace_add_unknown_return(struct gt_trace *t, const char *name)
{
	for (size_t i = 0; i < t->nunknown_returns; i++)
		if (strcmp(t->unknown_returns[i], name) == 0)
			return;
	append_str(t, &t->unknown_returns, &t->nunknown_returns, name);
}

bool gt_trace_return_unknown(const struct gt_trace *t, const char *call)
{
	if (!t->returns_known)
		return true;
	for (size_t i = 0; i < t->nunknown_returns; i++)
		if (strcmp(t->unknown_returns[i], call) == 0)
			return true;
	return false;
}

void gt_trace_add_ignored(struct gt_trace *t, const char *name)
{
	append_str(t, &t->ignored, &t->nignored, name);
}

void gt_trace_add_run(struct gt_trace *t, const struct gt_run_sample *r)
{
	xgrow((void **)&t->runs, &t->runs_cap, t->nruns + 1, sizeof(*t->runs));
	t->runs[t->nruns++] = *r;
}

void gt_trace_restat_runs(struct gt_trace *t)
{
	size_t n = t->nruns;
	double *v = xcalloc(n ? n : 1, sizeof(*v));

#define RUN_STAT(field)                                  \
	do {                                             \
		for (size_t k = 0; k < n; k++)           \
			v[k] = t->runs[k].field;         \
		t->field = gt_stat_of(v, n);             \
	} while (0)
	RUN_STAT(wall_s);
	RUN_STAT(user_s);
	RUN_STAT(sys_s);
	RUN_STAT(max_rss_kb);
	RUN_STAT(syscalls);
#undef RUN_STAT
	free(v);
}

/* The pieces of E's canonical text, in order, with " ×N" when WITH_COUNT and
 * the count is above 1 (written in COUNT): the formatter and the hashes all
 * go through here, so that they cannot disagree.  Returns how many. */
static size_t event_pieces(const struct gt_event *e, bool with_count, char count[COUNT_MAX],
			   const char *pieces[PIECES_MAX])
{
	size_t n = 0;

	pieces[n++] = e->call ? e->call : "";
	pieces[n++] = "(";
	for (size_t i = 0; i < e->nargs && i < GT_MAX_ARGS; i++) {
		if (i)
			pieces[n++] = ", ";
		pieces[n++] = e->args[i] ? e->args[i] : "";
	}
	pieces[n++] = ") = ";
	pieces[n++] = e->ret ? e->ret : "?";
	if (with_count && e->count > 1) {
		snprintf(count, COUNT_MAX, TIMES "%" PRIu32, e->count);
		pieces[n++] = count;
	}
	return n;
}

void gt_event_format(struct gt_buf *b, const struct gt_event *e, bool with_count)
{
	const char *pieces[PIECES_MAX];
	char count[COUNT_MAX];
	size_t n = event_pieces(e, with_count, count, pieces);

	for (size_t i = 0; i < n; i++)
		gt_buf_puts(b, pieces[i]);
}

/* E's canonical text (see event_pieces), for hashing: the hashes visit every
 * event of a trace, so the text is assembled in STACK (HASH_STACK bytes)
 * when it fits, and only a longer one (a big buffer argument) goes to B.
 * Returns the text, not NUL-terminated; *LEN is its length. */
static const char *event_text(const struct gt_event *e, bool with_count, char *stack,
			      struct gt_buf *b, size_t *len)
{
	const char *pieces[PIECES_MAX];
	size_t lens[PIECES_MAX];
	char count[COUNT_MAX];
	size_t n = event_pieces(e, with_count, count, pieces), total = 0, at = 0;

	for (size_t i = 0; i < n; i++) {
		lens[i] = strlen(pieces[i]);
		total += lens[i];
	}
	if (total > HASH_STACK) {
		gt_buf_reset(b);
		for (size_t i = 0; i < n; i++)
			gt_buf_add(b, pieces[i], lens[i]);
		*len = b->len;
		return b->s;
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(stack + at, pieces[i], lens[i]);
		at += lens[i];
	}
	*len = total;
	return stack;
}

/* The numbers of a byte-count return: "N", "ΣN", "N..M", "ΣN..M". */
static bool parse_bytes(const char *r, double *lo, double *hi)
{
	char *end;

	if (!r)
		return false;
	if (strncmp(r, GT_BYTES_TOTAL, sizeof(GT_BYTES_TOTAL) - 1) == 0)
		r += sizeof(GT_BYTES_TOTAL) - 1;
	if (*r < '0' || *r > '9')
		return false;
	/* Whole numbers: strtod would take "296." of "296..328". */
	*lo = (double)strtoull(r, &end, 10);
	if (*end == '.' && end[1] == '.' && end[2] >= '0' && end[2] <= '9')
		*hi = (double)strtoull(end + 2, &end, 10);
	else
		*hi = *lo;
	return !*end && *hi > 0;
}

bool gt_event_bytes(const struct gt_event *e, double *lo, double *hi)
{
	return gt_syscall_bytes_arg(e->call) >= 0 && parse_bytes(e->ret, lo, hi);
}

const struct gt_event *gt_event_identity(const struct gt_event *e, struct gt_event *shadow)
{
	int arg = gt_syscall_bytes_arg(e->call);
	double lo, hi;

	if (arg < 0)
		return e;
	*shadow = *e;
	if (arg < shadow->nargs)
		shadow->args[arg] = GT_BYTES_ANY;
	if (parse_bytes(e->ret, &lo, &hi))
		shadow->ret = GT_BYTES_ANY;
	return shadow;
}

bool gt_event_is_loop(const struct gt_event *e)
{
	return e->call && strcmp(e->call, GT_LOOP_CALL) == 0;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

bool gt_event_same(const struct gt_event *a, const struct gt_event *b)
{
	struct gt_event sa, sb;

	if (a->hash != b->hash)
		return false;
	/* Byte-count calls collapse by identity: their bytes add up. */
	a = gt_event_identity(a, &sa);
	b = gt_event_identity(b, &sb);
	if (!same_str(a->call, b->call) || a->nargs != b->nargs ||
	    !same_str(a->ret, b->ret))
		return false;
	for (size_t i = 0; i < a->nargs && i < GT_MAX_ARGS; i++)
		if (!same_str(a->args[i], b->args[i]))
			return false;
	return true;
}

/* The return of a run of byte-count events: the bytes of A and B added up
 * (bands add up at both ends). */
const char *gt_event_add_bytes(struct gt_trace *t, const struct gt_event *a,
			       const struct gt_event *b)
{
	double alo, ahi, blo, bhi;
	char buf[80];

	if (!gt_event_bytes(a, &alo, &ahi) || !gt_event_bytes(b, &blo, &bhi))
		return a->ret;
	if (alo + blo == ahi + bhi)
		snprintf(buf, sizeof(buf), GT_BYTES_TOTAL "%.0f", alo + blo);
	else
		snprintf(buf, sizeof(buf), GT_BYTES_TOTAL "%.0f..%.0f", alo + blo, ahi + bhi);
	return gt_trace_str(t, buf);
}

uint64_t gt_event_hash(const struct gt_event *e)
{
	struct gt_event shadow;
	char stack[HASH_STACK];
	struct gt_buf b = {0};
	size_t len;
	const char *text = event_text(gt_event_identity(e, &shadow), false, stack, &b, &len);
	uint64_t h = XXH3_64bits(text, len);

	gt_buf_free(&b);
	return h;
}

/* Feed one item to the hash as a tagged netstring, "T<len>:<bytes>\n": the
 * tag says what the item is and the length where it ends, so that no two
 * different trees feed the same bytes, whatever the texts contain.  The
 * goldens store this hash: changing the scheme changes every golden. */
static void hash_item(XXH3_state_t *st, char tag, const char *s, size_t n)
{
	char head[32];
	size_t at = sizeof(head), v = n;

	/* "%c%zu:", without printf: this runs for every event. */
	head[--at] = ':';
	do {
		head[--at] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	head[--at] = tag;
	XXH3_64bits_update(st, head + at, sizeof(head) - at);
	XXH3_64bits_update(st, s, n);
	XXH3_64bits_update(st, "\n", 1);
}

uint64_t gt_trace_hash(const struct gt_trace *t)
{
	XXH3_state_t *st = XXH3_createState();
	struct gt_buf b = {0};
	char stack[HASH_STACK];
	const char *text;
	size_t len;
	uint64_t h;

	if (!st)
		abort(); /* out of memory, as in xmalloc */
	XXH3_64bits_reset(st);
	for (size_t i = 0; i < t->nprocs; i++) {
		const struct gt_process *p = &t->procs[i];

		hash_item(st, 'P', p->id ? p->id : "", p->id ? strlen(p->id) : 0);
		for (size_t j = 0; j < p->nthreads; j++) {
			const struct gt_thread *th = &p->threads[j];

			hash_item(st, 'T', th->id ? th->id : "", th->id ? strlen(th->id) : 0);
			for (size_t k = 0; k < th->nevents; k++) {
				text = event_text(&th->events[k], true, stack, &b, &len);
				hash_item(st, 'E', text, len);
			}
		}
	}
	h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	gt_buf_free(&b);
	return h;
}

void gt_trace_rehash(struct gt_trace *t)
{
	for (size_t i = 0; i < t->nprocs; i++) {
		struct gt_process *p = &t->procs[i];

		for (size_t j = 0; j < p->nthreads; j++) {
			struct gt_thread *th = &p->threads[j];

			for (size_t k = 0; k < th->nevents; k++)
				th->events[k].hash = gt_event_hash(&th->events[k]);
		}
	}
	t->hash = gt_trace_hash(t);
}

uint64_t gt_trace_event_total(const struct gt_trace *t)
{
	uint64_t n = 0;

	for (size_t i = 0; i < t->nprocs; i++) {
		const struct gt_process *p = &t->procs[i];

		for (size_t j = 0; j < p->nthreads; j++)
			for (size_t k = 0; k < p->threads[j].nevents; k++)
				n += p->threads[j].events[k].count;
	}
	return n;
}

bool gt_trace_name_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

/* Fail parsing TEXT with a message "WHAT in event "TEXT"", quoting at most
 * QUOTE_MAX bytes of the text and escaping everything outside printable ASCII
 * so that the message is safe to print and to embed in JSON reports. */
static enum gt_rc parse_fail(struct gt_error *err, const char *what, const char *text)
{
	struct gt_buf q = {0};
	size_t n = strlen(text);
	enum gt_rc rc;

	gt_buf_quote(&q, text, n > QUOTE_MAX ? QUOTE_MAX : n);
	if (n > QUOTE_MAX) {
		/* Put the ellipsis inside the closing quote. */
		q.s[--q.len] = '\0';
		gt_buf_puts(&q, "...\"");
	}
	rc = gt_error_set(err, GT_ERR_FORMAT, "%s in event %s", what, q.s);
	gt_buf_free(&q);
	return rc;
}

static bool is_close(char c)
{
	return c == ')' || c == ']' || c == '}';
}

static char closer_of(char c)
{
	return c == '(' ? ')' : c == '[' ? ']' : '}';
}

/* Split the argument list that starts at S (just after the call's '(') into
 * PARTS, NUL-terminating each argument in place.  On success *END points at
 * the byte after the closing ')'.  Returns a message or NULL. */
static const char *split_args(char *s, struct gt_event_parts *parts, char **end)
{
	char stack[NEST_MAX];
	size_t depth = 0;
	char *arg = s;
	char *p = s;

	parts->nargs = 0;
	for (;; p++) {
		char c = *p;

		if (c == '\0')
			return depth ? "unbalanced brackets" : "missing ')'";
		if (c == '"') {
			for (p++; *p != '"'; p++) {
				if (*p == '\0')
					return "unbalanced quote";
				if (*p == '\\' && *++p == '\0')
					return "unbalanced quote";
			}
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			if (depth == NEST_MAX)
				return "brackets nested too deeply";
			stack[depth++] = closer_of(c);
			continue;
		}
		if (is_close(c)) {
			if (depth == 0 && c == ')')
				break;
			if (depth == 0 || stack[depth - 1] != c)
				return "unbalanced brackets";
			depth--;
			continue;
		}
		if (depth == 0 && c == ',' && p[1] == ' ') {
			if (parts->nargs == GT_MAX_ARGS)
				return "too many arguments";
			*p = '\0';
			parts->args[parts->nargs++] = arg;
			arg = p + 2;
			p++;
		}
	}
	/* p is at the closing ')'.  "f()" has no arguments, but "f(a, )" has an
	 * empty last one (and an event built with one empty argument formats as
	 * "f()": same text, same hash). */
	if (p != arg || parts->nargs > 0) {
		if (parts->nargs == GT_MAX_ARGS)
			return "too many arguments";
		parts->args[parts->nargs++] = arg;
	}
	*p = '\0';
	*end = p + 1;
	return NULL;
}

/* Parse the decimal count after " ×": 1 to UINT32_MAX, digits only. */
static bool parse_count(const char *s, uint32_t *count)
{
	uint64_t n = 0;

	if (*s == '\0' || *s == '0')
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > UINT32_MAX)
			return false;
	}
	*count = (uint32_t)n;
	return true;
}

/* Parse the event line S (a writable copy), splitting it in place into
 * PARTS.  Returns a message or NULL. */
static const char *parse_line(char *s, struct gt_event_parts *parts)
{
	char *open = strchr(s, '('), *end, *times;
	const char *msg;

	if (!open)
		return "missing '('";
	if (open == s)
		return "empty call name";
	if (!gt_trace_name_ok(s, (size_t)(open - s)))
		return "bad call name (only a-z, 0-9 and _ allowed)";
	*open = '\0';
	parts->call = s;
	msg = split_args(open + 1, parts, &end);
	if (msg)
		return msg;
	if (strncmp(end, " = ", 3) != 0)
		return "missing \" = \" after the arguments";
	parts->ret = end + 3;
	parts->count = 1;
	times = strstr(parts->ret, TIMES);
	if (times) {
		if (!parse_count(times + strlen(TIMES), &parts->count))
			return "bad count after \"\xc3\x97\"";
		*times = '\0';
	}
	return NULL;
}

/* Is TEXT valid UTF-8?  Event lines come from JSON, which is UTF-8; anything
 * else could not be written back unchanged.  *N is set to TEXT's length. */
static bool utf8_ok(const char *text, size_t *n)
{
	*n = strlen(text);
	return utf8_valid_prefix(text, *n) == *n;
}

enum gt_rc gt_event_parse(const char *text, struct gt_event_parts *parts, struct gt_error *err)
{
	const char *msg;
	size_t n;

	memset(parts, 0, sizeof(*parts));
	if (!utf8_ok(text, &n))
		return parse_fail(err, "invalid UTF-8", text);
	parts->storage_ = xstrndup(text, n);
	msg = parse_line(parts->storage_, parts);
	if (msg) {
		gt_event_parts_free(parts);
		return parse_fail(err, msg, text);
	}
	return GT_OK;
}

enum gt_rc gt_event_parse_buf(const char *text, struct gt_event_parts *parts,
			      struct gt_buf *buf, struct gt_error *err)
{
	const char *msg;
	size_t n;

	memset(parts, 0, sizeof(*parts));
	if (!utf8_ok(text, &n))
		return parse_fail(err, "invalid UTF-8", text);
	gt_buf_reset(buf);
	gt_buf_add(buf, text, n);
	msg = parse_line(buf->s, parts);
	if (msg) {
		memset(parts, 0, sizeof(*parts));
		return parse_fail(err, msg, text);
	}
	return GT_OK;
}

void gt_event_parts_free(struct gt_event_parts *parts)
{
	if (!parts)
		return;
	free(parts->storage_);
	memset(parts, 0, sizeof(*parts));
}

static void env_field(struct gt_buf *b, const char *name, const char *x, const char *y)
{
	if (!x || !y || strcmp(x, y) == 0)
		return;
	gt_buf_printf(b, "%s%s %s -> %s", b->len ? ", " : "", name, x, y);
}

char *gt_env_diff(const struct gt_trace_env *a, const struct gt_trace_env *b)
{
	struct gt_buf buf = {0};
	char x[16], y[16];

	env_field(&buf, "kernel", a->kernel, b->kernel);
	env_field(&buf, "libc", a->libc, b->libc);
	if (a->cpus && b->cpus) {
		snprintf(x, sizeof(x), "%d", a->cpus);
		snprintf(y, sizeof(y), "%d", b->cpus);
		env_field(&buf, "cpus", x, y);
	}
	env_field(&buf, "fs", a->fs, b->fs);
	if (a->root >= 0 && b->root >= 0)
		env_field(&buf, "root", a->root ? "yes" : "no", b->root ? "yes" : "no");
	return buf.len ? gt_buf_steal(&buf) : (gt_buf_free(&buf), NULL);
}

bool gt_trace_masked_event(const struct gt_trace *t, const char *masked, struct gt_buf *b)
{
	const char *sp = strchr(masked, ' ');
	unsigned long k;
	char *end;

	if (!sp || strncmp(sp, " event ", 7) != 0)
		return false;
	k = strtoul(sp + 7, &end, 10);
	if (k == 0 || (*end != ' ' && *end))
		return false;
	for (size_t i = 0; i < t->nprocs; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			if (strlen(th->id) == (size_t)(sp - masked) &&
			    strncmp(th->id, masked, (size_t)(sp - masked)) == 0 && k <= th->nevents) {
				gt_event_format(b, &th->events[k - 1], true);
				return true;
			}
		}
	return false;
}

/*
 * toml: the strict TOML subset reader (toml.h).  One pass over the bytes:
 * a line is blank, a comment, a [table] or [[array of tables]] header, or a
 * key = value pair; values are parsed by their first character.  The tree
 * is built as it goes; the first error stops the parse and frees it.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toml.h"

struct parser {
	const char *s;
	size_t len, pos;
	const char *name;
	int line;
	size_t line_start;
	struct gt_toml *root, *cur;
	struct gt_error *err;
};

#define MAX_DEPTH 64 /* nested arrays: enough for any config, bounded stack */

/* --- values ------------------------------------------------------------ */

static struct gt_toml *node_new(enum gt_toml_type type, int line, int col)
{
	struct gt_toml *t = xcalloc(1, sizeof(*t));

	t->type = type;
	t->line = line;
	t->col = col;
	return t;
}

void gt_toml_free(struct gt_toml *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		gt_toml_free(t->items[i]);
		if (t->keys)
			free(t->keys[i]);
	}
	free(t->items);
	free(t->keys);
	free(t->s);
	free(t);
}

static void push(struct gt_toml *parent, char *key, struct gt_toml *v)
{
	if (parent->n == parent->cap) {
		parent->cap = parent->cap ? 2 * parent->cap : 4;
		parent->items = xrealloc(parent->items, parent->cap * sizeof(*parent->items));
		if (parent->type == GT_TOML_TABLE)
			parent->keys = xrealloc(parent->keys, parent->cap * sizeof(*parent->keys));
	}
	if (parent->type == GT_TOML_TABLE)
		parent->keys[parent->n] = key;
	parent->items[parent->n++] = v;
}

const struct gt_toml *gt_toml_get(const struct gt_toml *table, const char *key)
{
	if (!table || table->type != GT_TOML_TABLE)
		return NULL;
	for (size_t i = 0; i < table->n; i++)
		if (strcmp(table->keys[i], key) == 0)
			return table->items[i];
	return NULL;
}

const char *gt_toml_type_name(enum gt_toml_type t)
{
	switch (t) {
	case GT_TOML_STRING:
		return "a string";
	case GT_TOML_INTEGER:
		return "an integer";
	case GT_TOML_FLOAT:
		return "a float";
	case GT_TOML_BOOL:
		return "a boolean";
	case GT_TOML_ARRAY:
		return "an array";
	case GT_TOML_TABLE:
		return "a table";
	}
	return "a value";
}

/* --- position and errors ---------------------------------------------- */

/* The 1-based column of byte offset AT, counted in characters. */
static int col_of(const struct parser *p, size_t at)
{
	int col = 1;

	for (size_t i = p->line_start; i < at && i < p->len; i++)
		if (((unsigned char)p->s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static enum gt_rc fail_at(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum gt_rc fail_at(struct parser *p, size_t at, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return gt_error_set(p->err, GT_ERR_FORMAT, "%s:%d:%d: %s", p->name, p->line, col_of(p, at),
			    what);
}

static int peek(const struct parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (unsigned char)p->s[p->pos + ahead] : -1;
}

static void skip_ws(struct parser *p)
{
	while (peek(p, 0) == ' ' || peek(p, 0) == '\t')
		p->pos++;
}

static bool at_newline(const struct parser *p)
{
	return peek(p, 0) == '\n' || (peek(p, 0) == '\r' && peek(p, 1) == '\n');
}

static void take_newline(struct parser *p)
{
	p->pos += peek(p, 0) == '\r' ? 2 : 1;
	p->line++;
	p->line_start = p->pos;
}

/* A comment runs to the end of the line; control characters other than
 * a tab are not allowed in it. */
static enum gt_rc skip_comment(struct parser *p)
{
	if (peek(p, 0) != '#')
		return GT_OK;
	while (p->pos < p->len && !at_newline(p)) {
		int c = peek(p, 0);

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail_at(p, p->pos, "control character 0x%02x in a comment", c);
		p->pos++;
	}
	return GT_OK;
}

/* After a header or a value: only blanks and a comment to the line's end. */
static enum gt_rc end_of_line(struct parser *p)
{
	enum gt_rc rc;

	skip_ws(p);
	rc = skip_comment(p);
	if (rc != GT_OK)
		return rc;
	if (p->pos >= p->len)
		return GT_OK;
	if (!at_newline(p))
		return fail_at(p, p->pos, "expected the end of the line, found '%c'", p->s[p->pos]);
	take_newline(p);
	return GT_OK;
}

/* Blanks, comments and newlines, as allowed inside an array. */
static enum gt_rc skip_ws_nl(struct parser *p)
{
	for (;;) {
		enum gt_rc rc;

		skip_ws(p);
		rc = skip_comment(p);
		if (rc != GT_OK)
			return rc;
		if (!at_newline(p))
			return GT_OK;
		take_newline(p);
	}
}

/* --- strings ------------------------------------------------------------ */

static void put_utf8(struct gt_buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		gt_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		gt_buf_putc(b, (char)(0xC0 | (cp >> 6)));
		gt_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		gt_buf_putc(b, (char)(0xE0 | (cp >> 12)));
		gt_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		gt_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		gt_buf_putc(b, (char)(0xF0 | (cp >> 18)));
		gt_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		gt_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		gt_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

static enum gt_rc unicode_escape(struct parser *p, int digits, struct gt_buf *b)
{
	size_t at = p->pos - 2;
	uint32_t cp = 0;

	for (int i = 0; i < digits; i++) {
		int c = peek(p, 0);
		int v = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;

		if (v < 0)
			return fail_at(p, at, "\\%c needs %d hexadecimal digits", digits == 4 ? 'u' : 'U',
				       digits);
		cp = cp * 16 + (uint32_t)v;
		p->pos++;
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return fail_at(p, at, "\\%c%0*X is not a Unicode scalar value", digits == 4 ? 'u' : 'U',
			       digits, (unsigned)cp);
	if (cp == 0)
		return fail_at(p, at, "a NUL character (\\u0000) is not allowed in a string");
	put_utf8(b, cp);
	return GT_OK;
}

/* A "basic" or 'literal' string at p->pos (on its opening quote). */
static enum gt_rc parse_string(struct parser *p, char **out)
{
	int quote = peek(p, 0);
	size_t start = p->pos;
	struct gt_buf b = {0};
	enum gt_rc rc = GT_OK;

	if (peek(p, 1) == quote && peek(p, 2) == quote)
		return fail_at(p, start, "multi-line strings (%c%c%c) are not supported", quote, quote,
			       quote);
	p->pos++;
	for (;;) {
		int c = peek(p, 0);

		if (c < 0 || c == '\n' || c == '\r') {
			rc = fail_at(p, start, "unterminated string");
			break;
		}
		if (c == quote) {
			p->pos++;
			break;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			rc = fail_at(p, p->pos, "control character 0x%02x in a string (escape it)", c);
			break;
		}
		p->pos++;
		if (c != '\\' || quote == '\'') {
			gt_buf_putc(&b, (char)c);
			continue;
		}
		c = peek(p, 0);
		p->pos++;
		switch (c) {
		case 'b': gt_buf_putc(&b, '\b'); break;
		case 't': gt_buf_putc(&b, '\t'); break;
		case 'n': gt_buf_putc(&b, '\n'); break;
		case 'f': gt_buf_putc(&b, '\f'); break;
		case 'r': gt_buf_putc(&b, '\r'); break;
		case '"': gt_buf_putc(&b, '"'); break;
		case '\\': gt_buf_putc(&b, '\\'); break;
		case 'u': rc = unicode_escape(p, 4, &b); break;
		case 'U': rc = unicode_escape(p, 8, &b); break;
		default:
			rc = fail_at(p, p->pos - 2, "unknown escape sequence '\\%c'",
				     c > 0x20 && c < 0x7f ? c : '?');
		}
		if (rc != GT_OK)
			break;
	}
	if (rc != GT_OK) {
		gt_buf_free(&b);
		return rc;
	}
	if (!b.s)
		gt_buf_puts(&b, "");
	*out = gt_buf_steal(&b);
	return GT_OK;
}

/* --- keys --------------------------------------------------------------- */

static bool bare_key_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

struct key {
	char **parts;
	size_t *at; /* byte offset of each part, for messages */
	size_t n, cap;
};

static void key_free(struct key *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->parts[i]);
	free(k->parts);
	free(k->at);
	memset(k, 0, sizeof(*k));
}

/* A key: simple keys joined by dots, blanks allowed around the dots. */
static enum gt_rc parse_key(struct parser *p, struct key *k)
{
	for (;;) {
		size_t at = p->pos;
		char *part;

		if (peek(p, 0) == '"' || peek(p, 0) == '\'') {
			enum gt_rc rc = parse_string(p, &part);

			if (rc != GT_OK)
				return rc;
		} else {
			while (bare_key_char(peek(p, 0)))
				p->pos++;
			if (p->pos == at) {
				int c = peek(p, 0);

				if (c < 0 || at_newline(p))
					return fail_at(p, at, "expected a key");
				return fail_at(p, at, "expected a key, found '%c'",
					       c >= 0x20 && c < 0x7f ? c : '?');
			}
			part = xstrndup(p->s + at, p->pos - at);
		}
		if (k->n == k->cap) {
			k->cap = k->cap ? 2 * k->cap : 4;
			k->parts = xrealloc(k->parts, k->cap * sizeof(*k->parts));
			k->at = xrealloc(k->at, k->cap * sizeof(*k->at));
		}
		k->parts[k->n] = part;
		k->at[k->n++] = at;
		skip_ws(p);
		if (peek(p, 0) != '.')
			return GT_OK;
		p->pos++;
		skip_ws(p);
	}
}

/* Show KEY's first N parts as "a.b.c" (for messages); allocated. */
static char *key_show(const struct key *k, size_t n)
{
	struct gt_buf b = {0};

	for (size_t i = 0; i < n; i++) {
		if (i)
			gt_buf_putc(&b, '.');
		gt_buf_puts(&b, k->parts[i]);
	}
	return gt_buf_steal(&b);
}

/* --- numbers, booleans, arrays ------------------------------------------ */

/* DIGITS[0..n) with underscores only between digits (of BASE); copies the
 * digits into OUT.  False when an underscore is misplaced or a character is
 * not a digit. */
static bool digits_ok(const char *s, size_t n, int base, struct gt_buf *out)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		bool digit = base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					   (c >= 'A' && c <= 'F'))
				     : (c >= '0' && c < '0' + base);

		if (c == '_') {
			if (i == 0 || i + 1 == n || s[i + 1] == '_')
				return false;
			continue;
		}
		if (!digit)
			return false;
		gt_buf_putc(out, (char)c);
	}
	return true;
}

static bool looks_like_date(const char *s, size_t n)
{
	bool d4 = n >= 5 && s[4] == '-';
	bool t2 = n >= 3 && s[2] == ':';

	for (size_t i = 0; i < (d4 ? 4 : t2 ? 2 : 0); i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return d4 || t2;
}

static enum gt_rc parse_number(struct parser *p, struct gt_toml *v)
{
	size_t start = p->pos, n;
	const char *s = p->s + start, *body;
	struct gt_buf digits = {0};
	bool neg = false, sign = false;
	enum gt_rc rc = GT_OK;

	while (p->pos < p->len && (bare_key_char(peek(p, 0)) || peek(p, 0) == '.' ||
				   peek(p, 0) == '+' || peek(p, 0) == ':'))
		p->pos++;
	n = p->pos - start;
	if (looks_like_date(s, n))
		return fail_at(p, start, "dates and times are not supported");
	body = s;
	if (*body == '+' || *body == '-') {
		neg = *body == '-';
		sign = true;
		body++;
	}
	n -= (size_t)(body - s);
	if ((n == 3 && strncmp(body, "inf", 3) == 0) || (n == 3 && strncmp(body, "nan", 3) == 0)) {
		v->type = GT_TOML_FLOAT;
		v->f = body[0] == 'i' ? (neg ? -INFINITY : INFINITY) : NAN;
		return GT_OK;
	}
	if (n > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'o' || body[1] == 'b')) {
		int base = body[1] == 'x' ? 16 : body[1] == 'o' ? 8 : 2;
		unsigned long long u;

		if (sign || !digits_ok(body + 2, n - 2, base, &digits)) {
			rc = fail_at(p, start, "malformed number '%.*s'", (int)(p->pos - start), s);
			goto out;
		}
		errno = 0;
		u = strtoull(digits.s, NULL, base);
		if (errno == ERANGE || u > INT64_MAX) {
			rc = fail_at(p, start, "integer '%.*s' is out of range", (int)(p->pos - start), s);
			goto out;
		}
		v->type = GT_TOML_INTEGER;
		v->i = (int64_t)u;
		goto out;
	}
	{
		const char *dot = memchr(body, '.', n);
		const char *e = NULL;
		size_t int_len, frac_len = 0;
		bool ok;

		for (size_t i = 0; i < n; i++)
			if (body[i] == 'e' || body[i] == 'E') {
				e = body + i;
				break;
			}
		int_len = dot ? (size_t)(dot - body) : e ? (size_t)(e - body) : n;
		if (sign)
			gt_buf_putc(&digits, neg ? '-' : '+');
		ok = digits_ok(body, int_len, 10, &digits) && !(int_len > 1 && body[0] == '0');
		if (ok && dot) {
			frac_len = (e ? (size_t)(e - dot) : n - int_len) - 1;
			gt_buf_putc(&digits, '.');
			ok = (!e || e > dot) && digits_ok(dot + 1, frac_len, 10, &digits);
		}
		if (ok && e) {
			const char *x = e + 1;
			size_t xn = n - (size_t)(x - body);

			gt_buf_putc(&digits, 'e');
			if (xn && (*x == '+' || *x == '-')) {
				gt_buf_putc(&digits, *x);
				x++;
				xn--;
			}
			ok = digits_ok(x, xn, 10, &digits);
		}
		if (!ok) {
			int c = peek(p, 0);

			if (p->pos == start)
				rc = fail_at(p, start, "expected a value (a string, a number, true, "
						       "false or an array), found '%c'",
					     c >= 0x20 && c < 0x7f ? c : '?');
			else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
				rc = fail_at(p, start, "'%.*s' is not a value (a string needs quotes)",
					     (int)(p->pos - start), s);
			else
				rc = fail_at(p, start, "malformed value '%.*s'", (int)(p->pos - start), s);
			goto out;
		}
		errno = 0;
		if (dot || e) {
			v->type = GT_TOML_FLOAT;
			v->f = strtod(digits.s, NULL);
			if (errno == ERANGE && isinf(v->f))
				rc = fail_at(p, start, "float '%.*s' is out of range", (int)(p->pos - start), s);
		} else {
			v->type = GT_TOML_INTEGER;
			v->i = strtoll(digits.s, NULL, 10);
			if (errno == ERANGE)
				rc = fail_at(p, start, "integer '%.*s' is out of range", (int)(p->pos - start), s);
		}
	}
out:
	gt_buf_free(&digits);
	return rc;
}

static bool word_at(const struct parser *p, const char *w)
{
	size_t n = strlen(w);

	return p->len - p->pos >= n && memcmp(p->s + p->pos, w, n) == 0 &&
	       !bare_key_char(p->pos + n < p->len ? (unsigned char)p->s[p->pos + n] : -1);
}

static enum gt_rc parse_value(struct parser *p, int depth, struct gt_toml **out);

static enum gt_rc parse_array(struct parser *p, int depth, struct gt_toml *v)
{
	size_t start = p->pos;
	enum gt_rc rc;

	if (depth >= MAX_DEPTH)
		return fail_at(p, start, "arrays nested deeper than %d", MAX_DEPTH);
	p->pos++;
	for (;;) {
		struct gt_toml *item;

		rc = skip_ws_nl(p);
		if (rc != GT_OK)
			return rc;
		if (peek(p, 0) == ']') {
			p->pos++;
			return GT_OK;
		}
		if (peek(p, 0) < 0)
			return fail_at(p, start, "unterminated array");
		rc = parse_value(p, depth + 1, &item);
		if (rc != GT_OK)
			return rc;
		push(v, NULL, item);
		rc = skip_ws_nl(p);
		if (rc != GT_OK)
			return rc;
		if (peek(p, 0) == ',') {
			p->pos++;
			continue;
		}
		if (peek(p, 0) == ']') {
			p->pos++;
			return GT_OK;
		}
		if (peek(p, 0) < 0)
			return fail_at(p, start, "unterminated array");
		return fail_at(p, p->pos, "expected ',' or ']' in an array");
	}
}

static enum gt_rc parse_value(struct parser *p, int depth, struct gt_toml **out)
{
	int c = peek(p, 0);
	struct gt_toml *v = node_new(GT_TOML_STRING, p->line, col_of(p, p->pos));
	enum gt_rc rc;

	if (c == '"' || c == '\'') {
		rc = parse_string(p, &v->s);
	} else if (c == '[') {
		v->type = GT_TOML_ARRAY;
		rc = parse_array(p, depth, v);
	} else if (c == '{') {
		rc = fail_at(p, p->pos, "inline tables ({...}) are not supported; use a [table]");
	} else if (word_at(p, "true") || word_at(p, "false")) {
		v->type = GT_TOML_BOOL;
		v->b = c == 't';
		p->pos += v->b ? 4 : 5;
		rc = GT_OK;
	} else if (c < 0 || at_newline(p) || c == '#') {
		rc = fail_at(p, p->pos, "expected a value after '='");
	} else {
		rc = parse_number(p, v);
	}
	if (rc != GT_OK) {
		gt_toml_free(v);
		return rc;
	}
	*out = v;
	return GT_OK;
}

/* --- tables and key/value pairs ------------------------------------------ */

/* The entry NAME of TABLE (index), or -1. */
static long find(const struct gt_toml *table, const char *name)
{
	for (size_t i = 0; i < table->n; i++)
		if (strcmp(table->keys[i], name) == 0)
			return (long)i;
	return -1;
}

/* Step from T into its table NAME for a header or a dotted key, creating an
 * (undefined) table when absent; an array of tables gives its last table. */
static enum gt_rc descend(struct parser *p, struct gt_toml **t, const struct key *k, size_t i)
{
	long at = find(*t, k->parts[i]);
	struct gt_toml *next;

	if (at < 0) {
		next = node_new(GT_TOML_TABLE, p->line, col_of(p, k->at[i]));
		push(*t, xstrdup(k->parts[i]), next);
		*t = next;
		return GT_OK;
	}
	next = (*t)->items[at];
	if (next->type == GT_TOML_ARRAY && next->array_of_tables) {
		*t = next->items[next->n - 1];
		return GT_OK;
	}
	if (next->type != GT_TOML_TABLE) {
		char *shown = key_show(k, i + 1);
		enum gt_rc rc = fail_at(p, k->at[i], "'%s' is already %s (line %d), not a table",
					shown, gt_toml_type_name(next->type), next->line);

		free(shown);
		return rc;
	}
	*t = next;
	return GT_OK;
}

static enum gt_rc parse_header(struct parser *p)
{
	size_t start = p->pos;
	bool aot = peek(p, 1) == '[';
	struct gt_toml *t = p->root, *last;
	struct key k = {0};
	enum gt_rc rc;
	char *shown = NULL;
	long at;

	p->pos += aot ? 2 : 1;
	skip_ws(p);
	rc = parse_key(p, &k);
	if (rc != GT_OK)
		goto out;
	if (peek(p, 0) != ']' || (aot && peek(p, 1) != ']')) {
		rc = fail_at(p, p->pos, "expected '%s' to close the header", aot ? "]]" : "]");
		goto out;
	}
	p->pos += aot ? 2 : 1;
	for (size_t i = 0; i + 1 < k.n && rc == GT_OK; i++)
		rc = descend(p, &t, &k, i);
	if (rc != GT_OK)
		goto out;
	shown = key_show(&k, k.n);
	at = find(t, k.parts[k.n - 1]);
	last = at < 0 ? NULL : t->items[at];
	if (aot) {
		struct gt_toml *elem = node_new(GT_TOML_TABLE, p->line, col_of(p, start));

		if (!last) {
			last = node_new(GT_TOML_ARRAY, p->line, col_of(p, start));
			last->array_of_tables = true;
			push(t, xstrdup(k.parts[k.n - 1]), last);
		} else if (!(last->type == GT_TOML_ARRAY && last->array_of_tables)) {
			gt_toml_free(elem);
			rc = fail_at(p, start, "[[%s]]: '%s' is already defined as %s (line %d)", shown,
				     shown, gt_toml_type_name(last->type), last->line);
			goto out;
		}
		elem->defined = true;
		push(last, NULL, elem);
		p->cur = elem;
	} else {
		if (!last) {
			last = node_new(GT_TOML_TABLE, p->line, col_of(p, start));
			push(t, xstrdup(k.parts[k.n - 1]), last);
		} else if (last->type != GT_TOML_TABLE) {
			rc = fail_at(p, start, "[%s]: '%s' is already defined as %s (line %d)", shown,
				     shown, last->array_of_tables ? "an array of tables" : gt_toml_type_name(last->type),
				     last->line);
			goto out;
		} else if (last->defined) {
			rc = fail_at(p, start, "table [%s] is defined twice (first at line %d)", shown,
				     last->line);
			goto out;
		}
		last->defined = true;
		last->line = p->line;
		last->col = col_of(p, start);
		p->cur = last;
	}
	rc = end_of_line(p);
out:
	free(shown);
	key_free(&k);
	return rc;
}

static enum gt_rc parse_pair(struct parser *p)
{
	struct gt_toml *t = p->cur, *v = NULL;
	struct key k = {0};
	int line = p->line;
	enum gt_rc rc;
	long at;

	rc = parse_key(p, &k);
	if (rc != GT_OK)
		goto out;
	if (peek(p, 0) != '=') {
		rc = fail_at(p, p->pos, "expected '=' after the key '%s'", k.parts[k.n - 1]);
		goto out;
	}
	p->pos++;
	skip_ws(p);
	for (size_t i = 0; i + 1 < k.n && rc == GT_OK; i++) {
		rc = descend(p, &t, &k, i);
		if (rc == GT_OK)
			t->defined = true;
	}
	if (rc != GT_OK)
		goto out;
	at = find(t, k.parts[k.n - 1]);
	if (at >= 0) {
		char *shown = key_show(&k, k.n);

		rc = fail_at(p, k.at[k.n - 1], "duplicate key '%s' (first at line %d)", shown,
			     t->items[at]->line);
		free(shown);
		goto out;
	}
	rc = parse_value(p, 0, &v);
	if (rc != GT_OK)
		goto out;
	v->line = line;
	push(t, xstrdup(k.parts[k.n - 1]), v);
	rc = end_of_line(p);
out:
	key_free(&k);
	return rc;
}

/* NUL bytes, bare carriage returns and invalid UTF-8 anywhere are refused
 * up front, so that the parser only ever sees text. */
static enum gt_rc check_bytes(struct parser *p)
{
	size_t i = 0;

	while (i < p->len) {
		unsigned char c = (unsigned char)p->s[i];
		size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		bool ok = n > 0 && i + n <= p->len && !(n == 2 && c < 0xC2);

		for (size_t j = 1; ok && j < n; j++)
			ok = ((unsigned char)p->s[i + j] & 0xC0) == 0x80;
		if (ok && n == 3) {
			unsigned char d = (unsigned char)p->s[i + 1];

			ok = !(c == 0xE0 && d < 0xA0) && !(c == 0xED && d >= 0xA0);
		}
		if (ok && n == 4) {
			unsigned char d = (unsigned char)p->s[i + 1];

			ok = c <= 0xF4 && !(c == 0xF0 && d < 0x90) && !(c == 0xF4 && d >= 0x90);
		}
		if (!ok)
			return fail_at(p, i, "invalid UTF-8");
		if (c == 0)
			return fail_at(p, i, "NUL byte");
		if (c == '\r' && (i + 1 >= p->len || p->s[i + 1] != '\n'))
			return fail_at(p, i, "carriage return without a line feed");
		if (c == '\n') {
			p->line++;
			p->line_start = i + 1;
		}
		i += n;
	}
	p->line = 1;
	p->line_start = 0;
	return GT_OK;
}

enum gt_rc gt_toml_parse(const char *data, size_t len, const char *name, struct gt_toml **out,
			 struct gt_error *err)
{
	struct parser p = {
		.s = data, .len = len, .name = name ? name : "input", .line = 1, .err = err,
	};
	enum gt_rc rc;

	*out = NULL;
	p.line = 1;
	rc = check_bytes(&p);
	if (rc != GT_OK)
		return rc;
	p.root = node_new(GT_TOML_TABLE, 1, 1);
	p.root->defined = true;
	p.cur = p.root;
	while (rc == GT_OK && p.pos < p.len) {
		skip_ws(&p);
		if (peek(&p, 0) == '#' || at_newline(&p) || p.pos >= p.len)
			rc = end_of_line(&p);
		else if (peek(&p, 0) == '[')
			rc = parse_header(&p);
		else
			rc = parse_pair(&p);
	}
	if (rc != GT_OK) {
		gt_toml_free(p.root);
		return rc;
	}
	*out = p.root;
	return GT_OK;
}

enum gt_rc gt_toml_load(const char *path, struct gt_toml **out, struct gt_error *err)
{
	char *data;
	size_t len;
	enum gt_rc rc;

	*out = NULL;
	rc = gt_read_file(path, &data, &len, err);
	if (rc != GT_OK)
		return rc;
	rc = gt_toml_parse(data, len, path, out, err);
	free(data);
	return rc;
}

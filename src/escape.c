/*
 * escape: make every byte that could act on a terminal or on the GitHub
 * Actions runner visible before it is printed.  See escape.h for the
 * escapes.
 */
#include "config.h"

#include "escape.h"

#include <string.h>

#include "trace.h"

/* The length of the one white-space character at the start of S (N bytes),
 * or 0.  The set is .NET's Char.IsWhiteSpace, which the runner's
 * TrimStart() uses. */
static size_t blank_char(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	if (n == 0)
		return 0;
	if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;   /* U+0085, U+00A0 */
	if (n < 3)
		return 0;
	if (s[0] == 0xe1 && s[1] == 0x9a && s[2] == 0x80)
		return 3;   /* U+1680 */
	if (s[0] == 0xe2 && s[1] == 0x80 &&
	    (s[2] <= 0x8a || s[2] == 0xa8 || s[2] == 0xa9 || s[2] == 0xaf))
		return 3;   /* U+2000..U+200A, U+2028, U+2029, U+202F */
	if (s[0] == 0xe2 && s[1] == 0x81 && s[2] == 0x9f)
		return 3;   /* U+205F */
	if (s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;   /* U+3000 */
	return 0;
}

size_t gt_escape_blank_len(const char *s, size_t n)
{
	size_t at = 0, len;

	while ((len = blank_char(s + at, n - at)) > 0)
		at += len;
	return at;
}

void gt_escape(struct gt_buf *b, const char *s, size_t n, unsigned flags)
{
	bool bol = !(flags & GT_ESC_INLINE);

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len;

		if (bol) {
			/* The runner trims the white space, then looks for "::". */
			if (n - i >= 2 && c == ':' && s[i + 1] == ':') {
				gt_buf_puts(b, ":\\:");
				i += 2;
				bol = false;
				continue;
			}
			bol = blank_char(s + i, n - i) > 0;
		}
		/* A legacy command ("##[error]...") counts anywhere in a line. */
		if (c == '#' && n - i >= 3 && s[i + 1] == '#' && s[i + 2] == '[') {
			gt_buf_puts(b, "#\\#[");
			i += 3;
			continue;
		}
		if (c == '\n' && (flags & GT_ESC_KEEP_NL)) {
			gt_buf_putc(b, '\n');
			i++;
			bol = true;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case 0x1b: gt_buf_puts(b, "\\e"); break;
			case '\r': gt_buf_puts(b, "\\r"); break;
			case '\n': gt_buf_puts(b, "\\n"); break;
			case '\t': gt_buf_puts(b, "\\t"); break;
			default: gt_buf_printf(b, "\\x%02x", c); break;
			}
			i++;
			continue;
		}
		if (c < 0x80) {
			gt_buf_putc(b, (char)c);
			i++;
			continue;
		}
		len = gt_trace_utf8_len(s + i, n - i);
		if (len == 0) {
			gt_buf_printf(b, "\\x%02x", c);
			i++;
			continue;
		}
		/* C1 controls: U+009B is CSI on some terminals. */
		if (len == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0) {
			gt_buf_printf(b, "\\u%04x", (unsigned char)s[i + 1]);
			i += 2;
			continue;
		}
		gt_buf_add(b, s + i, len);
		i += len;
	}
}

void gt_escape_str(struct gt_buf *b, const char *s, unsigned flags)
{
	if (s)
		gt_escape(b, s, strlen(s), flags);
}

char *gt_escape_dup(const char *s, unsigned flags)
{
	struct gt_buf b = {0};

	if (!s)
		return NULL;
	gt_escape_str(&b, s, flags);
	return gt_buf_steal(&b);
}

/*
 * markup: escaping for XML and HTML text and attributes (see markup.h).
 */
#include "config.h"

#include "markup.h"

#include <stdbool.h>
#include <string.h>

#include "trace.h"

/* Is the UTF-8 sequence S (LEN bytes) U+FFFE or U+FFFF, which XML 1.0
 * does not allow either? */
static bool noncharacter(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	return len == 3 && u[0] == 0xef && u[1] == 0xbf && u[2] >= 0xbe;
}

void gt_markup_escape(struct gt_buf *b, const char *s, size_t n, unsigned flags)
{
	bool attr = flags & GT_MARKUP_ATTR;

	gt_buf_add(b, "", 0);
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t len;

		switch (c) {
		case '&': gt_buf_puts(b, "&amp;"); i++; continue;
		case '<': gt_buf_puts(b, "&lt;"); i++; continue;
		case '>': gt_buf_puts(b, "&gt;"); i++; continue;
		case '"': gt_buf_puts(b, "&quot;"); i++; continue;
		case '\'': gt_buf_puts(b, "&apos;"); i++; continue;
		case '\n': gt_buf_puts(b, attr ? "&#10;" : "\n"); i++; continue;
		case '\t': gt_buf_puts(b, attr ? "&#9;" : "\t"); i++; continue;
		default: break;
		}
		if (c < 0x20) {
			i++;
			continue;
		}
		len = gt_trace_utf8_len(s + i, n - i);
		if (len == 0 || noncharacter(s + i, len)) {
			gt_buf_puts(b, "\xef\xbf\xbd");
			i += len ? len : 1;
			continue;
		}
		gt_buf_add(b, s + i, len);
		i += len;
	}
}

void gt_markup_escape_str(struct gt_buf *b, const char *s, unsigned flags)
{
	if (s)
		gt_markup_escape(b, s, strlen(s), flags);
}

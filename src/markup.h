/*
 * markup: text escaped for XML and HTML, the one escaper of the JUnit
 * report, the HTML report and its SVG plots.  & < > " ' become entities;
 * control characters XML 1.0 cannot carry are dropped (LF and TAB kept,
 * or as character references in an attribute); bytes that are not UTF-8,
 * U+FFFE and U+FFFF become U+FFFD, so that the output always parses and a
 * case name, a path or an event text can never open a tag.
 */
#ifndef GT_MARKUP_H
#define GT_MARKUP_H

#include <stddef.h>

#include "util.h"

enum {
	/* For a double-quoted attribute value: LF and TAB as &#10; and &#9;,
	 * so that attribute-value normalisation keeps them. */
	GT_MARKUP_ATTR = 1 << 0,
};

/* Append the N bytes at S to B escaped as above (FLAGS: GT_MARKUP_*).
 * S may hold NUL bytes (dropped). */
void gt_markup_escape(struct gt_buf *b, const char *s, size_t n, unsigned flags);
/* The same for the NUL-terminated S (NULL appends nothing). */
void gt_markup_escape_str(struct gt_buf *b, const char *s, unsigned flags);

#endif

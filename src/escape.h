/*
 * escape: the one function through which every user-controlled string
 * (case names, commands, reasons, paths, a golden's event texts, file
 * contents quoted in messages) goes before it reaches a terminal or a CI
 * log, so that such a string can neither drive the terminal (ESC
 * sequences, CR overwriting a line) nor forge a line (LF) or a GitHub
 * Actions workflow command ("::error ...::" at the start of a line, the
 * legacy "##[error]" anywhere in one).
 *
 * The escapes are visible and read like C:
 *   ESC -> \e   CR -> \r   LF -> \n   TAB -> \t
 *   other C0 controls and DEL -> \xHH (two lower-case hex digits)
 *   C1 controls (U+0080..U+009F, as UTF-8) -> \u0080..\u009f
 *   a byte that is not part of valid UTF-8 -> \xHH
 *   "::" at the start of a line, after any white space -> ":\:"
 *   "##[" anywhere -> "#\#["
 * Everything else, valid UTF-8 included, passes unchanged, so that an
 * ordinary string (whose event texts gtdiff already quotes strace-style) is
 * printed byte for byte.  A backslash is not doubled: the escapes make
 * every dangerous byte visible, they are not meant to be reversed (the JSON
 * report keeps the exact bytes).
 */
#ifndef GT_ESCAPE_H
#define GT_ESCAPE_H

#include <stddef.h>

#include "util.h"

enum {
	/* LF stays a line break (text that is several lines, such as a
	 * rendered diff); each line then starts a new line for "::". */
	GT_ESC_KEEP_NL = 1 << 0,
	/* The text continues a line that already has other text before it:
	 * a "::" at its start is not at the start of a line. */
	GT_ESC_INLINE = 1 << 1,
};

/* Append the N bytes at S to B escaped as above; FLAGS is a set of
 * GT_ESC_*.  S may hold NUL bytes (\x00). */
void gt_escape(struct gt_buf *b, const char *s, size_t n, unsigned flags);
/* The same for the NUL-terminated S (NULL appends nothing). */
void gt_escape_str(struct gt_buf *b, const char *s, unsigned flags);
/* S escaped with FLAGS as a new string (caller frees); NULL gives NULL. */
char *gt_escape_dup(const char *s, unsigned flags);

/* The bytes of white space at the start of S (N bytes): what the GitHub
 * runner trims before it looks for "::" (ASCII white space and the Unicode
 * space separators, as .NET's TrimStart). */
size_t gt_escape_blank_len(const char *s, size_t n);

#endif

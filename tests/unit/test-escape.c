/*
 * test-escape: the escaping of everything printed: each class of byte
 * (ESC, CR, LF, TAB, the other C0 controls, DEL, C1 controls, bytes that are
 * not UTF-8), "::" at the start of a line (after white space) against in the
 * middle of one, the legacy "##[" command, the flags, and that ordinary
 * text and UTF-8 pass unchanged.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "escape.h"

#include <stdlib.h>
#include <string.h>

/* S (N bytes) escaped with FLAGS must read WANT. */
static void check_n(const char *s, size_t n, unsigned flags, const char *want)
{
	struct gt_buf b = {0};
	char *got;

	gt_escape(&b, s, n, flags);
	got = gt_buf_steal(&b);
	if (strcmp(got, want) != 0)
		print_error("escaping gave \"%s\", wanted \"%s\"\n", got, want);
	assert_string_equal(got, want);
	free(got);
}

static void check(const char *s, unsigned flags, const char *want)
{
	check_n(s, strlen(s), flags, want);
}

/* No byte below 0x20 and no DEL may be left in the escaped S, whatever it
 * holds (LF only where kept). */
static void assert_no_control(const char *s, size_t n, unsigned flags)
{
	struct gt_buf b = {0};

	gt_escape(&b, s, n, flags);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.s[i];

		if (c == '\n' && (flags & GT_ESC_KEEP_NL))
			continue;
		assert_true(c >= 0x20 && c != 0x7f);
	}
	gt_buf_free(&b);
}

static void test_plain(void **state)
{
	(void)state;
	check("", 0, "");
	check("openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = fd3", 0,
	      "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = fd3");
	/* strace-style quoting already in an event text stays as it is. */
	check("write(1, \"a\\nb\\\\c\") = 3", 0, "write(1, \"a\\nb\\\\c\") = 3");
	check("~ !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}", 0,
	      "~ !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}");
	check_n(NULL, 0, 0, "");
}

static void test_controls(void **state)
{
	char all[0x21];

	(void)state;
	check("a\033[31mred", 0, "a\\e[31mred");
	check("over\rwrite", 0, "over\\rwrite");
	check("two\nlines", 0, "two\\nlines");
	check("tab\there", 0, "tab\\there");
	check("bell\a", 0, "bell\\x07");
	check("\x01\x1f", 0, "\\x01\\x1f");
	check("del\x7f", 0, "del\\x7f");
	check_n("nul\0byte", 8, 0, "nul\\x00byte");
	for (int i = 0; i < 0x20; i++)
		all[i] = (char)(i + 1 == 0x20 ? 0x7f : i + 1);
	all[0x20] = '\0';
	assert_no_control(all, 0x20, 0);
	assert_no_control(all, 0x20, GT_ESC_KEEP_NL);
	assert_no_control(all, 0x20, GT_ESC_INLINE);
}

static void test_keep_newlines(void **state)
{
	(void)state;
	check("one\ntwo\n", GT_ESC_KEEP_NL, "one\ntwo\n");
	/* CR is never kept: "\r\n" would still let a line be overwritten. */
	check("one\r\ntwo", GT_ESC_KEEP_NL, "one\\r\ntwo");
	check("a\n::error::X\n  ::warning::Y", GT_ESC_KEEP_NL,
	      "a\n:\\:error::X\n  :\\:warning::Y");
}

static void test_workflow_commands(void **state)
{
	(void)state;
	/* At the start of a line, also after the white space the runner
	 * trims: ASCII, NBSP (U+00A0), ideographic space (U+3000). */
	check("::error file=evil.c,line=1::X", 0, ":\\:error file=evil.c,line=1::X");
	check("   ::error::X", 0, "   :\\:error::X");
	check("\xc2\xa0::error::X", 0, "\xc2\xa0:\\:error::X");
	check("\xe3\x80\x80::error::X", 0, "\xe3\x80\x80:\\:error::X");
	check("\t::error::X", 0, "\\t:\\:error::X");
	/* In the middle of a line it is ordinary text (C++ names, IPv6). */
	check("std::vector at ::1", 0, "std::vector at ::1");
	check("a::b", 0, "a::b");
	/* A field printed after other text on its line is not at its start. */
	check("::1", GT_ESC_INLINE, "::1");
	/* The CR/LF of the reported attack are escaped, so the "::" that
	 * follows is in the middle of the line. */
	check("nope\r\n::error file=evil.c,line=1::X", 0,
	      "nope\\r\\n::error file=evil.c,line=1::X");
	/* The legacy form counts anywhere in a line. */
	check("x ##[error]X", 0, "x #\\#[error]X");
	check("###[", GT_ESC_INLINE, "##\\#[");
	check("# #[ ## [", 0, "# #[ ## [");
}

static void test_utf8(void **state)
{
	(void)state;
	check("/home/zoë/日本/😀", 0, "/home/zoë/日本/😀");
	check("\xc2\xa0", GT_ESC_INLINE, "\xc2\xa0");
	/* C1 controls: U+009B is CSI on some terminals, U+0085 NEL. */
	check("a\xc2\x9b" "31mb", 0, "a\\u009b31mb");
	check("\xc2\x85", GT_ESC_INLINE, "\\u0085");
	/* Not UTF-8: a lone continuation byte, an overlong form, a truncated
	 * sequence, Latin-1. */
	check("\x80", 0, "\\x80");
	check("\xc0\xaf", 0, "\\xc0\\xaf");
	check("\xe6\x97", 0, "\\xe6\\x97");
	check("caf\xe9", 0, "caf\\xe9");
}

static void test_helpers(void **state)
{
	char *s;

	(void)state;
	assert_null(gt_escape_dup(NULL, 0));
	s = gt_escape_dup("", 0);
	assert_string_equal(s, "");
	free(s);
	s = gt_escape_dup("a\033b", 0);
	assert_string_equal(s, "a\\eb");
	free(s);
	assert_int_equal(gt_escape_blank_len("  \xc2\xa0\xe2\x80\x83x", 8), 7);
	assert_int_equal(gt_escape_blank_len("x ", 2), 0);
	assert_int_equal(gt_escape_blank_len("\xe2\x80", 2), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_keep_newlines),
		cmocka_unit_test(test_workflow_commands),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

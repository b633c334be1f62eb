/*
 * test-toml: the strict TOML reader: every supported form read back as
 * written, and each malformed input refused with its file:line:column.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "toml.h"

static struct gt_toml *parse_ok(const char *text)
{
	struct gt_toml *t = NULL;
	struct gt_error err = {0};

	if (gt_toml_parse(text, strlen(text), "t.toml", &t, &err) != GT_OK)
		fail_msg("refused: %s\n---\n%s", err.msg, text);
	assert_non_null(t);
	return t;
}

/* TEXT is refused with a message that starts with WHERE ("t.toml:L:C: ")
 * and contains WHAT. */
static void parse_bad(const char *text, size_t len, const char *where, const char *what)
{
	struct gt_toml *t = (struct gt_toml *)1;
	struct gt_error err = {0};

	assert_int_equal(gt_toml_parse(text, len, "t.toml", &t, &err), GT_ERR_FORMAT);
	assert_null(t);
	if (strncmp(err.msg, where, strlen(where)) != 0 || !strstr(err.msg, what))
		fail_msg("for %s\nwanted %s... %s\ngot    %s", text, where, what, err.msg);
}
#define BAD(text, where, what) parse_bad(text, strlen(text), where, what)

static const struct gt_toml *get(const struct gt_toml *t, const char *key, enum gt_toml_type type)
{
	const struct gt_toml *v = gt_toml_get(t, key);

	if (!v)
		fail_msg("no key %s", key);
	assert_int_equal(v->type, type);
	return v;
}

static void test_renacer_shape(void **state)
{
	struct gt_toml *t = parse_ok("# budgets\n"
				     "[[assertion]]\n"
				     "name = \"api_latency\"  # the API\n"
				     "type = \"critical_path\"\n"
				     "max_duration_ms = 100\n"
				     "enabled = true\n"
				     "\n"
				     "[[assertion]]\n"
				     "name = 'mem'\n"
				     "threshold = 0.8\n"
				     "fail_on_violation = false\n"
				     "[ci]\n"
				     "export_path = \"target/renacer-reports\"\n");
	const struct gt_toml *a = get(t, "assertion", GT_TOML_ARRAY), *e;

	(void)state;
	assert_true(a->array_of_tables);
	assert_int_equal(a->n, 2);
	e = a->items[0];
	assert_string_equal(get(e, "name", GT_TOML_STRING)->s, "api_latency");
	assert_int_equal(get(e, "max_duration_ms", GT_TOML_INTEGER)->i, 100);
	assert_int_equal(get(e, "max_duration_ms", GT_TOML_INTEGER)->line, 5);
	assert_true(get(e, "enabled", GT_TOML_BOOL)->b);
	e = a->items[1];
	assert_int_equal(e->line, 8);
	assert_string_equal(get(e, "name", GT_TOML_STRING)->s, "mem");
	assert_true(get(e, "threshold", GT_TOML_FLOAT)->f == 0.8);
	assert_false(get(e, "fail_on_violation", GT_TOML_BOOL)->b);
	assert_string_equal(get(get(t, "ci", GT_TOML_TABLE), "export_path", GT_TOML_STRING)->s,
			    "target/renacer-reports");
	/* keys in file order */
	assert_string_equal(t->keys[0], "assertion");
	assert_string_equal(t->keys[1], "ci");
	assert_null(gt_toml_get(t, "nope"));
	gt_toml_free(t);
}

static void test_strings(void **state)
{
	struct gt_toml *t = parse_ok("a = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600\"\n"
				     "b = 'C:\\path\\no escapes'\n"
				     "c = \"\"\n"
				     "\"quoted key\" = 1\n"
				     "'lit key' = 2\n"
				     "d = \"# not a comment\" # a comment\n");

	(void)state;
	assert_string_equal(get(t, "a", GT_TOML_STRING)->s,
			    "tab\there \"q\" \\ \xc3\xa9 \xf0\x9f\x98\x80");
	assert_string_equal(get(t, "b", GT_TOML_STRING)->s, "C:\\path\\no escapes");
	assert_string_equal(get(t, "c", GT_TOML_STRING)->s, "");
	assert_int_equal(get(t, "quoted key", GT_TOML_INTEGER)->i, 1);
	assert_int_equal(get(t, "lit key", GT_TOML_INTEGER)->i, 2);
	assert_string_equal(get(t, "d", GT_TOML_STRING)->s, "# not a comment");
	gt_toml_free(t);
}

static void test_numbers(void **state)
{
	struct gt_toml *t = parse_ok("a = 5_000\nb = -17\nc = +3\nd = 0\ne = 0xdead_BEEF\n"
				     "f = 0o755\ng = 0b1010\nh = 9223372036854775807\n"
				     "i = -9223372036854775808\nj = 3.25\nk = -1e3\nl = 6.5E-2\n"
				     "m = inf\nn = -inf\no = nan\np = 1_0.0_1\nq = true\nr = false\n");

	(void)state;
	assert_int_equal(get(t, "a", GT_TOML_INTEGER)->i, 5000);
	assert_int_equal(get(t, "b", GT_TOML_INTEGER)->i, -17);
	assert_int_equal(get(t, "c", GT_TOML_INTEGER)->i, 3);
	assert_int_equal(get(t, "d", GT_TOML_INTEGER)->i, 0);
	assert_int_equal(get(t, "e", GT_TOML_INTEGER)->i, 0xdeadbeef);
	assert_int_equal(get(t, "f", GT_TOML_INTEGER)->i, 0755);
	assert_int_equal(get(t, "g", GT_TOML_INTEGER)->i, 10);
	assert_true(get(t, "h", GT_TOML_INTEGER)->i == INT64_MAX);
	assert_true(get(t, "i", GT_TOML_INTEGER)->i == INT64_MIN);
	assert_true(get(t, "j", GT_TOML_FLOAT)->f == 3.25);
	assert_true(get(t, "k", GT_TOML_FLOAT)->f == -1000.0);
	assert_true(get(t, "l", GT_TOML_FLOAT)->f == 0.065);
	assert_true(isinf(get(t, "m", GT_TOML_FLOAT)->f) && get(t, "m", GT_TOML_FLOAT)->f > 0);
	assert_true(isinf(get(t, "n", GT_TOML_FLOAT)->f) && get(t, "n", GT_TOML_FLOAT)->f < 0);
	assert_true(isnan(get(t, "o", GT_TOML_FLOAT)->f));
	assert_true(get(t, "p", GT_TOML_FLOAT)->f == 10.01);
	assert_true(get(t, "q", GT_TOML_BOOL)->b);
	assert_false(get(t, "r", GT_TOML_BOOL)->b);
	gt_toml_free(t);
}

static void test_arrays_and_tables(void **state)
{
	struct gt_toml *t = parse_ok("a = [ 1, 2, 3 ]\n"
				     "b = [\n  \"x\", # first\n\n  'y',\n]\n"
				     "c = [[1, 2], [\"mixed\", true], []]\n"
				     "site.name = \"dotted\"\n"
				     "site . port = 80\n"
				     "[x.y.z]\nk = 1\n"
				     "[x]\nk = 2\n"
				     "[[srv]]\nname = \"a\"\n[srv.opts]\nv = 1\n"
				     "[[srv]]\nname = \"b\"\n"
				     "[[srv.port]]\nn = 1\n");
	const struct gt_toml *v;

	(void)state;
	v = get(t, "a", GT_TOML_ARRAY);
	assert_int_equal(v->n, 3);
	assert_int_equal(v->items[2]->i, 3);
	v = get(t, "b", GT_TOML_ARRAY);
	assert_int_equal(v->n, 2);
	assert_string_equal(v->items[1]->s, "y");
	v = get(t, "c", GT_TOML_ARRAY);
	assert_int_equal(v->n, 3);
	assert_int_equal(v->items[0]->n, 2);
	assert_string_equal(v->items[1]->items[0]->s, "mixed");
	assert_int_equal(v->items[2]->n, 0);
	v = get(t, "site", GT_TOML_TABLE);
	assert_string_equal(get(v, "name", GT_TOML_STRING)->s, "dotted");
	assert_int_equal(get(v, "port", GT_TOML_INTEGER)->i, 80);
	v = get(t, "x", GT_TOML_TABLE);
	assert_int_equal(get(v, "k", GT_TOML_INTEGER)->i, 2);
	assert_int_equal(get(get(get(v, "y", GT_TOML_TABLE), "z", GT_TOML_TABLE), "k", GT_TOML_INTEGER)->i, 1);
	v = get(t, "srv", GT_TOML_ARRAY);
	assert_int_equal(v->n, 2);
	assert_int_equal(get(get(v->items[0], "opts", GT_TOML_TABLE), "v", GT_TOML_INTEGER)->i, 1);
	assert_string_equal(get(v->items[1], "name", GT_TOML_STRING)->s, "b");
	assert_int_equal(get(v->items[1], "port", GT_TOML_ARRAY)->n, 1);
	gt_toml_free(t);
}

static void test_empty_and_crlf(void **state)
{
	struct gt_toml *t = parse_ok("");

	(void)state;
	assert_int_equal(t->n, 0);
	gt_toml_free(t);
	t = parse_ok("# only a comment");
	gt_toml_free(t);
	t = parse_ok("a = 1\r\nb = 'x'\r\n");
	assert_int_equal(get(t, "b", GT_TOML_STRING)->line, 2);
	gt_toml_free(t);
}

static void test_bad_structure(void **state)
{
	(void)state;
	BAD("a = 1\na = 2\n", "t.toml:2:1: ", "duplicate key 'a' (first at line 1)");
	BAD("[a]\nx = 1\n[a]\n", "t.toml:3:1: ", "table [a] is defined twice (first at line 1)");
	BAD("[a]\n[[a]]\n", "t.toml:2:1: ", "'a' is already defined as a table");
	BAD("[[a]]\n[a]\n", "t.toml:2:1: ", "already defined as an array of tables");
	BAD("a = 1\n[a]\n", "t.toml:2:1: ", "already defined as an integer");
	BAD("a = 1\n[a.b]\n", "t.toml:2:2: ", "'a' is already an integer (line 1), not a table");
	BAD("a.b = 1\n[a]\n", "t.toml:2:1: ", "defined twice");
	BAD("a.b = 1\na.b = 2\n", "t.toml:2:3: ", "duplicate key 'a.b'");
	BAD("[a\n", "t.toml:1:3: ", "expected ']' to close the header");
	BAD("[[a]\n", "t.toml:1:4: ", "expected ']]'");
	BAD("[]\n", "t.toml:1:2: ", "expected a key, found ']'");
	BAD("= 1\n", "t.toml:1:1: ", "expected a key, found '='");
	BAD("a 1\n", "t.toml:1:3: ", "expected '=' after the key 'a'");
	BAD("a = 1 2\n", "t.toml:1:7: ", "expected the end of the line, found '2'");
	BAD("[a] b = 1\n", "t.toml:1:5: ", "expected the end of the line");
}

static void test_bad_values(void **state)
{
	char deep[200];

	(void)state;
	BAD("a =\n", "t.toml:1:4: ", "expected a value after '='");
	BAD("a = # no\n", "t.toml:1:5: ", "expected a value after '='");
	BAD("a = \"open\n", "t.toml:1:5: ", "unterminated string");
	BAD("x = 1\na = 'open\n", "t.toml:2:5: ", "unterminated string");
	BAD("a = \"\\q\"\n", "t.toml:1:6: ", "unknown escape sequence '\\q'");
	BAD("a = \"\\u12\"\n", "t.toml:1:6: ", "\\u needs 4 hexadecimal digits");
	BAD("a = \"\\uD800\"\n", "t.toml:1:6: ", "not a Unicode scalar value");
	BAD("a = \"tab\tok but \x01 not\"\n", "t.toml:1:17: ", "control character 0x01");
	BAD("a = \"\"\"x\"\"\"\n", "t.toml:1:5: ", "multi-line strings");
	BAD("a = '''x'''\n", "t.toml:1:5: ", "multi-line strings");
	BAD("a = yes\n", "t.toml:1:5: ", "'yes' is not a value (a string needs quotes)");
	BAD("a = @\n", "t.toml:1:5: ", "expected a value");
	BAD("a = 012\n", "t.toml:1:5: ", "malformed value '012'");
	BAD("a = 1__0\n", "t.toml:1:5: ", "malformed value");
	BAD("a = _1\n", "t.toml:1:5: ", "malformed value '_1'");
	BAD("a = 1_\n", "t.toml:1:5: ", "malformed value");
	BAD("a = 1.\n", "t.toml:1:5: ", "malformed value");
	BAD("a = .5\n", "t.toml:1:5: ", "malformed value");
	BAD("a = 1e\n", "t.toml:1:5: ", "malformed value");
	BAD("a = -0x10\n", "t.toml:1:5: ", "malformed number");
	BAD("a = 0xZZ\n", "t.toml:1:5: ", "malformed number");
	BAD("a = 9223372036854775808\n", "t.toml:1:5: ", "out of range");
	BAD("a = 0xffffffffffffffffff\n", "t.toml:1:5: ", "out of range");
	BAD("a = 1e999\n", "t.toml:1:5: ", "out of range");
	BAD("a = 1979-05-27\n", "t.toml:1:5: ", "dates and times are not supported");
	BAD("a = 07:32:00\n", "t.toml:1:5: ", "dates and times are not supported");
	BAD("a = {b = 1}\n", "t.toml:1:5: ", "inline tables");
	BAD("a = [1, 2\n", "t.toml:2:1: ", "unterminated array");
	BAD("a = [1 2]\n", "t.toml:1:8: ", "expected ',' or ']' in an array");
	BAD("a = [,]\n", "t.toml:1:6: ", "expected a value");
	memset(deep, '[', sizeof(deep));
	memcpy(deep, "a = ", 4);
	deep[sizeof(deep) - 1] = '\0';
	BAD(deep, "t.toml:1:", "arrays nested deeper than 64");
}

static void test_bad_bytes(void **state)
{
	(void)state;
	BAD("a = \"\xff\"\n", "t.toml:1:6: ", "invalid UTF-8");
	BAD("a = 1\nb = \"\xc3\"\n", "t.toml:2:6: ", "invalid UTF-8");
	BAD("a = 1\n# \xed\xa0\x80 surrogate\n", "t.toml:2:3: ", "invalid UTF-8");
	parse_bad("a = 1\n\0\n", 8, "t.toml:2:1: ", "NUL byte");
	BAD("a = 1\rb = 2\n", "t.toml:1:6: ", "carriage return");
	BAD("# bell \x07\n", "t.toml:1:8: ", "control character 0x07 in a comment");
	/* a column counts characters, not bytes */
	BAD("\"\xc3\xa9\xc3\xa9\" = 1 x\n", "t.toml:1:10: ", "expected the end of the line");
}

static void test_load(void **state)
{
	struct gt_toml *t = (struct gt_toml *)1;
	struct gt_error err = {0};
	char *path = xasprintf("%s/fixtures/config/renacer/renacer.toml", GT_SRCDIR);

	(void)state;
	assert_int_equal(gt_toml_load(path, &t, &err), GT_OK);
	assert_int_equal(get(t, "assertion", GT_TOML_ARRAY)->n, 6);
	gt_toml_free(t);
	free(path);
	t = (struct gt_toml *)1;
	assert_int_equal(gt_toml_load("/nonexistent/renacer.toml", &t, &err), GT_ERR_IO);
	assert_null(t);
	assert_non_null(strstr(err.msg, "/nonexistent/renacer.toml"));
	path = xasprintf("%s/fixtures/config/renacer/bad-syntax.toml", GT_SRCDIR);
	assert_int_equal(gt_toml_load(path, &t, &err), GT_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "bad-syntax.toml:5:22: unterminated string"));
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renacer_shape),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_arrays_and_tables),
		cmocka_unit_test(test_empty_and_crlf),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

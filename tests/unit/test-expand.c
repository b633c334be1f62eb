/*
 * test-expand: $TMPDIR, $CWD, $HOME and $$ in a case's argument vector.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "expand.h"

static void check(const char *in, const char *want)
{
	char prog[] = "prog", *arg = strdup(in);
	char *argv[] = { prog, arg, NULL };
	char **out = gt_expand_argv(argv, "/tmp/gtdiff.x", "/w", "/home/u");

	assert_string_equal(out[0], "prog");
	assert_string_equal(out[1], want);
	assert_null(out[2]);
	gt_expand_free(out);
	free(arg);
}

static void test_names(void **state)
{
	(void)state;
	check("$TMPDIR/out", "/tmp/gtdiff.x/out");
	check("${TMPDIR}out", "/tmp/gtdiff.xout");
	check("$CWD:$HOME", "/w:/home/u");
	check("--dir=${HOME}/x", "--dir=/home/u/x");
}

static void test_left_alone(void **state)
{
	(void)state;
	/* $$ is a literal $, and other names stay as written. */
	check("$$HOME", "$HOME");
	check("$$$HOME", "$/home/u");
	check("$TMPDIRX $PATH ${CWD $", "$TMPDIRX $PATH ${CWD $");
	check("", "");
	check("100$", "100$");
}

static void test_unset(void **state)
{
	char a[] = "a$HOME.b";
	char *argv[] = { a, NULL };
	char **out = gt_expand_argv(argv, NULL, NULL, NULL);

	(void)state;
	assert_string_equal(out[0], "a.b");
	gt_expand_free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_left_alone),
		cmocka_unit_test(test_unset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

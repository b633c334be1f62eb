/*
 * expand: $TMPDIR, $CWD and $HOME in a case's argument vector (expand.h).
 */
#include "config.h"

#include "expand.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct var {
	const char *name;
	const char *value;
};

/* The length of the variable reference at P ("$NAME" or "${NAME}") naming
 * one of VARS, with *VALUE set; 0 if it names none. */
static size_t match(const char *p, const struct var *vars, size_t nvars, const char **value)
{
	bool brace = p[1] == '{';
	const char *name = p + 1 + brace;

	for (size_t i = 0; i < nvars; i++) {
		size_t n = strlen(vars[i].name);
		char end;

		if (strncmp(name, vars[i].name, n) != 0)
			continue;
		end = name[n];
		if (brace ? end != '}' : (end == '_' || (end >= 'A' && end <= 'Z') ||
					  (end >= 'a' && end <= 'z') || (end >= '0' && end <= '9')))
			continue;
		*value = vars[i].value ? vars[i].value : "";
		return 1 + brace + n + brace;
	}
	return 0;
}

char **gt_expand_argv(char *const *argv, const char *tmpdir, const char *cwd, const char *home)
{
	const struct var vars[] = { {"TMPDIR", tmpdir}, {"CWD", cwd}, {"HOME", home} };
	size_t n = 0;
	char **out;

	while (argv[n])
		n++;
	out = xcalloc(n + 1, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		struct gt_buf b = { 0 };

		for (const char *p = argv[i]; *p;) {
			const char *value;
			size_t len;

			if (p[0] == '$' && p[1] == '$') {
				gt_buf_putc(&b, '$');
				p += 2;
			} else if (p[0] == '$' && (len = match(p, vars, GT_ARRAY_SIZE(vars), &value))) {
				gt_buf_puts(&b, value);
				p += len;
			} else {
				gt_buf_putc(&b, *p++);
			}
		}
		out[i] = b.s ? gt_buf_steal(&b) : xstrdup("");
	}
	return out;
}

void gt_expand_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

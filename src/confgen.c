/*
 * confgen: writing gtdiff.yaml text (confgen.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "confgen.h"
#include "gtconfig.h"

static bool alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Would YAML (1.1 or 1.2) read S, written plain, as something other than
 * this string, or not read it at all? */
static bool needs_quotes(const char *s)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
		".inf", "-.inf", "+.inf", ".nan", NULL,
	};
	unsigned char c0 = (unsigned char)s[0];

	if (!*s)
		return true;
	for (size_t i = 0; words[i]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	/* anything that starts like a number */
	if ((c0 >= '0' && c0 <= '9') ||
	    ((c0 == '-' || c0 == '+' || c0 == '.') && s[1] >= '0' && s[1] <= '9'))
		return true;
	/* an indicator first: only '-' (not alone) of them is plain */
	if (!alnum(c0) && c0 != '_' && c0 != '.' && c0 != '/' && !(c0 == '-' && s[1]) && c0 < 0x80)
		return true;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!alnum(c) && c < 0x80 && !strchr("_./-+=@%^", c))
			return true;
	}
	return false;
}

void gt_confgen_scalar(struct gt_buf *b, const char *s)
{
	if (!needs_quotes(s)) {
		gt_buf_puts(b, s);
		return;
	}
	gt_buf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\') {
			gt_buf_putc(b, '\\');
			gt_buf_putc(b, (char)c);
		} else if (c == '\n') {
			gt_buf_puts(b, "\\n");
		} else if (c == '\t') {
			gt_buf_puts(b, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			gt_buf_printf(b, "\\x%02x", c);
		} else {
			gt_buf_putc(b, (char)c);
		}
	}
	gt_buf_putc(b, '"');
}

void gt_confgen_argv(struct gt_buf *b, char *const *argv)
{
	gt_buf_putc(b, '[');
	for (size_t i = 0; argv[i]; i++) {
		if (i)
			gt_buf_puts(b, ", ");
		gt_confgen_scalar(b, argv[i]);
	}
	gt_buf_putc(b, ']');
}

void gt_confgen_comment_text(struct gt_buf *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		gt_buf_putc(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
}

char *gt_confgen_case_name(const char *s)
{
	size_t n = strlen(s);
	char *name;

	if (n > GT_CONFIG_MAX_NAME)
		n = GT_CONFIG_MAX_NAME;
	if (n == 0)
		return xstrdup("case");
	name = xstrndup(s, n);
	for (char *p = name; *p; p++)
		if (!alnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
			*p = '-';
	/* <case>.new.json is a kept run: no case may end in ".new" */
	if (n >= 4 && strcmp(name + n - 4, ".new") == 0)
		name[n - 4] = '-';
	return name;
}

void gt_confgen_words_free(char **words)
{
	if (!words)
		return;
	for (size_t i = 0; words[i]; i++)
		free(words[i]);
	free(words);
}

/* The characters that make sh(1) do more than split words when unquoted. */
static bool shell_special(int c)
{
	return c == '\n' || strchr("|&;<>()$`*?[~{}#", c) != NULL;
}

enum gt_rc gt_confgen_split(const char *cmd, char ***words, struct gt_error *err)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct gt_buf w = {0};
	bool in_word = false, quoted = false, shell = false;
	const char *p = cmd;

	*words = NULL;
	while (!shell) {
		int c = (unsigned char)*p;

		if (c == '\0' || c == ' ' || c == '\t') {
			if (in_word) {
				/* VAR=value first: an assignment for the shell */
				if (n == 0 && !quoted && strchr(w.s, '=') && w.s[0] != '=')
					shell = true;
				xgrow((void **)&v, &cap, n + 2, sizeof(*v));
				v[n++] = gt_buf_steal(&w);
				v[n] = NULL;
				in_word = quoted = false;
			}
			if (c == '\0')
				break;
			p++;
			continue;
		}
		in_word = true;
		if (!w.s)
			gt_buf_puts(&w, "");
		if (c == '\'' || c == '"' || c == '\\')
			quoted = true;
		if (c == '\'') {
			const char *end = strchr(p + 1, '\'');

			if (!end) {
				gt_error_set(err, GT_ERR_USAGE, "unterminated ' in the command '%s'", cmd);
				goto fail;
			}
			gt_buf_add(&w, p + 1, (size_t)(end - p - 1));
			p = end + 1;
		} else if (c == '"') {
			for (p++; *p != '"'; p++) {
				if (!*p) {
					gt_error_set(err, GT_ERR_USAGE, "unterminated \" in the command '%s'",
						     cmd);
					goto fail;
				}
				if (*p == '$' || *p == '`')
					shell = true;
				if (*p == '\\' && p[1] && strchr("\\\"$`", p[1]))
					p++;
				gt_buf_putc(&w, *p);
			}
			p++;
		} else if (c == '\\') {
			if (!p[1] || p[1] == '\n') {
				shell = true;
				break;
			}
			gt_buf_putc(&w, p[1]);
			p += 2;
		} else if (shell_special(c)) {
			shell = true;
		} else {
			gt_buf_putc(&w, (char)c);
			p++;
		}
	}
	gt_buf_free(&w);
	if (shell) {
		gt_confgen_words_free(v);
		return GT_OK;
	}
	if (n == 0) {
		gt_error_set(err, GT_ERR_USAGE, "the command is empty");
		goto fail;
	}
	*words = v;
	return GT_OK;
fail:
	gt_buf_free(&w);
	gt_confgen_words_free(v);
	return GT_ERR_USAGE;
}

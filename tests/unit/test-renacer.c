/*
 * test-renacer: renacer.toml to gtdiff.yaml.  What is translated loads as
 * a gtdiff config with the budgets and commands asked for; what is not is
 * listed; bad renacer.toml and bad bindings are refused with a position.
 * Also the text pieces of confgen: YAML scalars that read back as
 * written, case names, and sh-like word splitting.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "confgen.h"
#include "gtconfig.h"
#include "renacer.h"
#include "toml.h"

static const char sample[] =
	"[[assertion]]\n"
	"name = \"check_latency\"\n"
	"type = \"critical_path\"\n"
	"max_duration_ms = 2000\n"
	"[[assertion]]\n"
	"name = \"transpile latency\"\n"
	"type = \"critical_path\"\n"
	"max_duration_ms = 5000\n"
	"trace_name_pattern = \"t.*\"\n"
	"[[assertion]]\n"
	"name = \"max_syscall_budget\"\n"
	"type = \"span_count\"\n"
	"max_spans = 2000\n"
	"[[assertion]]\n"
	"name = \"tighter\"\n"
	"type = \"span_count\"\n"
	"max_spans = 1500\n"
	"colour = \"blue\"\n"
	"[[assertion]]\n"
	"name = \"memory\"\n"
	"type = \"memory_usage\"\n"
	"max_bytes = 524288000\n"
	"tracking_mode = \"rss\"\n"
	"[[assertion]]\n"
	"name = \"god\"\n"
	"type = \"anti_pattern\"\n"
	"pattern = \"GodProcess\"\n"
	"threshold = 0.8\n"
	"[[assertion]]\n"
	"name = \"off\"\n"
	"type = \"critical_path\"\n"
	"max_duration_ms = 1\n"
	"enabled = false\n"
	"[[assertion]]\n"
	"name = \"future\"\n"
	"type = \"gpu_kernels\"\n"
	"[otlp]\n"
	"endpoint = \"http://localhost:4317\"\n"
	"version = 3\n";

static struct gt_toml *doc_of(const char *text)
{
	struct gt_toml *t = NULL;
	struct gt_error err = {0};

	if (gt_toml_parse(text, strlen(text), "r.toml", &t, &err) != GT_OK)
		fail_msg("%s", err.msg);
	return t;
}

static struct gt_config *load_yaml(const char *yaml)
{
	struct gt_config *cfg = NULL;
	struct gt_error err = {0};

	if (gt_config_parse(yaml, strlen(yaml), "gtdiff.yaml", "/proj", &cfg, &err) != GT_OK)
		fail_msg("does not load: %s\n---\n%s", err.msg, yaml);
	return cfg;
}

static bool has_note(const struct gt_renacer_result *r, const char *a, const char *b)
{
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], a) && (!b || strstr(r->notes[i], b)))
			return true;
	return false;
}

static void test_translate(void **state)
{
	struct gt_renacer_run runs[] = {
		{ "check_latency", "sort 'my fruits.txt'" },
		{ "transpile latency", "./minicli transpile src | wc -l" },
	};
	struct gt_renacer_result r;
	struct gt_error err = {0};
	struct gt_toml *doc = doc_of(sample);
	struct gt_config *cfg;
	const struct gt_case *c;

	(void)state;
	assert_int_equal(gt_renacer_translate(doc, "r.toml", runs, 2, &r, &err), GT_OK);
	assert_int_equal(r.ncases, 2);
	assert_int_equal(r.nbound, 2);
	cfg = load_yaml(r.yaml);
	assert_int_equal(cfg->ncases, 2);
	c = gt_config_case(cfg, "check_latency");
	assert_non_null(c);
	assert_string_equal(c->run[0], "sort");
	assert_string_equal(c->run[1], "my fruits.txt");
	assert_null(c->run[2]);
	assert_true(c->budgets.max_duration_ms == 2000);
	/* the tightest span_count wins; memory_usage is the RSS budget */
	assert_int_equal(c->budgets.max_syscalls, 1500);
	assert_int_equal(c->budgets.max_rss_bytes, 524288000);
	/* a name with a space becomes a valid case name; a pipe needs a shell */
	c = gt_config_case(cfg, "transpile-latency");
	assert_non_null(c);
	assert_null(c->run);
	assert_string_equal(c->shell, "./minicli transpile src | wc -l");
	assert_true(c->budgets.max_duration_ms == 5000);
	assert_int_equal(c->budgets.max_syscalls, 1500);
	gt_config_free(cfg);

	/* everything not translated is listed, and is in the text too */
	assert_true(has_note(&r, "'transpile latency'", "trace_name_pattern"));
	assert_true(has_note(&r, "'transpile latency'", "'transpile-latency'"));
	assert_true(has_note(&r, "'max_syscall_budget'", "max_spans 2000 not translated"));
	assert_true(has_note(&r, "'tighter'", "key 'colour' (line 18) is unknown"));
	assert_true(has_note(&r, "'god' (anti_pattern GodProcess)", NULL));
	assert_true(has_note(&r, "'off' (critical_path): enabled = false", NULL));
	assert_true(has_note(&r, "'future': unknown type 'gpu_kernels'", NULL));
	assert_true(has_note(&r, "[otlp] (line 37; endpoint, version)", NULL));
	assert_false(has_note(&r, "'memory'", NULL)); /* rss: exact */
	assert_int_equal(r.nnotes, 8);
	for (size_t i = 0; i < r.nnotes; i++) {
		char *line = xasprintf("#   - %s\n", r.notes[i]);

		assert_non_null(strstr(r.yaml, line));
		free(line);
	}
	gt_renacer_result_free(&r);
	gt_toml_free(doc);
}

static void test_unbound_commented(void **state)
{
	struct gt_renacer_run runs[] = { { "a", "true" } };
	struct gt_renacer_result r;
	struct gt_error err = {0};
	struct gt_toml *doc = doc_of("[[assertion]]\nname = \"a\"\ntype = \"critical_path\"\n"
				     "max_duration_ms = 10\n"
				     "[[assertion]]\nname = \"b\"\ntype = \"critical_path\"\n"
				     "max_duration_ms = 20\nfail_on_violation = false\n"
				     "[[assertion]]\nname = \"m\"\ntype = \"memory_usage\"\n"
				     "max_bytes = 1000\n");
	struct gt_config *cfg;

	(void)state;
	assert_int_equal(gt_renacer_translate(doc, "r.toml", runs, 1, &r, &err), GT_OK);
	assert_int_equal(r.ncases, 2);
	assert_int_equal(r.nbound, 1);
	assert_non_null(strstr(r.yaml, "  # - name: b\n  #   run: [CMD, ARGS]\n"));
	assert_non_null(strstr(r.yaml, "give --run b='CMD ARGS'"));
	/* allocations is the default mode: approximate, and said so */
	assert_true(has_note(&r, "'m': tracking_mode \"allocations\"", "approximately"));
	assert_true(has_note(&r, "'b': fail_on_violation = false", NULL));
	cfg = load_yaml(r.yaml);
	assert_int_equal(cfg->ncases, 1);
	assert_string_equal(cfg->cases[0].name, "a");
	assert_int_equal(cfg->cases[0].budgets.max_rss_bytes, 1000);
	assert_int_equal(cfg->cases[0].budgets.max_syscalls, 0);
	gt_config_free(cfg);
	gt_renacer_result_free(&r);

	/* bound, the warn-only budget stays a comment */
	{
		struct gt_renacer_run both[] = { { "a", "true" }, { "b", "false x" } };

		assert_int_equal(gt_renacer_translate(doc, "r.toml", both, 2, &r, &err), GT_OK);
		cfg = load_yaml(r.yaml);
		assert_int_equal(cfg->ncases, 2);
		assert_true(gt_config_case(cfg, "b")->budgets.max_duration_ms == 0);
		assert_true(gt_config_case(cfg, "a")->budgets.max_duration_ms == 10);
		assert_non_null(strstr(r.yaml, "    # budgets:\n    #   max_duration_ms: 20"));
		gt_config_free(cfg);
		gt_renacer_result_free(&r);
	}
	gt_toml_free(doc);
}

/* Two long names cut to the same case name stay unique and within the
 * longest name a config takes (found by fuzz-toml). */
static void test_long_names(void **state)
{
	struct gt_buf t = {0};
	struct gt_renacer_result r;
	struct gt_error err = {0};
	struct gt_renacer_run runs[2];
	char name[2][200];
	struct gt_toml *doc;
	struct gt_config *cfg;

	(void)state;
	for (int i = 0; i < 2; i++) {
		memset(name[i], 'w', sizeof(name[i]) - 1);
		name[i][sizeof(name[i]) - 1] = '\0';
		name[i][150] = (char)('a' + i); /* past the cut */
		gt_buf_printf(&t, "[[assertion]]\nname = \"%s\"\ntype = \"critical_path\"\n"
				  "max_duration_ms = 5\n", name[i]);
		runs[i].name = name[i];
		runs[i].cmd = "true";
	}
	doc = doc_of(t.s);
	assert_int_equal(gt_renacer_translate(doc, "r.toml", runs, 2, &r, &err), GT_OK);
	cfg = load_yaml(r.yaml);
	assert_int_equal(cfg->ncases, 2);
	assert_int_equal(strlen(cfg->cases[0].name), GT_CONFIG_MAX_NAME);
	assert_int_equal(strlen(cfg->cases[1].name), GT_CONFIG_MAX_NAME);
	assert_string_equal(cfg->cases[1].name + GT_CONFIG_MAX_NAME - 2, "-2");
	gt_config_free(cfg);
	gt_renacer_result_free(&r);
	gt_toml_free(doc);
	gt_buf_free(&t);
}

/* renacer allows a budget of 0; gtdiff's budgets are greater than 0 (a
 * case of max_duration_ms = 0 made a config that did not load: found by
 * fuzz-toml). */
static void test_zero_budgets(void **state)
{
	struct gt_renacer_run runs[] = { { "z", "true" } };
	struct gt_renacer_result r;
	struct gt_error err = {0};
	struct gt_toml *doc = doc_of("[[assertion]]\nname = \"z\"\ntype = \"critical_path\"\n"
				     "max_duration_ms = 0\n"
				     "[[assertion]]\nname = \"s\"\ntype = \"span_count\"\nmax_spans = 0\n"
				     "[[assertion]]\nname = \"m\"\ntype = \"memory_usage\"\nmax_bytes = 0\n");
	struct gt_config *cfg;

	(void)state;
	assert_int_equal(gt_renacer_translate(doc, "r.toml", runs, 1, &r, &err), GT_OK);
	cfg = load_yaml(r.yaml);
	assert_true(cfg->cases[0].budgets.max_duration_ms == 0);
	assert_int_equal(cfg->cases[0].budgets.max_syscalls, 0);
	assert_int_equal(cfg->cases[0].budgets.max_rss_bytes, 0);
	assert_true(has_note(&r, "'z': max_duration_ms = 0 is no gtdiff budget", NULL));
	assert_true(has_note(&r, "'s': max_spans = 0 is no gtdiff budget", NULL));
	assert_true(has_note(&r, "'m': max_bytes = 0 is no gtdiff budget", NULL));
	assert_non_null(strstr(r.yaml, "    #   max_duration_ms: 0  # critical_path: wall time; 0 is"));
	gt_config_free(cfg);
	gt_renacer_result_free(&r);
	gt_toml_free(doc);
}

static void test_no_cases(void **state)
{
	struct gt_renacer_result r;
	struct gt_error err = {0};
	struct gt_toml *doc = doc_of("");

	(void)state;
	assert_int_equal(gt_renacer_translate(doc, "r.toml", NULL, 0, &r, &err), GT_OK);
	assert_int_equal(r.ncases, 0);
	assert_int_equal(r.nnotes, 0);
	assert_non_null(strstr(r.yaml, "version: 1\n"));
	assert_non_null(strstr(r.yaml, "# No critical_path assertion"));
	gt_renacer_result_free(&r);
	gt_toml_free(doc);
}

static void translate_bad(const char *text, const struct gt_renacer_run *runs, size_t nruns,
			  enum gt_rc want, const char *msg)
{
	struct gt_renacer_result r;
	struct gt_error err = {0};
	struct gt_toml *doc = doc_of(text);

	assert_int_equal(gt_renacer_translate(doc, "r.toml", runs, nruns, &r, &err), want);
	assert_null(r.yaml);
	if (!strstr(err.msg, msg))
		fail_msg("wanted '%s' in '%s'", msg, err.msg);
	gt_toml_free(doc);
}

static void test_bad(void **state)
{
	static const char cp[] = "[[assertion]]\nname = \"a\"\ntype = \"critical_path\"\n"
				 "max_duration_ms = 10\n";
	struct gt_renacer_run r1[] = { { "nope", "true" } };
	struct gt_renacer_run r2[] = { { "a", "true" }, { "a", "false" } };
	struct gt_renacer_run r3[] = { { "a", "sort 'open" } };
	struct gt_renacer_run r4[] = { { "a", "   " } };

	(void)state;
	translate_bad("[[assertion]]\ntype = \"span_count\"\n", NULL, 0, GT_ERR_FORMAT,
		      "r.toml:1:1: assertion has no 'name'");
	translate_bad("[[assertion]]\nname = \"x\"\n", NULL, 0, GT_ERR_FORMAT,
		      "r.toml:1:1: assertion 'x' has no 'type'");
	translate_bad("[[assertion]]\nname = \"x\"\ntype = \"span_count\"\nmax_spans = \"9\"\n", NULL,
		      0, GT_ERR_FORMAT,
		      "r.toml:4:13: assertion 'x': 'max_spans' must be an integer, not a string");
	translate_bad("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\nmax_duration_ms = -5\n",
		      NULL, 0, GT_ERR_FORMAT, "r.toml:4:19: assertion 'x': 'max_duration_ms' must not be negative");
	translate_bad("[[assertion]]\nname = \"x\"\ntype = \"critical_path\"\n", NULL, 0,
		      GT_ERR_FORMAT, "assertion 'x' has no 'max_duration_ms'");
	translate_bad("[[assertion]]\nname = \"x\"\ntype = \"memory_usage\"\nmax_bytes = 1\n"
		      "tracking_mode = \"heap\"\n",
		      NULL, 0, GT_ERR_FORMAT, "r.toml:5:17: assertion 'x': tracking_mode must be");
	translate_bad("[[assertion]]\nname = 1\n", NULL, 0, GT_ERR_FORMAT,
		      "'name' must be a string, not an integer");
	translate_bad("[[assertion]]\nname = \"x\"\ntype = \"custom\"\nenabled = \"no\"\n", NULL, 0,
		      GT_ERR_FORMAT, "'enabled' must be a boolean, not a string");
	translate_bad("[assertion]\nname = \"x\"\n", NULL, 0, GT_ERR_FORMAT,
		      "r.toml:1:1: 'assertion' must be an array of tables ([[assertion]]), not a table");
	translate_bad(cp, r1, 1, GT_ERR_USAGE,
		      "--run nope: r.toml has no critical_path assertion of that name (its cases: 'a')");
	translate_bad("", r1, 1, GT_ERR_USAGE, "(it has none)");
	translate_bad(cp, r2, 2, GT_ERR_USAGE, "--run a: given twice");
	translate_bad(cp, r3, 1, GT_ERR_USAGE, "--run a: unterminated ' in the command");
	translate_bad(cp, r4, 1, GT_ERR_USAGE, "--run a: the command is empty");
}

/* S written as a YAML scalar in a run: list reads back as S. */
static void roundtrip(const char *s)
{
	struct gt_buf y = {0};
	char prog[] = "prog", *arg = xstrdup(s);
	char *argv[] = { prog, arg, NULL };
	struct gt_config *cfg;

	gt_buf_puts(&y, "version: 1\ncases:\n  - name: x\n    run: ");
	gt_confgen_argv(&y, argv);
	gt_buf_puts(&y, "\n");
	cfg = load_yaml(y.s);
	if (strcmp(cfg->cases[0].run[1], s) != 0)
		fail_msg("'%s' read back as '%s' from %s", s, cfg->cases[0].run[1], y.s);
	gt_config_free(cfg);
	gt_buf_free(&y);
	free(arg);
}

static void scalar_is(const char *s, const char *want)
{
	struct gt_buf b = {0};

	gt_confgen_scalar(&b, s);
	assert_string_equal(b.s, want);
	gt_buf_free(&b);
}

static void test_scalars(void **state)
{
	static const char *const tricky[] = {
		"sort", "-la", "--out=x.txt", "2", "0x10", "-1", ".5", "yes", "No", "null", "~", "",
		"a b", "a: b", "a,b", "[x]", "{y}", "#c", "x #c", "'q'", "\"dq\"", "back\\slash",
		"tab\there", "new\nline", "&anchor", "*alias", "!tag", "%dir", "@at", "`tick`", "|",
		">", "?", "-", ":", "caf\xc3\xa9", "$HOME/x", "a=b", "+x", "/abs/path", "./rel",
		".hidden", "-.inf", "100%", "ctrl\x01",
	};

	(void)state;
	for (size_t i = 0; i < GT_ARRAY_SIZE(tricky); i++)
		roundtrip(tricky[i]);
	scalar_is("sort", "sort");
	scalar_is("-la", "-la");
	scalar_is("fixtures/a.txt", "fixtures/a.txt");
	scalar_is("2", "\"2\"");
	scalar_is("true", "\"true\"");
	scalar_is("a b", "\"a b\"");
	scalar_is("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"");
	scalar_is("", "\"\"");
}

static void test_names_and_comments(void **state)
{
	char *n;
	struct gt_buf b = {0};
	char longname[300];

	(void)state;
	n = gt_confgen_case_name("api latency/v2:p99");
	assert_string_equal(n, "api-latency-v2-p99");
	free(n);
	n = gt_confgen_case_name("ok_name-1.2");
	assert_string_equal(n, "ok_name-1.2");
	free(n);
	/* found by fuzz-toml: <case>.new.json would be a kept run */
	n = gt_confgen_case_name("latency.new");
	assert_string_equal(n, "latency-new");
	free(n);
	n = gt_confgen_case_name(".new");
	assert_string_equal(n, "-new");
	free(n);
	n = gt_confgen_case_name("");
	assert_string_equal(n, "case");
	free(n);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	n = gt_confgen_case_name(longname);
	assert_int_equal(strlen(n), GT_CONFIG_MAX_NAME);
	free(n);
	gt_confgen_comment_text(&b, "line\nbreak\r\x1b[31m");
	assert_string_equal(b.s, "line?break??[31m");
	gt_buf_free(&b);
}

static void split_is(const char *cmd, const char *const *want)
{
	char **w = NULL;
	struct gt_error err = {0};
	size_t i;

	assert_int_equal(gt_confgen_split(cmd, &w, &err), GT_OK);
	if (!want) {
		if (w)
			fail_msg("'%s' split, wanted a shell", cmd);
		return;
	}
	assert_non_null(w);
	for (i = 0; want[i]; i++) {
		assert_non_null(w[i]);
		assert_string_equal(w[i], want[i]);
	}
	assert_null(w[i]);
	gt_confgen_words_free(w);
}

static void test_split(void **state)
{
	static const char *const w1[] = { "sort", "-r", "fruits.txt", NULL };
	static const char *const w2[] = { "grep", "a b", "it's", "", "x\\y", NULL };
	static const char *const w3[] = { "printf", "%s\\n", "$", NULL };
	static const char *const w4[] = { "a=b", NULL };
	static const char *const w5[] = { "./x", "a=b", NULL };
	char **w;
	struct gt_error err = {0};

	(void)state;
	split_is("  sort -r\tfruits.txt ", w1);
	split_is("grep 'a b' it\\'s \"\" \"x\\\\y\"", w2);
	split_is("printf '%s\\n' \\$", w3);
	split_is("./x a=b", w5);
	split_is("'a=b'", w4);
	split_is("sort a | head", NULL);
	split_is("sort a > out", NULL);
	split_is("echo $HOME", NULL);
	split_is("echo \"$HOME\"", NULL);
	split_is("ls *.c", NULL);
	split_is("a; b", NULL);
	split_is("a && b", NULL);
	split_is("echo `date`", NULL);
	split_is("LC_ALL=C sort x", NULL);
	split_is("cd ~", NULL);
	split_is("a #comment", NULL);
	assert_int_equal(gt_confgen_split("sort \"open", &w, &err), GT_ERR_USAGE);
	assert_non_null(strstr(err.msg, "unterminated \""));
	assert_int_equal(gt_confgen_split("", &w, &err), GT_ERR_USAGE);
	assert_null(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translate),
		cmocka_unit_test(test_unbound_commented),
		cmocka_unit_test(test_zero_budgets),
		cmocka_unit_test(test_long_names),
		cmocka_unit_test(test_no_cases),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_names_and_comments),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

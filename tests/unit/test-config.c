/*
 * test-config: gtdiff.yaml loading (gtconfig.c): every field of the full
 * fixture read as written, defaults inherited and overridden (maps merged
 * key by key, lists replaced), path resolution, the tolerance syntax, every
 * error message with its exact file:line:column, the "did you mean"
 * suggestions, a config of 1000 cases and the manual's example.  Run under ASan, the error
 * tests also prove that no error path leaks.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "gtconfig.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef GT_SRCDIR
#define GT_SRCDIR "."
#endif

#define GOOD_DIR GT_SRCDIR "/fixtures/config/good"
#define BAD_DIR GT_SRCDIR "/fixtures/config/bad"

/* realpath() of a directory that must exist (caller frees). */
static char *real(const char *path)
{
	char *r = realpath(path, NULL);

	assert_non_null(r);
	return r;
}

static struct gt_config *load_ok(const char *path)
{
	struct gt_config *c = NULL;
	struct gt_error err = { 0 };
	enum gt_rc rc = gt_config_load(path, &c, &err);

	if (rc != GT_OK)
		fail_msg("%s: %s", path, err.msg);
	assert_non_null(c);
	return c;
}

static struct gt_config *parse_ok(const char *yaml)
{
	struct gt_config *c = NULL;
	struct gt_error err = { 0 };
	enum gt_rc rc = gt_config_parse(yaml, strlen(yaml), "t.yaml", "/cfg", &c, &err);

	if (rc != GT_OK)
		fail_msg("%s", err.msg);
	assert_non_null(c);
	return c;
}

/* Mismatches of parse_bad, reported all together at the end of a test. */
static int nbad;

/* YAML must be refused with exactly "t.yaml:" MSG. */
static void parse_bad(const char *yaml, const char *msg)
{
	struct gt_config *c = (struct gt_config *)1;
	struct gt_error err = { 0 };
	char want[1100];
	enum gt_rc rc = gt_config_parse(yaml, strlen(yaml), "t.yaml", "/cfg", &c, &err);

	snprintf(want, sizeof(want), "t.yaml:%s", msg);
	if (rc != GT_ERR_FORMAT || strcmp(err.msg, want) != 0) {
		print_error("for:\n%s\nwant rc %d: %s\ngot  rc %d: %s\n", yaml, GT_ERR_FORMAT,
			    want, rc, err.msg);
		nbad++;
	}
	assert_null(c);
}

static void assert_strv(char *const *v, size_t n, const char *const *want)
{
	size_t i;

	assert_non_null(v);
	for (i = 0; want[i]; i++) {
		assert_true(i < n);
		assert_string_equal(v[i], want[i]);
	}
	assert_int_equal(n, i);
	assert_null(v[n]);
}

static void assert_tol(struct gt_tol t, enum gt_tol_kind kind, double value)
{
	assert_int_equal(t.kind, kind);
	assert_true(fabs(t.value - value) < 1e-9);
}

/* The per-syscall tolerance of NAME, which must be set. */
static struct gt_tol per(const struct gt_count_tol *t, const char *name)
{
	for (size_t i = 0; i < t->nper; i++)
		if (strcmp(t->per[i].syscall, name) == 0)
			return t->per[i].tol;
	fail_msg("no tolerance for %s", name);
	return (struct gt_tol){ GT_TOL_EXACT, -1 };
}

/* --- tolerances --------------------------------------------------------- */

static void test_tol_parse(void **state)
{
	static const struct {
		const char *in;
		bool ok;
		enum gt_tol_kind kind;
		double value;
	} t[] = {
		{ "0", true, GT_TOL_EXACT, 0 },
		{ "0.0", true, GT_TOL_EXACT, 0 },
		{ "\xc2\xb1" "0", true, GT_TOL_EXACT, 0 },
		{ "0%", true, GT_TOL_EXACT, 0 },
		{ "3", true, GT_TOL_ABS, 3 },
		{ "2.5", true, GT_TOL_ABS, 2.5 },
		{ "\xc2\xb1" "3", true, GT_TOL_ABS, 3 },
		{ "+-3", true, GT_TOL_ABS, 3 },
		{ "+-0.5", true, GT_TOL_ABS, 0.5 },
		{ "10%", true, GT_TOL_PCT, 10 },
		{ "12.5%", true, GT_TOL_PCT, 12.5 },
		{ "\xc2\xb1" "10%", true, GT_TOL_PCT, 10 },
		{ "250%", true, GT_TOL_PCT, 250 },
		{ "", false, 0, 0 },
		{ "%", false, 0, 0 },
		{ "10%%", false, 0, 0 },
		{ "%10", false, 0, 0 },
		{ "-3", false, 0, 0 },
		{ "-3%", false, 0, 0 },
		{ "\xc2\xb1-3", false, 0, 0 },
		{ "+3", false, 0, 0 },
		{ "+-", false, 0, 0 },
		{ "\xc2\xb1", false, 0, 0 },
		{ "abc", false, 0, 0 },
		{ "3x", false, 0, 0 },
		{ " 3", false, 0, 0 },
		{ "3 ", false, 0, 0 },
		{ "1e3", false, 0, 0 },
		{ "0x10", false, 0, 0 },
		{ "inf", false, 0, 0 },
		{ "nan", false, 0, 0 },
		{ ".5", false, 0, 0 },
		{ "5.", false, 0, 0 },
		{ "1.2.3", false, 0, 0 },
		{ "+--3", false, 0, 0 },
	};

	for (size_t i = 0; i < GT_ARRAY_SIZE(t); i++) {
		struct gt_tol out = { GT_TOL_PCT, -1 };
		bool ok = gt_tol_parse(t[i].in, &out);

		if (ok != t[i].ok)
			fail_msg("gt_tol_parse(\"%s\") = %d, want %d", t[i].in, ok, t[i].ok);
		if (ok)
			assert_tol(out, t[i].kind, t[i].value);
	}
	assert_false(gt_tol_parse(NULL, &(struct gt_tol){ 0 }));
}

static void test_tol_slack_for(void **state)
{
	char rd[] = "read", op[] = "openat";
	struct gt_tol_syscall p[] = {
		{ rd, { GT_TOL_PCT, 10 } },
		{ op, { GT_TOL_ABS, 2 } },
	};
	struct gt_count_tol t = { { GT_TOL_EXACT, 0 }, p, 2 };

	assert_true(gt_tol_slack((struct gt_tol){ GT_TOL_EXACT, 0 }, 1000) == 0);
	assert_true(gt_tol_slack((struct gt_tol){ GT_TOL_ABS, 3 }, 1000) == 3);
	assert_true(gt_tol_slack((struct gt_tol){ GT_TOL_PCT, 10 }, 1000) == 100);
	assert_true(gt_tol_slack((struct gt_tol){ GT_TOL_PCT, 12.5 }, 8) == 1);
	assert_tol(gt_tol_for(&t, "read"), GT_TOL_PCT, 10);
	assert_tol(gt_tol_for(&t, "openat"), GT_TOL_ABS, 2);
	assert_tol(gt_tol_for(&t, "write"), GT_TOL_EXACT, 0);
	assert_tol(gt_tol_for(&t, NULL), GT_TOL_EXACT, 0);
}

/* --- good configs ------------------------------------------------------- */

static void test_builtin_defaults(void **state)
{
	struct gt_config *c = parse_ok("version: 1\ncases: [{name: a, run: [true]}]\n");
	const struct gt_case *k = gt_config_case(c, "a");

	assert_int_equal(c->version, 1);
	assert_string_equal(c->path, "t.yaml");
	assert_string_equal(c->dir, "/cfg");
	assert_string_equal(c->golden_dir, "/cfg/golden_traces");
	assert_int_equal(c->ncases, 1);
	assert_ptr_equal(k, &c->cases[0]);
	assert_int_equal(k->line, 2);
	assert_string_equal(k->run[0], "true");
	assert_null(k->run[1]);
	assert_null(k->shell);
	assert_string_equal(k->cwd, "/cfg");
	assert_false(k->has_expect_exit);
	assert_int_equal(k->runs, 5);
	assert_int_equal(k->backend, gt_backend_default());
	assert_true(k->timeout_s == 60);
	assert_null(k->env);
	assert_null(k->keep_env);
	assert_null(k->stdin_path);
	assert_null(k->paths);
	assert_int_equal(k->npaths, 0);
	assert_null(k->unordered);
	assert_null(k->ignore);
	assert_false(k->keep_loader_probes);
	assert_tol(k->tol.counts.dflt, GT_TOL_EXACT, 0);
	/* Built in: brk's count follows memory layout, ±2. */
	assert_int_equal(k->tol.counts.nper, 1);
	assert_tol(per(&k->tol.counts, "brk"), GT_TOL_ABS, 2);
	assert_true(k->tol.duration.mads == 4);
	assert_true(k->tol.duration.floor_pct == 25);
	assert_true(k->tol.duration.gross == 2);
	assert_int_equal(k->tol.duration.gate, GT_GATE_GROSS);
	assert_true(k->tol.duration.alpha == 0.01);
	assert_int_equal(k->tol.duration.reruns, 4);
	assert_false(k->tol.exact_order);
	assert_true(k->tol.duration.rerun_time_s == 60);
	assert_true(k->tol.rss_pct == 25);
	assert_true(k->budgets.max_duration_ms == 0);
	assert_true(k->budgets.max_syscalls == 0);
	assert_true(k->budgets.max_rss_bytes == 0);
	assert_null(k->budgets.forbid_syscalls);
	assert_null(k->budgets.forbid_write_paths);
	/* The defaults record the same. */
	assert_null(c->defaults.name);
	assert_int_equal(c->defaults.runs, 5);
	assert_string_equal(c->defaults.cwd, "/cfg");
	gt_config_free(c);
}

static void test_full_fixture(void **state)
{
	char *dir = real(GOOD_DIR);
	char *want;
	struct gt_config *c = load_ok(GOOD_DIR "/full.yaml");
	const struct gt_case *d = &c->defaults, *a, *b, *k;

	assert_string_equal(c->path, GOOD_DIR "/full.yaml");
	assert_string_equal(c->dir, dir);
	want = xasprintf("%s/goldens", dir);
	assert_string_equal(c->golden_dir, want);
	free(want);
	assert_int_equal(c->ncases, 3);

	/* defaults: every key as written */
	assert_int_equal(d->runs, 7);
	assert_int_equal(d->backend, GT_BACKEND_SECCOMP);
	assert_true(d->timeout_s == 1.5);
	assert_strv(d->env, d->nenv, (const char *const[]){ "LC_ALL=C", "TZ=UTC", NULL });
	assert_strv(d->keep_env, d->nkeep_env, (const char *const[]){ "TERM", "HOME", NULL });
	want = xasprintf("%s/input.txt", dir);
	assert_string_equal(d->stdin_path, want);
	free(want);
	assert_string_equal(d->cwd, dir);
	assert_true(d->has_expect_exit);
	assert_int_equal(d->expect_exit, 0);
	assert_int_equal(d->npaths, 2);
	assert_string_equal(d->paths[0].prefix, "/opt/build"); /* trailing '/' dropped */
	assert_string_equal(d->paths[0].as, "$BUILD");
	assert_string_equal(d->paths[1].prefix, "/srv/cache");
	assert_string_equal(d->paths[1].as, "$CACHE");
	assert_strv(d->unordered, d->nunordered,
		    (const char *const[]){ "futex", "clock_nanosleep", "sched_yield", NULL });
	assert_strv(d->ignore, d->nignore, (const char *const[]){ "getrandom", NULL });
	assert_true(d->keep_loader_probes);
	assert_tol(d->tol.counts.dflt, GT_TOL_EXACT, 0);
	assert_int_equal(d->tol.counts.nper, 3); /* + the built-in brk */
	assert_tol(per(&d->tol.counts, "read"), GT_TOL_PCT, 10);
	assert_tol(per(&d->tol.counts, "openat"), GT_TOL_ABS, 2);
	assert_true(d->tol.duration.mads == 3.5);
	assert_true(d->tol.duration.floor_pct == 30);
	assert_true(d->tol.duration.gross == 3);
	assert_int_equal(d->tol.duration.gate, GT_GATE_TIGHT);
	assert_true(d->tol.duration.alpha == 0.05);
	assert_true(d->tol.rss_pct == 40);
	assert_true(d->budgets.max_duration_ms == 2500.5);
	assert_true(d->budgets.max_syscalls == 100000);
	assert_true(d->budgets.max_rss_bytes == 536870912);
	assert_strv(d->budgets.forbid_syscalls, d->budgets.nforbid_syscalls,
		    (const char *const[]){ "connect", NULL });
	assert_strv(d->budgets.forbid_write_paths, d->budgets.nforbid_write_paths,
		    (const char *const[]){ "$HOME/**", NULL });

	/* inherit: a copy of the defaults, with its own storage */
	a = gt_config_case(c, "inherit");
	assert_non_null(a);
	assert_int_equal(a->line, 33);
	assert_strv(a->run, 3, (const char *const[]){ "ls", "-la", "fixtures/tree", NULL });
	assert_null(a->shell);
	assert_int_equal(a->runs, 7);
	assert_int_equal(a->backend, GT_BACKEND_SECCOMP);
	assert_true(a->timeout_s == 1.5);
	assert_strv(a->env, a->nenv, (const char *const[]){ "LC_ALL=C", "TZ=UTC", NULL });
	assert_ptr_not_equal(a->env, d->env);
	assert_ptr_not_equal(a->env[0], d->env[0]);
	assert_string_equal(a->stdin_path, d->stdin_path);
	assert_string_equal(a->cwd, dir);
	assert_true(a->has_expect_exit);
	assert_int_equal(a->npaths, 2);
	assert_ptr_not_equal(a->paths, d->paths);
	assert_string_equal(a->paths[1].as, "$CACHE");
	assert_int_equal(a->nunordered, 3);
	assert_true(a->keep_loader_probes);
	assert_int_equal(a->tol.counts.nper, 3); /* read, openat, built-in brk */
	assert_int_equal(a->tol.duration.gate, GT_GATE_TIGHT);
	assert_true(a->budgets.max_rss_bytes == 536870912);
	assert_int_equal(a->budgets.nforbid_write_paths, 1);

	/* override: scalars replace, maps merge key by key, lists replace */
	b = gt_config_case(c, "override.all_keys-1");
	assert_non_null(b);
	assert_null(b->run);
	assert_string_equal(b->shell, "ls | wc -l");
	want = xasprintf("%s/missing/dir", dir);
	assert_string_equal(b->cwd, want); /* does not exist: joined, cleaned */
	free(want);
	assert_true(b->has_expect_exit);
	assert_int_equal(b->expect_exit, 3);
	assert_int_equal(b->runs, 1);
	assert_int_equal(b->backend, GT_BACKEND_PTRACE);
	assert_true(fabs(b->timeout_s - 0.5) < 1e-12);
	assert_strv(b->env, b->nenv, (const char *const[]){ "LC_ALL=C", "TZ=Europe/Paris",
							      "LANG=", "NUM=42", NULL });
	assert_strv(b->keep_env, b->nkeep_env, (const char *const[]){ "PATH", NULL });
	assert_string_equal(b->stdin_path, "/dev/zero");
	assert_int_equal(b->npaths, 2); /* canonicalize merged: paths kept */
	assert_non_null(b->unordered); /* given empty: none, not the built-in list */
	assert_int_equal(b->nunordered, 0);
	assert_null(b->unordered[0]);
	assert_strv(b->ignore, b->nignore, (const char *const[]){ "getrandom", NULL });
	assert_false(b->keep_loader_probes);
	assert_tol(b->tol.counts.dflt, GT_TOL_EXACT, 0);
	assert_int_equal(b->tol.counts.nper, 4); /* + the built-in brk */
	assert_tol(per(&b->tol.counts, "read"), GT_TOL_ABS, 5);
	assert_tol(per(&b->tol.counts, "openat"), GT_TOL_ABS, 2);
	assert_tol(per(&b->tol.counts, "write"), GT_TOL_ABS, 3);
	assert_tol(gt_tol_for(&b->tol.counts, "close"), GT_TOL_EXACT, 0);
	assert_int_equal(b->tol.duration.gate, GT_GATE_GROSS);
	assert_true(b->tol.duration.mads == 3.5); /* duration merged */
	assert_true(b->tol.duration.alpha == 0.05);
	assert_true(b->tol.rss_pct == 0);
	assert_true(b->budgets.max_syscalls == 10);
	assert_true(b->budgets.max_duration_ms == 2500.5); /* budgets merged */
	assert_strv(b->budgets.forbid_syscalls, b->budgets.nforbid_syscalls,
		    (const char *const[]){ "connect", NULL });
	assert_strv(b->budgets.forbid_write_paths, b->budgets.nforbid_write_paths,
		    (const char *const[]){ "$CWD/out/**", "/etc/**", NULL });

	/* a scalar counts tolerance is the default; the overrides stay */
	k = gt_config_case(c, "counts-scalar");
	assert_non_null(k);
	assert_strv(k->run, 6, (const char *const[]){ "sh", "-c", "exit 0", "", "1", "true",
						     NULL });
	assert_true(k->timeout_s == 120);
	assert_tol(k->tol.counts.dflt, GT_TOL_PCT, 12.5);
	assert_tol(gt_tol_for(&k->tol.counts, "read"), GT_TOL_PCT, 10);
	assert_tol(gt_tol_for(&k->tol.counts, "close"), GT_TOL_PCT, 12.5);
	assert_int_equal(k->npaths, 1); /* the list replaced */
	assert_string_equal(k->paths[0].prefix, "/tmp/x");
	assert_string_equal(k->paths[0].as, "$X");
	assert_strv(k->ignore, k->nignore, (const char *const[]){ "getrandom", "rseq", NULL });
	assert_int_equal(k->nunordered, 3);

	assert_null(gt_config_case(c, "nope"));
	assert_null(gt_config_case(c, NULL));
	assert_null(gt_config_case(NULL, "inherit"));
	gt_config_free(c);
	free(dir);
}

static void test_anchors(void **state)
{
	struct gt_config *c = load_ok(GOOD_DIR "/anchors.yaml");
	const struct gt_case *a = gt_config_case(c, "first"), *b = gt_config_case(c, "second");
	const struct gt_case *t = gt_config_case(c, "third");

	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(t);
	assert_strv(a->run, 2, (const char *const[]){ "prog", "--flag", NULL });
	assert_strv(b->run, 2, (const char *const[]){ "prog", "--flag", NULL });
	assert_ptr_not_equal(a->run[0], b->run[0]);
	assert_strv(b->env, b->nenv, (const char *const[]){ "LC_ALL=C", NULL });
	assert_strv(t->env, t->nenv, (const char *const[]){ "LC_ALL=C", NULL });
	assert_true(b->budgets.max_syscalls == 5);
	assert_strv(b->budgets.forbid_syscalls, b->budgets.nforbid_syscalls,
		    (const char *const[]){ "connect", "bind", NULL });
	assert_string_equal(t->shell, "true");
	gt_config_free(c);
}

static void test_paths(void **state)
{
	char tmpl[] = "/tmp/gt-config-XXXXXX";
	char *tmp, *sub, *link, *yaml, *want, *old = getcwd(NULL, 0);
	struct gt_config *c = NULL;
	struct gt_error err = { 0 };
	const struct gt_case *k;

	assert_non_null(mkdtemp(tmpl));
	tmp = real(tmpl);
	sub = xasprintf("%s/real", tmp);
	link = xasprintf("%s/link", tmp);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(symlink("real", link), 0);
	yaml = xasprintf("version: 1\ngolden_dir: ../%s/./g\n"
			 "defaults: {cwd: link, stdin: link/in}\n"
			 "cases:\n"
			 "  - {name: a, run: [x]}\n"
			 "  - {name: b, run: [x], cwd: ., stdin: /abs/in}\n"
			 "  - {name: c, run: [x], cwd: /no/such/../dir/.}\n"
			 "  - {name: d, run: [x], cwd: ../..}\n",
			 strrchr(tmp, '/') + 1);
	/* DIR relative to the current directory is made absolute. */
	assert_int_equal(chdir(tmp), 0);
	assert_int_equal(gt_config_parse(yaml, strlen(yaml), NULL, ".", &c, &err), GT_OK);
	assert_string_equal(c->path, "gtdiff.yaml");
	assert_string_equal(c->dir, tmp);
	want = xasprintf("%s/g", tmp);
	assert_string_equal(c->golden_dir, want); /* joined and cleaned */
	free(want);
	k = gt_config_case(c, "a");
	assert_string_equal(k->cwd, sub); /* exists: the real path */
	want = xasprintf("%s/link/in", tmp);
	assert_string_equal(k->stdin_path, want); /* missing: relative to the config */
	free(want);
	k = gt_config_case(c, "b");
	assert_string_equal(k->cwd, tmp);
	assert_string_equal(k->stdin_path, "/abs/in");
	assert_string_equal(gt_config_case(c, "c")->cwd, "/no/dir");
	assert_string_equal(gt_config_case(c, "d")->cwd, "/");
	gt_config_free(c);

	/* NULL DIR: the current directory. */
	c = parse_ok("version: 1\ncases: [{name: a, run: [x]}]");
	gt_config_free(c);
	assert_int_equal(gt_config_parse(yaml, strlen(yaml), "n", NULL, &c, &err), GT_OK);
	assert_string_equal(c->dir, tmp);
	gt_config_free(c);

	assert_non_null(old);
	assert_int_equal(chdir(old), 0);
	free(old);
	unlink(link);
	rmdir(sub);
	rmdir(tmp);
	free(yaml);
	free(link);
	free(sub);
	free(tmp);
}

static void test_many_cases(void **state)
{
	struct gt_buf b = { 0 };
	struct gt_config *c;
	char name[32];

	gt_buf_puts(&b, "version: 1\ndefaults: {runs: 2, env: {A: b}}\ncases:\n");
	for (int i = 0; i < 1000; i++)
		gt_buf_printf(&b, "  - name: case-%d\n    run: [prog, \"%d\"]\n    runs: %d\n",
			      i, i, i % 1000 + 1);
	c = parse_ok(b.s);
	assert_int_equal(c->ncases, 1000);
	for (int i = 0; i < 1000; i += 111) {
		const struct gt_case *k;

		snprintf(name, sizeof(name), "case-%d", i);
		k = gt_config_case(c, name);
		assert_non_null(k);
		assert_int_equal(k->runs, i + 1);
		assert_int_equal(k->line, 4 + 3 * i);
		assert_string_equal(k->env[0], "A=b");
	}
	assert_non_null(gt_config_case(c, "case-999"));
	gt_config_free(c);
	gt_buf_free(&b);
}

/* --- errors ------------------------------------------------------------- */

static const struct {
	const char *file;
	const char *msg; /* after "PATH:" */
} bad[] = {
	{ "alias-undefined.yaml", "4:10: YAML syntax error: found undefined alias '*argv'" },
	{ "backend-bad.yaml", "3:12: bad backend 'ptarce': expected ptrace, seccomp, auto or ebpf; "
			      "did you mean 'ptrace'?" },
	{ "budget-negative.yaml", "6:21: 'max_syscalls' must not be negative" },
	{ "case-not-mapping.yaml",
	  "4:5: case 2 must be a mapping with 'name' and 'run' or 'shell'" },
	{ "cases-empty.yaml", "2:8: 'cases' is empty; add at least one case" },
	{ "cases-missing.yaml", "1:1: missing 'cases' (a list of the commands to trace)" },
	{ "cases-not-list.yaml", "3:3: 'cases' must be a list of cases" },
	{ "duplicate-key.yaml",
	  "6:5: duplicate key 'runs' in case 'x' (the first is at line 5, column 5)" },
	{ "empty-file.yaml", "1:1: the file is empty; it needs 'version: 1' and 'cases'" },
	{ "env-name-bad.yaml", "5:22: bad environment variable name '1FOO' in 'env' of case 'x'" },
	{ "expect-exit-range.yaml", "5:18: 'expect_exit' must be a whole number from 0 to 255" },
	{ "invalid-utf8.yaml", "4:13: YAML syntax error: invalid leading UTF-8 octet (byte 0xFF)" },
	{ "multiple-documents.yaml", "5:1: a second YAML document; gtdiff.yaml holds one" },
	{ "name-bad-chars.yaml", "3:11: bad case name 'my case': use only letters, digits, "
				 "'.', '_' and '-'" },
	{ "name-duplicate.yaml",
	  "7:11: duplicate case name 'x' (the first is at line 3, column 11)" },
	{ "name-missing.yaml", "3:5: case 1 has no 'name'" },
	{ "path-rule-no-as.yaml",
	  "6:15: path rule has no 'as' (write {prefix: /abs/dir, as: $NAME})" },
	{ "path-rule-no-prefix.yaml",
	  "5:9: path rule has no 'prefix' (write {prefix: /abs/dir, as: $NAME})" },
	{ "path-rule-prefix-relative.yaml", "6:24: 'prefix' must be an absolute path" },
	{ "run-and-shell-neither.yaml", "3:5: case 'x' has neither 'run' nor 'shell'" },
	{ "run-and-shell.yaml", "5:5: case 'x' has both 'run' and 'shell'; choose one" },
	{ "run-empty.yaml", "4:10: 'run' is empty; it needs at least the program to run" },
	{ "run-non-string.yaml", "4:15: 'run' element 2 must be a string" },
	{ "runs-out-of-range.yaml", "3:9: 'runs' must be a whole number from 1 to 1000" },
	{ "runs-wrong-type.yaml", "5:11: 'runs' must be a whole number from 1 to 1000" },
	{ "syscall-unknown.yaml", "4:14: unknown syscall 'getrandon' in "
				  "'defaults.canonicalize.ignore'; did you mean 'getrandom'?" },
	{ "timeout-bad.yaml", "5:14: bad timeout '5 minutes': expected seconds (60, 1.5) or a "
			      "number with a unit (500ms, 1.5s, 2m, 1h)" },
	{ "tolerance-bad.yaml",
	  "6:34: bad tolerance '10%%' for 'read': expected N, \xc2\xb1N, +-N or N%" },
	{ "tolerance-negative.yaml",
	  "4:13: bad tolerance '-3' for 'counts': expected N, \xc2\xb1N, +-N or N%" },
	{ "top-not-mapping.yaml",
	  "1:1: the top level must be a mapping with 'version' and 'cases'" },
	{ "unknown-key-canonicalize.yaml", "6:7: unknown key 'unorderd' in 'canonicalize' of "
					   "case 'x'; did you mean 'unordered'?" },
	{ "unknown-key-case.yaml", "5:5: unknown key 'rnus' in case 'x'; did you mean 'runs'?" },
	{ "unknown-key-no-suggestion.yaml",
	  "3:3: unknown key 'colour' in 'defaults'; known keys: runs, backend, timeout, env, "
	  "keep_env, stdin, cwd, expect_exit, setup, teardown, fresh_cwd, explain, canonicalize, "
	  "tolerance or budgets" },
	{ "unknown-key-top.yaml", "2:1: unknown key 'golden_dri' at the top level; did you mean "
				  "'golden_dir'?" },
	{ "version-missing.yaml", "1:1: missing 'version' (add 'version: 1')" },
	{ "version-unsupported.yaml",
	  "1:10: unsupported version '2' (this gtdiff reads version 1)" },
	{ "yaml-syntax.yaml", "5:9: YAML syntax error: did not find expected ',' or ']' (while "
			      "parsing a flow sequence at line 4, column 10)" },
};

static void test_bad_fixtures(void **state)
{
	for (size_t i = 0; i < GT_ARRAY_SIZE(bad); i++) {
		char *path = xasprintf("%s/%s", BAD_DIR, bad[i].file);
		char *want = xasprintf("%s:%s", path, bad[i].msg);
		struct gt_config *c = (struct gt_config *)1;
		struct gt_error err = { 0 };
		enum gt_rc rc = gt_config_load(path, &c, &err);

		if (rc != GT_ERR_FORMAT || strcmp(err.msg, want) != 0)
			fail_msg("%s\nwant rc %d: %s\ngot  rc %d: %s", bad[i].file, GT_ERR_FORMAT,
				 want, rc, err.msg);
		assert_null(c);
		free(want);
		free(path);
	}
}

/* Every bad fixture is in the table above, so none goes untested. */
static void test_bad_fixtures_all_listed(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		bool found = false;

		if (e->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < GT_ARRAY_SIZE(bad); i++)
			found = found || strcmp(bad[i].file, e->d_name) == 0;
		if (!found)
			fail_msg("fixtures/config/bad/%s is not in test-config.c", e->d_name);
		n++;
	}
	closedir(d);
	assert_int_equal(n, GT_ARRAY_SIZE(bad));
}

static void test_io_error(void **state)
{
	struct gt_config *c = (struct gt_config *)1;
	struct gt_error err = { 0 };

	assert_int_equal(gt_config_load("/no/such/gtdiff.yaml", &c, &err), GT_ERR_IO);
	assert_null(c);
	assert_non_null(strstr(err.msg, "/no/such/gtdiff.yaml"));
	c = (struct gt_config *)1;
	assert_int_equal(gt_config_load(BAD_DIR, &c, &err), GT_ERR_IO);
	assert_null(c);
	assert_non_null(strstr(err.msg, BAD_DIR));
	/* A NULL error record is fine. */
	assert_int_equal(gt_config_load("/no/such/gtdiff.yaml", &c, NULL), GT_ERR_IO);
	assert_int_equal(gt_config_parse("x: [", 4, "t", "/", &c, NULL), GT_ERR_FORMAT);
	assert_null(c);
}

#define V "version: 1\n"
#define CASE "cases:\n  - name: x\n    run: [true]\n"

/* More refusals, in memory. */
static void test_errors_inline(void **state)
{
	/* types */
	parse_bad(V "cases: [{name: x, run: ls -la}]",
		  "2:24: 'run' must be a list of strings (the argv); for a shell command line use "
		  "'shell'");
	parse_bad(V "cases: [{name: x, run: [~]}]", "2:25: 'run' element 1 must be a string");
	parse_bad(V "cases: [{name: x, run: [\"\", a]}]",
		  "2:25: 'run' must start with the program to run");
	parse_bad(V "cases: [{name: x, shell: \"\"}]", "2:26: 'shell' must not be empty");
	parse_bad(V "cases: [{name: x, shell: [ls]}]", "2:26: 'shell' must be a string");
	parse_bad(V "cases: [{name: [x], run: [a]}]", "2:16: 'name' must be a non-empty string");
	parse_bad(V "cases: [{name: x, run: [a], cwd: {}}]", "2:34: 'cwd' must be a path");
	parse_bad(V "cases: [{name: x, run: [a], stdin: ~}]", "2:36: 'stdin' must be a path");
	parse_bad(V "golden_dir: [a]\n" CASE, "2:13: 'golden_dir' must be a path");
	parse_bad(V "defaults: [runs]\n" CASE, "2:11: 'defaults' must be a mapping");
	parse_bad(V "defaults: {runs: 0}\n" CASE,
		  "2:18: 'runs' must be a whole number from 1 to 1000");
	parse_bad(V "defaults: {runs: 2.5}\n" CASE,
		  "2:18: 'runs' must be a whole number from 1 to 1000");
	parse_bad(V "defaults: {runs: 99999999999999999999999}\n" CASE,
		  "2:18: 'runs' must be a whole number from 1 to 1000");
	parse_bad(V "defaults: {expect_exit: -1}\n" CASE,
		  "2:25: 'expect_exit' must be a whole number from 0 to 255");
	parse_bad(V "defaults: {env: [A=b]}\n" CASE, "2:17: 'env' must be a mapping");
	parse_bad(V "defaults: {env: {A: [b]}}\n" CASE,
		  "2:21: 'A' in 'defaults.env' must be a string (write \"\" for an empty value)");
	parse_bad(V "defaults: {env: {A: }}\n" CASE,
		  "2:21: 'A' in 'defaults.env' must be a string (write \"\" for an empty value)");
	parse_bad(V "defaults: {env: {A-B: c}}\n" CASE,
		  "2:18: bad environment variable name 'A-B' in 'defaults.env'");
	parse_bad(V "defaults: {keep_env: TERM}\n" CASE, "2:22: 'keep_env' must be a list");
	parse_bad(V "defaults: {keep_env: [TERM, \"\"]}\n" CASE,
		  "2:29: bad environment variable name '' in 'defaults.keep_env'");
	parse_bad(V "defaults: {keep_env: [[TERM]]}\n" CASE,
		  "2:23: 'keep_env' item 1 must be a string");
	parse_bad(V "version: 1\n" CASE, "2:1: duplicate key 'version' at the top level (the first "
		  "is at line 1, column 1)");
	parse_bad(V "? [a]\n: b\n" CASE, "2:3: keys must be strings at the top level");
	parse_bad("version: [1]\n" CASE, "1:10: 'version' must be 1");
	parse_bad("version: 2\nnew_key: 1\n" CASE,
		  "1:10: unsupported version '2' (this gtdiff reads version 1)");
	parse_bad("verison: 1\n" CASE,
		  "1:1: unknown key 'verison' at the top level; did you mean 'version'?");
	parse_bad("version: \"1.0\"\n" CASE,
		  "1:10: unsupported version '1.0' (this gtdiff reads version 1)");
	parse_bad("version: 1\ncases: ~\n", "2:8: 'cases' must be a list of cases");
	parse_bad("42\n", "1:1: the top level must be a mapping with 'version' and 'cases'");
	parse_bad(V "cases: [{name: \"a\\0b\", run: [a]}]",
		  "2:16: 'name' must be a non-empty string; this one contains a NUL byte (\\0, "
		  "character 2 of the value), which no string here can hold");
	parse_bad(V "cases: [{name: x, run: [\"./he\\0llo\"]}]",
		  "2:25: 'run' element 1 must be a string; this one contains a NUL byte (\\0, "
		  "character 5 of the value), which no string here can hold");

	/* names */
	parse_bad(V "cases: [{name: x.new, run: [a]}]",
		  "2:16: bad case name 'x.new': a name must not end in '.new' (that is the name "
		  "of a failed run kept beside a golden)");
	parse_bad(V "cases: [{name: \"../x\", run: [a]}]",
		  "2:16: bad case name '../x': use only letters, digits, '.', '_' and '-'");
	parse_bad(V "cases: [{name: \"a\\nb\", run: [a]}]",
		  "2:16: bad case name 'a\\nb': use only letters, digits, '.', '_' and '-'");

	/* timeouts */
	parse_bad(V "defaults: {timeout: -5}\n" CASE,
		  "2:21: bad timeout '-5': expected seconds (60, 1.5) or a number with a unit "
		  "(500ms, 1.5s, 2m, 1h)");
	parse_bad(V "defaults: {timeout: 5d}\n" CASE,
		  "2:21: bad timeout '5d': expected seconds (60, 1.5) or a number with a unit "
		  "(500ms, 1.5s, 2m, 1h)");
	parse_bad(V "defaults: {timeout: ms}\n" CASE,
		  "2:21: bad timeout 'ms': expected seconds (60, 1.5) or a number with a unit "
		  "(500ms, 1.5s, 2m, 1h)");
	parse_bad(V "defaults: {timeout: 300h}\n" CASE,
		  "2:21: timeout '300h' is too long (at most 1000000 seconds; 0 for none)");
	parse_bad(V "defaults: {timeout: {s: 1}}\n" CASE,
		  "2:21: 'timeout' must be seconds (60, 1.5) or a number with a unit (500ms, 1.5s, "
		  "2m, 1h)");

	/* canonicalize */
	parse_bad(V "defaults: {canonicalize: {paths: {prefix: /a, as: $A}}}\n" CASE,
		  "2:34: 'paths' must be a list of {prefix, as} rules");
	parse_bad(V "defaults: {canonicalize: {paths: [/a]}}\n" CASE,
		  "2:35: path rule 1 must be a mapping {prefix: /abs/dir, as: $NAME}");
	parse_bad(V "defaults: {canonicalize: {paths: [{prefix: /a, as: A}]}}\n" CASE,
		  "2:52: 'as' must be a placeholder such as $BUILD");
	parse_bad(V "defaults: {canonicalize: {paths: [{prefix: //, as: $A}]}}\n" CASE,
		  "2:44: 'prefix' must not be '/' (it would match every path)");
	parse_bad(V "defaults: {canonicalize: {paths: [{prefix: /a, as: $A, a: 1}]}}\n" CASE,
		  "2:56: unknown key 'a' in 'defaults.canonicalize.paths'; did you mean 'as'?");
	parse_bad(V "defaults: {canonicalize: {keep_loader_probes: 1}}\n" CASE,
		  "2:47: 'keep_loader_probes' must be true or false");
	parse_bad(V "defaults: {canonicalize: {unordered: [futex, futx]}}\n" CASE,
		  "2:46: unknown syscall 'futx' in 'defaults.canonicalize.unordered'; did you mean "
		  "'futex'?");
	parse_bad(V "defaults: {canonicalize: {ignore: [qqqqqqqqqq]}}\n" CASE,
		  "2:36: unknown syscall 'qqqqqqqqqq' in 'defaults.canonicalize.ignore'");

	/* tolerance */
	parse_bad(V "defaults: {tolerance: {counts: [1]}}\n" CASE,
		  "2:32: 'counts' must be a tolerance or a mapping {default: 0, read: 10%}");
	parse_bad(V "defaults: {tolerance: {counts: {default: \"%\"}}}\n" CASE,
		  "2:42: bad tolerance '%' for 'default': expected N, \xc2\xb1N, +-N or N%");
	parse_bad(V "defaults: {tolerance: {counts: {reed: 1}}}\n" CASE,
		  "2:33: unknown syscall 'reed' in 'defaults.tolerance.counts'; did you mean "
		  "'read'?");
	parse_bad(V "defaults: {tolerance: {counts: {read: {a: 1}}}}\n" CASE,
		  "2:39: 'read' must be a tolerance: N, \xc2\xb1N, +-N or N%");
	parse_bad(V "defaults: {tolerance: {rss: 25}}\n" CASE,
		  "2:29: 'rss' must be a percentage such as 25%");
	parse_bad(V "defaults: {tolerance: {rss: \"+-25%\"}}\n" CASE,
		  "2:29: 'rss' must be a percentage such as 25%");
	parse_bad(V "defaults: {tolerance: {duration: {floor: 25}}}\n" CASE,
		  "2:42: 'floor' must be a percentage such as 25%");
	parse_bad(V "defaults: {tolerance: {duration: {gate: tigth}}}\n" CASE,
		  "2:41: bad gate 'tigth': expected gross or tight; did you mean 'tight'?");
	parse_bad(V "defaults: {tolerance: {duration: {gate: [gross]}}}\n" CASE,
		  "2:41: 'gate' must be one of gross or tight");
	parse_bad(V "defaults: {tolerance: {order: sorted}}\n" CASE,
		  "2:31: bad order 'sorted': expected commute or exact");
	parse_bad(V "defaults: {tolerance: {duration: {reruns: 2.5}}}\n" CASE,
		  "2:43: 'reruns' must be a whole number of extra runs from 0 to 100");
	parse_bad(V "defaults: {tolerance: {duration: {reruns: 101}}}\n" CASE,
		  "2:43: 'reruns' must be a whole number of extra runs from 0 to 100");
	parse_bad(V "defaults: {tolerance: {duration: {rerun_time: -1}}}\n" CASE,
		  "2:47: 'rerun_time' must be a number of seconds, 0 or more");
	parse_bad(V "defaults: {tolerance: {duration: {alpha: 1}}}\n" CASE,
		  "2:42: 'alpha' must be a number between 0 and 1, such as 0.01");
	parse_bad(V "defaults: {tolerance: {duration: {alpha: 0}}}\n" CASE,
		  "2:42: 'alpha' must be a number between 0 and 1, such as 0.01");
	parse_bad(V "defaults: {tolerance: {duration: {gross: 0.5}}}\n" CASE,
		  "2:42: 'gross' must be a number of at least 1 (times the golden median)");
	parse_bad(V "defaults: {tolerance: {duration: {mads: -1}}}\n" CASE,
		  "2:41: 'mads' must be a number of MADs, 0 or more");
	parse_bad(V "defaults: {tolerance: {duration: 4}}\n" CASE,
		  "2:34: 'duration' must be a mapping");
	parse_bad(V "defaults: {tolerance: {durations: {}}}\n" CASE,
		  "2:24: unknown key 'durations' in 'defaults.tolerance'; did you mean "
		  "'duration'?");

	/* budgets */
	parse_bad(V "defaults: {budgets: {max_duration_ms: -0.5}}\n" CASE,
		  "2:39: 'max_duration_ms' must not be negative");
	parse_bad(V "defaults: {budgets: {max_duration_ms: 0}}\n" CASE,
		  "2:39: 'max_duration_ms' must be a number greater than 0");
	parse_bad(V "defaults: {budgets: {max_rss_bytes: 1.5}}\n" CASE,
		  "2:37: 'max_rss_bytes' must be a whole number greater than 0");
	parse_bad(V "defaults: {budgets: {max_rss_bytes: -1}}\n" CASE,
		  "2:37: 'max_rss_bytes' must not be negative");
	parse_bad(V "defaults: {budgets: {forbid_syscalls: [conect]}}\n" CASE,
		  "2:40: unknown syscall 'conect' in 'defaults.budgets.forbid_syscalls'; did you "
		  "mean 'connect'?");
	parse_bad(V "defaults: {budgets: {forbid_write_paths: [\"\"]}}\n" CASE,
		  "2:43: empty string in 'defaults.budgets.forbid_write_paths'");
	parse_bad(V "defaults: {budgets: {max_syscall: 5}}\n" CASE,
		  "2:22: unknown key 'max_syscall' in 'defaults.budgets'; did you mean "
		  "'max_syscalls'?");

	/* budgets with units (units.h), and the same budget given twice */
	parse_bad(V "defaults: {budgets: {max_duration: 500}}\n" CASE,
		  "2:36: 'max_duration' needs a unit: ms, s, m or h (such as 500ms or 1.5s)");
	parse_bad(V "defaults: {budgets: {max_duration: 5 sec}}\n" CASE,
		  "2:36: 'max_duration' has a unit that is not ms, s, m or h (such as 500ms or "
		  "1.5s)");
	parse_bad(V "defaults: {budgets: {max_duration: 0s}}\n" CASE,
		  "2:36: 'max_duration' must be greater than 0");
	parse_bad(V "defaults: {budgets: {max_duration: -1s}}\n" CASE,
		  "2:36: 'max_duration' must be a number and a unit, such as 500ms or 1.5s");
	parse_bad(V "defaults: {budgets: {max_rss: 512}}\n" CASE,
		  "2:31: 'max_rss' needs a unit: B, kB, MB, GB, TB (powers of 1000) or KiB, "
		  "MiB, GiB, TiB (powers of 1024)");
	parse_bad(V "defaults: {budgets: {max_rss: 512Mb/s}}\n" CASE,
		  "2:31: 'max_rss' has a unit that is not B, kB, MB, GB, TB (powers of 1000) or "
		  "KiB, MiB, GiB, TiB (powers of 1024)");
	parse_bad(V "cases:\n  - name: x\n    run: [true]\n    budgets:\n"
		    "      max_rss_bytes: 100\n      max_rss: 1MB\n",
		  "7:7: 'max_rss' and 'max_rss_bytes' are the same budget, set twice in "
		  "'budgets' of case 'x' (line 6); keep one");
	parse_bad(V "defaults: {budgets: {max_duration: 1s, max_duration_ms: 5}}\n" CASE,
		  "2:40: 'max_duration' and 'max_duration_ms' are the same budget, set twice in "
		  "'defaults.budgets' (line 2); keep one");

	/* suggestions at every level */
	parse_bad(V "cases: [{name: x, run: [a], budget: {}}]",
		  "2:29: unknown key 'budget' in case 'x'; did you mean 'budgets'?");
	parse_bad(V "cases: [{nmae: x, run: [a]}]",
		  "2:10: unknown key 'nmae' in case 1; did you mean 'name'?");
	parse_bad(V "cases: [{name: x, run: [a], tolerance: {count: 1}}]",
		  "2:41: unknown key 'count' in 'tolerance' of case 'x'; did you mean 'counts'?");
	parse_bad(V "cases: [{name: x, run: [a], zzzzzzzz: 1}]",
		  "2:29: unknown key 'zzzzzzzz' in case 'x'; known keys: name, run, shell, cwd, "
		  "expect_exit, runs, backend, timeout, env, keep_env, stdin, setup, teardown, "
		  "fresh_cwd, explain, canonicalize, tolerance or budgets");
	parse_bad(V "cases: [{name: x, run: [a], \"r\\tn\": 1}]",
		  "2:29: unknown key 'r\\tn' in case 'x'; did you mean 'run'?");
	parse_bad(V "defaults: {env: {A: 1, A: 2}}\n" CASE,
		  "2:24: duplicate key 'A' in 'defaults.env' (the first is at line 2, column 18)");

	/* YAML itself */
	parse_bad(V "cases: [{name: x, run: [a]}\n", "3:1: YAML syntax error: did not find "
		  "expected ',' or ']' (while parsing a flow sequence at line 2, column 8)");
	parse_bad(V "cases:\n\t- {name: x}\n", "3:1: YAML syntax error: found character that "
		  "cannot start any token (while scanning for the next token at line 3, "
		  "column 1)");
	parse_bad(V "a: &x 1\nb: &x 2\n", "3:4: YAML syntax error: duplicate anchor '&x' (the "
		  "first is at line 2, column 4)");
	parse_bad(V "x: &d {runs: 2}\ncases: [{<<: *d, name: x, run: [a]}]\n",
		  "2:1: unknown key 'x' at the top level; known keys: version, golden_dir, "
		  "golden_dir_outside, golden_max_size, defaults or cases");
	parse_bad(V "cases: [{<<: {runs: 2}, name: x, run: [a]}]\n",
		  "2:10: merge keys ('<<') are not supported in case 'x'; put shared values in "
		  "'defaults', or alias a whole value");
	parse_bad(V "a: 1\n", "2:1: unknown key 'a' at the top level; known keys: version, "
		  "golden_dir, golden_dir_outside, golden_max_size, defaults or cases");
	parse_bad("# \xc3\xa9\xc3\xa9\r\nversion: 1\r\ncases: [{name: \xc3\xa9, run: *et}]",
		  "3:24: YAML syntax error: found undefined alias '*et'");
	parse_bad(V CASE "--- 2\n", "5:5: a second YAML document; gtdiff.yaml holds one");
	parse_bad(V CASE "---\n[\n", "7:1: YAML syntax error: did not find expected node "
		  "content (while parsing a flow node at line 7, column 1)");
	assert_int_equal(nbad, 0);
}

/* Not NUL-terminated input; a zero-length one; a BOM. */
static void test_parse_memory(void **state)
{
	static const char text[] = V "cases: [{name: x, run: [a]}]XXXX";
	struct gt_config *c = NULL;
	struct gt_error err = { 0 };

	assert_int_equal(gt_config_parse(text, sizeof(text) - 5, "m", "/", &c, &err), GT_OK);
	assert_string_equal(c->cases[0].name, "x");
	gt_config_free(c);
	assert_int_equal(gt_config_parse("", 0, "m", "/", &c, &err), GT_ERR_FORMAT);
	assert_string_equal(err.msg, "m:1:1: the file is empty; it needs 'version: 1' and 'cases'");
	assert_int_equal(gt_config_parse("\xef\xbb\xbf" V CASE, strlen(V CASE) + 3, "m", "/", &c,
					 &err), GT_OK);
	gt_config_free(c);
	gt_config_free(NULL);
}

/* Things that are not errors. */
static void test_accepted(void **state)
{
	struct gt_config *c = parse_ok(
		"# comment\n---\n"
		"version: \"1\"\n"
		"defaults:\n"
		"  timeout: 0\n"
		"  canonicalize: {keep_loader_probes: True, ignore: [open, syscall_999]}\n"
		"  tolerance: {counts: {default: \"+-0\"}, rss: 0}\n"
		"cases:\n"
		"  - name: A.b_c-9\n"
		"    run: ['1', \"two words\", ~x, \"\"]\n"
		"    env: {_X1: \"\", Y: 'a=b'}\n"
		"    timeout: 90\n"
		"  - {name: shell, shell: \"true\", timeout: 0.25}\n"
		"...\n");
	const struct gt_case *a = gt_config_case(c, "A.b_c-9"), *s = gt_config_case(c, "shell");

	assert_true(c->defaults.timeout_s == 0);
	assert_true(c->defaults.keep_loader_probes);
	assert_tol(c->defaults.tol.counts.dflt, GT_TOL_EXACT, 0);
	assert_strv(a->run, 4, (const char *const[]){ "1", "two words", "~x", "", NULL });
	assert_strv(a->env, a->nenv, (const char *const[]){ "_X1=", "Y=a=b", NULL });
	assert_true(a->timeout_s == 90);
	assert_true(s->timeout_s == 0.25);
	assert_true(c->defaults.tol.rss_pct == 0);
	gt_config_free(c);
}

/* Hermetic runs: setup, teardown and fresh_cwd, given in defaults and
 * overridden per case. */
static void test_hermetic(void **state)
{
	struct gt_config *c = parse_ok(
		"version: 1\n"
		"defaults: {setup: make clean, fresh_cwd: true}\n"
		"cases:\n"
		"  - {name: a, run: [make]}\n"
		"  - {name: b, run: [cc], setup: 'rm -f x.o', teardown: 'rm -rf out', "
		"fresh_cwd: false}\n");
	const struct gt_case *a = gt_config_case(c, "a"), *b = gt_config_case(c, "b");

	(void)state;
	assert_string_equal(a->setup, "make clean");
	assert_null(a->teardown);
	assert_true(a->fresh_cwd);
	assert_string_equal(b->setup, "rm -f x.o");
	assert_string_equal(b->teardown, "rm -rf out");
	assert_false(b->fresh_cwd);
	gt_config_free(c);
	parse_bad(V "cases: [{name: x, run: [a], setup: ''}]", "2:36: 'setup' must not be empty");
	/* The canonicalization switches and the bytes tolerance. */
	c = parse_ok("version: 1\n"
		     "defaults: {canonicalize: {keep_env_probes: true, keep_dir_order: true}}\n"
		     "cases:\n"
		     "  - {name: a, run: [x], canonicalize: {keep_threads: true, keep_memory: true},"
		     " tolerance: {bytes: 10%}}\n"
		     "  - {name: b, run: [x]}\n");
	a = gt_config_case(c, "a");
	b = gt_config_case(c, "b");
	assert_true(a->keep_env_probes && a->keep_dir_order && a->keep_threads && a->keep_memory);
	assert_true(b->keep_env_probes && b->keep_dir_order && !b->keep_threads &&
		    !b->keep_memory);
	assert_true(a->tol.bytes_pct == 10);
	assert_true(b->tol.bytes_pct == 50);
	gt_config_free(c);
	parse_bad(V "cases: [{name: x, run: [a], fresh_cwd: yes}]",
		  "2:40: 'fresh_cwd' must be true or false");
	assert_int_equal(nbad, 0);
}

/* golden_max_size and golden_dir_outside; golden_dir must stay in the
 * project (the config's directory) unless golden_dir_outside. */
static void test_golden_keys(void **state)
{
	struct gt_config *c;

	(void)state;
	c = parse_ok(V "cases: [{name: x, run: [a]}]");
	assert_true(c->golden_max_size == GT_READ_MAX_DEFAULT);
	assert_false(c->golden_dir_outside);
	gt_config_free(c);
	c = parse_ok(V "golden_max_size: 2MiB\ncases: [{name: x, run: [a]}]");
	assert_true(c->golden_max_size == 2u << 20);
	gt_config_free(c);
	c = parse_ok(V "golden_max_size: 1000\ngolden_dir: sub/../g\ncases: [{name: x, run: [a]}]");
	assert_true(c->golden_max_size == 1000);
	assert_string_equal(c->golden_dir, "/cfg/g");
	gt_config_free(c);
	c = parse_ok(V "golden_dir_outside: true\ngolden_dir: ../g\ncases: [{name: x, run: [a]}]");
	assert_string_equal(c->golden_dir, "/g");
	gt_config_free(c);
	parse_bad(V "golden_dir: ../g\ncases: [{name: x, run: [a]}]",
		  "2:13: 'golden_dir' resolves to /g, outside the project directory /cfg (the "
		  "directory of the config); set 'golden_dir_outside: true' if that is meant");
	parse_bad(V "golden_dir: /etc\ncases: [{name: x, run: [a]}]",
		  "2:13: 'golden_dir' resolves to /etc, outside the project directory /cfg (the "
		  "directory of the config); set 'golden_dir_outside: true' if that is meant");
	parse_bad(V "golden_dir_outside: false\ngolden_dir: /cfgx\ncases: [{name: x, run: [a]}]",
		  "3:13: 'golden_dir' resolves to /cfgx, outside the project directory /cfg (the "
		  "directory of the config); set 'golden_dir_outside: true' if that is meant");
	for (const char *const *b = (const char *const[]){ "0", "-1", "1.5MiB", "2TiB", "1025GiB",
							    "99999999999999999999", "1 MiB", "x",
							    NULL };
	     *b; b++) {
		char yaml[200];

		snprintf(yaml, sizeof(yaml), V "golden_max_size: \"%s\"\ncases: [{name: x, run: [a]}]",
			 *b);
		parse_bad(yaml, "2:18: 'golden_max_size' must be a whole number of bytes, optionally "
			  "with KiB, MiB or GiB (e.g. 256MiB), from 1 to 1024GiB");
	}
	assert_int_equal(nbad, 0);
}

/* Duplicate names among many cases, through the name table. */
static void test_many_names(void **state)
{
	struct gt_buf b = { 0 };
	struct gt_config *c = NULL;
	struct gt_error err = { 0 };
	char name[32];

	(void)state;
	gt_buf_puts(&b, V "cases:\n");
	for (int i = 0; i < 5000; i++)
		gt_buf_printf(&b, "  - {name: c%d, run: [a]}\n", i);
	c = parse_ok(b.s);
	assert_int_equal(c->ncases, 5000);
	for (int i = 0; i < 5000; i += 7) {
		snprintf(name, sizeof(name), "c%d", i);
		assert_ptr_equal(gt_config_case(c, name), &c->cases[i]);
	}
	assert_null(gt_config_case(c, "c5000"));
	gt_config_free(c);
	gt_buf_puts(&b, "  - {name: c4321, run: [a]}\n");
	assert_int_equal(gt_config_parse(b.s, b.len, "t.yaml", "/cfg", &c, &err), GT_ERR_FORMAT);
	assert_string_equal(err.msg, "t.yaml:5003:12: duplicate case name 'c4321' (the first is at "
			    "line 4324, column 12)");
	gt_buf_free(&b);
}

/* The EXAMPLE of man/gtdiff.yaml.5 is a valid configuration. */
/* Budgets with their units: decimal and binary sizes, durations; a case
 * that gives the other key overrides the defaults' budget. */
static void test_budget_units(void **state)
{
	struct gt_config *c;
	const struct gt_case *k;

	(void)state;
	c = parse_ok("version: 1\ndefaults: {budgets: {max_duration: 1.5s, max_rss: 512MB}}\n"
		     "cases:\n  - {name: a, run: [true]}\n"
		     "  - {name: b, run: [true], budgets: {max_duration_ms: 200, "
		     "max_rss: 100MiB}}\n"
		     "  - {name: c, run: [true], budgets: {max_duration: 2m, max_rss: 1 GiB}}\n"
		     "  - {name: d, run: [true], budgets: {max_duration: 100ms, max_rss: 64kib}}\n"
		     "  - {name: e, run: [true], budgets: {max_rss_bytes: 1000}}\n");
	k = gt_config_case(c, "a");
	assert_true(k->budgets.max_duration_ms == 1500);
	assert_true(k->budgets.max_rss_bytes == 512000000);
	assert_true(k->budgets.duration_units && k->budgets.rss_units);
	k = gt_config_case(c, "b");
	assert_true(k->budgets.max_duration_ms == 200);
	assert_false(k->budgets.duration_units);
	assert_true(k->budgets.max_rss_bytes == 104857600);
	k = gt_config_case(c, "c");
	assert_true(k->budgets.max_duration_ms == 120000);
	assert_true(k->budgets.max_rss_bytes == 1073741824);
	k = gt_config_case(c, "d");
	assert_true(k->budgets.max_duration_ms == 100);
	assert_true(k->budgets.max_rss_bytes == 65536);
	k = gt_config_case(c, "e");
	assert_true(k->budgets.max_rss_bytes == 1000);
	assert_false(k->budgets.rss_units);
	assert_true(k->budgets.max_duration_ms == 1500); /* from the defaults */
	gt_config_free(c);
}

static void test_man_example(void **state)
{
	char *roff = NULL, *line, *save = NULL;
	size_t len = 0;
	struct gt_buf yaml = { 0 };
	struct gt_config *c;
	bool in = false;
	const struct gt_case *k;

	assert_int_equal(gt_read_file(GT_SRCDIR "/man/gtdiff.yaml.5", &roff, &len, NULL), GT_OK);
	for (line = strtok_r(roff, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, ".\\\" example-", 12) == 0) {
			in = strncmp(line + 12, "begin", 5) == 0;
			continue;
		}
		if (!in || line[0] == '.')
			continue;
		/* The roff escapes the example uses. */
		for (const char *p = line; *p; p++) {
			if (p[0] == '\\' && (p[1] == '-' || p[1] == 'e')) {
				gt_buf_putc(&yaml, p[1] == 'e' ? '\\' : '-');
				p++;
			} else {
				assert_false(p[0] == '\\');
				gt_buf_putc(&yaml, *p);
			}
		}
		gt_buf_putc(&yaml, '\n');
	}
	assert_non_null(yaml.s);
	c = parse_ok(yaml.s);
	assert_int_equal(c->ncases, 2);
	k = gt_config_case(c, "list-fixture");
	assert_non_null(k);
	assert_strv(k->run, 3, (const char *const[]){ "ls", "-la", "fixtures/tree", NULL });
	assert_true(k->budgets.max_rss_bytes == 536870912);
	assert_tol(gt_tol_for(&k->tol.counts, "openat"), GT_TOL_ABS, 2);
	k = gt_config_case(c, "count-lines");
	assert_non_null(k);
	assert_string_equal(k->shell, "ls | wc -l");
	assert_tol(gt_tol_for(&k->tol.counts, "close"), GT_TOL_PCT, 5);
	assert_tol(gt_tol_for(&k->tol.counts, "read"), GT_TOL_PCT, 10);
	gt_config_free(c);
	gt_buf_free(&yaml);
	free(roff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tol_parse),
		cmocka_unit_test(test_tol_slack_for),
		cmocka_unit_test(test_builtin_defaults),
		cmocka_unit_test(test_full_fixture),
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_many_cases),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_bad_fixtures_all_listed),
		cmocka_unit_test(test_io_error),
		cmocka_unit_test(test_errors_inline),
		cmocka_unit_test(test_hermetic),
		cmocka_unit_test(test_golden_keys),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_parse_memory),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_budget_units),
		cmocka_unit_test(test_man_example),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

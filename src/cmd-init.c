/*
 * cmd-init: `gtdiff init [--makefile] [-- CMD [ARG...]]`: set a project up
 * for golden traces in one command: gtdiff.yaml with a first case,
 * *.new.json in .gitignore, the pre-commit hook, a GitHub workflow, and
 * the Makefile targets (printed, or appended with --makefile).  Nothing is
 * ever replaced: a file that exists is kept and said to be.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "confgen.h"
#include "embedded.h"
#include "escape.h"
#include "newfile.h"

#define IGNORE_PATTERN "*.new.json"
#define WORKFLOW_PATH ".github/workflows/gtdiff.yml"

static const char makefile_snippet[] =
	"# Golden traces (gtdiff init): 'make check-traces' fails on a regression;\n"
	"# 'make golden-traces' re-records the goldens (review and commit them).\n"
	"# Add check-traces to your quality gate, e.g. quality-gates: check-traces\n"
	"check-traces:\n"
	"\tgtdiff check\n"
	"golden-traces:\n"
	"\tgtdiff update\n"
	".PHONY: check-traces golden-traces\n";

static void help(void)
{
	printf("Usage: gtdiff init [--makefile] [-- CMD [ARG...]]\n"
	       "Set up golden traces in the current directory, in one command.  A file that\n"
	       "exists is never replaced: it is kept, and init says so.\n\n"
	       "  gtdiff.yaml                   a first case that runs CMD ARG... (named after\n"
	       "                                CMD); without CMD, a commented template case\n"
	       "  .gitignore                    " IGNORE_PATTERN " (the runs a failing check keeps),\n"
	       "                                appended when the file lacks it\n"
	       "  .git/hooks/pre-commit         in a git repository: the hook of ci/pre-commit\n"
	       "  " WORKFLOW_PATH "  a GitHub workflow that runs gtdiff check\n"
	       "  Makefile targets check-traces and golden-traces: printed, or appended\n\n"
	       "      --makefile  append the targets to the Makefile (created when absent)\n"
	       "  -h, --help      this help\n\n"
	       "Exit status: 0 set up (each file created or kept), 2 trouble (bad usage, or a\n"
	       "file that could not be read or written: its path is named).\n");
}

/* "created PATH" / "kept PATH (exists)" on stdout, or the error. */
static int report(const char *path, enum gt_rc rc, bool existed, const struct gt_error *err,
		  const char *what)
{
	char *shown = gt_escape_dup(path, GT_ESC_INLINE);

	if (rc != GT_OK)
		gt_die_msg("init: %s", err->msg);
	else if (existed)
		printf("kept     %s (it exists; not replaced)\n", shown);
	else
		printf("created  %s%s%s\n", shown, what ? ": " : "", what ? what : "");
	free(shown);
	return rc == GT_OK ? GT_EXIT_OK : GT_EXIT_TROUBLE;
}

/* Set when the last create() made its file (did not keep one). */
static bool created_last;

static int create(const char *path, const char *data, size_t len, mode_t mode, const char *what)
{
	struct gt_error err = {0};
	bool existed = false;
	enum gt_rc rc = gt_newfile_create(path, data, len, mode, &existed, &err);

	created_last = rc == GT_OK && !existed;
	return report(path, rc, existed, &err, what);
}

/* Set when the gtdiff.yaml made has a template case, not a real one. */
static bool wrote_template;

static int write_config(char **cmd)
{
	struct gt_buf y = {0}, what = {0};
	int status;

	gt_buf_puts(&y, "# gtdiff.yaml: the cases gtdiff records and checks (man 5 gtdiff.yaml).\n"
			"#   gtdiff update   record the goldens into golden_traces/ (commit them)\n"
			"#   gtdiff check    compare new runs with them: 0 pass, 1 regression,\n"
			"#                   2 trouble\n"
			"version: 1\n"
			"golden_dir: golden_traces\n"
			"defaults:\n"
			"  runs: 5            # update records 5 runs to learn the noise bands\n"
			"cases:\n");
	if (cmd && cmd[0]) {
		const char *base = strrchr(cmd[0], '/');
		char *name = gt_confgen_case_name(base && base[1] ? base + 1 : cmd[0]);

		gt_buf_puts(&y, "  - name: ");
		gt_confgen_scalar(&y, name);
		gt_buf_puts(&y, "\n    run: ");
		gt_confgen_argv(&y, cmd);
		gt_buf_puts(&y, "\n    # budgets:         # absolute limits, checked on every run\n"
				"    #   max_duration_ms: 5000\n"
				"    #   max_syscalls: 10000\n"
				"    #   max_rss_bytes: 536870912\n");
		gt_buf_printf(&what, "case '%s'", name);
		free(name);
	} else {
		gt_buf_puts(&y, "  # Your first case: uncomment and fill in (or run gtdiff init -- CMD ARGS\n"
				"  # in a directory without gtdiff.yaml).\n"
				"  # - name: my-command\n"
				"  #   run: [./my-program, --flag, input.txt]   # argv, no shell\n"
				"  #   budgets:\n"
				"  #     max_duration_ms: 5000\n"
				"  #     max_syscalls: 10000\n");
		gt_buf_puts(&what, "a commented template case: fill it in");
	}
	status = create("gtdiff.yaml", y.s, y.len, 0666, what.s);
	wrote_template = !(cmd && cmd[0]) && created_last;
	gt_buf_free(&y);
	gt_buf_free(&what);
	return status;
}

/* Does TEXT have a line (not a comment) that starts with WANT, or, with
 * PATTERN, that is WANT or ends in "/WANT"? */
static bool has_line(const char *text, const char *want, bool pattern)
{
	size_t n = strlen(want);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t len = strcspn(p, "\n");

		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
			len--;
		if (*p == '#' || len < n)
			continue;
		if (!pattern && memcmp(p, want, n) == 0)
			return true;
		if (pattern && memcmp(p + len - n, want, n) == 0 && (len == n || p[len - n - 1] == '/'))
			return true;
	}
	return false;
}

/* Append TEXT to PATH (a newline first when its last line lacks one), or
 * create PATH with it.  Kept when the file has KEEP_IF (has_line). */
static int append_or_create(const char *path, const char *text, const char *keep_if, bool pattern,
			    const char *what)
{
	struct gt_error err = {0};
	struct stat st;
	char *old = NULL;
	size_t len;
	enum gt_rc rc;
	int fd, status;

	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return create(path, text, strlen(text), 0666, what);
		gt_die_msg("init: %s: %s", path, strerror(errno));
		return GT_EXIT_TROUBLE;
	}
	if (!S_ISREG(st.st_mode)) {
		gt_die_msg("init: %s: not a regular file", path);
		return GT_EXIT_TROUBLE;
	}
	rc = gt_read_file(path, &old, &len, &err);
	if (rc != GT_OK)
		return report(path, rc, false, &err, NULL);
	if (has_line(old, keep_if, pattern)) {
		char *shown = gt_escape_dup(path, GT_ESC_INLINE);

		printf("kept     %s (it has %s already)\n", shown, keep_if);
		free(shown);
		free(old);
		return GT_EXIT_OK;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || (len && old[len - 1] != '\n' && write(fd, "\n", 1) != 1) ||
	    write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fsync(fd) < 0) {
		gt_die_msg("init: %s: cannot append: %s", path, strerror(errno));
		status = GT_EXIT_TROUBLE;
	} else {
		char *shown = gt_escape_dup(path, GT_ESC_INLINE);

		printf("appended %s: %s\n", shown, what);
		free(shown);
		status = GT_EXIT_OK;
	}
	if (fd >= 0)
		close(fd);
	free(old);
	return status;
}

/* Run `git rev-parse --show-prefix --git-path hooks/pre-commit` here: the
 * hook's path (allocated) and, in *PREFIX, where this directory is below
 * the repository's top ("" at the top).  NULL when this is not a git
 * repository or git is not installed. */
static char *git_hook_path(char **prefix)
{
	static char a0[] = "git", a1[] = "rev-parse", a2[] = "--show-prefix", a3[] = "--git-path",
		    a4[] = "hooks/pre-commit";
	char *argv[] = { a0, a1, a2, a3, a4, NULL };
	posix_spawn_file_actions_t fa;
	struct gt_buf out = {0};
	char chunk[4096], *nl, *path = NULL;
	int pipefd[2], wstatus;
	ssize_t n;
	pid_t pid;

	*prefix = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (posix_spawnp(&pid, "git", &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	while (pid > 0 && ((n = read(pipefd[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)))
		if (n > 0)
			gt_buf_add(&out, chunk, (size_t)n);
	close(pipefd[0]);
	if (pid > 0) {
		while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
			;
		nl = out.s ? strchr(out.s, '\n') : NULL;
		if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && nl && nl[1]) {
			*prefix = xstrndup(out.s, (size_t)(nl - out.s));
			path = xstrndup(nl + 1, strcspn(nl + 1, "\n"));
		}
	}
	gt_buf_free(&out);
	return path;
}

static int install_hook(char *hook, const char *prefix)
{
	struct gt_error err = {0};
	char *dir;
	int status;

	if (!hook) {
		printf("skipped  the pre-commit hook: not in a git repository (see ci/pre-commit)\n");
		return GT_EXIT_OK;
	}
	dir = xstrdup(hook);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	if (strchr(hook, '/') && gt_mkdir_p(dir, &err) != GT_OK) {
		gt_die_msg("init: %s", err.msg);
		status = GT_EXIT_TROUBLE;
	} else {
		status = create(hook, gt_embed_pre_commit, gt_embed_pre_commit_len, 0777,
				"runs gtdiff check before each commit (git commit --no-verify skips it)");
	}
	if (status == GT_EXIT_OK && *prefix)
		printf("note     the hook runs in the repository's top directory, and this is "
		       "%s below it: the hook looks for gtdiff.yaml at the top\n", prefix);
	free(dir);
	return status;
}

/* The workflow, in the repository's top directory only: GitHub reads
 * .github/workflows there and nowhere else. */
static int install_workflow(const char *prefix)
{
	struct gt_error err = {0};

	if (prefix && *prefix) {
		printf("skipped  %s: this is %s below the repository's top, and GitHub reads\n"
		       "         workflows there only: run gtdiff init at the top, or copy\n"
		       "         ci/gtdiff-workflow.yml there and set its config: to %sgtdiff.yaml\n",
		       WORKFLOW_PATH, prefix, prefix);
		return GT_EXIT_OK;
	}
	if (gt_mkdir_p(".github/workflows", &err) != GT_OK) {
		gt_die_msg("init: %s", err.msg);
		return GT_EXIT_TROUBLE;
	}
	return create(WORKFLOW_PATH, gt_embed_workflow, gt_embed_workflow_len, 0666,
		      "runs gtdiff check in GitHub Actions (set the action's OWNER in it)");
}

/* The Makefile make(1) would read here: GNUmakefile, makefile, Makefile. */
static const char *makefile_name(void)
{
	static const char *const names[] = { "GNUmakefile", "makefile", "Makefile" };
	struct stat st;

	for (size_t i = 0; i < GT_ARRAY_SIZE(names); i++)
		if (lstat(names[i], &st) == 0)
			return names[i];
	return "Makefile";
}

int gt_cmd_init(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"makefile", no_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool makefile = false;
	char *hook = NULL, *prefix = NULL;
	int opt, status = GT_EXIT_OK;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'm':
			makefile = true;
			break;
		case 'h':
			help();
			return GT_EXIT_OK;
		default:
			return gt_usage_error("init", "unknown option");
		}
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0)
		return gt_usage_error("init", "'%s': a command follows '--' (gtdiff init -- CMD ARGS)",
				      argv[optind]);
	status |= write_config(optind < argc ? argv + optind : NULL);
	status |= append_or_create(".gitignore", IGNORE_PATTERN "\n", IGNORE_PATTERN, true,
				   IGNORE_PATTERN " (the runs a failing check keeps)");
	hook = git_hook_path(&prefix);
	status |= install_hook(hook, prefix);
	status |= install_workflow(prefix);
	free(hook);
	free(prefix);
	if (makefile) {
		status |= append_or_create(makefile_name(), makefile_snippet, "check-traces:", false,
					   "targets check-traces and golden-traces");
	} else {
		printf("\nAdd to your Makefile (or run gtdiff init --makefile):\n\n%s", makefile_snippet);
	}
	if (status == GT_EXIT_OK)
		printf("\nNext: %sgtdiff update, then review and commit gtdiff.yaml and "
		       "golden_traces/.\n", wrote_template ? "fill in the case in gtdiff.yaml, " : "");
	return status ? GT_EXIT_TROUBLE : GT_EXIT_OK;
}

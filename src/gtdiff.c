/*
 * gtdiff: main: global options, subcommand dispatch, exit codes.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "escape.h"
#include "interrupt.h"
#include "cmdline.h"
#include "progress.h"
#include "record.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
};

static const struct command commands[] = {
	{"record", gt_cmd_record, "record  [opts] [-o FILE] -- CMD [ARG...]   trace CMD, write a trace"},
	{"show", gt_cmd_show, "show    [opts] FILE                        the trace as strace-like lines"},
	{"check", gt_cmd_check, "check   [opts] [CASE...]                   run cases, compare to goldens"},
	{"update", gt_cmd_update, "update  [opts] [CASE...]                   re-record cases, rewrite goldens"},
	{"diff", gt_cmd_diff, "diff    [opts] GOLDEN NEW                  compare two trace files"},
	{"list", gt_cmd_list, "list    [opts]                             cases and golden status"},
	{"report", gt_cmd_report, "report merge [opts] REPORT.json...         join the shards' reports"},
	{"summary", gt_cmd_summary,
	 "summary [opts] (-- CMD [ARG...] | FILE)    per-syscall table, like strace -c"},
	{"init", gt_cmd_init, "init    [--makefile] [-- CMD [ARG...]]     set a project up: config, hook, CI"},
	{"import", gt_cmd_import, "import  [--run NAME=CMD]... RENACER_TOML   gtdiff.yaml from a renacer.toml"},
};

/* Print PREFIX and the message FMT/AP as one line on stderr, escaped: the
 * messages quote commands, paths and file contents, which must neither
 * drive the terminal nor forge a line or a workflow command. */
static void message_line(const char *prefix, const char *fmt, va_list ap)
{
	struct gt_buf raw = {0}, out = {0};

	fflush(stdout);
	gt_progress_clear();
	gt_buf_puts(&raw, prefix);
	gt_buf_vprintf(&raw, fmt, ap);
	gt_escape(&out, raw.s, raw.len, 0);
	gt_buf_putc(&out, '\n');
	fputs(out.s, stderr);
	gt_buf_free(&raw);
	gt_buf_free(&out);
}

void gt_die_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	message_line("gtdiff: ", fmt, ap);
	va_end(ap);
}

static bool env_off(const char *name)
{
	const char *v = getenv(name);

	return v && strcmp(v, "0") == 0;
}

void gt_capture_tuning_from_env(struct gt_capture_tuning *t)
{
	t->no_notify = env_off("GTDIFF_NOTIFY");
	t->no_sync_wakeup = env_off("GTDIFF_SYNC_WAKEUP");
	t->no_pin = env_off("GTDIFF_PIN");
	if (!t->ebpf_ring && getenv("GTDIFF_EBPF_RING")) {
		struct gt_error err = {0};

		/* A bad value is a size that no ring has: the capture says so. */
		if (gt_parse_size(getenv("GTDIFF_EBPF_RING"), &t->ebpf_ring, "GTDIFF_EBPF_RING",
				  &err) != GT_OK)
			t->ebpf_ring = SIZE_MAX;
	}
	if (getenv("GTDIFF_AS_ROOT") && strcmp(getenv("GTDIFF_AS_ROOT"), "1") == 0)
		t->keep_root = true;
}

void gt_warn_notes(const char *who, struct gt_record_notes *n)
{
	if (n && n->own_ptrace)
		gt_die_msg("warning: %s: %s", who, n->own_ptrace);
	gt_record_notes_clear(n);
}

int gt_usage_error(const char *cmd, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "gtdiff %s: ", cmd);
	va_start(ap, fmt);
	message_line(prefix, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'gtdiff %s --help'.\n", cmd);
	return GT_EXIT_TROUBLE;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: gtdiff COMMAND [OPTIONS] [ARGS]\n"
		"Record a program's system calls as a canonical golden trace, and catch\n"
		"changes in its behaviour in CI.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  gtdiff %s\n", commands[i].synopsis);
	fprintf(f,
		"\nOptions:\n"
		"  -h, --help     show this help (gtdiff COMMAND --help for a command's)\n"
		"  -V, --version  show the version\n\n"
		"Exit status: 0 within tolerance, 1 a regression, 2 trouble (bad usage,\n"
		"bad or missing input, the tracer could not run, a timeout); 130, 143, 129\n"
		"interrupted by SIGINT, SIGTERM, SIGHUP.\n"
		"See gtdiff(1).\n");
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage(stderr);
		return GT_EXIT_TROUBLE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return GT_EXIT_OK;
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		printf("backends: %s\n", gt_backends_built());
		return GT_EXIT_OK;
	}
	/* One signal policy for every command (interrupt.h). */
	gt_interrupt_install();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		int status;

		if (strcmp(cmd, commands[i].name) != 0)
			continue;
		status = commands[i].run(argc - 1, argv + 1);
		if (gt_interrupted) {
			fflush(stdout);
			if (!gt_interrupt_reported)
				fprintf(stderr, "gtdiff: interrupted by %s\n",
					gt_interrupted == SIGINT    ? "SIGINT"
					: gt_interrupted == SIGTERM ? "SIGTERM"
								    : "SIGHUP");
			status = gt_interrupt_status();
		}
		return status;
	}
	gt_die_msg("'%s' is not a command.", cmd);
	usage(stderr);
	return GT_EXIT_TROUBLE;
}

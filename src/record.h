/*
 * record: the recording pipeline: run a command N times under a capture
 * backend, each in a fresh private TMPDIR with a reduced environment (in a
 * different order each run), canonicalize every run and merge them into one
 * trace with learned variation.  Used by `record`, `summary` and, later,
 * `check` and `update`.
 */
#ifndef GT_RECORD_H
#define GT_RECORD_H

#include "canon.h"
#include "capture.h"
#include "trace.h"
#include "util.h"

/* What a recording found that its user should be told, though it is no
 * error: each a message (owned, NULL: nothing), set once by the first run
 * that found it.  gt_record_notes_clear frees them. */
struct gt_record_notes {
	/* The command's own ptrace failed because gtdiff traces it. */
	char *own_ptrace;
};
void gt_record_notes_clear(struct gt_record_notes *n);

struct gt_record_opts {
	enum gt_backend backend;
	char *const *argv;          /* the command */
	const char *cwd;            /* its working directory (NULL: ours) */
	const char *golden_dir;     /* shown as $GOLDEN (NULL: unused) */
	const char *stdin_path;     /* NULL: /dev/null */
	bool stdout_to_stderr;      /* the command's stdout goes to our stderr */
	/* The command's stdout and stderr go to a private regular file, the
	 * same kind of file wherever gtdiff runs (a terminal, a pipe, a CI
	 * log), so that what it does with them does not depend on where
	 * gtdiff's own output goes.  SHOW_OUTPUT copies the file to our stderr
	 * after each run. */
	bool private_output;
	bool show_output;
	unsigned runs;              /* >= 1 */
	double timeout_s;           /* per run; 0: none */
	const char *const *env_keep; /* NULL-terminated names copied from ours */
	const char *const *env_set;  /* NULL-terminated NAME=VALUE */
	/* Hermetic runs (hermetic.h): untraced /bin/sh -c commands before and
	 * after each run (NULL: none), and a private copy of the working
	 * directory for each run. */
	const char *setup, *teardown;
	bool fresh_cwd;
	/* Refuse (GT_ERR_USAGE, with the file and the remedy) when an earlier
	 * run changed what a later one saw in the working directory
	 * (stateful.h); update asks for it. */
	bool refuse_stateful;
	/* > 0: tell the command it has this many CPUs (capture.h); a check
	 * shows it the count its golden was recorded with. */
	int show_cpus;
	/* The capture's switches (capture.h), passed on to every run. */
	struct gt_capture_tuning tuning;
	/* Take every call's stack (capture.h: the ptrace backend only); the
	 * trace's events name them (trace.h). */
	bool stacks;
	bool debuginfod;
	/* Expand $TMPDIR, $CWD and $HOME in ARGV for each run (expand.h): a
	 * gtdiff.yaml `run:`, which no shell expands. */
	bool expand_argv;
	/* Path rules, unordered and ignored syscalls, loader and repeat
	 * switches.  cwd/home/tmp/golden are filled in by gt_record. */
	struct gt_canon_opts canon;
	/* Filled in when not NULL (the caller's; gt_record never clears). */
	struct gt_record_notes *notes;
};

/* Record. On success *OUT is the merged trace (caller frees).  RAW, if not
 * NULL, receives the raw capture of the last run (caller frees) for tools
 * that want uncanonicalized counts.  A command that exits non-zero or is
 * killed by a signal is recorded, not an error; a command that cannot be
 * started, a tracer failure and a timeout are errors (exit 2). */
enum gt_rc gt_record(const struct gt_record_opts *o, struct gt_trace **out,
		     struct gt_capture **raw, struct gt_error *err);

#endif

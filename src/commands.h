/*
 * commands: the subcommands' entry points.  Each parses its own options,
 * prints its own output and returns gtdiff's exit status: 0 fine, 1 a
 * regression, 2 trouble (usage, bad input, tracer failure).
 */
#ifndef GT_COMMANDS_H
#define GT_COMMANDS_H

enum {
	GT_EXIT_OK = 0,
	GT_EXIT_REGRESSION = 1,
	GT_EXIT_TROUBLE = 2,
};

int gt_cmd_record(int argc, char **argv);
int gt_cmd_show(int argc, char **argv);
int gt_cmd_summary(int argc, char **argv);
int gt_cmd_check(int argc, char **argv);
int gt_cmd_update(int argc, char **argv);
int gt_cmd_diff(int argc, char **argv);
int gt_cmd_list(int argc, char **argv);
int gt_cmd_report(int argc, char **argv);
int gt_cmd_init(int argc, char **argv);
int gt_cmd_import(int argc, char **argv);

/* Print "gtdiff: MSG" to stderr as one line, escaped (escape.h): the one
 * place messages are printed. */
void gt_die_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print each note of a recording (record.h) as "gtdiff: warning: WHO:
 * NOTE" on stderr and clear it, so that a case recorded again (timing
 * reruns) does not say it twice. */
struct gt_record_notes;
void gt_warn_notes(const char *who, struct gt_record_notes *n);
/* The capture's switches (capture.h) from gtdiff's environment: "0" in
 * GTDIFF_NOTIFY, GTDIFF_SYNC_WAKEUP or GTDIFF_PIN turns that one off.  The
 * library reads none of them itself. */
struct gt_capture_tuning;
void gt_capture_tuning_from_env(struct gt_capture_tuning *t);
/* Print the usage hint for CMD and return GT_EXIT_TROUBLE. */
int gt_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

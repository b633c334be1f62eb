/*
 * expand: the variables a case's `run:` may name.  gtdiff.yaml's run: is an
 * argument vector, not a shell command, so gtdiff itself expands $TMPDIR
 * (the run's private temporary directory), $CWD (the directory the command
 * runs in) and $HOME (the command's HOME), also written ${NAME}; $$ is a
 * literal $.  Any other $ stays as written.
 */
#ifndef GT_EXPAND_H
#define GT_EXPAND_H

/* A copy of the NULL-terminated ARGV with the variables expanded (NULL
 * values expand to nothing).  Free with gt_expand_free. */
char **gt_expand_argv(char *const *argv, const char *tmpdir, const char *cwd, const char *home);
void gt_expand_free(char **argv);

#endif

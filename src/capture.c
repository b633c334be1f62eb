/*
 * capture: the entry point of capture: backend names and dispatching a run
 * to a backend.  The raw record is built by capture-record.c, the backends
 * live in capture-<name>.c and the tracee's reproducible start
 * (environment, descriptors, exec) in tracee.c.
 */
#include "config.h"

#include "capture.h"

#include <stdlib.h>
#include <string.h>

#include "capture-backend.h"

static const char *const backend_names[] = {
	[GT_BACKEND_PTRACE] = "ptrace",
	[GT_BACKEND_SECCOMP] = "seccomp",
	[GT_BACKEND_AUTO] = "auto",
};

const char *gt_backend_name(enum gt_backend b)
{
	if ((size_t)b < GT_ARRAY_SIZE(backend_names))
		return backend_names[b];
	return "?";
}

int gt_backend_parse(const char *name)
{
	for (size_t i = 0; i < GT_ARRAY_SIZE(backend_names); i++)
		if (strcmp(name, backend_names[i]) == 0)
			return (int)i;
	return -1;
}

enum gt_rc gt_capture_run(const struct gt_capture_opts *opts, struct gt_capture **out,
			  struct gt_error *err)
{
	struct gt_capture *c;
	enum gt_rc rc;

	*out = NULL;
	if (!opts->argv || !opts->argv[0])
		return gt_error_set(err, GT_ERR_USAGE, "no command to run");
	switch (opts->backend) {
	case GT_BACKEND_PTRACE:
	case GT_BACKEND_SECCOMP:
	case GT_BACKEND_AUTO: /* ptrace, with an entry-only tier (capture-ptrace.c) */
		break;
	default:
		return gt_error_set(err, GT_ERR_USAGE, "unknown backend %d", (int)opts->backend);
	}
	/* Stacks are unwound at the ptrace stop of each call's entry. */
	if (opts->stacks && opts->backend != GT_BACKEND_PTRACE)
		return gt_error_set(err, GT_ERR_USAGE, "call stacks are taken under the ptrace "
				    "backend only, not under %s", gt_backend_name(opts->backend));
	c = gt_capture_new(opts->backend);
	if (opts->backend == GT_BACKEND_SECCOMP)
		rc = gt_capture_seccomp_run(opts, c, err);
	else
		rc = gt_capture_ptrace_run(opts, c, err);
	if (rc == GT_OK || rc == GT_ERR_TIMEOUT)
		*out = c;
	else
		gt_capture_free(c);
	return rc;
}

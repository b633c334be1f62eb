/*
 * capture: the entry point of capture: backend names and dispatching a run
 * to a backend.  The raw record is built by capture-record.c, the backends
 * live in capture-<name>.c and the tracee's reproducible start
 * (environment, descriptors, exec) in tracee.c.
 */
#include "config.h"

#include "capture.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture-backend.h"
#ifdef HAVE_EBPF
#include "ebpf/loader.h"
#endif

static const char *const backend_names[] = {
	[GT_BACKEND_PTRACE] = "ptrace",
	[GT_BACKEND_SECCOMP] = "seccomp",
	[GT_BACKEND_AUTO] = "auto",
	[GT_BACKEND_EBPF] = "ebpf",
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
#ifndef HAVE_EBPF
			return i == GT_BACKEND_EBPF ? -1 : (int)i;
#else
			return (int)i;
#endif
	return -1;
}

bool gt_capture_command_ids(enum gt_backend b, const struct gt_capture_tuning *t, uid_t *uid,
			    gid_t *gid)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
	unsigned long lu, lg;
	char *end;

	*uid = getuid();
	*gid = getgid();
	if (b != GT_BACKEND_EBPF || t->keep_root || geteuid() != 0 || !u || !g || !*u || !*g)
		return false;
	errno = 0;
	lu = strtoul(u, &end, 10);
	if (errno || *end || lu == 0 || lu > UINT32_MAX - 1)
		return false;
	lg = strtoul(g, &end, 10);
	if (errno || *end || lg > UINT32_MAX - 1)
		return false;
	*uid = (uid_t)lu;
	*gid = (gid_t)lg;
	return true;
}

enum gt_backend gt_backend_default(void)
{
#ifdef HAVE_EBPF
	if (gt_ebpf_usable())
		return GT_BACKEND_EBPF;
#endif
	return GT_BACKEND_PTRACE;
}

const char *gt_backends_built(void)
{
#ifdef HAVE_EBPF
	return "ptrace seccomp auto ebpf";
#else
	return "ptrace seccomp auto";
#endif
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
#ifdef HAVE_EBPF
	case GT_BACKEND_EBPF:
		break;
#endif
	default:
		return gt_error_set(err, GT_ERR_USAGE, "unknown backend %d", (int)opts->backend);
	}
	/* Stacks are unwound at the ptrace stop of each call's entry. */
	if (opts->stacks && opts->backend != GT_BACKEND_PTRACE)
		return gt_error_set(err, GT_ERR_USAGE, "call stacks are taken under the ptrace "
				    "backend only, not under %s", gt_backend_name(opts->backend));
#ifdef HAVE_EBPF
	/* Only ptrace can show the command another CPU count than it has
	 * (a check of a golden recorded with another): the run is ptrace's,
	 * and its trace says so. */
	if (opts->backend == GT_BACKEND_EBPF && !gt_capture_ebpf_shows(opts)) {
		struct gt_capture_opts o = *opts;

		o.backend = GT_BACKEND_PTRACE;
		return gt_capture_run(&o, out, err);
	}
#endif
	c = gt_capture_new(opts->backend);
	if (opts->backend == GT_BACKEND_SECCOMP)
		rc = gt_capture_seccomp_run(opts, c, err);
#ifdef HAVE_EBPF
	else if (opts->backend == GT_BACKEND_EBPF)
		rc = gt_capture_ebpf_run(opts, c, err);
#endif
	else
		rc = gt_capture_ptrace_run(opts, c, err);
	if (rc == GT_OK || rc == GT_ERR_TIMEOUT)
		*out = c;
	else
		gt_capture_free(c);
	return rc;
}

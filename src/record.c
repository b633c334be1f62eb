/*
 * record: run, canonicalize, merge.  See record.h.
 */
#include "config.h"

#include "record.h"

#include <errno.h>
#include <limits.h>
#include <gnu/libc-version.h>
#include <pwd.h>
#include <sched.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "expand.h"
#include "hermetic.h"
#include "interrupt.h"
#include "progress.h"
#include "stateful.h"
#include "tracee.h"
#include "xlat.h"

static char *real_or_copy(const char *p)
{
	return p ? gt_real_or_keep(xstrdup(p)) : NULL;
}

/* The name of file system type MAGIC (statfs), as mount(8) says it. */
static const char *fs_name(long magic, char *buf, size_t n)
{
	static const struct { long magic; const char *name; } names[] = {
		{ 0xEF53, "ext4" }, { 0x01021994, "tmpfs" }, { 0x9123683E, "btrfs" },
		{ 0x58465342, "xfs" }, { 0x6969, "nfs" }, { 0x2FC12FC1, "zfs" },
		{ 0x794C7630, "overlay" }, { 0xFF534D42, "cifs" }, { 0x65735546, "fuse" },
		{ 0x4D44, "vfat" }, { 0x5346544E, "ntfs" }, { 0xF2F52010, "f2fs" },
	};

	for (size_t i = 0; i < GT_ARRAY_SIZE(names); i++)
		if (names[i].magic == magic)
			return names[i].name;
	snprintf(buf, n, "0x%lx", (unsigned long)magic);
	return buf;
}

/* Where T was recorded: the kernel, the C library, the CPUs the command
 * was shown, the working directory's file system, root or not. */
static void note_env(struct gt_trace *t, const struct gt_record_opts *o, const char *cwd)
{
	struct utsname u;
	struct statfs sf;
	cpu_set_t mine;
	char buf[32];

	if (uname(&u) == 0)
		t->env.kernel = gt_trace_str(t, u.release);
	t->env.libc = gt_trace_str(t, gnu_get_libc_version());
	CPU_ZERO(&mine);
	if (o->show_cpus > 0)
		t->env.cpus = o->show_cpus;
	else if (sched_getaffinity(0, sizeof(mine), &mine) == 0)
		t->env.cpus = CPU_COUNT(&mine);
	if (cwd && statfs(cwd, &sf) == 0)
		t->env.fs = gt_trace_str(t, fs_name((long)sf.f_type, buf, sizeof(buf)));
	t->env.root = getuid() == 0;
}

/* The directories of ENV's PATH (absolute ones), *N of them. */
static char **path_dirs(char *const *env, size_t *nout)
{
	const char *v = NULL;
	char **dirs = NULL, *copy, *save = NULL;
	size_t n = 0;

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], "PATH=", 5) == 0)
			v = env[i] + 5;
	if (!v)
		return NULL;
	copy = xstrdup(v);
	dirs = xcalloc(strlen(v) / 2 + 2, sizeof(*dirs));
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save))
		if (d[0] == '/')
			dirs[n++] = xstrdup(d);
	free(copy);
	*nout = n;
	return dirs;
}

/* A bool per syscall number: true for the names in IGNORE. */
static bool *ignore_table(const struct gt_canon_opts *c)
{
	bool *t;

	if (!c->nignore)
		return NULL;
	t = xcalloc((size_t)gt_syscalls_max() + 1, sizeof(*t));
	for (size_t i = 0; i < c->nignore; i++) {
		int nr = gt_syscall_nr(c->ignore[i]);

		if (nr >= 0 && nr < gt_syscalls_max())
			t[nr] = true;
	}
	return t;
}

/* An unlinked regular file for the command's output. */
static int private_file(struct gt_error *err)
{
	const char *base = getenv("TMPDIR");
	char *path = xasprintf("%s/gtdiff-out.XXXXXX", base && *base ? base : "/tmp");
	sigset_t mask;
	int fd, e;

	/* Not even a second signal between the two calls leaves it. */
	gt_interrupt_block(&mask);
	fd = mkstemp(path);
	e = errno;
	if (fd >= 0)
		unlink(path);
	gt_interrupt_unblock(&mask);
	if (fd < 0)
		gt_error_set(err, GT_ERR_IO, "%s: cannot create a file for the command's output: %s",
			     path, strerror(e));
	free(path);
	return fd;
}

static void copy_to_stderr(int fd)
{
	char buf[8192];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return;
	fflush(stderr);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(STDERR_FILENO, buf, (size_t)n) != n)
			break;
}

void gt_record_notes_clear(struct gt_record_notes *n)
{
	if (!n)
		return;
	free(n->own_ptrace);
	n->own_ptrace = NULL;
}

/* The command's own ptrace refused because gtdiff traces it: what to tell
 * the user (allocated), or NULL. */
static char *own_ptrace_note(const struct gt_capture *cap)
{
	const struct gt_raw_event *ev = gt_capture_own_ptrace_refused(cap);
	struct gt_buf req = {0};
	char *msg;

	if (!ev)
		return NULL;
	gt_xlat_arg(&req, GT_A_PTRACE_REQ, ev->args[0]);
	msg = xasprintf("the program's own ptrace(%s) failed with EPERM because gtdiff "
			"traces it already (--backend %s; a task has one tracer at most), so "
			"it did not run as it does untraced; record it with --backend seccomp, "
			"which does not hold ptrace (nor will the planned eBPF backend)",
			req.s ? req.s : "?", gt_backend_name(cap->backend));
	gt_buf_free(&req);
	return msg;
}

/* The kernel's total time, in seconds, in which some task waited for a
 * CPU (/proc/pressure/cpu, "some ... total=" in microseconds), or -1
 * where pressure stall information is not there. */
static double cpu_stall_total(void)
{
	char buf[256];
	const char *at;

	if (gt_read_small("/proc/pressure/cpu", buf, sizeof(buf)) < 0)
		return -1;
	at = strncmp(buf, "some ", 5) == 0 ? strstr(buf, "total=") : NULL;
	return at ? strtod(at + 6, NULL) / 1e6 : -1;
}

static enum gt_rc one_run(const struct gt_record_opts *o, unsigned run, const bool *ignore,
			  struct gt_canon_opts *copts, struct gt_trace **out,
			  struct gt_capture **raw, struct gt_error *err)
{
	struct gt_capture_opts co = {0};
	struct gt_capture *cap = NULL;
	char *tmp, **env = NULL, *copy = NULL, *copy_top = NULL;
	const char *cwd = o->cwd, *canon_cwd = copts->cwd;
	double stall0;
	char **argv = NULL;
	enum gt_rc rc;
	int out_fd = -1;

	/* Learned variation: the temporary directory's name (it is new each
	 * run anyway) and, from the second run on, its length. */
	tmp = gt_tracee_mktmp(o->runs > 1 ? run * 3 : 0, err);
	if (!tmp)
		return GT_ERR_IO;
	/* Learned variation: a different environment order in each run (the
	 * TMPDIR name and the pids differ by themselves). */
	env = gt_tracee_env(tmp, o->env_keep, o->env_set, o->runs > 1 ? run + 1 : 0);
	if (o->fresh_cwd) {
		/* Learned variation: how deep the working directory lies. */
		copy = gt_hermetic_copy(canon_cwd, o->runs > 1 ? run % 3 : 0, &copy_top, err);
		if (!copy) {
			rc = GT_ERR_IO;
			goto out;
		}
		cwd = canon_cwd = copy;
	}
	if (o->setup) {
		rc = gt_hermetic_shell("setup", o->setup, cwd ? cwd : canon_cwd, env, err);
		if (rc != GT_OK)
			goto out;
	}
	co.backend = o->backend;
	if (o->expand_argv) {
		const char *home = NULL;

		for (size_t i = 0; env && env[i]; i++)
			if (strncmp(env[i], "HOME=", 5) == 0)
				home = env[i] + 5;
		argv = gt_expand_argv(o->argv, tmp, cwd ? cwd : canon_cwd, home);
	}
	co.argv = argv ? argv : o->argv;
	co.envp = env;
	co.cwd = cwd;
	co.stdin_path = o->stdin_path;
	co.stdout_to_stderr = o->stdout_to_stderr;
	if (o->private_output) {
		out_fd = private_file(err);
		if (out_fd < 0) {
			rc = GT_ERR_IO;
			goto out;
		}
		co.out_fd = out_fd;
	}
	co.timeout_s = o->timeout_s;
	co.ignore = ignore;
	co.show_cpus = o->show_cpus;
	co.tuning = o->tuning;
	co.stacks = o->stacks;
	co.debuginfod = o->debuginfod;
	/* Learned variation: the umask (077 on the second run, 002 on the
	 * third): what depends on it is learned here, not met in CI. */
	if (o->runs > 1 && run % 3) {
		co.set_umask = true;
		co.umask = run % 3 == 1 ? 077 : 002;
	}
	/* And the host name (the second run's), where a UTS namespace can
	 * be had. */
	if (o->runs > 1 && run % 3 == 1)
		co.hostname = "gtdiff-varied-host-name";
	stall0 = cpu_stall_total();
	rc = gt_capture_run(&co, &cap, err);
	if (cap && stall0 >= 0) {
		double stall1 = cpu_stall_total();

		if (stall1 >= stall0)
			cap->info.cpu_stall_s = stall1 - stall0;
	}
	if (rc == GT_OK && o->teardown)
		rc = gt_hermetic_shell("teardown", o->teardown, cwd ? cwd : canon_cwd, env, err);
	if (rc != GT_OK)
		goto out;
	if (o->notes && !o->notes->own_ptrace)
		o->notes->own_ptrace = own_ptrace_note(cap);
	{
		struct gt_canon_opts k = *copts;
		size_t ndirs = 0;
		char **dirs = path_dirs(env, &ndirs);

		k.tmp = tmp;
		k.cwd = canon_cwd;
		k.path_dirs = (const char *const *)dirs;
		k.npath_dirs = ndirs;
		rc = gt_canon_build(cap, &k, out, err);
		for (size_t i = 0; i < ndirs; i++)
			free(dirs[i]);
		free(dirs);
	}
	if (rc != GT_OK)
		goto out;
	for (size_t i = 0; o->argv[i]; i++)
		gt_trace_add_command(*out, o->argv[i]);
	(*out)->generator = gt_trace_str(*out, PACKAGE_NAME " " PACKAGE_VERSION);
out:
	if (out_fd >= 0) {
		if (o->show_output) {
			gt_progress_clear();
			copy_to_stderr(out_fd);
		}
		close(out_fd);
	}
	if (raw && cap && rc == GT_OK) {
		gt_capture_free(*raw);
		*raw = cap;
	} else {
		gt_capture_free(cap);
	}
	gt_tracee_env_free(env);
	gt_expand_free(argv);
	gt_hermetic_drop(copy_top);
	free(copy_top);
	free(copy);
	gt_tracee_rmtree(tmp);
	free(tmp);
	return rc;
}

enum gt_rc gt_record(const struct gt_record_opts *o, struct gt_trace **out,
		     struct gt_capture **raw, struct gt_error *err)
{
	struct gt_canon_opts copts = o->canon;
	struct gt_trace **runs;
	unsigned n = o->runs ? o->runs : 1, done = 0;
	char *cwd = NULL, *home = NULL, *golden = NULL, *pwhome = NULL;
	bool *ignore;
	enum gt_rc rc = GT_OK;

	*out = NULL;
	if (raw)
		*raw = NULL;
	gt_syscalls_init();
	if (o->cwd) {
		struct stat st;

		if (stat(o->cwd, &st) < 0 || !S_ISDIR(st.st_mode))
			return gt_error_set(err, GT_ERR_USAGE, "%s: not a directory", o->cwd);
		cwd = real_or_copy(o->cwd);
	} else {
		cwd = real_or_copy(".");
	}
	home = real_or_copy(getenv("HOME"));
	golden = real_or_copy(o->golden_dir);
	copts.cwd = cwd;
	copts.home = home && strcmp(home, "/") != 0 ? home : NULL;
	/* The environment is named, not recorded: the user's ids, and the
	 * home that getpwuid gives (sqlite3 reads ~/.sqliterc from there). */
	copts.name_ids = true;
	/* The ids the command runs as (the user who ran sudo, under ebpf). */
	gt_capture_command_ids(o->backend, &o->tuning, &copts.uid, &copts.gid);
	{
		struct passwd *pw = getpwuid(copts.uid);

		pwhome = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? real_or_copy(pw->pw_dir)
								   : NULL;
		copts.pwhome = pwhome && strcmp(pwhome, "/") != 0 ? pwhome : NULL;
	}
	copts.golden = golden;
	ignore = ignore_table(&copts);
	runs = xcalloc(n, sizeof(*runs));
	for (done = 0; done < n; done++) {
		rc = one_run(o, done, ignore, &copts, &runs[done], raw, err);
		if (rc != GT_OK)
			break;
	}
	if (rc == GT_OK) {
		if (n == 1) {
			*out = runs[0];
			runs[0] = NULL;
		} else {
			rc = gt_canon_merge_runs(runs, n, out, err);
		}
	}
	if (rc == GT_OK && o->refuse_stateful && !o->fresh_cwd && n > 1) {
		char *why = gt_stateful_runs(runs, n, *out);

		if (why) {
			rc = gt_error_set(err, GT_ERR_USAGE, "%s", why);
			free(why);
			gt_trace_free(*out);
			*out = NULL;
		}
	}
	if (rc == GT_OK)
		note_env(*out, o, cwd);
	for (unsigned i = 0; i < n; i++)
		gt_trace_free(runs[i]);
	free(runs);
	free(ignore);
	free(cwd);
	free(home);
	free(pwhome);
	free(golden);
	return rc;
}

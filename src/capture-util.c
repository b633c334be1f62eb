/*
 * capture-util: the stop signals, the tid map and tracee memory fetching
 * that the capture backends share.  See capture-util.h.
 */
#include "config.h"

#include "capture-util.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tracee.h"
#include "util.h"

/* ---- stopping a run ---- */

volatile sig_atomic_t gt_capture_stop_reason;
volatile pid_t gt_capture_kill_pgid;

static void on_signal(int sig)
{
	struct itimerval again = {{0, 100000}, {0, 100000}};

	if (!gt_capture_stop_reason)
		gt_capture_stop_reason = sig;
	if (gt_capture_kill_pgid > 0)
		kill(-gt_capture_kill_pgid, SIGKILL);
	/* Keep interrupting the loop's wait until it has noticed. */
	setitimer(ITIMER_REAL, &again, NULL);
}

void gt_capture_signals_install(struct sigaction old[GT_CAPTURE_NSIGS], double timeout_s)
{
	static const int sigs[] = {SIGALRM, SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	gt_capture_stop_reason = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocking wait must return EINTR */
	for (size_t i = 0; i < GT_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, &old[i]);
	if (timeout_s > 0) {
		struct itimerval it = {{0, 0}, {0, 0}};

		it.it_value.tv_sec = (time_t)timeout_s;
		it.it_value.tv_usec = (suseconds_t)((timeout_s - (double)(time_t)timeout_s) * 1e6);
		if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
			it.it_value.tv_usec = 1;
		setitimer(ITIMER_REAL, &it, NULL);
	}
}

void gt_capture_signals_restore(const struct sigaction old[GT_CAPTURE_NSIGS])
{
	static const int sigs[] = {SIGALRM, SIGINT, SIGTERM, SIGHUP};
	struct itimerval off = {{0, 0}, {0, 0}};

	setitimer(ITIMER_REAL, &off, NULL);
	for (size_t i = 0; i < GT_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &old[i], NULL);
	gt_capture_kill_pgid = 0;
}

/* ---- the tracee's start ---- */

void gt_capture_start_of(const struct gt_capture_opts *opts, const char *exe,
			 int (*before_exec)(void *ctx), void *ctx, struct gt_tracee_start *s)
{
	memset(s, 0, sizeof(*s));
	s->exe = exe;
	s->argv = opts->argv;
	s->envp = opts->envp;
	s->cwd = opts->cwd;
	s->stdin_path = opts->stdin_path;
	s->stdout_to_stderr = opts->stdout_to_stderr;
	s->out_fd = opts->out_fd;
	s->umask = opts->set_umask ? (int)(opts->umask & 0777) : -1;
	s->hostname = opts->hostname;
	s->before_exec = before_exec;
	s->ctx = ctx;
}

/* ---- resources ---- */

long gt_proc_peak_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

void gt_children_cpu(double *user_s, double *sys_s)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		*user_s = *sys_s = 0;
		return;
	}
	*user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	*sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

enum gt_rc gt_capture_end_status(const struct gt_capture_opts *opts, struct gt_capture *c,
				 int errfd, struct gt_error *err)
{
	enum gt_rc rc = GT_OK;

	if (gt_capture_stop_reason == SIGALRM) {
		c->info.timed_out = true;
		rc = gt_error_set(err, GT_ERR_TIMEOUT, "%s: timed out after %g s; killed",
				  opts->argv[0], opts->timeout_s);
	} else if (gt_capture_stop_reason) {
		rc = gt_error_set(err, GT_ERR_CAPTURE, "%s: interrupted by %s; killed",
				  opts->argv[0], gt_signal_name(gt_capture_stop_reason));
	} else if (gt_tracee_child_error(errfd, opts->argv[0], err)) {
		return GT_ERR_CAPTURE; /* it closed the pipe */
	} else {
		return GT_OK;          /* likewise */
	}
	if (errfd >= 0)
		close(errfd);
	return rc;
}

/* ---- tid -> task index ---- */

static size_t slot(const struct gt_tidmap *m, pid_t tid)
{
	size_t i = ((size_t)tid * 2654435761u) & (m->size - 1);

	while (m->tid[i] && m->tid[i] != tid)
		i = (i + 1) & (m->size - 1);
	return i;
}

static void grow(struct gt_tidmap *m)
{
	pid_t *otid = m->tid;
	uint32_t *oidx = m->idx;
	size_t osize = m->size;

	m->size = osize ? osize * 2 : 64;
	m->tid = xcalloc(m->size, sizeof(*m->tid));
	m->idx = xcalloc(m->size, sizeof(*m->idx));
	m->used = 0;
	for (size_t i = 0; i < osize; i++) {
		if (otid[i] > 0) {
			size_t j = slot(m, otid[i]);

			m->tid[j] = otid[i];
			m->idx[j] = oidx[i];
			m->used++;
		}
	}
	free(otid);
	free(oidx);
}

void gt_tidmap_put(struct gt_tidmap *m, pid_t tid, uint32_t idx)
{
	size_t i;

	if ((m->used + 1) * 2 > m->size)
		grow(m);
	i = slot(m, tid);
	if (!m->tid[i])
		m->used++;
	m->tid[i] = tid;
	m->idx[i] = idx;
}

int64_t gt_tidmap_get(const struct gt_tidmap *m, pid_t tid)
{
	size_t i = slot(m, tid);

	return m->tid[i] == tid ? (int64_t)m->idx[i] : -1;
}

/* Deleting from linear probing: re-insert the rest of the cluster. */
void gt_tidmap_del(struct gt_tidmap *m, pid_t tid)
{
	size_t i = slot(m, tid);

	if (m->tid[i] != tid)
		return;
	m->tid[i] = -1; /* tombstone keeps probe chains intact */
}

void gt_tidmap_free(struct gt_tidmap *m)
{
	free(m->tid);
	free(m->idx);
	memset(m, 0, sizeof(*m));
}

/* ---- tracee memory ---- */

static ssize_t peek(pid_t pid, uint64_t addr, void *buf, size_t n)
{
	struct iovec local = {buf, n};
	struct iovec remote = {(void *)(uintptr_t)addr, n};

	return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

/* Read a NUL-terminated string at ADDR into BUF (GT_FETCH_MAX_STR + 1
 * bytes) page by page, since a string may end just before an unmapped page.
 * Returns the length read (BUF is then NUL-terminated there); *WHOLE is
 * true when the string ended (or filled BUF), false when a read failed
 * first. */
static size_t read_cstr(pid_t pid, uint64_t addr, char *buf, bool *whole)
{
	size_t got = 0;

	*whole = true;
	while (got < GT_FETCH_MAX_STR) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		ssize_t n;
		char *nul;

		if (chunk > GT_FETCH_MAX_STR - got)
			chunk = GT_FETCH_MAX_STR - got;
		n = peek(pid, addr + got, buf + got, chunk);
		if (n <= 0) {
			*whole = false;
			break;
		}
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul) {
			got = (size_t)(nul - buf);
			break;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	return got;
}

/* Fetch a NUL-terminated string.  Returns its blob offset or 0. */
uint32_t gt_fetch_str(struct gt_capture *c, pid_t pid, uint64_t addr)
{
	char buf[GT_FETCH_MAX_STR + 1];
	bool whole;
	size_t n;

	if (!addr)
		return 0;
	n = read_cstr(pid, addr, buf, &whole);
	if (!whole)
		return 0;
	return gt_capture_blob_add(c, buf, n + 1);
}

/* argv: uint32 count, then the strings (a string cut short by an unreadable
 * page is kept as far as it was read). */
uint32_t gt_fetch_argv(struct gt_capture *c, pid_t pid, uint64_t addr)
{
	struct gt_buf b = {0};
	uint32_t count = 0, off;
	char one[GT_FETCH_MAX_STR + 1];
	bool whole;

	if (!addr)
		return 0;
	gt_buf_add(&b, (const char *)&count, sizeof(count));
	while (count < GT_FETCH_MAX_ARGV && b.len < GT_FETCH_MAX_ARGV_BYTES) {
		uint64_t p = 0;
		size_t got;

		if (peek(pid, addr + count * sizeof(uint64_t), &p, sizeof(p)) != sizeof(p))
			break;
		if (!p)
			break;
		got = read_cstr(pid, p, one, &whole);
		gt_buf_add(&b, one, got + 1);
		count++;
	}
	memcpy(b.s, &count, sizeof(count));
	off = gt_capture_blob_add(c, b.s, b.len);
	gt_buf_free(&b);
	return off;
}

uint32_t gt_fetch_sized(struct gt_capture *c, pid_t pid, uint64_t addr, uint64_t len)
{
	unsigned char buf[sizeof(uint32_t) + GT_FETCH_MAX_SOCKADDR];
	uint32_t n32;
	ssize_t n;

	if (!addr)
		return 0;
	if (len > GT_FETCH_MAX_SOCKADDR)
		len = GT_FETCH_MAX_SOCKADDR;
	n = peek(pid, addr, buf + sizeof(n32), (size_t)len);
	if (n < 0)
		return 0;
	n32 = (uint32_t)n;
	memcpy(buf, &n32, sizeof(n32));
	return gt_capture_blob_add(c, buf, sizeof(n32) + (size_t)n);
}

/* A string of known length LEN that need not be NUL-terminated in the
 * tracee (readlink); stored NUL-terminated. */
uint32_t gt_fetch_sized_str(struct gt_capture *c, pid_t pid, uint64_t addr, size_t len)
{
	char buf[GT_FETCH_MAX_STR + 1];
	ssize_t n;

	if (!addr)
		return 0;
	if (len > GT_FETCH_MAX_STR)
		len = GT_FETCH_MAX_STR;
	n = peek(pid, addr, buf, len);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return gt_capture_blob_add(c, buf, strlen(buf) + 1);
}

uint32_t gt_fetch_fixed(struct gt_capture *c, pid_t pid, uint64_t addr, size_t n)
{
	unsigned char buf[16];

	if (!addr || n > sizeof(buf) || peek(pid, addr, buf, n) != (ssize_t)n)
		return 0;
	return gt_capture_blob_add(c, buf, n);
}

/* The directory's entries as the tracee's getdents will return them: the
 * tracer opens the same directory through /proc and reads it from the
 * start.  A directory's order is a property of the directory on its file
 * system (ext4's hash, tmpfs's creation order), so the two agree whenever
 * nothing changes the directory in between. */
uint32_t gt_fetch_dirnames(struct gt_capture *c, pid_t pid, uint64_t fd)
{
	char proc[64], real[GT_FETCH_MAX_STR + 1], dbuf[32768];
	struct gt_buf b = { 0 };
	struct stat st;
	uint32_t n = 0, off = 0;
	ssize_t len;
	int dfd;

	if (fd > INT_MAX)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", (int)pid, (int)fd);
	dfd = open(proc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	if (fstat(dfd, &st) == 0) {
		for (size_t i = 0; i < c->nlisted; i++) {
			if (c->listed[i].tid == pid && c->listed[i].dev == st.st_dev &&
			    c->listed[i].ino == st.st_ino &&
			    c->listed[i].mtime.tv_sec == st.st_mtim.tv_sec &&
			    c->listed[i].mtime.tv_nsec == st.st_mtim.tv_nsec) {
				close(dfd);
				return 0;   /* listed for this task already, as it is */
			}
		}
		xgrow((void **)&c->listed, &c->listed_cap, c->nlisted + 1, sizeof(*c->listed));
		c->listed[c->nlisted++] =
			(struct gt_listed_dir){ pid, st.st_dev, st.st_ino, st.st_mtim };
	}
	len = readlink(proc, real, sizeof(real) - 1);
	if (len <= 0 || real[0] != '/') {
		close(dfd);
		return 0;
	}
	real[len] = '\0';
	gt_buf_add(&b, (const char *)&n, sizeof(n));
	gt_buf_add(&b, real, (size_t)len + 1);
	while (n < GT_FETCH_MAX_DIRNAMES &&
	       (len = syscall(SYS_getdents64, dfd, dbuf, sizeof(dbuf))) > 0) {
		for (ssize_t at = 0; at + 19 < len && n < GT_FETCH_MAX_DIRNAMES;) {
			unsigned short reclen;
			const char *name = dbuf + at + 19;
			size_t nl;

			memcpy(&reclen, dbuf + at + 16, sizeof(reclen));
			if (reclen < 20 || at + reclen > len)
				break;
			nl = strnlen(name, (size_t)reclen - 19);
			gt_buf_add(&b, name, nl);
			gt_buf_add(&b, "", 1);
			n++;
			at += reclen;
		}
	}
	close(dfd);
	memcpy(b.s, &n, sizeof(n));
	off = gt_capture_blob_add(c, b.s, b.len);
	gt_buf_free(&b);
	return off;
}

/* ---- counting every call ---- */

/* The id of raw_syscalls:sys_enter, from tracefs where it is mounted. */
static long sys_enter_id(void)
{
	static const char *const paths[] = {
		"/sys/kernel/tracing/events/raw_syscalls/sys_enter/id",
		"/sys/kernel/debug/tracing/events/raw_syscalls/sys_enter/id",
	};

	for (size_t i = 0; i < GT_ARRAY_SIZE(paths); i++) {
		FILE *f = fopen(paths[i], "re");
		long id = -1;

		if (!f)
			continue;
		if (fscanf(f, "%ld", &id) != 1)
			id = -1;
		fclose(f);
		if (id >= 0)
			return id;
	}
	return -1;
}

int gt_syscall_counter_open(pid_t pid)
{
	struct perf_event_attr a;
	long id = sys_enter_id();

	if (id < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = (uint64_t)id;
	a.disabled = 1;
	a.enable_on_exec = 1;  /* the command's calls, not the child's setup */
	a.inherit = 1;         /* and those of every task it makes */
	return (int)syscall(SYS_perf_event_open, &a, pid, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

int64_t gt_syscall_counter_read(int fd)
{
	uint64_t n;

	if (fd < 0 || read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n) || n > INT64_MAX)
		return -1;
	return (int64_t)n;
}

void gt_capture_let_through(struct gt_run_info *info, int fd, uint64_t seen, bool filtered)
{
	int64_t total = gt_syscall_counter_read(fd);

	if (fd >= 0)
		close(fd);
	if (total < 0)
		info->let_through = filtered ? GT_COUNT_UNKNOWN : 0;
	else
		info->let_through = (uint64_t)total + 1 > seen ? (uint64_t)total + 1 - seen : 0;
}

/* ---- the command and the CPU ---- */

bool gt_capture_ignored(const bool *ignore, int nr)
{
	return ignore && nr >= 0 && nr < gt_syscalls_max() && ignore[nr];
}

char *gt_capture_resolve(const struct gt_capture_opts *opts, struct gt_error *err)
{
	const char *path = NULL;

	/* A bare name is looked up as the command's own shell would: in the
	 * PATH it runs with (a user's shims first), else ours, else the
	 * default one. */
	for (size_t i = 0; !path && opts->envp && opts->envp[i]; i++)
		if (strncmp(opts->envp[i], "PATH=", 5) == 0)
			path = opts->envp[i] + 5;
	if (!path && !opts->envp)
		path = getenv("PATH");
	return gt_tracee_resolve(opts->argv[0], path, err);
}

void gt_pin_start(struct gt_pin *p, pid_t tid)
{
	const char *env = getenv("GTDIFF_PIN");
	cpu_set_t one;
	long n;
	int cpu;

	p->on = false;
	if (env && strcmp(env, "0") == 0)
		return;
	CPU_ZERO(&p->orig); /* the kernel writes only its mask's bytes */
	n = syscall(SYS_sched_getaffinity, 0, sizeof(p->orig), &p->orig);
	cpu = sched_getcpu();
	if (n <= 0 || CPU_COUNT(&p->orig) < 2 || cpu < 0 || !CPU_ISSET(cpu, &p->orig))
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		return;
	if (tid > 0 && sched_setaffinity(tid, sizeof(one), &one) < 0) {
		sched_setaffinity(0, sizeof(p->orig), &p->orig);
		return;
	}
	p->masklen = (int)n;
	p->on = true;
}

bool gt_pin_end(struct gt_pin *p)
{
	if (!p->on)
		return false;
	p->on = false;
	sched_setaffinity(0, sizeof(p->orig), &p->orig);
	return true;
}

void gt_pin_release(const struct gt_pin *p, pid_t tid)
{
	sched_setaffinity(tid, sizeof(p->orig), &p->orig);
}

void gt_pin_show(struct gt_pin *p, int ncpus)
{
	cpu_set_t mine;
	long n;
	int have = 0;

	p->show = false;
	CPU_ZERO(&mine);
	n = p->on ? p->masklen
		  : syscall(SYS_sched_getaffinity, 0, sizeof(mine), &mine);
	if (p->on)
		mine = p->orig;
	if (ncpus <= 0 || n <= 0 || ncpus > (int)(8 * n) || ncpus > CPU_SETSIZE)
		return;
	CPU_ZERO(&p->shown);
	for (int cpu = 0; cpu < CPU_SETSIZE && have < ncpus; cpu++)
		if (CPU_ISSET(cpu, &mine)) {
			CPU_SET(cpu, &p->shown);
			have++;
		}
	for (int cpu = 0; cpu < CPU_SETSIZE && have < ncpus; cpu++)
		if (!CPU_ISSET(cpu, &p->shown)) {
			CPU_SET(cpu, &p->shown);
			have++;
		}
	p->masklen = (int)n;
	p->show = true;
}

const cpu_set_t *gt_pin_answer(const struct gt_pin *p, int *len)
{
	*len = p->masklen;
	if (p->show)
		return &p->shown;
	return p->on ? &p->orig : NULL;
}

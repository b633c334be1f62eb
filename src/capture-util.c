/*
 * capture-util: the stop signals, the tid map and tracee memory fetching
 * that the capture backends share.  See capture-util.h.
 */
#include "config.h"

#include "capture-util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "interrupt.h"
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
	if (sig == SIGALRM) {
		if (gt_capture_kill_pgid > 0)
			kill(-gt_capture_kill_pgid, SIGKILL);
	} else {
		/* gtdiff's signal policy: noted for the whole run; a second
		 * signal exits at once (the guard kills the rest). */
		gt_interrupt_note(sig, gt_capture_kill_pgid);
	}
	/* Keep interrupting the loop's wait until it has noticed. */
	setitimer(ITIMER_REAL, &again, NULL);
}

static const int stop_sigs[GT_CAPTURE_NSIGS] = {SIGALRM, SIGINT, SIGTERM, SIGHUP, SIGPIPE};

void gt_capture_signals_install(struct sigaction old[GT_CAPTURE_NSIGS], double timeout_s)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocking wait must return EINTR */
	for (size_t i = 0; i < GT_ARRAY_SIZE(stop_sigs); i++) {
		struct sigaction ign = {0};

		ign.sa_handler = SIG_IGN;
		/* A command that died early makes a write to it EPIPE, not
		 * gtdiff's death (the tracee resets its dispositions). */
		sigaction(stop_sigs[i], stop_sigs[i] == SIGPIPE ? &ign : &sa, &old[i]);
	}
	/* A signal that came before (between two runs) stops this one too. */
	gt_capture_stop_reason = gt_interrupted;
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
	struct itimerval off = {{0, 0}, {0, 0}};

	setitimer(ITIMER_REAL, &off, NULL);
	gt_capture_kill_pgid = 0;
	for (size_t i = 0; i < GT_ARRAY_SIZE(stop_sigs); i++)
		sigaction(stop_sigs[i], &old[i], NULL);
}

/* ---- the guard: the tree dies with gtdiff ---- */

/* State (field 3), parent (4) and start time (22) of PID from
 * /proc/PID/stat; false when it is gone.  Async-signal-safe. */
static bool proc_stat3(pid_t pid, char *state, pid_t *ppid, unsigned long long *start)
{
	char path[64], buf[1024];
	const char *p;
	int field;
	long pp = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (gt_read_small(path, buf, sizeof(buf)) < 0)
		return false;
	p = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
	if (!p || p[1] != ' ' || !p[2])
		return false;
	*state = p[2];
	*start = 0;
	if (sscanf(p + 3, " %ld", &pp) != 1)
		return false;
	*ppid = (pid_t)pp;
	for (p += 2, field = 3; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (field == 22)
		sscanf(p, "%llu", start);
	return true;
}

/* What gtdiff tells its guard. */
struct guard_msg {
	int32_t kind;   /* 'a' arm, 't' a process of the tree, 'd' done,
			 * 'z' gtdiff stops on purpose (^Z), 'c' continued */
	int32_t pid;    /* 'a': the tree's process group; 't': the process */
	uint64_t aux;   /* 'a': gtdiff's pid; 't': the process's start time */
};

#define GUARD_MAX_KNOWN 16384

struct guard_known {
	pid_t pid;
	unsigned long long start;
};

static bool known_has(const struct guard_known *k, size_t n, pid_t pid,
		      unsigned long long start)
{
	for (size_t i = 0; i < n; i++)
		if (k[i].pid == pid && (!k[i].start || !start || k[i].start == start))
			return true;
	return false;
}

/* gtdiff is gone: kill the process group, every process of the tree that
 * gtdiff told of, and whatever any of them started (found by their parent
 * in /proc, again and again, since a dying tree may still fork), until a
 * pass finds nothing alive. */
static void guard_kill_tree(pid_t pgid, struct guard_known *k, size_t n)
{
	for (int pass = 0; pass < 500; pass++) {
		bool alive = false;
		DIR *d;
		struct dirent *de;

		if (pgid > 1)
			kill(-pgid, SIGKILL);
		d = opendir("/proc");
		if (!d)
			return;
		while ((de = readdir(d)) != NULL) {
			char *end, state;
			long v = strtol(de->d_name, &end, 10);
			pid_t pid = (pid_t)v, ppid;
			unsigned long long start;

			if (*end || v <= 1 || !proc_stat3(pid, &state, &ppid, &start))
				continue;
			if (!known_has(k, n, pid, start)) {
				if (!known_has(k, n, ppid, 0) || n >= GUARD_MAX_KNOWN)
					continue;
				k[n++] = (struct guard_known){pid, start};
			}
			if (state != 'Z' && state != 'X') {
				kill(pid, SIGKILL);
				alive = true;
			}
		}
		closedir(d);
		if (!alive)
			return;
		usleep(10000);
	}
}

/* The guard, a process of its own that is not our child (so that it
 * outlives us) and out of our session (so that ^C spares it).  It reads
 * messages on a socket whose other end only we hold.  End of file, while
 * armed, means that gtdiff died (SIGKILL runs no code of ours): it kills
 * the tree.  Meanwhile it keeps gtdiff from being frozen by its command
 * (kill(getppid(), SIGSTOP)): a gtdiff found stopped, not by ^Z, is sent
 * SIGCONT, so that its timeout fires. */
static __attribute__((noreturn)) void guard_main(int rd)
{
	static struct guard_known known[GUARD_MAX_KNOWN];
	size_t nknown = 0;
	pid_t pgid = 0, owner = 0;
	bool user_stop = false;

	setsid();
	if (rd != 0) {
		dup2(rd, 0);
		close(rd);
	}
	if (syscall(SYS_close_range, 1U, ~0U, 0U) < 0)
		for (int fd = 1; fd < 1024; fd++)
			close(fd);
	for (;;) {
		struct pollfd pf = {0, POLLIN, 0};
		struct guard_msg m;
		ssize_t n;
		int r = poll(&pf, 1, 100);

		if (r == 0 || (r < 0 && errno == EINTR)) {
			char state;
			pid_t pp;
			unsigned long long st;

			if (owner > 0 && !user_stop && proc_stat3(owner, &state, &pp, &st) &&
			    state == 'T')
				kill(owner, SIGCONT);
			continue;
		}
		if (r < 0)
			break;
		n = read(0, &m, sizeof(m));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(m))
			break; /* gtdiff is gone */
		if (m.kind == 'a') {
			pgid = m.pid;
			owner = (pid_t)m.aux;
		} else if (m.kind == 't' && nknown < GUARD_MAX_KNOWN) {
			known[nknown++] = (struct guard_known){m.pid, m.aux};
		} else if (m.kind == 'z') {
			user_stop = true;
		} else if (m.kind == 'c') {
			user_stop = false;
		} else if (m.kind == 'd') {
			_exit(0);
		}
	}
	if (pgid > 1)
		guard_kill_tree(pgid, known, nknown);
	_exit(0);
}

static volatile int guard_fd = -1;

static void guard_send(int fd, int kind, pid_t pid, uint64_t aux)
{
	struct guard_msg m = {kind, (int32_t)pid, aux};

	if (fd >= 0 && send(fd, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m)) {
		/* the guard is gone: nothing to do about it */
	}
}

/* ^Z: gtdiff stops on purpose; the guard leaves it stopped. */
static void on_tstp(int sig)
{
	int e = errno;

	(void)sig;
	guard_send(guard_fd, 'z', 0, 0);
	kill(getpid(), SIGSTOP);
	guard_send(guard_fd, 'c', 0, 0);
	errno = e;
}

int gt_guard_start(pid_t pgid)
{
	int p[2], status, was = 0;
	pid_t mid;
	struct sigaction sa;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p) < 0)
		return -1;
	/* Not our child: with our subreaper role off meanwhile, the guard
	 * goes to init when its parent exits. */
	prctl(PR_GET_CHILD_SUBREAPER, &was, 0, 0, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	mid = fork();
	if (mid == 0) {
		close(p[1]);
		if (fork() == 0)
			guard_main(p[0]);
		_exit(0);
	}
	while (mid > 0 && waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	prctl(PR_SET_CHILD_SUBREAPER, was, 0, 0, 0);
	close(p[0]);
	if (mid < 0) {
		close(p[1]);
		return -1;
	}
	guard_send(p[1], 'a', pgid, (uint64_t)getpid());
	guard_fd = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tstp;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTSTP, &sa, NULL);
	return p[1];
}

void gt_guard_task(int fd, pid_t pid)
{
	char state;
	pid_t ppid;
	unsigned long long start = 0;

	if (fd >= 0 && proc_stat3(pid, &state, &ppid, &start))
		guard_send(fd, 't', pid, start);
}

void gt_guard_stop(int fd)
{
	struct sigaction sa;

	if (fd < 0)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, NULL);
	guard_fd = -1;
	guard_send(fd, 'd', 0, 0);
	close(fd);
}

/* ---- every descendant ---- */

/* Kill the children of every thread of PID, and theirs; true when one of
 * them was alive (not a zombie). */
static bool kill_below(pid_t pid, int depth)
{
	char path[64], buf[4096];
	bool alive = false;
	struct dirent *de;
	DIR *d;

	if (depth > 64)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/children", (int)pid, de->d_name);
		if (gt_read_small(path, buf, sizeof(buf)) < 0)
			continue;
		for (char *p = buf, *end; *p; p = end) {
			long c = strtol(p, &end, 10);
			char state;
			pid_t pp;
			unsigned long long st;

			if (end == p)
				break;
			if (c <= 1 || !proc_stat3((pid_t)c, &state, &pp, &st) || pp != pid)
				continue;
			if (state != 'Z' && state != 'X') {
				kill((pid_t)c, SIGKILL);
				alive = true;
			}
			if (kill_below((pid_t)c, depth + 1))
				alive = true;
		}
	}
	closedir(d);
	return alive;
}

bool gt_kill_descendants(void)
{
	bool any = false;

	for (int pass = 0; pass < 100 && kill_below(getpid(), 0); pass++)
		any = true;
	return any;
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

unsigned long long gt_proc_start(pid_t tid)
{
	unsigned long long start;
	char state;
	pid_t ppid;

	return proc_stat3(tid, &state, &ppid, &start) ? start : 0;
}

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

void gt_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
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

/* ---- a call's arguments ---- */

bool gt_fetch_args(struct gt_capture *c, pid_t pid, struct gt_raw_event *ev,
		   const struct gt_syscall_desc *d, bool at_exit, bool exit_follows)
{
	int slot = ev->argi[0] == 0xff ? 0 : 1;
	bool did = false;

	for (int i = 0; i < d->nargs && slot < 2; i++) {
		uint32_t off = 0;
		bool want = true;

		switch (d->argk[i]) {
		case GT_A_PATH:
		case GT_A_STR:
			if (at_exit)
				continue;
			off = gt_fetch_str(c, pid, ev->args[i]);
			break;
		case GT_A_ARGV:
			if (at_exit)
				continue;
			off = gt_fetch_argv(c, pid, ev->args[i]);
			break;
		case GT_A_SOCKADDR:
			if (at_exit)
				continue;
			off = gt_fetch_sized(c, pid, ev->args[i],
					  i + 1 < GT_MAX_ARGS ? ev->args[i + 1] : 0);
			break;
		case GT_A_CLONE3:
			if (at_exit)
				continue;
			off = gt_fetch_fixed(c, pid, ev->args[i], sizeof(uint64_t));
			break;
		case GT_A_DIRENTS:
			if (at_exit ? ev->ret <= 0 : exit_follows)
				continue;
			off = gt_fetch_dirnames(c, pid, ev->args[0]);
			want = false;
			break;
		case GT_A_OUTPATH:
			if (!at_exit)
				continue;
			want = ev->ret > 0;
			off = want ? gt_fetch_sized_str(c, pid, ev->args[i], (size_t)ev->ret) : 0;
			break;
		case GT_A_FDPAIR:
			if (!at_exit)
				continue;
			off = ev->ret == 0 ? gt_fetch_fixed(c, pid, ev->args[i], 2 * sizeof(int))
					   : 0;
			want = ev->ret == 0;
			break;
		default:
			continue;
		}
		/* Read from the tracee's memory (a listing is read by us). */
		did = did || (want && ev->args[i]);
		if (!off && ev->args[i] && want)
			ev->flags |= GT_EV_FETCH_FAILED;
		ev->argi[slot] = (uint8_t)i;
		ev->mem[slot] = off;
		slot++;
	}
	return did;
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
	return gt_tracee_resolve(opts->argv[0], path, opts->cwd, err);
}

void gt_pin_start(struct gt_pin *p, pid_t tid, bool no_pin)
{
	cpu_set_t one;
	long n;
	int cpu;

	p->on = false;
	if (no_pin)
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

/* ---- a seccomp mode of the program's own ---- */

enum gt_seccomp_req gt_seccomp_request(int nr, const uint64_t *args)
{
	if (nr < 0)
		return GT_SECCOMP_REQ_NONE;
	if (nr == gt_syscall_nr("seccomp")) {
		if (args[0] == SECCOMP_SET_MODE_FILTER)
			return GT_SECCOMP_REQ_FILTER;
		if (args[0] == SECCOMP_SET_MODE_STRICT && args[1] == 0 && args[2] == 0)
			return GT_SECCOMP_REQ_STRICT;
	} else if (nr == gt_syscall_nr("prctl") && args[0] == PR_SET_SECCOMP) {
		/* prctl ignores its further arguments for strict mode. */
		if (args[1] == SECCOMP_MODE_FILTER)
			return GT_SECCOMP_REQ_FILTER;
		if (args[1] == SECCOMP_MODE_STRICT)
			return GT_SECCOMP_REQ_STRICT;
	}
	return GT_SECCOMP_REQ_NONE;
}

static int self_mode = -1;

static void read_self_mode(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	int m;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &m) == 1) {
			self_mode = m;
			break;
		}
	fclose(f);
}

int gt_self_seccomp_mode(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, read_self_mode);
	return self_mode;
}

enum gt_rc gt_refuse_strict(struct gt_error *err, const char *whose)
{
	bool ignore = strcmp(whose, "--ignore") == 0;

	return gt_error_set(err, GT_ERR_CAPTURE,
			    "the program puts itself into strict seccomp mode "
			    "(SECCOMP_MODE_STRICT), which the kernel refuses on top of gtdiff's "
			    "seccomp filter (%s): untraced it would be killed at its first call "
			    "other than read, write, exit or sigreturn, here it would get EINVAL "
			    "and go on; not recorded, use --backend ptrace%s",
			    whose, ignore ? " without --ignore" : "");
}

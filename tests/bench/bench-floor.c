/*
 * bench-floor: what each tracing mechanism costs per system call at the
 * least (`make bench`).
 *
 *   bench-floor [-n CALLS] [-r REPEAT]
 *
 * The capture targets of the benchmark issue were set from the cost per
 * call of minimal tracing loops, measured on one day; on a virtual machine
 * those floors move from day to day, so run-bench.sh measures them in the
 * same run as gtdiff, to say how close each backend comes to what its
 * mechanism allows.
 *
 * A child makes 1000 untimed getppid() calls (to warm the caches and the
 * scheduler up), then CALLS more (default 100000) timed with
 * CLOCK_MONOTONIC (so its setup and the tracer's attaching are not in the
 * interval), and sends the cost per call to the parent, which traces it
 * with the cheapest loop of one mechanism, decoding nothing:
 *
 *   bare                  not traced
 *   ptrace-syscall        PTRACE_SEIZE (TRACESYSGOOD); waitpid,
 *                         PTRACE_GET_SYSCALL_INFO, PTRACE_SYSCALL: two stops
 *                         per call, at entry and at exit
 *   ptrace-seccomp-entry  the child's filter returns SECCOMP_RET_TRACE for
 *                         getppid (PTRACE_O_TRACESECCOMP); waitpid,
 *                         PTRACE_GET_SYSCALL_INFO, PTRACE_CONT: one stop per
 *                         call, at entry
 *   unotify               the child's filter returns SECCOMP_RET_USER_NOTIF
 *                         for getppid and hands the listener over; NOTIF_RECV,
 *                         NOTIF_SEND with SECCOMP_USER_NOTIF_FLAG_CONTINUE
 *   unotify-sync          the same with SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
 *                         (Linux 6.6+), which hands the CPU straight over
 *
 * The two ptrace loops read each call (PTRACE_GET_SYSCALL_INFO) as a
 * recorder must; unotify's NOTIF_RECV reads it anyway.  The traced
 * variants run unpinned (PINNED 0) and with the parent and the child on
 * one CPU, the last of our affinity mask (PINNED 1): across CPUs each stop
 * costs a cross-CPU wake-up, which in a virtual machine is slow and varies.
 * The variants take turns, REPEAT times (default 3), and one line per
 * variant gives the median:
 *
 *   NAME PINNED US_PER_CALL          e.g. "ptrace-syscall 1 14.290"
 *   NAME PINNED unavailable REASON   the kernel refused the mechanism
 *   NAME PINNED failed REASON        anything else (also said on stderr)
 *
 * A run that takes more than 60 s plus 200 us per call is killed, and so
 * is bench-floor.
 *
 * Exit status: 0 when every variant was measured or is unavailable, 1 when
 * one failed or timed out, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Missing from older headers (glibc < 2.31, Linux < 6.6). */
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1UL
#endif

/* The filter lets another ABI's calls through (x32 shares x86-64's arch
 * and tells its calls apart by the number, which __NR_getppid includes).
 * Elsewhere there is no check: a benchmark makes native calls only. */
#if defined(__x86_64__)
#define FLOOR_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__) && !defined(__AARCH64EB__)
#define FLOOR_ARCH AUDIT_ARCH_AARCH64
#endif

#define WARMUP 1000

enum mech { M_BARE, M_PTRACE_SYSCALL, M_PTRACE_SECCOMP, M_UNOTIFY, M_UNOTIFY_SYNC };

enum state { S_OK, S_UNAVAILABLE, S_FAILED };

struct variant {
	const char *name;
	enum mech mech;
	int pinned;
	enum state state;
	char why[256];  /* the reason, when not S_OK */
	double *us;     /* the cost per call of each run */
	unsigned long runs;
};

static struct variant variants[] = {
	{ .name = "bare", .mech = M_BARE, .pinned = 0 },
	{ .name = "ptrace-syscall", .mech = M_PTRACE_SYSCALL, .pinned = 0 },
	{ .name = "ptrace-syscall", .mech = M_PTRACE_SYSCALL, .pinned = 1 },
	{ .name = "ptrace-seccomp-entry", .mech = M_PTRACE_SECCOMP, .pinned = 0 },
	{ .name = "ptrace-seccomp-entry", .mech = M_PTRACE_SECCOMP, .pinned = 1 },
	{ .name = "unotify", .mech = M_UNOTIFY, .pinned = 0 },
	{ .name = "unotify", .mech = M_UNOTIFY, .pinned = 1 },
	{ .name = "unotify-sync", .mech = M_UNOTIFY_SYNC, .pinned = 0 },
	{ .name = "unotify-sync", .mech = M_UNOTIFY_SYNC, .pinned = 1 },
};
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

static cpu_set_t all_cpus, one_cpu;

/* The child of the run in progress, for the alarm to kill. */
static volatile pid_t cur_child;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
	static const char msg[] = "bench-floor: a run timed out; killed\n";

	(void)sig;
	if (cur_child > 0)
		kill(cur_child, SIGKILL);
	if (write(2, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to do */
	}
	_exit(1);
}

static enum state set_state(struct variant *v, enum state s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum state set_state(struct variant *v, enum state s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	v->state = s;
	return s;
}

/* ---- the child --------------------------------------------------------- */

/* Send MSG (with FD, if not -1) as one packet. */
static int send_msg(int sock, const char *msg, int fd)
{
	char buf[256], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	/* A copy: iov_base is not const. */
	iov.iov_len = strlen(msg) < sizeof(buf) ? strlen(msg) : sizeof(buf);
	memcpy(buf, msg, iov.iov_len);
	if (fd >= 0) {
		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	return sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* Install a filter returning ACTION for getppid and ALLOW for the rest:
 * the listener's fd with SECCOMP_FILTER_FLAG_NEW_LISTENER in FLAGS, else
 * 0; -1 on an error. */
static int install_filter(unsigned int action, unsigned int flags)
{
	struct sock_filter f[] = {
#ifdef FLOOR_ARCH
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FLOOR_ARCH, 0, 3),
#endif
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	return (int)syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/*
 * Set up for mechanism M, say "R" (with the listener) or "E REASON" on
 * SOCK, wait for the parent's go, make the calls and send "T US_PER_CALL".
 * Anything unexpected ends the child with status 1, which the parent
 * reports.
 */
static void child_main(enum mech m, int sock, unsigned long n)
{
	char msg[256];
	double t0, t1;
	int fd = -1;

	/* Should the parent die, a notification would never be answered. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (m == M_PTRACE_SECCOMP || m == M_UNOTIFY || m == M_UNOTIFY_SYNC) {
		int notify = m != M_PTRACE_SECCOMP;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
			snprintf(msg, sizeof(msg), "E prctl(PR_SET_NO_NEW_PRIVS): %s",
				 strerror(errno));
			send_msg(sock, msg, -1);
			_exit(0);
		}
		fd = install_filter(notify ? SECCOMP_RET_USER_NOTIF : SECCOMP_RET_TRACE,
				    notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
		if (fd < 0) {
			snprintf(msg, sizeof(msg), "E seccomp(SECCOMP_SET_MODE_FILTER%s): %s",
				 notify ? ", NEW_LISTENER" : "", strerror(errno));
			send_msg(sock, msg, -1);
			_exit(0);
		}
		if (!notify)
			fd = -1;
	}
	if (send_msg(sock, "R", fd) < 0)
		_exit(1);
	if (fd >= 0)
		close(fd);
	if (recv(sock, msg, sizeof(msg), 0) != 1 || msg[0] != 'G')
		_exit(1);

	for (unsigned long i = 0; i < WARMUP; i++)
		syscall(__NR_getppid);
	t0 = now_s();
	for (unsigned long i = 0; i < n; i++)
		syscall(__NR_getppid);
	t1 = now_s();

	snprintf(msg, sizeof(msg), "T %.6f", (t1 - t0) * 1e6 / (double)n);
	if (send_msg(sock, msg, -1) < 0)
		_exit(1);
	_exit(0);
}

/* ---- the parent -------------------------------------------------------- */

/* Receive one packet into BUF (NUL-terminated), and an fd passed with it
 * into *FD if FD is not NULL: its length, 0 at end of file, -1 on error. */
static ssize_t recv_msg(int sock, char *buf, size_t size, int *fd, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr mh = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t len;

	do
		len = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | flags);
	while (len < 0 && errno == EINTR);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int got;

			memcpy(&got, CMSG_DATA(cm), sizeof(int));
			if (fd && *fd < 0)
				*fd = got;
			else
				close(got);
		}
	}
	return len;
}

/*
 * The tracer's loop, until the child is gone (its wait status in
 * *STATUS): resume with PTRACE_SYSCALL or PTRACE_CONT at each stop,
 * reading the call at a syscall or seccomp stop, passing signals on.
 */
static enum state trace_loop(struct variant *v, pid_t pid, int *status)
{
	const long resume = v->mech == M_PTRACE_SYSCALL ? PTRACE_SYSCALL : PTRACE_CONT;
	uint64_t info[32]; /* struct ptrace_syscall_info is 88 bytes today */
	int st, sig;

	for (;;) {
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return set_state(v, S_FAILED, "waitpid: %s", strerror(errno));
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			*status = st;
			return S_OK;
		}
		sig = WSTOPSIG(st);
		if (sig == (SIGTRAP | 0x80) || st >> 8 == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), info) <= 0)
				return set_state(v, S_UNAVAILABLE, "PTRACE_GET_SYSCALL_INFO: %s",
						 strerror(errno));
			sig = 0;
		} else if (st >> 16) {
			sig = 0; /* PTRACE_EVENT_STOP: a group-stop or our interrupt */
		}
		if (ptrace(resume, pid, 0, (void *)(long)sig) < 0)
			return set_state(v, S_FAILED, "%s: %s",
					 resume == PTRACE_SYSCALL ? "PTRACE_SYSCALL" : "PTRACE_CONT",
					 strerror(errno));
	}
}

/* The parent's side of unotify: answer WARMUP + N notifications (the
 * child makes exactly that many getppid calls: a NOTIF_RECV after its
 * last would wait for ever, as the kernel wakes pollers but not readers
 * when the last task of the filter exits). */
static enum state notify_loop(struct variant *v, int listener, unsigned long n)
{
	for (unsigned long i = 0; i < WARMUP + n; i++) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;

		for (;;) {
			/* NOTIF_RECV wants a zeroed buffer. */
			memset(&req, 0, sizeof(req));
			if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0)
				break;
			if (errno != EINTR)
				return set_state(v, S_FAILED, "SECCOMP_IOCTL_NOTIF_RECV: %s",
						 strerror(errno));
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0) {
			/* Linux < 5.5 knows no FLAG_CONTINUE. */
			if (i == 0 && errno == EINVAL)
				return set_state(v, S_UNAVAILABLE,
						 "SECCOMP_USER_NOTIF_FLAG_CONTINUE: %s",
						 strerror(errno));
			return set_state(v, S_FAILED, "SECCOMP_IOCTL_NOTIF_SEND: %s",
					 strerror(errno));
		}
	}
	return S_OK;
}

/* One run of variant V: its cost per call is appended to V->us, or
 * V->state says why not.  The child is killed on any error. */
static void run_once(struct variant *v, unsigned long n, unsigned int timeout)
{
	char msg[256];
	int sv[2], status = 0, listener = -1, reaped = 0;
	enum state s = S_OK;
	double us;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		set_state(v, S_FAILED, "socketpair: %s", strerror(errno));
		fprintf(stderr, "bench-floor: %s\n", v->why);
		return;
	}
	/* Pinned before the fork, so that the child is born on our CPU. */
	if (v->pinned && sched_setaffinity(0, sizeof(one_cpu), &one_cpu) < 0) {
		set_state(v, S_FAILED, "sched_setaffinity: %s", strerror(errno));
		fprintf(stderr, "bench-floor: %s\n", v->why);
		close(sv[0]);
		close(sv[1]);
		return;
	}
	fflush(NULL);
	alarm(timeout);
	pid = fork();
	if (pid < 0) {
		s = set_state(v, S_FAILED, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(v->mech, sv[1], n);
	}
	cur_child = pid;
	close(sv[1]);
	sv[1] = -1;

	/* Its filter is in place, or refused; the child waits for our go. */
	if (recv_msg(sv[0], msg, sizeof(msg), &listener, 0) <= 0) {
		s = set_state(v, S_FAILED, "the child died during its setup");
		goto out;
	}
	if (msg[0] == 'E') {
		s = set_state(v, S_UNAVAILABLE, "%s", msg + 2);
		goto out;
	}
	if ((v->mech == M_UNOTIFY || v->mech == M_UNOTIFY_SYNC) && listener < 0) {
		s = set_state(v, S_FAILED, "no listener fd from the child");
		goto out;
	}

	/* Refused by Linux < 6.6. */
	if (v->mech == M_UNOTIFY_SYNC &&
	    ioctl(listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP) < 0) {
		s = set_state(v, S_UNAVAILABLE, "SECCOMP_IOCTL_NOTIF_SET_FLAGS: %s",
			      strerror(errno));
		goto out;
	}

	switch (v->mech) {
	case M_PTRACE_SYSCALL:
	case M_PTRACE_SECCOMP:
		if (ptrace(PTRACE_SEIZE, pid, 0,
			   (void *)(long)(PTRACE_O_EXITKILL | (v->mech == M_PTRACE_SYSCALL
							       ? PTRACE_O_TRACESYSGOOD
							       : PTRACE_O_TRACESECCOMP))) < 0) {
			s = set_state(v, S_UNAVAILABLE, "PTRACE_SEIZE: %s", strerror(errno));
			goto out;
		}
		/* Syscall stops begin at a PTRACE_SYSCALL resume: stop the child
		 * (waiting for our go) to resume it so.  Seccomp stops need no
		 * such thing. */
		if (v->mech == M_PTRACE_SYSCALL) {
			if (ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
				s = set_state(v, S_FAILED, "PTRACE_INTERRUPT: %s", strerror(errno));
				goto out;
			}
			while (waitpid(pid, &status, __WALL) < 0) {
				if (errno != EINTR) {
					s = set_state(v, S_FAILED, "waitpid: %s", strerror(errno));
					goto out;
				}
			}
			if (!WIFSTOPPED(status)) {
				reaped = 1;
				s = set_state(v, S_FAILED, "the child died before its first stop");
				goto out;
			}
			if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0) {
				s = set_state(v, S_FAILED, "PTRACE_SYSCALL: %s", strerror(errno));
				goto out;
			}
		}
		if (send(sv[0], "G", 1, MSG_NOSIGNAL) != 1) {
			s = set_state(v, S_FAILED, "the child died before the go");
			goto out;
		}
		s = trace_loop(v, pid, &status);
		if (s != S_OK)
			goto out;
		reaped = 1;
		break;
	case M_BARE:
	case M_UNOTIFY:
	case M_UNOTIFY_SYNC:
		if (send(sv[0], "G", 1, MSG_NOSIGNAL) != 1) {
			s = set_state(v, S_FAILED, "the child died before the go");
			goto out;
		}
		if (listener >= 0) {
			s = notify_loop(v, listener, n);
			if (s != S_OK)
				goto out;
		}
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				s = set_state(v, S_FAILED, "waitpid: %s", strerror(errno));
				goto out;
			}
		}
		reaped = 1;
		break;
	}

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		s = set_state(v, S_FAILED, "the child ended with %s %d",
			      WIFEXITED(status) ? "status" : "signal",
			      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		goto out;
	}
	if (recv_msg(sv[0], msg, sizeof(msg), NULL, MSG_DONTWAIT) <= 0 ||
	    sscanf(msg, "T %lf", &us) != 1) {
		s = set_state(v, S_FAILED, "no time from the child");
		goto out;
	}
	v->us[v->runs++] = us;

out:
	if (pid > 0 && !reaped) {
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, __WALL) < 0 && errno == EINTR)
			;
	}
	cur_child = 0;
	alarm(0);
	if (v->pinned)
		sched_setaffinity(0, sizeof(all_cpus), &all_cpus);
	if (listener >= 0)
		close(listener);
	close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (s == S_FAILED)
		fprintf(stderr, "bench-floor: %s, pinned %d: %s\n", v->name, v->pinned, v->why);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static unsigned long number(const char *s, const char *what)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > 100000000) {
		fprintf(stderr, "bench-floor: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n = 100000, repeat = 3;
	struct sigaction sa;
	unsigned int timeout;
	int opt, failed = 0, cpu;

	while ((opt = getopt(argc, argv, "n:r:h")) != -1) {
		switch (opt) {
		case 'n':
			n = number(optarg, "call count");
			break;
		case 'r':
			repeat = number(optarg, "repeat count");
			break;
		default:
			fprintf(stderr, "usage: bench-floor [-n CALLS] [-r REPEAT]\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (optind != argc || repeat > 1000) {
		fprintf(stderr, "usage: bench-floor [-n CALLS] [-r REPEAT]\n");
		return 2;
	}
	timeout = 60 + (unsigned int)(n / 5000);

	/* Pinned runs use the last CPU we may run on. */
	if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus) < 0) {
		fprintf(stderr, "bench-floor: sched_getaffinity: %s\n", strerror(errno));
		return 1;
	}
	for (cpu = CPU_SETSIZE - 1; cpu > 0 && !CPU_ISSET(cpu, &all_cpus); cpu--)
		;
	CPU_ZERO(&one_cpu);
	CPU_SET(cpu, &one_cpu);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	for (size_t i = 0; i < NVARIANTS; i++) {
		variants[i].us = calloc(repeat, sizeof(double));
		if (!variants[i].us) {
			fprintf(stderr, "bench-floor: out of memory\n");
			return 1;
		}
	}
	/* The variants take turns, so that a slow spell of the machine does
	 * not fall on one alone. */
	for (unsigned long r = 0; r < repeat; r++)
		for (size_t i = 0; i < NVARIANTS; i++)
			if (variants[i].state == S_OK)
				run_once(&variants[i], n, timeout);

	for (size_t i = 0; i < NVARIANTS; i++) {
		struct variant *v = &variants[i];
		double med;

		if (v->state == S_UNAVAILABLE) {
			printf("%s %d unavailable %s\n", v->name, v->pinned, v->why);
		} else if (v->state == S_FAILED) {
			printf("%s %d failed %s\n", v->name, v->pinned, v->why);
			failed = 1;
		} else {
			qsort(v->us, v->runs, sizeof(double), cmp_double);
			if (v->runs % 2)
				med = v->us[v->runs / 2];
			else
				med = (v->us[v->runs / 2 - 1] + v->us[v->runs / 2]) / 2;
			printf("%s %d %.3f\n", v->name, v->pinned, med);
		}
		free(v->us);
	}
	return failed;
}

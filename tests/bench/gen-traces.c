/*
 * gen-traces: write two large synthetic traces for the diff engine benchmark
 * (`make bench`, tests/bench/run-bench.sh).
 *
 *   gen-traces [-n EVENTS] [-e PERMILLE] [-s SEED] OUTDIR
 *
 * writes into OUTDIR:
 *   golden.json  a trace of EVENTS events (default 1,000,000) in one thread
 *                of one process, strace-like and varied: files are opened,
 *                stat'ed, read, mapped and closed with changing descriptors,
 *                sizes, offsets and paths, mixed with single calls (access,
 *                stat of missing files, ioctl, rt_sigaction...)
 *   new.json     the golden with PERMILLE/1000 of its events (default 10:
 *                1%) edited at random positions: each edit replaces the
 *                event, deletes it or inserts a new one before it (a third
 *                each)
 *   golden.txt, new.txt
 *                the same two event lists, one canonical event per line,
 *                for GNU diff
 *
 * Everything comes from a fixed-seed PRNG (splitmix64), so the same
 * arguments give byte-identical files on every machine.  One thread holds
 * all the events: it is the hardest case for the sequence diff (one Myers
 * diff over the whole length) and the one comparable with GNU diff on two
 * text files.  Prints one line saying what it wrote.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace-json.h"
#include "trace.h"
#include "util.h"

/* ---- deterministic PRNG ------------------------------------------------- */

struct rng {
	uint64_t s;
};

/* splitmix64: tiny, fast, and good enough for picking workloads. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (the modulo bias is irrelevant here). */
static uint64_t rng_below(struct rng *r, uint64_t n)
{
	return rng_next(r) % n;
}

#define PICK(r, arr) ((arr)[rng_below((r), GT_ARRAY_SIZE(arr))])

/* ---- event texts -------------------------------------------------------- */

/* One event being built: its call, rendered arguments and return. */
struct ev {
	const char *call;
	const char *args[GT_MAX_ARGS];
	size_t nargs;
	const char *ret;
	char store[GT_MAX_ARGS + 1][160]; /* backing for args and ret */
};

/* Set argument I of E to a printf-formatted string kept in E. */
static void __attribute__((format(printf, 3, 4))) ev_arg(struct ev *e, size_t i,
							  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->store[i], sizeof(e->store[i]), fmt, ap);
	va_end(ap);
	e->args[i] = e->store[i];
	if (i + 1 > e->nargs)
		e->nargs = i + 1;
}

/* Set the return of E to a printf-formatted string kept in E. */
static void __attribute__((format(printf, 2, 3))) ev_ret(struct ev *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->store[GT_MAX_ARGS], sizeof(e->store[GT_MAX_ARGS]), fmt, ap);
	va_end(ap);
	e->ret = e->store[GT_MAX_ARGS];
}

static void ev_start(struct ev *e, const char *call)
{
	e->call = call;
	e->nargs = 0;
	e->ret = "0";
}

static const char *const dirs[] = {
	"$CWD/src", "$CWD/include", "$CWD/build", "$CWD/tests/data", "$HOME/.cache/app",
	"$HOME/.config/app", "$TMP", "/usr/lib/x86_64-linux-gnu", "/usr/share/locale/en/LC_MESSAGES",
	"/etc", "/usr/share/zoneinfo/Europe", "/proc/self",
};
static const char *const stems[] = {
	"main", "util", "parser", "lexer", "config", "cache", "index", "module", "plugin",
	"record", "table", "libz", "libssl", "libyaml", "messages", "status", "Paris",
};
static const char *const exts[] = {
	".c", ".h", ".o", ".json", ".so.1", ".so.3", ".mo", ".conf", "", ".txt", ".db",
};
static const unsigned sizes[] = { 1, 64, 512, 832, 1024, 4096, 4096, 4096, 8192, 65536 };

/* A file name: a directory, a stem, a number (often), an extension. */
static void gen_path(struct rng *r, char *buf, size_t n)
{
	if (rng_below(r, 3))
		snprintf(buf, n, "\"%s/%s%u%s\"", PICK(r, dirs), PICK(r, stems),
			 (unsigned)rng_below(r, 500), PICK(r, exts));
	else
		snprintf(buf, n, "\"%s/%s%s\"", PICK(r, dirs), PICK(r, stems), PICK(r, exts));
}

/*
 * The generator's state: the program it pretends to be either has a file
 * open (FD >= 3, with READS_LEFT calls to make on it before closing it) or
 * makes single calls between files.
 */
struct gen {
	struct rng rng;
	int fd;            /* logical fd of the open file, 0 if none */
	int next_fd;       /* the next logical fd to hand out */
	int reads_left;
	uint64_t offset;   /* the file position, for lseek/pread */
};

/* A call that stands on its own (also what an edit inserts). */
static void gen_single(struct rng *r, struct ev *e)
{
	char path[120];
	unsigned sz;

	switch (rng_below(r, 12)) {
	case 0:
	case 1:
		ev_start(e, "newfstatat");
		ev_arg(e, 0, "AT_FDCWD");
		gen_path(r, path, sizeof(path));
		ev_arg(e, 1, "%s", path);
		ev_arg(e, 2, "ptr");
		ev_arg(e, 3, "0");
		ev_ret(e, rng_below(r, 3) ? "0" : "-1 ENOENT");
		break;
	case 2:
		ev_start(e, "access");
		gen_path(r, path, sizeof(path));
		ev_arg(e, 0, "%s", path);
		ev_arg(e, 1, rng_below(r, 2) ? "R_OK" : "F_OK");
		ev_ret(e, rng_below(r, 2) ? "0" : "-1 ENOENT");
		break;
	case 3:
		ev_start(e, "openat");
		ev_arg(e, 0, "AT_FDCWD");
		gen_path(r, path, sizeof(path));
		ev_arg(e, 1, "%s", path);
		ev_arg(e, 2, "O_RDONLY|O_CLOEXEC");
		ev_ret(e, "-1 ENOENT");
		break;
	case 4:
		sz = PICK(r, sizes);
		ev_start(e, "write");
		ev_arg(e, 0, "%u", 1 + (unsigned)rng_below(r, 2));
		ev_arg(e, 1, "%u", sz);
		ev_ret(e, "%u", sz);
		break;
	case 5:
		ev_start(e, "mmap");
		ev_arg(e, 0, "NULL");
		ev_arg(e, 1, "%u", 4096u << rng_below(r, 8));
		ev_arg(e, 2, "PROT_READ|PROT_WRITE");
		ev_arg(e, 3, "MAP_PRIVATE|MAP_ANONYMOUS");
		ev_arg(e, 4, "-1");
		ev_arg(e, 5, "0");
		ev_ret(e, "addr");
		break;
	case 6:
		ev_start(e, "munmap");
		ev_arg(e, 0, "ptr");
		ev_arg(e, 1, "%u", 4096u << rng_below(r, 8));
		break;
	case 7:
		ev_start(e, "brk");
		ev_arg(e, 0, rng_below(r, 4) ? "ptr" : "NULL");
		ev_ret(e, "addr");
		break;
	case 8:
		ev_start(e, "rt_sigaction");
		ev_arg(e, 0, "%s", PICK(r, ((const char *const[]){ "SIGINT", "SIGTERM",
								    "SIGPIPE", "SIGCHLD",
								    "SIGHUP" })));
		ev_arg(e, 1, "ptr");
		ev_arg(e, 2, rng_below(r, 2) ? "ptr" : "NULL");
		ev_arg(e, 3, "8");
		break;
	case 9:
		ev_start(e, "ioctl");
		ev_arg(e, 0, "%u", (unsigned)rng_below(r, 3));
		ev_arg(e, 1, rng_below(r, 2) ? "TCGETS" : "TIOCGWINSZ");
		ev_arg(e, 2, "ptr");
		ev_ret(e, "-1 ENOTTY");
		break;
	case 10:
		ev_start(e, "getpid");
		ev_ret(e, "p1");
		break;
	default:
		ev_start(e, "clock_gettime");
		ev_arg(e, 0, rng_below(r, 2) ? "CLOCK_MONOTONIC" : "CLOCK_REALTIME");
		ev_arg(e, 1, "ptr");
		break;
	}
}

/* A call on the open file G->fd; the last one closes it. */
static void gen_on_file(struct gen *g, struct ev *e)
{
	struct rng *r = &g->rng;
	unsigned sz = PICK(r, sizes);

	if (--g->reads_left <= 0) {
		ev_start(e, "close");
		ev_arg(e, 0, "%d", g->fd);
		g->fd = 0;
		return;
	}
	switch (rng_below(r, 8)) {
	case 0:
		ev_start(e, "lseek");
		g->offset = rng_below(r, 1u << 20);
		ev_arg(e, 0, "%d", g->fd);
		ev_arg(e, 1, "%" PRIu64, g->offset);
		ev_arg(e, 2, "SEEK_SET");
		ev_ret(e, "%" PRIu64, g->offset);
		break;
	case 1:
		ev_start(e, "pread64");
		ev_arg(e, 0, "%d", g->fd);
		ev_arg(e, 1, "%u", sz);
		ev_arg(e, 2, "%" PRIu64, rng_below(r, 1u << 16) * 64);
		ev_ret(e, "%u", sz);
		break;
	case 2:
		ev_start(e, "mmap");
		ev_arg(e, 0, "NULL");
		ev_arg(e, 1, "%u", sz * 16);
		ev_arg(e, 2, "PROT_READ");
		ev_arg(e, 3, "MAP_PRIVATE");
		ev_arg(e, 4, "%d", g->fd);
		ev_arg(e, 5, "0");
		ev_ret(e, "addr");
		break;
	case 3:
		ev_start(e, "getdents64");
		ev_arg(e, 0, "%d", g->fd);
		ev_arg(e, 1, "32768");
		ev_ret(e, "%u", 24 * (unsigned)rng_below(r, 200));
		break;
	default:
		/* Plain reads dominate, short at the end of the file. */
		ev_start(e, "read");
		ev_arg(e, 0, "%d", g->fd);
		ev_arg(e, 1, "%u", sz);
		ev_ret(e, "%u", rng_below(r, 4) ? sz : (unsigned)rng_below(r, sz));
		g->offset += sz;
		break;
	}
}

/* The next event of the golden program. */
static void gen_next(struct gen *g, struct ev *e)
{
	struct rng *r = &g->rng;
	char path[120];

	if (g->fd) {
		gen_on_file(g, e);
		return;
	}
	if (rng_below(r, 3)) {
		gen_single(r, e);
		return;
	}
	/* Open a file: descriptors cycle through 3..9 as a real program's do. */
	g->fd = g->next_fd;
	g->next_fd = g->next_fd == 9 ? 3 : g->next_fd + 1;
	g->reads_left = 2 + (int)rng_below(r, 12);
	g->offset = 0;
	ev_start(e, "openat");
	ev_arg(e, 0, "AT_FDCWD");
	gen_path(r, path, sizeof(path));
	ev_arg(e, 1, "%s", path);
	ev_arg(e, 2, "%s", PICK(r, ((const char *const[]){ "O_RDONLY|O_CLOEXEC", "O_RDONLY",
							    "O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY",
							    "O_WRONLY|O_CREAT|O_TRUNC" })));
	ev_ret(e, "%d", g->fd);
}

/* ---- trace building ----------------------------------------------------- */

/* A new trace with the metadata a ptrace recording has. */
static struct gt_trace *new_trace(struct gt_thread **th)
{
	static const char *const unordered[] = {
		"futex", "sched_yield", "rt_sigreturn", "restart_syscall", "getrandom",
	};
	struct gt_trace *t = gt_trace_new();
	struct gt_process *p;

	gt_trace_add_command(t, "bench-program");
	gt_trace_add_command(t, "--synthetic");
	t->backend = gt_trace_str(t, "ptrace");
	for (size_t i = 0; i < GT_ARRAY_SIZE(unordered); i++)
		gt_trace_add_unordered(t, unordered[i]);
	p = gt_trace_add_process(t, "p1", NULL);
	p->exe = gt_trace_str(t, "/usr/bin/bench-program");
	*th = gt_process_add_thread(t, p, "p1");
	return t;
}

/* Fill in what a recording would: per-syscall counts, one run, totals. */
static void finish_trace(struct gt_trace *t, const struct gt_thread *th)
{
	struct gt_run_sample run = { .wall_s = 1.0, .user_s = 0.4, .sys_s = 0.5,
				     .max_rss_kb = 4096 };

	for (size_t i = 0; i < th->nevents; i++) {
		const struct gt_event *e = &th->events[i];
		struct gt_syscall_stat *s = gt_trace_sysstat(t, e->call);

		s->calls.median += e->count;
		if (e->ret[0] == '-')
			s->errors.median += e->count;
	}
	for (size_t i = 0; i < t->nsysstats; i++) {
		struct gt_syscall_stat *s = &t->sysstats[i];

		s->calls.min = s->calls.max = s->calls.median;
		s->errors.min = s->errors.max = s->errors.median;
	}
	run.syscalls = (double)th->nevents;
	gt_trace_add_run(t, &run);
	t->wall_s = gt_stat_of(&run.wall_s, 1);
	t->user_s = gt_stat_of(&run.user_s, 1);
	t->sys_s = gt_stat_of(&run.sys_s, 1);
	t->max_rss_kb = gt_stat_of(&run.max_rss_kb, 1);
	t->syscalls = gt_stat_of(&run.syscalls, 1);
	t->intercepted = th->nevents;
	gt_trace_rehash(t);
}

/* Append E to TH unless it would repeat the previous event (a real trace
 * would have collapsed it into "×2"); returns whether it was added. */
static bool add_ev(struct gt_trace *t, struct gt_thread *th, const struct ev *e)
{
	if (th->nevents) {
		const struct gt_event *last = &th->events[th->nevents - 1];
		bool same = strcmp(last->call, e->call) == 0 && last->nargs == e->nargs &&
			    strcmp(last->ret, e->ret) == 0;

		for (size_t i = 0; same && i < e->nargs; i++)
			same = strcmp(last->args[i], e->args[i]) == 0;
		if (same)
			return false;
	}
	gt_thread_add_event(t, th, e->call, e->args, e->nargs, e->ret, 1);
	return true;
}

static void add_copy(struct gt_trace *t, struct gt_thread *th, const struct gt_event *g)
{
	gt_thread_add_event(t, th, g->call, g->args, g->nargs, g->ret, g->count);
}

/* Write TH's events as text, one per line. */
static int write_text(const char *path, const struct gt_thread *th)
{
	struct gt_buf b = {0};
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "gen-traces: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < th->nevents; i++) {
		gt_buf_reset(&b);
		gt_event_format(&b, &th->events[i], true);
		gt_buf_putc(&b, '\n');
		fwrite(b.s, 1, b.len, f);
	}
	gt_buf_free(&b);
	if (fclose(f) != 0) {
		fprintf(stderr, "gen-traces: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int save(const struct gt_trace *t, const char *dir, const char *name)
{
	struct gt_error err = {0};
	char *path = xasprintf("%s/%s", dir, name);
	int rc = 0;

	if (gt_trace_save(t, path, &err) != GT_OK) {
		fprintf(stderr, "gen-traces: %s\n", err.msg);
		rc = -1;
	}
	free(path);
	return rc;
}

static unsigned long number(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-') {
		fprintf(stderr, "gen-traces: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	unsigned long n = 1000000, permille = 10, seed = 12;
	unsigned long nedits, left, done = 0, rep = 0, del = 0, ins = 0;
	struct gt_trace *golden, *now;
	struct gt_thread *gth, *nth;
	struct gen g = { .next_fd = 3 };
	struct rng er;
	struct ev e;
	char *p;
	int opt;

	while ((opt = getopt(argc, argv, "n:e:s:h")) != -1) {
		switch (opt) {
		case 'n':
			n = number(optarg, "event count");
			break;
		case 'e':
			permille = number(optarg, "edit rate");
			break;
		case 's':
			seed = number(optarg, "seed");
			break;
		default:
			fprintf(stderr, "usage: gen-traces [-n EVENTS] [-e PERMILLE] [-s SEED] OUTDIR\n");
			return opt == 'h' ? 0 : 2;
		}
	}
	if (argc - optind != 1 || n == 0 || permille > 1000) {
		fprintf(stderr, "usage: gen-traces [-n EVENTS] [-e PERMILLE] [-s SEED] OUTDIR\n");
		return 2;
	}

	/* The golden: N events, no two consecutive ones equal. */
	g.rng.s = seed;
	golden = new_trace(&gth);
	while (gth->nevents < n) {
		gen_next(&g, &e);
		add_ev(golden, gth, &e);
	}

	/*
	 * The new trace: exactly NEDITS golden positions, chosen uniformly by
	 * selection sampling (Knuth's algorithm S), are edited.  The edit
	 * stream has its own PRNG so the golden does not depend on it.
	 */
	er.s = seed ^ 0x5eedull;
	nedits = (unsigned long)((unsigned long long)n * permille / 1000);
	left = nedits;
	now = new_trace(&nth);
	for (size_t i = 0; i < gth->nevents; i++) {
		const struct gt_event *ge = &gth->events[i];

		if (left == 0 || rng_below(&er, gth->nevents - i) >= left) {
			add_copy(now, nth, ge);
			continue;
		}
		left--;
		done++;
		switch (rng_below(&er, 3)) {
		case 0: /* replace */
			gen_single(&er, &e);
			add_ev(now, nth, &e);
			rep++;
			break;
		case 1: /* delete */
			del++;
			break;
		default: /* insert before */
			gen_single(&er, &e);
			add_ev(now, nth, &e);
			add_copy(now, nth, ge);
			ins++;
			break;
		}
	}
	finish_trace(golden, gth);
	finish_trace(now, nth);

	p = argv[optind];
	if (save(golden, p, "golden.json") || save(now, p, "new.json"))
		return 1;
	{
		char *gt = xasprintf("%s/golden.txt", p), *nt = xasprintf("%s/new.txt", p);
		int rc = write_text(gt, gth) || write_text(nt, nth);

		free(gt);
		free(nt);
		if (rc)
			return 1;
	}
	printf("gen-traces: golden %zu events, new %zu events; %lu edits "
	       "(%lu replaced, %lu deleted, %lu inserted), seed %lu\n",
	       gth->nevents, nth->nevents, done, rep, del, ins, seed);
	gt_trace_free(golden);
	gt_trace_free(now);
	return 0;
}

/*
 * fuzz-canon: libFuzzer target for the canonicalizer.  The input bytes
 * drive the building of a capture: a task tree (threads, forks, CLONE_FILES),
 * events with arbitrary numbers, arguments, returns and flags, and fetched
 * memory that may be path-like text from a small dictionary, raw bytes,
 * truncated records, strings without their NUL at the end of the blob, or
 * bogus offsets.  Any capture must canonicalize without a crash, and the
 * result must hold: its hash is its events' hash, every event's text parses
 * back into the same call, arguments and return, a second build gives the
 * same trace, and merging the trace with itself masks nothing.
 */
#include "config.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct reader {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static uint64_t raw64(struct reader *r)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | u8(r);
	return v;
}

/* Pieces that make the path rules fire. */
static const char *const dict[] = {
	"/", "/tmp", "/tmp/r", "/var/tmp", "/dev/shm", "/proc/", "self", "/task/", "100", "101",
	"102", "glibc-hwcaps", "x86-64-v3", "lib", "libc.so.6", ".so", ".so.1", "tls", "x86_64",
	"tmpabcd_123", "ccAbC123", ".s", "/w", "/home/u", "=", "--o=", "-I", ":", "", "\xff",
	"..", "tmp.Xy12ab", "@", "\n", "\"",
};

static const char *const calls[] = {
	"openat", "open", "close", "read", "write", "mmap", "execve", "execveat", "clone",
	"clone3", "fork", "vfork", "wait4", "kill", "tgkill", "pipe2", "pipe", "socketpair",
	"dup", "dup2", "dup3", "fcntl", "close_range", "connect", "bind", "sendto", "mkdir",
	"mkdirat", "newfstatat", "statx", "access", "futex", "exit_group", "unshare", "getpid",
	"gettid", "memfd_create", "getxattr", "unlink", "socket", "rename", "creat",
};

static void put_dict_string(struct gt_capture *c, struct reader *r, bool nul)
{
	struct gt_buf b = { 0 };
	size_t n = u8(r) % 8;

	for (size_t i = 0; i < n; i++)
		gt_buf_puts(&b, dict[u8(r) % GT_ARRAY_SIZE(dict)]);
	gt_capture_blob_add(c, b.s ? b.s : "", b.len + (nul && b.s ? 1 : 0));
	gt_buf_free(&b);
}

static void put_raw(struct gt_capture *c, struct reader *r)
{
	size_t n = u8(r) % 32;
	uint8_t buf[32];

	for (size_t i = 0; i < n; i++)
		buf[i] = u8(r);
	if (n)
		gt_capture_blob_add(c, buf, n);
}

/* Fetched memory for argument ARGI of the last event, in one of several
 * shapes; the offset is that of the data or a bogus one. */
static void add_mem(struct gt_capture *c, struct reader *r, int slot)
{
	uint8_t how = u8(r);
	uint32_t off = (uint32_t)c->bloblen, count;
	struct gt_raw_event *e;

	switch (how % 6) {
	case 0:
		return;
	case 1:
		put_dict_string(c, r, true);
		break;
	case 2: /* argv: a count, then strings */
		count = u8(r) % 6;
		gt_capture_blob_add(c, &count, sizeof(count));
		for (uint32_t i = 0; i < count; i++)
			put_dict_string(c, r, true);
		break;
	case 3: /* sockaddr or fd pair or flags: raw bytes */
		put_raw(c, r);
		break;
	case 4:
		off = (uint32_t)raw64(r);
		break;
	default: /* a string, NUL maybe missing */
		put_dict_string(c, r, how & 0x80);
		break;
	}
	e = &c->events[c->nevents - 1];
	e->mem[slot] = off;
	e->argi[slot] = u8(r) % GT_MAX_ARGS;
}

static uint64_t arg_value(struct gt_capture *c, struct reader *r)
{
	uint8_t how = u8(r);

	switch (how % 10) {
	case 0: return 0;
	case 1: return (uint64_t)-1;
	case 2: return (uint64_t)(int64_t)AT_FDCWD;
	case 3: return u8(r) % 16;
	case 4: return (uint64_t)c->tasks[u8(r) % c->ntasks].tid;
	case 5: return (uint64_t)-(int64_t)c->tasks[u8(r) % c->ntasks].tid;
	case 6: return O_CREAT | O_EXCL | (how & 0x80 ? O_CLOEXEC : 0);
	case 7: return 0x7ffd00001000ULL;
	case 8: return u8(r) | (uint64_t)u8(r) << 8 | (uint64_t)u8(r) << 16 | (uint64_t)u8(r) << 24;
	default: return raw64(r);
	}
}

static int64_t ret_value(struct gt_capture *c, struct reader *r)
{
	uint8_t how = u8(r);

	switch (how % 5) {
	case 0: return -(int64_t)(u8(r) % 140);
	case 1: return u8(r) % 16;
	case 2: return c->tasks[u8(r) % c->ntasks].tid;
	case 3: return 0;
	default: return (int64_t)raw64(r);
	}
}

static void add_tasks(struct gt_capture *c, struct reader *r)
{
	static const uint32_t flag_bits[] = { CLONE_THREAD, CLONE_FILES, CLONE_VM, CLONE_VFORK };
	size_t n = 1 + u8(r) % 8;

	for (size_t i = 0; i < n; i++) {
		uint8_t f = u8(r);
		uint32_t flags = SIGCHLD;
		int32_t parent = i ? (int32_t)(u8(r) % i) : -1;
		/* Small tids so that they collide now and then (reuse). */
		pid_t tid = 100 + u8(r) % 12;
		uint32_t t;

		for (size_t b = 0; b < GT_ARRAY_SIZE(flag_bits); b++)
			if (f & (1u << b))
				flags |= flag_bits[b];
		t = gt_capture_add_task(c, tid, (flags & CLONE_THREAD) ? 100 : tid, parent, flags);
		c->tasks[t].exit_code = f & 0x10 ? -1 : f >> 5;
		c->tasks[t].exit_signal = f & 0x10 ? SIGKILL : 0;
	}
}

static void add_events(struct gt_capture *c, struct reader *r)
{
	while (r->n > 0 && c->nevents < 512) {
		uint8_t how = u8(r);
		struct gt_raw_event *e = gt_capture_add_event(c);

		e->task = u8(r) % c->ntasks;
		if (how < 230)
			e->nr = gt_syscall_nr(calls[how % GT_ARRAY_SIZE(calls)]);
		else /* unnamed and odd numbers too, but few of them: syscalls.c
		      * keeps a description for each odd number it is asked */
			e->nr = (int32_t)((u8(r) | u8(r) << 8) % 1200) - 64;
		if (e->nr < 0 && how & 1)
			e->nr = 0; /* usually a real call after all */
		for (int i = 0; i < GT_MAX_ARGS; i++)
			e->args[i] = arg_value(c, r);
		e->ret = ret_value(c, r);
		e->flags = u8(r) & 7;
		e->t_enter_ns = raw64(r) >> 40;
		e->t_exit_ns = raw64(r) >> 40;
		add_mem(c, r, 0);
		add_mem(c, r, 1);
	}
}

/* The invariants a built trace must hold. */
static void check(const struct gt_trace *t, const struct gt_trace *again)
{
	struct gt_buf b = { 0 };
	struct gt_error err;

	if (t->hash != gt_trace_hash(t) || t->hash != again->hash)
		abort();
	for (size_t i = 0; i < t->nprocs; i++) {
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			for (size_t k = 0; k < th->nevents; k++) {
				const struct gt_event *e = &th->events[k];
				struct gt_event_parts parts;

				gt_buf_reset(&b);
				gt_event_format(&b, e, true);
				if (gt_event_parse(b.s, &parts, &err) != GT_OK)
					abort();
				if (strcmp(parts.call, e->call) || parts.nargs != e->nargs ||
				    strcmp(parts.ret, e->ret) || parts.count != e->count)
					abort();
				for (size_t a = 0; a < e->nargs; a++)
					if (strcmp(parts.args[a], e->args[a]))
						abort();
				gt_event_parts_free(&parts);
			}
		}
	}
	gt_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const unordered[] = { "futex", "read" };
	static const char *const ignore[] = { "getpid" };
	static const struct gt_path_rule rules[] = { { "/w/lib", "$LIB" } };
	struct reader r = { data, size };
	uint8_t mode = u8(&r);
	struct gt_canon_opts o = {
		.cwd = "/w", .home = "/home/u", .tmp = "/tmp/r", .golden = "/w/golden",
		.rules = rules, .nrules = 1,
		.unordered = mode & 1 ? unordered : NULL, .nunordered = mode & 1 ? 2 : 0,
		.ignore = ignore, .nignore = mode & 2 ? 1 : 0,
		.keep_loader_probes = mode & 4, .no_collapse_repeats = mode & 8,
	};
	struct gt_capture *c = gt_capture_new(mode & 16 ? GT_BACKEND_SECCOMP : GT_BACKEND_PTRACE);
	struct gt_trace *t = NULL, *t2 = NULL, *m = NULL;
	struct gt_trace *runs[2];
	struct gt_error err;

	c->info.returns_known = !(mode & 16);
	add_tasks(c, &r);
	add_events(c, &r);
	if (gt_canon_build(c, &o, &t, &err) != GT_OK)
		abort(); /* the capture is well formed by construction */
	if (gt_canon_build(c, &o, &t2, &err) != GT_OK)
		abort();
	check(t, t2);
	runs[0] = t;
	runs[1] = t2;
	if (gt_canon_merge_runs(runs, 2, &m, &err) != GT_OK)
		abort();
	if (m->hash != t->hash || m->nmasked != 0)
		abort();
	gt_trace_free(m);
	gt_trace_free(t);
	gt_trace_free(t2);
	gt_capture_free(c);
	return 0;
}

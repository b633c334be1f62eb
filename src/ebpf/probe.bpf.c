// SPDX-License-Identifier: GPL-2.0
/*
 * probe.bpf: the eBPF half of the eBPF capture backend.  It records the
 * syscalls of the command's own tasks, and of no other process, into a
 * ring buffer (probe.h describes the records).
 *
 * Attached as raw tracepoints (raw_tp), not tp_btf: a raw_tp program
 * needs no kernel BTF, so loading it parses nothing (tp_btf cost ~100 ms
 * of BTF parsing per run).  For the same reason the probe reads no
 * kernel structure by offset: tasks are keyed by their task_struct
 * pointer (bpf_get_current_task), which the fork tracepoint hands over
 * for the child before the child can run, so that a child is known before
 * its first instruction and a pid that is reused is never mistaken for
 * one of ours.  The first task is seeded by its pid (gt_ebpf_track) and
 * becomes ours when it enters execve: its caller holds it before the exec
 * until it is tracked.
 *
 * Nothing is dropped silently: a record the ring has no room for, a path
 * that cannot be read and a child the task table has no room for are
 * counted in the per-CPU array `lost`, which the loader reports.
 *
 * The license must be GPL: bpf_probe_read_user_str is GPL-only.
 */
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#include "probe.h"

char LICENSE[] SEC("license") = "GPL";

#define EFAULT 14

/* The syscall argument registers, by the stable layout of struct pt_regs
 * at the start of the kernel's own: no BTF needed. */
#if defined(__TARGET_ARCH_x86)
struct regs_min {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax;
};
/* At sys_exit: the call's number and first argument. */
#define NR_AT_EXIT(r) (__s64)(r).orig_ax
#define ARG0_AT_EXIT(r) (r).di
#define ARG0(r) (r).di
#define ARG1(r) (r).si
#define ARG2(r) (r).dx
#define ARG3(r) (r).r10
#define ARG4(r) (r).r8
#define ARG5(r) (r).r9
#elif defined(__TARGET_ARCH_arm64)
struct regs_min {
	__u64 regs[31], sp, pc, pstate, orig_x0;
	__s32 syscallno;
};
#define NR_AT_EXIT(r) (__s64)(r).syscallno
#define ARG0_AT_EXIT(r) (r).orig_x0
#define ARG0(r) (r).regs[0]
#define ARG1(r) (r).regs[1]
#define ARG2(r) (r).regs[2]
#define ARG3(r) (r).regs[3]
#define ARG4(r) (r).regs[4]
#define ARG5(r) (r).regs[5]
#else
#error "the eBPF probe supports x86_64 and aarch64 (define __TARGET_ARCH_x86 or _arm64)"
#endif

/* Set by the loader before the load. */
const volatile __u32 use_ns = 0;    /* report ids in the loader's pid namespace */
const volatile __u64 ns_dev = 0;
const volatile __u64 ns_ino = 0;
const volatile __s64 nr_execve = -1; /* their late strings are the new program's */
const volatile __s64 nr_execveat = -1;

/* Seeds not discovered yet (the loader adds, the probe takes away). */
__u32 seed_pending = 0;
__u32 next_serial = 0;

/* What the probe keeps for one tracked task between its sys_enter and its
 * sys_exit. */
struct task_state {
	__u32 serial;
	__u8 in_syscall;         /* 1: an ENTER was written and its EXIT was not;
				  * 2: an ignored call is in progress */
	__u8 seen_exit;          /* it returned from a call (its creation's too) */
	__u8 pad0[2];
	__s64 nr;
	__u64 late[GT_EBPF_NSTR]; /* string pointers to read again at exit */
	__u64 xptr;              /* what the kernel writes: read at exit */
	__u8 late_arg[GT_EBPF_NSTR];
	__u8 late_n;
	__u8 xkind;              /* enum gt_ebpf_mem_kind of XPTR (0: none) */
	__u8 xarg;
	__u8 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* set by the loader */
} rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u64); /* task_struct address */
	__type(value, struct task_state);
	__uint(max_entries, 32768); /* set by the loader */
} tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32); /* tid in the loader's pid namespace */
	__type(value, __u32);
	__uint(max_entries, 64);
} seeds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32); /* syscall number */
	__type(value, struct gt_ebpf_plan);
	__uint(max_entries, GT_EBPF_MAX_NR);
} plans SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, GT_EBPF_LOST__COUNT);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct gt_ebpf_scratch);
	__uint(max_entries, 1);
} scratch SEC(".maps");

static __always_inline void count_lost(__u32 what)
{
	__u64 *n = bpf_map_lookup_elem(&lost, &what);

	if (n)
		*n += 1; /* per-CPU: no other writer */
}

static __always_inline void cur_ids(__u32 *tid, __u32 *tgid)
{
	if (use_ns) {
		struct bpf_pidns_info ns = {};

		if (bpf_get_ns_current_pid_tgid(ns_dev, ns_ino, &ns, sizeof(ns)) == 0) {
			*tid = ns.pid;
			*tgid = ns.tgid;
		} else {
			*tid = *tgid = 0;
		}
		return;
	}
	__u64 id = bpf_get_current_pid_tgid();

	*tid = (__u32)id;
	*tgid = id >> 32;
}

static __always_inline void fill_head(struct gt_ebpf_head *h, __u32 type, __u32 serial)
{
	h->type = type;
	h->serial = serial;
	cur_ids(&h->tid, &h->tgid);
	h->ts = bpf_ktime_get_ns();
}

/* The state of the current task when it is one of ours.  A task whose
 * tid was seeded becomes ours when it enters execve (NR, -1 at exit): what
 * it did before, gtdiff's own setup of the command, is not the command's. */
static __always_inline struct task_state *find_task(__u64 task, __s64 nr)
{
	struct task_state *st = bpf_map_lookup_elem(&tasks, &task);

	if (st || !seed_pending || (nr != nr_execve && nr != nr_execveat))
		return st;
	__u32 tid, tgid;

	cur_ids(&tid, &tgid);
	if (!bpf_map_lookup_elem(&seeds, &tid))
		return NULL;
	bpf_map_delete_elem(&seeds, &tid);
	__sync_fetch_and_add(&seed_pending, -1);

	struct task_state n = {};

	n.serial = __sync_fetch_and_add(&next_serial, 1) + 1;
	if (bpf_map_update_elem(&tasks, &task, &n, BPF_ANY)) {
		count_lost(GT_EBPF_LOST_TASKS);
		return NULL;
	}
	return bpf_map_lookup_elem(&tasks, &task);
}

static __always_inline void no_strs(struct gt_ebpf_strs *s)
{
	s->len[0] = s->len[1] = 0;
	s->off[0] = s->off[1] = 0;
	s->arg[0] = s->arg[1] = 0xff;
	s->kind[0] = s->kind[1] = 0;
	s->flags = 0;
}

/* Read one string into slot N of SC; returns its length with the NUL, or
 * a negative errno. */
static __always_inline long read_str(struct gt_ebpf_scratch *sc, int n, __u64 ptr)
{
	char *dst = n == 0 ? sc->str : sc->str + GT_EBPF_STR_MAX;

	return bpf_probe_read_user_str(dst, GT_EBPF_STR_MAX, (const void *)ptr);
}

/* Read what argument PTR of kind KIND points to into slot N of SC (LEN:
 * the next argument, a sockaddr's length); returns the bytes read, 0 for
 * nothing to read, or a negative errno. */
static __always_inline long read_slot(struct gt_ebpf_scratch *sc, int n, __u8 kind, __u64 ptr,
				      __u64 len)
{
	char *dst = n == 0 ? sc->str : sc->str + GT_EBPF_STR_MAX;
	__u64 l = len;

	if (kind == GT_EBPF_K_STR)
		return read_str(sc, n, ptr);
	if (kind == GT_EBPF_K_CLONE3) {
		if (bpf_probe_read_user(dst, 8, (const void *)ptr))
			return -EFAULT;
		return 8;
	}
	if (l > GT_EBPF_SOCKADDR_MAX)
		l = GT_EBPF_SOCKADDR_MAX;
	/* Keep the bound where the verifier sees it. */
	asm volatile("" : "+r"(l));
	l &= 0xff;
	if (!l)
		return 0;
	if (bpf_probe_read_user(dst, l, (const void *)ptr))
		return -EFAULT;
	return l;
}

/* Argument I (0 to 5) of A; 0 for any other I.  A switch, not an index:
 * the verifier reads the stack at constant offsets only. */
static __always_inline __u64 pick(const __u64 *a, __u32 i)
{
	switch (i) {
	case 0: return a[0];
	case 1: return a[1];
	case 2: return a[2];
	case 3: return a[3];
	case 4: return a[4];
	case 5: return a[5];
	default: return 0;
	}
}

/* Size of the record in SC with strings up to END bytes into sc->str. */
static __always_inline __u64 rec_size(__u64 end)
{
	if (end > sizeof(((struct gt_ebpf_scratch *)0)->str))
		end = sizeof(((struct gt_ebpf_scratch *)0)->str);
	return __builtin_offsetof(struct gt_ebpf_scratch, str) + end;
}

static __always_inline struct gt_ebpf_scratch *get_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/* ---- DATA records: execve's argv, and what the kernel wrote ---- */

struct data_ctx {
	__u64 ptr;    /* argv, or the buffer */
	__u64 len;    /* the buffer's bytes */
	__u64 total;  /* argv bytes so far */
	__u32 serial;
	__u8 arg, kind;
};

static __always_inline void data_head(struct gt_ebpf_scratch *sc, const struct data_ctx *d,
				      __u32 index)
{
	struct gt_ebpf_data *r = &sc->r.data;

	fill_head(&r->h, GT_EBPF_R_DATA, d->serial);
	r->arg = d->arg;
	r->kind = d->kind;
	r->flags = 0;
	r->index = index;
	r->len = 0;
	r->pad = 0;
}

/* The I-th string of argv: a DATA record; 1 (stop) at the NULL. */
static long argv_one(__u64 i, void *p)
{
	struct data_ctx *d = p;
	struct gt_ebpf_scratch *sc = get_scratch();
	__u64 sp = 0;
	long got;

	if (!sc)
		return 1;
	if (bpf_probe_read_user(&sp, sizeof(sp), (const void *)(d->ptr + i * 8))) {
		count_lost(GT_EBPF_LOST_DATA);
		return 1;
	}
	if (!sp || d->total >= GT_EBPF_ARGV_BYTES)
		return 1;
	data_head(sc, d, (__u32)i);
	got = bpf_probe_read_user_str(sc->str, GT_EBPF_STR_MAX, (const void *)sp);
	if (got <= 0 || got > GT_EBPF_STR_MAX) {
		got = 0;
		sc->r.data.flags = GT_EBPF_F_DATA_LOST;
		count_lost(GT_EBPF_LOST_DATA);
	}
	sc->r.data.len = got;
	d->total += got;
	if (bpf_ringbuf_output(&rb, sc, rec_size(got), BPF_RB_NO_WAKEUP))
		count_lost(GT_EBPF_LOST_RECORDS);
	return 0;
}

/* The I-th chunk of an output buffer: a DATA record; 1 past its end. */
static long out_chunk(__u64 i, void *p)
{
	struct data_ctx *d = p;
	struct gt_ebpf_scratch *sc = get_scratch();
	__u64 off = i * GT_EBPF_STR_MAX, n;

	if (!sc || off >= d->len)
		return 1;
	n = d->len - off;
	if (n > GT_EBPF_STR_MAX)
		n = GT_EBPF_STR_MAX;
	data_head(sc, d, (__u32)off);
	if (n == 0 || bpf_probe_read_user(sc->str, n, (const void *)(d->ptr + off))) {
		n = 0;
		sc->r.data.flags = GT_EBPF_F_DATA_LOST;
		count_lost(GT_EBPF_LOST_DATA);
	}
	sc->r.data.len = n;
	if (bpf_ringbuf_output(&rb, sc, rec_size(n), BPF_RB_NO_WAKEUP))
		count_lost(GT_EBPF_LOST_RECORDS);
	return 0;
}

/* What the kernel wrote for the call that returns RET, before its EXIT. */
static __always_inline void read_out(struct task_state *st, __s64 ret)
{
	struct data_ctx d = {};

	d.ptr = st->xptr;
	d.serial = st->serial;
	d.arg = st->xarg;
	d.kind = st->xkind;
	if (!d.ptr)
		return;
	switch (d.kind) {
	case GT_EBPF_K_FDPAIR:
		if (ret != 0)
			return;
		d.len = 8;
		break;
	case GT_EBPF_K_WSTATUS:
		if (ret <= 0)
			return;
		d.len = 4;
		break;
	case GT_EBPF_K_OUTPATH:
		if (ret <= 0)
			return;
		d.len = ret > GT_EBPF_STR_MAX ? GT_EBPF_STR_MAX : ret;
		break;
	case GT_EBPF_K_DIRENTS:
		if (ret <= 0)
			return;
		d.len = ret;
		if (d.len > (__u64)GT_EBPF_OUT_CHUNKS * GT_EBPF_STR_MAX) {
			count_lost(GT_EBPF_LOST_DATA);
			return;
		}
		break;
	default:
		return;
	}
	bpf_loop(GT_EBPF_OUT_CHUNKS, out_chunk, &d, 0);
}

static __always_inline void blocked_call(struct task_state *st, struct bpf_raw_tracepoint_args *ctx,
					 __s64 ret)
{
	struct regs_min r;

	if (bpf_probe_read_kernel(&r, sizeof(r), (const void *)ctx->args[0]))
		return;

	struct gt_ebpf_enter *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);

	if (!e) {
		count_lost(GT_EBPF_LOST_RECORDS);
		return;
	}
	fill_head(&e->h, GT_EBPF_R_ENTER, st->serial);
	e->nr = NR_AT_EXIT(r);
	e->args[0] = ARG0_AT_EXIT(r);
	e->args[1] = ARG1(r);
	e->args[2] = ARG2(r);
	e->args[3] = ARG3(r);
	e->args[4] = ARG4(r);
	e->args[5] = ARG5(r);
	no_strs(&e->s);
	e->s.flags = GT_EBPF_F_NO_MEM;
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);

	struct gt_ebpf_exit *x = bpf_ringbuf_reserve(&rb, sizeof(*x), 0);

	if (!x) {
		count_lost(GT_EBPF_LOST_RECORDS);
		return;
	}
	fill_head(&x->h, GT_EBPF_R_EXIT, st->serial);
	x->nr = NR_AT_EXIT(r);
	x->ret = ret;
	no_strs(&x->s);
	bpf_ringbuf_submit(x, BPF_RB_NO_WAKEUP);
}

SEC("raw_tp/sys_enter")
int gt_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 task = bpf_get_current_task();
	__s64 nr = (__s64)ctx->args[1];
	struct task_state *st = find_task(task, nr);

	if (!st)
		return 0;

	struct gt_ebpf_plan *pl = NULL;

	if (nr >= 0 && nr < GT_EBPF_MAX_NR) {
		__u32 k = nr;

		pl = bpf_map_lookup_elem(&plans, &k);
	}
	st->in_syscall = 0;
	if (pl && pl->ignore) {
		st->in_syscall = 2;
		return 0;
	}

	struct regs_min r;

	if (bpf_probe_read_kernel(&r, sizeof(r), (const void *)ctx->args[0]))
		__builtin_memset(&r, 0, sizeof(r));
	st->in_syscall = 1;
	st->nr = nr;
	st->late_n = 0;
	st->xkind = 0;
	st->xptr = 0;

	__u64 a[8] = {ARG0(r), ARG1(r), ARG2(r), ARG3(r), ARG4(r), ARG5(r), 0, 0};
	int mem = 0, argv = -1;

	if (pl) {
		mem = pl->slot_arg[0] != 0;
		if (pl->argv_arg)
			argv = (pl->argv_arg - 1) & 7;
		if (pl->xarg) {
			st->xarg = (pl->xarg - 1) & 7;
			st->xkind = pl->xkind;
			st->xptr = pick(a, st->xarg);
		}
	}

	if (!mem && argv < 0) {
		struct gt_ebpf_enter *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);

		if (!e) {
			count_lost(GT_EBPF_LOST_RECORDS);
			return 0;
		}
		fill_head(&e->h, GT_EBPF_R_ENTER, st->serial);
		e->nr = nr;
#pragma unroll
		for (int i = 0; i < 6; i++)
			e->args[i] = a[i];
		no_strs(&e->s);
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
		return 0;
	}

	struct gt_ebpf_scratch *sc = get_scratch();

	if (!sc)
		return 0;
	struct gt_ebpf_enter *e = &sc->r.enter;

	fill_head(&e->h, GT_EBPF_R_ENTER, st->serial);
	e->nr = nr;
#pragma unroll
	for (int i = 0; i < 6; i++)
		e->args[i] = a[i];
	no_strs(&e->s);

	__u64 end = 0;

#pragma unroll
	for (int n = 0; n < GT_EBPF_NSTR; n++) {
		__u8 i = pl ? pl->slot_arg[n] : 0;
		__u8 k = pl ? pl->slot_kind[n] : 0;

		if (!i || i > 6)
			break;
		i--;
		__u64 ptr = pick(a, i);

		e->s.arg[n] = i;
		e->s.kind[n] = k;
		if (!ptr)
			continue;
		long got = read_slot(sc, n, k, ptr, pick(a, i + 1));

		if (got > 0 && got <= GT_EBPF_STR_MAX) {
			e->s.len[n] = got;
			e->s.off[n] = __builtin_offsetof(struct gt_ebpf_scratch, str) +
				      n * GT_EBPF_STR_MAX;
			end = n * GT_EBPF_STR_MAX + got;
		} else if (got < 0 && k == GT_EBPF_K_STR) {
			/* Not resident yet: the kernel faults it in when it
			 * reads it; try again at exit. */
			e->s.flags |= GT_EBPF_F_STR0_LATE << n;
			if (n == 0) {
				st->late[0] = ptr;
				st->late_arg[0] = i;
			} else {
				st->late[1] = ptr;
				st->late_arg[1] = i;
			}
			st->late_n = n + 1;
		} else if (got < 0) {
			e->s.flags |= GT_EBPF_F_STR0_LOST << n;
			count_lost(GT_EBPF_LOST_STRINGS);
		}
	}
	if (bpf_ringbuf_output(&rb, sc, rec_size(end), BPF_RB_NO_WAKEUP))
		count_lost(GT_EBPF_LOST_RECORDS);

	if (argv >= 0) {
		struct data_ctx d = {};

		d.serial = st->serial;
		d.kind = GT_EBPF_K_ARGV;
		d.arg = argv;
		d.ptr = pick(a, argv);
		if (d.ptr)
			bpf_loop(GT_EBPF_ARGV_MAX, argv_one, &d, 0);
	}
	return 0;
}

SEC("raw_tp/sys_exit")
int gt_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 task = bpf_get_current_task();
	struct task_state *st = find_task(task, -1);

	if (!st)
		return 0;

	__s64 ret = (__s64)ctx->args[1];

	if (st->in_syscall != 1) {
		/* The return from the fork that made the task (its first
		 * tracepoint), an ignored call, or a call whose sys_enter did
		 * not run: a seccomp filter of the program's own refused it
		 * (its ERRNO or TRAP action skips the call and the tracepoint,
		 * not the exit).  The last is recorded from what is left: the
		 * number and the arguments, no memory. */
		if (st->in_syscall == 0 && st->seen_exit)
			blocked_call(st, ctx, ret);
		st->in_syscall = 0;
		st->seen_exit = 1;
		return 0;
	}
	st->in_syscall = 0;
	st->seen_exit = 1;

	if (st->xkind)
		read_out(st, ret);

	if (!st->late_n) {
		struct gt_ebpf_exit *x = bpf_ringbuf_reserve(&rb, sizeof(*x), 0);

		if (!x) {
			count_lost(GT_EBPF_LOST_RECORDS);
			return 0;
		}
		fill_head(&x->h, GT_EBPF_R_EXIT, st->serial);
		x->nr = st->nr;
		x->ret = ret;
		no_strs(&x->s);
		bpf_ringbuf_submit(x, BPF_RB_NO_WAKEUP);
		return 0;
	}

	struct gt_ebpf_scratch *sc = get_scratch();

	if (!sc)
		return 0;
	struct gt_ebpf_exit *x = &sc->r.exit;

	fill_head(&x->h, GT_EBPF_R_EXIT, st->serial);
	x->nr = st->nr;
	x->ret = ret;
	no_strs(&x->s);

	/* After a successful exec the memory is the new program's. */
	int gone = ret == 0 && (st->nr == nr_execve || st->nr == nr_execveat);
	__u64 end = 0;

#pragma unroll
	for (int n = 0; n < GT_EBPF_NSTR; n++) {
		if (n >= st->late_n)
			break;
		__u64 ptr = n == 0 ? st->late[0] : st->late[1];

		if (!ptr)
			continue;
		x->s.arg[n] = n == 0 ? st->late_arg[0] : st->late_arg[1];
		x->s.kind[n] = GT_EBPF_K_STR;
		if (ret == -EFAULT)
			continue; /* the kernel could not read it either */
		long got = gone ? -EFAULT : read_str(sc, n, ptr);

		if (got > 0 && got <= GT_EBPF_STR_MAX) {
			x->s.len[n] = got;
			x->s.off[n] = __builtin_offsetof(struct gt_ebpf_scratch, str) +
				      n * GT_EBPF_STR_MAX;
			x->s.flags |= GT_EBPF_F_STR0_LATE << n;
			end = n * GT_EBPF_STR_MAX + got;
		} else {
			x->s.flags |= GT_EBPF_F_STR0_LOST << n;
			count_lost(GT_EBPF_LOST_STRINGS);
		}
	}
	st->late_n = 0;
	if (bpf_ringbuf_output(&rb, sc, rec_size(end), BPF_RB_NO_WAKEUP))
		count_lost(GT_EBPF_LOST_RECORDS);
	return 0;
}

/* (struct task_struct *parent, struct task_struct *child), in the parent,
 * before the child is woken up. */
SEC("raw_tp/sched_process_fork")
int gt_fork(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 parent = bpf_get_current_task();
	struct task_state *pst = bpf_map_lookup_elem(&tasks, &parent);

	if (!pst)
		return 0;

	__u64 child = ctx->args[1];
	struct task_state n = {};

	n.serial = __sync_fetch_and_add(&next_serial, 1) + 1;
	if (bpf_map_update_elem(&tasks, &child, &n, BPF_ANY)) {
		count_lost(GT_EBPF_LOST_TASKS);
		return 0;
	}

	struct gt_ebpf_fork *f = bpf_ringbuf_reserve(&rb, sizeof(*f), 0);

	if (!f) {
		count_lost(GT_EBPF_LOST_RECORDS);
		return 0;
	}
	fill_head(&f->h, GT_EBPF_R_FORK, pst->serial);
	f->child = n.serial;
	f->pad = 0;
	bpf_ringbuf_submit(f, BPF_RB_NO_WAKEUP);
	return 0;
}

/* In the exiting task itself. */
SEC("raw_tp/sched_process_exit")
int gt_task_exit(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 task = bpf_get_current_task();
	struct task_state *st = bpf_map_lookup_elem(&tasks, &task);

	if (!st)
		return 0;

	struct gt_ebpf_head *h = bpf_ringbuf_reserve(&rb, sizeof(*h), 0);

	if (h) {
		fill_head(h, GT_EBPF_R_TASK_EXIT, st->serial);
		bpf_ringbuf_submit(h, BPF_RB_NO_WAKEUP);
	} else {
		count_lost(GT_EBPF_LOST_RECORDS);
	}
	bpf_map_delete_elem(&tasks, &task);
	return 0;
}

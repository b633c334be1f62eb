/*
 * canon-memory: the canonicalizer's rules for memory calls, whose numbers
 * are not behaviour: the allocator's arena trims (dropped), the loader's
 * mapping of /etc/ld.so.cache (its length shown as len(ld.so.cache)), which
 * calls are memory management (counted, not sequenced), and the run's
 * anonymous bytes.  The regions of each process that these rules track
 * live in struct ctx (canon-internal.h).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "canon-internal.h"
#include "syscalls.h"

enum region_kind { REGION_RESERVE, REGION_LDCACHE };

struct region {
	size_t proc;
	uint64_t addr, len;
	enum region_kind kind;
};

/* ldcache slot value: opened with an unknown fd (returns unknown). */
#define LDCACHE_PENDING (-2)

static struct region *find_region(struct ctx *c, size_t proc, uint64_t addr, uint64_t len)
{
	for (size_t i = c->nregions; i-- > 0;) {
		struct region *r = &c->regions[i];

		if (r->proc == proc && addr >= r->addr && addr - r->addr < r->len &&
		    len <= r->len - (addr - r->addr))
			return r;
	}
	return NULL;
}

/* [ADDR, ADDR+LEN) of PROC is no longer what any region says (unmapped,
 * or mapped anew): cut it out of every region, so that a later mapping
 * that reuses the addresses is not taken for the old one. */
static void forget_range(struct ctx *c, size_t proc, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;

	for (size_t i = 0; i < c->nregions;) {
		struct region *r = &c->regions[i];
		uint64_t rend = r->addr + r->len;

		if (r->proc != proc || rend <= addr || r->addr >= end) {
			i++;
			continue;
		}
		if (r->addr < addr && rend > end) {
			/* a hole in the middle: keep both sides */
			struct region tail = *r;

			tail.addr = end;
			tail.len = rend - end;
			r->len = addr - r->addr;
			xgrow((void **)&c->regions, &c->regions_cap, c->nregions + 1,
			      sizeof(*c->regions));
			c->regions[c->nregions++] = tail;
			i++;
		} else if (r->addr < addr) {
			r->len = addr - r->addr;
			i++;
		} else if (rend > end) {
			r->len = rend - end;
			r->addr = end;
			i++;
		} else {
			c->regions[i] = c->regions[--c->nregions];
		}
	}
}

static void add_region(struct ctx *c, size_t proc, uint64_t addr, uint64_t len,
		       enum region_kind kind)
{
	xgrow((void **)&c->regions, &c->regions_cap, c->nregions + 1, sizeof(*c->regions));
	c->regions[c->nregions++] = (struct region){ proc, addr, len, kind };
}

/*
 * Memory calls whose numbers are not behaviour:
 * - glibc's malloc reserves an aligned arena by mapping twice the size with
 *   PROT_NONE|MAP_NORESERVE and unmapping the misaligned ends; how much it
 *   trims, and whether it trims once or twice, depends on where ASLR put
 *   the mapping.  The trims are dropped.
 * - the loader maps /etc/ld.so.cache whole; its size changes whenever a
 *   library is installed.  Its length is shown as "len(ld.so.cache)".
 */
/* The slot of PROC's ld.so.cache fd (processes start loading at once in a
 * pipeline, so one slot for all would mix them up). */
static int *ldcache_slot(struct ctx *c, size_t proc)
{
	if (proc >= c->nldcache) {
		size_t n = c->nldcache;

		xgrow((void **)&c->ldcache_fd, &c->nldcache, proc + 1, sizeof(*c->ldcache_fd));
		for (size_t i = n; i < c->nldcache; i++)
			c->ldcache_fd[i] = -1;
	}
	return &c->ldcache_fd[proc];
}

/* The same rules for a backend that cannot see return values (seccomp):
 * no addresses, no fds from opens.  The loader's ld.so.cache open is
 * followed by its mmap (the process's next mmap of an fd) and, later, a
 * munmap of that length; an arena reservation is followed at once, in the
 * same thread, by at most two trims within its length. */
static enum canon_mem_verdict memory_rules_unknown(struct ctx *c, size_t ti,
					     const struct gt_raw_event *ev,
					     const struct gt_syscall_desc *d)
{
	struct ctask *ct = &c->tasks[ti];
	size_t proc = ct->proc;
	int *ldcache = ldcache_slot(c, proc);
	bool is_mmap = strcmp(d->name, "mmap") == 0, is_munmap = strcmp(d->name, "munmap") == 0;
	int pi;

	if (is_munmap && ct->trims_left && ev->args[1] <= ct->trim_left) {
		ct->trims_left--;
		ct->trim_left -= ev->args[1];
		return MEM_DROP;
	}
	ct->trims_left = 0;
	if (is_mmap && ev->args[2] == PROT_NONE && (ev->args[3] & MAP_NORESERVE)) {
		ct->trims_left = 2;
		ct->trim_left = ev->args[1];
		return MEM_KEEP;
	}
	if (is_mmap && *ldcache == LDCACHE_PENDING && (int32_t)ev->args[4] >= 0) {
		*ldcache = -1;
		add_region(c, proc, 0, ev->args[1], REGION_LDCACHE);
		return MEM_LDCACHE_LENGTH;
	}
	if (is_munmap) {
		/* Its address is an argument, known either way: a region whose
		 * address was seen (auto: mmap's return is) is found by it. */
		struct region *r = find_region(c, proc, ev->args[0], ev->args[1]);

		if (r && r->addr != 0) {
			enum canon_mem_verdict v = r->kind == REGION_RESERVE ? MEM_DROP
								 : MEM_LDCACHE_LENGTH;

			forget_range(c, proc, ev->args[0], ev->args[1]);
			return v;
		}
		for (size_t i = 0; i < c->nregions; i++) {
			r = &c->regions[i];
			if (r->proc == proc && r->addr == 0 && r->kind == REGION_LDCACHE &&
			    r->len == ev->args[1]) {
				c->regions[i] = c->regions[--c->nregions];
				return MEM_LDCACHE_LENGTH;
			}
		}
		return MEM_KEEP;
	}
	pi = canon_arg_index(d, GT_A_PATH);
	if (d->retk == GT_R_FD && pi >= 0) {
		const char *m = gt_capture_mem(c->cap, ev, pi);
		size_t avail = m ? c->cap->bloblen - (size_t)(m - c->cap->blob) : 0;

		if (m && strnlen(m, avail) == sizeof("/etc/ld.so.cache") - 1 &&
		    strncmp(m, "/etc/ld.so.cache", avail) == 0)
			*ldcache = LDCACHE_PENDING;
	}
	return MEM_KEEP;
}

enum canon_mem_verdict canon_memory_rules(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
				     const struct gt_syscall_desc *d)
{
	size_t proc = c->tasks[ti].proc;
	int *ldcache = ldcache_slot(c, proc);
	int pi;

	/* A close ends the cache's fd whether or not its return was seen. */
	if ((d->fx & GT_FX_CLOSE) && *ldcache >= 0 && (int32_t)ev->args[0] == *ldcache)
		*ldcache = -1;
	if (!canon_ret_known(ev) && !(ev->flags & GT_EV_NO_RETURN))
		return memory_rules_unknown(c, ti, ev, d);
	if (!canon_succeeded(ev))
		return MEM_KEEP;
	if (strcmp(d->name, "mmap") == 0) {
		/* Whatever was mapped there before is gone. */
		forget_range(c, proc, (uint64_t)ev->ret, ev->args[1]);
		if (ev->args[2] == PROT_NONE && (ev->args[3] & MAP_NORESERVE))
			add_region(c, proc, (uint64_t)ev->ret, ev->args[1], REGION_RESERVE);
		if (*ldcache >= 0 && (int32_t)ev->args[4] == *ldcache) {
			add_region(c, proc, (uint64_t)ev->ret, ev->args[1], REGION_LDCACHE);
			return MEM_LDCACHE_LENGTH;
		}
		return MEM_KEEP;
	}
	if (strcmp(d->name, "munmap") == 0) {
		struct region *r = find_region(c, proc, ev->args[0], ev->args[1]);
		enum canon_mem_verdict verdict = MEM_KEEP;

		if (r)
			verdict = r->kind == REGION_RESERVE ? MEM_DROP : MEM_LDCACHE_LENGTH;
		forget_range(c, proc, ev->args[0], ev->args[1]);
		return verdict;
	}
	if ((d->fx & GT_FX_CLOSE) && (int32_t)ev->args[0] == *ldcache) {
		*ldcache = -1;
		return MEM_KEEP;
	}
	pi = canon_arg_index(d, GT_A_PATH);
	if (d->retk == GT_R_FD && pi >= 0) {
		const char *m = gt_capture_mem(c->cap, ev, pi);
		size_t avail = m ? c->cap->bloblen - (size_t)(m - c->cap->blob) : 0;

		if (m && strnlen(m, avail) == sizeof("/etc/ld.so.cache") - 1 &&
		    strncmp(m, "/etc/ld.so.cache", avail) == 0) {
			*ldcache = (int)ev->ret;
		}
	}
	return MEM_KEEP;
}

/* Memory management (syscalls.h): brk, munmap, mremap, madvise, and mmap
 * of anonymous memory.  File mappings stay in the sequence: which files a
 * program maps is behaviour. */
bool canon_is_memory_call(const struct gt_raw_event *ev, const struct gt_syscall_desc *d,
			   const char *name)
{
	if (gt_syscall_is_memory(name))
		return true;
	return strcmp(d->name, "mmap") == 0 && (ev->args[3] & MAP_ANONYMOUS) &&
	       (int32_t)ev->args[4] == -1;
}

/* An mprotect inside an allocator's reservation (PROT_NONE, NORESERVE) is
 * malloc growing an arena: whether a thread gets an arena of its own is
 * contention, so it is memory management too. */
bool canon_commits_reserve(struct ctx *c, const struct ctask *ct, const struct gt_raw_event *ev,
			    const struct gt_syscall_desc *d)
{
	struct region *r;

	if (strcmp(d->name, "mprotect") != 0)
		return false;
	r = find_region(c, ct->proc, ev->args[0], ev->args[1]);
	return r && r->kind == REGION_RESERVE;
}

/* Add what a memory call asked for to the run's anonymous bytes: an
 * anonymous mmap's length (but a PROT_NONE reservation's), an mremap's
 * growth, a process's heap growth (the highest break over its first, until
 * it execs or the run ends).  What an mprotect later commits inside a
 * reservation is not counted. */
void canon_account_memory(struct ctx *c, const struct ctask *ct, const struct gt_raw_event *ev,
			   const struct gt_syscall_desc *d)
{
	if (canon_ret_known(ev) && canon_failed(ev))
		return;
	if (strcmp(d->name, "mmap") == 0) {
		/* A PROT_NONE map is a reservation of address space (malloc's
		 * arenas, thread stacks), not memory. */
		if (ev->args[2] != PROT_NONE)
			c->anon_bytes += (double)ev->args[1];
	} else if (strcmp(d->name, "mprotect") == 0) {
		/* Committed inside a reservation. */
		if (ev->args[2] != PROT_NONE)
			c->anon_bytes += (double)ev->args[1];
	} else if (strcmp(d->name, "mremap") == 0) {
		if (ev->args[2] > ev->args[1])
			c->anon_bytes += (double)(ev->args[2] - ev->args[1]);
	} else if (strcmp(d->name, "brk") == 0 && !canon_ret_known(ev)) {
		/* The heap's growth shows only in brk's returns (seccomp
		 * cannot see them): the run's anonymous bytes are unknown. */
		c->anon_unknown = true;
	} else if (strcmp(d->name, "brk") == 0) {
		uint64_t top = (uint64_t)ev->ret;

		if (ct->proc >= c->nbrk) {
			size_t n = ct->proc + 8;

			c->brk_base = xrealloc(c->brk_base, n * sizeof(*c->brk_base));
			c->brk_top = xrealloc(c->brk_top, n * sizeof(*c->brk_top));
			memset(c->brk_base + c->nbrk, 0, (n - c->nbrk) * sizeof(*c->brk_base));
			memset(c->brk_top + c->nbrk, 0, (n - c->nbrk) * sizeof(*c->brk_top));
			c->nbrk = n;
		}
		if (!c->brk_base[ct->proc])
			c->brk_base[ct->proc] = top;
		if (top > c->brk_top[ct->proc])
			c->brk_top[ct->proc] = top;
	}
}

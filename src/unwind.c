/*
 * unwind: call stacks of tasks stopped under ptrace, by libdw (see
 * unwind.h).  One Dwfl per process: its modules are reported from
 * /proc/PID/maps, again after the mappings changed; libdw then reads the
 * stopped thread's registers and memory through ptrace and walks the CFI.
 * Each frame's names (module, symbol, source line) are looked up once per
 * address and mapping generation and kept in the stack table's strings,
 * so that they outlive the Dwfl.
 */
#include "config.h"

#include "unwind.h"

#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBDW

#include <dwarf.h>
#include <elfutils/libdwfl.h>

/* A frame already named, by address. */
struct named {
	uint64_t pc;          /* 0: empty slot */
	struct gt_frame f;
};

struct proc {
	pid_t tgid;
	Dwfl *dwfl;
	bool attached;
	uint64_t gen;         /* the mapping generation its modules are of */
	struct named *cache;  /* open addressing by pc; a power of two */
	size_t cache_cap, ncache;
};

struct gt_unwinder {
	struct gt_stacks *stacks;
	Dwfl_Callbacks callbacks;  /* the Dwfls point at it */
	struct proc *procs;
	size_t nprocs, procs_cap;
	uint64_t gen;             /* bumped when some mapping changed */
	uint64_t taken, failed;
};

bool gt_unwind_available(void)
{
	return true;
}

enum gt_rc gt_unwind_new(struct gt_stacks *stacks, bool debuginfod, struct gt_unwinder **out,
			 struct gt_error *err)
{
	struct gt_unwinder *u;

	(void)err;
	/* libdw asks the servers DEBUGINFOD_URLS names for debug info it
	 * lacks, from inside the stop loop: a network round trip per
	 * library, while the command waits. */
	if (!debuginfod)
		unsetenv("DEBUGINFOD_URLS");
	u = xcalloc(1, sizeof(*u));
	u->stacks = stacks;
	u->gen = 1;
	u->callbacks.find_elf = dwfl_linux_proc_find_elf;
	/* The build-id directory and .gnu_debuglink, under the default
	 * path (/usr/lib/debug among others). */
	u->callbacks.find_debuginfo = dwfl_standard_find_debuginfo;
	*out = u;
	return GT_OK;
}

static void proc_fini(struct proc *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	free(p->cache);
}

void gt_unwind_free(struct gt_unwinder *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nprocs; i++)
		proc_fini(&u->procs[i]);
	free(u->procs);
	free(u);
}

void gt_unwind_maps_changed(struct gt_unwinder *u)
{
	if (u)
		u->gen++;
}

void gt_unwind_counts(const struct gt_unwinder *u, uint64_t *taken, uint64_t *failed)
{
	*taken = u ? u->taken : 0;
	*failed = u ? u->failed : 0;
}

void gt_unwind_process_gone(struct gt_unwinder *u, pid_t tgid)
{
	for (size_t i = 0; u && i < u->nprocs; i++) {
		if (u->procs[i].tgid != tgid)
			continue;
		proc_fini(&u->procs[i]);
		u->procs[i] = u->procs[--u->nprocs];
		return;
	}
}

/* Report P's modules again (the mappings as they are now). */
static bool report(struct proc *p)
{
	int r;

	dwfl_report_begin(p->dwfl);
	r = dwfl_linux_proc_report(p->dwfl, p->tgid);
	if (dwfl_report_end(p->dwfl, NULL, NULL) != 0 || r != 0)
		return false;
	p->ncache = 0;
	if (p->cache)
		memset(p->cache, 0, p->cache_cap * sizeof(*p->cache));
	return true;
}

static struct proc *proc_of(struct gt_unwinder *u, pid_t tgid)
{
	struct proc *p;

	for (size_t i = 0; i < u->nprocs; i++)
		if (u->procs[i].tgid == tgid)
			return &u->procs[i];
	xgrow((void **)&u->procs, &u->procs_cap, u->nprocs + 1, sizeof(*u->procs));
	p = &u->procs[u->nprocs++];
	memset(p, 0, sizeof(*p));
	p->tgid = tgid;
	p->dwfl = dwfl_begin(&u->callbacks);
	return p;
}

/* P ready to unwind: its modules of this generation, its threads
 * attached (they are ptrace-stopped by us: libdw need not attach). */
static bool ready(struct gt_unwinder *u, struct proc *p)
{
	if (!p->dwfl)
		return false;
	if (p->gen != u->gen) {
		if (!report(p))
			return false;
		p->gen = u->gen;
	}
	if (!p->attached) {
		if (dwfl_linux_proc_attach(p->dwfl, p->tgid, true) != 0)
			return false;
		p->attached = true;
	}
	return true;
}

static const char *intern(struct gt_unwinder *u, const char *s)
{
	return s ? gt_strtab_intern(u->stacks->strs, s) : NULL;
}

/* FILE of the line table of LINE's compilation unit, absolute: a relative
 * name (what the compiler was given, "tests/x.c", "../sysdeps/y.c") is
 * joined to the unit's compilation directory, and "." and ".." components
 * are taken out.  Interned in U's table. */
static const char *source_path(struct gt_unwinder *u, Dwfl_Line *line, const char *file)
{
	Dwarf_Die *cu = dwfl_linecu(line);
	Dwarf_Attribute attr;
	const char *dir = cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &attr)) : NULL;
	struct gt_buf b = {0};
	const char *p, *out;

	if (file[0] == '/' || !dir || dir[0] != '/')
		return intern(u, file);
	gt_buf_puts(&b, dir);
	for (p = file; *p;) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(b.s, '/');

			if (slash && slash != b.s)
				b.len = (size_t)(slash - b.s);
			else
				b.len = 1;
			b.s[b.len] = '\0';
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (b.len > 1)
				gt_buf_putc(&b, '/');
			gt_buf_add(&b, p, n);
		}
		p += n + (end ? 1 : 0);
	}
	out = intern(u, b.s);
	gt_buf_free(&b);
	return out;
}

/* The nearest function symbol of MOD at or before PC (a stripped binary
 * keeps only .dynsym, whose symbols need not contain PC): its name and
 * *OFF, PC's distance from it; NULL when there is none. */
static const char *nearest_symbol(Dwfl_Module *mod, uint64_t pc, GElf_Off *off)
{
	int n = dwfl_module_getsymtab(mod);
	const char *best = NULL;
	GElf_Addr at = 0;

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr v;
		const char *name = dwfl_module_getsym_info(mod, i, &sym, &v, NULL, NULL, NULL);

		if (!name || !*name || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || v > pc || (best && v <= at))
			continue;
		best = name;
		at = v;
	}
	*off = best ? pc - at : 0;
	return best;
}

/* Name the frame at PC of P's modules. */
static void name_frame(struct gt_unwinder *u, struct proc *p, uint64_t pc, struct gt_frame *f)
{
	Dwfl_Module *mod = dwfl_addrmodule(p->dwfl, pc);
	Dwarf_Addr rel = pc, start = 0;
	GElf_Off symoff = 0;
	GElf_Sym sym;
	Dwfl_Line *line;
	const char *name, *file;
	int lineno = 0;

	memset(f, 0, sizeof(*f));
	f->offset = pc;
	if (!mod)
		return;
	name = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	f->module = intern(u, name);
	if (dwfl_module_relocate_address(mod, &rel) >= 0)
		f->offset = rel;
	else
		f->offset = pc - start;
	name = dwfl_module_addrinfo(mod, pc, &symoff, &sym, NULL, NULL, NULL);
	if (!name)
		name = nearest_symbol(mod, pc, &symoff);
	f->symbol = intern(u, name);
	f->symoff = symoff;
	line = dwfl_module_getsrc(mod, pc);
	file = line ? dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL) : NULL;
	if (file && lineno > 0) {
		f->file = source_path(u, line, file);
		f->line = (unsigned)lineno;
	}
}

static void cache_grow(struct proc *p)
{
	struct named *old = p->cache;
	size_t oldcap = p->cache_cap, cap = oldcap ? oldcap * 2 : 256;

	p->cache = xcalloc(cap, sizeof(*p->cache));
	p->cache_cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i].pc)
			continue;
		for (j = (old[i].pc * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1); p->cache[j].pc;
		     j = (j + 1) & (cap - 1))
			;
		p->cache[j] = old[i];
	}
	free(old);
}

/* The frame at PC, named once per address and generation. */
static void frame_at(struct gt_unwinder *u, struct proc *p, uint64_t pc, struct gt_frame *f)
{
	size_t j;

	if (!pc) {
		memset(f, 0, sizeof(*f));
		return;
	}
	if (2 * (p->ncache + 1) > p->cache_cap)
		cache_grow(p);
	for (j = (pc * 0x9e3779b97f4a7c15ULL >> 20) & (p->cache_cap - 1); p->cache[j].pc;
	     j = (j + 1) & (p->cache_cap - 1))
		if (p->cache[j].pc == pc) {
			*f = p->cache[j].f;
			return;
		}
	name_frame(u, p, pc, f);
	p->cache[j].pc = pc;
	p->cache[j].f = *f;
	p->ncache++;
}

struct walk {
	struct gt_unwinder *u;
	struct proc *p;
	struct gt_frame f[GT_STACK_MAX_FRAMES];
	size_t n;
	bool unmapped;        /* a pc no module holds: the maps are stale */
};

static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct walk *w = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	/* A return address points after the call: the call is before it. */
	if (!activation && pc)
		pc--;
	frame_at(w->u, w->p, pc, &w->f[w->n]);
	if (!w->f[w->n].module && w->n == 0)
		w->unmapped = true;
	w->n++;
	return w->n < GT_STACK_MAX_FRAMES ? DWARF_CB_OK : DWARF_CB_ABORT;
}

uint32_t gt_unwind_stack(struct gt_unwinder *u, pid_t tgid, pid_t tid)
{
	struct walk w = {.u = u};
	struct proc *p = proc_of(u, tgid);

	w.p = p;
	if (!ready(u, p)) {
		u->failed++;
		return 0;
	}
	/* The walk stops with an error where the CFI ends (past _start, or
	 * where a module has none): what it found up to there is the stack. */
	dwfl_getthread_frames(p->dwfl, tid, on_frame, &w);
	if (w.unmapped && report(p)) {
		/* A mapping we had not seen (one made by a call we let through):
		 * read the maps and walk again. */
		w.n = 0;
		w.unmapped = false;
		dwfl_getthread_frames(p->dwfl, tid, on_frame, &w);
	}
	if (w.n == 0) {
		u->failed++;
		return 0;
	}
	u->taken++;
	return gt_stacks_add(u->stacks, w.f, w.n);
}

#else /* !HAVE_LIBDW */

bool gt_unwind_available(void)
{
	return false;
}

enum gt_rc gt_unwind_new(struct gt_stacks *stacks, bool debuginfod, struct gt_unwinder **out,
			 struct gt_error *err)
{
	(void)stacks;
	(void)debuginfod;
	*out = NULL;
	return gt_error_set(err, GT_ERR_CAPTURE,
			    "call stacks need libdw, and this gtdiff was built without it "
			    "(install libdw-dev and run configure again)");
}

void gt_unwind_free(struct gt_unwinder *u)
{
	(void)u;
}

uint32_t gt_unwind_stack(struct gt_unwinder *u, pid_t tgid, pid_t tid)
{
	(void)u;
	(void)tgid;
	(void)tid;
	return 0;
}

void gt_unwind_maps_changed(struct gt_unwinder *u)
{
	(void)u;
}

void gt_unwind_process_gone(struct gt_unwinder *u, pid_t tgid)
{
	(void)u;
	(void)tgid;
}

void gt_unwind_counts(const struct gt_unwinder *u, uint64_t *taken, uint64_t *failed)
{
	(void)u;
	*taken = *failed = 0;
}

#endif

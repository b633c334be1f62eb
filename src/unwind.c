/*
 * unwind: call stacks of tasks stopped under ptrace, by libdw (see
 * unwind.h).  One Dwfl per process: its modules are reported from
 * /proc/PID/maps, again after the mappings changed; libdw then reads the
 * stopped thread's registers and memory through ptrace and walks the CFI.
 *
 * Frames are named (symbol, source line) not in the process's Dwfl but in
 * one Dwfl per file, kept for the unwinder's life and shared by every
 * process that maps the file: a file's debug info (libc6-dbg's is
 * compressed) is read and inflated once, not once per process and
 * mapping generation.  A shell shim forks a dozen processes before
 * python3 runs, and naming their frames per process took 8 s and at
 * times past the 60 s timeout.  A file is known by its path and build-id,
 * so that a binary rebuilt in place during the run is named from its new
 * contents; where the file cannot be opened again (deleted, replaced),
 * the process's own module names the frame.  Names are kept in the stack
 * table's strings, per address: a process's cache by its address, a
 * file's by the file's own.
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

/* One file's names: an offline Dwfl of it, and what was named in it. */
struct elf_file {
	char *path;
	unsigned char *id;    /* build-id, or NULL */
	size_t idlen;
	Dwfl *dwfl;           /* NULL: the file could not be reported */
	Dwfl_Module *mod;
	Dwarf_Addr bias;      /* the offline module's */
	struct named *cache;  /* by the file's own address */
	size_t cache_cap, ncache;
};

struct gt_unwinder {
	struct gt_stacks *stacks;
	Dwfl_Callbacks callbacks;  /* the Dwfls point at it */
	Dwfl_Callbacks offline;    /* the files' Dwfls */
	struct proc *procs;
	size_t nprocs, procs_cap;
	struct elf_file *files;
	size_t nfiles, files_cap;
	uint64_t gen;             /* bumped when some mapping changed */
	uint64_t taken, failed;
};

bool gt_unwind_available(void)
{
	return true;
}

/* Dwfl_Callbacks.find_debuginfo that finds none. */
static int no_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
			Dwarf_Addr base, const char *file_name, const char *debuglink_file,
			GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	(void)mod;
	(void)userdata;
	(void)modname;
	(void)base;
	(void)file_name;
	(void)debuglink_file;
	(void)debuglink_crc;
	*debuginfo_file_name = NULL;
	return -1;
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
	/* A process's Dwfl unwinds by the modules' own CFI (.eh_frame):
	 * where a frame has none (the outermost, past _start or a thread's
	 * start), libdw looks for .debug_frame in the debug info, and a
	 * separate debug file found there (libc6-dbg's, compressed) would be
	 * inflated once per process: 0.5 s each for the dozen processes of a
	 * shell shim.  The files' Dwfls name the frames with it. */
	u->callbacks.find_debuginfo = no_debuginfo;
	u->offline.find_elf = dwfl_build_id_find_elf;
	/* The build-id directory and .gnu_debuglink, under the default
	 * path (/usr/lib/debug among others). */
	u->offline.find_debuginfo = dwfl_standard_find_debuginfo;
	u->offline.section_address = dwfl_offline_section_address;
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
	for (size_t i = 0; i < u->nfiles; i++) {
		struct elf_file *f = &u->files[i];

		if (f->dwfl)
			dwfl_end(f->dwfl);
		free(f->path);
		free(f->id);
		free(f->cache);
	}
	free(u->files);
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

/* Name the frame at PC of module MOD (NULL: none holds it). */
static void name_frame(struct gt_unwinder *u, Dwfl_Module *mod, uint64_t pc, struct gt_frame *f)
{
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

/* ---- caches of named frames, by address ---- */

static size_t slot_of(uint64_t pc, size_t cap)
{
	return (size_t)(pc * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
}

/* The slot of PC in the table *CACHE (open addressing, a power of two,
 * grown to keep it half empty): PC's entry, or the empty slot to put it in. */
static struct named *cache_slot(struct named **cache, size_t *cap, size_t n, uint64_t pc)
{
	size_t j;

	if (2 * (n + 1) > *cap) {
		struct named *old = *cache;
		size_t oldcap = *cap;

		*cap = oldcap ? oldcap * 2 : 256;
		*cache = xcalloc(*cap, sizeof(**cache));
		for (size_t i = 0; i < oldcap; i++) {
			if (!old[i].pc)
				continue;
			for (j = slot_of(old[i].pc, *cap); (*cache)[j].pc; j = (j + 1) & (*cap - 1))
				;
			(*cache)[j] = old[i];
		}
		free(old);
	}
	for (j = slot_of(pc, *cap); (*cache)[j].pc && (*cache)[j].pc != pc; j = (j + 1) & (*cap - 1))
		;
	return &(*cache)[j];
}

/* ---- the files' Dwfls ---- */

/* The file of process module MOD (named PATH), opened for naming once per
 * path and build-id; NULL when it cannot be (then MOD names its frames). */
static struct elf_file *file_of(struct gt_unwinder *u, Dwfl_Module *mod, const char *path)
{
	const unsigned char *id = NULL;
	GElf_Addr id_at;
	int n = dwfl_module_build_id(mod, &id, &id_at);
	size_t idlen = n > 0 ? (size_t)n : 0;
	struct elf_file *f;

	if (!path || path[0] != '/')
		return NULL;
	for (size_t i = 0; i < u->nfiles; i++) {
		f = &u->files[i];
		if (f->idlen == idlen && strcmp(f->path, path) == 0 &&
		    (idlen == 0 || memcmp(f->id, id, idlen) == 0))
			return f->dwfl ? f : NULL;
	}
	xgrow((void **)&u->files, &u->files_cap, u->nfiles + 1, sizeof(*u->files));
	f = &u->files[u->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->idlen = idlen;
	if (idlen) {
		f->id = xmalloc(idlen);
		memcpy(f->id, id, idlen);
	}
	f->dwfl = dwfl_begin(&u->offline);
	if (!f->dwfl)
		return NULL;
	dwfl_report_begin(f->dwfl);
	f->mod = dwfl_report_elf(f->dwfl, path, path, -1, 0, false);
	dwfl_report_end(f->dwfl, NULL, NULL);
	if (f->mod && idlen) {
		/* The file at PATH now must be the one the process mapped. */
		const unsigned char *now = NULL;
		int m = dwfl_module_build_id(f->mod, &now, &id_at);

		if (m != n || memcmp(now, id, idlen) != 0)
			f->mod = NULL;
	}
	if (!f->mod || !dwfl_module_getelf(f->mod, &f->bias)) {
		dwfl_end(f->dwfl);
		f->dwfl = NULL;
		return NULL;
	}
	return f;
}

/* Name the frame at PC of P's modules: in the module's file (the file's
 * address is PC less the module's load bias), else in the module itself. */
static void name_pc(struct gt_unwinder *u, struct proc *p, uint64_t pc, struct gt_frame *f)
{
	Dwfl_Module *mod = dwfl_addrmodule(p->dwfl, pc);
	const char *path = NULL;
	struct elf_file *file;
	Dwarf_Addr bias;
	struct named *e;

	if (mod)
		path = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	if (!mod || !dwfl_module_getelf(mod, &bias) || !(file = file_of(u, mod, path))) {
		name_frame(u, mod, pc, f);
		return;
	}
	pc = pc - bias + file->bias;
	e = cache_slot(&file->cache, &file->cache_cap, file->ncache, pc);
	if (e->pc) {
		*f = e->f;
		return;
	}
	name_frame(u, file->mod, pc, f);
	e->pc = pc;
	e->f = *f;
	file->ncache++;
}

/* The frame at PC, named once per address and generation. */
static void frame_at(struct gt_unwinder *u, struct proc *p, uint64_t pc, struct gt_frame *f)
{
	struct named *e;

	if (!pc) {
		memset(f, 0, sizeof(*f));
		return;
	}
	e = cache_slot(&p->cache, &p->cache_cap, p->ncache, pc);
	if (e->pc) {
		*f = e->f;
		return;
	}
	name_pc(u, p, pc, f);
	e->pc = pc;
	e->f = *f;
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

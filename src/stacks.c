/*
 * stacks: the table of call stacks (see stacks.h): stacks stored once,
 * the program's own frame, a frame written for people.
 */
#include "config.h"

#include "stacks.h"

#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

struct gt_stacks *gt_stacks_new(void)
{
	struct gt_stacks *s = xcalloc(1, sizeof(*s));

	s->strs = gt_strtab_new();
	return s;
}

void gt_stacks_free(struct gt_stacks *s)
{
	if (!s)
		return;
	gt_strtab_free(s->strs);
	free(s->frames);
	free(s->stacks);
	free(s->by_hash);
	free(s);
}

static const char *intern(struct gt_stacks *s, const char *str)
{
	return str ? gt_strtab_intern(s->strs, str) : NULL;
}

/* Interned strings compare by pointer within one table; frames from
 * outside do not, so strings are compared by content. */
static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool frame_eq(const struct gt_frame *a, const struct gt_frame *b)
{
	return a->offset == b->offset && a->line == b->line && a->symoff == b->symoff &&
	       str_eq(a->module, b->module) && str_eq(a->symbol, b->symbol) &&
	       str_eq(a->file, b->file);
}

static void hash_str(XXH3_state_t *st, const char *s)
{
	if (s)
		XXH3_64bits_update(st, s, strlen(s) + 1);
	else
		XXH3_64bits_update(st, "", 1);
}

static uint64_t hash_frames(const struct gt_frame *f, size_t n)
{
	XXH3_state_t *st = XXH3_createState();
	uint64_t h;

	if (!st)
		abort();
	XXH3_64bits_reset(st);
	for (size_t i = 0; i < n; i++) {
		hash_str(st, f[i].module);
		XXH3_64bits_update(st, &f[i].offset, sizeof(f[i].offset));
	}
	h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	return h;
}

static bool stack_eq(const struct gt_stacks *s, uint32_t id, const struct gt_frame *f, size_t n)
{
	const struct gt_stack *k = &s->stacks[id - 1];

	if (k->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!frame_eq(&s->frames[k->first + i], &f[i]))
			return false;
	return true;
}

static void rehash(struct gt_stacks *s)
{
	size_t cap = s->by_hash_cap ? s->by_hash_cap * 2 : 64;

	free(s->by_hash);
	s->by_hash = xcalloc(cap, sizeof(*s->by_hash));
	s->by_hash_cap = cap;
	for (size_t i = 0; i < s->nstacks; i++) {
		const struct gt_stack *k = &s->stacks[i];
		size_t j = hash_frames(&s->frames[k->first], k->n) & (cap - 1);

		while (s->by_hash[j])
			j = (j + 1) & (cap - 1);
		s->by_hash[j] = (uint32_t)(i + 1);
	}
}

uint32_t gt_stacks_add(struct gt_stacks *s, const struct gt_frame *f, size_t n)
{
	size_t j;
	struct gt_stack *k;

	if (n == 0)
		return 0;
	if (n > GT_STACK_MAX_FRAMES)
		n = GT_STACK_MAX_FRAMES;
	if (2 * (s->nstacks + 1) > s->by_hash_cap)
		rehash(s);
	j = hash_frames(f, n) & (s->by_hash_cap - 1);
	for (; s->by_hash[j]; j = (j + 1) & (s->by_hash_cap - 1))
		if (stack_eq(s, s->by_hash[j], f, n))
			return s->by_hash[j];
	xgrow((void **)&s->frames, &s->frames_cap, s->nframes + n, sizeof(*s->frames));
	for (size_t i = 0; i < n; i++) {
		struct gt_frame *d = &s->frames[s->nframes + i];

		*d = f[i];
		d->module = intern(s, f[i].module);
		d->symbol = intern(s, f[i].symbol);
		d->file = intern(s, f[i].file);
	}
	xgrow((void **)&s->stacks, &s->stacks_cap, s->nstacks + 1, sizeof(*s->stacks));
	k = &s->stacks[s->nstacks++];
	k->first = (uint32_t)s->nframes;
	k->n = (uint32_t)n;
	s->nframes += n;
	s->by_hash[j] = (uint32_t)s->nstacks;
	return (uint32_t)s->nstacks;
}

const struct gt_frame *gt_stacks_get(const struct gt_stacks *s, uint32_t id, size_t *n)
{
	*n = 0;
	if (!s || id == 0 || id > s->nstacks)
		return NULL;
	*n = s->stacks[id - 1].n;
	return &s->frames[s->stacks[id - 1].first];
}

struct gt_stacks *gt_stacks_copy(const struct gt_stacks *s)
{
	struct gt_stacks *c;

	if (!s)
		return NULL;
	c = gt_stacks_new();
	for (size_t i = 0; i < s->nstacks; i++) {
		const struct gt_stack *k = &s->stacks[i];

		/* Equal stacks were stored once: the numbers stay. */
		gt_stacks_add(c, &s->frames[k->first], k->n);
	}
	return c;
}

/* ---- the program's own frame ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The runtime's libraries, by the start of their file names: each
 * followed by ".so", "-" (ld-linux-x86-64.so.2) or a version. */
static const char *const runtime_libs[] = {
	"libc", "ld-linux", "ld", "libpthread", "libdl", "librt", "libm", "libgcc_s",
	"libstdc++", "libresolv", "libnss_", "libutil", "libanl", "libasan", "libubsan",
	"linux-vdso", "linux-gate",
};

bool gt_frame_is_runtime(const struct gt_frame *f)
{
	const char *name;

	if (!f->module)
		return true; /* not in any file: the vDSO, JIT code, a bad pc */
	if (f->module[0] == '[')
		return true; /* [vdso], [vsyscall] */
	name = base_name(f->module);
	for (size_t i = 0; i < sizeof(runtime_libs) / sizeof(runtime_libs[0]); i++) {
		size_t n = strlen(runtime_libs[i]);

		if (strncmp(name, runtime_libs[i], n) != 0)
			continue;
		/* libnss_files.so.2: the prefix says it all. */
		if (runtime_libs[i][n - 1] == '_')
			return true;
		if (strncmp(name + n, ".so", 3) == 0 || name[n] == '-')
			return true;
	}
	return false;
}

size_t gt_frame_own(const struct gt_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!gt_frame_is_runtime(&f[i]))
			return i;
	return 0;
}

/* ---- writing ---- */

char *gt_path_relative(const char *path, const char *root)
{
	size_t n;

	if (!root || !*root || path[0] != '/')
		return xstrdup(path);
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 1 && root[0] == '/')
		return xstrdup(path + 1);
	if (strncmp(path, root, n) == 0 && path[n] == '/' && path[n + 1])
		return xstrdup(path + n + 1);
	return xstrdup(path);
}

void gt_frame_format(struct gt_buf *b, const struct gt_frame *f, const char *root)
{
	char *p;

	if (f->file && f->line) {
		p = gt_path_relative(f->file, root);
		gt_buf_printf(b, "%s:%u", p, f->line);
		free(p);
		if (f->symbol)
			gt_buf_printf(b, " (%s)", f->symbol);
		return;
	}
	p = gt_path_relative(f->module ? f->module : "?", root);
	gt_buf_printf(b, "%s+0x%llx", p, (unsigned long long)f->offset);
	free(p);
	if (f->symbol)
		gt_buf_printf(b, " (%s+0x%llx)", f->symbol, (unsigned long long)f->symoff);
}

/*
 * strtab: string interning with an open-addressing hash table over xxh3.
 * Strings live in large chunks so that freeing a trace is a handful of
 * free() calls.
 */
#include "config.h"

#include "strtab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "util.h"

#define CHUNK (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

struct slot {
	const char *s;
	size_t len;
	uint64_t hash;
};

struct gt_strtab {
	struct slot *slots;
	size_t nslots, count;
	struct chunk *chunks;
};

struct gt_strtab *gt_strtab_new(void)
{
	struct gt_strtab *t = xcalloc(1, sizeof(*t));

	t->nslots = 256;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	return t;
}

void gt_strtab_free(struct gt_strtab *t)
{
	struct chunk *c, *next;

	if (!t)
		return;
	for (c = t->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(t->slots);
	free(t);
}

static char *store(struct gt_strtab *t, const char *s, size_t n)
{
	struct chunk *c = t->chunks;
	char *p;

	if (!c || c->size - c->used < n + 1) {
		size_t size = n + 1 > CHUNK ? n + 1 : CHUNK;

		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		/* A big string gets a chunk of its own, kept behind the current one
		 * so that the current chunk's free space is not wasted. */
		if (t->chunks && size > CHUNK) {
			c->next = t->chunks->next;
			t->chunks->next = c;
		} else {
			c->next = t->chunks;
			t->chunks = c;
		}
	}
	p = c->data + c->used;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

static void rehash(struct gt_strtab *t)
{
	size_t n = t->nslots * 2;
	struct slot *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < t->nslots; i++) {
		size_t j;

		if (!t->slots[i].s)
			continue;
		for (j = t->slots[i].hash & (n - 1); slots[j].s; j = (j + 1) & (n - 1))
			;
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
}

const char *gt_strtab_intern_n(struct gt_strtab *t, const char *s, size_t n)
{
	uint64_t h = XXH3_64bits(s, n);
	size_t i;

	if ((t->count + 1) * 4 > t->nslots * 3)
		rehash(t);
	for (i = h & (t->nslots - 1); t->slots[i].s; i = (i + 1) & (t->nslots - 1)) {
		struct slot *sl = &t->slots[i];

		if (sl->hash == h && sl->len == n && memcmp(sl->s, s, n) == 0)
			return sl->s;
	}
	t->slots[i].s = store(t, s, n);
	t->slots[i].len = n;
	t->slots[i].hash = h;
	t->count++;
	return t->slots[i].s;
}

const char *gt_strtab_intern(struct gt_strtab *t, const char *s)
{
	return gt_strtab_intern_n(t, s, strlen(s));
}

size_t gt_strtab_count(const struct gt_strtab *t)
{
	return t->count;
}

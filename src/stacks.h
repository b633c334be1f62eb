/*
 * stacks: call stacks of system calls, as a table a capture and a trace
 * carry beside their events (issue 13).  A stack is its frames, innermost
 * first; identical stacks are stored once, so an event names its stack by
 * a number (1-based; 0: none).  This module is the model and what is read
 * from it: which frame is the program's own (not the C library's or the
 * loader's), how a frame is written, and paths made relative to a
 * repository.  The unwinder that fills a table is unwind.h.
 *
 * Ownership: a table owns its frames and their strings (its own strtab);
 * gt_stacks_free releases all.
 */
#ifndef GT_STACKS_H
#define GT_STACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strtab.h"
#include "util.h"

/* One frame.  Strings are interned in the table that holds the frame (or,
 * for a frame passed to gt_stacks_add, anything that lives for the call). */
struct gt_frame {
	const char *module;   /* the binary or library ("/usr/bin/python3.11"), or NULL */
	uint64_t offset;      /* the address in MODULE, as `addr2line -e MODULE` takes it */
	const char *symbol;   /* the nearest symbol at or before it, or NULL */
	uint64_t symoff;      /* OFFSET's distance from SYMBOL */
	const char *file;     /* the source file (debug info), or NULL */
	unsigned line;        /* its line; 0: unknown */
};

struct gt_stack {
	uint32_t first;       /* index of its innermost frame in the table's frames */
	uint32_t n;           /* frames */
};

struct gt_stacks {
	struct gt_strtab *strs;
	struct gt_frame *frames;
	size_t nframes, frames_cap;
	struct gt_stack *stacks;   /* stack number K is stacks[K - 1] */
	size_t nstacks, stacks_cap;
	/* Lookup of equal stacks: open addressing over a hash of the frames,
	 * each slot a stack number (0: empty); a power of two. */
	uint32_t *by_hash;
	size_t by_hash_cap;
};

/* Deepest stack kept: the innermost frames, where the calls are made. */
#define GT_STACK_MAX_FRAMES 64

struct gt_stacks *gt_stacks_new(void);
void gt_stacks_free(struct gt_stacks *s); /* accepts NULL */
/* The stack of the N frames at F (innermost first; N is cut to
 * GT_STACK_MAX_FRAMES), its strings interned in S: its number, the same
 * for an equal stack added before.  0 for N == 0. */
uint32_t gt_stacks_add(struct gt_stacks *s, const struct gt_frame *f, size_t n);
/* The frames of stack number ID, *N of them; NULL (and *N 0) for 0 or a
 * number S does not have.  S may be NULL. */
const struct gt_frame *gt_stacks_get(const struct gt_stacks *s, uint32_t id, size_t *n);
/* A copy of S (NULL for NULL), with the same stack numbers. */
struct gt_stacks *gt_stacks_copy(const struct gt_stacks *s);

/* Is F in the C runtime rather than in the program: the C library, the
 * dynamic loader, libpthread, libgcc_s, libstdc++ and the like, the vDSO?
 * Judged by the module's file name. */
bool gt_frame_is_runtime(const struct gt_frame *f);
/* The innermost of the N frames at F that is the program's own (not
 * runtime): its index, or 0 when every frame is runtime (the innermost
 * then), and 0 for N == 0. */
size_t gt_frame_own(const struct gt_frame *f, size_t n);

/* PATH relative to ROOT when it lies below it ("src/config.c"), else PATH
 * itself; ROOT NULL or empty: PATH.  Allocated. */
char *gt_path_relative(const char *path, const char *root);

/* Append where F is: "src/config.c:212 (load_config)" with a source line,
 * else "bin/tool+0x1234 (load_config+0x1d)" (the module and the address in
 * it, and the nearest symbol when there is one).  Paths are relative to
 * ROOT as gt_path_relative makes them. */
void gt_frame_format(struct gt_buf *b, const struct gt_frame *f, const char *root);

#endif

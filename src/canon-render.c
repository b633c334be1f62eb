/*
 * canon-render: the canonical text of one call's arguments and return
 * value: fds and pids as logical ids, paths canonical and quoted with the
 * run's temp names masked, argv, sockaddrs, fd pairs, flags by name, and
 * fcntl's third argument as its command says.  The build pass (canon.c)
 * calls it with the state of the run (canon-internal.h).
 *
 * Fetched tracee memory is untrusted: the capture bounds-checks offsets, but
 * a string may run to the end of the blob without its NUL, so every read here
 * is bounded by the blob's end.
 */
#include "config.h"

#include "canon.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "canon-internal.h"
#include "xlat.h"

#define MFD_CLOEXEC_FLAG 1U

/* -- pids -- */

static void put_pid(struct ctx *c, int64_t v, struct gt_buf *b)
{
	int32_t p = (int32_t)v;
	const char *name;

	if (p == 0 || p == -1) {
		gt_buf_printf(b, "%" PRId32, p);
		return;
	}
	if (p < 0) {
		/* A process group: named after its leader. */
		gt_buf_putc(b, '-');
		name = p == INT32_MIN ? NULL : canon_name_pid(c, -p);
	} else {
		name = canon_name_pid(c, p);
	}
	gt_buf_puts(b, name ? name : "pid?");
}

/* -- fetched memory -- */

/* Fetched memory of argument I, and the bytes of blob after it. */
static const char *arg_mem(struct ctx *c, const struct gt_raw_event *ev, int i, size_t *avail)
{
	const char *m;

	if (ev->flags & GT_EV_FETCH_FAILED)
		return NULL;
	m = gt_capture_mem(c->cap, ev, i);
	if (!m)
		return NULL;
	*avail = (size_t)(c->cap->blob + c->cap->bloblen - m);
	return m;
}

/* The fetched memory of pointer argument I when it holds at least NEED
 * bytes: its start, and how much there is in *AVAIL.  Otherwise renders
 * what stands for it into B ("NULL" for a null pointer, "ptr" when too
 * little was fetched) and returns NULL. */
static const char *arg_mem_min(struct ctx *c, const struct gt_raw_event *ev, int i, size_t need,
			       size_t *avail, struct gt_buf *b)
{
	const char *m;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return NULL;
	}
	m = arg_mem(c, ev, i, avail);
	if (!m || *avail < need) {
		gt_buf_puts(b, "ptr");
		return NULL;
	}
	return m;
}

/* A NUL-terminated copy of the string argument I (caller frees), or NULL. */
char *canon_arg_string(struct ctx *c, const struct gt_raw_event *ev, int i)
{
	size_t avail;
	const char *m = arg_mem(c, ev, i, &avail);

	return m ? xstrndup(m, strnlen(m, avail)) : NULL;
}

/* -- the run's temp names -- */

/* Replace every registered name in S by its masked form, in place. */
static void mask_temp_names(const struct ctx *c, char *s)
{
	char *p = s;

	if (!c->ntemps)
		return;
	while (*p) {
		bool hit = false;

		for (size_t i = 0; i < c->ntemps && !hit; i++) {
			const struct tempname *tn = &c->temps[i];

			if (p[0] == tn->name[0] && strncmp(p, tn->name, tn->len) == 0) {
				memcpy(p, tn->masked, tn->len);
				p += tn->len;
				hit = true;
			}
		}
		if (!hit)
			p++;
	}
}

/* Mask Python-style temp names in the components of canonical path S that
 * lie under a temp directory, in place. */
static void mask_temp_components(const struct ctx *c, char *s)
{
	size_t skip = 0, off, len;
	char *p, *end, save;

	if (strncmp(s, "$TMP", 4) == 0 && (s[4] == '/' || s[4] == '\0'))
		skip = 4;
	else if (s[0] == '/')
		skip = canon_temp_dir_len(c, s);
	if (!skip)
		return;
	for (p = s + skip; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '/');
		save = *end;
		*end = '\0';
		len = gt_canon_temp_suffix(p, false, &off);
		*end = save;
		if (len)
			memset(p + off, 'X', len);
	}
}

/* -- rendering -- */

/* Canonical text of path RAW, unquoted, appended to OUT. */
void canon_put_path(struct ctx *c, const char *raw, struct gt_buf *out)
{
	size_t start = out->len;

	gt_canon_path(c->o, raw, canon_name_pid, c, out);
	if (out->len > start) {
		mask_temp_components(c, out->s + start);
		mask_temp_names(c, out->s + start);
	}
}

static void put_quoted(struct gt_buf *b, const struct gt_buf *s)
{
	gt_buf_quote(b, s->s ? s->s : "", s->len);
}

/* The string argument I (caller frees), or NULL after rendering what
 * stands for it into B: "NULL" for a null pointer, "ptr" when it could not
 * be read. */
static char *arg_string_or(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	char *raw;

	if (ev->args[i] == 0) {
		gt_buf_puts(b, "NULL");
		return NULL;
	}
	raw = canon_arg_string(c, ev, i);
	if (!raw)
		gt_buf_puts(b, "ptr");
	return raw;
}

static void render_path(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	char *raw = arg_string_or(c, ev, i, b);

	if (!raw)
		return;
	gt_buf_reset(&c->scratch);
	canon_put_path(c, raw, &c->scratch);
	put_quoted(b, &c->scratch);
	free(raw);
}

/* A path the kernel wrote for the caller (getcwd, readlink): canonical like
 * any path; its canonical length stands in for the return value. */
static void render_outpath(struct ctx *c, const struct gt_raw_event *ev, int i,
			   struct gt_buf *b)
{
	char *raw = canon_succeeded(ev) ? canon_arg_string(c, ev, i) : NULL;

	if (!raw) {
		gt_buf_puts(b, ev->args[i] ? "ptr" : "NULL");
		return;
	}
	gt_buf_reset(&c->scratch);
	canon_put_path(c, raw, &c->scratch);
	c->outlen = (long)c->scratch.len;
	put_quoted(b, &c->scratch);
	free(raw);
}

static void render_str(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	char *raw = arg_string_or(c, ev, i, b);

	if (!raw)
		return;
	mask_temp_names(c, raw);
	gt_buf_quote(b, raw, strlen(raw));
	free(raw);
}

/* A ':'-separated list of values, each absolute one a path. */
static void put_canon_path_list(struct ctx *c, const char *v, struct gt_buf *out)
{
	for (;;) {
		const char *end = strchrnul(v, ':');
		char *piece = xstrndup(v, (size_t)(end - v));

		if (piece[0] == '/')
			canon_put_path(c, piece, out);
		else
			gt_buf_puts(out, piece);
		free(piece);
		if (!*end)
			break;
		gt_buf_putc(out, ':');
		v = end + 1;
	}
}

/* The '=' of "--opt=/path" or "NAME=/path" (no '/' before it), or NULL. */
static const char *assign_of_path(const char *s)
{
	const char *eq = strchr(s, '=');

	if (!eq || eq == s || eq[1] != '/' || memchr(s, '/', (size_t)(eq - s)))
		return NULL;
	return eq;
}

/* One argv element: absolute paths canonicalized, also after "NAME=" and
 * after a glued short option such as "-I/path". */
static void render_argv_elem(struct ctx *c, const char *s, struct gt_buf *b)
{
	const char *eq;

	gt_buf_reset(&c->elem);
	if (s[0] == '/') {
		canon_put_path(c, s, &c->elem);
	} else if ((eq = assign_of_path(s))) {
		gt_buf_add(&c->elem, s, (size_t)(eq + 1 - s));
		put_canon_path_list(c, eq + 1, &c->elem);
	} else if (s[0] == '-' && isalpha((unsigned char)s[1]) && s[2] == '/') {
		gt_buf_add(&c->elem, s, 2);
		canon_put_path(c, s + 2, &c->elem);
	} else {
		gt_buf_puts(&c->elem, s);
	}
	if (c->elem.s)
		mask_temp_names(c, c->elem.s);
	put_quoted(b, &c->elem);
}

/* Blob layout: uint32 count, then count NUL-terminated strings.  A record
 * cut short shows what is there and "..." for the rest. */
static void render_argv(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	size_t avail, k;
	const char *m = arg_mem_min(c, ev, i, sizeof(uint32_t), &avail, b);
	uint32_t count;

	if (!m)
		return;
	memcpy(&count, m, sizeof(count));
	m += sizeof(count);
	avail -= sizeof(count);
	gt_buf_putc(b, '[');
	for (k = 0; k < count && avail > 0; k++) {
		size_t len = strnlen(m, avail);
		char *s = xstrndup(m, len);

		if (k)
			gt_buf_puts(b, ", ");
		render_argv_elem(c, s, b);
		free(s);
		m += len;
		avail -= len;
		if (avail) {
			m++;
			avail--;
		}
	}
	if (k < count)
		gt_buf_puts(b, k ? ", ..." : "...");
	gt_buf_putc(b, ']');
}

static void render_sun(struct ctx *c, const char *p, size_t n, struct gt_buf *b)
{
	char *path;

	if (n == 0) {
		gt_buf_puts(b, "{AF_UNIX}");
		return;
	}
	gt_buf_puts(b, "{AF_UNIX, ");
	gt_buf_reset(&c->scratch);
	if (p[0] == '\0') {
		/* Abstract: no file, the name may hold any byte. */
		gt_buf_putc(&c->scratch, '@');
		gt_buf_add(&c->scratch, p + 1, n - 1);
	} else {
		path = xstrndup(p, strnlen(p, n));
		canon_put_path(c, path, &c->scratch);
		free(path);
	}
	put_quoted(b, &c->scratch);
	gt_buf_putc(b, '}');
}

static void render_inet(const unsigned char *p, int fam, struct gt_buf *b)
{
	char addr[INET6_ADDRSTRLEN];
	uint16_t port;

	memcpy(&port, p + 2, sizeof(port));
	if (fam == AF_INET) {
		inet_ntop(AF_INET, p + 4, addr, sizeof(addr));
		gt_buf_printf(b, "{AF_INET, %s:%u}", addr, ntohs(port));
	} else {
		inet_ntop(AF_INET6, p + 8, addr, sizeof(addr));
		gt_buf_printf(b, "{AF_INET6, [%s]:%u}", addr, ntohs(port));
	}
}

/* Blob layout: uint32 length, then the struct sockaddr. */
static void render_sockaddr(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	size_t avail;
	const char *m = arg_mem_min(c, ev, i, sizeof(uint32_t), &avail, b);
	uint32_t len;
	uint16_t fam;

	if (!m)
		return;
	memcpy(&len, m, sizeof(len));
	m += sizeof(len);
	avail -= sizeof(len);
	if (len > avail)
		len = (uint32_t)avail;
	if (len < sizeof(fam)) {
		gt_buf_puts(b, "{}");
		return;
	}
	memcpy(&fam, m, sizeof(fam));
	if (fam == AF_UNIX) {
		render_sun(c, m + 2, len - 2, b);
	} else if ((fam == AF_INET && len >= 8) || (fam == AF_INET6 && len >= 24)) {
		render_inet((const unsigned char *)m, fam, b);
	} else {
		gt_buf_putc(b, '{');
		gt_xlat_arg(b, GT_A_SOCK_FAMILY, fam);
		gt_buf_putc(b, '}');
	}
}

/* pipe, pipe2, socketpair: two new fds, fetched at exit. */
/* Above any fd a process can have open (the kernel's nr_open ceiling). */
#define GT_FD_PLAUSIBLE (1 << 30)

static void render_fdpair(struct ctx *c, size_t ti, const struct gt_raw_event *ev, int i,
			  bool cloexec, struct gt_buf *b)
{
	struct gt_fdmap *tab = canon_table_of(c, ti);
	size_t avail;
	const char *m = arg_mem_min(c, ev, i, 2 * sizeof(int32_t), &avail, b);
	int32_t fds[2];
	int l0, l1;

	if (!m)
		return;
	if (!canon_succeeded(ev) && !(ev->flags & GT_EV_RET_UNKNOWN)) {
		gt_buf_puts(b, "ptr");
		return;
	}
	memcpy(fds, m, sizeof(fds));
	if (!canon_succeeded(ev)) {
		/* Return unknown (seccomp): the backend read the pair at the
		 * task's next call.  A call that failed left whatever was
		 * there, so only a plausible pair is taken.  Its fds are
		 * numbered as under ptrace, where they are seen being made (a
		 * pipe's write end is often used first: numbered at first use
		 * it would take the read end's number); the pair itself shows
		 * as an output that was not seen, like the other side's
		 * projection. */
		if (fds[0] >= 0 && fds[1] >= 0 && fds[0] != fds[1] && fds[0] < GT_FD_PLAUSIBLE &&
		    fds[1] < GT_FD_PLAUSIBLE && gt_fdmap_get(tab, fds[0]) < 0 &&
		    gt_fdmap_get(tab, fds[1]) < 0) {
			gt_fdmap_alloc(tab, fds[0], cloexec);
			gt_fdmap_alloc(tab, fds[1], cloexec);
		}
		gt_buf_puts(b, "ptr");
		return;
	}
	l0 = gt_fdmap_alloc(tab, fds[0], cloexec);
	l1 = gt_fdmap_alloc(tab, fds[1], cloexec);
	gt_buf_printf(b, "[%d, %d]", l0, l1);
}

static void render_clone3(struct ctx *c, const struct gt_raw_event *ev, int i, struct gt_buf *b)
{
	size_t avail;
	const char *m = arg_mem_min(c, ev, i, sizeof(uint64_t), &avail, b);
	uint64_t flags;

	if (!m)
		return;
	memcpy(&flags, m, sizeof(flags));
	gt_buf_puts(b, "{flags=");
	gt_xlat_arg(b, GT_A_CLONE_FLAGS, flags);
	gt_buf_putc(b, '}');
}

/* An fd argument.  Where returns are not observable (seccomp) no new fd is
 * ever seen being made, so an fd is numbered at its first use instead. */
void canon_render_fd(struct ctx *c, size_t ti, uint64_t v, bool dirfd, struct gt_buf *b)
{
	int32_t fd = (int32_t)v;
	int l;

	if (dirfd && fd == AT_FDCWD) {
		gt_buf_puts(b, "AT_FDCWD");
		return;
	}
	if (fd < 0) {
		gt_buf_printf(b, "%" PRId32, fd);
		return;
	}
	l = gt_fdmap_get(canon_table_of(c, ti), fd);
	if (l < 0 && !c->cap->info.returns_known)
		l = gt_fdmap_alloc(canon_table_of(c, ti), fd, false);
	if (l < 0)
		gt_buf_puts(b, "fd?");
	else
		gt_buf_printf(b, "%d", l);
}

static bool is_open_call(const char *name)
{
	return strcmp(name, "open") == 0 || strcmp(name, "openat") == 0 ||
	       strcmp(name, "mq_open") == 0;
}

/* open's mode means something only with O_CREAT or O_TMPFILE; strace omits
 * it otherwise, and so do we, since it is whatever was in the register. */
static bool hide_mode(const struct gt_raw_event *ev, const struct gt_syscall_desc *d, int i)
{
	int fl;

	if (d->argk[i] != GT_A_OCTAL || !is_open_call(d->name))
		return false;
	fl = canon_arg_index(d, GT_A_OPEN_FLAGS);
	if (fl < 0)
		return false;
	return !(ev->args[fl] & O_CREAT) && (ev->args[fl] & O_TMPFILE) != O_TMPFILE;
}

/* Does the call make its new fds close-on-exec? */
bool canon_call_cloexec(const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++) {
		switch (d->argk[i]) {
		case GT_A_OPEN_FLAGS:
		case GT_A_FD_FLAGS: /* EFD_, SFD_, TFD_, IN_, EPOLL_CLOEXEC alike */
			if (ev->args[i] & O_CLOEXEC)
				return true;
			break;
		case GT_A_SOCK_TYPE:
			if (ev->args[i] & SOCK_CLOEXEC)
				return true;
			break;
		default:
			break;
		}
	}
	if (d->fx & GT_FX_FCNTL)
		return (int32_t)ev->args[1] == F_DUPFD_CLOEXEC;
	if (strcmp(d->name, "memfd_create") == 0)
		return ev->args[1] & MFD_CLOEXEC_FLAG;
	/* The kernel makes pidfds close-on-exec unconditionally. */
	return strcmp(d->name, "pidfd_open") == 0 || strcmp(d->name, "pidfd_getfd") == 0;
}

/* A uid or gid V (of kind GT_A_UID or GT_A_GID): the running user's and
 * group's are named, so that a golden holds for any user; -1 ("unchanged")
 * stays. */
static void put_id(const struct ctx *c, uint64_t v, bool gid, struct gt_buf *b)
{
	uint32_t id = (uint32_t)v;

	if (c->o->name_ids && id == (gid ? (uint32_t)c->o->gid : (uint32_t)c->o->uid))
		gt_buf_puts(b, gid ? "$GID" : "$UID");
	else if (id == UINT32_MAX)
		gt_buf_puts(b, "-1");
	else
		gt_buf_printf(b, "%" PRIu32, id);
}

static void render_arg(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
		       const struct gt_syscall_desc *d, int i, bool cloexec, struct gt_buf *b)
{
	uint64_t v = ev->args[i];

	switch (d->argk[i]) {
	case GT_A_FD:
		canon_render_fd(c, ti, v, false, b);
		break;
	case GT_A_DIRFD:
		canon_render_fd(c, ti, v, true, b);
		break;
	case GT_A_PID:
		put_pid(c, (int64_t)v, b);
		break;
	case GT_A_PATH:
		render_path(c, ev, i, b);
		break;
	case GT_A_STR:
		render_str(c, ev, i, b);
		break;
	case GT_A_ARGV:
		render_argv(c, ev, i, b);
		break;
	case GT_A_ENVP:
	case GT_A_PTR:
		gt_buf_puts(b, v ? "ptr" : "NULL");
		break;
	case GT_A_SOCKADDR:
		render_sockaddr(c, ev, i, b);
		break;
	case GT_A_FDPAIR:
		render_fdpair(c, ti, ev, i, cloexec, b);
		break;
	case GT_A_CLONE3:
		render_clone3(c, ev, i, b);
		break;
	case GT_A_OUTPATH:
		render_outpath(c, ev, i, b);
		break;
	case GT_A_UID:
	case GT_A_GID:
		put_id(c, v, d->argk[i] == GT_A_GID, b);
		break;
	default:
		gt_xlat_arg(b, (enum gt_argk)d->argk[i], v);
		break;
	}
}

/* fcntl's third argument means what the command says: nothing, flags, a
 * number or a pointer (a lock).  Never its raw value, which for a command
 * without an argument is whatever was in the register. */
static int fcntl_arg_kind(int cmd)
{
	switch (cmd) {
	case F_GETFD:
	case F_GETFL:
	case F_GETOWN:
	case F_GETSIG:
	case F_GETLEASE:
	case F_GETPIPE_SZ:
	case F_GET_SEALS:
		return GT_A_SKIP;
	case F_SETFD:
		return GT_A_INT;
	case F_SETFL:
		return GT_A_OPEN_FLAGS;
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_SETOWN:
	case F_SETSIG:
	case F_SETLEASE:
	case F_SETPIPE_SZ:
	case F_ADD_SEALS:
	case F_NOTIFY:
		return GT_A_INT;
	default: /* F_GETLK, F_SETLK(W), F_OFD_*, F_GETOWN_EX...: a struct */
		return GT_A_PTR;
	}
}

/* Render the shown arguments into c->arg[]; returns how many.  dup2's
 * target is left for later (*DEFER is its slot): it becomes a new fd only
 * through the call's effect. */
size_t canon_render_args(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
			 const struct gt_syscall_desc *d, bool cloexec, int *defer)
{
	size_t n = 0;

	*defer = -1;
	c->outlen = -1;
	for (int i = 0; i < d->nargs && i < GT_MAX_ARGS; i++) {
		int fk = (d->fx & GT_FX_FCNTL) && i == 2 ? fcntl_arg_kind((int32_t)ev->args[1]) : -2;

		if (d->argk[i] == GT_A_SKIP || d->argk[i] == GT_A_DIRENTS || hide_mode(ev, d, i) ||
		    fk == GT_A_SKIP)
			continue;
		gt_buf_reset(&c->arg[n]);
		if ((d->fx & GT_FX_DUP_TO) && i == 1 && !canon_failed(ev))
			*defer = (int)n;
		else if (fk >= 0)
			gt_xlat_arg(&c->arg[n], (enum gt_argk)fk, ev->args[i]);
		else
			render_arg(c, ti, ev, d, i, cloexec, &c->arg[n]);
		n++;
	}
	return n;
}

/* -- returns -- */

static bool is_dupfd(const struct gt_raw_event *ev, const struct gt_syscall_desc *d)
{
	int32_t cmd = (int32_t)ev->args[1];

	return (d->fx & GT_FX_FCNTL) && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC);
}

void canon_render_ret(struct ctx *c, size_t ti, const struct gt_raw_event *ev,
		      const struct gt_syscall_desc *d, bool cloexec, struct gt_buf *b)
{
	int32_t fd = (int32_t)ev->ret;
	int l;

	if (!canon_ret_known(ev) || d->retk == GT_R_NONE) {
		gt_buf_puts(b, "?");
	} else if (canon_failed(ev)) {
		gt_buf_printf(b, "-1 %s", gt_errno_name((int)-ev->ret));
	} else if (d->fx & GT_FX_DUP_TO) {
		/* The effect made the new fd already. */
		l = gt_fdmap_get(canon_table_of(c, ti), fd);
		if (l < 0)
			gt_buf_puts(b, "fd?");
		else
			gt_buf_printf(b, "%d", l);
	} else if (d->retk == GT_R_FD || is_dupfd(ev, d)) {
		gt_buf_printf(b, "%d", gt_fdmap_alloc(canon_table_of(c, ti), fd, cloexec));
	} else if (d->retk == GT_R_PID && strcmp(d->name, "wait4") == 0 &&
		   (int32_t)ev->args[0] <= 0) {
		/* Waiting for any child: which one is reaped first is the order
		 * in which they happened to exit (a shell's pipeline). */
		gt_buf_puts(b, "child");
	} else if (d->retk == GT_R_PID) {
		put_pid(c, ev->ret, b);
	} else if (d->retk == GT_R_ADDR) {
		gt_buf_puts(b, "addr");
	} else if (d->retk == GT_R_UID || d->retk == GT_R_GID) {
		put_id(c, (uint64_t)ev->ret, d->retk == GT_R_GID, b);
	} else if (d->retk == GT_R_HEX) {
		gt_buf_printf(b, "0x%" PRIx64, (uint64_t)ev->ret);
	} else if (d->retk == GT_R_STRLEN && c->outlen >= 0) {
		/* getcwd counts the terminating NUL, readlink does not. */
		gt_buf_printf(b, "%ld", c->outlen + (strcmp(d->name, "getcwd") == 0));
	} else {
		gt_buf_printf(b, "%" PRId64, ev->ret);
	}
}

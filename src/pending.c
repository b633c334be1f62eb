/*
 * pending: the manifest of a kept run (<case>.pending.json) and the hashes
 * it carries, so that `update --from` can tell a run that still belongs to
 * the config and goldens of the day from a stale one (pending.h).
 *
 *   {"format": "gtdiff-pending", "version": 1, "case": NAME,
 *    "case_hash": "xxh3:...", "golden_hash": "xxh3:..." or null,
 *    "run_hash": "xxh3:...", "runs": N}
 */
#include "config.h"

#include "pending.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xxhash.h>

static void jansson_init(void)
{
	static bool done;

	if (!done) {
		json_set_alloc_funcs(xmalloc, free);
		done = true;
	}
}

/* --- the case hash: a length-prefixed serialization of the fields */

static void put(struct gt_buf *b, const char *key, const char *s)
{
	gt_buf_printf(b, "%s=%zu:", key, s ? strlen(s) : (size_t)0);
	if (s)
		gt_buf_puts(b, s);
	else
		gt_buf_puts(b, "(null)");
	gt_buf_putc(b, '\n');
}

static void put_vec(struct gt_buf *b, const char *key, char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	gt_buf_printf(b, "%s[%s%zu]\n", key, v ? "" : "null ", n);
	for (size_t i = 0; i < n; i++)
		put(b, key, v[i]);
}

/* PATH relative to the config's directory when it is below it. */
static void put_path(struct gt_buf *b, const char *key, const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (path && strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/')) {
		char *rel = xasprintf("<config dir>%s", path + n);

		put(b, key, rel);
		free(rel);
		return;
	}
	put(b, key, path);
}

uint64_t gt_pending_case_hash(const struct gt_config *cfg, const struct gt_case *c)
{
	struct gt_buf b = {0};
	uint64_t h;

	gt_buf_puts(&b, "gtdiff-case 1\n");
	put_vec(&b, "run", c->run);
	put(&b, "shell", c->shell);
	put_path(&b, "cwd", cfg->dir, c->cwd);
	put_path(&b, "stdin", cfg->dir, c->stdin_path);
	put_vec(&b, "env", c->env);
	put_vec(&b, "keep_env", c->keep_env);
	put(&b, "setup", c->setup);
	put(&b, "teardown", c->teardown);
	gt_buf_printf(&b, "fresh_cwd %d runs %u backend %d\n", c->fresh_cwd, c->runs,
		      (int)c->backend);
	for (size_t i = 0; i < c->npaths; i++) {
		put(&b, "prefix", c->paths[i].prefix);
		put(&b, "as", c->paths[i].as);
	}
	gt_buf_printf(&b, "unordered[%s%zu]\n", c->unordered ? "" : "default ", c->nunordered);
	for (size_t i = 0; c->unordered && i < c->nunordered; i++)
		put(&b, "unordered", c->unordered[i]);
	put_vec(&b, "ignore", c->ignore);
	gt_buf_printf(&b, "keep %d %d %d %d %d %d\n", c->keep_loader_probes, c->keep_env_probes,
		      c->keep_dir_order, c->keep_threads, c->keep_memory, c->keep_wait_timing);
	h = XXH3_64bits(b.s, b.len);
	gt_buf_free(&b);
	return h;
}

enum gt_rc gt_pending_file_hash(const char *path, uint64_t max, bool *exists, uint64_t *hash,
				struct gt_error *err)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	enum gt_rc rc;

	*exists = false;
	*hash = 0;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return GT_OK;
		return gt_error_set(err, GT_ERR_IO, "%s: %s", path, strerror(errno));
	}
	rc = gt_read_file_regular(path, max, &data, &len, err);
	if (rc != GT_OK)
		return rc;
	*exists = true;
	*hash = XXH3_64bits(data, len);
	free(data);
	return GT_OK;
}

/* --- paths */

char *gt_pending_path(const char *dir, const char *name)
{
	return xasprintf("%s/%s" GT_PENDING_SUFFIX, dir, name);
}

char *gt_pending_run_path(const char *manifest)
{
	size_t n = strlen(manifest), s = strlen(GT_PENDING_SUFFIX);

	if (n >= s && strcmp(manifest + n - s, GT_PENDING_SUFFIX) == 0)
		n -= s;
	return xasprintf("%.*s.new.json", (int)n, manifest);
}

/* --- save and load */

static json_t *jhash(uint64_t h)
{
	char s[32];

	snprintf(s, sizeof(s), "xxh3:%016" PRIx64, h);
	return json_string(s);
}

enum gt_rc gt_pending_save(const struct gt_pending *p, const char *path, struct gt_error *err)
{
	json_t *o;
	char *text;
	enum gt_rc rc;

	jansson_init();
	o = json_object();
	json_object_set_new(o, "format", json_string(GT_PENDING_FORMAT));
	json_object_set_new(o, "version", json_integer(GT_PENDING_VERSION));
	json_object_set_new(o, "case", json_string(p->name));
	json_object_set_new(o, "case_hash", jhash(p->case_hash));
	json_object_set_new(o, "golden_hash", p->has_golden ? jhash(p->golden_hash) : json_null());
	json_object_set_new(o, "run_hash", jhash(p->run_hash));
	json_object_set_new(o, "runs", json_integer(p->runs));
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!text)
		return gt_error_set(err, GT_ERR_IO, "%s: cannot serialize the manifest", path);
	{
		struct gt_buf b = {0};

		gt_buf_puts(&b, text);
		gt_buf_putc(&b, '\n');
		free(text);
		rc = gt_write_file_regular(path, b.s, b.len, err);
		gt_buf_free(&b);
	}
	return rc;
}

void gt_pending_free(struct gt_pending *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->name);
	memset(p, 0, sizeof(*p));
}

static bool parse_hash(const json_t *v, uint64_t *out)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	char *end;

	if (!s || strncmp(s, "xxh3:", 5) != 0 || strlen(s) != 21)
		return false;
	for (const char *p = s + 5; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	errno = 0;
	*out = strtoull(s + 5, &end, 16);
	return errno == 0 && *end == '\0';
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > GT_CONFIG_MAX_NAME || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* Does PATH's file name read <NAME>.pending.json? */
static bool file_is_named(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(name);

	base = base ? base + 1 : path;
	return strncmp(base, name, n) == 0 && strcmp(base + n, GT_PENDING_SUFFIX) == 0;
}

static const char *const known_keys[] = {
	"format", "version", "case", "case_hash", "golden_hash", "run_hash", "runs", NULL,
};

static enum gt_rc check_keys(const char *path, json_t *root, struct gt_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(root, key, v) {
		bool known = false;

		for (size_t i = 0; known_keys[i]; i++)
			known = known || strcmp(key, known_keys[i]) == 0;
		if (!known)
			return gt_error_set(err, GT_ERR_FORMAT, "%s: unknown key '%s' in a pending-run "
					    "manifest", path, key);
	}
	return GT_OK;
}

static enum gt_rc parse(const char *path, json_t *root, struct gt_pending *p,
			struct gt_error *err)
{
	json_t *v, *g;
	const char *fmt;

	if (!json_is_object(root))
		return gt_error_set(err, GT_ERR_FORMAT, "%s: not a pending-run manifest (not a "
				    "JSON object)", path);
	fmt = json_string_value(json_object_get(root, "format"));
	if (!fmt || strcmp(fmt, GT_PENDING_FORMAT) != 0)
		return gt_error_set(err, GT_ERR_FORMAT, "%s: not a pending-run manifest (\"format\" "
				    "is not \"" GT_PENDING_FORMAT "\")", path);
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return gt_error_set(err, GT_ERR_FORMAT, "%s: \"version\" is missing or not a "
				    "positive integer", path);
	if (json_integer_value(v) > GT_PENDING_VERSION)
		return gt_error_set(err, GT_ERR_VERSION, "%s: written by a newer gtdiff (manifest "
				    "version %" JSON_INTEGER_FORMAT ", this one reads %d)", path,
				    json_integer_value(v), GT_PENDING_VERSION);
	if (check_keys(path, root, err) != GT_OK)
		return err ? err->rc : GT_ERR_FORMAT;
	v = json_object_get(root, "case");
	if (!json_is_string(v) || !name_ok(json_string_value(v)))
		return gt_error_set(err, GT_ERR_FORMAT, "%s: \"case\" is missing or not a case "
				    "name", path);
	if (!file_is_named(path, json_string_value(v)))
		return gt_error_set(err, GT_ERR_FORMAT, "%s: the manifest is of case '%s', not of "
				    "the case its file name says", path, json_string_value(v));
	p->name = xstrdup(json_string_value(v));
	if (!parse_hash(json_object_get(root, "case_hash"), &p->case_hash))
		return gt_error_set(err, GT_ERR_FORMAT, "%s: \"case_hash\" is missing or not "
				    "\"xxh3:\" and 16 hex digits", path);
	if (!parse_hash(json_object_get(root, "run_hash"), &p->run_hash))
		return gt_error_set(err, GT_ERR_FORMAT, "%s: \"run_hash\" is missing or not "
				    "\"xxh3:\" and 16 hex digits", path);
	g = json_object_get(root, "golden_hash");
	p->has_golden = g && !json_is_null(g);
	if (!g || (p->has_golden && !parse_hash(g, &p->golden_hash)))
		return gt_error_set(err, GT_ERR_FORMAT, "%s: \"golden_hash\" is missing or neither "
				    "null nor \"xxh3:\" and 16 hex digits", path);
	v = json_object_get(root, "runs");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > GT_CONFIG_MAX_RUNS)
		return gt_error_set(err, GT_ERR_FORMAT, "%s: \"runs\" is missing or not a number "
				    "of runs", path);
	p->runs = (unsigned)json_integer_value(v);
	return GT_OK;
}

enum gt_rc gt_pending_load(const char *path, struct gt_pending *out, struct gt_error *err)
{
	char *data = NULL;
	size_t len = 0;
	json_error_t jerr;
	json_t *root;
	enum gt_rc rc;

	memset(out, 0, sizeof(*out));
	out->path = xstrdup(path);
	/* A manifest is a few hundred bytes; a big file is not one. */
	rc = gt_read_file_regular(path, 1 << 16, &data, &len, err);
	if (rc != GT_OK)
		return rc;
	jansson_init();
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	free(data);
	if (!root)
		return gt_error_set(err, GT_ERR_FORMAT, "%s:%d:%d: not valid JSON: %s", path,
				    jerr.line, jerr.column, jerr.text);
	rc = parse(path, root, out, err);
	json_decref(root);
	return rc;
}

/* --- finding the manifests */

static bool is_manifest_name(const char *s)
{
	size_t n = strlen(s), k = strlen(GT_PENDING_SUFFIX);

	return s[0] != '.' && n > k && strcmp(s + n - k, GT_PENDING_SUFFIX) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add(char ***v, size_t *n, size_t *cap, char *path)
{
	xgrow((void **)v, cap, *n + 2, sizeof(**v));
	(*v)[(*n)++] = path;
	(*v)[*n] = NULL;
}

/* The manifests in DIR (regular files; links not followed) and, when
 * DEPTH > 0, in its subdirectories. */
static void scan(const char *dir, int depth, char ***v, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char *p;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && is_manifest_name(de->d_name)) {
			add(v, n, cap, p);
			continue;
		}
		if (depth > 0 && lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			scan(p, depth - 1, v, n, cap);
		free(p);
	}
	closedir(d);
}

long gt_pending_find(const char *dir, char ***out, struct gt_error *err)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct stat st;

	*out = NULL;
	if (stat(dir, &st) != 0)
		return gt_error_set(err, GT_ERR_IO, "%s: %s", dir, strerror(errno)), -1;
	if (!S_ISDIR(st.st_mode))
		return gt_error_set(err, GT_ERR_USAGE, "%s: not a directory", dir), -1;
	scan(dir, 2, &v, &n, &cap);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	return (long)n;
}

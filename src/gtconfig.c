/*
 * gtconfig: load gtdiff.yaml (see gtconfig.h and man/gtdiff.yaml.5).  The
 * file is read with libyaml's document API, so that anchors and aliases are
 * resolved for us and every node carries its position; the tree is then
 * walked once against a fixed schema.  Every refusal is one message,
 * "FILE:LINE:COLUMN: what is wrong", positioned on the offending key or
 * value.  Only the gtconfig*.c files include yaml.h.
 *
 * The loader is three files (see gtconfig-internal.h); this one walks the
 * top level and the cases, and loads, frees and looks up.
 *
 * Memory: everything hangs off the struct gt_config as plain allocated
 * strings and arrays.  Values are stored into the config as they are parsed,
 * always leaving it in a state gt_config_free can release, so that an error
 * anywhere only has to free the config.
 */
#include "config.h"

#include "gtconfig-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

/* The keys each mapping knows, in the order they are listed to the user. */
static const char *const top_keys[] = { "version", "golden_dir", "golden_dir_outside",
					 "golden_max_size", "defaults", "cases", NULL };
static const char *const case_keys[] = {
	"name", "run", "shell", "cwd", "expect_exit", "runs", "backend", "timeout", "env",
	"keep_env", "stdin", "setup", "teardown", "fresh_cwd", "explain", "canonicalize",
	"tolerance", "budgets", NULL
};

static enum gt_rc apply_run(struct ctx *c, const yaml_node_t *v, struct gt_case *cs)
{
	size_t len;

	if (v->type != YAML_SEQUENCE_NODE)
		return cfg_fail(c, v, "'run' must be a list of strings (the argv); for a shell "
				"command line use 'shell'");
	len = cfg_seq_len(v);
	if (len == 0)
		return cfg_fail(c, v, "'run' is empty; it needs at least the program to run");
	cs->run = xcalloc(len + 1, sizeof(*cs->run));
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = cfg_seq_item(c, v, i);
		const char *s = cfg_string_of(item);

		if (!s)
			return cfg_fail(c, item ? item : v, "'run' element %zu must be a string",
					i + 1);
		if (i == 0 && !*s)
			return cfg_fail(c, item, "'run' must start with the program to run");
		cs->run[i] = xstrdup(s);
	}
	return GT_OK;
}

/* The slot of NAME in CFG's name table: the one that holds it, or the empty
 * one where it goes.  The table is at most half full, so a probe ends. */
static size_t name_slot(const struct gt_config *cfg, const char *name)
{
	size_t mask = cfg->by_name_cap - 1;
	size_t i = (size_t)XXH3_64bits(name, strlen(name)) & mask;

	while (cfg->by_name[i] && strcmp(cfg->cases[cfg->by_name[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return i;
}

/* Case number I (0-based) at node M; NAMES holds the name nodes of the cases
 * before it, for the duplicate check (through CFG's name table). */
static enum gt_rc apply_case(struct ctx *c, const yaml_node_t *m, size_t i,
			     const struct gt_config *cfg, yaml_node_t **names, struct gt_case *cs)
{
	char label[GT_CONFIG_MAX_NAME + 16];
	struct where w = { label, false, NULL };
	yaml_node_t *nk, *nv, *runk = NULL, *shellk = NULL;
	const char *name;
	enum gt_rc rc;
	size_t slot;

	if (m->type != YAML_MAPPING_NODE)
		return cfg_fail(c, m, "case %zu must be a mapping with 'name' and 'run' or 'shell'",
				i + 1);
	nv = cfg_map_get(c, m, "name", &nk);
	name = cfg_string_of(nv);
	if (name && cfg_valid_case_name(name) && strlen(name) <= GT_CONFIG_MAX_NAME)
		snprintf(label, sizeof(label), "case '%s'", name);
	else
		snprintf(label, sizeof(label), "case %zu", i + 1);
	rc = cfg_check_keys(c, m, case_keys, &w);
	if (rc != GT_OK)
		return rc;
	if (!nv)
		return cfg_fail(c, m, "case %zu has no 'name'", i + 1);
	if (!name || !*name)
		return cfg_fail(c, nv, "'name' must be a non-empty string");
	if (!cfg_valid_case_name(name))
		return cfg_fail(c, nv, "bad case name '%s': use only letters, digits, '.', '_' and '-'",
				cfg_show(c, name));
	if (strlen(name) > GT_CONFIG_MAX_NAME)
		return cfg_fail(c, nv, "case name '%s' is longer than %d characters", cfg_show(c, name),
				GT_CONFIG_MAX_NAME);
	/* <case>.new.json is where check keeps the failing run of <case>. */
	if (strlen(name) >= 4 && strcmp(name + strlen(name) - 4, ".new") == 0)
		return cfg_fail(c, nv, "bad case name '%s': a name must not end in '.new' (that is "
				"the name of a failed run kept beside a golden)", cfg_show(c, name));
	slot = name_slot(cfg, name);
	if (cfg->by_name[slot]) {
		size_t j = cfg->by_name[slot] - 1;

		return cfg_fail(c, nv, "duplicate case name '%s' (the first is at line %zu, "
				"column %zu)", cfg_show(c, name), names[j]->start_mark.line + 1,
				names[j]->start_mark.column + 1);
	}
	names[i] = nv;
	cs->name = xstrdup(name);
	cfg->by_name[slot] = i + 1;
	cs->line = (int)m->start_mark.line + 1;

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = cfg_node_at(c, p->key), *v = cfg_node_at(c, p->value);
		const char *key = cfg_scalar(k);
		bool handled;

		if (strcmp(key, "name") == 0)
			continue;
		if (strcmp(key, "run") == 0 || strcmp(key, "shell") == 0) {
			if (runk || shellk)
				return cfg_fail(c, k, "case '%s' has both 'run' and 'shell'; "
						"choose one", cfg_show(c, name));
			if (key[0] == 'r') {
				runk = k;
				rc = apply_run(c, v, cs);
			} else {
				shellk = k;
				rc = cfg_get_string(c, v, "shell", true, &cs->shell);
			}
		} else {
			rc = cfg_apply_common(c, key, v, cs, &w, &handled);
		}
		if (rc != GT_OK)
			return rc;
	}
	if (!runk && !shellk)
		return cfg_fail(c, m, "case '%s' has neither 'run' nor 'shell'", cfg_show(c, name));
	return GT_OK;
}

static enum gt_rc apply_cases(struct ctx *c, const yaml_node_t *root, struct gt_config *cfg)
{
	yaml_node_t *v = cfg_map_get(c, root, "cases", NULL), **names = NULL;
	enum gt_rc rc = GT_OK;
	size_t len;

	if (!v)
		return cfg_fail(c, root, "missing 'cases' (a list of the commands to trace)");
	if (v->type != YAML_SEQUENCE_NODE)
		return cfg_fail(c, v, "'cases' must be a list of cases");
	len = cfg_seq_len(v);
	if (len == 0)
		return cfg_fail(c, v, "'cases' is empty; add at least one case");
	cfg->cases = xcalloc(len, sizeof(*cfg->cases));
	names = xcalloc(len, sizeof(*names));
	/* A name check that scanned the cases before was quadratic: 40000
	 * cases took seconds. */
	cfg->by_name_cap = 16;
	while (cfg->by_name_cap < 2 * len)
		cfg->by_name_cap *= 2;
	cfg->by_name = xcalloc(cfg->by_name_cap, sizeof(*cfg->by_name));
	for (size_t i = 0; i < len; i++) {
		yaml_node_t *item = cfg_seq_item(c, v, i);

		if (!item) {
			rc = cfg_fail(c, v, "case %zu is missing", i + 1);
			goto out;
		}
		/* Counted first, so that gt_config_free sees a half-made case. */
		cfg_case_copy(&cfg->cases[cfg->ncases++], &cfg->defaults);
		rc = apply_case(c, item, i, cfg, names, &cfg->cases[i]);
		if (rc != GT_OK)
			goto out;
	}
out:
	free(names);
	return rc;
}

/* "N", "NKiB", "NMiB", "NGiB": bytes, 1 to 1 TiB. */
static bool parse_size(const char *s, uint64_t *out)
{
	static const struct {
		const char *unit;
		unsigned shift;
	} units[] = { { "", 0 }, { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 } };
	uint64_t v = 0;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > ((uint64_t)1 << 40))
			return false;
	}
	for (size_t i = 0; i < GT_ARRAY_SIZE(units); i++) {
		if (strcmp(p, units[i].unit) == 0) {
			if (v == 0 || v > ((uint64_t)1 << (40 - units[i].shift)))
				return false;
			*out = v << units[i].shift;
			return true;
		}
	}
	return false;
}

/* golden_dir at node V must lie within the config's directory, symlinks
 * and ".." resolved, unless golden_dir_outside says otherwise: a config
 * from elsewhere must not make `update` write anywhere. */
static enum gt_rc golden_dir_inside(struct ctx *c, const yaml_node_t *v,
				    const struct gt_config *cfg)
{
	char *gd = gt_resolve_existing(cfg->golden_dir), *dir = gt_resolve_existing(cfg->dir);
	enum gt_rc rc = GT_OK;

	if (!cfg->golden_dir_outside && !gt_path_within(gd, dir))
		rc = cfg_fail(c, v, "'golden_dir' resolves to %s, outside the project directory %s "
			      "(the directory of the config); set 'golden_dir_outside: true' if "
			      "that is meant", gd, dir);
	free(gd);
	free(dir);
	return rc;
}

static enum gt_rc apply_root(struct ctx *c, const yaml_node_t *root, struct gt_config *cfg)
{
	struct where w = { NULL, false, NULL };
	yaml_node_t *v;
	const char *s;
	enum gt_rc rc;

	if (root->type != YAML_MAPPING_NODE)
		return cfg_fail(c, root, "the top level must be a mapping with 'version' and 'cases'");
	/* The version first: a newer file's new keys are not typos. */
	v = cfg_map_get(c, root, "version", NULL);
	s = cfg_string_of(v);
	if (v && !s)
		return cfg_fail(c, v, "'version' must be %d", GT_CONFIG_VERSION);
	if (s && strcmp(s, "1") != 0)
		return cfg_fail(c, v, "unsupported version '%s' (this gtdiff reads version %d)",
				cfg_show(c, s), GT_CONFIG_VERSION);
	rc = cfg_check_keys(c, root, top_keys, &w);
	if (rc != GT_OK)
		return rc;
	if (!v)
		return cfg_fail(c, root, "missing 'version' (add 'version: %d')", GT_CONFIG_VERSION);
	cfg->version = GT_CONFIG_VERSION;

	v = cfg_map_get(c, root, "golden_dir_outside", NULL);
	if (v) {
		rc = cfg_get_bool(c, v, "golden_dir_outside", &cfg->golden_dir_outside);
		if (rc != GT_OK)
			return rc;
	}
	v = cfg_map_get(c, root, "golden_dir", NULL);
	if (v) {
		rc = cfg_get_path(c, v, "golden_dir", &cfg->golden_dir);
		if (rc == GT_OK)
			rc = golden_dir_inside(c, v, cfg);
		if (rc != GT_OK)
			return rc;
	}
	v = cfg_map_get(c, root, "golden_max_size", NULL);
	if (v) {
		s = cfg_string_of(v);
		if (!s || !parse_size(s, &cfg->golden_max_size))
			return cfg_fail(c, v, "'golden_max_size' must be a whole number of bytes, "
					"optionally with KiB, MiB or GiB (e.g. 256MiB), from 1 to "
					"1024GiB");
	}
	v = cfg_map_get(c, root, "defaults", NULL);
	if (v) {
		rc = cfg_apply_defaults(c, v, &cfg->defaults);
		if (rc != GT_OK)
			return rc;
	}
	return apply_cases(c, root, cfg);
}

/* The byte offset of mark M in DATA (UTF-8; lines end in \n, \r\n or \r as
 * libyaml counts them), or LEN if it lies beyond. */
static size_t mark_offset(const char *data, size_t len, yaml_mark_t m)
{
	size_t i = 0, line = 0, col = 0;

	while (i < len && line < m.line) {
		if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')
			i++;
		if (data[i] == '\n' || data[i] == '\r')
			line++;
		i++;
	}
	while (i < len && col < m.column) {
		if (data[i] == '\n' || data[i] == '\r')
			return len;
		i++;
		while (i < len && ((unsigned char)data[i] & 0xc0) == 0x80)
			i++;
		col++;
	}
	return i;
}

/* libyaml's own complaint, positioned. */
static enum gt_rc yaml_fail(struct ctx *c, const yaml_parser_t *p, const char *data, size_t len)
{
	size_t at;
	size_t line = p->problem_mark.line + 1, col = p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "cannot parse";
	char extra[200] = "";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return gt_error_set(c->err, GT_ERR_FORMAT, "%s: out of memory while reading YAML",
				    c->file);
	case YAML_READER_ERROR:
		/* Reader errors have a byte offset, not a mark. */
		line = 1;
		col = 1;
		for (size_t i = 0; i < p->problem_offset && i < len; i++) {
			if (data[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		if (p->problem_value != -1)
			snprintf(extra, sizeof(extra), " (byte 0x%02X)",
				 (unsigned)p->problem_value & 0xff);
		break;
	default:
		/* Name the alias or anchor libyaml complains about. */
		at = mark_offset(data, len, p->problem_mark);
		if (p->error == YAML_COMPOSER_ERROR && at < len &&
		    (data[at] == '*' || data[at] == '&')) {
			size_t n = 1;

			while (at + n < len && n < 60 && !strchr(" \t\r\n,[]{}", data[at + n]))
				n++;
			if (data[at] == '&') {
				problem = "duplicate anchor";
				snprintf(extra, sizeof(extra), " '%.*s' (the first is at line %zu, "
					 "column %zu)", (int)n, data + at, p->context_mark.line + 1,
					 p->context_mark.column + 1);
			} else {
				snprintf(extra, sizeof(extra), " '%.*s'", (int)n, data + at);
			}
			break;
		}
		if (p->context)
			snprintf(extra, sizeof(extra), " (%s at line %zu, column %zu)", p->context,
				 p->context_mark.line + 1, p->context_mark.column + 1);
		break;
	}
	return gt_error_set(c->err, GT_ERR_FORMAT, "%s:%zu:%zu: YAML syntax error: %s%s", c->file,
			    line, col, problem, extra);
}

/* DIR made absolute (NULL: the current directory). */
static enum gt_rc absolute_dir(const char *dir, const char *name, char **out,
			       struct gt_error *err)
{
	char *cwd = NULL;

	if (!dir || dir[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			return gt_error_set(err, GT_ERR_IO,
					    "%s: cannot tell the current directory", name);
	}
	*out = cfg_resolve_path(cwd ? cwd : "/", dir ? dir : ".");
	free(cwd);
	return GT_OK;
}

enum gt_rc gt_config_parse(const char *data, size_t len, const char *name, const char *dir,
			   struct gt_config **out, struct gt_error *err)
{
	struct gt_config *cfg = xcalloc(1, sizeof(*cfg));
	struct ctx c = { 0 };
	yaml_parser_t parser;
	yaml_document_t doc, doc2;
	bool have_parser = false, have_doc = false;
	yaml_node_t *root, *root2;
	enum gt_rc rc;

	*out = NULL;
	name = name ? name : "gtdiff.yaml";
	cfg->path = xstrdup(name);
	rc = absolute_dir(dir, name, &cfg->dir, err);
	if (rc != GT_OK)
		goto out;
	cfg_defaults_init(&cfg->defaults, cfg->dir);
	cfg->golden_max_size = GT_READ_MAX_DEFAULT;
	c.file = name;
	c.dir = cfg->dir;
	c.err = err;
	c.doc = &doc;

	if (!yaml_parser_initialize(&parser)) {
		rc = gt_error_set(err, GT_ERR_FORMAT, "%s: cannot set up the YAML parser", name);
		goto out;
	}
	have_parser = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &doc)) {
		rc = yaml_fail(&c, &parser, data, len);
		goto out;
	}
	have_doc = true;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = gt_error_set(err, GT_ERR_FORMAT, "%s:1:1: the file is empty; it needs "
				  "'version: 1' and 'cases'", name);
		goto out;
	}
	/* A second document would be silently ignored: refuse it. */
	if (!yaml_parser_load(&parser, &doc2)) {
		rc = yaml_fail(&c, &parser, data, len);
		goto out;
	}
	root2 = yaml_document_get_root_node(&doc2);
	if (root2)
		rc = cfg_fail(&c, root2, "a second YAML document; gtdiff.yaml holds one");
	yaml_document_delete(&doc2);
	if (rc != GT_OK)
		goto out;

	rc = apply_root(&c, root, cfg);
	if (rc == GT_OK && !cfg->golden_dir)
		cfg->golden_dir = cfg_resolve_path(cfg->dir, "golden_traces");
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	if (rc != GT_OK) {
		gt_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return GT_OK;
}

enum gt_rc gt_config_load(const char *path, struct gt_config **out, struct gt_error *err)
{
	const char *slash = strrchr(path, '/');
	char *data = NULL, *dir;
	size_t len = 0;
	enum gt_rc rc;

	*out = NULL;
	rc = gt_read_file(path, &data, &len, err);
	if (rc != GT_OK)
		return rc;
	if (!slash)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	rc = gt_config_parse(data, len, path, dir, out, err);
	free(dir);
	free(data);
	return rc;
}

void gt_config_free(struct gt_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ncases; i++)
		cfg_case_fini(&c->cases[i]);
	free(c->cases);
	free(c->by_name);
	cfg_case_fini(&c->defaults);
	free(c->golden_dir);
	free(c->dir);
	free(c->path);
	free(c);
}

const struct gt_case *gt_config_case(const struct gt_config *c, const char *name)
{
	size_t slot;

	if (!c || !name || !c->by_name)
		return NULL;
	slot = name_slot(c, name);
	return c->by_name[slot] ? &c->cases[c->by_name[slot] - 1] : NULL;
}

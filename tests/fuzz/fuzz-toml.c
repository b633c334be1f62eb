/*
 * fuzz-toml: libFuzzer target for the TOML reader and the renacer.toml
 * translation.  Any input is refused with a positioned message or read;
 * what is read is translated with every critical_path assertion bound to a
 * command, and the gtdiff.yaml made of it must load as a config.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gtconfig.h"
#include "renacer.h"
#include "toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bind each critical_path assertion's name (any string) to a command. */
static size_t bindings(const struct gt_toml *doc, struct gt_renacer_run *runs, size_t cap)
{
	const struct gt_toml *a = gt_toml_get(doc, "assertion");
	size_t n = 0;

	if (!a || a->type != GT_TOML_ARRAY)
		return 0;
	for (size_t i = 0; i < a->n && n < cap; i++) {
		const struct gt_toml *name = gt_toml_get(a->items[i], "name");
		const struct gt_toml *type = gt_toml_get(a->items[i], "type");

		if (name && name->type == GT_TOML_STRING && type && type->type == GT_TOML_STRING &&
		    strcmp(type->s, "critical_path") == 0) {
			runs[n].name = name->s;
			runs[n].cmd = i % 2 ? "true 'a b' c" : "sort x | head";
			n++;
		}
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_toml *doc = NULL;
	struct gt_error err = { 0 };
	struct gt_renacer_run runs[16];
	struct gt_renacer_result res;
	struct gt_config *cfg = NULL;
	enum gt_rc rc;

	rc = gt_toml_parse((const char *)data, size, "fuzz", &doc, &err);
	if (rc != GT_OK) {
		/* Every refusal says where and why. */
		if (rc != GT_ERR_FORMAT || doc || strncmp(err.msg, "fuzz:", 5) != 0)
			abort();
		return 0;
	}
	rc = gt_renacer_translate(doc, "fuzz", runs, bindings(doc, runs, 16), &res, &err);
	if (rc == GT_OK) {
		if (!res.yaml || res.nbound > res.ncases)
			abort();
		if (res.nbound) {
			if (gt_config_parse(res.yaml, strlen(res.yaml), "made", "/fuzz", &cfg, &err) != GT_OK)
				abort();
			if (cfg->ncases != res.nbound)
				abort();
			gt_config_free(cfg);
		}
		gt_renacer_result_free(&res);
	} else if (res.yaml || !*err.msg) {
		abort();
	}
	gt_toml_free(doc);
	return 0;
}

/*
 * fuzz-config: libFuzzer target for the gtdiff.yaml loader.  Any input must
 * be refused with a positioned message or loaded; a loaded config must
 * hold what the format promises (every case named, uniquely, with exactly
 * one of run and shell, absolute paths, values in range), and freeing it
 * must release everything.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gtconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_case(const struct gt_config *c, const struct gt_case *k)
{
	if (!k->name || !*k->name || gt_config_case(c, k->name) != k)
		abort();
	if (!k->run == !k->shell || (k->run && (!k->run[0] || !*k->run[0])))
		abort();
	if (!k->cwd || k->cwd[0] != '/' || (k->stdin_path && k->stdin_path[0] != '/'))
		abort();
	if (k->runs < 1 || k->runs > GT_CONFIG_MAX_RUNS || k->timeout_s < 0)
		abort();
	if (k->has_expect_exit && (k->expect_exit < 0 || k->expect_exit > 255))
		abort();
	if (k->env && k->env[k->nenv])
		abort();
	for (size_t i = 0; i < k->nenv; i++)
		if (!strchr(k->env[i], '='))
			abort();
	for (size_t i = 0; i < k->npaths; i++)
		if (k->paths[i].prefix[0] != '/' || k->paths[i].as[0] != '$')
			abort();
	if (k->unordered && k->unordered[k->nunordered])
		abort();
	if (gt_tol_slack(gt_tol_for(&k->tol.counts, "read"), 100) < 0)
		abort();
	if (k->tol.duration.alpha <= 0 || k->tol.duration.alpha >= 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_config *c = NULL;
	struct gt_error err = { 0 };
	enum gt_rc rc;

	rc = gt_config_parse((const char *)data, size, "fuzz", "/fuzz-config", &c, &err);
	if (rc != GT_OK) {
		/* Every refusal says where and why. */
		if (rc != GT_ERR_FORMAT || c || strncmp(err.msg, "fuzz:", 5) != 0 ||
		    strlen(err.msg) < 8)
			abort();
		return 0;
	}
	if (!c || c->version != 1 || c->ncases == 0 || !c->golden_dir || c->golden_dir[0] != '/')
		abort();
	for (size_t i = 0; i < c->ncases; i++)
		check_case(c, &c->cases[i]);
	gt_config_free(c);
	return 0;
}

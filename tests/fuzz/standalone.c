/*
 * standalone: a main() for the fuzz targets when libFuzzer is not at hand.
 * It runs LLVMFuzzerTestOneInput once on each file named on the command line,
 * so that a corpus can be replayed by any compiler's sanitizer build.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run the target on the file PATH; 0 on success, 1 if it cannot be read. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL, *exact = NULL;
	size_t len = 0, cap = 0, n;
	int ret = 1;

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (len == cap) {
			uint8_t *p;

			cap = cap ? cap * 2 : 4096;
			p = realloc(data, cap);
			if (!p)
				goto out;
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		perror(path);
		goto out;
	}
	/* Exactly LEN bytes, so that ASan sees any read past the end. */
	exact = malloc(len ? len : 1);
	if (!exact)
		goto out;
	if (len)
		memcpy(exact, data, len);
	LLVMFuzzerTestOneInput(exact, len);
	ret = 0;
out:
	free(exact);
	free(data);
	fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (int i = 1; i < argc; i++)
		failed |= run_file(argv[i]);
	fprintf(stderr, "%d input(s) run\n", argc - 1);
	return failed;
}

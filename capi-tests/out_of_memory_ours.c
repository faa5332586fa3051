/* capi: ours-only */
/*
 * Out of memory, where the reference cannot be compared: a label map read
 * while the heap runs out midway. The reference then returns a map that
 * lacks some labels; ours returns NULL with ENOMEM, or a whole map.
 *
 * The map file is written here: many labels, comments and long lines, so
 * that reading it takes many allocations.
 */
#include <unistd.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"
#include "starve.h"

/* Whether a label map made while the heap was short has all its labels. */
static bool map_works(void *p)
{
	struct nfct_labelmap *m = p;
	char name[32];

	for (int bit = 0; bit < 128; bit++) {
		snprintf(name, sizeof(name), "label-%d", bit);
		const char *got = nfct_labelmap_get_name(m, bit);
		if (!got || strcmp(got, name) != 0 || nfct_labelmap_get_bit(m, name) != bit)
			return false;
	}
	return true;
}

int main(void)
{
	char path[] = "/tmp/capi-oom-ours.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	CHECK(f);
	for (int bit = 127; bit >= 0; bit--) {
		fprintf(f, "# comment %d %0*d\n", bit, bit * 9, 0);
		fprintf(f, "%d label-%d\n", bit, bit);
	}
	CHECK(fclose(f) == 0);
	setvbuf(stdout, NULL, _IONBF, 0);

	struct nfct_labelmap *m = nfct_labelmap_new(path);
	CHECK(m && map_works(m));
	nfct_labelmap_destroy(m);

	SWEEP("nfct_labelmap_new", nfct_labelmap_new(path), map_works,
	      nfct_labelmap_destroy);
	unlink(path);
	CHECK(sweep_clean);
	return 0;
}

/* capi: ours-only */
/*
 * Bad input to the bitmask functions: NULL to each of them (the reference
 * crashes on all but destroy) must fail with EINVAL, and a size past 65535
 * gives NULL with EINVAL (the reference leaves errno alone there).
 *
 * No data files.
 */
#include <limits.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"

int main(void)
{
	struct nfct_bitmask *b = nfct_bitmask_new(63);

	CHECK(b != NULL);

	errno = 0;
	CHECK(nfct_bitmask_new(65536) == NULL);
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(nfct_bitmask_new(UINT_MAX) == NULL);
	CHECK(errno == EINVAL);

	errno = 0;
	CHECK(nfct_bitmask_clone(NULL) == NULL);
	CHECK(errno == EINVAL);

	errno = 0;
	CHECK(nfct_bitmask_maxbit(NULL) == 0);
	CHECK(errno == EINVAL);

	errno = 0;
	nfct_bitmask_set_bit(NULL, 0);
	CHECK(errno == EINVAL);
	errno = 0;
	nfct_bitmask_set_bit(NULL, UINT_MAX);
	CHECK(errno == EINVAL);

	errno = 0;
	CHECK(nfct_bitmask_test_bit(NULL, 0) == 0);
	CHECK(errno == EINVAL);

	errno = 0;
	nfct_bitmask_unset_bit(NULL, 0);
	CHECK(errno == EINVAL);

	errno = 0;
	nfct_bitmask_clear(NULL);
	CHECK(errno == EINVAL);

	errno = 0;
	CHECK(!nfct_bitmask_equal(NULL, b));
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(!nfct_bitmask_equal(b, NULL));
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(!nfct_bitmask_equal(NULL, NULL));
	CHECK(errno == EINVAL);

	/* freeing NULL is allowed, as free(NULL) is */
	nfct_bitmask_destroy(NULL);

	/* the good mask is untouched by all of the above */
	CHECK(nfct_bitmask_maxbit(b) == 63);
	for (unsigned int bit = 0; bit <= 63; bit++)
		CHECK(nfct_bitmask_test_bit(b, bit) == 0);
	nfct_bitmask_set_bit(b, 63);
	CHECK(nfct_bitmask_test_bit(b, 63) == 1);
	nfct_bitmask_destroy(b);

	printf("ok\n");
	return 0;
}

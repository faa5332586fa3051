/* capi: ours-only */
/*
 * nfct_snprintf / nfct_snprintf_labels on bad input, where the reference
 * asserts or writes out of bounds: a NULL object, a NULL buffer, a zero
 * size, unknown output types, message types and flags. Each gives a clean
 * result: -1 with errno, or the length without writing.
 */
#include "print_matrix.h"

int main(void)
{
	char buf[256];
	struct nf_conntrack *ct = pm_tcp_entry();
	int len = nfct_snprintf(buf, sizeof(buf), ct, 0, NFCT_O_PLAIN, 0);
	CHECK(len > 0 && (size_t)len == strlen(buf));

	/* NULL object. */
	errno = 0;
	CHECK(nfct_snprintf(buf, sizeof(buf), NULL, 0, NFCT_O_PLAIN, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(nfct_snprintf_labels(buf, sizeof(buf), NULL, 0, NFCT_O_XML, 0, NULL) == -1 &&
	      errno == EINVAL);
	errno = 0;
	CHECK(nfct_snprintf(NULL, 0, NULL, 0, 99, 0) == -1 && errno == EINVAL);

	/* NULL buffer with a size. */
	errno = 0;
	CHECK(nfct_snprintf(NULL, 10, ct, 0, NFCT_O_PLAIN, 0) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(nfct_snprintf_labels(NULL, 1, ct, 0, NFCT_O_XML, 0, NULL) == -1 && errno == EINVAL);

	/* Size 0: only the length, nothing written, NULL buffer allowed. */
	CHECK(nfct_snprintf(NULL, 0, ct, 0, NFCT_O_PLAIN, 0) == len);
	memset(buf, 'X', sizeof(buf));
	CHECK(nfct_snprintf(buf, 0, ct, 0, NFCT_O_PLAIN, 0) == len);
	CHECK(buf[0] == 'X');
	char big[4096];
	int xlen = nfct_snprintf(big, sizeof(big), ct, NFCT_T_NEW, NFCT_O_XML, 0);
	CHECK(xlen > 0 && (size_t)xlen == strlen(big));
	/* Size 0 measures the whole output, XML included (a cut XML output
	 * counts only what fit of some elements, as in the reference). */
	CHECK(nfct_snprintf_labels(NULL, 0, ct, NFCT_T_NEW, NFCT_O_XML, 0, NULL) == xlen);

	/* Size 1: just the NUL. */
	memset(buf, 'X', sizeof(buf));
	CHECK(nfct_snprintf(buf, 1, ct, 0, NFCT_O_PLAIN, 0) == len);
	CHECK(buf[0] == '\0' && buf[1] == 'X');

	/* Unknown output types: -1 with ENOENT, buffer untouched. */
	unsigned int bad_out[] = { NFCT_O_MAX, 3, 0x7fffffffu, 0x80000000u, ~0u };
	for (size_t i = 0; i < sizeof(bad_out) / sizeof(bad_out[0]); i++) {
		memset(buf, 'X', sizeof(buf));
		errno = 0;
		CHECK(nfct_snprintf(buf, sizeof(buf), ct, 0, bad_out[i], 0) == -1);
		CHECK(errno == ENOENT && buf[0] == 'X');
	}

	/* Any message type and flags: no crash, NUL-terminated. */
	unsigned int values[] = { 0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 255, 0x7fffffffu, 0x80000000u, ~0u };
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		for (size_t j = 0; j < sizeof(values) / sizeof(values[0]); j++)
			for (unsigned int out = 0; out < 2; out++) {
				int r = nfct_snprintf(buf, sizeof(buf), ct, values[i], out, values[j]);
				CHECK(r > 0);
				CHECK(memchr(buf, '\0', sizeof(buf)) != NULL);
			}

	/* An object without protocols: -1, errno left alone (as the reference). */
	struct nf_conntrack *empty = nfct_new();
	errno = 1234;
	CHECK(nfct_snprintf(buf, sizeof(buf), empty, 0, NFCT_O_PLAIN, 0) == -1 && errno == 1234);
	CHECK(nfct_snprintf(buf, sizeof(buf), empty, 0, NFCT_O_XML, 0) > 0);
	nfct_destroy(empty);

	/* A map but no labels attribute: the same output. */
	struct nfct_labelmap *map = pm_labelmap();
	CHECK(nfct_snprintf_labels(buf, sizeof(buf), ct, 0, NFCT_O_PLAIN, 0, map) == len);
	nfct_labelmap_destroy(map);

	/* A huge label name list still stays inside the buffer. */
	struct nfct_bitmask *b = nfct_bitmask_new(0xffff);
	CHECK(b != NULL);
	for (unsigned int bit = 0; bit <= 0xffff; bit += 3)
		nfct_bitmask_set_bit(b, bit);
	nfct_set_attr(ct, ATTR_CONNLABELS, b);
	map = pm_labelmap();
	char small[64];
	memset(small, 'X', sizeof(small));
	CHECK(nfct_snprintf_labels(small, 40, ct, 0, NFCT_O_PLAIN, 0, map) > 0);
	CHECK(small[39] == '\0' && small[40] == 'X');
	nfct_labelmap_destroy(map);

	/* A tuple head that an expectation hands out prints the tuple it holds
	 * (the reference reads past it). */
	struct nf_conntrack *master = pm_tcp_entry();
	struct nf_expect *exp = nfexp_new();
	if (exp) {
		nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
		const struct nf_conntrack *head = nfexp_get_attr(exp, ATTR_EXP_MASTER);
		if (head) {
			int r = nfct_snprintf(buf, sizeof(buf), head, NFCT_T_NEW, NFCT_O_PLAIN, 15);
			CHECK(r > 0 && strcmp(buf, "    [NEW] ipv4     2 tcp      6 src=192.0.2.1 "
						"dst=198.51.100.7 sport=1025 dport=80") == 0);
			CHECK(nfct_snprintf(buf, sizeof(buf), head, 0, NFCT_O_XML, 0) > 0);
			CHECK(strstr(buf, "<src>192.0.2.1</src>") != NULL);
		}
		nfexp_destroy(exp);
	}
	nfct_destroy(master);

	nfct_destroy(ct);
	printf("ok\n");
	return 0;
}

/*
 * Bitmasks: the nine nfct_bitmask_* functions (new, clone, maxbit, set_bit,
 * test_bit, unset_bit, clear, equal, destroy) on sizes from one word to the
 * largest allowed, bits at the edges of words and of the mask, and copies
 * and comparisons of equal and different sizes.
 *
 * No data files.
 */
#include <limits.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"

/* Prints the set bits of `b` among 0..maxbit+64 and a few huge numbers. */
static void show_bits(const char *label, const struct nfct_bitmask *b)
{
	unsigned int max = nfct_bitmask_maxbit(b), bit, count = 0;
	static const unsigned int huge[] = {
		65535, 65536, 65567, INT_MAX, (unsigned int)INT_MAX + 1, UINT_MAX,
	};

	printf("  %s:", label);
	for (bit = 0; bit <= max + 64; bit++) {
		if (nfct_bitmask_test_bit(b, bit)) {
			if (count < 40)
				printf(" %u", bit);
			count++;
		}
	}
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++)
		if (huge[i] > max + 64 && nfct_bitmask_test_bit(b, huge[i]))
			printf(" huge:%u", huge[i]);
	printf(" (%u set)\n", count);
}

/* Prints the value test_bit returns for each of `bits`. */
static void show_tests(const struct nfct_bitmask *b, const unsigned int *bits,
		       size_t n)
{
	printf("  test:");
	for (size_t i = 0; i < n; i++)
		printf(" %u=%d", bits[i], nfct_bitmask_test_bit(b, bits[i]));
	printf("\n");
}

static void check_size(unsigned int maxbit)
{
	struct nfct_bitmask *b, *c, *fresh;
	unsigned int max;

	printf("new(%u):", maxbit);
	b = nfct_bitmask_new(maxbit);
	if (!b) {
		printf(" NULL\n");
		return;
	}
	max = nfct_bitmask_maxbit(b);
	printf(" maxbit=%u\n", max);

	const unsigned int edges[] = {
		0, 1, 30, 31, 32, 33, 63, 64, maxbit, max - 1, max, max + 1,
		max + 32, 65535, 65536, INT_MAX, UINT_MAX,
	};
	const size_t n = sizeof(edges) / sizeof(edges[0]);

	show_bits("fresh", b);
	for (size_t i = 0; i < n; i++)
		nfct_bitmask_set_bit(b, edges[i]);
	show_bits("after set at edges", b);
	show_tests(b, edges, n);

	/* setting twice changes nothing */
	nfct_bitmask_set_bit(b, 0);
	nfct_bitmask_set_bit(b, max);
	show_bits("set again", b);

	c = nfct_bitmask_clone(b);
	printf("  clone: %s maxbit=%u equal=%d\n", c ? "ok" : "NULL",
	       c ? nfct_bitmask_maxbit(c) : 0, c ? nfct_bitmask_equal(b, c) : -1);

	nfct_bitmask_unset_bit(b, 0);
	nfct_bitmask_unset_bit(b, 31);
	nfct_bitmask_unset_bit(b, max);
	nfct_bitmask_unset_bit(b, max + 1);
	nfct_bitmask_unset_bit(b, UINT_MAX);
	nfct_bitmask_unset_bit(b, 5); /* never set */
	show_bits("after unset 0,31,max", b);
	if (c) {
		show_bits("clone unchanged", c);
		printf("  equal after unset: %d %d\n", nfct_bitmask_equal(b, c),
		       nfct_bitmask_equal(c, b));
	}

	fresh = nfct_bitmask_new(maxbit);
	printf("  equal to fresh before clear: %d\n", nfct_bitmask_equal(b, fresh));
	nfct_bitmask_clear(b);
	show_bits("after clear", b);
	printf("  maxbit after clear: %u\n", nfct_bitmask_maxbit(b));
	printf("  equal to fresh after clear: %d\n", nfct_bitmask_equal(b, fresh));
	nfct_bitmask_clear(b);
	printf("  clear twice, equal: %d\n", nfct_bitmask_equal(b, fresh));

	/* a clone of a clone, then the copies live on after the original dies */
	if (c) {
		struct nfct_bitmask *cc = nfct_bitmask_clone(c);
		nfct_bitmask_destroy(c);
		show_bits("clone of clone", cc);
		nfct_bitmask_destroy(cc);
	}
	nfct_bitmask_destroy(fresh);
	nfct_bitmask_destroy(b);
}

/* equal() compares sizes in words, then bits. */
static void check_equal_sizes(void)
{
	static const unsigned int sizes[] = { 0, 1, 31, 32, 63, 64, 127, 128 };
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	struct nfct_bitmask *m[sizeof(sizes) / sizeof(sizes[0])];

	for (size_t i = 0; i < n; i++)
		m[i] = nfct_bitmask_new(sizes[i]);

	printf("equal matrix, empty:\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %3u:", sizes[i]);
		for (size_t j = 0; j < n; j++)
			printf(" %d", nfct_bitmask_equal(m[i], m[j]));
		printf("\n");
	}

	for (size_t i = 0; i < n; i++)
		nfct_bitmask_set_bit(m[i], 3);
	printf("equal matrix, bit 3 set in all:\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %3u:", sizes[i]);
		for (size_t j = 0; j < n; j++)
			printf(" %d", nfct_bitmask_equal(m[i], m[j]));
		printf("\n");
	}

	/* same size, different bits, then the same again */
	struct nfct_bitmask *a = nfct_bitmask_new(127), *b = nfct_bitmask_new(127);
	nfct_bitmask_set_bit(a, 100);
	printf("127 vs 127, bit 100 in one: %d\n", nfct_bitmask_equal(a, b));
	nfct_bitmask_set_bit(b, 100);
	printf("127 vs 127, bit 100 in both: %d\n", nfct_bitmask_equal(a, b));
	nfct_bitmask_set_bit(b, 127);
	printf("127 vs 127, bit 127 in one: %d\n", nfct_bitmask_equal(a, b));
	printf("self: %d\n", nfct_bitmask_equal(a, a));
	nfct_bitmask_destroy(a);
	nfct_bitmask_destroy(b);

	for (size_t i = 0; i < n; i++)
		nfct_bitmask_destroy(m[i]);
}

/* Every bit of a mid-size mask, one at a time. */
static void check_each_bit(void)
{
	struct nfct_bitmask *b = nfct_bitmask_new(95);
	unsigned int bad = 0;

	for (unsigned int bit = 0; bit <= 95; bit++) {
		nfct_bitmask_set_bit(b, bit);
		for (unsigned int other = 0; other <= 127; other++)
			if (nfct_bitmask_test_bit(b, other) != (other == bit))
				bad++;
		nfct_bitmask_unset_bit(b, bit);
	}
	printf("each bit alone: %u mismatches\n", bad);

	for (unsigned int bit = 0; bit <= 95; bit += 2)
		nfct_bitmask_set_bit(b, bit);
	show_bits("even bits", b);
	nfct_bitmask_destroy(b);
}

int main(void)
{
	static const unsigned int sizes[] = {
		0, 1, 31, 32, 63, 64, 127, 128, 1000, 65503, 65504, 65535,
		65536, 65537, 100000, INT_MAX, UINT_MAX,
	};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_size(sizes[i]);
	check_equal_sizes();
	check_each_bit();

	/* freeing NULL does nothing */
	nfct_bitmask_destroy(NULL);
	printf("destroy(NULL): ok\n");
	return 0;
}

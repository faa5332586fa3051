/*
 * Out of memory: every constructor, called while the heap refuses every
 * request, returns NULL with errno = ENOMEM and the process goes on (the
 * reference gets this from malloc; ours must not abort). The exception is a
 * small bitmask, which ours makes in a pool of its own without malloc: there
 * a working object is right too. Afterwards the same calls succeed again and
 * what they return works.
 *
 * Then the heap gives a constructor its first N allocations only, for every
 * N until it gets all it asks for: each call gives either NULL with ENOMEM or
 * an object that works (libraries differ in how many allocations they make,
 * so only that summary is printed).
 *
 * starve.h makes the heap run out on demand. Label maps under a heap that
 * runs out midway are tested in out_of_memory_ours.c: the reference then
 * returns a map without some of its labels.
 *
 * No data files besides a label map written to a temporary file.
 */
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"

#include "starve.h"

/* Whether a handle made while the heap was short works now. */
static bool handle_works(void *p)
{
	struct nfct_handle *h = p;
	return nfct_fd(h) >= 0 && nfct_callback_register(h, NFCT_T_ALL, NULL, NULL) == 0;
}

/* Whether a bitmask made while the heap was short works. */
static bool bitmask_works(void *p)
{
	struct nfct_bitmask *b = p;
	nfct_bitmask_set_bit(b, 100);
	return nfct_bitmask_test_bit(b, 100) == 1 && nfct_bitmask_test_bit(b, 99) == 0;
}

int main(void)
{
	char map_path[] = "/tmp/capi-oom-labels.XXXXXX";
	int fd = mkstemp(map_path);
	static const char map[] = "0 zero\n1 one\n";
	struct nf_conntrack *ct;
	struct nf_expect *exp;
	struct nfct_bitmask *b;
	struct nfct_labelmap *m;

	if (fd < 0 || write(fd, map, sizeof(map) - 1) != (ssize_t)(sizeof(map) - 1))
		return 2;
	close(fd);
	setvbuf(stdout, NULL, _IONBF, 0);

	/* Made while the heap works, to be cloned while it does not. */
	ct = nfct_new();
	exp = nfexp_new();
	b = nfct_bitmask_new(127);
	if (!ct || !exp || !b)
		return 2;
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_MARK, 7);
	nfct_bitmask_set_bit(b, 100);

	printf("heap refusing:\n");
	STARVED("nfct_new", nfct_new(), nfct_destroy);
	STARVED("nfct_clone", nfct_clone(ct), nfct_destroy);
	STARVED("nfexp_new", nfexp_new(), nfexp_destroy);
	STARVED("nfexp_clone", nfexp_clone(exp), nfexp_destroy);
	/* Ours keeps small bitmasks in a pool of its own that needs no
	 * malloc while it has room; the reference mallocs each. */
	STARVED_OR_WORKS("nfct_bitmask_new", nfct_bitmask_new(127),
			 bitmask_works, nfct_bitmask_destroy);
	STARVED_OR_WORKS("nfct_bitmask_clone", nfct_bitmask_clone(b),
			 bitmask_works, nfct_bitmask_destroy);
	STARVED("nfct_bitmask_new(1000)", nfct_bitmask_new(1000),
		nfct_bitmask_destroy);
	STARVED("nfct_filter_create", nfct_filter_create(), nfct_filter_destroy);
	STARVED("nfct_filter_dump_create", nfct_filter_dump_create(),
		nfct_filter_dump_destroy);
	STARVED("nfct_labelmap_new", nfct_labelmap_new(map_path),
		nfct_labelmap_destroy);
	STARVED("nfct_open(CONNTRACK, 0)", nfct_open(CONNTRACK, 0), nfct_close);
	STARVED("nfct_open(EXPECT, 0)", nfct_open(EXPECT, 0), nfct_close);

	/* The objects made before are intact, and the heap works again. */
	printf("heap back:\n");
	struct nf_conntrack *copy = nfct_clone(ct);
	struct nfct_bitmask *bcopy = nfct_bitmask_clone(b);
	m = nfct_labelmap_new(map_path);
	printf("clone mark %u, bitmask bit 100 %d, label 1 %s\n",
	       copy ? nfct_get_attr_u32(copy, ATTR_MARK) : 0,
	       bcopy ? nfct_bitmask_test_bit(bcopy, 100) : -1,
	       m ? nfct_labelmap_get_name(m, 1) : "(no map)");
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	printf("nfct_open %s\n", h ? "works" : "fails");

	printf("heap running out midway:\n");
	SWEEP("nfct_open(CONNTRACK, 0)", nfct_open(CONNTRACK, 0), handle_works,
	      nfct_close);
	SWEEP("nfct_open(0, 0)", nfct_open(0, 0), handle_works, nfct_close);

	if (h)
		nfct_close(h);
	if (m)
		nfct_labelmap_destroy(m);
	nfct_bitmask_destroy(bcopy);
	nfct_destroy(copy);
	nfct_bitmask_destroy(b);
	nfexp_destroy(exp);
	nfct_destroy(ct);
	unlink(map_path);
	return 0;
}

/*
 * Objects the caller allocates itself, as the reference's documentation of
 * nfct_maxsize() suggests: "char buf[nfct_maxsize()]; memset(buf, 0, ...);"
 * and the buffer used as a struct nf_conntrack without nfct_new(). The size
 * itself is not printed (ours is smaller on purpose); no heap-owned attribute
 * (labels, helper info) is set, since such an object is never destroyed.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static void fill(struct nf_conntrack *ct)
{
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, htonl(0x7f000001));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, htonl(0x7f000002));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(1111));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(53));
	nfct_set_attr_u32(ct, ATTR_MARK, 42);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 120);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "tftp");
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
}

static void use(struct nf_conntrack *ct, const char *what)
{
	struct nf_conntrack *heap = nfct_new();
	struct nf_conntrack *c;

	capi_ct_dump(what, ct, 0);
	fill(ct);
	capi_ct_dump("filled", ct, 0);
	fill(heap);
	printf("  cmp with heap object: %d %d\n", nfct_cmp(ct, heap, NFCT_CMP_ALL),
	       nfct_cmp(heap, ct, NFCT_CMP_ALL | NFCT_CMP_STRICT));
	c = nfct_clone(ct);
	capi_ct_dump("clone on the heap", c, 0);
	nfct_destroy(c);
	nfct_set_attr_u32(heap, ATTR_MARK, 43);
	nfct_copy(ct, heap, NFCT_CP_META);
	capi_ct_dump("after copy of meta from heap", ct, 0);
	nfct_copy(ct, heap, NFCT_CP_OVERRIDE);
	capi_ct_dump("after override from heap", ct, 0);
	nfct_attr_grp_unset(ct, ATTR_GRP_ORIG_IPV4);
	capi_ct_dump("after group unset", ct, 0);
	nfct_destroy(heap);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	{
		char buf[nfct_maxsize()];
		memset(buf, 0, sizeof(buf));
		use((struct nf_conntrack *)buf, "stack buffer");
	}
	{
		void *p = malloc(nfct_maxsize());
		memset(p, 0, nfct_maxsize());
		use(p, "malloc buffer");
		free(p);
	}
	return 0;
}

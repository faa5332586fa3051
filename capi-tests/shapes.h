/*
 * Incomplete objects: which tuple attributes of one direction a shape
 * sets, as bits. Shared by capi-tests/query_incomplete.c (the bytes each
 * builder writes) and tests/incomplete/driver.c (what the kernel answers).
 * Include after <libnetfilter_conntrack/libnetfilter_conntrack.h>.
 */
#ifndef CAPI_SHAPES_H
#define CAPI_SHAPES_H

#include <arpa/inet.h>
#include <netinet/in.h>

/* The tuple attributes a shape picks, as bits 0..5. */
enum { L3 = 1, SRC = 2, DST = 4, L4 = 8, SPORT = 16, DPORT = 32, ALL = 63 };

/* The attributes of one direction's tuple. */
struct dir_attrs {
	int l3, src, dst, l4, sport, dport;
};

static const struct dir_attrs orig_attrs = {
	ATTR_ORIG_L3PROTO, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV4_DST,
	ATTR_ORIG_L4PROTO, ATTR_ORIG_PORT_SRC, ATTR_ORIG_PORT_DST,
};
static const struct dir_attrs repl_attrs = {
	ATTR_REPL_L3PROTO, ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV4_DST,
	ATTR_REPL_L4PROTO, ATTR_REPL_PORT_SRC, ATTR_REPL_PORT_DST,
};

/* Sets the attributes `shape` picks of direction `d`: IPv4 UDP, the
 * addresses and ports given in host byte order. */
static inline void set_dir(struct nf_conntrack *ct, const struct dir_attrs *d, int shape,
			   uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport)
{
	if (shape & L3)
		nfct_set_attr_u8(ct, d->l3, AF_INET);
	if (shape & SRC)
		nfct_set_attr_u32(ct, d->src, htonl(src));
	if (shape & DST)
		nfct_set_attr_u32(ct, d->dst, htonl(dst));
	if (shape & L4)
		nfct_set_attr_u8(ct, d->l4, IPPROTO_UDP);
	if (shape & SPORT)
		nfct_set_attr_u16(ct, d->sport, htons(sport));
	if (shape & DPORT)
		nfct_set_attr_u16(ct, d->dport, htons(dport));
}

/* A query and its name. */
struct named_query {
	const char *name;
	enum nf_conntrack_query q;
};

#endif

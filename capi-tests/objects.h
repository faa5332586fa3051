/*
 * Object builders shared by the C API tests. Include after
 * <libnetfilter_conntrack/libnetfilter_conntrack.h> and common.h.
 */
#ifndef CAPI_OBJECTS_H
#define CAPI_OBJECTS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

/* An IPv4 UDP entry 10.0.0.1:SPORT -> 10.0.0.2:53 with its reply tuple and a
 * timeout, ready to create. */
static inline struct nf_conntrack *capi_udp_entry(uint16_t sport)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, htonl(0x0a000001));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, htonl(0x0a000002));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(sport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(53));
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
	return ct;
}

/* A conntrack whose original tuple is the given one; NULL addresses leave
 * them unset, l3 0 leaves the family unset. */
static inline struct nf_conntrack *capi_tuple(int l3, int l4, const char *src, const char *dst,
					      uint16_t sport, uint16_t dport)
{
	struct nf_conntrack *ct = nfct_new();
	CHECK(ct != NULL);
	if (l3)
		nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, (uint8_t)l3);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, (uint8_t)l4);
	if (src) {
		if (strchr(src, ':')) {
			struct in6_addr a, b;
			CHECK(inet_pton(AF_INET6, src, &a) == 1);
			CHECK(inet_pton(AF_INET6, dst, &b) == 1);
			nfct_set_attr(ct, ATTR_ORIG_IPV6_SRC, &a);
			nfct_set_attr(ct, ATTR_ORIG_IPV6_DST, &b);
		} else {
			nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr(src));
			nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr(dst));
		}
	}
	if (l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6) {
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, (uint8_t)(sport >> 8));
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, (uint8_t)sport);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(dport));
	} else {
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(sport));
		nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(dport));
	}
	return ct;
}

/* Sets tuple attribute `a` of `exp` from `ct`, then destroys `ct`. */
static inline void capi_set_tuple(struct nf_expect *exp, enum nf_expect_attr a,
				  struct nf_conntrack *ct)
{
	nfexp_set_attr(exp, a, ct);
	nfct_destroy(ct);
}

#endif

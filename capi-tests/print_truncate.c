/*
 * nfct_snprintf's truncation contract, at every buffer size from 1 to past
 * the whole output, plain and XML: the return value, and every byte of the
 * buffer and of 8 bytes past it (shown as a checksum plus the bytes around
 * the cut, NUL as '~'; the buffer is pre-filled with 'X'). Covers labels,
 * whose printing stops counting once the buffer is full.
 */
#include "print_matrix.h"

static void dump_sizes(const char *tag, const struct nf_conntrack *ct, unsigned int msg,
		       unsigned int out, unsigned int flags, struct nfct_labelmap *map)
{
	char full[4096];
	int len = map ? nfct_snprintf_labels(full, sizeof(full), ct, msg, out, flags, map)
		      : nfct_snprintf(full, sizeof(full), ct, msg, out, flags);
	printf("%s out=%u flags=%#x: full ret=%d [%s]\n", tag, out, flags, len, full);
	CHECK(len > 0 && len < (int)sizeof(full) - 16);
	for (unsigned int size = 1; size <= (unsigned int)len + 3; size++) {
		char buf[4096 + 8];
		memset(buf, 'X', sizeof(buf));
		int r = map ? nfct_snprintf_labels(buf, size, ct, msg, out, flags, map)
			    : nfct_snprintf(buf, size, ct, msg, out, flags);
		/* FNV-1a over the buffer and the 8 bytes after it. */
		uint32_t h = 2166136261u;
		for (unsigned int i = 0; i < size + 8; i++)
			h = (h ^ (unsigned char)buf[i]) * 16777619u;
		unsigned int from = size > 12 ? size - 12 : 0;
		printf("  size %u: ret=%d hash=%08x tail=[", size, r, h);
		for (unsigned int i = from; i < size + 8; i++)
			putchar(buf[i] ? buf[i] : '~');
		printf("]\n");
	}
}

int main(void)
{
	pm_fixed_zone();
	struct nfct_labelmap *map = pm_labelmap();
	for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++) {
		struct nf_conntrack *tcp = pm_tcp_entry();
		dump_sizes("tcp", tcp, NFCT_T_UNKNOWN, out, 0, NULL);
		dump_sizes("tcp", tcp, NFCT_T_NEW, out, NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID, NULL);

		struct nfct_bitmask *b = nfct_bitmask_new(127);
		nfct_bitmask_set_bit(b, 0);
		nfct_bitmask_set_bit(b, 3);
		nfct_bitmask_set_bit(b, 31);
		nfct_bitmask_set_bit(b, 100);
		nfct_set_attr(tcp, ATTR_CONNLABELS, b);
		dump_sizes("labels", tcp, NFCT_T_DESTROY, out, NFCT_OF_ID, map);
		nfct_destroy(tcp);

		/* Labels without a known name, at the very end. */
		tcp = pm_tcp_entry();
		b = nfct_bitmask_new(31);
		nfct_bitmask_set_bit(b, 2);
		nfct_set_attr(tcp, ATTR_CONNLABELS, b);
		dump_sizes("nameless labels", tcp, NFCT_T_UNKNOWN, out, 0, map);
		nfct_destroy(tcp);

		struct nf_conntrack *v6 = pm_flow(AF_INET6, IPPROTO_SCTP, "2001:db8::1:0:0:1", "::ffff:1.2.3.4");
		nfct_set_attr_u8(v6, ATTR_SCTP_STATE, 3);
		nfct_set_attr_u32(v6, ATTR_STATUS, PM_IPS_HW_OFFLOAD);
		nfct_set_attr_u16(v6, ATTR_ORIG_ZONE, 1);
		nfct_set_attr_u16(v6, ATTR_REPL_ZONE, 2);
		nfct_set_attr_u16(v6, ATTR_ZONE, 3);
		nfct_set_attr_u64(v6, ATTR_ORIG_COUNTER_PACKETS, 1);
		nfct_set_attr_u64(v6, ATTR_ORIG_COUNTER_BYTES, 1);
		nfct_set_attr_u64(v6, ATTR_REPL_COUNTER_PACKETS, 1);
		nfct_set_attr_u64(v6, ATTR_REPL_COUNTER_BYTES, 1);
		nfct_set_attr(v6, ATTR_SECCTX, "x");
		nfct_set_attr(v6, ATTR_HELPER_NAME, "sip");
		nfct_set_attr_u32(v6, ATTR_SECMARK, 99);
		dump_sizes("ipv6", v6, NFCT_T_UPDATE, out, NFCT_OF_SHOW_LAYER3, NULL);
		nfct_destroy(v6);

		struct nf_conntrack *icmp = pm_flow(AF_INET, IPPROTO_ICMP, NULL, NULL);
		dump_sizes("icmp", icmp, NFCT_T_UNKNOWN, out, 0, NULL);
		nfct_destroy(icmp);
		struct nf_conntrack *gre = pm_flow(AF_INET, IPPROTO_GRE, NULL, NULL);
		dump_sizes("gre", gre, NFCT_T_NEW, out, 0, NULL);
		nfct_destroy(gre);
	}
	nfct_labelmap_destroy(map);
	return 0;
}

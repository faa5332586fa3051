/*
 * DCCP states (plain output names them, XML names them from the TCP table,
 * as it does SCTP states), one state byte under three attributes, and the
 * failure of plain output for an object without its layer-4 protocol, or
 * without its layer-3 protocol under NFCT_OF_SHOW_LAYER3: -1 with errno
 * untouched, leaving what was printed before (XML prints such objects).
 * Older releases differed here; both reference libraries tested (1.0.9 as
 * Debian ships it, and 1.1.0) agree.
 */
#include "print_matrix.h"

int main(void)
{
	char tag[64];
	unsigned int out, s, f;

	pm_fixed_zone();
	for (out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++) {
		struct nf_conntrack *ct = pm_flow(AF_INET, IPPROTO_DCCP, NULL, NULL);
		for (s = 0; s < 13; s++) {
			snprintf(tag, sizeof(tag), "dccp state %u", s);
			nfct_set_attr_u8(ct, ATTR_DCCP_STATE, (uint8_t)s);
			nfct_set_attr_u8(ct, ATTR_DCCP_ROLE, 1);
			pm_show(tag, ct, 0, out, 0, NULL);
		}
		nfct_set_attr_u8(ct, ATTR_DCCP_STATE, 255);
		pm_show("dccp state 255", ct, 0, out, 0, NULL);
		/* One byte, three names. */
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, 4);
		nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 4);
		pm_show("three states", ct, 0, out, 0, NULL);
		nfct_destroy(ct);

		struct nf_conntrack *bare = nfct_new();
		for (f = 0; f < 16; f++) {
			pm_show("empty", bare, 0, out, f, NULL);
			pm_show("empty", bare, NFCT_T_NEW, out, f, NULL);
		}
		nfct_set_attr_u8(bare, ATTR_ORIG_L3PROTO, AF_INET);
		pm_show("l3 only", bare, NFCT_T_UPDATE, out, NFCT_OF_SHOW_LAYER3, NULL);
		nfct_attr_unset(bare, ATTR_ORIG_L3PROTO);
		nfct_set_attr_u8(bare, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
		pm_show("l4 only", bare, NFCT_T_DESTROY, out, 0, NULL);
		pm_show("l4 only", bare, NFCT_T_DESTROY, out, NFCT_OF_SHOW_LAYER3, NULL);
		nfct_destroy(bare);

		struct nf_conntrack *tcp = pm_tcp_entry();
		nfct_attr_unset(tcp, ATTR_ORIG_L4PROTO);
		pm_show("no l4proto", tcp, NFCT_T_NEW, out, NFCT_OF_SHOW_LAYER3, NULL);
		pm_show("no l4proto", tcp, 0, out, 0, NULL);
		nfct_destroy(tcp);
	}
	return 0;
}

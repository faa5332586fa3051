/*
 * nfct_snprintf / nfct_snprintf_labels, plain output: every protocol and
 * family, every flag combination and message type, TCP and SCTP states,
 * status bits, every optional field, IPv4 and IPv6 address texts, ports,
 * GRE keys, ICMP fields and labels (see print_matrix.h). DCCP states and
 * objects without protocol numbers are in print_states.c.
 */
#include "print_matrix.h"

int main(void)
{
	pm_fixed_zone();
	pm_matrix(NFCT_O_PLAIN);
	/* NFCT_O_DEFAULT is the same output type. */
	struct nf_conntrack *ct = pm_tcp_entry();
	pm_show("default", ct, NFCT_T_NEW, NFCT_O_DEFAULT, NFCT_OF_SHOW_LAYER3, NULL);
	nfct_destroy(ct);
	return 0;
}

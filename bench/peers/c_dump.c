/*
 * bench/peers: the whole table dumped through the C API (nfct_query with
 * NFCT_Q_DUMP and a callback that reads each entry's family and destination
 * port). Run on our library and on the reference with LD_LIBRARY_PATH.
 * Prints "flows N ipv4 N ipv6 N ports N".
 */
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static unsigned long long v4, v6, ports;

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	(void)type;
	(void)data;
	if (nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO) == AF_INET)
		v4++;
	else
		v6++;
	if (nfct_attr_is_set(ct, ATTR_ORIG_PORT_DST) > 0)
		ports += ntohs(nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST));
	return NFCT_CB_CONTINUE;
}

int main(void)
{
	uint32_t family = AF_UNSPEC;
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);

	if (!h) {
		perror("nfct_open");
		return 1;
	}
	nfct_callback_register(h, NFCT_T_ALL, cb, NULL);
	if (nfct_query(h, NFCT_Q_DUMP, &family) == -1) {
		fprintf(stderr, "nfct_query: %s\n", strerror(errno));
		return 1;
	}
	nfct_close(h);
	printf("flows %llu ipv4 %llu ipv6 %llu ports %llu\n", v4 + v6, v4, v6, ports);
	return 0;
}

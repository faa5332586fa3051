/*
 * Micro-benchmark of nfct_snprintf: prints a typical established TCP entry
 * (what `conntrack -L` prints most) N times and reports the time per call.
 * Link it once and swap the library with LD_LIBRARY_PATH; for repeatable
 * numbers count instructions with `valgrind --tool=callgrind`.
 *
 *   cc -O2 -o snprintf bench/snprintf.c -lnetfilter_conntrack
 *   LD_LIBRARY_PATH=DIR ./snprintf [N] [plain|xml|ext]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	const char *mode = argc > 2 ? argv[2] : "plain";
	unsigned int out = strcmp(mode, "xml") == 0 ? NFCT_O_XML : NFCT_O_DEFAULT;
	unsigned int flags = strcmp(mode, "ext") == 0 ? NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID : 0;

	struct nf_conntrack *ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_ORIG_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_ORIG_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_SRC, inet_addr("192.168.10.123"));
	nfct_set_attr_u32(ct, ATTR_ORIG_IPV4_DST, inet_addr("172.217.16.142"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("172.217.16.142"));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("10.0.2.15"));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_SRC, htons(51234));
	nfct_set_attr_u16(ct, ATTR_ORIG_PORT_DST, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(443));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(51234));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 431999);
	nfct_set_attr_u32(ct, ATTR_STATUS, 0x18e); /* SEEN_REPLY ASSURED CONFIRMED SRC_NAT_DONE DST_NAT_DONE */
	nfct_set_attr_u32(ct, ATTR_MARK, 0);
	nfct_set_attr_u32(ct, ATTR_ID, 2882400018u);
	nfct_set_attr_u32(ct, ATTR_USE, 1);
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_PACKETS, 0);
	nfct_set_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES, 0);
	nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_PACKETS, 0);
	nfct_set_attr_u64(ct, ATTR_REPL_COUNTER_BYTES, 0);

	char buf[1024];
	long total = 0;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++)
		total += nfct_snprintf_labels(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, out, flags, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%s\n", buf);
	printf("%ld calls, %.1f ns/call (checksum %ld)\n", n, n ? ns / n : 0.0, total);
	nfct_destroy(ct);
	return 0;
}

/* capi: min-ref 1.1 */
/*
 * Low-level conntrack messages: nfct_nlmsg_build into a caller's buffer,
 * nfct_nlmsg_parse / nfct_payload_parse back into objects, the deprecated
 * nfct_build_conntrack / nfct_parse_conntrack / nfct_build_query (with a
 * libnfnetlink subsystem handle), and dump filters through
 * nfct_nlmsg_build_filter. Prints message bytes in hex and parsed objects.
 * (1.1 because dump filters by zone and tuple are new in 1.1.0.)
 */
/* The deprecated functions are tested on purpose. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#include <arpa/inet.h>
#include <libnfnetlink/libnfnetlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>

#define CAPI_CT_HELPERS
#include "common.h"

#define BUFSZ 4096

static void show_msg(const char *label, const void *buf)
{
	const struct nlmsghdr *nlh = buf;
	const struct nfgenmsg *nfg = (const void *)((const char *)buf + sizeof(*nlh));
	printf("%s: len=%u type=0x%04x flags=0x%04x seq=%u pid=%u family=%u version=%u res_id=%u\n",
	       label, nlh->nlmsg_len, nlh->nlmsg_type, nlh->nlmsg_flags, nlh->nlmsg_seq,
	       nlh->nlmsg_pid, nfg->nfgen_family, nfg->version, ntohs(nfg->res_id));
	if (nlh->nlmsg_len > sizeof(*nlh) + sizeof(*nfg) && nlh->nlmsg_len <= BUFSZ)
		show_bytes("  attrs", (const char *)buf + 20, nlh->nlmsg_len - 20);
}

/* A request header (+ nfgenmsg) like libmnl users write before nfct_nlmsg_build. */
static struct nlmsghdr *put_header(char *buf, uint8_t family)
{
	memset(buf, 0, BUFSZ);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	nlh->nlmsg_len = 20;
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE;
	struct nfgenmsg *nfg = (struct nfgenmsg *)(buf + 16);
	nfg->nfgen_family = family;
	return nlh;
}

static struct nf_conntrack *tcp4(void)
{
	struct nf_conntrack *ct = nfct_new();
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr("10.0.0.1"));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr("10.0.0.2"));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(1234));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(80));
	return ct;
}

/* Objects covering every attribute the builder writes. */
static struct nf_conntrack *sample(int i)
{
	struct nf_conntrack *ct = tcp4();
	struct in6_addr a6, b6;
	inet_pton(AF_INET6, "2001:db8::1", &a6);
	inet_pton(AF_INET6, "2001:db8::2", &b6);
	switch (i) {
	case 0: /* only the original tuple */
		break;
	case 1: /* both tuples, status, timeout, mark, secmark, zone, zones */
		nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
		nfct_set_attr_u32(ct, ATTR_STATUS, IPS_ASSURED | IPS_SEEN_REPLY);
		nfct_set_attr_u32(ct, ATTR_TIMEOUT, 120);
		nfct_set_attr_u32(ct, ATTR_MARK, 0xdeadbeef);
		nfct_set_attr_u32(ct, ATTR_SECMARK, 7);
		nfct_set_attr_u16(ct, ATTR_ZONE, 11);
		nfct_set_attr_u16(ct, ATTR_ORIG_ZONE, 12);
		nfct_set_attr_u16(ct, ATTR_REPL_ZONE, 13);
		break;
	case 2: /* TCP protocol info, partial flags */
		nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
		nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_ORIG, 3);
		nfct_set_attr_u8(ct, ATTR_TCP_MASK_ORIG, 3);
		nfct_set_attr_u8(ct, ATTR_TCP_FLAGS_REPL, 1); /* no mask: not sent */
		nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_ORIG, 7);
		nfct_set_attr_u8(ct, ATTR_TCP_WSCALE_REPL, 8);
		break;
	case 3: /* SNAT address and port, DNAT address only */
		nfct_set_attr_u32(ct, ATTR_SNAT_IPV4, inet_addr("192.168.0.1"));
		nfct_set_attr_u16(ct, ATTR_SNAT_PORT, htons(4000));
		nfct_set_attr_u32(ct, ATTR_DNAT_IPV4, inet_addr("192.168.0.2"));
		break;
	case 4: /* DNAT port only, sequence adjustments (complete and not) */
		nfct_set_attr_u16(ct, ATTR_DNAT_PORT, htons(8080));
		nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_CORRECTION_POS, 1);
		nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_BEFORE, 2);
		nfct_set_attr_u32(ct, ATTR_ORIG_NAT_SEQ_OFFSET_AFTER, 3);
		nfct_set_attr_u32(ct, ATTR_REPL_NAT_SEQ_CORRECTION_POS, 4);
		break;
	case 5: /* helper name, labels with mask, synproxy */
		nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
		{
			struct nfct_bitmask *l = nfct_bitmask_new(127), *m = nfct_bitmask_new(127);
			nfct_bitmask_set_bit(l, 1);
			nfct_bitmask_set_bit(l, 100);
			nfct_bitmask_set_bit(m, 1);
			nfct_set_attr(ct, ATTR_CONNLABELS, l);
			nfct_set_attr(ct, ATTR_CONNLABELS_MASK, m);
		}
		nfct_set_attr_u32(ct, ATTR_SYNPROXY_ISN, 10);
		nfct_set_attr_u32(ct, ATTR_SYNPROXY_ITS, 20);
		nfct_set_attr_u32(ct, ATTR_SYNPROXY_TSOFF, 30);
		break;
	case 6: /* IPv6 UDP, master tuple, IPv6 NAT */
		nfct_destroy(ct);
		ct = nfct_new();
		nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET6);
		nfct_set_attr(ct, ATTR_IPV6_SRC, &a6);
		nfct_set_attr(ct, ATTR_IPV6_DST, &b6);
		nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
		nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(53));
		nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(5353));
		nfct_set_attr_u8(ct, ATTR_MASTER_L3PROTO, AF_INET6);
		nfct_set_attr(ct, ATTR_MASTER_IPV6_SRC, &b6);
		nfct_set_attr(ct, ATTR_MASTER_IPV6_DST, &a6);
		nfct_set_attr_u8(ct, ATTR_MASTER_L4PROTO, IPPROTO_TCP);
		nfct_set_attr_u16(ct, ATTR_MASTER_PORT_SRC, htons(21));
		nfct_set_attr_u16(ct, ATTR_MASTER_PORT_DST, htons(2121));
		nfct_set_attr(ct, ATTR_SNAT_IPV6, &b6);
		nfct_set_attr(ct, ATTR_DNAT_IPV6, &a6);
		nfct_set_attr_u16(ct, ATTR_DNAT_PORT, htons(99));
		break;
	case 7: /* ICMP with reply tuple from the setters */
		nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_ICMP);
		nfct_set_attr_u8(ct, ATTR_ICMP_TYPE, 8);
		nfct_set_attr_u8(ct, ATTR_ICMP_CODE, 0);
		nfct_set_attr_u16(ct, ATTR_ICMP_ID, htons(77));
		nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
		nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, IPPROTO_ICMP);
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr("10.0.0.2"));
		nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr("10.0.0.1"));
		break;
	case 8: /* SCTP and DCCP protocol info (built by the original protocol) */
		nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_SCTP);
		nfct_set_attr_u8(ct, ATTR_SCTP_STATE, 3);
		nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_ORIG, 0x11223344);
		nfct_set_attr_u32(ct, ATTR_SCTP_VTAG_REPL, 0x55667788);
		break;
	case 9:
		nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_DCCP);
		nfct_set_attr_u8(ct, ATTR_DCCP_STATE, 4);
		nfct_set_attr_u8(ct, ATTR_DCCP_ROLE, 1);
		nfct_set_attr_u64(ct, ATTR_DCCP_HANDSHAKE_SEQ, 0x0102030405060708ULL);
		break;
	case 10: /* GRE and an unknown protocol: ports for GRE, none for 200 */
		nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_GRE);
		break;
	case 11:
		nfct_set_attr_u8(ct, ATTR_L4PROTO, 200);
		break;
	}
	return ct;
}
#define NSAMPLES 12

static void build_and_parse(void)
{
	char buf[BUFSZ];
	for (int i = 0; i < NSAMPLES; i++) {
		struct nf_conntrack *ct = sample(i);
		struct nlmsghdr *nlh = put_header(buf, nfct_get_attr_u8(ct, ATTR_L3PROTO));
		char label[64];
		snprintf(label, sizeof label, "sample %d build", i);
		SHOW_RET(label, nfct_nlmsg_build(nlh, ct));
		show_msg(label, buf);

		/* Labels come back as a new bitmask; print only the bits. */
		struct nf_conntrack *back = nfct_new();
		SHOW_RET("  nlmsg_parse", nfct_nlmsg_parse(nlh, back));
		for (int a = 0; a < CAPI_CT_NATTRS; a++) {
			if (a == ATTR_CONNLABELS || a == ATTR_CONNLABELS_MASK)
				continue;
			if (nfct_attr_is_set(back, (enum nf_conntrack_attr)a) == 1)
				capi_ct_show_attr(back, a, 0);
		}
		const struct nfct_bitmask *l = nfct_get_attr(back, ATTR_CONNLABELS);
		if (l) {
			printf("  labels maxbit=%u:", nfct_bitmask_maxbit(l));
			for (unsigned b = 0; b <= nfct_bitmask_maxbit(l); b++)
				if (nfct_bitmask_test_bit(l, b))
					printf(" %u", b);
			printf("\n");
		}
		printf("  cmp(orig, parsed) = %d\n", nfct_cmp(ct, back, NFCT_CMP_ORIG | NFCT_CMP_REPL));

		struct nf_conntrack *pl = nfct_new();
		SHOW_RET("  payload_parse", nfct_payload_parse(buf + 20, nlh->nlmsg_len - 20,
							    nfct_get_attr_u8(ct, ATTR_L3PROTO), pl));
		printf("  same as nlmsg_parse = %d\n", nfct_cmp(back, pl, NFCT_CMP_ALL | NFCT_CMP_STRICT));
		nfct_destroy(pl);
		nfct_destroy(back);
		nfct_destroy(ct);
	}
	/* No layer-3 protocol: an error, and the buffer keeps its header. */
	struct nf_conntrack *ct = nfct_new();
	struct nlmsghdr *nlh = put_header(buf, AF_INET);
	SHOW_RET("no l3proto build", nfct_nlmsg_build(nlh, ct));
	printf("  len after = %u\n", nlh->nlmsg_len);
	nfct_destroy(ct);
}

static void deprecated_api(void)
{
	char buf[BUFSZ];
	struct nfnl_handle *nfnlh = nfnl_open();
	struct nfnl_subsys_handle *ssh = nfnl_subsys_open(nfnlh, NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_MAX, 0);
	struct nf_conntrack *ct = sample(1);

	SHOW_RET("build_conntrack NEW", nfct_build_conntrack(ssh, buf, sizeof buf, IPCTNL_MSG_CT_NEW,
							      NLM_F_REQUEST | NLM_F_CREATE, ct));
	show_msg("  msg", buf);
	SHOW_RET("build_conntrack DELETE", nfct_build_conntrack(ssh, buf, sizeof buf, IPCTNL_MSG_CT_DELETE,
								 NLM_F_REQUEST | NLM_F_ACK, ct));
	show_msg("  msg", buf);

	/* nfct_parse_conntrack filters by message type. */
	static const unsigned types[] = { NFCT_T_NEW, NFCT_T_UPDATE, NFCT_T_DESTROY, NFCT_T_ALL, 0 };
	static const uint16_t flags[] = { NLM_F_CREATE, 0, NLM_F_EXCL };
	for (unsigned f = 0; f < 3; f++) {
		for (unsigned t = 0; t < 5; t++) {
			nfct_build_conntrack(ssh, buf, sizeof buf, IPCTNL_MSG_CT_NEW, NLM_F_REQUEST | flags[f], ct);
			struct nf_conntrack *back = nfct_new();
			printf("parse_conntrack flags=%x mask=%u -> %d set(mark)=%d\n", flags[f], types[t],
			       nfct_parse_conntrack(types[t], (struct nlmsghdr *)buf, back),
			       nfct_attr_is_set(back, ATTR_MARK));
			nfct_destroy(back);
		}
	}
	nfct_build_conntrack(ssh, buf, sizeof buf, IPCTNL_MSG_CT_DELETE, NLM_F_REQUEST, ct);
	printf("parse_conntrack DELETE -> %d\n", nfct_parse_conntrack(NFCT_T_ALL, (struct nlmsghdr *)buf, ct));

	/* Every query kind. */
	uint32_t family = AF_INET6;
	struct nfct_filter_dump *fd = nfct_filter_dump_create();
	nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_L3NUM, AF_INET);
	nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_MARK, &(struct nfct_filter_dump_mark){ 5, 0xff });
	for (int q = NFCT_Q_CREATE; q <= NFCT_Q_FLUSH_FILTER; q++) {
		const void *data = ct;
		if (q == NFCT_Q_FLUSH || q == NFCT_Q_DUMP || q == NFCT_Q_DUMP_RESET)
			data = &family;
		if (q == NFCT_Q_DUMP_FILTER || q == NFCT_Q_DUMP_FILTER_RESET || q == NFCT_Q_FLUSH_FILTER)
			data = fd;
		char label[32];
		snprintf(label, sizeof label, "build_query %d", q);
		SHOW_RET(label, nfct_build_query(ssh, q, data, buf, sizeof buf));
		show_msg("  msg", buf);
	}
	SHOW_RET("build_query 99", nfct_build_query(ssh, 99, ct, buf, sizeof buf));
	/* A tuple in a flush filter is not supported. */
	nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_TUPLE, ct);
	SHOW_RET("build_query FLUSH_FILTER with tuple", nfct_build_query(ssh, NFCT_Q_FLUSH_FILTER, fd, buf, sizeof buf));
	nfct_filter_dump_destroy(fd);
	nfct_destroy(ct);
	nfnl_subsys_close(ssh);
	nfnl_close(nfnlh);
}

static void dump_filters(void)
{
	char buf[BUFSZ];
	for (int i = 0; i < 7; i++) {
		struct nfct_filter_dump *fd = nfct_filter_dump_create();
		struct nf_conntrack *t = nfct_new();
		switch (i) {
		case 0:
			break;
		case 1:
			nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_MARK, &(struct nfct_filter_dump_mark){ 1, 3 });
			break;
		case 2:
			nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_STATUS, &(struct nfct_filter_dump_mark){ IPS_ASSURED, IPS_ASSURED });
			nfct_filter_dump_set_attr_u16(fd, NFCT_FILTER_DUMP_ZONE, 42);
			break;
		case 3: /* tuple: IPv4 TCP with source and port */
			nfct_set_attr_u8(t, ATTR_L3PROTO, AF_INET);
			nfct_set_attr_u32(t, ATTR_IPV4_SRC, inet_addr("10.0.0.1"));
			nfct_set_attr_u8(t, ATTR_L4PROTO, IPPROTO_TCP);
			nfct_set_attr_u16(t, ATTR_PORT_DST, htons(80));
			nfct_set_attr_u16(t, ATTR_ORIG_ZONE, 3);
			nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_TUPLE, t);
			break;
		case 4: /* tuple: IPv6 ICMPv6 */
			nfct_set_attr_u8(t, ATTR_L3PROTO, AF_INET6);
			nfct_set_attr(t, ATTR_IPV6_DST, &in6addr_loopback);
			nfct_set_attr_u8(t, ATTR_L4PROTO, IPPROTO_ICMPV6);
			nfct_set_attr_u8(t, ATTR_ICMP_TYPE, 128);
			nfct_set_attr_u16(t, ATTR_ICMP_ID, htons(9));
			nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_TUPLE, t);
			break;
		case 5: /* tuple family disagrees with L3NUM: EINVAL */
			nfct_set_attr_u8(t, ATTR_L3PROTO, AF_INET);
			nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_TUPLE, t);
			nfct_filter_dump_set_attr_u8(fd, NFCT_FILTER_DUMP_L3NUM, AF_INET6);
			break;
		case 6: /* tuple without a family: its build fails */
			nfct_set_attr_u8(t, ATTR_L4PROTO, IPPROTO_UDP);
			nfct_filter_dump_set_attr(fd, NFCT_FILTER_DUMP_TUPLE, t);
			break;
		}
		struct nlmsghdr *nlh = put_header(buf, AF_UNSPEC);
		char label[32];
		snprintf(label, sizeof label, "filter %d", i);
		int r = nfct_nlmsg_build_filter(nlh, fd);
		printf("%s = %d\n", label, r);
		/* After an error the reference leaves a partial message; we leave none. */
		if (r == 0)
			show_msg("  msg", buf);
		nfct_destroy(t);
		nfct_filter_dump_destroy(fd);
	}
}

int main(void)
{
	build_and_parse();
	deprecated_api();
	dump_filters();
	return 0;
}

/*
 * Uses the whole public API the way client programs do, so that the compiler
 * checks the header: abi/check-build compiles this file (it is never run) as
 * C and as C++, against the reference header and against ours, with
 * -Wall -Wextra -Werror. What builds with the reference must build with ours.
 */
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_udp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_icmp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_sctp.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack_dccp.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static int ct_cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	char buf[1024];

	(void)data;
	nfct_snprintf(buf, sizeof(buf), ct, type, NFCT_O_DEFAULT, NFCT_OF_SHOW_LAYER3 | NFCT_OF_TIME);
	if (type == NFCT_T_ERROR)
		return NFCT_CB_FAILURE;
	return type & NFCT_T_DESTROY ? NFCT_CB_STOP : NFCT_CB_CONTINUE;
}

static int ct_cb2(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
		  struct nf_conntrack *ct, void *data)
{
	(void)nlh;
	(void)ct;
	(void)data;
	return type == NFCT_T_ALL ? NFCT_CB_STOLEN : NFCT_CB_CONTINUE;
}

static int exp_cb(enum nf_conntrack_msg_type type, struct nf_expect *exp, void *data)
{
	char buf[1024];

	(void)data;
	nfexp_snprintf(buf, sizeof(buf), exp, type, NFCT_O_XML, 0);
	return NFCT_CB_CONTINUE;
}

static int exp_cb2(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
		   struct nf_expect *exp, void *data)
{
	(void)nlh;
	(void)type;
	(void)exp;
	(void)data;
	return NFCT_CB_CONTINUE;
}

static int conntrack_object(void)
{
	struct nf_conntrack *ct = nfct_new(), *copy;
	struct nfct_attr_grp_ipv4 g4 = { 0, 0 };
	struct nfct_attr_grp_ipv6 g6;
	struct nfct_attr_grp_port gp = { 0, 0 };
	struct nfct_attr_grp_icmp gi = { 0, 0, 0 };
	struct nfct_attr_grp_ctrs gc = { 0, 0 };
	union nfct_attr_grp_addr ga;
	const enum nf_conntrack_attr wanted[] = { ATTR_IPV4_SRC, ATTR_L3PROTO, ATTR_PORT_DST };
	struct nfct_bitmask *labels = nfct_bitmask_new(127);
	struct nfct_labelmap *map = nfct_labelmap_new(NULL);
	const char *name;
	char buf[4096];
	int n = 0;

	memset(&g6, 0, sizeof(g6));
	memset(&ga, 0, sizeof(ga));
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr("192.0.2.1"));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr("192.0.2.2"));
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(1024));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(80));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, TCP_CONNTRACK_ESTABLISHED);
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_ASSURED | IPS_CONFIRMED);
	nfct_set_attr_u64(ct, ATTR_TIMESTAMP_START, 1);
	nfct_set_attr(ct, ATTR_HELPER_NAME, "ftp");
	nfct_set_attr_l(ct, ATTR_HELPER_INFO, "x", 1);
	nfct_set_attr(ct, ATTR_CONNLABELS, labels);
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_IPV4, &g4);
	nfct_set_attr_grp(ct, ATTR_GRP_REPL_IPV6, &g6);
	nfct_set_attr_grp(ct, ATTR_GRP_ORIG_PORT, &gp);
	nfct_set_attr_grp(ct, ATTR_GRP_ICMP, &gi);
	n += nfct_get_attr_grp(ct, ATTR_GRP_ORIG_COUNTERS, &gc);
	n += nfct_get_attr_grp(ct, ATTR_GRP_ORIG_ADDR_SRC, &ga);
	n += nfct_attr_grp_is_set(ct, ATTR_GRP_MASTER_PORT);
	n += nfct_attr_grp_unset(ct, ATTR_GRP_REPL_ADDR_DST);
	n += nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO) + nfct_get_attr_u16(ct, ATTR_ZONE);
	n += (int)nfct_get_attr_u32(ct, ATTR_MARK) + (int)nfct_get_attr_u64(ct, ATTR_ORIG_COUNTER_BYTES);
	n += nfct_get_attr(ct, ATTR_SECCTX) != NULL;
	n += nfct_attr_is_set(ct, ATTR_TIMESTAMP_STOP);
	n += nfct_attr_is_set_array(ct, wanted, (int)(sizeof(wanted) / sizeof(wanted[0])));
	n += nfct_attr_unset(ct, ATTR_MAX);
	n += nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY) + nfct_getobjopt(ct, NFCT_GOPT_IS_SNAT);
	n += (int)(nfct_sizeof(ct) + nfct_maxsize());
	copy = nfct_clone(ct);
	nfct_copy(copy, ct, NFCT_CP_ORIG | NFCT_CP_META);
	nfct_copy_attr(copy, ct, ATTR_ORIG_ZONE);
	n += nfct_compare(ct, copy) + nfct_cmp(ct, copy, NFCT_CMP_ALL | NFCT_CMP_TIMEOUT_GE);
	n += nfct_snprintf_labels(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, NFCT_O_PLAIN, NFCT_OF_ID, map);
	name = nfct_labelmap_get_name(map, 0);
	n += nfct_labelmap_get_bit(map, name ? name : "x") + (nfct_labels_get_path() != NULL);
	nfct_labelmap_destroy(map);
	n += nfct_bitmask_test_bit(labels, 1) + (int)nfct_bitmask_maxbit(labels);
	nfct_bitmask_set_bit(labels, 2);
	nfct_bitmask_unset_bit(labels, 2);
	n += nfct_bitmask_equal(labels, nfct_bitmask_clone(labels));
	nfct_bitmask_clear(labels);
	nfct_bitmask_destroy(labels);
	nfct_destroy(copy);
	nfct_destroy(ct);
	return n;
}

static int expectation_object(struct nf_conntrack *master)
{
	struct nf_expect *exp = nfexp_new(), *copy;
	int n = 0;

	nfexp_set_attr(exp, ATTR_EXP_MASTER, master);
	nfexp_set_attr_u8(exp, ATTR_EXP_NAT_DIR, 0);
	nfexp_set_attr_u16(exp, ATTR_EXP_ZONE, 1);
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 10);
	nfexp_set_attr_u32(exp, ATTR_EXP_FLAGS, NF_CT_EXPECT_PERMANENT | NF_CT_EXPECT_USERSPACE);
	n += nfexp_get_attr(exp, ATTR_EXP_EXPECTED) != NULL;
	n += nfexp_get_attr_u8(exp, ATTR_EXP_NAT_DIR) + nfexp_get_attr_u16(exp, ATTR_EXP_ZONE);
	n += (int)nfexp_get_attr_u32(exp, ATTR_EXP_CLASS);
	n += nfexp_attr_is_set(exp, ATTR_EXP_FN) + nfexp_attr_unset(exp, ATTR_EXP_HELPER_NAME);
	copy = nfexp_clone(exp);
	n += nfexp_cmp(exp, copy, 0) + (int)(nfexp_sizeof(exp) + nfexp_maxsize());
	nfexp_destroy(copy);
	nfexp_destroy(exp);
	return n;
}

static int filters(struct nfct_handle *h, struct nf_conntrack *tuple)
{
	struct nfct_filter *f = nfct_filter_create();
	struct nfct_filter_dump *d = nfct_filter_dump_create();
	struct nfct_filter_proto proto = { IPPROTO_TCP, TCP_CONNTRACK_ESTABLISHED };
	struct nfct_filter_ipv4 v4 = { 0x7f000001, 0xffffffff };
	struct nfct_filter_ipv6 v6;
	struct nfct_filter_dump_mark mark = { 1, 0xff };
	int n = 0;

	memset(&v6, 0, sizeof(v6));
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_UDP);
	nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &proto);
	nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV4, &v4);
	nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV6, &v6);
	nfct_filter_add_attr(f, NFCT_FILTER_MARK, &mark);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_ZONE, 1);
	n += nfct_filter_set_logic(f, NFCT_FILTER_SRC_IPV4, NFCT_FILTER_LOGIC_NEGATIVE);
	n += nfct_filter_attach(nfct_fd(h), f) + nfct_filter_detach(nfct_fd(h));
	nfct_filter_destroy(f);

	nfct_filter_dump_set_attr(d, NFCT_FILTER_DUMP_MARK, &mark);
	nfct_filter_dump_set_attr(d, NFCT_FILTER_DUMP_STATUS, &mark);
	nfct_filter_dump_set_attr(d, NFCT_FILTER_DUMP_TUPLE, tuple);
	nfct_filter_dump_set_attr_u8(d, NFCT_FILTER_DUMP_L3NUM, AF_INET6);
	nfct_filter_dump_set_attr_u16(d, NFCT_FILTER_DUMP_ZONE, 2);
	n += nfct_query(h, NFCT_Q_DUMP_FILTER, d);
	nfct_filter_dump_destroy(d);
	return n;
}

static int handles(void)
{
	struct nfct_handle *h = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	struct nfct_handle *e = nfct_open(EXPECT, NF_NETLINK_CONNTRACK_EXP_NEW);
	const struct nfnl_handle *nfnlh = nfct_nfnlh(h);
	struct nf_conntrack *ct = nfct_new();
	uint32_t family = AF_INET;
	int n = 0;

	(void)nfnlh;
	n += nfct_callback_register(h, NFCT_T_ALL, ct_cb, NULL);
	n += nfct_callback_register2(h, (enum nf_conntrack_msg_type)(NFCT_T_NEW | NFCT_T_UPDATE), ct_cb2, &n);
	n += nfct_query(h, NFCT_Q_DUMP, &family) + nfct_query(h, NFCT_Q_CREATE_UPDATE, ct);
	n += nfct_send(h, NFCT_Q_FLUSH_FILTER, &family) + nfct_catch(h);
	nfct_callback_unregister(h);
	nfct_callback_unregister2(h);
	n += filters(h, ct);
	n += nfexp_callback_register(e, NFCT_T_DESTROY, exp_cb, NULL);
	n += nfexp_callback_register2(e, NFCT_T_ALL, exp_cb2, NULL);
	n += nfexp_query(e, NFCT_Q_GET, ct) + nfexp_send(e, NFCT_Q_DUMP, &family) + nfexp_catch(e);
	nfexp_callback_unregister(e);
	nfexp_callback_unregister2(e);
	n += expectation_object(ct);
	n += nfct_close(e) + nfct_close(h);
	h = nfct_open_nfnl(NULL, CONNTRACK, 0);
	n += nfct_close(h);
	nfct_destroy(ct);
	return n;
}

static int low_level(struct nfnl_subsys_handle *ssh)
{
	union {
		char buf[8192];
		struct nlmsghdr nlh;
	} u;
	struct nlmsghdr *nlh = &u.nlh;
	struct nf_conntrack *ct = nfct_new();
	struct nf_expect *exp = nfexp_new();
	struct nfct_filter_dump *d = nfct_filter_dump_create();
	int n = 0;

	n += nfct_build_conntrack(ssh, u.buf, sizeof(u.buf), IPCTNL_MSG_CT_NEW, NLM_F_CREATE, ct);
	n += nfct_build_query(ssh, NFCT_Q_GET, ct, u.buf, sizeof(u.buf));
	n += nfct_parse_conntrack(NFCT_T_NEW, nlh, ct);
	n += nfexp_build_expect(ssh, u.buf, sizeof(u.buf), IPCTNL_MSG_EXP_NEW, 0, exp);
	n += nfexp_build_query(ssh, NFCT_Q_DESTROY, exp, u.buf, sizeof(u.buf));
	n += nfexp_parse_expect(NFCT_T_UPDATE, nlh, exp);
	n += nfct_nlmsg_build(nlh, ct) + nfct_nlmsg_build_filter(nlh, d) + nfct_nlmsg_parse(nlh, ct);
	n += nfct_payload_parse(u.buf, sizeof(u.buf), AF_INET, ct);
	n += nfexp_nlmsg_build(nlh, exp) + nfexp_nlmsg_parse(nlh, exp);
	n += CTA_TUPLE_ORIG + CTA_PROTOINFO_TCP_STATE + CTA_EXPECT_MASTER + IPCTNL_MSG_MAX;
	n += CTA_FILTER_FLAG_CTA_IP_SRC + NF_CT_STATE_BIT(IP_CT_NEW) + CTA_NAT + CTA_MAX;
	n += TCP_CONNTRACK_SYN_SENT2 + TCP_ORIG_SPORT + UDP_MASK_DPORT + ICMP_ID;
	n += SCTP_CONNTRACK_HEARTBEAT_ACKED + DCCP_CONNTRACK_INVALID + DCCP_ROLE_MAX;
	n += IP_CT_TCP_FLAG_SACK_PERM + NFCT_DIR_MAX + NFCT_HELPER_NAME_MAX + NFCT_SOPT_MAX + NFCT_GOPT_MAX;
	nfct_filter_dump_destroy(d);
	nfexp_destroy(exp);
	nfct_destroy(ct);
	return n;
}

int main(void)
{
	return conntrack_object() + handles() + low_level(NULL);
}

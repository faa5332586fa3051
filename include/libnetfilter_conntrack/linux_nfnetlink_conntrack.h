/*
 * ctnetlink message types and attribute numbers, as the kernel's
 * <linux/netfilter/nfnetlink_conntrack.h> (uapi) defines them.
 *
 * Shipped with libnetfilter_conntrack so that programs build against
 * attribute numbers newer than their kernel headers. It shares the kernel
 * header's include guard: whichever copy a program includes first wins, and
 * the other one is skipped, so every name has exactly one definition.
 *
 * This program is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation; either version 2 of the License, or (at your option)
 * any later version.
 */
#ifndef _IPCONNTRACK_NETLINK_H
#define _IPCONNTRACK_NETLINK_H

#include <linux/netfilter/nfnetlink.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Messages of the conntrack subsystem (NFNL_SUBSYS_CTNETLINK). */
enum cntl_msg_types {
	IPCTNL_MSG_CT_NEW = 0,
	IPCTNL_MSG_CT_GET = 1,
	IPCTNL_MSG_CT_DELETE = 2,
	IPCTNL_MSG_CT_GET_CTRZERO = 3,		/* get, then zero the counters */
	IPCTNL_MSG_CT_GET_STATS_CPU = 4,
	IPCTNL_MSG_CT_GET_STATS = 5,
	IPCTNL_MSG_CT_GET_DYING = 6,
	IPCTNL_MSG_CT_GET_UNCONFIRMED = 7,
	IPCTNL_MSG_MAX = 8
};

/* Messages of the expectation subsystem (NFNL_SUBSYS_CTNETLINK_EXP). */
enum ctnl_exp_msg_types {
	IPCTNL_MSG_EXP_NEW = 0,
	IPCTNL_MSG_EXP_GET = 1,
	IPCTNL_MSG_EXP_DELETE = 2,
	IPCTNL_MSG_EXP_GET_STATS_CPU = 3,
	IPCTNL_MSG_EXP_MAX = 4
};

/* Top-level attributes of a conntrack message. */
enum ctattr_type {
	CTA_UNSPEC = 0,
	CTA_TUPLE_ORIG = 1,			/* nested: enum ctattr_tuple */
	CTA_TUPLE_REPLY = 2,			/* nested: enum ctattr_tuple */
	CTA_STATUS = 3,				/* be32: enum ip_conntrack_status bits */
	CTA_PROTOINFO = 4,			/* nested: enum ctattr_protoinfo */
	CTA_HELP = 5,				/* nested: enum ctattr_help */
	CTA_NAT_SRC = 6,			/* nested: enum ctattr_nat */
	CTA_TIMEOUT = 7,			/* be32, seconds */
	CTA_MARK = 8,				/* be32 */
	CTA_COUNTERS_ORIG = 9,			/* nested: enum ctattr_counters */
	CTA_COUNTERS_REPLY = 10,		/* nested: enum ctattr_counters */
	CTA_USE = 11,				/* be32 */
	CTA_ID = 12,				/* be32 */
	CTA_NAT_DST = 13,			/* nested: enum ctattr_nat */
	CTA_TUPLE_MASTER = 14,			/* nested: enum ctattr_tuple */
	CTA_SEQ_ADJ_ORIG = 15,			/* nested: enum ctattr_seqadj */
	CTA_NAT_SEQ_ADJ_ORIG = CTA_SEQ_ADJ_ORIG,
	CTA_SEQ_ADJ_REPLY = 16,			/* nested: enum ctattr_seqadj */
	CTA_NAT_SEQ_ADJ_REPLY = CTA_SEQ_ADJ_REPLY,
	CTA_SECMARK = 17,			/* no longer sent */
	CTA_ZONE = 18,				/* be16 */
	CTA_SECCTX = 19,			/* nested: enum ctattr_secctx */
	CTA_TIMESTAMP = 20,			/* nested: enum ctattr_tstamp */
	CTA_MARK_MASK = 21,			/* be32 */
	CTA_LABELS = 22,			/* bit array */
	CTA_LABELS_MASK = 23,			/* bit array */
	CTA_SYNPROXY = 24,			/* nested: enum ctattr_synproxy */
	CTA_FILTER = 25,			/* nested: enum ctattr_filter */
	CTA_STATUS_MASK = 26,			/* be32 */
	CTA_TIMESTAMP_EVENT = 27,		/* be64, nanoseconds (events) */
	__CTA_MAX = 28
};
#define CTA_MAX (__CTA_MAX - 1)
/* Older name of CTA_NAT_SRC. */
#define CTA_NAT CTA_NAT_SRC

/* A tuple: addresses, protocol, zone. */
enum ctattr_tuple {
	CTA_TUPLE_UNSPEC = 0,
	CTA_TUPLE_IP = 1,			/* nested: enum ctattr_ip */
	CTA_TUPLE_PROTO = 2,			/* nested: enum ctattr_l4proto */
	CTA_TUPLE_ZONE = 3,			/* be16 */
	__CTA_TUPLE_MAX = 4
};
#define CTA_TUPLE_MAX (__CTA_TUPLE_MAX - 1)

/* Addresses of a tuple. */
enum ctattr_ip {
	CTA_IP_UNSPEC = 0,
	CTA_IP_V4_SRC = 1,
	CTA_IP_V4_DST = 2,
	CTA_IP_V6_SRC = 3,
	CTA_IP_V6_DST = 4,
	__CTA_IP_MAX = 5
};
#define CTA_IP_MAX (__CTA_IP_MAX - 1)

/* Layer-4 part of a tuple. */
enum ctattr_l4proto {
	CTA_PROTO_UNSPEC = 0,
	CTA_PROTO_NUM = 1,
	CTA_PROTO_SRC_PORT = 2,
	CTA_PROTO_DST_PORT = 3,
	CTA_PROTO_ICMP_ID = 4,
	CTA_PROTO_ICMP_TYPE = 5,
	CTA_PROTO_ICMP_CODE = 6,
	CTA_PROTO_ICMPV6_ID = 7,
	CTA_PROTO_ICMPV6_TYPE = 8,
	CTA_PROTO_ICMPV6_CODE = 9,
	__CTA_PROTO_MAX = 10
};
#define CTA_PROTO_MAX (__CTA_PROTO_MAX - 1)

/* Protocol state, one nest per protocol. */
enum ctattr_protoinfo {
	CTA_PROTOINFO_UNSPEC = 0,
	CTA_PROTOINFO_TCP = 1,
	CTA_PROTOINFO_DCCP = 2,
	CTA_PROTOINFO_SCTP = 3,
	__CTA_PROTOINFO_MAX = 4
};
#define CTA_PROTOINFO_MAX (__CTA_PROTOINFO_MAX - 1)

enum ctattr_protoinfo_tcp {
	CTA_PROTOINFO_TCP_UNSPEC = 0,
	CTA_PROTOINFO_TCP_STATE = 1,
	CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2,
	CTA_PROTOINFO_TCP_WSCALE_REPLY = 3,
	CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4,
	CTA_PROTOINFO_TCP_FLAGS_REPLY = 5,
	__CTA_PROTOINFO_TCP_MAX = 6
};
#define CTA_PROTOINFO_TCP_MAX (__CTA_PROTOINFO_TCP_MAX - 1)

enum ctattr_protoinfo_dccp {
	CTA_PROTOINFO_DCCP_UNSPEC = 0,
	CTA_PROTOINFO_DCCP_STATE = 1,
	CTA_PROTOINFO_DCCP_ROLE = 2,
	CTA_PROTOINFO_DCCP_HANDSHAKE_SEQ = 3,
	CTA_PROTOINFO_DCCP_PAD = 4,
	__CTA_PROTOINFO_DCCP_MAX = 5
};
#define CTA_PROTOINFO_DCCP_MAX (__CTA_PROTOINFO_DCCP_MAX - 1)

enum ctattr_protoinfo_sctp {
	CTA_PROTOINFO_SCTP_UNSPEC = 0,
	CTA_PROTOINFO_SCTP_STATE = 1,
	CTA_PROTOINFO_SCTP_VTAG_ORIGINAL = 2,
	CTA_PROTOINFO_SCTP_VTAG_REPLY = 3,
	__CTA_PROTOINFO_SCTP_MAX = 4
};
#define CTA_PROTOINFO_SCTP_MAX (__CTA_PROTOINFO_SCTP_MAX - 1)

/* Packet and byte counters of one direction. */
enum ctattr_counters {
	CTA_COUNTERS_UNSPEC = 0,
	CTA_COUNTERS_PACKETS = 1,		/* be64 */
	CTA_COUNTERS_BYTES = 2,			/* be64 */
	CTA_COUNTERS32_PACKETS = 3,		/* be32, old kernels */
	CTA_COUNTERS32_BYTES = 4,		/* be32, old kernels */
	CTA_COUNTERS_PAD = 5,
	__CTA_COUNTERS_MAX = 6
};
#define CTA_COUNTERS_MAX (__CTA_COUNTERS_MAX - 1)

/* Start and stop time of an entry (nanoseconds). */
enum ctattr_tstamp {
	CTA_TIMESTAMP_UNSPEC = 0,
	CTA_TIMESTAMP_START = 1,
	CTA_TIMESTAMP_STOP = 2,
	CTA_TIMESTAMP_PAD = 3,
	__CTA_TIMESTAMP_MAX = 4
};
#define CTA_TIMESTAMP_MAX (__CTA_TIMESTAMP_MAX - 1)

/* A NAT range. */
enum ctattr_nat {
	CTA_NAT_UNSPEC = 0,
	CTA_NAT_V4_MINIP = 1,
	CTA_NAT_V4_MAXIP = 2,
	CTA_NAT_PROTO = 3,			/* nested: enum ctattr_protonat */
	CTA_NAT_V6_MINIP = 4,
	CTA_NAT_V6_MAXIP = 5,
	__CTA_NAT_MAX = 6
};
#define CTA_NAT_MAX (__CTA_NAT_MAX - 1)
/* Older names of the IPv4 range limits. */
#define CTA_NAT_MINIP CTA_NAT_V4_MINIP
#define CTA_NAT_MAXIP CTA_NAT_V4_MAXIP

enum ctattr_protonat {
	CTA_PROTONAT_UNSPEC = 0,
	CTA_PROTONAT_PORT_MIN = 1,
	CTA_PROTONAT_PORT_MAX = 2,
	__CTA_PROTONAT_MAX = 3
};
#define CTA_PROTONAT_MAX (__CTA_PROTONAT_MAX - 1)

/* TCP sequence number adjustment of one direction. */
enum ctattr_seqadj {
	CTA_SEQADJ_UNSPEC = 0,
	CTA_SEQADJ_CORRECTION_POS = 1,
	CTA_SEQADJ_OFFSET_BEFORE = 2,
	CTA_SEQADJ_OFFSET_AFTER = 3,
	__CTA_SEQADJ_MAX = 4
};
#define CTA_SEQADJ_MAX (__CTA_SEQADJ_MAX - 1)

/* The same, under its older name. */
enum ctattr_natseq {
	CTA_NAT_SEQ_UNSPEC = 0,
	CTA_NAT_SEQ_CORRECTION_POS = 1,
	CTA_NAT_SEQ_OFFSET_BEFORE = 2,
	CTA_NAT_SEQ_OFFSET_AFTER = 3,
	__CTA_NAT_SEQ_MAX = 4
};
#define CTA_NAT_SEQ_MAX (__CTA_NAT_SEQ_MAX - 1)

enum ctattr_synproxy {
	CTA_SYNPROXY_UNSPEC = 0,
	CTA_SYNPROXY_ISN = 1,
	CTA_SYNPROXY_ITS = 2,
	CTA_SYNPROXY_TSOFF = 3,
	__CTA_SYNPROXY_MAX = 4
};
#define CTA_SYNPROXY_MAX (__CTA_SYNPROXY_MAX - 1)

/* Top-level attributes of an expectation message. */
enum ctattr_expect {
	CTA_EXPECT_UNSPEC = 0,
	CTA_EXPECT_MASTER = 1,			/* nested: enum ctattr_tuple */
	CTA_EXPECT_TUPLE = 2,			/* nested: enum ctattr_tuple */
	CTA_EXPECT_MASK = 3,			/* nested: enum ctattr_tuple */
	CTA_EXPECT_TIMEOUT = 4,			/* be32, seconds */
	CTA_EXPECT_ID = 5,			/* be32 */
	CTA_EXPECT_HELP_NAME = 6,		/* string */
	CTA_EXPECT_ZONE = 7,			/* be16 */
	CTA_EXPECT_FLAGS = 8,			/* be32 */
	CTA_EXPECT_CLASS = 9,			/* be32 */
	CTA_EXPECT_NAT = 10,			/* nested: enum ctattr_expect_nat */
	CTA_EXPECT_FN = 11,			/* string */
	__CTA_EXPECT_MAX = 12
};
#define CTA_EXPECT_MAX (__CTA_EXPECT_MAX - 1)

enum ctattr_expect_nat {
	CTA_EXPECT_NAT_UNSPEC = 0,
	CTA_EXPECT_NAT_DIR = 1,
	CTA_EXPECT_NAT_TUPLE = 2,
	__CTA_EXPECT_NAT_MAX = 3
};
#define CTA_EXPECT_NAT_MAX (__CTA_EXPECT_NAT_MAX - 1)

/* Helper of an entry. */
enum ctattr_help {
	CTA_HELP_UNSPEC = 0,
	CTA_HELP_NAME = 1,			/* string */
	CTA_HELP_INFO = 2,			/* helper-private bytes */
	__CTA_HELP_MAX = 3
};
#define CTA_HELP_MAX (__CTA_HELP_MAX - 1)

/* Security context of an entry. */
enum ctattr_secctx {
	CTA_SECCTX_UNSPEC = 0,
	CTA_SECCTX_NAME = 1,			/* string */
	__CTA_SECCTX_MAX = 2
};
#define CTA_SECCTX_MAX (__CTA_SECCTX_MAX - 1)

/* Per-CPU conntrack statistics (IPCTNL_MSG_CT_GET_STATS_CPU). */
enum ctattr_stats_cpu {
	CTA_STATS_UNSPEC = 0,
	CTA_STATS_SEARCHED = 1,			/* unused by current kernels */
	CTA_STATS_FOUND = 2,
	CTA_STATS_NEW = 3,			/* unused by current kernels */
	CTA_STATS_INVALID = 4,
	CTA_STATS_IGNORE = 5,			/* unused by current kernels */
	CTA_STATS_DELETE = 6,			/* unused by current kernels */
	CTA_STATS_DELETE_LIST = 7,		/* unused by current kernels */
	CTA_STATS_INSERT = 8,
	CTA_STATS_INSERT_FAILED = 9,
	CTA_STATS_DROP = 10,
	CTA_STATS_EARLY_DROP = 11,
	CTA_STATS_ERROR = 12,
	CTA_STATS_SEARCH_RESTART = 13,
	CTA_STATS_CLASH_RESOLVE = 14,
	CTA_STATS_CHAIN_TOOLONG = 15,
	__CTA_STATS_MAX = 16
};
#define CTA_STATS_MAX (__CTA_STATS_MAX - 1)

/* Table-wide statistics (IPCTNL_MSG_CT_GET_STATS). */
enum ctattr_stats_global {
	CTA_STATS_GLOBAL_UNSPEC = 0,
	CTA_STATS_GLOBAL_ENTRIES = 1,
	CTA_STATS_GLOBAL_MAX_ENTRIES = 2,
	__CTA_STATS_GLOBAL_MAX = 3
};
#define CTA_STATS_GLOBAL_MAX (__CTA_STATS_GLOBAL_MAX - 1)

/* Per-CPU expectation statistics. */
enum ctattr_expect_stats {
	CTA_STATS_EXP_UNSPEC = 0,
	CTA_STATS_EXP_NEW = 1,
	CTA_STATS_EXP_CREATE = 2,
	CTA_STATS_EXP_DELETE = 3,
	__CTA_STATS_EXP_MAX = 4
};
#define CTA_STATS_EXP_MAX (__CTA_STATS_EXP_MAX - 1)

/* Dump filter (CTA_FILTER): which tuple fields a dump must match. */
enum ctattr_filter {
	CTA_FILTER_UNSPEC = 0,
	CTA_FILTER_ORIG_FLAGS = 1,		/* be32: CTA_FILTER_FLAG_* */
	CTA_FILTER_REPLY_FLAGS = 2,		/* be32: CTA_FILTER_FLAG_* */
	__CTA_FILTER_MAX = 3
};
#define CTA_FILTER_MAX (__CTA_FILTER_MAX - 1)

#ifdef __cplusplus
}
#endif

#endif /* _IPCONNTRACK_NETLINK_H */

/*
 * The CTA_FILTER flags are kept outside the include guard: kernel headers
 * older than these flags (Linux 6.1, for one) take the guard first, and a
 * program that included them before this file still gets the flags.
 */
#ifndef CTA_FILTER_FLAG_CTA_IP_SRC
#define CTA_FILTER_FLAG_CTA_IP_SRC		(1 << 0)
#define CTA_FILTER_FLAG_CTA_IP_DST		(1 << 1)
#define CTA_FILTER_FLAG_CTA_TUPLE_ZONE		(1 << 2)
#define CTA_FILTER_FLAG_CTA_PROTO_NUM		(1 << 3)
#define CTA_FILTER_FLAG_CTA_PROTO_SRC_PORT	(1 << 4)
#define CTA_FILTER_FLAG_CTA_PROTO_DST_PORT	(1 << 5)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMP_TYPE	(1 << 6)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMP_CODE	(1 << 7)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMP_ID	(1 << 8)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_TYPE	(1 << 9)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_CODE	(1 << 10)
#define CTA_FILTER_FLAG_CTA_PROTO_ICMPV6_ID	(1 << 11)
#endif

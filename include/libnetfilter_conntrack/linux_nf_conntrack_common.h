/*
 * Connection tracking constants shared by the kernel and userspace, as the
 * kernel's <linux/netfilter/nf_conntrack_common.h> (uapi) defines them for
 * userspace programs.
 *
 * It shares the kernel header's include guard: whichever copy a program
 * includes first wins, and the other one is skipped.
 *
 * This program is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation; either version 2 of the License, or (at your option)
 * any later version.
 */
#ifndef _NF_CONNTRACK_COMMON_H
#define _NF_CONNTRACK_COMMON_H

#ifdef __cplusplus
extern "C" {
#endif

/* How a packet relates to its connection. */
enum ip_conntrack_info {
	IP_CT_ESTABLISHED = 0,		/* part of a connection, either way */
	IP_CT_RELATED = 1,		/* new, but related to a connection */
	IP_CT_NEW = 2,			/* first packet(s) of a connection */
	IP_CT_IS_REPLY = 3,		/* from here on: reply direction */
	IP_CT_ESTABLISHED_REPLY = IP_CT_ESTABLISHED + IP_CT_IS_REPLY,
	IP_CT_RELATED_REPLY = IP_CT_RELATED + IP_CT_IS_REPLY,
	IP_CT_NUMBER = 5,		/* how many of the above */
	IP_CT_NEW_REPLY = IP_CT_NUMBER	/* never happens; kept for userspace */
};

/* Bits of the conntrack state match. */
#define NF_CT_STATE_INVALID_BIT			(1 << 0)
#define NF_CT_STATE_BIT(ctinfo)			(1 << ((ctinfo) % IP_CT_IS_REPLY + 1))
#define NF_CT_STATE_UNTRACKED_BIT		(1 << 6)

/* Status bits of a connection (CTA_STATUS, ATTR_STATUS). */
enum ip_conntrack_status {
	IPS_EXPECTED_BIT = 0,		/* an expected connection */
	IPS_EXPECTED = (1 << IPS_EXPECTED_BIT),
	IPS_SEEN_REPLY_BIT = 1,		/* traffic was seen both ways */
	IPS_SEEN_REPLY = (1 << IPS_SEEN_REPLY_BIT),
	IPS_ASSURED_BIT = 2,		/* never dropped early */
	IPS_ASSURED = (1 << IPS_ASSURED_BIT),
	IPS_CONFIRMED_BIT = 3,		/* the first packet left the box */
	IPS_CONFIRMED = (1 << IPS_CONFIRMED_BIT),
	IPS_SRC_NAT_BIT = 4,		/* source NAT in the original direction */
	IPS_SRC_NAT = (1 << IPS_SRC_NAT_BIT),
	IPS_DST_NAT_BIT = 5,		/* destination NAT, original direction */
	IPS_DST_NAT = (1 << IPS_DST_NAT_BIT),
	IPS_NAT_MASK = (IPS_DST_NAT | IPS_SRC_NAT),
	IPS_SEQ_ADJUST_BIT = 6,		/* TCP sequence numbers are adjusted */
	IPS_SEQ_ADJUST = (1 << IPS_SEQ_ADJUST_BIT),
	IPS_SRC_NAT_DONE_BIT = 7,	/* source NAT is set up */
	IPS_SRC_NAT_DONE = (1 << IPS_SRC_NAT_DONE_BIT),
	IPS_DST_NAT_DONE_BIT = 8,	/* destination NAT is set up */
	IPS_DST_NAT_DONE = (1 << IPS_DST_NAT_DONE_BIT),
	IPS_NAT_DONE_MASK = (IPS_DST_NAT_DONE | IPS_SRC_NAT_DONE),
	IPS_DYING_BIT = 9,		/* being removed */
	IPS_DYING = (1 << IPS_DYING_BIT),
	IPS_FIXED_TIMEOUT_BIT = 10,	/* the timeout does not change */
	IPS_FIXED_TIMEOUT = (1 << IPS_FIXED_TIMEOUT_BIT),
	IPS_TEMPLATE_BIT = 11,		/* a template, not a connection */
	IPS_TEMPLATE = (1 << IPS_TEMPLATE_BIT),
	IPS_UNTRACKED_BIT = 12,		/* obsolete */
	IPS_UNTRACKED = (1 << IPS_UNTRACKED_BIT),
	IPS_HELPER_BIT = 13,		/* helper attached explicitly */
	IPS_HELPER = (1 << IPS_HELPER_BIT),
	IPS_OFFLOAD_BIT = 14,		/* offloaded to a flow table */
	IPS_OFFLOAD = (1 << IPS_OFFLOAD_BIT),
	IPS_HW_OFFLOAD_BIT = 15,	/* offloaded to hardware */
	IPS_HW_OFFLOAD = (1 << IPS_HW_OFFLOAD_BIT),
	/* Bits userspace may not change. */
	IPS_UNCHANGEABLE_MASK = (IPS_NAT_DONE_MASK | IPS_NAT_MASK |
				 IPS_EXPECTED | IPS_CONFIRMED | IPS_DYING |
				 IPS_SEQ_ADJUST | IPS_TEMPLATE | IPS_UNTRACKED |
				 IPS_OFFLOAD | IPS_HW_OFFLOAD),
	__IPS_MAX_BIT = 16
};

/* Conntrack event kinds (bit numbers of the event mask). */
enum ip_conntrack_events {
	IPCT_NEW = 0,
	IPCT_RELATED = 1,
	IPCT_DESTROY = 2,
	IPCT_REPLY = 3,			/* traffic was seen both ways */
	IPCT_ASSURED = 4,
	IPCT_PROTOINFO = 5,		/* protocol state changed */
	IPCT_HELPER = 6,
	IPCT_MARK = 7,
	IPCT_SEQADJ = 8,
	IPCT_NATSEQADJ = IPCT_SEQADJ,
	IPCT_SECMARK = 9,
	IPCT_LABEL = 10,
	IPCT_SYNPROXY = 11
};

/* Expectation event kinds. */
enum ip_conntrack_expect_events {
	IPEXP_NEW = 0,
	IPEXP_DESTROY = 1
};

/* Flags of an expectation (ATTR_EXP_FLAGS). */
#define NF_CT_EXPECT_PERMANENT		0x1
#define NF_CT_EXPECT_INACTIVE		0x2
#define NF_CT_EXPECT_USERSPACE		0x4

#ifdef __cplusplus
}
#endif

#endif /* _NF_CONNTRACK_COMMON_H */

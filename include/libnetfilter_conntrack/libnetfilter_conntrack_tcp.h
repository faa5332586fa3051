/*
 * libnetfilter_conntrack: TCP connection states (ATTR_TCP_STATE) and the
 * TCP flags of the old API.
 *
 * This program is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation; either version 2 of the License, or (at your option)
 * any later version.
 */
#ifndef _LIBNETFILTER_CONNTRACK_TCP_H_
#define _LIBNETFILTER_CONNTRACK_TCP_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Values of ATTR_TCP_STATE. */
enum tcp_state {
	TCP_CONNTRACK_NONE = 0,
	TCP_CONNTRACK_SYN_SENT = 1,
	TCP_CONNTRACK_SYN_RECV = 2,
	TCP_CONNTRACK_ESTABLISHED = 3,
	TCP_CONNTRACK_FIN_WAIT = 4,
	TCP_CONNTRACK_CLOSE_WAIT = 5,
	TCP_CONNTRACK_LAST_ACK = 6,
	TCP_CONNTRACK_TIME_WAIT = 7,
	TCP_CONNTRACK_CLOSE = 8,
	TCP_CONNTRACK_LISTEN = 9,	/* no longer used by the kernel */
	TCP_CONNTRACK_MAX = 10,
	TCP_CONNTRACK_IGNORE = 11
};
/* The kernel's name for state 9 (simultaneous open). */
#define TCP_CONNTRACK_SYN_SENT2		TCP_CONNTRACK_LISTEN

/* Obsolete: flags of the old API, kept so that old programs still build. */
enum tcp_flags {
	TCP_ORIG_SPORT_BIT = 0,
	TCP_ORIG_SPORT = (1 << TCP_ORIG_SPORT_BIT),
	TCP_ORIG_DPORT_BIT = 1,
	TCP_ORIG_DPORT = (1 << TCP_ORIG_DPORT_BIT),
	TCP_REPL_SPORT_BIT = 2,
	TCP_REPL_SPORT = (1 << TCP_REPL_SPORT_BIT),
	TCP_REPL_DPORT_BIT = 3,
	TCP_REPL_DPORT = (1 << TCP_REPL_DPORT_BIT),
	TCP_MASK_SPORT_BIT = 4,
	TCP_MASK_SPORT = (1 << TCP_MASK_SPORT_BIT),
	TCP_MASK_DPORT_BIT = 5,
	TCP_MASK_DPORT = (1 << TCP_MASK_DPORT_BIT),
	TCP_STATE_BIT = 6,
	TCP_STATE = (1 << TCP_STATE_BIT),
	TCP_EXPTUPLE_SPORT_BIT = 7,
	TCP_EXPTUPLE_SPORT = (1 << TCP_EXPTUPLE_SPORT_BIT),
	TCP_EXPTUPLE_DPORT_BIT = 8,
	TCP_EXPTUPLE_DPORT = (1 << TCP_EXPTUPLE_DPORT_BIT)
};

#ifdef __cplusplus
}
#endif

#endif /* _LIBNETFILTER_CONNTRACK_TCP_H_ */

/*
 * libnetfilter_conntrack: DCCP connection states (ATTR_DCCP_STATE) and
 * roles (ATTR_DCCP_ROLE).
 *
 * This program is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation; either version 2 of the License, or (at your option)
 * any later version.
 */
#ifndef _LIBNETFILTER_CONNTRACK_DCCP_H_
#define _LIBNETFILTER_CONNTRACK_DCCP_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Values of ATTR_DCCP_STATE. */
enum dccp_state {
	DCCP_CONNTRACK_NONE = 0,
	DCCP_CONNTRACK_REQUEST = 1,
	DCCP_CONNTRACK_RESPOND = 2,
	DCCP_CONNTRACK_PARTOPEN = 3,
	DCCP_CONNTRACK_OPEN = 4,
	DCCP_CONNTRACK_CLOSEREQ = 5,
	DCCP_CONNTRACK_CLOSING = 6,
	DCCP_CONNTRACK_TIMEWAIT = 7,
	DCCP_CONNTRACK_IGNORE = 8,
	DCCP_CONNTRACK_INVALID = 9,
	DCCP_CONNTRACK_MAX = 10
};

/* Values of ATTR_DCCP_ROLE. */
enum dccp_roles {
	DCCP_CONNTRACK_ROLE_CLIENT = 0,
	DCCP_CONNTRACK_ROLE_SERVER = 1,
	__DCCP_CONNTRACK_ROLE_MAX = 2
};
#define DCCP_ROLE_MAX (__DCCP_CONNTRACK_ROLE_MAX - 1)

#ifdef __cplusplus
}
#endif

#endif /* _LIBNETFILTER_CONNTRACK_DCCP_H_ */

/*
 * libnetfilter_conntrack: the ICMP flags of the old API.
 *
 * This program is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation; either version 2 of the License, or (at your option)
 * any later version.
 */
#ifndef _LIBNETFILTER_CONNTRACK_ICMP_H_
#define _LIBNETFILTER_CONNTRACK_ICMP_H_

#ifdef __cplusplus
extern "C" {
#endif

/* Obsolete: flags of the old API, kept so that old programs still build. */
enum icmp_flags {
	ICMP_TYPE_BIT = 0,
	ICMP_TYPE = (1 << ICMP_TYPE_BIT),
	ICMP_CODE_BIT = 1,
	ICMP_CODE = (1 << ICMP_CODE_BIT),
	ICMP_ID_BIT = 2,
	ICMP_ID = (1 << ICMP_ID_BIT)
};

#ifdef __cplusplus
}
#endif

#endif /* _LIBNETFILTER_CONNTRACK_ICMP_H_ */

/*
 * libnetfilter_conntrack: obsolete header. It declares nothing; everything
 * IPv6-related is in <libnetfilter_conntrack/libnetfilter_conntrack.h>.
 *
 * This program is free software; you can redistribute it and/or modify it
 * under the terms of the GNU General Public License as published by the Free
 * Software Foundation; either version 2 of the License, or (at your option)
 * any later version.
 */
#ifndef _LIBNETFILTER_CONNTRACK_IPV6_H_
#define _LIBNETFILTER_CONNTRACK_IPV6_H_

#warning "libnetfilter_conntrack_ipv6.h is obsolete and empty: stop including it."

#endif /* _LIBNETFILTER_CONNTRACK_IPV6_H_ */

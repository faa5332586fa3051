/* capi: ours-only */
/*
 * What the references cannot be compared on: object sizes (ours differ on
 * purpose) and ATTR_TIMESTAMP_EVENT, the attribute 1.1.1 adds (1.1.0 and
 * 1.0.9 reject its number as out of range).
 */
#include <sys/socket.h>
#include <errno.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#define CAPI_CT_HELPERS
#include "common.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static void sizes(void)
{
	struct nf_conntrack *ct = nfct_new();

	printf("nfct_maxsize() = %zu\n", nfct_maxsize());
	printf("nfct_sizeof(ct) = %zu\n", nfct_sizeof(ct));
	/* The reference's object is 392 bytes: ours is no larger. */
	CHECK(nfct_maxsize() > 0 && nfct_maxsize() <= 392);
	CHECK(nfct_sizeof(ct) <= nfct_maxsize());
	nfct_destroy(ct);
}

/* A conntrack message carrying CTA_TIMESTAMP_EVENT (27), as the kernel
 * sends in events: nfgenmsg for IPv4, then the 64-bit timestamp. */
static struct nf_conntrack *parsed_with_event_timestamp(void)
{
	static const unsigned char msg[] = {
		/* nlmsghdr: length 32, type IPCTNL_MSG_CT_NEW of ctnetlink */
		32, 0, 0, 0, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* nfgenmsg: AF_INET, version 0, res_id 0 */
		AF_INET, 0, 0, 0,
		/* CTA_TIMESTAMP_EVENT: length 12, type 27, value 12345 (BE) */
		12, 0, 27, 0, 0, 0, 0, 0, 0, 0, 0x30, 0x39,
	};
	struct nf_conntrack *ct = nfct_new();

	CHECK(nfct_nlmsg_parse((const struct nlmsghdr *)msg, ct) == 0);
	return ct;
}

static void timestamp_event(void)
{
	struct nf_conntrack *ct = nfct_new(), *dst;
	const uint64_t *p;

	CHECK(ATTR_TIMESTAMP_EVENT == 75 && ATTR_MAX == 76);
	CHECK(nfct_attr_is_set(ct, ATTR_TIMESTAMP_EVENT) == 0);
	errno = 0;
	CHECK(nfct_get_attr(ct, ATTR_TIMESTAMP_EVENT) == NULL && errno == ENODATA);

	/* 1.1.1 has no setter for it: setting leaves it unset, without errno;
	 * only parsing a kernel message sets it. */
	errno = 0;
	nfct_set_attr_u64(ct, ATTR_TIMESTAMP_EVENT, 12345);
	nfct_set_attr(ct, ATTR_TIMESTAMP_EVENT, &(uint64_t){ 1 });
	nfct_set_attr_l(ct, ATTR_TIMESTAMP_EVENT, &(uint64_t){ 1 }, 8);
	CHECK(errno == 0);
	CHECK(nfct_attr_is_set(ct, ATTR_TIMESTAMP_EVENT) == 0);
	nfct_destroy(ct);

	ct = parsed_with_event_timestamp();
	CHECK(nfct_attr_is_set(ct, ATTR_TIMESTAMP_EVENT) == 1);
	p = nfct_get_attr(ct, ATTR_TIMESTAMP_EVENT);
	CHECK(p != NULL && *p == 12345);
	CHECK(nfct_get_attr_u64(ct, ATTR_TIMESTAMP_EVENT) == 12345);

	/* Copied with the meta data and by NFCT_CP_ALL, ignored by nfct_cmp. */
	dst = nfct_new();
	nfct_copy(dst, ct, NFCT_CP_ORIG | NFCT_CP_REPL);
	CHECK(nfct_attr_is_set(dst, ATTR_TIMESTAMP_EVENT) == 0);
	nfct_copy(dst, ct, NFCT_CP_META);
	CHECK(nfct_get_attr_u64(dst, ATTR_TIMESTAMP_EVENT) == 12345);
	nfct_attr_unset(dst, ATTR_TIMESTAMP_EVENT);
	nfct_copy(dst, ct, NFCT_CP_ALL);
	CHECK(nfct_attr_is_set(dst, ATTR_TIMESTAMP_EVENT) == 1);
	nfct_attr_unset(dst, ATTR_TIMESTAMP_EVENT);
	nfct_copy_attr(dst, ct, ATTR_TIMESTAMP_EVENT);
	CHECK(nfct_attr_is_set(dst, ATTR_TIMESTAMP_EVENT) == 1);
	nfct_attr_unset(dst, ATTR_TIMESTAMP_EVENT);
	CHECK(nfct_cmp(ct, dst, NFCT_CMP_ALL | NFCT_CMP_STRICT) == 1);
	CHECK(nfct_cmp(ct, dst, NFCT_CMP_ALL | NFCT_CMP_MASK) == 1);
	nfct_destroy(dst);
	dst = nfct_clone(ct);
	CHECK(nfct_get_attr_u64(dst, ATTR_TIMESTAMP_EVENT) == 12345);
	nfct_destroy(dst);

	{
		const enum nf_conntrack_attr arr[] = { ATTR_TIMESTAMP_EVENT };
		CHECK(nfct_attr_is_set_array(ct, arr, 1) == 1);
	}
	CHECK(nfct_attr_unset(ct, ATTR_TIMESTAMP_EVENT) == 0);
	CHECK(nfct_attr_is_set(ct, ATTR_TIMESTAMP_EVENT) == 0);
	errno = 0;
	CHECK(nfct_get_attr_u64(ct, ATTR_TIMESTAMP_EVENT) == 0 && errno == ENODATA);
	nfct_destroy(ct);
	printf("ATTR_TIMESTAMP_EVENT: ok\n");
}

int main(void)
{
	sizes();
	timestamp_event();
	return 0;
}

/* capi: ours-only */
/*
 * Event filters given bad input: NULL filters and values, attribute and
 * logic numbers out of range, values the reference would read past or
 * write out of its object for, bad descriptors. The reference asserts,
 * crashes or builds a broken program for these; ours must fail cleanly
 * (EINVAL, or the reference's error where it has one) and leave the filter
 * as it was. Also the filters whose programs differ from the reference's on
 * purpose (see src/conntrack/filter/bpf.rs): they must attach.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

static struct sock_filter prog_a[4096], prog_b[4096];

/* Attaches `f` to a new netlink socket; returns the program length. */
static unsigned attach_len(struct nfct_filter *f, struct sock_filter *buf)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	CHECK(fd >= 0);
	CHECK(nfct_filter_attach(fd, f) == 0);
	socklen_t n = 4096;
	CHECK(getsockopt(fd, SOL_SOCKET, SO_GET_FILTER, buf, &n) == 0);
	close(fd);
	return n;
}

/* Whether `f` still compiles to the program of `ref`. */
static int unchanged(struct nfct_filter *f, struct nfct_filter *ref)
{
	unsigned a = attach_len(f, prog_a), b = attach_len(ref, prog_b);
	return a == b && memcmp(prog_a, prog_b, a * sizeof(prog_a[0])) == 0;
}

#define EXPECT_ERRNO(e, stmt)                                          \
	do {                                                           \
		errno = 0;                                             \
		stmt;                                                  \
		CHECK(errno == (e));                                   \
	} while (0)

int main(void)
{
	struct nfct_filter *f = nfct_filter_create();
	struct nfct_filter *ref = nfct_filter_create();
	CHECK(f && ref);
	nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	nfct_filter_add_attr_u32(ref, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
	int v = IPPROTO_UDP;

	/* NULL filters and values */
	EXPECT_ERRNO(EINVAL, nfct_filter_destroy(NULL));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr(NULL, NFCT_FILTER_L4PROTO, &v));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO, NULL));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV6, NULL));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr_u32(NULL, NFCT_FILTER_L4PROTO, 6));
	errno = 0;
	CHECK(nfct_filter_set_logic(NULL, NFCT_FILTER_MARK,
				    NFCT_FILTER_LOGIC_NEGATIVE) == -1);
	CHECK(errno == EINVAL);
	/* the attribute is checked first, as in the reference */
	errno = 0;
	CHECK(nfct_filter_set_logic(NULL, NFCT_FILTER_MAX,
				    NFCT_FILTER_LOGIC_NEGATIVE) == -1);
	CHECK(errno == ENOTSUP);
	errno = 0;
	CHECK(nfct_filter_attach(-1, NULL) == -1 && errno == EINVAL);
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(nfct_filter_attach(fd, NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(nfct_filter_detach(fd) == -1 && errno == ENOENT);
	close(fd);
	errno = 0;
	CHECK(nfct_filter_detach(-1) == -1 && errno == EBADF);
	CHECK(unchanged(f, ref));

	/* attribute numbers out of range: ignored */
	nfct_filter_add_attr(f, (enum nfct_filter_attr)NFCT_FILTER_MAX, &v);
	nfct_filter_add_attr(f, (enum nfct_filter_attr)-5, &v);
	nfct_filter_add_attr_u32(f, (enum nfct_filter_attr)0x7fffffff, 17);
	CHECK(unchanged(f, ref));

	/* logic out of range: stored, as in the reference; with an entry and
	 * another condition after it (where the reference attaches a program
	 * that filters wrongly) attaching fails with EINVAL and leaves the
	 * socket's program alone. */
	{
		struct nfct_filter *odd = nfct_filter_create();
		CHECK(odd != NULL);
		CHECK(nfct_filter_set_logic(odd, NFCT_FILTER_L4PROTO,
					    (enum nfct_filter_logic)2) == 0);
		nfct_filter_add_attr_u32(odd, NFCT_FILTER_L4PROTO, IPPROTO_TCP);
		struct nfct_filter_dump_mark m = { 1, 1 };
		nfct_filter_add_attr(odd, NFCT_FILTER_MARK, &m);
		int sock = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
		CHECK(sock >= 0);
		CHECK(nfct_filter_attach(sock, ref) == 0);
		unsigned before = attach_len(ref, prog_a);
		errno = 0;
		CHECK(nfct_filter_attach(sock, odd) == -1 && errno == EINVAL);
		socklen_t n = 0;
		CHECK(getsockopt(sock, SOL_SOCKET, SO_GET_FILTER, NULL, &n) == 0);
		CHECK(n == before);
		close(sock);
		nfct_filter_destroy(odd);
	}
	CHECK(unchanged(f, ref));

	/* values wider than 32 bits through add_attr_u32: refused */
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr_u32(f, NFCT_FILTER_SRC_IPV4, 1));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr_u32(f, NFCT_FILTER_DST_IPV4, 1));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr_u32(f, NFCT_FILTER_SRC_IPV6, 1));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr_u32(f, NFCT_FILTER_DST_IPV6, 1));
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr_u32(f, NFCT_FILTER_MARK, 1));
	CHECK(unchanged(f, ref));

	/* values the reference writes out of its object for: refused */
	int neg = -1;
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO, &neg));
	struct nfct_filter_proto big = { .proto = 263, .state = 1 };
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &big));
	big.proto = 0xffff;
	EXPECT_ERRNO(EINVAL, nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &big));
	CHECK(unchanged(f, ref));

	/* ignored as in the reference: errno untouched */
	EXPECT_ERRNO(0, nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, 263));
	struct nfct_filter_proto st16 = { .proto = IPPROTO_TCP, .state = 16 };
	EXPECT_ERRNO(0, nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &st16));
	CHECK(unchanged(f, ref));
	nfct_filter_destroy(f);
	nfct_filter_destroy(ref);

	/*
	 * Programs that differ from the reference's on purpose attach: every
	 * attribute at its limit (more than the reference's 2048-instruction
	 * buffer), states of three protocols.
	 */
	f = nfct_filter_create();
	for (int i = 0; i < 255; i++)
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, i);
	for (int i = 0; i < 127; i++) {
		struct nfct_filter_ipv4 a = { 0x0a000000 + i, 0xffffffff };
		struct nfct_filter_dump_mark m = { i, 0xffffffff };
		uint16_t z = i;
		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV4, &a);
		nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV4, &a);
		nfct_filter_add_attr(f, NFCT_FILTER_MARK, &m);
		nfct_filter_add_attr(f, NFCT_FILTER_ZONE, &z);
	}
	for (int i = 0; i < 20; i++) {
		struct nfct_filter_ipv6 a = { { 0xfd000000, 0, 0, i }, { ~0u, ~0u, ~0u, ~0u } };
		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV6, &a);
		nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV6, &a);
	}
	uint16_t protos[] = { IPPROTO_TCP, IPPROTO_DCCP, IPPROTO_SCTP };
	for (int p = 0; p < 3; p++)
		for (int s = 0; s < 16; s++) {
			struct nfct_filter_proto ps = { protos[p], s };
			nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &ps);
		}
	for (int a = 0; a < NFCT_FILTER_MAX; a += 2)
		CHECK(nfct_filter_set_logic(f, (enum nfct_filter_attr)a,
					    NFCT_FILTER_LOGIC_NEGATIVE) == 0);
	unsigned n = attach_len(f, prog_a);
	CHECK(n > 2048 && n <= 4096);
	CHECK(prog_a[n - 1].code == (BPF_RET | BPF_K) && prog_a[n - 1].k == ~0u);
	nfct_filter_destroy(f);

	printf("ok\n");
	return 0;
}

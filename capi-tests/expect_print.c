/*
 * nfexp_snprintf, plain and XML, over a matrix of expectations built through
 * the setters: IPv4 and IPv6 (and mixed, and family-less) tuples; TCP, UDP,
 * UDP-Lite, SCTP, DCCP, GRE, ICMP, ICMPv6 and an unknown protocol; with and
 * without NAT tuple and direction, flags (each bit, combinations, unknown
 * bits; set and unset), class, zone, helper name (empty, long, ending with a
 * space), expectation function; tuples unset after being set; the empty
 * object. Every message type (and unknown ones), every NFCT_OF_* flag (and
 * all bits), unknown output types.
 *
 * Each case is printed at full size, and at every buffer size from 1 to
 * past the whole output: the return value, and every byte of the buffer and
 * of 8 bytes past it (a checksum plus the bytes around the cut, NUL as '~';
 * the buffer is pre-filled with 'X').
 *
 * NFCT_OF_TIME puts the current local time into the XML: those cases are
 * printed at full size only, with the digits inside <when> masked.
 *
 * Left out (the reference asserts): a NULL buffer, size 0, a NULL object;
 * see bad_expect_msg.c.
 *
 * No data files.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"
#include "objects.h"

#ifndef NF_CT_EXPECT_PERMANENT
#define NF_CT_EXPECT_PERMANENT 0x1
#define NF_CT_EXPECT_INACTIVE 0x2
#define NF_CT_EXPECT_USERSPACE 0x4
#endif

/* An FTP-like expectation: master, expected and mask tuples of family `l3`
 * and protocol `l4`, a timeout and a helper. */
static struct nf_expect *ftp(int l3, int l4)
{
	struct nf_expect *exp = nfexp_new();
	CHECK(exp != NULL);
	int v6 = l3 == AF_INET6;
	capi_set_tuple(exp, ATTR_EXP_MASTER,
		  capi_tuple(l3, l4, v6 ? "2001:db8::1" : "192.168.1.10",
			   v6 ? "2001:db8::2:0:0:2" : "10.0.0.1", 40123, 21));
	capi_set_tuple(exp, ATTR_EXP_EXPECTED,
		  capi_tuple(l3, l4, v6 ? "2001:db8::1" : "192.168.1.10",
			   v6 ? "::ffff:10.0.0.1" : "10.0.0.1", 0, 50000));
	capi_set_tuple(exp, ATTR_EXP_MASK,
		  capi_tuple(l3, l4, v6 ? "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" : "255.255.255.255",
			   v6 ? "ffff:ffff:ffff:ffff::" : "255.255.255.0", 0, 0xffff));
	nfexp_set_attr_u32(exp, ATTR_EXP_TIMEOUT, 300);
	nfexp_set_attr(exp, ATTR_EXP_HELPER_NAME, "ftp");
	return exp;
}

/* Masks the digits between <when> and </when> (each run becomes one 'N'). */
static void mask_when(char *s)
{
	char *p = strstr(s, "<when>");
	char *end = p ? strstr(p, "</when>") : NULL;
	if (!p || !end)
		return;
	char *out = p;
	for (char *q = p; q < end;) {
		if (*q >= '0' && *q <= '9') {
			/* Skip the run before writing: `out` may be at `q`. */
			while (q < end && *q >= '0' && *q <= '9')
				q++;
			*out++ = 'N';
		} else {
			*out++ = *q++;
		}
	}
	memmove(out, end, strlen(end) + 1);
}

static const unsigned int msg_types[] = {
	NFCT_T_UNKNOWN, NFCT_T_NEW, NFCT_T_UPDATE, NFCT_T_DESTROY, NFCT_T_ALL, 3, 8,
	(unsigned int)NFCT_T_ERROR,
};

static const unsigned int out_flags[] = {
	0, NFCT_OF_SHOW_LAYER3, NFCT_OF_ID, NFCT_OF_TIMESTAMP, NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID,
};

/* One case at full size; with `sizes`, also at every size up to the end. */
static void show(const char *tag, const struct nf_expect *exp, unsigned int msg,
		 unsigned int out, unsigned int flags, int sizes)
{
	char full[4096];
	memset(full, 'X', sizeof(full));
	errno = 0;
	int len = nfexp_snprintf(full, sizeof(full), exp, msg, out, flags);
	int e = errno;
	if (len < 0) {
		printf("%s msg=%#x out=%u flags=%#x: ret=%d errno=%s buf0=%c\n", tag, msg, out,
		       flags, len, strerror(e), full[0]);
		return;
	}
	if (flags & NFCT_OF_TIME) {
		/* The length changes with the time: only say whether it is right. */
		int right = len == (int)strlen(full);
		mask_when(full);
		printf("%s msg=%#x out=%u flags=%#x: ret=%s [%s]\n", tag, msg, out, flags,
		       right ? "strlen" : "wrong", full);
	} else {
		printf("%s msg=%#x out=%u flags=%#x: ret=%d [%s]\n", tag, msg, out, flags, len,
		       full);
	}
	CHECK(len < (int)sizeof(full) - 16);
	if (!sizes || (flags & NFCT_OF_TIME))
		return;
	for (unsigned int size = 1; size <= (unsigned int)len + 3; size++) {
		char buf[4096 + 8];
		memset(buf, 'X', sizeof(buf));
		int r = nfexp_snprintf(buf, size, exp, msg, out, flags);
		/* FNV-1a over the buffer and the 8 bytes after it. */
		uint32_t h = 2166136261u;
		for (unsigned int i = 0; i < size + 8; i++)
			h = (h ^ (unsigned char)buf[i]) * 16777619u;
		unsigned int from = size > 12 ? size - 12 : 0;
		printf("  size %u: ret=%d hash=%08x tail=[", size, r, h);
		for (unsigned int i = from; i < size + 8; i++)
			putchar(buf[i] ? buf[i] : '~');
		printf("]\n");
	}
}

/* Both formats, every message type and output flag at full size; the
 * first combination at every size. */
static void matrix(const char *tag, const struct nf_expect *exp)
{
	for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++) {
		show(tag, exp, NFCT_T_UNKNOWN, out, 0, 1);
		show(tag, exp, NFCT_T_NEW, out, NFCT_OF_TIME, 0);
		for (size_t m = 0; m < sizeof(msg_types) / sizeof(msg_types[0]); m++)
			for (size_t f = 0; f < sizeof(out_flags) / sizeof(out_flags[0]); f++)
				show(tag, exp, msg_types[m], out, out_flags[f], 0);
	}
}

int main(void)
{
	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);

	/* The typical FTP expectation in every protocol and both families. */
	static const int protos[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_SCTP, IPPROTO_DCCP,
		IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, 99,
	};
	for (int fam = 0; fam < 2; fam++) {
		for (size_t p = 0; p < sizeof(protos) / sizeof(protos[0]); p++) {
			char tag[64];
			struct nf_expect *exp = ftp(fam ? AF_INET6 : AF_INET, protos[p]);
			snprintf(tag, sizeof(tag), "ftp/%s/%d", fam ? "ipv6" : "ipv4", protos[p]);
			if (p < 2)
				matrix(tag, exp);
			else
				for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++)
					show(tag, exp, NFCT_T_UPDATE, out, 0, 1);
			nfexp_destroy(exp);
		}
	}

	/* Every optional field: NAT, flags, class, zone, function. */
	struct nf_expect *all = ftp(AF_INET, IPPROTO_TCP);
	capi_set_tuple(all, ATTR_EXP_NAT_TUPLE, capi_tuple(AF_INET, IPPROTO_TCP, "1.2.3.4", "5.6.7.8", 1, 2));
	nfexp_set_attr_u32(all, ATTR_EXP_NAT_DIR, 1);
	nfexp_set_attr_u32(all, ATTR_EXP_FLAGS, NF_CT_EXPECT_PERMANENT | NF_CT_EXPECT_INACTIVE |
						  NF_CT_EXPECT_USERSPACE);
	nfexp_set_attr_u32(all, ATTR_EXP_CLASS, 4294967295u);
	nfexp_set_attr_u16(all, ATTR_EXP_ZONE, 65535);
	nfexp_set_attr(all, ATTR_EXP_FN, "nat-follow-master");
	matrix("all", all);

	/* Each flag combination and unknown bits, with and without a helper. */
	for (unsigned int f = 0; f <= 16; f++) {
		char tag[64];
		unsigned int flags = f == 16 ? 0xfffffff8u : f;
		nfexp_set_attr_u32(all, ATTR_EXP_FLAGS, flags);
		snprintf(tag, sizeof(tag), "flags=%#x", flags);
		for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++)
			show(tag, all, NFCT_T_UNKNOWN, out, 0, f == 5 || f == 8);
		nfexp_attr_unset(all, ATTR_EXP_HELPER_NAME);
		snprintf(tag, sizeof(tag), "flags=%#x no helper", flags);
		for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++)
			show(tag, all, NFCT_T_UNKNOWN, out, 0, f == 1 || f == 8);
		nfexp_set_attr(all, ATTR_EXP_HELPER_NAME, "ftp");
	}
	/* Flags printed from the stored value even when unset. */
	nfexp_set_attr_u32(all, ATTR_EXP_FLAGS, NF_CT_EXPECT_INACTIVE);
	nfexp_attr_unset(all, ATTR_EXP_FLAGS);
	for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++)
		show("unset flags", all, NFCT_T_NEW, out, 0, 1);

	/* Helper names: empty, longest, ending with a space (the plain printer
	 * drops a trailing space of the whole output). */
	static const char *helpers[] = { "", "a-very-long-helper-name", "ab ", " " };
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		char tag[64];
		nfexp_set_attr(all, ATTR_EXP_HELPER_NAME, helpers[i]);
		snprintf(tag, sizeof(tag), "helper=[%s]", helpers[i]);
		for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++)
			show(tag, all, NFCT_T_DESTROY, out, 0, 1);
	}
	/* Unset attributes are not printed; unset tuples still are. */
	nfexp_attr_unset(all, ATTR_EXP_TIMEOUT);
	nfexp_attr_unset(all, ATTR_EXP_CLASS);
	nfexp_attr_unset(all, ATTR_EXP_ZONE);
	nfexp_attr_unset(all, ATTR_EXP_HELPER_NAME);
	nfexp_attr_unset(all, ATTR_EXP_MASTER);
	nfexp_attr_unset(all, ATTR_EXP_EXPECTED);
	nfexp_attr_unset(all, ATTR_EXP_MASK);
	matrix("unset", all);
	nfexp_destroy(all);

	/* Mixed families, a family-less tuple, an address-less tuple. */
	struct nf_expect *mixed = nfexp_new();
	capi_set_tuple(mixed, ATTR_EXP_MASTER, capi_tuple(AF_INET6, IPPROTO_UDP, "::1", "::", 5060, 5060));
	capi_set_tuple(mixed, ATTR_EXP_EXPECTED, capi_tuple(AF_INET, IPPROTO_UDP, "0.0.0.0", "127.0.0.1", 0, 1));
	capi_set_tuple(mixed, ATTR_EXP_MASK, capi_tuple(0, IPPROTO_UDP, "1.1.1.1", "2.2.2.2", 65535, 65535));
	nfexp_set_attr_u16(mixed, ATTR_EXP_ZONE, 0);
	nfexp_set_attr_u32(mixed, ATTR_EXP_CLASS, 0);
	for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++)
		show("mixed", mixed, NFCT_T_NEW, out, 0, 1);
	capi_set_tuple(mixed, ATTR_EXP_EXPECTED, capi_tuple(AF_INET6, 200, NULL, NULL, 7, 8));
	for (unsigned int out = NFCT_O_PLAIN; out <= NFCT_O_XML; out++)
		show("no addresses", mixed, NFCT_T_NEW, out, 0, 1);
	nfexp_destroy(mixed);

	/* The empty object. */
	struct nf_expect *empty = nfexp_new();
	matrix("empty", empty);

	/* Unknown output types write nothing. */
	for (unsigned int out = 2; out <= 4; out++)
		show("bad out", empty, NFCT_T_NEW, out, 0, 0);
	show("bad out", empty, NFCT_T_NEW, 0xffffffffu, 0, 0);
	nfexp_destroy(empty);
	return 0;
}

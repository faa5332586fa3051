/*
 * Callback verdicts and registrations through nfct_query() against the
 * kernel: a dump of 40 entries (several datagrams) with callbacks of both
 * versions returning CONTINUE, STOP, FAILURE, STOLEN and other values at the
 * 5th object; NULL callbacks; type masks that select nothing; both versions
 * registered at once (the first wins, with the last registration's data);
 * unregistering either version; unregistering from inside a callback; a
 * verdict on the reply of a get. Stolen objects are kept, printed after the
 * query and destroyed by the caller.
 *
 * A query that a callback stopped leaves the rest of its replies unread in
 * the reference; every case therefore uses a handle of its own.
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

#define ENTRIES 40

/* What the callbacks do, set per case. */
static int calls;          /* objects seen */
static int verdict_at;     /* the call that returns `verdict` (1-based) */
static int verdict;        /* returned there; NFCT_CB_CONTINUE elsewhere */
static int steal;          /* return NFCT_CB_STOLEN and keep the object */
static int unregister_at;  /* unregister both versions at this call */
static struct nfct_handle *cur;
static struct nf_conntrack *stolen[ENTRIES];
static int nstolen;
static const char *last_who;
static const char *last_data;
static int seen_type = -1, seen_nltype = -1, seen_multi = -1;

static int decide(struct nf_conntrack *ct, enum nf_conntrack_msg_type type)
{
	calls++;
	seen_type = type;
	if (unregister_at && calls == unregister_at) {
		nfct_callback_unregister(cur);
		nfct_callback_unregister2(cur);
	}
	if (steal) {
		if (nstolen < ENTRIES)
			stolen[nstolen++] = ct;
		return NFCT_CB_STOLEN;
	}
	if (calls == verdict_at) {
		if (verdict == NFCT_CB_STOLEN && nstolen < ENTRIES)
			stolen[nstolen++] = ct;
		if (verdict == NFCT_CB_FAILURE)
			errno = EPERM;
		return verdict;
	}
	return NFCT_CB_CONTINUE;
}

static int cb1(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
	       void *data)
{
	last_who = "v1";
	last_data = data;
	return decide(ct, type);
}

static int cb2(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
	       struct nf_conntrack *ct, void *data)
{
	last_who = "v2";
	last_data = data;
	seen_nltype = nlh->nlmsg_type;
	seen_multi = !!(nlh->nlmsg_flags & NLM_F_MULTI);
	return decide(ct, type);
}

static void reset(void)
{
	calls = verdict_at = steal = unregister_at = 0;
	verdict = NFCT_CB_CONTINUE;
	last_who = last_data = NULL;
	seen_type = seen_nltype = seen_multi = -1;
}

static struct nf_conntrack *entry(int i)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, htonl(0x0a000001));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, htonl(0x0a000002));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_UDP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(10000 + i));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(53));
	nfct_set_attr_u32(ct, ATTR_MARK, i);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
	return ct;
}

static void report(const char *label, int ret, int err)
{
	printf("%s: ret=%d", label, ret);
	if (ret < 0)
		printf(" errno=%s", strerror(err));
	printf(" calls=%d", calls);
	if (last_who)
		printf(" by=%s data=%s", last_who, last_data ? last_data : "(null)");
	if (seen_type >= 0)
		printf(" type=%d", seen_type);
	if (seen_nltype >= 0)
		printf(" nlmsg_type=0x%x multi=%d", seen_nltype, seen_multi);
	printf("\n");
}

enum reg { V1 = 1, V2 = 2 };

/* Opens a handle, registers as asked, dumps, closes. */
static void dump_case(const char *label, int which, unsigned mask)
{
	uint32_t family = AF_INET;
	int ret, err;

	cur = nfct_open(CONNTRACK, 0);
	if (which & V1)
		nfct_callback_register(cur, mask, cb1, "one");
	if (which & V2)
		nfct_callback_register2(cur, mask, cb2, "two");
	errno = 0;
	ret = nfct_query(cur, NFCT_Q_DUMP, &family);
	err = errno;
	report(label, ret, err);
	nfct_close(cur);
	cur = NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the stolen objects (some of them) and destroys them. A dump's
 * order is the hash table's, which differs between namespaces: `detail`
 * only where the set is known. */
static void show_stolen(int detail)
{
	char *lines[ENTRIES];

	for (int i = 0; i < nstolen; i++) {
		char buf[512];
		nfct_attr_unset(stolen[i], ATTR_TIMEOUT);
		/* Referenced at a dump message's end on some kernels. */
		nfct_attr_unset(stolen[i], ATTR_USE);
		nfct_snprintf(buf, sizeof(buf), stolen[i], NFCT_T_UNKNOWN,
			      NFCT_O_DEFAULT, 0);
		lines[i] = strdup(buf);
		nfct_destroy(stolen[i]);
	}
	qsort(lines, nstolen, sizeof(lines[0]), cmp_str);
	printf("stolen: %d objects\n", nstolen);
	for (int i = 0; i < nstolen; i++) {
		if (detail && (i < 3 || i == nstolen - 1))
			printf("  %s\n", lines[i]);
		free(lines[i]);
	}
	nstolen = 0;
}

int main(void)
{
	struct nfct_handle *h;
	struct nf_conntrack *get;
	int ret, err;

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	h = nfct_open(CONNTRACK, 0);
	for (int i = 0; i < ENTRIES; i++) {
		struct nf_conntrack *ct = entry(i);
		if (nfct_query(h, NFCT_Q_CREATE, ct) != 0)
			printf("create %d failed: %s\n", i, strerror(errno));
		nfct_destroy(ct);
	}
	nfct_close(h);

	static const struct {
		const char *name;
		int verdict;
	} verdicts[] = {
		{ "CONTINUE", NFCT_CB_CONTINUE },
		{ "STOP", NFCT_CB_STOP },
		{ "FAILURE", NFCT_CB_FAILURE },
		{ "7", 7 },
		{ "-7", -7 },
		{ "STOLEN (5th only)", NFCT_CB_STOLEN },
	};
	for (int v = V1; v <= V2; v++) {
		for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
			char label[64];
			reset();
			verdict_at = 5;
			verdict = verdicts[i].verdict;
			snprintf(label, sizeof(label), "v%d %s at 5", v,
				 verdicts[i].name);
			dump_case(label, v, NFCT_T_ALL);
			if (nstolen)
				show_stolen(0);
		}
	}

	/* Now steal every object. */
	reset();
	steal = 1;
	dump_case("v1 steal all", V1, NFCT_T_ALL);
	show_stolen(1);
	reset();
	steal = 1;
	dump_case("v2 steal all", V2, NFCT_T_ALL);
	show_stolen(1);

	/* Type masks: a dump's objects are updates. */
	reset();
	dump_case("mask NEW", V1, NFCT_T_NEW);
	reset();
	dump_case("mask DESTROY", V2, NFCT_T_DESTROY);
	reset();
	dump_case("mask UPDATE", V1, NFCT_T_UPDATE);
	reset();
	dump_case("mask ERROR", V1, NFCT_T_ERROR);
	reset();
	dump_case("mask 0", V1, 0);
	reset();
	dump_case("mask NEW|UPDATE", V2, NFCT_T_NEW | NFCT_T_UPDATE);

	/* Both versions: the first wins, with the data of the last call. */
	reset();
	dump_case("v1 then v2", V1 | V2, NFCT_T_ALL);

	/* NULL callbacks: registered, but nothing to call: STOP. */
	{
		uint32_t family = AF_INET;

		reset();
		cur = nfct_open(CONNTRACK, 0);
		nfct_callback_register(cur, NFCT_T_ALL, NULL, NULL);
		errno = 0;
		ret = nfct_query(cur, NFCT_Q_DUMP, &family);
		report("v1 NULL", ret, errno);
		nfct_close(cur);

		reset();
		cur = nfct_open(CONNTRACK, 0);
		nfct_callback_register2(cur, NFCT_T_ALL, NULL, NULL);
		errno = 0;
		ret = nfct_query(cur, NFCT_Q_DUMP, &family);
		report("v2 NULL", ret, errno);
		nfct_close(cur);

		/* A NULL v1 next to a real v2: the v2 runs. */
		reset();
		cur = nfct_open(CONNTRACK, 0);
		nfct_callback_register2(cur, NFCT_T_ALL, cb2, "two");
		nfct_callback_register(cur, NFCT_T_ALL, NULL, "null-one");
		errno = 0;
		ret = nfct_query(cur, NFCT_Q_DUMP, &family);
		report("v2 + NULL v1", ret, errno);
		nfct_close(cur);

		/* Unregistering either version silences both until the next
		 * registration. */
		reset();
		cur = nfct_open(CONNTRACK, 0);
		nfct_callback_register(cur, NFCT_T_ALL, cb1, "one");
		nfct_callback_register2(cur, NFCT_T_ALL, cb2, "two");
		nfct_callback_unregister(cur);
		ret = nfct_query(cur, NFCT_Q_DUMP, &family);
		report("v1+v2, unregister v1", ret, errno);
		reset();
		nfct_callback_register2(cur, NFCT_T_ALL, cb2, "two again");
		ret = nfct_query(cur, NFCT_Q_DUMP, &family);
		report("then register v2", ret, errno);
		reset();
		nfct_callback_unregister2(cur);
		ret = nfct_query(cur, NFCT_Q_DUMP, &family);
		report("then unregister v2", ret, errno);
		reset();
		nfct_callback_register(cur, NFCT_T_ALL, cb1, "one again");
		ret = nfct_query(cur, NFCT_Q_DUMP, &family);
		report("then register v1", ret, errno);
		nfct_close(cur);

		/* Unregistering from inside the callback. */
		reset();
		unregister_at = 3;
		dump_case("unregister at 3 (v1)", V1, NFCT_T_ALL);
		reset();
		unregister_at = 3;
		dump_case("unregister at 3 (v2)", V2, NFCT_T_ALL);
	}

	/* Verdicts on the reply of a get (then its acknowledgement). */
	get = entry(7);
	{
		static const int vs[] = { NFCT_CB_CONTINUE, NFCT_CB_STOP,
					  NFCT_CB_FAILURE, -7, 9 };
		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
			char label[32];
			reset();
			verdict_at = 1;
			verdict = vs[i];
			cur = nfct_open(CONNTRACK, 0);
			nfct_callback_register2(cur, NFCT_T_ALL, cb2, "get");
			errno = 0;
			ret = nfct_query(cur, NFCT_Q_GET, get);
			err = errno;
			snprintf(label, sizeof(label), "get verdict %d", vs[i]);
			report(label, ret, err);
			nfct_close(cur);
		}
		reset();
		steal = 1;
		cur = nfct_open(CONNTRACK, 0);
		nfct_callback_register(cur, NFCT_T_ALL, cb1, "get");
		ret = nfct_query(cur, NFCT_Q_GET, get);
		report("get stolen", ret, errno);
		nfct_close(cur);
		show_stolen(1);
	}
	nfct_destroy(get);
	return 0;
}

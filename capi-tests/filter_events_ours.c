/* capi: ours-only */
/*
 * Event filters in the kernel, for the programs that differ from the
 * reference's on purpose (src/conntrack/filter/bpf.rs): lists whose jumps
 * exceed 255 instructions (127 IPv4 addresses, 127 marks, 255 protocols),
 * states of several protocols, and every attribute at its limit in one
 * program of more than 2048 instructions. The reference's programs for these
 * deliver the wrong events, so instead of comparing with it, each big filter
 * is checked against smaller filters whose programs are the reference's
 * layout (or are checked the same way):
 *
 * - a positive list delivers the union of what its halves deliver, a
 *   negative list the intersection;
 * - conditions on different attributes combine with AND: a filter delivers
 *   the intersection of what filters of one attribute each deliver.
 */
#define _GNU_SOURCE
#include "filter_events.h"
#include "common.h"

static const struct fe_entry entries[] = {
	{ AF_INET, "10.0.0.3", "10.0.0.50", IPPROTO_TCP, 1, 80, 3, 0x3f05, 5, 0, 0x3f05 },
	{ AF_INET, "10.0.0.100", "192.168.0.9", IPPROTO_TCP, 2, 80, 1, 0x4000, 100, 0, 0x4000 },
	{ AF_INET, "10.0.0.126", "10.0.0.126", IPPROTO_UDP, 3, 53, 0, 0x7e00, 127, 0, 0x7e00 },
	{ AF_INET, "10.0.0.127", "10.0.0.1", IPPROTO_UDP, 4, 53, 0, 0x7f00, 128, 0, 0x7f00 },
	{ AF_INET, "192.168.0.1", "10.0.0.70", IPPROTO_SCTP, 5, 9, 3, 0, 0, 0, 0 },
	{ AF_INET, "10.0.0.64", "10.0.0.64", IPPROTO_SCTP, 6, 9, 2, 0x10000, 0, 0, 0x10000 },
	{ AF_INET, "10.0.0.63", "10.0.0.127", IPPROTO_ICMP, 7, 0, 0, 0x100, 0, 0, 0x100 },
	{ AF_INET6, "fd00::5", "fd00::100", IPPROTO_TCP, 8, 80, 3, 0x4000, 100, 0, 0x4000 },
	{ AF_INET6, "fd00::13", "fd00::14", IPPROTO_UDP, 9, 53, 0, 0x7e00, 0, 0, 0x7e00 },
	{ AF_INET6, "fd00::20", "fd00::", IPPROTO_SCTP, 10, 9, 3, 0, 0, 0, 0 },
	{ AF_INET6, "2001:db8::1", "fd00::10", IPPROTO_ICMPV6, 11, 0, 0, 0x100, 7, 0, 0x100 },
	{ AF_INET, "10.0.0.1", "10.0.0.2", IPPROTO_TCP, 12, 80, 8, 0x5000, 64, 3, 0x7f00 },
	{ AF_INET, "10.0.0.2", "10.0.0.3", IPPROTO_SCTP, 13, 9, 2, 0, 0, 3, 0 },
	{ AF_INET6, "fd00::", "fd00::13", IPPROTO_TCP, 14, 22, 1, 0x7e00, 127, 7, 0x100 },
};
#define NENTRIES (sizeof(entries) / sizeof(entries[0]))

/* What to put in a filter: ranges of list entries, per attribute. */
struct spec {
	int protos[2];	/* protocols [from, to) */
	int src4[2], dst4[2], src6[2], dst6[2], marks[2], zones[2];
	int states;	/* bit 0: TCP 1,3,8; bit 1: SCTP 2,3; bit 2: DCCP 1 */
	unsigned negative; /* bit per attribute */
};

static void build(struct nfct_filter *f, const struct spec *s)
{
	for (int i = s->protos[0]; i < s->protos[1]; i++)
		nfct_filter_add_attr_u32(f, NFCT_FILTER_L4PROTO, i);
	for (int i = s->src4[0]; i < s->src4[1]; i++) {
		struct nfct_filter_ipv4 v = { 0x0a000000 + i, ~0u };
		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV4, &v);
	}
	for (int i = s->dst4[0]; i < s->dst4[1]; i++) {
		struct nfct_filter_ipv4 v = { 0x0a000000 + i, ~0u };
		nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV4, &v);
	}
	for (int i = s->src6[0]; i < s->src6[1]; i++) {
		struct nfct_filter_ipv6 v = { { 0xfd000000, 0, 0, i }, { ~0u, ~0u, ~0u, ~0u } };
		nfct_filter_add_attr(f, NFCT_FILTER_SRC_IPV6, &v);
	}
	for (int i = s->dst6[0]; i < s->dst6[1]; i++) {
		struct nfct_filter_ipv6 v = { { 0xfd000000, 0, 0, i }, { ~0u, ~0u, ~0u, ~0u } };
		nfct_filter_add_attr(f, NFCT_FILTER_DST_IPV6, &v);
	}
	for (int i = s->marks[0]; i < s->marks[1]; i++) {
		struct nfct_filter_dump_mark m = { (uint32_t)i << 8, 0xff00 };
		nfct_filter_add_attr(f, NFCT_FILTER_MARK, &m);
	}
	for (int i = s->zones[0]; i < s->zones[1]; i++) {
		uint16_t z = i + 1;
		nfct_filter_add_attr(f, NFCT_FILTER_ZONE, &z);
	}
	static const struct nfct_filter_proto st[] = {
		{ IPPROTO_TCP, 1 }, { IPPROTO_TCP, 3 }, { IPPROTO_TCP, 8 },
		{ IPPROTO_SCTP, 2 }, { IPPROTO_SCTP, 3 }, { IPPROTO_DCCP, 1 },
	};
	for (unsigned i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		int group = st[i].proto == IPPROTO_TCP ? 0 : st[i].proto == IPPROTO_SCTP ? 1 : 2;
		if (s->states & (1 << group))
			nfct_filter_add_attr(f, NFCT_FILTER_L4PROTO_STATE, &st[i]);
	}
	for (int a = 0; a < NFCT_FILTER_MAX; a++)
		if (s->negative & (1u << a))
			CHECK(nfct_filter_set_logic(f, (enum nfct_filter_attr)a,
						    NFCT_FILTER_LOGIC_NEGATIVE) == 0);
}

/* The events one listener got. */
#define MAX_EVENTS 128
struct got {
	int n;
	char line[MAX_EVENTS][160];
};

static void record(const char *text, void *arg)
{
	struct got *g = arg;
	CHECK(g->n < MAX_EVENTS);
	snprintf(g->line[g->n++], sizeof(g->line[0]), "%s", text);
}

static int has(const struct got *g, const char *line)
{
	for (int i = 0; i < g->n; i++)
		if (strcmp(g->line[i], line) == 0)
			return 1;
	return 0;
}

/* Checks that `g` is the union (or intersection) of `parts`, over the
 * events `all` delivered without a filter, and is neither empty nor all. */
static void check_combination(const char *name, const struct got *all,
			      const struct got *g, const struct got *const *parts,
			      int nparts, int is_union)
{
	for (int i = 0; i < all->n; i++) {
		int want = !is_union;
		for (int p = 0; p < nparts; p++)
			want = is_union ? want || has(parts[p], all->line[i])
					: want && has(parts[p], all->line[i]);
		if (want != has(g, all->line[i])) {
			fprintf(stderr, "%s: %s %s\n", name, want ? "missing" : "unexpected",
				all->line[i]);
			exit(1);
		}
	}
	CHECK(g->n > 0 && g->n < all->n);
	printf("%s: %d of %d events, %s of %d filters\n", name, g->n, all->n,
	       is_union ? "union" : "intersection", nparts);
}

enum { EMPTY, NCHECK_MAX = 64 };
static struct spec specs[NCHECK_MAX];
static struct got got[NCHECK_MAX];
static int nspecs;

static int add(struct spec s)
{
	CHECK(nspecs < NCHECK_MAX);
	specs[nspecs] = s;
	return nspecs++;
}

#define NEG(a) (1u << (a))

/* A list filter (`whole`) and the filters of its two halves. */
struct list_check {
	const char *name;
	int whole, half1, half2;
};

int main(void)
{
	static struct list_check lists[8];
	int nlists = 0;
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	private_netns();
	events_sysctl();

	add((struct spec){ 0 }); /* EMPTY: every event */

#define LIST(label, field, attr, from, to, split)                                      \
	do {                                                                          \
		struct spec w = { 0 }, h1 = { 0 }, h2 = { 0 };                        \
		w.field[0] = h1.field[0] = (from);                                    \
		w.field[1] = h2.field[1] = (to);                                      \
		h1.field[1] = h2.field[0] = (split);                                  \
		lists[nlists++] = (struct list_check){ label, add(w), add(h1),        \
						       add(h2) };                     \
		w.negative = h1.negative = h2.negative = NEG(attr);                   \
		lists[nlists++] = (struct list_check){ label " negative", add(w),     \
						       add(h1), add(h2) };            \
	} while (0)

	LIST("src ipv4 x127", src4, NFCT_FILTER_SRC_IPV4, 0, 127, 64);
	LIST("mark x127", marks, NFCT_FILTER_MARK, 0, 127, 64);
	/* protocols 2 to 256: ICMP (1) is out */
	LIST("l4proto x255", protos, NFCT_FILTER_L4PROTO, 2, 257, 129);
	LIST("zone x127", zones, NFCT_FILTER_ZONE, 0, 127, 64);

	/* states of several protocols: AND of one protocol each */
	int st[2][4];
	for (int n = 0; n < 2; n++) {
		unsigned neg = n ? NEG(NFCT_FILTER_L4PROTO_STATE) : 0;
		st[n][0] = add((struct spec){ .states = 7, .negative = neg });
		st[n][1] = add((struct spec){ .states = 1, .negative = neg });
		st[n][2] = add((struct spec){ .states = 2, .negative = neg });
		st[n][3] = add((struct spec){ .states = 4, .negative = neg });
	}

	/* every attribute at its limit, every other one negative: AND of each */
	unsigned neg = NEG(NFCT_FILTER_L4PROTO_STATE) | NEG(NFCT_FILTER_DST_IPV4) |
		       NEG(NFCT_FILTER_DST_IPV6) | NEG(NFCT_FILTER_ZONE);
	struct spec full = {
		.protos = { 2, 257 }, .src4 = { 0, 127 }, .dst4 = { 0, 127 },
		.src6 = { 0, 20 }, .dst6 = { 0, 20 }, .marks = { 0, 127 },
		.zones = { 0, 127 }, .states = 7, .negative = neg,
	};
	int whole = add(full);
	int parts[8];
	int np = 0;
	parts[np++] = add((struct spec){ .protos = { 2, 257 }, .negative = neg });
	parts[np++] = add((struct spec){ .src4 = { 0, 127 }, .negative = neg });
	parts[np++] = add((struct spec){ .dst4 = { 0, 127 }, .negative = neg });
	parts[np++] = add((struct spec){ .src6 = { 0, 20 }, .negative = neg });
	parts[np++] = add((struct spec){ .dst6 = { 0, 20 }, .negative = neg });
	parts[np++] = add((struct spec){ .marks = { 0, 127 }, .negative = neg });
	parts[np++] = add((struct spec){ .zones = { 0, 127 }, .negative = neg });
	parts[np++] = add((struct spec){ .states = 7, .negative = neg });

	int fds[NCHECK_MAX];
	for (int i = 0; i < nspecs; i++) {
		struct nfct_filter *f = nfct_filter_create();
		CHECK(f);
		build(f, &specs[i]);
		fds[i] = fe_listener(f);
		nfct_filter_destroy(f);
	}
	fe_generate(entries, NENTRIES);
	for (int i = 0; i < nspecs; i++) {
		fe_drain(fds[i], record, &got[i]);
		close(fds[i]);
	}
	CHECK(got[EMPTY].n > (int)NENTRIES * 2);

	for (int i = 0; i < nlists; i++) {
		const struct got *p[2] = { &got[lists[i].half1], &got[lists[i].half2] };
		int negative = strstr(lists[i].name, "negative") != NULL;
		check_combination(lists[i].name, &got[EMPTY], &got[lists[i].whole], p, 2,
				  !negative);
	}
	for (int n = 0; n < 2; n++) {
		const struct got *p[3] = { &got[st[n][1]], &got[st[n][2]], &got[st[n][3]] };
		check_combination(n ? "states tcp+sctp+dccp negative" : "states tcp+sctp+dccp",
				  &got[EMPTY], &got[st[n][0]], p, 3, 0);
	}
	const struct got *p[8];
	for (int i = 0; i < np; i++)
		p[i] = &got[parts[i]];
	check_combination("every attribute at its limit", &got[EMPTY], &got[whole], p, np, 0);
	return 0;
}

/* capi: min-ref 1.1 */
/*
 * Queries on handles that do not serve the subsystem of the replies: a
 * handle opened for a subsystem id that names neither (3, 16, 255) or for
 * EXPECT, doing conntrack queries. Replies of a subsystem the handle does
 * not serve are refused with ENOENT; requests answered by an
 * acknowledgement alone succeed; a dump of an empty table succeeds.
 *
 * Each query runs on a handle of its own: the reference leaves the rest of
 * a refused reply (e.g. the acknowledgement after a get) in the socket,
 * where the next query on that handle would read it. 1.0.9 asserts on
 * conntrack queries through a handle without the conntrack subsystem,
 * hence min-ref 1.1.
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
#include "objects.h"

static void one(uint8_t subsys, const char *what, int q, const void *data)
{
	struct nfct_handle *h = nfct_open(subsys, 0);
	char label[96];

	snprintf(label, sizeof(label), "subsys %u: %s", subsys, what);
	SHOW_RET(label, nfct_query(h, q, data));
	nfct_close(h);
}

int main(void)
{
	static const uint8_t ids[] = { 3, 16, 255, EXPECT };
	uint32_t family = AF_UNSPEC;
	struct nf_conntrack *e[8];

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	for (int i = 0; i < 8; i++)
		e[i] = capi_udp_entry(1000 + i);

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		uint8_t id = ids[i];
		one(id, "dump of an empty table", NFCT_Q_DUMP, &family);
		one(id, "create", NFCT_Q_CREATE, e[2 * i]);
		one(id, "create again", NFCT_Q_CREATE, e[2 * i]);
		one(id, "create-update", NFCT_Q_CREATE_UPDATE, e[2 * i + 1]);
		one(id, "get", NFCT_Q_GET, e[2 * i]);
		one(id, "dump", NFCT_Q_DUMP, &family);
		one(id, "update", NFCT_Q_UPDATE, e[2 * i]);
		one(id, "destroy", NFCT_Q_DESTROY, e[2 * i + 1]);
		one(id, "destroy again", NFCT_Q_DESTROY, e[2 * i + 1]);
		one(id, "flush", NFCT_Q_FLUSH, &family);
	}
	for (int i = 0; i < 8; i++)
		nfct_destroy(e[i]);
	return 0;
}

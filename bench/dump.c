/*
 * conntrack -L the way conntrack up to 1.4.5 did it, through the library's
 * own netlink engine: nfct_open + nfct_callback_register + nfct_query
 * (NFCT_Q_DUMP), each entry printed with nfct_snprintf into a buffer and
 * written with printf. (conntrack 1.4.6 and later dump with libmnl and only
 * call nfct_new/nfct_nlmsg_parse/nfct_snprintf_labels/nfct_destroy; this
 * client is how bench/run measures nfct_query and the receive loop.)
 *
 *   cc -O2 -o dump bench/dump.c -lnetfilter_conntrack
 *   LD_LIBRARY_PATH=DIR ./dump [plain|xml|ext]
 *
 * Prints the entries on stdout and "N flow entries have been shown." on
 * stderr, like conntrack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

static unsigned int out_type = NFCT_O_DEFAULT, out_flags;
static unsigned long counter;

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	char buf[1024];

	(void)type;
	(void)data;
	nfct_snprintf(buf, sizeof(buf), ct, NFCT_T_UNKNOWN, out_type, out_flags);
	printf("%s\n", buf);
	counter++;
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "plain";
	uint32_t family = AF_UNSPEC;
	struct nfct_handle *h;
	int ret;

	if (strcmp(mode, "xml") == 0)
		out_type = NFCT_O_XML;
	else if (strcmp(mode, "ext") == 0)
		out_flags = NFCT_OF_SHOW_LAYER3;
	h = nfct_open(CONNTRACK, 0);
	if (!h) {
		perror("nfct_open");
		return 1;
	}
	nfct_callback_register(h, NFCT_T_ALL, cb, NULL);
	ret = nfct_query(h, NFCT_Q_DUMP, &family);
	if (ret == -1) {
		fprintf(stderr, "nfct_query: %s\n", strerror(errno));
		return 1;
	}
	nfct_close(h);
	fflush(stdout);
	fprintf(stderr, "dump: %lu flow entries have been shown.\n", counter);
	return 0;
}

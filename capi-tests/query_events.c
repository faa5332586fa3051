/*
 * nfct_send() + nfct_catch(), and events, against the kernel:
 *
 * - nfct_send() returns the bytes sent; nfct_catch() then processes the
 *   replies of a dump, a get, a failing create;
 * - an event handle (NFCT_ALL_CT_GROUPS, non-blocking) sees NEW, UPDATE and
 *   DESTROY events in order, with the sender's port id in nlmsg_pid (that
 *   of nfnl_portid(nfct_nfnlh(h))), and ends with EAGAIN;
 * - a type mask on events, a callback stopping nfct_catch() (the next call
 *   goes on with the next event);
 * - a receive buffer too small for the events: ENOBUFS, then the events
 *   that fitted.
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), as root).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libnfnetlink/libnfnetlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include "common.h"

static int calls, stop_at, from_cmd, from_other;
static uint32_t cmd_portid;
static int quiet;

static int on_event(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
		    struct nf_conntrack *ct, void *data)
{
	char buf[512];

	(void)data;
	calls++;
	if (nlh->nlmsg_pid == cmd_portid)
		from_cmd++;
	else
		from_other++;
	nfct_attr_unset(ct, ATTR_TIMEOUT);
	nfct_attr_unset(ct, ATTR_ID);
	nfct_snprintf(buf, sizeof(buf), ct, type, NFCT_O_DEFAULT, 0);
	if (!quiet)
		printf("  event %d: %s\n", calls, buf);
	return calls == stop_at ? NFCT_CB_STOP : NFCT_CB_CONTINUE;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *lines[64];
static int nlines;

static int on_reply(enum nf_conntrack_msg_type type, struct nf_conntrack *ct,
		    void *data)
{
	char buf[512];

	(void)data;
	nfct_attr_unset(ct, ATTR_TIMEOUT);
	nfct_snprintf(buf, sizeof(buf), ct, type, NFCT_O_DEFAULT, 0);
	if (nlines < 64)
		lines[nlines++] = strdup(buf);
	return NFCT_CB_CONTINUE;
}

static void show(const char *title)
{
	qsort(lines, nlines, sizeof(lines[0]), cmp_str);
	printf("%s: %d objects\n", title, nlines);
	for (int i = 0; i < nlines; i++) {
		printf("  %s\n", lines[i]);
		free(lines[i]);
	}
	nlines = 0;
}

static struct nf_conntrack *entry(int i)
{
	struct nf_conntrack *ct = nfct_new();

	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, htonl(0x0a000001));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, htonl(0x0a000002));
	nfct_set_attr_u8(ct, ATTR_L4PROTO, IPPROTO_TCP);
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(20000 + i));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(80));
	nfct_set_attr_u8(ct, ATTR_TCP_STATE, 3);
	nfct_setobjopt(ct, NFCT_SOPT_SETUP_REPLY);
	nfct_set_attr_u32(ct, ATTR_TIMEOUT, 600);
	return ct;
}

static void sysctl(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(value, f) < 0 || fclose(f) != 0)
		printf("sysctl %s failed\n", path);
}

static void catch_show(const char *label, struct nfct_handle *h)
{
	int ret, err;

	errno = 0;
	ret = nfct_catch(h);
	err = errno;
	printf("%s: ret=%d", label, ret);
	if (ret < 0)
		printf(" errno=%s", strerror(err));
	printf(" calls=%d from-cmd=%d from-other=%d\n", calls, from_cmd, from_other);
	calls = from_cmd = from_other = 0;
}

int main(void)
{
	struct nfct_handle *cmd, *ev, *small;
	struct nf_conntrack *ct[8];

	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	sysctl("/proc/sys/net/netfilter/nf_conntrack_events", "1");

	cmd = nfct_open(CONNTRACK, 0);
	ev = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	if (!cmd || !ev) {
		perror("nfct_open");
		return 1;
	}
	cmd_portid = nfnl_portid(nfct_nfnlh(cmd));
	printf("distinct port ids: %d\n",
	       nfnl_portid(nfct_nfnlh(cmd)) != nfnl_portid(nfct_nfnlh(ev)));
	fcntl(nfct_fd(ev), F_SETFL, O_NONBLOCK);
	nfct_callback_register2(ev, NFCT_T_ALL, on_event, NULL);

	/* Nothing yet. */
	catch_show("catch on quiet socket", ev);

	/* Events: three creates, an update, a destroy. */
	for (int i = 0; i < 8; i++)
		ct[i] = entry(i);
	for (int i = 0; i < 3; i++)
		SHOW_RET("create", nfct_query(cmd, NFCT_Q_CREATE, ct[i]));
	nfct_set_attr_u32(ct[0], ATTR_MARK, 42);
	SHOW_RET("update", nfct_query(cmd, NFCT_Q_UPDATE, ct[0]));
	SHOW_RET("destroy", nfct_query(cmd, NFCT_Q_DESTROY, ct[1]));
	catch_show("catch events", ev);

	/* A callback stopping nfct_catch(): the next call goes on. */
	for (int i = 3; i < 6; i++)
		nfct_query(cmd, NFCT_Q_CREATE, ct[i]);
	stop_at = 2;
	catch_show("catch, STOP at 2", ev);
	stop_at = 0;
	catch_show("catch again", ev);

	/* Only NEW events. */
	nfct_callback_register2(ev, NFCT_T_NEW, on_event, NULL);
	nfct_query(cmd, NFCT_Q_CREATE, ct[6]);
	nfct_query(cmd, NFCT_Q_DESTROY, ct[6]);
	nfct_query(cmd, NFCT_Q_DESTROY, ct[5]);
	catch_show("catch, mask NEW", ev);
	nfct_callback_register2(ev, NFCT_T_DESTROY | NFCT_T_UPDATE, on_event, NULL);
	nfct_query(cmd, NFCT_Q_CREATE, ct[6]);
	nfct_query(cmd, NFCT_Q_DESTROY, ct[6]);
	catch_show("catch, mask DESTROY|UPDATE", ev);

	/* nfct_send() + nfct_catch(). */
	{
		uint32_t family = AF_INET;
		struct nfct_handle *h = nfct_open(CONNTRACK, 0);

		nfct_callback_register(h, NFCT_T_ALL, on_reply, NULL);
		SHOW_RET("send dump", nfct_send(h, NFCT_Q_DUMP, &family));
		SHOW_RET("catch dump", nfct_catch(h));
		show("dump");
		SHOW_RET("send get", nfct_send(h, NFCT_Q_GET, ct[2]));
		SHOW_RET("catch get", nfct_catch(h));
		show("get");
		SHOW_RET("send create existing", nfct_send(h, NFCT_Q_CREATE, ct[2]));
		SHOW_RET("catch create existing", nfct_catch(h));
		SHOW_RET("send destroy", nfct_send(h, NFCT_Q_DESTROY, ct[2]));
		SHOW_RET("catch destroy", nfct_catch(h));
		SHOW_RET("send get missing", nfct_send(h, NFCT_Q_GET, ct[2]));
		SHOW_RET("catch get missing", nfct_catch(h));
		SHOW_RET("send flush", nfct_send(h, NFCT_Q_FLUSH, &family));
		SHOW_RET("catch flush", nfct_catch(h));
		nfct_close(h);
	}
	quiet = 1;
	catch_show("catch the destroy events of the flush", ev);
	quiet = 0;

	/* Lost events: a receive buffer far too small. */
	small = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	fcntl(nfct_fd(small), F_SETFL, O_NONBLOCK);
	nfnl_rcvbufsiz(nfct_nfnlh(small), 1);
	nfct_callback_register2(small, NFCT_T_ALL, on_event, NULL);
	for (int i = 0; i < 60; i++) {
		struct nf_conntrack *c = entry(100 + i);
		nfct_query(cmd, NFCT_Q_CREATE, c);
		nfct_destroy(c);
	}
	quiet = 1;
	catch_show("catch after overrun", small);
	{
		int ret, total = 0;
		do {
			ret = nfct_catch(small);
			total += calls;
			calls = from_cmd = from_other = 0;
		} while (ret >= 0);
		printf("then: ret=%d errno=%s, some events: %d\n", ret,
		       strerror(errno), total > 0);
	}
	quiet = 0;

	for (int i = 0; i < 8; i++)
		nfct_destroy(ct[i]);
	SHOW_RET("close small", nfct_close(small));
	SHOW_RET("close ev", nfct_close(ev));
	SHOW_RET("close cmd", nfct_close(cmd));
	return 0;
}

/*
 * Event listener for tests/events/run, built against our header and run with
 * each library (LD_LIBRARY_PATH): nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS),
 * a fixed receive buffer through libnfnetlink's nfnl_rcvbufsiz(nfct_nfnlh(h))
 * (as conntrackd sets it), a callback counting NEW, UPDATE and DESTROY
 * events, and nfct_catch() in a loop.
 *
 *   listener RCVBUF READY DONE [stall | slow]
 *
 * Creates the file READY once subscribed. nfct_catch() returning -1 with
 * ENOBUFS (the kernel dropped events) is counted and the loop goes on. The
 * socket has a 100 ms receive timeout: when nfct_catch() returns -1 with
 * EAGAIN and the file DONE exists (the generator has finished, so every
 * event is already queued), the listener prints its counts and exits.
 * With "stall", it reads nothing until DONE exists (the kernel queue alone
 * decides what is kept). With "slow", the callback spends 50 us on each
 * event, several times what the generator takes to make one, so the queue
 * overruns while the listener reads, whatever the library's speed.
 *
 * The listener dies with its parent, and gives up (exit 3) after 300 s.
 *
 * Output, one line:
 *   lib PATH rcvbuf B new N update N destroy N enobufs N
 *   before_first_enobufs N other N user_us N sys_us N
 * lib: the file nfct_open() was loaded from; before_first_enobufs: events
 * counted when nfct_catch() first failed with ENOBUFS, -1 if it never did;
 * other: nfct_catch() returns other than -1/ENOBUFS and -1/EAGAIN (should
 * not happen); user_us, sys_us: the listener's CPU time.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libnfnetlink/libnfnetlink.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

struct counts {
	unsigned long new, update, destroy;
	int slow;
};

/* Spins for `us` microseconds. */
static void spin(long us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000 + (t.tv_nsec - t0.tv_nsec) / 1000 < us);
}

static int cb(enum nf_conntrack_msg_type type, struct nf_conntrack *ct, void *data)
{
	struct counts *c = data;

	(void)ct;
	if (c->slow)
		spin(50);
	switch (type) {
	case NFCT_T_NEW:
		c->new++;
		break;
	case NFCT_T_UPDATE:
		c->update++;
		break;
	case NFCT_T_DESTROY:
		c->destroy++;
		break;
	default:
		break;
	}
	return NFCT_CB_CONTINUE;
}

int main(int argc, char **argv)
{
	struct counts c = { 0, 0, 0, 0 };
	struct timeval tv = { .tv_sec = 0, .tv_usec = 100000 };
	struct rusage ru;
	unsigned long enobufs = 0, other = 0;
	long before = -1;
	unsigned int got;
	struct nfct_handle *h;
	int stall, fd;
	time_t deadline;
	Dl_info dl;

	if (argc < 4 || argc > 5 ||
	    (argc == 5 && strcmp(argv[4], "stall") != 0 && strcmp(argv[4], "slow") != 0)) {
		fprintf(stderr, "usage: listener RCVBUF READY DONE [stall | slow]\n");
		return 2;
	}
	stall = argc == 5 && strcmp(argv[4], "stall") == 0;
	c.slow = argc == 5 && strcmp(argv[4], "slow") == 0;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		return 3;
	if (!dladdr((void *)nfct_open, &dl) || dl.dli_fname == NULL) {
		fprintf(stderr, "listener: dladdr failed\n");
		return 2;
	}
	deadline = time(NULL) + 300;
	h = nfct_open(CONNTRACK, NFCT_ALL_CT_GROUPS);
	if (h == NULL) {
		perror("listener: nfct_open");
		return 2;
	}
	got = nfnl_rcvbufsiz(nfct_nfnlh(h), (unsigned int)strtoul(argv[1], NULL, 10));
	if (setsockopt(nfct_fd(h), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("listener: SO_RCVTIMEO");
		return 2;
	}
	if (nfct_callback_register(h, NFCT_T_ALL, cb, &c) < 0) {
		perror("listener: nfct_callback_register");
		return 2;
	}
	fd = open(argv[2], O_CREAT | O_WRONLY, 0644);
	if (fd < 0) {
		perror("listener: READY");
		return 2;
	}
	close(fd);
	if (stall)
		while (access(argv[3], F_OK) != 0) {
			if (time(NULL) > deadline)
				return 3;
			usleep(10000);
		}

	for (;;) {
		int r = nfct_catch(h);
		int e = errno;

		if (time(NULL) > deadline) {
			fprintf(stderr, "listener: gave up after 300 s\n");
			return 3;
		}
		if (r == -1 && e == ENOBUFS) {
			if (enobufs++ == 0)
				before = (long)(c.new + c.update + c.destroy);
			continue;
		}
		if (r == -1 && (e == EAGAIN || e == EWOULDBLOCK)) {
			if (access(argv[3], F_OK) == 0)
				break;
			continue;
		}
		if (r == -1 && e == EINTR)
			continue;
		if (other++ == 0)
			fprintf(stderr, "listener: nfct_catch returned %d (%s)\n", r,
				r == -1 ? strerror(e) : "no error");
		if (other > 1000)
			break;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("lib %s rcvbuf %u new %lu update %lu destroy %lu enobufs %lu before_first_enobufs %ld "
	       "other %lu user_us %ld sys_us %ld\n",
	       dl.dli_fname, got, c.new, c.update, c.destroy, enobufs, before, other,
	       (long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
	       (long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
	nfct_close(h);
	return 0;
}

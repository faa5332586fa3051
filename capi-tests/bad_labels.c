/* capi: ours-only */
/*
 * Bad input to the label map functions. The reference crashes on a NULL map
 * given to get_name or destroy and on a NULL name given to get_bit; we
 * answer EINVAL. Files that cannot be maps give NULL with the reference's
 * errno: the open() error, or 0 when the file holds no label (a directory,
 * /dev/null, an empty file).
 *
 * Data files: $CAPI_DATA/labels/ (the runner sets CAPI_DATA to
 * capi-tests/data); a first argument, when given, replaces $CAPI_DATA.
 */
#define _GNU_SOURCE /* mkdtemp, fork, setuid */
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "common.h"

static const char *data_dir;

static const char *data_path(const char *file)
{
	static char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s/labels/%s", data_dir, file);
	return buf;
}

/* nfct_labelmap_new(path) must fail with errno `want`. */
static void check_new_fails(const char *path, int want)
{
	struct nfct_labelmap *m;

	errno = 12345;
	m = nfct_labelmap_new(path);
	if (m || errno != want)
		fprintf(stderr, "%s: map=%p errno=%d (%s), want %d\n", path,
			(void *)m, errno, strerror(errno), want);
	CHECK(m == NULL);
	CHECK(errno == want);
}

/* A file that exists but that "nobody" may not read. */
static void check_unreadable(void)
{
	char dir[] = "/tmp/capi-bad-labels-XXXXXX", path[PATH_MAX];
	FILE *f;
	pid_t pid;
	int status;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/secret.conf", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs("1 one\n", f);
	fclose(f);
	CHECK(chmod(path, 0) == 0);
	CHECK(chmod(dir, 0755) == 0);

	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		check_new_fails(path, EACCES);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	unlink(path);
	rmdir(dir);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(int argc, char **argv)
{
	struct nfct_labelmap *m;
	char path[PATH_MAX];

	data_dir = argc > 1 ? argv[1] : getenv("CAPI_DATA");
	if (!data_dir) {
		fprintf(stderr, "set CAPI_DATA to capi-tests/data\n");
		return 2;
	}

	/* NULL map */
	errno = 0;
	CHECK(nfct_labelmap_get_name(NULL, 0) == NULL);
	CHECK(errno == EINVAL);
	errno = 0;
	CHECK(nfct_labelmap_get_name(NULL, UINT_MAX) == NULL);
	CHECK(errno == EINVAL);
	/* get_bit on no map is defined by the reference: -1, errno untouched */
	errno = 0;
	CHECK(nfct_labelmap_get_bit(NULL, "one") == -1);
	CHECK(errno == 0);
	errno = 0;
	CHECK(nfct_labelmap_get_bit(NULL, NULL) == -1);
	CHECK(errno == 0);
	errno = 0;
	nfct_labelmap_destroy(NULL);
	CHECK(errno == EINVAL);

	/* NULL name */
	m = nfct_labelmap_new(data_path("basic.conf"));
	CHECK(m != NULL);
	errno = 0;
	CHECK(nfct_labelmap_get_bit(m, NULL) == -1);
	CHECK(errno == EINVAL);
	/* the map still works */
	CHECK(nfct_labelmap_get_bit(m, "eth0-out") == 1);
	CHECK(strcmp(nfct_labelmap_get_name(m, 0), "eth0-in") == 0);
	nfct_labelmap_destroy(m);

	/* files that cannot be opened */
	check_new_fails(data_path("does-not-exist.conf"), ENOENT);
	check_new_fails(data_path("basic.conf/x"), ENOTDIR);
	check_new_fails("", ENOENT);
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = 0;
	check_new_fails(path, ENAMETOOLONG);
	check_unreadable();

	/* files that open but hold no label: errno 0, as in the reference */
	check_new_fails(data_path(""), 0);
	check_new_fails(data_path("."), 0);
	check_new_fails("/", 0);
	check_new_fails("/dev/null", 0);
	check_new_fails(data_path("empty.conf"), 0);
	check_new_fails(data_path("nothing-valid.conf"), 0);

	/* the default file: NULL with a reason, or a map */
	errno = 12345;
	m = nfct_labelmap_new(NULL);
	if (m)
		nfct_labelmap_destroy(m);
	else
		CHECK(errno != 12345);

	printf("ok\n");
	return 0;
}

/*
 * Label maps: nfct_labels_get_path, nfct_labelmap_new, nfct_labelmap_get_name,
 * nfct_labelmap_get_bit and nfct_labelmap_destroy, on map files that cover
 * every parsing rule (see data/labels/README), and the errors of opening
 * missing, unreadable and unsuitable files.
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

/* Prints a name; long ones by length and both ends. */
static void print_name(const char *name)
{
	size_t len = strlen(name);
	if (len <= 48)
		printf("\"%s\"", name);
	else
		printf("len=%zu \"%.16s...%s\"", len, name, name + len - 16);
}

/* Prints nfct_labelmap_new()'s result; returns the map. */
static struct nfct_labelmap *open_map(const char *label, const char *path)
{
	struct nfct_labelmap *m;

	errno = 0;
	m = nfct_labelmap_new(path);
	if (m)
		printf("%s: map\n", label);
	else
		printf("%s: NULL errno=%s\n", label, strerror(errno));
	return m;
}

/*
 * Prints get_name for bits 0..127 and some past them, folding runs of
 * consecutive bits that have no name ("" or NULL) into one line.
 */
static void show_names(struct nfct_labelmap *m)
{
	static const unsigned int extra[] = {
		128, 200, 254, 255, 256, 511, 512, 999, 1000, 1001,
		1022, 1023, 1024, 1025, 2048, 4096, 65535, 65536,
		INT_MAX, (unsigned int)INT_MAX + 1, UINT_MAX - 1, UINT_MAX,
	};
	unsigned int bits[128 + sizeof(extra) / sizeof(extra[0])];
	size_t n = 0, i, j;

	for (i = 0; i < 128; i++)
		bits[n++] = i;
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		bits[n++] = extra[i];

	for (i = 0; i < n; i = j) {
		const char *name = nfct_labelmap_get_name(m, bits[i]);
		const char *kind = name ? (*name ? NULL : "\"\"") : "NULL";

		j = i + 1;
		if (kind) {
			while (j < n && bits[j] == bits[j - 1] + 1) {
				const char *next = nfct_labelmap_get_name(m, bits[j]);
				const char *k = next ? (*next ? NULL : "\"\"") : "NULL";
				if (!k || strcmp(k, kind) != 0)
					break;
				j++;
			}
			if (j - i > 1)
				printf("  name(%u..%u) = %s\n", bits[i], bits[j - 1], kind);
			else
				printf("  name(%u) = %s\n", bits[i], kind);
		} else {
			printf("  name(%u) = ", bits[i]);
			print_name(name);
			printf("\n");
		}
	}
}

/* Every named bit below 4096 must map back to itself through get_bit. */
static void check_roundtrip(struct nfct_labelmap *m)
{
	unsigned int bit, named = 0;

	for (bit = 0; bit < 4096; bit++) {
		const char *name = nfct_labelmap_get_name(m, bit);
		int back;

		if (!name || !*name)
			continue;
		named++;
		back = nfct_labelmap_get_bit(m, name);
		if (back != (int)bit) {
			printf("  roundtrip: bit %u -> ", bit);
			print_name(name);
			printf(" -> %d\n", back);
		}
	}
	printf("  named bits: %u\n", named);
}

/* Looks a name up; control and non-ASCII bytes print as \xNN. */
static void probe_bit(struct nfct_labelmap *m, const char *name)
{
	char label[256];
	size_t n = 0;
	const unsigned char *p;

	n += snprintf(label + n, sizeof(label) - n, "  bit(\"");
	for (p = (const unsigned char *)name; *p && n < 200; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			n += snprintf(label + n, sizeof(label) - n, "\\x%02x", *p);
		else
			label[n++] = *p;
	}
	snprintf(label + n, sizeof(label) - n, "\")");
	SHOW_RET(label, nfct_labelmap_get_bit(m, name));
}

/* Loads a data file, dumps it, looks up `probes` (NULL-terminated). */
static void check_file(const char *file, const char *const *probes)
{
	struct nfct_labelmap *m = open_map(file, data_path(file));

	if (!m)
		return;
	show_names(m);
	check_roundtrip(m);
	for (; probes && *probes; probes++)
		probe_bit(m, *probes);
	nfct_labelmap_destroy(m);
}

/* Opens an unreadable copy of a map, as an unprivileged user. */
static void check_unreadable(void)
{
	char dir[] = "/tmp/capi-labels-XXXXXX", path[PATH_MAX];
	FILE *f;
	pid_t pid;
	int status;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/unreadable.conf", dir);
	f = fopen(path, "w");
	if (!f) {
		perror("fopen");
		exit(2);
	}
	fputs("1 one\n", f);
	fclose(f);
	chmod(path, 0);
	chmod(dir, 0755);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct nfct_labelmap *m;

		/* root reads anything: drop to "nobody" first */
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(3);
		m = open_map("unreadable file", path);
		if (m)
			nfct_labelmap_destroy(m);
		fflush(stdout);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		printf("unreadable file: child failed\n");
	unlink(path);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	static const char *const basic_probes[] = {
		"eth0-in", "eth0-out", "ppp-in", "bulk-traffic", "interactive",
		"Customer 42", "last-kernel-bit",
		"", " ", "eth0", "eth0-in ", " eth0-in", "ETH0-IN", "Customer",
		"customer 42", "missing", "bit", "0", "10", NULL,
	};
	static const char *const syntax_probes[] = {
		"leading-spaces", "leading-tab", "leading-vt-ff-cr",
		"trailing-spaces", "crlf", "name-glued", "plus-sign",
		"hex", "upper-hex", "octal", "9 octal-stops", "octal-stops",
		"x hex-without-digits", "hex-without-digits",
		"g hex-then-letter", "hex-then-letter", "octal-max",
		"spaces inside   a name",
		"spaces inside a name", "last-line-without-newline",
		"commented-out", "crlf\r", "trailing-spaces   ", "", NULL,
	};
	static const char *const invalid_probes[] = {
		"semi;colon", "tab\tinside", "under_score", "dot.name",
		"caf\xc3\xa9", "letter-first", "sign-alone", "minus-one",
		"just-over", "top-bit", "hex-over", "huge", "two-to-64",
		"good-after-bad", "", NULL,
	};
	static const char *const zero_probes[] = {
		"minus-zero", "minus-zero-octal", "plus-zero", "sign-space",
		"minus-zero-hex", NULL,
	};
	static const char *const dup_probes[] = {
		"one", "one-again", "three", "four", "five", "six", "seven",
		"bad;name", NULL,
	};
	static const char *const range_probes[] = {
		"b127", "b128", "b1023", "b1024", NULL,
	};
	static const char *const long_probes[] = {
		"Z", "continuation", "sneaky", "third-piece", "short",
		"semi", ";semi", NULL,
	};
	static const char *const nul_probes[] = {
		"foo", "foo", "bar", "x", "hidden", "five", "seven", "eight",
		"z", NULL,
	};
	static const char *const single_probes[] = {
		"answer", "answer\n", "", NULL,
	};
	static const char *const no_probes[] = { NULL };
	struct nfct_labelmap *m;
	char path[PATH_MAX];

	data_dir = argc > 1 ? argv[1] : getenv("CAPI_DATA");
	if (!data_dir) {
		fprintf(stderr, "set CAPI_DATA to capi-tests/data\n");
		return 2;
	}

	printf("default path: %s\n", nfct_labels_get_path());
	printf("path stable: %s\n",
	       nfct_labels_get_path() == nfct_labels_get_path() ? "yes" : "no");

	check_file("basic.conf", basic_probes);
	check_file("syntax.conf", syntax_probes);
	check_file("minus-zero.conf", zero_probes);
	check_file("invalid.conf", invalid_probes);
	check_file("duplicates.conf", dup_probes);
	check_file("range.conf", range_probes);
	check_file("longlines.conf", long_probes);
	check_file("nul.conf", nul_probes);
	check_file("single.conf", single_probes);
	check_file("bit-zero-only.conf", no_probes);
	check_file("top-bit.conf", no_probes);
	check_file("empty.conf", no_probes);
	check_file("nothing-valid.conf", no_probes);

	/* Files that cannot be maps. */
	check_file("does-not-exist.conf", no_probes);
	m = open_map("directory", data_path(""));
	if (m)
		nfct_labelmap_destroy(m);
	m = open_map("not a directory", data_path("basic.conf/x"));
	if (m)
		nfct_labelmap_destroy(m);
	m = open_map("empty path", "");
	if (m)
		nfct_labelmap_destroy(m);
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = 0;
	m = open_map("overlong path", path);
	if (m)
		nfct_labelmap_destroy(m);
	check_unreadable();

	/* The default file: whatever this machine has, all libraries agree. */
	m = open_map("default file", NULL);
	if (m) {
		show_names(m);
		check_roundtrip(m);
		nfct_labelmap_destroy(m);
	}

	/* No map: get_bit answers -1 and leaves errno alone. */
	SHOW_RET("bit(NULL map, \"x\")", nfct_labelmap_get_bit(NULL, "x"));
	SHOW_RET("bit(NULL map, NULL)", nfct_labelmap_get_bit(NULL, NULL));

	/* Names stay valid while the map lives, across lookups. */
	m = nfct_labelmap_new(data_path("basic.conf"));
	if (m) {
		const char *a = nfct_labelmap_get_name(m, 4);
		const char *b = nfct_labelmap_get_name(m, 4);
		printf("same pointer twice: %s\n", a == b ? "yes" : "no");
		nfct_labelmap_get_bit(m, "bulk-traffic");
		printf("name still: %s\n", a);
		nfct_labelmap_destroy(m);
	}
	return 0;
}

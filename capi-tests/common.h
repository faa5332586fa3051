/*
 * Helpers shared by the C API tests: each test prints what it observes in a
 * canonical text form, and the runner diffs that output between our library
 * and the reference libraries.
 */
#ifndef CAPI_COMMON_H
#define CAPI_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints `len` bytes as hex after a label. */
static inline void show_bytes(const char *label, const void *p, size_t len)
{
	const unsigned char *b = p;
	printf("%s:", label);
	if (!p) {
		printf(" (null)\n");
		return;
	}
	for (size_t i = 0; i < len; i++)
		printf(" %02x", b[i]);
	printf("\n");
}

/* Prints an int result with errno when it signals failure. */
#define SHOW_RET(label, expr)                                          \
	do {                                                           \
		errno = 0;                                             \
		long long _r = (long long)(expr);                      \
		int _e = errno;                                        \
		printf("%s = %lld", label, _r);                        \
		if (_r < 0)                                            \
			printf(" errno=%s", strerror(_e));             \
		printf("\n");                                          \
	} while (0)

/* For tests that run against our library only: fails the test. */
#define CHECK(cond)                                                    \
	do {                                                           \
		if (!(cond)) {                                         \
			fprintf(stderr, "%s:%d: check failed: %s\n",   \
				__FILE__, __LINE__, #cond);            \
			exit(1);                                       \
		}                                                      \
	} while (0)

#endif

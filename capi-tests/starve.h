/*
 * A heap that can be told to run out, for the out-of-memory tests: the
 * program's malloc, calloc and realloc fail while `refuse` is set (after
 * `allowance` more successes) and otherwise hand over to glibc's own; free
 * stays glibc's. Both libraries allocate through these symbols.
 *
 * Include it in one file per program, after common.h.
 */
#ifndef CAPI_STARVE_H
#define CAPI_STARVE_H

#include <errno.h>
#include <stdbool.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static bool refuse;
static unsigned int allowance;
/* What the last SWEEP() found. */
static bool sweep_clean;

/* Whether the heap refuses this request. */
static bool refused(void)
{
	if (!refuse)
		return false;
	if (allowance > 0) {
		allowance--;
		return false;
	}
	errno = ENOMEM;
	return true;
}

void *malloc(size_t size)
{
	return refused() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return refused() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	return refused() ? NULL : __libc_realloc(p, size);
}

/* Declares `_p`, the pointer `expr` gives with the heap refusing, and
 * `_e`, errno after it. */
#define STARVE(expr)                                                   \
	errno = 0;                                                     \
	refuse = true;                                                 \
	void *_p = (void *)(expr);                                     \
	int _e = errno;                                                \
	refuse = false

/* Runs `expr` (a pointer) with the heap refusing, then prints whether it
 * gave NULL and errno; frees a non-NULL result with `destroy`. */
#define STARVED(label, expr, destroy)                                  \
	do {                                                           \
		STARVE(expr);                                          \
		printf("%-28s %s", label, _p ? "object" : "NULL");     \
		if (!_p)                                               \
			printf(" errno=%s", strerror(_e));             \
		printf("\n");                                          \
		if (_p)                                                \
			destroy(_p);                                   \
	} while (0)

/* Runs `expr` with the heap refusing, where a clean NULL (ENOMEM) and an
 * object that passes `works` are both right: prints which held, or
 * "broken"; frees a non-NULL result with `destroy`. */
#define STARVED_OR_WORKS(label, expr, works, destroy)                  \
	do {                                                           \
		STARVE(expr);                                          \
		bool _ok = _p ? works(_p) : _e == ENOMEM;              \
		printf("%-28s %s\n", label,                            \
		       _ok ? "NULL/ENOMEM or an object that works"     \
			   : "broken");                                \
		if (_p)                                                \
			destroy(_p);                                   \
	} while (0)

/* Calls `make` with the heap granting 0, 1, 2, ... allocations, until one
 * call gets all it asks for; prints whether every shorter call failed
 * cleanly (NULL, ENOMEM) and the full one gave a working object, and sets
 * sweep_clean to that. */
#define SWEEP(label, make, works, destroy)                             \
	do {                                                           \
		bool _clean = true;                                    \
		unsigned int _n;                                       \
		for (_n = 0; _n < 1000; _n++) {                        \
			errno = 0;                                     \
			allowance = _n;                                \
			refuse = true;                                 \
			void *_p = (void *)(make);                     \
			int _e = errno;                                \
			bool _short = allowance == 0;                  \
			refuse = false;                                \
			if (_p) {                                      \
				_clean = _clean && works(_p);          \
				destroy(_p);                           \
				if (!_short)                           \
					break;                         \
			} else if (_e != ENOMEM) {                     \
				_clean = false;                        \
			}                                              \
		}                                                      \
		sweep_clean = _n < 1000 && _clean;                     \
		printf("%-28s %s\n", label,                            \
		       sweep_clean ? "NULL/ENOMEM until it works"      \
				   : "broken");                        \
	} while (0)

#endif

/*
 * Event filter programs: the cases of filter_program.c that the reference
 * 1.0.9 shares with 1.1.0 (no IPv6 addresses, whose program 1.1.0 fixed, and
 * no zones, which 1.0.9 lacks), run against both references.
 */
#define FILTER_COMMON_ONLY
#include "filter_program.c"

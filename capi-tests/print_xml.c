/*
 * nfct_snprintf / nfct_snprintf_labels, XML output: the same matrix as
 * print_plain.c (see print_matrix.h), with NFCT_OF_TIME's <when> element
 * masked. DCCP states are in print_states.c.
 */
#include "print_matrix.h"

int main(void)
{
	pm_fixed_zone();
	pm_matrix(NFCT_O_XML);
	return 0;
}

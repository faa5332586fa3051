/*
 * make demo: prints the object sizes of the library it runs with. Built once
 * against our header, run with our library and with the reference.
 */
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <stdio.h>

int main(void)
{
	printf("nfct_maxsize() = %zu, nfexp_maxsize() = %zu\n", nfct_maxsize(), nfexp_maxsize());
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the host page's memory grants. Its own file because the kernel
 * and the protection layer (which links a private copy) both need it.
 */
#include <cove/boot_info.h>
#include <cove/host.h>
#include <cove/pisces_abi.h>

uint32_t host_page_grants(const struct cove_host_page *hp, struct boot_range *out, uint32_t max)
{
	/* The count is the host's word: never more than the page or out can hold. */
	uint32_t n = MIN(MIN(hp->nr_grants, (uint32_t)COVE_MAX_GRANTS), max);

	for (uint32_t i = 0; i < n; i++) {
		out[i].base = hp->grants[i].base;
		out[i].size = hp->grants[i].size;
	}
	return n;
}

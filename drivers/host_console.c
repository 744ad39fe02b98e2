// SPDX-License-Identifier: GPL-2.0
/*
 * The co-kernel console: the kernel log appended to a ring in partition
 * memory that the host reads (cove console). The host never writes it, so
 * a slow or absent reader costs nothing: old bytes are simply overwritten.
 */
#include <cove/console.h>
#include <cove/kmap.h>
#include <cove/pisces_abi.h>

static void host_console_write(struct console *c, const char *s, size_t len)
{
	struct cove_console_ring *r = c->priv;
	uint64_t head = r->head, mask = r->size - 1;

	for (size_t i = 0; i < len; i++)
		r->data[(head + i) & mask] = s[i];
	/* The bytes before the count: a reader never sees a hole. */
	__atomic_store_n(&r->head, head + len, __ATOMIC_RELEASE);
}

/* Registered once by the boot path; klog serializes the writes. */
static struct console host_console = {
	.name = "host-ring",
	.write = host_console_write,
};

bool host_console_init(phys_addr_t ring, uint64_t bytes)
{
	struct cove_console_ring *r = phys_to_virt(ring);

	if (bytes < sizeof(*r) + 4096 || r->magic != COVE_CONSOLE_MAGIC || !r->size ||
	    (r->size & (r->size - 1)) || r->size > bytes - sizeof(*r))
		return false;
	host_console.priv = r;
	console_register(&host_console);
	return true;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The co-kernel console: the kernel log appended to a ring in partition
 * memory that the host reads (cove console). The host never writes Cove's
 * ring, so a slow or absent reader costs nothing: old bytes are simply
 * overwritten. A Pisces host's ring (struct pisces_cons_ringbuf) is shared
 * under its lock word, as Pisces's own enclaves write it.
 */
#include <cove/arch.h>
#include <cove/console.h>
#include <cove/kmap.h>
#include <cove/pisces_abi.h>

/* The longest a Pisces host may hold its lock before we write anyway. */
#define PISCES_CONS_SPINS 1000000

static void host_console_write(struct console *c, const char *s, size_t len)
{
	struct cove_console_ring *r = c->priv;
	uint64_t head = r->head, mask = r->size - 1;

	for (size_t i = 0; i < len; i++)
		r->data[(head + i) & mask] = s[i];
	/* The bytes before the count: a reader never sees a hole. */
	__atomic_store_n(&r->head, head + len, __ATOMIC_RELEASE);
}

/* Set once by host_console_init; klog serializes the writes. */
static uint64_t pisces_cons_size;

/*
 * Pisces's ring: indices the host may move (it reads), so each is bounded
 * before use; a host that never lets go of the lock does not stop the log.
 */
static void pisces_console_write(struct console *c, const char *s, size_t len)
{
	struct pisces_cons_ringbuf *r = c->priv;
	uint64_t size = pisces_cons_size;
	uint32_t spins = 0;

	while (__atomic_exchange_n((volatile uint8_t *)&r->lock, 1, __ATOMIC_ACQUIRE) &&
	       ++spins < PISCES_CONS_SPINS)
		arch_cpu_relax();
	for (size_t i = 0; i < len; i++) {
		uint64_t w = r->write_idx % size;

		r->buf[w] = (uint8_t)s[i];
		r->write_idx = (w + 1) % size;
		if (r->cur_len < size) {
			r->cur_len++;
		} else {
			/* Full: the oldest byte goes, as Pisces's writers do. */
			r->read_idx = (r->read_idx + 1) % size;
		}
	}
	__atomic_store_n(&r->lock, 0, __ATOMIC_RELEASE);
}

/* Registered once by the boot path. */
static struct console host_console = {
	.name = "host-ring",
};

bool host_console_init(phys_addr_t ring, uint64_t bytes, bool cove)
{
	if (cove) {
		struct cove_console_ring *r = phys_to_virt(ring);

		if (bytes < sizeof(*r) + 4096 || r->magic != COVE_CONSOLE_MAGIC || !r->size ||
		    (r->size & (r->size - 1)) || r->size > bytes - sizeof(*r))
			return false;
		host_console.write = host_console_write;
		host_console.priv = r;
	} else {
		if (bytes <= PISCES_CONS_HDR)
			return false;
		pisces_cons_size = bytes - PISCES_CONS_HDR;
		host_console.write = pisces_console_write;
		host_console.priv = phys_to_virt(ring);
	}
	console_register(&host_console);
	return true;
}

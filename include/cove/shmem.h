/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared memory objects: partition memory that several address spaces map
 * at once, the backing of MAP_SHARED anonymous memory, /dev/shm files,
 * memfd_create and SysV segments alike. As everywhere in Cove the memory
 * is allocated (and zeroed) when the object is sized, never on a fault;
 * every whole 2 MiB of it is one 2 MiB block where the partition has one,
 * so a mapping at a matching alignment gets large pages.
 *
 * Lifetime: references (shmem_get/put) keep the object; its pages go back
 * to the partition with the last one. Mappers are counted apart
 * (shmem_map_get/put, each also a reference): while a page may sit in
 * someone's page tables it is never freed, so a shrink with mappers only
 * forgets the bytes past the end and frees the pages when the last
 * mapper goes.
 */
#ifndef COVE_SHMEM_H
#define COVE_SHMEM_H

#include <cove/types.h>

struct shmem;

/* Largest object: offsets and page counts never come near overflow. */
#define SHMEM_SIZE_MAX (1ULL << 46)

/* A new empty object with one reference, or NULL when out of memory. */
struct shmem *shmem_create(void);
void shmem_get(struct shmem *s);
void shmem_put(struct shmem *s);
/* One more mapper (and reference) / one less. */
void shmem_map_get(struct shmem *s);
void shmem_map_put(struct shmem *s);

/*
 * Change the size. Growing allocates and zeroes every new page now:
 * -ENOSPC (nothing changed) when the partition cannot hold them, -EFBIG
 * past SHMEM_SIZE_MAX. Shrinking forgets the bytes past the new end.
 */
int shmem_resize(struct shmem *s, uint64_t size);
uint64_t shmem_size(struct shmem *s);
/* Bytes of partition memory the object holds now. */
uint64_t shmem_resident(struct shmem *s);
uint32_t shmem_mappers(struct shmem *s);

/*
 * Copy between buf and [off, off + len) of the object, clipped to its size
 * (a write first grows it to off + len, as a file write does): bytes
 * copied, or -ENOSPC / -EFBIG from the growth.
 */
int64_t shmem_read(struct shmem *s, uint64_t off, void *buf, size_t len);
int64_t shmem_write(struct shmem *s, uint64_t off, const void *buf, size_t len);

/*
 * The page holding byte off: its physical address, and *large true when it
 * lies in a 2 MiB block (whose start is pa rounded down to 2 MiB and backs
 * off rounded down to 2 MiB). -ENXIO past the pages the object holds.
 */
int shmem_page(struct shmem *s, uint64_t off, phys_addr_t *pa, bool *large);

#endif /* COVE_SHMEM_H */

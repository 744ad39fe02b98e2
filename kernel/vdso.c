// SPDX-License-Identifier: GPL-2.0
/*
 * The vDSO: one shared memory object holding the time page and, right
 * after it, the vDSO image (arch/x86_64/vdso, embedded by vdso_blob.asm).
 * Every exec maps both, read-only, at the same addresses; fork keeps them
 * shared as it does all shared memory, so no job ever has a copy.
 */
#include <cove/arch.h>
#include <cove/aspace.h>
#include <cove/errno.h>
#include <cove/kprintf.h>
#include <cove/shmem.h>
#include <cove/timer.h>
#include <cove/vdso.h>
#include <cove/vdso_data.h>

extern const char vdso_blob[], vdso_blob_end[];

/* Made once by vdso_init on the boot CPU before any job; never changed after. */
static struct shmem *vdso_shm;
static uint64_t vdso_text_len;

int vdso_init(void)
{
	struct vdso_data d = { 0 };
	uint64_t len = (uint64_t)(vdso_blob_end - vdso_blob);
	struct shmem *s;

	if (!len || len > VDSO_TEXT_MAX)
		return -EINVAL;
	s = shmem_create();
	if (!s)
		return -ENOMEM;
	vdso_text_len = ALIGN_UP(len, PAGE_SIZE);
	time_vdso_fill(&d);
	d.flags = arch_user_getcpu_flags();
	if (shmem_resize(s, PAGE_SIZE + vdso_text_len) ||
	    shmem_write(s, 0, &d, sizeof(d)) != (int64_t)sizeof(d) ||
	    shmem_write(s, PAGE_SIZE, vdso_blob, len) != (int64_t)len) {
		shmem_put(s);
		return -ENOMEM;
	}
	vdso_shm = s;
	return 0;
}

int vdso_map(struct aspace *as)
{
	int rc;

	if (!vdso_shm)
		return 0;
	rc = aspace_map_shared(as, VDSO_VVAR_ADDR, PAGE_SIZE, VM_READ, VM_VDSO, vdso_shm, 0);
	if (!rc)
		rc = aspace_map_shared(as, VDSO_TEXT_ADDR, vdso_text_len, VM_READ | VM_EXEC,
				       VM_VDSO, vdso_shm, PAGE_SIZE);
	return rc;
}

uint64_t vdso_base(void)
{
	return vdso_shm ? VDSO_TEXT_ADDR : 0;
}

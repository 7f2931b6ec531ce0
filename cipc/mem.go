//go:build linux

package cipc

/*
#include <sys/mman.h>

// mmap's failure is MAP_FAILED; this gives NULL and errno (a mapping at
// address 0 is refused by the kernel's mmap_min_addr).
static void *cipc_mmap_at(void *addr, size_t length, int prot, int flags, int fd, off_t offset) {
	void *p = mmap(addr, length, prot, flags, fd, offset);
	return p == MAP_FAILED ? NULL : p;
}
*/
import "C"

import "unsafe"

// MmapAt calls mmap(2) in glibc with an address: a hint, or with
// MAP_FIXED or MAP_FIXED_NOREPLACE the place of the mapping. It returns
// the mapping as a byte slice; the kernel may put it elsewhere than addr
// when addr is only a hint.
func MmapAt(addr unsafe.Pointer, length int, prot, flags, fd int, offset int64) ([]byte, error) {
	p, err := C.cipc_mmap_at(addr, C.size_t(length), C.int(prot), C.int(flags), C.int(fd), C.off_t(offset))
	if p == nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), length), nil
}

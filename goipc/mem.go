//go:build linux

package goipc

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// MmapAt maps length bytes of fd from offset at or near addr, as mmap(2)
// with an address: a hint, or with MAP_FIXED or MAP_FIXED_NOREPLACE the
// place of the mapping (MAP_FIXED replaces what was there; it must be
// memory the caller owns, never the Go runtime's). It returns the mapping
// as a byte slice; the kernel may put it elsewhere than addr when addr is
// only a hint. A length of 0 gives EINVAL.
func MmapAt(addr unsafe.Pointer, length int, prot, flags, fd int, offset int64) ([]byte, error) {
	p, err := unix.MmapPtr(fd, offset, addr, uintptr(length), prot, flags)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), length), nil
}

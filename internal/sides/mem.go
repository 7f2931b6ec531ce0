//go:build linux

package sides

import "unsafe"

// Mem holds mmap(2) with an address (a hint, MAP_FIXED or
// MAP_FIXED_NOREPLACE); Shm.Mmap lets the kernel choose.
type Mem struct {
	MmapAt func(addr unsafe.Pointer, length int, prot, flags, fd int, offset int64) ([]byte, error)
}

//go:build linux

package sidestest

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// TestMem runs the cases of mmap with an address on api, each in a
// parallel subtest.
func TestMem(t *testing.T, api sides.API) {
	runCases(t, api.Name, api, memCases)
}

// reserve maps n bytes PROT_NONE on s, unmapped when the test ends: a
// place of the test's own for MAP_FIXED.
func reserve(t *testing.T, s sides.API, n int) []byte {
	t.Helper()
	b, err := s.Shm.Mmap(-1, 0, n, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		t.Fatalf("mmap: %v", err)
	}
	t.Cleanup(func() { s.Shm.Munmap(b) })
	return b
}

// at is b's address.
func at(b []byte) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(b)) }

var memCases = []fdCase[sides.API]{
	{"MAP_FIXED", 0, func(t *testing.T, s sides.API) error {
		area := reserve(t, s, 2*4096)
		m, err := s.Mem.MmapAt(at(area[4096:]), 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED, -1, 0)
		if err != nil {
			return err
		}
		if at(m) != at(area[4096:]) || len(m) != 4096 {
			t.Errorf("MAP_FIXED mapping at %p, %d bytes; want %p, 4096", at(m), len(m), at(area[4096:]))
		}
		m[0] = 1 // writable now
		return nil
	}},
	{"MAP_FIXED_NOREPLACE-taken", unix.EEXIST, func(t *testing.T, s sides.API) error {
		area := reserve(t, s, 4096)
		_, err := s.Mem.MmapAt(at(area), 4096, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED_NOREPLACE, -1, 0)
		return err
	}},
	{"hint-taken", 0, func(t *testing.T, s sides.API) error {
		area := reserve(t, s, 4096)
		m, err := s.Mem.MmapAt(at(area), 4096, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, -1, 0)
		if err != nil {
			return err
		}
		if at(m) == at(area) {
			t.Errorf("a hint at a taken place gave that place")
		}
		return s.Shm.Munmap(m)
	}},
	{"MAP_FIXED-unaligned-offset", unix.EINVAL, func(t *testing.T, s sides.API) error {
		area := reserve(t, s, 4096)
		_, err := s.Mem.MmapAt(at(area), 4096, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED, -1, 100)
		return err
	}},
	{"MAP_FIXED-length-0", unix.EINVAL, func(t *testing.T, s sides.API) error {
		area := reserve(t, s, 4096)
		_, err := s.Mem.MmapAt(at(area), 0, unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_FIXED, -1, 0)
		return err
	}},
}

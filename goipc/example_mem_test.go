//go:build linux

package goipc_test

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

func ExampleMmapAt() {
	// A place of our own: two pages that nothing may touch yet.
	area, err := goipc.MmapAt(nil, 8192, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS, -1, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer goipc.Munmap(area)
	// A shared memory object, mapped over the second page.
	fd, _ := goipc.MemfdCreate("example", 0)
	defer goipc.Close(fd)
	goipc.Ftruncate(fd, 4096)
	second := unsafe.Pointer(&area[4096])
	m, err := goipc.MmapAt(second, 4096, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_FIXED, fd, 0)
	fmt.Println(err, unsafe.Pointer(&m[0]) == second)
	copy(m, "placed")
	buf := make([]byte, 6)
	goipc.Read(fd, buf)
	fmt.Printf("%q\n", buf)
	// The place is taken now.
	_, err = goipc.MmapAt(second, 4096, unix.PROT_READ, unix.MAP_SHARED|unix.MAP_FIXED_NOREPLACE, fd, 0)
	fmt.Println(err)
	// Output:
	// <nil> true
	// "placed"
	// file exists
}

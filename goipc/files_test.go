//go:build linux

package goipc_test

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// More groups than NGROUPS_MAX (65536) is EINVAL, as the kernel (and so
// glibc) says, and goipc says it before syscall.Setgroups allocates. The
// same case is not run on cipc in-process: see sidestest.TestFiles.
func TestSetgroupsTooMany(t *testing.T) {
	if err := goipc.Setgroups(make([]int, 65537)); !errors.Is(err, unix.EINVAL) {
		t.Fatalf("Setgroups of 65537 groups: %v, want EINVAL", err)
	}
}

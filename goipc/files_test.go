//go:build linux

package goipc_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

// More groups than NGROUPS_MAX (65536) is EINVAL with CAP_SETGID, as the
// kernel (and so glibc) says, and goipc asks the kernel without the list
// that syscall.Setgroups would allocate. The same case is not run on cipc
// in-process: see sidestest.TestFiles.
func TestSetgroupsTooMany(t *testing.T) {
	if err := goipc.Setgroups(make([]int, 65537)); !errors.Is(err, unix.EINVAL) {
		t.Fatalf("Setgroups of 65537 groups: %v, want EINVAL", err)
	}
}

// setgroupsUnprivileged drops to uid and gid 65534 and prints what
// goipc.Setgroups of 65537 groups gives, then what the system call alone
// gives (glibc's setgroups is that call).
func setgroupsUnprivileged([]string) int {
	if err := syscall.Setresgid(65534, 65534, 65534); err != nil {
		fmt.Println("setresgid:", err)
		return 2
	}
	if err := syscall.Setresuid(65534, 65534, 65534); err != nil {
		fmt.Println("setresuid:", err)
		return 2
	}
	_, _, raw := unix.RawSyscall(unix.SYS_SETGROUPS, 65537, 0, 0)
	fmt.Println(unix.ErrnoName(goipc.Setgroups(make([]int, 65537)).(unix.Errno)), unix.ErrnoName(raw))
	return 0
}

// Without CAP_SETGID the kernel answers EPERM before it looks at the size,
// and so does goipc; a Setgroups that refused the size itself gave EINVAL.
func TestSetgroupsTooManyUnprivileged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to drop to another user")
	}
	argv := testhelper.Command(t, "setgroups-unprivileged")
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "EPERM EPERM"; got != want {
		t.Errorf("goipc.Setgroups and the system call, unprivileged: %q, want %q", got, want)
	}
}

//go:build linux

package goipc_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/goipc"
)

// exampleDir makes a directory for an example; remove it when done.
func exampleDir() string {
	dir, err := os.MkdirTemp("", "goipc-example-")
	if err != nil {
		panic(err)
	}
	return dir
}

func ExampleMkdir() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	d := filepath.Join(dir, "d")
	fmt.Println(goipc.Mkdir(d, 0o700))
	fmt.Println(goipc.Mkdir(d, 0o700))
	fmt.Println(goipc.Rmdir(d))
	// Output:
	// <nil>
	// file exists
	// <nil>
}

func ExampleRmdir() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	goipc.Mkdir(filepath.Join(dir, "d"), 0o700)
	goipc.Mkdir(filepath.Join(dir, "d", "e"), 0o700)
	err := goipc.Rmdir(filepath.Join(dir, "d"))
	fmt.Println(errors.Is(err, unix.ENOTEMPTY))
	// Output:
	// true
}

func ExampleChmod() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	f := filepath.Join(dir, "fifo")
	goipc.Mkfifo(f, 0o600)
	goipc.Chmod(f, 0o640)
	fi, _ := os.Lstat(f)
	fmt.Println(fi.Mode())
	// Output:
	// prw-r-----
}

func ExampleChown() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	// -1 leaves the owner and the group as they are, which needs no
	// privilege.
	fmt.Println(goipc.Chown(dir, -1, -1))
	fmt.Println(goipc.Chown(filepath.Join(dir, "none"), -1, -1))
	// Output:
	// <nil>
	// no such file or directory
}

func ExampleSymlink() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	link := filepath.Join(dir, "link")
	fmt.Println(goipc.Symlink("target", link))
	target, _ := os.Readlink(link)
	fmt.Println(target)
	// Output:
	// <nil>
	// target
}

func ExampleMknod() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	fmt.Println(goipc.Mknod(filepath.Join(dir, "fifo"), unix.S_IFIFO|0o600, 0))
	fmt.Println(goipc.Mknod(filepath.Join(dir, "sock"), unix.S_IFSOCK|0o600, 0))
	fmt.Println(goipc.Mknod(filepath.Join(dir, "dir"), unix.S_IFDIR|0o700, 0))
	// Output:
	// <nil>
	// <nil>
	// operation not permitted
}

func ExampleMknodat() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	d, _ := goipc.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	defer goipc.Close(d)
	fmt.Println(goipc.Mknodat(d, "fifo", unix.S_IFIFO|0o600, 0))
	fi, _ := os.Lstat(filepath.Join(dir, "fifo"))
	fmt.Println(fi.Mode()&os.ModeNamedPipe != 0)
	// Output:
	// <nil>
	// true
}

func ExampleOpenat() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	d, _ := goipc.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY, 0)
	defer goipc.Close(d)
	fd, err := goipc.Openat(d, "new", unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY, 0o600)
	fmt.Println(err)
	goipc.Write(fd, []byte("made from a directory descriptor"))
	goipc.Close(fd)
	_, err = goipc.Openat(d, "new", unix.O_CREAT|unix.O_EXCL|unix.O_WRONLY, 0o600)
	fmt.Println(err)
	// Output:
	// <nil>
	// file exists
}

func ExampleSeteuid() {
	// glibc refuses -1 before any system call. An id that works changes
	// every thread of the process (see files_creds.calls for a run).
	fmt.Println(goipc.Seteuid(-1))
	// Output:
	// invalid argument
}

func ExampleSetegid() {
	fmt.Println(goipc.Setegid(-1)) // glibc refuses -1 before any system call
	// Output:
	// invalid argument
}

func ExampleSetgroups() {
	fmt.Println(goipc.Setgroups(make([]int, 65537))) // more than NGROUPS_MAX
	// Output:
	// invalid argument
}

func ExampleMount() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	// The target is looked up first: a missing one is ENOENT, with or
	// without the privilege to mount.
	err := goipc.Mount(dir, filepath.Join(dir, "none"), "", unix.MS_BIND, "")
	fmt.Println(err)
	// Output:
	// no such file or directory
}

// Mount and Umount2 change the mount namespace: this example does not run.
// In a namespace of its own (the sandbox's), a directory is made read-only
// by a bind mount onto itself and a remount.
func ExampleMount_readOnly() {
	if err := goipc.Mount("ro", "ro", "", unix.MS_BIND, ""); err != nil {
		fmt.Println(err)
		return
	}
	if err := goipc.Mount("", "ro", "", unix.MS_REMOUNT|unix.MS_BIND|unix.MS_RDONLY, ""); err != nil {
		fmt.Println(err)
	}
	_, err := goipc.Open("ro/new", unix.O_CREAT|unix.O_WRONLY, 0o644)
	fmt.Println(errors.Is(err, unix.EROFS))
	goipc.Umount2("ro", 0)
}

func ExampleUmount2() {
	dir := exampleDir()
	defer os.RemoveAll(dir)
	fmt.Println(goipc.Umount2(dir, 0)) // nothing is mounted there
	// Output:
	// invalid argument
}

//go:build linux

package goipc

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Files, directories and credentials: the calls a port makes around its
// IPC objects, each with glibc's errno. Relative paths are looked up from
// the working directory (glibc passes AT_FDCWD to the *at system calls).

// Chmod sets the permission bits of path (symbolic links followed), as
// chmod(2).
func Chmod(path string, mode uint32) error {
	return unix.Fchmodat(unix.AT_FDCWD, path, mode, 0)
}

// Chown sets the owner and group of path (symbolic links followed), as
// chown(2); -1 leaves one unchanged.
func Chown(path string, uid, gid int) error {
	return unix.Fchownat(unix.AT_FDCWD, path, uid, gid, 0)
}

// Mkdir creates the directory path with permission bits mode &^ umask, as
// mkdir(2).
func Mkdir(path string, mode uint32) error {
	return unix.Mkdirat(unix.AT_FDCWD, path, mode)
}

// Rmdir removes the empty directory path, as rmdir(2).
func Rmdir(path string) error {
	return unix.Unlinkat(unix.AT_FDCWD, path, unix.AT_REMOVEDIR)
}

// Symlink creates linkpath, a symbolic link to target, as symlink(2).
func Symlink(target, linkpath string) error {
	return unix.Symlinkat(target, unix.AT_FDCWD, linkpath)
}

// Mknod creates path, a file of the type in mode (S_IFREG, S_IFIFO,
// S_IFSOCK, or with CAP_MKNOD S_IFCHR and S_IFBLK, whose device is dev),
// as mknod(2).
func Mknod(path string, mode uint32, dev uint64) error {
	return Mknodat(unix.AT_FDCWD, path, mode, dev)
}

// Mknodat is Mknod with a relative path looked up from the directory
// dirfd (AT_FDCWD: the working directory), as mknodat(2). The kernel takes
// a 32-bit device number: glibc, and so Mknodat, refuses a larger dev
// with EINVAL (x/sys/unix passes it on cut).
func Mknodat(dirfd int, path string, mode uint32, dev uint64) error {
	if dev != uint64(uint32(dev)) {
		return unix.EINVAL
	}
	return unix.Mknodat(dirfd, path, mode, int(dev))
}

// Openat opens path, looked up from the directory dirfd when it is
// relative, as openat(2), and returns the new descriptor.
func Openat(dirfd int, path string, flags int, mode uint32) (int, error) {
	fd, err := unix.Openat(dirfd, path, flags, mode)
	if err != nil {
		return -1, err
	}
	return fd, nil
}

// Seteuid sets the effective user id, as seteuid(3): glibc calls
// setresuid(-1, euid, -1) in every thread of the process, and so does
// syscall.Setresuid (since Go 1.16). An euid of -1 gives EINVAL.
func Seteuid(euid int) error {
	if uint32(euid) == ^uint32(0) {
		return unix.EINVAL
	}
	return syscall.Setresuid(-1, euid, -1)
}

// Setegid sets the effective group id, as setegid(3), in every thread.
// An egid of -1 gives EINVAL.
func Setegid(egid int) error {
	if uint32(egid) == ^uint32(0) {
		return unix.EINVAL
	}
	return syscall.Setresgid(-1, egid, -1)
}

// Setgroups sets the supplementary group ids, as setgroups(2) in glibc,
// in every thread: syscall.Setgroups does so; x/sys/unix.Setgroups changes
// the calling thread alone.
func Setgroups(gids []int) error {
	if len(gids) > 65536 {
		// More than NGROUPS_MAX: the kernel refuses it (EPERM without
		// CAP_SETGID, which it checks first, else EINVAL) before it reads
		// the list, so the call changes nothing and can be made on this
		// thread alone, without the list syscall.Setgroups would copy.
		_, _, e := unix.RawSyscall(unix.SYS_SETGROUPS, uintptr(len(gids)), 0, 0)
		return e
	}
	return syscall.Setgroups(gids)
}

// Mount attaches the file system source (a device, or a directory with
// MS_BIND) at target, as mount(2); an empty source, fstype or data passes
// NULL, as C programs pass for the arguments a bind or remount ignores.
func Mount(source, target, fstype string, flags uintptr, data string) error {
	var p [4]*byte
	for i, s := range []string{source, target, fstype, data} {
		if s == "" && i != 1 {
			continue
		}
		var err error
		if p[i], err = unix.BytePtrFromString(s); err != nil {
			return unix.EINVAL
		}
	}
	_, _, e := unix.Syscall6(unix.SYS_MOUNT, uintptr(unsafe.Pointer(p[0])), uintptr(unsafe.Pointer(p[1])),
		uintptr(unsafe.Pointer(p[2])), flags, uintptr(unsafe.Pointer(p[3])), 0)
	if e != 0 {
		return e
	}
	return nil
}

// Umount2 detaches the file system at target, as umount2(2); flags are
// MNT_FORCE, MNT_DETACH, MNT_EXPIRE and UMOUNT_NOFOLLOW.
func Umount2(target string, flags int) error {
	return unix.Unmount(target, flags)
}

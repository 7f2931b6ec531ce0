//go:build linux

package sides

// Files holds the calls on files, directories, mounts and credentials
// that a port makes around its IPC objects: chmod(2), chown(2), mkdir(2),
// rmdir(2), symlink(2), mknod(2), mknodat(2), openat(2), seteuid(3),
// setegid(3), setgroups(2), mount(2) and umount2(2).
type Files struct {
	Chmod     func(path string, mode uint32) error
	Chown     func(path string, uid, gid int) error
	Mkdir     func(path string, mode uint32) error
	Rmdir     func(path string) error
	Symlink   func(target, linkpath string) error
	Mknod     func(path string, mode uint32, dev uint64) error
	Mknodat   func(dirfd int, path string, mode uint32, dev uint64) error
	Openat    func(dirfd int, path string, flags int, mode uint32) (int, error)
	Seteuid   func(euid int) error
	Setegid   func(egid int) error
	Setgroups func(gids []int) error
	Mount     func(source, target, fstype string, flags uintptr, data string) error
	Umount2   func(target string, flags int) error
}

//go:build linux

package callscript

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/internal/sides"
)

// Files, directories, mounts and credentials in call scripts, as glibc
// declares the calls:
//
//	mkdir("d", 0755) = 0
//	rmdir("d") = 0
//	chmod("f", 0600) = 0
//	chown("f", 65534, -1) = 0
//	symlink("f", "link") = 0
//	mknod("n", S_IFCHR|0600, 0x103) = 0        # the device makedev(1, 3)
//	mknodat($d, "p", S_IFIFO|0600, 0) = 0
//	openat($d, "x", O_CREAT|O_WRONLY, 0600) = $x
//	seteuid(65534) = 0
//	setegid(65534) = 0
//	setgroups(1, [65534]) = 0
//	mount("ro", "ro", NULL, MS_BIND, NULL) = 0
//	mount(NULL, "ro", NULL, MS_REMOUNT|MS_BIND|MS_RDONLY, NULL) = 0
//	umount2("ro", 0) = 0
//	owner("f") = 0                               # {uid=65534, gid=0}
//	creds(ids) = 0                               # every thread's ids
//
// owner and creds are not libc calls but observations the interpreter
// makes alike on both sides, as mode does: owner lstats the path and shows
// its owner and group; creds reads /proc/self/task/*/status and shows the
// real, effective and saved ids and the groups, with "in every thread"
// when all of the process's threads agree, which is what seteuid(3),
// setegid(3) and setgroups(2) promise (glibc signals every thread to make
// the call; Go's syscall package does it with AllThreadsSyscall, or
// through glibc under cgo), and each thread that does not otherwise.
//
// Credentials: the run is root in the sandbox when ipcparity runs as root
// (no user namespace): seteuid, setegid and setgroups to any id work, and
// an object of mode 0600 owned by root refuses another user (EACCES).
// Unprivileged, the sandbox's user namespace maps uid and gid 0 alone:
// seteuid(65534) gives EINVAL (an id the namespace does not map) and
// setgroups EPERM (setgroups is denied in the namespace); scripts that
// change credentials then fail on both sides alike.
//
// mount and umount2 act in the run's own mount namespace only: they are
// script errors unless the working directory is the sandbox's run
// directory (/tmp/run, a mount point of the sandbox), and their paths
// must be relative, inside it.

// runDir is where the sandbox binds the run's directory: the working
// directory of every sandboxed run.
const runDir = "/tmp/run"

// inSandbox reports why mount cannot be used here, or nil: the working
// directory must be runDir, a mount point in this mount namespace (the
// sandbox's, which dies with the run).
func inSandbox() error {
	wd, err := os.Getwd()
	if err != nil || wd != runDir {
		return fmt.Errorf("mount and umount2 run only in the sandbox (working directory %s, not %q)", runDir, wd)
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) > 4 && fields[4] == runDir {
			return nil
		}
	}
	return fmt.Errorf("mount and umount2 run only in the sandbox: %s is no mount point here", runDir)
}

// runPath evaluates argument i, a path inside the run's directory.
func runPath(c *Call, i int) (string, error) {
	p, err := c.String(i)
	if err != nil {
		return "", err
	}
	if filepath.IsAbs(p) || !filepath.IsLocal(filepath.Clean(p)) && filepath.Clean(p) != "." {
		return "", fmt.Errorf("%s: a path inside the run's directory, relative", c.Line.Args[i].Src)
	}
	return p, nil
}

// optString evaluates argument i, a string or NULL (""): mount's source,
// file system type and data.
func optString(c *Call, i int) (string, error) {
	if c.IsNull(i) {
		return "", nil
	}
	return c.String(i)
}

// pathInts checks that the call has a path (or NULL or BADPTR) and n
// integers after it, and evaluates them.
func pathInts(c *Call, n int) (pathArg, []int64, error) {
	if err := c.Arity(1 + n); err != nil {
		return pathArg{}, nil, err
	}
	path, err := pathOf(c, 0)
	if err != nil {
		return pathArg{}, nil, err
	}
	a := make([]int64, n)
	for k := range a {
		if a[k], err = c.Int(1 + k); err != nil {
			return pathArg{}, nil, err
		}
	}
	return path, a, nil
}

// filesOf picks the file calls of a side.
func filesOf(a *sides.API) sides.Files { return a.Files }

// threadIDs is one thread's ids as creds shows them.
func threadIDs(status string) string {
	var uid, gid, groups string
	for _, line := range strings.Split(status, "\n") {
		k, v, _ := strings.Cut(line, ":")
		f := strings.Fields(v)
		switch {
		case k == "Uid" && len(f) >= 3:
			uid = strings.Join(f[:3], ", ")
		case k == "Gid" && len(f) >= 3:
			gid = strings.Join(f[:3], ", ")
		case k == "Groups":
			groups = strings.Join(f, ", ")
		}
	}
	return fmt.Sprintf("{uid=[%s], gid=[%s], groups=[%s]}", uid, gid, groups)
}

// Files is the table of the file, mount and credential calls.
var Files = newTable(func(t *Table) {
	for name, v := range map[string]int64{
		"S_IFREG": unix.S_IFREG, "S_IFDIR": unix.S_IFDIR, "S_IFCHR": unix.S_IFCHR, "S_IFBLK": unix.S_IFBLK,
		"S_IFIFO": unix.S_IFIFO, "S_IFSOCK": unix.S_IFSOCK, "S_IFLNK": unix.S_IFLNK,
		"S_ISUID": unix.S_ISUID, "S_ISGID": unix.S_ISGID, "S_ISVTX": unix.S_ISVTX,
		"AT_FDCWD": unix.AT_FDCWD, "O_DIRECTORY": unix.O_DIRECTORY, "O_PATH": unix.O_PATH, "O_TMPFILE": unix.O_TMPFILE,
		"MS_BIND": unix.MS_BIND, "MS_REMOUNT": unix.MS_REMOUNT, "MS_RDONLY": unix.MS_RDONLY,
		"MS_REC": unix.MS_REC, "MS_NOSUID": unix.MS_NOSUID, "MS_NODEV": unix.MS_NODEV, "MS_NOEXEC": unix.MS_NOEXEC,
		"MNT_DETACH": unix.MNT_DETACH, "MNT_FORCE": unix.MNT_FORCE, "UMOUNT_NOFOLLOW": unix.UMOUNT_NOFOLLOW,
	} {
		t.symbols[name] = v
	}

	// chmod("PATH", MODE) and mkdir("PATH", MODE)
	for name, pick := range map[string]func(*sides.API) (func(string, uint32) error, func(unsafe.Pointer, uint32) error){
		"chmod": func(a *sides.API) (func(string, uint32) error, func(unsafe.Pointer, uint32) error) {
			return a.Files.Chmod, a.Raw.Chmod
		},
		"mkdir": func(a *sides.API) (func(string, uint32) error, func(unsafe.Pointer, uint32) error) {
			return a.Files.Mkdir, a.Raw.Mkdir
		},
	} {
		sided(t, filesOf, name, func(c *Call, api sides.Files) (int64, error) {
			path, a, err := pathInts(c, 1)
			if err != nil {
				return 0, err
			}
			op, rawOp := pick(c.api)
			if path.raw {
				return status(rawOp(path.p, uint32(a[0])))
			}
			return status(op(path.s, uint32(a[0])))
		})
	}
	// chown("PATH", UID, GID)
	sided(t, filesOf, "chown", func(c *Call, api sides.Files) (int64, error) {
		path, a, err := pathInts(c, 2)
		if err != nil {
			return 0, err
		}
		if path.raw {
			return status(c.api.Raw.Chown(path.p, int(a[0]), int(a[1])))
		}
		return status(api.Chown(path.s, int(a[0]), int(a[1])))
	})
	// rmdir("PATH")
	t.calls["rmdir"] = nameCall(func(a *sides.API, path string) error { return a.Files.Rmdir(path) }, func(a *sides.API, p unsafe.Pointer) error { return a.Raw.Rmdir(p) }, false)
	// symlink("TARGET", "LINKPATH"): either may be NULL or BADPTR.
	sided(t, filesOf, "symlink", func(c *Call, api sides.Files) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		target, err := pathOf(c, 0)
		if err != nil {
			return 0, err
		}
		link, err := pathOf(c, 1)
		if err != nil {
			return 0, err
		}
		if target.raw || link.raw {
			return status(c.api.Raw.Symlink(target.p, link.p))
		}
		return status(api.Symlink(target.s, link.s))
	})
	// mknod("PATH", MODE, DEV)
	sided(t, filesOf, "mknod", func(c *Call, api sides.Files) (int64, error) {
		path, a, err := pathInts(c, 2)
		if err != nil {
			return 0, err
		}
		if path.raw {
			return status(c.api.Raw.Mknod(path.p, uint32(a[0]), uint64(a[1])))
		}
		return status(api.Mknod(path.s, uint32(a[0]), uint64(a[1])))
	})
	// mknodat(DIRFD, "PATH", MODE, DEV)
	sided(t, filesOf, "mknodat", func(c *Call, api sides.Files) (int64, error) {
		if err := c.Arity(4); err != nil {
			return 0, err
		}
		dirfd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		path, err := pathOf(c, 1)
		if err != nil {
			return 0, err
		}
		mode, err := c.Int(2)
		if err != nil {
			return 0, err
		}
		dev, err := c.Int(3)
		if err != nil {
			return 0, err
		}
		if path.raw {
			return status(c.api.Raw.Mknodat(int(dirfd), path.p, uint32(mode), uint64(dev)))
		}
		return status(api.Mknodat(int(dirfd), path.s, uint32(mode), uint64(dev)))
	})
	// openat(DIRFD, "PATH", FLAGS[, MODE]): the descriptor.
	sided(t, filesOf, "openat", func(c *Call, api sides.Files) (int64, error) {
		dirfd, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		path, flags, mode, err := openArgs(c, 1)
		if err != nil {
			return 0, err
		}
		if path.raw {
			return count(c.api.Raw.Openat(int(dirfd), path.p, flags, mode))
		}
		return count(api.Openat(int(dirfd), path.s, flags, mode))
	})
	// seteuid(UID) and setegid(GID)
	for name, pick := range map[string]func(sides.Files) func(int) error{
		"seteuid": func(a sides.Files) func(int) error { return a.Seteuid },
		"setegid": func(a sides.Files) func(int) error { return a.Setegid },
	} {
		sided(t, filesOf, name, func(c *Call, api sides.Files) (int64, error) {
			a, err := c.Ints(1)
			if err != nil {
				return 0, err
			}
			return status(pick(api)(a[0]))
		})
	}
	// setgroups(SIZE, [GID, ...])
	sided(t, filesOf, "setgroups", func(c *Call, api sides.Files) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		size, err := c.Int(0)
		if err != nil {
			return 0, err
		}
		if n, done, err := rawStatus(c, 1, func(p unsafe.Pointer) error { return c.api.Raw.Setgroups(int(size), p) }); done {
			return n, err
		}
		e, _ := c.arg(1)
		if e.Kind != ExprArray {
			return 0, fmt.Errorf("%s: expected an array of group ids [65534, ...], NULL or BADPTR", e.Src)
		}
		gids := make([]int, len(e.Elems))
		for k, el := range e.Elems {
			v, err := c.evalInt(el)
			if err != nil {
				return 0, err
			}
			gids[k] = int(v)
		}
		if size != int64(len(gids)) {
			return 0, fmt.Errorf("setgroups' size is %d, the length of the array, not %d", len(gids), size)
		}
		return status(api.Setgroups(gids))
	})
	// mount(SOURCE|NULL, "TARGET", FSTYPE|NULL, FLAGS, DATA|NULL), in the
	// sandbox only.
	sided(t, filesOf, "mount", func(c *Call, api sides.Files) (int64, error) {
		if err := c.Arity(5); err != nil {
			return 0, err
		}
		if err := inSandbox(); err != nil {
			return 0, err
		}
		var source string
		var err error
		if !c.IsNull(0) {
			if source, err = runPath(c, 0); err != nil {
				return 0, err
			}
		}
		target, err := runPath(c, 1)
		if err != nil {
			return 0, err
		}
		fstype, err := optString(c, 2)
		if err != nil {
			return 0, err
		}
		flags, err := c.Int(3)
		if err != nil {
			return 0, err
		}
		data, err := optString(c, 4)
		if err != nil {
			return 0, err
		}
		return status(api.Mount(source, target, fstype, uintptr(flags), data))
	})
	// umount2("TARGET", FLAGS), in the sandbox only.
	sided(t, filesOf, "umount2", func(c *Call, api sides.Files) (int64, error) {
		if err := c.Arity(2); err != nil {
			return 0, err
		}
		if err := inSandbox(); err != nil {
			return 0, err
		}
		target, err := runPath(c, 0)
		if err != nil {
			return 0, err
		}
		flags, err := c.Int(1)
		if err != nil {
			return 0, err
		}
		return status(api.Umount2(target, int(flags)))
	})
	// owner("PATH"): the observation of lstat's st_uid and st_gid.
	t.calls["owner"] = func(c *Call) (int64, error) {
		st, err := lstatArg(c)
		if err != nil || st == nil {
			return -1, err
		}
		c.Ret = fmt.Sprintf("0 ({uid=%d, gid=%d})", st.Uid, st.Gid)
		return 0, nil
	}
	// creds(ids): the observation of every thread's ids.
	t.calls["creds"] = func(c *Call) (int64, error) {
		if err := c.Arity(1); err != nil {
			return 0, err
		}
		if e, _ := c.arg(0); e.Kind != ExprOut {
			return 0, fmt.Errorf("%s: expected a lower-case name (ids)", e.Src)
		}
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return 0, err
		}
		seen := map[string]int{}
		for _, task := range tasks {
			b, err := os.ReadFile("/proc/self/task/" + task.Name() + "/status")
			if err != nil {
				continue // the thread has ended
			}
			seen[threadIDs(string(b))]++
		}
		var ids []string
		for s := range seen {
			ids = append(ids, s)
		}
		sort.Strings(ids)
		if len(ids) == 1 {
			c.Show(0, ids[0]+" in every thread")
		} else {
			c.Show(0, "threads differ: "+strings.Join(ids, ", "))
		}
		return 0, nil
	}
})

//go:build linux

package trace

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cTrace is C's mq_client as strace -f writes it (shortened): the loader's
// calls, the program's, a perror through a dup of stderr, stdout.
const cTrace = `100   execve("/bin/c/mq_client", ["/bin/c/mq_client", "hello"], 0x7ffce1260f08 /* 36 vars */) = 0
100   mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f239527e000
100   openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 4
100   mmap(NULL, 37735, PROT_READ, MAP_PRIVATE, 4, 0) = 0x7f2395274000
100   close(4)                          = 0
100   openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 4
100   read(4, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832) = 832
100   close(4)                          = 0
100   mq_open("ipcprun", O_WRONLY)      = 4
100   mq_timedsend(4, "hello\0\0\0", 64, 1, NULL) = 0
100   dup(2)                            = 5
100   write(5, "oops\n", 5)             = 5
100   close(5)                          = 0
100   close(4)                          = 0
100   write(1, "you sent: hello\n", 16) = 16
`

// goTrace is goipc's mq_client: the runtime's files and threads, its calls
// cut by other threads' (unfinished, resumed), a descriptor held by the
// runtime, so that mq_open gets 5.
const goTrace = `200   execve("/bin/go/mq_client", ["/bin/go/mq_client", "hello"], 0x7ffd40be7fb8 /* 36 vars */) = 0
200   openat(AT_FDCWD, "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", O_RDONLY) = 4
200   read(4, "2097152\n", 20)          = 8
200   close(4)                          = 0
200   openat(AT_FDCWD, "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", O_RDONLY|O_CLOEXEC) = 4
200   openat(AT_FDCWD, "/sys/fs/cgroup/cpu/cpu.cfs_period_us", O_RDONLY|O_CLOEXEC) = 5
200   clone(child_stack=0x193aa8974000, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS, tls=0x193aa8988090) = 201
201   pread64(4, "-1\n", 64, 0)         = 3
200   mq_open("ipcprun", O_WRONLY <unfinished ...>
201   mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f279105d000
200   <... mq_open resumed>)            = 6
200   write(1, "you sent: hello\n", 15 <unfinished ...>
201   mq_timedsend(6, "hello\0\0\0", 64, 1, NULL <unfinished ...>
200   <... write resumed>)              = 15
201   <... mq_timedsend resumed>)       = 0
201   write(2, "oops\n", 5)             = 5
201   close(6)                          = 0
`

func TestReadNormalises(t *testing.T) {
	want := []Process{{Label: "client", Calls: []string{
		`mq_open("ipcprun", O_WRONLY) = 4`,
		`mq_timedsend(4, "hello\0\0\0", 64, 1, NULL) = 0`,
		`close(4) = 0`,
	}}}
	for name, text := range map[string]string{"c": cTrace, "go": goTrace} {
		if diff := cmp.Diff(want, Read("client", text, Options{})); diff != "" {
			t.Errorf("%s: Read (-want +got):\n%s", name, diff)
		}
	}
	// The wrong input: a priority of 0 where C's is 1 shows as C's call
	// and the other.
	wrong := strings.Replace(goTrace, "64, 1, NULL", "64, 0, NULL", 1)
	got := Diff(Read("client", cTrace, Options{}), Read("client", wrong, Options{}))
	wantDiff := "client:\n" +
		"  mq_open(\"ipcprun\", O_WRONLY) = 4\n" +
		"- mq_timedsend(4, \"hello\\0\\0\\0\", 64, 1, NULL) = 0\n" +
		"+ mq_timedsend(4, \"hello\\0\\0\\0\", 64, 0, NULL) = 0\n" +
		"  close(4) = 0\n"
	if diff := cmp.Diff(wantDiff, got); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

// A fork in C and Go's os.StartProcess: the pipe's descriptors inherited,
// the child named, wait4's result by name; Go's way read as C's only where
// the known difference applies.
const cPipe = `10  execve("/bin/c/pipe", ["/bin/c/pipe", "hi"], 0x7ffcbe70aba0 /* 35 vars */) = 0
10  pipe2([4, 5], 0)                  = 0
10  clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fded41c2a10) = 11
10  close(4 <unfinished ...>
11  close(5 <unfinished ...>
10  <... close resumed>)              = 0
10  write(5, "hi", 2)                 = 2
10  close(5)                          = 0
11  <... close resumed>)              = 0
10  wait4(-1,  <unfinished ...>
11  read(4, "h", 1)                   = 1
11  read(4, "i", 1)                   = 1
11  read(4, "", 1)                    = 0
11  close(4)                          = 0
10  <... wait4 resumed>NULL, 0, NULL) = 11
`

const goPipe = `20  execve("/bin/go/pipe", ["/bin/go/pipe", "hi"], 0x7ffe26c839f0 /* 35 vars */) = 0
20  openat(AT_FDCWD, "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", O_RDONLY|O_CLOEXEC) = 4
20  openat(AT_FDCWD, "/sys/fs/cgroup/cpu/cpu.cfs_period_us", O_RDONLY|O_CLOEXEC) = 5
20  pipe2([6, 7], 0)                  = 0
20  pidfd_open(20, 0)               = 8
20  waitid(P_PIDFD, 8, 0xe7860d14ac8, WEXITED, NULL) = -1 ECHILD (No child processes)
20  pidfd_send_signal(8, 0, NULL, 0)  = 0
20  clone(child_stack=NULL, flags=CLONE_VM|CLONE_PIDFD|CLONE_VFORK, parent_tid=[9]) = 21
20  waitid(P_PIDFD, 9, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=21, si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED|__WCLONE, NULL) = 0
20  close(9)                          = 0
20  close(8)                          = 0
20  pipe2([8, 9], O_CLOEXEC)          = 0
20  clone(child_stack=NULL, flags=CLONE_VM|CLONE_PIDFD|CLONE_VFORK|SIGCHLD <unfinished ...>
22  execve("/bin/go/pipe", ["/bin/go/pipe"], 0xe7860d28000 /* 36 vars */ <unfinished ...>
20  <... clone resumed>, parent_tid=[10]) = 22
20  close(9)                          = 0
20  read(8, "", 8)                    = 0
20  close(8)                          = 0
20  close(6)                          = 0
20  write(7, "hi", 2 <unfinished ...>
22  <... execve resumed>)             = 0
22  openat(AT_FDCWD, "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", O_RDONLY <unfinished ...>
20  <... write resumed>)              = 2
20  close(7)                          = 0
20  waitid(P_PIDFD, 10,  <unfinished ...>
22  <... openat resumed>)             = 4
22  read(4, "2097152\n", 20)          = 8
22  close(4)                          = 0
22  close(7)                          = 0
22  read(6, "h", 1)                   = 1
22  read(6, "i", 1)                   = 1
22  read(6, "", 1)                    = 0
22  close(6)                          = 0
20  <... waitid resumed>{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=22, si_uid=0, si_status=0, si_utime=0, si_stime=0}, WEXITED, {ru_utime={tv_sec=0, tv_usec=1940}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0
20  close(10)                          = 0
`

func TestReadFork(t *testing.T) {
	want := []Process{
		{Label: "pipe", Calls: []string{
			"pipe([4, 5]) = 0", "fork() = child 1", "close(4) = 0", `write(5, "hi", 2) = 2`, "close(5) = 0",
			"wait4(-1, NULL, 0, NULL) = child 1",
		}},
		{Label: "pipe child 1", Calls: []string{
			"close(5) = 0", `read(4, "h", 1) = 1`, `read(4, "i", 1) = 1`, `read(4, "", 1) = 0`, "close(4) = 0",
		}},
	}
	if diff := cmp.Diff(want, Read("pipe", cPipe, Options{})); diff != "" {
		t.Errorf("C: Read (-want +got):\n%s", diff)
	}
	want[0].Known = []string{"fork"}
	want[1].Known = []string{"fork"}
	if diff := cmp.Diff(want, Read("pipe", goPipe, Options{Known: KnownFor("go")})); diff != "" {
		t.Errorf("Go: Read (-want +got):\n%s", diff)
	}
	// Without the known difference (a form in C, or a port said to be
	// C), Go's way is not C's.
	if Diff(want, Read("pipe", goPipe, Options{})) == "" {
		t.Error("Go's os.StartProcess reads as C's fork without the known difference fork")
	}
}

func TestCollapseAndParse(t *testing.T) {
	if got, want := collapse([]string{"a", "a", "a", "b", "a"}), []string{"a ×3", "b", "a"}; !cmp.Equal(want, got) {
		t.Errorf("collapse = %q, want %q", got, want)
	}
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`3, "a, b", 4`, []string{"3", `"a, b"`, "4"}},
		{`[{fd=3, events=POLLIN}, {fd=-1}], 2, -1`, []string{"[{fd=3, events=POLLIN}, {fd=-1}]", "2", "-1"}},
		{`"\", x", NULL`, []string{`"\", x"`, "NULL"}},
		{``, nil},
	} {
		if got := splitArgs(tc.in); !cmp.Equal(tc.want, got) {
			t.Errorf("splitArgs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDiffMissingProcess(t *testing.T) {
	want := []Process{{Label: "server", Calls: []string{"listen(3, 4096) = 0"}}}
	got := []Process{{Label: "server", Calls: []string{"listen(3, 4096) = 0"}}, {Label: "server child 1", Calls: []string{"close(3) = 0"}}}
	if d := Diff(want, want); d != "" {
		t.Errorf("Diff of equal runs = %q", d)
	}
	if d, w := Diff(want, got), "server child 1 (C has no such process):\n+ close(3) = 0\n"; d != w {
		t.Errorf("Diff = %q, want %q", d, w)
	}
	if d, w := Diff(got, want), "server child 1:\n- close(3) = 0\n"; d != w {
		t.Errorf("Diff = %q, want %q", d, w)
	}
}

// TestReadCutOffByKill reads a server killed while it waits in poll, as
// strace shows it: unfinished with no end, resumed with "= ?", or both on
// one line (a Go thread), where C's single thread shows "= ?
// ERESTART_RESTARTBLOCK". All read the same, without that call; before,
// "poll(...) = ?" was kept and a traced unix-server-killed differed from
// C.
func TestReadCutOffByKill(t *testing.T) {
	const start = `30  execve("/bin/c/sock_server", ["/bin/c/sock_server"], 0x7ffd40be7fb8 /* 36 vars */) = 0
30  socket(AF_UNIX, SOCK_STREAM, 0)   = 4
30  close(4)                          = 0
`
	noEnd := start + `30  poll([{fd=4, events=POLLIN}], 1, -1 <unfinished ...>
30  +++ killed by SIGTERM +++
`
	cutOff := start + `30  poll([{fd=4, events=POLLIN}], 1, -1 <unfinished ...>
31  futex(0x1, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>
30  <... poll resumed> <unfinished ...>) = ?
30  +++ killed by SIGTERM +++
`
	oneLine := start + `30  poll([{fd=4, events=POLLIN}], 1, -1 <unfinished ...>) = ?
`
	restart := start + `30  poll([{fd=4, events=POLLIN}], 1, -1) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)
`
	want := []Process{{Label: "server", Calls: []string{"socket(AF_UNIX, SOCK_STREAM, 0) = 4", "close(4) = 0"}}}
	for name, text := range map[string]string{"no end": noEnd, "resumed = ?": cutOff, "one line": oneLine, "restart": restart} {
		if diff := cmp.Diff(want, Read("server", text, Options{})); diff != "" {
			t.Errorf("%s: Read (-want +got):\n%s", name, diff)
		}
	}
	// The wrong input: a poll that did end is the program's call.
	ended := strings.Replace(cutOff, "<... poll resumed> <unfinished ...>) = ?", "<... poll resumed>) = 1 ([{fd=4, revents=POLLIN}])", 1)
	if got := Read("server", ended, Options{}); len(got) != 1 || len(got[0].Calls) != 3 {
		t.Errorf("a poll that ended: Read = %q, want it kept", got)
	}
}

//go:build linux

package trace

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A Process is the normalised system calls of one process of a run: the
// process a step started ("server"), or one it forked ("pipe child 1").
type Process struct {
	Label string   `json:"label"`
	Calls []string `json:"calls"`
	// Known are the known differences (Known) that were read in this
	// process's calls: Go's way of doing what C's calls do.
	Known []string `json:"known,omitempty"`
}

// Filtered says what Read leaves out of a trace, and why: none of it is
// the program's IPC, and all of it differs between C, cgo and Go for
// reasons of their own.
var Filtered = []string{
	"the execve calls of the process a step starts, and its calls before the last: the runner's command (its path differs by form), and a wrapper's (sh -c 'exec port', setpriv for another user)",
	"thread creation (clone or clone3 with CLONE_THREAD): the Go runtime's threads, glibc's pthreads; calls of any thread count as their process's",
	"memory management: mmap that is not MAP_SHARED of a descriptor (the Go heap, malloc, the loader); munmap is not traced, since which mapping an address is cannot be told across runs",
	"the loader's and the runtime's files: open, read, pread64, mmap and close of files under /etc, /lib, /lib64, /usr, /sys and /proc (ld.so.cache, libc, transparent_hugepage, cgroup limits)",
	"stdio: read and write on stdin, stdout and stderr and on descriptors duplicated from them (glibc's perror): output is compared as output, and C's stdio buffers what Go writes at once; and the runner's side channel, descriptor 3, compared as errno",
	"Go's os package asking once whether pidfds work: pidfd_open, pidfd_send_signal, a clone with CLONE_VFORK and without SIGCHLD, and the waitid and close of their pidfds",
	"calls the kernel restarts after a signal (= ? ERESTART...): the restarted call follows; calls strace cannot name (???), which a thread ending with its process shows; and calls the process's end cut off (= ?, or unfinished with no end): C's poll, for one, ends in ERESTART where Go's thread is cut off",
	"signals, futexes (the Go scheduler's, and semaphores, whose waits depend on timing), scheduling and time: not traced at all (runner.StraceSyscalls)",
}

// Options say how to read a trace.
type Options struct {
	// Known are the IDs of the known differences (Known) that apply to
	// the process's language; Read names the ones it used in
	// Process.Known.
	Known []string
}

// SideChannel is the descriptor of the runner's errno side channel
// (IPCPARITY_REPORT_FD): every process starts with it, and what is written
// on it is compared as errno.
const SideChannel = 3

// noisePaths start the paths of the loader's and the runtime's files.
var noisePaths = []string{"/etc/", "/lib/", "/lib64/", "/usr/", "/sys/", "/proc/"}

// state is what the calls of one process have set up so far.
type state struct {
	label    string
	fds      map[int]int // the process's descriptor → its normalised number
	used     map[int]bool
	cloexec  map[int]bool // descriptors with close-on-exec
	ignored  map[int]bool // descriptors of the loader, runtime or stdio
	pidfds   map[int]string
	children int
	execs    int
	hidden   bool // the os package's pidfd probe
	wrapped  bool // an execve of the process a step started: drop what came before
}

func newState(label string) *state {
	s := &state{label: label, fds: map[int]int{}, used: map[int]bool{}, cloexec: map[int]bool{}, ignored: map[int]bool{}, pidfds: map[int]string{}}
	for fd := 0; fd <= SideChannel; fd++ {
		s.fds[fd], s.used[fd], s.ignored[fd] = fd, true, true // stdio, and the runner's side channel
	}
	return s
}

// fork copies the state into a new process: a child inherits its parent's
// descriptors at the same numbers.
func (s *state) fork(label string) *state {
	c := newState(label)
	c.fds, c.used, c.cloexec, c.ignored = clone(s.fds), clone(s.used), clone(s.cloexec), clone(s.ignored)
	return c
}

func clone[K comparable, V any](m map[K]V) map[K]V {
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// alloc gives a new descriptor the lowest normalised number that is free,
// as the kernel gives the lowest free descriptor: with the runtime's own
// descriptors left out, numbers compare across forms.
func (s *state) alloc(fd int, cloexec bool) int {
	n := 0
	for s.used[n] {
		n++
	}
	s.fds[fd], s.used[n] = n, true
	if cloexec {
		s.cloexec[fd] = true
	} else {
		delete(s.cloexec, fd)
	}
	return n
}

func (s *state) release(fd int) {
	if n, ok := s.fds[fd]; ok {
		delete(s.used, n)
		delete(s.fds, fd)
	}
	delete(s.cloexec, fd)
	delete(s.ignored, fd)
}

// fd renders a descriptor argument by its normalised number.
func (s *state) fd(arg string) string {
	fd, err := strconv.Atoi(arg)
	if err != nil {
		return arg
	}
	if n, ok := s.fds[fd]; ok {
		return strconv.Itoa(n)
	}
	return arg
}

// isIgnored reports whether the argument is a descriptor of the loader,
// the runtime or stdio.
func (s *state) isIgnored(arg string) bool {
	fd, err := strconv.Atoi(arg)
	return err == nil && s.ignored[fd]
}

var (
	hexAddr  = regexp.MustCompile(`0x[0-9a-f]{6,}`)
	port     = regexp.MustCompile(`htons\(\d+\)`)
	semTemp  = regexp.MustCompile(`/dev/shm/sem\.[A-Za-z0-9]{6}"`)
	pollFd   = regexp.MustCompile(`fd=(-?\d+)`)
	arrayFds = regexp.MustCompile(`^\[(-?\d+), (-?\d+)\]$`)
	flagsArg = regexp.MustCompile(`flags=([A-Z0-9_|]+)`)
	pidfdArg = regexp.MustCompile(`(?:parent_tid|pidfd)=\[(\d+)\]`)
)

// glibcFork is the flags of glibc's fork().
const glibcFork = "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"

// Read reads the trace of one process that a step started (labelled role)
// and of every process it started, and returns their IPC-relevant calls,
// normalised as follows:
//
//   - descriptors are renumbered by creation order, each new one getting
//     the lowest number free (what the kernel would give without the
//     runtime's own), and children inherit their parent's;
//   - the process's children are named by creation order ("child 1"), in
//     results (fork() = child 1) and in wait4's;
//   - shared mappings are named by order (ADDR1), other addresses are ADDR,
//     TCP ports are PORT, and glibc's temporary semaphore names are
//     sem.XXXXXX;
//   - calls that do one thing in two ways are written one way: open for
//     openat(AT_FDCWD, ...), unlink, link, mknod likewise, pipe for pipe2
//     without flags, dup2 for dup3 without flags, accept for accept4
//     without flags, recv and send for recvfrom and sendto without an
//     address, poll for ppoll without a timeout or mask;
//
// and what Filtered lists is left out. The run's directory, names and
// token are the runner's to normalise ($DIR, $IPC_NAME, $RUN).
func Read(role, text string, o Options) []Process {
	calls := parse(text)
	if len(calls) == 0 {
		return []Process{{Label: role}}
	}
	procOf := map[int]*state{} // thread → process
	root := newState(role)
	procOf[calls[0].tid] = root
	procs := []*state{root}
	out := map[*state]*Process{root: {Label: role}}
	pidName := map[string]string{} // a child's pid → its label, relative to its parent
	for i, c := range calls {
		s := procOf[c.tid]
		if s == nil {
			continue // a thread whose creation was not seen
		}
		p := out[s]
		line, known := s.render(c, calls[i+1:], procOf, pidName, o, func(child *state) {
			procs = append(procs, child)
			out[child] = &Process{Label: child.label}
		})
		if known != "" && !slices.Contains(p.Known, known) {
			p.Known = append(p.Known, known)
		}
		if s.wrapped {
			p.Calls, s.wrapped = nil, false
		}
		if line != "" && !s.hidden {
			p.Calls = append(p.Calls, normalizeLine(line))
		}
	}
	var list []Process
	for _, s := range procs {
		if !s.hidden {
			p := out[s]
			p.Calls = collapse(p.Calls)
			list = append(list, *p)
		}
	}
	return list
}

// collapse writes a run of equal calls (a loop that reads a byte at a
// time) once, with its count: "read(3, "a", 1) = 1 ×65535".
func collapse(calls []string) []string {
	var out []string
	for i := 0; i < len(calls); {
		j := i + 1
		for j < len(calls) && calls[j] == calls[i] {
			j++
		}
		if j-i > 1 {
			out = append(out, fmt.Sprintf("%s ×%d", calls[i], j-i))
		} else {
			out = append(out, calls[i])
		}
		i = j
	}
	return out
}

// allows reports whether the known difference id applies.
func (o Options) allows(id string) bool { return slices.Contains(o.Known, id) }

// render returns the normalised line of c ("" to leave it out) and the
// known difference it stands for, if any. next are the calls after c in
// the whole trace; newChild registers a process c creates.
func (s *state) render(c call, next []call, procOf map[int]*state, pidName map[string]string, o Options, newChild func(*state)) (string, string) {
	a := c.args
	arg := func(i int) string {
		if i < len(a) {
			return a[i]
		}
		return ""
	}
	res := c.result
	resFd, resErr := strconv.Atoi(res)
	ok := resErr == nil && resFd >= 0
	if strings.HasPrefix(res, "? ERESTART") || c.name == "???" || res == "?" {
		// Restarted; a call strace could not name (a thread ending with
		// its process); a call the process's end cut off, which strace
		// shows or not depending on when the signal came.
		return "", ""
	}
	known := ""
	name := c.name
	switch name {
	case "execve":
		s.execs++
		if s.label == procLabelRoot(s) {
			// The runner's command, or a wrapper's exec of the program
			// (sh -c 'exec port', setpriv for another user): what came
			// before was the wrapper's.
			if ok {
				for fd := range s.cloexec {
					s.release(fd)
				}
				s.wrapped = true
			}
			return "", ""
		}
		if ok {
			for fd := range s.cloexec {
				s.release(fd)
			}
		}
		if o.allows("fork") && s.execs == 1 {
			// Go's child is its binary run again (known difference fork).
			return "", "fork"
		}
		return fmt.Sprintf("execve(%s, %s) = %s", a[0], arg(1), res), ""
	case "clone", "clone3", "fork", "vfork":
		flags := ""
		if m := flagsArg.FindStringSubmatch(strings.Join(a, ", ")); m != nil {
			flags = m[1]
		}
		pid, err := strconv.Atoi(res)
		if err != nil || pid <= 0 {
			return fmt.Sprintf("%s(%s) = %s", name, flags, res), ""
		}
		if strings.Contains(flags, "CLONE_THREAD") {
			procOf[pid] = s
			return "", ""
		}
		s.children++
		child := s.fork(fmt.Sprintf("%s child %d", s.label, s.children))
		procOf[pid] = child
		newChild(child)
		rel := fmt.Sprintf("child %d", s.children)
		pidName[res] = rel
		pidfd := -1
		if m := pidfdArg.FindStringSubmatch(strings.Join(a, ", ")); m != nil {
			pidfd, _ = strconv.Atoi(m[1])
		}
		if strings.Contains(flags, "CLONE_VFORK") && !strings.Contains(flags, "SIGCHLD") {
			// The os package's pidfd probe.
			child.hidden = true
			s.children--
			if pidfd >= 0 {
				s.ignored[pidfd] = true
			}
			return "", ""
		}
		if pidfd >= 0 {
			if o.allows("fork") && strings.Contains(flags, "CLONE_VFORK") {
				s.ignored[pidfd], s.pidfds[pidfd] = true, rel
			} else {
				s.alloc(pidfd, true)
			}
		}
		switch {
		case name == "fork" || flags == glibcFork:
			return "fork() = " + rel, ""
		case o.allows("fork") && strings.Contains(flags, "CLONE_VFORK") && strings.Contains(flags, "SIGCHLD"):
			return "fork() = " + rel, "fork"
		}
		return fmt.Sprintf("%s(flags=%s) = %s", name, flags, rel), ""
	case "wait4":
		if r, ok := pidName[res]; ok {
			res = r
		}
		return fmt.Sprintf("wait4(%s, %s, %s, %s) = %s", arg(0), arg(1), arg(2), arg(3), res), ""
	case "waitid":
		if arg(0) == "P_PIDFD" {
			fd, _ := strconv.Atoi(arg(1))
			if rel, ok := s.pidfds[fd]; ok && res == "0" {
				return "wait4(-1, NULL, 0, NULL) = " + rel, "fork"
			}
			if s.isIgnored(arg(1)) {
				return "", ""
			}
			return fmt.Sprintf("waitid(P_PIDFD, %s, %s) = %s", s.fd(arg(1)), arg(3), res), ""
		}
		return fmt.Sprintf("waitid(%s, %s, %s) = %s", arg(0), arg(1), arg(3), res), ""
	case "kill":
		pid := arg(0)
		if r, ok := pidName[pid]; ok {
			pid = r
		}
		return fmt.Sprintf("kill(%s, %s) = %s", pid, arg(1), res), ""
	case "pidfd_open", "pidfd_send_signal":
		if name == "pidfd_open" && ok {
			s.ignored[resFd] = true
		}
		return "", ""
	case "open", "openat":
		if name == "openat" {
			if arg(0) != "AT_FDCWD" {
				break
			}
			a = a[1:]
		}
		path, _ := strconv.Unquote(arg(0))
		for _, pre := range noisePaths {
			if strings.HasPrefix(path, pre) {
				if ok {
					s.ignored[resFd] = true
				}
				return "", ""
			}
		}
		if ok {
			res = strconv.Itoa(s.alloc(resFd, strings.Contains(arg(1), "O_CLOEXEC")))
		}
		return "open(" + strings.Join(a, ", ") + ") = " + res, ""
	case "close":
		if s.isIgnored(arg(0)) {
			fd, _ := strconv.Atoi(arg(0))
			s.release(fd)
			return "", ""
		}
		line := "close(" + s.fd(arg(0)) + ") = " + res
		if fd, err := strconv.Atoi(arg(0)); err == nil && res == "0" {
			s.release(fd)
		}
		return line, ""
	case "read", "write", "pread64":
		if s.isIgnored(arg(0)) {
			return "", ""
		}
	case "dup", "dup2", "dup3":
		if s.isIgnored(arg(0)) {
			if ok {
				s.ignored[resFd] = true // a descriptor of stdio (perror's)
			}
			return "", ""
		}
		if name == "dup3" && arg(2) == "0" {
			name, a = "dup2", a[:2]
		}
		src := s.fd(arg(0))
		if name == "dup" {
			if ok {
				res = strconv.Itoa(s.alloc(resFd, false))
			}
			return "dup(" + src + ") = " + res, ""
		}
		// dup2 and dup3 name the new descriptor: it keeps the number it
		// had, or takes the lowest free.
		dst := s.fd(arg(1))
		if ok {
			target, had := s.fds[resFd]
			s.release(resFd)
			n := s.alloc(resFd, strings.Contains(arg(2), "O_CLOEXEC"))
			if had {
				delete(s.used, n)
				s.fds[resFd], s.used[target] = target, true
				n = target
			}
			dst, res = strconv.Itoa(n), strconv.Itoa(n)
		}
		rest := ""
		if len(a) > 2 {
			rest = ", " + strings.Join(a[2:], ", ")
		}
		return name + "(" + src + ", " + dst + rest + ") = " + res, ""
	case "pipe", "pipe2":
		m := arrayFds.FindStringSubmatch(arg(0))
		if m == nil || res != "0" {
			break
		}
		r, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		cloexec := strings.Contains(arg(1), "O_CLOEXEC")
		if o.allows("fork") && cloexec && nextIsVforkClone(c.tid, next, procOf) {
			// Go's os.StartProcess: a pipe on which the child reports a
			// failed exec; it is closed before the fork returns.
			s.ignored[r], s.ignored[w] = true, true
			return "", "fork"
		}
		nr, nw := s.alloc(r, cloexec), s.alloc(w, cloexec)
		if name == "pipe2" && arg(1) == "0" {
			name, a = "pipe", a[:1]
		}
		rest := ""
		if len(a) > 1 {
			rest = ", " + strings.Join(a[1:], ", ")
		}
		return fmt.Sprintf("%s([%d, %d]%s) = %s", name, nr, nw, rest, res), ""
	case "socketpair":
		if m := arrayFds.FindStringSubmatch(arg(3)); m != nil && res == "0" {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			cloexec := strings.Contains(arg(1), "SOCK_CLOEXEC")
			return fmt.Sprintf("socketpair(%s, %s, %s, [%d, %d]) = 0", arg(0), arg(1), arg(2), s.alloc(x, cloexec), s.alloc(y, cloexec)), ""
		}
	case "socket", "mq_open":
		if ok {
			res = strconv.Itoa(s.alloc(resFd, strings.Contains(strings.Join(a, ","), "CLOEXEC")))
		}
		return name + "(" + strings.Join(a, ", ") + ") = " + res, ""
	case "accept", "accept4":
		if name == "accept4" && arg(3) == "0" {
			name, a = "accept", a[:3]
		}
		if o.allows("accept-peer-address") && name == "accept" && strings.HasPrefix(arg(1), "{sa_family=") && ok {
			a, known = []string{arg(0), "NULL", "NULL"}, "accept-peer-address"
		}
		src := s.fd(arg(0))
		if ok {
			res = strconv.Itoa(s.alloc(resFd, strings.Contains(arg(3), "SOCK_CLOEXEC")))
		}
		return name + "(" + src + ", " + strings.Join(a[1:], ", ") + ") = " + res, known
	case "mmap":
		if !strings.Contains(arg(3), "MAP_SHARED") || strings.Contains(arg(3), "MAP_ANONYMOUS") || s.isIgnored(arg(4)) {
			return "", ""
		}
		a = slices.Clone(a)
		a[4] = s.fd(arg(4))
		return "mmap(" + strings.Join(a, ", ") + ") = ADDR", ""
	case "recvfrom":
		if arg(4) == "NULL" && arg(5) == "NULL" {
			name, a = "recv", a[:4]
		}
	case "sendto":
		if arg(4) == "NULL" && arg(5) == "0" {
			name, a = "send", a[:4]
		}
	case "ppoll":
		if arg(2) == "NULL" && arg(3) == "NULL" {
			name, a = "poll", []string{arg(0), arg(1), "-1"}
		}
	case "unlinkat":
		if arg(0) == "AT_FDCWD" && arg(2) == "0" {
			name, a = "unlink", a[1:2]
		}
	case "linkat":
		if arg(0) == "AT_FDCWD" && arg(2) == "AT_FDCWD" && arg(4) == "0" {
			name, a = "link", []string{arg(1), arg(3)}
		}
	case "mknodat":
		if arg(0) == "AT_FDCWD" {
			name, a = "mknod", a[1:]
		}
	}
	// Calls whose first argument is a descriptor.
	a = slices.Clone(a)
	if o.allows("empty-buffer") && len(a) > 2 && a[1] == "NULL" && a[2] == "0" && (name == "send" || name == "write") {
		a[1], known = `""`, "empty-buffer"
	}
	switch name {
	case "read", "write", "pread64", "ftruncate", "mq_timedsend", "mq_timedreceive", "mq_getsetattr", "mq_notify",
		"setsockopt", "getsockopt", "bind", "listen", "connect", "send", "sendto", "sendmsg", "recv", "recvfrom",
		"recvmsg", "shutdown", "fcntl":
		if len(a) > 0 {
			a[0] = s.fd(a[0])
		}
	case "poll":
		if len(a) > 0 {
			a[0] = pollFd.ReplaceAllStringFunc(a[0], func(m string) string { return "fd=" + s.fd(m[3:]) })
		}
		res = pollFd.ReplaceAllStringFunc(res, func(m string) string { return "fd=" + s.fd(m[3:]) })
	}
	return name + "(" + strings.Join(a, ", ") + ") = " + res, known
}

// normalizeLine writes what differs between runs alike: addresses,
// ports, glibc's temporary semaphore names.
func normalizeLine(line string) string {
	line = hexAddr.ReplaceAllString(line, "ADDR")
	line = port.ReplaceAllString(line, "htons(PORT)")
	return semTemp.ReplaceAllString(line, `/dev/shm/sem.XXXXXX"`)
}

// procLabelRoot is the label of the process a step started: the label up
// to its first " child".
func procLabelRoot(s *state) string {
	root, _, _ := strings.Cut(s.label, " child ")
	return root
}

// nextIsVforkClone reports whether the next call of the thread is a clone
// with CLONE_VFORK: the fork of Go's os.StartProcess.
func nextIsVforkClone(tid int, next []call, procOf map[int]*state) bool {
	for _, c := range next {
		if c.tid != tid {
			continue
		}
		return (c.name == "clone" || c.name == "clone3") && strings.Contains(strings.Join(c.args, ", "), "CLONE_VFORK")
	}
	return false
}

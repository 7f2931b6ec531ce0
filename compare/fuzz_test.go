//go:build linux

package compare

// Differential fuzzing of call scripts: each Fuzz target below runs a
// script on cipc and on goipc, sandboxed as `ipcparity calls` runs it, and
// fails when the sides differ in any way (transcript, mismatches with the
// script's expectations, timeouts, leftovers, exit). A fuzz input is a
// script's text (seeded from testdata/calls) and bytes from which
// generate writes more calls of the mechanism: valid, closed and invalid
// descriptors, flag combinations, sizes at boundaries, names with odd
// characters; when the fuzzer has broken the text's syntax, the generated
// calls run alone. Only the sides' agreement is judged; what each call
// returns is not (the generated calls carry no expectations).
//
// Without -fuzz, go test runs the seed corpus: each script of the
// mechanism with calls generated from its file name appended, and the
// generated calls alone. `make fuzz` runs each target for FUZZTIME.

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/ipcparity/ipcparity/compare/judge"
	"github.com/ipcparity/ipcparity/compare/runner"
)

func FuzzPipeCalls(f *testing.F) { fuzzCalls(f, "pipe", genPipe) }
func FuzzFIFOCalls(f *testing.F) { fuzzCalls(f, "fifo", genFIFO) }
func FuzzMqCalls(f *testing.F)   { fuzzCalls(f, "mq", genMq) }
func FuzzShmCalls(f *testing.F)  { fuzzCalls(f, "shm", genShm) }
func FuzzSockCalls(f *testing.F) { fuzzCalls(f, "sock", genSock) }

// fuzzSeedScripts bounds how many of a mechanism's scripts seed its
// target in an ordinary go test (all of them when fuzzing): the seed
// corpus runs in make check, and each seed costs two sandboxed runs.
const fuzzSeedScripts = 3

// fuzzExecDeadline bounds the runs of one input: a script of the corpus
// runs in well under a second on both sides, and Go's fuzzing worker
// gives up on a call of the fuzz function after 10 s, teardown included.
const fuzzExecDeadline = 4 * time.Second

// fuzzCalls is the fuzz target of mechanism mech, whose calls gen writes.
func fuzzCalls(f *testing.F, mech string, gen func(*callGen)) {
	files, _ := filepath.Glob("../testdata/calls/" + mech + "_*.calls")
	if len(files) == 0 {
		f.Fatalf("no %s call scripts to seed from", mech)
	}
	if fl := flag.Lookup("test.fuzz"); fl == nil || fl.Value.String() == "" {
		files = files[:min(len(files), fuzzSeedScripts)]
	}
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(text), seedBytes(file))
	}
	f.Add("", seedBytes(mech))
	if why := runner.Sandboxed(); why != nil {
		// Generated names hold no $RUN (they are at a length's
		// boundary): only a sandbox keeps them off the host.
		f.Skipf("runs are not sandboxed (%v): generated scripts would name objects on the host", why)
	}
	sides := runner.ScriptSides(binDir)
	f.Fuzz(func(t *testing.T, base string, ops []byte) {
		calls := generate(gen, ops)
		text := base + "\n# generated\n" + calls
		script, err := Calls().Parse(mech+"_fuzz.calls", text)
		if err != nil {
			// The fuzzer broke the base's syntax: the generated calls
			// alone, which always parse.
			if calls == "" {
				t.Skip("not a script, and no calls generated:", err)
			}
			text = calls
			if script, err = Calls().Parse(mech+"_fuzz.calls", text); err != nil {
				t.Fatalf("generated calls do not parse: %v\n%s", err, text)
			}
		}
		for k, v := range script.Sysctls {
			// The sandbox refuses a script's sysctls one at a time, in
			// no set order: a script with two bad ones is no test of
			// the sides.
			if !slices.Contains(fuzzSysctls, k) || strings.Trim(v, "0123456789") != "" {
				t.Skipf("#sysctl %s=%s: not one the seeds set", k, v)
			}
		}
		// A script that blocks (a mutated base's call without
		// O_NONBLOCK) would hold each side to the run's deadline: it is
		// cut short and left out.
		ctx, cancel := context.WithTimeout(context.Background(), fuzzExecDeadline)
		defer cancel()
		res := runFuzzScript(ctx, t, sides, text)
		if ctx.Err() != nil {
			t.Skipf("blocks for more than %s", fuzzExecDeadline)
		}
		if d := divergence(res); d != "" {
			t.Errorf("cipc and goipc differ on this script:\n%s\n-- the difference:\n%s", text, d)
		}
	})
}

// fuzzSysctls are the sysctls a fuzzed script may set (those the seeds
// set), each to a number.
var fuzzSysctls = []string{"fs/mqueue/msg_max", "fs/mqueue/msgsize_max", "fs/mqueue/queues_max"}

// seedBytes are fixed bytes for generate, derived from s.
func seedBytes(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// runFuzzScript writes text to a file of the test's own and runs it on
// sides[0] (cipc) and sides[1] (goipc).
func runFuzzScript(ctx context.Context, t *testing.T, sides []runner.Form, text string) judge.ScriptResult {
	t.Helper()
	file := filepath.Join(t.TempDir(), "fuzz.calls")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var probes []runner.Probe
	if runner.Sandboxed() != nil {
		probes = ScriptProbes() // as RunScript does: no sandbox lists the queues
	}
	return judge.RunScript(ctx, Calls(), file, sides, probes)
}

// divergence says how the two sides of a script's run differ, or "" when
// they do not. Unlike a script's ordinary verdict, a mismatch with the
// script's expectations, a timeout or a leftover is no divergence when
// both sides have it.
func divergence(r judge.ScriptResult) string {
	var b strings.Builder
	if r.Diff != "" {
		fmt.Fprintf(&b, "transcripts (-cipc +goipc):\n%s", r.Diff)
	}
	if d := cmp.Diff(r.Problems[runner.SideC], r.Problems[runner.SideGo]); d != "" {
		fmt.Fprintf(&b, "problems (-cipc +goipc):\n%s", d)
	}
	// An error found by one side only is joined with "; SIDE: ".
	if strings.Contains(r.Error, "; "+runner.SideGo+": ") || strings.Contains(r.Error, "; "+runner.SideC+": ") {
		fmt.Fprintf(&b, "script errors: %s\n", r.Error)
	}
	return b.String()
}

// A callGen writes the calls of one generated script. It draws its
// choices from the fuzzer's bytes (zero once they run out) and tracks
// what the script has bound, so that a call uses a valid descriptor most
// of the time, and never a blocking one or a freed semaphore (C would
// block or crash, which no comparison needs).
type callGen struct {
	in    []byte
	lines []string
	n     int      // variables named so far
	fds   []string // open, non-blocking descriptors
	shut  []string // descriptors closed since
	sems  []string // semaphores: named ones open, and mappings that hold one
	maps  []string // mappings, each with its length after a space
	inet  []string // AF_INET sockets, whose port may be ephemeral
}

// maxGenCalls bounds a generated script, so that an input runs in well
// under a second.
const maxGenCalls = 40

// generate returns the calls gen writes from ops, a line each ("" for
// none).
func generate(gen func(*callGen), ops []byte) string {
	g := &callGen{in: ops}
	for len(g.in) > 0 && len(g.lines) < maxGenCalls {
		gen(g)
	}
	if len(g.lines) == 0 {
		return ""
	}
	return strings.Join(g.lines, "\n") + "\n"
}

func (g *callGen) byte() byte {
	if len(g.in) == 0 {
		return 0
	}
	b := g.in[0]
	g.in = g.in[1:]
	return b
}

// intn is a choice among n.
func (g *callGen) intn(n int) int { return int(g.byte()) % n }

// pick is one of xs.
func (g *callGen) pick(xs ...string) string { return xs[g.intn(len(xs))] }

// chance is true k times in 8.
func (g *callGen) chance(k int) bool { return g.intn(8) < k }

// newVar is a variable name no line has used ($g1, $g2, ...).
func (g *callGen) newVar() string {
	g.n++
	return fmt.Sprintf("$g%d", g.n)
}

func (g *callGen) add(format string, args ...any) {
	g.lines = append(g.lines, fmt.Sprintf(format, args...))
}

// opened records descriptors the script opened (non-blocking ones).
func (g *callGen) opened(vars ...string) { g.fds = append(g.fds, vars...) }

// fd is a descriptor: an open one mostly, else a closed one or a number
// that names none (never 0, 1 or 2: the transcript is on 1).
func (g *callGen) fd() string {
	if len(g.fds) > 0 && g.chance(6) {
		return g.fds[g.intn(len(g.fds))]
	}
	if len(g.shut) > 0 && g.chance(4) {
		return g.shut[g.intn(len(g.shut))]
	}
	return g.pick("-1", "1000", "2147483647", "-2147483648")
}

// closeFd closes a descriptor, which the script then uses as a closed one.
func (g *callGen) closeFd() {
	fd := g.fd()
	g.add("close(%s)", fd)
	if i := slices.Index(g.fds, fd); i >= 0 {
		g.fds = slices.Delete(g.fds, i, i+1)
		g.shut = append(g.shut, fd)
	}
}

// size is a byte count at a boundary: of a page, of a pipe's buffer, of
// PIPE_BUF, of a small queue's messages.
func (g *callGen) size() int {
	sizes := []int{0, 1, 2, 7, 8, 9, 16, 17, 31, 32, 33, 4095, 4096, 4097, 65535, 65536, 65537, 1 << 20}
	return sizes[g.intn(len(sizes))]
}

// data is a string argument and its count: n bytes of x, or a short string
// with a NUL and bytes that are not text; the count is the whole or one
// short.
func (g *callGen) data() (string, int) {
	var s string
	var n int
	switch g.intn(4) {
	case 0:
		s, n = `"a\x00b\n\xff"`, 5
	default:
		n = g.size()
		s = `""`
		if n > 0 {
			s = fmt.Sprintf(`"x"*%d`, n)
		}
	}
	if n > 0 && g.chance(2) {
		n--
	}
	return s, n
}

// fcntl is one of the fcntl commands on fd, keeping it non-blocking.
func (g *callGen) fcntl(fd string) {
	switch g.intn(6) {
	case 0:
		g.add("fcntl(%s, %s)", fd, g.pick("F_GETFL", "F_GETFD", "F_GETPIPE_SZ", "9999"))
	case 1:
		g.add("fcntl(%s, F_SETFL, O_NONBLOCK|%s)", fd, g.pick("0", "O_APPEND", "O_DIRECT", "O_RDWR", "O_NOFOLLOW", "O_CREAT"))
	case 2:
		g.add("fcntl(%s, F_SETFD, %s)", fd, g.pick("0", "FD_CLOEXEC", "2", "-1"))
	default:
		g.add("fcntl(%s, F_SETPIPE_SZ, %s)", fd, g.pick("0", "1", "4096", "4097", "65536", "1048576", "1048577", "2147483647", "-1"))
	}
}

// rw reads or writes a descriptor, or closes or changes it.
func (g *callGen) rw() {
	switch g.intn(8) {
	case 0, 1, 2:
		g.add("read(%s, buf, %d)", g.fd(), g.size())
	case 3, 4, 5:
		s, n := g.data()
		g.add("write(%s, %s, %d)", g.fd(), s, n)
	case 6:
		g.closeFd()
	default:
		g.fcntl(g.fd())
	}
}

func genPipe(g *callGen) {
	switch g.intn(6) {
	case 0:
		r, w := g.newVar(), g.newVar()
		// Flags pipe2 refuses (EINVAL) among those it takes.
		g.add("pipe2([%s, %s], O_NONBLOCK|%s)", r, w, g.pick("0", "O_CLOEXEC", "O_DIRECT", "O_CLOEXEC|O_DIRECT", "O_RDWR", "O_APPEND"))
		g.opened(r, w)
	case 1:
		r, w := g.newVar(), g.newVar()
		g.add("pipe([%s, %s])", r, w)
		g.add("fcntl(%s, F_SETFL, O_NONBLOCK)", r)
		g.add("fcntl(%s, F_SETFL, O_NONBLOCK)", w)
		g.opened(r, w)
	default:
		g.rw()
	}
}

// fifoPath is a path for the FIFO calls: mostly the script's own, else
// one in no directory, a directory, a read-only place, one too long, or
// one with odd bytes.
func (g *callGen) fifoPath() string {
	if g.chance(5) {
		return `"p$RUN"`
	}
	return g.pick(`"q$RUN"`, `"nodir/p$RUN"`, `""`, `"."`, `"/"`, `"p$RUN/"`, `"/proc/p$RUN"`, `"x"*255`, `"x"*256`, `"p\n\xff$RUN"`, `"/tmp/run/p$RUN"`)
}

// mode is a creation mode, with bits beyond the permissions at times.
func (g *callGen) mode() string {
	return g.pick("0600", "0644", "0666", "0777", "0", "07777", "0170600", "010600", "0100000")
}

func genFIFO(g *callGen) {
	switch g.intn(9) {
	case 0, 1:
		g.add("mkfifo(%s, %s)", g.fifoPath(), g.mode())
	case 2, 3:
		fd := g.newVar()
		flags := "O_NONBLOCK|" + g.pick("O_RDONLY", "O_WRONLY", "O_RDWR", "O_RDWR|O_WRONLY")
		extra := g.pick("", "|O_CLOEXEC", "|O_TRUNC", "|O_APPEND", "|O_NOFOLLOW", "|O_EXCL", "|O_CREAT", "|O_CREAT|O_EXCL")
		if strings.Contains(extra, "O_CREAT") {
			g.add("open(%s, %s%s, %s) = %s", g.fifoPath(), flags, extra, g.mode(), fd)
		} else {
			g.add("open(%s, %s%s) = %s", g.fifoPath(), flags, extra, fd)
		}
		g.opened(fd)
	case 4:
		g.add("unlink(%s)", g.fifoPath())
	case 5:
		g.add("umask(%s)", g.pick("0", "022", "077", "0777", "07777"))
	case 6:
		g.add("mode(%s)", g.fifoPath())
	default:
		g.rw()
	}
}

// ipcName is a name for shm_open, sem_open and mq_open: mostly the
// script's own, else one without the slash, with two, with a slash
// inside, empty, dots, at NAME_MAX and beyond, with odd bytes.
func (g *callGen) ipcName(c string) string {
	if g.chance(5) {
		return `"/` + c + `$RUN"`
	}
	return g.pick(`"`+c+`$RUN"`, `"//`+c+`$RUN"`, `"/a/`+c+`$RUN"`, `"/"`, `""`, `"/."`, `"/.."`,
		`"/x"*1`, `"x"*255`, `"x"*256`, `"/`+c+`\n\xff$RUN"`, `"/`+c+` $RUN"`)
}

// past is a deadline that has passed, or one the kernel refuses.
func (g *callGen) past() string {
	return g.pick("{tv_sec=+-1, tv_nsec=+0}", "{tv_sec=0, tv_nsec=0}", "{tv_sec=-1, tv_nsec=0}",
		"{tv_sec=+0, tv_nsec=1000000000}", "{tv_sec=+0, tv_nsec=-1}", "{tv_sec=+0, tv_nsec=+0}")
}

func genMq(g *callGen) {
	q := func() string {
		if len(g.fds) > 0 && g.chance(7) {
			return g.fds[g.intn(len(g.fds))]
		}
		return g.fd()
	}
	prio := func() string { return g.pick("0", "1", "31", "32767", "MQ_PRIO_MAX", "-1", "4294967295") }
	switch g.intn(12) {
	case 0, 1:
		v := g.newVar()
		flags := "O_NONBLOCK|" + g.pick("O_RDONLY", "O_WRONLY", "O_RDWR", "O_RDWR|O_WRONLY")
		switch g.intn(4) {
		case 0:
			g.add("mq_open(%s, %s) = %s", g.ipcName("q"), flags, v)
		case 1:
			g.add("mq_open(%s, %s|O_CREAT%s, %s, NULL) = %s", g.ipcName("q"), flags, g.pick("", "|O_EXCL"), g.mode(), v)
		default:
			g.add("mq_open(%s, %s|O_CREAT%s, %s, {mq_maxmsg=%s, mq_msgsize=%s}) = %s", g.ipcName("q"), flags, g.pick("", "|O_EXCL"), g.mode(),
				g.pick("1", "2", "10", "11", "0", "-1", "65536", "65537"), g.pick("1", "8", "16", "8192", "8193", "0", "-1", "1048576", "1048577"), v)
		}
		g.opened(v)
	case 2:
		s, n := g.data()
		if g.chance(4) {
			g.add("mq_send(%s, %s, %d, %s)", q(), s, n, prio())
		} else {
			g.add("mq_timedsend(%s, %s, %d, %s, %s)", q(), s, n, prio(), g.past())
		}
	case 3:
		size := g.pick("0", "1", "8", "16", "8192", "8193", "1048576")
		if g.chance(4) {
			g.add("mq_receive(%s, buf, %s, %s)", q(), size, g.pick("prio", "NULL"))
		} else {
			g.add("mq_timedreceive(%s, buf, %s, %s, %s)", q(), size, g.pick("prio", "NULL"), g.past())
		}
	case 4:
		g.add("mq_getattr(%s, attr)", q())
	case 5:
		// Every mq_flags value keeps O_NONBLOCK: no call may block.
		g.add("mq_setattr(%s, {mq_flags=%s, mq_maxmsg=%s, mq_msgsize=%s}, %s)", q(), g.pick("O_NONBLOCK", "O_NONBLOCK|O_RDWR", "-1"),
			g.pick("0", "1", "-1"), g.pick("0", "1", "-1"), g.pick("oldattr", "NULL"))
	case 6:
		switch g.intn(3) {
		case 0:
			g.add("mq_notify(%s, NULL)", q())
		case 1:
			g.add("mq_notify(%s, {sigev_notify=%s})", q(), g.pick("SIGEV_NONE", "99", "-1"))
		default:
			g.add("mq_notify(%s, {sigev_notify=SIGEV_SIGNAL, sigev_signo=%s})", q(), g.pick("SIGUSR1", "SIGUSR2", "0", "65"))
		}
	case 7:
		fd := q()
		g.add("mq_close(%s)", fd)
		if i := slices.Index(g.fds, fd); i >= 0 {
			g.fds = slices.Delete(g.fds, i, i+1)
			g.shut = append(g.shut, fd)
		}
	case 8:
		g.add("mq_unlink(%s)", g.ipcName("q"))
	case 9:
		g.fcntl(q())
	default:
		g.add("mq_send(%s, %s, 1, %s)", q(), g.pick(`"m"`, `"\x00"`), prio())
	}
}

func genShm(g *callGen) {
	switch g.intn(12) {
	case 0:
		fd := g.newVar()
		g.add("shm_open(%s, %s, %s) = %s", g.ipcName("s"), g.pick("O_RDWR", "O_RDONLY", "O_WRONLY", "O_RDWR|O_CREAT", "O_RDWR|O_CREAT|O_EXCL",
			"O_RDONLY|O_CREAT", "O_RDWR|O_CREAT|O_TRUNC", "O_RDONLY|O_TRUNC", "O_RDWR|O_NOFOLLOW|O_CREAT"), g.mode(), fd)
		g.opened(fd)
	case 1:
		g.add("ftruncate(%s, %s)", g.fd(), g.pick("0", "1", "32", "99", "100", "4095", "4096", "4097", "1048576", "-1"))
	case 2:
		// A region a semaphore can live in: the object is as long as
		// the mapping, which is readable and writable. Its name and
		// descriptor are its own, so that no later call shortens it
		// (a semaphore past the object's end would raise SIGBUS).
		fd, m := g.newVar(), g.newVar()
		size := g.pick("32", "4096", "8192")
		g.add("shm_open(\"/r%s$RUN\", O_RDWR|O_CREAT|O_EXCL, 0600) = %s", fd[1:], fd)
		g.add("ftruncate(%s, %s) = 0", fd, size)
		g.add("mmap(NULL, %s, PROT_READ|PROT_WRITE, MAP_SHARED, %s, 0) = %s", size, fd, m)
		g.maps = append(g.maps, m+" "+size)
		g.sems = append(g.sems, m)
	case 3:
		m := g.newVar()
		length := g.pick("0", "1", "4096", "4097", "1048576", "1073741824")
		g.add("mmap(NULL, %s, %s, %s, %s, %s) = %s", length, g.pick("PROT_READ", "PROT_WRITE", "PROT_READ|PROT_WRITE", "PROT_NONE", "0x10"),
			g.pick("MAP_SHARED", "MAP_PRIVATE", "0", "MAP_SHARED|MAP_PRIVATE"), g.fd(), g.pick("0", "4096", "100", "-4096"), m)
		g.maps = append(g.maps, m+" "+length)
	case 4:
		if len(g.maps) == 0 {
			return
		}
		i := g.intn(len(g.maps))
		m, length, _ := strings.Cut(g.maps[i], " ")
		g.add("munmap(%s, %s)", m, length)
		g.maps = slices.Delete(g.maps, i, i+1)
		g.sems = slices.DeleteFunc(g.sems, func(s string) bool { return s == m })
	case 5:
		s := g.newVar()
		name := g.ipcName("s")
		if g.chance(3) {
			g.add("sem_open(%s, %s) = %s", name, g.pick("0", "O_RDWR", "O_EXCL", "O_RDONLY"), s)
		} else {
			g.add("sem_open(%s, O_CREAT%s, %s, %s) = %s", name, g.pick("", "|O_EXCL", "|O_RDWR"), g.mode(),
				g.pick("0", "1", "2", "SEM_VALUE_MAX", "2147483648", "4294967295"), s)
		}
		g.sems = append(g.sems, s)
	case 6:
		g.add("sem_unlink(%s)", g.ipcName("s"))
	case 7:
		g.add("shm_unlink(%s)", g.ipcName("s"))
	case 8:
		g.closeFd()
	default:
		if len(g.sems) == 0 {
			return
		}
		s := g.sems[g.intn(len(g.sems))]
		switch g.intn(7) {
		case 0, 1:
			g.add("sem_post(%s)", s)
		case 2:
			g.add("sem_trywait(%s)", s)
		case 3:
			g.add("sem_timedwait(%s, %s)", s, g.past())
		case 4:
			g.add("sem_getvalue(%s, sval)", s)
		case 5:
			if !strings.Contains(strings.Join(g.maps, ","), s+" ") {
				return // sem_init takes a mapping
			}
			g.add("sem_init(%s, %s, %s)", s, g.pick("0", "1"), g.pick("0", "1", "SEM_VALUE_MAX", "2147483648"))
		default:
			// A semaphore is not used after sem_close (C's would be
			// freed); a mapping's sem_destroy leaves it usable in glibc.
			if strings.Contains(strings.Join(g.maps, ","), s+" ") {
				g.add("sem_destroy(%s)", s)
				return
			}
			g.add("sem_close(%s)", s)
			g.sems = slices.DeleteFunc(g.sems, func(x string) bool { return x == s })
		}
	}
}

// sockAddr is an address to bind or connect to: a Unix path (the
// script's, a missing directory, too long, abstract-looking, empty) or
// 127.0.0.1 with an ephemeral or fixed port, and its length argument.
func (g *callGen) sockAddr() string {
	switch g.intn(4) {
	case 0, 1:
		path := g.pick(`"s$RUN"`, `"s$RUN"`, `"t$RUN"`, `"nodir/s"`, `""`, `"x"*107`, `"x"*108`, `"\x00abs$RUN"`, `"/proc/s"`)
		return fmt.Sprintf("{sa_family=AF_UNIX, sun_path=%s}, %s", path, g.pick("110", "110", "2", "0", "111"))
	default:
		return fmt.Sprintf("{sa_family=AF_INET, sin_port=%s, sin_addr=%s}, %s", g.pick("0", "5000", "5000", "1"),
			g.pick(`"127.0.0.1"`, `"0.0.0.0"`, `"10.9.9.9"`), g.pick("16", "16", "8"))
	}
}

func genSock(g *callGen) {
	switch g.intn(14) {
	case 0, 1:
		s := g.newVar()
		family := g.pick("AF_UNIX", "AF_UNIX", "AF_INET", "AF_INET6", "99")
		g.add("socket(%s, %s|SOCK_NONBLOCK%s, %s) = %s", family,
			g.pick("SOCK_STREAM", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET", "SOCK_RAW"), g.pick("", "|SOCK_CLOEXEC"),
			g.pick("0", "0", "IPPROTO_TCP", "IPPROTO_UDP", "-1"), s)
		g.opened(s)
		if family == "AF_INET" {
			g.inet = append(g.inet, s)
		}
	case 2:
		g.add("bind(%s, %s)", g.fd(), g.sockAddr())
	case 3:
		// Only Unix sockets connect: a non-blocking TCP connect's
		// progress depends on timing.
		g.add("connect(%s, {sa_family=AF_UNIX, sun_path=%s}, 110)", g.fd(), g.pick(`"s$RUN"`, `"t$RUN"`, `"nodir/s"`))
	case 4:
		g.add("listen(%s, %s)", g.fd(), g.pick("0", "1", "5", "SOMAXCONN", "-1", "2147483647"))
	case 5:
		a := g.newVar()
		g.add("accept(%s, %s) = %s", g.fd(), g.pick("NULL, NULL", "addr, addrlen"), a)
		g.add("fcntl(%s, F_SETFL, O_NONBLOCK)", a)
		g.opened(a)
	case 6:
		s, n := g.data()
		g.add("send(%s, %s, %d, %s)", g.fd(), s, n, g.pick("0", "MSG_NOSIGNAL", "MSG_DONTWAIT", "MSG_NOSIGNAL|MSG_DONTWAIT", "MSG_PEEK"))
	case 7:
		g.add("recv(%s, buf, %d, %s)", g.fd(), g.size(), g.pick("0", "MSG_PEEK", "MSG_DONTWAIT", "MSG_WAITALL|MSG_DONTWAIT"))
	case 8:
		g.add("shutdown(%s, %s)", g.fd(), g.pick("SHUT_RD", "SHUT_WR", "SHUT_RDWR", "3", "-1"))
	case 9:
		g.add("setsockopt(%s, %s, %s, [%s], 4)", g.fd(), g.pick("SOL_SOCKET", "SOL_SOCKET", "IPPROTO_TCP", "-1"),
			g.pick("SO_REUSEADDR", "SO_KEEPALIVE", "SO_RCVBUF", "SO_SNDBUF", "9999"), g.pick("0", "1", "-1", "2147483647"))
	case 10:
		// An Internet socket's port may be ephemeral (listen binds
		// one): the transcript names it by a variable.
		if fd := g.fd(); slices.Contains(g.inet, fd) {
			g.add("getsockname(%s, {sa_family=AF_INET, sin_port=%s, sin_addr=\"0.0.0.0\"}, addrlen)", fd, g.newVar())
		} else {
			g.add("getsockname(%s, addr, addrlen)", fd)
		}
	case 11:
		g.add("poll([{fd=%s, events=%s}, {fd=%s, events=POLLOUT}], 2, 0)", g.fd(), g.pick("POLLIN", "POLLIN|POLLOUT|POLLRDHUP", "POLLPRI", "0"), g.fd())
	case 12:
		g.add("unlink(%s)", g.pick(`"s$RUN"`, `"t$RUN"`))
	default:
		g.rw()
	}
}

// TestFuzzDivergence holds the fuzz targets' judgement to what it must
// catch: a goipc side that names one errno otherwise (a wrong port of the
// interpreter, a shell script around bin/go/ipccalls), a timeout on one
// side only, and an error on one side only; and what is no divergence: the
// same mismatch on both sides.
func TestFuzzDivergence(t *testing.T) {
	sides := runner.ScriptSides(binDir)
	text := "pipe2([$r, $w], O_NONBLOCK)\nread($r, buf, 1) = 0\n" // both sides get EAGAIN: a mismatch on both
	if d := divergence(runFuzzScript(context.Background(), t, sides, text)); d != "" {
		t.Errorf("the same mismatch on both sides judged a divergence:\n%s", d)
	}
	wrong := sides[1]
	goCalls, _ := wrong.Command(runner.ScriptProgram)
	wrong.Command = func(string) ([]string, error) {
		// EAGAIN as EWOULDBLOCK's text would show it were it another errno.
		return []string{"/bin/sh", "-c", `"$0" "$@" | sed 's/EAGAIN/EWOULDBLOCK/'`, goCalls[0]}, nil
	}
	d := divergence(runFuzzScript(context.Background(), t, []runner.Form{sides[0], wrong}, text))
	if !strings.Contains(d, "WOULDBLOCK") {
		t.Errorf("a goipc side that names EAGAIN otherwise passes: %q", d)
	}
	for _, r := range []judge.ScriptResult{
		{Problems: map[string][]string{runner.SideGo: {"timeout in line 2: read($r, buf, 1)"}}},
		{Error: "f.calls:2:1: x; goipc: f.calls:3:1: y"},
	} {
		if divergence(r) == "" {
			t.Errorf("no divergence found in %+v", r)
		}
	}
}

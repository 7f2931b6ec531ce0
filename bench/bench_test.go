//go:build linux

package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ipcparity/ipcparity/compare/runner"
	"github.com/ipcparity/ipcparity/goipc"
	"github.com/ipcparity/ipcparity/internal/testhelper"
)

func TestMain(m *testing.M) {
	// A sandboxed run's init is this binary again; the runs here need no
	// catalogue.
	runner.Main(func(string) (runner.Scenario, bool) { return runner.Scenario{}, false })
	testhelper.Main(m, map[string]testhelper.Helper{
		"bench-ok":     func(args []string) int { return fake("ok", args) },
		"bench-litter": func(args []string) int { return fake("litter", args) },
		"bench-fail":   func(args []string) int { return fake("fail", args) },
		"bench-signal": func(args []string) int { return fake("signal", args) },
		"bench-hang":   func(args []string) int { return fake("hang", args) },
		"bench-pin":    func(args []string) int { return fake("pin", args) },
	})
}

// fake is a stand-in for ipcbench [TAG] BENCH ITERS SIZE CPU DIR TOKEN:
// it prints a fixed result for the bench's kind, after leaving objects
// behind, failing, dying or hanging as mode says. TAG, where given, goes
// into the names of what it leaves.
func fake(mode string, args []string) int {
	tag := ""
	if len(args) == 7 {
		tag, args = args[0], args[1:]
	}
	if len(args) != 6 {
		fmt.Fprintf(os.Stderr, "fake ipcbench: %d arguments, want 6: %q\n", len(args), args)
		return 2
	}
	dir, token := args[4], args[5]
	switch mode {
	case "litter":
		// Everything a run may leave: a file in its directory, a
		// shared-memory object, a queue.
		os.WriteFile(filepath.Join(dir, "up"+tag), nil, 0600)
		os.WriteFile("/dev/shm/"+token+tag+".shm", nil, 0600)
		if fd, err := goipc.MqOpen("/"+token+tag+".up", unix.O_CREAT|unix.O_RDWR, 0600, nil); err == nil {
			goipc.MqClose(fd)
		}
	case "hang":
		time.Sleep(time.Minute)
	case "fail":
		fmt.Fprintln(os.Stderr, "mq_open: Permission denied")
		return 1
	case "signal":
		unix.Kill(os.Getpid(), unix.SIGTERM)
		time.Sleep(time.Minute)
	case "pin":
		// As ipcbench pins itself to CPU, and fails if it cannot.
		cpu, _ := strconv.Atoi(args[3])
		var set unix.CPUSet
		if err := PinProcess(cpu); err != nil || unix.SchedGetaffinity(0, &set) != nil || set.Count() != 1 || !set.IsSet(cpu) {
			fmt.Fprintf(os.Stderr, "sched_setaffinity: pinned to %d CPUs, want CPU %d only (%v)\n", set.Count(), cpu, err)
			return 1
		}
	}
	switch {
	case strings.HasSuffix(args[0], "-lat"):
		fmt.Println("n=10 p50_ns=5000 p99_ns=7000 min_ns=4000 max_ns=9000")
	case args[0] == "call" || strings.HasPrefix(args[0], "syscall"):
		fmt.Println("calls=1000 ns=2000")
	default:
		fmt.Println("bytes=1000000 ns=250000")
	}
	return 0
}

func TestMedian(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	in := []float64{3, 1, 2}
	Median(in)
	if in[0] != 3 {
		t.Errorf("Median sorted its argument: %v", in)
	}
}

func TestStat(t *testing.T) {
	t.Parallel()
	s := NewStat([]float64{100, 90, 110}, false)
	if s.Best != 90 || s.Median != 100 || s.Min != 90 || s.Max != 110 || math.Abs(s.Spread-0.1) > 1e-12 {
		t.Errorf("NewStat(times) = %+v, want best 90, median 100, min 90, max 110, spread 0.1", s)
	}
	if s := NewStat([]float64{100, 90, 110}, true); s.Best != 110 {
		t.Errorf("NewStat(rates) = %+v, want best 110", s)
	}
}

// verdict prints a Figure's Met.
func verdict(met *bool) string {
	switch {
	case met == nil:
		return "none"
	case *met:
		return "met"
	}
	return "missed"
}

// A port 10 % slower than C in every run must miss its target even when
// the host put most of C's runs, and few of the port's, in its slow mode:
// the ratio of the medians (0.73 here) would call it faster than C. So a
// p50 round trip and a throughput go by the best run.
func TestBestRunsSeeThroughSlowModes(t *testing.T) {
	t.Parallel()
	lat := Spec{Name: "x-lat", Mechanism: "x", Kind: Latency, Target: TargetP50, P99Target: TargetP99}
	f := figures(lat, map[string]map[string][]float64{
		"p50": {FormC: {4200, 2750, 4150, 4250, 2740}, FormGo: {3020, 3025, 4620, 3014, 4680}},
	})[0]
	if r := f.Ratios["go/c"]; math.Abs(r-3014.0/2740) > 1e-12 || f.Met == nil || *f.Met {
		t.Errorf("p50 10%% over C in each mode: go/c %v, met %v; want %v, missed", r, verdict(f.Met), 3014.0/2740)
	}
	// A p99 goes by the median run: one lucky C run (3.2 µs) does not make
	// a port whose tail is typically 1.2 × C's miss, and a port whose
	// typical tail is 1.6 × C's misses even with one lucky run of its own.
	p99 := func(goValues ...float64) Figure {
		return figures(lat, map[string]map[string][]float64{
			"p50": {FormC: {2740}, FormGo: {2800}},
			"p99": {FormC: {5000, 3200, 5100, 4900, 5050}, FormGo: goValues},
		})[1]
	}
	if f := p99(6000, 6100, 5900, 6050, 6020); f.By != ByMedian || f.Met == nil || !*f.Met {
		t.Errorf("p99 typically 1.2 × C's: by %q, go/c %v, met %v; want by median, met", f.By, f.Ratios["go/c"], verdict(f.Met))
	}
	if f := p99(8000, 8100, 3300, 8050, 7900); f.Met == nil || *f.Met {
		t.Errorf("p99 typically 1.6 × C's: go/c %v, met %v; want missed", f.Ratios["go/c"], verdict(f.Met))
	}
	tput := Spec{Name: "x-tput", Kind: Throughput, Target: TargetThroughput}
	f = figures(tput, map[string]map[string][]float64{
		"rate": {FormC: {3.0e9, 4.6e9, 3.1e9, 4.5e9, 3.0e9}, FormGo: {3.9e9, 2.7e9, 3.8e9, 3.9e9, 2.6e9}},
	})[0]
	if r := f.Ratios["go/c"]; math.Abs(r-3.9/4.6) > 1e-12 || f.Met == nil || *f.Met {
		t.Errorf("throughput 0.85 of C in each mode: go/c %v, met %v; want %v, missed", r, verdict(f.Met), 3.9/4.6)
	}
}

func TestRatiosAndTargets(t *testing.T) {
	t.Parallel()
	lat := Spec{Name: "x-lat", Mechanism: "x", Kind: Latency, Target: TargetP50, P99Target: TargetP99}
	figs := figures(lat, map[string]map[string][]float64{
		"p50": {FormC: {1000, 1010, 1020}, FormCgo: {1100}, FormGo: {1060, 1050, 1080}},
		"p99": {FormC: {2000}, FormGo: {3200}},
	})
	if len(figs) != 2 {
		t.Fatalf("%d figures, want 2", len(figs))
	}
	p50, p99 := figs[0], figs[1]
	if r := p50.Ratios["go/c"]; math.Abs(r-1.05) > 1e-12 {
		t.Errorf("p50 go/c = %v, want 1.05", r)
	}
	if r := p50.Ratios["cgo/c"]; math.Abs(r-1.1) > 1e-12 {
		t.Errorf("p50 cgo/c = %v, want 1.1", r)
	}
	if p50.Met == nil || !*p50.Met {
		t.Errorf("p50 at 1.05 of C: target %v should be met", p50.Target)
	}
	if p99.Met == nil || *p99.Met {
		t.Errorf("p99 at 1.6 of C: target %v should be missed", p99.Target)
	}
	if _, ok := p99.Ratios["cgo/c"]; ok {
		t.Errorf("p99 has a cgo/c ratio without cgo values")
	}

	tput := Spec{Name: "x-tput", Kind: Throughput, Target: TargetThroughput}
	f := figures(tput, map[string]map[string][]float64{"rate": {FormC: {100}, FormGo: {94}}})[0]
	if f.Met == nil || *f.Met || f.Unit != "B/s" {
		t.Errorf("throughput at 0.94 of C: %+v, want a missed target ≥0.95 in B/s", f)
	}
	f = figures(tput, map[string]map[string][]float64{"rate": {FormGo: {94}}})[0]
	if f.Met != nil || len(f.Ratios) != 0 {
		t.Errorf("without C: %+v, want no ratio and no verdict", f)
	}
	call := Spec{Name: "call", Kind: CallCost}
	if f := figures(call, map[string]map[string][]float64{"call": {FormC: {2}, FormGo: {3}}})[0]; f.Target != nil || f.Ratios["go/c"] != 1.5 {
		t.Errorf("call: %+v, want ratio 1.5 and no target", f)
	}
}

func TestParseResult(t *testing.T) {
	t.Parallel()
	v, err := ParseResult(Latency, "n=10 p50_ns=5000 p99_ns=7000 min_ns=1 max_ns=9\n")
	if err != nil || v["p50"] != 5000 || v["p99"] != 7000 {
		t.Errorf("latency: %v, %v", v, err)
	}
	v, err = ParseResult(Throughput, "bytes=1000 ns=500\n")
	if err != nil || v["rate"] != 2e9 {
		t.Errorf("throughput: %v, %v; want rate 2e9 B/s", v, err)
	}
	v, err = ParseResult(CallCost, "calls=1000 ns=2500\n")
	if err != nil || v["call"] != 2.5 {
		t.Errorf("call: %v, %v; want 2.5 ns", v, err)
	}
	for _, bad := range []string{"", "bytes=1000", "bytes=1000 ns=0", "bytes=x ns=1", "garbage"} {
		if _, err := ParseResult(Throughput, bad); err == nil {
			t.Errorf("ParseResult(%q) succeeded", bad)
		}
	}
}

func TestOrder(t *testing.T) {
	t.Parallel()
	forms := []Form{{Name: "c"}, {Name: "cgo"}, {Name: "go"}}
	first := map[string]bool{}
	for rep := 0; rep < 3; rep++ {
		o := Order(forms, rep)
		first[o[0].Name] = true
		if len(o) != 3 {
			t.Fatalf("Order gave %v", o)
		}
	}
	if len(first) != 3 {
		t.Errorf("three repetitions start with %v, want each form once", first)
	}
}

func TestSelect(t *testing.T) {
	t.Parallel()
	all, bad := Select()
	if bad != "" || len(all) != len(Specs) {
		t.Errorf("Select() = %d specs, %q", len(all), bad)
	}
	shm, _ := Select("shm")
	for _, s := range shm {
		if s.Mechanism != "shm" {
			t.Errorf("Select(shm) gave %s", s.Name)
		}
	}
	if len(shm) == 0 {
		t.Error("Select(shm) gave nothing")
	}
	if one, _ := Select("pipe-lat"); len(one) != 1 {
		t.Errorf("Select(pipe-lat) = %d specs", len(one))
	}
	if _, bad := Select("pipe", "smoke"); bad != "smoke" {
		t.Errorf("Select(pipe, smoke) reported %q unknown", bad)
	}
	seen := map[string]bool{}
	for _, m := range Mechanisms() {
		if seen[m] {
			t.Errorf("mechanism %s listed twice", m)
		}
		seen[m] = true
	}
	for _, m := range []string{"pipe", "fifo", "mq", "unix", "tcp", "shm", "call"} {
		if !seen[m] {
			t.Errorf("no bench for %s", m)
		}
	}
}

func TestFormatValue(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v    float64
		unit string
		want string
	}{
		{512, "ns", "512.0 ns"},
		{5120, "ns", "5.12 µs"},
		{2.5e6, "ns", "2.50 ms"},
		{1.96e6, "B/s", "1.96 MB/s"},
		{4.2e9, "B/s", "4.20 GB/s"},
		{900, "B/s", "0.9 kB/s"},
	} {
		if got := FormatValue(c.v, c.unit); got != c.want {
			t.Errorf("FormatValue(%v, %s) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}

// fakeForms are three forms that are all the helper name of this test
// binary, given args before the bench's.
func fakeForms(t *testing.T, name string, args ...string) []Form {
	argv := testhelper.Command(t, name, args...)
	var forms []Form
	for _, f := range []string{FormC, FormCgo, FormGo} {
		forms = append(forms, Form{Name: f, Path: argv[0], Args: argv[1:]})
	}
	return forms
}

func TestRun(t *testing.T) {
	t.Parallel()
	specs, _ := Select("pipe", "call")
	rep, err := Run(context.Background(), Options{Forms: fakeForms(t, "bench-ok"), CPU: 0, Reps: 3, Quick: true, Specs: specs})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Errors) != 0 {
		t.Errorf("errors: %v", rep.Errors)
	}
	// pipe-lat gives two figures, the others one each.
	if want := len(specs) + 1; len(rep.Figures) != want {
		t.Fatalf("%d figures, want %d", len(rep.Figures), want)
	}
	for _, f := range rep.Figures {
		for _, form := range []string{FormC, FormCgo, FormGo} {
			st := f.Forms[form]
			if len(st.Values) != 3 || st.Median <= 0 {
				t.Errorf("%s %s %s: %+v, want 3 positive values", f.Bench, f.Figure, form, st)
			}
		}
		if f.Ratios["go/c"] != 1 {
			t.Errorf("%s %s: go/c = %v, want 1 (the same fake)", f.Bench, f.Figure, f.Ratios["go/c"])
		}
	}
	var text bytes.Buffer
	rep.Text(&text)
	for _, want := range []string{"pinned to CPU 0", "pipe", "one-byte copy loop", "go/c", "≤1.05 ok"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
	var js bytes.Buffer
	if err := rep.JSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Figures) != len(rep.Figures) {
		t.Errorf("JSON does not read back: %v", err)
	}
}

func TestRunMissingForm(t *testing.T) {
	t.Parallel()
	forms := fakeForms(t, "bench-ok")
	forms[1].Path = filepath.Join(t.TempDir(), "missing")
	specs, _ := Select("pipe-tput")
	rep, err := Run(context.Background(), Options{Forms: forms, CPU: -1, Reps: 1, Quick: true, Specs: specs})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Forms) != 2 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], "cgo form left out") {
		t.Errorf("forms %v, errors %v: want c and go, and the cgo form reported missing", rep.Forms, rep.Errors)
	}
	if !strings.Contains(rep.Placement, "unpinned") {
		t.Errorf("placement %q for --cpu -1", rep.Placement)
	}
}

// A bench that leaves a file in its directory, a shared-memory object and
// a queue fails, and the error names them; nothing of it is left on the
// host: neither the run's directory with the file, nor the object, nor the
// queue.
func TestRunOnceLeftovers(t *testing.T) {
	t.Parallel()
	tag := fmt.Sprintf("benchtest%d_%d", os.Getpid(), time.Now().UnixNano())
	forms := fakeForms(t, "bench-litter", tag)
	s, _ := Select("mq-lat")
	_, err := RunOnce(context.Background(), forms[0], s[0], 1, -1, 10*time.Second)
	if err == nil {
		t.Fatal("a run that left a file, a shared-memory object and a queue succeeded")
	}
	t.Logf("RunOnce: %v", err)
	for _, want := range []string{"left behind", "file up" + tag, "shm /$RUN" + tag + ".shm", "mqueue /$RUN" + tag + ".up"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	for _, pattern := range []string{"/dev/shm/*" + tag + "*", filepath.Join(os.TempDir(), "*"+tag+"*"), filepath.Join(os.TempDir(), "*", "*"+tag+"*")} {
		if left, _ := filepath.Glob(pattern); len(left) != 0 {
			t.Errorf("left on the host: %v", left)
		}
	}
	// The token inside a sandbox, and any queue the host lists.
	queues := []string{"/ipcprun" + tag + ".up"}
	if listed, _ := filepath.Glob("/dev/mqueue/*" + tag + "*"); len(listed) > 0 {
		for _, q := range listed {
			queues = append(queues, "/"+filepath.Base(q))
		}
	}
	for _, q := range queues {
		if fd, err := goipc.MqOpen(q, unix.O_RDONLY, 0, nil); err != unix.ENOENT {
			goipc.MqClose(fd)
			goipc.MqUnlink(q)
			t.Errorf("queue %s left on the host (%v)", q, err)
		}
	}
}

// The sandbox leaves CPU placement to sched_setaffinity: a bench pins
// itself to the CPU it is given.
func TestRunOncePins(t *testing.T) {
	t.Parallel()
	s, _ := Select("pipe-lat")
	if _, err := RunOnce(context.Background(), fakeForms(t, "bench-pin")[0], s[0], 1, 0, 10*time.Second); err != nil {
		t.Errorf("a bench pinned to CPU 0: %v", err)
	}
}

// A bench that fails, dies or hangs is an error that says which.
func TestRunOnceFails(t *testing.T) {
	t.Parallel()
	s, _ := Select("pipe-tput")
	for _, c := range []struct {
		helper   string
		deadline time.Duration
		want     []string
	}{
		{"bench-fail", 10 * time.Second, []string{"exit status 1", "Permission denied"}},
		{"bench-signal", 10 * time.Second, []string{"killed by SIGTERM"}},
		{"bench-hang", 200 * time.Millisecond, []string{"no result within 200ms"}},
	} {
		t.Run(c.helper, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			_, err := RunOnce(context.Background(), fakeForms(t, c.helper)[0], s[0], 1, -1, c.deadline)
			if err == nil {
				t.Fatal("succeeded")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q, want it to say %q", err, want)
				}
			}
			if d := time.Since(start); d > c.deadline+5*time.Second {
				t.Errorf("the run took %v to end", d)
			}
		})
	}
}

func TestPinProcess(t *testing.T) {
	var old unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	if err := PinProcess(-1); err != nil {
		t.Errorf("PinProcess(-1) = %v, want no pinning and no error", err)
	}
	if err := PinProcess(0); err != nil {
		t.Fatal(err)
	}
	defer func() {
		// Every thread back to the old mask.
		entries, _ := os.ReadDir("/proc/self/task")
		for _, e := range entries {
			if tid, err := strconv.Atoi(e.Name()); err == nil {
				unix.SchedSetaffinity(tid, &old)
			}
		}
	}()
	if n := runtime.GOMAXPROCS(0); n != 1 {
		t.Errorf("GOMAXPROCS = %d after pinning, want 1", n)
	}
	entries, _ := os.ReadDir("/proc/self/task")
	for _, e := range entries {
		tid, _ := strconv.Atoi(e.Name())
		var set unix.CPUSet
		if err := unix.SchedGetaffinity(tid, &set); err != nil {
			continue // gone meanwhile
		}
		if set.Count() != 1 || !set.IsSet(0) {
			t.Errorf("thread %d may run on %d CPUs, want CPU 0 only", tid, set.Count())
		}
	}
}

// The floor of a figure is c+threads' best run plus Calls times what a
// system call costs go more than c+threads; a p50 round trip that misses
// its target against C meets it within FloorSlack of the floor.
func TestFloors(t *testing.T) {
	t.Parallel()
	lat := Spec{Name: "x-lat", Mechanism: "x", Kind: Latency, Target: TargetP50, P99Target: TargetP99, Calls: 4}
	tput := Spec{Name: "x-tput", Mechanism: "x", Kind: Throughput, Target: TargetThroughput, Calls: 2.0 / 1000}
	sys := Spec{Name: "syscall", Mechanism: "call", Kind: CallCost}
	r := &Report{Forms: []string{FormC, FormCThreads, FormGo}}
	r.Figures = append(r.Figures, figures(lat, map[string]map[string][]float64{
		"p50": {FormC: {1000}, FormCThreads: {1100}, FormGo: {1330}}, // floor 1100 + 4×50: go/floor 1.0231
		"p99": {FormC: {2000}, FormCThreads: {2000}, FormGo: {3300}},
	})...)
	r.Figures = append(r.Figures, figures(tput, map[string]map[string][]float64{
		"rate": {FormC: {1e9}, FormCThreads: {1e9}, FormGo: {0.9e9}}, // 1 ns a byte + 2/1000 × 50 ns: 0.909e9
	})...)
	r.Figures = append(r.Figures, figures(sys, map[string]map[string][]float64{
		"call": {FormC: {150}, FormCThreads: {200}, FormGo: {250}},
	})...)
	r.floors()
	p50, p99, rate, call := r.Figures[0], r.Figures[1], r.Figures[2], r.Figures[3]
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6*math.Abs(b) }
	if !near(p50.Floor, 1300) || !near(p50.Ratios["floor/c"], 1.3) || !near(p50.Ratios["go/floor"], 1330.0/1300) {
		t.Errorf("p50: floor %v, ratios %v; want floor 1300, floor/c 1.3, go/floor 1.023", p50.Floor, p50.Ratios)
	}
	if p50.Met == nil || !*p50.Met {
		t.Errorf("p50 at 1.33 of C but 1.023 of its floor: want met")
	}
	if p99.Met == nil || *p99.Met {
		t.Errorf("p99 at 1.65 of C: want missed (the floor counts for p50s only)")
	}
	if want := 1 / (1e-9 + 2.0/1000*50e-9); !near(rate.Floor, want) || rate.Met == nil || *rate.Met {
		t.Errorf("throughput: floor %v (want %v), met %v (want missed: 0.9 of C)", rate.Floor, want, rate.Met)
	}
	if call.Floor != 0 {
		t.Errorf("call cost has a floor: %v", call.Floor)
	}
	// 1.5 % over its floor is still a miss when the floor is C's: the
	// slack is the floor's, not a second target.
	slow := figures(lat, map[string]map[string][]float64{"p50": {FormC: {1000}, FormCThreads: {1000}, FormGo: {1100}}})
	r2 := &Report{Figures: slow}
	r2.floors()
	if f := r2.Figures[0]; f.Met == nil || *f.Met {
		t.Errorf("p50 at 1.1 of C and of its floor: want missed, got %+v", f)
	}
	var text bytes.Buffer
	r.Text(&text)
	for _, want := range []string{"c+threads", "floor", "floor/c", "go/floor", "1.30 µs"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
	// Without c+threads there is no floor.
	r3 := &Report{Figures: figures(lat, map[string]map[string][]float64{"p50": {FormC: {1000}, FormGo: {1040}}})}
	r3.floors()
	if f := r3.Figures[0]; f.Floor != 0 || len(f.Ratios) != 1 {
		t.Errorf("without c+threads: floor %v, ratios %v", f.Floor, f.Ratios)
	}
}

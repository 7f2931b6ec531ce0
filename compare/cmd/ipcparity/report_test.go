//go:build linux

package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "write docs/report.png from the page that TestReportInBrowser renders")

// The wrong port of the browser test: the idiom form of pipe prints a
// message with a script in it and a byte that is not UTF-8, neither of
// which the page may run or lose.
const (
	wrongPipe = `#!/bin/sh
printf 'Hello <script>document.title="executed"</script> \377 World!\n'
`
	shownScript = `Hello <script>document.title="executed"</script> \xff World!`
	pageTitle   = "ipcparity: the C and its Go translations side by side"
)

// The colours that the page's CSS gives a differing outcome and a
// differing line within it (--differ, --mark-differ).
const (
	differColour = "rgb(253, 228, 225)"
	markColour   = "rgb(255, 179, 171)"
)

// wrongBin is a bin directory with make build's c, cgo and go forms, and
// its idiom form but for pipe, which is wrongPipe.
func wrongBin(t *testing.T) string {
	t.Helper()
	real := binDir(t)
	dir := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(filepath.Join(dir, "idiom"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"c", "cgo", "go"} {
		if err := os.Symlink(filepath.Join(real, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	progs, err := os.ReadDir(filepath.Join(real, "idiom"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progs {
		if p.Name() != "pipe" {
			if err := os.Symlink(filepath.Join(real, "idiom", p.Name()), filepath.Join(dir, "idiom", p.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "idiom", "pipe"), []byte(wrongPipe), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// chromium finds Debian's chromium, or fails saying how to install it.
func chromium(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is needed to check the report's page in a browser (apt-get install chromium; .ci/run does): %v", err)
	}
	return path
}

// TestReportInBrowser renders the page of a real report run, with a wrong
// port so that a difference shows, in headless Chromium, and checks what a
// reader needs (checkPage). Each wrong page, the real one with one thing
// broken, must fail the check where it is broken.
func TestReportInBrowser(t *testing.T) {
	browser := chromium(t)
	bin := wrongBin(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "report.html")
	var stdout, stderr bytes.Buffer
	code := run([]string{"report", "--html", file, "--bin", bin, "--calls", filepath.Join(binDir(t), "..", "testdata", "calls"), "--quiet",
		"--run", `^(pipe/(default|stdout-broken-long)|fifo/default)$|pipe_eagain`, "pipe", "fifo"}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("report with a wrong port: exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "DIFF") {
		t.Errorf("report's text report shows no difference:\n%s", stdout.String())
	}
	html, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(html) {
		t.Error("the page is not UTF-8")
	}

	ctx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()
	tb, cancel, err := newTab(ctx) // one browser and one tab for every page
	defer cancel()
	if err != nil {
		t.Fatalf("chromium does not start: %v", err)
	}
	programs := []string{"pipe", "fifo_reader", "fifo_writer"}

	t.Run("page", func(t *testing.T) {
		shot, problems := tb.checkPage(file, programs)
		for _, p := range problems {
			t.Error(p)
		}
		img, err := png.Decode(bytes.NewReader(shot))
		if err != nil || img.Bounds().Dx() != 1280 {
			t.Errorf("the screenshot is not a PNG 1280 pixels wide: %v", err)
		}
		if *updateScreenshot {
			if len(shot) > 200<<10 {
				t.Fatalf("the screenshot has %d bytes: keep docs/report.png under 200 KiB", len(shot))
			}
			if err := os.WriteFile("../../../docs/report.png", shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})

	// Each wrong page breaks one thing that checkPage must find.
	for _, w := range []struct {
		name, old, new, want string
	}{
		{"a program's section missing", `id="prog-fifo_writer"`, `id="prog-gone"`, "no section for fifo_writer"},
		{"never side by side", `</style>`, `.step, .cols { display: block; } </style>`, "not side by side at 1280"},
		{"never stacked", `@media (max-width: 760px)`, `@media (max-width: 10px)`, "not stacked at 400"},
		{"the difference not highlighted", `--mark-differ: #ffb3ab;`, `--mark-differ: #fde4e1;`, "highlight"},
		{"a request leaves the page", `<body>`, `<body><img src="logo.png" alt="">`, "request"},
		{"a script that fails", `<body>`, `<body><script>console.error("boom")</script>`, "console"},
		{"the message's script run", `</main>`, `</main><script>document.title="executed"</script>`, "executed"},
	} {
		t.Run(w.name, func(t *testing.T) {
			if !bytes.Contains(html, []byte(w.old)) {
				t.Fatalf("the page has no %q to break", w.old)
			}
			wrong := filepath.Join(dir, strings.ReplaceAll(w.name, " ", "-")+".html")
			if err := os.WriteFile(wrong, bytes.Replace(html, []byte(w.old), []byte(w.new), 1), 0o644); err != nil {
				t.Fatal(err)
			}
			_, problems := tb.checkPage(wrong, programs)
			if !strings.Contains(strings.Join(problems, "\n"), w.want) {
				t.Errorf("the check let it pass (want a problem with %q); it found: %q", w.want, problems)
			}
		})
	}
}

// box is an element's place on the screen, in CSS pixels.
type box struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

type layout struct {
	Title    string   `json:"title"`
	Scripts  int      `json:"scripts"`
	Sections []string `json:"sections"`
	Text     string   `json:"text"`
	Steps    []box    `json:"steps"`
	Sides    []box    `json:"sides"`
	Width    float64  `json:"width"`
	Scroll   float64  `json:"scroll"`
}

// layoutJS measures the page: the cells of the first step of the
// program's sources, the two transcripts of the first call script, and
// whether anything is wider than the window.
const layoutJS = `(() => {
	const box = e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
	const step = document.querySelector('.step:not(.head)');
	const sides = document.querySelector('.script .cols');
	return {
		title: document.title,
		scripts: document.querySelectorAll('script').length,
		sections: [...document.querySelectorAll('section.program')].map(e => e.id),
		text: document.body.innerText,
		steps: step ? [...step.querySelectorAll('.code')].map(box) : [],
		sides: sides ? [...sides.children].map(box) : [],
		width: window.innerWidth,
		scroll: document.documentElement.scrollWidth,
	};
})()`

type highlight struct {
	Hash       string  `json:"hash"`
	Box        box     `json:"box"`
	Background string  `json:"background"`
	Mark       box     `json:"mark"`
	MarkColour string  `json:"markColour"`
	MarkText   string  `json:"markText"`
	Height     float64 `json:"height"`
}

// highlightJS measures the element that the location names and the first
// highlighted line in it.
const highlightJS = `(() => {
	const box = e => { if (!e) return {x: 0, y: 0, w: 0, h: 0}; const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
	const el = document.getElementById(location.hash.slice(1));
	const mark = el && el.querySelector('mark');
	return {
		hash: location.hash,
		box: box(el),
		background: el ? getComputedStyle(el).backgroundColor : '',
		mark: box(mark),
		markColour: mark ? getComputedStyle(mark).backgroundColor : '',
		markText: mark ? mark.innerText : '',
		height: window.innerHeight,
	};
})()`

// A tab is the browser's one tab, and what it saw since the last page:
// requests and console errors.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	errs     []string
}

// newTab opens the tab, listening to its requests and console.
func newTab(browser context.Context) (*tab, context.CancelFunc, error) {
	tb := &tab{}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithListener(tb.listen))
	tb.ctx = ctx
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return nil, cancel, err
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		return nil, cancel, err
	}
	return tb, cancel, nil
}

func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		tb.errs = append(tb.errs, "exception: "+e.ExceptionDetails.Text)
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
			tb.errs = append(tb.errs, fmt.Sprintf("console.%s", e.Type))
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			tb.errs = append(tb.errs, "log: "+e.Entry.Text)
		}
	}
}

// checkPage opens file in the tab and returns a screenshot at 1280
// pixels and what a reader would miss: a program's section, the forms
// side by side at 1280 pixels and stacked at 400, the matrix's link to the
// difference landing on it highlighted, the wrong port's script shown and
// not run, and no request or console error.
func (tb *tab) checkPage(file string, programs []string) (shot []byte, problems []string) {
	tb.mu.Lock()
	tb.requests, tb.errs = nil, nil
	tb.mu.Unlock()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	url := "file://" + file
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(url)); err != nil {
		return nil, []string{err.Error()}
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[layout](layoutJS))
	if err != nil {
		return nil, []string{err.Error()}
	}
	for _, p := range programs {
		if !contains(wide.Sections, "prog-"+p) {
			fail("no section for %s (sections: %q)", p, wide.Sections)
		}
	}
	if wide.Title != pageTitle || wide.Scripts != 0 {
		fail("a script was executed: the title is %q, and the page has %d script elements", wide.Title, wide.Scripts)
	}
	if !strings.Contains(wide.Text, shownScript) {
		fail("the wrong port's output is not shown as text (%q)", shownScript)
	}
	if !sideBySide(wide.Steps, 3) || !sideBySide(wide.Sides, 2) {
		fail("the forms are not side by side at 1280 pixels: the step's cells at %v, the transcripts at %v", wide.Steps, wide.Sides)
	}
	if wide.Scroll > wide.Width {
		fail("at 1280 pixels the page is %v pixels wide", wide.Scroll)
	}
	if shot, err = chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		fail("screenshot: %v", err)
	}

	// The matrix's cell for the wrong port links to its difference.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`tr:has(a[href="#prog-pipe"]) td.differ a`))); err != nil {
		fail("the matrix has no link to pipe's difference: %v", err)
	} else {
		var h highlight
		for range 50 {
			if h, err = chromedp.Run(ctx, chromedp.Evaluate[highlight](highlightJS)); err != nil || h.Hash != "" {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		switch {
		case err != nil:
			fail("the difference: %v", err)
		case h.Box.W == 0 || h.Box.H == 0 || h.Box.Y < -1 || h.Box.Y >= h.Height:
			fail("the difference %s is not in view after following the matrix's link: %+v in a window %v high", h.Hash, h.Box, h.Height)
		case h.Background != differColour || h.MarkColour != markColour:
			fail("the difference %s is not highlighted: background %s (want %s), its line %s (want %s)", h.Hash, h.Background, differColour, h.MarkColour, markColour)
		case h.Mark.W == 0 || h.Mark.H == 0 || h.Mark.Y < -1 || h.Mark.Y >= h.Height || h.MarkText != shownScript:
			fail("the highlighted line of %s is not in view with the port's output: %+v %q", h.Hash, h.Mark, h.MarkText)
		}
	}

	if err := chromedp.Do(ctx, chromedp.EmulateViewport(400, 800, chromedp.EmulateMobile)); err != nil {
		fail("400 pixels: %v", err)
	}
	narrow, err := chromedp.Run(ctx, chromedp.Evaluate[layout](layoutJS))
	if err != nil {
		fail("400 pixels: %v", err)
	} else {
		if !stacked(narrow.Steps, 3) || !stacked(narrow.Sides, 2) {
			fail("the forms are not stacked at 400 pixels: the step's cells at %v, the transcripts at %v", narrow.Steps, narrow.Sides)
		}
		if narrow.Scroll > narrow.Width {
			fail("at 400 pixels the page is %v pixels wide", narrow.Scroll)
		}
	}

	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, r := range tb.requests {
		if r != url && !strings.HasPrefix(r, url+"#") {
			fail("the page made a request: %s", r)
		}
	}
	for _, e := range tb.errs {
		fail("the console has an error: %s", e)
	}
	return shot, problems
}

// sideBySide reports whether there are n boxes, left to right on one line.
func sideBySide(b []box, n int) bool {
	return inOrder(b, n, func(a, b box) bool { return math.Abs(b.Y-a.Y) <= 1 && b.X >= a.X+a.W-1 })
}

// stacked reports whether there are n boxes, one under the other.
func stacked(b []box, n int) bool {
	return inOrder(b, n, func(a, b box) bool { return math.Abs(b.X-a.X) <= 1 && b.Y >= a.Y+a.H-1 })
}

// inOrder reports whether there are n boxes, none empty, each after the one
// before it.
func inOrder(b []box, n int, after func(a, b box) bool) bool {
	if len(b) != n {
		return false
	}
	for i := range b {
		if b[i].W == 0 || b[i].H == 0 || i > 0 && !after(b[i-1], b[i]) {
			return false
		}
	}
	return true
}

// A bad report command line gives report's usage and exit 2, before
// anything runs or is written; help report and report -h give its options.
func TestReportCommandLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "report.html")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "pipe"}, "report: needs --html FILE"},
		{[]string{"report", "pipe", "--html"}, "flag needs an argument"},
		{[]string{"report", "--html", file, "nosuch"}, `report: unknown program "nosuch"`},
		{[]string{"report", "--html", file, "--json", "pipe"}, "flag provided but not defined: -json"},
		{[]string{"report", "--html", file, "--src", t.TempDir(), "pipe"}, "the sources are not found"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(c.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), c.want) || stdout.Len() != 0 {
			t.Errorf("%q: exit %d, stderr %q: want 2 and %q", c.args, code, stderr.String(), c.want)
		}
		if _, err := os.Stat(file); err == nil {
			t.Fatalf("%q wrote the page", c.args)
		}
	}
	for _, args := range [][]string{{"help", "report"}, {"report", "-h"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "--html FILE") || !strings.Contains(stdout.String(), "--run REGEX") {
			t.Errorf("%q: exit %d, stdout %q", args, code, stdout.String())
		}
	}
}

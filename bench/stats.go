//go:build linux

package bench

import (
	"fmt"
	"slices"
)

// Stat is one figure of one form over the repetitions.
type Stat struct {
	Values []float64 `json:"values"`
	Best   float64   `json:"best"`
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	// Spread is half the range over the median: the values lie within
	// Median×(1±Spread) at most.
	Spread float64 `json:"spread"`
}

// NewStat summarises values (at least one); higherIsBetter says whether
// the best is the largest value (a rate) or the smallest (a time).
func NewStat(values []float64, higherIsBetter bool) Stat {
	s := Stat{Values: values, Median: Median(values)}
	if len(values) == 0 {
		return s
	}
	s.Min, s.Max = slices.Min(values), slices.Max(values)
	s.Best = s.Min
	if higherIsBetter {
		s.Best = s.Max
	}
	if s.Median != 0 {
		s.Spread = (s.Max - s.Min) / 2 / s.Median
	}
	return s
}

// Median is the middle value of v, or the mean of the two middle values
// when there is an even number; 0 for none.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Ratio is a/b, or 0 when b is 0.
func Ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Target is a bound on the Go/C ratio of a figure.
type Target struct {
	// AtLeast: the ratio must be at least Ratio (throughput); otherwise
	// at most (latency).
	AtLeast bool    `json:"at_least"`
	Ratio   float64 `json:"ratio"`
}

// Met reports whether ratio meets the target.
func (t Target) Met(ratio float64) bool {
	if t.AtLeast {
		return ratio >= t.Ratio
	}
	return ratio <= t.Ratio
}

// String gives the target as the report shows it: ≥0.95 or ≤1.05.
func (t Target) String() string {
	if t.AtLeast {
		return fmt.Sprintf("≥%.2f", t.Ratio)
	}
	return fmt.Sprintf("≤%.2f", t.Ratio)
}

// Figure is one line of the report: one figure of one bench for every
// form.
type Figure struct {
	Bench     string          `json:"bench"`
	Size      int             `json:"size,omitempty"` // SIZE, when not the bench's default
	Mechanism string          `json:"mechanism"`
	Figure    string          `json:"figure"` // p50, p99, throughput, call
	About     string          `json:"about"`
	Unit      string          `json:"unit"` // ns, B/s, ns/call
	Forms     map[string]Stat `json:"forms"`
	// By names the value of each form that the ratios, the floor and the
	// target use: "best" (its best run) or "median" (its median run).
	//
	// A p50 round trip and a throughput go by the best run. On a shared
	// virtual machine a process's speed has modes that last its whole run:
	// the same C round trip takes 2.74 µs in some runs and 4.2 µs in
	// others, for every form alike, and which runs fall in the slow mode is
	// chance. Their median says more about how many runs fell in which
	// mode than about the code: in three runs of 11 repetitions, the Go/C
	// ratio of the medians of the pipe round trip came out 1.10, 1.68 and
	// 1.14, that of the best runs 1.133, 1.120 and 1.122. The best run is
	// the run in the fast mode, which a form nearly always reaches in 11
	// repetitions; the host can slow a run down, not speed it up.
	//
	// A p99 goes by the median run. It is a tail within its run, where the
	// host's interruptions land at random: the best of 11 is the luckiest
	// run, and its ratio swung from 0.91 to 1.90 over six runs where the
	// ratio of the medians stayed within 1.23 and 1.46.
	By string `json:"by"`
	// Ratios are FORM/c of the values By names for every other form, and,
	// where there is a floor, floor/c and go/floor.
	Ratios map[string]float64 `json:"ratios"`
	// Calls is Spec.Calls; Floor the estimate of the best a Go program can
	// do (see Report.floors), in Unit; 0 when not estimated.
	Calls  float64 `json:"calls,omitempty"`
	Floor  float64 `json:"floor,omitempty"`
	Target *Target `json:"target,omitempty"`
	// Met tells whether go/c meets Target, or, for a p50 round trip,
	// go/floor is at most FloorSlack (absent without a target or without
	// both forms).
	Met *bool `json:"met,omitempty"`
}

// The values a Figure goes by (Figure.By).
const (
	ByBest   = "best"
	ByMedian = "median"
)

// Value is the value of st that fg goes by.
func (fg *Figure) Value(st Stat) float64 {
	if fg.By == ByMedian {
		return st.Median
	}
	return st.Best
}

// FloorSlack is how close to its floor a p50 round trip must come when
// it misses its target against C.
const FloorSlack = 1.03

// figures turns the values of one spec (value name -> form -> values over
// the repetitions) into the report's figures, with ratios and targets.
func figures(s Spec, values map[string]map[string][]float64) []Figure {
	type fig struct {
		key, name, unit string
		target          *Target
	}
	var fs []fig
	switch s.Kind {
	case Latency:
		fs = []fig{{"p50", "p50", "ns", &Target{false, s.Target}}, {"p99", "p99", "ns", &Target{false, s.P99Target}}}
	case Throughput:
		fs = []fig{{"rate", "throughput", "B/s", &Target{true, s.Target}}}
	case CallCost:
		fs = []fig{{"call", "call", "ns/call", nil}}
	}
	var out []Figure
	for _, f := range fs {
		fg := Figure{Bench: s.Name, Size: s.Size, Mechanism: s.Mechanism, Figure: f.name, About: s.About, Unit: f.unit,
			Forms: map[string]Stat{}, By: ByBest, Ratios: map[string]float64{}}
		if f.key == "p99" {
			fg.By = ByMedian
		}
		for form, v := range values[f.key] {
			if len(v) > 0 {
				fg.Forms[form] = NewStat(v, f.unit == "B/s")
			}
		}
		fg.Calls = s.Calls
		c, haveC := fg.Forms[FormC]
		for form, st := range fg.Forms {
			if form != FormC && haveC {
				fg.Ratios[form+"/"+FormC] = Ratio(fg.Value(st), fg.Value(c))
			}
		}
		if f.target != nil && f.target.Ratio > 0 {
			fg.Target = f.target
		}
		fg.judge()
		out = append(out, fg)
	}
	return out
}

// judge sets Met from the ratios.
func (fg *Figure) judge() {
	fg.Met = nil
	r, ok := fg.Ratios[FormGo+"/"+FormC]
	if fg.Target == nil || !ok {
		return
	}
	met := fg.Target.Met(r)
	if rf, ok := fg.Ratios[FormGo+"/floor"]; ok && fg.Figure == "p50" && rf <= FloorSlack {
		met = true
	}
	fg.Met = &met
}

// floors estimates, for every round trip and throughput figure, the best
// a Go program can do: the value (Figure.By) of the c+threads form, C in
// processes that have a Go process's threads, so that each call on a
// descriptor pays for a shared descriptor table; plus Spec.Calls times
// what one system call costs Go more than that C (the write(2) figure: go
// less c+threads; none when it is less). Between the floor and c is the
// runtime's share that no Go program avoids; between go and the floor the
// rest, goipc's to close where it can (bench/README.md, Remaining gaps,
// names what the runtime costs beyond the floor). Without the c+threads
// form there is no floor; without the write(2) figure, the floor leaves
// the calls out.
func (r *Report) floors() {
	var perCall float64
	for _, fg := range r.Figures {
		g, okg := fg.Forms[FormGo]
		t, okt := fg.Forms[FormCThreads]
		if fg.Bench == "syscall" && okg && okt && fg.Value(g) > fg.Value(t) {
			perCall = fg.Value(g) - fg.Value(t)
		}
	}
	for i := range r.Figures {
		fg := &r.Figures[i]
		t, ok := fg.Forms[FormCThreads]
		if !ok || fg.Value(t) <= 0 {
			continue
		}
		switch fg.Unit {
		case "ns":
			fg.Floor = fg.Value(t) + fg.Calls*perCall
		case "B/s":
			fg.Floor = 1 / (1/fg.Value(t) + fg.Calls*perCall*1e-9)
		default:
			continue
		}
		if c, ok := fg.Forms[FormC]; ok {
			fg.Ratios["floor/"+FormC] = Ratio(fg.Floor, fg.Value(c))
		}
		if g, ok := fg.Forms[FormGo]; ok {
			fg.Ratios[FormGo+"/floor"] = Ratio(fg.Value(g), fg.Floor)
		}
		fg.judge()
	}
}

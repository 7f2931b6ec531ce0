//go:build linux

package bench

import (
	"fmt"
	"slices"
)

// Stat is one figure of one form over the repetitions.
type Stat struct {
	Values []float64 `json:"values"`
	Median float64   `json:"median"`
	Min    float64   `json:"min"`
	Max    float64   `json:"max"`
	// Spread is half the range over the median: the values lie within
	// Median×(1±Spread) at most.
	Spread float64 `json:"spread"`
}

// NewStat summarises values (at least one).
func NewStat(values []float64) Stat {
	s := Stat{Values: values, Median: Median(values)}
	if len(values) == 0 {
		return s
	}
	s.Min, s.Max = slices.Min(values), slices.Max(values)
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
	// Ratios are cgo/c and go/c of the medians.
	Ratios map[string]float64 `json:"ratios"`
	Target *Target            `json:"target,omitempty"`
	// Met tells whether go/c meets Target (absent without a target or
	// without both forms).
	Met *bool `json:"met,omitempty"`
}

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
			Forms: map[string]Stat{}, Ratios: map[string]float64{}}
		for form, v := range values[f.key] {
			if len(v) > 0 {
				fg.Forms[form] = NewStat(v)
			}
		}
		c, haveC := fg.Forms[FormC]
		for _, form := range []string{FormCgo, FormGo} {
			if st, ok := fg.Forms[form]; ok && haveC {
				fg.Ratios[form+"/"+FormC] = Ratio(st.Median, c.Median)
			}
		}
		if f.target != nil && f.target.Ratio > 0 {
			fg.Target = f.target
			if r, ok := fg.Ratios[FormGo+"/"+FormC]; ok {
				met := f.target.Met(r)
				fg.Met = &met
			}
		}
		out = append(out, fg)
	}
	return out
}

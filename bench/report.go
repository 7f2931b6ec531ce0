//go:build linux

package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

// FormatValue prints v of unit as the table does: ns as ns, µs or ms, B/s
// as kB/s, MB/s or GB/s (powers of 1000).
func FormatValue(v float64, unit string) string {
	switch unit {
	case "ns", "ns/call":
		switch {
		case v < 1e3:
			return fmt.Sprintf("%.1f ns", v)
		case v < 1e6:
			return fmt.Sprintf("%.2f µs", v/1e3)
		}
		return fmt.Sprintf("%.2f ms", v/1e6)
	case "B/s":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.2f GB/s", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%.2f MB/s", v/1e6)
		}
		return fmt.Sprintf("%.1f kB/s", v/1e3)
	}
	return fmt.Sprintf("%g %s", v, unit)
}

// formatStat gives the value of a form that fg goes by and, in brackets,
// the other: the median after the best run, the best after the median.
func formatStat(fg *Figure, s Stat) string {
	other := s.Median
	if fg.By == ByMedian {
		other = s.Best
	}
	return fmt.Sprintf("%s (%s)", FormatValue(fg.Value(s), fg.Unit), FormatValue(other, fg.Unit))
}

// Text writes the report as a table: a line per figure, the best run and
// the median of each form, the floor, the ratios to C's and of go to the
// floor (of the values Figure.By names), and the target of the Go/C ratio.
func (r *Report) Text(w io.Writer) {
	fmt.Fprintf(w, "ipcbench: %s.\n", r.Placement)
	runs := "runs"
	if r.Reps == 1 {
		runs = "run"
	}
	fmt.Fprintf(w, "%d %s of every form per figure, in rotated order; each form's best run (its median in brackets), for a p99 its median run (its best in brackets); ratios and targets of those.", r.Reps, runs)
	if r.Quick {
		fmt.Fprint(w, " QUICK: tiny counts, the figures mean nothing.")
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	ratios := r.ratioColumns()
	fmt.Fprint(tw, "mechanism\tfigure")
	for _, f := range r.Forms {
		fmt.Fprintf(tw, "\t%s", f)
	}
	fmt.Fprint(tw, "\tfloor")
	for _, k := range ratios {
		fmt.Fprintf(tw, "\t%s", k)
	}
	fmt.Fprint(tw, "\tGo target\t\n")
	met, targets := 0, 0
	for _, fg := range r.Figures {
		label := fg.About
		if fg.Figure == "p50" || fg.Figure == "p99" {
			label += " " + fg.Figure
		}
		fmt.Fprintf(tw, "%s\t%s", fg.Mechanism, label)
		for _, f := range r.Forms {
			if st, ok := fg.Forms[f]; ok {
				fmt.Fprintf(tw, "\t%s", formatStat(&fg, st))
			} else {
				fmt.Fprint(tw, "\t-")
			}
		}
		if fg.Floor > 0 {
			fmt.Fprintf(tw, "\t%s", FormatValue(fg.Floor, fg.Unit))
		} else {
			fmt.Fprint(tw, "\t-")
		}
		for _, k := range ratios {
			if ratio, ok := fg.Ratios[k]; ok {
				fmt.Fprintf(tw, "\t%.3f", ratio)
			} else {
				fmt.Fprint(tw, "\t-")
			}
		}
		switch {
		case fg.Target == nil:
			fmt.Fprint(tw, "\t")
		case fg.Met == nil:
			fmt.Fprintf(tw, "\t%s", fg.Target)
		case *fg.Met:
			met++
			targets++
			fmt.Fprintf(tw, "\t%s ok", fg.Target)
		default:
			targets++
			fmt.Fprintf(tw, "\t%s MISSED", fg.Target)
		}
		fmt.Fprint(tw, "\t\n")
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d of %d Go targets met", met, targets)
	if r.CPU < 0 {
		fmt.Fprint(w, " (the targets are for both processes on one CPU)")
	}
	fmt.Fprintln(w, ".")
	for _, e := range r.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
}

// ratioColumns are the ratio columns of the table: FORM/c for each other
// form, then floor/c and go/floor.
func (r *Report) ratioColumns() []string {
	var out []string
	for _, f := range r.Forms {
		if f != FormC {
			out = append(out, f+"/"+FormC)
		}
	}
	return append(out, "floor/"+FormC, FormGo+"/floor")
}

// JSON writes the report as one JSON object.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

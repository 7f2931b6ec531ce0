// Package judge runs a scenario under every pairing of forms, or a call
// script on both sides, and says whether the outcomes agree: field for
// field with cmp.Diff(want, got), except where a listed known difference
// (KnownDifferences) predicts exactly what the other form gives instead.
// It writes the reports, for people (Report, ReportScripts) and as JSON.
//
// Linux only.
package judge

// Package testhelper runs helper processes for tests in the style of
// os/exec's own tests: a package's one TestMain calls Main with a registry
// of helper commands (name → function), and a test runs a helper as a child
// process that is the test binary again, either itself (StartHelper) or by
// handing its command line to code that starts processes of its own
// (Command: the benchmark forms, the runner's sandbox). An unknown helper
// name makes the child exit 2; a registered helper that no test started
// fails the run.
//
// The helper's name travels as the child's first argument
// ("testhelper=NAME"), not in its environment: the runner gives the
// processes it starts an explicit environment, which would drop a marker
// variable, while it passes a command line on unchanged.
//
// Linux only: every other file of the package is built for Linux alone.
package testhelper

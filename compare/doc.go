// The package is Linux only (see DESIGN.md's conventions): its
// documentation is in forms.go, and every file but this one is built on
// Linux only. This file, without a build constraint, keeps the package in
// existence, empty, on other systems, so that go build ./... works there.

package compare

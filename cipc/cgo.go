//go:build cgo && linux

package cipc

// Available reports whether the package was built with cgo and holds the
// C forms.
const Available = true

// ErrNoCgo is nil when cgo is available.
var ErrNoCgo error = nil

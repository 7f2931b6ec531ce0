//go:build !cgo

package cipc

import "errors"

// Available reports whether the package was built with cgo and holds the
// C forms. Without cgo it holds nothing else.
const Available = false

// ErrNoCgo says why the C forms are missing.
var ErrNoCgo = errors.New("cipc: built without cgo (CGO_ENABLED=0): the C forms need cgo and a C compiler")

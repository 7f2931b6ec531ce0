// Package cside fills a sides.API from cipc, glibc through cgo.
//
// Linux only, and cgo only: without cgo the package is empty.
package cside

// Package goside fills a sides.API from goipc, the pure-Go side.
//
// Linux only.
package goside

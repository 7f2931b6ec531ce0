//go:build ignore

// gen_unsupported writes unsupported.go, the declarations of goipc's
// exported API for systems other than Linux, from the Linux files of the
// package (see package goipc/internal/genunsupported). Run it with
// go generate in this directory; TestUnsupportedUpToDate fails when
// unsupported.go is stale.
package main

import (
	"log"
	"os"

	"github.com/ipcparity/ipcparity/goipc/internal/genunsupported"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("gen_unsupported: ")
	src, err := genunsupported.Generate(".")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(genunsupported.Output, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

//go:build linux

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"github.com/ipcparity/ipcparity/compare"
	"github.com/ipcparity/ipcparity/compare/explain"
	"github.com/ipcparity/ipcparity/compare/htmlreport"
	"github.com/ipcparity/ipcparity/compare/judge"
)

// moduleDir is the module's checkout whose sources explain and report
// read: --src, else found above ipcparity's directory or the working
// directory.
func moduleDir(o *options) (string, error) {
	dirs := []string{o.src}
	if o.src == "" {
		self, _ := os.Executable()
		wd, _ := os.Getwd()
		dirs = []string{filepath.Dir(self), wd}
	}
	return explain.ModuleDir(dirs...)
}

// reportFirst checks report's command line and finds the sources before
// anything runs: --html is needed, and the page shows the sources.
func (o *options) reportFirst() error {
	if o.html == "" {
		return usageErr("report", "needs --html FILE")
	}
	dir, err := moduleDir(o)
	if err != nil {
		return err
	}
	o.src = dir
	return nil
}

// writeReport writes the page of report --html (nothing for check).
func (o *options) writeReport(results []judge.Result, scripts []judge.ScriptResult) error {
	if o.html == "" {
		return nil
	}
	progs, err := explain.Load(o.src)
	page := htmlreport.Page{
		Command:   "ipcparity " + strings.Join(o.args, " "),
		Results:   results,
		Scripts:   scripts,
		Sources:   progs,
		Scenarios: compare.Scenarios(),
	}
	if err != nil {
		page.SourcesProblem = err.Error()
	}
	var b bytes.Buffer
	if err := htmlreport.Write(&b, page); err != nil {
		return err
	}
	return os.WriteFile(o.html, b.Bytes(), 0o644)
}

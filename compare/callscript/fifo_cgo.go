//go:build cgo && linux

package callscript

import "github.com/ipcparity/ipcparity/cipc"

func init() {
	fifoSides[SideC] = fifoAPI{cipc.Mkfifo, cipc.Open, cipc.Unlink, cipc.Umask}
}

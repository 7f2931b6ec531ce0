//go:build cgo && linux

package callscript

import "github.com/ipcparity/ipcparity/cipc"

func init() {
	pipeSides[SideC] = pipeAPI{cipc.Pipe, cipc.Pipe2, cipc.Read, cipc.Write, cipc.Close, cipc.FcntlInt}
}

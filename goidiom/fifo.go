//go:build linux

package goidiom

// FIFOName is the path of the FIFO of fifo_reader and fifo_writer,
// relative to the working directory: IPC_NAME, else the notes'
// "named_pipe".
func FIFOName() string { return ipcName("named_pipe") }

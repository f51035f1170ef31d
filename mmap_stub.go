//go:build !unix && !windows

package mmap

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
)

// The backend of systems without mmap: every constructor fails with an error
// wrapping errors.ErrUnsupported.

const noFD = -1

const lockFreeReads = false

var errUnsupported = fmt.Errorf("mmap: memory maps are not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)

func allocationGranularity() int                      { return 65536 }
func resolveSys(string, *config, int) error           { return errUnsupported }
func sysMap(string, *memory, int, int, *config) error { return errUnsupported }
func sysUnmap(*memory, *snapshot) error               { return nil }
func sysRetire(*memory, *snapshot, []byte) error      { return nil }
func closeFD(*memory) error                           { return nil }
func closeRawFD(int)                                  {}
func openFile(string, bool) (int, error)              { return noFD, errUnsupported }
func statFD(int) (int64, fs.FileMode, error)          { return 0, 0, errUnsupported }
func readErr(int, int64) error                        { return errUnsupported }
func sysFlush(*memory, []byte) error                  { return errUnsupported }
func sysAdvise([]byte, int) error                     { return errUnsupported }
func sysResize(*memory, *config, int) ([]byte, error) { return nil, errUnsupported }
func dupFD(int) (int, error)                          { return noFD, errUnsupported }
func newShared(string, int) (*Map, error)             { return nil, errUnsupported }
func newMirror(string, int) (*Map, error)             { return nil, errUnsupported }
func sysFlushAsync([]byte) error                      { return errUnsupported }
func sysLock([]byte) error                            { return errUnsupported }
func sysUnlock([]byte) error                          { return errUnsupported }
func sysProtect([]byte, *config, bool) error          { return errUnsupported }
func sysResident([]byte) (int, error)                 { return 0, errUnsupported }
func sysPopulate([]byte) bool                         { return false }
func memlockLimit() string                            { return "" }
func allocate(int, int64, int64) error                { return errUnsupported }

const (
	mirrorUnit       = 1
	adviceSequential = MADV_SEQUENTIAL
	adviceNormal     = MADV_NORMAL
)

const growsFile = false

func badAddress(error) bool { return false }

// No map to commit: see commit.go.
func sysDirty(*memory, *config) ([]run, []run, error) { return nil, nil, errUnsupported }
func sysWriteRun(int, []byte, int64) error            { return errUnsupported }
func sysSyncData(int) error                           { return errUnsupported }
func sysGiveBack(*memory, *config, []run) error       { return errUnsupported }
func isBadFD(error) bool                              { return false }
func (c *config) private() bool                       { return false }

//go:build !linux

package mmap

// writesFile: writes go by the descriptor on Linux only, where the mapping
// and the page cache are known to be the same memory.
func (m *Map) writesFile() bool { return false }

// pwrite is never called here (writesFile).
func (m *Map) pwrite(_ string, data []byte, off int, p []byte) error {
	copy(data[off:], p)
	return nil
}

// fileSizes: no write asks the file's size here.
type fileSizes struct{}

func (fileSizes) forget() {}

//go:build !linux

package mmap

import (
	"io"

	"github.com/mmapio/mmap/internal/search"
)

// kernelCopy: the kernel's copy is used on Linux only, where the mapping
// and the page cache are known to be the same memory.
type kernelCopy struct{}

func (m *Map) kernelCopier(io.Writer) *kernelCopy { return nil }

func (m *Map) kernelChunk(*kernelCopy) (int, bool, bool, error) { return 0, true, true, nil }

// maxFileNeedle: searches read no file here.
const maxFileNeedle = 0

func (m *Map) readsFile() bool { return false }

func (m *Map) smallFolios([]byte, int, int) (known, small bool) { return false, false }

// preadFull and pageMapped are never called here: no map reads its file
// (readsFile).
func preadFull(int, []byte, int64) int { return 0 }
func pageMapped(*byte) (bool, bool)    { return false, false }

func (m *Map) indexFile(data []byte, c, end int, sub []byte) int {
	return search.Index(data[c:end], sub)
}

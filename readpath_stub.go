//go:build !linux

package mmap

import "github.com/mmapio/mmap/internal/search"

// The copies and scans read no file here: sameAsFile is false, and the
// rest is never called but for indexFile, which searches the mapping.

// maxFileNeedle: searches read no file here.
const maxFileNeedle = 0

func (m *Map) sameAsFile() bool { return false }

func preadFull(int, []byte, int64) int { return 0 }
func pageMapped(*byte) (bool, bool)    { return false, false }
func pagemap() int                     { return -1 }

func (m *Map) indexFile(data []byte, c, end int, sub []byte) int {
	return search.Index(data[c:end], sub)
}

// memoryLimit: the copies read no file here, so none needs to know.
var memoryLimit = func() int64 { return 0 }

package mmap

import (
	"io"
	"testing"
)

// TestZeroAllocs checks that the hot paths allocate nothing.
func TestZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's instrumentation allocates (a buffer that pread fills escapes)")
	}
	m, _ := mapData(t, benchText(1<<16), nil)
	p := make([]byte, 64)
	needle := []byte("absent needle")
	for name, f := range map[string]func(){
		"ReadAt":      func() { m.ReadAt(p, 100) },
		"ReadAt EOF":  func() { m.ReadAt(p, 1<<16) },
		"WriteAt":     func() { m.WriteAt(p, 100) },
		"At":          func() { m.At(5) },
		"SetAt":       func() { m.SetAt(5, 't') },
		"ReadByte":    func() { m.Seek(0, io.SeekStart); m.ReadByte() },
		"WriteByte":   func() { m.Seek(0, io.SeekStart); m.WriteByte('t') },
		"Read":        func() { m.Seek(0, io.SeekStart); m.Read(p) },
		"Write":       func() { m.Seek(0, io.SeekStart); m.Write(p) },
		"WriteString": func() { m.Seek(0, io.SeekStart); m.WriteString("the quick") },
		"Find":        func() { m.Find(needle) },
		"FindIn":      func() { m.FindIn(needle, 0, -1) },
		"RFind":       func() { m.RFind(needle) },
		"RFindIn":     func() { m.RFindIn(needle, 0, -1) },
		"Len":         func() { m.Len() },
		"Move":        func() { m.Move(0, 0, 10) },
	} {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per call", name, n)
		}
	}
	m.Seek(0, io.SeekStart)
	lines := 0
	n := testing.AllocsPerRun(1, func() {
		for range m.Lines() {
			lines++
		}
	})
	if lines < 100 || n > 1 { // the iterator itself, not one per line
		t.Errorf("Lines allocates %v times over %d lines", n, lines)
	}
}

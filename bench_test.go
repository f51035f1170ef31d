package mmap

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"testing"

	"github.com/mmapio/mmap/internal/lines"
)

// benchText is size bytes of ~80-byte lines of text, the needle of the
// search benchmarks absent.
func benchText(size int) []byte {
	line := []byte("the quick brown fox jumps over the lazy dog, and then some more words follow it\n")
	return bytes.Repeat(line, size/len(line)+1)[:size]
}

// benchMap maps a file of data read-write.
func benchMap(b *testing.B, data []byte) *Map {
	m, _ := mapData(b, data, nil)
	return m
}

// BenchmarkFind searches a 64 MiB mapped file for an absent 16-byte needle.
func BenchmarkFind(b *testing.B) {
	const size = 64 << 20
	m := benchMap(b, benchText(size))
	needle := []byte("a needle absent!")
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if m.Find(needle) != -1 {
			b.Fatal("found the absent needle")
		}
	}
}

// BenchmarkFindInMatches walks the 127k matches of a 128 MiB map with one
// FindIn per match, as `mmap find` does: the per-call cost of a search.
func BenchmarkFindInMatches(b *testing.B) {
	line := append(bytes.Repeat([]byte("x"), 1000), "MATCH\n"...)
	m := benchMap(b, bytes.Repeat(line, 128<<20/len(line)))
	needle := []byte("MATCH")
	b.ReportAllocs()
	for b.Loop() {
		for s := 0; ; {
			i := m.FindIn(needle, s, m.Len())
			if i < 0 {
				break
			}
			s = i + 1
		}
	}
}

// BenchmarkReadAt reads 4 KiB at random offsets of a 64 MiB mapped file.
func BenchmarkReadAt(b *testing.B) {
	const size = 64 << 20
	m := benchMap(b, benchText(size))
	p := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ReadAt(p, rng.Int64N(size-4096)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAt1 reads one byte: the cost of a call, guards included.
func BenchmarkReadAt1(b *testing.B) {
	m := benchMap(b, benchText(4096))
	p := make([]byte, 1)
	b.ReportAllocs()
	for b.Loop() {
		m.ReadAt(p, 100)
	}
}

// BenchmarkReadAt1Unguarded is BenchmarkReadAt1 on the bare slice: what the
// guards of BenchmarkReadAt1 cost is the difference.
func BenchmarkReadAt1Unguarded(b *testing.B) {
	m := benchMap(b, benchText(4096))
	data := m.Bytes()
	p := make([]byte, 1)
	b.ReportAllocs()
	for b.Loop() {
		readAtBare(data, p, 100)
	}
}

// BenchmarkReadAt1Floor is BenchmarkReadAt1Unguarded with the runtime's
// part of the guard (SetPanicOnFault on and off, a deferred recover): the
// least any guard built on them costs, against which BenchmarkReadAt1
// measures ours.
func BenchmarkReadAt1Floor(b *testing.B) {
	m := benchMap(b, benchText(4096))
	data := m.Bytes()
	p := make([]byte, 1)
	b.ReportAllocs()
	for b.Loop() {
		readAtFloor(data, p, 100)
	}
}

//go:noinline
func readAtFloor(data, p []byte, off int64) (n int, err error) {
	old := debug.SetPanicOnFault(true)
	defer func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			err = (*Map)(nil).faultOf("read at", r, data)
		}
	}()
	if off < 0 {
		return 0, ErrOutOfRange
	}
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	return copy(p, data[off:]), nil
}

//go:noinline
func readAtBare(data, p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, ErrOutOfRange
	}
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	return copy(p, data[off:]), nil
}

// BenchmarkSlice64 copies 64 bytes out of a map, as mm[i:i+64]: the
// per-call cost of the guarded O(n) reads (scan).
func BenchmarkSlice64(b *testing.B) {
	m := benchMap(b, benchText(1<<16))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Slice(i, i+64)
		i = (i + 4096) & (1<<16 - 1)
	}
}

// BenchmarkReadLine reads every line of a 16 MiB mapped text file.
func BenchmarkReadLine(b *testing.B) {
	const size = 16 << 20
	m := benchMap(b, benchText(size))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		m.Seek(0, io.SeekStart)
		for {
			if _, err := m.ReadLine(); err != nil {
				break
			}
		}
	}
}

// BenchmarkLines iterates over the same lines without copies.
func BenchmarkLines(b *testing.B) {
	const size = 16 << 20
	m := benchMap(b, benchText(size))
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N { // not b.Loop, which keeps the loop body from being inlined
		m.Seek(0, io.SeekStart)
		n := 0
		for line := range m.Lines() {
			n += len(line)
		}
		if n != size {
			b.Fatalf("lines hold %d bytes", n)
		}
	}
}

// BenchmarkWrite writes a 64 MiB mapped file in 64 KiB chunks.
func BenchmarkWrite(b *testing.B) {
	const size = 64 << 20
	m := benchMap(b, make([]byte, size))
	chunk := benchText(64 << 10)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		m.Seek(0, io.SeekStart)
		for range size / len(chunk) {
			if _, err := m.Write(chunk); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkScanner reads the lines of BenchmarkLines from the file with
// bufio.Scanner, the usual way without a map.
func BenchmarkScanner(b *testing.B) {
	const size = 16 << 20
	_, path := mapData(b, benchText(size), nil)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		n := 0
		for sc.Scan() {
			n += len(sc.Bytes()) + 1
		}
		f.Close()
		if n != size+1 { // the last line has no '\n'
			b.Fatalf("lines hold %d bytes", n)
		}
	}
}

// BenchmarkLinesHeap is the loop of BenchmarkLines over a heap buffer with
// Lines' own line finder and no Map: the limit of Lines.
func BenchmarkLinesHeap(b *testing.B) {
	const size = 16 << 20
	data := benchText(size)
	b.SetBytes(size)
	for b.Loop() {
		if n := endsLoop(data); n != size {
			b.Fatalf("lines hold %d bytes", n)
		}
	}
}

// endsLoop goes over the lines of data as Lines does, in batches from
// lines.Ends, and returns how many bytes they hold.
func endsLoop(data []byte) int {
	var ends [linesBatch]int
	n := 0
	for start := 0; ; {
		k := lines.Ends(data, start, ends[:])
		if k == 0 {
			return n
		}
		for _, end := range ends[:k] {
			n += len(data[start:end])
			start = end
		}
	}
}

// lineLoop goes over the lines of data with bytes.IndexByte, as a program
// without Lines would, and returns how many bytes they hold.
func lineLoop(data []byte) int {
	n := 0
	for p := data; len(p) > 0; {
		i := bytes.IndexByte(p, '\n') + 1
		if i == 0 {
			i = len(p)
		}
		n += i
		p = p[i:]
	}
	return n
}

// BenchmarkLinesHeapIter is BenchmarkLines over a heap buffer with
// bytes.Lines, the standard library's iterator of the same lines.
func BenchmarkLinesHeapIter(b *testing.B) {
	const size = 16 << 20
	data := benchText(size)
	b.SetBytes(size)
	for b.Loop() {
		n := 0
		for line := range bytes.Lines(data) {
			n += len(line)
		}
		if n != size {
			b.Fatalf("lines hold %d bytes", n)
		}
	}
}

// BenchmarkLinesBytesLoop goes over the lines of the mapping itself (Bytes)
// with a loop of bytes.IndexByte: what a program does with the slice of
// another mmap library.
func BenchmarkLinesBytesLoop(b *testing.B) {
	const size = 16 << 20
	m := benchMap(b, benchText(size))
	data := m.Bytes()
	b.SetBytes(size)
	for b.Loop() {
		if n := lineLoop(data); n != size {
			b.Fatalf("lines hold %d bytes", n)
		}
	}
}

// BenchmarkWriteAt1 writes one byte at the same place: the cost of a call
// into a page written many times (which goes by the mapping), the pair of
// BenchmarkReadAt1 for writes.
func BenchmarkWriteAt1(b *testing.B) {
	m := benchMap(b, benchText(4096))
	p := []byte{'x'}
	b.ReportAllocs()
	for b.Loop() {
		m.WriteAt(p, 100)
	}
}

// BenchmarkSetAt1 is BenchmarkWriteAt1 through SetAt.
func BenchmarkSetAt1(b *testing.B) {
	m := benchMap(b, benchText(4096))
	b.ReportAllocs()
	for b.Loop() {
		m.SetAt(100, 'x')
	}
}

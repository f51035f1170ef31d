package lines

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// reference is Ends as a loop of bytes.IndexByte over the lines.
func reference(data []byte, pos int, ends []int) int {
	if pos < 0 {
		return 0
	}
	n := 0
	for ; n < len(ends) && pos < len(data); n++ {
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			pos += i + 1
		} else {
			pos = len(data)
		}
		ends[n] = pos
	}
	return n
}

// check compares Ends with reference on one input.
func check(t *testing.T, data []byte, pos, max int) {
	t.Helper()
	got, want := make([]int, max), make([]int, max)
	n, wn := Ends(data, pos, got), reference(data, pos, want)
	if n != wn || !slicesEqual(got[:n], want[:wn]) {
		t.Fatalf("Ends(%q, %d, [%d]) = %v, want %v", data, pos, max, got[:n], want[:wn])
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestEndsBlocks puts newlines on and around the edges of the 16- and
// 32-byte blocks, at every start position, with every batch size that ends
// in or between blocks.
func TestEndsBlocks(t *testing.T) {
	for size := 0; size <= 100; size++ {
		for _, at := range [][]int{{}, {0}, {15}, {16}, {31}, {32}, {33}, {size - 1}, {15, 16, 31, 32, 47, 48, 63, 64}} {
			data := bytes.Repeat([]byte{'x'}, size)
			for _, i := range at {
				if i >= 0 && i < size {
					data[i] = '\n'
				}
			}
			for pos := -1; pos <= size+1; pos++ {
				for _, max := range []int{1, 2, 3, 8, 64} {
					check(t, data, pos, max)
				}
			}
		}
	}
}

// TestEndsDense is every byte a newline: a block fills a batch on its own.
func TestEndsDense(t *testing.T) {
	data := bytes.Repeat([]byte{'\n'}, 200)
	for pos := 0; pos < 70; pos++ {
		for _, max := range []int{1, 5, 16, 31, 32, 33, 64, 300} {
			check(t, data, pos, max)
		}
	}
}

// TestEndsRandom compares with reference on random text of random density.
func TestEndsRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		data := make([]byte, rng.IntN(600))
		density := rng.IntN(100) + 1
		for i := range data {
			if rng.IntN(density) == 0 {
				data[i] = '\n'
			} else {
				data[i] = byte('a' + rng.IntN(26))
			}
		}
		check(t, data, rng.IntN(len(data)+2)-1, rng.IntN(70)+1)
	}
}

// TestEndsAll walks all the lines batch by batch, as Map.Lines does.
func TestEndsAll(t *testing.T) {
	data := text(1 << 16)
	var got []int
	ends := make([]int, 64)
	for pos := 0; ; {
		n := Ends(data, pos, ends)
		if n == 0 {
			break
		}
		got = append(got, ends[:n]...)
		pos = ends[n-1]
	}
	want := make([]int, len(data))
	want = want[:reference(data, 0, want)]
	if !slicesEqual(got, want) {
		t.Fatalf("%d ends, want %d", len(got), len(want))
	}
	if len(want) < 700 {
		t.Fatalf("only %d lines in the text", len(want))
	}
}

// FuzzEnds compares Ends with reference on any input.
func FuzzEnds(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"), 0, 3)
	f.Add(bytes.Repeat([]byte("0123456789abcde\n"), 5), 7, 64)
	f.Fuzz(func(t *testing.T, data []byte, pos, max int) {
		if max < 1 || max > 1000 {
			max = 64
		}
		check(t, data, pos, max)
	})
}

// text is size bytes of lines of 40 to 120 bytes.
func text(size int) []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, 0, size)
	for len(b) < size {
		n := 40 + rng.IntN(80)
		for range n - 1 {
			b = append(b, byte('a'+rng.IntN(26)))
		}
		b = append(b, '\n')
	}
	return b[:size]
}

// BenchmarkEnds finds all the lines of 16 MiB of text in batches of 64.
func BenchmarkEnds(b *testing.B) {
	data := text(16 << 20)
	ends := make([]int, 64)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for pos := 0; ; {
			n := Ends(data, pos, ends)
			if n == 0 {
				break
			}
			pos = ends[n-1]
		}
	}
}

// BenchmarkIndexByteLoop is BenchmarkEnds as a loop of bytes.IndexByte.
func BenchmarkIndexByteLoop(b *testing.B) {
	data := text(16 << 20)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for rest := data; len(rest) > 0; {
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				break
			}
			rest = rest[i+1:]
		}
	}
}

// Package lines finds where lines end, many at a time: Map.Lines, and with
// it the line loop of cmd/mmap find, spends most of its time here.
package lines

import "bytes"

// Ends stores in ends the ends of the lines of data from pos on, as many as
// fit, and returns how many it stored. A line ends just past its '\n', or at
// len(data) for a last line without one; a pos outside data has no lines.
//
// It is what a loop of bytes.IndexByte over the lines does, without a call
// per line: on amd64, one pass over data compares 64 bytes at a time with
// '\n' (32 without AVX2) and takes the ends from the bits of the comparison
// (BenchmarkEnds against BenchmarkIndexByteLoop; BENCHMARKS.md, "Line
// ends").
func Ends(data []byte, pos int, ends []int) int {
	if pos < 0 || pos >= len(data) || len(ends) == 0 {
		return 0
	}
	n, i := newlines(data, pos, ends)
	for n < len(ends) && i < len(data) {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		ends[n] = i
		n++
	}
	if n < len(ends) {
		last := pos
		if n > 0 {
			last = ends[n-1]
		}
		if last < len(data) {
			ends[n] = len(data)
			n++
		}
	}
	return n
}

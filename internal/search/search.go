// Package search finds byte strings in large byte slices at close to the
// speed of bytes.IndexByte, whatever the first byte of the needle.
//
// bytes.Index looks for the needle's first byte with a vector scan; when
// that byte is common (a space, an 'e'), the scan stops at every one of them
// and runs at a fraction of memory speed. Index instead scans for the
// needle's rarest byte, by a fixed ranking of how often bytes occur in text
// and binary files (the technique of Rust's memchr::memmem), checks a second
// rare byte, then the whole needle. On amd64 it compares both rare bytes at
// once, 64 places at a time with AVX2 (32 with SSE2), as memmem's packed
// pair does: a needle of common letters, whose rarest byte alone stops the
// scan every few dozen bytes, is found several times faster than by that
// byte alone (BenchmarkSearch; BENCHMARKS.md, "Search").
// When the haystack proves the ranking wrong (many candidates that fail), it
// hands the rest to bytes.Index, so that it is never much slower than
// bytes.Index. LastIndex does the same from the end. Both return what
// bytes.Index and bytes.LastIndex return, for every input.
package search

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Index returns the index of the first instance of sep in s, or -1.
func Index(s, sep []byte) int {
	f := Finder{sep: sep}
	if len(sep) >= 2 && len(sep) <= len(s)-len(sep) {
		f.r1, f.r2 = rarest(sep)
	}
	return f.Index(s)
}

// Finder is a needle prepared for Index once, for a caller that looks for
// the same needle many times (a match at a time, as grep's count does):
// its rare bytes are chosen when it is made, not at every call.
type Finder struct {
	sep    []byte
	r1, r2 int // where sep's rare bytes are, where it has two bytes or more
}

// NewFinder returns a Finder of sep, which it keeps (the caller must not
// change it).
func NewFinder(sep []byte) *Finder {
	f := &Finder{sep: sep}
	if len(sep) >= 2 {
		f.r1, f.r2 = rarest(sep)
	}
	return f
}

// short is Index where there is nothing to skip: a needle of a byte or
// none, or a haystack shorter than twice the needle.
func short(s, sep []byte) int {
	switch {
	case len(sep) == 0:
		return 0
	case len(sep) == 1:
		return bytes.IndexByte(s, sep[0])
	case len(sep) > len(s):
		return -1
	}
	return bytes.Index(s, sep)
}

// Index returns what Index(s, sep) returns for f's needle. (Index calls
// it, and not the other way round, so that a match costs a call the
// fewer: grep's count calls it once a matching line.)
func (f *Finder) Index(s []byte) int {
	sep, n := f.sep, len(f.sep)
	if n < 2 || n > len(s)-n {
		return short(s, sep)
	}
	r1, r2 := f.r1, f.r2
	b1, b2 := sep[r1], sep[r2]
	last := len(s) - n // the last place sep can start
	misses := 0
	i := 0
	// Blocks of 32 places with both rare bytes compared at once (pairs),
	// while whole blocks fit; the rest, and all where pairs has no vector
	// code, by the loop after.
	for end := last - 31; i <= end; {
		at, mask := pairs(s, i, end, r1, r2, b1, b2)
		if mask == 0 {
			i = at
			break
		}
		for ; mask != 0; mask &= mask - 1 {
			if k := at + bits.TrailingZeros32(mask); bytes.Equal(s[k:k+n], sep) {
				return k
			}
			misses++
		}
		i = at + 32
		// When candidates fail more often than one per 8 bytes, checking
		// each costs more than bytes.Index.
		if misses > 16 && misses*8 > i {
			if k := bytes.Index(s[i:], sep); k >= 0 {
				return i + k
			}
			return -1
		}
	}
	for i <= last {
		j := bytes.IndexByte(s[i+r1:last+r1+1], b1)
		if j < 0 {
			return -1
		}
		i += j
		if s[i+r2] == b2 && bytes.Equal(s[i:i+n], sep) {
			return i
		}
		i++
		// Candidates that fail cost a call each; once they come more often
		// than one per 32 bytes scanned, bytes.Index is the faster tool.
		if misses++; misses > 16 && misses*32 > i {
			if k := bytes.Index(s[i:], sep); k >= 0 {
				return i + k
			}
			return -1
		}
	}
	return -1
}

// LastIndex returns the index of the last instance of sep in s, or -1.
func LastIndex(s, sep []byte) int {
	n := len(sep)
	switch {
	case n == 0:
		return len(s)
	case n == 1:
		return LastIndexByte(s, sep[0])
	case n > len(s):
		return -1
	case n > len(s)-n:
		return bytes.LastIndex(s, sep)
	}
	r1, r2 := rarest(sep)
	b1, b2 := sep[r1], sep[r2]
	misses := 0
	// end is one past the last place sep may start. Blocks of 32 places
	// from the end by pairsBack, as in Index, then the loop after.
	end := len(s) - n + 1
	for from := end - 32; from >= 0; from = end - 32 {
		at, mask := pairsBack(s, from, r1, r2, b1, b2)
		if mask == 0 {
			end = at + 32
			break
		}
		for mask != 0 {
			k := 31 - bits.LeadingZeros32(mask)
			if bytes.Equal(s[at+k:at+k+n], sep) {
				return at + k
			}
			mask &^= 1 << k
			misses++
		}
		end = at
		if misses > 16 && misses*8 > len(s)-end {
			return bytes.LastIndex(s[:end+n-1], sep)
		}
	}
	for end > 0 {
		j := LastIndexByte(s[r1:end+r1], b1)
		if j < 0 {
			return -1
		}
		if s[j+r2] == b2 && bytes.Equal(s[j:j+n], sep) {
			return j
		}
		end = j
		if misses++; misses > 16 && misses*32 > len(s)-end {
			return bytes.LastIndex(s[:end+n-1], sep)
		}
	}
	return -1
}

// LastIndexByte returns what bytes.LastIndexByte returns, at the speed of
// bytes.IndexByte. bytes.LastIndexByte loops a byte at a time; this scans
// the last bytes a word at a time, which finds a frequent byte at once
// (the start of a line), then skips back over blocks that the vectorised
// bytes.IndexByte finds free of c.
func LastIndexByte(s []byte, c byte) int {
	const near = 256
	start := max(len(s)-near, 0)
	if i := lastInWords(s[start:], c); i >= 0 {
		return start + i
	}
	// Blocks double while they hold no c, to 1 MiB: small ones find a byte
	// that is near with little waste, large ones amortise the calls.
	for end, block := start, 4096; end > 0; end, block = start, min(2*block, 1<<20) {
		start = max(end-block, 0)
		if bytes.IndexByte(s[start:end], c) >= 0 {
			return start + lastInWords(s[start:end], c)
		}
	}
	return -1
}

// lastInWords finds the last c in s, eight bytes at a time.
func lastInWords(s []byte, c byte) int {
	const ones, low7 = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f
	rep := ones * uint64(c)
	i := len(s)
	for ; i >= 8; i -= 8 {
		w := binary.LittleEndian.Uint64(s[i-8:i]) ^ rep // zero bytes where s has c
		// The high bit of each byte of t is set where w's byte is not zero;
		// exact, since no byte's sum carries into the next.
		t := (w&low7 + low7) | w
		if m := ^t &^ low7; m != 0 {
			return i - 8 + (63-bits.LeadingZeros64(m))/8
		}
	}
	for i--; i >= 0; i-- {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// rarest returns the positions in sep of its rarest byte and of the rarest
// other byte (another value where sep has one), by the ranking of rank.
func rarest(sep []byte) (r1, r2 int) {
	r1, r2 = 0, 1
	if rank[sep[r2]] < rank[sep[r1]] {
		r1, r2 = r2, r1
	}
	for i := 2; i < len(sep); i++ {
		switch c := sep[i]; {
		case rank[c] < rank[sep[r1]]:
			r1, r2 = i, r1
		case rank[c] < rank[sep[r2]] && c != sep[r1] || sep[r2] == sep[r1] && c != sep[r1]:
			r2 = i
		}
	}
	return r1, r2
}

//go:build !purego

package search

import "golang.org/x/sys/cpu"

// useAVX2 chooses pairs' loop of 32 bytes per vector; without AVX2 it
// takes two of 16 (SSE2, every amd64).
var useAVX2 = cpu.X86.HasAVX2

// pairs looks at the places from, from+32, … up to end for a block of 32
// places i where s[i+i1] == b1 and s[i+i2] == b2, and returns the first
// block with one: where it starts, and a mask of those places (bit k for
// at+k). With no such block it returns the first place it did not look at
// and 0. It reads s[at+i1:at+i1+32] and s[at+i2:at+i2+32] for each block:
// end+31+max(i1, i2) < len(s).
//
//go:noescape
func pairs(s []byte, from, end, i1, i2 int, b1, b2 byte) (at int, mask uint32)

// pairsBack is pairs from the end: it looks at the blocks of 32 places
// starting at from, from-32, … down to 0, and returns the first with a
// place that has both bytes, or the block below the last it looked at (at
// < 0) and 0. from+31+max(i1, i2) < len(s).
//
//go:noescape
func pairsBack(s []byte, from, i1, i2 int, b1, b2 byte) (at int, mask uint32)

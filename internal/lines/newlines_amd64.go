//go:build !purego

package lines

import "golang.org/x/sys/cpu"

// useAVX2 chooses the 64-byte loop of newlines, which needs AVX2, and BMI1
// and POPCNT to take the ends from the bits without a branch per line.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 && cpu.X86.HasPOPCNT

// newlines stores in ends the ends of the lines of data from pos on that
// end with a '\n' in whole blocks of 64 or 32 bytes, as many as fit, and
// returns how many it stored and where the first block it did not look at
// begins (when ends is not full). 0 <= pos <= len(data), len(ends) > 0.
//
//go:noescape
func newlines(data []byte, pos int, ends []int) (n, next int)

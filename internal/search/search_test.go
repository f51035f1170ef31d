package search

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// check compares Index, a Finder's Index and LastIndex with the standard library's answers.
func check(t *testing.T, s, sep []byte) {
	t.Helper()
	if got, want := Index(s, sep), bytes.Index(s, sep); got != want {
		t.Fatalf("Index(%q, %q) = %d, want %d", s, sep, got, want)
	}
	if got, want := NewFinder(sep).Index(s), bytes.Index(s, sep); got != want {
		t.Fatalf("NewFinder(%q).Index(%q) = %d, want %d", sep, s, got, want)
	}
	if got, want := LastIndex(s, sep), bytes.LastIndex(s, sep); got != want {
		t.Fatalf("LastIndex(%q, %q) = %d, want %d", s, sep, got, want)
	}
}

func TestCorners(t *testing.T) {
	for _, c := range []struct{ s, sep string }{
		{"", ""}, {"a", ""}, {"", "a"}, {"a", "a"}, {"ab", "ab"}, {"ab", "abc"},
		{"xxxxxxxxxxabc", "abc"}, {"abcxxxxxxxxxx", "abc"}, {"abcabcabcabc", "abc"},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "aab"}, {"baaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "baa"},
		{"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", "zz"}, {"the the the the the the the theme", "theme"},
		{"\x00\x00\x00\x00\x00\x00\x00\x01\x00", "\x00\x01"}, {"qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq!", "q!"},
	} {
		check(t, []byte(c.s), []byte(c.sep))
	}
}

// TestRandom compares with the standard library on random inputs over small
// alphabets, where needles occur, nearly occur and overlap.
func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 20000 {
		alpha := "ab !\x00"[:2+rng.IntN(4)]
		s := make([]byte, rng.IntN(300))
		for i := range s {
			s[i] = alpha[rng.IntN(len(alpha))]
		}
		sep := make([]byte, rng.IntN(8))
		for i := range sep {
			sep[i] = alpha[rng.IntN(len(alpha))]
		}
		if len(s) > 0 && rng.IntN(2) == 0 { // a needle cut from the haystack
			i := rng.IntN(len(s))
			sep = s[i : i+rng.IntN(len(s)-i+1)]
		}
		check(t, s, sep)
	}
}

// TestBlocks crosses the 4 KiB blocks of LastIndexByte.
func TestBlocks(t *testing.T) {
	s := bytes.Repeat([]byte("abcdefgh"), 3000)
	for _, at := range []int{0, 1, 4095, 4096, 4097, 8191, 12000, len(s) - 3} {
		c := bytes.Clone(s)
		copy(c[at:], "XYZ")
		check(t, c, []byte("XYZ"))
		check(t, c, []byte("hXY"))
		check(t, c, []byte("X"))
	}
}

// FuzzIndex checks Index and LastIndex against bytes.Index and
// bytes.LastIndex.
func FuzzIndex(f *testing.F) {
	f.Add([]byte("hello world, hello fuzz"), []byte("hello"))
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"), []byte("ab"))
	f.Add(bytes.Repeat([]byte{0}, 100), []byte{0, 0, 1})
	f.Fuzz(func(t *testing.T, s, sep []byte) {
		check(t, s, sep)
	})
}

// TestLargeBlocks crosses the doubling blocks of LastIndexByte, up to 1 MiB.
func TestLargeBlocks(t *testing.T) {
	s := bytes.Repeat([]byte("abcdefgh"), 3<<20/8)
	rng := rand.New(rand.NewPCG(8, 9))
	for range 200 {
		c := bytes.Clone(s)
		at := rng.IntN(len(s) - 3)
		copy(c[at:], "X!Z")
		if rng.IntN(2) == 0 {
			copy(c[rng.IntN(len(s)-3):], "X!Z")
		}
		check(t, c, []byte("X!Z"))
		check(t, c, []byte("!"))
	}
}

// TestPairs puts a needle of common letters, and near misses that have its
// two rarest bytes in place, at every place around the edges of the blocks
// of pairs and pairsBack (32 and 64 places), from several starts.
func TestPairs(t *testing.T) {
	base := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog "), 6)
	sep := []byte("dog and the fox")
	r1, r2 := rarest(sep)
	for at := 0; at+len(sep) <= len(base); at++ {
		s := bytes.Clone(base)
		copy(s[at:], sep)
		// Near misses before and after it (for LastIndex): both rare
		// bytes in place, not the rest.
		if at > 40 {
			s[at-40+r1], s[at-40+r2] = sep[r1], sep[r2]
		}
		if at+40+len(sep) <= len(s) {
			s[at+40+r1], s[at+40+r2] = sep[r1], sep[r2]
		}
		for _, from := range []int{0, 1, 31, 32, 33, 63, 64} {
			if from <= len(s) {
				check(t, s[from:], sep)
			}
		}
	}
}

// TestPairsFallback has candidates fail at nearly every place, so that
// Index hands the rest to bytes.Index, before and after the match.
func TestPairsFallback(t *testing.T) {
	s := bytes.Repeat([]byte("ab"), 5000)
	for _, at := range []int{0, 100, 4000, 9990} {
		c := bytes.Clone(s)
		copy(c[at:], "abababX")
		check(t, c, []byte("abababX"))
	}
	check(t, s, []byte("ababababababababababababababababababababY"))
}

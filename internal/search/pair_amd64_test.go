//go:build !purego

package search

import "testing"

// TestSSE2 runs the tests of pairs again without AVX2, which the machines
// that have it would never test otherwise.
func TestSSE2(t *testing.T) {
	if !useAVX2 {
		t.Skip("the tests ran without AVX2 already")
	}
	useAVX2 = false
	defer func() { useAVX2 = true }()
	t.Run("corners", TestCorners)
	t.Run("random", TestRandom)
	t.Run("pairs", TestPairs)
	t.Run("fallback", TestPairsFallback)
}

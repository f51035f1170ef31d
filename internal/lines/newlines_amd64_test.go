//go:build !purego

package lines

import "testing"

// TestEndsSSE2 runs the tests again without the AVX2 loop, which the
// machines that have it would never test otherwise.
func TestEndsSSE2(t *testing.T) {
	if !useAVX2 {
		t.Skip("the tests ran without AVX2 already")
	}
	useAVX2 = false
	defer func() { useAVX2 = true }()
	t.Run("blocks", TestEndsBlocks)
	t.Run("dense", TestEndsDense)
	t.Run("random", TestEndsRandom)
	t.Run("all", TestEndsAll)
}

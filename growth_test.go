package mmap_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mmapio/mmap/internal/growth"
)

// TestGrowWhileReading: 8 readers check every page they read while the
// file grows from 1 to 32 MiB in 100 Resizes inside the map's reservation;
// the map never moves and no read fails or finds a page wrong.
func TestGrowWhileReading(t *testing.T) {
	const from, to = 1 << 20, 32 << 20
	// Not t.TempDir: under Wine a file stays busy for a moment after its
	// map is gone, and t.TempDir's clean-up would fail the test.
	dir, err := os.MkdirTemp("", "mmap-growth-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	tg, err := growth.NewMap(filepath.Join(dir, "grow"), from, to)
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("this system keeps no reservation: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	res, err := growth.Run(tg, 8, 100, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if res.Moves != 0 || res.PageMismatches != 0 || res.Reads == 0 {
		t.Fatalf("%d reads, %d of them wrong; the map moved %d times", res.Reads, res.PageMismatches, res.Moves)
	}
}

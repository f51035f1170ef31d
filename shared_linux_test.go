package mmap

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

// TestSharedSealed: the memfd of Shared is sealed against shrinking. A
// child process that truncates it gets EPERM, and the parent's map is
// whole; Resize grows it, and a shrink is EPERM with the map as it was.
func TestSharedSealed(t *testing.T) {
	if os.Getenv("MMAP_CHILD") == "truncate" {
		err := os.NewFile(3, "shared").Truncate(0)
		if !errors.Is(err, syscall.EPERM) {
			t.Fatalf("the child truncated the Shared memory: %v, want EPERM", err)
		}
		return
	}
	noChild(t)
	m, err := Shared(4 * PageSize)
	must(t, err)
	defer m.Close()
	must(t, m.SetAt(4*PageSize-1, 'e'))
	f, err := m.File()
	must(t, err)
	defer f.Close()
	if out, err := helper("TestSharedSealed", "truncate", f).CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if b, err := m.At(4*PageSize - 1); b != 'e' || err != nil {
		t.Errorf("last byte after the child's truncate = %q, %v", b, err)
	}
	must(t, m.Resize(8*PageSize))
	if err := m.Resize(2 * PageSize); !errors.Is(err, syscall.EPERM) {
		t.Errorf("Resize that shrinks Shared memory: %v, want EPERM", err)
	}
	if m.Len() != 8*PageSize {
		t.Errorf("Len %d after the refused shrink", m.Len())
	}
	if b, err := m.At(4*PageSize - 1); b != 'e' || err != nil {
		t.Errorf("At after the refused shrink = %q, %v", b, err)
	}
}

package mmap

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// underQemu skips a test that qemu-user cannot run faithfully: it ignores
// madvise, and reports no address with a memory fault. .ci/qemu.sh sets
// MMAP_TEST_QEMU.
func underQemu(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("MMAP_TEST_QEMU") != "" {
		t.Skip("under qemu-user, which " + why)
	}
}

// noChild skips a test that starts a child process where .ci/qemu.sh could
// not make the kernel run the test binary's architecture.
func noChild(t *testing.T) {
	t.Helper()
	if os.Getenv("MMAP_TEST_NO_CHILD") != "" {
		t.Skip("cannot start a child process of this architecture here (no binfmt_misc)")
	}
}

// tempDir is t.TempDir, except that a directory that cannot be removed at
// the end of the test is left behind instead of failing it: under Wine,
// files stay busy for a moment after their maps are gone, and t.TempDir's
// clean-up fails.
func tempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "mmap-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// writeFile creates a file with data in a temporary directory and returns
// its path.
func writeFile(t testing.TB, data []byte) string {
	t.Helper()
	path := filepath.Join(tempDir(t), "map")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// openTestFile opens path read-write (or read-only) and closes it at the end of
// the test.
func openTestFile(t testing.TB, path string, readOnly bool) *os.File {
	t.Helper()
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// mapData maps a new file holding data with opts and closes the map at the
// end of the test. It returns the map and the file's path.
func mapData(t testing.TB, data []byte, opts *Options) (*Map, string) {
	t.Helper()
	path := writeFile(t, data)
	readOnly := opts != nil && opts.Access == AccessRead
	m, err := MapFile(openTestFile(t, path, readOnly), 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, path
}

// fileBytes returns the contents of the file at path.
func fileBytes(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// snapshot returns a copy of the whole map, or fails the test.
func snapshot(t testing.TB, m *Map) []byte {
	t.Helper()
	b := m.Slice(0, m.Len())
	if b == nil {
		t.Fatal("Slice of the whole map returned nil")
	}
	return b
}

// isAny reports whether errors.Is(err, target) holds for one of targets.
func isAny(err error, targets []error) bool {
	for _, target := range targets {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

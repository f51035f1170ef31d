package mmap

// The helpers of the package's tests. Where each kind of test goes:
//
//   - mmap_test.go, array_test.go, file_test.go, find_test.go, manage_test.go,
//     shared_test.go: the behaviour of the file of the same stem (mmap.go,
//     array.go, …), with _unix, _linux and _windows halves for what one
//     system does. A port of one of CPython's tests says so ("CPython:
//     test_rfind") and stands beside the API it tests;
//   - cpython_test.go and large_test.go: the rest of CPython's test_mmap,
//     ported; cpython_ops_test.go replays the answers that
//     testdata/cpython_ops.py records from CPython;
//   - badinput_test.go: bad arguments, and nil, zero and closed Maps;
//   - crash_test.go, fault_test.go, retire_unix_test.go: faults, races
//     with Close and Resize, and what other libraries crash on;
//   - readpath_linux_test.go, writepath_linux_test.go, fromfile_linux_test.go,
//     hints_test.go, ahead_test.go: which way copies, writes and scans go
//     (the mapping or the descriptor) and the help scans get; named_test.go,
//     reserve_test.go, growth_test.go, mirror_test.go, typed_test.go,
//     view_test.go, supports_test.go, commit_test.go: the features of the
//     files of those stems, with their per-system halves;
//   - alloc_test.go, bench_test.go, bench_unix_test.go: allocations and
//     benchmarks (and the benchmarks of one feature beside its tests:
//     commit_linux_test.go, fromfile_linux_test.go, growth_unix_test.go);
//     fuzz_test.go: FuzzOps against a model of CPython;
//   - example_test.go, example_unix_test.go: the runnable examples of the
//     documentation (package mmap_test, which shows a user's code: its
//     child process is its own, in TestMain).
//
// A test that needs another process starts the test binary again with
// helper, and the child runs the same test with MMAP_CHILD set.

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

// contents returns a copy of the whole map, or fails the test.
func contents(t testing.TB, m *Map) []byte {
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

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func seek(t *testing.T, m *Map, off int64, whence int, want int64) {
	t.Helper()
	got, err := m.Seek(off, whence)
	if got != want || err != nil || m.Tell() != int(want) {
		t.Errorf("Seek(%d, %d) = %d, %v; Tell %d; want %d", off, whence, got, err, m.Tell(), want)
	}
}

func second[T any](_ T, err error) error { return err }

// helper runs the test binary again as a child that runs the test named
// name with the environment variable MMAP_CHILD set to role.
func helper(name, role string, extra ...*os.File) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), "MMAP_CHILD="+role)
	cmd.ExtraFiles = extra
	return cmd
}

func countFDs(t *testing.T) int {
	t.Helper()
	if runtime.GOOS == "windows" { // under Wine, /proc/self is Wine's own
		t.Skip("counts descriptors in /proc/self/fd")
	}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	return len(ents)
}

// countMaps counts the mappings of the process other than the Go runtime's
// own memory (private anonymous read-write mappings, which grow with the
// runtime's metadata: the cleanups of many maps waiting for a collection,
// for one).
func countMaps(t *testing.T) int {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("counts mappings in /proc/self/maps")
	}
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Skip("no /proc/self/maps here")
	}
	n := 0
	for line := range bytes.Lines(b) {
		// address perms offset dev inode [path]
		if f := bytes.Fields(line); len(f) == 5 && string(f[1]) == "rw-p" && string(f[4]) == "0" {
			continue
		}
		n++
	}
	return n
}

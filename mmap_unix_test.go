//go:build unix

package mmap

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOddFiles: what CPython does, or a clearer error, for files that are
// not plain regular files opened read-write.
func TestOddFiles(t *testing.T) {
	dir := tempDir(t)
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err == nil {
		f, err := os.OpenFile(fifo, os.O_RDWR, 0)
		must(t, err)
		defer f.Close()
		if _, err := MapFile(f, 10, nil); !errors.Is(err, ErrInvalid) {
			t.Errorf("FIFO: %v", err)
		}
	}
	path := writeFile(t, []byte("0123456789"))
	app, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	must(t, err)
	defer app.Close()
	m, err := MapFile(app, 0, nil) // Linux allows it, and so CPython does
	if err != nil {
		t.Errorf("O_APPEND file: %v", err)
	} else {
		must(t, m.SetAt(0, 'a'))
		m.Close()
	}
	wo, err := os.OpenFile(path, os.O_WRONLY, 0)
	must(t, err)
	defer wo.Close()
	if _, err := MapFile(wo, 0, nil); !errors.Is(err, os.ErrPermission) {
		t.Errorf("write-only file: %v (CPython: PermissionError)", err)
	}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		f, err := os.CreateTemp("/dev/shm", "mmap-test-")
		must(t, err)
		defer os.Remove(f.Name())
		defer f.Close()
		f.Write(make([]byte, PageSize))
		m, err := MapFile(f, 0, nil)
		must(t, err)
		must(t, m.SetAt(0, 's'))
		must(t, m.Resize(2*PageSize))
		must(t, m.Close())
		if got := fileBytes(t, f.Name()); len(got) != 2*PageSize || got[0] != 's' {
			t.Errorf("tmpfs file of %d bytes after Resize", len(got))
		}
	}
}

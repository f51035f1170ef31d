//go:build linux

package faultfs

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

// The library on a disk that fails: every method with an error result
// returns ErrFault wrapping the errno, and claims no byte it did not read;
// the methods without one give Python's answer and leave the fault for
// Err; a failed flush is never followed by a nil one; a server that dies
// is an error within seconds, and Close returns.

func TestMain(m *testing.M) {
	Serve() // the child that serves the file system: never returns
	os.Exit(m.Run())
}

const size = 1 << 20

// bad is the page the tests make unreadable.
const bad = 512 << 10

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{7}).Read(b)
	return bytes.ReplaceAll(b, []byte("needle"), []byte("xxxxxx")) // no needle by chance
}

// mapOn writes data to a new file of f (behind FUSE) and maps it through
// the mount, with opts; the map and the file close at the end of the test.
func mapOn(t *testing.T, f *FS, data []byte, opts *mmap.Options) *mmap.Map {
	t.Helper()
	name := "f" + strings.ReplaceAll(t.Name(), "/", "_")
	if err := os.WriteFile(filepath.Join(f.Backing, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	file, err := os.OpenFile(filepath.Join(f.Dir, name), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { file.Close() })
	m, err := mmap.MapFile(file, 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// isEIO checks that err is ErrFault wrapping EIO.
func isEIO(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, mmap.ErrFault) || !errors.Is(err, syscall.EIO) {
		t.Errorf("%s over an unreadable page: %v, want ErrFault wrapping EIO", what, err)
	}
	if err != nil && strings.Contains(err.Error(), "truncated") {
		t.Errorf("%s: %q says truncated for an I/O error", what, err)
	}
}

func TestFileSystemIsRemote(t *testing.T) {
	f := Start(t)
	m := mapOn(t, f, []byte("abc"), nil)
	if name, remote := m.FileSystem(); name != "fuse" || !remote {
		t.Errorf("FileSystem() of a FUSE file = %q, %v; want fuse, true", name, remote)
	}
}

// TestReadsOfAnUnreadablePage: each method over a page the file system
// fails to read, and the pages around it still read.
func TestReadsOfAnUnreadablePage(t *testing.T) {
	f := Start(t)
	data := randomBytes(size)
	if err := f.FailReads(bad, 4096, syscall.EIO); err != nil {
		t.Fatal(err)
	}
	count := []struct {
		name string
		call func(m *mmap.Map) (int, []byte, error)
	}{
		{"ReadAt 16", func(m *mmap.Map) (int, []byte, error) {
			p := make([]byte, 16)
			n, err := m.ReadAt(p, bad+100)
			return n, p, err
		}},
		{"ReadAt 256 KiB across it", func(m *mmap.Map) (int, []byte, error) {
			p := make([]byte, 256<<10)
			n, err := m.ReadAt(p, bad-128<<10)
			return n, p, err
		}},
		{"Read", func(m *mmap.Map) (int, []byte, error) {
			m.Seek(bad, io.SeekStart)
			p := make([]byte, 100)
			n, err := m.Read(p)
			if m.Tell() != bad {
				t.Errorf("a failed Read moved the position to %d", m.Tell())
			}
			return n, p, err
		}},
		{"WriteTo a file", func(m *mmap.Map) (int, []byte, error) {
			out, err := os.Create(filepath.Join(t.TempDir(), "out"))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			n, err := m.WriteTo(out)
			got, _ := os.ReadFile(out.Name())
			if int64(len(got)) != n {
				t.Errorf("WriteTo said %d bytes, the file has %d", n, len(got))
			}
			return int(n), got, err
		}},
	}
	// A shared map of a remote file reads the descriptor; a private one
	// (AccessCopy) the mapping, which faults: both say EIO.
	for _, c := range count {
		for _, access := range []mmap.Access{mmap.AccessDefault, mmap.AccessCopy} {
			t.Run(c.name+"/"+access.String(), func(t *testing.T) {
				m := mapOn(t, f, data, &mmap.Options{Access: access})
				checkCount(t, c.name, data, c.call, m)
			})
		}
	}

	m := mapOn(t, f, data, nil)

	if _, err := m.At(bad + 5); true {
		isEIO(t, "At", err)
	}
	p := make([]byte, 4096)
	if n, err := m.ReadAt(p, bad-8192); n != len(p) || err != nil || !bytes.Equal(p, data[bad-8192:bad-4096]) {
		t.Errorf("ReadAt of a good page before the bad one = %d, %v", n, err)
	}
	if n, err := m.ReadAt(p, bad+8192); n != len(p) || err != nil || !bytes.Equal(p, data[bad+8192:bad+12288]) {
		t.Errorf("ReadAt of a good page after the bad one = %d, %v", n, err)
	}
	if m.Err() != nil {
		t.Fatalf("Err() = %v before any method without an error result ran", m.Err())
	}

	// Without an error result: Python's answer, and Err says why.
	for name, call := range map[string]func(m *mmap.Map) bool{
		"Find":    func(m *mmap.Map) bool { return m.Find([]byte("needle")) == -1 },
		"FindIn":  func(m *mmap.Map) bool { return m.FindIn([]byte("needle"), 0, size) == -1 },
		"RFind":   func(m *mmap.Map) bool { return m.RFind([]byte("needle")) == -1 },
		"RFindIn": func(m *mmap.Map) bool { return m.RFindIn([]byte("needle"), 0, size) == -1 },
		"Slice":   func(m *mmap.Map) bool { return m.Slice(0, size) == nil },
		"Lines": func(m *mmap.Map) bool {
			n := 0
			for l := range m.Lines() {
				n += len(l)
			}
			return n <= bad
		},
	} {
		m := mapOn(t, f, data, nil)
		if !call(m) {
			t.Errorf("%s over an unreadable page did not give Python's answer", name)
		}
		isEIO(t, name+": Err()", m.Err())
	}
	m = mapOn(t, f, data, nil)
	var last error
	for _, err := range m.LinesErr() {
		last = err
	}
	isEIO(t, "LinesErr's last error", last)
}

// checkCount runs one call of a method that returns a count over the
// unreadable page: EIO, and n counts only bytes of the file.
func checkCount(t *testing.T, name string, data []byte, call func(m *mmap.Map) (int, []byte, error), m *mmap.Map) {
	t.Helper()
	n, got, err := call(m)
	isEIO(t, name, err)
	if n != 0 && !bytes.Equal(got[:n], data[:n]) && !bytes.Equal(got[:n], data[bad-128<<10:][:n]) {
		t.Errorf("%s: n = %d, but those bytes are not the file's", name, n)
	}
	if n > bad {
		t.Errorf("%s: n = %d passes the unreadable page", name, n)
	}
}

// TestFlushFailureStays: a write through the map, then a Flush while the
// file system refuses writes, then a Flush after it recovered: the kernel
// dropped the bytes with the first failure, so neither Flush nor Close may
// say nil.
func TestFlushFailureStays(t *testing.T) {
	for _, errno := range []syscall.Errno{syscall.EIO, syscall.ENOSPC} {
		t.Run(errno.Error(), func(t *testing.T) {
			f := Start(t)
			m := mapOn(t, f, make([]byte, size), nil)
			if _, err := m.WriteAt([]byte("written through the map"), 4096); err != nil {
				t.Fatal(err)
			}
			if err := f.FailWrites(errno); err != nil {
				t.Fatal(err)
			}
			err := m.Flush()
			if !errors.Is(err, errno) || !errors.Is(err, mmap.ErrLost) {
				t.Fatalf("Flush while writes fail: %v, want ErrLost wrapping %v", err, errno)
			}
			if err := f.Heal(); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				name string
				call func() error
			}{
				{"Flush", m.Flush},
				{"FlushRange", func() error { return m.FlushRange(0, 4096) }},
				{"FlushAsync", m.FlushAsync},
				{"Close", m.Close},
			} {
				if err := c.call(); !errors.Is(err, mmap.ErrLost) || !errors.Is(err, errno) {
					t.Errorf("%s after the failed flush: %v, want ErrLost wrapping %v", c.name, err, errno)
				}
			}
			// The premise: the bytes are not in the file.
			got, err := os.ReadFile(filepath.Join(f.Backing, "f"+strings.ReplaceAll(t.Name(), "/", "_")))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(got, []byte("written through the map")) {
				t.Log("the bytes reached the file after all: this kernel kept them dirty")
			}
		})
	}
}

// TestServerDies: the file server is killed under a map: reads are
// ErrFault wrapping the kernel's ENOTCONN within seconds, searches say -1
// with Err set, nothing hangs, and Close returns.
func TestServerDies(t *testing.T) {
	f := Start(t)
	data := randomBytes(size)
	m := mapOn(t, f, data, nil)
	p := make([]byte, 4096)
	if _, err := m.ReadAt(p, 0); err != nil {
		t.Fatal(err)
	}
	f.Kill()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if n, err := m.ReadAt(p, bad); n != 0 || !errors.Is(err, mmap.ErrFault) || !errors.Is(err, syscall.ENOTCONN) {
			t.Errorf("ReadAt after the server died = %d, %v; want 0, ErrFault wrapping ENOTCONN", n, err)
		}
		if i := m.Find([]byte("needle")); i != -1 || !errors.Is(m.Err(), mmap.ErrFault) {
			t.Errorf("Find after the server died = %d, Err() = %v", i, m.Err())
		}
		m.Close() // an error is fine (the server cannot hear the close); a hang is not
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the map's calls hang after the server died")
	}
}

package mmap_test

import (
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/mmapio/mmap"
)

// A tiny store that orders its own writes, as a database must: the data
// page goes to the file first, then the root page that points at it, each
// with a Commit that returns only when its pages are on the disk. The
// kernel writes nothing back by itself (the map is copy-on-write), so a
// crash between the two commits leaves the old root pointing at old data.
// Protect(AccessRead) between transactions makes a stray write through
// Bytes fault instead of landing.
func ExampleMap_Commit() {
	name := filepath.Join(os.TempDir(), "store.db")
	defer os.Remove(name)
	if err := os.WriteFile(name, make([]byte, 3*mmap.PageSize), 0o644); err != nil {
		log.Fatal(err)
	}
	f, err := os.OpenFile(name, os.O_RDWR, 0) // Commit writes through it
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	m, err := mmap.MapFile(f, 0, &mmap.Options{Access: mmap.AccessCopy})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()

	// Transaction 1: the data page, then the root (page 0) naming it.
	m.WriteAt([]byte("hello, ordered world"), int64(2*mmap.PageSize))
	if err := m.Commit(); err != nil {
		log.Fatal(err) // nothing of the root is in the file: retry, or Discard
	}
	m.WriteAt(binary.LittleEndian.AppendUint64(nil, 2), 0) // the root: data at page 2
	dirty, _ := m.Dirty()
	fmt.Println("pages to commit:", dirty)
	if err := m.Commit(); err != nil {
		log.Fatal(err)
	}

	// A change the program thinks better of.
	m.WriteAt([]byte("oops"), int64(2*mmap.PageSize))
	m.Discard()

	file, _ := os.ReadFile(name)
	page := binary.LittleEndian.Uint64(file)
	fmt.Printf("root says page %d: %s\n", page, file[page*uint64(mmap.PageSize):][:20])
	// Output:
	// pages to commit: 1
	// root says page 2: hello, ordered world
}

package mmap_test

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mmapio/mmap"
)

// The first example of Python's mmap documentation: map a file, read a line
// and a slice, change it in place, and read it again.
func Example() {
	name := filepath.Join(os.TempDir(), "hello.txt")
	defer os.Remove(name)
	if err := os.WriteFile(name, []byte("Hello Python!\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	mm, err := mmap.MapFile(f, 0, nil) // 0: the whole file
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()

	line, _ := mm.ReadLine()
	fmt.Printf("%q\n", line)
	fmt.Printf("%q\n", mm.Slice(0, 5))
	if err := mm.SetSlice(6, mm.Len(), []byte(" world!\n")); err != nil { // mm[6:] = b" world!\n"
		log.Fatal(err)
	}
	mm.Seek(0, io.SeekStart)
	line, _ = mm.ReadLine()
	fmt.Printf("%q\n", line)
	// Output:
	// "Hello Python!\n"
	// "Hello"
	// "Hello  world!\n"
}

// The second example of Python's documentation: anonymous memory, written
// and read back.
func ExampleAnonymous() {
	mm, err := mmap.Anonymous(13, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	mm.WriteString("Hello world!")
	mm.Seek(0, io.SeekStart)
	line, _ := mm.ReadLine()
	fmt.Printf("%q\n", line)
	// Output:
	// "Hello world!\x00"
}

// Python's documentation says the re module works on a map; in Go, regexp
// works on the mapped bytes through View, without copying the file, and a
// file truncated under the map is an error, not a crash.
func Example_regexp() {
	name := filepath.Join(os.TempDir(), "regexp.txt")
	defer os.Remove(name)
	os.WriteFile(name, []byte("id=17 name=ada\nid=42 name=grace\n"), 0o644)

	mm, err := mmap.Open(name, mmap.AccessRead)
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	re := regexp.MustCompile(`id=(\d+) name=(\w+)`)
	err = mm.View(func(b []byte) error {
		for _, m := range re.FindAllSubmatchIndex(b, -1) {
			fmt.Printf("offset %d: %s is %s\n", m[0], b[m[4]:m[5]], b[m[2]:m[3]])
		}
		return nil
	})
	if err != nil {
		log.Fatal(err) // errors.Is(err, mmap.ErrFault) if the file shrank under the map
	}
	// Output:
	// offset 0: ada is 17
	// offset 15: grace is 42
}

// View hands the mapped bytes to code that takes a []byte, here a CRC of
// the whole file, with Close held off and faults turned into errors.
func ExampleMap_View() {
	name := filepath.Join(os.TempDir(), "crc.txt")
	defer os.Remove(name)
	os.WriteFile(name, []byte("The quick brown fox jumps over the lazy dog"), 0o644)

	mm, err := mmap.Open(name, mmap.AccessRead)
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	var sum uint32
	if err := mm.View(func(b []byte) error {
		sum = crc32.ChecksumIEEE(b)
		return nil
	}); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%08x\n", sum)
	// Output:
	// 414fa339
}

// Find searches from the position; FindIn takes Python's slice bounds.
func ExampleMap_Find() {
	mm, _ := mmap.Anonymous(12, nil)
	defer mm.Close()
	mm.WriteString("one two ones")
	mm.Seek(1, io.SeekStart)
	fmt.Println(mm.Find([]byte("one")), mm.FindIn([]byte("one"), 0, -1), mm.RFindIn([]byte("one"), 0, -2))
	// Output:
	// 8 0 0
}

// Errors wrap the package's sentinels, so errors.Is tells the cases apart,
// and nothing changes when a call fails.
func ExampleMap_Write() {
	mm, _ := mmap.Anonymous(4, nil)
	defer mm.Close()
	_, err := mm.Write([]byte("too long"))
	fmt.Println(err)
	fmt.Println(errors.Is(err, mmap.ErrOutOfRange), mm.Tell())
	// Output:
	// mmap: write: 8 bytes at position 0 pass the end of a map of 4 bytes: out of range
	// true 0
}

// Lines iterates over the lines of a map without copying them.
func ExampleMap_Lines() {
	mm, _ := mmap.Anonymous(12, nil)
	defer mm.Close()
	mm.WriteString("a\nbb\nccc")
	mm.Seek(0, io.SeekStart)
	for line := range mm.Lines() {
		fmt.Printf("%q ", line)
	}
	fmt.Println(mm.Tell())
	// Output:
	// "a\n" "bb\n" "ccc\x00\x00\x00\x00" 12
}

// Protect makes the map read-only for a while, say while it is handed to
// code that must not change it; the Map enforces it.
func ExampleMap_Protect() {
	mm, _ := mmap.Anonymous(mmap.PageSize, nil)
	defer mm.Close()
	mm.Protect(mmap.AccessRead)
	err := mm.SetAt(0, 'x')
	fmt.Println(errors.Is(err, mmap.ErrReadOnly))
	mm.Protect(mmap.AccessWrite)
	fmt.Println(mm.SetAt(0, 'x'))
	// Output:
	// true
	// <nil>
}

// WriteTo sends the rest of a map to a writer in large views, without
// copying it line by line.
func ExampleMap_WriteTo() {
	mm, _ := mmap.Anonymous(11, nil)
	defer mm.Close()
	mm.WriteString("hello world")
	mm.Seek(6, io.SeekStart)
	var sb strings.Builder
	n, _ := mm.WriteTo(&sb)
	fmt.Println(n, sb.String())
	// Output:
	// 5 world
}

func ExampleViewOf() {
	// A counter that goroutines, and processes sharing the memory, update
	// with atomics, in place.
	m, err := mmap.Anonymous(mmap.PageSize, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	hits, err := mmap.ViewOf[atomic.Uint64](m, 0)
	if err != nil {
		log.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				hits.Add(1)
			}
		}()
	}
	wg.Wait()
	fmt.Println(hits.Load())
	// Output: 4000
}

func ExampleSliceOf() {
	m, err := mmap.Anonymous(mmap.PageSize, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	type point struct{ X, Y float32 }
	pts, err := mmap.SliceOf[point](m, 0, 3)
	if err != nil {
		log.Fatal(err)
	}
	pts[2] = point{1.5, -2}
	_, err = mmap.SliceOf[string](m, 0, 1)
	fmt.Println(pts, errors.Is(err, mmap.ErrInvalid))
	// Output: [{0 0} {0 0} {1.5 -2}] true
}

// A ring buffer whose records never need splitting: a record written near
// the end of the first half runs on into the second, which is the same
// memory as the first, and is read back as one slice.
func ExampleMirror() {
	ring, err := mmap.Mirror(mmap.PageSize) // rounded up to a page (64 KiB on Windows)
	if err != nil {
		log.Fatal(err)
	}
	defer ring.Close()
	b, n := ring.Bytes(), ring.Len() // len(b) == 2*n

	head := n - 5 // near the end
	copy(b[head:], "wraps round")
	fmt.Printf("the record: %q\n", b[head:head+11])
	fmt.Printf("the front of the ring: %q\n", b[:6])
	// Output:
	// the record: "wraps round"
	// the front of the ring: " round"
}

// Supports tells a program what the system does before it relies on it.
func ExampleSupports() {
	if mmap.Supports(mmap.FeatureNamed) == mmap.SupportNone {
		fmt.Println("no named shared memory here: use a file")
		return
	}
	fmt.Println("named shared memory:", mmap.Supports(mmap.FeatureNamed))
	// Output: named shared memory: native
}

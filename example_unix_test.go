//go:build unix

package mmap_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"

	"github.com/mmapio/mmap"
)

func init() { children["1"] = child }

// Python's documentation ends with a parent and a child exchanging data
// through an anonymous map after fork. Go has no fork: the parent makes
// Shared memory and hands its descriptor to the child, which maps it.
func ExampleShared() {
	mm, err := mmap.Shared(mmap.PageSize)
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	mm.WriteString("Hello from the parent\n")

	f, err := mm.File() // a descriptor for the child, closed after it starts
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command(os.Args[0]) // the child: this program again (see child)
	cmd.Env = append(os.Environ(), "MMAP_EXAMPLE_CHILD=1")
	cmd.ExtraFiles = []*os.File{f} // descriptor 3 in the child
	cmd.Stdout = os.Stdout
	if err := cmd.Run(); err != nil {
		log.Fatal(err)
	}
	f.Close()

	mm.Seek(0, io.SeekStart)
	for line := range mm.Lines() {
		if line[0] == 0 {
			break
		}
		fmt.Printf("parent reads: %s", line)
	}
	// Output:
	// child reads: Hello from the parent
	// parent reads: Hello from the parent
	// parent reads: Hello from the child
}

// child is the child process of ExampleShared: it maps descriptor 3, reads
// the parent's line and writes its own after it.
func child() {
	mm, err := mmap.MapFile(os.NewFile(3, "shared"), 0, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	line, _ := mm.ReadLine()
	fmt.Printf("child reads: %s", line)
	mm.WriteString("Hello from the child\n")
}

// Resident tells how much of a map is in memory; Populate brings it all in.
func ExampleMap_Resident() {
	mm, _ := mmap.Anonymous(16*mmap.PageSize, &mmap.Options{Flags: mmap.MAP_PRIVATE})
	defer mm.Close()
	res, total, _ := mm.Resident()
	fmt.Printf("%d of %d pages\n", res, total)
	mm.Populate()
	res, total, _ = mm.Resident()
	fmt.Printf("%d of %d pages\n", res, total)
	// Output:
	// 0 of 16 pages
	// 16 of 16 pages
}

// Lock keeps a map in RAM, as a database keeps its hot index.
func ExampleMap_Lock() {
	mm, _ := mmap.Anonymous(mmap.PageSize, nil)
	defer mm.Close()
	if err := mm.Lock(); err != nil {
		fmt.Println(err) // names RLIMIT_MEMLOCK when the limit is the reason
		return
	}
	defer mm.Unlock()
	res, total, _ := mm.Resident()
	fmt.Printf("%d of %d pages locked in memory\n", res, total)
	// Output:
	// 1 of 1 pages locked in memory
}

// Options.Populate maps a file and reads it in at once, so that a scan
// that follows takes no page faults.
func ExampleOptions_populate() {
	name := os.TempDir() + "/populate.txt"
	defer os.Remove(name)
	os.WriteFile(name, []byte(strings.Repeat("x", 3*mmap.PageSize)), 0o644)
	f, _ := os.Open(name)
	defer f.Close()
	mm, err := mmap.MapFile(f, 0, &mmap.Options{Access: mmap.AccessRead, Populate: true})
	if err != nil {
		log.Fatal(err)
	}
	defer mm.Close()
	res, total, _ := mm.Resident()
	fmt.Printf("%d of %d pages\n", res, total)
	// Output:
	// 3 of 3 pages
}

func ExampleOptions_reserve() {
	// An append-only log that grows in place: a slice taken before a Resize
	// stays valid, since the map never moves inside its reservation.
	f, err := os.CreateTemp("", "log")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	f.WriteString("LOG1")
	m, err := mmap.MapFile(f, 0, &mmap.Options{Reserve: 64 << 20})
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	magic := m.Bytes()[:4]
	for _, rec := range []string{"first\n", "second\n"} {
		end := m.Len()
		if err := m.Resize(end + len(rec)); err != nil {
			log.Fatal(err)
		}
		copy(m.Bytes()[end:], rec)
	}
	fmt.Printf("%s %q\n", magic, m.Bytes()[4:])
	// Output: LOG1 "first\nsecond\n"
}

func ExampleMap_Allocate() {
	// A sparse file (made by Truncate, or copied with holes) has no disk
	// blocks behind its holes: on a full disk, the first write to one would
	// be a SIGBUS. Allocate takes the blocks now, or fails with ENOSPC.
	f, err := os.CreateTemp("", "sparse")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if err := f.Truncate(1 << 20); err != nil {
		log.Fatal(err)
	}
	m, err := mmap.MapFile(f, 0, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	if err := m.Allocate(0, m.Len()); err != nil {
		log.Fatal(err) // errors.Is(err, syscall.ENOSPC) on a full disk
	}
	copy(m.Bytes(), "every byte of the map can be written now")
	size, _ := m.Size()
	fmt.Println(size)
	// Output: 1048576
}

package mmap_test

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mmapio/mmap"
)

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

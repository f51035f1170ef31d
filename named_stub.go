//go:build aix || android || (!unix && !windows)

package mmap

import (
	"errors"
	"fmt"
	"runtime"
)

// errNoNamed: AIX's shared memory objects are the C library's, and the
// systems without mmap have none.
var errNoNamed = fmt.Errorf("mmap: named shared memory is not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)

func createNamed(string, string, int, config) (*Map, error) { return nil, errNoNamed }
func openNamed(string, string, config) (*Map, error)        { return nil, errNoNamed }
func removeNamed(string) error                              { return errNoNamed }
func removeOwnName(*memory, string) error                   { return nil }

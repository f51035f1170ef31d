//go:build !(linux || freebsd || netbsd || windows)

package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// fadviseDontNeed: this system has no posix_fadvise.
func fadviseDontNeed(*os.File) error {
	return fmt.Errorf("evicting from the page cache is not supported on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}

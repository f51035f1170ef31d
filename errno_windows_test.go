package mmap

import "golang.org/x/sys/windows"

// Windows says "no memory" in its own words too.
func init() {
	noMemory = append(noMemory, windows.ERROR_NOT_ENOUGH_MEMORY, windows.ERROR_COMMITMENT_LIMIT)
}

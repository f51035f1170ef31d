//go:build unix && !linux && !darwin

package mmap

// remap resizes mem by mapping anew: the BSDs and the other Unix systems
// have no mremap, or (NetBSD) one with other semantics.
func remap(mem *memory, c *config, newSize int) error { return remapByCopy(mem, c, newSize) }

// fullSync is needed on macOS only.
func fullSync(int) error { return nil }

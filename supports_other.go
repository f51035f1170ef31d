//go:build !windows

package mmap

// supportsHere: elsewhere the system alone decides (supportOn).
func supportsHere(Feature) (Support, bool) { return 0, false }

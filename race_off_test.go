//go:build !race

package mmap

// raceEnabled: the race detector maps shadow memory of its own as the heap
// grows, so tests that count mappings allow for it.
const raceEnabled = false

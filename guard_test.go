package mmap

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
)

// The close-safety guard holds a sync.RWMutex shared on every call. These
// benchmarks compare it with the alternative, an atomic reference count
// (one add on entry, one on exit, a closed bit checked on entry), alone and
// from every core at once, and measure the fault guard's own cost.

func BenchmarkGuardRWMutex(b *testing.B) {
	var mu sync.RWMutex
	var closed atomic.Bool
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.RLock()
			if closed.Load() {
				b.Fatal("closed")
			}
			mu.RUnlock()
		}
	})
}

func BenchmarkGuardAtomic(b *testing.B) {
	var refs atomic.Int64
	const closing = 1 << 62
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if refs.Add(1)&closing != 0 {
				b.Fatal("closing")
			}
			refs.Add(-1)
		}
	})
}

func BenchmarkGuardPanicOnFault(b *testing.B) {
	for b.Loop() {
		debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	}
}

package search

import (
	"bytes"
	"testing"
)

var text = bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog, and then some more words follow it\n"), 64<<20/81)

// The needles: one whose first byte is common (the case where bytes.Index
// slows down) and one made of common letters only.
var needles = map[string][]byte{"rare-inside": []byte("the needle, absent!"), "letters": []byte("dog and the fox")}

// BenchmarkSearch runs Index and LastIndex, and the standard library's
// versions, over 64 MiB of text for each needle.
func BenchmarkSearch(b *testing.B) {
	for _, f := range []struct {
		name string
		fn   func(s, sep []byte) int
	}{
		{"Index/search", Index}, {"Index/bytes", bytes.Index},
		{"LastIndex/search", LastIndex}, {"LastIndex/bytes", bytes.LastIndex},
	} {
		for name, sep := range needles {
			b.Run(f.name+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					f.fn(text, sep)
				}
			})
		}
	}
}

// BenchmarkIndexByte is the limit: the vectorised scan for one byte.
func BenchmarkIndexByte(b *testing.B) {
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		bytes.IndexByte(text, '!')
	}
}

package search

import (
	"bytes"
	"testing"
)

var text = bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog, and then some more words follow it\n"), 64<<20/81)

// The needles: one whose first byte is common (the case where bytes.Index
// slows down) and one made of common letters only.
var needles = map[string][]byte{"rare-inside": []byte("the needle, absent!"), "letters": []byte("dog and the fox")}

func BenchmarkIndex(b *testing.B) {
	for name, sep := range needles {
		b.Run(name+"/search", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Index(text, sep)
			}
		})
		b.Run(name+"/bytes", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				bytes.Index(text, sep)
			}
		})
	}
}

func BenchmarkLastIndex(b *testing.B) {
	for name, sep := range needles {
		b.Run(name+"/search", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				LastIndex(text, sep)
			}
		})
		b.Run(name+"/bytes", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				bytes.LastIndex(text, sep)
			}
		})
	}
}

func BenchmarkIndexByte(b *testing.B) {
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		bytes.IndexByte(text, '!')
	}
}

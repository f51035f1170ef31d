package main

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// indexFold agrees with a plain search of the lowered text, needles with
// and without letters, at every place.
func TestIndexFold(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("aAbB-1 \n")
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		n := make([]byte, 1+r.IntN(3))
		for i := range n {
			n[i] = alphabet[r.IntN(len(alphabet))]
		}
		want := bytes.Index(bytes.ToLower(b), bytes.ToLower(n))
		if got := indexFold(b, n); got != want {
			t.Fatalf("indexFold(%q, %q) = %d, want %d", b, n, got, want)
		}
	}
}

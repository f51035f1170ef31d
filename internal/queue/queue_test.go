package queue

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/mmapio/mmap"
)

func message(i int) []byte {
	r := rand.New(rand.NewPCG(uint64(i), 1))
	b := make([]byte, r.IntN(700))
	for j := range b {
		b[j] = byte(r.Uint32())
	}
	return b
}

// A producer and a consumer goroutine pass 100,000 messages of 0 to 699
// bytes through a 4 KiB ring, which wraps thousands of times; every
// message arrives whole and in order.
func TestPushPop(t *testing.T) {
	const n = 100_000
	m, err := mmap.Anonymous(mmap.PageSize*2, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p, err := New(m, 0, Size(4096))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(m, 0, Size(4096))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for i := range n {
			if err := p.Push(message(i)); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	var buf []byte
	for i := range n {
		buf = c.Pop(buf)
		if !bytes.Equal(buf, message(i)) {
			t.Fatalf("message %d: %d bytes, not what was pushed", i, len(buf))
		}
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := p.Push(make([]byte, 4096)); !errors.Is(err, ErrTooLong) {
		t.Fatalf("Push of a message longer than the ring: %v", err)
	}
}

func TestNewRefuses(t *testing.T) {
	m, err := mmap.Anonymous(mmap.PageSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := New(m, 0, Header); err == nil {
		t.Error("New with no ring: nil error")
	}
	if _, err := New(m, 0, mmap.PageSize+1); !errors.Is(err, mmap.ErrOutOfRange) {
		t.Errorf("New past the map: %v", err)
	}
	if _, err := New(m, 3, Size(64)); !errors.Is(err, mmap.ErrInvalid) {
		t.Errorf("New at a misaligned offset: %v", err)
	}
}

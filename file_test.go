package mmap

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestWriteTo(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1<<20) // larger than a chunk
	m, _ := mapData(t, data, nil)
	m.Seek(5, io.SeekStart)
	var buf bytes.Buffer
	n, err := m.WriteTo(&buf)
	if n != int64(len(data)-5) || err != nil || !bytes.Equal(buf.Bytes(), data[5:]) {
		t.Errorf("WriteTo = %d, %v", n, err)
	}
	if m.Tell() != len(data) {
		t.Errorf("position %d after WriteTo", m.Tell())
	}
	if n, err := m.WriteTo(&buf); n != 0 || err != nil {
		t.Errorf("WriteTo at the end = %d, %v", n, err)
	}
	// A writer that takes part of a chunk: the position follows it.
	m.Seek(0, io.SeekStart)
	n, err = m.WriteTo(&limitedWriter{left: 7})
	if n != 7 || !errors.Is(err, io.ErrShortWrite) || m.Tell() != 7 {
		t.Errorf("WriteTo a short writer = %d, %v, position %d", n, err, m.Tell())
	}
}

type limitedWriter struct{ left int }

func (w *limitedWriter) Write(p []byte) (int, error) {
	n := min(len(p), w.left)
	w.left -= n
	if n < len(p) {
		return n, io.ErrShortWrite
	}
	return n, nil
}

func TestLines(t *testing.T) {
	m, _ := mapData(t, []byte("one\ntwo\n\nlast"), nil)
	var got []string
	for line := range m.Lines() {
		got = append(got, string(line))
	}
	if strings.Join(got, "|") != "one\n|two\n|\n|last" || m.Tell() != m.Len() {
		t.Errorf("Lines = %q, position %d", got, m.Tell())
	}
	m.Seek(0, io.SeekStart)
	for line := range m.Lines() {
		if string(line) == "two\n" {
			break
		}
	}
	if m.Tell() != 8 {
		t.Errorf("position %d after breaking at the second line, want 8", m.Tell())
	}
	if line, _ := m.ReadLine(); string(line) != "\n" {
		t.Errorf("ReadLine after the loop = %q", line)
	}
	for line := range m.Lines() {
		if cap(line) != len(line) {
			t.Errorf("a line of %d bytes has a capacity of %d: appending would write into the map", len(line), cap(line))
		}
	}
}

// TestLinesLoopBody: a loop body that seeks, resizes or closes the map.
func TestLinesLoopBody(t *testing.T) {
	m, err := Anonymous(4*PageSize, nil)
	must(t, err)
	defer m.Close()
	m.WriteString("a\nb\nc\nd\n")
	m.Seek(0, io.SeekStart)
	var got []string
	for line := range m.Lines() {
		if line[0] == 0 { // the zeros after the text
			break
		}
		got = append(got, string(line))
		if string(line) == "a\n" {
			m.Seek(4, io.SeekStart) // skip "b\n"
		}
		if string(line) == "c\n" {
			must(t, m.Resize(64*PageSize)) // the map may move
			m.SetSlice(6, 8, []byte("D\n"))
		}
		if len(got) > 10 {
			break
		}
	}
	if strings.Join(got, "") != "a\nc\nD\n" {
		t.Errorf("lines %.80q", got)
	}
	m.Seek(0, io.SeekStart)
	n := 0
	for range m.Lines() {
		n++
		m.Close()
	}
	if n != 1 {
		t.Errorf("%d lines after Close in the loop body", n)
	}
}

// CPython: test_read_all.
func TestReadAll(t *testing.T) {
	data := make([]byte, 16)
	for i := range data {
		data[i] = byte(i)
	}
	m, _ := mapData(t, data, nil)
	got, err := io.ReadAll(m)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("ReadAll = %x, %v", got, err)
	}
	m.Seek(8, io.SeekStart)
	if got, _ := io.ReadAll(m); !bytes.Equal(got, data[8:]) {
		t.Errorf("ReadAll from 8 = %x", got)
	}
	if n, err := m.Read(make([]byte, 4)); n != 0 || err != io.EOF {
		t.Errorf("Read at the end = %d, %v", n, err)
	}
	// Python's read(n) with n past the end returns what is left.
	m.Seek(14, io.SeekStart)
	p := make([]byte, 10)
	if n, err := m.Read(p); n != 2 || err != nil || !bytes.Equal(p[:2], data[14:]) {
		t.Errorf("Read past the end = %d, %v", n, err)
	}
}

// CPython: test_io_methods.
func TestIOMethods(t *testing.T) {
	m, path := mapData(t, make([]byte, 6), nil)
	for i, c := range []byte("abcdef") {
		must(t, m.WriteByte(c))
		if m.Tell() != i+1 {
			t.Errorf("Tell = %d after %d WriteByte", m.Tell(), i+1)
		}
	}
	if err := m.WriteByte('x'); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("WriteByte at the end: %v", err)
	}
	m.Seek(0, io.SeekStart)
	for i, c := range []byte("abcdef") {
		if b, err := m.ReadByte(); b != c || err != nil || m.Tell() != i+1 {
			t.Errorf("ReadByte = %q, %v", b, err)
		}
	}
	if _, err := m.ReadByte(); err != io.EOF {
		t.Errorf("ReadByte at the end: %v", err)
	}
	m.Seek(0, io.SeekStart)
	if n, err := m.Write([]byte("foo")); n != 3 || err != nil || m.Tell() != 3 {
		t.Errorf("Write = %d, %v", n, err)
	}
	m.Seek(0, io.SeekStart)
	if got := m.Slice(0, 6); string(got) != "foodef" {
		t.Errorf("bytes %q", got)
	}
	if n, err := m.Write([]byte("barbazfoo")); n != 0 || !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Write past the end = %d, %v", n, err)
	}
	if got := m.Slice(0, 6); string(got) != "foodef" || m.Tell() != 0 {
		t.Errorf("a failed Write changed the map to %q, position %d", got, m.Tell())
	}
	must(t, m.Close())
	if got := fileBytes(t, path); string(got) != "foodef" {
		t.Errorf("file holds %q", got)
	}
}

// CPython: test_write_returning_the_number_of_bytes_written.
func TestWriteReturningTheNumberOfBytesWritten(t *testing.T) {
	m, err := Anonymous(20, nil)
	must(t, err)
	defer m.Close()
	for _, s := range []string{"", "x", "yz", "python"} {
		if n, err := m.Write([]byte(s)); n != len(s) || err != nil {
			t.Errorf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if n, err := m.WriteString("abc"); n != 3 || err != nil {
		t.Errorf("WriteString = %d, %v", n, err)
	}
}

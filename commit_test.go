package mmap

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// privateMap maps a new file holding data copy-on-write, from a descriptor
// open for writing, at offset off of the file.
func privateMap(t *testing.T, data []byte, off int64) (*Map, string) {
	t.Helper()
	path := writeFile(t, data)
	m, err := MapFile(openTestFile(t, path, false), 0, &Options{Access: AccessCopy, Offset: off})
	must(t, err)
	t.Cleanup(func() { m.Close() })
	return m, path
}

func randomData(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{3}).Read(b)
	return b
}

// Nothing reaches the file before Commit; Commit writes exactly the changed
// pages, at the map's offset, without growing the file past a last partial
// page; Dirty counts them; afterwards the map is the file's again.
func TestCommitWritesChangedPages(t *testing.T) {
	off := int64(AllocationGranularity)
	size := 40*PageSize + 100 // the map's last page is partial
	orig := randomData(int(off) + size)
	m, path := privateMap(t, orig, off)
	want := bytes.Clone(orig)
	for _, w := range []struct{ at, n int }{{3 * PageSize, 10}, {4*PageSize + 7, PageSize}, {10 * PageSize, 1}, {40 * PageSize, 100}} {
		p := bytes.Repeat([]byte{byte(w.at)}, w.n)
		must(t, second(m.WriteAt(p, int64(w.at))))
		copy(want[int(off)+w.at:], p)
	}
	if got := fileBytes(t, path); !bytes.Equal(got, orig) {
		t.Fatal("writes to a private map reached the file before Commit")
	}
	// Pages 3, 4, 5 (the write at 4 spills into 5), 10 and 40.
	if n, err := m.Dirty(); n != 5 || err != nil {
		t.Errorf("Dirty() = %d, %v; want 5 pages", n, err)
	}
	must(t, m.Commit())
	if got := fileBytes(t, path); !bytes.Equal(got, want) {
		t.Fatalf("after Commit the file differs from the map's bytes (%d bytes, want %d)", len(got), len(want))
	}
	if n, err := m.Dirty(); n != 0 || err != nil {
		t.Errorf("Dirty() after Commit = %d, %v; want 0", n, err)
	}
	if !bytes.Equal(contents(t, m), want[off:]) {
		t.Error("after Commit the map does not read the file's bytes")
	}
	// The map follows the file again where it was committed.
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	must(t, err)
	_, err = f.WriteAt([]byte("from the file"), off+int64(3*PageSize))
	f.Close()
	must(t, err)
	if got := m.Slice(3*PageSize, 3*PageSize+13); string(got) != "from the file" {
		t.Errorf("a committed page reads %q after the file changed, want the file's bytes", got)
	}
	must(t, m.Commit()) // nothing changed: nil
}

// Discard drops the changes: the map reads the file again, which never
// changed.
func TestDiscard(t *testing.T) {
	orig := randomData(8 * PageSize)
	m, path := privateMap(t, orig, 0)
	must(t, second(m.WriteAt([]byte("changed"), int64(5*PageSize+9))))
	must(t, m.SetAt(0, orig[0]+1))
	if n, _ := m.Dirty(); n != 2 {
		t.Errorf("Dirty() = %d, want 2", n)
	}
	must(t, m.Discard())
	if !bytes.Equal(contents(t, m), orig) {
		t.Error("after Discard the map does not read the file's bytes")
	}
	if n, err := m.Dirty(); n != 0 || err != nil {
		t.Errorf("Dirty() after Discard = %d, %v", n, err)
	}
	if !bytes.Equal(fileBytes(t, path), orig) {
		t.Error("Discard changed the file")
	}
}

// Commit, Discard and Dirty on maps that have nothing to commit, or no way
// to: the errors of the API.
func TestCommitErrors(t *testing.T) {
	shared, _ := mapData(t, []byte("abc"), nil)
	anon, err := Anonymous(PageSize, &Options{Access: AccessCopy})
	must(t, err)
	defer anon.Close()
	noFD, err := MapFile(openTestFile(t, writeFile(t, []byte("abc")), false), 0, &Options{Access: AccessCopy, NoTrackFD: true})
	must(t, err)
	defer noFD.Close()
	readOnly, err := MapFile(openTestFile(t, writeFile(t, []byte("abc")), true), 0, &Options{Access: AccessCopy})
	must(t, err)
	defer readOnly.Close()
	closed, _ := privateMap(t, []byte("abc"), 0)
	must(t, closed.Close())
	var nilMap *Map
	for _, c := range []struct {
		name string
		m    *Map
		want error
	}{
		{"shared", shared, ErrInvalid}, {"anonymous", anon, ErrInvalid}, {"NoTrackFD", noFD, ErrInvalid},
		{"closed", closed, ErrClosed}, {"nil", nilMap, ErrInvalid},
	} {
		if err := c.m.Commit(); !errors.Is(err, c.want) {
			t.Errorf("Commit of a %s map: %v, want %v", c.name, err, c.want)
		}
		if err := c.m.Discard(); !errors.Is(err, c.want) {
			t.Errorf("Discard of a %s map: %v, want %v", c.name, err, c.want)
		}
		if _, err := c.m.Dirty(); !errors.Is(err, c.want) {
			t.Errorf("Dirty of a %s map: %v, want %v", c.name, err, c.want)
		}
	}
	// A file opened read-only: its changes cannot be committed, and stay.
	must(t, readOnly.SetAt(0, 'X'))
	if err := readOnly.Commit(); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Commit through a read-only descriptor: %v, want ErrReadOnly", err)
	}
	if n, err := readOnly.Dirty(); n != 1 || err != nil {
		t.Errorf("Dirty after the failed Commit = %d, %v; want 1", n, err)
	}
	if b, _ := readOnly.At(0); b != 'X' {
		t.Errorf("the change was lost with the failed Commit: %q", b)
	}
	must(t, readOnly.Discard())
	if b, _ := readOnly.At(0); b != 'a' {
		t.Errorf("Discard through a read-only descriptor: the map reads %q", b)
	}
}

// A store in the shape LMDB and bbolt need: data pages first, committed,
// then the root page that points at them, committed. Page 0 is the root:
// the number of the last transaction and the hash of its data page.
const storePages = 16

// storeTxn writes transaction seq: its data page, Commit, its root, Commit.
// It first scribbles over the root and discards that: a kill meanwhile
// must leave no trace of it in the file, nor may a later Commit.
func storeTxn(m *Map, seq uint64) error {
	if _, err := m.WriteAt(bytes.Repeat([]byte{0xee}, 64), 0); err != nil {
		return err
	}
	if err := m.Discard(); err != nil {
		return err
	}
	page := make([]byte, PageSize)
	rand.NewChaCha8([32]byte{byte(seq), byte(seq >> 8)}).Read(page)
	binary.LittleEndian.PutUint64(page, seq)
	slot := 1 + int(seq%(storePages-1))
	if _, err := m.WriteAt(page, int64(slot*PageSize)); err != nil {
		return err
	}
	if err := m.Commit(); err != nil {
		return err
	}
	sum := sha256.Sum256(page)
	root := binary.LittleEndian.AppendUint64(nil, seq)
	if _, err := m.WriteAt(append(root, sum[:]...), 0); err != nil {
		return err
	}
	return m.Commit()
}

// storeConsistent checks the file of a store: the root's data page is the
// one it hashed.
func storeConsistent(b []byte) (seq uint64, ok bool) {
	seq = binary.LittleEndian.Uint64(b)
	if seq == 0 {
		return 0, true // no transaction yet
	}
	slot := 1 + int(seq%(storePages-1))
	sum := sha256.Sum256(b[slot*PageSize : (slot+1)*PageSize])
	return seq, bytes.Equal(sum[:], b[8:40]) && binary.LittleEndian.Uint64(b[slot*PageSize:]) == seq
}

// TestCommitSurvivesKill: a child runs transactions of the store until it
// is killed at a random moment: the file is consistent every time, and it
// holds at least the transactions whose Commit had returned. A child that
// writes without committing leaves the file as it was.
func TestCommitSurvivesKill(t *testing.T) {
	noChild(t)
	switch os.Getenv("MMAP_CHILD") {
	case "store":
		f, err := os.OpenFile(os.Getenv("MMAP_STORE"), os.O_RDWR, 0)
		if err != nil {
			os.Exit(2)
		}
		m, err := MapFile(f, 0, &Options{Access: AccessCopy})
		if err != nil {
			os.Exit(2)
		}
		seq := binary.LittleEndian.Uint64(m.Bytes())
		for {
			seq++
			if err := storeTxn(m, seq); err != nil {
				os.Exit(3)
			}
			os.Stdout.WriteString(strconv.FormatUint(seq, 10) + "\n") // committed
		}
	case "uncommitted":
		f, _ := os.OpenFile(os.Getenv("MMAP_STORE"), os.O_RDWR, 0)
		m, err := MapFile(f, 0, &Options{Access: AccessCopy})
		if err != nil {
			os.Exit(2)
		}
		for i := range m.Len() {
			m.SetAt(i, 0xee)
		}
		os.Stdout.WriteString("written\n")
		time.Sleep(time.Hour) // until killed
	case "":
	default:
		return
	}
	path := filepath.Join(tempDir(t), "store")
	must(t, os.WriteFile(path, make([]byte, storePages*PageSize), 0o644))

	cmd := helper("TestCommitSurvivesKill", "uncommitted")
	cmd.Env = append(cmd.Env, "MMAP_STORE="+path)
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	line := make([]byte, 8)
	out.Read(line) // "written"
	cmd.Process.Kill()
	cmd.Wait()
	if !bytes.Equal(fileBytes(t, path), make([]byte, storePages*PageSize)) {
		t.Fatal("a child killed after writing through a private map without Commit changed the file")
	}

	rounds := 12
	if testing.Short() || runtime.GOOS == "windows" {
		rounds = 4
	}
	var last uint64
	for round := range rounds {
		cmd := helper("TestCommitSurvivesKill", "store")
		cmd.Env = append(cmd.Env, "MMAP_STORE="+path)
		out, err := cmd.StdoutPipe()
		must(t, err)
		must(t, cmd.Start())
		// The kill comes at a random moment after the first commit (a
		// child under an emulator takes long to start).
		lines := bufio.NewScanner(out)
		lines.Scan()
		time.Sleep(time.Duration(rand.IntN(50)) * time.Millisecond)
		cmd.Process.Kill()
		var committed uint64
		for ok := true; ok; ok = lines.Scan() {
			if n, err := strconv.ParseUint(lines.Text(), 10, 64); err == nil {
				committed = n
			}
		}
		cmd.Wait()
		seq, ok := storeConsistent(fileBytes(t, path))
		if !ok {
			b := fileBytes(t, path)
			slot := 1 + int(seq%(storePages-1))
			t.Fatalf("round %d: the store's file is inconsistent after a kill (root says transaction %d; its page, %d, holds transaction %d)", round, seq, slot, binary.LittleEndian.Uint64(b[slot*PageSize:]))
		}
		if seq < committed || seq < last {
			t.Fatalf("round %d: the file holds transaction %d, but %d had committed (and %d before)", round, seq, committed, last)
		}
		last = seq
	}
	if last == 0 {
		t.Error("no transaction committed in any round")
	}
	t.Logf("%d rounds, %d transactions committed in all", rounds, last)
}

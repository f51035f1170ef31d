package mmap

// Write ordering for private file maps: the program's writes stay in its
// memory (copy-on-write, Python's ACCESS_COPY) until Commit writes them to
// the file, in offset order, and syncs; Discard drops them. The kernel
// never writes a private page back by itself, so nothing reaches the file
// that the program did not commit: the first of Crotty, Leis and Pavlo's
// objections to mmap in a database ("Are You Sure You Want to Use MMAP in
// Your DBMS?", CIDR 2022) answered with the map's zero-copy writes kept.

// run is a range of changed pages of a map: off and n in bytes, off a
// multiple of the page size, n of it but for a run that ends the map.
type run struct{ off, n int }

// Commit writes every page of a private file map ([AccessCopy], or
// MAP_PRIVATE) that the program changed since the map was made, or since the
// last Commit or Discard, to the file, in ascending offset order, adjacent
// pages in one write of up to 128 KiB (copied out of the map first, which
// is faster on some virtual machines: see BENCHMARKS.md); then waits for
// the file's data to reach the disk (fdatasync; F_FULLFSYNC on macOS;
// FlushFileBuffers on Windows). It
// returns nil only when all of it is on the disk. After a nil Commit the
// map's pages are the file's again: the private copies are given back, and
// reads see the file (on Windows the view is mapped anew, which moves it
// outside a reservation, as Resize there).
//
// When a write or the sync fails (EIO, ENOSPC, EDQUOT), Commit returns the
// error and the changed pages stay changed in the map, so that a later
// Commit writes them again: the bytes are still the program's, unlike those
// of a failed Flush ([ErrLost]).
//
// The file must be open for writing ([ErrReadOnly] otherwise: map it from an
// *[os.File] opened O_RDWR with AccessCopy); a map that is not a private map
// of a file, or one made with NoTrackFD, is ErrInvalid. Commit holds off the
// [Map]'s other writes and Close; writes through Bytes must not run meanwhile,
// or they may be lost. On Linux the changed pages are found in
// /proc/self/pagemap (a changed private page is no longer the file's); on
// the other systems, Windows too, by comparing the map with the file, which
// reads the whole file.
//
// To keep stray writes through Bytes from landing between commits,
// Protect([AccessRead]) the map and Protect([AccessWrite]) it for each
// transaction: a stray write then faults.
func (m *Map) Commit() error {
	const op = "commit"
	if err := m.lockPrivate(op); err != nil {
		return err
	}
	defer m.mu.Unlock()
	runs, spans, err := m.dirtyRuns(op)
	if err != nil || len(runs) == 0 {
		return err
	}
	if err := m.writeRuns(op, runs); err != nil {
		return err
	}
	if err := sysSyncData(m.mem.fd); err != nil {
		return m.commitError(op, err)
	}
	if err := sysGiveBack(m.mem, &m.cfg, spans); err != nil {
		return osError(op, err)
	}
	m.afterGiveBack()
	return nil
}

// bounceSize is the most of a run that Commit copies out of the map at a
// time (writeRuns).
const bounceSize = 128 << 10

// writeRuns writes the runs of changed pages to the file, each through a
// copy in m.bounce, a buffer in the heap that every Commit of the map
// reuses, rather than from the map itself: on virtual machines whose
// kernel side fills its own page tables at a system call's first touch of
// a page (the VM of BENCHMARKS.md), a pwrite of a page the program had just
// changed took 11-17 µs, of a copy of it 3.1-3.7 µs; elsewhere the copy
// costs a fraction of the write (a 4 KiB copy in memory, against a write
// and its fdatasync).
func (m *Map) writeRuns(op string, runs []run) error {
	if m.bounce == nil {
		m.bounce = make([]byte, bounceSize)
	}
	data, buf := m.mem.data, m.bounce
	var err error
	// A changed page is the program's memory, which cannot fault; the
	// guard is for a page that the map shares with the file after all.
	if ferr := guarded(op, func() {
		for _, r := range runs {
			for b, off := data[r.off:r.off+r.n], m.cfg.offset+int64(r.off); len(b) > 0 && err == nil; {
				k := copy(buf, b)
				err = sysWriteRun(m.mem.fd, buf[:k], off)
				b, off = b[k:], off+int64(k)
			}
		}
	}); ferr != nil {
		return ferr
	}
	if err != nil {
		return m.commitError(op, err)
	}
	return nil
}

// Discard drops every change the program made to a private file map since
// it was made, or since the last Commit or Discard: the map reads the
// file's bytes again (on Windows the view is mapped anew, which moves it
// outside a reservation, as Resize there). The errors of Commit for maps
// that are not private file maps apply; the file need not be writable.
func (m *Map) Discard() error {
	const op = "discard"
	if err := m.lockPrivate(op); err != nil {
		return err
	}
	defer m.mu.Unlock()
	if err := sysGiveBack(m.mem, &m.cfg, []run{{0, len(m.mem.data)}}); err != nil {
		return osError(op, err)
	}
	m.afterGiveBack()
	return nil
}

// Dirty returns how many pages a Commit would write now: the pages of a
// private file map that the program changed since the map was made, or
// since the last Commit or Discard. Its errors are those of Commit for maps
// that are not private file maps.
func (m *Map) Dirty() (pages int, err error) {
	const op = "dirty"
	if err := m.lockPrivate(op); err != nil {
		return 0, err
	}
	defer m.mu.Unlock()
	runs, _, err := m.dirtyRuns(op)
	for _, r := range runs {
		pages += (r.n + pageSize - 1) / pageSize
	}
	return pages, err
}

// lockPrivate holds the Map exclusively, or returns the error of a Map
// that has nothing to commit: closed, anonymous, shared, or without a
// descriptor.
func (m *Map) lockPrivate(op string) error {
	if err := m.lock(op); err != nil {
		return err
	}
	var err error
	switch c := &m.cfg; {
	case c.anon || c.name != "":
		err = errorf(ErrInvalid, op, "anonymous and named memory have no file to commit to")
	case !c.private():
		err = errorf(ErrInvalid, op, "a shared map writes its file itself: Commit and Discard are for private maps (AccessCopy)")
	case m.mem.fd == noFD:
		err = errorf(ErrInvalid, op, "the map was made with NoTrackFD and has no descriptor to write through")
	}
	if err != nil {
		m.mu.Unlock()
	}
	return err
}

// dirtyRuns returns the changed pages of the map, in runs of adjacent ones
// in ascending order, and the spans that give them back (sysGiveBack). The
// caller holds the Map exclusively.
func (m *Map) dirtyRuns(op string) (runs, spans []run, err error) {
	if err := guarded(op, func() { runs, spans, err = sysDirty(m.mem, &m.cfg) }); err != nil {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, osError(op, err)
	}
	return runs, spans, nil
}

// commitError is the error of a write or sync of Commit: a descriptor
// opened read-only is ErrReadOnly.
func (m *Map) commitError(op string, err error) error {
	if isBadFD(err) {
		return errorf(ErrReadOnly, op, "the file behind the map was opened read-only (%v)", err)
	}
	return osError(op, err)
}

// afterGiveBack tells the reads that the map's pages changed under them:
// what the copies learned of the pages no longer holds (readpath.go).
func (m *Map) afterGiveBack() {
	m.mem.publish()
	m.gen.Add(1)
	m.populated.Store(0)
	m.paths.reset()
	m.writes.reset()
}

// addRun appends the page at off, n bytes long, to runs, joining it to the
// last run when adjacent.
func addRun(runs []run, off, n int) []run {
	if k := len(runs) - 1; k >= 0 && runs[k].off+runs[k].n == off {
		runs[k].n += n
		return runs
	}
	return append(runs, run{off, n})
}

//go:build linux

// Package faultfs is a file system that fails on order, for the tests of
// github.com/mmapio/mmap: a FUSE mount that passes every call through to a
// directory (go-fuse's loopback), except the reads and writes that it is
// told to fail, with the errno it is told; and it can die, as a file
// server does.
//
// The server runs in a child process, the test binary run again (Serve,
// from TestMain): a page fault that the process itself would have to
// serve can deadlock the Go runtime's stop-the-world. Mounting needs root
// and /dev/fuse (Start skips the test otherwise, saying why).
//
// It is a module of its own, so that the library keeps golang.org/x/sys
// as its only dependency.
package faultfs

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// serveEnv names the backing directory and the mount point of a child
// that serves the file system.
const serveEnv = "FAULTFS_SERVE"

// FS is a mounted fault-injecting file system, seen from the test.
type FS struct {
	Dir     string // the mount point: the files the library maps
	Backing string // the directory behind it, outside FUSE

	cmd  *exec.Cmd
	in   *os.File
	out  *bufio.Reader
	dead bool
}

// Start mounts a new file system over an empty directory, served by a child
// process, and unmounts it at the end of the test.
func Start(t testing.TB) *FS {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounts a FUSE file system, which needs root (CI runs as root)")
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		t.Skipf("no /dev/fuse here: %v", err)
	}
	f := &FS{Dir: t.TempDir(), Backing: t.TempDir()}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serveEnv+"="+f.Backing+"\n"+f.Dir)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f.cmd, f.in, f.out = cmd, in.(*os.File), bufio.NewReader(out)
	t.Cleanup(f.stop)
	if line, err := f.out.ReadString('\n'); line != "ready\n" {
		f.Kill()
		t.Fatalf("faultfs: the server did not start: %q, %v", line, err)
	}
	return f
}

// order sends a line to the server and waits for its answer.
func (f *FS) order(format string, args ...any) error {
	if f.dead {
		return fmt.Errorf("faultfs: the server is dead")
	}
	if _, err := fmt.Fprintf(f.in, format+"\n", args...); err != nil {
		return err
	}
	line, err := f.out.ReadString('\n')
	if err != nil {
		return err
	}
	if line != "ok\n" {
		return fmt.Errorf("faultfs: %s", strings.TrimSpace(line))
	}
	return nil
}

// FailReads makes reads of any file that touch [off, off+n) fail with
// errno from now on.
func (f *FS) FailReads(off, n int64, errno syscall.Errno) error {
	return f.order("fail-reads %d %d %d", off, n, errno)
}

// FailWrites makes every write to any file fail with errno from now on.
func (f *FS) FailWrites(errno syscall.Errno) error { return f.order("fail-writes %d", errno) }

// Heal ends every failure ordered so far.
func (f *FS) Heal() error { return f.order("heal") }

// Kill kills the server, as a file server dies: the mount stays, and every
// call on it fails (ENOTCONN) until the test's end detaches it.
func (f *FS) Kill() {
	if f.dead {
		return
	}
	f.dead = true
	f.cmd.Process.Kill()
	f.cmd.Wait()
}

// stop ends the server and unmounts.
func (f *FS) stop() {
	if !f.dead {
		f.order("quit")
		f.dead = true
		done := make(chan struct{})
		go func() { f.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			f.cmd.Process.Kill()
			<-done
		}
	}
	syscall.Unmount(f.Dir, syscall.MNT_DETACH) // after a Kill, or a server that did not unmount
}

// Serve runs the server when the process is the child that Start made,
// and exits; otherwise it returns at once. Call it first in TestMain.
func Serve() {
	spec, ok := os.LookupEnv(serveEnv)
	if !ok {
		return
	}
	backing, mnt, _ := strings.Cut(spec, "\n")
	if err := serve(backing, mnt); err != nil {
		fmt.Fprintf(os.Stderr, "faultfs: %v\n", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// faults are the failures in force.
type faults struct {
	mu              sync.Mutex
	readFrom, readN int64
	readErr         syscall.Errno
	writeErr        syscall.Errno
}

func (x *faults) read(off int64, n int) syscall.Errno {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.readErr != 0 && off < x.readFrom+x.readN && x.readFrom < off+int64(n) {
		return x.readErr
	}
	return 0
}

func (x *faults) write() syscall.Errno {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.writeErr
}

func serve(backing, mnt string) error {
	x := &faults{}
	loopback, err := fs.NewLoopbackRoot(backing)
	if err != nil {
		return err
	}
	root := &node{LoopbackNode: loopback.(*fs.LoopbackNode), faults: x}
	zero := time.Duration(0)
	server, err := fs.Mount(mnt, root, &fs.Options{
		AttrTimeout:  &zero,
		EntryTimeout: &zero,
		MountOptions: fuse.MountOptions{DirectMount: true, FsName: "faultfs", Name: "faultfs"},
	})
	if err != nil {
		return err
	}
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var a, b, c int64
		switch f := strings.Fields(in.Text()); {
		case len(f) == 0:
			continue
		case f[0] == "fail-reads":
			fmt.Sscan(strings.Join(f[1:], " "), &a, &b, &c)
			x.mu.Lock()
			x.readFrom, x.readN, x.readErr = a, b, syscall.Errno(c)
			x.mu.Unlock()
		case f[0] == "fail-writes":
			fmt.Sscan(strings.Join(f[1:], " "), &a)
			x.mu.Lock()
			x.writeErr = syscall.Errno(a)
			x.mu.Unlock()
		case f[0] == "heal":
			x.mu.Lock()
			x.readErr, x.writeErr = 0, 0
			x.mu.Unlock()
		case f[0] == "quit":
			fmt.Println("ok")
			return server.Unmount()
		default:
			fmt.Printf("unknown order %q\n", f[0])
			continue
		}
		fmt.Println("ok")
	}
	return server.Unmount() // the test ended without a quit
}

// node is a loopback node whose files fail on order.
type node struct {
	*fs.LoopbackNode
	faults *faults
}

var _ = (fs.NodeOpener)((*node)(nil))
var _ = (fs.NodeCreater)((*node)(nil))
var _ = (fs.NodeWrapChilder)((*node)(nil))

// WrapChild makes the loopback's children nodes of this kind too.
func (n *node) WrapChild(_ context.Context, ops fs.InodeEmbedder) fs.InodeEmbedder {
	return &node{LoopbackNode: ops.(*fs.LoopbackNode), faults: n.faults}
}

// Open opens the backing file, wrapped. The kernel drops the file's page
// cache at every open (no FOPEN_KEEP_CACHE), so that a fresh map reads
// through the server.
func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	fh, fl, errno := n.LoopbackNode.Open(ctx, flags)
	if errno != 0 {
		return nil, 0, errno
	}
	return &file{LoopbackFile: fh.(*fs.LoopbackFile), faults: n.faults}, fl, 0
}

// Create is Open for a new file.
func (n *node) Create(ctx context.Context, name string, flags, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	inode, fh, fl, errno := n.LoopbackNode.Create(ctx, name, flags, mode, out)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	return inode, &file{LoopbackFile: fh.(*fs.LoopbackFile), faults: n.faults}, fl, 0
}

// file is a loopback file whose reads and writes fail on order.
type file struct {
	*fs.LoopbackFile
	faults *faults
}

// PassthroughFd refuses FUSE passthrough, by which the kernel would read
// and write the backing file itself, past the faults.
func (f *file) PassthroughFd() (int, bool) { return -1, false }

func (f *file) Read(ctx context.Context, dest []byte, off int64) (fuse.ReadResult, syscall.Errno) {
	if errno := f.faults.read(off, len(dest)); errno != 0 {
		return nil, errno
	}
	return f.LoopbackFile.Read(ctx, dest, off)
}

func (f *file) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	if errno := f.faults.write(); errno != 0 {
		return 0, errno
	}
	return f.LoopbackFile.Write(ctx, data, off)
}

func (f *file) Fsync(ctx context.Context, flags uint32) syscall.Errno {
	if errno := f.faults.write(); errno != 0 {
		return errno
	}
	return f.LoopbackFile.Fsync(ctx, flags)
}

// WriteFile writes data to name in the mount (through FUSE), synced.
func (f *FS) WriteFile(name string, data []byte) (string, error) {
	path := filepath.Join(f.Dir, name)
	return path, os.WriteFile(path, data, 0o644)
}

package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"

	"github.com/mmapio/mmap"
)

// demo runs the examples of Python's documentation, and one that Python
// cannot run, printing what each step does.
func demo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mmap demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stdout, "Usage: mmap demo\n\nRuns the examples of Python's mmap documentation with this library,\non files in a temporary directory that it removes afterwards.")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	dir, err := os.MkdirTemp("", "mmap-demo-")
	if err != nil {
		fmt.Fprintf(stderr, "mmap demo: %v\n", err)
		return exitError
	}
	defer os.RemoveAll(dir)
	for _, step := range []func(io.Writer, string) error{demoFile, demoAnonymous, demoRegexp, demoShared, demoTruncate, demoQueue} {
		if err := step(stdout, dir); err != nil {
			fmt.Fprintf(stderr, "mmap demo: %v\n", err)
			return exitError
		}
		fmt.Fprintln(stdout)
	}
	return exitOK
}

// demoFile is the first example of Python's documentation.
func demoFile(w io.Writer, dir string) error {
	name := filepath.Join(dir, "hello.txt")
	fmt.Fprintf(w, "1. A file, mapped and changed in place (%s)\n", name)
	if err := os.WriteFile(name, []byte("Hello Python!\n"), 0o644); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	mm, err := mmap.MapFile(f, 0, nil)
	if err != nil {
		return err
	}
	defer mm.Close()
	line, err := mm.ReadLine()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   mm.ReadLine()                     -> %q\n", line)
	fmt.Fprintf(w, "   mm.Slice(0, 5)                    -> %q\n", mm.Slice(0, 5))
	if err := mm.SetSlice(6, mm.Len(), []byte(" world!\n")); err != nil {
		return err
	}
	fmt.Fprintf(w, "   mm.SetSlice(6, mm.Len(), \" world!\\n\")\n")
	if _, err := mm.Seek(0, io.SeekStart); err != nil {
		return err
	}
	line, err = mm.ReadLine()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   mm.Seek(0, io.SeekStart); mm.ReadLine() -> %q\n", line)
	if err := mm.Flush(); err != nil {
		return err
	}
	disk, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   after mm.Flush(), the file holds  %q\n", disk)
	return nil
}

// demoAnonymous is the second example: memory backed by no file.
func demoAnonymous(w io.Writer, _ string) error {
	fmt.Fprintln(w, "2. Anonymous memory, written and read back")
	mm, err := mmap.Anonymous(13, nil)
	if err != nil {
		return err
	}
	defer mm.Close()
	n, err := mm.WriteString("Hello world!")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   mm.WriteString(\"Hello world!\")    -> %d bytes, position %d\n", n, mm.Tell())
	mm.Seek(0, io.SeekStart)
	fmt.Fprintf(w, "   mm.Slice(0, mm.Len())             -> %q\n", mm.Slice(0, mm.Len()))
	_, err = mm.Write([]byte("too long for the map"))
	fmt.Fprintf(w, "   mm.Write(20 bytes)                -> %v\n", err)
	return nil
}

// demoRegexp searches a mapped file with regexp, as Python's docs do with re.
func demoRegexp(w io.Writer, dir string) error {
	name := filepath.Join(dir, "log.txt")
	fmt.Fprintf(w, "3. regexp over a mapped file (%s)\n", name)
	text := "12:00:01 GET /index.html 200\n12:00:02 GET /missing 404\n12:00:03 POST /login 302\n12:00:04 GET /gone 404\n"
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		return err
	}
	mm, err := mmap.Open(name, mmap.AccessRead)
	if err != nil {
		return err
	}
	defer mm.Close()
	re := regexp.MustCompile(`(?m)^(\S+) \w+ (\S+) 404$`)
	for _, m := range re.FindAllSubmatchIndex(mm.Bytes(), -1) {
		fmt.Fprintf(w, "   offset %3d: %s not found at %s\n", m[0], mm.Bytes()[m[4]:m[5]], mm.Bytes()[m[2]:m[3]])
	}
	fmt.Fprintf(w, "   mm.Find(\"POST\")                   -> %d\n", mm.Find([]byte("POST")))
	return nil
}

// demoShared is the Go form of Python's last example, a parent and a child
// exchanging data through shared memory: this program runs itself again as
// the child, which maps the memory through its descriptor 3 or, on Windows,
// where Shared memory is a named section, by the section's name.
func demoShared(w io.Writer, _ string) error {
	fmt.Fprintln(w, "4. Shared memory with a child process (Python's fork example)")
	mm, err := mmap.Shared(mmap.PageSize)
	if err != nil {
		return err
	}
	defer mm.Close()
	if _, err := mm.WriteString("Hello from the parent\n"); err != nil {
		return err
	}
	fmt.Fprintf(w, "   parent writes:                    %q\n", "Hello from the parent\n")
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "demo-child", mm.TagName())
	if mm.TagName() == "" {
		f, err := mm.File()
		if err != nil {
			return err
		}
		defer f.Close()
		cmd.ExtraFiles = []*os.File{f}
	}
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the child: %w", err)
	}
	mm.Seek(int64(len("Hello from the parent\n")), io.SeekStart)
	line, err := mm.ReadLine()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   parent reads the child's answer:  %q\n", bytes.TrimRight(line, "\x00"))
	return nil
}

// demoChild is the child of demoShared: its argument is the section's name
// on Windows, "" elsewhere, where the memory is its descriptor 3.
func demoChild(args []string, stdout, stderr io.Writer) int {
	var mm *mmap.Map
	var err error
	if len(args) > 0 && args[0] != "" {
		mm, err = mmap.Anonymous(mmap.PageSize, &mmap.Options{TagName: args[0]})
	} else {
		mm, err = mmap.MapFile(os.NewFile(3, "shared"), 0, nil)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mmap demo-child: %v\n", err)
		return exitError
	}
	defer mm.Close()
	line, _ := mm.ReadLine()
	fmt.Fprintf(stdout, "   %-33s %q\n", fmt.Sprintf("child (pid %d) reads:", os.Getpid()), line)
	if _, err := mm.WriteString("Hello from the child\n"); err != nil {
		fmt.Fprintf(stderr, "mmap demo-child: %v\n", err)
		return exitError
	}
	return exitOK
}

// demoTruncate shows what Python cannot: a file truncated under a map is an
// error, not a SIGBUS that kills the process.
func demoTruncate(w io.Writer, dir string) error {
	name := filepath.Join(dir, "shrinking.bin")
	fmt.Fprintln(w, "5. A file truncated under its map (Python dies of SIGBUS here)")
	if err := os.WriteFile(name, make([]byte, 4*mmap.PageSize), 0o644); err != nil {
		return err
	}
	mm, err := mmap.Open(name, mmap.AccessRead)
	if err != nil {
		return err
	}
	defer mm.Close()
	if err := os.Truncate(name, 0); err != nil {
		if runtime.GOOS != "windows" {
			return err
		}
		// Windows keeps the size of a mapped file: the fault cannot arise.
		fmt.Fprintf(w, "   os.Truncate(name, 0)              -> refused while mapped (%v)\n", err)
		fmt.Fprintf(w, "   mm.Close()                        -> %v\n", mm.Close())
		return nil
	}
	_, err = mm.ReadAt(make([]byte, 8), int64(mmap.PageSize))
	fmt.Fprintf(w, "   os.Truncate(name, 0); mm.ReadAt(...) -> errors.Is(err, mmap.ErrFault) = %v\n",
		errors.Is(err, mmap.ErrFault))
	fmt.Fprintf(w, "   mm.Close()                        -> %v\n", mm.Close())
	return nil
}

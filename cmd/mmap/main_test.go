package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the mmap binary, which the demo
// runs again as its child.
// It also builds the mmap binary for the end-to-end tests.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "demo-") { // demo-child, demo-queue
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	dir, err := os.MkdirTemp("", "mmap-cli-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "mmap")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building mmap: %v\n%s", err, out)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestDemo(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"demo"}, &out, &errOut); code != exitOK {
		t.Fatalf("demo exited %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		`mm.ReadLine()                     -> "Hello Python!\n"`,
		`mm.Slice(0, 5)                    -> "Hello"`,
		`-> "Hello  world!\n"`,
		`after mm.Flush(), the file holds  "Hello  world!\n"`,
		`-> "Hello world!\x00"`,
		`pass the end of a map of 13 bytes: out of range`,
		`offset  29: /missing not found at 12:00:02`,
		`offset  80: /gone not found at 12:00:04`,
		`mm.Find("POST")                   -> 64`,
		`errors.Is(err, mmap.ErrFault) = true`,
		`reads:`,
		`"Hello from the parent\n"`,
		`parent reads the child's answer:  "Hello from the child\n"`,
		`100000 messages, 3549680 bytes, all in order`,
		`pushed`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, exitError, "Usage: mmap <command>"},
		{[]string{"--help"}, exitOK, "demo     run the examples"},
		{[]string{"nonsense"}, exitError, `unknown command "nonsense"`},
		{[]string{"demo", "--help"}, exitOK, "Usage: mmap demo"},
		{[]string{"demo", "--bogus"}, exitError, "flag provided but not defined"},
	} {
		var out bytes.Buffer
		if code := run(c.args, &out, &out); code != c.code || !strings.Contains(out.String(), c.out) {
			t.Errorf("mmap %v: exit %d, output %q; want %d and %q", c.args, code, out.String(), c.code, c.out)
		}
	}
}

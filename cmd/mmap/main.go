// Command mmap puts the mmap package in an operator's hands.
//
// Usage:
//
//	mmap <command> [arguments]
//
// The commands are:
//
//	demo    run the examples of Python's mmap documentation on a temporary file
//	find    search files for a string or a regexp, with byte offsets, like grep -b
//	stat    show how much of each file is in the page cache, like vmtouch
//	warm    read files into the page cache
//	evict   drop files from the page cache
//	dump    hex dump of a file, in xxd's layout
//	patch   write bytes into a file in place, printing what was there
//
// It uses the public API of github.com/mmapio/mmap only.
//
// Each command takes --help. The exit status is 0 on success, 1 when a
// command found nothing, and 2 on an error, as grep's.
package main

import (
	"fmt"
	"io"
	"os"
)

// command is one subcommand of mmap.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
	hidden  bool // not listed: a part of another command
}

// commands are the subcommands, in the order of the usage message.
var commands = []command{
	{name: "demo", summary: "run the examples of Python's mmap documentation on a temporary file", run: demo},
	{name: "find", summary: "search files for a string or a regexp, with byte offsets, like grep -b", run: find},
	{name: "stat", summary: "show how much of each file is in the page cache, like vmtouch", run: stat},
	{name: "warm", summary: "read files into the page cache", run: warm},
	{name: "evict", summary: "drop files from the page cache", run: evict},
	{name: "dump", summary: "hex dump of a file, in xxd's layout", run: dump},
	{name: "patch", summary: "write bytes into a file in place, printing what was there", run: patch},
	{name: "demo-child", run: demoChild, hidden: true},      // the child process of demo
	{name: "demo-queue", run: demoQueueChild, hidden: true}, // the consumer of demo's queue
}

// Exit statuses, as grep's.
const (
	exitOK       = 0
	exitNotFound = 1
	exitError    = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitError
		}
		return exitOK
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			return cmd.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "mmap: unknown command %q; run 'mmap --help'\n", args[0])
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: mmap <command> [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, cmd := range commands {
		if !cmd.hidden {
			fmt.Fprintf(w, "  %-8s %s\n", cmd.name, cmd.summary)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'mmap <command> --help' for a command's options.")
}

package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// command line plumbing shared by the subcommands.

// session is one run of a subcommand: its name, where it writes, and
// whether an error was reported.
type session struct {
	name   string
	out    *bufio.Writer
	stderr io.Writer
	failed bool
	// tally adds up what the residency commands reported, for their totals.
	tally struct{ files, dirs, resident, total int }
}

// fail reports an error about file on one line of stderr.
func (s *session) fail(file string, err error) {
	s.out.Flush()
	fmt.Fprintf(s.stderr, "mmap %s: %s: %s\n", s.name, file, describe(err))
	s.failed = true
}

// describe turns an error into the reason part of a one-line message,
// without the "mmap: op:" prefixes of the library's messages.
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "mmap: "); ok {
		if _, after, ok := strings.Cut(rest, ": "); ok {
			return after
		}
		return rest
	}
	return msg
}

// subcommand parses args with spec, prints the help or a usage error, and
// otherwise runs body. It returns the exit status: body's, or exitError
// when body reported an error.
func subcommand(name, usage, about string, spec []option, args []string, stdout, stderr io.Writer,
	body func(o *options, s *session) int) int {
	o, err := parse(spec, args)
	if errors.Is(err, errHelp) {
		printHelp(stdout, usage, about, spec)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "mmap %s: %v\nUsage: mmap %s (see mmap %s --help)\n", name, err, usage, name)
		return exitError
	}
	s := &session{name: name, out: bufio.NewWriterSize(stdout, 64<<10), stderr: stderr}
	code := body(o, s)
	s.out.Flush()
	if s.failed {
		return exitError // as grep: an error wins over found and not found
	}
	return code
}

// usageError reports bad operands or option values.
func (s *session) usageError(format string, args ...any) int {
	s.out.Flush()
	fmt.Fprintf(s.stderr, "mmap %s: %s\n", s.name, fmt.Sprintf(format, args...))
	return exitError
}

// parseNumber reads a byte count or offset: decimal, or hexadecimal with 0x.
func parseNumber(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a byte count (decimal, or hexadecimal with 0x)", s)
	}
	return n, nil
}

// human formats a byte count as "1.5 GiB".
func human(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// isTerminal reports whether w is a terminal (a character device), where
// progress bars are drawn.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&fs.ModeCharDevice != 0 && st.Mode()&fs.ModeDevice != 0
}

// plural is "1 byte", "2 bytes".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// percent is 100*a/b, 0 when b is 0.
func percent(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

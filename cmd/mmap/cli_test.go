package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// These tests run the built mmap binary on real files and compare its output
// with grep and xxd where those are installed.

// binary is the mmap command built by TestMain.
var binary string

// mmapCmd runs the binary and returns its stdout, stderr and exit status.
func mmapCmd(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("mmap %v: %v", args, err)
	}
	return out.String(), errOut.String(), code
}

// tool runs another program, or skips the test when it is not installed.
func tool(t *testing.T, name string, args ...string) (string, int) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed", name)
	}
	out, err := exec.Command(name, args...).Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// sample is text with binary bytes, long and empty lines, and no final '\n'.
func sample(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "line %d: the %s fox jumps over the lazy dog\n", i, []string{"quick", "slow", "brown"}[i%3])
		if i%50 == 0 {
			b.WriteString("\x00\x01\xff binary bytes foxfox\n\n")
		}
	}
	b.WriteString("last line without newline fox")
	path := filepath.Join(t.TempDir(), "sample.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// textSample is text only: lines that repeat words in both cases, long and
// empty lines, and no final '\n'.
func textSample(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for i := range 400 {
		fmt.Fprintf(&b, "%d %s /index.html %s fox-%d\n", i, []string{"GET", "POST", "get", "Put"}[i%4],
			[]string{"200", "404", "500"}[i%3], i%7)
		if i%60 == 0 {
			b.WriteString("\n" + strings.Repeat("long ", 300) + "GETGET\n")
		}
	}
	b.WriteString("last line GET without newline")
	path := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFindMatchesGrep gives mmap find and grep the same arguments, over a
// text file, a binary one, two files, a directory and standard input:
// the same output, byte for byte, and the same exit status.
func TestFindMatchesGrep(t *testing.T) {
	text, bin := textSample(t), sample(t)
	withNL := text + ".nl" // the same text, ending in '\n'
	if data, err := os.ReadFile(text); err != nil || os.WriteFile(withNL, append(data, '\n'), 0o644) != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"a.log", "sub/b.log", "sub/deeper/c.log"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		data, _ := os.ReadFile(text)
		os.WriteFile(filepath.Join(dir, name), data[:len(data)/len(name)], 0o644)
	}
	cases := [][]string{
		{"GET", text},
		{"-F", "GET", text},
		{"-c", "-e", "GET", "-e", "POST", text}, // several patterns: any of them
		{"-i", "get", text},
		{"-i", "-c", "-F", "GeT", text},
		{"-v", "-c", "GET", text},
		{"-w", "GET", text},
		{"-x", "0 GET /index.html 200 fox-0", text},
		{"-o", "-b", "fox-[0-9]", text},
		{"-n", "404", text},
		{"-n", "-b", "-m", "5", "500", text},
		{"-c", "-m", "3", "GET", text},
		{"-C", "2", "-n", "fox-6", text},
		{"-A", "1", "-B", "3", "POST /index.html 500", text},
		{"-l", "GET", text, bin},
		{"-L", "nothing", text, bin},
		{"-q", "GET", text},
		{"-H", "-c", "GET", text},
		{"-h", "GET", text, text},
		{"-E", "(GET|POST) /index", text},
		{"-E", "-o", "[0-9]+ (Put|get)", text},
		{"-G", "P\\(OS\\|u\\)", text},
		{"-f", text + ".pat", text},
		{"-e", "", "-c", text},
		{"fox", bin},
		{"-a", "-n", "fox$", bin},
		{"-c", "fox", bin},
		{"-r", "-c", "GET", dir},
		{"-r", "-l", "POST", dir},
		{"--color=always", "-n", "-H", "GET", text},
		{"--color=always", "-o", "-i", "get", text},
		{"--color=always", "-C", "1", "fox-3", text},
		{"absent", text},
		{"-E", "^$", "-n", text},
		{"-E", "-c", "GET|POST", text},                     // strings, no expression run
		{"-E", "-o", "-b", "index.html (20|40)[04]", text}, // a product of strings
		{"-i", "-E", "-n", "get|put", text},
		{"-E", "-c", "[0-9]{3} fox", text}, // a required string, then the expression
		{"-w", "-c", "-e", "GET", "-e", "fox", text},
		{"-B", "2", "-n", "-b", "fox-3", text}, // context before a jump to the next match
		{"-B", "1", "-m", "3", "-e", "POST", "-e", "long", text},
		{"-E", "^$", "-n", withNL}, // no empty line after the last '\n'
		{"-c", "-E", "x*$", withNL},
		// Expressions that the DFA answers (dfa.go): run from the end, from
		// the start, with a jump to the bytes that start a match, with \b.
		{"-E", "-c", "[0-9]+ fox-[0-6]$", text},
		{"-E", "-n", "POST .* 500", text},
		{"-v", "-c", "-E", "^[0-9]+ (GET|get) ", text},
		{"-E", "-c", "\\bfox\\b", text},
		{"-i", "-E", "-c", "p(os|u)t .*html", text},
	}
	os.WriteFile(text+".pat", []byte("POST\nfox-5\n"), 0o644)
	defer func(w int) { window = w }(window)
	for _, args := range cases {
		want, wantCode := tool(t, "grep", args...)
		got, errOut, code := mmapCmd(t, append([]string{"find"}, args...)...)
		if got != want || code != wantCode {
			t.Errorf("mmap find %q: exit %d (grep %d), stderr %q\n%s", args, code, wantCode, errOut, firstDiff(got, want))
		}
		// In this process, a file read 61 bytes at a time: every line
		// crosses a window, and the long ones grow it.
		window = 61
		var out, errs bytes.Buffer
		if code := find(args, &out, &errs); out.String() != want || code != wantCode {
			t.Errorf("mmap find %q in 61-byte windows: exit %d (grep %d), stderr %q\n%s", args, code, wantCode, errs.String(), firstDiff(out.String(), want))
		}
		window = 1 << 20
	}
	// Standard input, as "-" and as no file.
	data, _ := os.ReadFile(text)
	for _, args := range [][]string{{"-c", "GET", "-"}, {"-n", "POST"}, {"-H", "fox-1"}} {
		cmd := exec.Command("grep", args...)
		cmd.Stdin = bytes.NewReader(data)
		want, _ := cmd.Output()
		cmd = exec.Command(binary, append([]string{"find"}, args...)...)
		cmd.Stdin = bytes.NewReader(data)
		got, _ := cmd.Output()
		if string(got) != string(want) {
			t.Errorf("mmap find %q on standard input:\n%s", args, firstDiff(string(got), string(want)))
		}
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
}

// firstDiff shows where two outputs part.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d: got %q, grep %q (%d and %d lines)", i+1, a, b, len(g), len(w))
		}
	}
	return "same"
}

func TestFindSeveralFiles(t *testing.T) {
	a, b := sample(t), filepath.Join(t.TempDir(), "b.txt")
	os.WriteFile(b, []byte("no match\n"), 0o644)
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, nil, 0o644)
	got, _, code := mmapCmd(t, "find", "-c", "-a", "-F", "slow", a, b, empty)
	if want := a + ":100\n" + b + ":0\n" + empty + ":0\n"; got != want || code != 0 {
		t.Errorf("find -c over three files: exit %d\n%s", code, got)
	}
	if _, _, code := mmapCmd(t, "find", "-F", "absent", b, empty); code != 1 {
		t.Errorf("find with no match: exit %d, want 1", code)
	}
}

// TestLargeSparseFile runs find, stat, warm and evict over a 3 GiB sparse
// file: the map, not a read loop, so it costs no memory of the process.
func TestLargeSparseFile(t *testing.T) {
	if testing.Short() {
		t.Skip("a 3 GiB file")
	}
	if strconv.IntSize == 32 {
		t.Skip("a 3 GiB map does not fit a 32-bit address space")
	}
	path := filepath.Join(t.TempDir(), "sparse")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	const size int64 = 3 << 30
	for _, off := range []int64{1 << 20, 1<<31 + 17, size - 6} {
		if _, err := f.WriteAt([]byte("NEEDLE"), off); err != nil {
			t.Skipf("no sparse files here: %v", err)
		}
	}
	f.Close()
	want := fmt.Sprintf("%s:%d:NEEDLE\n%s:%d:NEEDLE\n%s:%d:NEEDLE\n", path, 1<<20, path, int64(1)<<31+17, path, size-6)
	if got, errOut, code := mmapCmd(t, "find", "-H", "-b", "-a", "-o", "-F", "NEEDLE", path); got != want || code != 0 {
		t.Errorf("find over 3 GiB: exit %d, %q\n%s", code, errOut, got)
	}
	if got, _, code := mmapCmd(t, "evict", path); code != 0 || !strings.Contains(got, "0/786432 pages resident (0.0%)") {
		t.Errorf("evict: exit %d\n%s", code, got)
	}
	if got, _, code := mmapCmd(t, "warm", path); code != 0 || !strings.Contains(got, "786432/786432 pages resident (100.0%)") ||
		!regexp.MustCompile(`warmed 3\.0 GiB in [0-9.]+ s \([0-9.]+ [KMG]iB/s\)`).MatchString(got) {
		t.Errorf("warm: exit %d\n%s", code, got)
	}
	// The bar of a warm file is all O. The kernel may reclaim pages of a
	// 3 GiB file between warm and stat, and between the count and the bar
	// of one stat (seen once in CI on a VM whose host reclaims page cache):
	// warm again, up to three times.
	wantStat := path + ": 786432/786432 pages resident (100.0%), 3221225472 bytes (3.0 GiB)\n[" + strings.Repeat("O", 64) + "]\n"
	for try := 1; ; try++ {
		got, _, code := mmapCmd(t, "stat", "-v", path)
		got, fsLine, _ := strings.Cut(got, "]\n")
		got += "]\n"
		if runtime.GOOS == "linux" && !strings.HasPrefix(fsLine, "file system: ") {
			t.Errorf("stat -v names no file system: %q", fsLine)
		}
		if code == 0 && got == wantStat {
			break
		}
		if try == 3 {
			t.Errorf("stat -v after warm, three times: exit %d\n%s", code, got)
			break
		}
		mmapCmd(t, "warm", path)
	}
	if got, _, code := mmapCmd(t, "evict", path); code != 0 || !strings.Contains(got, "0/786432 pages resident (0.0%)") {
		t.Errorf("evict after warm: exit %d\n%s", code, got)
	}
}

func TestStatBar(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, make([]byte, 64*os.Getpagesize()), 0o644)
	mmapCmd(t, "evict", path)
	got, _, code := mmapCmd(t, "stat", "-v", path)
	if code != 0 || !strings.Contains(got, "\n["+strings.Repeat(" ", 64)+"]\n") || !strings.Contains(got, "0/64 pages") {
		t.Errorf("stat -v of an evicted file: exit %d\n%s", code, got)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, nil, 0o644)
	if got, _, code := mmapCmd(t, "stat", empty); code != 0 || got != empty+": 0/0 pages resident (0.0%), 0 bytes (0 B)\n" {
		t.Errorf("stat of an empty file: exit %d, %q", code, got)
	}
}

// TestDumpMatchesXxd gives mmap dump and xxd the same arguments: the same
// output, byte for byte; and each turns the other's dump back into the
// file (-r, -r -p).
func TestDumpMatchesXxd(t *testing.T) {
	path := sample(t)
	for _, args := range [][]string{
		nil, {"-s", "100"}, {"-s", "0x3f", "-l", "77"}, {"-l", "5"}, {"-s", "1000000"},
		{"-s", "-100"}, {"-s", "+7", "-l", "40"}, {"-u"}, {"-g", "4", "-c", "12"}, {"-g", "0"},
		{"-g", "3", "-c", "10"}, {"-g", "1"}, {"-c", "7"}, {"-c", "256", "-l", "600"}, {"-p"},
		{"-p", "-c", "8"}, {"-u", "-p", "-l", "100"},
	} {
		want, _ := tool(t, "xxd", append(args, path)...)
		got, errOut, code := mmapCmd(t, append(append([]string{"dump"}, args...), path)...)
		if got != want || code != 0 {
			t.Errorf("mmap dump %v: exit %d, %q\n%s", args, code, errOut, firstDiff(got, want))
		}
	}
	data, _ := os.ReadFile(path)
	for _, args := range [][]string{{"-g", "3", "-c", "10"}, {"-p"}} {
		hexDump, _ := tool(t, "xxd", append(args, path)...)
		dumped := filepath.Join(t.TempDir(), "dump")
		os.WriteFile(dumped, []byte(hexDump), 0o644)
		rev := []string{"dump", "-r", dumped}
		if args[0] == "-p" {
			rev = []string{"dump", "-r", "-p", dumped}
		}
		if got, errOut, code := mmapCmd(t, rev...); got != string(data) || code != 0 {
			t.Errorf("mmap %v of xxd's dump: exit %d, %q, %d bytes (want %d)", rev, code, errOut, len(got), len(data))
		}
		out := filepath.Join(t.TempDir(), "out")
		if _, errOut, code := mmapCmd(t, append(rev, out)...); code != 0 {
			t.Errorf("mmap %v OUTFILE: exit %d, %q", rev, code, errOut)
		} else if b, _ := os.ReadFile(out); !bytes.Equal(b, data) {
			t.Errorf("mmap %v OUTFILE wrote %d bytes, not the file's", rev, len(b))
		}
	}
}

func TestPatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("hello world\n"), 0o644)
	got, _, code := mmapCmd(t, "patch", path, "0x6", "57 4f")
	if code != 0 || got != path+": 2 bytes at offset 6 (0x6): 776f -> 574f\n" {
		t.Errorf("patch: exit %d, %q", code, got)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello WOrld\n" {
		t.Errorf("the file holds %q", b)
	}
	if _, errOut, code := mmapCmd(t, "patch", path, "11", "0a0a"); code != 2 || !strings.Contains(errOut, "never grows") {
		t.Errorf("patch past the end: exit %d, %q", code, errOut)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello WOrld\n" {
		t.Errorf("a refused patch changed the file to %q", b)
	}
}

// TestBadInput: every command gives a one-line error and exit status 2.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, []byte("data\n"), 0o644)
	missing := filepath.Join(dir, "missing")
	cases := [][]string{
		{"find", "-F", "x", missing}, {"find", "-F", "x", dir}, {"find", "-E", "(", file}, {"find"},
		{"find", "-A", "-1", "x", file}, {"find", "--bogus", file}, {"find", "\\(a\\)\\1", file},
		{"stat", missing}, {"stat", dir}, {"stat"},
		{"warm", missing}, {"warm", dir},
		{"evict", missing}, {"evict", dir},
		{"dump", missing}, {"dump", dir}, {"dump", "-s", "x1", file}, {"dump", "-n", "-5", file}, {"dump", file, file},
		{"patch", missing, "0", "aa"}, {"patch", dir, "0", "aa"}, {"patch", file, "zz", "aa"},
		{"patch", file, "0", "xyz"}, {"patch", file, "0", ""}, {"patch", file, "99", "aa"}, {"patch", file},
	}
	if os.Geteuid() != 0 { // root reads everything
		unreadable := filepath.Join(dir, "unreadable")
		os.WriteFile(unreadable, []byte("secret\n"), 0o000)
		cases = append(cases, []string{"find", "-F", "x", unreadable}, []string{"stat", unreadable},
			[]string{"dump", unreadable}, []string{"patch", unreadable, "0", "aa"})
	}
	for _, args := range cases {
		_, errOut, code := mmapCmd(t, args...)
		if code != 2 || strings.Count(errOut, "\n") < 1 || !strings.HasPrefix(errOut, "mmap "+args[0]+": ") {
			t.Errorf("mmap %q: exit %d, stderr %q", args, code, errOut)
		}
		if strings.Count(strings.TrimSuffix(errOut, "\n"), "\n") > 0 && !strings.Contains(errOut, "Usage:") {
			t.Errorf("mmap %q: more than one line of error: %q", args, errOut)
		}
	}
	if b, _ := os.ReadFile(file); string(b) != "data\n" {
		t.Errorf("bad input changed the file to %q", b)
	}
}

// TestStatMatchesVmtouch: over a tree of files, half of them warm, stat -r
// gives vmtouch's totals (files, directories, resident pages) in its
// words; warm of a file in memory reads nothing and says so.
func TestStatMatchesVmtouch(t *testing.T) {
	dir := t.TempDir()
	for i, name := range []string{"a", "b", "sub/c", "sub/deeper/d", "sub/e"} {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		os.WriteFile(path, bytes.Repeat([]byte{'x'}, (i+1)*3*os.Getpagesize()+i), 0o644)
		mmapCmd(t, "evict", path)
		if i%2 == 0 {
			mmapCmd(t, "warm", path)
		}
	}
	want, _ := tool(t, "vmtouch", dir)
	got, errOut, code := mmapCmd(t, "stat", "-r", dir)
	if code != 0 {
		t.Fatalf("stat -r: exit %d, %q", code, errOut)
	}
	for _, field := range []string{"Files:", "Directories:", "Resident Pages:"} {
		line := func(out string) string {
			for l := range strings.Lines(out) {
				if strings.HasPrefix(strings.TrimSpace(l), field) {
					return l
				}
			}
			return ""
		}
		if line(got) != line(want) || line(got) == "" {
			t.Errorf("stat -r %q differs from vmtouch's:\n%s\nvmtouch:\n%s", field, got, want)
		}
	}
	path := filepath.Join(dir, "a")
	if got, _, _ := mmapCmd(t, "warm", path); !strings.HasPrefix(got, path+": already in memory, nothing read\n") {
		t.Errorf("warm of a file in memory: %q", got)
	}
}

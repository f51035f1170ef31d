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
	}
	os.WriteFile(text+".pat", []byte("POST\nfox-5\n"), 0o644)
	for _, args := range cases {
		want, wantCode := tool(t, "grep", args...)
		got, errOut, code := mmapCmd(t, append([]string{"find"}, args...)...)
		if got != want || code != wantCode {
			t.Errorf("mmap find %q: exit %d (grep %d), stderr %q\n%s", args, code, wantCode, errOut, firstDiff(got, want))
		}
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

func TestDumpMatchesXxd(t *testing.T) {
	path := sample(t)
	for _, c := range []struct{ ours, xxd []string }{
		{nil, nil},
		{[]string{"-s", "100"}, []string{"-s", "100"}},
		{[]string{"-s", "0x3f", "-n", "77"}, []string{"-s", "0x3f", "-l", "77"}},
		{[]string{"-n", "5"}, []string{"-l", "5"}},
		{[]string{"--seek=1000000"}, []string{"-s", "1000000"}},
	} {
		want, _ := tool(t, "xxd", append(c.xxd, path)...)
		got, errOut, code := mmapCmd(t, append(append([]string{"dump"}, c.ours...), path)...)
		if got != want || code != 0 {
			t.Errorf("mmap dump %v: exit %d, %q\n%s", c.ours, code, errOut, firstDiff(got, want))
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

package main

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"testing"
)

// dfaPatterns are expressions of every kind of the program's instructions:
// literals, classes and their negations, '.', repeats, alternations,
// anchors, word boundaries, case folding, empty matches.
var dfaPatterns = []string{
	`[0-9]{3}ms$`, `^2026-11-22T05`, `GET|POST`, `a.c`, `a..c`, `[^0-9 ]+x`, `^$`, `^`, `$`,
	`\bGET\b`, `\Bet\B`, `\b`, `\B`, `x*`, `(ab)+c`, `a{2,3}b?`, `^a|b$`, `(?i)get`, `(?i)k[s-u]`,
	`(?i)[^k]s`, `\d+\.\d+`, `[[:alpha:]]+[[:space:]]`, `(a|b)*abb`, `ms$|^ms`, `^(?:foo|)$`,
	`a$b`, `^^a`, `\w+@\w+`, `[\x00-\x1f]`, `z{0}`, `(?:)`, `é`, `.é`, `[^a]`, `a\z`, `\Ab`, `(?-m)^a$`,
}

// TestDFAMatchesRegexp checks the DFA's answer against regexp.Match on
// random lines of a small alphabet that meets the patterns often, and on
// lines with bytes of 128 or more, where the DFA gives up or answers as
// the regexp does (a match found before such a byte stands).
func TestDFAMatchesRegexp(t *testing.T) {
	alphabet := []byte("abcGETPOSmsx019 .-_@\té\xff\x80kKs\u212a")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range dfaPatterns {
		for _, flags := range []string{"(?m)", "(?m)(?i)"} {
			expr := flags + p
			re := regexp.MustCompile(expr)
			parsed, err := syntax.Parse(expr, syntax.Perl)
			if err != nil {
				t.Fatal(err)
			}
			d := newDFA(parsed.Simplify())
			if d == nil {
				t.Fatalf("%s: no DFA", expr)
			}
			if want := p == `[0-9]{3}ms$` || p == `a\z` || p == `$`; d.backward != want {
				t.Errorf("%s: backward %v, want %v", expr, d.backward, want)
			}
			if want := p == `^2026-11-22T05` || p == `\Ab` || p == `(?-m)^a$` || p == `^(?:foo|)$` || p == `^$` || p == `^` || p == `^^a` || p == `[0-9]{3}ms$` || p == `a\z` || p == `$`; d.anchored != want {
				t.Errorf("%s: anchored %v, want %v", expr, d.anchored, want)
			}
			accel := map[string]string{`a.c`: "a", `a..c`: "a", `GET|POST`: "GP", `(ab)+c`: "a", `(a|b)*abb`: "ab", `é`: "", `.é`: "", `[^a]`: "", `(?i)k[s-u]`: ""}
			if want, ok := accel[p]; ok && flags == "(?m)" && string(d.esc) != want {
				t.Errorf("%s: jumps to %q, want %q", expr, d.esc, want)
			}
			if flags != "(?m)" && p == `GET|POST` && len(d.esc) != 0 {
				t.Errorf("%s: jumps to %q, want nothing (four cases)", expr, d.esc)
			}
			gaveUp, answered := 0, 0
			for range 3000 {
				line := make([]byte, rng.IntN(24))
				for i := range line {
					line[i] = alphabet[rng.IntN(len(alphabet))]
				}
				want := re.Match(line)
				got, ok := d.match(line)
				if !ok {
					gaveUp++
					continue
				}
				answered++
				if got != want {
					t.Fatalf("%s on %q: DFA says %v, regexp %v", expr, line, got, want)
				}
			}
			if answered == 0 {
				t.Errorf("%s: the DFA answered no line (gave up on %d)", expr, gaveUp)
			}
		}
	}
}

// TestDFAGivesUpOnRunes checks that a byte of 128 or more before any
// match sends the line to the regexp, where '.' takes a rune whole.
func TestDFAGivesUpOnRunes(t *testing.T) {
	parsed, _ := syntax.Parse(`(?m)a.c`, syntax.Perl)
	d := newDFA(parsed.Simplify())
	if _, ok := d.match([]byte("aéc")); ok {
		t.Fatal(`the DFA answered on "aéc", where '.' is one rune of two bytes`)
	}
	if m, ok := d.match([]byte("abc é")); !ok || !m {
		t.Fatalf(`"abc é": got %v, %v; want a match before the rune`, m, ok)
	}
}

// TestDFAStatesBounded checks that an expression whose DFA would need
// more than dfaMaxStates states gives up rather than grows without bound,
// and that the answers it gave were right.
func TestDFAStatesBounded(t *testing.T) {
	expr := `(?m)a[ab]{14}c` // 2^15 states: unanchored, the DFA of the whole
	re := regexp.MustCompile(expr)
	parsed, _ := syntax.Parse(expr, syntax.Perl)
	d := newDFA(parsed.Simplify())
	rng := rand.New(rand.NewPCG(3, 4))
	gaveUp := 0
	for range 2000 {
		line := make([]byte, 200)
		for i := range line {
			line[i] = "aaabbbbc"[rng.IntN(8)]
		}
		got, ok := d.match(line)
		if !ok {
			gaveUp++
			continue
		}
		if want := re.Match(line); got != want {
			t.Fatalf("%q: DFA %v, regexp %v", line, got, want)
		}
	}
	if len(d.keys) > dfaMaxStates+1 || gaveUp == 0 {
		t.Fatalf("%d states, gave up on %d lines: want at most %d states and some lines given up", len(d.keys), gaveUp, dfaMaxStates)
	}
}

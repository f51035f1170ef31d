package main

import (
	"bytes"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unsafe"

	"github.com/mmapio/mmap/internal/search"
)

// The matching and printing of mmap find, as GNU grep 3.8 does them: which
// lines are selected, and what is printed of them (names, line numbers,
// byte offsets, context, -o, -c, -l, -L, colors). It runs over the bytes
// of a file (the map's, or what standard input gave); find.go feeds it.

// matcher tells where the patterns match.
type matcher struct {
	literals [][]byte       // the patterns, where all are literals (not -w/-x)
	fold     bool           // -i, for the literals
	re       *regexp.Regexp // otherwise
	word     bool           // -w: a match must stand between non-word bytes
	empty    bool           // a pattern is empty: every line matches
	// required is what every match of re holds one of (a prefilter):
	// the search jumps to the next line that holds one, and re confirms
	// it. Empty where nothing is required.
	required     [][]byte
	requiredFold bool
	cache        literalCache // of next
	// finders are next's literals (or required), prepared for search
	// once: a dense pattern is looked for once a line.
	finders []*search.Finder
	// dfa answers matches for re where it can: on lines of ASCII, as a
	// table of states (dfa.go); nil with -w.
	dfa *dfa
}

// newMatcher compiles patterns in the syntax of mode ('F', 'E' or 'G').
func newMatcher(patterns []string, mode byte, fold, word, line bool) (*matcher, error) {
	mt := &matcher{fold: fold, word: word}
	allLiteral := !word && !line
	var res []string
	for _, p := range patterns {
		if p == "" {
			mt.empty = true
		}
		var expr string
		switch mode {
		case 'F':
			expr = regexp.QuoteMeta(p)
		case 'E':
			expr = ereToGo(p)
		default:
			var err error
			if expr, err = breToGo(p); err != nil {
				return nil, err
			}
		}
		if _, err := regexp.Compile(expr); err != nil {
			return nil, fmt.Errorf("bad pattern %q: %v", p, err)
		}
		res = append(res, expr)
		if allLiteral {
			if lit, complete := regexp.MustCompile(expr).LiteralPrefix(); complete {
				mt.literals = append(mt.literals, []byte(lit))
				continue
			}
			allLiteral = false
		}
	}
	if allLiteral && !mt.empty {
		return mt, nil
	}
	mt.literals = nil
	expr := "(?:" + strings.Join(res, ")|(?:") + ")"
	if line {
		expr = "^(?:" + expr + ")$"
	}
	// (?m): the search for the next match runs over many lines at once,
	// where ^ and $ are a line's ends; each line found is matched alone.
	expr = "(?m)" + expr
	if fold {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	mt.re = re
	if parsed, err := syntax.Parse(expr, syntax.Perl); err == nil {
		parsed = parsed.Simplify()
		// An expression that is a few strings (GET|POST, /item/424[23])
		// is searched as those strings: no expression runs at all.
		if set, foldSet, ok := literalSet(parsed, 64); ok && !word && !line && !mt.empty {
			mt.re, mt.literals, mt.fold = nil, set, foldSet
			return mt, nil
		}
		if req, foldReq, ok := requiredLiterals(parsed); ok && len(req) > 0 {
			mt.required, mt.requiredFold = req, foldReq
		}
		if !word {
			mt.dfa = newDFA(parsed)
		}
	}
	return mt, nil
}

// literalSet returns the strings that re matches, where it matches no
// more than limit of them and nothing else (no anchors, no repeats), and
// whether they are to be matched with case folded (all of them, or none).
func literalSet(re *syntax.Regexp, limit int) (set [][]byte, fold, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return nil, false, false
		}
		return [][]byte{[]byte(string(re.Rune))}, re.Flags&syntax.FoldCase != 0, true
	case syntax.OpCapture:
		return literalSet(re.Sub[0], limit)
	case syntax.OpCharClass:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false, false // a folded class lists both cases: fine, but rare; keep it simple
		}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(set) == limit || r > 0x7f {
					return nil, false, false
				}
				set = append(set, []byte{byte(r)})
			}
		}
		return set, false, len(set) > 0
	case syntax.OpAlternate:
		for i, sub := range re.Sub {
			s, f, ok := literalSet(sub, limit-len(set))
			if !ok || i > 0 && f != fold {
				return nil, false, false
			}
			set, fold = append(set, s...), f
		}
		return set, fold, true
	case syntax.OpConcat:
		set = [][]byte{nil}
		for i, sub := range re.Sub {
			s, f, ok := literalSet(sub, limit)
			if !ok || len(set)*len(s) > limit || i > 0 && f != fold && len(s) > 0 {
				return nil, false, false
			}
			var next [][]byte
			for _, a := range set {
				for _, b := range s {
					next = append(next, append(append([]byte(nil), a...), b...))
				}
			}
			set, fold = next, f
		}
		return set, fold, true
	}
	return nil, false, false
}

// requiredLiterals returns literals of which every match of re holds one,
// and whether they are to be found with case folded; ok is false where
// re requires none (".*", "[0-9]+"). A concatenation requires its longest
// required part, an alternation one of each branch's.
func requiredLiterals(re *syntax.Regexp) (lits [][]byte, fold, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return nil, false, false
		}
		b := []byte(string(re.Rune))
		return [][]byte{b}, re.Flags&syntax.FoldCase != 0, true
	case syntax.OpCapture:
		return requiredLiterals(re.Sub[0])
	case syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		best := 0
		for _, sub := range re.Sub {
			if l, f, ok := requiredLiterals(sub); ok {
				shortest := len(l[0])
				for _, x := range l {
					shortest = min(shortest, len(x))
				}
				if shortest > best {
					best, lits, fold, ok = shortest, l, f, true
				}
			}
		}
		return lits, fold, best > 0
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			l, f, ok := requiredLiterals(sub)
			if !ok {
				return nil, false, false
			}
			lits, fold = append(lits, l...), fold || f
		}
		return lits, fold, true
	}
	return nil, false, false
}

// index returns the first match in b at or after from, or -1, and its end.
func (mt *matcher) index(b []byte, from int) (start, end int) {
	if mt.re == nil {
		start, end = -1, -1
		for _, lit := range mt.literals {
			var i int
			if mt.fold {
				i = indexFold(b[from:], lit)
			} else {
				i = search.Index(b[from:], lit)
			}
			if i >= 0 && (start < 0 || from+i < start || from+i == start && from+i+len(lit) > end) {
				start, end = from+i, from+i+len(lit)
			}
		}
		return start, end
	}
	for from <= len(b) {
		loc := mt.re.FindIndex(b[from:])
		if loc == nil {
			return -1, -1
		}
		s, e := from+loc[0], from+loc[1]
		if !mt.word || wordAt(b, s, e) {
			return s, e
		}
		from = s + 1
	}
	return -1, -1
}

// next is index over a window of a file, called with from only growing: for
// literals it keeps where each was found next (and, with -i, where each
// case of its first byte was), so that a rare literal, or a letter whose
// other case never comes, is not looked for to the end at every call.
func (mt *matcher) next(b []byte, from int) (start, end int) {
	lits, fold := mt.literals, mt.fold
	if mt.re != nil {
		if len(mt.required) == 0 {
			return mt.index(b, from)
		}
		// A candidate: the caller's line holds a required literal, and the
		// expression confirms or not (matches).
		lits, fold = mt.required, mt.requiredFold
	}
	c := &mt.cache
	if c.data != unsafe.SliceData(b) || c.n != len(b) || from < c.from {
		*c = literalCache{data: unsafe.SliceData(b), n: len(b), pos: make([][2]int, len(lits))}
		for i := range c.pos {
			c.pos[i] = [2]int{-1, -1} // not looked for yet
		}
	}
	c.from = from
	if mt.finders == nil && !fold {
		for _, lit := range lits {
			mt.finders = append(mt.finders, search.NewFinder(lit))
		}
	}
	start, end = -1, -1
	for k, lit := range lits {
		var i int
		if fold {
			i = c.findFold(b, from, k, lit)
		} else if i = c.pos[k][0]; i < from { // find, inlined: a call the fewer a match
			c.pos[k][0] = len(b)
			if j := mt.finders[k].Index(b[from:]); j >= 0 {
				c.pos[k][0] = from + j
			}
			i = c.pos[k][0]
		}
		if i >= len(b) {
			i = -1
		}
		if i >= 0 && (start < 0 || i < start || i == start && i+len(lit) > end) {
			start, end = i, i+len(lit)
		}
	}
	return start, end
}

// literalCache is what next knows of a file: for each literal, where it
// (or, with -i, each case of its first byte) comes next, len(data) where
// nowhere; -1 where not looked for.
type literalCache struct {
	data *byte
	n    int
	from int
	pos  [][2]int
}

// findFold returns the next match of lit, the k-th literal, at or after
// from, with case folded (-i): lit is looked for where either case of its
// first byte is next.
func (c *literalCache) findFold(b []byte, from, k int, lit []byte) int {
	p := &c.pos[k]
	nextOf := func(i int, c byte, from int) int {
		if p[i] < from {
			p[i] = len(b)
			if j := bytes.IndexByte(b[from:], c); j >= 0 {
				p[i] = from + j
			}
		}
		return p[i]
	}
	lo, up := foldCases(lit[0])
	for {
		i := nextOf(0, lo, from)
		if up != lo {
			i = min(i, nextOf(1, up, from))
		}
		if i+len(lit) > len(b) {
			return -1
		}
		if bytes.EqualFold(b[i:i+len(lit)], lit) {
			return i
		}
		from = i + 1
	}
}

// foldCases returns the two cases of an ASCII letter, or c twice.
func foldCases(c byte) (lo, up byte) {
	if lo := c | 0x20; 'a' <= lo && lo <= 'z' {
		return lo, c &^ 0x20
	}
	return c, c
}

// forget drops what next knew of the bytes it searched, which change.
func (mt *matcher) forget() { mt.cache = literalCache{} }

// matches reports whether line, without its '\n', holds a match.
func (mt *matcher) matches(line []byte) bool {
	if mt.empty {
		return true
	}
	if mt.re != nil && !mt.word {
		if mt.dfa != nil {
			if matched, ok := mt.dfa.match(line); ok {
				return matched
			}
		}
		return mt.re.Match(line) // no positions to find: faster
	}
	s, _ := mt.index(line, 0)
	return s >= 0
}

// each calls f with each non-overlapping match of line, as grep -o prints
// them (empty matches left out).
func (mt *matcher) each(line []byte, f func(s, e int)) {
	for from := 0; from <= len(line); {
		s, e := mt.index(line, from)
		if s < 0 {
			return
		}
		if e > s {
			f(s, e)
			from = e
		} else {
			from = s + 1
		}
	}
}

// isWord is grep's word constituent: a letter, a digit or '_'.
func isWord(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

// wordAt reports whether b[s:e] stands between non-word bytes (-w).
func wordAt(b []byte, s, e int) bool {
	return (s == 0 || !isWord(b[s-1])) && (e == len(b) || !isWord(b[e]))
}

// indexFold is bytes.Index with ASCII case folded: it looks for the
// needle's first byte in either case (or a byte that has none), keeping the
// next place of each, then compares the rest.
func indexFold(b, needle []byte) int {
	if len(needle) == 0 {
		return 0
	}
	if len(b) < len(needle) {
		return -1
	}
	lo, up := foldCases(needle[0])
	last := len(b) - len(needle) + 1 // candidates start before it
	next := func(c byte, from int) int {
		if i := bytes.IndexByte(b[from:last], c); i >= 0 {
			return from + i
		}
		return last
	}
	nl, nu := next(lo, 0), last
	if up != lo {
		nu = next(up, 0)
	}
	for {
		i := min(nl, nu)
		if i == last {
			return -1
		}
		if bytes.EqualFold(b[i:i+len(needle)], needle) {
			return i
		}
		if i == nl {
			nl = next(lo, i+1)
		}
		if i == nu && up != lo {
			nu = next(up, i+1)
		}
	}
}

// ereToGo turns a POSIX extended expression into Go's syntax: \< and \>
// become \b (Go has no start- or end-of-word assertion; the difference shows
// only around non-word bytes).
func ereToGo(p string) string {
	return strings.NewReplacer(`\<`, `\b`, `\>`, `\b`).Replace(p)
}

// breToGo turns a POSIX basic expression into Go's syntax: \( \) \{ \}
// \| \+ \? are the operators and ( ) { } | + ? plain characters, and a '*'
// that starts the expression (or a group, or an alternative) is plain.
// Back-references (\1) have no Go counterpart: an error.
func breToGo(p string) (string, error) {
	var b strings.Builder
	start := true // where a '*' is a plain character
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			i++
			d := p[i]
			switch {
			case strings.IndexByte("(){}|+?", d) >= 0:
				b.WriteByte(d)
				start = d == '(' || d == '|'
				continue
			case d == '<' || d == '>':
				b.WriteString(`\b`)
			case '1' <= d && d <= '9':
				return "", fmt.Errorf("back-reference \\%c in %q: Go's regular expressions have none", d, p)
			default:
				b.WriteByte('\\')
				b.WriteByte(d)
			}
		case c == '[':
			j := i + 1
			if j < len(p) && p[j] == '^' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				if p[j] == '[' && j+1 < len(p) && strings.IndexByte(":.=", p[j+1]) >= 0 {
					if k := strings.Index(p[j+2:], string(p[j+1])+"]"); k >= 0 {
						j += k + 4
						continue
					}
				}
				j++
			}
			if j >= len(p) {
				return "", fmt.Errorf("unmatched [ in %q", p)
			}
			b.WriteString(p[i : j+1])
			i = j
		case strings.IndexByte("(){}|+?", c) >= 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '*' && start:
			b.WriteString(`\*`)
		default:
			b.WriteByte(c)
		}
		start = c == '^' && i == 0
	}
	return b.String(), nil
}

// grepOpts are grep's options that shape what is printed.
type grepOpts struct {
	invert, count, list, listNot, only, number, byteOff, quiet, text bool
	max                                                              int // -m; <0 for none
	after, before                                                    int
	color                                                            bool
}

// colors are GNU grep's defaults (GREP_COLORS).
const (
	colorMatch = "\x1b[01;31m\x1b[K"
	colorName  = "\x1b[35m\x1b[K"
	colorNum   = "\x1b[32m\x1b[K"
	colorSep   = "\x1b[36m\x1b[K"
	colorEnd   = "\x1b[m\x1b[K"
)

// grepper prints the results of one search over several files.
type grepper struct {
	o       grepOpts
	mt      *matcher
	out     *strings.Builder // flushed by the caller
	printed bool             // a line was printed, for "--" between groups
}

// fileResult is what grepping one file found.
type fileResult struct {
	selected int  // lines selected
	binary   bool // a binary file whose lines were not printed
}

// scan is one search through one file: what carries from one window of
// the file to the next. The positions (pos, lastEnd) are the window's.
type scan struct {
	g        *grepper
	name     string
	showName bool
	binary   bool // lines of a binary file are not printed (but -a)
	res      fileResult
	lineNo   int // the number of the line that starts at pos (-n)
	pos      int
	lastEnd  int // where the line after the last one printed starts
	// afterLeft is how many lines of context after a match are still to
	// be printed.
	afterLeft int
}

// newScan starts a search through the file named name, whose first bytes
// are head (32 KiB tell a binary file).
func (g *grepper) newScan(head []byte, name string, showName bool) *scan {
	return &scan{g: g, name: name, showName: showName, lineNo: 1, lastEnd: -1,
		binary: !g.o.text && bytes.IndexByte(head[:min(len(head), 32<<10)], 0) >= 0}
}

// file greps data, the whole of a file named name (shown when showName),
// and returns what it found.
func (g *grepper) file(data []byte, name string, showName bool) fileResult {
	sc := g.newScan(data, name, showName)
	sc.lines(data, 0, len(data), 0)
	return sc.res
}

// lines greps the lines of data[from:end], a window of the file that
// starts at the file's offset base: end is where a line ends ('\n'
// included), or the file. The lines before from, if any, are earlier
// lines, kept for -B. It reports whether the answer is known (-q, -l, -L,
// a binary file's match), so that nothing more is to be read.
func (sc *scan) lines(data []byte, from, end, base int) (stop bool) {
	g, o := sc.g, &sc.g.o
	quiet := o.quiet || o.count || o.list || o.listNot
	context := o.before > 0 || o.after > 0
	res := &sc.res
	printLine := func(s, e int, sep byte, isMatch bool) {
		if o.number {
			sc.lineNo += bytes.Count(data[sc.pos:s], []byte{'\n'})
			sc.pos = s
		}
		if context && g.printed && s != sc.lastEnd {
			g.sepLine()
		}
		line := data[s:e]
		switch {
		case sep == ':' && o.only:
			g.mt.each(line, func(ms, me int) {
				g.prefix(sc.name, sc.showName, sc.lineNo, base+s+ms, sep)
				g.colored(line[ms:me], colorMatch)
				g.out.WriteByte('\n')
			})
		case o.color && isMatch:
			g.prefix(sc.name, sc.showName, sc.lineNo, base+s, sep)
			g.highlight(line)
			g.out.WriteByte('\n')
		default:
			g.prefix(sc.name, sc.showName, sc.lineNo, base+s, sep)
			g.out.Write(line)
			g.out.WriteByte('\n')
		}
		g.printed = true
		sc.lastEnd = e + 1
	}
	g.mt.forget() // what it knew of the last window
	data = data[:end]
	for s := from; s < end; {
		if o.max >= 0 && res.selected >= o.max && sc.afterLeft == 0 {
			return true
		}
		known := false // the line holds a literal's match
		if !o.invert && !g.mt.empty && sc.afterLeft == 0 {
			// Jump to the line of the next match: the lines before it are
			// not selected, and those of them that are context (-B) are
			// still in data for before.
			ms, _ := g.mt.next(data, s)
			if ms < 0 {
				return false
			}
			known = g.mt.re == nil // a regexp's match may span lines: look again
			if !known || !quiet || o.number {
				s = search.LastIndexByte(data[:ms], '\n') + 1
				if s == end {
					return false // an empty match after the last line's '\n' is no line's
				}
			} else {
				s = ms // a line counted, not shown: its start does not matter
			}
		}
		e := bytes.IndexByte(data[s:], '\n')
		if e < 0 {
			e = end
		} else {
			e += s
		}
		matched := known || g.mt.matches(data[s:e])
		switch {
		case matched != o.invert && (o.max < 0 || res.selected < o.max):
			res.selected++
			if o.quiet || o.list || o.listNot || sc.binary && !quiet {
				res.binary = sc.binary && !quiet
				return true // the answer is known
			}
			if !quiet {
				if o.before > 0 {
					g.before(data, s, sc.lastEnd, printLine)
				}
				if !o.only || !o.invert {
					printLine(s, e, ':', matched)
				}
				sc.afterLeft = o.after
			}
		case sc.afterLeft > 0:
			printLine(s, e, '-', matched)
			sc.afterLeft--
		}
		s = e + 1
	}
	return false
}

// slide is where the next window of the file starts, after data[:end]
// was grepped: the last o.before lines are kept for -B. It moves pos and
// lastEnd to the next window's terms.
func (sc *scan) slide(data []byte, end int) (keep int) {
	keep = end
	for k := 0; k < sc.g.o.before && keep > 0; k++ {
		keep = search.LastIndexByte(data[:keep-1], '\n') + 1
	}
	if sc.g.o.number && sc.pos < keep {
		sc.lineNo += bytes.Count(data[sc.pos:keep], []byte{'\n'})
		sc.pos = keep
	}
	sc.pos -= keep
	sc.lastEnd -= keep
	return keep
}

// before prints up to o.before lines before the line at s as context,
// none of them before lastEnd.
func (g *grepper) before(data []byte, s, lastEnd int, printLine func(s, e int, sep byte, isMatch bool)) {
	first := s
	for k := 0; k < g.o.before && first > 0 && first > lastEnd; k++ {
		first = search.LastIndexByte(data[:first-1], '\n') + 1
	}
	if lastEnd > first {
		first = lastEnd
	}
	for p := first; p < s; {
		e := bytes.IndexByte(data[p:s], '\n') + p
		printLine(p, e, '-', g.mt.matches(data[p:e]))
		p = e + 1
	}
}

// prefix prints the name, line number and byte offset that lead a line.
func (g *grepper) prefix(name string, showName bool, lineNo, off int, sep byte) {
	if showName {
		g.colored([]byte(name), colorName)
		g.colored([]byte{sep}, colorSep)
	}
	if g.o.number {
		g.colored(strconv.AppendInt(nil, int64(lineNo), 10), colorNum)
		g.colored([]byte{sep}, colorSep)
	}
	if g.o.byteOff {
		g.colored(strconv.AppendInt(nil, int64(off), 10), colorNum)
		g.colored([]byte{sep}, colorSep)
	}
}

// sepLine prints the "--" between groups of context.
func (g *grepper) sepLine() {
	g.colored([]byte("--"), colorSep)
	g.out.WriteByte('\n')
}

// colored writes b, in color c where colors are on.
func (g *grepper) colored(b []byte, c string) {
	if g.o.color {
		g.out.WriteString(c)
		g.out.Write(b)
		g.out.WriteString(colorEnd)
		return
	}
	g.out.Write(b)
}

// highlight writes line with its matches in color.
func (g *grepper) highlight(line []byte) {
	last := 0
	g.mt.each(line, func(s, e int) {
		g.out.Write(line[last:s])
		g.colored(line[s:e], colorMatch)
		last = e
	})
	g.out.Write(line[last:])
}

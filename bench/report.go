package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// result holds the times of one workload, by implementation.
type result struct {
	w     workload
	times map[string][]time.Duration

	// folios is how much of the page cache was in large folios, in MiB
	// (FileHugePages), when the workload began and when it ended; -1 when
	// unknown or the workload reads no warm input.
	folios [2]int64
	small  bool // the input was read back in 4 KiB folios
}

// fileHugePages returns FileHugePages of /proc/meminfo in MiB, or -1.
func fileHugePages() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		var kb int64
		if _, err := fmt.Sscanf(l, "FileHugePages: %d kB", &kb); err == nil {
			return kb >> 10
		}
	}
	return -1
}

type stats struct{ median, min, max time.Duration }

func (r result) stats(impl string) (stats, bool) {
	t := slices.Clone(r.times[impl])
	if len(t) == 0 {
		return stats{}, false
	}
	slices.Sort(t)
	med := t[len(t)/2]
	if len(t)%2 == 0 {
		med = (t[len(t)/2-1] + t[len(t)/2]) / 2
	}
	return stats{med, t[0], t[len(t)-1]}, true
}

// bestPeer is the fastest implementation other than this library and the
// limit.
func (r result) bestPeer() (string, stats) {
	var best string
	var bs stats
	for _, impl := range impls {
		if impl == ours || impl == heap {
			continue
		}
		if s, ok := r.stats(impl); ok && (best == "" || s.median < bs.median) {
			best, bs = impl, s
		}
	}
	return best, bs
}

// designMarker starts the part of BENCHMARKS.md that writeReport keeps.
const designMarker = "## Measurements behind the design"

func writeReport(path, chartPath string, rounds int, results []result) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Benchmarks\n\n")
	fmt.Fprintf(&b, "`github.com/mmapio/mmap` side by side with `github.com/edsrzf/mmap-go`, `golang.org/x/exp/mmap`, "+
		"plain `os.File`, CPython's `mmap`, and a limit: the fastest the machine can do the same work. "+
		"Made by `cd bench && go run .` (about 10 minutes; it makes 7 GiB of input files in `%s`).\n\n", os.TempDir()+"/mmap-bench")
	fmt.Fprintf(&b, "- Date: %s\n- Machine: %s\n- Go: %s; %s\n- Rounds: %d, interleaved (every implementation once per round); "+
		"times are the median of the rounds, with [fastest – slowest]\n- Page cache: warm, each input evicted and read back just before its workload, in two states: sequentially, which fills large folios (W1, W1b, W2, W3), and in 4 KiB pieces at random under POSIX_FADV_RANDOM, which fills 4 KiB folios, as a file read at random or written in small pieces sits in memory (the same workloads, marked /4K); W6 evicts a copy of the text of its own before each run\n\n",
		time.Now().UTC().Format("2006-01-02"), machine(), runtime.Version(), pythonVersion(), rounds)
	fmt.Fprintf(&b, "![Median time of each implementation relative to mmapio/mmap, per workload](%s)\n\n", "benchmarks.png")
	fmt.Fprintf(&b, "| workload | mmapio/mmap | best peer | ours vs best peer | limit | ours vs limit |\n|---|---|---|---|---|---|\n")
	for _, r := range results {
		o, _ := r.stats(ours)
		peer, ps := r.bestPeer()
		lim, hasLim := r.stats(heap)
		limCell, limRatio := "—", "—"
		if hasLim {
			limCell = secs(lim.median)
			limRatio = fmt.Sprintf("%.2f×", float64(o.median)/float64(lim.median))
		}
		fmt.Fprintf(&b, "| %s %s | %s | %s (%s) | %s | %s | %s |\n", r.w.id, r.w.title, secs(o.median), secs(ps.median), peer,
			speedup(ps.median, o.median), limCell, limRatio)
	}
	for _, r := range results {
		fmt.Fprintf(&b, "\n## %s: %s\n\n", r.w.id, r.w.title)
		if r.w.limit != "" {
			fmt.Fprintf(&b, "Limit: %s.\n\n", r.w.limit)
		}
		if r.folios[0] >= 0 && r.folios[1] >= 0 {
			how := "sequentially"
			if r.small {
				how = "in 4 KiB pieces at random (POSIX_FADV_RANDOM)"
			}
			fmt.Fprintf(&b, "Page cache: the input was evicted and read afresh %s just before; %d MiB of the page cache was in "+
				"large folios (FileHugePages) at the start of the workload, %d MiB at its end.\n\n", how, r.folios[0], r.folios[1])
		}
		fmt.Fprintf(&b, "| implementation | median | fastest – slowest | relative to mmapio/mmap |\n|---|---|---|---|\n")
		o, _ := r.stats(ours)
		for _, impl := range impls {
			s, ok := r.stats(impl)
			if !ok {
				fmt.Fprintf(&b, "| %s | — | — | (no such operation) |\n", impl)
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s – %s | %.2f× |\n", impl, secs(s.median), secs(s.min), secs(s.max),
				float64(s.median)/float64(o.median))
		}
	}
	// The measurements behind the design, which the package's benchmarks
	// make and the source comments name, are kept as they are.
	if old, err := os.ReadFile(path); err == nil {
		if i := bytes.Index(old, []byte(designMarker)); i >= 0 {
			b.WriteString("\n")
			b.Write(old[i:])
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return err
	}
	return writeChart(chartPath, results)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }

// speedup says how much faster ours is than other ("2.5× faster"), or
// slower.
func speedup(other, o time.Duration) string {
	if o <= other {
		return fmt.Sprintf("%.2f× faster", float64(other)/float64(o))
	}
	return fmt.Sprintf("%.2f× slower", float64(o)/float64(other))
}

func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if name, ok := strings.CutPrefix(l, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %d kB", &kb)
		mem = fmt.Sprintf(", %d GiB", (kb+1<<19)>>20)
	}
	kernel := ""
	if out, err := exec.Command("uname", "-sr").Output(); err == nil {
		kernel = ", " + strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s, %d cores%s%s, %s/%s", cpu, runtime.NumCPU(), mem, kernel, runtime.GOOS, runtime.GOARCH)
}

func pythonVersion() string {
	out, err := exec.Command("python3", "--version").Output()
	if err != nil {
		return "no python3"
	}
	return strings.TrimSpace(string(out))
}

// Colours of the chart, by implementation.
var colours = map[string]color.RGBA{
	ours: {0x1f, 0x77, 0xb4, 0xff}, mmapGo: {0xff, 0x7f, 0x0e, 0xff}, xexp: {0x2c, 0xa0, 0x2c, 0xff},
	osFile: {0x94, 0x67, 0xbd, 0xff}, python: {0xd6, 0x27, 0x28, 0xff}, heap: {0x7f, 0x7f, 0x7f, 0xff},
}

// writeChart draws one group of bars per workload: each implementation's
// median time relative to mmapio/mmap (shorter is faster), cut at 8×.
func writeChart(path string, results []result) error {
	const (
		left, barH, gap, scale, maxRatio = 260, 14, 18, 90, 8.0
		width                            = left + scale*maxRatio + 190
	)
	height := 60 + len(results)*(len(impls)*barH+gap) + 30
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	text := func(x, y int, s string, c color.Color) {
		d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
		d.DrawString(s)
	}
	text(10, 20, "Median time relative to mmapio/mmap (1.0 = ours; shorter is faster; bars cut at 8x)", color.Black)
	// Grid lines at 1x, 2x, 4x, 8x.
	for _, g := range []float64{1, 2, 4, 8} {
		x := left + int(g*scale)
		draw.Draw(img, image.Rect(x, 35, x+1, height-25), image.NewUniform(color.Gray{0xcc}), image.Point{}, draw.Src)
		text(x-8, height-10, fmt.Sprintf("%gx", g), color.Black)
	}
	y := 45
	for _, r := range results {
		o, _ := r.stats(ours)
		text(10, y+12, r.w.id+" "+shorten(r.w.title, 34), color.Black)
		for _, impl := range impls {
			s, ok := r.stats(impl)
			if !ok {
				continue
			}
			ratio := float64(s.median) / float64(o.median)
			w := int(min(ratio, maxRatio) * scale)
			draw.Draw(img, image.Rect(left, y, left+w, y+barH-3), image.NewUniform(colours[impl]), image.Point{}, draw.Src)
			text(left+w+4, y+10, fmt.Sprintf("%s %.2fx", impl, ratio), color.Black)
			y += barH
		}
		y += gap
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..." // the chart's font is ASCII
}

package pdf

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"papers/internal/document"
	"papers/internal/fonts"
)

// Characters Liberation Sans lacks, as officers type them. None may vanish:
// each must take room on the line and be drawn as something a reader sees.
var unsupported = []struct {
	name, text string
	extract    string // what pdftotext reads back
}{
	{"emoji", "😀", "□"},
	{"emoji with skin tone", "👍🏽", "□"},
	{"flag of Wales", "🏴\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F", "□"},
	{"emoji in the BMP with variation selector", "✅\uFE0F", "✅"},
	{"CJK", "漢字", "漢字"},
	{"CJK outside the BMP", "𠀀", "□"},
	{"Arabic", "مرحبا", ""}, // pdftotext may turn it round: not compared
	{"Devanagari", "नमस्ते", ""},
	{"private use (a Wingdings bullet)", "\uF0B7", ""},
	{"mathematical bold", "𝐀", "□"},
	// Codes whose bytes are a carriage return and parentheses (U+0D28,
	// U+0D29, U+285C): escaped in the PDF's strings, or read back wrong.
	{"Malayalam", "നഩ", "നഩ"},
	{"Braille", "⡜", "⡜"},
}

func TestUnsupportedGlyphsTakeRoom(t *testing.T) {
	render(t, sampleDoc()) // load the widths
	for _, c := range unsupported {
		got := clean(c.text)
		if units(got, regular) <= 0 || units(got, bold) <= 0 {
			t.Errorf("%s: %q is cleaned to %q, which takes no room on the line", c.name, c.text, got)
		}
		if !strings.ContainsRune(got, missing) && got != strings.TrimSuffix(c.text, "\uFE0F") {
			t.Errorf("%s: %q is cleaned to %q: neither kept nor shown as %c", c.name, c.text, got, missing)
		}
	}
	// One box per emoji: a skin tone or a flag's tags are not boxes of their own.
	if got := clean("Done 👍🏽 🏴\U000E0067\U000E0062\U000E0077\U000E006C\U000E0073\U000E007F!"); got != "Done □ □!" {
		t.Errorf("clean = %q, want %q", got, "Done □ □!")
	}
}

// TestUnsupportedGlyphsVisible draws each character the font lacks alone on
// the first line of a page and looks at the pixels there: a character that
// vanished, or was drawn as nothing, leaves the line blank.
func TestUnsupportedGlyphsVisible(t *testing.T) {
	needTool(t, "pdftoppm")
	blank := inkOnFirstLine(t, "blank", "")
	if blank != 0 {
		t.Fatalf("an empty line has %d dark pixels: the crop is wrong", blank)
	}
	for _, c := range unsupported {
		t.Run(c.name, func(t *testing.T) {
			if ink := inkOnFirstLine(t, c.name, c.text); ink < 20 {
				t.Errorf("%q drew %d dark pixels: it is not visible", c.text, ink)
			}
		})
	}
}

// inkOnFirstLine renders s as a page's only paragraph and counts the dark
// pixels of its first line, at 150 dpi.
func inkOnFirstLine(t *testing.T, name, s string) int {
	t.Helper()
	d := &document.Doc{Sections: []document.Section{{Blocks: []document.Block{document.Text(s)}}}}
	dir := t.TempDir()
	path := filepath.Join(dir, "glyph.pdf")
	if err := os.WriteFile(path, render(t, d), 0o644); err != nil {
		t.Fatal(err)
	}
	// The first line: from the left margin, 20 mm down, one line high.
	mm := func(v float64) string { return strconv.Itoa(int(v * 150 / 25.4)) }
	run(t, "pdftoppm", "-gray", "-r", "150", "-singlefile", "-x", mm(marginPortrait), "-y", mm(marginPortrait-1),
		"-W", mm(120), "-H", mm(lineHeight(bodySize)+2), path, filepath.Join(dir, "line"))
	pgm, err := os.ReadFile(filepath.Join(dir, "line.pgm"))
	if err != nil {
		t.Fatal(err)
	}
	var w, h, maxv int
	var magic string
	n, err := fmt.Sscan(string(pgm), &magic, &w, &h, &maxv)
	if err != nil || n != 4 || magic != "P5" || len(pgm) < w*h {
		t.Fatalf("%s: not a PGM from pdftoppm (%v)", name, err)
	}
	ink := 0
	for _, px := range pgm[len(pgm)-w*h:] {
		if px < 160 {
			ink++
		}
	}
	return ink
}

func TestUnsupportedGlyphsText(t *testing.T) {
	needTool(t, "pdftotext")
	var blocks []document.Block
	for _, c := range unsupported {
		blocks = append(blocks, document.Text(c.name+": <"+c.text+">"))
	}
	path := writeTemp(t, "glyphs.pdf", render(t, &document.Doc{Sections: []document.Section{{Blocks: blocks}}}))
	text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
	for _, c := range unsupported {
		if c.extract != "" && !strings.Contains(text, c.name+": <"+c.extract+">") {
			t.Errorf("%s: the PDF's text lacks %q", c.name, c.name+": <"+c.extract+">")
		}
	}
}

// TestFontFailsToLoad gives the writer damaged font bytes: it must return
// one line naming the font, never panic (the writers run in goroutines,
// where a panic ends the program), and never print (fpdf, used before, printed some
// complaints to stdout).
func TestFontFailsToLoad(t *testing.T) {
	render(t, sampleDoc()) // the widths, measured with the real fonts
	good := faces
	t.Cleanup(func() { faces = good })
	reg := fonts.Regular
	damaged := func(f func(b []byte)) []byte {
		b := bytes.Clone(reg)
		f(b)
		return b
	}
	for _, c := range []struct {
		name string
		font []byte
	}{
		{"empty", nil},
		{"not a font", []byte("<!DOCTYPE html><title>404 Not Found</title>")},
		{"OpenType CFF", append([]byte("OTTO"), reg[4:]...)},
		{"header only", bytes.Clone(reg[:12])}, // cloned: a reader must not look past a slice's length into its capacity
		{"truncated", bytes.Clone(reg[:4096])},
		{"table directory overwritten", damaged(func(b []byte) {
			for i := 12; i < 12+16*8; i++ {
				b[i] = 0xFF
			}
		})},
	} {
		t.Run(c.name, func(t *testing.T) {
			faces = good
			faces[bold] = c.font
			var out bytes.Buffer
			err := noPanic(t, func() error { return Write(&out, sampleDoc()) })
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "pdf: the embedded font "+fonts.Family+" (bold) cannot be loaded: ") {
				t.Errorf("error %q: want one line naming the font", msg)
			}
			if out.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", out.Len())
			}
			// Measuring the widths (done once, with the first document)
			// fails the same way.
			if _, err := measureWidths(); err == nil {
				t.Error("measureWidths: no error")
			}
		})
	}
	// Damage anywhere else: an error or a PDF, never a panic.
	rng := rand.New(rand.NewPCG(5, 5))
	for i := range 40 {
		b := damaged(func(b []byte) {
			for range 64 {
				b[12+rng.IntN(len(b)-12)] = byte(rng.Uint32())
			}
		})
		faces = good
		faces[regular] = b
		if err := noPanic(t, func() error { return Write(&bytes.Buffer{}, sampleDoc()) }); err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("flips %d: error on more than one line: %q", i, err)
		}
	}
}

// noPanic runs fn, failing the test if it panics.
func noPanic(t *testing.T, fn func() error) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	return fn()
}

// The test binary's stdout must stay quiet too: a writer never prints (fpdf,
// used before, printed "get metrics Error" for a file not TrueType).
func TestFontFailsQuietly(t *testing.T) {
	if os.Getenv("PAPERS_PDF_FONT_CHILD") == "1" {
		faces[regular] = []byte("wOFF not TrueType at all, a web font")
		err := Write(&bytes.Buffer{}, sampleDoc())
		fmt.Fprintln(os.Stderr, err)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFontFailsQuietly$")
	cmd.Env = append(os.Environ(), "PAPERS_PDF_FONT_CHILD=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s%s", err, stdout.String(), stderr.String())
	}
	if strings.Contains(stdout.String(), "metrics") || strings.Contains(stdout.String(), "font") {
		t.Errorf("the writer printed to stdout:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "cannot be loaded: not a TrueType font") {
		t.Errorf("stderr %q", stderr.String())
	}
}

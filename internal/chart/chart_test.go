package chart

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"slices"
	"strings"
	"testing"

	"papers/internal/document"
)

func sample() document.Chart {
	return document.Chart{
		Title: "Status of actions by recommendation, as at 26 November 2020",
		Categories: []string{
			"1. Leadership and culture across the directorate",
			"2. Practice standards and quality assurance of social work decisions",
			"3. Workforce",
			"4. Partnership working and trust",
			"5. Gwasanaethau plant — ŵ ŷ",
		},
		Series: []document.Series{
			{Name: "Complete", Color: "1D70B8", Values: []float64{4, 2, 1, 0, 3}},
			{Name: "Complete, late", Color: "5694CA", Values: []float64{1, 0, 2, 0, 1}},
			{Name: "On track", Color: "00703C", Values: []float64{3, 5, 0, 2, 12}},
			{Name: "Due soon", Color: "F47738", Values: []float64{0, 1, 1, 0, 2}},
			{Name: "Overdue", Color: "D4351C", Values: []float64{2, 3, 0, 1, 1}},
			{Name: "No date", Color: "B1B4B6", Values: []float64{0, 1, 0, 0, 0}},
		},
		Caption: "Five recommendations.",
	}
}

func render(t *testing.T, c document.Chart, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := PNG(&buf, c, w, h); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPNG(t *testing.T) {
	c := sample()
	w := 1600
	h := Height(c, w)
	if h < 300 || h > 2000 {
		t.Fatalf("Height = %d, not plausible for five bars", h)
	}
	b := render(t, c, w, h)
	if out := os.Getenv("CHART_PREVIEW"); out != "" {
		os.WriteFile(out, b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != (image.Point{w, h}) {
		t.Fatalf("size %v, want %dx%d", got, w, h)
	}
	seen := map[[3]uint8]bool{}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			seen[[3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}] = true
		}
	}
	for _, s := range c.Series {
		col := parseHex(s.Color)
		if !seen[[3]uint8{col.R, col.G, col.B}] {
			t.Errorf("series %q colour %s not in the picture", s.Name, s.Color)
		}
	}
	if r, g, b, _ := img.At(0, 0).RGBA(); r != 0xFFFF || g != 0xFFFF || b != 0xFFFF {
		t.Errorf("background is not white")
	}
	if !bytes.Equal(b, render(t, c, w, h)) {
		t.Error("two renders differ")
	}
}

func TestPNGEdgeCases(t *testing.T) {
	for name, c := range map[string]document.Chart{
		"empty":        {},
		"no title":     {Categories: []string{"A"}, Series: []document.Series{{Name: "x", Color: "000000", Values: []float64{1}}}},
		"all zero":     {Title: "Zero", Categories: []string{"A", "B"}, Series: []document.Series{{Name: "x", Color: "zzz", Values: []float64{0, 0}}}},
		"fractional":   {Title: "F", Categories: []string{"A"}, Series: []document.Series{{Name: "x", Color: "00FF00", Values: []float64{0.25}}}},
		"long strings": {Title: string(bytes.Repeat([]byte("very long title "), 30)), Categories: []string{string(bytes.Repeat([]byte("word "), 80))}, Series: []document.Series{{Name: "x", Color: "00FF00", Values: []float64{3}}}},
	} {
		t.Run(name, func(t *testing.T) {
			w := 800
			render(t, c, w, Height(c, w))
		})
	}
	if err := PNG(&bytes.Buffer{}, document.Chart{Categories: []string{"A"}, Series: []document.Series{{Values: nil}}}, 100, 100); err == nil {
		t.Error("mismatched series accepted")
	}
	if err := PNG(&bytes.Buffer{}, document.Chart{}, 0, 100); err == nil {
		t.Error("zero width accepted")
	}
}

// The picture draws the model's legend and scale, as the PDF and HTML do.
func TestFollowsModel(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	c := sample()
	c.Series = append(c.Series, document.Series{Name: "Nothing yet", Color: "B1B4B6", Values: make([]float64, len(c.Categories))})
	l, err := newLayout(c, 1000, 600)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	var got, want []string
	for _, line := range l.legend {
		for _, s := range line {
			got = append(got, s.Name)
		}
	}
	for _, s := range c.Legend() {
		want = append(want, s.Name)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") || slices.Contains(got, "Nothing yet") {
		t.Errorf("legend %q, want the model's %q", got, want)
	}
	if step, end := c.Axis(); l.step != step || l.max != end {
		t.Errorf("scale to %g in steps of %g, want the model's %g in %g", l.max, l.step, end, step)
	}
}

func BenchmarkPNG(b *testing.B) {
	c := sample()
	h := Height(c, 1350)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := PNG(&buf, c, 1350, h); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KiB")
}

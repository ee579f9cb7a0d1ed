package chart

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
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

func TestNiceScale(t *testing.T) {
	for _, c := range []struct{ max, top, step float64 }{
		{11, 12, 2}, {19, 20, 5}, {10, 10, 2}, {1, 1, 1}, {3, 3, 1}, {7, 8, 2}, {0.25, 0.25, 0.05}, {0, 1, 1}, {130, 150, 50},
	} {
		top, step := niceScale(c.max)
		if math.Abs(top-c.top) > 1e-9 || math.Abs(step-c.step) > 1e-9 {
			t.Errorf("niceScale(%g) = %g, %g; want %g, %g", c.max, top, step, c.top, c.step)
		}
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

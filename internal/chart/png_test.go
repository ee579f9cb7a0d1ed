package chart

import (
	"bytes"
	"fmt"
	"hash/adler32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"testing"

	"papers/internal/document"
)

// big is a chart the size of a 20,000-action plan's: 2,000 bars.
func big() document.Chart {
	c := document.Chart{Title: "Status of actions by recommendation"}
	vals := make([][]float64, 3)
	for i := range 2000 {
		c.Categories = append(c.Categories, fmt.Sprintf("%d. Recommendation %d", i+1, i+1))
		for s := range vals {
			vals[s] = append(vals[s], float64((i*(s+3))%7))
		}
	}
	for s, col := range []string{"1D70B8", "00703C", "D4351C"} {
		c.Series = append(c.Series, document.Series{Name: col, Color: col, Values: vals[s]})
	}
	return c
}

// The PNG papers writes decodes to exactly the picture drawn, for a small
// chart, a large one, a picture not at the origin, and one with
// transparency (which goes to image/png); and it is no more than a little
// larger than image/png's own.
func TestEncodePNG(t *testing.T) {
	draw1 := func(c document.Chart, w, h int) *image.RGBA {
		l, err := newLayout(c, w, h)
		if err != nil {
			t.Fatal(err)
		}
		defer l.close()
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(img, img.Bounds(), image.NewUniform(colWhite), image.Point{}, draw.Src)
		l.draw(img)
		return img
	}
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	small := draw1(sample(), 800, Height(sample(), 800))
	large := draw1(big(), 1350, 2100)
	clear := image.NewRGBA(image.Rect(0, 0, 40, 30))
	clear.Set(5, 5, color.RGBA{200, 0, 0, 255})
	for name, img := range map[string]*image.RGBA{
		"small":       small,
		"large":       large,
		"offset":      small.SubImage(image.Rect(100, 50, 700, 300)).(*image.RGBA),
		"transparent": clear,
	} {
		t.Run(name, func(t *testing.T) {
			var ours, std bytes.Buffer
			if err := encodePNG(&ours, img); err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(bytes.NewReader(ours.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds().Size() != img.Bounds().Size() {
				t.Fatalf("size %v, want %v", got.Bounds().Size(), img.Bounds().Size())
			}
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					want := color.NRGBAModel.Convert(img.At(x, y))
					if have := color.NRGBAModel.Convert(got.At(x-b.Min.X, y-b.Min.Y)); have != want {
						t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, have, want)
					}
				}
			}
			if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&std, img); err != nil {
				t.Fatal(err)
			}
			if ours.Len() > std.Len()*3/2+100 {
				t.Errorf("%d bytes, image/png's %d", ours.Len(), std.Len())
			}
		})
	}
}

// The checksum put together from pieces and runs of zeros is the one
// hash/adler32 gives for the whole stream, including across the modulus
// and for pieces longer than 65,521 bytes.
func TestAdler(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var whole []byte
		var s adler
		s.reset()
		for range 1 + r.IntN(12) {
			n := r.IntN(70000)
			if trial%3 == 0 {
				n = r.IntN(40)
			}
			if r.IntN(2) == 0 {
				s.zeros(n)
				whole = append(whole, make([]byte, n)...)
				continue
			}
			p := make([]byte, n)
			for i := range p {
				p[i] = byte(r.IntN(256))
			}
			s.add(adler32.Checksum(p), n)
			whole = append(whole, p...)
		}
		if got, want := s.value(), adler32.Checksum(whole); got != want {
			t.Fatalf("trial %d: %08x, want %08x", trial, got, want)
		}
	}
}

package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestEncodeOpaquePNG encodes an opaque image, with runs of colour and
// noise, and decodes it with image/png: every pixel comes back.
func TestEncodeOpaquePNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []image.Rectangle{image.Rect(0, 0, 1, 1), image.Rect(0, 0, 37, 5), image.Rect(0, 0, 300, 170)} {
		img := image.NewRGBA(size)
		for y := 0; y < size.Dy(); y++ {
			for x := 0; x < size.Dx(); x++ {
				c := color.RGBA{0xff, 0xff, 0xff, 0xff}
				if (x/7+y/3)%3 == 0 {
					c = color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 0xff}
				}
				img.SetRGBA(x, y, c)
			}
		}
		var b bytes.Buffer
		if err := encodeOpaquePNG(&b, img); err != nil {
			t.Fatal(err)
		}
		got, err := png.Decode(&b)
		if err != nil {
			t.Fatalf("%v: %v", size, err)
		}
		if got.Bounds() != size {
			t.Fatalf("decoded %v, want %v", got.Bounds(), size)
		}
		for y := 0; y < size.Dy(); y++ {
			for x := 0; x < size.Dx(); x++ {
				r0, g0, b0, _ := img.At(x, y).RGBA()
				r1, g1, b1, a1 := got.At(x, y).RGBA()
				if r0 != r1 || g0 != g1 || b0 != b1 || a1 != 0xffff {
					t.Fatalf("%v: pixel (%d, %d) is %v, want %v", size, x, y, got.At(x, y), img.At(x, y))
				}
			}
		}
	}
}

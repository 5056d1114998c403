//go:build ignore

// gen_icon draws assets/icon.png: a rounded tile with a countdown ring and a
// keyhole, the two things softtoken is about. Run: go run assets/gen_icon.go
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 512

func main() {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	top := color.NRGBA{0x0b, 0x5c, 0x8a, 0xff}    // deep blue
	bottom := color.NRGBA{0x08, 0x3d, 0x5e, 0xff} // darker at the foot
	ring := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	spent := color.NRGBA{0xff, 0xff, 0xff, 0x55}
	c := float64(size) / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// Supersample 4x4 for smooth edges.
			var r, g, b, a float64
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					px, py := float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4
					col, ok := shade(px, py, c, top, bottom, ring, spent)
					if !ok {
						continue
					}
					r += float64(col.R) * float64(col.A) / 255
					g += float64(col.G) * float64(col.A) / 255
					b += float64(col.B) * float64(col.A) / 255
					a += float64(col.A)
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(r * 255 / a), uint8(g * 255 / a), uint8(b * 255 / a), uint8(a / 16)})
		}
	}
	f, err := os.Create("assets/icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// shade returns the colour at (x, y), or false outside the tile.
func shade(x, y, c float64, top, bottom, ring, spent color.NRGBA) (color.NRGBA, bool) {
	const margin, radius = 16.0, 96.0
	// Rounded square.
	dx := math.Max(math.Max(margin+radius-x, x-(size-margin-radius)), 0)
	dy := math.Max(math.Max(margin+radius-y, y-(size-margin-radius)), 0)
	if dx*dx+dy*dy > radius*radius {
		return color.NRGBA{}, false
	}
	t := (y - margin) / (size - 2*margin)
	bg := color.NRGBA{
		uint8(float64(top.R)*(1-t) + float64(bottom.R)*t),
		uint8(float64(top.G)*(1-t) + float64(bottom.G)*t),
		uint8(float64(top.B)*(1-t) + float64(bottom.B)*t), 0xff,
	}
	rx, ry := x-c, y-c
	d := math.Hypot(rx, ry)
	// Countdown ring: three quarters left, one quarter spent.
	if d > 150 && d < 188 {
		ang := math.Atan2(rx, -ry) // 0 at twelve o'clock, clockwise
		if ang < 0 {
			ang += 2 * math.Pi
		}
		if ang < 1.5*math.Pi {
			return ring, true
		}
		return blend(bg, spent), true
	}
	// Keyhole: a circle over a tapering stem.
	if math.Hypot(rx, ry+30) < 46 {
		return ring, true
	}
	if ry > -10 && ry < 90 && math.Abs(rx) < 18+ry*0.22 {
		return ring, true
	}
	return bg, true
}

func blend(a, b color.NRGBA) color.NRGBA {
	f := float64(b.A) / 255
	return color.NRGBA{
		uint8(float64(a.R)*(1-f) + float64(b.R)*f),
		uint8(float64(a.G)*(1-f) + float64(b.G)*f),
		uint8(float64(a.B)*(1-f) + float64(b.B)*f), 0xff,
	}
}

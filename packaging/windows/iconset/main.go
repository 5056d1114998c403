// Command iconset writes the sizes of a Windows icon from one square PNG:
// iconset IN.png OUTDIR writes OUTDIR/icon256.png, icon64.png, icon48.png,
// icon32.png and icon16.png, scaled with Catmull-Rom. go-winres takes at
// most 256×256, and Windows picks the size each place needs.
package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"

	"golang.org/x/image/draw"
)

// Sizes are the icon's sizes, in pixels.
var Sizes = []int{256, 64, 48, 32, 16}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: iconset IN.png OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "iconset:", err)
		os.Exit(1)
	}
}

func run(in, dir string) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if b := src.Bounds(); b.Dx() != b.Dy() || b.Dx() < 256 {
		return fmt.Errorf("%s is %dx%d; the icon must be square and at least 256x256", in, b.Dx(), b.Dy())
	}
	for _, s := range Sizes {
		dst := image.NewNRGBA(image.Rect(0, 0, s, s))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		out, err := os.Create(filepath.Join(dir, fmt.Sprintf("icon%d.png", s)))
		if err != nil {
			return err
		}
		if err := png.Encode(out, dst); err != nil {
			out.Close()
			return err
		}
		if err := out.Close(); err != nil {
			return err
		}
	}
	return nil
}

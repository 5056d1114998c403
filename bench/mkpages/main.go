// Command mkpages writes 3840x2160 PNG pages for bench/scan-vs-zbar.sh, each
// like a screenshot of an enrollment page on a 4K screen: a light page with
// blocks of "text" and one 160-pixel enrollment QR code, at a different
// place on every page. The secrets are made up for the benchmark.
//
//	go run ./bench/mkpages DIR N
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mkpages DIR N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkpages:", err)
		os.Exit(2)
	}
	for i := range n {
		if err := write(filepath.Join(os.Args[1], fmt.Sprintf("page%02d.png", i+1)), i); err != nil {
			fmt.Fprintln(os.Stderr, "mkpages:", err)
			os.Exit(1)
		}
	}
}

func write(path string, i int) error {
	r := rand.New(rand.NewPCG(uint64(i), 4))
	page := image.NewRGBA(image.Rect(0, 0, 3840, 2160))
	draw.Draw(page, page.Bounds(), image.NewUniform(color.RGBA{0xfa, 0xfa, 0xfa, 0xff}), image.Point{}, draw.Src)
	// A header bar and lines of grey "words".
	draw.Draw(page, image.Rect(0, 0, 3840, 140), image.NewUniform(color.RGBA{0x1f, 0x4e, 0x79, 0xff}), image.Point{}, draw.Src)
	for y := 240; y < 2100; y += 48 {
		for x := 200; x < 3600; {
			w := 40 + r.IntN(160)
			g := uint8(0x30 + r.IntN(0x40))
			draw.Draw(page, image.Rect(x, y, x+w, y+22), image.NewUniform(color.RGBA{g, g, g, 0xff}), image.Point{}, draw.Src)
			x += w + 18
		}
	}
	link := fmt.Sprintf("otpauth://totp/Stadt:user%02d@stadt.example?secret=%s&issuer=Stadt", i+1, secret(r))
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		return err
	}
	code := q.Image(160)
	at := image.Pt(300+r.IntN(3200), 300+r.IntN(1600))
	draw.Draw(page, code.Bounds().Add(at), code, image.Point{}, draw.Src)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, page); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// secret is 20 random bytes in base32.
func secret(r *rand.Rand) string {
	const b32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	s := make([]byte, 32)
	for i := range s {
		s[i] = b32[r.IntN(32)]
	}
	return string(s)
}

package scan

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/bmp"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/token"
)

// Links of the tests. The secrets are the RFC 6238 seeds and other test
// values, never real ones.
const (
	uriAlice = "otpauth://totp/Stadt:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Stadt"
	uriBob   = "otpauth://totp/Stadt:bob?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadt&digits=8"
	uriCarol = "otpauth://hotp/Amt:carol?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&counter=7"
	uriWeb   = "https://www.stadt.example/anmeldung"
)

// migrationURI holds two accounts, as the phone app exports them.
func migrationURI(t testing.TB) string {
	t.Helper()
	s, err := token.FormatMigrationURI([]token.Account{
		{Issuer: "Example", Name: "dora", Type: token.TOTP, Algorithm: token.SHA1, Digits: 6, Period: 30, Secret: token.Secret("12345678901234567890")},
		{Name: "eve", Type: token.HOTP, Algorithm: token.SHA256, Digits: 8, Counter: 5, Secret: token.Secret("Hello!\xde\xad\xbe\xef")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func uris(codes []Code) []string {
	var s []string
	for _, c := range codes {
		s = append(s, c.URI)
	}
	return s
}

var (
	white = color.White
	grey  = color.RGBA{0xe8, 0xe8, 0xe8, 0xff}
	dark  = color.RGBA{0x20, 0x22, 0x28, 0xff}
)

// TestImage searches composed pictures for their codes.
func TestImage(t *testing.T) {
	mig := migrationURI(t)
	tests := []struct {
		name string
		img  image.Image
		want []string // in reading order
		err  error
	}{
		{"one code", page(400, 300, white, placed{qr(t, uriAlice, 4, false), image.Pt(50, 20)}), []string{uriAlice}, nil},
		{"code alone, no margin", qr(t, uriAlice, 3, false), []string{uriAlice}, nil},
		{"one pixel per module", qr(t, uriAlice, 1, false), []string{uriAlice}, nil},
		{"one pixel per module on a page", page(640, 480, white, placed{qr(t, uriBob, 1, false), image.Pt(500, 400)}), []string{uriBob}, nil},
		{"light on dark", page(500, 400, dark, placed{qr(t, uriAlice, 3, true), image.Pt(200, 100)}), []string{uriAlice}, nil},
		{"several codes, one light on dark, one a web link, one migration",
			page(1600, 900, grey,
				placed{qr(t, uriAlice, 4, false), image.Pt(40, 40)},
				placed{qr(t, uriWeb, 5, false), image.Pt(700, 60)},
				placed{qr(t, mig, 3, false), image.Pt(1100, 30)},
				placed{qr(t, uriBob, 3, true), image.Pt(60, 500)},
				placed{qr(t, uriCarol, 2, false), image.Pt(1400, 700)},
			),
			[]string{uriAlice, mig, uriBob, uriCarol}, nil},
		{"4K screen, one 160 px code", page(3840, 2160, grey, placed{qrSized(t, uriAlice, 160), image.Pt(3000, 1700)}), []string{uriAlice}, nil},
		{"4K screen, two codes", page(3840, 2160, grey,
			placed{qrSized(t, uriAlice, 200), image.Pt(10, 10)},
			placed{qr(t, uriBob, 3, true), image.Pt(2000, 1000)}), []string{uriAlice, uriBob}, nil},
		{"4K screen, one pixel per module: full-resolution search", page(3840, 2160, white, placed{qr(t, uriCarol, 1, false), image.Pt(1234, 567)}), []string{uriCarol}, nil},
		{"the same code twice counts once", page(800, 400, white,
			placed{qr(t, uriAlice, 3, false), image.Pt(0, 0)},
			placed{qr(t, uriAlice, 4, false), image.Pt(400, 0)}), []string{uriAlice}, nil},
		{"only a web link", page(400, 300, white, placed{qr(t, uriWeb, 4, false), image.Pt(10, 10)}), nil, ErrNotEnrollment},
		{"nothing", page(640, 480, white), nil, ErrNoQR},
		{"tiny", page(5, 5, white), nil, ErrNoQR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			codes, err := Image(tt.img)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := uris(codes); !slices.Equal(got, tt.want) {
				t.Fatalf("found %d codes %v\nwant %d %v", len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

// TestBounds checks that a code's place is reported where it was drawn.
func TestBounds(t *testing.T) {
	code := qr(t, uriAlice, 4, false) // quiet zone of 4 modules, 16 px
	at := image.Pt(900, 700)
	for _, size := range []image.Point{{1200, 1000}, {3840, 2160}} {
		codes, err := Image(page(size.X, size.Y, white, placed{code, at}))
		if err != nil {
			t.Fatal(err)
		}
		inner := code.Bounds().Inset(16).Add(at)
		got := codes[0].Bounds
		if d := got.Min.Sub(inner.Min); abs(d.X) > 8 || abs(d.Y) > 8 || abs(got.Dx()-inner.Dx()) > 12 {
			t.Errorf("%v: bounds %v, drawn at %v", size, got, inner)
		}
		if s := codes[0].String(); strings.Contains(s, "secret") || !strings.HasPrefix(s, "QR code at ") {
			t.Errorf("String() = %q", s)
		}
	}
}

func abs(i int) int { return max(i, -i) }

func encode(t testing.TB, format string, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&b, img, nil)
	case "bmp":
		err = bmp.Encode(&b, img)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDecodeFormats reads the same page from every format the package
// reads; WebP, which Go cannot write, comes from ImageMagick.
func TestDecodeFormats(t *testing.T) {
	mig := migrationURI(t)
	img := page(900, 500, white,
		placed{qr(t, uriAlice, 4, false), image.Pt(20, 20)},
		placed{qr(t, mig, 3, false), image.Pt(500, 40)})
	want := []string{uriAlice, mig}
	for _, f := range []string{"png", "jpeg", "gif", "bmp"} {
		t.Run(f, func(t *testing.T) {
			codes, err := Decode(bytes.NewReader(encode(t, f, img)))
			if err != nil || !slices.Equal(uris(codes), want) {
				t.Fatalf("Decode = %d codes, %v", len(codes), err)
			}
		})
	}
	t.Run("webp", func(t *testing.T) {
		convert := testenv.Tool(t, "convert")
		dir := t.TempDir()
		in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.webp")
		if err := os.WriteFile(in, encode(t, "png", img), 0o600); err != nil {
			t.Fatal(err)
		}
		if b, err := exec.Command(convert, in, "-define", "webp:lossless=true", out).CombinedOutput(); err != nil {
			t.Fatalf("convert: %v\n%s", err, b)
		}
		codes, err := File(out)
		if err != nil || !slices.Equal(uris(codes), want) {
			t.Fatalf("File = %d codes, %v", len(codes), err)
		}
	})
}

// TestTransparent reads a code drawn in black on a transparent picture, as a
// viewer shows it on white.
func TestTransparent(t *testing.T) {
	src := qr(t, uriAlice, 3, false).(*image.Paletted)
	img := image.NewNRGBA(src.Bounds())
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			if src.ColorIndexAt(x, y) == 1 {
				img.SetNRGBA(x, y, color.NRGBA{0, 0, 0, 0xff})
			}
		}
	}
	codes, err := Decode(bytes.NewReader(encode(t, "png", img)))
	if err != nil || len(codes) != 1 || codes[0].URI != uriAlice {
		t.Fatalf("Decode = %v, %v", codes, err)
	}
}

// pngHeader is a PNG signature and an IHDR chunk for a w×h RGBA picture,
// followed by a short IDAT: what a decompression bomb starts with.
func pngHeader(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		var b []byte
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, typ...)
		b = append(b, data...)
		return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8 bit, RGBA, deflate, no filter, no interlace
	b := []byte("\x89PNG\r\n\x1a\n")
	b = append(b, chunk("IHDR", ihdr)...)
	b = append(b, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00})...)
	return append(b, chunk("IEND", nil)...)
}

// TestBomb refuses a 65536x65536 PNG from its header: fast, and without
// allocating anything of its size.
func TestBomb(t *testing.T) {
	bomb := pngHeader(65536, 65536)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Decode(bytes.NewReader(bomb))
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if !strings.Contains(err.Error(), "65536x65536") {
		t.Errorf("message %q does not say the size", err)
	}
	if took > 50*time.Millisecond {
		t.Errorf("refusal took %v, want < 50 ms", took)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusal allocated %d bytes", alloc)
	}
	t.Logf("refused in %v", took)

	// Just over the limit is refused, the limit itself is let through to
	// the decoder (which then finds the data cut short).
	if _, err := Decode(bytes.NewReader(pngHeader(8001, 8000))); !errors.Is(err, ErrTooLarge) {
		t.Errorf("8001x8000: err = %v, want ErrTooLarge", err)
	}
	if _, err := Decode(bytes.NewReader(pngHeader(8000, 8000))); !errors.Is(err, ErrFormat) {
		t.Errorf("8000x8000: err = %v, want ErrFormat", err)
	}
}

// TestTooManyBytes refuses a file over MaxBytes without reading it.
func TestTooManyBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(pngHeader(100, 100)); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxBytes + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if _, err := File(path); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("File: err = %v, want ErrTooLarge", err)
	}
}

func TestNotAnImage(t *testing.T) {
	for _, data := range []string{"", "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ", "\x89PNG\r\n\x1a\n"} {
		if _, err := Decode(strings.NewReader(data)); !errors.Is(err, ErrFormat) {
			t.Errorf("Decode(%q): err = %v, want ErrFormat", data, err)
		}
	}
}

// TestBadCode: a code that is an otpauth link but a bad one is found, and
// parsing it says where it is, why it is bad, and not what it holds.
func TestBadCode(t *testing.T) {
	bad := "otpauth://totp/Stadt:zed?secret=GEZDGNBVGY3TQOJQGEZD&digits=12"
	codes, err := Image(page(900, 400, white,
		placed{qr(t, uriAlice, 4, false), image.Pt(10, 10)},
		placed{qr(t, bad, 4, false), image.Pt(450, 10)}))
	if err != nil || len(codes) != 2 {
		t.Fatalf("Image = %v, %v", codes, err)
	}
	accs, err := Accounts(codes)
	if !errors.Is(err, ErrBadCode) || !errors.Is(err, token.ErrDigits) {
		t.Fatalf("Accounts: err = %v, want ErrBadCode and token.ErrDigits", err)
	}
	if accs != nil {
		t.Errorf("Accounts returned %d accounts with an error", len(accs))
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "QR code at 4") || strings.Contains(msg, "GEZDGNBV") || strings.Contains(msg, "zed") {
		t.Errorf("message %q", msg)
	}
}

// TestAccounts parses every account of every code, in order.
func TestAccounts(t *testing.T) {
	codes, err := Image(page(1000, 400, white,
		placed{qr(t, uriAlice, 3, false), image.Pt(10, 10)},
		placed{qr(t, migrationURI(t), 3, false), image.Pt(500, 10)}))
	if err != nil {
		t.Fatal(err)
	}
	accs, err := Accounts(codes)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range accs {
		got = append(got, a.String())
	}
	want := []string{
		"Stadt: alice (totp, SHA1, 6 digits, 30s)",
		"Example: dora (totp, SHA1, 6 digits, 30s)",
		"eve (hotp, SHA256, 8 digits, counter 5)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("accounts\n%q\nwant\n%q", got, want)
	}
}

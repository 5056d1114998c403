package scan

import (
	"image"
	"math"
	"sort"
	"sync"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/common"
	multidetector "github.com/makiuchi-d/gozxing/multi/qrcode/detector"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/makiuchi-d/gozxing/qrcode/detector"

	"github.com/cityadmin/softtoken/internal/trace"
)

// The search. A QR code is found by its three finder patterns (dark, light,
// dark, light, dark in the ratio 1:1:3:1:1 across every line through their
// centre); gozxing's multi-detector finds all of them in a binarised picture
// and groups them in threes, and its decoder reads the grid they span.
//
// Binarising and scanning cost time in proportion to the pixels, so a picture
// larger than quickPixels is first shrunk by an integer factor (a box filter)
// until it is at most that size. A 160-pixel code on a 4K screen keeps two
// pixels or more per module there, which is plenty to find it; each one
// found is then decoded again from the full-resolution crop around it, where
// the shrunk picture blurred it too much. If the shrunk picture yields no
// code, the likely regions (regions.go: where dark and light meet in hard
// edges, a few percent of a web page) are searched at full resolution, and
// only if they yield none either is the whole picture, which finds codes
// down to one pixel per module. Caveat: a code of one or two
// pixels per module next to a larger one on a 4K picture is found only if
// the larger one is not.
//
// Every search runs twice, on the picture and on its negative, for codes
// shown light on dark; the two run in parallel.

// quickPixels is the most pixels the first search looks at: a 1080p screen.
const quickPixels = 1920 * 1088

// hints make the finder scan every third row, not every eighth or more: a
// code of one pixel per module has a centre only three rows high.
var hints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}

// findAll returns every QR code in img that decodes, enrollment or not, in
// reading order and each text once.
func findAll(img image.Image) []Code {
	b := img.Bounds()
	f := 1
	for int64(b.Dx()/f)*int64(b.Dy()/f) > quickPixels {
		f++
	}
	g := grayOf(img, b, f)
	trace.Mark("grey picture made")
	found := search(img, g, f)
	trace.Mark("first search")
	if len(found) == 0 && f > 1 {
		// First where a code can be (regions.go), then everywhere.
		if regions := likelyRegions(g, f, b); len(regions) > 0 {
			found = searchRegions(img, regions)
			trace.Mark("search of the likely regions at full resolution")
		}
		if len(found) == 0 {
			found = search(img, grayOf(img, b, 1), 1)
			trace.Mark("search at full resolution")
		}
	}
	return found
}

// search finds the codes in g, which is img shrunk by f, in both polarities.
func search(img image.Image, g *gray, f int) []Code {
	if g.Width < 21 || g.Height < 21 {
		return nil
	}
	var (
		wg  sync.WaitGroup
		res [2][]Code
	)
	for i, src := range []gozxing.LuminanceSource{g, g.Invert()} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = searchOne(img, src, f, i == 1)
		}()
	}
	wg.Wait()
	return merge(append(res[0], res[1]...))
}

// searchOne detects the codes in src (img shrunk by f, inverted or not) and
// decodes each, from the full-resolution crop of img where f > 1.
func searchOne(img image.Image, src gozxing.LuminanceSource, f int, inverted bool) []Code {
	bm, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return nil
	}
	m, err := bm.GetBlackMatrix()
	if err != nil {
		return nil
	}
	results, err := multidetector.NewMultiDetector(m).DetectMulti(hints)
	if err != nil {
		return nil
	}
	// The multi-detector misses a lone code more often than the plain one;
	// where it found nothing, ask the plain one too.
	if len(results) == 0 {
		if r, err := detector.NewDetector(m).Detect(hints); err == nil {
			results = append(results, r)
		}
	}
	origin := img.Bounds().Min
	var codes []Code
	for _, r := range results {
		bounds, module := extent(r.GetPoints(), f, origin)
		if f > 1 {
			// The crop is decoded with its own search: around a small code
			// there may be another one, which then is found too.
			crop := bounds.Inset(-int(8 * module)).Intersect(img.Bounds())
			if cs := searchCrop(img, crop, inverted); len(cs) > 0 {
				codes = append(codes, cs...)
				continue
			}
		}
		if text, ok := decode(r); ok {
			codes = append(codes, Code{URI: text, Bounds: bounds})
		}
	}
	return codes
}

// searchRegions searches the parts regions of img at full resolution, in
// both polarities, the regions on goroutines of their own.
func searchRegions(img image.Image, regions []image.Rectangle) []Code {
	var (
		wg  sync.WaitGroup
		res = make([][]Code, 2*len(regions))
	)
	for i, r := range regions {
		for k, inverted := range []bool{false, true} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[2*i+k] = searchCrop(img, r, inverted)
			}()
		}
	}
	wg.Wait()
	var all []Code
	for _, cs := range res {
		all = append(all, cs...)
	}
	return merge(all)
}

// searchCrop decodes the codes in the part crop of img at full resolution.
func searchCrop(img image.Image, crop image.Rectangle, inverted bool) []Code {
	var src gozxing.LuminanceSource = grayOf(img, crop, 1)
	if src.GetWidth() < 21 || src.GetHeight() < 21 {
		return nil
	}
	if inverted {
		src = src.Invert()
	}
	codes := searchOne(img, src, 1, false)
	for i := range codes {
		codes[i].Bounds = codes[i].Bounds.Add(crop.Min.Sub(img.Bounds().Min))
	}
	return codes
}

var qrDecoder = decoder.NewDecoder()

// decode reads the grid the detector sampled.
func decode(r *common.DetectorResult) (string, bool) {
	d, err := qrDecoder.Decode(r.GetBits(), hints)
	if err != nil {
		return "", false
	}
	return d.GetText(), true
}

// extent returns the rectangle in img's pixels that the finder-pattern
// centres pts (in a picture shrunk by f) span, grown by the 3.5 modules from
// a centre to the code's edge, and the module size in img's pixels.
func extent(pts []gozxing.ResultPoint, f int, origin image.Point) (image.Rectangle, float64) {
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	module := 1.0
	for _, p := range pts {
		minX, maxX = math.Min(minX, p.GetX()), math.Max(maxX, p.GetX())
		minY, maxY = math.Min(minY, p.GetY()), math.Max(maxY, p.GetY())
		if fp, ok := p.(*detector.FinderPattern); ok {
			module = math.Max(module, fp.GetEstimatedModuleSize())
		}
	}
	s := float64(f)
	m := module * 3.5
	r := image.Rect(int((minX-m)*s), int((minY-m)*s), int(math.Ceil((maxX+m)*s)), int(math.Ceil((maxY+m)*s)))
	return r.Add(origin), module * s
}

// merge drops repeated texts, keeping the first place each was found, and
// sorts the codes in reading order.
func merge(codes []Code) []Code {
	seen := make(map[string]bool, len(codes))
	out := codes[:0]
	for _, c := range codes {
		if !seen[c.URI] {
			seen[c.URI] = true
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Bounds.Min, out[j].Bounds.Min
		// Codes whose tops are within half a code of each other are on one line.
		if d := a.Y - b.Y; d > out[j].Bounds.Dy()/2 || -d > out[i].Bounds.Dy()/2 {
			return a.Y < b.Y
		}
		return a.X < b.X
	})
	return out
}

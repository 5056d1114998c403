package scan

import "image"

// Where a code can be. When the search of the shrunk picture finds no code
// (on a 4K screen, a code under ~2 pixels a module there: ~180 pixels
// wide or less), the full-resolution search would look at every pixel
// again. Before that, only the likely regions are searched at full
// resolution: the tiles of the shrunk picture that hold both dark and
// light pixels with hard edges between them, in both directions, as a
// code's modules make. Photos (soft edges, noise of a few levels), plain
// areas and most text are left out. If the regions yield no code the
// whole picture is searched at full resolution as before, so this only
// ever saves time; it costs one pass over the shrunk picture.

// regionTile is the side of a tile, in pixels of the shrunk picture.
const regionTile = 16

// regionsMax is the most regions searched one by one; a picture with more
// (a page of small icons) is searched whole.
const regionsMax = 64

// Levels of "dark" and "light", and what a tile must hold of each: a
// code's tile is roughly half dark, half light, with an edge from one to
// the other in most rows and columns.
const (
	regionDark  = 96
	regionLight = 160
)

// likelyRegions returns the rectangles of img's pixels (g is img's part
// from img.Bounds().Min shrunk by f) where a code may be, each grown by
// a tile on every side; nil if they would cover most of the picture, where
// searching them all is no saving.
func likelyRegions(g *gray, f int, bounds image.Rectangle) []image.Rectangle {
	tw, th := g.Width/regionTile, g.Height/regionTile
	if tw < 2 || th < 2 {
		return nil
	}
	hit := make([]bool, tw*th)
	for ty := range th {
		for tx := range tw {
			hit[ty*tw+tx] = codeLike(g, tx*regionTile, ty*regionTile)
		}
	}
	// Connected groups of hits (8-neighbours), as their bounding boxes in
	// tiles.
	var boxes []image.Rectangle
	seen := make([]bool, len(hit))
	var stack []int
	for i, h := range hit {
		if !h || seen[i] {
			continue
		}
		box := image.Rect(i%tw, i/tw, i%tw+1, i/tw+1)
		seen[i] = true
		stack = append(stack[:0], i)
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%tw, j/tw
			box = box.Union(image.Rect(x, y, x+1, y+1))
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= tw || ny >= th {
						continue
					}
					if k := ny*tw + nx; hit[k] && !seen[k] {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		boxes = append(boxes, box)
	}
	var out []image.Rectangle
	area := 0
	s := regionTile * f
	for _, b := range boxes {
		r := image.Rect((b.Min.X-1)*s, (b.Min.Y-1)*s, (b.Max.X+1)*s, (b.Max.Y+1)*s).Add(bounds.Min).Intersect(bounds)
		area += r.Dx() * r.Dy()
		out = append(out, r)
	}
	if area*2 > bounds.Dx()*bounds.Dy() || len(out) > regionsMax {
		return nil
	}
	return out
}

// codeLike reports whether the tile of g at (x0, y0) looks like part of a
// code: at least a sixth of it dark and a sixth light, and hard edges
// (dark to light, or back, from one pixel to the next but one) in at least
// a quarter of its rows and a quarter of its columns.
func codeLike(g *gray, x0, y0 int) bool {
	w := g.Width
	dark, light := 0, 0
	rows, cols := 0, 0
	for y := y0; y < y0+regionTile; y++ {
		row := g.pix[y*w+x0 : y*w+x0+regionTile]
		edge := false
		for i, v := range row {
			switch {
			case v <= regionDark:
				dark++
			case v >= regionLight:
				light++
			}
			if i >= 2 && hard(row[i-2], v) {
				edge = true
			}
		}
		if edge {
			rows++
		}
	}
	n := regionTile * regionTile
	if dark*6 < n || light*6 < n || rows*4 < regionTile {
		return false
	}
	for x := x0; x < x0+regionTile; x++ {
		for y := y0 + 2; y < y0+regionTile; y++ {
			if hard(g.pix[(y-2)*w+x], g.pix[y*w+x]) {
				cols++
				break
			}
		}
	}
	return cols*4 >= regionTile
}

// hard reports whether a and b are one dark, the other light.
func hard(a, b byte) bool {
	return (a <= regionDark && b >= regionLight) || (a >= regionLight && b <= regionDark)
}

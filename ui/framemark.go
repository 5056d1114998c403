package ui

import (
	"image"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/cityadmin/softtoken/internal/trace"
)

// frameMark tells the start's trace when a frame is painted: a raster of
// one transparent pixel on top of the window, whose image Fyne's painter
// asks for while it draws the first frame after a Refresh. It is in the window
// with SOFTTOKEN_TRACE=1 only.
type frameMark struct {
	raster *canvas.Raster
	obj    fyne.CanvasObject // what goes into the window
	mu     sync.Mutex
	phase  string // marked at the next frame, then cleared
}

func newFrameMark() *frameMark {
	m := &frameMark{}
	m.raster = canvas.NewRaster(func(int, int) image.Image {
		m.mu.Lock()
		if m.phase != "" {
			trace.Mark(m.phase)
			m.phase = ""
		}
		m.mu.Unlock()
		return image.NewNRGBA(image.Rect(0, 0, 1, 1)) // transparent
	})
	m.raster.Resize(fyne.NewSquareSize(1))
	m.obj = container.NewWithoutLayout(m.raster) // keeps the raster at one pixel
	return m
}

// next marks phase when the next frame is painted. A nil mark (no trace)
// does nothing. Event goroutine.
func (m *frameMark) next(phase string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.phase = phase
	m.mu.Unlock()
	m.raster.Refresh()
}

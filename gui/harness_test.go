// Package gui drives the real softtoken window as a person does: the built
// program under X with a window manager (openbox), a private keyring, the
// mouse and keyboard through xdotool, the clipboard through xclip, and
// what the window shows read back from screenshots by OCR (tesseract) or
// pixel checks. The headless Fyne tests of ui/ stay; these find what they
// cannot: the real driver, focus, dialogs, the clipboard of X.
//
// The tests run only with SOFTTOKEN_REALWIN=1 (make realwin sets it, under
// scripts/with-services.sh for the keyring and the display); a missing
// tool is then a failure under SOFTTOKEN_REQUIRE_TOOLS=1, a skip
// otherwise. One window at a time: the tests share the display and its
// focus, so none of them is parallel.
package gui

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"golang.org/x/image/draw"
)

// env is what TestMain set up for every test: the built program, the
// window manager, a shared font cache.
type env struct {
	tmp   string // removed at the end
	bin   string // the softtoken built once
	cache string // XDG_CACHE_HOME shared by all starts: Fyne's font index
	shots string // screenshots, one folder per test
}

var (
	h *env
	// unavailable says why the suite does not run, when h is nil.
	unavailable = "the real-window tests run with SOFTTOKEN_REALWIN=1 (make realwin)"
)

// Tools every test needs (chromium only the scan test: checked there).
var tools = []string{"xdotool", "xclip", "import", "tesseract", "openbox", "xprop", "xwininfo"}

func TestMain(m *testing.M) {
	if os.Getenv("SOFTTOKEN_REALWIN") != "1" {
		os.Exit(m.Run())
	}
	var stop func()
	var err error
	h, stop, err = setup()
	if err != nil {
		h = nil
		unavailable = err.Error()
		if os.Getenv("SOFTTOKEN_REQUIRE_TOOLS") == "1" {
			fmt.Fprintln(os.Stderr, "gui:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

func setup() (*env, func(), error) {
	for _, c := range tools {
		if _, err := exec.LookPath(c); err != nil {
			return nil, nil, fmt.Errorf("%s is missing (scripts/deps.sh test installs it)", c)
		}
	}
	if out, _ := exec.Command("tesseract", "--list-langs").Output(); !bytes.Contains(out, []byte("\neng")) || !bytes.Contains(out, []byte("\ndeu")) {
		return nil, nil, fmt.Errorf("tesseract has no English or German model (tesseract-ocr-eng, tesseract-ocr-deu)")
	}
	if os.Getenv("DISPLAY") == "" || os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return nil, nil, fmt.Errorf("no display or session bus: run through scripts/with-services.sh")
	}
	tmp, err := os.MkdirTemp("", "softtoken-gui.")
	if err != nil {
		return nil, nil, err
	}
	e := &env{tmp: tmp, bin: filepath.Join(tmp, "softtoken"), cache: filepath.Join(tmp, "cache")}
	e.shots = os.Getenv("SOFTTOKEN_SHOTS")
	if e.shots == "" {
		e.shots = filepath.Join(tmp, "shots")
	}
	fail := func(err error) (*env, func(), error) { os.RemoveAll(tmp); return nil, nil, err }
	if err := os.MkdirAll(e.cache, 0o700); err != nil {
		return fail(err)
	}
	// Trusting the test key, as make's builds do: a test signs a profile
	// with it (launcher/testdata/test-signing.key).
	build := exec.Command("go", "build", "-tags", "no_emoji", "-ldflags",
		"-X github.com/cityadmin/softtoken/launcher.TrustedKeys=softtoken-test:/4RTQMitqwLzHKysYpKH7aXQ5vj3Bq4TqloqurQ6O+Y=", "-o", e.bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		return fail(fmt.Errorf("build softtoken: %v\n%s", err, out))
	}
	// The window manager: openbox, as a desktop has one. Without it no
	// window has a frame, focus follows nothing and "minimise" does not
	// exist.
	wm := exec.Command("openbox", "--sm-disable")
	wm.Env = append(os.Environ(), "XDG_CONFIG_HOME="+filepath.Join(tmp, "wm"))
	if err := wm.Start(); err != nil {
		return fail(fmt.Errorf("start openbox: %w", err))
	}
	stop := func() {
		wm.Process.Signal(syscall.SIGTERM)
		wm.Wait()
		os.RemoveAll(tmp)
	}
	ok := poll(10*time.Second, func() bool {
		out, _ := exec.Command("xprop", "-root", "_NET_SUPPORTING_WM_CHECK").Output()
		return bytes.Contains(out, []byte("window id"))
	})
	if !ok {
		stop()
		return nil, nil, fmt.Errorf("openbox did not take over the display in 10 s")
	}
	return e, stop, nil
}

// poll calls cond every 100 ms until it holds or d has passed.
func poll(d time.Duration, cond func() bool) bool {
	end := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// opts say how a test starts the program.
type opts struct {
	links []string          // enrolled with `softtoken add -` before the start
	prefs map[string]any    // Fyne preferences of the app
	args  []string          // the window's command line
	lang  string            // LANG; en_US.UTF-8 by default
	env   map[string]string // more of the environment
}

// win is one started softtoken and its window.
type win struct {
	t       *testing.T
	dir     string // the test's HOME-like folder
	shots   string
	env     []string
	cmd     *exec.Cmd
	exited  chan struct{}
	log     *bytes.Buffer
	id      string // the X window
	n       int    // screenshots taken
	x, y    int    // where the window is on the screen
	w, hgt  int
	last    []word // what the last OCR read
	ocrLang string // tesseract's model: eng, or deu for a German window
}

const appID = "de.stadtverwaltung.softtoken"

// start enrolls o.links, starts softtoken and waits for its window.
func start(t *testing.T, o opts) *win {
	t.Helper()
	w := prepare(t, o)
	w.run(o.args...)
	return w
}

// prepare makes the test's folders, preferences and accounts; run starts.
func prepare(t *testing.T, o opts) *win {
	t.Helper()
	if h == nil {
		t.Skip(unavailable)
	}
	dir := t.TempDir()
	w := &win{t: t, dir: dir, shots: filepath.Join(h.shots, t.Name()), ocrLang: "eng"}
	if strings.HasPrefix(o.lang, "de") || o.prefs["language"] == "de" {
		w.ocrLang = "deu"
	}
	os.RemoveAll(w.shots)
	if err := os.MkdirAll(w.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"config", "data", "run", "home"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	lang := o.lang
	if lang == "" {
		lang = "en_US.UTF-8"
	}
	w.env = append(os.Environ(),
		"HOME="+filepath.Join(dir, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_RUNTIME_DIR="+filepath.Join(dir, "run"),
		"XDG_CACHE_HOME="+h.cache,
		"LANG="+lang, "LC_ALL=", "LANGUAGE=",
	)
	for k, v := range o.env {
		w.env = append(w.env, k+"="+v)
	}
	if o.prefs != nil {
		p := filepath.Join(dir, "config", "fyne", appID)
		b, _ := json.Marshal(o.prefs)
		if err := os.MkdirAll(p, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "preferences.json"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range o.links { // add - takes one link
		w.cli(l+"\n", "add", "-")
	}
	return w
}

// cli runs a softtoken command in the test's folders with stdin, and
// returns its standard output.
func (w *win) cli(stdin string, args ...string) string {
	w.t.Helper()
	c := exec.Command(h.bin, args...)
	c.Env = w.env
	c.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := c.Run(); err != nil {
		w.t.Fatalf("softtoken %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// run starts the window with args and waits until it is on the screen.
func (w *win) run(args ...string) {
	t := w.t
	t.Helper()
	w.cmd = exec.Command(h.bin, args...)
	w.cmd.Env = w.env
	w.log = &bytes.Buffer{}
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	w.exited = make(chan struct{})
	go func() { w.cmd.Wait(); close(w.exited) }()
	t.Cleanup(w.stop)
	if !poll(30*time.Second, func() bool {
		if w.gone() {
			return true
		}
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(w.cmd.Process.Pid), "--name", "^softtoken$").Output()
		f := strings.Fields(string(out))
		if len(f) > 0 {
			w.id = f[0]
			return true
		}
		return false
	}) || w.gone() {
		w.fatalf("no softtoken window appeared in 30 s")
	}
	w.focus()
	w.geometry()
	t.Logf("window %s after %v", w.id, time.Since(t0).Round(time.Millisecond))
}

// pid is the window's process.
func (w *win) pid() int { return w.cmd.Process.Pid }

// gone reports whether the program has exited.
func (w *win) gone() bool {
	select {
	case <-w.exited:
		return true
	default:
		return false
	}
}

// stop ends the program and keeps a last screenshot if the test failed.
func (w *win) stop() {
	if w.t.Failed() && !w.gone() && w.id != "" {
		w.shot("failed")
	}
	if !w.gone() {
		w.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-w.exited:
		case <-time.After(5 * time.Second):
			w.cmd.Process.Kill()
			<-w.exited
		}
	}
	if w.t.Failed() {
		w.t.Logf("softtoken's output:\n%s", tail(w.log.String(), 4000))
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// fatalf ends the test with a screenshot, the program's output and, if it
// died, how.
func (w *win) fatalf(format string, args ...any) {
	w.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if w.gone() {
		msg += fmt.Sprintf("\nsofttoken exited (%v); its output:\n%s", w.cmd.ProcessState, tail(w.log.String(), 4000))
	} else if w.id != "" { // without a window, xwininfo -id "" would wait for a click
		msg += "\nscreenshot: " + w.shot("fatal")
	}
	w.t.Fatal(msg)
}

// xdo runs xdotool with args.
func (w *win) xdo(args ...string) string {
	w.t.Helper()
	out, err := exec.Command("xdotool", args...).CombinedOutput()
	if err != nil {
		w.fatalf("xdotool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// focus brings the window to the front and gives it the keyboard.
func (w *win) focus() {
	w.t.Helper()
	if !poll(10*time.Second, func() bool {
		exec.Command("xdotool", "windowactivate", w.id).Run()
		out, _ := exec.Command("xdotool", "getactivewindow").Output()
		return strings.TrimSpace(string(out)) == w.id
	}) {
		w.fatalf("the window did not take the focus")
	}
}

// geometry reads where the window is.
func (w *win) geometry() {
	w.t.Helper()
	// xwininfo, not xdotool: under a reparenting window manager xdotool
	// reports the frame's corner, xwininfo the client's own.
	out, err := exec.Command("xwininfo", "-id", w.id).Output()
	if err != nil {
		w.fatalf("xwininfo: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(l), ":")
		n, _ := strconv.Atoi(strings.TrimSpace(v))
		switch k {
		case "Absolute upper-left X":
			w.x = n
		case "Absolute upper-left Y":
			w.y = n
		case "Width":
			w.w = n
		case "Height":
			w.hgt = n
		}
	}
}

// screen is a screenshot of the whole display.
func screen(t *testing.T) image.Image {
	t.Helper()
	out, err := exec.Command("import", "-silent", "-window", "root", "png:-").Output()
	if err != nil {
		t.Fatalf("import -window root: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	return img
}

// capture is the window's part of a screenshot of the display.
func (w *win) capture() image.Image {
	w.t.Helper()
	w.geometry()
	img := screen(w.t)
	r := image.Rect(w.x, w.y, w.x+w.w, w.y+w.hgt).Intersect(img.Bounds())
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// shot saves a screenshot of the window under name in the test's folder
// and returns its path.
func (w *win) shot(name string) string {
	w.n++
	p := filepath.Join(w.shots, fmt.Sprintf("%02d-%s.png", w.n, name))
	if err := savePNG(p, w.capture()); err != nil {
		w.t.Errorf("save %s: %v", p, err)
	}
	return p
}

func savePNG(p string, img image.Image) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A word tesseract read, its box in screen pixels.
type word struct {
	text       string
	line       string // block.paragraph.line
	x, y, w, h int
}

// The window's picture is enlarged by ocrNum/ocrDen for tesseract, which
// misreads some of the window's 14 px text at its size; more costs more
// time than it gains.
const ocrNum, ocrDen = 3, 2

// ocr reads the words of the window.
func (w *win) ocr() []word {
	w.t.Helper()
	img := w.capture()
	return ocrImage(w.t, img, w.dir, w.ocrLang)
}

// ocrImage reads the words of img with tesseract's model of lang ("eng",
// "deu"): one model, not both, halves the time of a read.
func ocrImage(t *testing.T, img image.Image, dir, lang string) []word {
	t.Helper()
	b := img.Bounds()
	big := image.NewGray(image.Rect(0, 0, b.Dx()*ocrNum/ocrDen, b.Dy()*ocrNum/ocrDen))
	draw.CatmullRom.Scale(big, big.Bounds(), ink(img), b, draw.Src, nil)
	p := filepath.Join(dir, "ocr.png")
	if err := savePNG(p, big); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, "tesseract", p, "stdout", "-l", lang, "--psm", "11", "tsv")
	// One thread: its OpenMP threads only fight over a loaded machine's
	// cores (twice the time of one thread, measured here).
	c.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := c.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	var words []word
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" || strings.TrimSpace(f[11]) == "" {
			continue
		}
		n := func(i int) int { v, _ := strconv.Atoi(f[i]); return v }
		words = append(words, word{
			text: f[11], line: f[2] + "." + f[3] + "." + f[4],
			x: b.Min.X + n(6)*ocrDen/ocrNum, y: b.Min.Y + n(7)*ocrDen/ocrNum, w: n(8) * ocrDen / ocrNum, h: n(9) * ocrDen / ocrNum,
		})
	}
	return words
}

// ink is img in grey, text dark on light, as tesseract reads best: the
// darkest channel of each pixel, so that white text on a blue button
// stands out as well as white text on grey; turned over when most of it
// is dark (the dark theme).
func ink(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(b)
	var sum int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, gr, bl, _ := img.At(x, y).RGBA()
			v := uint8(min(r, gr, bl) >> 8)
			g.Pix[g.PixOffset(x, y)] = v
			sum += int(v)
		}
	}
	if n := b.Dx() * b.Dy(); n > 0 && sum/n < 128 {
		for i := range g.Pix {
			g.Pix[i] = 255 - g.Pix[i]
		}
	}
	return g
}

// norm is a word as compared: lower case, without punctuation around it.
func norm(s string) string {
	s = strings.ToLower(s)
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// like reports whether the read word a is the wanted b, allowing one
// misread letter in words of five letters or more.
func like(a, b string) bool {
	a, b = norm(a), norm(b)
	if a == b {
		return true
	}
	if len([]rune(b)) < 5 {
		return false
	}
	return distance(a, b) <= 1
}

func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := 1
			if ra[i-1] == rb[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// find looks for phrase (words in a row, as read) among words and returns
// its box: the first one, in reading order.
func find(words []word, phrase string) (image.Rectangle, bool) {
	all := findAll(words, phrase)
	if len(all) == 0 {
		return image.Rectangle{}, false
	}
	return all[0], true
}

// findAll returns the boxes of every place phrase is read, in reading
// order; those of the same case as phrase first ("Save" is the button,
// not the heading's "save").
func findAll(words []word, phrase string) []image.Rectangle {
	var want []string
	for _, x := range strings.Fields(phrase) {
		if norm(x) != "" {
			want = append(want, x)
		}
	}
	if len(want) == 0 {
		return nil
	}
	// Words in reading order, punctuation-only ones dropped: psm 11 puts
	// every word on its own line, so a phrase is words that follow each
	// other on the same baseline.
	var ws []word
	for _, x := range words {
		if norm(x.text) != "" {
			ws = append(ws, x)
		}
	}
	same := func(a, b string) bool { return strings.TrimFunc(a, isPunct) == strings.TrimFunc(b, isPunct) }
	out := findIn(ws, want, same)
	for _, r := range findIn(ws, want, like) {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func isPunct(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func findIn(ws []word, want []string, like func(a, b string) bool) []image.Rectangle {
	var out []image.Rectangle
	for i := range ws {
		r := image.Rect(ws[i].x, ws[i].y, ws[i].x+ws[i].w, ws[i].y+ws[i].h)
		ok := true
		for j, x := range want {
			k := i + j
			if k >= len(ws) || !like(ws[k].text, x) {
				ok = false
				break
			}
			if j > 0 {
				prev := ws[k-1]
				if abs((ws[k].y+ws[k].h)-(prev.y+prev.h)) > 6 || ws[k].x < prev.x {
					ok = false
					break
				}
			}
			r = r.Union(image.Rect(ws[k].x, ws[k].y, ws[k].x+ws[k].w, ws[k].y+ws[k].h))
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func text(words []word) string {
	var b strings.Builder
	for _, x := range words {
		b.WriteString(x.text)
		b.WriteByte(' ')
	}
	return b.String()
}

// ocrWait is how long a test waits for a text to show.
const ocrWait = 20 * time.Second

// wait waits until the window shows phrase and returns where.
func (w *win) wait(phrase string) image.Rectangle {
	w.t.Helper()
	r, ok := w.waitAny(ocrWait, phrase)
	if !ok {
		w.fatalf("the window does not show %q in %v; it shows: %s", phrase, ocrWait, text(w.last))
	}
	return r[phrase]
}

// waitAny waits up to d until the window shows one of phrases; it returns
// the boxes of those shown.
func (w *win) waitAny(d time.Duration, phrases ...string) (map[string]image.Rectangle, bool) {
	w.t.Helper()
	got := map[string]image.Rectangle{}
	t0, n := time.Now(), 0
	defer func() {
		w.t.Logf("wait %q: %v, %d reads", phrases, time.Since(t0).Round(time.Millisecond), n)
	}()
	poll(d, func() bool {
		n++
		if w.gone() {
			return true
		}
		w.last = w.ocr()
		for _, p := range phrases {
			if r, ok := find(w.last, p); ok {
				got[p] = r
			}
		}
		return len(got) > 0
	})
	if w.gone() {
		w.fatalf("softtoken died while the test waited for %q", phrases)
	}
	return got, len(got) > 0
}

// waitGone waits until the window no longer shows phrase.
func (w *win) waitGone(phrase string) {
	w.t.Helper()
	if !poll(ocrWait, func() bool {
		if w.gone() {
			return true
		}
		w.last = w.ocr()
		_, ok := find(w.last, phrase)
		return !ok
	}) || w.gone() {
		w.fatalf("the window still shows %q after %v", phrase, ocrWait)
	}
}

// shows reports whether the window shows phrase now.
func (w *win) shows(phrase string) bool {
	w.t.Helper()
	w.last = w.ocr()
	_, ok := find(w.last, phrase)
	return ok
}

// click clicks at the middle of r, a box in screen pixels.
func (w *win) clickAt(x, y int) {
	w.t.Helper()
	w.xdo("mousemove", "--sync", strconv.Itoa(x), strconv.Itoa(y))
	time.Sleep(50 * time.Millisecond) // let the driver see the pointer over the widget
	w.xdo("click", "1")
}

// click waits for phrase and clicks on it.
func (w *win) click(phrase string) {
	w.t.Helper()
	r := w.wait(phrase)
	w.clickAt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
}

// clickLast waits for phrase and clicks on the last place it shows, the
// lowest: a dialog's button below a title of the same word.
func (w *win) clickLast(phrase string) {
	w.t.Helper()
	w.wait(phrase)
	all := findAll(w.last, phrase)
	r := all[0]
	for _, x := range all {
		if x.Min.Y > r.Min.Y {
			r = x
		}
	}
	w.clickAt((r.Min.X+r.Max.X)/2, (r.Min.Y+r.Max.Y)/2)
}

// typ types s into whatever has the keyboard focus.
func (w *win) typ(s string) {
	w.t.Helper()
	w.xdo("type", "--delay", "15", s)
}

// key presses keys, e.g. "ctrl+v", "Return".
func (w *win) key(keys ...string) {
	w.t.Helper()
	w.xdo(append([]string{"key", "--delay", "40"}, keys...)...)
}

// clipboard is what the CLIPBOARD selection holds ("" for none).
func clipboard() string {
	out, err := exec.Command("xclip", "-selection", "clipboard", "-o").Output()
	if err != nil {
		return ""
	}
	return string(out)
}

// setClipboard puts s on the CLIPBOARD selection, served by an xclip that
// runs until another program takes the selection or the test ends.
func (w *win) setClipboard(s string) {
	w.t.Helper()
	c := exec.Command("xclip", "-selection", "clipboard", "-i", "-quiet")
	c.Stdin = strings.NewReader(s)
	if err := c.Start(); err != nil {
		w.fatalf("xclip: %v", err)
	}
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	w.t.Cleanup(func() {
		c.Process.Kill()
		<-done
	})
	if !poll(5*time.Second, func() bool { return clipboard() == s }) {
		w.fatalf("xclip did not take the clipboard")
	}
}

// home is the program's HOME, where the file dialog starts.
func (w *win) home() string { return filepath.Join(w.dir, "home") }

// codes are the groups of digits the window shows, joined per line: the
// codes as read.
func codes(words []word) []string {
	var out []string
	cur, line := "", ""
	for _, x := range splitGroups(words) {
		if !digitsRe.MatchString(x.text) {
			if cur != "" {
				out = append(out, cur)
			}
			cur, line = "", ""
			continue
		}
		if cur != "" && x.line != line {
			out = append(out, cur)
			cur = ""
		}
		cur += x.text
		line = x.line
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

var digitsRe = regexp.MustCompile(`^\d{3,4}$`)

// splitGroups splits words such as "885.179", which tesseract reads now
// and then where a code's narrow space is, into their digit groups.
func splitGroups(words []word) []word {
	var out []word
	for _, x := range words {
		parts := strings.FieldsFunc(x.text, func(r rune) bool { return r == '.' || r == ',' || r == '·' })
		if len(parts) < 2 || !slices.ContainsFunc(parts, digitsRe.MatchString) {
			out = append(out, x)
			continue
		}
		ok := true
		for _, p := range parts {
			ok = ok && digitsRe.MatchString(p)
		}
		if !ok {
			out = append(out, x)
			continue
		}
		for _, p := range parts {
			y := x
			y.text = p
			out = append(out, y)
		}
	}
	return out
}

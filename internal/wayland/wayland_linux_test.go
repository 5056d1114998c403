//go:build waylandtest

package wayland

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/url"
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

	qrcode "github.com/skip2/go-qrcode"

	"github.com/cityadmin/softtoken/scan"
	"github.com/cityadmin/softtoken/token"
)

// The desktop's environment, as scripts/with-wayland.sh sets it.
var (
	work   = os.Getenv("SOFTTOKEN_WAYLAND_WORK")
	logDir = os.Getenv("SOFTTOKEN_WAYLAND_LOG")
	// softtoken is the program under test, built as it ships; page is
	// docs/examples/enroll.html. Both are copied to work by TestMain.
	softtoken = filepath.Join(work, "softtoken")
	page      = filepath.Join(work, "enroll.html")
)

// TestMain runs twice: go test starts it as root under with-wayland.sh; it
// copies the program, the example page and itself to where the desktop's
// user can read them and runs itself again as that user, whose desktop
// (and session bus, which lets no one else in) it is.
func TestMain(m *testing.M) {
	if os.Getenv("SOFTTOKEN_WAYLAND_UID") == "" {
		fmt.Fprintln(os.Stderr, "no Wayland desktop: run these tests through scripts/with-wayland.sh (make test-wayland)")
		os.Exit(1)
	}
	if os.Getuid() == 0 {
		os.Exit(asDesktopUser())
	}
	os.Exit(m.Run())
}

func asDesktopUser() int {
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "wayland tests:", err); return 1 }
	uid, err1 := strconv.Atoi(os.Getenv("SOFTTOKEN_WAYLAND_UID"))
	gid, err2 := strconv.Atoi(os.Getenv("SOFTTOKEN_WAYLAND_GID"))
	if err := errors.Join(err1, err2); err != nil || work == "" {
		return fail(fmt.Errorf("the desktop's user or work folder is not set: %v", err))
	}
	// The program as make builds it (SOFTTOKEN_BIN: the packaged one), or
	// built here with the same tags.
	if bin := os.Getenv("SOFTTOKEN_BIN"); bin != "" {
		if err := copyFile(bin, softtoken, 0o755); err != nil {
			return fail(err)
		}
	} else {
		tags := os.Getenv("SOFTTOKEN_TAGS")
		if tags == "" {
			tags = "no_emoji"
		}
		build := exec.Command("go", "build", "-trimpath", "-tags", tags, "-o", softtoken, "github.com/cityadmin/softtoken")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return fail(fmt.Errorf("build softtoken: %v", err))
		}
	}
	self, err := os.Executable()
	if err != nil {
		return fail(err)
	}
	test := filepath.Join(work, "wayland.test")
	if err := errors.Join(copyFile(self, test, 0o755), copyFile("../../docs/examples/enroll.html", page, 0o644)); err != nil {
		return fail(err)
	}
	var args []string
	for _, a := range os.Args[1:] {
		// Files go test wants written as root: not the user's to write.
		if !strings.HasPrefix(a, "-test.testlogfile") && !strings.HasPrefix(a, "-test.gocoverdir") {
			args = append(args, a)
		}
	}
	home := os.Getenv("SOFTTOKEN_WAYLAND_HOME")
	cmd := exec.Command(test, args...)
	cmd.Dir = work
	cmd.Env = append(environ("HOME", "TMPDIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "USER", "LOGNAME"),
		"HOME="+home, "TMPDIR="+home, "XDG_CONFIG_HOME="+home+"/.config", "XDG_DATA_HOME="+home+"/.local/share",
		"XDG_CACHE_HOME="+home+"/.cache", "XDG_CURRENT_DESKTOP=sway:GNOME", "XDG_SESSION_TYPE=wayland")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}}
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		return fail(err)
	}
	return 0
}

func copyFile(from, to string, mode os.FileMode) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, mode)
}

// environ is os.Environ without the variables named.
func environ(drop ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, name) {
			env = append(env, kv)
		}
	}
	return env
}

// desktop fails t unless it runs on the desktop with-wayland.sh made, its
// portal as want says: "1" (it runs), "0" (none, --no-portal) or "fails"
// (--screenshot-fails).
func desktop(t *testing.T, want string) {
	t.Helper()
	if got := os.Getenv("SOFTTOKEN_WAYLAND_PORTAL"); got != want {
		t.Fatalf("SOFTTOKEN_WAYLAND_PORTAL=%q, this test wants %q (make test-wayland runs each test where it belongs)", got, want)
	}
	if os.Getenv("WAYLAND_DISPLAY") == "" || os.Getenv("DISPLAY") != "" {
		t.Fatalf("WAYLAND_DISPLAY=%q DISPLAY=%q: not a Wayland-only session", os.Getenv("WAYLAND_DISPLAY"), os.Getenv("DISPLAY"))
	}
	t.Cleanup(func() {
		if t.Failed() {
			logs(t)
		}
	})
}

// logs prints the end of each daemon's output, to see why a test failed.
func logs(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(logDir, "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if len(data) > 3000 {
			data = data[len(data)-3000:]
		}
		t.Logf("--- %s:\n%s", filepath.Base(f), data)
	}
}

// until polls f every 200 ms until it returns nil or limit passes, and
// returns f's last error then.
func until(limit time.Duration, f func() error) error {
	deadline := time.Now().Add(limit)
	for {
		err := f()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// start starts a program on the desktop, in a process group of its own,
// killed with all its children when t ends; its output goes to the log.
func start(t *testing.T, env []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
		if t.Failed() {
			t.Logf("--- output of %s:\n%s", filepath.Base(name), tail(out.String(), 3000))
		}
	})
	return cmd
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// chromium shows the page at u in a real Chromium, as a native Wayland
// window, and waits until grim sees on the screen the QR code that holds
// want.
func chromium(t *testing.T, u, want string) {
	t.Helper()
	exe, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal(err)
	}
	cmd := start(t, os.Environ(), exe, "--ozone-platform=wayland", "--no-sandbox", "--user-data-dir="+t.TempDir(),
		"--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
		"--disable-sync", "--password-store=basic", "--force-device-scale-factor=1", "--app="+u)
	err = until(90*time.Second, func() error {
		codes, err := scan.Decode(bytes.NewReader(grim(t, "")))
		if err != nil {
			return err
		}
		for _, c := range codes {
			if c.URI == want {
				return nil
			}
		}
		return fmt.Errorf("the screen shows %d codes, not the page's", len(codes))
	})
	if err != nil {
		t.Fatalf("Chromium's page did not show on the screen: %v", err)
	}
	n := window(t, func(n node) bool { return n.PID == cmd.Process.Pid })
	if n.Shell != "xdg_shell" {
		t.Errorf("Chromium's window is a %q one, not a native Wayland one", n.Shell)
	}
}

// qrPage writes an HTML page showing link as a QR code and returns its
// file:// URL.
func qrPage(t *testing.T, link string) string {
	t.Helper()
	pic, err := qrcode.Encode(link, qrcode.Medium, 320)
	if err != nil {
		t.Fatal(err)
	}
	html := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Enrollment</title></head>
<body style="background:#fff;margin:2em"><p>Scan this code with softtoken.</p>
<img style="image-rendering:pixelated;width:320px;height:320px" src="data:image/png;base64,` +
		base64.StdEncoding.EncodeToString(pic) + `"></body></html>`
	file := filepath.Join(t.TempDir(), "page.html")
	if err := os.WriteFile(file, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	return (&url.URL{Scheme: "file", Path: file}).String()
}

// grim takes a PNG of the desktop, or of the area "X,Y WxH", with grim
// (the compositor's wlr-screencopy, not the portal).
func grim(t *testing.T, area string) []byte {
	t.Helper()
	args := []string{"-l", "0"}
	if area != "" {
		args = append(args, "-g", area)
	}
	out, err := exec.Command("grim", append(args, "-")...).Output()
	if err != nil {
		t.Fatalf("grim: %v", err)
	}
	return out
}

// node is a window (or container) of sway's tree.
type node struct {
	Name    string `json:"name"`
	AppID   string `json:"app_id"`
	PID     int    `json:"pid"`
	Shell   string `json:"shell"`
	Visible bool   `json:"visible"`
	Rect    struct {
		X, Y, Width, Height int
	} `json:"rect"`
	Nodes         []node `json:"nodes"`
	FloatingNodes []node `json:"floating_nodes"`
}

func (n node) area() string {
	return fmt.Sprintf("%d,%d %dx%d", n.Rect.X, n.Rect.Y, n.Rect.Width, n.Rect.Height)
}

// window waits until sway shows a window that match accepts.
func window(t *testing.T, match func(node) bool) node {
	t.Helper()
	var found node
	var seen []string
	var walk func(n node) bool
	walk = func(n node) bool {
		if n.PID != 0 {
			seen = append(seen, fmt.Sprintf("%q (app_id %q, pid %d, %s)", n.Name, n.AppID, n.PID, n.Shell))
			if match(n) {
				found = n
				return true
			}
		}
		for _, c := range append(n.Nodes, n.FloatingNodes...) {
			if walk(c) {
				return true
			}
		}
		return false
	}
	err := until(30*time.Second, func() error {
		out, err := exec.Command("swaymsg", "-r", "-t", "get_tree").Output()
		if err != nil {
			return fmt.Errorf("swaymsg: %v", err)
		}
		var root node
		if err := json.Unmarshal(out, &root); err != nil {
			return err
		}
		seen = nil
		if !walk(root) {
			return fmt.Errorf("no such window among %v", seen)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("window: %v", err)
	}
	return found
}

// userEnv is the environment softtoken runs in: the desktop's, with a
// config folder of the test's own (the secrets go to the desktop's
// keyring).
func userEnv(t *testing.T) []string {
	dir := t.TempDir()
	return append(environ("XDG_CONFIG_HOME", "HOME", "DISPLAY"), "HOME="+dir, "XDG_CONFIG_HOME="+dir+"/config", "LANG=C.UTF-8")
}

func run(t *testing.T, env []string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, softtoken, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// newLink is an enrollment link with a fresh secret, so that what is
// found on the screen can only have come from this run.
func newLink(t *testing.T, name string) (string, token.Account) {
	t.Helper()
	key := make([]byte, 20)
	rand.Read(key)
	link := "otpauth://totp/Wayland:" + name + "?secret=" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key) + "&issuer=Wayland"
	acc, err := token.ParseURI(link)
	if err != nil {
		t.Fatal(err)
	}
	return link, acc
}

// codesAround is the account's codes from a period before now to one
// after: what a screen or a program may show while a test looks.
func codesAround(t *testing.T, acc token.Account, now time.Time) []string {
	var codes []string
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := token.Code(acc, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, c)
	}
	return codes
}

// exampleLink is the link docs/examples/enroll.html shows as a QR code.
const exampleLink = "otpauth://totp/Stadt%20Musterstadt:m.mustermann?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadt%20Musterstadt&algorithm=SHA1&digits=6&period=30"

// TestDesktopPortal: the package's own capturer on a Wayland session is
// the portal, and through the real xdg-desktop-portal (and its wlr
// backend) it finds the QR code of the example enrollment page in a real
// Chromium, and leaves no screenshot behind.
func TestDesktopPortal(t *testing.T) {
	desktop(t, "1")
	chromium(t, (&url.URL{Scheme: "file", Path: page}).String(), exampleLink)
	c := scan.DefaultCapturer()
	if _, ok := c.(scan.Portal); !ok {
		t.Fatalf("DefaultCapturer on Wayland = %T, want scan.Portal", c)
	}
	before := pictures(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	shots, err := c.Capture(ctx)
	if err != nil {
		t.Fatalf("Capture: %v", err)
	}
	if len(shots) != 1 || shots[0].Bounds().Dx() != 1920 || shots[0].Bounds().Dy() != 1080 {
		t.Errorf("the portal's picture: %d pictures, the first %v; want the one 1920x1080 output", len(shots), shots[0].Bounds())
	}
	codes, err := scan.Screen(ctx, c)
	if err != nil {
		t.Fatalf("Screen: %v", err)
	}
	if len(codes) != 1 || codes[0].URI != exampleLink {
		t.Fatalf("Screen found %d codes, want the example page's", len(codes))
	}
	// xdg-desktop-portal-wlr writes to /tmp/out.png (the run's own /tmp).
	if after := pictures(t); !slices.Equal(before, after) || slices.Contains(after, "/tmp/out.png") {
		t.Errorf("the screenshot (it shows the secret) stayed on disk: %v", after)
	}
}

// pictures lists the files where the portal may leave screenshots.
func pictures(t *testing.T) []string {
	var files []string
	for _, dir := range []string{filepath.Join(os.Getenv("HOME"), "Pictures"), os.Getenv("HOME"), "/tmp"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".png") {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	return files
}

// TestDesktopAddScreen: the real `softtoken add --screen`, as the desktop's
// user, enrolls the account whose QR code a real Chromium shows, through
// the real portal; the secret goes to the desktop's keyring and the codes
// are right.
func TestDesktopAddScreen(t *testing.T) {
	desktop(t, "1")
	link, acc := newLink(t, "screen")
	chromium(t, qrPage(t, link), link)
	env := userEnv(t)
	out, errOut, err := run(t, env, "", "add", "--screen")
	if err != nil {
		t.Fatalf("add --screen: %v\n%s%s", err, out, errOut)
	}
	if !strings.Contains(out, "Wayland") || !strings.Contains(out, "screen") {
		t.Errorf("add --screen said %q", out)
	}
	now := time.Now()
	out, errOut, err = run(t, env, "", "code", "Wayland", "--at", strconv.FormatInt(now.Unix(), 10))
	want, _ := token.Code(acc, now)
	if err != nil || strings.TrimSpace(out) != want {
		t.Fatalf("code = %q, %v (%s), want %s", out, err, errOut, want)
	}
	// The secret is in the desktop's keyring (the Secret Service on its
	// bus), under the account's id, as go-keyring keeps it.
	out, _, err = run(t, env, "", "list")
	id := regexp.MustCompile(`[0-9a-f]{32}`).FindString(out)
	if err != nil || id == "" {
		t.Fatalf("list: %q, %v", out, err)
	}
	secret, err := exec.Command("secret-tool", "lookup", "service", "softtoken", "username", id).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup: %v", err)
	}
	stored, err := token.ParseURI("otpauth://totp/x?secret=" + strings.TrimSpace(string(secret)))
	if err != nil || !bytes.Equal(stored.Secret, acc.Secret) {
		t.Errorf("the keyring does not hold the account's secret (%v)", err)
	}
}

// TestDesktopWindow: the window opens as a native Wayland window (sway's
// xdg_shell, no X server anywhere) and shows the account's code: grim takes
// the window's picture, tesseract reads it. Its Copy button puts the code
// on the Wayland clipboard.
func TestDesktopWindow(t *testing.T) {
	desktop(t, "1")
	link, acc := newLink(t, "window")
	env := userEnv(t)
	if out, errOut, err := run(t, env, link+"\n", "add", "-"); err != nil {
		t.Fatalf("add: %v\n%s%s", err, out, errOut)
	}
	p := newPointer(t)
	cmd := start(t, env, softtoken)
	w := window(t, func(n node) bool { return n.PID == cmd.Process.Pid })
	if w.Shell != "xdg_shell" {
		t.Fatalf("the window is a %q one, want xdg_shell (native Wayland)", w.Shell)
	}
	showsCode(t, cmd, acc, "window")

	// Copy puts the code on the Wayland clipboard; wl-paste reads it (over
	// wlr-data-control, as a clipboard manager does).
	clickWord(t, p, cmd, "copy")
	var got string
	err := until(20*time.Second, func() error {
		out, err := exec.Command("wl-paste", "--no-newline").CombinedOutput()
		got = string(out)
		if err != nil {
			return fmt.Errorf("wl-paste: %v: %s", err, out)
		}
		if !slices.Contains(codesAround(t, acc, time.Now()), got) {
			return errors.New("not the code")
		}
		return nil
	})
	if err != nil {
		t.Fatalf("the clipboard holds %q after Copy: %v", got, err)
	}
}

// clickWord clicks, with p, the word (as tesseract reads it, in any case)
// in the window of cmd.
func clickWord(t *testing.T, p *pointer, cmd *exec.Cmd, word string) {
	t.Helper()
	w := window(t, func(n node) bool { return n.PID == cmd.Process.Pid })
	c := exec.Command("tesseract", "stdin", "stdout", "--psm", "11", "tsv")
	c.Stdin = bytes.NewReader(grim(t, w.area()))
	out, err := c.Output()
	if err != nil {
		t.Fatalf("tesseract: %v", err)
	}
	// level page block par line word left top width height conf text
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < 12 || !strings.EqualFold(strings.TrimSpace(f[11]), word) {
			continue
		}
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(f[6+i])
		}
		p.click(t, w.Rect.X+n[0]+n[2]/2, w.Rect.Y+n[1]+n[3]/2)
		return
	}
	t.Fatalf("no %q in the window; tesseract read:\n%s", word, out)
}

// showsCode waits until the window of cmd shows one of acc's codes.
func showsCode(t *testing.T, cmd *exec.Cmd, acc token.Account, shot string) {
	t.Helper()
	digits := regexp.MustCompile(`\d{3} ?\d{3}`)
	text, err := readWindow(t, cmd, shot, func(text string) error {
		want := codesAround(t, acc, time.Now())
		for _, m := range digits.FindAllString(text, -1) {
			if slices.Contains(want, strings.ReplaceAll(m, " ", "")) {
				return nil
			}
		}
		return fmt.Errorf("none of the codes %v", want)
	})
	if err != nil {
		t.Fatalf("the window does not show the code: %v", err)
	}
	t.Logf("tesseract read in the window: %q", text)
}

// readWindow takes pictures of the window of cmd with grim and reads them
// with tesseract until ok accepts the text (60 s at most). The last
// picture goes to $SOFTTOKEN_WAYLAND_SHOTS/NAME.png where that is set.
func readWindow(t *testing.T, cmd *exec.Cmd, name string, ok func(text string) error) (string, error) {
	t.Helper()
	var shot []byte
	var text string
	err := until(60*time.Second, func() error {
		w := window(t, func(n node) bool { return n.PID == cmd.Process.Pid })
		shot = grim(t, w.area())
		var err error
		if text, err = ocr(t, shot); err != nil {
			return err
		}
		if err := ok(text); err != nil {
			return fmt.Errorf("tesseract read %q in the window at %s: %v", text, w.area(), err)
		}
		return nil
	})
	if dir := os.Getenv("SOFTTOKEN_WAYLAND_SHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644)
	}
	return text, err
}

// clickPrimary clicks, with p, the one button of the window of cmd that is
// drawn in the theme's primary colour (Fyne's high-importance button:
// Scan screen in the wizard, Save in the preview). tesseract cannot read
// white text on blue, so the button is found by its colour.
func clickPrimary(t *testing.T, p *pointer, cmd *exec.Cmd) {
	t.Helper()
	w := window(t, func(n node) bool { return n.PID == cmd.Process.Pid })
	img, err := png.Decode(bytes.NewReader(grim(t, w.area())))
	if err != nil {
		t.Fatal(err)
	}
	var box image.Rectangle
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8+80 < bl>>8 && g>>8+40 < bl>>8 {
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if box.Dx() < 20 || box.Dy() < 10 || box.Dx() > 400 || box.Dy() > 100 {
		t.Fatalf("no one blue button in the window: the blue is in %v", box)
	}
	p.click(t, w.Rect.X+(box.Min.X+box.Max.X)/2, w.Rect.Y+(box.Min.Y+box.Max.Y)/2)
}

// contains is an ok for readWindow: the text holds every one of words.
func contains(words ...string) func(string) error {
	return func(text string) error {
		// A sentence wraps where the window's width puts it: tesseract
		// gives a line break (or a paragraph) there.
		text = strings.Join(strings.Fields(text), " ")
		for _, w := range words {
			if !strings.Contains(text, w) {
				return fmt.Errorf("no %q", w)
			}
		}
		return nil
	}
}

// TestDesktopWindowScan: the window's "Scan screen" on Wayland: the first
// start's wizard, a click on Scan screen (a virtual pointer's), and the
// real portal's screenshot finds the QR code that Chromium shows; the preview
// names the account, Save stores it and the window shows its code.
func TestDesktopWindowScan(t *testing.T) {
	desktop(t, "1")
	link, acc := newLink(t, "scanwin")
	chromium(t, qrPage(t, link), link)
	env := userEnv(t)
	p := newPointer(t) // before the window, which then finds it on the seat
	cmd := start(t, env, softtoken)
	if _, err := readWindow(t, cmd, "wizard", contains("Add an account", "Open image")); err != nil {
		t.Fatalf("no wizard: %v", err)
	}
	clickPrimary(t, p, cmd) // Scan screen
	if _, err := readWindow(t, cmd, "preview", contains("Check and save", "Wayland", "scanwin")); err != nil {
		t.Fatalf("no preview of the scanned account: %v", err)
	}
	clickPrimary(t, p, cmd) // Save
	showsCode(t, cmd, acc, "scanned")
	if out, _, err := run(t, env, "", "list"); err != nil || !strings.Contains(out, "scanwin") {
		t.Errorf("list after Save: %q, %v", out, err)
	}
}

// ocr reads the text in a PNG with tesseract.
func ocr(t *testing.T, shot []byte) (string, error) {
	t.Helper()
	cmd := exec.Command("tesseract", "stdin", "stdout", "--psm", "11")
	cmd.Stdin = bytes.NewReader(shot)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("tesseract: %v: %s", err, errOut.String())
	}
	return out.String(), nil
}

// TestNoPortalAddScreen: on a Wayland desktop where no screenshot portal
// runs, `softtoken add --screen` cannot see the QR code that Chromium
// shows; it fails, adds nothing, and says what to do instead.
func TestNoPortalAddScreen(t *testing.T) {
	desktop(t, "0")
	link, _ := newLink(t, "noportal")
	chromium(t, qrPage(t, link), link)
	env := userEnv(t)
	out, errOut, err := run(t, env, "", "add", "--screen")
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("add --screen without a portal: %v\n%s%s", err, out, errOut)
	}
	t.Logf("add --screen says:\n%s", errOut)
	for _, want := range []string{"no screenshot portal", "--image FILE", "xdg-desktop-portal"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the message does not say %q:\n%s", want, errOut)
		}
	}
	if out, _, _ := run(t, env, "", "list"); regexp.MustCompile(`[0-9a-f]{32}`).MatchString(out) {
		t.Errorf("an account was added: %s", out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := scan.Screen(ctx, scan.DefaultCapturer()); !errors.Is(err, scan.ErrNoPortal) {
		t.Errorf("Screen without a portal: %v, want ErrNoPortal", err)
	}
}

// TestNoPortalWindowScan: the window's Scan screen on that desktop says
// what to do instead.
func TestNoPortalWindowScan(t *testing.T) {
	desktop(t, "0")
	p := newPointer(t)
	cmd := start(t, userEnv(t), softtoken)
	if _, err := readWindow(t, cmd, "noportal-wizard", contains("Add an account", "Open image")); err != nil {
		t.Fatalf("no wizard: %v", err)
	}
	clickPrimary(t, p, cmd) // Scan screen
	// ui/explain.go's text for scan.ErrNoPortal, as tesseract reads it.
	if _, err := readWindow(t, cmd, "noportal-message", contains("does not let softtoken take a screenshot", "choose Open image instead")); err != nil {
		t.Fatalf("no message: %v", err)
	}
}

// TestFailingPortalAddScreen: the portal runs, but its backend cannot take
// the picture and the portal answers the request with a failure (response
// 2). add --screen says the screenshot was refused and what to do, and does
// not send the person off to install a portal they have.
func TestFailingPortalAddScreen(t *testing.T) {
	desktop(t, "fails")
	env := userEnv(t)
	out, errOut, err := run(t, env, "", "add", "--screen")
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("add --screen with a failing portal: %v\n%s%s", err, out, errOut)
	}
	t.Logf("add --screen says:\n%s", errOut)
	for _, want := range []string{"the screenshot was refused", "the portal answered 2", "--image FILE"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the message does not say %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "install") {
		t.Errorf("the message sends the person off to install a portal:\n%s", errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := scan.Screen(ctx, scan.DefaultCapturer()); !errors.Is(err, scan.ErrCaptureDenied) {
		t.Errorf("Screen with a failing portal: %v, want ErrCaptureDenied", err)
	}
}

// TestFailingPortalWindowScan: the window's Scan screen with that portal
// says the screenshot was refused and what to do instead.
func TestFailingPortalWindowScan(t *testing.T) {
	desktop(t, "fails")
	p := newPointer(t)
	cmd := start(t, userEnv(t), softtoken)
	if _, err := readWindow(t, cmd, "failing-wizard", contains("Add an account", "Open image")); err != nil {
		t.Fatalf("no wizard: %v", err)
	}
	clickPrimary(t, p, cmd) // Scan screen
	// ui/explain.go's text for scan.ErrCaptureDenied, as tesseract reads it.
	if _, err := readWindow(t, cmd, "failing-message", contains("The screenshot was refused", "choose Open image instead")); err != nil {
		t.Fatalf("no message: %v", err)
	}
}

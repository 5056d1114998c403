package ui

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/internal/urlhandler"
)

// fakeLinks stands in for the Windows registry (internal/urlhandler),
// which cannot run here. It holds one registration: the program that
// opens otpauth:// links.
type fakeLinks struct {
	supported bool
	handler   string // the registered program's path; "" none
	statusErr error
	calls     []string // "register EXE", "unregister"
}

func (f *fakeLinks) Status(exe string) (urlhandler.State, error) {
	switch {
	case !f.supported:
		return urlhandler.NotRegistered, urlhandler.ErrUnsupported
	case f.statusErr != nil:
		return urlhandler.NotRegistered, f.statusErr
	case f.handler == "":
		return urlhandler.NotRegistered, nil
	case f.handler == exe:
		return urlhandler.ThisProgram, nil
	case strings.HasSuffix(f.handler, "softtoken.exe"):
		return urlhandler.OtherSoftToken, nil
	}
	return urlhandler.OtherProgram, nil
}

func (f *fakeLinks) Register(exe string) error {
	if !f.supported {
		return urlhandler.ErrUnsupported
	}
	f.calls = append(f.calls, "register "+exe)
	f.handler = exe
	return nil
}

func (f *fakeLinks) Unregister() error {
	if !f.supported {
		return urlhandler.ErrUnsupported
	}
	f.calls = append(f.calls, "unregister")
	if strings.HasSuffix(f.handler, "softtoken.exe") || f.handler == testExe() {
		f.handler = ""
	}
	return nil
}

func testExe() string {
	exe, _ := os.Executable()
	return exe
}

func withLinks(h LinkHandler) func(*Options) { return func(o *Options) { o.Links = h } }

// asked reports whether the window shows the question on otpauth:// links.
func asked(a *App) bool {
	return a.dlg.d != nil && a.win.Canvas().Overlays().Top() != nil &&
		a.dlg.message != nil && strings.Contains(a.dlg.message.Text, "open otpauth:// links")
}

// TestLinksAskedOnFirstStart: where the program registers the handler, the
// first start asks; Yes registers this program, off the event goroutine,
// and the next start does not ask again.
func TestLinksAskedOnFirstStart(t *testing.T) {
	st := newStore(t)
	fake := &fakeLinks{supported: true}
	fa := test.NewTempApp(t)
	a := openTestApp(t, fa, st, time.Unix(50, 0), withLinks(fake))
	if !asked(a) {
		t.Fatal("the first start does not ask whether softtoken should open otpauth:// links")
	}
	if a.screen != screenWizard {
		t.Errorf("behind the question the window shows screen %d, want the wizard", a.screen)
	}
	if a.dlg.ok.Text != "Yes" || a.dlg.cancel.Text != "No" || a.dlg.cancel.AccessibilityLabel() != "No" {
		t.Errorf("the answers read %q / %q (screen reader %q), want Yes / No", a.dlg.ok.Text, a.dlg.cancel.Text, a.dlg.cancel.AccessibilityLabel())
	}
	for _, b := range unlabelled(a.win.Canvas()) {
		t.Errorf("question: %s", b)
	}

	var queued []func()
	a.spawn = func(f func()) { queued = append(queued, f) }
	test.Tap(a.dlg.ok)
	if len(fake.calls) != 0 {
		t.Fatalf("Yes wrote the registry on the event goroutine: %v", fake.calls)
	}
	for _, f := range queued {
		f()
	}
	if want := "register " + testExe(); len(fake.calls) != 1 || fake.calls[0] != want {
		t.Errorf("Yes did %v, want [%s]", fake.calls, want)
	}
	if got := fa.Preferences().String(prefLinks); got != "yes" {
		t.Errorf("the answer is remembered as %q, want yes", got)
	}
	if !strings.Contains(a.status.Text, "now opens otpauth:// links") {
		t.Errorf("status after Yes: %q", a.status.Text)
	}

	b := openTestApp(t, fa, st, time.Unix(50, 0), withLinks(fake))
	if asked(b) || b.dlg.d != nil {
		t.Error("the second start asks again")
	}
	if len(fake.calls) != 1 {
		t.Errorf("the second start did %v", fake.calls[1:])
	}
}

// TestLinksNoIsRemembered: after No nothing is registered and nothing asked.
func TestLinksNoIsRemembered(t *testing.T) {
	st := newStore(t, rfcLink)
	fake := &fakeLinks{supported: true}
	fa := test.NewTempApp(t)
	a := openTestApp(t, fa, st, time.Unix(50, 0), withLinks(fake))
	if !asked(a) {
		t.Fatal("the first start does not ask")
	}
	test.Tap(a.dlg.cancel)
	if len(fake.calls) != 0 || fake.handler != "" {
		t.Errorf("No did %v", fake.calls)
	}
	if got := fa.Preferences().String(prefLinks); got != "no" {
		t.Errorf("the answer is remembered as %q, want no", got)
	}
	b := openTestApp(t, fa, st, time.Unix(50, 0), withLinks(fake))
	if b.dlg.d != nil {
		t.Error("the start after No asks again")
	}
}

// TestLinksNotAskedWhenRegistered: a program that already opens the links
// is not asked about them, even on a first start (installed by the IT).
func TestLinksNotAskedWhenRegistered(t *testing.T) {
	fake := &fakeLinks{supported: true, handler: testExe()}
	a, fa := newTestAppWith(t, newStore(t, rfcLink), withLinks(fake))
	if a.dlg.d != nil {
		t.Error("asked although this program opens the links already")
	}
	if len(fake.calls) != 0 || fa.Preferences().String(prefLinks) != "" {
		t.Errorf("calls %v, answer %q", fake.calls, fa.Preferences().String(prefLinks))
	}
	// The status could not be read: nothing is asked either.
	fake = &fakeLinks{supported: true, statusErr: errors.New("access denied")}
	b, _ := newTestAppWith(t, newStore(t, rfcLink), withLinks(fake))
	if b.dlg.d != nil {
		t.Error("asked although the status could not be read")
	}
	b.showSettings()
	if !strings.Contains(b.setView.links.Text, "could not find out") || !strings.Contains(b.setView.links.Text, "access denied") {
		t.Errorf("settings with an unreadable status: %q", b.setView.links.Text)
	}
}

// TestLinksSettingToggles: the settings say who opens otpauth:// links and
// register or remove this program.
func TestLinksSettingToggles(t *testing.T) {
	fake := &fakeLinks{supported: true, handler: `C:\Program Files\Other\other.exe`}
	fa := test.NewTempApp(t)
	fa.Preferences().SetString(prefLinks, "no")
	a := openTestApp(t, fa, newStore(t, rfcLink), time.Unix(50, 0), withLinks(fake))
	if a.dlg.d != nil {
		t.Fatal("asked after No")
	}
	a.showSettings()
	v := a.setView
	if v.links == nil || v.links.Text != "Another program opens otpauth:// links." || v.linkToggle.Text != "Open links with softtoken" {
		t.Fatalf("settings read %v", v.links)
	}
	for _, b := range unlabelled(a.win.Canvas()) {
		t.Errorf("settings: %s", b)
	}
	test.Tap(v.linkToggle)
	if v.links.Text != "softtoken opens otpauth:// links." || v.linkToggle.Text != "Stop opening links" || v.linkToggle.Disabled() {
		t.Errorf("after registering: %q, button %q (disabled %v)", v.links.Text, v.linkToggle.Text, v.linkToggle.Disabled())
	}
	if fa.Preferences().String(prefLinks) != "yes" {
		t.Errorf("registering in the settings is remembered as %q", fa.Preferences().String(prefLinks))
	}
	test.Tap(v.linkToggle)
	if v.links.Text != "softtoken does not open otpauth:// links." || v.linkToggle.Text != "Open links with softtoken" {
		t.Errorf("after removing: %q, button %q", v.links.Text, v.linkToggle.Text)
	}
	if want := []string{"register " + testExe(), "unregister"}; strings.Join(fake.calls, ",") != strings.Join(want, ",") {
		t.Errorf("the button did %v, want %v", fake.calls, want)
	}
	if fa.Preferences().String(prefLinks) != "no" || !strings.Contains(a.status.Text, "no longer opens") {
		t.Errorf("after removing: answer %q, status %q", fa.Preferences().String(prefLinks), a.status.Text)
	}

	// An older copy elsewhere, and the German words.
	fake.handler = `C:\Users\max\Downloads\softtoken.exe`
	a.setView.language.SetSelected("Deutsch")
	v = a.setView
	if v.links.Text != "Ein softtoken in einem anderen Ordner öffnet otpauth://-Links." || v.linkToggle.Text != "Links mit softtoken öffnen" {
		t.Errorf("German settings read %q, %q", v.links.Text, v.linkToggle.Text)
	}
}

// TestLinksUnsupported: where the package registers the links (Linux,
// macOS), the window neither asks nor shows the setting, and never calls
// Register or Unregister. With the real handler too, outside Windows.
func TestLinksUnsupported(t *testing.T) {
	fake := &fakeLinks{}
	a, fa := newTestAppWith(t, newStore(t), withLinks(fake))
	check := func(a *App, name string) {
		t.Helper()
		if a.dlg.d != nil {
			t.Errorf("%s: asked about links", name)
		}
		a.showSettings()
		if a.setView.links != nil || a.setView.linkToggle != nil {
			t.Errorf("%s: the settings show the link handler", name)
		}
		if strings.Contains(test.RenderObjectToMarkup(a.win.Content()), "otpauth") {
			t.Errorf("%s: the settings mention otpauth", name)
		}
	}
	check(a, "fake")
	if len(fake.calls) != 0 || fa.Preferences().String(prefLinks) != "" {
		t.Errorf("calls %v, answer %q", fake.calls, fa.Preferences().String(prefLinks))
	}
	if runtime.GOOS == "windows" {
		return
	}
	b := openTestApp(t, fa, newStore(t), time.Unix(50, 0), withLinks(nil)) // the default
	if _, ok := b.opts.Links.(systemLinks); !ok {
		t.Fatalf("the default link handler is %T", b.opts.Links)
	}
	check(b, "default")
}

func newTestAppWith(t *testing.T, st Store, with ...func(*Options)) (*App, fyne.App) {
	t.Helper()
	fa := test.NewTempApp(t)
	return openTestApp(t, fa, st, time.Unix(50, 0), with...), fa
}

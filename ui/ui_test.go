package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

const (
	rfcLink  = "otpauth://totp/RFC:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=RFC"
	hotpLink = "otpauth://hotp/Gateway:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0"
	cityLink = "otpauth://totp/Stadtverwaltung:max.mustermann?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadtverwaltung"
	vpnLink  = "otpauth://totp/VPN%20Gateway:m.mustermann?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8"
)

// newStore returns a store in a temporary folder on the real Secret Service
// holding the given links.
func newStore(t *testing.T, links ...string) *store.Store {
	t.Helper()
	testenv.SecretService(t)
	s, err := store.Open(filepath.Join(t.TempDir(), "softtoken"), store.OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range links {
		a, err := token.ParseURI(l)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Add(a); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		accs, _ := s.List()
		for _, a := range accs {
			s.Remove(a.ID)
		}
	})
	return s
}

// newTestApp opens the window on st at the fixed instant at, with every
// piece of work run in place on the test's goroutine, as Fyne's test driver
// runs fyne.Do.
func newTestApp(t *testing.T, st Store, at time.Time) (*App, fyne.App) {
	t.Helper()
	fa := test.NewTempApp(t)
	return openTestApp(t, fa, st, at), fa
}

// openTestApp opens a window on fa as newTestApp does. The link handler
// is a fake that says the package registers links (as on Linux), unless
// an option function sets another; no test touches the real one.
func openTestApp(t *testing.T, fa fyne.App, st Store, at time.Time, with ...func(*Options)) *App {
	t.Helper()
	opts := Options{
		Open:  func(store.PassphraseFunc) (Store, store.Backend, error) { return st, store.BackendKeychain, nil },
		Now:   func() time.Time { return at },
		Sleep: func(time.Duration) {}, // the clock stands still: a launch waits for nothing
		Keys:  launcher.Keys{},
		Links: &fakeLinks{},
	}
	for _, f := range with {
		f(&opts)
	}
	a := newApp(fa, opts, func(f func()) { f() }, true)
	a.win.Resize(fyne.NewSize(480, 520))
	t.Cleanup(func() {
		a.win.Close()
		setLanguage("")
	})
	return a
}

func TestMainShowsCodes(t *testing.T) {
	st := newStore(t, rfcLink, hotpLink)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	v := a.main
	if len(v.rows) != 2 || !v.search.Visible() {
		t.Fatalf("%d rows, search shown %v; want 2 rows and a search field", len(v.rows), v.search.Visible())
	}
	r := v.rows[0]
	if r.title.Text != "RFC" || r.sub.Text != "alice" {
		t.Errorf("row 0 reads %q / %q", r.title.Text, r.sub.Text)
	}
	if r.code.Text() != "9428 7082" || r.left.Text != "10 s" || r.bar.Frac() != float32(10)/30 || r.next.Text != "" {
		t.Errorf("at 50 s: code %q, left %q, bar %v, next %q; want 9428 7082, 10 s, 1/3, none", r.code.Text(), r.left.Text, r.bar.Frac(), r.next.Text)
	}
	if got, want := r.code.AccessibilityLabel(), "RFC: alice, code 9 4 2 8, 7 0 8 2, 10 seconds left; press Enter to copy"; got != want {
		t.Errorf("screen reader reads %q, want %q", got, want)
	}

	// In the last five seconds the next code shows beside the current one.
	v.apply(compute(a.accounts, time.Unix(57, 0), nil))
	next, _ := token.Code(r.acc, time.Unix(60, 0))
	if r.next.Text != "next: "+token.Group(next) || r.left.Text != "3 s" || !r.bar.Warning() {
		t.Errorf("at 57 s: next %q, left %q, warning %v", r.next.Text, r.left.Text, r.bar.Warning())
	}
	// And at the turn of the period it becomes the code.
	v.apply(compute(a.accounts, time.Unix(60, 0), nil))
	if r.code.Code() != next || r.next.Text != "" {
		t.Errorf("at 60 s: code %q next %q", r.code.Code(), r.next.Text)
	}

	// Click copies; so does Enter on the focused code.
	test.Tap(r.code)
	if got := fa.Clipboard().Content(); got != next {
		t.Errorf("clipboard holds %q after a click, want %q", got, next)
	}
	fa.Clipboard().SetContent("")
	a.win.Canvas().Focus(r.code)
	r.code.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := fa.Clipboard().Content(); got != next {
		t.Errorf("clipboard holds %q after Enter, want %q", got, next)
	}
	if !strings.Contains(a.status.Text, "RFC: alice") || !strings.Contains(a.status.Text, "30 seconds") {
		t.Errorf("status after copying: %q", a.status.Text)
	}

	// HOTP: no code until asked; asking spends the counter.
	h := v.rows[1]
	if h.code.Code() != "" || h.copy.Text != "Show code" {
		t.Fatalf("HOTP row shows %q / %q before it is asked", h.code.Text(), h.copy.Text)
	}
	test.Tap(h.copy)
	want, _ := token.Code(token.Account{Type: token.HOTP, Secret: r.acc.Secret, Digits: 6, Algorithm: token.SHA1, Counter: 0}, time.Time{})
	if h.code.Code() != want || h.copy.Text != "Copy" {
		t.Errorf("HOTP after Show next code: %q / %q, want %q / Copy", h.code.Code(), h.copy.Text, want)
	}
	accs, _ := st.List()
	if accs[1].Counter != 1 {
		t.Errorf("HOTP counter on disk %d after one code, want 1", accs[1].Counter)
	}
}

func TestOneAccountShownBig(t *testing.T) {
	a, _ := newTestApp(t, newStore(t, cityLink), time.Unix(50, 0))
	if len(a.main.rows) != 1 || a.main.search.Visible() {
		t.Fatalf("one account: %d rows, search shown %v", len(a.main.rows), a.main.search.Visible())
	}
	if a.main.rows[0].code.Scale() < 3 {
		t.Errorf("the only code is drawn at %v× text size, want large", a.main.rows[0].code.Scale())
	}
	if a.win.Canvas().Focused() != a.main.rows[0].code {
		t.Errorf("the only code does not have the keyboard: Enter would not copy it")
	}
}

func TestSearchFilters(t *testing.T) {
	a, fa := newTestApp(t, newStore(t, rfcLink, cityLink, vpnLink), time.Unix(50, 0))
	v := a.main
	test.Type(v.search, "gate")
	if len(v.rows) != 1 || v.rows[0].acc.Issuer != "VPN Gateway" {
		t.Fatalf("search gate shows %d rows", len(v.rows))
	}
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	want, _ := token.Code(v.rows[0].acc, time.Unix(50, 0))
	if fa.Clipboard().Content() != want {
		t.Errorf("Enter in the search field copied %q, want the match's code", fa.Clipboard().Content())
	}
	v.search.SetText("nobody")
	if len(v.rows) != 0 {
		t.Errorf("search nobody shows %d rows", len(v.rows))
	}
	v.search.SetText("")
	if len(v.rows) != 3 {
		t.Errorf("empty search shows %d rows, want 3", len(v.rows))
	}
}

func TestEnrollByPastedLink(t *testing.T) {
	st := newStore(t)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	if a.screen != screenWizard {
		t.Fatalf("first start without accounts shows screen %d, want the wizard", a.screen)
	}
	if a.wiz.cancel.Visible() {
		t.Errorf("the wizard offers Cancel although there is nothing to go back to")
	}
	fa.Clipboard().SetContent("not a link")
	test.Tap(a.wiz.paste)
	if !strings.Contains(a.wiz.err.Text, "not an enrollment link") {
		t.Errorf("pasting junk says %q", a.wiz.err.Text)
	}
	fa.Clipboard().SetContent("otpauth://totp/Stadt:max?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Other")
	test.Tap(a.wiz.paste)
	if a.wiz.save == nil || len(a.wiz.accs) != 1 {
		t.Fatalf("no preview after pasting a link")
	}
	if len(a.wiz.warnings) != 1 || !strings.Contains(a.wiz.warnings[0], "“Other”") {
		t.Errorf("warnings %q, want the one on two issuers", a.wiz.warnings)
	}
	assertNoSecretShown(t, a.win.Canvas(), "JBSWY3DP")
	test.Tap(a.wiz.save)
	accs, err := st.List()
	if err != nil || len(accs) != 1 || accs[0].Label() != "Stadt: max" {
		t.Fatalf("after Save the store holds %v, %v", accs, err)
	}
	if a.screen != screenMain || len(a.main.rows) != 1 || !strings.Contains(a.status.Text, "was added") {
		t.Errorf("after Save: screen %d, %d rows, status %q", a.screen, len(a.main.rows), a.status.Text)
	}

	// The same link again warns that it is enrolled, and offers to
	// replace it instead of a Save that is refused (window_test.go).
	a.Enroll("otpauth://totp/Stadt:max?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	if a.screen != screenWizard || len(a.wiz.warnings) != 1 || !strings.Contains(a.wiz.warnings[0], "already enrolled") {
		t.Fatalf("enrolling a second time: screen %d, warnings %q", a.screen, a.wiz.warnings)
	}
	if a.wiz.replace == nil || a.wiz.save.Visible() {
		t.Errorf("a duplicate: Replace %v, Save shown %v", a.wiz.replace != nil, a.wiz.save.Visible())
	}
}

func TestEnrollByHand(t *testing.T) {
	st := newStore(t, rfcLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	a.showWizard()
	test.Tap(a.wiz.manual)
	w := a.wiz
	if !w.next.Disabled() {
		t.Errorf("Continue is enabled on an empty form")
	}
	test.Type(w.issuer, "Stadt")
	test.Type(w.name, "erika")
	test.Type(w.key, "jbsw y3dp 1")
	if !w.next.Disabled() || !strings.Contains(w.err.Text, "not allowed") {
		t.Errorf("a key with a 1: Continue disabled %v, message %q", w.next.Disabled(), w.err.Text)
	}
	w.key.SetText("jbsw y3dp")
	if !strings.Contains(w.err.Text, "too short") {
		t.Errorf("a short key says %q", w.err.Text)
	}
	w.key.SetText("jbsw y3dp ehpk 3pxp")
	if w.next.Disabled() || w.err.Text != "" {
		t.Fatalf("a good key: Continue disabled %v, message %q", w.next.Disabled(), w.err.Text)
	}
	test.Tap(w.advanced)
	w.digits.SetSelected("8")
	w.period.SetText("0")
	if !w.next.Disabled() || !strings.Contains(w.err.Text, "period") {
		t.Errorf("period 0: Continue disabled %v, message %q", w.next.Disabled(), w.err.Text)
	}
	w.period.SetText("60")
	test.Tap(w.next)
	test.Tap(w.save)
	accs, _ := st.List()
	if len(accs) != 2 || accs[1].Label() != "Stadt: erika" || accs[1].Digits != 8 || accs[1].Period != 60 {
		t.Fatalf("stored %v", accs)
	}
}

func TestRemoveAsksFirst(t *testing.T) {
	st := newStore(t, rfcLink, cityLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	menuItem(t, a.main.rows[1], "Remove…").Action()
	if !strings.Contains(a.dlg.message.Text, "“Stadtverwaltung: max.mustermann”") {
		t.Errorf("the confirmation says %q; it must name the account", a.dlg.message.Text)
	}
	test.Tap(a.dlg.cancel)
	if accs, _ := st.List(); len(accs) != 2 {
		t.Fatalf("Cancel removed an account")
	}
	menuItem(t, a.main.rows[1], "Remove…").Action()
	test.Tap(a.dlg.ok)
	accs, _ := st.List()
	if len(accs) != 1 || accs[0].Issuer != "RFC" {
		t.Fatalf("after Remove the store holds %v", accs)
	}
	if len(a.main.rows) != 1 || !strings.Contains(a.status.Text, "was removed") {
		t.Errorf("after Remove: %d rows, status %q", len(a.main.rows), a.status.Text)
	}
}

func TestRenameAndMove(t *testing.T) {
	st := newStore(t, rfcLink, cityLink)
	a, _ := newTestApp(t, st, time.Unix(50, 0))
	menuItem(t, a.main.rows[1], "Rename…").Action()
	a.dlg.entry.SetText("Rathaus")
	a.dlg.entry2.SetText("max")
	test.Tap(a.dlg.ok)
	menuItem(t, a.main.rows[1], "Move up").Action()
	accs, _ := st.List()
	if len(accs) != 2 || accs[0].Label() != "Rathaus: max" {
		t.Fatalf("after rename and move up the store holds %v", accs)
	}
	if a.main.rows[0].title.Text != "Rathaus" {
		t.Errorf("the window shows %q first", a.main.rows[0].title.Text)
	}
	if !menuItem(t, a.main.rows[0], "Move up").Disabled {
		t.Errorf("the first account can be moved up")
	}
}

func TestClipboardClearedOnlyIfOurs(t *testing.T) {
	fa := test.NewTempApp(t)
	g := newClipGuard(fa.Clipboard())
	var fire []func()
	g.after = func(d time.Duration, f func()) *time.Timer {
		if d != 30*time.Second {
			t.Errorf("cleared after %v, want 30s", d)
		}
		fire = append(fire, f)
		return time.NewTimer(time.Hour)
	}
	g.put("123456", 30*time.Second)
	fire[0]()
	if got := fa.Clipboard().Content(); got != "" {
		t.Errorf("after the timeout the clipboard holds %q", got)
	}
	g.put("654321", 30*time.Second)
	fa.Clipboard().SetContent("the person's own text")
	fire[1]()
	g.clearNow() // as on quit
	if got := fa.Clipboard().Content(); got != "the person's own text" {
		t.Errorf("the person's own clipboard was replaced by %q", got)
	}
	g.put("111111", 30*time.Second)
	g.clearNow()
	if got := fa.Clipboard().Content(); got != "" {
		t.Errorf("quitting left %q on the clipboard", got)
	}
}

func TestSettingsPersistAndLanguage(t *testing.T) {
	st := newStore(t, rfcLink, cityLink)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	a.showSettings()
	s := a.setView
	if !strings.Contains(s.storage.Text, "System keychain") {
		t.Errorf("storage reads %q", s.storage.Text)
	}
	s.clipboard.SetSelected("1 minute")
	s.theme.SetSelected("Dark")
	test.Tap(s.tray)
	s.language.SetSelected("Deutsch")

	// The window speaks German at once.
	if a.setView.back.Text != "Zurück" || a.main.add.Text != "Konto hinzufügen" {
		t.Errorf("after choosing German: %q, %q", a.setView.back.Text, a.main.add.Text)
	}
	test.Tap(a.setView.back)
	test.Tap(a.main.rows[0].code)
	if !strings.Contains(a.status.Text, "in 60 Sekunden") {
		t.Errorf("status after copying in German with a 1-minute timeout: %q", a.status.Text)
	}

	// A new window on the same preferences keeps every choice.
	b := openTestApp(t, fa, st, time.Unix(50, 0))
	if b.set.clipboardTimeout() != time.Minute || b.set.theme() != "dark" || !b.set.startInTray() || b.set.language() != "de" {
		t.Errorf("settings after a restart: %v %q %v %q", b.set.clipboardTimeout(), b.set.theme(), b.set.startInTray(), b.set.language())
	}
	if b.main.add.Text != "Konto hinzufügen" {
		t.Errorf("after a restart the window reads %q", b.main.add.Text)
	}
	b.showSettings()
	b.setView.language.SetSelected("English")
	if b.main.add.Text != "Add account" {
		t.Errorf("back to English reads %q", b.main.add.Text)
	}
}

// menuItem returns the item of a row's "more" menu labelled label.
func menuItem(t *testing.T, r *row, label string) *fyne.MenuItem {
	t.Helper()
	for _, it := range r.menu.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("the menu of %s has no %q", r.acc.Label(), label)
	return nil
}

// assertNoSecretShown fails if any text on c contains secret.
func assertNoSecretShown(t *testing.T, c fyne.Canvas, secret string) {
	t.Helper()
	walk(c, func(o fyne.CanvasObject) {
		var s string
		switch w := o.(type) {
		case *widget.Label:
			s = w.Text
		case *entry:
			s = w.Text
		}
		if strings.Contains(strings.ToUpper(strings.ReplaceAll(s, " ", "")), secret) {
			t.Errorf("the window shows the secret in %T", o)
		}
	})
}

// TestEnrollTwoStep: a privacyIDEA two-step link shows the client part to
// type into the enrollment page, and what is saved is the derived secret,
// not the link's server part.
func TestEnrollTwoStep(t *testing.T) {
	st := newStore(t)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	fa.Clipboard().SetContent("otpauth://totp/privacyIDEA:TOTP0001?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=privacyIDEA&2step_salt=10&2step_output=20&2step_difficulty=10000")
	test.Tap(a.wiz.paste)
	if a.wiz.save == nil || len(a.wiz.accs) != 1 {
		t.Fatalf("no preview after pasting a two-step link: %q", a.wiz.err.Text)
	}
	if len(strings.ReplaceAll(a.wiz.phone, " ", "")) != 23 {
		t.Fatalf("client part %q", a.wiz.phone)
	}
	if !strings.Contains(test.RenderObjectToMarkup(a.win.Content()), a.wiz.phone) {
		t.Error("the client part is not shown")
	}
	test.Tap(a.wiz.save)
	accs, _ := st.List()
	if len(accs) != 1 {
		t.Fatalf("saved %d accounts", len(accs))
	}
	full, err := st.Get(accs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(full.Secret) == "12345678901234567890" || len(full.Secret) != 20 {
		t.Error("the server part was saved instead of the derived secret")
	}
}

// TestSupportReport: the settings' button puts the doctor's report on the
// clipboard: the number of accounts, and neither their names nor secrets.
func TestSupportReport(t *testing.T) {
	st := newStore(t, rfcLink, cityLink)
	a, fa := newTestApp(t, st, time.Unix(50, 0))
	a.opts.Version = "9.9.9"
	a.showSettings()
	test.Tap(a.setView.report)
	got := fa.Clipboard().Content()
	for _, want := range []string{"softtoken:", "9.9.9", "accounts:", "2"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	for _, leak := range []string{"alice", "max.mustermann", "GEZDGNBV", "JBSWY3DP", "94287082"} {
		if strings.Contains(got, leak) {
			t.Errorf("report shows %q:\n%s", leak, got)
		}
	}
	if !strings.Contains(a.status.Text, "support report is on the clipboard") {
		t.Errorf("status %q", a.status.Text)
	}
}

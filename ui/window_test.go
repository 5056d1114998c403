package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
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
		added, err := s.Add(a)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Remove(added[0].ID) })
	}
	return s
}

const rfcLink = "otpauth://totp/RFC:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8&issuer=RFC"

func TestWindowShowsCodes(t *testing.T) {
	app := test.NewTempApp(t)
	s := newStore(t, rfcLink, "otpauth://hotp/Gateway:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0")
	at := time.Unix(50, 0)
	w := NewWindow(app, s, nil, func() time.Time { return at })
	t.Cleanup(w.win.Close)
	w.show(w.load())

	if len(w.rows) != 2 {
		t.Fatalf("%d rows, want 2", len(w.rows))
	}
	r := w.rows[0]
	if r.title.Text != "RFC" || r.sub.Text != "alice" {
		t.Errorf("row 0 reads %q / %q", r.title.Text, r.sub.Text)
	}
	if r.code.Text != "9428 7082" || r.left.Text != "10 s" || r.bar.frac != float32(10)/30 || r.next.Text != "" {
		t.Errorf("at 50 s: code %q, left %q, bar %v, next %q; want 9428 7082, 10 s, 1/3, none", r.code.Text, r.left.Text, r.bar.frac, r.next.Text)
	}

	// In the last five seconds the next code shows beside the current one.
	w.apply(compute(accountsOf(w), time.Unix(57, 0)))
	next, _ := token.Code(r.acc, time.Unix(60, 0))
	if r.next.Text != "next: "+token.Group(next) || r.left.Text != "3 s" || !r.bar.warning {
		t.Errorf("at 57 s: next %q, left %q, warning %v", r.next.Text, r.left.Text, r.bar.warning)
	}
	// And at the turn of the period it becomes the code.
	w.apply(compute(accountsOf(w), time.Unix(60, 0)))
	if r.code.Text != token.Group(next) || r.next.Text != "" {
		t.Errorf("at 60 s: code %q next %q", r.code.Text, r.next.Text)
	}

	test.Tap(r.copy)
	if got := app.Clipboard().Content(); got != next {
		t.Errorf("clipboard holds %q, want %q", got, next)
	}

	// HOTP: no code until asked; asking spends the counter.
	h := w.rows[1]
	if strings.ContainsAny(h.code.Text, "0123456789") || h.copy.Text != "Show code" {
		t.Errorf("HOTP row shows %q / %q before it is asked", h.code.Text, h.copy.Text)
	}
}

func accountsOf(w *Window) []token.Account {
	out := make([]token.Account, len(w.rows))
	for i, r := range w.rows {
		out[i] = r.acc
	}
	return out
}

func TestWindowEmptyAndBroken(t *testing.T) {
	app := test.NewTempApp(t)
	w := NewWindow(app, newStore(t), nil, time.Now)
	t.Cleanup(w.win.Close)
	w.show(w.load())
	if !strings.Contains(w.status.Text, "softtoken add") {
		t.Errorf("empty window says %q", w.status.Text)
	}
	w2 := NewWindow(app, nil, store.ErrKeychain, time.Now)
	t.Cleanup(w2.win.Close)
	w2.show(w2.load())
	if !strings.Contains(w2.status.Text, "keychain is not available") || !strings.Contains(w2.status.Text, "softtoken vault create") {
		t.Errorf("keychain failure says %q", w2.status.Text)
	}
}

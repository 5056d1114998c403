package ui

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/cli"
	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

// TestWindowAndCommandLineShowTheSameCode: over one configuration folder
// whose clock.json holds a correction for the portal's server (found by a
// launch a minute ago), the window and `softtoken code` show the same
// code at the same instant: the corrected one for the portal's issuer,
// the plain one for the other. Before, the command line ignored the
// correction for the hour it holds.
func TestWindowAndCommandLineShowTheSameCode(t *testing.T) {
	st := newStore(t, cityLink, vpnLink)
	dir := st.Dir()
	portal := launcher.Target{Name: "portal", Type: launcher.KindWeb, Account: "Stadtverwaltung",
		Web: &launcher.Web{URL: "https://portal.example.org/login", Code: launcher.CodeClipboard}}
	if err := launcher.AddUserTarget(dir, portal); err != nil {
		t.Fatal(err)
	}
	const off = 95 * time.Second
	clock, _ := json.Marshal(map[string]any{"portal.example.org": map[string]any{
		"checked": time.Now().Add(-time.Minute), "offset_ns": off}}) // the check's age is by the system clock
	if err := os.WriteFile(filepath.Join(dir, launcher.ClockFile), clock, 0o600); err != nil {
		t.Fatal(err)
	}
	at := time.Unix(1000, 0) // the instant both are asked at
	a := openTestApp(t, test.NewTempApp(t), st, at)

	for _, c := range []struct {
		query, issuer string
		corrected     bool
	}{{"Stadtverwaltung", "Stadtverwaltung", true}, {"VPN", "VPN Gateway", false}} {
		var r *row
		for _, x := range a.main.rows {
			if x.acc.Issuer == c.issuer {
				r = x
			}
		}
		if r == nil {
			t.Fatalf("no row of %s", c.issuer)
		}
		var out, errOut bytes.Buffer
		status := cli.Run([]string{"code", c.query}, cli.Env{Stdout: &out, Stderr: &errOut,
			Now: func() time.Time { return at }, Store: func() (*store.Store, error) { return st, nil }})
		if status != 0 {
			t.Fatalf("softtoken code %s: status %d, %s", c.query, status, errOut.String())
		}
		printed := token.Group(strings.TrimSpace(out.String()))
		if printed != r.code.Text() {
			t.Errorf("%s: the command line prints %q, the window shows %q", c.issuer, printed, r.code.Text())
		}
		full, err := st.Get(r.acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := token.Code(full, at)
		fixed, _ := token.Code(full, at.Add(off))
		want := plain
		if c.corrected {
			want = fixed
			if !strings.Contains(errOut.String(), "corrected") {
				t.Errorf("%s: the command line does not say the code is corrected: %q", c.issuer, errOut.String())
			}
		}
		if plain == fixed || printed != token.Group(want) {
			t.Errorf("%s: printed %q, want %q (corrected: %v; plain %s, corrected %s)", c.issuer, printed, token.Group(want), c.corrected, plain, fixed)
		}
	}
}

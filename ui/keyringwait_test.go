package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/cityadmin/softtoken/store"
)

// TestKeyringTimeoutOffersRetry: a keyring that did not answer in time
// left "try again" with no button (issue 10, 2.9). The window offers Try
// again, which opens anew, and with no account enrolled a vault file; with
// accounts enrolled (their secrets are in the keyring) no vault file. The
// wait of the first seconds is tested on the real window (gui/).
func TestKeyringTimeoutOffersRetry(t *testing.T) {
	st := newStore(t, cityLink)
	timeout := fmt.Errorf("%w (test)", store.ErrKeychainTimeout)
	for _, c := range []struct {
		name  string
		dir   string
		vault bool
	}{{"none enrolled", t.TempDir(), true}, {"enrolled", st.Dir(), false}} {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			a := openTestApp(t, test.NewTempApp(t), st, time.Unix(35, 0), func(o *Options) {
				o.Dir = c.dir
				o.Open = func(store.PassphraseFunc) (Store, store.Backend, error) {
					calls++
					if calls == 1 {
						return nil, store.BackendKeychain, timeout
					}
					return st, store.BackendKeychain, nil
				}
			})
			v := a.main
			if !v.action.Visible() || v.action.Text != "Try again" {
				t.Fatalf("after the timeout: %q, action %q (shown %v)", v.msg.Text, v.action.Text, v.action.Visible())
			}
			if v.action2.Visible() != c.vault || (c.vault && v.action2.Text != "Use a vault file instead") {
				t.Fatalf("vault offer shown %v (%q), want %v", v.action2.Visible(), v.action2.Text, c.vault)
			}
			if c.vault {
				test.Tap(v.action2)
				if a.dlg.title != "Create an encrypted vault file" {
					t.Fatalf("Use a vault file instead shows %q", a.dlg.title)
				}
				if txt := labelsOf(a.dlg.content); !strings.Contains(txt, "it does not answer") {
					t.Errorf("the vault offer does not say the keyring does not answer: %s", txt)
				}
				test.Tap(a.dlg.cancel)
			}
			test.Tap(v.action)
			if calls != 2 || len(a.accounts) != 1 || v.action.Visible() || v.action2.Visible() {
				t.Errorf("after Try again: %d openings, %d accounts, buttons %v %v", calls, len(a.accounts), v.action.Visible(), v.action2.Visible())
			}
		})
	}
}

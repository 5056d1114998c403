package ui

import (
	"bytes"
	"errors"
	"fmt"
	"os"
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

// noKeychainApp opens the window on the store folder dir of a machine
// without a keychain: Open fails as store.OpenDefault does there until a
// vault file exists, and then opens the store on it for real. Work handed
// to spawn waits in the returned queue until the test runs it, so that the
// busy state can be seen.
func noKeychainApp(t *testing.T, fa fyne.App, dir string) (*App, *[]func()) {
	t.Helper()
	opens := 0
	var queue []func()
	a := newApp(fa, Options{
		Open: func(ask store.PassphraseFunc) (Store, store.Backend, error) {
			opens++
			if !store.VaultExists(filepath.Join(dir, store.VaultFile)) {
				return nil, store.BackendKeychain, fmt.Errorf("probe the keychain: %w", store.ErrNoSecretService)
			}
			return openIn(dir, ask)
		},
		Dir:  dir,
		Now:  func() time.Time { return time.Unix(50, 0) },
		Keys: launcher.Keys{},
	}, func(f func()) { queue = append(queue, f) }, true)
	a.win.Resize(fyne.NewSize(480, 640))
	t.Cleanup(func() {
		a.win.Close()
		setLanguage("")
	})
	run(&queue)
	if opens != 1 {
		t.Fatalf("the store was opened %d times at the start, want 1", opens)
	}
	return a, &queue
}

// run runs the queued work, and what it queues, in order.
func run(queue *[]func()) {
	for len(*queue) > 0 {
		f := (*queue)[0]
		*queue = (*queue)[1:]
		f()
	}
}

func dialogShown(a *App) bool { return a.win.Canvas().Overlays().Top() != nil }

func noVault(t *testing.T, dir string) {
	t.Helper()
	if store.VaultExists(filepath.Join(dir, store.VaultFile)) {
		t.Fatalf("a vault file was created")
	}
}

func TestOffersVault(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("probe: %w", store.ErrNoSecretService), true},
		{fmt.Errorf("probe: %w", store.ErrNoSessionBus), true},
		{fmt.Errorf("%w: something else", store.ErrKeychain), true},
		{fmt.Errorf("probe: %w", store.ErrLocked), false},
		{fmt.Errorf("probe: %w", store.ErrKeychainTimeout), false},
		{fmt.Errorf("probe: %w", store.ErrKeychainDisconnected), false},
		{fmt.Errorf("%w: %w", store.ErrKeychainHoldsSecrets, store.ErrNoSecretService), false},
		{store.ErrNeedPassphrase, false},
		{store.ErrIndexCorrupt, false},
		{errors.New("other"), false},
	} {
		if got := offersVault(c.err); got != c.want {
			t.Errorf("offersVault(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestVaultOfferedWithoutKeychain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "softtoken")
	a, _ := noKeychainApp(t, test.NewTempApp(t), dir)
	if !dialogShown(a) || a.dlg.entry == nil || a.dlg.entry2 == nil {
		t.Fatal("no keychain: the vault offer is not shown")
	}
	if !a.dlg.entry.Password || !a.dlg.entry2.Password {
		t.Error("the passphrase entries show what is typed")
	}
	if !a.dlg.ok.Disabled() {
		t.Error("Create vault can be pressed before a passphrase is typed")
	}
	if a.win.Canvas().Focused() != a.dlg.entry {
		t.Error("the first passphrase entry does not have the keyboard")
	}
	// Behind it, and after Cancel, the window says why and offers it again.
	test.Tap(a.dlg.cancel)
	if dialogShown(a) {
		t.Fatal("Cancel left the dialog shown")
	}
	if m := a.main.msg.Text; !strings.Contains(m, "No keychain is available") || strings.Contains(m, "terminal") {
		t.Errorf("main screen after Cancel: %q", m)
	}
	if !a.main.action.Visible() || a.main.action.Text != "Create vault file…" {
		t.Fatalf("main screen action %q (shown %v), want Create vault file…", a.main.action.Text, a.main.action.Visible())
	}
	test.Tap(a.main.action)
	if !dialogShown(a) || a.dlg.entry.Text != "" {
		t.Error("Create vault file… does not show the offer again, empty")
	}
	noVault(t, dir)
}

func TestVaultPassphraseRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "softtoken")
	a, queue := noKeychainApp(t, test.NewTempApp(t), dir)
	enter := func() { a.dlg.entry2.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

	// Too short: said as it is typed, and again on Enter.
	test.Type(a.dlg.entry, "short")
	if got, want := a.dlg.message.Text, "The passphrase must have at least 8 characters."; got != want {
		t.Errorf("while typing a short passphrase: %q, want %q", got, want)
	}
	test.Type(a.dlg.entry2, "short")
	if !a.dlg.ok.Disabled() {
		t.Error("Create vault can be pressed with a short passphrase")
	}
	test.Tap(a.dlg.ok)
	enter()
	run(queue)
	if got := a.dlg.message.Text; !strings.Contains(got, "at least 8") {
		t.Errorf("after Enter with a short passphrase: %q", got)
	}
	if !dialogShown(a) {
		t.Error("a short passphrase closed the dialog")
	}
	noVault(t, dir)
	// Eight characters, not bytes: "äöüäöüä" is 14 bytes but only 7.
	a.dlg.entry.SetText("äöüäöüä")
	a.dlg.entry2.SetText("äöüäöüä")
	enter()
	run(queue)
	if got := a.dlg.message.Text; !strings.Contains(got, "at least 8") {
		t.Errorf("after Enter with 7 characters in 14 bytes: %q", got)
	}
	noVault(t, dir)

	// Two different ones. A repetition still being typed is no mismatch.
	a.dlg.entry.SetText("")
	a.dlg.entry2.SetText("")
	test.Type(a.dlg.entry, "correct horse")
	test.Type(a.dlg.entry2, "correct")
	if got := a.dlg.message.Text; got != "" {
		t.Errorf("halfway through the repetition: %q, want no message", got)
	}
	test.Type(a.dlg.entry2, " house")
	if got, want := a.dlg.message.Text, "The two passphrases are not the same."; got != want {
		t.Errorf("with two different passphrases: %q, want %q", got, want)
	}
	if !a.dlg.ok.Disabled() {
		t.Error("Create vault can be pressed with two different passphrases")
	}
	enter()
	run(queue)
	if got, want := a.dlg.message.Text, "The two passphrases are not the same."; got != want || !dialogShown(a) {
		t.Errorf("after Enter with two different passphrases: %q (dialog shown %v)", got, dialogShown(a))
	}
	noVault(t, dir)
	if a.screen != screenMain {
		t.Error("a refused passphrase led on to another screen")
	}
}

func TestVaultCreatedLeadsToWizard(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "softtoken")
	a, queue := noKeychainApp(t, test.NewTempApp(t), dir)
	const pass = "correct horse battery"
	test.Type(a.dlg.entry, pass)
	test.Type(a.dlg.entry2, pass)
	if a.dlg.message.Text != "" || a.dlg.ok.Disabled() {
		t.Fatalf("a good passphrase: message %q, Create vault disabled %v", a.dlg.message.Text, a.dlg.ok.Disabled())
	}
	test.Tap(a.dlg.ok)

	// Busy while the work waits: nothing to type or press, the fields
	// already emptied, and nothing written on the event goroutine.
	if len(*queue) != 1 {
		t.Fatalf("%d pieces of work queued, want the vault's creation", len(*queue))
	}
	if !a.dlg.busy.Visible() || !a.dlg.entry.Disabled() || !a.dlg.entry2.Disabled() || !a.dlg.cancel.Disabled() || !a.dlg.ok.Disabled() {
		t.Errorf("busy state: bar %v, entries disabled %v %v, cancel disabled %v, ok disabled %v",
			a.dlg.busy.Visible(), a.dlg.entry.Disabled(), a.dlg.entry2.Disabled(), a.dlg.cancel.Disabled(), a.dlg.ok.Disabled())
	}
	if a.dlg.entry.Text != "" || a.dlg.entry2.Text != "" {
		t.Error("the passphrase stays in the entries while the vault is created")
	}
	if !strings.Contains(a.dlg.message.Text, "Creating the vault file") {
		t.Errorf("busy message %q", a.dlg.message.Text)
	}
	noVault(t, dir)
	run(queue)

	path := filepath.Join(dir, store.VaultFile)
	v, err := store.OpenVault(path, []byte(pass))
	if err != nil {
		t.Fatalf("the new vault does not open with its passphrase: %v", err)
	}
	v.Close()
	if _, err := store.OpenVault(path, []byte("correct horse battery!")); !errors.Is(err, store.ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("vault file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	if dialogShown(a) {
		t.Error("the dialog is still shown after the vault was created")
	}
	if a.openErr != nil || a.backend != store.BackendVault {
		t.Errorf("after creating: open error %v, backend %q; want none, vault", a.openErr, a.backend)
	}
	if a.screen != screenWizard || a.wiz == nil {
		t.Fatalf("after creating the vault the window shows screen %d, want the wizard", a.screen)
	}
	// The store really is on the vault: an account added there is in it.
	acc, err := token.ParseURI(cityLink)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.st.Add(acc); err != nil {
		t.Fatal(err)
	}
	st, backend, err := openIn(dir, func() ([]byte, error) { return []byte(pass), nil })
	if err != nil || backend != store.BackendVault {
		t.Fatalf("reopening: %v, %q", err, backend)
	}
	list, err := st.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("reopened store lists %d accounts (%v), want 1", len(list), err)
	}
	if full, err := st.Get(list[0].ID); err != nil || string(full.Secret) != string(acc.Secret) {
		t.Errorf("the secret read back from the vault: %v", err)
	}
}

// TestNoVaultOfferForKeychainAccounts: accounts enrolled while there was
// a keychain keep their secrets there. When it does not answer, the window
// says to start it again and offers no vault file (which would leave the
// secrets behind, stranded).
func TestNoVaultOfferForKeychainAccounts(t *testing.T) {
	testenv.SecretService(t)
	dir := filepath.Join(t.TempDir(), "softtoken")
	s, err := store.Open(dir, store.OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	acc, _ := token.ParseURI(cityLink)
	added, err := s.Add(acc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Remove(added[0].ID) })

	fa := test.NewTempApp(t)
	fa.Preferences().SetString(prefLanguage, "de")
	a, _ := noKeychainApp(t, fa, dir)
	var texts []string
	walk(a.win.Canvas(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	})
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, "Starten Sie den Schlüsselbund erneut") {
		t.Errorf("the window does not say to start the keyring again; it reads:\n%s", all)
	}
	if a.dlg.open || strings.Contains(all, "Tresordatei anlegen") || strings.Contains(all, "Passphrase") {
		t.Errorf("the window offers a vault file although the keyring holds the secrets; it reads:\n%s", all)
	}
}

// TestFinishCutOffMove: a move into the vault cut off after the switch
// (the secret in the vault, its copy still in the keychain) is offered at
// start; Finish deletes the copy, and the account keeps working.
func TestFinishCutOffMove(t *testing.T) {
	testenv.SecretService(t)
	dir := filepath.Join(t.TempDir(), "softtoken")
	s, err := store.Open(dir, store.OSKeyring{})
	if err != nil {
		t.Fatal(err)
	}
	acc, _ := token.ParseURI(cityLink)
	added, err := s.Add(acc)
	if err != nil {
		t.Fatal(err)
	}
	id := added[0].ID
	t.Cleanup(func() { store.OSKeyring{}.Delete(store.Service, id) })
	pass := []byte("correct horse battery")
	if _, err := store.MoveToVault(dir, pass, store.OSKeyring{}); err != nil {
		t.Fatal(err)
	}
	// Undo the last two phases by hand, as a kill after the switch leaves
	// them: the copy back in the keychain, the move not recorded as done.
	store.OSKeyring{}.Set(store.Service, id, token.EncodeBase32(acc.Secret))
	ixPath := filepath.Join(dir, store.IndexFile)
	b, _ := os.ReadFile(ixPath)
	cut := strings.Replace(string(b), `"secrets": "vault"`, `"secrets": "vault", "move": "vault", "move_leftover": ["`+id+`"]`, 1)
	if err := os.WriteFile(ixPath, []byte(cut), 0o600); err != nil {
		t.Fatal(err)
	}
	if m, _ := store.Moving(dir); !m.Unfinished() {
		t.Fatalf("the fixture is no cut-off move: %+v", m)
	}

	var queue []func()
	a := newApp(test.NewTempApp(t), Options{
		Open: func(store.PassphraseFunc) (Store, store.Backend, error) {
			return openIn(dir, func() ([]byte, error) { return bytes.Clone(pass), nil })
		},
		Dir:  dir,
		Now:  func() time.Time { return time.Unix(50, 0) },
		Keys: launcher.Keys{},
	}, func(f func()) { queue = append(queue, f) }, true)
	a.win.Resize(fyne.NewSize(480, 640))
	t.Cleanup(func() { a.win.Close() })
	run(&queue)
	if !a.dlg.open || a.dlg.title != "Finish moving the secrets?" {
		t.Fatalf("the cut-off move is not offered (dialog %q)", a.dlg.title)
	}
	test.Tap(a.dlg.ok)
	run(&queue)
	if m, _ := store.Moving(dir); m.Move != "" || m.Secrets != store.BackendVault {
		t.Errorf("after Finish: %+v, want the secrets in the vault and no move", m)
	}
	if _, err := (store.OSKeyring{}).Get(store.Service, id); !errors.Is(err, store.ErrSecretMissing) {
		t.Errorf("the keychain copy is still there after Finish: %v", err)
	}
	if len(a.accounts) != 1 {
		t.Errorf("after Finish the window shows %d accounts, want 1", len(a.accounts))
	}
}

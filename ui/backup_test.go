package ui

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
	"github.com/cityadmin/softtoken/token"
)

const vaultPass = "correct horse battery"

// lowBackupKDF was where the tests lowered the key derivation; the
// package's TestMain does it for all now (storetest.FastKDF).
func lowBackupKDF(t *testing.T) {}

// vaultDir makes a store folder whose secrets are in a vault file with the
// passphrase vaultPass, holding links.
func vaultDir(t *testing.T, links ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "softtoken")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	v, err := store.CreateVault(filepath.Join(dir, store.VaultFile), []byte(vaultPass))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(dir, v)
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
	return dir
}

// vaultApp opens the window on the vault store in dir at the instant
// *now, the passphrase given as the person would type it (the dialog
// itself is driven by the real-window suite). Work runs in place. opens
// counts the store's openings.
func vaultApp(t *testing.T, dir string, now *time.Time) (*App, *int) {
	t.Helper()
	lowBackupKDF(t)
	opens := 0
	a := newApp(test.NewTempApp(t), Options{
		Open: func(store.PassphraseFunc) (Store, store.Backend, error) {
			opens++
			return openIn(dir, func() ([]byte, error) { return []byte(vaultPass), nil })
		},
		Dir:   dir,
		Now:   func() time.Time { return *now },
		Keys:  launcher.Keys{},
		Links: &fakeLinks{},
	}, func(f func()) { f() }, true)
	a.win.Resize(fyne.NewSize(480, 640))
	t.Cleanup(func() {
		a.win.Close()
		setLanguage("")
	})
	if a.backend != store.BackendVault || a.openErr != nil {
		t.Fatalf("the vault store did not open: %q, %v", a.backend, a.openErr)
	}
	return a, &opens
}

// typeInto empties e and types s into it, as a person does.
func typeInto(e *entry, s string) {
	e.SetText("")
	test.Type(e, s)
}

// exportBackup exports every account of a through the settings into a
// file in dir, with the passphrase pass, and returns the file's path.
func exportBackup(t *testing.T, a *App, dir, pass string) string {
	t.Helper()
	path := filepath.Join(dir, "backup.stbackup")
	var proposed string
	a.bk.saveFile = func(name string, done func(string, error)) { proposed = name; done(path, nil) }
	a.showSettings()
	if a.bk.export == nil || a.bk.export.Disabled() {
		t.Fatal("no Export button in the settings")
	}
	test.Tap(a.bk.export)
	if !a.dlg.open || a.dlg.title != "Export a backup" {
		t.Fatalf("Export shows dialog %q", a.dlg.title)
	}
	if !a.dlg.ok.Disabled() {
		t.Error("Continue can be pressed before a passphrase is typed")
	}
	typeInto(a.dlg.entry, "short")
	typeInto(a.dlg.entry2, "short")
	if !strings.Contains(a.dlg.message.Text, "at least 8") || a.dlg.message.Importance != widget.DangerImportance || !a.dlg.ok.Disabled() {
		t.Errorf("a short passphrase: %q (%v), ok disabled %v", a.dlg.message.Text, a.dlg.message.Importance, a.dlg.ok.Disabled())
	}
	typeInto(a.dlg.entry, pass)
	typeInto(a.dlg.entry2, pass)
	if a.dlg.ok.Disabled() {
		t.Fatalf("Continue stays disabled with two equal passphrases: %q", a.dlg.message.Text)
	}
	test.Tap(a.dlg.ok)
	if a.dlg.open {
		t.Errorf("the passphrase dialog stays open after the export: %q", a.dlg.message.Text)
	}
	if proposed != "softtoken-backup-"+time.Unix(50, 0).Format("2006-01-02")+".stbackup" {
		t.Errorf("the save dialog proposes %q", proposed)
	}
	if !strings.Contains(a.bk.msg.Text, "was saved to "+path) || a.bk.msg.Importance == widget.DangerImportance {
		t.Errorf("after the export the settings say %q", a.bk.msg.Text)
	}
	return path
}

// importFrom imports path through the settings of a and returns the
// preview shown, typing pass (if not "") when asked for one.
func importFrom(t *testing.T, a *App, path, pass string) *importPlan {
	t.Helper()
	a.bk.openFile = func(done func(string, error)) { done(path, nil) }
	a.showSettings()
	test.Tap(a.bk.importFile)
	if pass != "" {
		if !a.dlg.open || a.dlg.title != "Open the encrypted file" {
			t.Fatalf("an encrypted file: dialog %q, want its passphrase asked", a.dlg.title)
		}
		typeInto(a.dlg.entry, "wrong passphrase")
		test.Tap(a.dlg.ok)
		if !a.dlg.open || a.dlg.title != "Open the encrypted file" || a.dlg.message.Importance != widget.DangerImportance ||
			!strings.Contains(a.dlg.message.Text, "does not open") {
			t.Fatalf("a wrong passphrase: dialog %q says %q (%v)", a.dlg.title, a.dlg.message.Text, a.dlg.message.Importance)
		}
		typeInto(a.dlg.entry, pass)
		test.Tap(a.dlg.ok)
	}
	if !a.dlg.open || a.dlg.title != "Import accounts" || a.bk.preview == nil {
		t.Fatalf("no import preview: dialog %q; the settings say %q", a.dlg.title, a.bk.msg.Text)
	}
	return a.bk.preview
}

// dialogText is every label's text in the dialog shown.
func dialogText(a *App) string {
	var out []string
	walkObject(a.dlg.content, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	})
	return strings.Join(out, "\n")
}

// TestExportThenImport: a backup exported from one vault is imported into
// a fresh profile: the preview names both accounts, the passphrase is
// asked (a wrong one said in red), and the accounts then give their codes.
// Imported again, both are skipped as already enrolled, and OK is off.
func TestExportThenImport(t *testing.T) {
	now := time.Unix(50, 0)
	a, _ := vaultApp(t, vaultDir(t, rfcLink, hotpLink), &now)
	path := exportBackup(t, a, t.TempDir(), "backup passphrase")
	b, err := os.ReadFile(path)
	if err != nil || bytes.Contains(b, []byte("GEZDGNBV")) || bytes.Contains(b, []byte("alice")) {
		t.Fatalf("the backup file: %v, or it holds plain text", err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("backup mode %v", fi.Mode().Perm())
	}

	fresh, _ := vaultApp(t, vaultDir(t), &now)
	p := importFrom(t, fresh, path, "backup passphrase")
	if len(p.add) != 2 || len(p.skipped) != 0 {
		t.Fatalf("preview: %d to add, skipped %q", len(p.add), p.skipped)
	}
	text := dialogText(fresh)
	for _, want := range []string{"These will be added (2):", "RFC: alice", "Gateway: bob", "softtoken backup, encrypted"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview lacks %q:\n%s", want, text)
		}
	}
	if list, _ := fresh.st.List(); len(list) != 0 {
		t.Fatal("the preview stored accounts before OK")
	}
	if fresh.dlg.ok.Text != "Import 2 accounts" {
		t.Errorf("OK reads %q", fresh.dlg.ok.Text)
	}
	test.Tap(fresh.dlg.ok)
	if fresh.dlg.open {
		t.Errorf("the preview stays open: %q", fresh.dlg.message.Text)
	}
	if len(fresh.accounts) != 2 || fresh.accounts[0].Label() != "RFC: alice" {
		t.Fatalf("after the import the window shows %v", fresh.accounts)
	}
	if c, _ := token.Code(fresh.accounts[0], now); c != "94287082" {
		t.Errorf("the imported account's code %s", c)
	}
	if !strings.Contains(fresh.bk.msg.Text, "2 accounts were imported from backup.stbackup.") {
		t.Errorf("after the import: %q", fresh.bk.msg.Text)
	}

	// Again: nothing new, each one named with its reason.
	p = importFrom(t, fresh, path, "backup passphrase")
	if len(p.add) != 0 || len(p.skipped) != 2 || !strings.Contains(p.skipped[0], "already enrolled (as RFC: alice)") {
		t.Errorf("second import: %d to add, skipped %q", len(p.add), p.skipped)
	}
	if !fresh.dlg.ok.Disabled() || !strings.Contains(dialogText(fresh), "Nothing in it is new") {
		t.Errorf("second import: OK enabled %v, text:\n%s", !fresh.dlg.ok.Disabled(), dialogText(fresh))
	}
	test.Tap(fresh.dlg.cancel)
	if fresh.bk.msg.Text != "Nothing was imported." {
		t.Errorf("after Cancel: %q", fresh.bk.msg.Text)
	}
}

// TestImportAndOTPEncrypted: andOTP's own encrypted backup (a real file,
// password "test") is read, and its Steam entry named as skipped.
func TestImportAndOTPEncrypted(t *testing.T) {
	now := time.Unix(50, 0)
	a, _ := vaultApp(t, vaultDir(t), &now)
	p := importFrom(t, a, filepath.Join("..", "store", "imports", "testdata", "andotp_real_encrypted.bin"), "test")
	if len(p.add) != 6 || len(p.skipped) != 1 || !strings.Contains(p.skipped[0], "Boeing: Sophia: softtoken does not support this kind of token") {
		t.Fatalf("andOTP preview: %d to add, skipped %q", len(p.add), p.skipped)
	}
	if text := dialogText(a); !strings.Contains(text, "andOTP backup, encrypted") || !strings.Contains(text, "holds 7 accounts") {
		t.Errorf("the preview reads:\n%s", text)
	}
	test.Tap(a.dlg.ok)
	if len(a.accounts) != 6 || !strings.Contains(a.bk.msg.Text, "Not imported (1): Boeing: Sophia") {
		t.Errorf("after the import: %d accounts, %q", len(a.accounts), a.bk.msg.Text)
	}
}

// TestImportRefusals: files that are no export are named, in red, and
// nothing is asked or stored; in German too.
func TestImportRefusals(t *testing.T) {
	now := time.Unix(50, 0)
	a, _ := vaultApp(t, vaultDir(t), &now)
	dir := t.TempDir()
	for name, c := range map[string]struct {
		data, want string
	}{
		"screenshot.png":        {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a picture, not an export"},
		"Passwords.kdbx":        {"\x03\xd9\xa2\x9a\x67\xfb\x4b\xb5\x01\x00\x04\x00", "KeePass database"},
		"notes.txt":             {"Dear IT,\nmy tokens.\n", "not an export softtoken can read"},
		"vault.stv":             {"", "softtoken's vault file, not a backup"},
		"otp_accounts.json.aes": {"\x00\x00\x00", "not an export softtoken can read"},
	} {
		path := filepath.Join(dir, name)
		data := []byte(c.data)
		if name == "vault.stv" {
			data, _ = os.ReadFile(filepath.Join(a.opts.Dir, store.VaultFile))
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		a.bk.openFile = func(done func(string, error)) { done(path, nil) }
		a.showSettings()
		test.Tap(a.bk.importFile)
		if name == "vault.stv" { // our own format: its passphrase is asked first
			typeInto(a.dlg.entry, vaultPass)
			test.Tap(a.dlg.ok)
		}
		if a.dlg.open && a.dlg.title != "" && name != "vault.stv" {
			t.Errorf("%s: dialog %q shown", name, a.dlg.title)
		}
		if !strings.Contains(a.bk.msg.Text, name+" was not imported: ") || !strings.Contains(a.bk.msg.Text, c.want) || a.bk.msg.Importance != widget.DangerImportance {
			t.Errorf("%s: the settings say %q (%v), want %q in red", name, a.bk.msg.Text, a.bk.msg.Importance, c.want)
		}
	}
	if list, _ := a.st.List(); len(list) != 0 {
		t.Errorf("refused files stored %v", list)
	}
	a.fa.Preferences().SetString(prefLanguage, "de")
	a.relabel()
	path := filepath.Join(dir, "screenshot.png")
	a.bk.openFile = func(done func(string, error)) { done(path, nil) }
	test.Tap(a.bk.importFile)
	if !strings.Contains(a.bk.msg.Text, "ist ein Bild, kein Export") {
		t.Errorf("German: %q", a.bk.msg.Text)
	}
}

// TestChangeVaultPassphrase: a wrong current passphrase is said in red
// and changes nothing; the right one re-encrypts the vault file.
func TestChangeVaultPassphrase(t *testing.T) {
	now := time.Unix(50, 0)
	dir := vaultDir(t, rfcLink)
	a, _ := vaultApp(t, dir, &now)
	path := filepath.Join(dir, store.VaultFile)
	before, _ := os.ReadFile(path)
	a.showSettings()
	if a.bk.passwd == nil {
		t.Fatal("no Change passphrase in the settings of a vault")
	}
	test.Tap(a.bk.passwd)
	if a.dlg.title != "Change the vault passphrase" || !a.dlg.ok.Disabled() {
		t.Fatalf("dialog %q, OK disabled %v", a.dlg.title, a.dlg.ok.Disabled())
	}
	typeInto(a.bk.old, "wrong horse battery")
	typeInto(a.bk.new1, "new horse battery")
	typeInto(a.bk.new2, "new horse battery")
	test.Tap(a.dlg.ok)
	if !a.dlg.open || a.dlg.message.Text != "The current passphrase is wrong. Nothing was changed." || a.dlg.message.Importance != widget.DangerImportance {
		t.Fatalf("wrong current passphrase: open %v, %q (%v)", a.dlg.open, a.dlg.message.Text, a.dlg.message.Importance)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Fatal("a wrong current passphrase changed the vault file")
	}
	if a.bk.old.Text != "" || a.bk.new1.Text != "" {
		t.Error("the passphrases stay in the entries after the try")
	}
	typeInto(a.bk.old, vaultPass)
	typeInto(a.bk.new1, vaultPass)
	typeInto(a.bk.new2, vaultPass)
	test.Tap(a.dlg.ok)
	if !strings.Contains(a.dlg.message.Text, "same as the current") {
		t.Errorf("the same passphrase again: %q", a.dlg.message.Text)
	}
	typeInto(a.bk.new1, "new horse battery")
	typeInto(a.bk.new2, "new horse battery")
	test.Tap(a.dlg.ok)
	if a.dlg.open {
		t.Fatalf("the dialog stays open: %q", a.dlg.message.Text)
	}
	if !strings.Contains(a.bk.msg.Text, "was changed") {
		t.Errorf("after the change: %q", a.bk.msg.Text)
	}
	if _, err := store.OpenVault(path, []byte(vaultPass)); !errors.Is(err, store.ErrWrongPassphrase) {
		t.Errorf("the old passphrase after the change: %v", err)
	}
	if v, err := store.OpenVault(path, []byte("new horse battery")); err != nil {
		t.Errorf("the new passphrase: %v", err)
	} else {
		v.Close()
	}
	// The window goes on with the new key.
	if _, err := a.st.Get(a.accounts[0].ID); err != nil {
		t.Errorf("the window's store after the change: %v", err)
	}
}

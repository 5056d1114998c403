package gui

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Export through the settings and Fyne's real save dialog, then import
// the file back into a fresh profile through the real open dialog, its
// passphrase and the preview (issue 10, 2.12).
func TestBackupExportImport(t *testing.T) {
	const pass = "backup horse battery"
	w := start(t, opts{links: []string{linkAlpha, linkBeta}})
	w.wait("bob")
	w.tall()
	w.key("ctrl+comma")
	w.reveal("Export backup")
	w.press("Export backup", "Export a backup")
	w.typ(pass)
	w.key("Return") // to the repetition
	w.typ(pass)
	w.shot("export-passphrase")
	w.key("Return")
	// Encrypted first, then the real save dialog, in the home folder,
	// the file's name proposed.
	// Argon2 (64 MiB) on a loaded CI machine may take its time.
	if _, ok := w.waitAny(90*time.Second, "Save File"); !ok {
		w.fatalf("no save dialog 90 s after the passphrase: %s", text(w.last))
	}
	stem := "softtoken-backup-" + time.Now().Format("2006-01-02")
	w.wait(stem + ".stbackup")
	w.shot("export-save-dialog")
	w.clickLast("Save")
	w.reveal("was saved to")
	w.shot("exported")
	name := stem + ".stbackup"
	b, err := os.ReadFile(filepath.Join(w.home(), name))
	if err != nil {
		t.Fatalf("no backup in the home folder: %v", err)
	}
	if strings.Contains(string(b), "alice") || strings.Contains(string(b), "JBSWY3DP") {
		t.Error("the backup holds plain text")
	}

	// A fresh profile: the first start, then the settings' Import. The
	// first window goes first (a second softtoken would hand over to it).
	w.stop()
	// prepare empties the test's folder of shots: the export's move aside.
	os.RemoveAll(w.shots + "-export")
	os.Rename(w.shots, w.shots+"-export")
	v := prepare(t, opts{})
	if err := os.WriteFile(filepath.Join(v.home(), name), b, 0o600); err != nil {
		t.Fatal(err)
	}
	v.run()
	v.wait("Add an account")
	v.tall()
	v.key("ctrl+comma")
	v.reveal("Import")
	v.press("Import", "Open File")
	v.shot("import-open-dialog")
	v.pick("softtoken", "Open") // the home folder's "softtoken-backup..."
	v.wait("is encrypted")
	v.typ("wrong horse battery")
	v.key("Return")
	v.wait("does not open")
	v.shot("import-wrong-passphrase")
	v.typ(pass)
	v.key("Return")
	v.wait("These will be added")
	v.shot("import-preview")
	v.click("Import 2 accounts")
	v.reveal("were imported")
	v.shot("imported")
	if out := v.cli("", "list"); !strings.Contains(out, "alice") || !strings.Contains(out, "bob") {
		t.Errorf("softtoken list after the import:\n%s", out)
	}
}

// Lock now forgets the vault's key and shows the locked screen; Unlock
// asks for the passphrase and shows the codes again. The passphrase
// change is in the same settings.
func TestLockNowUnlock(t *testing.T) {
	w := vaultWindow(t, opts{links: []string{linkAlpha}})
	w.key("ctrl+comma")
	w.reveal("Lock now")
	w.shot("settings-vault")
	w.reveal("Change passphrase")
	w.press("Change passphrase", "Current passphrase")
	w.shot("change-passphrase")
	w.key("Escape")
	w.waitGone("Current passphrase")
	w.reveal("Lock now")
	w.press("Lock now", "softtoken is locked")
	w.shot("locked")
	if w.shows("alice") {
		t.Error("the locked window still shows the account")
	}
	w.pressLast("Unlock", "Unlock the vault") // the button, below the message that names it
	w.typ("correct horse battery")
	w.key("Return")
	w.wait("alice")
	w.shot("unlocked")
	// Ctrl+L locks as well.
	w.key("ctrl+l")
	w.wait("softtoken is locked")
}

// The same screens in German, and an import of andOTP's encrypted backup.
func TestBackupScreensGerman(t *testing.T) {
	andotp, err := os.ReadFile(filepath.Join("..", "store", "imports", "testdata", "andotp_real_encrypted.bin"))
	if err != nil {
		t.Fatal(err)
	}
	w := vaultWindow(t, opts{links: []string{linkAlpha}, prefs: map[string]any{"language": "de"}}, func(w *win) {
		if err := os.WriteFile(filepath.Join(w.home(), "andotp.aes"), andotp, 0o600); err != nil {
			t.Fatal(err)
		}
	})
	w.key("ctrl+comma")
	w.reveal("Jetzt sperren")
	w.shot("settings-vault-de")
	w.reveal("Sicherung exportieren")
	w.press("Sicherung exportieren", "Passphrase für die Sicherung")
	w.shot("export-passphrase-de")
	w.key("Escape")
	w.reveal("Passphrase ändern")
	w.press("Passphrase ändern", "Bisherige Passphrase")
	w.shot("change-passphrase-de")
	w.key("Escape")
	w.waitGone("Bisherige Passphrase")
	w.reveal("Importieren")
	// andOTP's own encrypted backup (its default export; password "test"),
	// through the real open dialog: six accounts, its Steam one named.
	w.press("Importieren", "Abbrechen")
	w.pick("andotp", "Öffnen") // andotp.aes: the dialog leaves out the extension
	w.wait("ist verschlüsselt")
	w.shot("import-passphrase-de")
	w.typ("test")
	w.key("Return")
	w.wait("hinzugefügt")
	w.shot("import-preview-de")
	w.clickLast("Konten importieren")
	w.reveal("importiert")
	w.shot("imported-de")
	w.reveal("Jetzt sperren")
	w.press("Jetzt sperren", "softtoken ist gesperrt")
	w.shot("locked-de")
}

// vaultWindow starts softtoken on a vault file made by the command line
// (passphrase "correct horse battery") and unlocks it.
func vaultWindow(t *testing.T, o opts, before ...func(*win)) *win {
	t.Helper()
	w := prepare(t, o)
	for _, f := range before {
		f(w)
	}
	pf := filepath.Join(w.dir, "pass")
	if err := os.WriteFile(pf, []byte("correct horse battery\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w.cli("", "vault", "create", "--passphrase-file", pf)
	w.run()
	w.wait("Passphrase")
	w.typ("correct horse battery")
	w.key("Return")
	w.wait("alice")
	w.tall()
	return w
}

// tall makes the window as tall as the screen allows: the settings of a
// vault (storage, clipboard, language, look, start, shortcut, backups,
// passphrase, locking) are longer than the default 640 px.
func (w *win) tall() {
	w.t.Helper()
	w.xdo("windowsize", w.id, "520", "1040")
	time.Sleep(300 * time.Millisecond) // a frame at the new size
}

// reveal scrolls the window's content (the mouse wheel over its middle)
// until it shows phrase: down first, then up; a failure after 30 s.
func (w *win) reveal(phrase string) {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for dir, n := "5", 0; time.Now().Before(deadline); n++ {
		if w.shows(phrase) {
			return
		}
		if n == 6 {
			dir = "4" // at the end, then back up
		}
		exec.Command("xdotool", "mousemove", "--window", w.id, "260", "500", "click", "--repeat", "3", dir).Run()
		time.Sleep(300 * time.Millisecond)
	}
	w.fatalf("the window does not show %q, scrolled down and up; it shows: %s", phrase, text(w.last))
}

// pick clicks on the file name in Fyne's file dialog and then on its
// button ok, once the button shows enabled (OCR reads it beside the
// title's word only then). A click that came before the dialog took the
// pointer is repeated.
func (w *win) pick(name, ok string) {
	w.t.Helper()
	for try := 0; try < 3; try++ {
		w.click(name)
		if poll(8*time.Second, func() bool { w.last = w.ocr(); return len(findAll(w.last, ok)) >= 2 }) {
			break
		}
	}
	w.clickLast(ok)
}

// press clicks on phrase until the window shows want (a dialog, another
// screen). On a loaded machine a click can come before the window takes
// the pointer; it is repeated then, three times at most.
func (w *win) press(phrase, want string) { w.t.Helper(); w.pressWith(w.click, phrase, want) }

// pressLast is press on the lowest place phrase shows (see clickLast).
func (w *win) pressLast(phrase, want string) { w.t.Helper(); w.pressWith(w.clickLast, phrase, want) }

func (w *win) pressWith(click func(string), phrase, want string) {
	w.t.Helper()
	for try := 0; try < 3; try++ {
		click(phrase)
		if _, ok := w.waitAny(15*time.Second, want); ok {
			return
		}
	}
	w.fatalf("clicking %q three times did not show %q; the window shows: %s", phrase, want, text(w.last))
}

package gui

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"
)

// A focused code: Ctrl+C copies it, Tab goes on to its Copy, then its ⋮
// (which came before the code), and the window's own shortcuts still
// work (issue 10, 2.13).
func TestCodeShortcuts(t *testing.T) {
	w := start(t, opts{links: []string{linkAlpha, linkBeta}})
	w.wait("bob")
	// The first code has the focus from the start.
	w.key("ctrl+c")
	if !poll(5*time.Second, func() bool { return slices.Contains(codesNow(t, linkAlpha), clipboard()) }) {
		w.fatalf("Ctrl+C on the focused code put %q on the clipboard, not one of %q", clipboard(), codesNow(t, linkAlpha))
	}
	w.key("Tab", "Tab", "Return") // Copy, then ⋮
	w.wait("Rename")
	w.shot("menu-by-tab")
	w.key("Escape")
	w.waitGone("Rename")
	w.key("ctrl+f") // handed on by the focused code
	w.typ("bob")
	// One row left (alice stays named in the status line).
	if !poll(ocrWait, func() bool { w.last = w.ocr(); return len(findAll(w.last, "Copy")) == 1 }) {
		w.fatalf("the search did not leave one row: %s", text(w.last))
	}
}

// A click on an otpauth:// link while the window runs: the link handler
// starts a second softtoken with the link, which hands it to the running
// window and ends; the window shows its preview.
func TestLinkHandOver(t *testing.T) {
	w := start(t, opts{links: []string{linkAlpha}})
	w.wait("alice")
	second := exec.Command(h.bin, linkGamma)
	second.Env = w.env
	out, err := second.CombinedOutput()
	if err != nil {
		w.fatalf("the second softtoken: %v\n%s", err, out)
	}
	w.wait("Check and save")
	w.wait("carol")
	w.shot("preview")
	if !w.gone() && strings.Contains(w.log.String(), "secret=") {
		t.Errorf("the window's output holds the link")
	}
	w.click("Save")
	w.wait("was added")
}

// A picture dropped onto the window, as from a file manager: a real XDND
// drop by a source window of the test's own (xdnd_test.go), which
// GLFW's X11 code takes as any file manager's. The wizard opens with
// the preview.
func TestDropFile(t *testing.T) {
	w := prepare(t, opts{links: []string{linkAlpha}})
	img := filepath.Join(w.dir, "enroll qr.png") // a space: the URI escapes it
	if err := qrcode.WriteFile(linkBeta, qrcode.Medium, 256, img); err != nil {
		t.Fatal(err)
	}
	w.run()
	w.wait("alice")
	xdndDrop(t, w.id, w.x+w.w/2, w.y+w.hgt/2, "file://"+strings.ReplaceAll(img, " ", "%20"))
	w.wait("Check and save")
	w.wait("bob")
	w.shot("dropped")
	w.click("Save")
	w.wait("was added")
}

// A launch from the window: a web target of a signed profile (the test
// key, which make's builds trust), opened by the real xdg-open in the
// real Chromium that the person's default https handler (mimeapps.list)
// names; the code goes by the clipboard, as the profile says.
func TestLaunchWeb(t *testing.T) {
	chrome, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("SOFTTOKEN_REQUIRE_TOOLS") == "1" {
			t.Fatal("chromium is missing (scripts/deps.sh test installs it)")
		}
		t.Skip("chromium is missing")
	}
	if _, err := exec.LookPath("xdg-open"); err != nil {
		t.Fatal("xdg-open is missing (xdg-utils, scripts/deps.sh)")
	}
	// The portal: https on the loopback, its page titled as a login.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, `<!doctype html><title>Portal Login</title><body><h1>Portal Login</h1><input autofocus>`)
	}))
	srv.Listener, _ = net.Listen("tcp", "127.0.0.1:0")
	srv.TLS = &tls.Config{}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	w := prepare(t, opts{links: []string{linkAlpha, linkBeta}})
	// The person's browser: Chromium, as the default https handler.
	wrapper := filepath.Join(w.dir, "browser")
	pidFile := filepath.Join(w.dir, "chromium.pid")
	script := fmt.Sprintf("#!/bin/sh\necho $$ > %s\nexec %s --no-sandbox --no-first-run --disable-gpu --ignore-certificate-errors --user-data-dir=%s --new-window \"$@\"\n",
		pidFile, chrome, filepath.Join(w.dir, "chromium"))
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	apps := filepath.Join(w.dir, "data", "applications")
	if err := os.MkdirAll(apps, 0o700); err != nil {
		t.Fatal(err)
	}
	desktop := "[Desktop Entry]\nType=Application\nName=Test browser\nExec=" + wrapper + " %u\nMimeType=x-scheme-handler/https;\n"
	if err := os.WriteFile(filepath.Join(apps, "test-browser.desktop"), []byte(desktop), 0o600); err != nil {
		t.Fatal(err)
	}
	mime := "[Default Applications]\nx-scheme-handler/https=test-browser.desktop\nx-scheme-handler/http=test-browser.desktop\n"
	if err := os.WriteFile(filepath.Join(w.dir, "config", "mimeapps.list"), []byte(mime), 0o600); err != nil {
		t.Fatal(err)
	}
	profile := fmt.Sprintf(`{"format": 1, "organisation": "Stadtverwaltung Musterstadt", "version": 1,
  "issued": "2026-01-01T00:00:00Z", "expires": "2099-12-31T00:00:00Z", "issuers": ["Alpha", "Beta"],
  "targets": [{"name": "portal", "title": "Portal", "type": "web", "account": "bob",
    "web": {"url": "%s/login", "code": "clipboard"}}]}`, srv.URL)
	pf := filepath.Join(w.dir, "profile.json")
	if err := os.WriteFile(pf, []byte(profile), 0o600); err != nil {
		t.Fatal(err)
	}
	key, _ := filepath.Abs("../launcher/testdata/test-signing.key")
	signed := filepath.Join(w.dir, "signed.json")
	w.cli("", "profile", "sign", "--key", key, "--out", signed, pf)
	w.cli("", "profile", "install", signed)

	w.run()
	w.wait("Open Portal")
	w.click("Open Portal")
	t.Cleanup(func() { killChromium(pidFile) })
	if !poll(60*time.Second, func() bool {
		out, _ := exec.Command("xdotool", "search", "--onlyvisible", "--name", "Portal Login").Output()
		return len(strings.Fields(string(out))) > 0
	}) {
		w.fatalf("no Chromium window with the portal in 60 s")
	}
	if !poll(10*time.Second, func() bool { return slices.Contains(codesNow(t, linkBeta), clipboard()) }) {
		w.fatalf("after the launch the clipboard holds %q, not bob's code", clipboard())
	}
	w.focus()
	w.shot("launched")
}

// killChromium ends the Chromium that the browser script started (by
// xdg-open, not by the test) and wrote its process id to pidFile.
func killChromium(pidFile string) {
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return
	}
	var pid int
	if _, err := fmt.Sscan(string(b), &pid); err == nil && pid > 0 {
		syscall.Kill(pid, syscall.SIGTERM)
		poll(5*time.Second, func() bool { return syscall.Kill(pid, 0) != nil })
	}
}

// The vault file offered where no keychain answers: Tab goes from the
// passphrase to its repeat, not to the eye (issue 10, 2.13), and Caps
// Lock is warned of (issue 10, 2.19).
func TestVaultOfferKeyboard(t *testing.T) {
	// Light: OCR reads the orange of a warning on white, not on the
	// dark theme's grey (harness_test.go, ink).
	w := prepare(t, opts{env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"},
		prefs: map[string]any{"theme": "light"}})
	w.run()
	w.wait("Create an encrypted vault file")
	w.typ("correct horse battery")
	w.key("Tab")
	w.typ("correct horse battery")
	caps := true
	w.key("Caps_Lock")
	t.Cleanup(func() { // the display is shared with the tests after this one
		if caps {
			exec.Command("xdotool", "key", "Caps_Lock").Run()
		}
	})
	w.wait("Caps Lock is on")
	w.shot("caps-lock")
	w.key("Caps_Lock")
	caps = false
	w.waitGone("Caps Lock is on")
	w.key("Return")
	w.wait("Add an account")
	w.shot("vault-created")
}

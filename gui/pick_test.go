package gui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// A launch target that names no account, with two enrolled, said "ask
// your IT service desk" (issue 10, 2.15). The window asks which account,
// launches with it (its code on the clipboard), and remembers the choice
// for the target, which the command line's launch shares.
func TestLaunchPicksAccount(t *testing.T) {
	w := prepare(t, opts{links: []string{linkAlpha, linkBeta}})
	// The browser: a stand-in xdg-open that notes the address, so that
	// no browser opens on the shared display.
	bin := filepath.Join(w.dir, "bin")
	os.MkdirAll(bin, 0o700)
	os.WriteFile(filepath.Join(bin, "xdg-open"), []byte("#!/bin/sh\nprintf '%s\\n' \"$1\" >> \""+filepath.Join(w.dir, "opened")+"\"\n"), 0o700)
	w.env = append(w.env, "PATH="+bin+":"+os.Getenv("PATH"))
	w.cli("", "profile", "add-target", "mail", "https://127.0.0.1:1/owa/")
	w.run()
	w.wait("bob")
	w.click("Open mail")
	w.wait("Account for mail")
	w.shot("asked")
	w.click("Beta: bob")
	w.clickLast("Use this account")
	var got string
	if !poll(20*time.Second, func() bool { got = clipboard(); return slices.Contains(codesNow(t, linkBeta), got) }) {
		w.fatalf("the clipboard holds %q, not bob's code", got)
	}
	w.wait("was opened")
	w.shot("opened")
	if out := w.cli("", "launch", "mail", "--dry-run"); !strings.Contains(out, "with the code of Beta: bob") {
		t.Errorf("the command line's launch does not use the choice:\n%s", out)
	}
}

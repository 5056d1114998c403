package launcher

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cityadmin/softtoken/token"
)

func TestTargetState(t *testing.T) {
	dir := t.TempDir()
	s := TargetState{Dir: dir}
	if c, err := s.Get("desk"); err != nil || c != (TargetChoice{}) {
		t.Fatalf("nothing recorded: %+v, %v", c, err)
	}
	if err := s.Update("desk", func(c *TargetChoice) { c.Account = "id1" }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update("desk", func(c *TargetChoice) { c.PinNoticeSeen = true }); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Get("desk"); err != nil || c != (TargetChoice{Account: "id1", PinNoticeSeen: true}) {
		t.Fatalf("recorded: %+v, %v", c, err)
	}
	fi, err := os.Stat(filepath.Join(dir, TargetStateFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the file: %v, %v", fi, err)
	}
	// Cleared back to nothing: the entry goes.
	s.Update("desk", func(c *TargetChoice) { *c = TargetChoice{} })
	if all, _ := s.All(); len(all) != 0 {
		t.Errorf("after clearing: %+v", all)
	}
	// A damaged file is an error to read, and started afresh by a write.
	os.WriteFile(filepath.Join(dir, TargetStateFile), []byte("{"), 0o600)
	if _, err := s.Get("desk"); !errors.Is(err, ErrState) {
		t.Errorf("damaged file: %v", err)
	}
	if err := s.Update("desk", func(c *TargetChoice) { c.Account = "id2" }); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Get("desk"); c.Account != "id2" {
		t.Errorf("after a write over a damaged file: %+v", c)
	}
}

func TestChosenAccount(t *testing.T) {
	accs := []token.Account{{ID: "a", Name: "alice"}, {ID: "b", Name: "bob"}}
	tg := Target{Name: "desk"}
	if _, err := ChosenAccount(nil, tg, ""); !errors.Is(err, ErrNoAccounts) {
		t.Errorf("none enrolled: %v", err)
	}
	if a, err := ChosenAccount(accs[:1], tg, "gone"); err != nil || a.ID != "a" {
		t.Errorf("one enrolled: %v, %v", a, err)
	}
	if a, err := ChosenAccount(accs, tg, "b"); err != nil || a.ID != "b" {
		t.Errorf("chosen: %v, %v", a, err)
	}
	for _, c := range []string{"", "gone"} {
		if _, err := ChosenAccount(accs, tg, c); !errors.Is(err, ErrChooseAccount) {
			t.Errorf("chosen %q: %v", c, err)
		}
	}
	rdp := Target{Name: "desk", Type: KindRDP, RDP: &RDP{Host: "h"}}
	if !NeedsPinNotice(rdp, false) || NeedsPinNotice(rdp, true) {
		t.Error("an RDP target without pins: notice once")
	}
	rdp.RDP.CertFingerprints = []string{"sha256:" + "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}
	if NeedsPinNotice(rdp, false) || NeedsPinNotice(Target{Type: KindWeb, Web: &Web{}}, false) {
		t.Error("pinned, or web: no notice")
	}
}

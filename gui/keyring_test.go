package gui

import (
	"testing"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// A keyring that does not answer (a gnome-keyring-daemon stopped with
// SIGSTOP on a bus of the test's own: it keeps its name and answers
// nothing) froze "Opening your accounts…" for 2 minutes, then said "try
// again" with no button (issue 10, 2.9). Within seconds the window says
// that it waits for the keyring, and offers Try again; with no account
// enrolled also a vault file instead, which then works while the keyring
// still hangs.
func TestKeyringHangsFirstStart(t *testing.T) {
	if h == nil {
		t.Skip(unavailable)
	}
	bus := testenv.PrivateBus(t)
	k := bus.StartKeyring(t)
	k.Freeze()
	w := prepare(t, opts{env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": bus.Address}})
	w.run()
	w.wait("waiting for your keyring")
	w.wait("Try again")
	w.shot("waiting")
	w.click("Use a vault file instead")
	w.wait("Create an encrypted vault file")
	w.typ("correct horse battery")
	w.key("Return") // to the repetition
	w.typ("correct horse battery")
	w.key("Return")
	w.wait("Add an account")
	w.shot("vault-made")
}

// With accounts enrolled their secrets are in the hanging keyring: the
// window offers Try again only, and once the keyring answers again, Try
// again shows the codes.
func TestKeyringHangsTryAgain(t *testing.T) {
	if h == nil {
		t.Skip(unavailable)
	}
	bus := testenv.PrivateBus(t)
	k := bus.StartKeyring(t)
	w := prepare(t, opts{links: []string{linkAlpha}, env: map[string]string{"DBUS_SESSION_BUS_ADDRESS": bus.Address}})
	k.Freeze()
	w.run()
	w.wait("waiting for your keyring")
	w.wait("secrets are in the keyring")
	w.shot("waiting")
	if w.shows("Use a vault file instead") {
		w.fatalf("a vault file is offered while the accounts' secrets are in the keyring")
	}
	k.Thaw()
	w.click("Try again")
	w.wait("alice")
	w.shot("opened")
}

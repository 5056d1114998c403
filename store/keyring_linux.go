package store

import (
	"strings"
	"sync/atomic"

	"github.com/godbus/dbus/v5"

	"github.com/cityadmin/softtoken/internal/trace"
)

// The Secret Service's names that quickGet calls.
const (
	ssName       = "org.freedesktop.secrets"
	ssPath       = "/org/freedesktop/secrets"
	ssService    = "org.freedesktop.Secret.Service"
	ssItem       = "org.freedesktop.Secret.Item"
	ssSession    = "org.freedesktop.Secret.Session"
	ssLoginItems = "/org/freedesktop/secrets/collection/login/"
)

// traced: the first quickGet was traced.
var traced atomic.Bool

// quickGet reads the secret of service and user from the Secret Service
// in three calls: OpenSession is not even needed before the search, so
// Service.SearchItems, then OpenSession and Item.GetSecret (the session's
// Close is sent without waiting for its answer). go-keyring's Get makes
// seven: it reads the collections, unlocks the login collection, searches
// it, opens a session, unlocks the item, reads it, closes the session; at
// ~0.5 ms a call that is most of what `softtoken code` waits for.
//
// It answers only for what it can answer as go-keyring would: an item of
// the "login" collection (go-keyring's first choice) that is unlocked.
// Where it finds none (no such item, a locked one, no login collection)
// it returns ok false and the caller asks go-keyring, which unlocks,
// prompts, and reports the errors as before. Its own errors are D-Bus's,
// which keyringError maps as it maps go-keyring's.
func quickGet(service, user string) (secret string, ok bool, err error) {
	conn, err := dbus.SessionBus()
	if err != nil {
		return "", false, nil // go-keyring reports it
	}
	if traced.CompareAndSwap(false, true) { // the first only: the connection is made once
		trace.Mark("keychain: D-Bus session bus connected")
		defer trace.Mark("keychain: searched and read (3 calls)")
	}
	svc := conn.Object(ssName, ssPath)
	var unlocked, locked []dbus.ObjectPath
	attrs := map[string]string{"username": user, "service": service}
	if err := svc.Call(ssService+".SearchItems", 0, attrs).Store(&unlocked, &locked); err != nil {
		return "", false, nil
	}
	var item dbus.ObjectPath
	for _, p := range unlocked {
		if strings.HasPrefix(string(p), ssLoginItems) {
			item = p
			break
		}
	}
	if item == "" {
		return "", false, nil
	}
	var ignored dbus.Variant
	var session dbus.ObjectPath
	if err := svc.Call(ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&ignored, &session); err != nil {
		return "", false, err
	}
	defer conn.Object(ssName, session).Call(ssSession+".Close", dbus.FlagNoReplyExpected)
	var s struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}
	if err := conn.Object(ssName, item).Call(ssItem+".GetSecret", 0, session).Store(&s); err != nil {
		return "", false, err
	}
	return string(s.Value), true, nil
}

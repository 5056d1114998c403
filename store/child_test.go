package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// The test binary doubles as a child process that works on a store, so
// that tests can point it at a private D-Bus, take the keychain away under
// it, or kill it at any instant. The child speaks one line per event on
// stdout, written straight to the file descriptor (no buffer to lose).
func TestMain(m *testing.M) {
	if args := os.Getenv("STORE_TEST_CHILD"); args != "" {
		os.Exit(child(strings.Fields(args)))
	}
	os.Exit(m.Run())
}

// runChild runs the child with args in env and returns its output.
func runChild(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := childCmd(env, args...)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

func childCmd(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(env, "STORE_TEST_CHILD="+strings.Join(args, " "))
	return cmd
}

func say(format string, a ...any) { os.Stdout.WriteString(fmt.Sprintf(format, a...) + "\n") }

// kind names the store error err is, for the parent to check.
func kind(err error) string {
	for _, k := range []struct {
		name string
		err  error
	}{
		{"ErrNoSessionBus", ErrNoSessionBus}, {"ErrNoSecretService", ErrNoSecretService},
		{"ErrLocked", ErrLocked}, {"ErrKeychainDisconnected", ErrKeychainDisconnected},
		{"ErrKeychainTimeout", ErrKeychainTimeout}, {"ErrSecretMissing", ErrSecretMissing},
		{"ErrNotFound", ErrNotFound}, {"ErrKeychain", ErrKeychain},
	} {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	return "other"
}

func child(args []string) int {
	timeout := DefaultKeychainTimeout
	if v := os.Getenv("STORE_TEST_TIMEOUT"); v != "" {
		timeout, _ = time.ParseDuration(v)
	}
	s, err := Open(args[1], OSKeyring{Timeout: timeout})
	if err != nil {
		say("error %s: %v", kind(err), err)
		return 1
	}
	fail := func(err error) int { say("error %s: %v", kind(err), err); return 1 }
	switch args[0] {
	case "probe":
		if err := Probe(s.kr); err != nil {
			return fail(err)
		}
		say("ok")
	case "add":
		a, err := token.ParseURI(args[2])
		if err != nil {
			return fail(err)
		}
		added, err := s.Add(a)
		if err != nil {
			return fail(err)
		}
		say("added %s", added[0].ID)
	case "get":
		a, err := s.Get(args[2])
		if err != nil {
			return fail(err)
		}
		code, _ := token.Code(a, time.Unix(59, 0))
		say("code %s", code)
	case "remove":
		if err := s.Remove(args[2]); err != nil {
			return fail(err)
		}
		say("removed")
	case "work":
		return work(s)
	case "fill":
		return fill(s, args[2])
	case "adder", "mover", "settle", "verify", "addone", "addloop":
		return moveChild(args)
	case "check":
		return check(s)
	case "rekey":
		return rekeyChild(args[1])
	case "quick", "unprobed":
		return quickChild(args)
	}
	return 0
}

// work changes the store at random, forever, reporting each change after
// it returns: "added ID", "removing ID" before and "removed ID" after a
// remove, "hotp ID COUNTER CODE" for every HOTP code it would show.
func work(s *Store) int {
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(os.Getpid())))
	for i := 0; ; i++ {
		list, err := s.List()
		if err != nil {
			say("error %v", err)
			return 1
		}
		op := r.IntN(10)
		switch {
		case len(list) < 3 || (op < 3 && len(list) < 8):
			typ, extra := "totp", ""
			if r.IntN(2) == 0 {
				typ, extra = "hotp", "&counter="+strconv.Itoa(r.IntN(1000))
			}
			secret := make(token.Secret, 20)
			for j := range secret {
				secret[j] = byte(r.UintN(256))
			}
			uri := fmt.Sprintf("otpauth://%s/Crash:user%d-%d?secret=%s%s", typ, os.Getpid(), i, token.EncodeBase32(secret), extra)
			a, _ := token.ParseURI(uri)
			added, err := s.Add(a)
			if err != nil {
				say("error %v", err)
				return 1
			}
			say("added %s", added[0].ID)
		case op < 5:
			victim := list[r.IntN(len(list))]
			say("removing %s", victim.ID)
			if err := s.Remove(victim.ID); err != nil {
				say("error %v", err)
				return 1
			}
			say("removed %s", victim.ID)
		default:
			var hotp []token.Account
			for _, a := range list {
				if a.Type == token.HOTP {
					hotp = append(hotp, a)
				}
			}
			if len(hotp) == 0 {
				continue
			}
			a, err := s.NextHOTP(hotp[r.IntN(len(hotp))].ID)
			if err != nil {
				say("error %v", err)
				return 1
			}
			code, _ := token.Code(a, time.Time{})
			say("hotp %s %d %s", a.ID, a.Counter, code)
		}
	}
}

// check opens the store as the next start would and reports every
// account: "account ID TYPE COUNTER CODE". Any failure is "error …".
func check(s *Store) int {
	if err := s.Recover(); err != nil {
		say("error recover: %v", err)
		return 1
	}
	list, err := s.List()
	if err != nil {
		say("error list: %v", err)
		return 1
	}
	for _, a := range list {
		full, err := s.Get(a.ID)
		if err != nil {
			say("error get %s: %v", a.ID, err)
			return 1
		}
		code, err := token.Code(full, time.Unix(59, 0))
		if err != nil {
			say("error code %s: %v", a.ID, err)
			return 1
		}
		say("account %s %s %d %s", a.ID, a.Type, a.Counter, code)
	}
	return 0
}

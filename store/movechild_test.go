package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// Children for the tests of moving the secrets between the keychain and
// the vault file. They find the vault's passphrase in the file named by
// STORE_TEST_PASSFILE (a test fixture; the product never takes one from
// the environment) and open the store as the command line does.

func childPass() ([]byte, error) { return os.ReadFile(os.Getenv("STORE_TEST_PASSFILE")) }

// openChild opens the store as `softtoken` does, retrying while another
// process is in the middle of a move.
func openChild(dir string) (*Store, error) {
	var err error
	for range 1000 {
		var s *Store
		if s, _, err = OpenDefault(dir, childPass); err == nil {
			return s, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil, err
}

// retryable: the command line runs the command again (ErrSecretsMoved),
// or the person does (ErrBusy).
func retryable(err error) bool {
	return errors.Is(err, ErrSecretsMoved) || errors.Is(err, ErrBusy)
}

func randomURI(r *rand.Rand, tag string) string {
	secret := make(token.Secret, 20)
	for j := range secret {
		secret[j] = byte(r.UintN(256))
	}
	return fmt.Sprintf("otpauth://totp/Move:%s?secret=%s", tag, token.EncodeBase32(secret))
}

// fill adds n accounts in one call: "filled N".
func fill(s *Store, n string) int {
	count, _ := strconv.Atoi(n)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(os.Getpid())))
	accs := make([]token.Account, count)
	for i := range accs {
		accs[i], _ = token.ParseURI(randomURI(r, fmt.Sprintf("fill%d-%d", os.Getpid(), i)))
	}
	added, err := s.Add(accs...)
	if err != nil {
		say("error %v", err)
		return 1
	}
	for _, a := range added {
		code, _ := token.Code(a, time.Unix(59, 0))
		say("added %s %s", a.ID, code)
	}
	return 0
}

func moveChild(args []string) int {
	dir := args[1]
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(os.Getpid())))
	kc := OSKeyring{}
	switch args[0] {
	case "addone":
		// One add as `softtoken add` makes it: "added ID CODE", or "busy".
		a, _ := token.ParseURI(randomURI(r, fmt.Sprintf("one%d", os.Getpid())))
		for try := 0; ; try++ {
			s, err := openChild(dir)
			if err != nil {
				say("error open: %v", err)
				return 1
			}
			added, err := s.Add(a)
			if errors.Is(err, ErrSecretsMoved) && try < 5 {
				continue
			}
			if errors.Is(err, ErrBusy) {
				say("busy")
				return 0
			}
			if err != nil {
				say("error add: %v", err)
				return 1
			}
			code, _ := token.Code(added[0], time.Unix(59, 0))
			say("added %s %s", added[0].ID, code)
			return 0
		}
	case "addloop":
		// Adds one account after another, forever, as many `softtoken
		// add`s would: "added ID CODE".
		s, err := openChild(dir)
		for i := 0; ; i++ {
			if err != nil {
				say("error open: %v", err)
				return 1
			}
			// A pause as between two `softtoken add`s, which also lets
			// others have the lock (flock queues no one).
			time.Sleep(time.Duration(10+r.IntN(30)) * time.Millisecond)
			a, _ := token.ParseURI(randomURI(r, fmt.Sprintf("loop%d-%d", os.Getpid(), i)))
			added, aerr := s.Add(a)
			switch {
			case aerr == nil:
				code, _ := token.Code(added[0], time.Unix(59, 0))
				say("added %s %s", added[0].ID, code)
			case retryable(aerr):
				s, err = openChild(dir)
			default:
				say("error add: %v", aerr)
				return 1
			}
		}
	case "adder":
		// Adds and removes forever, reopening whenever the secrets moved:
		// "added ID CODE", "removing ID", "removed ID".
		s, err := openChild(dir)
		for i := 0; ; i++ {
			if err != nil {
				say("error open: %v", err)
				return 1
			}
			time.Sleep(time.Duration(5+r.IntN(20)) * time.Millisecond)
			list, lerr := s.List()
			if lerr != nil {
				say("error list: %v", lerr)
				return 1
			}
			if len(list) < 10 || (len(list) < 30 && r.IntN(2) == 0) {
				a, _ := token.ParseURI(randomURI(r, fmt.Sprintf("add%d-%d", os.Getpid(), i)))
				added, aerr := s.Add(a)
				switch {
				case aerr == nil:
					code, _ := token.Code(added[0], time.Unix(59, 0))
					say("added %s %s", added[0].ID, code)
				case retryable(aerr):
					s, err = openChild(dir)
				default:
					say("error add: %v", aerr)
					return 1
				}
				continue
			}
			victim := list[r.IntN(len(list))].ID
			say("removing %s", victim)
			rerr := s.Remove(victim)
			switch {
			case rerr == nil, errors.Is(rerr, ErrNotFound):
				say("removed %s", victim)
			case retryable(rerr):
				s, err = openChild(dir)
			default:
				say("error remove: %v", rerr)
				return 1
			}
		}
	case "mover":
		// Moves the secrets into the vault and back, forever: "moved PLACE".
		// With a third argument, once into the vault.
		for {
			pass, _ := childPass()
			_, err := moveToVault(dir, pass, kc, testKDF)
			if err != nil && !errors.Is(err, ErrVaultExists) {
				say("error to vault: %v", err)
				return 1
			}
			say("moved vault")
			if len(args) > 2 {
				return 0
			}
			if _, err := MoveToKeychain(dir, pass, kc); err != nil && !errors.Is(err, ErrNoMove) {
				say("error to keychain: %v", err)
				return 1
			}
			say("moved keychain")
		}
	case "settle":
		// Finishes (or undoes) whatever a kill left: into args[2].
		pass, _ := childPass()
		before, err := Moving(dir)
		if err != nil {
			say("error moving: %v", err)
			return 1
		}
		if Backend(args[2]) == BackendVault {
			_, err = moveToVault(dir, pass, kc, testKDF)
		} else {
			_, err = MoveToKeychain(dir, pass, kc)
		}
		if err != nil && !errors.Is(err, ErrVaultExists) && !errors.Is(err, ErrNoMove) {
			say("error settle: %v", err)
			return 1
		}
		say("settled %s %q", before.Secrets, before.Move)
	case "verify":
		// Opens as the next start would: "state SECRETS MOVE VAULTFILE",
		// then "account ID CODE" for each account.
		s, err := openChild(dir)
		if err != nil {
			say("error open: %v", err)
			return 1
		}
		st, err := Moving(dir)
		if err != nil {
			say("error moving: %v", err)
			return 1
		}
		say("state %s %q %v", st.Secrets, st.Move, st.VaultFile)
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
			code, _ := token.Code(full, time.Unix(59, 0))
			say("account %s %s", a.ID, code)
		}
	}
	return 0
}

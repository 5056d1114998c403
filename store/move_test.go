package store

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// moveKills is how many times TestCrashMove kills a move; make crashtest
// runs 1,000.
var moveKills = flag.Int("crash.movekills", 12, "kills in TestCrashMove")

// moveEnv starts a private keyring and returns the children's environment
// (with the vault's passphrase in a file) and the store's folder.
func moveEnv(t *testing.T) (*testenv.Keyring, []string, string) {
	t.Helper()
	bus := testenv.PrivateBus(t)
	kr := bus.StartKeyring(t)
	pass := filepath.Join(t.TempDir(), "pass")
	if err := os.WriteFile(pass, []byte("correct horse battery"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(bus.Env(os.Environ()), "STORE_TEST_PASSFILE="+pass)
	return kr, env, filepath.Join(t.TempDir(), "softtoken")
}

// parseAdded reads "added ID CODE" lines into want.
func parseAdded(out string, want map[string]string) {
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "added" {
			want[f[1]] = f[2]
		}
	}
}

// verifyMoved opens the store as the next start would and checks that
// every account in want is there with its secret (its code), that no move
// is left unfinished, and that nothing is stranded: with the secrets in
// the vault the keychain holds none; with them in the keychain there is
// no vault file and the keychain holds exactly the accounts' secrets.
// maybe are ids that may or may not be there (a remove was under way). It
// returns the ids present.
func verifyMoved(t *testing.T, kr *testenv.Keyring, env []string, dir string, want map[string]string, maybe map[string]bool, when string) map[string]bool {
	t.Helper()
	out := runChild(t, env, "verify", dir)
	present := map[string]string{}
	var state []string
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		switch {
		case len(f) == 4 && f[0] == "state":
			state = f[1:]
		case len(f) == 3 && f[0] == "account":
			present[f[1]] = f[2]
		default:
			t.Fatalf("%s: the next start fails: %s", when, out)
		}
	}
	if state == nil || state[1] != `""` {
		t.Fatalf("%s: the move is not finished: %s", when, out)
	}
	lost := 0
	for id, code := range want {
		got, ok := present[id]
		switch {
		case !ok && maybe[id]:
		case !ok:
			t.Errorf("%s: account %s, added before, is gone", when, id)
			lost++
		case got != code:
			t.Errorf("%s: account %s yields %s, want %s: its secret changed", when, id, got, code)
			lost++
		}
	}
	items := kr.Items(t, Service)
	switch state[0] {
	case string(BackendVault):
		if state[2] != "true" {
			t.Errorf("%s: the secrets are in the vault, but there is no vault file", when)
		}
		if len(items) != 0 {
			t.Errorf("%s: %d secrets stranded in the keychain, which the app no longer reads", when, len(items))
		}
	case string(BackendKeychain):
		if state[2] != "false" {
			t.Errorf("%s: the secrets are in the keychain, but the vault file is still there", when)
		}
		if len(items) != len(present) {
			t.Errorf("%s: %d keychain items for %d accounts", when, len(items), len(present))
		}
		for _, id := range items {
			if _, ok := present[id]; !ok {
				t.Errorf("%s: keychain item %s belongs to no account", when, id)
			}
		}
	default:
		t.Fatalf("%s: unknown state %v", when, state)
	}
	if lost > 0 || t.Failed() {
		t.FailNow()
	}
	ids := map[string]bool{}
	for id := range present {
		ids[id] = true
	}
	return ids
}

// TestMoveWithConcurrentAdds: 200 accounts move into a new vault while
// six other processes add accounts, one after another, before, during and
// after the move (the attack of issue 13), and six more add one each the
// moment vault.stv appears. Every add that said "added", and every account
// moved, keeps its secret, and none is left in the keychain.
func TestMoveWithConcurrentAdds(t *testing.T) {
	kr, env, dir := moveEnv(t)
	want := map[string]string{}
	parseAdded(runChild(t, env, "fill", dir, "200"), want)
	if len(want) != 200 {
		t.Fatalf("filled %d accounts, want 200", len(want))
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	collect := func(out string) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasPrefix(out, "error") || strings.Contains(out, "\nerror") {
			t.Errorf("an add failed: %s", out)
		}
		parseAdded(out, want)
	}
	var loops []*exec.Cmd
	for range 6 {
		cmd := childCmd(env, "addloop", dir)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		loops = append(loops, cmd)
		wg.Go(func() { cmd.Wait(); collect(out.String()) })
	}
	stop := func() {
		for _, c := range loops {
			c.Process.Kill()
		}
		wg.Wait()
	}
	t.Cleanup(stop) // before a failure ends the test
	mover := childCmd(env, "mover", dir, "once")
	mover.Stderr = os.Stderr
	var moverOut strings.Builder
	mover.Stdout = &moverOut
	if err := mover.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Minute); !VaultExists(filepath.Join(dir, VaultFile)); {
		if time.Now().After(deadline) {
			t.Fatal("vault.stv did not appear")
		}
		time.Sleep(time.Millisecond)
	}
	for range 6 {
		wg.Go(func() {
			out, _ := childCmd(env, "addone", dir).CombinedOutput()
			collect(string(out))
		})
	}
	mover.Wait()
	if !strings.Contains(moverOut.String(), "moved vault") {
		t.Fatalf("the move failed: %s", moverOut.String())
	}
	// A few more adds into the vault, then stop the loops (an add cut off
	// by the kill never said "added").
	time.Sleep(500 * time.Millisecond)
	stop()
	verifyMoved(t, kr, env, dir, want, nil, "after the move")
	t.Logf("200 accounts moved, %d added meanwhile, 0 lost, 0 stranded", len(want)-200)
}

// TestCrashMove kills a process that moves the secrets into the vault and
// back, over and over, together with one that adds and removes accounts
// meanwhile, at random instants; then finishes or undoes the cut-off move
// (as softtoken vault finish / vault undo or the window do), and checks:
// no secret lost, none stranded, no move left unfinished.
func TestCrashMove(t *testing.T) {
	kr, env, dir := moveEnv(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0x90e))
	want := map[string]string{}
	parseAdded(runChild(t, env, "fill", dir, "8"), want)
	maybe := map[string]bool{}
	var stats struct{ kills, cut, finished, undone, adds, checked int }

	for stats.kills < *moveKills {
		var procs []*exec.Cmd
		outs := make([]strings.Builder, 2)
		var wg sync.WaitGroup
		for i, role := range []string{"mover", "adder"} {
			cmd := childCmd(env, role, dir)
			cmd.Stderr = os.Stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			procs = append(procs, cmd)
			wg.Go(func() {
				sc := bufio.NewScanner(stdout)
				for sc.Scan() {
					outs[i].WriteString(sc.Text() + "\n")
				}
			})
		}
		time.Sleep(time.Duration(r.IntN(1500)) * time.Millisecond)
		for _, p := range procs {
			p.Process.Kill()
		}
		wg.Wait()
		for _, p := range procs {
			p.Wait()
		}
		stats.kills++
		for _, o := range outs {
			if strings.Contains(o.String(), "\nerror") || strings.HasPrefix(o.String(), "error") {
				t.Fatalf("after kill %d a child failed: %s", stats.kills, o.String())
			}
		}
		n := len(want)
		parseAdded(outs[1].String(), want)
		stats.adds += len(want) - n
		for line := range strings.Lines(outs[1].String()) {
			if f := strings.Fields(line); len(f) == 2 && f[0] == "removing" {
				maybe[f[1]] = true
			}
		}

		to := BackendVault
		if r.IntN(2) == 0 {
			to = BackendKeychain
			stats.undone++
		} else {
			stats.finished++
		}
		out := runChild(t, env, "settle", dir, string(to))
		if !strings.HasPrefix(out, "settled") {
			t.Fatalf("after kill %d, moving to the %s fails: %s", stats.kills, to, out)
		}
		if !strings.HasSuffix(strings.TrimSpace(out), `""`) {
			stats.cut++ // the kill cut a move off half-way
		}
		present := verifyMoved(t, kr, env, dir, want, maybe, fmt.Sprintf("after kill %d and a move to the %s", stats.kills, to))
		stats.checked += len(present)
		if stats.kills%100 == 0 {
			fmt.Fprintf(os.Stderr, "move crash test: %d kills, %d cut a move off, 0 lost, 0 stranded so far\n", stats.kills, stats.cut)
		}
		for id := range want {
			if !present[id] {
				delete(want, id) // removed before the kill
				delete(maybe, id)
			}
		}
	}
	msg := fmt.Sprintf("move crash test: kills %d (%d of them cut a move off; then finished %d, undone %d), adds during moves %d, accounts checked %d, secrets lost 0, stranded 0",
		stats.kills, stats.cut, stats.finished, stats.undone, stats.adds, stats.checked)
	t.Log(msg)
	fmt.Fprintln(os.Stderr, msg)
}

// fileKeychain stands in for the OS keychain with a vault file elsewhere:
// a store on it counts as on the keychain.
type fileKeychain struct{ *Vault }

// downKeychain is a keychain that does not answer.
type downKeychain struct{}

func (downKeychain) Set(string, string, string) error { return ErrNoSecretService }
func (downKeychain) Get(string, string) (string, error) {
	return "", ErrNoSecretService
}
func (downKeychain) Delete(string, string) error { return ErrNoSecretService }

// TestMoveRefusedWithoutKeychain: with accounts enrolled, a move into a
// vault without a keychain that answers would leave their secrets behind
// (issue 13: "vault create while the keychain is down"): it is refused and
// nothing changes. With one that answers it moves them, and undo moves
// them back. The "keychain" here is a second vault file, which implements
// the same interface; the real one is in TestMoveWithConcurrentAdds.
func TestMoveRefusedWithoutKeychain(t *testing.T) {
	v, _ := newVault(t)
	kc := fileKeychain{v}
	dir := filepath.Join(t.TempDir(), "softtoken")
	s, err := Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	alice := mustParse(t, "otpauth://totp/Stadt:alice?secret="+rfcSeed)
	added, err := s.Add(alice)
	if err != nil {
		t.Fatal(err)
	}
	id := added[0].ID
	ixPath := filepath.Join(dir, IndexFile)
	before, _ := os.ReadFile(ixPath)
	pass := []byte("correct horse battery")
	for name, k := range map[string]Keyring{"none": nil, "down": downKeychain{}} {
		_, err := moveToVault(dir, pass, k, testKDF)
		if !errors.Is(err, ErrMoveNeedsKeychain) {
			t.Errorf("%s: MoveToVault = %v, want ErrMoveNeedsKeychain", name, err)
		}
		if k != nil && !errors.Is(err, ErrNoSecretService) {
			t.Errorf("%s: the keychain's own error is lost: %v", name, err)
		}
		if VaultExists(filepath.Join(dir, VaultFile)) {
			t.Fatalf("%s: a vault file was made", name)
		}
		if after, _ := os.ReadFile(ixPath); string(after) != string(before) {
			t.Fatalf("%s: the index changed:\n%s", name, after)
		}
	}

	res, err := moveToVault(dir, pass, kc, testKDF)
	if err != nil || res.Moved != 1 {
		t.Fatalf("MoveToVault = %+v, %v; want 1 moved", res, err)
	}
	if _, err := kc.Get(Service, id); !errors.Is(err, ErrSecretMissing) {
		t.Errorf("the keychain copy is still there after the move: %v", err)
	}
	if _, err := s.Get(id); !errors.Is(err, ErrSecretsMoved) {
		t.Errorf("the store opened on the keychain reads %v, want ErrSecretsMoved", err)
	}
	if _, err := s.Add(mustParse(t, "otpauth://totp/Stadt:bob?secret="+rfcSeed)); !errors.Is(err, ErrSecretsMoved) {
		t.Errorf("an add through the keychain after the move: %v, want ErrSecretsMoved", err)
	}
	if _, err := moveToVault(dir, pass, kc, testKDF); !errors.Is(err, ErrVaultExists) {
		t.Errorf("a second move: %v, want ErrVaultExists", err)
	}
	if _, err := MoveToKeychain(dir, []byte("wrong"), kc); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("undo with a wrong passphrase: %v", err)
	}
	if res, err := MoveToKeychain(dir, pass, kc); err != nil || res.Moved != 1 {
		t.Fatalf("MoveToKeychain = %+v, %v; want 1 moved", res, err)
	}
	if VaultExists(filepath.Join(dir, VaultFile)) {
		t.Error("the vault file is still there after undo")
	}
	s2, _ := Open(dir, kc)
	if got, err := s2.Get(id); err != nil || string(got.Secret) != string(alice.Secret) {
		t.Errorf("after undo: %v", err)
	}
	if _, err := MoveToKeychain(dir, pass, kc); !errors.Is(err, ErrNoMove) {
		t.Errorf("a second undo: %v, want ErrNoMove", err)
	}
}

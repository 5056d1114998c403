package store

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/testenv"
)

// crashKills is how many times TestCrash kills a working child. make test
// runs the default; make crashtest runs 1,000.
var crashKills = flag.Int("crash.kills", 100, "kills in TestCrash")

// TestCrash kills a child that adds, removes and spends HOTP codes with
// SIGKILL at random instants, and after every kill opens the store as the
// next start would and checks: the index parses; every account whose add
// had returned is there and yields its code; no HOTP counter value was
// ever handed out twice; no keychain item is left without an account.
func TestCrash(t *testing.T) {
	bus := testenv.PrivateBus(t)
	kr := bus.StartKeyring(t)
	env := bus.Env(os.Environ())
	dir := filepath.Join(t.TempDir(), "softtoken")

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0xc4a5))

	added := map[string]bool{}     // add returned: must exist until removed
	removing := map[string]bool{}  // remove started: may or may not exist
	spent := map[string][]uint64{} // HOTP counters whose code was handed out
	var stats struct{ kills, events, accounts, counters int }

	for stats.kills < *crashKills {
		cmd := childCmd(env, "work", dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill at a random instant: somewhere in the child's start, or in
		// the middle of its work, whichever the dice say.
		time.AfterFunc(time.Duration(r.IntN(80_000))*time.Microsecond, func() { cmd.Process.Kill() })
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			stats.events++
			f := strings.Fields(sc.Text())
			switch f[0] {
			case "added":
				added[f[1]] = true
			case "removing":
				removing[f[1]] = true
			case "removed":
				delete(added, f[1])
			case "hotp":
				c, _ := strconv.ParseUint(f[2], 10, 64)
				if slices.Contains(spent[f[1]], c) {
					t.Fatalf("HOTP counter %d of %s handed out twice", c, f[1])
				}
				spent[f[1]] = append(spent[f[1]], c)
			case "error":
				t.Fatalf("the child failed: %s", sc.Text())
			}
		}
		cmd.Wait()
		stats.kills++

		out := runChild(t, env, "check", dir)
		present := map[string]bool{}
		for line := range strings.Lines(out) {
			f := strings.Fields(line)
			if len(f) == 0 {
				continue
			}
			if f[0] != "account" {
				t.Fatalf("after kill %d the next start fails: %s", stats.kills, out)
			}
			present[f[1]] = true
			stats.accounts++
			counter, _ := strconv.ParseUint(f[3], 10, 64)
			for _, c := range spent[f[1]] {
				stats.counters++
				if c >= counter {
					t.Fatalf("after kill %d: %s stores counter %d, but %d was handed out", stats.kills, f[1], counter, c)
				}
			}
		}
		for id := range added {
			if !present[id] && !removing[id] {
				t.Fatalf("after kill %d: account %s, added before, is gone", stats.kills, id)
			}
			if !present[id] {
				delete(added, id) // its removal went through before the kill
			}
		}
		// No orphans: the keychain holds exactly the accounts' secrets.
		items := kr.Items(t, Service)
		for _, id := range items {
			if !present[id] {
				t.Fatalf("after kill %d: keychain item %s belongs to no account", stats.kills, id)
			}
		}
		if len(items) != len(present) {
			t.Fatalf("after kill %d: %d keychain items for %d accounts", stats.kills, len(items), len(present))
		}
	}
	t.Logf("kills %d, events %d, accounts checked %d, counters checked %d, failures 0",
		stats.kills, stats.events, stats.accounts, stats.counters)
	fmt.Fprintf(os.Stderr, "crash test: kills %d, events %d, accounts checked %d, counters checked %d, failures 0\n",
		stats.kills, stats.events, stats.accounts, stats.counters)
}

package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/store/storetest"
	"github.com/cityadmin/softtoken/token"
)

func TestMain(m *testing.M) {
	storetest.FastKDF(m) // the vaults and backups of the scripts too: the commands run in this binary
	testscript.Main(m, map[string]func(){
		"softtoken": func() { os.Exit(Main(os.Args[1:])) },
	})
}

// TestScripts runs the CLI contract in testdata/script. Every script gets
// a Secret Service of its own (a private D-Bus with gnome-keyring, whose
// files live in $WORK/.keyring), its own config folder and home.
func TestScripts(t *testing.T) {
	testenv.SecretService(t)
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			bus := testenv.PrivateBus(t)
			bus.StartKeyringIn(t, env.WorkDir+"/.keyring")
			env.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Address)
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/config")
			env.Setenv("HOME", env.WorkDir+"/home")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"noleak": cmdNoLeak,
			"fetch":  cmdFetch,
		},
	})
}

// cmdNoLeak: noleak BASE32SECRET DIR... fails if any file below the DIRs
// holds the secret in any usual spelling: base32 (either case, with or
// without padding), raw bytes, hex, base64.
func cmdNoLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: noleak BASE32SECRET DIR...")
	}
	raw, err := token.DecodeBase32(args[0])
	if err != nil {
		ts.Fatalf("noleak: %v", err)
	}
	b32 := token.EncodeBase32(raw)
	forms := [][]byte{
		[]byte(b32), []byte(strings.ToLower(b32)), raw,
		[]byte(hex.EncodeToString(raw)), []byte(strings.ToUpper(hex.EncodeToString(raw))),
		[]byte(base64.StdEncoding.EncodeToString(raw)[:len(raw)*4/3]),
		[]byte(base64.URLEncoding.EncodeToString(raw)[:len(raw)*4/3]),
	}
	files := 0
	for _, dir := range args[1:] {
		filepath.WalkDir(ts.MkAbs(dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil // a socket or a file gone meanwhile
			}
			files++
			for _, f := range forms {
				if bytes.Contains(b, f) {
					ts.Fatalf("noleak: %s holds the secret (as %q…)", path, f[:4])
				}
			}
			return nil
		})
	}
	ts.Logf("noleak: %d files clean", files)
}

// cmdFetch is "fetch FILE": a browser's first request to the URL in FILE,
// without following a redirect; prints the status code and the Location.
func cmdFetch(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: fetch FILE")
	}
	u := strings.TrimSpace(ts.ReadFile(args[0]))
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		if !neg {
			ts.Fatalf("fetch %s: %v", u, err)
		}
		return
	}
	resp.Body.Close()
	fmt.Fprintf(ts.Stdout(), "%d %s\n", resp.StatusCode, resp.Header.Get("Location"))
	if neg && resp.StatusCode < 400 {
		ts.Fatalf("fetch %s: %d", u, resp.StatusCode)
	}
}

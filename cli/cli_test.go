package cli

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cityadmin/softtoken/internal/testenv"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"softtoken": func() { os.Exit(Main(os.Args[1:])) },
	})
}

// TestScripts runs the CLI contract in testdata/script against the real
// Secret Service that `make test` starts; each script has its own config
// folder.
func TestScripts(t *testing.T) {
	testenv.SecretService(t)
	bus := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/config")
			env.Setenv("HOME", env.WorkDir+"/home")
			return nil
		},
	})
}

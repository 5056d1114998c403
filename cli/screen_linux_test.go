package cli

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/scan/scantest"
)

// TestScreenScripts runs testdata/screen: add --screen against a real X
// server private to the test, with real windows on it that show QR codes,
// and the real Secret Service. The scripts share the display, so there is
// one script; its commands:
//
//	qrcode LINKFILE PNGFILE   draw the link in LINKFILE as a QR code, 4 px a module
//	showqr PNGFILE X Y        open a window at X,Y showing PNGFILE, wait until it shows
//	hideqr                    close every window showqr opened
func TestScreenScripts(t *testing.T) {
	testenv.SecretService(t)
	show, xwininfo := testenv.Tool(t, "display"), testenv.Tool(t, "xwininfo")
	display := scantest.Xvfb(t, 1920, 1080)
	bus := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	var windows []func()
	defer func() {
		for _, close := range windows {
			close()
		}
	}()
	testscript.Run(t, testscript.Params{
		Dir: "testdata/screen",
		Setup: func(env *testscript.Env) error {
			env.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/config")
			env.Setenv("HOME", env.WorkDir+"/home")
			env.Setenv("DISPLAY", display)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"qrcode": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 2 {
					ts.Fatalf("usage: qrcode LINKFILE PNGFILE")
				}
				link := strings.TrimSpace(ts.ReadFile(args[0]))
				ts.Check(qrcode.WriteFile(link, qrcode.Medium, -4, ts.MkAbs(args[1])))
			},
			"showqr": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 3 {
					ts.Fatalf("usage: showqr PNGFILE X Y")
				}
				x, err := strconv.Atoi(args[1])
				ts.Check(err)
				y, err := strconv.Atoi(args[2])
				ts.Check(err)
				close, err := scantest.Window(show, xwininfo, display, ts.MkAbs(args[0]), x, y)
				ts.Check(err)
				windows = append(windows, close)
			},
			"hideqr": func(ts *testscript.TestScript, neg bool, args []string) {
				for _, close := range windows {
					close()
				}
				windows = nil
			},
		},
	})
}

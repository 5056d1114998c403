package launcher

import (
	"fmt"
	"os"
	"testing"
)

// rigHandedDir holds the record of codes handed out that the rig tests
// of one login share (the portal's one user): a code one of them used,
// the next does not hand out again, as the portal would refuse it.
var rigHandedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "softtoken-launcher-handed-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rigHandedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func rigHanded() *Handed { return &Handed{Dir: rigHandedDir} }

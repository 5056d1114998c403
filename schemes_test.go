package main

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/cityadmin/softtoken/token"
)

// TestSchemesInStep: the packages declare softtoken the handler of the
// schemes token.Schemes lists, no more and no fewer: the Linux menu entry
// and its installer, the macOS Info.plist and the package test. They are
// not Go and cannot import the list; this test is what keeps them one.
func TestSchemesInStep(t *testing.T) {
	for _, c := range []struct {
		file string
		re   string // each match's first group is a scheme
	}{
		{"packaging/linux/softtoken.desktop.in", `x-scheme-handler/([a-z-]+);`},
		{"packaging/linux/install.sh", `schemes="[^"]*"`},
		{"packaging/macos/Info.plist.in", `<string>(otpauth[a-z-]*)</string>`},
		{"packaging/test-package.sh", `for s in ([a-z -]+); do`},
	} {
		b, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range regexp.MustCompile(c.re).FindAllStringSubmatch(string(b), -1) {
			if len(m) > 1 {
				got = append(got, regexp.MustCompile(`[a-z][a-z-]*`).FindAllString(m[1], -1)...)
			} else {
				for _, s := range regexp.MustCompile(`x-scheme-handler/([a-z-]+)`).FindAllStringSubmatch(m[0], -1) {
					got = append(got, s[1])
				}
			}
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(token.Schemes))
		if !slices.Equal(got, want) {
			t.Errorf("%s declares %q, token.Schemes is %q", c.file, got, want)
		}
	}
}

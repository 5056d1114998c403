package imports

import (
	"errors"
	"strings"

	"github.com/cityadmin/softtoken/token"
)

// readURIList reads a text file of links, one a line. A line that fails is
// skipped, named by its number; its content is never quoted, since it holds
// a secret.
func readURIList(data []byte) Result {
	c := newCollector(FormatURIList, "line")
	n := 0
	for line := range strings.Lines(string(data)) {
		n++
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		accs, err := token.Parse(line)
		if err != nil {
			c.skip(n, "", tokenKind(err))
			continue
		}
		for _, a := range accs {
			c.add(n, a)
		}
	}
	return c.res
}

// tokenErrors are package token's sentinel errors, most specific first.
var tokenErrors = []error{
	token.ErrNoSecret,
	token.ErrBadSecret,
	token.ErrShortSecret,
	token.ErrDigits,
	token.ErrPeriod,
	token.ErrType,
	token.ErrAlgorithm,
	token.ErrNoCounter,
	token.ErrCounter,
	token.ErrMigration,
	token.ErrNotOTPAuth,
}

// tokenKind reduces an error of package token to its sentinel. Package token
// never puts a secret in an error, but it does quote a value of the link
// (a type, a number of digits) or a label; a line of a file might hold
// anything there, so nothing of it is passed on.
func tokenKind(err error) error {
	for _, k := range tokenErrors {
		if errors.Is(err, k) {
			return k
		}
	}
	return ErrDamaged
}

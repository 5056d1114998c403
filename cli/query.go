package cli

import (
	"fmt"
	"strings"

	"github.com/cityadmin/softtoken/token"
)

// queryError is a QUERY that matched no account or several; it lists the
// candidates so that the person can say which.
type queryError struct {
	query      string
	candidates []token.Account
	ambiguous  bool
}

func (e *queryError) Error() string {
	var b strings.Builder
	if e.ambiguous {
		fmt.Fprintf(&b, "%q matches %d accounts; say which:", e.query, len(e.candidates))
	} else if len(e.candidates) == 0 {
		return fmt.Sprintf("no account matches %q, and none is enrolled; add one with: softtoken add -", e.query)
	} else {
		fmt.Fprintf(&b, "no account matches %q; enrolled are:", e.query)
	}
	for _, a := range e.candidates {
		fmt.Fprintf(&b, "\n  %s  (id %s)", a.Label(), a.ID)
	}
	return b.String()
}

// resolve finds the one account QUERY means. An account whose id, whole
// name or whole label ("Issuer: name", "Issuer:name") equals the query,
// ignoring case, wins; otherwise the query must be part of the issuer or
// name of exactly one account.
func resolve(accs []token.Account, query string) (token.Account, error) {
	exact, partial := token.Match(accs, query)
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		return token.Account{}, &queryError{query: query, candidates: exact, ambiguous: true}
	case len(partial) == 1:
		return partial[0], nil
	case len(partial) > 1:
		return token.Account{}, &queryError{query: query, candidates: partial, ambiguous: true}
	}
	return token.Account{}, &queryError{query: query, candidates: accs}
}

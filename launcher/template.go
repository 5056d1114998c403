package launcher

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// urlTemplate is a web target's URL with {code} and {user} placeholders,
// which may stand only in the query or the fragment.
type urlTemplate struct {
	raw     string
	hasCode bool
	host    string // host[:port] of the URL
}

func parseTemplate(raw string) (*urlTemplate, error) {
	if raw == "" || strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, fmt.Errorf("%w: the URL is empty or holds spaces or control characters", ErrInvalid)
	}
	base, _, _ := strings.Cut(raw, "#")
	beforeQuery, _, _ := strings.Cut(base, "?")
	if strings.Contains(beforeQuery, "{") {
		return nil, fmt.Errorf("%w: {code} and {user} may stand only in the query or the fragment of the URL", ErrInvalid)
	}
	probe := strings.NewReplacer("{code}", "000000", "{user}", "user").Replace(raw)
	if strings.ContainsAny(probe, "{}") {
		return nil, fmt.Errorf("%w: the URL knows only the placeholders {code} and {user}", ErrInvalid)
	}
	u, err := url.Parse(probe)
	if err != nil {
		return nil, fmt.Errorf("%w: the URL cannot be read", ErrInvalid)
	}
	if u.Scheme != "https" || u.Opaque != "" {
		return nil, fmt.Errorf("%w (%s)", ErrNotHTTPS, u.Redacted())
	}
	if u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: the URL needs a host and no user name or password in it", ErrInvalid)
	}
	return &urlTemplate{raw: raw, hasCode: strings.Contains(raw, "{code}"), host: u.Host}, nil
}

// expand fills in the placeholders, escaped as query values.
func (t *urlTemplate) expand(code, user string) string {
	return strings.NewReplacer("{code}", url.QueryEscape(code), "{user}", url.QueryEscape(user)).Replace(t.raw)
}

// display fills in the placeholders for a person to read: the code is
// masked, and nothing is escaped.
func (t *urlTemplate) display(digits int, user string) string {
	return strings.NewReplacer("{code}", Mask(digits), "{user}", user).Replace(t.raw)
}

// Mask is what stands for a code of n digits wherever it is shown but
// must not be: "••••••".
func Mask(n int) string {
	if n <= 0 {
		n = 6
	}
	return strings.Repeat("•", n)
}

// gatewayURL returns https://HOST[:PORT]/ for an RD Gateway given as
// host[:port].
func gatewayURL(gw string) (*url.URL, error) {
	host, port := gw, ""
	if h, p, err := net.SplitHostPort(gw); err == nil {
		host, port = h, p
	}
	if !hostRE.MatchString(host) {
		return nil, fmt.Errorf("%w: gateway %q is not host[:port]", ErrInvalid, gw)
	}
	if port != "" {
		if n, err := parsePort(port); err != nil || n == 0 {
			return nil, fmt.Errorf("%w: gateway %q has a bad port", ErrInvalid, gw)
		}
	}
	return &url.URL{Scheme: "https", Host: gw, Path: "/"}, nil
}

func parsePort(s string) (int, error) {
	n := 0
	if s == "" || len(s) > 5 {
		return 0, fmt.Errorf("bad port")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("bad port")
		}
		n = n*10 + int(c-'0')
	}
	if n > 65535 {
		return 0, fmt.Errorf("bad port")
	}
	return n, nil
}

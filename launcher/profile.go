package launcher

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// ProfileFormat is the profile format this code reads and writes.
const ProfileFormat = 1

// signContext is prepended to the profile bytes before signing, so that a
// signature made for a profile can never be passed off as one for anything
// else signed with the same key.
const signContext = "softtoken profile v1\n"

// Profile is what an organisation tells every install: who it is, where its
// people log in, and which enrollment issuers it vouches for.
type Profile struct {
	Format       int       `json:"format"`       // ProfileFormat
	Organisation string    `json:"organisation"` // shown to the user
	Version      uint64    `json:"version"`      // from 1; never accepted lower than one accepted before
	Issued       time.Time `json:"issued"`
	Expires      time.Time `json:"expires"`
	// Issuers are the enrollment issuers the organisation vouches for, as
	// in the otpauth link's label prefix.
	Issuers []string `json:"issuers,omitempty"`
	Targets []Target `json:"targets"`
}

// Target is one place to log in: a web portal or a remote desktop.
type Target struct {
	Name  string `json:"name"`            // short, for the command line: [a-z0-9-], 1 to 32
	Title string `json:"title,omitempty"` // for the window; Name if empty
	Type  Kind   `json:"type"`
	// Account chooses the enrolled account whose code goes to the target,
	// as a query on its issuer and name (as `softtoken code QUERY`). Empty
	// means the only account enrolled.
	Account string `json:"account,omitempty"`
	Web     *Web   `json:"web,omitempty"`
	RDP     *RDP   `json:"rdp,omitempty"`
}

// Kind is the kind of a target.
type Kind string

// The kinds of target.
const (
	KindWeb Kind = "web"
	KindRDP Kind = "rdp"
)

// Web is a portal opened in the system's browser.
type Web struct {
	// URL is an https URL. In mode "url" it holds {code} (and may hold
	// {user}, the account's name) in its query or its fragment, where the
	// portal reads it: Apache Guacamole's TOTP extension reads
	// "#/?guac-totp={code}". The values are escaped as a query value.
	URL  string   `json:"url"`
	Code CodeMode `json:"code"`
	// TypeTabs and TypeEnter say, in mode "type", how many Tabs go before
	// the code (to reach its field from the one with the cursor) and
	// whether Enter follows it. Only with mode "type".
	TypeTabs  int  `json:"typeTabs,omitempty"`
	TypeEnter bool `json:"typeEnter,omitempty"`
}

// RDP is a remote desktop, reached directly or through a Remote Desktop
// Gateway.
type RDP struct {
	Host    string `json:"host"`
	Port    int    `json:"port,omitempty"`    // default 3389
	Gateway string `json:"gateway,omitempty"` // host[:port] of the RD Gateway (HTTPS); none if empty
	User    string `json:"user,omitempty"`    // {user} is the account's name; default {user}
	Domain  string `json:"domain,omitempty"`
	// Code is where the server takes the code: "gateway-password",
	// "password", "password+code" (the person's password or PIN, asked
	// for, then the code), "clipboard" or "type" (typed into the logon
	// screen: see CodeType).
	Code CodeMode `json:"code"`
	// TypeTabs and TypeEnter: as Web's, in mode "type".
	TypeTabs  int  `json:"typeTabs,omitempty"`
	TypeEnter bool `json:"typeEnter,omitempty"`
	// CredentialManager lets the launcher on Windows hand the code to
	// mstsc.exe through short-lived Windows credentials (Credential
	// Manager) instead of the clipboard: in mode "password" as the
	// session's credential (TERMSRV/host), in mode "gateway-password" as
	// the gateway's, with the person's own password as the session's if
	// they gave it. Only with those two modes; default false. Other
	// systems and clients ignore it.
	CredentialManager bool `json:"credentialManager,omitempty"`
	// AskPassword says whether the person is asked for their own password
	// for the desktop, to be passed to the client with the code. Default
	// (nil): true in modes "gateway-password" and "password+code", false
	// otherwise. Not with mode "password", where the code is the
	// session's password; always with "password+code".
	AskPassword *bool `json:"askPassword,omitempty"`
	// CertFingerprints are the SHA-256 fingerprints of the certificates
	// the host and the gateway show ("sha256:" and 64 hex digits, colons
	// between the bytes allowed). With them the client accepts those
	// certificates only and refuses any other, also on the first
	// connection (FreeRDP: /cert:deny with the fingerprints). Without
	// them, the first certificate seen is trusted and a changed one
	// refused later (/cert:tofu): a man in the middle on the very first
	// connection is not noticed, which the window says the first time.
	// mstsc.exe takes no fingerprint in an .rdp file; it checks the
	// certificate against Windows' trusted roots and warns on a
	// mismatch.
	CertFingerprints []string `json:"certFingerprints,omitempty"`
}

// CertPins returns the target's certificate fingerprints as FreeRDP takes
// them: "sha256:" and the bytes in lower-case hex, separated by colons. A
// fingerprint of another form is left out (validate refuses it).
func (r *RDP) CertPins() []string {
	var out []string
	for _, f := range r.CertFingerprints {
		if p, ok := certPin(f); ok {
			out = append(out, p)
		}
	}
	return out
}

// certPin reads "sha256:HEX" (64 hex digits, colons between bytes or
// none) into FreeRDP's form.
func certPin(f string) (string, bool) {
	algo, hexs, ok := strings.Cut(strings.TrimSpace(f), ":")
	if !ok || !strings.EqualFold(algo, "sha256") {
		return "", false
	}
	hexs = strings.ToLower(strings.ReplaceAll(hexs, ":", ""))
	b, err := hex.DecodeString(hexs)
	if err != nil || len(b) != sha256.Size {
		return "", false
	}
	parts := make([]string, len(b))
	for i, c := range b {
		parts[i] = fmt.Sprintf("%02x", c)
	}
	return "sha256:" + strings.Join(parts, ":"), true
}

// AsksPassword reports whether the person is asked for their own password
// for the desktop: AskPassword if set, else whether the code goes to the
// gateway (so the desktop behind it needs another password). Whether they
// are asked at all depends on the client too: see Launcher.NeedsPassword.
func (r *RDP) AsksPassword() bool {
	if r.Code == CodePasswordCode {
		return true
	}
	if r.AskPassword != nil {
		return *r.AskPassword && r.Code != CodePassword
	}
	return r.Code == CodeGatewayPassword
}

// SessionUser is the user name the desktop session logs in as for the
// account named account: the target's user ({user} replaced, default the
// account's name), prefixed with "DOMAIN\" where a domain is set and the
// name is no DOMAIN\user or user@domain already. A password dialog names
// it.
func (r *RDP) SessionUser(account string) string {
	return qualifiedUser(expandUser(r.User, account), r.Domain)
}

// qualifiedUser is DOMAIN\user, or user as given if it names its domain
// already or there is none.
func qualifiedUser(user, domain string) string {
	if domain != "" && user != "" && !strings.ContainsAny(user, `\@`) {
		return domain + `\` + user
	}
	return user
}

// CodeMode is how the code reaches the login.
type CodeMode string

// The ways a code reaches the login.
const (
	CodeURL             CodeMode = "url"              // web: in the URL
	CodeClipboard       CodeMode = "clipboard"        // web, rdp: the clipboard, cleared after a while
	CodePassword        CodeMode = "password"         // rdp: as the password of the session
	CodeGatewayPassword CodeMode = "gateway-password" // rdp: as the password of the gateway
	// rdp: the person's password or PIN followed by the code, as the
	// password of the session (pam_oath's and privacyIDEA's PIN)
	CodePasswordCode CodeMode = "password+code"
	// web, rdp: typed as key presses into the next window that takes the
	// keyboard focus after the launch (the portal's, the session's), as
	// a person would type it; the clipboard where that cannot be done.
	CodeType CodeMode = "type"
)

// maxTypeTabs is the most Tabs a target may type before the code.
const maxTypeTabs = 20

func validateTyping(kind, name string, code CodeMode, tabs int, enter bool) error {
	if code != CodeType && (tabs != 0 || enter) {
		return fmt.Errorf("%w: %s target %q: typeTabs and typeEnter need code type", ErrInvalid, kind, name)
	}
	if tabs < 0 || tabs > maxTypeTabs {
		return fmt.Errorf("%w: %s target %q: typeTabs must be 0 to %d", ErrInvalid, kind, name, maxTypeTabs)
	}
	return nil
}

// Errors of profiles. Each refusal leaves what is stored unchanged.
var (
	// ErrMalformed: the file is no signed profile, or it was damaged.
	ErrMalformed = errors.New("the profile file is damaged or not a softtoken profile")
	// ErrSignature: the signature does not match the profile.
	ErrSignature = errors.New("the profile's signature is not valid")
	// ErrUnknownKey: the profile is signed by a key this build does not trust.
	ErrUnknownKey = errors.New("the profile is signed by a key this softtoken does not trust")
	// ErrExpired: the profile's expiry has passed.
	ErrExpired = errors.New("the profile has expired")
	// ErrDowngrade: a profile of a higher version was accepted before.
	ErrDowngrade = errors.New("the profile is older than the one already installed")
	// ErrRolledBack: the installed profile is of a lower version than one
	// accepted before: an older file was put in its place.
	ErrRolledBack = errors.New("the installed profile is older than one accepted before, so it is not used")
	// ErrFormat: the profile was written for a newer softtoken.
	ErrFormat = errors.New("the profile needs a newer softtoken")
	// ErrInvalid: the profile is signed but its content breaks a rule.
	ErrInvalid = errors.New("the profile is not valid")
	// ErrNotHTTPS: a target is not an https URL.
	ErrNotHTTPS = errors.New("a target is not an https address")
	// ErrNoProfile: no profile is installed.
	ErrNoProfile = errors.New("no profile is installed")
)

// MaxProfileSize is the largest signed profile file read: 1 MiB, a
// hundred times a profile with fifty targets.
const MaxProfileSize = 1 << 20

// Envelope is the signed file: the profile's JSON bytes exactly as signed,
// the id of the signing key, and the Ed25519 signature of
// "softtoken profile v1\n" followed by those bytes. In JSON the byte fields
// are standard base64 with padding.
type Envelope struct {
	Profile   []byte `json:"profile"`
	KeyID     string `json:"key_id"`
	Signature []byte `json:"signature"`
}

// Keys are the trusted public keys, by key id.
type Keys map[string]ed25519.PublicKey

var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// Sign returns the signed envelope of profile, which must be a valid
// profile's JSON, as the file to distribute. The bytes are signed as they
// are; they are not re-encoded.
func Sign(profile []byte, keyID string, key ed25519.PrivateKey) ([]byte, error) {
	if !nameRE.MatchString(keyID) {
		return nil, fmt.Errorf("%w: key id %q must be 1 to 32 of a-z, 0-9 and -", ErrInvalid, keyID)
	}
	if _, err := ParseProfile(profile); err != nil {
		return nil, err
	}
	msg := append([]byte(signContext), profile...)
	env := Envelope{Profile: profile, KeyID: keyID, Signature: ed25519.Sign(key, msg)}
	b, err := encodeEnvelope(env)
	if err == nil && len(b) > MaxProfileSize {
		return nil, fmt.Errorf("%w: the signed file would have %d KiB, more than the %d KiB softtoken reads", ErrInvalid, len(b)>>10, MaxProfileSize>>10)
	}
	return b, err
}

func encodeEnvelope(env Envelope) ([]byte, error) {
	b, err := json.Marshal(env)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Verify checks a signed file against keys and the time now, and returns
// its profile. It refuses anything but the exact envelope Sign writes (a
// final CRLF instead of LF is let through), so that no change to the file
// goes unnoticed; then the key, the signature, the content and the expiry.
// It does not compare versions; Install does.
func Verify(file []byte, keys Keys, now time.Time) (*Profile, error) {
	if len(file) > MaxProfileSize {
		return nil, fmt.Errorf("%w (larger than %d KiB)", ErrMalformed, MaxProfileSize>>10)
	}
	var env Envelope
	dec := json.NewDecoder(bytes.NewReader(file))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		return nil, ErrMalformed
	}
	canon, err := encodeEnvelope(env)
	if err != nil {
		return nil, ErrMalformed
	}
	if !bytes.Equal(file, canon) && !bytes.Equal(file, canon[:len(canon)-1]) &&
		!bytes.Equal(file, append(canon[:len(canon)-1:len(canon)-1], '\r', '\n')) {
		return nil, ErrMalformed
	}
	pub, ok := keys[env.KeyID]
	if !ok || len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%w (key id %q)", ErrUnknownKey, env.KeyID)
	}
	msg := append([]byte(signContext), env.Profile...)
	if !ed25519.Verify(pub, msg, env.Signature) {
		return nil, ErrSignature
	}
	p, err := ParseProfile(env.Profile)
	if err != nil {
		return nil, err
	}
	if !now.Before(p.Expires) {
		return nil, fmt.Errorf("%w (on %s)", ErrExpired, p.Expires.UTC().Format(time.DateOnly))
	}
	return p, nil
}

// ParseProfile reads and checks a profile's JSON (not its signature).
// Unknown fields are refused, so that a misspelt one is not silently lost.
func ParseProfile(b []byte) (*Profile, error) {
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: text after the profile", ErrInvalid)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Validate reports the first rule p breaks.
func (p *Profile) Validate() error {
	switch {
	case p.Format > ProfileFormat:
		return fmt.Errorf("%w (format %d)", ErrFormat, p.Format)
	case p.Format != ProfileFormat:
		return fmt.Errorf("%w: format must be %d", ErrInvalid, ProfileFormat)
	case strings.TrimSpace(p.Organisation) == "":
		return fmt.Errorf("%w: it names no organisation", ErrInvalid)
	case p.Version == 0:
		return fmt.Errorf("%w: version must be 1 or more", ErrInvalid)
	case p.Expires.IsZero():
		return fmt.Errorf("%w: it has no expiry", ErrInvalid)
	case !p.Issued.IsZero() && !p.Issued.Before(p.Expires):
		return fmt.Errorf("%w: it expires before it was issued", ErrInvalid)
	}
	seen := map[string]bool{}
	for _, t := range p.Targets {
		if err := t.Validate(); err != nil {
			return err
		}
		if seen[t.Name] {
			return fmt.Errorf("%w: two targets are named %q", ErrInvalid, t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}

// Validate reports the first rule t breaks.
func (t Target) Validate() error {
	if !nameRE.MatchString(t.Name) {
		return fmt.Errorf("%w: target name %q must be 1 to 32 of a-z, 0-9 and -", ErrInvalid, t.Name)
	}
	switch t.Type {
	case KindWeb:
		if t.Web == nil || t.RDP != nil {
			return fmt.Errorf("%w: web target %q needs a web part and no rdp part", ErrInvalid, t.Name)
		}
		return t.Web.validate(t.Name)
	case KindRDP:
		if t.RDP == nil || t.Web != nil {
			return fmt.Errorf("%w: rdp target %q needs an rdp part and no web part", ErrInvalid, t.Name)
		}
		return t.RDP.validate(t.Name)
	}
	return fmt.Errorf("%w: target %q has unknown type %q", ErrInvalid, t.Name, t.Type)
}

// Label is the target's title, or its name.
func (t Target) Label() string {
	if t.Title != "" {
		return t.Title
	}
	return t.Name
}

func (w *Web) validate(name string) error {
	tm, err := parseTemplate(w.URL)
	if err != nil {
		return fmt.Errorf("target %q: %w", name, err)
	}
	switch w.Code {
	case CodeURL:
		if !tm.hasCode {
			return fmt.Errorf("%w: target %q passes the code in the URL but its URL has no {code}", ErrInvalid, name)
		}
	case CodeClipboard, CodeType:
		if tm.hasCode {
			return fmt.Errorf("%w: target %q passes the code by %s but its URL has {code}", ErrInvalid, name, w.Code)
		}
	default:
		return fmt.Errorf("%w: web target %q: code must be url, clipboard or type, not %q", ErrInvalid, name, w.Code)
	}
	return validateTyping("web", name, w.Code, w.TypeTabs, w.TypeEnter)
}

var hostRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$`)

func (r *RDP) validate(name string) error {
	if !hostRE.MatchString(r.Host) {
		return fmt.Errorf("%w: rdp target %q: host %q is not a host name", ErrInvalid, name, r.Host)
	}
	if r.Port < 0 || r.Port > 65535 {
		return fmt.Errorf("%w: rdp target %q: port %d is out of range", ErrInvalid, name, r.Port)
	}
	if r.Gateway != "" {
		if _, err := gatewayURL(r.Gateway); err != nil {
			return fmt.Errorf("rdp target %q: %w", name, err)
		}
	}
	for _, s := range []string{r.User, r.Domain} {
		if strings.ContainsAny(s, "\r\n\x00/:;\"") {
			return fmt.Errorf("%w: rdp target %q: user and domain may not hold / : ; \" or line breaks", ErrInvalid, name)
		}
	}
	switch r.Code {
	case CodePassword, CodeClipboard, CodeType:
	case CodePasswordCode:
		if r.AskPassword != nil && !*r.AskPassword {
			return fmt.Errorf("%w: rdp target %q: code password+code asks for the password; askPassword cannot be false", ErrInvalid, name)
		}
	case CodeGatewayPassword:
		if r.Gateway == "" {
			return fmt.Errorf("%w: rdp target %q passes the code to the gateway but has none", ErrInvalid, name)
		}
	default:
		return fmt.Errorf("%w: rdp target %q: code must be gateway-password, password, password+code, clipboard or type, not %q", ErrInvalid, name, r.Code)
	}
	if err := validateTyping("rdp", name, r.Code, r.TypeTabs, r.TypeEnter); err != nil {
		return err
	}
	if r.CredentialManager && (r.Code == CodeClipboard || r.Code == CodeType) {
		return fmt.Errorf("%w: rdp target %q: credentialManager needs code password or gateway-password, not %s", ErrInvalid, name, r.Code)
	}
	for _, f := range r.CertFingerprints {
		if _, ok := certPin(f); !ok {
			return fmt.Errorf("%w: rdp target %q: certificate fingerprint %q is not sha256: and 64 hex digits", ErrInvalid, name, f)
		}
	}
	if len(r.CertFingerprints) > 8 {
		return fmt.Errorf("%w: rdp target %q: more than 8 certificate fingerprints", ErrInvalid, name)
	}
	if r.AskPassword != nil && *r.AskPassword && r.Code == CodePassword {
		return fmt.Errorf("%w: rdp target %q asks for a password, but its code is the session's password", ErrInvalid, name)
	}
	return nil
}

// ValidateUserTarget checks a target a user adds by hand: a web target,
// https, clipboard mode only.
func ValidateUserTarget(t Target) error {
	if t.Type != KindWeb || t.Web == nil {
		return fmt.Errorf("%w: targets of your own can only be web addresses", ErrInvalid)
	}
	if t.Web.Code != CodeClipboard {
		return fmt.Errorf("%w: targets of your own get the code by clipboard only", ErrInvalid)
	}
	return t.Validate()
}

// AllowsIssuer reports whether the profile vouches for an enrollment
// issuer (without regard to case). A profile that names no issuer allows
// every one.
func (p *Profile) AllowsIssuer(issuer string) bool {
	if len(p.Issuers) == 0 {
		return true
	}
	for _, i := range p.Issuers {
		if strings.EqualFold(strings.TrimSpace(i), strings.TrimSpace(issuer)) {
			return true
		}
	}
	return false
}

// Target returns the profile's target called name.
func (p *Profile) Target(name string) (Target, bool) {
	for _, t := range p.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return Target{}, false
}

// GenerateKey returns a new signing key pair from rand (crypto/rand.Reader
// outside tests).
func GenerateKey(rand io.Reader) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	return ed25519.GenerateKey(rand)
}

// Private key files are three lines: this header, the key id, and the
// 32-byte Ed25519 seed in standard base64.
const privateKeyHeader = "softtoken profile signing key v1"

// ErrKeyFile: a private key file cannot be read.
var ErrKeyFile = errors.New("the file is not a softtoken signing key")

// FormatPrivateKey returns the key file for key and its id. Keep it
// readable by its owner only (mode 0600).
func FormatPrivateKey(keyID string, key ed25519.PrivateKey) []byte {
	return []byte(privateKeyHeader + "\n" + keyID + "\n" + base64.StdEncoding.EncodeToString(key.Seed()) + "\n")
}

// ParsePrivateKey reads a key file FormatPrivateKey wrote and returns the
// key id and the key.
func ParsePrivateKey(b []byte) (string, ed25519.PrivateKey, error) {
	lines := strings.Split(strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	if len(lines) != 3 || lines[0] != privateKeyHeader || !nameRE.MatchString(lines[1]) {
		return "", nil, ErrKeyFile
	}
	seed, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(seed) != ed25519.SeedSize {
		return "", nil, ErrKeyFile
	}
	return lines[1], ed25519.NewKeyFromSeed(seed), nil
}

// FormatPublicKey returns "KEYID:BASE64", the form TrustedKeys takes.
func FormatPublicKey(keyID string, pub ed25519.PublicKey) string {
	return keyID + ":" + base64.StdEncoding.EncodeToString(pub)
}

// ParseKeys reads public keys in the form "ID:BASE64", separated by commas
// or white space.
func ParseKeys(s string) (Keys, error) {
	keys := Keys{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		id, b64, ok := strings.Cut(f, ":")
		pub, err := base64.StdEncoding.Strict().DecodeString(b64)
		if !ok || !nameRE.MatchString(id) || err != nil || len(pub) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: trusted key %q is not KEYID:BASE64", ErrInvalid, f)
		}
		keys[id] = ed25519.PublicKey(pub)
	}
	return keys, nil
}

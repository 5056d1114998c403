// Package explain says what a person reads when something fails: for
// every kind of error of softtoken's packages (token, scan, store,
// launcher and theirs), what happened and what to do, in German and in
// English. The window (ui) and the command line (cli) both take their
// sentences from its one table, so that they cannot disagree, and both
// speak the person's language.
//
// A sentence is an English text that is also the key of its translation in
// assets/translations (the format of Fyne's lang package, read here
// without Fyne): the window passes the key to lang.L, which follows the
// language chosen in its settings; the command line translates it with T
// into the language of the system (Language). Where the command line must
// say something else than the window (a command to run instead of a button
// to press), an entry has a sentence of its own for it.
//
// No sentence carries a secret: they are fixed texts. Sentinel errors stay
// short and English ("the profile has expired"); what to do about them is
// said here, not in the error.
package explain

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"text/template"

	locale "github.com/jeandeaual/go-locale"

	"github.com/cityadmin/softtoken/assets"
)

// Languages softtoken speaks. English is the default and the fallback.
const (
	English = "en"
	German  = "de"
)

// Window is the sentence the window shows for err, by its kind (the
// first entry of the table err wraps), as an English text that is the key
// of its translation; ok is false for a kind the table does not know.
func Window(err error) (key string, ok bool) {
	if e := find(err); e != nil {
		return e.window, true
	}
	return "", false
}

// CommandLine is the sentence the command line prints below err, by its
// kind, as the key of its translation (see Window).
func CommandLine(err error) (key string, ok bool) {
	if e := find(err); e != nil {
		if e.cli != "" {
			return e.cli, true
		}
		return e.window, true
	}
	return "", false
}

// Advice is CommandLine's sentence for err, translated into lang; "" for
// a kind the table does not know.
func Advice(err error, lang string) string {
	key, ok := CommandLine(err)
	if !ok {
		return ""
	}
	return T(lang, key, nil)
}

func find(err error) *entry {
	if err == nil {
		return nil
	}
	for i := range table {
		if errors.Is(err, table[i].err) {
			return &table[i]
		}
	}
	return nil
}

// Keys are all the sentences of the table, the window's and the command
// line's: each must be in every translation file.
func Keys() []string {
	var ks []string
	for _, e := range table {
		ks = append(ks, e.window)
		if e.cli != "" {
			ks = append(ks, e.cli)
		}
	}
	return ks
}

// Language is the language of the system, as the window picks it: from
// LANGUAGE, LC_ALL, LC_MESSAGES and LANG on Linux and the BSDs, from the
// system's settings on Windows and macOS (the go-locale package, which
// Fyne uses). German for any German locale, else English.
func Language() string {
	loc, err := locale.GetLocale()
	if err != nil {
		return English
	}
	return languageOf(loc)
}

// languageOf maps a locale ("de_DE.UTF-8", "de-AT", "en_US", "C") to one
// of the languages softtoken speaks.
func languageOf(loc string) string {
	l := strings.ToLower(loc)
	if l == "de" || strings.HasPrefix(l, "de_") || strings.HasPrefix(l, "de-") || strings.HasPrefix(l, "de.") {
		return German
	}
	return English
}

var translations struct {
	once sync.Once
	m    map[string]map[string]string // language → English key → text
}

// T is key translated into lang (English where lang or the key is not
// translated), with args filled into its {{.Name}} fields as Fyne's
// lang.L does.
func T(lang, key string, args map[string]any) string {
	translations.once.Do(func() {
		translations.m = map[string]map[string]string{}
		for _, l := range []string{English, German} {
			b, err := assets.Translations.ReadFile("translations/" + l + ".json")
			if err != nil {
				continue
			}
			m := map[string]string{}
			if json.Unmarshal(b, &m) == nil {
				translations.m[l] = m
			}
		}
	})
	s, ok := translations.m[lang][key]
	if !ok || s == "" {
		s = key
	}
	if !strings.Contains(s, "{{") {
		return s
	}
	tm, err := template.New("").Option("missingkey=zero").Parse(s)
	if err != nil {
		return s
	}
	var b strings.Builder
	if tm.Execute(&b, args) != nil {
		return s
	}
	return b.String()
}

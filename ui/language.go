package ui

import (
	"encoding/json"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/cityadmin/softtoken/assets"
)

// Languages. Fyne's lang package has no public way to choose a language:
// it matches the system's locales against the languages it holds
// translations for, each time translations are added. So a choice other
// than the system's is made by adding the chosen language's messages under
// the tags lang may have picked (English, German and the system's own
// language): whichever it picked then yields the chosen words. Our files
// carry the few words of Fyne's own dialogs (Cancel, OK, Open…) too, so that
// those follow the choice as well. No restart is needed; the window builds
// its screens again.

var translationFiles = sync.OnceValue(func() map[string][]byte {
	out := map[string][]byte{}
	for _, l := range []string{"en", "de"} {
		b, err := assets.Translations.ReadFile("translations/" + l + ".json")
		if err != nil {
			fyne.LogError("read translations", err)
			continue
		}
		out[l] = b
	}
	return out
})

var loadOnce sync.Once

func loadTranslations() {
	loadOnce.Do(func() {
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			fyne.LogError("load translations", err)
		}
	})
}

// langState remembers, across calls of setLanguage, every tag it wrote
// messages under and, for a system language we do not translate to, the
// system's own words as they were before the first choice.
var langState struct {
	sync.Mutex
	touched map[fyne.Locale]bool
	own     map[fyne.Locale][]byte // a foreign tag's words before we wrote any
}

// setLanguage makes code ("de", "en", or "" for the system's) the language
// of every string shown from now on.
//
// Every tag written once is written again on every later call: Fyne's
// matcher may pick any of them (the system's full tag, such as en-US, wins
// over en), so a tag left holding an earlier choice would keep showing it.
// That was the bug of "German, then as the system" on an English system:
// en-US kept the German words until the next start.
func setLanguage(code string) {
	loadTranslations()
	files := translationFiles()
	sys := lang.SystemLocale()
	langState.Lock()
	defer langState.Unlock()
	if langState.touched == nil {
		langState.touched = map[fyne.Locale]bool{}
		langState.own = map[fyne.Locale][]byte{}
	}
	if sysBase := baseLanguage(sys); code != "" && files[sysBase] == nil && !langState.touched[sys] {
		// Before the first write: the words shown now are the system's own.
		langState.own[sys] = ownWords(files["en"])
	}
	tags := []fyne.Locale{"en", "de", sys}
	for t := range langState.touched {
		tags = append(tags, t)
	}
	done := map[fyne.Locale]bool{}
	for _, tag := range tags {
		if done[tag] {
			continue
		}
		done[tag] = true
		base := baseLanguage(tag)
		var b []byte
		switch {
		case code != "" && files[code] != nil:
			b = files[code]
		case code != "":
			b = files["en"] // a language we do not translate to
		case files[base] != nil:
			b = files[base] // each language its own words again
		default:
			b = langState.own[tag] // a foreign system language: Fyne's words again
		}
		if b == nil {
			continue // a foreign system language never written: nothing to undo
		}
		if err := lang.AddTranslationsForLocale(b, tag); err != nil {
			fyne.LogError("switch language", err)
			continue
		}
		langState.touched[tag] = true
	}
}

// baseLanguage is the language of a tag without region or script: "en"
// of "en-US".
func baseLanguage(tag fyne.Locale) string {
	s := tag.LanguageString()
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	return s
}

// ownWords is the English file with each plain message (no template) as
// the window shows it now: for a system language we do not translate to,
// that keeps the words Fyne itself has for it (Cancel, OK, Open…), so that
// they can be put back after a choice of German or English is undone.
func ownWords(en []byte) []byte {
	var m map[string]string
	if err := json.Unmarshal(en, &m); err != nil {
		return en
	}
	for k := range m {
		if !strings.Contains(k, "{{") {
			m[k] = lang.L(k)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return en
	}
	return b
}

func (a *App) applyLanguage() { setLanguage(a.set.language()) }

// translationKeys returns the keys of one translation file, for the test
// that every string shown is translated.
func translationKeys(code string) (map[string]string, error) {
	m := map[string]string{}
	err := json.Unmarshal(translationFiles()[code], &m)
	return m, err
}

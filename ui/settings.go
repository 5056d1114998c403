package ui

import (
	"encoding/json"
	"image/color"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/assets"
	"github.com/cityadmin/softtoken/store"
)

// Preference keys. Fyne keeps preferences in the app's own storage; none
// of them is secret.
const (
	prefClipboard = "clipboardSeconds" // int; default 30, 0: never cleared
	prefLanguage  = "language"         // "", "de" or "en"; "" follows the system
	prefTheme     = "theme"            // "", "light" or "dark"; "" follows the system
	prefTray      = "startInTray"      // bool
)

// settings are the person's choices, read from and written to Fyne's
// preferences.
type settings struct{ p fyne.Preferences }

func loadSettings(p fyne.Preferences) *settings { return &settings{p: p} }

func (s *settings) clipboardTimeout() time.Duration {
	return time.Duration(s.p.IntWithFallback(prefClipboard, int(ClipboardTimeout/time.Second))) * time.Second
}
func (s *settings) language() string  { return s.p.String(prefLanguage) }
func (s *settings) theme() string     { return s.p.String(prefTheme) }
func (s *settings) startInTray() bool { return s.p.Bool(prefTray) }

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

// variantTheme is Fyne's theme with the light or dark variant forced.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

func themeFor(name string) fyne.Theme {
	switch name {
	case "light":
		return variantTheme{theme.DefaultTheme(), theme.VariantLight}
	case "dark":
		return variantTheme{theme.DefaultTheme(), theme.VariantDark}
	}
	return theme.DefaultTheme()
}

func (a *App) applyTheme() { a.fa.Settings().SetTheme(themeFor(a.set.theme())) }

// settingsView is the settings screen.
type settingsView struct {
	storage    *widget.Label
	clipboard  *choice
	language   *choice
	theme      *choice
	tray       *check
	links      *widget.Label // who opens otpauth:// links; nil where the package registers them
	linkToggle *button
	report     *button
	reportMsg  *widget.Label // what became of the report, beside its button
	typing     typeSettings  // the global shortcut, Enter after a typed code (shortcut.go)
	back       *button
	root       fyne.CanvasObject
}

var clipboardChoices = []int{10, 30, 60, 120, 0}

func (a *App) showSettings() {
	if !a.opened {
		return
	}
	if a.screen != screenSettings {
		a.settingsFrom = a.screen
	}
	a.setView = a.newSettingsView()
	a.showScreen(screenSettings)
	a.refreshLinks()
}

func (a *App) newSettingsView() *settingsView {
	v := &settingsView{}
	v.storage = widget.NewLabel(a.storageStatus())
	v.storage.Wrapping = fyne.TextWrapWord

	var clipLabels []string
	for _, s := range clipboardChoices {
		clipLabels = append(clipLabels, clipboardLabel(s))
	}
	v.clipboard = newChoice(lang.L("Clear the clipboard after"), clipLabels, nil)
	v.clipboard.SetSelected(clipboardLabel(int(a.set.clipboardTimeout() / time.Second)))
	v.clipboard.OnChanged = func(s string) {
		for i, l := range clipLabels {
			if l == s {
				a.fa.Preferences().SetInt(prefClipboard, clipboardChoices[i])
			}
		}
	}

	langCodes := []string{"", "de", "en"}
	langLabels := []string{lang.L("As the system"), "Deutsch", "English"}
	v.language = newChoice(lang.L("Language"), langLabels, nil)
	v.language.SetSelected(langLabels[indexOf(langCodes, a.set.language())])
	v.language.OnChanged = func(s string) {
		code := langCodes[indexOf(langLabels, s)]
		if code == a.set.language() {
			return
		}
		a.fa.Preferences().SetString(prefLanguage, code)
		a.relabel()
	}

	themeCodes := []string{"", "light", "dark"}
	themeLabels := []string{lang.L("As the system"), lang.L("Light"), lang.L("Dark")}
	v.theme = newChoice(lang.L("Appearance"), themeLabels, nil)
	v.theme.SetSelected(themeLabels[indexOf(themeCodes, a.set.theme())])
	v.theme.OnChanged = func(s string) {
		a.fa.Preferences().SetString(prefTheme, themeCodes[indexOf(themeLabels, s)])
		a.applyTheme()
	}

	v.tray = newCheck(lang.L("Start minimised to the system tray"), func(on bool) {
		a.fa.Preferences().SetBool(prefTray, on)
	})
	v.tray.SetChecked(a.set.startInTray())

	start := v.tray.wrapped()
	if n := a.trayNote(); n != nil {
		start = container.NewVBox(start, n)
	}
	v.report = newButton(lang.L("Copy support report"), theme.ContentCopyIcon(), a.copyReport)
	v.back = newButton(lang.L("Back"), theme.NavigateBackIcon(), a.leaveSettings)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Storage"), v.storage),
		widget.NewFormItem(lang.L("Clipboard"), container.NewVBox(v.clipboard, hintLabel(lang.L("A code you copy is removed from the clipboard after this time, unless something else was copied since.")))),
		widget.NewFormItem(lang.L("Language"), v.language),
		widget.NewFormItem(lang.L("Appearance"), v.theme),
		widget.NewFormItem(lang.L("Start"), start),
	)
	a.newTypeSettings(v, form)
	if it := a.newLinksSetting(v); it != nil {
		form.AppendItem(it)
	}
	if it := a.newChoicesSetting(); it != nil {
		form.AppendItem(it)
	}
	for _, it := range a.backupItems() {
		form.AppendItem(it)
	}
	v.reportMsg = widget.NewLabel("")
	v.reportMsg.Wrapping = fyne.TextWrapWord
	form.AppendItem(widget.NewFormItem(lang.L("Support"), container.NewVBox(container.NewHBox(v.report), v.reportMsg)))
	title := widget.NewLabelWithStyle(lang.L("Settings"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.root = container.NewBorder(container.NewBorder(nil, nil, v.back, nil, title), nil, nil, nil,
		container.NewVScroll(form))
	return v
}

func (v *settingsView) object() fyne.CanvasObject { return v.root }

// hintLabel is a line that says what a setting does, below it.
func hintLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// relabel applies a new language: the strings are looked up again when the
// screens are built, so every screen is built anew.
func (a *App) relabel() {
	a.applyLanguage()
	a.main = a.newMainView()
	a.main.rebuild()
	a.setupTray()
	if a.screen == screenSettings {
		a.showSettings()
	} else {
		a.showScreen(a.screen)
	}
}

// storageStatus says where the secrets are and whether that works.
func (a *App) storageStatus() string {
	switch {
	case a.openErr != nil:
		return explain(a.openErr)
	case a.backend == store.BackendVault:
		return lang.L("Encrypted vault file (unlocked)")
	default:
		return lang.L("System keychain (working)")
	}
}

func clipboardLabel(sec int) string {
	switch {
	case sec == 0:
		return lang.L("Never")
	case sec < 60:
		return lang.L("{{.N}} seconds", map[string]any{"N": sec})
	case sec == 60:
		return lang.L("1 minute")
	}
	return lang.L("{{.N}} minutes", map[string]any{"N": sec / 60})
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

// translationKeys returns the keys of one translation file, for the test
// that every string shown is translated.
func translationKeys(code string) (map[string]string, error) {
	m := map[string]string{}
	err := json.Unmarshal(translationFiles()[code], &m)
	return m, err
}

// copyReport puts the support report on the clipboard (collectReport),
// saying so beside its button: the status line is on the main screen
// only.
func (a *App) copyReport() {
	v := a.setView
	a.collectReport(v.report, v.reportMsg.SetText)
}

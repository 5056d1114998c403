package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
)

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

// copyReport puts the support report on the clipboard (collectReport),
// saying so beside its button: the status line is on the main screen
// only.
func (a *App) copyReport() {
	v := a.setView
	a.collectReport(v.report, v.reportMsg.SetText)
}

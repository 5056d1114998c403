package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/cityadmin/softtoken/ui/widgets"
)

// Fyne 2.8's Button and Label are fyne.Accessible, its Entry, Select,
// Check and RadioGroup are not. The types below extend them with the label a
// screen reader reads, so that every control of the window has one (the
// accessibility test walks every screen and fails on a control without).

// entry is an Entry with a name for screen readers.
type entry struct {
	widget.Entry
	label string
	onKey func() // after each key typed into it, if not nil
}

func newEntry(label string) *entry {
	e := &entry{label: label}
	e.PlaceHolder = label
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

func newPasswordEntry(label string) *entry {
	e := &entry{label: label}
	e.PlaceHolder = label
	e.Password = true
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	// Fyne's own reveal button is unexported; this one does the same.
	var reveal *eye
	reveal = newEye(lang.L("Show or hide what you typed"), func() {
		e.Password = !e.Password
		if e.Password {
			reveal.SetResource(theme.VisibilityOffIcon())
		} else {
			reveal.SetResource(theme.VisibilityIcon())
		}
		e.Refresh()
	})
	e.ActionItem = reveal
	return e
}

// eye is the button in a passphrase field that shows or hides what was
// typed. It takes no focus, as Fyne's own does not: Tab goes from the
// field to the next one, not to it, so that a repeated passphrase is
// not typed into nothing (issue 10, 2.13).
type eye struct {
	widget.Icon
	label string
	onTap func()
}

func newEye(label string, tapped func()) *eye {
	e := &eye{label: label, onTap: tapped}
	e.Resource = theme.VisibilityOffIcon()
	e.ExtendBaseWidget(e)
	return e
}

func (e *eye) Tapped(*fyne.PointEvent) { e.onTap() }

func (e *eye) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (e *eye) AccessibilityLabel() string { return e.label }

func (e *eye) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// TypedKey hands Escape to the window (it clears the search, closes a
// dialog or leaves a screen), which a focused entry would otherwise keep.
func (e *entry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && toWindow(e, ev) {
		return
	}
	e.Entry.TypedKey(ev)
	if e.onKey != nil {
		e.onKey()
	}
}

func (e *entry) TypedRune(r rune) {
	e.Entry.TypedRune(r)
	if e.onKey != nil {
		e.onKey()
	}
}

// TypedShortcut hands the window's own shortcuts (Ctrl+N, Ctrl+F, Ctrl+,,
// Ctrl+Q and Ctrl+T) to it: a focused entry takes every shortcut and ignores
// those it does not know.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && cs.Modifier == fyne.KeyModifierShortcutDefault {
		switch cs.KeyName {
		case fyne.KeyN, fyne.KeyF, fyne.KeyComma, fyne.KeyQ, fyne.KeyT:
			if c := widgets.CanvasOf(e); c != nil {
				if h, ok := c.(interface{ TypedShortcut(fyne.Shortcut) }); ok {
					h.TypedShortcut(s)
					return
				}
			}
		}
	}
	e.Entry.TypedShortcut(s)
}

// toWindow hands a key to the window's own key handler, and reports
// whether there was one.
func toWindow(o fyne.CanvasObject, ev *fyne.KeyEvent) bool {
	c := widgets.CanvasOf(o)
	if c == nil || c.OnTypedKey() == nil {
		return false
	}
	c.OnTypedKey()(ev)
	return true
}

func (e *entry) AccessibilityLabel() string {
	if e.Password || e.Text == "" {
		return e.label
	}
	return e.label + ": " + e.Text
}

func (e *entry) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// button is a Button that a screen reader names by its label, not by its
// icon's file name, where it shows only an icon.
type button struct {
	widget.Button
	label string
}

func newButton(text string, icon fyne.Resource, tapped func()) *button {
	b := &button{label: text}
	b.Text, b.Icon, b.OnTapped = text, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey presses the button with Enter as with Space, as a person
// expects of a focused button, and hands Escape to the window.
func (b *button) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !b.Disabled() && b.OnTapped != nil {
			b.OnTapped()
		}
	case fyne.KeyEscape:
		toWindow(b, ev)
	default:
		b.Button.TypedKey(ev)
	}
}

// newIconButton is a button that shows only icon and is named label.
func newIconButton(label string, icon fyne.Resource, tapped func()) *button {
	b := newButton("", icon, tapped)
	b.label = label
	return b
}

// setText changes what the button shows and what a screen reader reads.
func (b *button) setText(text string) {
	b.label = ""
	b.SetText(text)
}

func (b *button) AccessibilityLabel() string {
	if b.label != "" {
		return b.label
	}
	return b.Text
}

// choice is a Select with a name for screen readers.
type choice struct {
	widget.Select
	label string
}

func newChoice(label string, options []string, changed func(string)) *choice {
	c := &choice{label: label}
	c.Options, c.OnChanged = options, changed
	c.PlaceHolder = label
	c.ExtendBaseWidget(c)
	return c
}

func (c *choice) AccessibilityLabel() string {
	return c.label + ": " + c.Selected
}

func (c *choice) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// check is a Check that a screen reader reads with its state.
type check struct {
	widget.Check
	label string // its text where it is shown beside it (wrapped)
}

// TypedKey hands Escape to the window, as a focused entry and button do.
func (c *check) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && toWindow(c, ev) {
		return
	}
	c.Check.TypedKey(ev)
}

// TypedKey hands Escape to the window, as a focused entry and button do.
func (c *choice) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && toWindow(c, ev) {
		return
	}
	c.Select.TypedKey(ev)
}

func newCheck(text string, changed func(bool)) *check {
	c := &check{}
	c.Text, c.OnChanged = text, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *check) AccessibilityLabel() string {
	text := c.Text
	if c.label != "" {
		text = c.label
	}
	if c.Checked {
		return text + ": " + lang.L("on")
	}
	return text + ": " + lang.L("off")
}

func (c *check) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// radio is a RadioGroup with a name for screen readers.
type radio struct {
	widget.RadioGroup
	label string
}

func newRadio(label string, options []string, changed func(string)) *radio {
	r := &radio{label: label}
	r.Options, r.OnChanged = options, changed
	r.Horizontal = true
	r.ExtendBaseWidget(r)
	return r
}

func (r *radio) AccessibilityLabel() string { return r.label + ": " + r.Selected }

func (r *radio) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleButton }

// busy is an activity indicator that says what is going on.
type busy struct {
	widget.ProgressBarInfinite
	label string
}

func newBusy() *busy {
	b := &busy{label: lang.L("Working, please wait…")}
	b.ExtendBaseWidget(b)
	b.Hide()
	return b
}

// run shows the indicator and starts its animation; stop hides it, so that
// nothing animates while nothing is going on.
func (b *busy) run()  { b.Show(); b.Start() }
func (b *busy) stop() { b.Stop(); b.Hide() }

func (b *busy) AccessibilityLabel() string { return b.label }

func (b *busy) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

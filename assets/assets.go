// Package assets holds the files softtoken ships inside its binary: the
// icon and the translations of the user interface. It is plain data and
// imports nothing of the GUI toolkit; ui wraps it into Fyne resources.
//
// The icon is drawn by gen_icon.go (go run assets/gen_icon.go).
package assets

import (
	"embed"
	_ "embed"
)

// Icon is the application icon, 512x512 PNG.
//
//go:embed icon.png
var Icon []byte

// Translations holds translations/LANG.json in the format of Fyne's lang
// package (go-i18n): English keys, one file per language.
//
//go:embed translations
var Translations embed.FS

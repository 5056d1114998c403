//go:build accessibility

package ui

// accessibilityBuild: built with Fyne's screen-reader bridge.
const accessibilityBuild = true

//go:build !accessibility

package ui

// accessibilityBuild: built without Fyne's screen-reader bridge.
const accessibilityBuild = false

// Package wayland holds no code of the program: its tests (build tag
// waylandtest, run by `make test-wayland`, a part of `make test`) run
// softtoken on a real Wayland desktop that scripts/with-wayland.sh starts
// for the run: a headless sway, the real xdg-desktop-portal with its wlr
// and gtk backends, pipewire and gnome-keyring, as a throw-away user.
//
// They check what only a real desktop shows: that `softtoken add --screen`
// finds the QR code a real Chromium shows, through the real
// org.freedesktop.portal.Screenshot; that the window opens as a native
// Wayland window and shows the code (grim takes the picture, tesseract
// reads it); and what a person is told where no portal answers.
package wayland

// Command qrpng writes the link on its standard input as a QR code into
// the PNG file its argument names (4 pixels a module), for the Wine test
// (test.sh) to show on the X display. A test helper, never shipped.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: qrpng OUT.png < link")
		os.Exit(2)
	}
	b, err := io.ReadAll(os.Stdin)
	if err == nil {
		err = qrcode.WriteFile(strings.TrimSpace(string(b)), qrcode.Medium, -4, os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "qrpng:", err)
		os.Exit(1)
	}
}

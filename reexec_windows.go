package main

import "errors"

// reexecWithoutLinks is not done on Windows: a process cannot replace
// itself there. The link stays in the window's command line, which only
// the user's own processes and administrators can read.
func reexecWithoutLinks([]string) error { return errors.New("not on windows") }

func handedOverLinks() ([]string, bool) { return nil, false }

//go:build !windows

package main

import (
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// linkFDEnv names the file descriptor from which a softtoken started anew
// by reexecWithoutLinks reads the links it was started with. The variable
// holds a number, never a link.
const linkFDEnv = "SOFTTOKEN_LINK_FD"

// reexecWithoutLinks replaces the running program by itself without
// arguments, handing it links through a pipe: a first start by a link
// click (softtoken otpauth://…?secret=…) must not keep the secret in its
// command line, which every process of the user can read
// (/proc/PID/cmdline) for as long as the window runs. The process, its
// id and its environment stay; only the command line is new. It returns
// only if that failed.
func reexecWithoutLinks(links []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	data := strings.Join(links, "\n")
	// Written whole before the exec, so the pipe must hold it: 64 KiB
	// on Linux, 16 KiB at least elsewhere. A longer link stays where
	// it was.
	if len(data) > 16<<10 {
		return errors.New("links too long to hand over")
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, data); err != nil {
		r.Close()
		w.Close()
		return err
	}
	w.Close()
	fd := r.Fd()
	// Kept open across the exec: os.Pipe marks it close-on-exec.
	if _, _, e := syscall.Syscall(syscall.SYS_FCNTL, fd, syscall.F_SETFD, 0); e != 0 {
		r.Close()
		return e
	}
	env := append(os.Environ(), linkFDEnv+"="+strconv.FormatUint(uint64(fd), 10))
	err = syscall.Exec(exe, os.Args[:1], env)
	r.Close()
	return err
}

// handedOverLinks returns the links a reexecWithoutLinks handed to this
// process, and whether it was started so.
func handedOverLinks() ([]string, bool) {
	v := os.Getenv(linkFDEnv)
	if v == "" {
		return nil, false
	}
	os.Unsetenv(linkFDEnv) // not for the programs the window starts
	fd, err := strconv.Atoi(v)
	if err != nil || fd < 3 {
		return nil, true
	}
	f := os.NewFile(uintptr(fd), "links")
	b, _ := io.ReadAll(io.LimitReader(f, 1<<20))
	f.Close()
	var links []string
	for _, l := range strings.Split(string(b), "\n") {
		if isLink(l) {
			links = append(links, l)
		}
	}
	return links, true
}

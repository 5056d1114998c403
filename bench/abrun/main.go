// Command abrun times two commands against each other as whole processes,
// alternating A B A B (then B A B A, so that neither always runs second),
// and prints wall and CPU time of each (median, min, max) and their ratio:
// the ratio of the medians, and the median, min and max of the ratios of
// the rounds, where both ran under the same load of the shared machine.
//
//	abrun [-n ROUNDS] [-warmup N] [-prepare CMD] [-label TEXT] [-goal-wall R] [-goal-cpu R] \
//	      NAME_A 'CMD_A' NAME_B 'CMD_B'
//
// A command is split at spaces (no quoting) and run directly, without a
// shell, so that a shell's start is not counted. A command that holds
// "{}" runs once per file of -files (a glob), each a process of its own,
// and a round's time is their sum. -prepare runs through sh before each
// timed command, untimed. CPU time is the process's user and system time
// from wait4, which includes the children it waited for.
//
// Exit status: 0, or 1 if a command failed or a ratio of medians is above
// its goal (where one is given).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

type sample struct{ wall, cpu time.Duration }

func main() {
	n := flag.Int("n", 11, "timed rounds")
	warm := flag.Int("warmup", 1, "untimed rounds first")
	prepare := flag.String("prepare", "", "shell command run before every command, untimed")
	files := flag.String("files", "", "glob: a command with {} runs once per file")
	label := flag.String("label", "", "the figure's name, printed first")
	goalWall := flag.Float64("goal-wall", 0, "fail if A/B wall (ratio of medians) is above this; 0 is no goal")
	goalCPU := flag.Float64("goal-cpu", 0, "fail if A/B CPU (ratio of medians) is above this; 0 is no goal")
	quiet := flag.Bool("q", false, "discard the commands' standard output")
	flag.Parse()
	if flag.NArg() != 4 {
		fmt.Fprintln(os.Stderr, "usage: abrun [flags] NAME_A CMD_A NAME_B CMD_B")
		os.Exit(2)
	}
	names := [2]string{flag.Arg(0), flag.Arg(2)}
	cmds := [2][]string{strings.Fields(flag.Arg(1)), strings.Fields(flag.Arg(3))}
	var paths []string
	if *files != "" {
		var err error
		if paths, err = filepath.Glob(*files); err != nil || len(paths) == 0 {
			fmt.Fprintf(os.Stderr, "abrun: no files match %s\n", *files)
			os.Exit(2)
		}
	}
	run := func(k int) (sample, error) {
		argvs := [][]string{cmds[k]}
		if slices.Contains(cmds[k], "{}") {
			argvs = argvs[:0]
			for _, p := range paths {
				a := slices.Clone(cmds[k])
				for i := range a {
					if a[i] == "{}" {
						a[i] = p
					}
				}
				argvs = append(argvs, a)
			}
		}
		var s sample
		for _, argv := range argvs {
			if *prepare != "" {
				if out, err := exec.Command("sh", "-c", *prepare).CombinedOutput(); err != nil {
					return s, fmt.Errorf("prepare: %v: %s", err, out)
				}
			}
			c := exec.Command(argv[0], argv[1:]...)
			var errb strings.Builder
			c.Stderr = &errb
			if !*quiet {
				c.Stdout = os.Stderr
			}
			t0 := time.Now()
			err := c.Run()
			s.wall += time.Since(t0)
			if err != nil {
				return s, fmt.Errorf("%s: %v: %s", strings.Join(argv, " "), err, errb.String())
			}
			s.cpu += c.ProcessState.UserTime() + c.ProcessState.SystemTime()
		}
		return s, nil
	}
	var got [2][]sample
	for r := -*warm; r < *n; r++ {
		order := []int{0, 1}
		if r%2 != 0 {
			order = []int{1, 0}
		}
		var s [2]sample
		for _, k := range order {
			var err error
			if s[k], err = run(k); err != nil {
				fmt.Fprintf(os.Stderr, "abrun: %s: %v\n", names[k], err)
				os.Exit(1)
			}
		}
		if r >= 0 {
			got[0], got[1] = append(got[0], s[0]), append(got[1], s[1])
		}
	}
	fail := false
	if *label != "" {
		fmt.Printf("== %s (%d rounds, alternating; load %s)\n", *label, *n, loadavg())
	}
	for k := range 2 {
		w, c := pick(got[k], wallOf), pick(got[k], cpuOf)
		fmt.Printf("  %-24s wall %s   CPU %s\n", names[k], msStats(w), msStats(c))
	}
	for _, m := range []struct {
		name string
		of   func(sample) time.Duration
		goal float64
	}{{"wall", wallOf, *goalWall}, {"CPU", cpuOf, *goalCPU}} {
		a, b := pick(got[0], m.of), pick(got[1], m.of)
		var rs []float64
		for i := range a {
			if b[i] > 0 {
				rs = append(rs, float64(a[i])/float64(b[i]))
			}
		}
		ratio := float64(median(a)) / float64(max(median(b), 1))
		line := fmt.Sprintf("  ratio %-5s %.2fx (per round: median %.2f, min %.2f, max %.2f)", m.name, ratio, medianF(rs), slices.Min(rs), slices.Max(rs))
		if m.goal > 0 {
			verdict := "ok"
			if ratio > m.goal {
				verdict, fail = "ABOVE GOAL", true
			}
			line += fmt.Sprintf("  goal <= %.2f: %s", m.goal, verdict)
		}
		fmt.Println(line)
	}
	if fail {
		os.Exit(1)
	}
}

func wallOf(s sample) time.Duration { return s.wall }
func cpuOf(s sample) time.Duration  { return s.cpu }

func pick(ss []sample, f func(sample) time.Duration) []time.Duration {
	out := make([]time.Duration, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianF(d []float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func msStats(d []time.Duration) string {
	ms := func(x time.Duration) float64 { return float64(x) / 1e6 }
	return fmt.Sprintf("%7.1f ms [%.1f–%.1f]", ms(median(d)), ms(slices.Min(d)), ms(slices.Max(d)))
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

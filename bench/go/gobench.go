// SPDX-FileCopyrightText: 2026 The RunGroup authors
// SPDX-License-Identifier: MIT

// The Go column of rungroup-bench: the scenarios of bench/driver.h, once, in this process,
// on a group with oklog/run's semantics written here (no dependency: it builds offline,
// with the standard library only). Prints "figure <value> <unit>" lines like the C++
// children. See bench/README.md.
//
//	gobench [--stack-size KiB] <cycle|latency|rerun|memory> <N>
//
// --stack-size is accepted and ignored: goroutine stacks start small and grow on demand,
// there is no size to set. The parent passes it to every child alike.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// group is oklog/run's Group: actors are (execute, interrupt) pairs.
type actor struct {
	execute   func() error
	interrupt func(error)
}

type group struct {
	actors []actor
}

func (g *group) add(execute func() error, interrupt func(error)) {
	g.actors = append(g.actors, actor{execute, interrupt})
}

// run starts one goroutine per actor, waits for the first to return, calls every
// interrupt in add order with that error, waits for all the others and returns the first
// error. It may be called again once it returned.
func (g *group) run() error {
	if len(g.actors) == 0 {
		return nil
	}
	exited := make(chan error, len(g.actors))
	for _, a := range g.actors {
		go func(a actor) { exited <- a.execute() }(a)
	}
	err := <-exited
	for _, a := range g.actors {
		a.interrupt(err)
	}
	for i := 1; i < len(g.actors); i++ {
		<-exited
	}
	return err
}

// driver measures one scenario once, as bench/driver.h does: actor 0 returns an error;
// every other actor blocks on a channel of its own until its interrupt closes it.
type driver struct {
	count      int
	gates      []chan struct{}
	allStarted sync.WaitGroup // used by one run per process: latency or memory
}

func newDriver(count int) *driver {
	d := &driver{count: count}
	d.resetGates()
	d.allStarted.Add(count)
	return d
}

func (d *driver) resetGates() {
	d.gates = make([]chan struct{}, d.count)
	for i := range d.gates {
		d.gates[i] = make(chan struct{})
	}
}

// addActors adds the N actors. Without whenAllStarted, actor 0 returns at once; with it,
// actor 0 waits until every actor has started, calls it (on its own goroutine), then
// returns.
func (d *driver) addActors(g *group, whenAllStarted func()) {
	wait := whenAllStarted != nil
	g.add(func() error {
		if wait {
			d.allStarted.Done()
			d.allStarted.Wait()
			whenAllStarted()
		}
		return errors.New("actor 0")
	}, func(error) {}) // actor 0 has already returned
	for i := 1; i < d.count; i++ {
		i := i
		g.add(func() error {
			if wait {
				d.allStarted.Done()
			}
			<-d.gates[i]
			return nil
		}, func(error) { close(d.gates[i]) })
	}
}

// From the group's construction until run returns; the first run in the process.
func (d *driver) cycle() []string {
	begin := time.Now()
	g := &group{}
	d.addActors(g, nil)
	check(g.run())
	return nanoseconds(time.Since(begin))
}

// From the moment every actor is blocked (actor 0 saw the latch open) until run returns:
// interrupt fan-out and join.
func (d *driver) latency() []string {
	var allStarted time.Time
	g := &group{}
	d.addActors(g, func() { allStarted = time.Now() })
	check(g.run())
	return nanoseconds(time.Since(allStarted))
}

// run of a group that has run once already, once the process's thread count settled.
func (d *driver) rerun() []string {
	g := &group{}
	d.addActors(g, nil)
	check(g.run())
	d.resetGates()
	if !waitForStableThreadCount(20*time.Millisecond, 10*time.Second) {
		fmt.Fprintln(os.Stderr, "gobench: the thread count did not settle")
	}
	begin := time.Now()
	check(g.run())
	return nanoseconds(time.Since(begin))
}

// RSS and file descriptors while every actor is blocked, minus those before the group
// existed, per actor.
func (d *driver) memory() []string {
	beforeKiB, beforeFds := currentUsage()
	var runningKiB, runningFds int
	g := &group{}
	d.addActors(g, func() { runningKiB, runningFds = currentUsage() })
	check(g.run())
	n := float64(d.count)
	return []string{
		figure(float64(runningKiB-beforeKiB)/n, "KiB/actor"),
		figure(float64(runningFds-beforeFds)/n, "fds/actor"),
	}
}

// check exits unless run returned actor 0's error, the first one.
func check(err error) {
	if err == nil || err.Error() != "actor 0" {
		fmt.Fprintf(os.Stderr, "gobench: run returned %v instead of actor 0's error\n", err)
		os.Exit(1)
	}
}

func figure(value float64, unit string) string {
	return fmt.Sprintf("figure %.10g %s", value, unit)
}

func nanoseconds(d time.Duration) []string {
	return []string{figure(float64(d.Nanoseconds()), "ns")}
}

// procEntryCount returns the number of entries of a /proc directory, or -1.
func procEntryCount(path string) int {
	dir, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return -1
	}
	return len(names)
}

// currentUsage returns VmRSS (KiB) and the number of open file descriptors. The
// descriptor used to list them is counted in every reading, so differences are exact.
func currentUsage() (rssKiB, fds int) {
	fds = procEntryCount("/proc/self/fd")
	rssKiB = -1
	file, err := os.Open("/proc/self/status")
	if err != nil {
		return
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		if line := scanner.Text(); strings.HasPrefix(line, "VmRSS:") {
			fields := strings.Fields(strings.TrimPrefix(line, "VmRSS:"))
			if len(fields) > 0 {
				rssKiB, _ = strconv.Atoi(fields[0])
			}
			break
		}
	}
	return
}

// waitForStableThreadCount waits until /proc/self/task has not changed for stable, polling
// every 2 ms, as tests/helpers/procstats.h does; gives up after limit.
func waitForStableThreadCount(stable, limit time.Duration) bool {
	start := time.Now()
	since := start
	last := procEntryCount("/proc/self/task")
	for {
		time.Sleep(2 * time.Millisecond)
		now := time.Now()
		count := procEntryCount("/proc/self/task")
		if count != last {
			last = count
			since = now
		} else if now.Sub(since) >= stable {
			return true
		}
		if now.Sub(start) >= limit {
			return false
		}
	}
}

func main() {
	flag.Uint("stack-size", 0, "ignored: goroutine stacks grow on demand (KiB)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: gobench [--stack-size KiB] <cycle|latency|rerun|memory> <N>")
	}
	flag.Parse()
	n, err := strconv.Atoi(flag.Arg(1))
	if flag.NArg() != 2 || err != nil || n < 1 {
		flag.Usage()
		os.Exit(2)
	}
	d := newDriver(n)
	scenarios := map[string]func() []string{
		"cycle": d.cycle, "latency": d.latency, "rerun": d.rerun, "memory": d.memory,
	}
	measure, ok := scenarios[flag.Arg(0)]
	if !ok {
		flag.Usage()
		os.Exit(2)
	}
	for _, line := range measure() {
		fmt.Println(line)
	}
}

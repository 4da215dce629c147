package main

import (
	"os"
	"runtime/pprof"
)

// cpuProfile writes a CPU profile of the whole command to $SHILPKOSH_CPUPROFILE when set
// (a development aid: the generator's speed, a server under the bench's load); the
// returned function stops it. $SHILPKOSH_SEED_CPUPROFILE, its earlier name, still works.
func cpuProfile() func() {
	path := os.Getenv("SHILPKOSH_CPUPROFILE")
	if path == "" {
		path = os.Getenv("SHILPKOSH_SEED_CPUPROFILE")
	}
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

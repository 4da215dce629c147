package main

import (
	"os"
	"runtime/pprof"
)

// seedProfile writes a CPU profile of the seed command to $SHILPKOSH_SEED_CPUPROFILE
// when set (a development aid for the generator's speed); the returned function stops it.
func seedProfile() func() {
	path := os.Getenv("SHILPKOSH_SEED_CPUPROFILE")
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

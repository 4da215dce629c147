package policies

import (
	"sync"

	"shilpkosh/app"
)

// decisions memoises answers between reloads. Casbin evaluates a denial by trying every
// rule (hundreds of microseconds); officials ask the same few questions on every request.
// casbin's own cached enforcer can keep a stale "allow" if a check races a reload, so this
// cache stamps each answer with the generation it was computed in and drops answers from
// an older generation: a removed rule stops granting the moment Reload returns.
type decisions struct {
	mu         sync.RWMutex
	generation uint64
	can        map[string]bool
	scope      map[string]app.Scope
}

// maxDecisions bounds memory if many users ask many questions; the cache simply restarts.
const maxDecisions = 200_000

func newDecisions() *decisions {
	return &decisions{can: map[string]bool{}, scope: map[string]app.Scope{}}
}

// reset forgets every answer; called after the rules change.
func (d *decisions) reset() {
	d.mu.Lock()
	d.generation++
	d.can = map[string]bool{}
	d.scope = map[string]app.Scope{}
	d.mu.Unlock()
}

func (d *decisions) lookupCan(key string) (ok, found bool, gen uint64) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ok, found = d.can[key]
	return ok, found, d.generation
}

func (d *decisions) storeCan(key string, ok bool, gen uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if gen != d.generation {
		return
	}
	if len(d.can) >= maxDecisions {
		d.can = map[string]bool{}
	}
	d.can[key] = ok
}

func (d *decisions) lookupScope(key string) (s app.Scope, found bool, gen uint64) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	s, found = d.scope[key]
	return s, found, d.generation
}

func (d *decisions) storeScope(key string, s app.Scope, gen uint64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if gen != d.generation {
		return
	}
	if len(d.scope) >= maxDecisions {
		d.scope = map[string]app.Scope{}
	}
	d.scope[key] = s
}

package policies_test

import (
	"testing"

	"shilpkosh/app/apptest"
)

func BenchmarkCan(b *testing.B) {
	e := setup(b, apptest.MustOpenDB(b, "sqlite"))
	b.Run("allow-district", func(b *testing.B) {
		for b.Loop() {
			e.Can(dicJaipur, "jaipur", "artisan", "verify")
		}
	})
	b.Run("allow-statewide", func(b *testing.B) {
		for b.Loop() {
			e.Can(stateAdmin, "jaipur", "artisan", "merge")
		}
	})
	b.Run("deny", func(b *testing.B) {
		for b.Loop() {
			e.Can(dicJaipur, "jodhpur", "artisan", "verify")
		}
	})
}

func BenchmarkScope(b *testing.B) {
	e := setup(b, apptest.MustOpenDB(b, "sqlite"))
	b.Run("statewide", func(b *testing.B) {
		for b.Loop() {
			e.Scope(auditor, "artisan", "read")
		}
	})
	b.Run("two-districts", func(b *testing.B) {
		for b.Loop() {
			e.Scope(entryTwo, "artisan", "read")
		}
	})
	b.Run("none", func(b *testing.B) {
		for b.Loop() {
			e.Scope(storeAjmer, "artisan", "read")
		}
	})
}

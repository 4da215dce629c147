package policies

import (
	"context"
	"fmt"
	"sync"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/uptrace/bun"
)

// casbinRule is one row of casbin_rule; values past the rule type's arity are empty.
type casbinRule struct {
	bun.BaseModel `bun:"table:casbin_rule"`

	ID    int64  `bun:"id,pk,autoincrement"`
	Ptype string `bun:"ptype"`
	V0    string `bun:"v0"`
	V1    string `bun:"v1"`
	V2    string `bun:"v2"`
	V3    string `bun:"v3"`
	V4    string `bun:"v4"`
	V5    string `bun:"v5"`
}

func newRow(ptype string, values []string) casbinRule {
	var v [6]string
	copy(v[:], values)
	return casbinRule{Ptype: ptype, V0: v[0], V1: v[1], V2: v[2], V3: v[3], V4: v[4], V5: v[5]}
}

func (r casbinRule) values() []string { return []string{r.V0, r.V1, r.V2, r.V3, r.V4, r.V5} }

// Adapter stores casbin rules in the casbin_rule table through bun, the same SQL on SQLite
// and PostgreSQL. casbin's Adapter interface carries no context, so calls run under
// context.Background, bounded by the driver's timeouts.
type Adapter struct {
	db *bun.DB

	mu      sync.Mutex
	invalid []string // rows the last LoadPolicy skipped, for the enforcer to report
}

var _ persist.Adapter = (*Adapter)(nil)

// NewAdapter returns an adapter over db's casbin_rule table.
func NewAdapter(db *bun.DB) *Adapter { return &Adapter{db: db} }

// LoadPolicy loads every valid row into m. An invalid row is skipped, not fatal: it then
// grants nothing, and the remaining rows (a revocation among them) still take effect.
func (a *Adapter) LoadPolicy(m model.Model) error {
	var rows []casbinRule
	if err := a.db.NewSelect().Model(&rows).Order("id").Scan(context.Background()); err != nil {
		return fmt.Errorf("policies: load rules: %w", err)
	}
	var invalid []string
	for _, r := range rows {
		values, err := ruleValues(r.Ptype, r.values())
		if err == nil {
			err = persist.LoadPolicyArray(append([]string{r.Ptype}, values...), m)
		}
		if err != nil {
			invalid = append(invalid, fmt.Sprintf("casbin_rule id %d: %v", r.ID, err))
		}
	}
	a.mu.Lock()
	a.invalid = invalid
	a.mu.Unlock()
	return nil
}

// ruleValues cuts a row's six values to the rule type's arity and validates them.
func ruleValues(ptype string, all []string) ([]string, error) {
	n, ok := arity[ptype]
	if !ok {
		return nil, fmt.Errorf("unknown rule type %q", ptype)
	}
	for _, v := range all[n:] {
		if v != "" {
			return nil, fmt.Errorf("%s rule has more than %d values", ptype, n)
		}
	}
	return all[:n], validateRule(ptype, all[:n])
}

func (a *Adapter) lastInvalid() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.invalid
}

// SavePolicy replaces every row with the rules of m, in one transaction.
func (a *Adapter) SavePolicy(m model.Model) error {
	var rows []casbinRule
	for _, sec := range []string{"p", "g"} {
		for ptype, ast := range m[sec] {
			for _, rule := range ast.Policy {
				if err := validateRule(ptype, rule); err != nil {
					return fmt.Errorf("policies: save rules: %w", err)
				}
				rows = append(rows, newRow(ptype, rule))
			}
		}
	}
	return a.db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*casbinRule)(nil)).Where("1 = 1").Exec(ctx); err != nil {
			return fmt.Errorf("policies: save rules: delete: %w", err)
		}
		return insertRows(ctx, tx, rows)
	})
}

// insertRows writes rows in chunks, skipping any already present, so that two processes
// seeding or adding the same rule at once both succeed.
func insertRows(ctx context.Context, db bun.IDB, rows []casbinRule) error {
	const chunk = 500
	for len(rows) > 0 {
		n := min(chunk, len(rows))
		part := rows[:n]
		// Returning("NULL") drops RETURNING id: rows skipped by the conflict return nothing.
		if _, err := db.NewInsert().Model(&part).On("CONFLICT DO NOTHING").Returning("NULL").Exec(ctx); err != nil {
			return fmt.Errorf("policies: insert rules: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// AddPolicy stores one rule.
func (a *Adapter) AddPolicy(sec, ptype string, rule []string) error {
	if err := validateRule(ptype, rule); err != nil {
		return fmt.Errorf("policies: add rule: %w", err)
	}
	return insertRows(context.Background(), a.db, []casbinRule{newRow(ptype, rule)})
}

// RemovePolicy deletes the one rule that equals rule exactly.
func (a *Adapter) RemovePolicy(sec, ptype string, rule []string) error {
	if len(rule) > 6 {
		return fmt.Errorf("policies: remove rule: %d values, at most 6", len(rule))
	}
	var v [6]string
	copy(v[:], rule)
	return a.removeWhere(ptype, 0, v[:], false)
}

// RemoveFilteredPolicy deletes the rules whose values from fieldIndex on equal fieldValues;
// an empty field value matches anything.
func (a *Adapter) RemoveFilteredPolicy(sec, ptype string, fieldIndex int, fieldValues ...string) error {
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > 6 {
		return fmt.Errorf("policies: remove rules: field %d with %d values is out of range", fieldIndex, len(fieldValues))
	}
	return a.removeWhere(ptype, fieldIndex, fieldValues, true)
}

func (a *Adapter) removeWhere(ptype string, from int, values []string, skipEmpty bool) error {
	q := a.db.NewDelete().Model((*casbinRule)(nil)).Where("ptype = ?", ptype)
	for i, v := range values {
		if v != "" || !skipEmpty {
			q = q.Where("? = ?", bun.Ident(fmt.Sprintf("v%d", from+i)), v)
		}
	}
	if _, err := q.Exec(context.Background()); err != nil {
		return fmt.Errorf("policies: remove rules: %w", err)
	}
	return nil
}

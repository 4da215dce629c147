// Package policies decides who may do what, where: a casbin RBAC-with-domains model whose
// domains are districts, the default policy, and an adapter that keeps the rules in the
// casbin_rule table of the app's database.
package policies

import (
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/casbin/casbin/v2/model"
)

//go:embed model.conf
var modelConf string

//go:embed policy.csv
var policyCSV string

// StateWide is the domain of a grant or request that covers every district.
const StateWide = "*"

// Subject is the casbin subject of a user, as written in v0 of the user's g rows. app keeps
// its own copy of this format (app cannot import policies); a test pins it.
func Subject(userID int64) string { return "user:" + strconv.FormatInt(userID, 10) }

// arity is the number of values each rule type carries; every other column stays empty.
var arity = map[string]int{"p": 4, "g": 3}

// domainField is the position of the domain among a rule type's values.
var domainField = map[string]int{"p": 1, "g": 2}

func newModel() (model.Model, error) {
	m, err := model.NewModelFromString(modelConf)
	if err != nil {
		return nil, fmt.Errorf("policies: model: %w", err)
	}
	return m, nil
}

// validateRule checks a rule given as ptype followed by its values. A rule that fails is
// never loaded: a blank subject or domain must not quietly match something, and a domain
// such as "jai*" would be a prefix grant over jaipur and jaisalmer that nobody asked for.
func validateRule(ptype string, values []string) error {
	n, ok := arity[ptype]
	if !ok {
		return fmt.Errorf("unknown rule type %q", ptype)
	}
	if len(values) != n {
		return fmt.Errorf("%s rule has %d values, want %d", ptype, len(values), n)
	}
	for i, v := range values {
		if v == "" {
			return fmt.Errorf("%s rule: v%d is empty", ptype, i)
		}
		if v != strings.TrimSpace(v) {
			return fmt.Errorf("%s rule: v%d %q has surrounding spaces", ptype, i, v)
		}
	}
	if d := values[domainField[ptype]]; d != StateWide && strings.Contains(d, "*") {
		return fmt.Errorf("%s rule domain %q is a pattern; want a district or %q", ptype, d, StateWide)
	}
	return nil
}

// defaultRules parses the embedded policy.csv into p rules (values only, without ptype).
func defaultRules() ([][]string, error) {
	var rules [][]string
	for i, line := range strings.Split(policyCSV, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ",")
		for j := range fields {
			fields[j] = strings.TrimSpace(fields[j])
		}
		if fields[0] != "p" {
			return nil, fmt.Errorf("policies: policy.csv line %d: only p rules belong here", i+1)
		}
		if err := validateRule("p", fields[1:]); err != nil {
			return nil, fmt.Errorf("policies: policy.csv line %d: %w", i+1, err)
		}
		rules = append(rules, fields[1:])
	}
	if len(rules) == 0 {
		return nil, errors.New("policies: policy.csv holds no rules")
	}
	return rules, nil
}

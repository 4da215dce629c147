package views

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"text/template/parse"
)

//go:embed templates
var templateFS embed.FS

const (
	baseLayout = "layouts/base"
	// contentSlot is what the base layout calls; in each page's set it is bound to that page.
	contentSlot = "content"
)

// pages maps language → page name ("auth/login") → a template set that renders the page
// inside the base layout with a t func bound to that language. Built once at init and
// only executed afterwards, which html/template allows concurrently.
var pages = mustBuildPages()

// source is one template file. Its name is its path under templates/ without ".html"
// ("partials/field", "pages/auth/login"); html/template shares one namespace per set, so
// names derived from paths cannot collide and every inner define must be unique too.
type source struct {
	name, path, text string
}

func mustBuildPages() map[string]map[string]*template.Template {
	p, err := buildPages()
	if err != nil {
		panic(err.Error())
	}
	return p
}

func buildPages() (map[string]map[string]*template.Template, error) {
	shared, pageSrcs, err := readSources()
	if err != nil {
		return nil, err
	}
	if err := checkUniqueNames(slices.Concat(shared, pageSrcs)); err != nil {
		return nil, err
	}
	out := make(map[string]map[string]*template.Template, len(languages))
	for _, lang := range languages {
		root := template.New("").Funcs(funcs(lang))
		for _, s := range shared {
			if _, err := root.New(s.name).Parse(s.text); err != nil {
				return nil, fmt.Errorf("views: parse %s: %w", s.path, err)
			}
		}
		set := make(map[string]*template.Template, len(pageSrcs))
		var problems []string
		for _, s := range pageSrcs {
			t, err := root.Clone()
			if err != nil {
				return nil, fmt.Errorf("views: clone for %s: %w", s.path, err)
			}
			if _, err := t.New(s.name).Parse(s.text); err != nil {
				return nil, fmt.Errorf("views: parse %s: %w", s.path, err)
			}
			if _, err := t.New(contentSlot).Parse(fmt.Sprintf("{{template %q .}}", s.name)); err != nil {
				return nil, fmt.Errorf("views: bind %s: %w", s.path, err)
			}
			problems = append(problems, check(t)...)
			set[strings.TrimPrefix(s.name, "pages/")] = t
		}
		if len(problems) > 0 {
			return nil, fmt.Errorf("views: template check failed:\n\t%s", strings.Join(slices.Compact(slices.Sorted(slices.Values(problems))), "\n\t"))
		}
		out[lang] = set
	}
	return out, nil
}

// readSources returns layouts and partials (shared by every page) and pages.
func readSources() (shared, pageSrcs []source, err error) {
	err = fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(path, ".html") {
			return fmt.Errorf("views: %s: templates must end in .html", path)
		}
		b, err := templateFS.ReadFile(path)
		if err != nil {
			return fmt.Errorf("views: read %s: %w", path, err)
		}
		// The file's final newline is not part of the markup: partials are often inline.
		text := strings.TrimSuffix(string(b), "\n")
		s := source{name: strings.TrimSuffix(strings.TrimPrefix(path, "templates/"), ".html"), path: path, text: text}
		switch {
		case strings.HasPrefix(s.name, "pages/") && strings.Count(s.name, "/") == 2:
			pageSrcs = append(pageSrcs, s)
		case strings.HasPrefix(s.name, "layouts/"), strings.HasPrefix(s.name, "partials/"):
			shared = append(shared, s)
		default:
			return fmt.Errorf("views: %s: templates live in layouts/, partials/ or pages/<feature>/", path)
		}
		return nil
	})
	if err == nil && len(pageSrcs) == 0 {
		err = errors.New("views: no pages under templates/pages")
	}
	return shared, pageSrcs, err
}

// checkUniqueNames fails when two files define the same template name: html/template would
// silently let the later definition win in whichever set parsed both.
func checkUniqueNames(srcs []source) error {
	owner := map[string]string{contentSlot: "(reserved for the base layout)"}
	var problems []string
	for _, s := range srcs {
		tr := parse.New(s.name)
		tr.Mode = parse.SkipFuncCheck
		trees := make(map[string]*parse.Tree)
		if _, err := tr.Parse(s.text, "", "", trees); err != nil {
			return fmt.Errorf("views: parse %s: %w", s.path, err)
		}
		for name := range trees {
			if prev, ok := owner[name]; ok {
				problems = append(problems, fmt.Sprintf("%s: template %q is already defined by %s", s.path, name, prev))
				continue
			}
			owner[name] = s.path
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("views: duplicate template names:\n\t%s", strings.Join(problems, "\n\t"))
	}
	return nil
}

// check walks every template in set and reports calls of missing templates, t calls with
// a literal key that some catalogue lacks or with an odd number of name/value arguments,
// and asset calls naming a file that is not embedded. Keys computed at run time cannot be
// checked here; T returns them unchanged when missing, so tests still see them.
func check(set *template.Template) []string {
	var problems []string
	for _, tmpl := range set.Templates() {
		tree := tmpl.Tree
		if tree == nil || tree.Root == nil {
			continue
		}
		report := func(n parse.Node, format string, args ...any) {
			loc, _ := tree.ErrorContext(n)
			problems = append(problems, where(loc)+": "+fmt.Sprintf(format, args...))
		}
		walkList(tree.Root, func(n parse.Node) {
			switch n := n.(type) {
			case *parse.TemplateNode:
				if set.Lookup(n.Name) == nil {
					report(n, "{{template %q}}: no such template", n.Name)
				}
			case *parse.CommandNode:
				fn, arg, ok := literalCall(n)
				switch {
				case !ok:
				case fn == "t" && len(missingIn(arg)) > 0:
					report(n, "{{t %q}}: key missing from catalogue(s) %s", arg, strings.Join(missingIn(arg), ", "))
				case fn == "t" && (len(n.Args)-2)%2 != 0:
					report(n, "{{t %q ...}}: arguments must be name/value pairs", arg)
				case fn == "asset" && assetVersions[arg] == "":
					report(n, "{{asset %q}}: no such file under static/", arg)
				}
			}
		})
	}
	return problems
}

// literalCall returns the function name and first argument of a call like {{t "key"}}.
func literalCall(n *parse.CommandNode) (fn, arg string, ok bool) {
	if len(n.Args) < 2 {
		return "", "", false
	}
	id, ok1 := n.Args[0].(*parse.IdentifierNode)
	s, ok2 := n.Args[1].(*parse.StringNode)
	if !ok1 || !ok2 {
		return "", "", false
	}
	return id.Ident, s.Text, true
}

// where turns "pages/auth/login:12:5" into "templates/pages/auth/login.html:12:5".
func where(loc string) string {
	name, pos, _ := strings.Cut(loc, ":")
	return "templates/" + name + ".html:" + pos
}

func walkList(l *parse.ListNode, visit func(parse.Node)) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		visit(n)
		switch n := n.(type) {
		case *parse.ActionNode:
			walkPipe(n.Pipe, visit)
		case *parse.IfNode:
			walkBranch(&n.BranchNode, visit)
		case *parse.RangeNode:
			walkBranch(&n.BranchNode, visit)
		case *parse.WithNode:
			walkBranch(&n.BranchNode, visit)
		case *parse.TemplateNode:
			walkPipe(n.Pipe, visit)
		case *parse.ListNode:
			walkList(n, visit)
		}
	}
}

func walkBranch(b *parse.BranchNode, visit func(parse.Node)) {
	walkPipe(b.Pipe, visit)
	walkList(b.List, visit)
	walkList(b.ElseList, visit)
}

func walkPipe(p *parse.PipeNode, visit func(parse.Node)) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		visit(cmd)
		for _, arg := range cmd.Args {
			if inner, ok := arg.(*parse.PipeNode); ok {
				walkPipe(inner, visit)
			}
		}
	}
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	refStart = "<!-- config reference: generated, do not edit by hand -->"
	refEnd   = "<!-- end of config reference -->"
)

// configReference is the configuration reference in docs/admin.md: every
// key of the config.yaml papers init writes (which TestInitConfigKnowsEveryKey
// keeps in step with the keys the code reads), its value there and its
// comments.
func configReference(t *testing.T) string {
	t.Helper()
	data, err := skeleton.ReadFile("skeleton/config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("| key | in the example | what it does |\n|---|---|---|\n")
	var walk func(n *yaml.Node, s *keySchema, at string)
	walk = func(n *yaml.Node, s *keySchema, at string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			if at != "" {
				key = at + "." + k.Value
			}
			var ks *keySchema
			if s != nil && s.fields != nil {
				ks = s.fields[k.Value]
			}
			if ks == nil {
				t.Fatalf("config.yaml line %d: %s is not a key papers reads", k.Line, key)
			}
			what := comment(k.HeadComment, k.LineComment, v.LineComment)
			if v.Kind == yaml.MappingNode && ks.values == nil {
				if what != "" {
					fmt.Fprintf(&b, "| `%s` | | %s |\n", key, what)
				}
				walk(v, ks, key)
				continue
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", key, example(v), what)
		}
	}
	walk(doc.Content[0], configSchema, "")
	return b.String()
}

// comment joins a key's comments as one line of prose.
func comment(parts ...string) string {
	var words []string
	for _, p := range parts {
		for _, line := range strings.Split(p, "\n") {
			line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
			if line != "" {
				words = append(words, line)
			}
		}
	}
	return strings.ReplaceAll(strings.Join(words, " "), "|", `\|`)
}

// example is a value as flow YAML, for a table cell.
func example(v *yaml.Node) string {
	c := *v
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	c.Style = yaml.FlowStyle
	for _, n := range c.Content {
		n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	}
	out, err := yaml.Marshal(&c)
	if err != nil {
		return ""
	}
	s := strings.TrimSpace(string(out))
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// TestConfigReference keeps docs/admin.md's configuration reference the
// one generated from the code; -update rewrites it.
func TestConfigReference(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "admin.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, refStart), strings.Index(doc, refEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: no %q … %q markers", path, refStart, refEnd)
	}
	want := configReference(t)
	got := doc[i+len(refStart)+1 : j]
	if got == want {
		return
	}
	if *updateFixtures {
		doc = doc[:i+len(refStart)] + "\n" + want + doc[j:]
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the configuration reference is not the one generated from the code; run go test ./cmd/papers -run TestConfigReference -update", path)
}

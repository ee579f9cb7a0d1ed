package main

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// keySchema is the shape of config.yaml's keys: a section's own keys, a
// map's values (any key), or a list's items. A leaf has none of these.
type keySchema struct {
	fields map[string]*keySchema
	values *keySchema // a map: any key, each value of this shape
	items  *keySchema // a list of sections
}

// configSchema is every key any command reads from config.yaml: config
// itself, the portal's and mail's sections, the packs' meeting keys and
// returns.password.
var configSchema = func() *keySchema {
	s := schemaOf(reflect.TypeFor[config]())
	s.fields["portal"] = schemaOf(reflect.TypeFor[portalConfig]())
	s.fields["mail"] = schemaOf(reflect.TypeFor[mailConfig]())
	s.merge(schemaOf(reflect.TypeFor[packConfig]()))
	s.merge(&keySchema{fields: map[string]*keySchema{"returns": {fields: map[string]*keySchema{"password": {}}}}})
	return s
}()

// schemaOf reads the keys of t from its mapstructure tags.
func schemaOf(t reflect.Type) *keySchema {
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem())
	case reflect.Struct:
		s := &keySchema{fields: map[string]*keySchema{}}
		for f := range t.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
			if !f.IsExported() || tag == "-" || tag == "" {
				continue
			}
			s.fields[tag] = schemaOf(f.Type)
		}
		return s
	case reflect.Map:
		return &keySchema{values: schemaOf(t.Elem())}
	case reflect.Slice:
		if e := schemaOf(t.Elem()); e.fields != nil || e.values != nil {
			return &keySchema{items: e}
		}
	}
	return &keySchema{}
}

// merge adds o's keys to s.
func (s *keySchema) merge(o *keySchema) {
	for k, v := range o.fields {
		if have, ok := s.fields[k]; ok {
			have.merge(v)
		} else {
			s.fields[k] = v
		}
	}
}

// checkConfigKeys reports every key in the YAML data that papers does not
// read, with its line and the nearest known key when one is close: a
// misspelt key would otherwise be ignored and its default used.
func checkConfigKeys(path string, data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("config %s: %v", path, err)
	}
	var errs []error
	var walk func(n *yaml.Node, s *keySchema, at string)
	walk = func(n *yaml.Node, s *keySchema, at string) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, s, at)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "<<" { // a merge key: its keys are checked where they are defined
					continue
				}
				switch {
				case s.values != nil:
					walk(v, s.values, at+k.Value+".")
				case s.fields != nil:
					// viper reads keys without regard to case.
					sub, ok := s.fields[strings.ToLower(k.Value)]
					if !ok {
						errs = append(errs, unknownKey(path, k, at, s))
						continue
					}
					walk(v, sub, at+strings.ToLower(k.Value)+".")
				}
			}
		case yaml.SequenceNode:
			if s.items != nil {
				for _, c := range n.Content {
					walk(c, s.items, at)
				}
			}
		}
	}
	walk(&doc, configSchema, "")
	return errors.Join(errs...)
}

// unknownKey is the error for key k, found under at, where s's keys are known.
func unknownKey(path string, k *yaml.Node, at string, s *keySchema) error {
	msg := fmt.Sprintf("config %s:%d: unknown key %q", path, k.Line, at+k.Value)
	if near := nearest(strings.ToLower(k.Value), s); near != "" {
		return fmt.Errorf("%s: did you mean %q?", msg, at+near)
	}
	known := make([]string, 0, len(s.fields))
	for name := range s.fields {
		known = append(known, name)
	}
	sort.Strings(known)
	where := "at the top level"
	if at != "" {
		where = "under " + strings.TrimSuffix(at, ".") + ":"
	}
	return fmt.Errorf("%s: papers reads only %s %s", msg, strings.Join(known, ", "), where)
}

// nearest is the known key closest to key, if it is close enough to be a
// slip of the keyboard.
func nearest(key string, s *keySchema) string {
	best, bestD := "", 0
	for name := range s.fields {
		d := editDistance(key, name)
		if best == "" || d < bestD || d == bestD && name < best {
			best, bestD = name, d
		}
	}
	if best == "" || bestD > max(2, len(best)/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

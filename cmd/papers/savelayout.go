package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"papers/internal/atomicfile"
	"papers/internal/workbook"
)

// saveLayouts writes the layouts of the sheets read into the config file's
// ingest.layouts, replacing a saved layout with the same headings, so a
// later run reads those sheets as saved (and as the clerk corrects them
// there). The rest of the file, comments included, is kept.
func saveLayouts(ctx context.Context, path string, lay *workbook.Layout) (int, error) {
	var layouts []workbook.SavedLayout
	for _, sh := range lay.Sheets {
		if sh.Read {
			layouts = append(layouts, sh.Saved())
		}
	}
	if len(layouts) == 0 {
		return 0, fmt.Errorf("%s: no sheet was read as the plan: there is no layout to save", lay.File)
	}
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return 0, fmt.Errorf("cannot read config %s: %v", path, err)
	}
	var doc yaml.Node
	if len(strings.TrimSpace(string(data))) > 0 {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return 0, fmt.Errorf("config %s: %v", path, err)
		}
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return 0, fmt.Errorf("config %s: is not a mapping of settings", path)
	}
	ingest := mapValue(root, "ingest", yaml.MappingNode)
	saved := mapValue(ingest, "layouts", yaml.SequenceNode)
	if saved.Kind != yaml.SequenceNode {
		return 0, fmt.Errorf("config %s: ingest.layouts is not a list", path)
	}
	for _, l := range layouts {
		var n yaml.Node
		if err := n.Encode(l); err != nil {
			return 0, err
		}
		n.HeadComment = fmt.Sprintf("Saved from %s by papers check --save-layout: correct the columns if they are wrong.", lay.File)
		replaced := false
		for i, old := range saved.Content {
			var ol workbook.SavedLayout
			if old.Decode(&ol) == nil && slices.Equal(ol.Headings, l.Headings) {
				saved.Content[i] = &n
				replaced = true
			}
		}
		if !replaced {
			saved.Content = append(saved.Content, &n)
		}
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return 0, err
	}
	if err := atomicfile.Write(ctx, []atomicfile.File{{Path: path, Data: []byte(b.String())}}); err != nil {
		return 0, fmt.Errorf("cannot write config %s: %v", path, err)
	}
	return len(layouts), nil
}

// mapValue returns the value of key in a mapping node, adding it (of the
// given kind) when it is missing.
func mapValue(m *yaml.Node, key string, kind yaml.Kind) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				v.Kind, v.Tag, v.Value = kind, "", ""
			}
			return v
		}
	}
	v := &yaml.Node{Kind: kind}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	return v
}

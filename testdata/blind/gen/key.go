package main

import (
	"bytes"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"papers/internal/corpus"
)

type keyFile = corpus.Key
type workbookKey = corpus.WorkbookKey

const keyHeader = `# Answer key, written by testdata/blind/gen from the same description as
# the workbooks: edit the generator, not this file. What papers should report
# for each workbook (actions, and the rows that are not actions) and, for each
# pair of quarters, the changes between them in papers' terms (new, removed,
# completed, slipped by days, owner_changed). A "why" explains a miss that is
# accepted; the score counts it as a hit.
`

// bookKey is the key of one workbook.
func bookKey(q quarter, b *book) corpus.WorkbookKey {
	wk := corpus.WorkbookKey{File: q.file, AsOf: q.asOf, Actions: []corpus.ActionKey{}, NotActions: []corpus.RowKey{}}
	for _, s := range b.sheets {
		for i, r := range s.rows {
			if r.kind != kindAction {
				wk.NotActions = append(wk.NotActions, corpus.RowKey{Sheet: s.name, Row: i + 1, Kind: r.kind})
				continue
			}
			for _, a := range r.acts {
				wk.Actions = append(wk.Actions, corpus.ActionKey{ID: a.id, Ref: a.ref, Text: a.text, Sheet: s.name, Row: i + 1,
					Owners: a.owners, Target: a.target, TargetText: a.targetText, Complete: a.complete,
					Completion: a.completion, Why: a.why})
			}
		}
	}
	return wk
}

// pairKey works out the changes from one quarter to the next, as papers
// defines them (plan.ActionChange): new, removed, completed this period
// (also for a new action that is already complete), slipped (the target
// moved later, both dates known) and owner changed.
func pairKey(prevQ, curQ quarter, prev, cur corpus.WorkbookKey) corpus.PairKey {
	pk := corpus.PairKey{Previous: prevQ.file, Current: curQ.file, AsOf: curQ.asOf, Changes: []corpus.ChangeKey{}}
	before := map[string]corpus.ActionKey{}
	for _, a := range prev.Actions {
		before[a.ID] = a
	}
	now := map[string]bool{}
	for _, a := range cur.Actions {
		now[a.ID] = true
		p, carried := before[a.ID]
		if !carried {
			pk.Changes = append(pk.Changes, corpus.ChangeKey{ID: a.ID, Change: corpus.ChangeNew})
		}
		if a.Complete && (!carried || !p.Complete) {
			pk.Changes = append(pk.Changes, corpus.ChangeKey{ID: a.ID, Change: corpus.ChangeCompleted})
		}
		if !carried {
			continue
		}
		if d, ok := corpus.DaysBetween(p.Target, a.Target); ok && d > 0 {
			pk.Changes = append(pk.Changes, corpus.ChangeKey{ID: a.ID, Change: corpus.ChangeSlipped, Days: d})
		}
		if !corpus.SameOwners(p.Owners, a.Owners) {
			pk.Changes = append(pk.Changes, corpus.ChangeKey{ID: a.ID, Change: corpus.ChangeOwner})
		}
	}
	for _, a := range prev.Actions {
		if !now[a.ID] {
			pk.Changes = append(pk.Changes, corpus.ChangeKey{ID: a.ID, Change: corpus.ChangeRemoved})
		}
	}
	return pk
}

func writeKey(path string, k corpus.Key) error {
	var buf bytes.Buffer
	buf.WriteString(keyHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(k); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(strings.TrimRight(buf.String(), "\n")+"\n"), 0o644)
}

package store

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkAddStatement stores a 2,000-action statement (new bytes each
// time, so each is a new version).
func BenchmarkAddStatement(b *testing.B) {
	db := openTest(b)
	ctx := context.Background()
	in := input("Plan", "2020-Q4", KindStatement, "bench")
	in.Statement = sample(2000, "bench")
	in.Bytes = make([]byte, 200<<10) // about the size of a 2,000-row workbook
	i := 0
	for b.Loop() {
		i++
		copy(in.Bytes, fmt.Sprint(i))
		if _, err := db.AddStatement(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPlan is a database holding eight quarters of 2,000-action statements,
// two versions each.
func benchPlan(b *testing.B) *DB {
	db := openTest(b)
	ctx := context.Background()
	s := sample(2000, "bench")
	for q := range 8 {
		for v := range 2 {
			in := input("Plan", fmt.Sprintf("%d-Q%d", 2020+q/4, q%4+1), KindStatement, fmt.Sprint(q, v))
			in.Statement = s
			if _, err := db.AddStatement(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	}
	return db
}

// BenchmarkHistory lists the versions of eight quarters.
func BenchmarkHistory(b *testing.B) {
	db := benchPlan(b)
	ctx := context.Background()
	for b.Loop() {
		h, err := db.History(ctx, "Plan")
		if err != nil || len(h) != 16 {
			b.Fatal(len(h), err)
		}
	}
}

// BenchmarkLatest reads and decodes the previous quarter's 2,000-action
// statement, as a comparison does.
func BenchmarkLatest(b *testing.B) {
	db := benchPlan(b)
	ctx := context.Background()
	for b.Loop() {
		_, s, err := db.Latest(ctx, "Plan", KindStatement, "2021-Q4")
		if err != nil || len(s.Actions) != 2000 {
			b.Fatal(err)
		}
	}
}

package pdfua_test

import (
	"fmt"
	"os"

	"papers/internal/pdfua"
)

// A test of a writer checks its PDF and fails with the problems listed.
func ExampleCheck() {
	f, err := os.Open("testdata/heading-skip.pdf")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	rep, err := pdfua.Check(f)
	if err != nil {
		fmt.Println(err) // not a PDF, or damaged past reading
		return
	}
	fmt.Println("tagged:", rep.Tagged)
	if err := rep.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// tagged: true
	// 1 accessibility problem:
	//   page 1: heading-skip: H3 follows H1: level 2 is skipped
}

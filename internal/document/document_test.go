package document

import (
	"testing"
	"unsafe"
)

// A 20,000-action report's appendices hold about half a million cells:
// each byte of a Cell is half a megabyte of memory the report must touch.
func TestCellSize(t *testing.T) {
	if n := unsafe.Sizeof(Cell{}); n > 40 {
		t.Errorf("a Cell is %d bytes, want at most 40: keep Bold and Merge together after the strings", n)
	}
}

//go:build !linux

package atomicfile

// exchange swaps folders a and b. Without Linux's atomic exchange it takes
// two renames (see exchangeByRenames): b is missing for a moment between
// them, but never half-written, and a failure puts it back.
func exchange(a, b string) error { return exchangeByRenames(a, b) }

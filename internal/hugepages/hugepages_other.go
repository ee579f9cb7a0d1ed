//go:build !linux

package hugepages

// Advise does nothing but on Linux.
func Advise(size int) int { return 0 }

func totalRAM() uint64 { return 0 }

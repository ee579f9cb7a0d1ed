package hugepages

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// After Advise, the heap's mappings carry the kernel's huge-page advice
// ("hg" in smaps' VmFlags), and an allocation made afterwards (a report's)
// lands in an advised mapping.
func TestAdvise(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil {
		t.Skip("this kernel has no transparent huge pages")
	}
	if n := Advise(64 << 20); n < 64<<20 {
		t.Fatalf("advised %d bytes, want at least the 64 MB mapped", n)
	}
	later := make([]byte, 8<<20)
	flags := vmFlags(t, uintptr(unsafe.Pointer(unsafe.SliceData(later))))
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the mapping holding a later allocation has VmFlags %q, want hg (huge pages advised)", flags)
	}
}

// vmFlags is the VmFlags line of the mapping holding address p.
func vmFlags(t *testing.T, p uintptr) string {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 0 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			from, to, _ := strings.Cut(fields[0], "-")
			a, e := parseHex(from), parseHex(to)
			in = a <= p && p < e
			continue
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	t.Fatalf("no mapping holds %#x", p)
	return ""
}

func parseHex(s string) uintptr {
	n, _ := strconv.ParseUint(s, 16, 64)
	return uintptr(n)
}

func TestSize(t *testing.T) {
	if s := Size(); s <= 0 || s > 512<<20 || uint64(s) > totalRAM()/8+1 {
		t.Errorf("Size() = %d with %d bytes of memory", s, totalRAM())
	}
}

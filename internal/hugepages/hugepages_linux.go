package hugepages

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// ballast holds the allocation that maps the heap, until it is freed.
var ballast []byte

// small is a small heap object: the mapping that holds it is advised too.
var small *[64]byte

// Advise maps size bytes of heap and asks for huge pages on the mappings
// that hold the heap. It returns how many bytes were advised; 0 when the
// kernel cannot do it (no transparent huge pages) or /proc is not there.
func Advise(size int) int {
	ballast = make([]byte, size)
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(ballast)))
	hi := lo + uintptr(size)
	small = new([64]byte)
	at := uintptr(unsafe.Pointer(small))
	ballast = nil
	runtime.GC() // the ballast's pages are free for the report to use
	maps, err := heapMappings(func(a, b uintptr) bool { return a < hi && lo < b || a <= at && at < b })
	if err != nil {
		return 0
	}
	advised := 0
	for _, m := range maps {
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m[0], m[1]-m[0], madvHugePage); errno == 0 {
			advised += int(m[1] - m[0])
		}
	}
	return advised
}

// madvHugePage is MADV_HUGEPAGE, which package syscall does not name.
const madvHugePage = 14

// heapMappings lists the read-write private mappings [start, end) of this
// process for which keep says yes.
func heapMappings(keep func(start, end uintptr) bool) ([][2]uintptr, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][2]uintptr
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 7f3a0c000000-7f3a10000000 rw-p 00000000 00:00 0
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || fields[1] != "rw-p" {
			continue
		}
		from, to, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(from, 16, 64)
		b, err2 := strconv.ParseUint(to, 16, 64)
		if err1 != nil || err2 != nil || !keep(uintptr(a), uintptr(b)) {
			continue
		}
		out = append(out, [2]uintptr{uintptr(a), uintptr(b)})
	}
	return out, sc.Err()
}

func totalRAM() uint64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return uint64(si.Totalram) * uint64(si.Unit)
}

// Package hugepages asks Linux to back the Go heap with transparent huge
// pages (2 MB) rather than 4 KB ones, for a command that builds a report in
// one go and exits. papers does it only when PAPERS_HUGE_PAGES is "on".
//
// Why: a long report touches a lot of fresh memory, and the kernel takes a
// page fault for each 4 KB of it the first time. On the first virtual
// machine this was measured on, a fault cost about 10 µs: a 20,000-action
// report touches about 150 MB (37,000 faults), which cost 0.35–0.45 s of
// system time and more in the user time around it. With huge pages the same
// report took 2,600 faults, and 0.73 s instead of 1.1–1.3 s.
//
// Why not always: on a later one, whose host takes back free 2 MB blocks of
// the guest's memory a few seconds after they are freed, a huge page is
// such a block, and getting it back from the host costs more than the
// faults it saves; 4 KB pages come from blocks the host never took. There a
// report run once took 0.73 s with huge pages and 0.62 s without
// (docs/performance.md, "Memory is time on a virtual machine").
//
// How: Go no longer advises huge pages for its heap, and a heap mapping made
// later does not inherit advice given to an earlier one. So Advise first has
// the runtime map a heap of the given size (one large allocation, never
// touched, so never resident, and freed at once), then advises every
// read-write mapping that holds the heap. The report's allocations reuse
// those addresses; heap beyond the size is mapped in ordinary pages.
//
// It changes nothing a command writes. It does nothing where transparent
// huge pages are off ("never") or missing, and on systems other than Linux.
// A long-running server should not use it: huge pages can hold on to memory
// a small-page heap would give back.
package hugepages

// Size is how much heap Advise maps for a report: enough for a 20,000-action
// report, and at most an eighth of the machine's memory, so that even a
// system that refuses to overcommit memory has room for it.
func Size() int {
	const most = 512 << 20
	if ram := totalRAM(); ram > 0 && ram/8 < most {
		return int(ram / 8)
	}
	return most
}

package pack

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// DefaultCacheLimit bounds the conversion cache's size on disk: when a run
// leaves it larger, the entries used longest ago are removed.
const DefaultCacheLimit = 256 << 20

// convCache keeps documents converted to PDF, in a folder, keyed by the
// SHA-256 of the document's bytes together with what else decides the PDF
// (LibreOffice's program and its export options), so that a paper that has
// not changed is not converted again. Every entry is written atomically and
// carries a digest of its PDF: an entry that does not match it (a damaged
// disk, a half-copied folder) is ignored, and replaced by the next
// conversion. The zero value (no folder) keeps nothing.
type convCache struct {
	dir   string
	limit int64 // bytes; 0 for DefaultCacheLimit
}

const cacheExt = ".pdfcache"

// key is an entry's name for a document: its content, its kind, and the
// converter (the program as installed, and the arguments it is run with,
// the run's own folder taken out).
func (c convCache) key(program string, args []string, work, ext string, doc []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "papers conversion 1\x00%s\x00%s\x00", program, installed(program))
	for _, a := range args {
		h.Write([]byte(strings.ReplaceAll(a, work, "")))
		h.Write([]byte{0})
	}
	fmt.Fprintf(h, "%s\x00", strings.ToLower(ext))
	h.Write(doc)
	return hex.EncodeToString(h.Sum(nil))
}

// installed identifies the LibreOffice that program runs, so that an
// upgrade converts afresh: the file, size and time of its soffice.bin (the
// program itself when there is none beside it).
func installed(program string) string {
	p, err := filepath.EvalSymlinks(program)
	if err != nil {
		return ""
	}
	if bin, err := filepath.EvalSymlinks(filepath.Join(filepath.Dir(p), "soffice.bin")); err == nil {
		p = bin
	}
	st, err := os.Stat(p)
	if err != nil {
		return p
	}
	return fmt.Sprintf("%s %d %d", p, st.Size(), st.ModTime().UnixNano())
}

func (c convCache) path(key string) string { return filepath.Join(c.dir, key+cacheExt) }

// get returns the PDF kept under key, if there is a sound one.
func (c convCache) get(key string) ([]byte, bool) {
	if c.dir == "" {
		return nil, false
	}
	b, err := os.ReadFile(c.path(key))
	if err != nil || len(b) < sha256.Size {
		return nil, false
	}
	sum, pdf := b[:sha256.Size], b[sha256.Size:]
	if got := sha256.Sum256(pdf); !bytes.Equal(sum, got[:]) || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(c.path(key), now, now) // recently used: trimmed last
	return pdf, true
}

// put keeps pdf under key. A cache that cannot be written only costs time
// on the next run, so put says nothing of failures.
func (c convCache) put(key string, pdf []byte) {
	if c.dir == "" {
		return
	}
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(c.dir, ".tmp-*")
	if err != nil {
		return
	}
	sum := sha256.Sum256(pdf)
	_, err = f.Write(append(sum[:], pdf...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.path(key))
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// trim removes the entries used longest ago until the cache is within its
// limit, and leftovers of writes that did not finish.
func (c convCache) trim() {
	if c.dir == "" {
		return
	}
	limit := c.limit
	if limit <= 0 {
		limit = DefaultCacheLimit
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type entry struct {
		name string
		size int64
		used time.Time
	}
	var es []entry
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if strings.HasPrefix(e.Name(), ".tmp-") && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(c.dir, e.Name()))
			continue
		}
		if filepath.Ext(e.Name()) != cacheExt {
			continue
		}
		es = append(es, entry{e.Name(), info.Size(), info.ModTime()})
		total += info.Size()
	}
	slices.SortFunc(es, func(a, b entry) int { return a.used.Compare(b.used) })
	for _, e := range es {
		if total <= limit {
			break
		}
		if err := os.Remove(filepath.Join(c.dir, e.name)); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= e.size
		}
	}
}

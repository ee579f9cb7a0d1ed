package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Limits on a house template, against zip bombs.
const (
	maxTemplatePart  = 64 << 20
	maxTemplateTotal = 256 << 20
)

// house is a council house template, read.
type house struct {
	files      map[string][]byte
	copy       []string // parts copied unchanged, sorted
	mainPath   string
	rootRels   []rel // kept root relationships (not the document, core, app or thumbnail)
	docRels    []rel
	ct         contentTypes
	page       page
	headers    []ref
	footers    []ref
	titlePg    bool
	stylesPath string // "" when the template has no styles part
	styles     string // its styles, with any of ours it lacks added
	footerTabs []int  // tab stops of its Footer style
	maxDocPr   int    // the largest drawing ID in its headers and footers
}

func readTemplate(data []byte) (*house, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a .docx (zip) file: %w", err)
	}
	h := &house{files: map[string][]byte{}, page: a4}
	total := 0
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxTemplatePart+1))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if len(b) > maxTemplatePart {
			return nil, fmt.Errorf("%s: part larger than %d MiB", f.Name, maxTemplatePart>>20)
		}
		if total += len(b); total > maxTemplateTotal {
			return nil, fmt.Errorf("template larger than %d MiB unpacked", maxTemplateTotal>>20)
		}
		h.files[f.Name] = b
	}

	// Content types.
	h.ct = contentTypes{defaults: map[string]string{}, overrides: map[string]string{}}
	var types struct {
		Defaults []struct {
			Ext  string `xml:"Extension,attr"`
			Type string `xml:"ContentType,attr"`
		} `xml:"Default"`
		Overrides []struct {
			Part string `xml:"PartName,attr"`
			Type string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(h.files["[Content_Types].xml"], &types); err != nil {
		return nil, fmt.Errorf("[Content_Types].xml: %w", err)
	}
	for _, d := range types.Defaults {
		h.ct.defaults[strings.ToLower(d.Ext)] = d.Type
	}
	for _, o := range types.Overrides {
		h.ct.overrides["/"+strings.TrimPrefix(o.Part, "/")] = o.Type
	}

	// The package relationships name the main document part.
	drop := map[string]bool{"[Content_Types].xml": true, "_rels/.rels": true}
	rootRels, err := readRels(h.files["_rels/.rels"])
	if err != nil {
		return nil, fmt.Errorf("_rels/.rels: %w", err)
	}
	for _, r := range rootRels {
		target := resolve(".", r)
		switch r.Type {
		case relDoc:
			h.mainPath = target
		case relCore, relApp, relThumb:
			drop[target] = true
		default:
			h.rootRels = append(h.rootRels, r)
		}
	}
	if h.mainPath == "" || h.files[h.mainPath] == nil {
		return nil, errors.New("no main document part")
	}
	drop[h.mainPath] = true
	dir := path.Dir(h.mainPath)
	relsPath := relsPathOf(h.mainPath)
	drop[relsPath] = true
	if b, ok := h.files[relsPath]; ok {
		if h.docRels, err = readRels(b); err != nil {
			return nil, fmt.Errorf("%s: %w", relsPath, err)
		}
	}
	for _, r := range h.docRels {
		if r.Type == relStyles && r.TargetMode != "External" {
			h.stylesPath = resolve(dir, r)
		}
	}
	if h.stylesPath != "" {
		b, ok := h.files[h.stylesPath]
		if !ok {
			return nil, fmt.Errorf("styles part %s missing", h.stylesPath)
		}
		h.styles = mergeStyles(string(b))
		h.footerTabs = styleTabs(h.styles, "Footer")
		drop[h.stylesPath] = true
	}

	if err := h.readSection(h.files[h.mainPath]); err != nil {
		return nil, fmt.Errorf("%s: %w", h.mainPath, err)
	}
	for name, b := range h.files {
		if !drop[name] {
			h.copy = append(h.copy, name)
		}
		if strings.HasSuffix(name, ".xml") && name != h.mainPath {
			for _, m := range reDocPr.FindAllSubmatch(b, -1) {
				if n, err := strconv.Atoi(string(m[1])); err == nil && n > h.maxDocPr && n < 1<<30 {
					h.maxDocPr = n
				}
			}
		}
	}
	slices.Sort(h.copy)
	return h, nil
}

func readRels(b []byte) ([]rel, error) {
	if b == nil {
		return nil, nil
	}
	var rs struct {
		Rels []struct {
			ID         string `xml:"Id,attr"`
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(b, &rs); err != nil {
		return nil, err
	}
	out := make([]rel, len(rs.Rels))
	for i, r := range rs.Rels {
		out[i] = rel{ID: r.ID, Type: r.Type, Target: r.Target, TargetMode: r.TargetMode}
	}
	return out, nil
}

// resolve is a relationship's target as a part name.
func resolve(dir string, r rel) string {
	if strings.HasPrefix(r.Target, "/") {
		return strings.TrimPrefix(r.Target, "/")
	}
	return path.Clean(path.Join(dir, r.Target))
}

// xSectPr is the part of a section's properties taken from a template.
type xSectPr struct {
	Headers []xRef `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main headerReference"`
	Footers []xRef `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main footerReference"`
	PgSz    *struct {
		W string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main w,attr"`
		H string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main h,attr"`
	} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main pgSz"`
	PgMar *struct {
		Top    string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main top,attr"`
		Right  string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main right,attr"`
		Bottom string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main bottom,attr"`
		Left   string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main left,attr"`
		Header string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main header,attr"`
		Footer string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main footer,attr"`
	} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main pgMar"`
	TitlePg *struct {
		Val string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main val,attr"`
	} `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main titlePg"`
}

type xRef struct {
	Type string `xml:"http://schemas.openxmlformats.org/wordprocessingml/2006/main type,attr"`
	ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
}

// readSection takes the headers, footers and page of the template's last
// section.
func (h *house) readSection(doc []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var last *xSectPr
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Space != nsW || se.Name.Local != "sectPr" {
			continue
		}
		var s xSectPr
		if err := dec.DecodeElement(&s, &se); err != nil {
			return err
		}
		last = &s
	}
	if last == nil {
		return nil
	}
	for _, r := range last.Headers {
		h.headers = append(h.headers, ref{kindOf(r.Type), r.ID})
	}
	for _, r := range last.Footers {
		h.footers = append(h.footers, ref{kindOf(r.Type), r.ID})
	}
	if t := last.TitlePg; t != nil && t.Val != "0" && t.Val != "false" && t.Val != "off" {
		h.titlePg = true
	}
	num := func(s string, def int) int {
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
		return def
	}
	if p := last.PgSz; p != nil {
		h.page.w, h.page.h = num(p.W, a4.w), num(p.H, a4.h)
		if h.page.w > h.page.h {
			h.page.w, h.page.h = h.page.h, h.page.w
		}
	}
	if m := last.PgMar; m != nil {
		h.page.top = abs(num(m.Top, a4.top))
		h.page.right = num(m.Right, a4.right)
		h.page.bottom = abs(num(m.Bottom, a4.bottom))
		h.page.left = num(m.Left, a4.left)
		h.page.header = num(m.Header, a4.header)
		h.page.footer = num(m.Footer, a4.footer)
	}
	if h.page.textWidth() < 1440 || h.page.textHeight() < 1440 {
		return errors.New("page too small for text")
	}
	return nil
}

func kindOf(t string) string {
	switch t {
	case "first", "even":
		return t
	}
	return "default"
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// mergeStyles adds to a template's styles part every built-in style whose
// ID it lacks, before the closing tag. A part that does not use the usual
// "w:" prefix is left alone.
func mergeStyles(s string) string {
	end := strings.LastIndex(s, "</w:styles>")
	if end < 0 {
		return s
	}
	var add strings.Builder
	for _, st := range builtinStyles() {
		if !strings.Contains(s, `w:styleId="`+st.id+`"`) {
			add.WriteString(st.xml)
		}
	}
	return s[:end] + add.String() + s[end:]
}

var (
	reStyle = regexp.MustCompile(`(?s)<w:style\b[^>]*w:styleId="([^"]*)"[^>]*>(.*?)</w:style>`)
	reTab   = regexp.MustCompile(`<w:tab\b[^>]*w:pos="(-?\d+)"`)
	reDocPr = regexp.MustCompile(`docPr\b[^>]*\bid="(\d+)"`)
)

// styleTabs lists the tab stop positions a style defines.
func styleTabs(styles, id string) []int {
	for _, m := range reStyle.FindAllStringSubmatch(styles, -1) {
		if m[1] != id {
			continue
		}
		var out []int
		for _, t := range reTab.FindAllStringSubmatch(m[2], -1) {
			if n, err := strconv.Atoi(t[1]); err == nil {
				out = append(out, n)
			}
		}
		return out
	}
	return nil
}

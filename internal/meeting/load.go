package meeting

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ErrInvalid matches (errors.Is) every Problem: what a meeting file says
// is wrong, as opposed to failing to read it.
var ErrInvalid = errors.New("invalid meeting file")

// Problem is one thing wrong in a meeting file, with where it is:
// "data/meetings/2020-11-26.yaml:31: items[3].exempt: paragraph 9 is not
// in Part 1 of Schedule 12A (1–7)".
type Problem struct {
	File    string
	Line    int    // 0 when unknown
	Field   string // "items[3].exempt", "" for the whole file
	Message string
}

func (p *Problem) Error() string {
	s := p.File
	if p.Line > 0 {
		s += ":" + strconv.Itoa(p.Line)
	}
	if p.Field != "" {
		s += ": " + p.Field
	}
	return s + ": " + p.Message
}

// Is reports whether target is ErrInvalid.
func (p *Problem) Is(target error) bool { return target == ErrInvalid }

// File kinds an item's file may be.
var (
	// PDFExts are read as they are.
	PDFExts = []string{".pdf"}
	// DocumentExts are converted to PDF with LibreOffice.
	DocumentExts = []string{".docx", ".doc", ".odt", ".rtf"}
)

// maxFileSize bounds the meeting file itself (not its items).
const maxFileSize = 1 << 20

// The meeting file as written.
type fileMeeting struct {
	Council   string       `yaml:"council"`
	Committee string       `yaml:"committee"`
	Date      string       `yaml:"date"`
	Time      string       `yaml:"time"`
	Venue     string       `yaml:"venue"`
	Members   []fileMember `yaml:"members"`
	Clerk     fileContact  `yaml:"clerk"`
	Items     []fileItem   `yaml:"items"`
}

type fileMember struct {
	Name string `yaml:"name"`
	Role string `yaml:"role"`
}

type fileContact struct {
	Name  string `yaml:"name"`
	Tel   string `yaml:"tel"`
	Email string `yaml:"email"`
}

type fileItem struct {
	Title       string    `yaml:"title"`
	ReportOf    string    `yaml:"report_of"`
	Description string    `yaml:"description"`
	Report      string    `yaml:"report"`
	File        string    `yaml:"file"`
	Exempt      yaml.Node `yaml:"exempt"` // a paragraph number or a list of them
	PublicTitle string    `yaml:"public_title"`
}

// Load reads and checks the meeting file at path. Item files are relative
// to the meeting file's folder. Every problem found is reported, each as
// "path:line: field: what is wrong" (a *Problem), joined; errors.Is(err,
// ErrInvalid) holds for each.
func Load(path string) (*Meeting, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot read meeting file %s: %v", path, pe.Err)
		}
		return nil, err
	}
	defer f.Close()
	return Parse(path, f, filepath.Dir(path))
}

// Parse reads a meeting file from r. name is used in errors; dir is the
// folder item files are relative to.
func Parse(name string, r io.Reader, dir string) (*Meeting, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read meeting file %s: %w", name, err)
	}
	if len(data) > maxFileSize {
		return nil, &Problem{File: name, Message: fmt.Sprintf("larger than %d KB; is it really a meeting file?", maxFileSize>>10)}
	}
	var fm fileMeeting
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Problem{File: name, Message: "the file is empty"}
		}
		return nil, yamlError(name, err)
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // decoded above, so it parses
	c := &checker{name: name, root: &root}
	m := c.meeting(&fm, dir)
	if err := c.err(); err != nil {
		return nil, err
	}
	m.Source = name
	return m, nil
}

// yamlError turns yaml.v3's messages into "name:line: …" lines.
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return &Problem{File: name, Line: line, Message: m[2]}
		}
		return &Problem{File: name, Message: msg}
	}
	var errs []error
	for _, e := range te.Errors {
		line, msg := 0, e
		if m := lineRE.FindStringSubmatch(e); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		if m := unknownRE.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("unknown field %q (the fields are %s)", m[1], fieldNames(m[2]))
		}
		msg = strings.ReplaceAll(msg, "!!", "")
		errs = append(errs, &Problem{File: name, Line: line, Message: msg})
	}
	return errors.Join(errs...)
}

var (
	lineRE    = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownRE = regexp.MustCompile(`^field (\S+) not found in type meeting\.(\w+)$`)
)

// fieldNames lists the YAML fields of one of the file's types.
func fieldNames(typ string) string {
	switch typ {
	case "fileMeeting":
		return "council, committee, date, time, venue, members, clerk, items"
	case "fileMember":
		return "name, role"
	case "fileContact":
		return "name, tel, email"
	case "fileItem":
		return "title, report_of, description, report, file, exempt, public_title"
	}
	return "listed in the README"
}

// checker collects every problem in a meeting file.
type checker struct {
	name string
	root *yaml.Node
	errs []error
}

func (c *checker) err() error { return errors.Join(c.errs...) }

// addf records a problem with the field at path (e.g. "items", 3, "exempt").
func (c *checker) addf(path []any, format string, a ...any) {
	c.errs = append(c.errs, &Problem{File: c.name, Line: c.line(path), Field: fieldPath(path), Message: fmt.Sprintf(format, a...)})
}

// fieldPath writes a path as "items[3].exempt".
func fieldPath(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch v := p.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", v)
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// line finds the line of the field at path, or of its nearest parent.
func (c *checker) line(path []any) int {
	n := c.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, p := range path {
		var next *yaml.Node
		switch v := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == v {
						line = n.Content[i].Line
						next = n.Content[i+1]
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && v < len(n.Content) {
				next = n.Content[v]
				line = next.Line
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return line
}

func (c *checker) required(path []any, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		c.addf(path, "missing: every meeting file needs it")
	}
	return v
}

func (c *checker) meeting(fm *fileMeeting, dir string) *Meeting {
	m := &Meeting{
		Council:   c.required([]any{"council"}, fm.Council),
		Committee: c.required([]any{"committee"}, fm.Committee),
		Time:      c.required([]any{"time"}, fm.Time),
		Venue:     c.required([]any{"venue"}, fm.Venue),
	}
	if d := strings.TrimSpace(fm.Date); d == "" {
		c.addf([]any{"date"}, "missing: write the meeting's date as YYYY-MM-DD")
	} else if t, err := time.Parse("2006-01-02", d); err != nil {
		c.addf([]any{"date"}, "%q is not a date: write it as YYYY-MM-DD", fm.Date)
	} else {
		m.Date, m.DateLine = t, c.line([]any{"date"})
	}
	if m.Time != "" {
		if _, ok := parseClockTime(m.Time); !ok {
			c.addf([]any{"time"}, "%q is not a time: write it as 17:30 or 5.30pm", fm.Time)
		}
	}
	if len(fm.Members) == 0 {
		c.addf([]any{"members"}, "missing: list the committee's members (name, and role such as Chair)")
	}
	for i, mem := range fm.Members {
		m.Members = append(m.Members, Member{
			Name: c.required([]any{"members", i, "name"}, mem.Name),
			Role: strings.TrimSpace(mem.Role),
		})
	}
	m.Clerk = Contact{
		Name:  c.required([]any{"clerk", "name"}, fm.Clerk.Name),
		Tel:   strings.TrimSpace(fm.Clerk.Tel),
		Email: strings.TrimSpace(fm.Clerk.Email),
	}
	if m.Clerk.Tel == "" && m.Clerk.Email == "" {
		c.addf([]any{"clerk"}, "give the clerk's tel or email, or both: the front sheet tells the public whom to contact")
	}
	if len(fm.Items) == 0 {
		c.addf([]any{"items"}, "missing: list the agenda items in order")
	}
	for i, fi := range fm.Items {
		m.Items = append(m.Items, c.item(i, &fi, dir))
	}
	return m
}

func (c *checker) item(i int, fi *fileItem, dir string) Item {
	at := func(field string) []any { return []any{"items", i, field} }
	it := Item{
		Number:      i + 1,
		Title:       c.required(at("title"), fi.Title),
		ReportOf:    strings.TrimSpace(fi.ReportOf),
		Description: strings.TrimSpace(fi.Description),
		Report:      strings.TrimSpace(fi.Report),
		PublicTitle: strings.TrimSpace(fi.PublicTitle),
	}
	file := strings.TrimSpace(fi.File)
	switch {
	case file != "":
		it.Line = c.line(at("file"))
	case it.Report != "":
		it.Line = c.line(at("report"))
	default:
		it.Line = c.line([]any{"items", i})
	}
	if it.Report != "" && file != "" {
		c.addf(at("file"), "an item is either a report papers writes (report) or an existing file (file), not both")
	}
	if file != "" {
		it.File = c.itemFile(at("file"), file, dir)
	}
	it.Exempt = c.paragraphs(at("exempt"), &fi.Exempt)
	if it.PublicTitle != "" && fi.Exempt.Kind == 0 {
		c.addf(at("public_title"), "only an exempt item has a public title; this item is published as %q", it.Title)
	}
	return it
}

// itemFile checks that an item's file exists and is a kind papers can put
// in a pack, and returns its path.
func (c *checker) itemFile(path []any, file, dir string) string {
	p := file
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	ext := strings.ToLower(filepath.Ext(p))
	if !slices.Contains(PDFExts, ext) && !slices.Contains(DocumentExts, ext) {
		c.addf(path, "%q is not a PDF or a Word document (.pdf, .docx, .doc, .odt, .rtf)", file)
		return p
	}
	st, err := os.Stat(p)
	switch {
	case err != nil && errors.Is(err, os.ErrNotExist):
		c.addf(path, "cannot find %q (looked for %s)", file, p)
		return p
	case err != nil:
		c.addf(path, "cannot read %q: %v", file, err)
		return p
	case st.IsDir():
		c.addf(path, "%q is a folder, not a file", file)
		return p
	case !st.Mode().IsRegular():
		c.addf(path, "%q is not a regular file", file)
		return p
	case st.Size() == 0:
		c.addf(path, "%q is empty", file)
		return p
	}
	head := make([]byte, 5)
	if f, err := os.Open(p); err != nil {
		c.addf(path, "cannot read %q: %v", file, err)
	} else {
		n, _ := io.ReadFull(f, head)
		f.Close()
		head = head[:n]
		switch {
		case ext == ".pdf" && !bytes.HasPrefix(head, []byte("%PDF-")):
			c.addf(path, "%q is not a PDF (it does not start with %%PDF-)", file)
		case ext == ".docx" && !bytes.HasPrefix(head, []byte("PK")):
			c.addf(path, "%q is not a Word .docx file (it is not a zip package); if it is an old .doc, rename it .doc", file)
		}
	}
	return p
}

// paragraphs reads exempt: 3 or exempt: [1, 3].
func (c *checker) paragraphs(path []any, n *yaml.Node) []int {
	var nodes []*yaml.Node
	switch n.Kind {
	case 0:
		return nil
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		nodes = []*yaml.Node{n}
	case yaml.SequenceNode:
		nodes = n.Content
		if len(nodes) == 0 {
			c.addf(path, "an empty list: give the Schedule 12A paragraph number(s), or remove exempt for a public item")
		}
	default:
		c.addf(path, "give a Schedule 12A paragraph number (1–7) or a list of them, e.g. exempt: 3 or exempt: [1, 2]")
		return nil
	}
	var ps []int
	for _, e := range nodes {
		v, err := strconv.Atoi(strings.TrimSpace(e.Value))
		switch {
		case e.Kind != yaml.ScalarNode || err != nil:
			c.addf(path, "%q is not a paragraph number: give 1–7, e.g. exempt: 3", e.Value)
		case v < 1 || v > 7:
			c.addf(path, "paragraph %d is not in Part 1 of Schedule 12A (1–7)", v)
		case slices.Contains(ps, v):
			c.addf(path, "paragraph %d is given twice", v)
		default:
			ps = append(ps, v)
		}
	}
	slices.Sort(ps)
	return ps
}

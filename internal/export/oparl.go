package export

import (
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"
)

// Meeting is what WriteOParl needs to know of a meeting: its agenda and the
// papers published with it. It is filled from the meeting and pack the
// clerk builds; nothing here reads a clock or a file.
type Meeting struct {
	// ID is the meeting's URL, its OParl id. Agenda items, files and the
	// location get ids below it: ID+"/agendaitem/1", ID+"/agendaitem/1/file/1".
	ID       string
	Name     string    // "Children and Families Scrutiny Panel"
	Start    time.Time // date and time, in the council's time zone
	End      time.Time // zero when not known
	Location string    // "Virtual meeting", "Conference Room 3, Civic Centre"
	// Modified is when the agenda was last published: OParl 1.1 requires
	// every object's created and modified, and both are stamped with it.
	// When zero, Start is used.
	Modified time.Time
	Items    []Item
}

// Item is one agenda item.
type Item struct {
	Number string // as the agenda prints it: "7", "7a"
	Title  string
	// Public is false for an item to be taken in private (exempt
	// information). Such an item is published under NoticeTitle, not its
	// title, and with none of its files.
	Public      bool
	NoticeTitle string // "Exempt information (paragraph 3)"; default "Exempt item"
	Files       []File
}

// File is one paper published with an agenda item.
type File struct {
	Name      string // shown to people, without extension: "Progress against the action plan"
	FileName  string // "action-plan-progress.pdf"
	MimeType  string // default from FileName's extension
	AccessURL string // where the file is published
	Size      int64
	SHA512    string // the content's SHA-512, hex
	// Master is the FileName of the file in the same item that this one was
	// made from (the DOCX a PDF was rendered from). When empty, a PDF is
	// taken to be made from a .docx, .doc or .odt of the same name beside it.
	Master string
}

// NewFile describes a file from its content.
func NewFile(name, fileName, accessURL string, data []byte) File {
	sum := sha512.Sum512(data)
	return File{Name: name, FileName: fileName, AccessURL: accessURL, Size: int64(len(data)), SHA512: hex.EncodeToString(sum[:])}
}

// OParl 1.1 object types.
const (
	oparlSchema     = "https://schema.oparl.org/1.1/"
	typeMeeting     = oparlSchema + "Meeting"
	typeAgendaItem  = oparlSchema + "AgendaItem"
	typeFile        = oparlSchema + "File"
	typeLocation    = oparlSchema + "Location"
	oparlTimeLayout = "2006-01-02T15:04:05-07:00"
	defaultNotice   = "Exempt item"
)

// The OParl objects as written: the field order is the output's.
type (
	oparlMeeting struct {
		ID         string            `json:"id"`
		Type       string            `json:"type"`
		Name       string            `json:"name"`
		Start      string            `json:"start"`
		End        string            `json:"end,omitempty"`
		Location   *oparlLocation    `json:"location,omitempty"`
		AgendaItem []oparlAgendaItem `json:"agendaItem"`
		Created    string            `json:"created"`
		Modified   string            `json:"modified"`
	}
	oparlLocation struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		Description string `json:"description"`
		Created     string `json:"created"`
		Modified    string `json:"modified"`
	}
	oparlAgendaItem struct {
		ID            string      `json:"id"`
		Type          string      `json:"type"`
		Number        string      `json:"number,omitempty"`
		Name          string      `json:"name"`
		Public        bool        `json:"public"`
		AuxiliaryFile []oparlFile `json:"auxiliaryFile,omitempty"`
		Created       string      `json:"created"`
		Modified      string      `json:"modified"`
	}
	oparlFile struct {
		ID             string   `json:"id"`
		Type           string   `json:"type"`
		Name           string   `json:"name,omitempty"`
		FileName       string   `json:"fileName"`
		MimeType       string   `json:"mimeType"`
		Size           int64    `json:"size"`
		SHA512Checksum string   `json:"sha512Checksum,omitempty"`
		AccessURL      string   `json:"accessUrl"`
		MasterFile     string   `json:"masterFile,omitempty"`
		DerivativeFile []string `json:"derivativeFile,omitempty"`
		Created        string   `json:"created"`
		Modified       string   `json:"modified"`
	}
)

// WriteOParl writes the meeting as an OParl 1.1 Meeting object with its
// agenda items, location and files embedded, indented two spaces. A file's
// checksum is sha512Checksum (OParl 1.1 deprecates sha1Checksum). A file
// made from another in the same item names it as masterFile, and the master
// lists it in derivativeFile. The same Meeting always gives the same bytes.
func WriteOParl(w io.Writer, m Meeting) error {
	om, err := oparl(m)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(om)
}

func oparl(m Meeting) (*oparlMeeting, error) {
	var errs []error
	id := strings.TrimRight(m.ID, "/")
	if id == "" {
		errs = append(errs, errors.New("the meeting has no URL (ID)"))
	}
	if m.Name == "" {
		errs = append(errs, errors.New("the meeting has no name"))
	}
	if m.Start.IsZero() {
		errs = append(errs, errors.New("the meeting has no start"))
	}
	stamp := m.Modified
	if stamp.IsZero() {
		stamp = m.Start
	}
	ts := stamp.Format(oparlTimeLayout)
	om := &oparlMeeting{
		ID: id, Type: typeMeeting, Name: m.Name, Start: m.Start.Format(oparlTimeLayout),
		AgendaItem: []oparlAgendaItem{}, Created: ts, Modified: ts,
	}
	if !m.End.IsZero() {
		om.End = m.End.Format(oparlTimeLayout)
	}
	if m.Location != "" {
		om.Location = &oparlLocation{ID: id + "/location", Type: typeLocation, Description: m.Location, Created: ts, Modified: ts}
	}
	for i, it := range m.Items {
		itemID := id + "/agendaitem/" + strconv.Itoa(i+1)
		oi := oparlAgendaItem{ID: itemID, Type: typeAgendaItem, Number: it.Number, Name: it.Title, Public: it.Public, Created: ts, Modified: ts}
		if !it.Public {
			oi.Name = it.NoticeTitle
			if oi.Name == "" {
				oi.Name = defaultNotice
			}
			om.AgendaItem = append(om.AgendaItem, oi)
			continue
		}
		if it.Title == "" {
			errs = append(errs, fmt.Errorf("agenda item %d (%s) has no title", i+1, it.Number))
		}
		files, err := oparlFiles(itemID, it.Files, ts)
		if err != nil {
			errs = append(errs, fmt.Errorf("agenda item %d (%s): %w", i+1, it.Number, err))
		}
		oi.AuxiliaryFile = files
		om.AgendaItem = append(om.AgendaItem, oi)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("OParl export: %w", err)
	}
	return om, nil
}

// oparlFiles describes an item's files and links each derivative to its
// master.
func oparlFiles(itemID string, files []File, ts string) ([]oparlFile, error) {
	var errs []error
	out := make([]oparlFile, len(files))
	byName := map[string]int{}
	for j, f := range files {
		if f.FileName == "" {
			errs = append(errs, fmt.Errorf("file %d has no file name", j+1))
		}
		if _, dup := byName[f.FileName]; dup {
			errs = append(errs, fmt.Errorf("file name %q is given twice", f.FileName))
		}
		if f.AccessURL == "" {
			errs = append(errs, fmt.Errorf("file %q has no access URL", f.FileName))
		}
		byName[f.FileName] = j
		mt := f.MimeType
		if mt == "" {
			mt = mimeType(f.FileName)
		}
		out[j] = oparlFile{
			ID: itemID + "/file/" + strconv.Itoa(j+1), Type: typeFile, Name: f.Name, FileName: f.FileName,
			MimeType: mt, Size: f.Size, SHA512Checksum: strings.ToLower(f.SHA512), AccessURL: f.AccessURL,
			Created: ts, Modified: ts,
		}
	}
	for j, f := range files {
		master := f.Master
		if master == "" && strings.EqualFold(path.Ext(f.FileName), ".pdf") {
			stem := strings.TrimSuffix(f.FileName, path.Ext(f.FileName))
			for _, ext := range []string{".docx", ".doc", ".odt"} {
				if _, ok := byName[stem+ext]; ok {
					master = stem + ext
					break
				}
			}
		}
		if master == "" {
			continue
		}
		k, ok := byName[master]
		if !ok || k == j {
			errs = append(errs, fmt.Errorf("file %q is made from %q, which is not another file of the item", f.FileName, master))
			continue
		}
		out[j].MasterFile = out[k].ID
		out[k].DerivativeFile = append(out[k].DerivativeFile, out[j].ID)
	}
	return out, errors.Join(errs...)
}

// mimeType gives the media type of the files a council publishes, by
// extension; the system's table is not used, so the output is the same on
// every machine.
func mimeType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".pdf":
		return "application/pdf"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".doc":
		return "application/msword"
	case ".odt":
		return "application/vnd.oasis.opendocument.text"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".html", ".htm":
		return "text/html"
	case ".json":
		return "application/json"
	case ".csv":
		return "text/csv"
	}
	return "application/octet-stream"
}

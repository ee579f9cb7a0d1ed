package workbook

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"papers/internal/plan"
)

// styles answers questions about a workbook's cell formats, reading
// f.Styles directly: GetStyle misses fills in files saved by LibreOffice.
type styles struct {
	f        *excelize.File
	date1904 bool
	isDate   map[int]bool
	fill     map[int]string
}

func newStyles(f *excelize.File) *styles {
	s := &styles{f: f, isDate: map[int]bool{}, fill: map[int]string{}}
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		s.date1904 = *p.Date1904
	}
	return s
}

// dateFormat reports whether cell style id shows numbers as dates: a
// built-in date format (14–22, 27–36, 45–47, 50–58) or a custom format with
// day, month or year codes.
func (s *styles) dateFormat(id int) bool {
	if v, ok := s.isDate[id]; ok {
		return v
	}
	v := false
	st := s.f.Styles
	if st != nil && st.CellXfs != nil && id >= 0 && id < len(st.CellXfs.Xf) && st.CellXfs.Xf[id].NumFmtID != nil {
		n := *st.CellXfs.Xf[id].NumFmtID
		custom := false
		if st.NumFmts != nil {
			for _, nf := range st.NumFmts.NumFmt {
				if nf.NumFmtID == n {
					v, custom = isDateCode(nf.FormatCode), true
					break
				}
			}
		}
		if !custom {
			v = (n >= 14 && n <= 22) || (n >= 27 && n <= 36) || (n >= 45 && n <= 47) || (n >= 50 && n <= 58)
		}
	}
	s.isDate[id] = v
	return v
}

// isDateCode reports whether a number format code shows a date: after
// dropping quoted text, [colour]/[$-locale] sections and escaped
// characters, its first section has a d or y, or an m that is not minutes.
func isDateCode(code string) bool {
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case ';':
			i = len(code)
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '[':
			if j := strings.IndexByte(code[i+1:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		default:
			b.WriteByte(c | 0x20)
		}
	}
	k := b.String()
	if strings.ContainsAny(k, "dy") {
		return true
	}
	return strings.Contains(k, "m") && !strings.ContainsAny(k, "hs")
}

// excelDate reads an Excel serial date as a day.
func (s *styles) excelDate(serial float64) (plan.TargetDate, bool) {
	if serial < 1 || serial >= 2958466 || math.IsNaN(serial) { // 2958466 is 1 Jan 10000
		return plan.TargetDate{}, false
	}
	t, err := excelize.ExcelDateToTime(serial, s.date1904)
	if err != nil {
		return plan.TargetDate{}, false
	}
	d := plan.Day(t.Year(), t.Month(), t.Day())
	return plan.TargetDate{Date: d, Precision: plan.PrecisionDay, Text: d.Format("02/01/2006")}, true
}

// isoDate reads a cell of type "d" (an ISO 8601 date) as a day.
func isoDate(v string) (plan.TargetDate, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			d := plan.Day(t.Year(), t.Month(), t.Day())
			return plan.TargetDate{Date: d, Precision: plan.PrecisionDay, Text: d.Format("02/01/2006")}, true
		}
	}
	return plan.TargetDate{}, false
}

// plausibleSerial is the range of serial numbers read as dates when a date
// column holds a number not formatted as one: 1 Jan 2000 to 31 Dec 2099.
func plausibleSerial(v float64) bool { return v >= 36526 && v <= 73051 }

// fillColour returns the solid fill colour of cell style id as "RRGGBB", or
// "" when the style has no fill.
func (s *styles) fillColour(id int) string {
	if v, ok := s.fill[id]; ok {
		return v
	}
	v := ""
	st := s.f.Styles
	if st != nil && st.CellXfs != nil && st.Fills != nil && id > 0 && id < len(st.CellXfs.Xf) {
		if fid := st.CellXfs.Xf[id].FillID; fid != nil && *fid >= 0 && *fid < len(st.Fills.Fill) {
			if pf := st.Fills.Fill[*fid].PatternFill; pf != nil && pf.PatternType != "" && pf.PatternType != "none" {
				c := pf.FgColor
				if c == nil || (c.RGB == "" && c.Theme == nil && c.Indexed == 0) {
					c = pf.BgColor
				}
				if c != nil && !c.Auto {
					v = s.colour(c.RGB, c.Indexed, c.Theme, c.Tint)
				}
			}
		}
	}
	s.fill[id] = v
	return v
}

// colour resolves an OOXML colour (ARGB, theme or indexed, with a tint) to
// "RRGGBB".
func (s *styles) colour(rgb string, indexed int, theme *int, tint float64) string {
	var base string
	switch {
	case len(rgb) == 8:
		base = rgb[2:]
	case len(rgb) == 6:
		base = rgb
	case theme != nil:
		base = s.f.GetBaseColor("", 0, theme)
	case indexed > 0 && indexed < 64:
		base = s.f.GetBaseColor("", indexed, nil)
	}
	base = strings.ToUpper(strings.TrimPrefix(base, "#"))
	if len(base) != 6 {
		return ""
	}
	if _, err := strconv.ParseUint(base, 16, 32); err != nil {
		return ""
	}
	if tint != 0 {
		base = strings.ToUpper(strings.TrimPrefix(excelize.ThemeColor(base, tint), "FF"))
	}
	return base
}

// isGrey reports whether a colour "RRGGBB" is white, black or a grey.
func isGrey(hex string) bool {
	_, s, l := hsl(hex)
	return s < 0.25 || l < 0.1 || l > 0.93
}

func hsl(hex string) (h, s, l float64) {
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || len(hex) != 6 {
		return 0, 0, 0
	}
	return excelize.RGBToHSL(uint8(v>>16), uint8(v>>8), uint8(v))
}

// nearestRAG is the RAG a fill colour looks like, by hue: reds, ambers
// (orange to yellow), greens and blues; greys, black, white, pale tints and
// purples are no RAG. Excel's "Bad", "Neutral" and "Good" fills (FFC7CE,
// FFEB9C, C6EFCE) read as red, amber and green.
func nearestRAG(hex string) plan.RAG {
	if isGrey(hex) {
		return plan.RAGNone
	}
	h, _, _ := hsl(hex)
	switch deg := h * 360; {
	case deg < 15 || deg >= 340:
		return plan.RAGRed
	case deg < 70:
		return plan.RAGAmber
	case deg < 170:
		return plan.RAGGreen
	case deg < 260:
		return plan.RAGBlue
	}
	return plan.RAGNone
}

// ragWord reads a RAG written in a cell: "Red", "amber", "G", "Green – on
// track". With strict, only the word or letter alone counts.
func ragWord(t string, strict bool) (plan.RAG, bool) {
	k := strings.ToLower(strings.Trim(t, " .:;-–"))
	switch k {
	case "r", "red":
		return plan.RAGRed, true
	case "a", "amber":
		return plan.RAGAmber, true
	case "g", "green":
		return plan.RAGGreen, true
	case "b", "blue":
		return plan.RAGBlue, true
	}
	if strict {
		return plan.RAGNone, false
	}
	first := strings.FieldsFunc(k, func(r rune) bool { return r < 'a' || r > 'z' })
	if len(first) > 0 && len(first[0]) > 1 {
		return ragWord(first[0], true)
	}
	return plan.RAGNone, false
}

// excelErrors are the values a formula that failed shows.
var excelErrors = map[string]bool{"#NULL!": true, "#DIV/0!": true, "#VALUE!": true, "#REF!": true, "#NAME?": true,
	"#NUM!": true, "#N/A": true, "#GETTING_DATA": true, "#SPILL!": true, "#CALC!": true, "#FIELD!": true, "#BLOCKED!": true}

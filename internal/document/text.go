package document

import (
	"fmt"
	"io"
	"strings"
)

// WriteText renders the document as plain text: the form golden tests store
// and the one a reader without any viewer can read.
func WriteText(w io.Writer, d *Doc) error {
	var b strings.Builder
	fmt.Fprintf(&b, "TITLE: %s\nAUTHOR: %s\nSUBJECT: %s\nLANGUAGE: %s\nDATE: %s\n",
		d.Title, d.Author, d.Subject, d.Language, d.Date.Format("2006-01-02"))
	for i, s := range d.Sections {
		o := "portrait"
		if s.Orientation == Landscape {
			o = "landscape"
		}
		fmt.Fprintf(&b, "\n=== section %d (%s) ===\n", i+1, o)
		for _, blk := range s.Blocks {
			writeBlock(&b, blk)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeBlock(b *strings.Builder, blk Block) {
	switch v := blk.(type) {
	case Heading:
		text := v.Text
		if len(v.Runs) > 0 {
			var h strings.Builder
			for _, r := range v.Runs {
				writeLang(&h, r.Lang, r.Text)
			}
			text = h.String()
		}
		fmt.Fprintf(b, "\n%s %s\n", strings.Repeat("#", v.Level), text)
	case Paragraph:
		b.WriteString(strings.Repeat("  ", v.Indent))
		if v.Label != "" {
			b.WriteString(v.Label + " ")
		}
		for _, r := range v.Runs {
			text := r.Text
			switch {
			case r.Bold:
				text = "**" + r.Text + "**"
			case r.Italic:
				text = "_" + r.Text + "_"
			}
			writeLang(b, r.Lang, text)
		}
		b.WriteString("\n")
	case KeyValue:
		for _, p := range v.Pairs {
			fmt.Fprintf(b, "| %s | %s |\n", p.Key, p.Value)
		}
	case Table:
		if v.Caption != "" {
			fmt.Fprintf(b, "Table: %s\n", v.Caption)
		}
		titles := make([]string, len(v.Columns))
		for i, c := range v.Columns {
			titles[i] = c.Title
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(titles, " | "))
		for _, r := range v.Rows {
			if r.Group != "" {
				fmt.Fprintf(b, "|= %s =|\n", r.Group)
			}
			cells := make([]string, len(r.Cells))
			for i, c := range r.Cells {
				switch c.Merge {
				case MergeContinue:
					cells[i] = "^"
				default:
					cells[i] = strings.ReplaceAll(c.Text, "\n", " / ")
				}
			}
			fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
		}
	case Chart:
		fmt.Fprintf(b, "Chart: %s\n", v.Title)
		for i, c := range v.Categories {
			parts := make([]string, 0, len(v.Series))
			for _, s := range v.Series {
				if i < len(s.Values) && s.Values[i] != 0 {
					parts = append(parts, fmt.Sprintf("%s %g", s.Name, s.Values[i]))
				}
			}
			fmt.Fprintf(b, "  %s: %s\n", c, strings.Join(parts, ", "))
		}
		if v.Caption != "" {
			fmt.Fprintf(b, "  (%s)\n", v.Caption)
		}
	case PageBreak:
		b.WriteString("--- page break ---\n")
	}
}

// writeLang writes text, as [text]{lang=L} when it is in language L.
func writeLang(b *strings.Builder, lang, text string) {
	if lang == "" {
		b.WriteString(text)
		return
	}
	b.WriteString("[" + text + "]{lang=" + lang + "}")
}

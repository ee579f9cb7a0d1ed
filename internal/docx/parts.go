package docx

import (
	"strings"
	"time"

	"papers/internal/document"
)

// Namespaces, content types and relationship types used by the package.
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsWP  = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
	nsA   = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsPic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
	nsPkg = "http://schemas.openxmlformats.org/package/2006/relationships"

	ctMain     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	ctStyles   = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
	ctSettings = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
	ctFooter   = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
	ctCore     = "application/vnd.openxmlformats-package.core-properties+xml"
	ctApp      = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
	ctRels     = "application/vnd.openxmlformats-package.relationships+xml"

	relDoc       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relCore      = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	relApp       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
	relThumb     = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
	relStyles    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
	relSettings  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
	relFooter    = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
	relImage     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
	xmlHeader    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	defaultLang  = "en-GB"
	fillHeader   = "D9D9D9" // header row shading
	fillGroup    = "EDEDED" // group band shading
	tableTextSz  = 18       // half-points: 9 pt table text
	labelHang    = 567      // twips: 1 cm hanging label
	indentStep   = 567      // twips per Indent level
	twipsPerInch = 1440
)

// style is one style definition; styles are merged into a house template's
// styles.xml by ID when it lacks them.
type style struct{ id, xml string }

func builtinStyles() []style {
	heading := func(n, before, after, sz string, lvl string) string {
		return `<w:style w:type="paragraph" w:styleId="Heading` + n + `"><w:name w:val="heading ` + n + `"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>` +
			`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="` + before + `" w:after="` + after + `"/><w:outlineLvl w:val="` + lvl + `"/></w:pPr>` +
			`<w:rPr><w:b/><w:bCs/><w:sz w:val="` + sz + `"/><w:szCs w:val="` + sz + `"/></w:rPr></w:style>`
	}
	// Spacing is the PDF's (paragraphs 2.6 mm apart; headings 7, 5 and
	// 4 mm above, 3, 2.5 and 2 mm below; table text 9 pt on 10.8 pt lines
	// with 1.2 mm above and below in its cell), so the two paginate alike.
	// Word and LibreOffice put the larger of one paragraph's space after
	// and the next one's space before between them, where the PDF adds
	// the two: a heading's space before includes the paragraph's 2.6 mm.
	return []style{
		{"Normal", `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="147" w:line="264" w:lineRule="auto"/></w:pPr><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>`},
		{"DefaultParagraphFont", `<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>`},
		{"TableNormal", `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`},
		{"NoList", `<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>`},
		{"Heading1", heading("1", "544", "170", "28", "0")},
		{"Heading2", heading("2", "430", "142", "24", "1")},
		{"Heading3", heading("3", "374", "113", "22", "2")},
		{"Caption", `<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="35"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="80"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>`},
		{"Small", `<w:style w:type="paragraph" w:customStyle="1" w:styleId="Small"><w:name w:val="Small"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="80"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>`},
		{"TableText", `<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="68" w:after="68" w:line="216" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>`},
		{"BoxText", `<w:style w:type="paragraph" w:customStyle="1" w:styleId="BoxText"><w:name w:val="Box Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="88" w:after="88" w:line="240" w:lineRule="auto"/></w:pPr></w:style>`},
		{"Header", `<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>`},
		{"Footer", `<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:color w:val="5A5A5A"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>`}, // the PDF's: 8 pt, grey
		{"TableGrid", `<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders>` +
			`<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
			`</w:tblBorders></w:tblPr></w:style>`},
	}
}

// stylesXML is the built-in styles part.
func stylesXML(lang string) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:styles xmlns:w="` + nsW + `"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="`)
	b.WriteString(escAttr(lang))
	b.WriteString(`" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>`)
	for _, s := range builtinStyles() {
		b.WriteString(s.xml)
	}
	b.WriteString(`</w:styles>`)
	return b.String()
}

func settingsXML(lang string) string {
	return xmlHeader + `<w:settings xmlns:w="` + nsW + `"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		`<w:themeFontLang w:val="` + escAttr(lang) + `"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>`
}

// footerXML is a footer: the document's footer text at the left and
// "Page N of M" (PAGE and NUMPAGES fields) at a right tab on the margin.
// clear lists tab stops of the Footer style to clear (a house template's).
func footerXML(text string, rightTab int, clear []int) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr><w:pStyle w:val="Footer"/><w:tabs>`)
	for _, pos := range clear {
		if pos != rightTab {
			b.WriteString(`<w:tab w:val="clear" w:pos="` + itoa(pos) + `"/>`)
		}
	}
	b.WriteString(`<w:tab w:val="right" w:pos="` + itoa(rightTab) + `"/></w:tabs></w:pPr>`)
	if text != "" {
		b.WriteString(`<w:r><w:t xml:space="preserve">` + escText(text) + `</w:t></w:r>`)
	}
	field := func(instr, shown string) {
		b.WriteString(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ` + instr + ` </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:noProof/></w:rPr><w:t>` + shown + `</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`)
	}
	b.WriteString(`<w:r><w:tab/><w:t xml:space="preserve">Page </w:t></w:r>`)
	field("PAGE", "1")
	b.WriteString(`<w:r><w:t xml:space="preserve"> of </w:t></w:r>`)
	field("NUMPAGES", "1")
	b.WriteString(`</w:p></w:ftr>`)
	return b.String()
}

// coreXML holds the document properties. Dates are the document's date,
// never the clock; they are left out when the date is zero.
func coreXML(d *document.Doc) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	el := func(name, v string) {
		if v != "" {
			b.WriteString("<" + name + ">" + escText(v) + "</" + name + ">")
		}
	}
	el("dc:title", d.Title)
	el("dc:subject", d.Subject)
	el("dc:creator", d.Author)
	el("cp:keywords", d.Keywords)
	el("dc:language", docLang(d))
	el("cp:lastModifiedBy", d.Author)
	b.WriteString(`<cp:revision>1</cp:revision>`)
	if !d.Date.IsZero() {
		ts := d.Date.UTC().Format("2006-01-02T15:04:05Z")
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

func appXML(d *document.Doc) string {
	return xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
		`<Template>Normal.dotm</Template><TotalTime>0</TotalTime><Application>papers</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>`
}

// rel is one relationship.
type rel struct {
	ID, Type, Target, TargetMode string
}

func relsXML(rels []rel) string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<Relationships xmlns="` + nsPkg + `">`)
	for _, r := range rels {
		b.WriteString(`<Relationship Id="` + escAttr(r.ID) + `" Type="` + escAttr(r.Type) + `" Target="` + escAttr(r.Target) + `"`)
		if r.TargetMode != "" {
			b.WriteString(` TargetMode="` + escAttr(r.TargetMode) + `"`)
		}
		b.WriteString(`/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// contentTypes is [Content_Types].xml: defaults by extension and overrides
// by part name, both written in sorted order.
type contentTypes struct {
	defaults  map[string]string // extension → type
	overrides map[string]string // "/part/name" → type
}

func (c contentTypes) xml() string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	for _, ext := range sortedKeys(c.defaults) {
		b.WriteString(`<Default Extension="` + escAttr(ext) + `" ContentType="` + escAttr(c.defaults[ext]) + `"/>`)
	}
	for _, p := range sortedKeys(c.overrides) {
		b.WriteString(`<Override PartName="` + escAttr(p) + `" ContentType="` + escAttr(c.overrides[p]) + `"/>`)
	}
	b.WriteString(`</Types>`)
	return b.String()
}

func docLang(d *document.Doc) string {
	if d.Language != "" {
		return d.Language
	}
	return defaultLang
}

// zipTime is the fixed modification time of every zip entry: the document's
// date (UTC), or 1 January 1980 when it has none or an earlier one.
func zipTime(d *document.Doc) time.Time {
	t := d.Date.UTC()
	min := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	if d.Date.IsZero() || t.Before(min) {
		return min
	}
	if t.Year() > 2107 {
		return time.Date(2107, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return t
}

package html

import (
	"fmt"
	"strconv"
	"strings"

	"papers/internal/document"
)

func mm(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) + "mm" }

// styleSheet is the page's only styling: plain, high-contrast, the same on
// every machine, for screen and for print (A4, portrait sections and
// landscape appendices each starting on a new page, with the model's
// margins, as the PDF and DOCX print).
var styleSheet = `:root { color-scheme: light; }
body { margin: 0; padding: 1.5rem; color: #0B0C0C; background: #FFFFFF;
  font: 1rem/1.5 Arial, "Liberation Sans", Helvetica, sans-serif; }
main { max-width: 80rem; margin: 0 auto; }
main > h1, .subtitle, .portrait, footer { max-width: 62rem; margin-left: auto; margin-right: auto; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #0B0C0C; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
p { margin: .4rem 0 .8rem; }
.subtitle { font-size: 1.15rem; color: #505A5F; margin-top: 0; margin-bottom: 1.5rem; }
.labelled { padding-left: 2.5rem; text-indent: -2.5rem; }
.label { display: inline-block; min-width: 2.5rem; text-indent: 0; }
.bullets { margin: .2rem 0 .8rem; padding-left: 1.5rem; }
.bullets li { margin: .25rem 0; }
.indent-1 { margin-left: 2.5rem; } .indent-2 { margin-left: 5rem; } .indent-3 { margin-left: 7.5rem; }
.indent-4, .indent-5, .indent-6, .indent-7, .indent-8 { margin-left: 10rem; }
.small { font-size: .875rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.4rem; font-size: .9rem; line-height: 1.4; }
th, td { border: 1px solid #B1B4B6; padding: .35rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #F3F2F1; }
caption { text-align: left; font-weight: bold; padding: 0 0 .35rem; }
.kv { table-layout: fixed; }
.kv th { background: #F3F2F1; }
tr.group th { background: #DEE0E2; }
td.r, th.r { text-align: right; } td.c, th.c { text-align: center; }
.chart { margin: 1rem 0 1.4rem; }
.chart figcaption { font-weight: bold; margin-bottom: .4rem; }
.chart svg { display: block; max-width: 100%; height: auto; }
.chart-data summary { cursor: pointer; margin: .4rem 0; color: #1D70B8; text-decoration: underline; }
.chart-data summary:focus-visible { outline: 3px solid #FFDD00; background: #FFDD00; color: #0B0C0C; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
.section + .section { margin-top: 3rem; }
footer { margin-top: 2.5rem; padding-top: .5rem; border-top: 1px solid #B1B4B6; color: #505A5F; font-size: .875rem; }
@media (max-width: 40rem) {
  body { padding: 1rem; }
  table { font-size: .85rem; }
  th, td { padding: .25rem .3rem; overflow-wrap: anywhere; }
}
@page { size: A4; margin: ` + mm(document.MarginPortrait) + `;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, "Liberation Sans", Helvetica, sans-serif; color: #505A5F; } }
@page landscape { size: A4 landscape; margin: ` + mm(document.MarginLandscape) + `; }
@media print {
  body { padding: 0; font-size: 10.5pt; }
  /* Tables set as the PDF sets them: 9 pt on 10.8 pt lines, 1.2 mm by 1.5 mm padding. */
  table.data { font-size: 9pt; line-height: 1.2; }
  .data th, .data td { padding: 1.2mm 1.5mm; }
  main, main > h1, .subtitle, .portrait, footer { max-width: none; }
  .landscape { page: landscape; }
  .section + .section { break-before: page; margin-top: 0; }
  .page-break { break-after: page; }
  h2, h3, h4, caption, figcaption { break-after: avoid; }
  .chart svg, .kv, tr { break-inside: avoid; }
  table { width: calc(100% - 1px); } /* a collapsed border is half outside the table: keep the right one on the page */
  .chart-data { display: none; }
  footer { border: 0; }
}
`

// footerRule prints the document's footer at the foot of every page, left,
// as the PDF and DOCX do; "" when there is none. The text is a CSS string:
// quotes, backslashes and line breaks escaped, and "<" so that it cannot
// close the style element.
func footerRule(footer string) string {
	footer = strings.TrimSpace(footer)
	if footer == "" {
		return ""
	}
	var b strings.Builder
	for _, r := range footer {
		switch {
		case r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r < 0x20 || r == 0x7F:
			fmt.Fprintf(&b, "\\%X ", r)
		default:
			b.WriteRune(r)
		}
	}
	return "@page { @bottom-left { content: \"" + b.String() + "\"; font: 8pt Arial, \"Liberation Sans\", Helvetica, sans-serif; color: #505A5F; } }\n"
}

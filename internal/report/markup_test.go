package report

import (
	"reflect"
	"strings"
	"testing"

	"papers/internal/document"
)

func TestLanguageSpans(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []document.Run
	}{
		{"a Welsh span in English text", "the [Adroddiad Cynnydd]{lang=cy} report",
			[]document.Run{{Text: "the "}, {Text: "Adroddiad Cynnydd", Lang: "cy"}, {Text: " report"}}},
		{"a whole paragraph in Welsh", "[Mae’r adroddiad hwn yn rhoi’r cynnydd.]{lang=cy-GB}",
			[]document.Run{{Text: "Mae’r adroddiad hwn yn rhoi’r cynnydd.", Lang: "cy-GB"}}},
		{"bold inside a span", "[Adroddiad **Cynnydd**]{lang=cy}.",
			[]document.Run{{Text: "Adroddiad ", Lang: "cy"}, {Text: "Cynnydd", Bold: true, Lang: "cy"}, {Text: "."}}},
		{"a span inside bold", "**Progress / [Cynnydd]{lang=cy}**",
			[]document.Run{{Text: "Progress / ", Bold: true}, {Text: "Cynnydd", Bold: true, Lang: "cy"}}},
		{"two spans", "[Croeso]{lang=cy} and [Fáilte]{lang=ga}",
			[]document.Run{{Text: "Croeso", Lang: "cy"}, {Text: " and "}, {Text: "Fáilte", Lang: "ga"}}},
		{"a bracket with no braces after it is text", "see [note] and [1]",
			[]document.Run{{Text: "see [note] and [1]"}}},
		{"escaped brackets and braces are text", `\[Adroddiad]\{lang=cy}`,
			[]document.Run{{Text: "[Adroddiad]{lang=cy}"}}},
		{"an escaped ] inside a span is its text", `[a\]b]{lang=cy}`,
			[]document.Run{{Text: "a]b", Lang: "cy"}}},
		{"a brace that is not a tag is text", "a {b} c",
			[]document.Run{{Text: "a {b} c"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := inlineRuns(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("inlineRuns(%q) =\n%+v, want\n%+v", c.in, got, c.want)
			}
		})
	}
}

func TestLanguageSpanErrors(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"span not closed", "intro\n\n#. the [Adroddiad]{lang=cy report", "t:3: the language span \"[Adroddiad]{lang=cy report\" is not closed"},
		{"tag with no span", "#. the Adroddiad{lang=cy} report", "t:1: {lang=cy} must follow the [text] it applies to"},
		{"tag after a space", "#. the [Adroddiad] {lang=cy} report", "t:1: {lang=cy} must follow the [text] it applies to"},
		{"not a language tag", "#. [Adroddiad]{lang=welsh}", `t:1: "welsh" in {lang=welsh} is not a BCP 47 language tag`},
		{"empty tag", "#. [Adroddiad]{lang=}", `t:1: "" in {lang=} is not a BCP 47 language tag`},
		{"tag with a space", "#. [Adroddiad]{lang=cy GB}", `is not a BCP 47 language tag`},
		{"unknown attribute", "#. [Adroddiad]{colour=red}", "t:1: unknown {colour=red} after [Adroddiad]: the only one is {lang=TAG}"},
		{"empty span", "#. []{lang=cy}", "t:1: the language span []{lang=cy} has no text"},
		{"nested spans", "#. [a [b]{lang=cy}]{lang=en}", "must follow the [text]"},
		{"in a heading", "text\n## [ADRODDIAD]{lang=xx-}", `t:2: "xx-" in {lang=xx-} is not a BCP 47 language tag`},
		{"in a paragraph over lines", "#. one\ntwo [tri]{lang=c}", `t:1: "c" in {lang=c}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseMarkup("t", c.in, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestValidLang(t *testing.T) {
	for tag, want := range map[string]bool{
		"cy": true, "cy-GB": true, "en-GB": true, "gd": true, "ga-IE": true, "kw": true, "sr-Latn-RS": true, "es-419": true, "yue": true,
		"": false, "c": false, "welsh": false, "cy_GB": false, "cy-": false, "-cy": false, "cy--GB": false, "1y": false,
		"cy-toolongsub": false, "cy GB": false, "cy-GB\"": false, "cy>": false,
	} {
		if got := validLang(tag); got != want {
			t.Errorf("validLang(%q) = %v, want %v", tag, got, want)
		}
	}
}

// Headings: a span in a "#" heading, and a bold sub-heading that is
// partly Welsh, give a heading whose runs carry the language and whose
// text (for bookmarks and the outline) is the whole.
func TestLanguageSpanInHeadings(t *testing.T) {
	blocks, err := parseMarkup("t", "## SUMMARY / [CRYNODEB]{lang=cy}\n\n**Finance / [Cyllid]{lang=cy}**\n\n## PLAIN **x** \\[y]", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []document.Block{
		document.Heading{Level: 1, Text: "SUMMARY / CRYNODEB", Runs: []document.Run{{Text: "SUMMARY / "}, {Text: "CRYNODEB", Lang: "cy"}}},
		document.Heading{Level: 2, Text: "Finance / Cyllid", Runs: []document.Run{{Text: "Finance / ", Bold: true}, {Text: "Cyllid", Bold: true, Lang: "cy"}}},
		document.Heading{Level: 1, Text: "PLAIN **x** [y]"},
	}
	if !reflect.DeepEqual(blocks, want) {
		t.Errorf("got\n%+v\nwant\n%+v", blocks, want)
	}
}

// Officers' text reaches the markup only through esc: whatever they
// wrote, it comes back as the one plain run of their words, never bold,
// never a language span, never an error.
var officerTexts = []string{
	"[Adroddiad]{lang=cy}",
	"see [1]{lang=cy} and ]{lang=en}",
	"{lang=cy}",
	"[x]{colour=red}",
	"[unclosed]{lang=cy",
	"**bold** and \\ backslash \\",
	"a | pipe [ and { brace",
	"[]{lang=}",
}

func TestEscapedTextIsNeverMarkup(t *testing.T) {
	for _, s := range officerTexts {
		checkEscaped(t, s)
	}
}

func FuzzEscapedTextIsNeverMarkup(f *testing.F) {
	for _, s := range officerTexts {
		f.Add(s)
	}
	f.Fuzz(checkEscaped)
}

func checkEscaped(t *testing.T, s string) {
	runs, err := inlineRuns("Owner: " + esc(s) + ".")
	if err != nil {
		t.Fatalf("esc(%q) is markup: %v", s, err)
	}
	if len(runs) != 1 || runs[0] != (document.Run{Text: "Owner: " + s + "."}) {
		t.Errorf("esc(%q) read back as %+v", s, runs)
	}
}

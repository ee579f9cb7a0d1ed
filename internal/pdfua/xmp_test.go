package pdfua

import "testing"

func TestPDFUAPart(t *testing.T) {
	const ns = `xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"`
	tests := []struct{ name, xmp, want string }{
		{"element", `<rdf:Description ` + ns + `><pdfuaid:part>1</pdfuaid:part></rdf:Description>`, "1"},
		{"attribute", `<rdf:Description ` + ns + ` pdfuaid:part="1"/>`, "1"},
		{"another prefix", `<rdf:Description xmlns:ua='http://www.aiim.org/pdfua/ns/id/'><ua:part> 2 </ua:part></rdf:Description>`, "2"},
		{"the prefix without its namespace", `<rdf:Description><pdfuaid:part>1</pdfuaid:part></rdf:Description>`, ""},
		{"the namespace without part", `<rdf:Description ` + ns + `><pdfuaid:amd>2005</pdfuaid:amd></rdf:Description>`, ""},
		{"part not a number", `<rdf:Description ` + ns + `><pdfuaid:part>one</pdfuaid:part></rdf:Description>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pdfuaPart([]byte(tt.xmp)); got != tt.want {
				t.Errorf("pdfuaPart = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestXMPTitle(t *testing.T) {
	tests := []struct {
		xmp  string
		want bool
	}{
		{`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Budget</rdf:li></rdf:Alt></dc:title>`, true},
		{`<dc:title><rdf:Alt><rdf:li xml:lang="x-default"></rdf:li></rdf:Alt></dc:title>`, false},
		{`<rdf:Description dc:title="Budget"/>`, true},
		{`<dc:creator><rdf:Seq><rdf:li>Officer</rdf:li></rdf:Seq></dc:creator>`, false},
		{`<dc:title><rdf:Alt><rdf:li xml:lang="x-default"> </rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>Officer</rdf:li></rdf:Seq></dc:creator>`, false},
	}
	for _, tt := range tests {
		if got := hasXMPTitle([]byte(tt.xmp)); got != tt.want {
			t.Errorf("hasXMPTitle(%s) = %v, want %v", tt.xmp, got, tt.want)
		}
	}
}

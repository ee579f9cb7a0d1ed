package plan

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitOwners(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		// People.
		{"Robert Henderson / Cllr Paffey", []string{"Robert Henderson", "Cllr Paffey"}},
		{"Robert Henderson/Mike Harris", []string{"Robert Henderson", "Mike Harris"}},
		{"Martin Oduya and Claire Booth", []string{"Martin Oduya", "Claire Booth"}},
		{"Robert Henderson, Jane Smith", []string{"Robert Henderson", "Jane Smith"}},
		{"Alexandra Sand", []string{"Alexandra Sand"}},
		{"Cllr Mrs P Hardwick", []string{"Cllr Mrs P Hardwick"}},
		{"Group Head Commissioning\nCllr D Price", []string{"Group Head Commissioning", "Cllr D Price"}},
		// Initials.
		{"A & B and C, D; E\nF", []string{"A", "B", "C", "D", "E", "F"}},
		{"DM/PL/KL", []string{"DM", "PL", "KL"}},
		{"HT / DHT", []string{"HT", "DHT"}},
		{"AN (LCC) / JR (CCG)", []string{"AN (LCC)", "JR (CCG)"}},
		// Job titles are one owner each.
		{"Director of Housing and Environmental Services", []string{"Director of Housing and Environmental Services"}},
		{"Income Manager, Housing", []string{"Income Manager, Housing"}},
		{"Head of Service MASH/SA", []string{"Head of Service MASH/SA"}},
		{"Assistant Director, Safeguarding and Family Support", []string{"Assistant Director, Safeguarding and Family Support"}},
		{"Head of Learning and Development", []string{"Head of Learning and Development"}},
		{"Head of Finance and Procurement", []string{"Head of Finance and Procurement"}},
		{"Matron, Acute Wards", []string{"Matron, Acute Wards"}},
		{"Det Supt, Crime", []string{"Det Supt, Crime"}},
		{"Robert Henderson, Director of Children's Services", []string{"Robert Henderson, Director of Children's Services"}},
		// Joint roles.
		{"English Lead and Year 6 teachers", []string{"English Lead", "Year 6 teachers"}},
		{"Family Support Worker and SENCo", []string{"Family Support Worker", "SENCo"}},
		{"Chief Finance Officer and Head of Corporate Governance", []string{"Chief Finance Officer", "Head of Corporate Governance"}},
		{"HR Business Partner / Payroll Manager", []string{"HR Business Partner", "Payroll Manager"}},
		{"Head of ICT / Station Commander, Operational Risk", []string{"Head of ICT", "Station Commander, Operational Risk"}},
		{"Cllr R Okafor / Chief Finance Officer", []string{"Cllr R Okafor", "Chief Finance Officer"}},
		{"Compliance Lead (Water & Asbestos)", []string{"Compliance Lead (Water & Asbestos)"}},
		{"Rachel Okoro, Head of Policy and Communications", []string{"Rachel Okoro, Head of Policy and Communications"}},
		{"Director of Legal Services and Monitoring Officer", []string{"Director of Legal Services and Monitoring Officer"}},
		{"Director of Infection Prevention and Control", []string{"Director of Infection Prevention and Control"}},
		{"Head of IG/DPO", []string{"Head of IG/DPO"}},
		{"Cllr R Okafor and Jane Smith", []string{"Cllr R Okafor", "Jane Smith"}},
		{"Rachel Okoro, Head of Policy and Communications and Tom Bright, Head of Audit Partnership",
			[]string{"Rachel Okoro, Head of Policy and Communications", "Tom Bright, Head of Audit Partnership"}},
		// Teams.
		{"Communications & Engagement", []string{"Communications & Engagement"}},
		{"Neighbourhoods / Governance", []string{"Neighbourhoods", "Governance"}},
		{" / ", nil},
		{"", nil},
	} {
		if got := SplitOwners(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitOwners(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestOwnerKey(t *testing.T) {
	same := [][2]string{
		{"Cllr Paffey", "Councillor Paffey"},
		{"Cllr. Paffey", "councillor  paffey"},
		{"Robert Henderson:", "robert henderson"},
		{"Councilor Paffey", "CLLR PAFFEY"},
		{"R.Henderson", "r henderson"},
		{"Cllr.Paffey", "Councillor Paffey"},
	}
	for _, p := range same {
		if !SameOwner(p[0], p[1]) {
			t.Errorf("%q and %q are not the same owner (%q, %q)", p[0], p[1], OwnerKey(p[0]), OwnerKey(p[1]))
		}
	}
	different := [][2]string{{"Cllr Paffey", "Paffey"}, {"Robert Henderson", "Robert Hendersen"}, {"", ""}}
	for _, p := range different {
		if SameOwner(p[0], p[1]) {
			t.Errorf("%q and %q are the same owner", p[0], p[1])
		}
	}
}

func TestSplitOwnersPlainNames(t *testing.T) {
	if got := SplitOwners("B Jones, a smith"); len(got) != 2 {
		t.Errorf("names typed without capitals: %q", got)
	}
	if got := SplitOwners("Finance manager, housing"); len(got) != 1 {
		t.Errorf("a title with its qualifier split: %q", got)
	}
}

// FuzzSplitOwners: whatever a cell holds, SplitOwners invents nothing: every
// owner is trimmed, non-empty, and its words are the cell's, in order.
func FuzzSplitOwners(f *testing.F) {
	for _, s := range []string{"Robert Henderson / Cllr Paffey", "Director of Housing and Environmental Services",
		"DM/PL/KL", "Compliance Lead (Water & Asbestos)", "A & B and C, D; E\nF", "Head of Service MASH/SA", "((", ")) and &"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cell string) {
		if len(cell) > 1000 {
			return
		}
		owners := SplitOwners(cell)
		rest := strings.Join(strings.Fields(cell), " ")
		for _, o := range owners {
			if o == "" || o != strings.TrimSpace(o) {
				t.Fatalf("owner %q of %q", o, cell)
			}
			for _, w := range strings.Fields(o) {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("owner %q of %q has %q, which is not in the cell (in order)", o, cell, w)
				}
				rest = rest[i+len(w):]
			}
		}
	})
}

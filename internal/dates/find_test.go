package dates

import (
	"fmt"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	cases := []struct {
		in   string
		want string // each mention as "text=YYYY-MM-DD/precision", "; "-separated
	}{
		{"Improvement plan was reviewed by EDCS and submitted to Ofsted on 8 th October 2020.",
			"8 th October 2020=2020-10-08/day"},
		{"First meeting of 'Better Together' took place in October 2020.", "October 2020=2020-10-31/month"},
		{"booked for 12/11/2020 and 12/05/2021", "12/11/2020=2020-11-12/day; 12/05/2021=2021-05-12/day"},
		{"Six-monthly agenda item request has been sent for Mid-October 2020 and May 2021.",
			"October 2020=2020-10-31/month; May 2021=2021-05-31/month"},
		{"Wider circulation scheduled for wc 2 nd November.", ""},
		{"Build into 21/22 business planning cycle", "21/22=2022-03-31/financial_year"},
		{"By 32nd Dec 20 we will know", ""},
		{"", ""},
	}
	for _, tc := range cases {
		var got []string
		for _, m := range Find(tc.in) {
			if m.Date.Text != tc.in[m.Pos:m.End] {
				t.Errorf("%q: text %q is not the bytes %d–%d", tc.in, m.Date.Text, m.Pos, m.End)
			}
			if m.First.After(m.Date.Date) {
				t.Errorf("%q: first day %s after the date %s", tc.in, m.First, m.Date.Date)
			}
			got = append(got, fmt.Sprintf("%s=%s/%s", m.Date.Text, m.Date.ISO(), m.Date.Precision))
		}
		if g := strings.Join(got, "; "); g != tc.want {
			t.Errorf("Find(%q)\n got %s\nwant %s", tc.in, g, tc.want)
		}
	}
}

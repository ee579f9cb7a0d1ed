package export

import "strings"

// CSVSafe stops a spreadsheet reading a CSV cell as a formula (CSV or
// formula injection: an officer's "=HYPERLINK(…)" or "@SUM(…)" would run
// when a clerk opens the file in Excel). A cell that starts with = + - @,
// a tab or a carriage return gets a leading apostrophe, which spreadsheets
// show as text and OWASP recommends; every other cell is left as it is.
func CSVSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

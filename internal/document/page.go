package document

// The paper every paged writer lays out on: A4, with margins that leave a
// landscape table as much width as a portrait page leaves text. The PDF
// draws to these, the DOCX writes them as its sections' page size and
// margins (unless a house template brings its own), and the HTML's print
// stylesheet asks the browser for them, so the formats break pages alike.
const (
	PageWidth  = 210.0 // A4 portrait, millimetres
	PageHeight = 297.0

	MarginPortrait  = 20.0 // every side, millimetres
	MarginLandscape = 15.0
)

// Page gives the width, height and margin (all sides), in millimetres, of
// a page of orientation o.
func (o Orientation) Page() (width, height, margin float64) {
	if o == Landscape {
		return PageHeight, PageWidth, MarginLandscape
	}
	return PageWidth, PageHeight, MarginPortrait
}

// Package formats holds the test that the PDF, DOCX and HTML writers say
// the same thing: it renders the sample report in all three, reads each
// back as a reader would see it (the PDF with pdftotext, the DOCX as
// LibreOffice prints it, the HTML's text content) and compares them,
// section by section, with the document they were written from.
package formats

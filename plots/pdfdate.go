package plots

import (
	"os"
	"strconv"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// PDFDate is the creation and modification date written into every PDF
// when SOURCE_DATE_EPOCH is not set: a fixed date rather than the clock's,
// so that the same run makes the same bytes (see the README).
var PDFDate = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

var pdfDateOnce sync.Once

// setPDFDate sets the date of the PDFs made from now on, once: the PDF
// library keeps it as a default of its own. SOURCE_DATE_EPOCH, when set to
// a number of seconds since 1970, gives the date, as in reproducible
// builds. It also has the library list a document's fonts and other
// resources in a fixed order rather than a map's.
func setPDFDate() {
	pdfDateOnce.Do(func() {
		fpdf.SetDefaultCatalogSort(true)
		t := PDFDate
		if d, ok := sourceDate(); ok {
			t = d
		}
		fpdf.SetDefaultCreationDate(t)
		fpdf.SetDefaultModificationDate(t)
	})
}

// sourceDate returns the date SOURCE_DATE_EPOCH gives, a number of
// seconds since 1970, and whether it is set to one.
func sourceDate() (time.Time, bool) {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC(), true
		}
	}
	return time.Time{}, false
}

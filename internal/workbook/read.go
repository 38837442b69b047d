package workbook

import (
	"archive/zip"
	"bytes"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"wuliang/internal/locale"
)

// Limits bound what reading one uploaded workbook may cost. A workbook is
// a zip: a small file can unpack to gigabytes (a sheet of a billion
// repeated cells, one cell of 300 MB), so the sizes its entries declare
// are checked before anything is unpacked; Go's zip reader fails an entry
// that unpacks to more than it declared, so the declaration is a bound.
type Limits struct {
	FileMiB   int   // the uploaded file
	Unzipped  int64 // all entries together, unpacked, in bytes
	Entries   int   // files inside the zip
	Rows      int   // rows of the sheet read
	Columns   int   // cells of one row
	CellRunes int   // characters of one cell
}

// Uploads are the limits on the office's imports (roster, items): a unit's
// roster of 20,000 people is a few MB unpacked.
var Uploads = Limits{FileMiB: 20, Unzipped: 32 << 20, Entries: 200, Rows: 20000, Columns: 60, CellRunes: 4000}

// Open opens an uploaded workbook within lim, or returns a *locale.Error
// that says which limit it passed.
func Open(data []byte, lim Limits) (*excelize.File, error) {
	if len(data) == 0 {
		return nil, locale.NewError("roster.empty_file")
	}
	if len(data) > lim.FileMiB<<20 {
		return nil, locale.NewError("roster.file_too_large", lim.FileMiB)
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, locale.NewError("roster.not_excel")
	}
	if len(z.File) > lim.Entries {
		return nil, locale.NewError("workbook.too_many_parts", lim.Entries)
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > uint64(lim.Unzipped) {
			return nil, locale.NewError("workbook.unzips_too_large", lim.Unzipped>>20)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.Unzipped, UnzipXMLSizeLimit: min(lim.Unzipped, 16<<20)})
	if err != nil {
		return nil, locale.NewError("roster.not_excel")
	}
	return f, nil
}

// CheckRow refuses a row with more cells than lim.Columns that are not
// empty, or a cell longer than lim.CellRunes; line counts from 1.
func (lim Limits) CheckRow(line int, cells []string) error {
	last := len(cells)
	for last > 0 && cells[last-1] == "" {
		last--
	}
	if last > lim.Columns {
		return locale.NewError("workbook.too_many_columns", line, lim.Columns)
	}
	for i, c := range cells[:last] {
		if len(c) > lim.CellRunes && utf8.RuneCountInString(c) > lim.CellRunes {
			col, _ := excelize.ColumnNumberToName(i + 1)
			return locale.NewError("workbook.cell_too_long", line, col, lim.CellRunes)
		}
	}
	return nil
}

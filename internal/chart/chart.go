// Package chart draws the figures people compare or follow over time as
// SVG on the server: lines for a trend, bars for a ranking, stacked bars
// for the parts of a whole and a heat map for load by weekday and hour.
// The SVG is inline markup with presentation attributes only, so it needs
// no script, passes the strict CSP, prints in the PDFs as vectors and
// scales on a phone; every chart carries its table, one click away.
package chart

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Kinds of chart.
const (
	Line    = "line"    // a trend: one line per series over the X labels
	Bar     = "bar"     // a ranking: one horizontal bar per X label, first series
	Stacked = "stacked" // parts of a whole: one bar per X label, a segment per series
	Heatmap = "heatmap" // load: rows are series, columns X labels, darker is more
)

// Series is one named row of values, one per X label; NaN is no value
// (a gap in a line, an empty cell in the table).
type Series struct {
	Name   string
	Values []float64
}

// Chart is one figure.
type Chart struct {
	Kind   string
	Title  string
	Unit   string // what the values are: "%", "分钟", "件"
	X      []string
	Series []Series
	Max    float64 // the scale's top; 0 picks one from the data (100 for "%")
	// Note says how the figure was computed, under the table.
	Note string
	// Colours are the series' colours where they mean something (green
	// for satisfied, red for dissatisfied); the palette's otherwise.
	Colours []string `json:",omitempty"`
}

// colour is the i-th series' colour.
func (c Chart) colour(i int) string {
	if i < len(c.Colours) {
		return c.Colours[i]
	}
	return Colour(i)
}

// Missing is a value that is not there.
var Missing = math.NaN()

// palette: distinguishable in colour and in grey print, the first the
// campaign's red.
var palette = []string{"#c0392b", "#2471a3", "#d68910", "#229954", "#7d3c98", "#616a6b", "#17a589", "#a04000"}

// Colour is the colour of the i-th series.
func Colour(i int) string { return palette[i%len(palette)] }

const (
	width    = 640.0
	fontSize = 13.0
)

// HTML is the chart's figure: the SVG, a legend, and its table in
// <details>. A chart without any value draws nothing and says so.
func (c Chart) HTML() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<figure class="chart chart-%s">`, esc(c.Kind))
	if c.Title != "" {
		fmt.Fprintf(&b, `<figcaption>%s</figcaption>`, esc(c.Title))
	}
	if !c.hasValues() {
		b.WriteString(`<p class="empty">本期没有数据。</p></figure>`)
		return template.HTML(b.String())
	}
	b.WriteString(`<div class="chart-scroll">`)
	switch c.Kind {
	case Line:
		c.line(&b)
	case Stacked:
		c.stacked(&b)
	case Heatmap:
		c.heatmap(&b)
	default:
		c.bar(&b)
	}
	b.WriteString(`</div>`)
	if c.Kind == Line || c.Kind == Stacked {
		c.legend(&b)
	}
	c.table(&b)
	b.WriteString(`</figure>`)
	return template.HTML(b.String())
}

func (c Chart) hasValues() bool {
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

// value is the i-th value of s, Missing past its end.
func (s Series) value(i int) float64 {
	if i < len(s.Values) {
		return s.Values[i]
	}
	return Missing
}

// top is the scale's top: the given Max, 100 for percentages, else the
// largest value (or sum, stacked) rounded up to a readable step.
func (c Chart) top() float64 {
	if c.Max > 0 {
		return c.Max
	}
	if c.Unit == "%" && c.Kind != Stacked {
		return 100
	}
	m := 0.0
	for i := range c.X {
		sum := 0.0
		for _, s := range c.Series {
			v := s.value(i)
			if math.IsNaN(v) {
				continue
			}
			if c.Kind == Stacked {
				sum += v
			} else {
				m = math.Max(m, v)
			}
		}
		m = math.Max(m, sum)
	}
	return niceCeil(m)
}

// niceCeil rounds up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 2, 5, 10} {
		if f*p >= v {
			return f * p
		}
	}
	return 10 * p
}

// Format writes a value as the table and labels show it.
func Format(v float64, unit string) string {
	if math.IsNaN(v) {
		return "—"
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if unit == "%" {
		return s + "%"
	}
	return s
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func svgOpen(b *strings.Builder, height float64, label string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="100%%" role="img" aria-label="%s" font-size="%.0f" font-family="sans-serif">`,
		width, height, esc(label), fontSize)
}

func text(b *strings.Builder, x, y float64, anchor, fill, s string) {
	fmt.Fprintf(b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s">%s</text>`, x, y, anchor, fill, esc(s))
}

// clip shortens a label to n runes for the axis; the table has it whole.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// line draws one polyline per series with a dot on each value.
func (c Chart) line(b *strings.Builder) {
	const left, right, top, bottom, height = 48.0, 16.0, 16.0, 40.0, 280.0
	svgOpen(b, height, c.Title)
	plotW, plotH := width-left-right, height-top-bottom
	hi := c.top()
	for i := 0; i <= 4; i++ {
		y := top + plotH*float64(i)/4
		fmt.Fprintf(b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/>`, left, y, width-right, y)
		text(b, left-6, y+4, "end", "#555", Format(hi*float64(4-i)/4, c.Unit))
	}
	step := plotW
	if len(c.X) > 1 {
		step = plotW / float64(len(c.X)-1)
	}
	xAt := func(i int) float64 {
		if len(c.X) == 1 {
			return left + plotW/2
		}
		return left + step*float64(i)
	}
	for i, x := range c.X {
		text(b, xAt(i), height-bottom+20, "middle", "#333", clip(x, 10))
	}
	for si, s := range c.Series {
		colour := c.colour(si)
		var path strings.Builder
		pen := "M"
		for i := range c.X {
			v := s.value(i)
			if math.IsNaN(v) {
				pen = "M"
				continue
			}
			fmt.Fprintf(&path, "%s%.1f %.1f ", pen, xAt(i), top+plotH*(1-math.Min(v, hi)/hi))
			pen = "L"
		}
		// The first series is the whole (the unit): drawn thick, the
		// others thin so that a dozen windows stay readable.
		stroke := 1.5
		if si == 0 {
			stroke = 3.5
		}
		if path.Len() > 0 {
			fmt.Fprintf(b, `<path class="series" d="%s" fill="none" stroke="%s" stroke-width="%.1f"/>`, strings.TrimSpace(path.String()), colour, stroke)
		}
		for i := range c.X {
			if v := s.value(i); !math.IsNaN(v) {
				fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s %s:%s</title></circle>`,
					xAt(i), top+plotH*(1-math.Min(v, hi)/hi), colour, esc(s.Name), esc(c.X[i]), esc(Format(v, c.Unit)))
			}
		}
	}
	b.WriteString(`</svg>`)
}

// bar draws the first series as horizontal bars, a label and the value.
func (c Chart) bar(b *strings.Builder) {
	const left, right, rowH = 150.0, 70.0, 26.0
	height := rowH*float64(len(c.X)) + 8
	svgOpen(b, height, c.Title)
	hi := c.top()
	s := Series{}
	if len(c.Series) > 0 {
		s = c.Series[0]
	}
	for i, x := range c.X {
		y := 4 + rowH*float64(i)
		text(b, left-8, y+rowH/2+4, "end", "#333", clip(x, 11))
		v := s.value(i)
		if math.IsNaN(v) {
			text(b, left+4, y+rowH/2+4, "start", "#888", "—")
			continue
		}
		w := (width - left - right) * math.Min(math.Max(v, 0), hi) / hi
		fmt.Fprintf(b, `<rect class="series" x="%.0f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s:%s</title></rect>`,
			left, y+4, w, rowH-8, c.colour(0), esc(x), esc(Format(v, c.Unit)))
		text(b, left+w+6, y+rowH/2+4, "start", "#333", Format(v, c.Unit))
	}
	b.WriteString(`</svg>`)
}

// stacked draws one bar per X label, a segment per series.
func (c Chart) stacked(b *strings.Builder) {
	const left, right, rowH = 150.0, 60.0, 26.0
	height := rowH*float64(len(c.X)) + 8
	svgOpen(b, height, c.Title)
	hi := c.top()
	plotW := width - left - right
	for i, x := range c.X {
		y := 4 + rowH*float64(i)
		text(b, left-8, y+rowH/2+4, "end", "#333", clip(x, 11))
		at, sum := left, 0.0
		for si, s := range c.Series {
			v := s.value(i)
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			w := plotW * v / hi
			fmt.Fprintf(b, `<rect class="series" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s:%s</title></rect>`,
				at, y+4, w, rowH-8, c.colour(si), esc(x), esc(s.Name), esc(Format(v, c.Unit)))
			at += w
			sum += v
		}
		text(b, at+6, y+rowH/2+4, "start", "#333", Format(sum, c.Unit))
	}
	b.WriteString(`</svg>`)
}

// heatmap draws a cell per series (row) and X label (column), shaded by
// its share of the largest value.
func (c Chart) heatmap(b *strings.Builder) {
	const left, top = 48.0, 22.0
	rowH := 26.0
	cellW := (width - left - 8) / float64(max(len(c.X), 1))
	height := top + rowH*float64(len(c.Series)) + 4
	svgOpen(b, height, c.Title)
	hi := c.top()
	for i, x := range c.X {
		text(b, left+cellW*(float64(i)+0.5), 15, "middle", "#333", clip(x, 4))
	}
	for si, s := range c.Series {
		y := top + rowH*float64(si)
		text(b, left-6, y+rowH/2+4, "end", "#333", clip(s.Name, 4))
		for i := range c.X {
			v := s.value(i)
			shade := 0.0
			if !math.IsNaN(v) {
				shade = math.Min(v/hi, 1)
			}
			fmt.Fprintf(b, `<rect class="cell" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="%.2f" stroke="#fff"><title>%s %s:%s</title></rect>`,
				left+cellW*float64(i), y, cellW, rowH, c.colour(0), 0.06+0.94*shade, esc(s.Name), esc(c.X[i]), esc(Format(v, c.Unit)))
		}
	}
	b.WriteString(`</svg>`)
}

func (c Chart) legend(b *strings.Builder) {
	b.WriteString(`<ul class="chart-legend">`)
	for i, s := range c.Series {
		fmt.Fprintf(b, `<li><svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="%s"/></svg>%s</li>`, c.colour(i), esc(s.Name))
	}
	b.WriteString(`</ul>`)
}

// table is the chart's data: X labels down, series across, except a
// heat map, which is laid out as drawn.
func (c Chart) table(b *strings.Builder) {
	b.WriteString(`<details class="chart-table"><summary>查看数据表</summary><div class="table-wrap"><table class="list figures">`)
	unit := ""
	if c.Unit != "" && c.Unit != "%" {
		unit = "(" + c.Unit + ")"
	}
	if c.Kind == Heatmap {
		b.WriteString(`<thead><tr><th></th>`)
		for _, x := range c.X {
			fmt.Fprintf(b, `<th>%s</th>`, esc(x))
		}
		b.WriteString(`</tr></thead><tbody>`)
		for _, s := range c.Series {
			fmt.Fprintf(b, `<tr><th>%s</th>`, esc(s.Name))
			for i := range c.X {
				fmt.Fprintf(b, `<td>%s</td>`, esc(Format(s.value(i), c.Unit)))
			}
			b.WriteString(`</tr>`)
		}
	} else {
		b.WriteString(`<thead><tr><th></th>`)
		for _, s := range c.Series {
			fmt.Fprintf(b, `<th>%s%s</th>`, esc(s.Name), esc(unit))
		}
		b.WriteString(`</tr></thead><tbody>`)
		for i, x := range c.X {
			fmt.Fprintf(b, `<tr><th>%s</th>`, esc(x))
			for _, s := range c.Series {
				fmt.Fprintf(b, `<td>%s</td>`, esc(Format(s.value(i), c.Unit)))
			}
			b.WriteString(`</tr>`)
		}
	}
	b.WriteString(`</tbody></table></div>`)
	if c.Note != "" {
		fmt.Fprintf(b, `<p class="muted small">%s</p>`, esc(c.Note))
	}
	b.WriteString(`</details>`)
}

// MarshalJSON writes a missing value as null: a chart kept with a report
// (JSON cannot hold NaN).
func (s Series) MarshalJSON() ([]byte, error) {
	vs := make([]*float64, len(s.Values))
	for i, v := range s.Values {
		if !math.IsNaN(v) {
			vs[i] = &v
		}
	}
	return json.Marshal(struct {
		Name   string     `json:"name"`
		Values []*float64 `json:"values"`
	}{s.Name, vs})
}

// UnmarshalJSON reads null back as missing.
func (s *Series) UnmarshalJSON(b []byte) error {
	var in struct {
		Name   string     `json:"name"`
		Values []*float64 `json:"values"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	s.Name, s.Values = in.Name, make([]float64, len(in.Values))
	for i, v := range in.Values {
		s.Values[i] = Missing
		if v != nil {
			s.Values[i] = *v
		}
	}
	return nil
}

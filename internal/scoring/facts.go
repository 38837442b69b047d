package scoring

import "time"

// FactRef is one dated fact behind a value, with the page it lives on.
type FactRef struct {
	Kind   string    `json:"kind"` // rating, case, review_entry, point_entry, accountability, spot_check …
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Amount float64   `json:"amount"`
	Note   string    `json:"note,omitempty"`
	Link   string    `json:"link,omitempty"`
}

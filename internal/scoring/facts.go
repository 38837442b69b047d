package scoring

import "time"

// FactRef is one dated fact behind a value, with the page it lives on.
type FactRef struct {
	Kind   string    `json:"kind"` // rating, case, review_entry, point_entry, accountability, spot_check …
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Amount float64   `json:"amount"`
	// Label is a catalogue key saying what the fact was (rating.level.1,
	// scoring.fact.on_time …); Text is what identifies it to a reader (a
	// case number, a person's name, a meeting).
	Label string `json:"label,omitempty"`
	Text  string `json:"text,omitempty"`
	Link  string `json:"link,omitempty"`
}

// Package ratings keeps the public's ratings of the service (好差评): five
// levels, one rating per case through the case's rating token (一事一评),
// ratings of a person or a window without a case (unverified, guarded
// against stuffing), from phones, counter rating devices, the web and SMS
// links. Every rating is durably stored before it is acknowledged: a single
// writer commits them in groups.
package ratings

import "time"

// Levels: 5 is 非常满意 … 1 is 非常不满意, as the API takes them. (The
// national exchange format counts the other way; see the export.)
const (
	VerySatisfied    = 5
	Satisfied        = 4
	Fair             = 3
	Dissatisfied     = 2
	VeryDissatisfied = 1
)

// Bad reports whether a level is a bad rating (差评), which needs a reason.
func Bad(level int) bool { return level == Dissatisfied || level == VeryDissatisfied }

// Targets of a rating.
const (
	TargetCase   = "case"
	TargetPerson = "person"
	TargetWindow = "window"
)

// Channels a rating arrives by.
const (
	ChannelQR     = "qr"     // a phone, from a QR code at the window, on a badge or a ticket
	ChannelDevice = "device" // a counter rating device (评价器), through the API
	ChannelWeb    = "web"    // the portal
	ChannelSMS    = "sms"    // a link sent by SMS
	// ChannelDefault marks a rating nobody gave: the unit's default for a
	// case whose token expired unrated, made only when the unit turns it on.
	ChannelDefault = "default"
)

// Channels lists them.
var Channels = []string{ChannelQR, ChannelDevice, ChannelWeb, ChannelSMS}

// DefaultReasons are offered until a unit keeps its own list.
var DefaultReasons = []string{"态度不好", "多次跑腿", "超时办理", "乱收费", "未一次性告知", "推诿扯皮", "办事效率低", "其他"}

// Rating is one stored rating.
type Rating struct {
	ID             int64     `json:"id"`
	Target         string    `json:"target"`
	CaseID         int64     `json:"case_id,omitempty"`
	CaseNo         string    `json:"case_no,omitempty"`
	StaffID        int64     `json:"staff_id,omitempty"`
	StaffName      string    `json:"staff,omitempty"`
	DepartmentID   int64     `json:"window_id,omitempty"`
	DepartmentName string    `json:"window,omitempty"`
	Level          int       `json:"level"`
	Reasons        []string  `json:"reasons"`
	Comment        string    `json:"comment,omitempty"`
	Channel        string    `json:"channel"`
	Verified       bool      `json:"verified"`
	Followup       bool      `json:"followup"`
	Valid          bool      `json:"valid"`
	CommentPublic  bool      `json:"comment_public"`
	Origin         string    `json:"origin"`         // OriginCase, OriginDevice or OriginPublic
	Held           string    `json:"held,omitempty"` // HoldHeld, HoldReleased or HoldRejected for a burst
	CreatedAt      time.Time `json:"created_at"`
}

// Origins: where a rating that counts came from. A case's token proves a
// service took place; a registered device stands at one window, where a
// person must walk up and press; a public page is anyone's.
const (
	OriginCase   = "case"
	OriginDevice = "device"
	OriginPublic = "public"
)

// originOf is a rating's origin by how it was given.
func originOf(verified bool, channel string) string {
	switch {
	case verified:
		return OriginCase
	case channel == ChannelDevice:
		return OriginDevice
	}
	return OriginPublic
}

// Origins counts ratings by their origin, so that every figure says what
// it is made of.
type Origins struct {
	Case   int `json:"by_case"`
	Device int `json:"by_device"`
	Public int `json:"by_public"`
}

func (o *Origins) tally(origin string, n int) {
	switch origin {
	case OriginCase:
		o.Case += n
	case OriginDevice:
		o.Device += n
	default:
		o.Public += n
	}
}

func (o *Origins) add(p Origins) {
	o.Case += p.Case
	o.Device += p.Device
	o.Public += p.Public
}

// States of a held rating. A held one counts nowhere until the office
// releases it; a rejected one never counts.
const (
	HoldHeld     = "held"
	HoldReleased = "released"
	HoldRejected = "rejected"
)

// Input is a rating as submitted: a case's token, or a person or window.
type Input struct {
	Token        string
	StaffID      int64
	DepartmentID int64
	Level        int
	Reasons      []string
	Comment      string
	Channel      string
	Device       string // who sent it: the device's key, or a signed cookie's id
	// DeviceWindow is the window a registered rating device stands at: it
	// rates that window and the people serving in it, at most once every
	// DeviceEvery, and only through a case's token elsewhere.
	DeviceWindow int64
	Address      string // the client's address, for the limits on unverified ratings
}

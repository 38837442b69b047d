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
	CreatedAt      time.Time `json:"created_at"`
}

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
	Address      string // the client's address, for the limits on unverified ratings
}

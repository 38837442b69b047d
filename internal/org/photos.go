package org

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"image"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"

	"wuliang/internal/audit"
	"wuliang/internal/database"
	"wuliang/internal/locale"
)

// Photo limits. A badge prints a photo about 25 × 35 mm; 480 pixels on the
// long side is more than 300 dpi for that, and keeps the database small.
const (
	MaxPhotoBytes  = 8 << 20
	maxPhotoPixels = 40_000_000
	photoLongSide  = 480
)

// PreparePhoto checks that data is a JPEG or PNG image by decoding it (the
// file name and the browser's claimed type are not trusted), scales it down
// and re-encodes it as JPEG, which also drops any metadata or payload the
// original carried.
func PreparePhoto(data []byte) ([]byte, error) {
	return PrepareImage(data, photoLongSide, MaxPhotoBytes)
}

// PrepareImage checks, scales to longSide and re-encodes any uploaded image
// the same way: photos of staff, evidence of fulfilled commitments.
func PrepareImage(data []byte, longSide, maxBytes int) ([]byte, error) {
	if len(data) == 0 {
		return nil, locale.NewError("error.photo_empty")
	}
	if len(data) > maxBytes {
		return nil, locale.NewError("error.photo_too_large", maxBytes>>20)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") {
		return nil, locale.NewError("error.photo_type")
	}
	if cfg.Width*cfg.Height > maxPhotoPixels || cfg.Width == 0 || cfg.Height == 0 {
		return nil, locale.NewError("error.photo_dimensions")
	}
	var img image.Image
	if format == "jpeg" {
		img, err = jpeg.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, locale.NewError("error.photo_type")
	}
	img = scaleDown(img, longSide)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("org: encode photo: %w", err)
	}
	return out.Bytes(), nil
}

func scaleDown(src image.Image, longSide int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= longSide && h <= longSide {
		// Still redraw onto an opaque canvas: PNG transparency would print black.
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Over)
		return dst
	}
	if w >= h {
		h, w = h*longSide/w, longSide
	} else {
		w, h = w*longSide/h, longSide
	}
	dst := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Over, nil)
	return dst
}

// SetPhoto stores a prepared photo for a staff member, replacing any older.
func (s *Store) SetPhoto(ctx context.Context, actor audit.Actor, unitID, staffID int64, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxPhotoBytes+1))
	if err != nil {
		return fmt.Errorf("org: read photo: %w", err)
	}
	jpg, err := PreparePhoto(data)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, func(tx *database.Tx) (audit.Entry, error) {
		if _, err := staffByID(ctx, tx, unitID, staffID); err != nil {
			return audit.Entry{}, err
		}
		now := database.Now()
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_photos (staff_id, unit_id, content_type, data, updated_at)
			VALUES ($1, $2, 'image/jpeg', $3, $4)
			ON CONFLICT (staff_id) DO UPDATE SET data = excluded.data, content_type = excluded.content_type, updated_at = excluded.updated_at`,
			staffID, unitID, jpg, now)
		if err != nil {
			return audit.Entry{}, fmt.Errorf("org: store photo: %w", err)
		}
		after := map[string]any{"bytes": len(jpg), "sha256": sha256Hex(jpg)}
		return audit.Entry{UnitID: unitID, Action: "update", Entity: "staff_photo", EntityID: staffID, After: after}, nil
	})
}

// Photo returns a staff member's photo as JPEG, or ErrNotFound.
func (s *Store) Photo(ctx context.Context, unitID, staffID int64) ([]byte, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM staff_photos WHERE unit_id = $1 AND staff_id = $2`, unitID, staffID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("org: read photo: %w", err)
	}
	return data, nil
}

// PlaceholderPhoto draws the surname on a colour picked from the id, in the
// 3:4 shape of an ID photo, for people who have no photo yet.
func PlaceholderPhoto(p Staff) []byte {
	colours := []string{"#b71c1c", "#1565c0", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e"}
	c := colours[p.ID%int64(len(colours))]
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="400" viewBox="0 0 300 400">`+
		`<rect width="300" height="400" fill="%s"/>`+
		`<text x="150" y="250" font-size="160" text-anchor="middle" fill="#fff" font-family="sans-serif">%s</text></svg>`,
		c, html.EscapeString(p.Surname()))
}

// PrepareEvidence checks an evidence file by its content: photos are
// re-encoded like PrepareImage's, PDFs kept as they are, anything else
// refused. No data is no file.
func PrepareEvidence(data []byte, maxBytes int) (string, []byte, error) {
	switch {
	case len(data) == 0:
		return "", nil, nil
	case len(data) > maxBytes:
		return "", nil, locale.NewError("error.evidence_too_large", maxBytes>>20)
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "application/pdf", data, nil
	}
	jpg, err := PrepareImage(data, 1600, maxBytes)
	if err != nil {
		return "", nil, locale.NewError("error.evidence_type")
	}
	return "image/jpeg", jpg, nil
}

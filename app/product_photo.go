package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Photo quality bar. Platforms ask for images at least 1000 px on the shorter side (so
// buyers can zoom), well lit, and showing the product from several angles.
const (
	MinPhotoShortSide  = 1000 // pixels
	MinPhotoBrightness = 60   // mean luminance, 0-255, below which a photo is too dark
	MinProductPhotos   = 3    // photos a product needs to show enough angles
	brightnessSamples  = 64   // points sampled along each side to measure brightness
)

// Quality flags of photos and products.
const (
	FlagTooSmall     = "too_small"
	FlagTooDark      = "too_dark"
	FlagTooFewAngles = "too_few_angles"
)

// ProductPhoto is one photo of a product, measured on upload.
type ProductPhoto struct {
	bun.BaseModel `bun:"table:product_photos,alias:ph"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	ProductID      int64     `bun:"product_id" json:"product_id"`
	StorageKey     string    `bun:"storage_key" json:"-"`
	FileName       string    `bun:"file_name" json:"file_name"`
	ContentType    string    `bun:"content_type" json:"content_type"`
	SizeBytes      int64     `bun:"size_bytes" json:"size_bytes"`
	Width          int       `bun:"width" json:"width"`
	Height         int       `bun:"height" json:"height"`
	MeanBrightness int       `bun:"mean_brightness" json:"mean_brightness"`
	Flags          string    `bun:"quality_flags" json:"-"`
	UploadedAt     time.Time `bun:"uploaded_at" json:"uploaded_at"`
	UploadedBy     *int64    `bun:"uploaded_by" json:"-"`
}

// QualityFlags returns the photo's flags as a list.
func (p *ProductPhoto) QualityFlags() []string {
	if p.Flags == "" {
		return []string{}
	}
	return strings.Split(p.Flags, ",")
}

// MarshalJSON adds the flags as a list.
func (p ProductPhoto) MarshalJSON() ([]byte, error) {
	type plain ProductPhoto
	return json.Marshal(struct {
		plain
		QualityFlags []string `json:"quality_flags"`
	}{plain(p), p.QualityFlags()})
}

// ProductPhotos keeps the photos of products under DataDir/photos. Uploading needs
// product:edit and viewing product:read in the district of the product's artisan.
type ProductPhotos struct {
	DB      *bun.DB
	Authz   Authorizer
	DataDir string
}

// Upload checks, measures and stores a photo of a product. r is nil when no file was
// chosen; declaredSize is the size the caller knows (-1 when unknown), so an oversized file
// is refused before it is read. Whatever the client calls the file, its type is sniffed.
func (s *ProductPhotos) Upload(ctx context.Context, actor Actor, productID int64, fileName string, r io.Reader, declaredSize int64) (*ProductPhoto, error) {
	if _, err := findProduct(ctx, s.DB, s.Authz, actor, "edit", productID); err != nil {
		return nil, err
	}
	switch {
	case r == nil:
		return nil, Invalid{"file": Msg("document.file_required")}.Err()
	case declaredSize > MaxPhotoBytes:
		return nil, Invalid{"file": Msg("document.too_large", "max", formatMB(MaxPhotoBytes))}.Err()
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxPhotoBytes+1))
	if err != nil {
		return nil, fmt.Errorf("photos: read upload: %w", err)
	}
	photo, err := measurePhoto(data, fileName)
	if err != nil {
		return nil, err
	}
	if photo.StorageKey, err = newStorageKey(); err != nil {
		return nil, err
	}
	photo.ProductID, photo.UploadedAt = productID, Now()
	if actor.UserID != 0 {
		id := actor.UserID
		photo.UploadedBy = &id
	}
	path, err := s.path(photo.StorageKey)
	if err != nil {
		return nil, err
	}
	written := false
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := findProduct(ctx, tx, s.Authz, actor, "edit", productID)
		if err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(photo).Exec(ctx); err != nil {
			return fmt.Errorf("photos: insert: %w", err)
		}
		if err := refreshReadiness(ctx, tx, p.ArtisanID); err != nil {
			return err
		}
		if err := RecordAudit(ctx, tx, actor, Change{Entity: "product_photo", EntityID: idString(photo.ID),
			Action: "create", District: p.District, After: photo}); err != nil {
			return err
		}
		if err := writeFileAtomic(path, data); err != nil {
			return err
		}
		written = true
		return nil
	})
	if err != nil {
		if written {
			os.Remove(path) //nolint:errcheck // best effort: the row was not committed
		}
		return nil, err
	}
	return photo, nil
}

// Open returns a photo and its content; the caller closes the reader.
func (s *ProductPhotos) Open(ctx context.Context, actor Actor, id int64) (*ProductPhoto, io.ReadCloser, error) {
	photo := new(ProductPhoto)
	q := s.DB.NewSelect().Model(photo).Join("JOIN products AS p ON p.id = ph.product_id").
		Join("JOIN artisans AS a ON a.id = p.artisan_id").Where("ph.id = ?", id)
	err := scopeOf(s.Authz, actor, productObject, "read").Apply(q, "a.district").Scan(ctx)
	if errNoRows(err) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("photos: find: %w", err)
	}
	path, err := s.path(photo.StorageKey)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("photos: open file of photo %d: %w", id, err)
	}
	return photo, f, nil
}

// path is where a photo's file lives: DataDir/photos/<first two characters>/<key>.
func (s *ProductPhotos) path(key string) (string, error) {
	if s.DataDir == "" {
		return "", errors.New("photos: no data folder configured")
	}
	if !storageKeyPattern.MatchString(key) {
		return "", fmt.Errorf("photos: malformed storage key %q", key)
	}
	return filepath.Join(s.DataDir, "photos", key[:2], key), nil
}

// measurePhoto checks a photo as checkDocument checks an image, from its bytes, and
// measures it. The size in pixels is read from the header and refused above MaxImagePixels
// before any pixel is decoded, so a small file cannot expand into gigabytes.
func measurePhoto(data []byte, fileName string) (*ProductPhoto, error) {
	refuse := func(key string, pairs ...string) (*ProductPhoto, error) {
		return nil, Invalid{"file": Msg(key, pairs...)}.Err()
	}
	switch {
	case int64(len(data)) > MaxPhotoBytes:
		return refuse("document.too_large", "max", formatMB(MaxPhotoBytes))
	case len(data) == 0:
		return refuse("document.empty")
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	contentType := http.DetectContentType(data)
	switch contentType {
	case ContentJPEG:
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case ContentPNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	default:
		return refuse("photo.type_not_allowed")
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return refuse("document.image_unreadable")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return refuse("document.image_too_big", "width", strconv.Itoa(cfg.Width),
			"height", strconv.Itoa(cfg.Height), "max", strconv.Itoa(MaxImagePixels/1_000_000))
	}
	name := CleanFileName(fileName)
	if ext, ok := extensionOf(name); ok && !extensionFits(name, contentType) {
		return refuse("document.extension_mismatch", "ext", "."+ext, "kind", kindName[contentType],
			"want", canonicalExtension[contentType])
	}
	decodeSlots <- struct{}{}
	img, err := decode(bytes.NewReader(data))
	<-decodeSlots
	if err != nil {
		return refuse("document.image_unreadable")
	}
	p := &ProductPhoto{FileName: name, ContentType: contentType, SizeBytes: int64(len(data)),
		Width: cfg.Width, Height: cfg.Height, MeanBrightness: meanBrightness(img)}
	var flags []string
	if min(cfg.Width, cfg.Height) < MinPhotoShortSide {
		flags = append(flags, FlagTooSmall)
	}
	if p.MeanBrightness < MinPhotoBrightness {
		flags = append(flags, FlagTooDark)
	}
	p.Flags = strings.Join(flags, ",")
	return p, nil
}

// meanBrightness is the mean luminance (0-255) of a grid of brightnessSamples ×
// brightnessSamples points: enough to tell a dark photo, at a fixed cost whatever its size.
func meanBrightness(img image.Image) int {
	b := img.Bounds()
	var sum, n int
	for i := range brightnessSamples {
		y := b.Min.Y + (2*i+1)*b.Dy()/(2*brightnessSamples)
		for j := range brightnessSamples {
			x := b.Min.X + (2*j+1)*b.Dx()/(2*brightnessSamples)
			sum += int(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
			n++
		}
	}
	return sum / n
}

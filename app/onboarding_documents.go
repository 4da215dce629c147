package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// Document codes a platform may need, each checked against the artisan's record and
// uploads (see DocumentsHeld). The email address some platforms ask for is not among them:
// the registry does not record one.
const (
	DocPAN         = "pan"
	DocGSTIN       = "gstin" // a GSTIN or a GST enrolment ID, kept in the artisan's GSTIN field
	DocBankAccount = "bank_account"
	DocAadhaar     = "aadhaar"
	DocUdyam       = "udyam"
	DocMobile      = "mobile"
	DocPehchan     = "artisan_id" // a Pehchan card or a weaver ID
	DocIDProofFile = "id_proof"
	DocPhotos      = "photos"
	DocCatalogue   = "catalogue"
)

// DocumentCodes lists every code in the order refusals and checklists name them.
var DocumentCodes = []string{DocPAN, DocGSTIN, DocBankAccount, DocAadhaar, DocMobile, DocUdyam, DocPehchan,
	DocIDProofFile, DocPhotos, DocCatalogue}

// DocumentNeededFrom is the first stage at which a platform's document is needed: the
// seller account needs the identity, tax and bank documents; a listing needs the photos
// and the catalogue.
func DocumentNeededFrom(code string) string {
	if code == DocPhotos || code == DocCatalogue {
		return StageListed
	}
	return StageAccountCreated
}

// platformDocument is one document a platform needs.
type platformDocument struct {
	bun.BaseModel `bun:"table:platform_documents"`

	Platform string `bun:"platform,pk"`
	Document string `bun:"document,pk"`
}

// RequiredDocuments returns the codes of the documents a platform needs, in the order of
// DocumentCodes.
func RequiredDocuments(ctx context.Context, db bun.IDB, platform string) ([]string, error) {
	var rows []platformDocument
	if err := db.NewSelect().Model(&rows).Where("platform = ?", platform).Scan(ctx); err != nil {
		return nil, fmt.Errorf("onboarding: platform documents: %w", err)
	}
	out := []string{}
	for _, code := range DocumentCodes {
		if slices.ContainsFunc(rows, func(r platformDocument) bool { return r.Document == code }) {
			out = append(out, code)
		}
	}
	return out, nil
}

// DocumentsHeld reports which document codes the artisan has: the identifiers on the
// record, the ID proof and bank passbook among the uploads, and for photos and catalogue
// the product catalogue (a photo without quality flags, a product).
func DocumentsHeld(ctx context.Context, db bun.IDB, a *Artisan) (map[string]bool, error) {
	held := map[string]bool{
		DocPAN: a.PAN != "", DocGSTIN: a.GSTIN != "", DocBankAccount: a.BankAccount != "",
		DocAadhaar: a.AadhaarLast4 != "", DocMobile: a.Mobile != "", DocUdyam: a.Udyam != "", DocPehchan: a.PehchanID != "" || a.WeaverID != "",
	}
	var types []string
	if err := db.NewSelect().Table("documents").Column("doc_type").Distinct().
		Where("artisan_id = ? AND deleted_at IS NULL", a.ID).Scan(ctx, &types); err != nil {
		return nil, fmt.Errorf("onboarding: documents: %w", err)
	}
	held[DocIDProofFile] = slices.Contains(types, DocIDProof)
	held[DocBankAccount] = held[DocBankAccount] || slices.Contains(types, DocBankPassbook)
	var err error
	if held[DocCatalogue], err = db.NewSelect().Table("products").Where("artisan_id = ?", a.ID).Exists(ctx); err != nil {
		return nil, fmt.Errorf("onboarding: products: %w", err)
	}
	if held[DocPhotos], err = db.NewSelect().TableExpr("product_photos AS ph").
		Join("JOIN products AS pr ON pr.id = ph.product_id").
		Where("pr.artisan_id = ? AND ph.quality_flags = ''", a.ID).Exists(ctx); err != nil {
		return nil, fmt.Errorf("onboarding: photos: %w", err)
	}
	return held, nil
}

// PlatformDetail is a platform with the codes of the documents it needs.
type PlatformDetail struct {
	Platform
	RequiredDocuments []string `json:"required_documents"`
}

// PlatformInput changes a platform; nil fields stay as they are.
type PlatformInput struct {
	Name              *string   `json:"name"`
	NameHi            *string   `json:"name_hi"`
	Programme         *string   `json:"programme"`
	DocumentsNeeded   *string   `json:"documents_needed"`
	Notes             *string   `json:"notes"`
	Active            *bool     `json:"active"`
	RequiredDocuments *[]string `json:"required_documents"`
	Version           int64     `json:"version"`
}

// Platform returns a platform, active or not, with the documents it needs.
func (s *Onboarding) Platform(ctx context.Context, slug string) (*PlatformDetail, error) {
	return platformDetail(ctx, s.DB, slug)
}

func platformDetail(ctx context.Context, db bun.IDB, slug string) (*PlatformDetail, error) {
	d := &PlatformDetail{}
	err := db.NewSelect().Model(&d.Platform).Where("slug = ?", slug).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("onboarding: platform: %w", err)
	}
	if d.RequiredDocuments, err = RequiredDocuments(ctx, db, slug); err != nil {
		return nil, err
	}
	return d, nil
}

// UpdatePlatform changes a platform and the documents it needs, under optimistic
// locking. Only a state admin (reference:manage state-wide) may.
func (s *Onboarding) UpdatePlatform(ctx context.Context, actor Actor, slug string, in PlatformInput) (*PlatformDetail, error) {
	if !actor.system && !s.Authz.Can(actor.UserID, AllDistrictsDomain, "reference", "manage") {
		return nil, ErrForbidden
	}
	var out *PlatformDetail
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		cur, err := platformDetail(ctx, tx, slug)
		if err != nil {
			return err
		}
		next := *cur
		if err := applyPlatform(&next, in); err != nil {
			return err
		}
		if err := updateVersioned(ctx, tx, &next.Platform, "slug", slug, in.Version,
			"name_en", "name_hi", "programme", "documents_needed", "notes", "active"); err != nil {
			return err
		}
		next.Version++
		if in.RequiredDocuments != nil {
			if _, err := tx.NewDelete().Model((*platformDocument)(nil)).Where("platform = ?", slug).Exec(ctx); err != nil {
				return fmt.Errorf("onboarding: platform documents: %w", err)
			}
			for _, code := range next.RequiredDocuments {
				if _, err := tx.NewInsert().Model(&platformDocument{Platform: slug, Document: code}).Exec(ctx); err != nil {
					return fmt.Errorf("onboarding: platform document: %w", err)
				}
			}
		}
		out = &next
		return RecordAudit(ctx, tx, actor, Change{Entity: "platform", EntityID: slug, Action: "update", Before: cur, After: &next})
	})
	return out, err
}

func applyPlatform(d *PlatformDetail, in PlatformInput) error {
	v := Invalid{}
	for _, f := range []struct {
		dst   *string
		src   *string
		field string
		req   bool
	}{
		{&d.NameEn, in.Name, "name", true}, {&d.NameHi, in.NameHi, "name_hi", true},
		{&d.Programme, in.Programme, "programme", false}, {&d.DocumentsNeeded, in.DocumentsNeeded, "documents_needed", false},
		{&d.Notes, in.Notes, "notes", false},
	} {
		if f.src == nil {
			continue
		}
		*f.dst = *f.src
		if f.req {
			Required(v, f.field, *f.dst)
		}
		MaxLen(v, f.field, *f.dst, 500)
	}
	if in.Active != nil {
		d.Active = *in.Active
	}
	if in.RequiredDocuments != nil {
		d.RequiredDocuments = []string{}
		for _, code := range DocumentCodes {
			if slices.Contains(*in.RequiredDocuments, code) {
				d.RequiredDocuments = append(d.RequiredDocuments, code)
			}
		}
		for _, code := range *in.RequiredDocuments {
			if !slices.Contains(DocumentCodes, code) {
				v.Add("required_documents", "onboarding.unknown_document", "value", code)
			}
		}
	}
	return v.Err()
}

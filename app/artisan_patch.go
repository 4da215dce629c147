package app

import (
	"context"
	"fmt"
)

// Patch changes only the fields that apply sets, on top of the record as stored. It reads
// the stored values unmasked, inside the service, so a field the actor sees masked is
// kept as it is rather than overwritten with its mask.
func (s *Artisans) Patch(ctx context.Context, actor Actor, id int64, apply func(*ArtisanInput) error) (*Artisan, error) {
	cur, err := s.find(ctx, s.DB, actor, id)
	if err != nil {
		return nil, err
	}
	in := ArtisanInput{
		Name: cur.Name, NameHi: cur.NameHi, RelativeName: cur.RelativeName, Gender: cur.Gender,
		DateOfBirth: cur.DateOfBirth, SocialCategory: cur.SocialCategory, Disability: cur.Disability,
		Mobile: cur.Mobile, District: cur.District, Tehsil: cur.Tehsil, Village: cur.Village,
		PINCode: cur.PINCode, PrimaryCraft: cur.PrimaryCraft, Crafts: cur.Crafts,
		YearsInCraft: cur.YearsInCraft, PehchanID: cur.PehchanID, WeaverID: cur.WeaverID, Udyam: cur.Udyam,
		PAN: cur.PAN, GSTIN: cur.GSTIN, BankAccount: cur.BankAccount, IFSC: cur.IFSC,
		OrganisationID: cur.OrganisationID, Version: cur.Version,
	}
	if err := apply(&in); err != nil {
		return nil, fmt.Errorf("artisans: patch: %w", err)
	}
	return s.Update(ctx, actor, id, in)
}

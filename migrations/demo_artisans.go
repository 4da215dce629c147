package migrations

import (
	"context"
	"fmt"

	"shilpkosh/app"
)

// demoArtisan is one made-up artisan of the demo set and how far its record has come.
type demoArtisan struct {
	name, nameHi, relative, gender, dob, category string
	district, tehsil, village, pin, craft         string
	years                                         int
	org                                           int    // index into demoOrganisations, -1 for none
	stage                                         string // draft, submitted, verified, approved
	bank                                          bool
}

var demoOrganisations = []app.OrganisationInput{
	{Name: "Sanganer Hand Block Printers Cooperative Society", NameHi: "सांगानेर हाथ ठप्पा छपाई सहकारी समिति",
		Kind: "cooperative", District: "jaipur", RegistrationNo: "JPR/COOP/1987/112", Address: "Sanganer, Jaipur"},
	{Name: "Bagru Chhipa Mahila Self-Help Group", NameHi: "बगरू छीपा महिला स्वयं सहायता समूह",
		Kind: "shg", District: "jaipur", RegistrationNo: "SHG-JPR-2019-0457", Address: "Bagru, Jaipur"},
	{Name: "Salawas Dhurrie Weavers Producer Company", NameHi: "सालावास दरी बुनकर उत्पादक कंपनी",
		Kind: "producer_company", District: "jodhpur", RegistrationNo: "U17200RJ2021PTC07712", Address: "Salawas, Jodhpur"},
}

// demoArtisans: names, villages and crafts as they occur in the real clusters; every
// identifier is made up (Aadhaar numbers are built to pass the check digit only).
var demoArtisans = []demoArtisan{
	{"Kishan Lal Chhipa", "किशन लाल छीपा", "Ramesh Chand", "male", "1972-03-14", "obc", "jaipur", "Sanganer", "Sanganer", "302029", "sanganeri-block-print", 30, 0, "approved", true},
	{"Kamla Devi", "कमला देवी", "Suresh Chhipa", "female", "1985-07-02", "obc", "jaipur", "Sanganer", "Sanganer", "302029", "sanganeri-block-print", 18, 0, "approved", true},
	{"Gopal Chhipa", "गोपाल छीपा", "Mangi Lal", "male", "1990-11-21", "obc", "jaipur", "Phagi", "Bagru", "303007", "bagru-block-print", 12, 1, "approved", false},
	{"Santosh Kumari", "संतोष कुमारी", "Bhanwar Lal", "female", "1994-01-09", "sc", "jaipur", "Phagi", "Bagru", "303007", "dabu-print", 9, 1, "verified", true},
	{"Rukmani Devi", "रुक्मणी देवी", "Hari Ram", "female", "1979-05-30", "obc", "jaipur", "Phagi", "Bagru", "303007", "natural-dyeing", 25, 1, "submitted", false},
	{"Mohammed Irfan", "मोहम्मद इरफ़ान", "Abdul Rashid", "male", "1983-09-17", "general", "jaipur", "Jaipur", "Jaipur", "302003", "blue-pottery", 20, -1, "approved", true},
	{"Shabana Bano", "शबाना बानो", "Mohammed Salim", "female", "1988-12-05", "obc", "jaipur", "Jaipur", "Jaipur", "302002", "lac-bangles", 15, -1, "submitted", false},
	{"Ramesh Soni", "रमेश सोनी", "Kanhaiya Lal Soni", "male", "1968-04-11", "general", "jaipur", "Jaipur", "Jaipur", "302001", "meenakari", 35, -1, "approved", true},
	{"Pooja Saini", "पूजा सैनी", "Mahesh Saini", "female", "2001-02-27", "mbc", "jaipur", "Amber", "Kukas", "302028", "leheriya", 4, -1, "draft", false},
	{"Bhanwari Devi Bhat", "भंवरी देवी भाट", "Ganga Ram Bhat", "female", "1975-08-19", "sc", "jaipur", "Jaipur", "Jaipur", "302004", "kathputli", 28, -1, "submitted", false},
	{"Sohan Lal Meghwal", "सोहन लाल मेघवाल", "Chuna Ram", "male", "1977-06-23", "sc", "jodhpur", "Luni", "Salawas", "342802", "dhurrie", 26, 2, "approved", true},
	{"Geeta Meghwal", "गीता मेघवाल", "Sohan Lal Meghwal", "female", "1982-10-03", "sc", "jodhpur", "Luni", "Salawas", "342802", "dhurrie", 20, 2, "approved", true},
	{"Abdul Gaffar", "अब्दुल गफ्फार", "Abdul Sattar", "male", "1970-01-15", "obc", "jodhpur", "Jodhpur", "Jodhpur", "342001", "bandhej", 32, -1, "verified", true},
	{"Lakshmi Devi", "लक्ष्मी देवी", "Pukhraj", "female", "1991-03-08", "st", "jodhpur", "Jodhpur", "Jodhpur", "342001", "mojari", 10, -1, "submitted", false},
	{"Mahendra Kumar", "महेंद्र कुमार", "Narayan Lal", "male", "1986-07-29", "obc", "kota", "Ladpura", "Kaithoon", "325001", "kota-doria", 16, -1, "submitted", true},
	{"Anjum Ara", "अंजुम आरा", "Iqbal Ansari", "female", "1989-11-12", "obc", "kota", "Ladpura", "Kaithoon", "325001", "kota-doria", 14, -1, "submitted", false},
}

// seedDemoArtisans loads the demo registry once: organisations, then artisans taken as far
// through the workflow as their stage says, each step by the role that really does it.
func seedDemoArtisans(ctx context.Context, d Demo) (int, error) {
	page, err := d.Artisans.List(ctx, app.System, app.ArtisanFilter{Limit: 1})
	if err != nil || page.Total > 0 {
		return 0, err
	}
	actors, err := demoActors(ctx, d.Users)
	if err != nil {
		return 0, err
	}
	orgIDs := make([]int64, len(demoOrganisations))
	for i, o := range demoOrganisations {
		created, err := d.Organisations.Create(ctx, app.System, o)
		if err != nil {
			return 0, fmt.Errorf("demo organisation %s: %w", o.Name, err)
		}
		orgIDs[i] = created.ID
	}
	for i, da := range demoArtisans {
		if err := seedOneDemoArtisan(ctx, d.Artisans, actors, orgIDs, i, da); err != nil {
			return i, fmt.Errorf("demo artisan %s: %w", da.name, err)
		}
	}
	return len(demoArtisans), nil
}

func seedOneDemoArtisan(ctx context.Context, svc *app.Artisans, actors map[string]app.Actor, orgIDs []int64, i int, da demoArtisan) error {
	in := app.ArtisanInput{Name: da.name, NameHi: da.nameHi, RelativeName: da.relative, Gender: da.gender,
		DateOfBirth: da.dob, SocialCategory: da.category, Mobile: fmt.Sprintf("98%08d", 29100000+i*7919),
		Aadhaar: app.AadhaarNumber(demoAadhaar(i)), District: da.district, Tehsil: da.tehsil, Village: da.village,
		PINCode: da.pin, PrimaryCraft: da.craft, YearsInCraft: da.years}
	if da.org >= 0 {
		in.OrganisationID = &orgIDs[da.org]
	}
	if da.bank {
		in.BankAccount, in.IFSC = fmt.Sprintf("3091%08d", 1000+i), "SBIN0031234"
	}
	creator, verifier := actors["admin"], actors["dic."+da.district]
	if da.district == "jaipur" {
		creator = actors["entry.jaipur"]
	}
	a, err := svc.Create(ctx, creator, in)
	if err != nil {
		return err
	}
	steps := map[string]int{"draft": 0, "submitted": 1, "verified": 2, "approved": 3}[da.stage]
	if steps >= 1 {
		if a, err = svc.Submit(ctx, creator, a.ID, a.Version, ""); err != nil {
			return err
		}
	}
	if steps >= 2 {
		if a, err = svc.Verify(ctx, verifier, a.ID, a.Version, ""); err != nil {
			return err
		}
	}
	if steps >= 3 {
		if _, err = svc.Approve(ctx, actors["board"], a.ID, a.Version, ""); err != nil {
			return err
		}
	}
	return nil
}

// demoActors finds the demo users the workflow steps are taken as.
func demoActors(ctx context.Context, users *app.Users) (map[string]app.Actor, error) {
	all, err := users.ListAll(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]app.Actor{}
	for _, u := range all {
		out[u.Username] = app.Actor{UserID: u.ID, Username: u.Username, Name: u.Name}
	}
	for _, need := range []string{"admin", "board", "entry.jaipur", "dic.jaipur", "dic.jodhpur"} {
		if _, ok := out[need]; !ok {
			return nil, fmt.Errorf("demo user %s is missing", need)
		}
	}
	return out, nil
}

// demoAadhaar is a made-up number that passes the Verhoeff check, never a real one.
func demoAadhaar(i int) string {
	digits := fmt.Sprintf("87654%06d", 321+i)
	return digits + string(app.VerhoeffCheckDigit(digits))
}

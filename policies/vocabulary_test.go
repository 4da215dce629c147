package policies_test

// The permission vocabulary as the brief states it, written out independently of
// policy.csv so that a typo in either shows up as a failing case.

const (
	sa = "state_admin"
	bo = "board_official"
	au = "auditor"
	do = "dic_officer"
	de = "data_entry"
	sm = "store_manager"
)

var (
	everyone  = []string{sa, bo, au, do, de, sm}
	readers   = []string{sa, bo, au, do, de}
	writers   = []string{sa, do, de}
	overseers = []string{sa, bo, au, do}
)

// permission is one object/action pair and the roles that hold it.
type permission struct {
	object, action string
	roles          []string
}

var vocabulary = []permission{
	{"self", "read", everyone},
	{"dashboard", "read", everyone},
	{"reference", "read", everyone},
	{"reference", "manage", []string{sa}},
	{"user", "read", []string{sa}},
	{"user", "manage", []string{sa}},
	{"audit", "read", []string{sa, au}},
	{"policy", "manage", []string{sa}},
	{"setting", "manage", []string{sa}},

	{"artisan", "read", readers},
	{"artisan", "create", writers},
	{"artisan", "edit", writers},
	{"artisan", "submit", writers},
	{"artisan", "import", writers},
	{"artisan", "verify", []string{do}},
	{"artisan", "approve", []string{sa, bo}},
	{"artisan", "reject", []string{sa, bo, do}},
	{"artisan", "deactivate", []string{sa, do}},
	{"artisan", "merge", []string{sa}},
	{"artisan", "export", overseers},
	{"artisan", "view_personal", writers},

	{"document", "read", readers},
	{"document", "create", writers},
	{"organisation", "read", readers},
	{"organisation", "manage", writers},
	{"scheme", "read", everyone},
	{"scheme", "manage", []string{sa, bo}},

	{"enrolment", "read", readers},
	{"enrolment", "create", writers},
	{"enrolment", "import", writers},
	{"enrolment", "verify", []string{do}},
	{"enrolment", "sanction", []string{sa, bo}},
	{"enrolment", "disburse", []string{sa, bo}},
	{"enrolment", "reject", []string{sa, bo, do}},

	{"store", "read", []string{sa, bo, au, do, sm}},
	{"store", "manage", []string{sa}},
	{"sale", "read", []string{sa, bo, au, do, sm}},
	{"sale", "create", []string{sa, sm}},
	{"sale", "import", []string{sa, sm}},
	{"month", "read", overseers},
	{"month", "close", []string{sa, do}},
	{"month", "reopen", []string{sa}},

	{"onboarding", "read", readers},
	{"onboarding", "edit", writers},
	{"onboarding", "import", []string{sa, do}},
	{"product", "read", readers},
	{"product", "edit", writers},
	{"listing", "read", readers},
	{"listing", "edit", writers},
	{"report", "read", overseers},
	{"report", "generate", []string{sa, bo, do}},
}

// outsideVocabulary are requests no rule grants, to show nothing is allowed by accident.
var outsideVocabulary = []permission{
	{"artisan", "delete", nil},
	{"artisan", "", nil},
	{"unknown", "read", nil},
	{"", "read", nil},
	{"Artisan", "read", nil},
}

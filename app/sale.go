package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// PaymentModes are the ways a sale is paid for.
var PaymentModes = []string{"cash", "upi", "card", "bank_transfer", "cheque", "other"}

// SaleGroups are the groupings of the sales summary.
var SaleGroups = []string{"store", "district", "craft", "artisan", "month"}

const (
	saleObject          = "sale"
	saleKeyMonthClosed  = "sale.month_closed" // arg: month
	saleKeyUnknownStore = "sale.unknown_store"
	saleKeyDuplicate    = "sale.duplicate_invoice" // arg: invoice
)

// Sale is one line of a store's sales. District is the store's district when the sale was
// entered; Month is the month of Date. A correction (CorrectsSaleID set) amends a sale of
// a closed month from an open one, and its quantity and amount may be negative.
type Sale struct {
	bun.BaseModel `bun:"table:sales,alias:s"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	StoreID        int64     `bun:"store_id" json:"store_id"`
	District       string    `bun:"district" json:"district"`
	Date           string    `bun:"sale_date" json:"date"`
	Month          string    `bun:"month" json:"-"`
	ArtisanID      *int64    `bun:"artisan_id" json:"artisan_id"`
	Craft          string    `bun:"craft" json:"craft"`
	Product        string    `bun:"product" json:"product"`
	Quantity       int64     `bun:"quantity" json:"quantity"`
	AmountPaise    Paise     `bun:"amount_paise" json:"amount_paise"`
	PaymentMode    string    `bun:"payment_mode" json:"payment_mode"`
	InvoiceNo      string    `bun:"invoice_no" json:"invoice_no"`
	CorrectsSaleID *int64    `bun:"corrects_sale_id" json:"corrects_sale_id"`
	CreatedBy      *int64    `bun:"created_by" json:"-"`
	CreatedAt      time.Time `bun:"created_at" json:"-"`
}

// SaleInput is one sale as entered or as read from a statement row.
type SaleInput struct {
	StoreID        int64  `json:"store_id"`
	Date           string `json:"date"`
	ArtisanID      *int64 `json:"artisan_id"`
	Craft          string `json:"craft"`
	Product        string `json:"product"`
	Quantity       int64  `json:"quantity"`
	AmountPaise    Paise  `json:"amount_paise"`
	PaymentMode    string `json:"payment_mode"`
	InvoiceNo      string `json:"invoice_no"`
	CorrectsSaleID *int64 `json:"corrects_sale_id"`
}

// SaleFilter selects sales; zero fields select all in scope.
type SaleFilter struct {
	StoreID   int64
	District  string
	Craft     string
	ArtisanID int64
	Month     string // YYYY-MM
	From, To  string // YYYY-MM, a range of months, each end included when given
	BeforeID  int64  // keyset cursor: sales with a smaller id
	Limit     int
}

// SaleSummaryRow is one group of the summary: its key (store id, district, craft slug,
// artisan id or "" for sales without one, or YYYY-MM), count and total.
type SaleSummaryRow struct {
	Key         string `bun:"g_key" json:"key"`
	Count       int64  `bun:"g_count" json:"count"`
	AmountPaise Paise  `bun:"g_amount" json:"amount_paise"`
}

// Sales records stores' sales. A store manager reads and enters only their store's sales;
// everyone else works in the districts of their sale grant. Every query applies the scope
// in SQL.
type Sales struct {
	DB    *bun.DB
	Authz Authorizer
}

func (s *Sales) scope(ctx context.Context, db bun.IDB, actor Actor, action string) (recordScope, error) {
	return storeScope(ctx, db, s.Authz, actor, saleObject, action)
}

// Create enters one sale.
func (s *Sales) Create(ctx context.Context, actor Actor, in SaleInput) (*Sale, error) {
	var out *Sale
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sc, err := s.scope(ctx, tx, actor, "create")
		if err != nil {
			return err
		}
		if sc.Districts.Empty() {
			return ErrForbidden
		}
		in.normalize()
		v := Invalid{}
		sale, err := s.prepare(ctx, tx, sc, v, &in)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := s.checkOpen(ctx, tx, sale); err != nil {
			return err
		}
		taken, err := tx.NewSelect().Model((*Sale)(nil)).
			Where("s.store_id = ? AND s.invoice_no = ?", sale.StoreID, sale.InvoiceNo).Exists(ctx)
		if err != nil {
			return fmt.Errorf("sales: invoice: %w", err)
		}
		if taken {
			return Invalid{"invoice_no": Msg(saleKeyDuplicate, "invoice", sale.InvoiceNo)}.Err()
		}
		sale.CreatedBy, sale.CreatedAt = actorID(actor), Now()
		if _, err := tx.NewInsert().Model(sale).Exec(ctx); err != nil {
			return fmt.Errorf("sales: insert: %w", err)
		}
		if err := addSalesMonths(ctx, tx, sale); err != nil {
			return err
		}
		out = sale
		return RecordAudit(ctx, tx, actor, Change{Entity: saleObject, EntityID: idString(sale.ID),
			Action: "create", District: sale.District, After: sale})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkOpen refuses a sale dated in a closed month of its district.
func (s *Sales) checkOpen(ctx context.Context, db bun.IDB, sale *Sale) error {
	closed, err := monthClosed(ctx, db, sale.District, sale.Month)
	if err != nil {
		return err
	}
	if closed {
		m := Msg(saleKeyMonthClosed, "month", sale.Month)
		return &Error{Code: EINVALID, Message: m, Fields: map[string]Message{"date": m}}
	}
	return nil
}

// prepare validates in, adding problems to v, and returns the sale it describes. The
// store must be active and lie in sc; a correction must point at a sale of the same store.
func (s *Sales) prepare(ctx context.Context, db bun.IDB, sc recordScope, v Invalid, in *SaleInput) (*Sale, error) {
	sale := &Sale{StoreID: in.StoreID, Date: in.Date, ArtisanID: in.ArtisanID, Craft: in.Craft,
		Product: in.Product, Quantity: in.Quantity, AmountPaise: in.AmountPaise, PaymentMode: in.PaymentMode,
		InvoiceNo: in.InvoiceNo, CorrectsSaleID: in.CorrectsSaleID}
	if in.StoreID <= 0 {
		v.Add("store_id", KeyRequired)
	} else {
		st := new(Store)
		err := db.NewSelect().Model(st).Where("st.id = ? AND st.active = ?", in.StoreID, true).Scan(ctx)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v.Add("store_id", saleKeyUnknownStore)
		case err != nil:
			return nil, fmt.Errorf("sales: store: %w", err)
		case !sc.includes(st.ID, st.District):
			v.Add("store_id", saleKeyUnknownStore) // as unknown: another store's existence is not told
		default:
			sale.District = st.District
		}
	}
	Required(v, "date", in.Date)
	if in.Date != "" {
		if d, err := time.Parse(time.DateOnly, in.Date); err != nil {
			v.Add("date", "validation.date")
		} else {
			sale.Month = MonthOf(d).String()
		}
	}
	Required(v, "craft", in.Craft)
	if in.Craft != "" {
		n, err := db.NewSelect().Model((*Craft)(nil)).Where("slug = ?", in.Craft).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("sales: craft: %w", err)
		}
		if n == 0 {
			v.Add("craft", artisanKeyUnknownCraft, "craft", in.Craft)
		}
	}
	Required(v, "product", in.Product)
	MaxLen(v, "product", in.Product, 300)
	artisanChoice(v, "payment_mode", in.PaymentMode, PaymentModes)
	Required(v, "invoice_no", in.InvoiceNo)
	MaxLen(v, "invoice_no", in.InvoiceNo, 50)
	if in.ArtisanID != nil {
		n, err := db.NewSelect().Model((*Artisan)(nil)).Where("id = ?", *in.ArtisanID).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("sales: artisan: %w", err)
		}
		if n == 0 {
			v.Add("artisan_id", "sale.unknown_artisan")
		}
	}
	if in.CorrectsSaleID == nil {
		if in.Quantity < 1 {
			v.Add("quantity", "validation.number")
		}
		if in.AmountPaise < 1 {
			v.Add("amount_paise", "sale.amount_positive")
		}
		return sale, nil
	}
	if in.Quantity == 0 && in.AmountPaise == 0 {
		v.Add("amount_paise", "sale.correction_empty")
	}
	n, err := db.NewSelect().Model((*Sale)(nil)).
		Where("s.id = ? AND s.store_id = ? AND s.corrects_sale_id IS NULL", *in.CorrectsSaleID, in.StoreID).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("sales: corrected sale: %w", err)
	}
	if n == 0 {
		v.Add("corrects_sale_id", "sale.unknown_original")
	}
	return sale, nil
}

// Get returns one sale in the actor's read scope.
func (s *Sales) Get(ctx context.Context, actor Actor, id int64) (*Sale, error) {
	sc, err := s.scope(ctx, s.DB, actor, "read")
	if err != nil {
		return nil, err
	}
	sale := new(Sale)
	err = sc.apply(s.DB.NewSelect().Model(sale), "s.store_id", "s.district").Where("s.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sales: get: %w", err)
	}
	return sale, nil
}

// List returns a page of sales in the actor's read scope, newest entry first, and the
// cursor of the next page (0 on the last).
func (s *Sales) List(ctx context.Context, actor Actor, f SaleFilter) ([]Sale, int64, error) {
	q, err := s.filtered(ctx, actor, f)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > MaxPageSize {
		f.Limit = 100
	}
	out := []Sale{}
	if f.BeforeID > 0 {
		q = q.Where("s.id < ?", f.BeforeID)
	}
	if err := q.Model(&out).OrderExpr("s.id DESC").Limit(int64(f.Limit) + 1).Scan(ctx); err != nil {
		return nil, 0, fmt.Errorf("sales: list: %w", err)
	}
	if len(out) > f.Limit {
		out = out[:f.Limit]
		return out, out[f.Limit-1].ID, nil
	}
	return out, 0, nil
}

// Summary totals the sales in the actor's read scope that f selects, by group (one of
// SaleGroups), in order of the key. Corrections count with their own sign.
func (s *Sales) Summary(ctx context.Context, actor Actor, group string, f SaleFilter) ([]SaleSummaryRow, error) {
	var key string
	switch group {
	case "store":
		key = "CAST(s.store_id AS TEXT)"
	case "district":
		key = "s.district"
	case "craft":
		key = "s.craft"
	case "artisan":
		key = "COALESCE(CAST(s.artisan_id AS TEXT), '')"
	case "month":
		key = "s.month"
	default:
		return nil, Invalid{"group": Msg(artisanKeyChoice)}.Err()
	}
	q, err := s.filtered(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	out := []SaleSummaryRow{}
	err = q.Model((*Sale)(nil)).
		ColumnExpr(key+" AS g_key").
		ColumnExpr("COUNT(*) AS g_count").
		ColumnExpr("CAST(COALESCE(SUM(s.amount_paise), 0) AS BIGINT) AS g_amount").
		GroupExpr(key).OrderExpr(key).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("sales: summary: %w", err)
	}
	return out, nil
}

// filtered is the query of the sales in the actor's read scope that f selects.
func (s *Sales) filtered(ctx context.Context, actor Actor, f SaleFilter) (*bun.SelectQuery, error) {
	sc, err := s.scope(ctx, s.DB, actor, "read")
	if err != nil {
		return nil, err
	}
	q := sc.apply(s.DB.NewSelect(), "s.store_id", "s.district")
	v := Invalid{}
	for _, m := range []struct{ field, value, op string }{{"month", f.Month, "="}, {"from", f.From, ">="}, {"to", f.To, "<="}} {
		if m.value == "" {
			continue
		}
		month, err := ParseMonth(m.value)
		if err != nil {
			v.Add(m.field, KeyMonth)
			continue
		}
		q = q.Where("s.month "+m.op+" ?", month.String())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if f.StoreID != 0 {
		q = q.Where("s.store_id = ?", f.StoreID)
	}
	if f.District != "" {
		q = q.Where("s.district = ?", strings.ToLower(f.District))
	}
	if f.Craft != "" {
		q = q.Where("s.craft = ?", f.Craft)
	}
	if f.ArtisanID != 0 {
		q = q.Where("s.artisan_id = ?", f.ArtisanID)
	}
	return q, nil
}

func (in *SaleInput) normalize() {
	in.Date = strings.TrimSpace(in.Date)
	in.Craft = strings.ToLower(strings.TrimSpace(in.Craft))
	in.Product = artisanCleanText(in.Product)
	in.PaymentMode = strings.ToLower(strings.TrimSpace(in.PaymentMode))
	in.InvoiceNo = strings.TrimSpace(in.InvoiceNo)
}

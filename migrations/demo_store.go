package migrations

import (
	"context"
	"fmt"
	"time"

	"shilpkosh/app"
)

// demoStoreManager runs the demo store; created after the store, whose id it needs.
var demoStoreManager = app.NewUser{Username: "store.jaipur", Name: "Store Manager Rajasthali Jaipur (demo)",
	Role: "store_manager", Districts: []string{"jaipur"}}

// seedDemoStore opens one Rajasthali showroom in Jaipur with its manager and a few months
// of sales of the demo artisans' crafts, once.
func seedDemoStore(ctx context.Context, d Demo, actors map[string]app.Actor) (users, sales int, err error) {
	existing, err := d.Stores.List(ctx, actors["admin"], app.StoreFilter{})
	if err != nil || len(existing) > 0 {
		return 0, 0, err
	}
	store, err := d.Stores.Create(ctx, actors["admin"], app.StoreInput{Name: "Rajasthali Emporium, M.I. Road",
		Type: "rajasthali", Agency: "rajsico", District: "jaipur", Address: "M.I. Road, Jaipur 302001"})
	if err != nil {
		return 0, 0, fmt.Errorf("demo store: %w", err)
	}
	mgr := demoStoreManager
	mgr.Password, mgr.StoreID = DemoPassword, &store.ID
	u, err := d.Users.Create(ctx, app.System, mgr)
	if err != nil {
		return 0, 0, fmt.Errorf("demo store manager: %w", err)
	}
	manager := app.Actor{UserID: u.ID, Username: u.Username, Name: u.Name}
	products := []struct {
		craft, product string
		rupees         int64
	}{
		{"sanganeri-block-print", "Hand block printed cotton saree", 2450},
		{"blue-pottery", "Blue pottery vase, 8 inch", 1200},
		{"meenakari", "Meenakari pendant", 3800},
		{"bagru-block-print", "Bagru print bedsheet, double", 1850},
		{"lac-bangles", "Lac bangle set", 450},
	}
	month := app.MonthOf(time.Now()).AddMonths(-3)
	for m := range 3 {
		for i, p := range products {
			_, err := d.Sales.Create(ctx, manager, app.SaleInput{StoreID: store.ID,
				Date: fmt.Sprintf("%s-%02d", month.AddMonths(m), 3+i*5), Craft: p.craft, Product: p.product,
				Quantity: int64(2 + (m+i)%4), AmountPaise: app.Paise(p.rupees*100) * app.Paise(2+(m+i)%4),
				PaymentMode: []string{"upi", "cash", "card"}[i%3], InvoiceNo: fmt.Sprintf("RJ-MIR/%s/%03d", month.AddMonths(m), i+1)})
			if err != nil {
				return 1, sales, fmt.Errorf("demo sale: %w", err)
			}
			sales++
		}
	}
	return 1, sales, nil
}

// AllDemoUsers lists every demo sign-in, the store manager included.
func AllDemoUsers() []app.NewUser {
	return append(append([]app.NewUser{}, DemoUsers...), demoStoreManager)
}

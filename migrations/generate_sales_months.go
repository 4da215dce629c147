package migrations

import (
	"context"
	"sync"

	"github.com/uptrace/bun"

	"shilpkosh/app"
)

// genSalesMonths holds each running generator's tally of sales_months, filled by makeSale
// as it writes the lines and written once by genFinish (a recount of millions of lines
// would cost the generator seconds it must not spend). It lives here, keyed by generator,
// rather than as a field of generator, which another file owns.
var genSalesMonths = struct {
	sync.Mutex
	by map[*generator]*app.SalesMonthsTally
}{by: map[*generator]*app.SalesMonthsTally{}}

// salesMonths returns g's tally, made on first use.
func (g *generator) salesMonths() *app.SalesMonthsTally {
	genSalesMonths.Lock()
	defer genSalesMonths.Unlock()
	t := genSalesMonths.by[g]
	if t == nil {
		t = app.NewSalesMonthsTally()
		genSalesMonths.by[g] = t
	}
	return t
}

// genWriteSalesMonths writes g's tally as the whole of sales_months and forgets it.
func genWriteSalesMonths(ctx context.Context, db *bun.DB, g *generator) error {
	t := g.salesMonths()
	genSalesMonths.Lock()
	delete(genSalesMonths.by, g)
	genSalesMonths.Unlock()
	return t.Replace(ctx, db)
}

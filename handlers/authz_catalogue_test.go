package handlers_test

func init() {
	allow(map[string][]string{
		"GET /api/v1/products/export":          artisanReaders,
		"GET /api/v1/products":                 artisanReaders,
		"POST /api/v1/products":                artisanEditors,
		"GET /api/v1/products/:id":             artisanReaders,
		"PATCH /api/v1/products/:id":           artisanEditors,
		"POST /api/v1/products/:id/photos":     artisanEditors,
		"GET /api/v1/photos/:id":               artisanReaders,
		"GET /api/v1/listings/price-flags":     artisanReaders,
		"GET /api/v1/listings":                 artisanReaders,
		"POST /api/v1/listings":                artisanEditors,
		"PATCH /api/v1/listings/:id":           artisanEditors,
		"PUT /api/v1/settings/price-tolerance": {"admin"},
		"GET /api/v1/readiness":                artisanReaders,
		"GET /api/v1/artisans/:id/readiness":   artisanReaders,
		"GET /products/new":                    artisanEditors,
		"GET /products/export":                 artisanReaders,
		"GET /products":                        artisanReaders,
		"POST /products":                       artisanEditors,
		"GET /products/:id":                    artisanReaders,
		"GET /products/:id/edit":               artisanEditors,
		"POST /products/:id":                   artisanEditors,
		"POST /products/:id/photos":            artisanEditors,
		"POST /products/:id/listings":          artisanEditors,
		"GET /photos/:id":                      artisanReaders,
		"GET /listings/price-flags":            artisanReaders,
		"GET /listings/:id/edit":               artisanEditors,
		"POST /listings/:id":                   artisanEditors,
		"GET /readiness":                       artisanReaders,
	})
}

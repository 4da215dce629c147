package handlers

import "github.com/gofiber/fiber/v2"

// catalogueRoutes: products, their photos, listings on platforms, price flags and readiness.
func (s *Server) catalogueRoutes() []route {
	return []route{
		apiRoute(fiber.MethodGet, "/products/export", "product", "read", s.apiProductExport),
		apiRoute(fiber.MethodGet, "/products", "product", "read", s.apiProductList),
		apiRoute(fiber.MethodPost, "/products", "product", "edit", s.apiProductCreate),
		apiRoute(fiber.MethodGet, "/products/:id", "product", "read", s.apiProductGet),
		apiRoute(fiber.MethodPatch, "/products/:id", "product", "edit", s.apiProductUpdate),
		apiRoute(fiber.MethodPost, "/products/:id/photos", "product", "edit", s.apiProductPhotoUpload),
		apiRoute(fiber.MethodGet, "/photos/:id", "product", "read", s.apiPhotoGet),
		apiRoute(fiber.MethodGet, "/listings/price-flags", "listing", "read", s.apiPriceFlags),
		apiRoute(fiber.MethodGet, "/listings", "listing", "read", s.apiListingList),
		apiRoute(fiber.MethodPost, "/listings", "listing", "edit", s.apiListingCreate),
		apiRoute(fiber.MethodPatch, "/listings/:id", "listing", "edit", s.apiListingUpdate),
		apiRoute(fiber.MethodPut, "/settings/price-tolerance", "setting", "manage", s.apiPriceToleranceSet),
		apiRoute(fiber.MethodGet, "/readiness", "product", "read", s.apiReadinessTable),
		apiRoute(fiber.MethodGet, "/artisans/:id/readiness", "product", "read", s.apiArtisanReadiness),
		pageRoute(fiber.MethodGet, "/products/new", "product", "edit", s.productNewPage),
		pageRoute(fiber.MethodGet, "/products/export", "product", "read", s.sendCatalogue),
		pageRoute(fiber.MethodGet, "/products", "product", "read", s.productListPage),
		pageRoute(fiber.MethodPost, "/products", "product", "edit", s.productCreateSubmit),
		pageRoute(fiber.MethodGet, "/products/:id", "product", "read", s.productPage),
		pageRoute(fiber.MethodGet, "/products/:id/edit", "product", "edit", s.productEditPage),
		pageRoute(fiber.MethodPost, "/products/:id", "product", "edit", s.productUpdateSubmit),
		pageRoute(fiber.MethodPost, "/products/:id/photos", "product", "edit", s.productPhotoSubmit),
		pageRoute(fiber.MethodPost, "/products/:id/listings", "listing", "edit", s.listingCreateSubmit),
		pageRoute(fiber.MethodGet, "/photos/:id", "product", "read", s.sendPhoto),
		pageRoute(fiber.MethodGet, "/listings/price-flags", "listing", "read", s.priceFlagsPage),
		pageRoute(fiber.MethodGet, "/listings/:id/edit", "listing", "edit", s.listingEditPage),
		pageRoute(fiber.MethodPost, "/listings/:id", "listing", "edit", s.listingUpdateSubmit),
		pageRoute(fiber.MethodGet, "/readiness", "product", "read", s.readinessPage),
		pageRoute(fiber.MethodPost, "/settings/price-tolerance", "setting", "manage", s.priceToleranceSubmit),
	}
}

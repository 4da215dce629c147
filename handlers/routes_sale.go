package handlers

import "github.com/gofiber/fiber/v2"

// saleRoutes: government stores, their sales and the month close.
func (s *Server) saleRoutes() []route {
	return []route{
		apiRoute(fiber.MethodGet, "/stores", "store", "read", s.apiStoreList),
		apiRoute(fiber.MethodPost, "/stores", "store", "manage", s.apiStoreCreate),
		apiRoute(fiber.MethodGet, "/stores/:id", "store", "read", s.apiStoreGet),
		apiRoute(fiber.MethodPatch, "/stores/:id", "store", "manage", s.apiStoreUpdate),
		apiRoute(fiber.MethodGet, "/sales/summary", "sale", "read", s.apiSaleSummary),
		apiRoute(fiber.MethodGet, "/sales/export", "sale", "read", s.apiSaleExport),
		apiRoute(fiber.MethodGet, "/sales", "sale", "read", s.apiSaleList),
		apiRoute(fiber.MethodPost, "/sales", "sale", "create", s.apiSaleCreate),
		apiRoute(fiber.MethodGet, "/sales/:id", "sale", "read", s.apiSaleGet),
		apiRoute(fiber.MethodPost, "/imports/sales", "sale", "import", s.apiSaleImport),
		apiRoute(fiber.MethodGet, "/months", "month", "read", s.apiMonthList),
		apiRoute(fiber.MethodPost, "/months/:district/:month/close", "month", "close", s.apiMonthClose),
		apiRoute(fiber.MethodPost, "/months/:district/:month/reopen", "month", "reopen", s.apiMonthReopen),
	}
}

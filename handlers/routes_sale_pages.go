package handlers

import "github.com/gofiber/fiber/v2"

// salePages: the web pages for stores, sales, statements and the month close.
func (s *Server) salePages() []route {
	return []route{
		pageRoute(fiber.MethodGet, "/stores/new", "store", "manage", s.storeNewPage),
		pageRoute(fiber.MethodGet, "/stores", "store", "read", s.storeListPage),
		pageRoute(fiber.MethodPost, "/stores", "store", "manage", s.storeCreateSubmit),
		pageRoute(fiber.MethodGet, "/stores/:id/edit", "store", "manage", s.storeEditPage),
		pageRoute(fiber.MethodPost, "/stores/:id", "store", "manage", s.storeUpdateSubmit),
		pageRoute(fiber.MethodGet, "/sales/new", "sale", "create", s.saleNewPage),
		pageRoute(fiber.MethodGet, "/sales/statement", "sale", "import", s.saleStatementPage),
		pageRoute(fiber.MethodPost, "/sales/statement", "sale", "import", s.saleStatementSubmit),
		pageRoute(fiber.MethodGet, "/sales/export", "sale", "read", s.apiSaleExport),
		pageRoute(fiber.MethodGet, "/sales", "sale", "read", s.saleListPage),
		pageRoute(fiber.MethodPost, "/sales", "sale", "create", s.saleCreateSubmit),
		pageRoute(fiber.MethodGet, "/months", "month", "read", s.monthsPage),
		pageRoute(fiber.MethodPost, "/months/:district/:month/close", "month", "close", s.monthCloseSubmit),
		pageRoute(fiber.MethodPost, "/months/:district/:month/reopen", "month", "reopen", s.monthReopenSubmit),
	}
}

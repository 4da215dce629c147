package handlers

// catalogueRoutes: products, their photos, listings on platforms and price flags.
func (s *Server) catalogueRoutes() []route {
	return nil
}

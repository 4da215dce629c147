package handlers

// salePages: the web pages for stores, sales, statements and the month close.
func (s *Server) salePages() []route {
	return nil
}

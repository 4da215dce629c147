package handlers

// schemePages: the web pages for schemes, enrolments and their bulk import.
func (s *Server) schemePages() []route {
	return nil
}

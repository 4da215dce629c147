package handlers

// adminPages: the web pages for users and the audit log.
func (s *Server) adminPages() []route {
	return nil
}

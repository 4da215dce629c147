package handlers

// systemRoutes: operations: backups, audit verification and other admin tools.
func (s *Server) systemRoutes() []route {
	return nil
}

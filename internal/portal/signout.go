package portal

import "net/http"

// signOutPage asks a signed-in visitor to confirm signing out, with a
// button that posts the form (with its CSRF token) to /signout. A GET
// never signs anyone out: a link or an image on another site could
// otherwise do it. Someone not signed in goes to the sign-in page.
func (s *Server) signOutPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.visitorOf(r)
	switch {
	case err != nil:
		s.serverError(w, r, nil, err)
	case v == nil:
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	default:
		s.render(w, r, v, http.StatusOK, "signout", page{Title: "Sign out"})
	}
}

// Package failurehttp maps the kinds of refusal to HTTP statuses, once for
// both surfaces that speak HTTP (the pages and the JSON API). It lives
// apart from package failure so that no domain package depends on
// net/http.
package failurehttp

import (
	"net/http"

	"wuliang/internal/failure"
)

// Status is the status of err by its kind; 500 for an error of no kind,
// a fault of the server.
func Status(err error) int {
	switch failure.KindOf(err) {
	case failure.NotFound:
		return http.StatusNotFound
	case failure.Forbidden:
		return http.StatusForbidden
	case failure.Conflict:
		return http.StatusConflict
	case failure.Gone:
		return http.StatusGone
	case failure.TooMany:
		return http.StatusTooManyRequests
	case failure.Invalid:
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

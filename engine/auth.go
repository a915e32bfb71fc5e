package engine

import (
	"crypto/subtle"
	"errors"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mechanisms offered in EHLO (SPEC §1: AUTH PLAIN LOGIN).
var authMechanisms = []string{sasl.Plain, sasl.Login}

// checkCredentials accepts anything when no credentials are configured
// (AUTH is optional by default) and compares in constant time otherwise.
// Bad credentials are smtp.ErrAuthFailed so the client sees 535, not 454.
func checkCredentials(cfg Config, user, pass string) error {
	if cfg.SMTPUser == "" {
		return nil
	}
	userOK := subtle.ConstantTimeCompare([]byte(user), []byte(cfg.SMTPUser)) == 1
	passOK := subtle.ConstantTimeCompare([]byte(pass), []byte(cfg.SMTPPass)) == 1
	if !userOK || !passOK {
		return smtp.ErrAuthFailed
	}
	return nil
}

// loginServer is the server side of the obsolete but still common LOGIN
// mechanism (Outlook, older PHP and .NET mailers); go-sasl ships only its
// client. Username and password arrive as two base64 answers to two prompts.
type loginServer struct {
	step         int
	user         string
	authenticate func(user, pass string) error
}

func (s *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch s.step {
	case 0:
		if len(response) > 0 { // initial response carries the username
			s.user, s.step = string(response), 2
			return []byte("Password:"), false, nil
		}
		s.step = 1
		return []byte("Username:"), false, nil
	case 1:
		s.user, s.step = string(response), 2
		return []byte("Password:"), false, nil
	case 2:
		s.step = 3
		return nil, true, s.authenticate(s.user, string(response))
	default:
		return nil, true, errors.New("unexpected login response")
	}
}

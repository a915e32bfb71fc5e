package engine

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/mailhook/mailhook/engine/payload"
	"github.com/mailhook/mailhook/storage"
)

// connState is one SMTP connection's history row, shared by the go-smtp
// Sessions built on it (a new one after STARTTLS).
type connState struct {
	smtp *smtp.Conn
	mu   sync.Mutex
	rec  storage.Session
}

func (st *connState) snapshot() storage.Session {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.rec
}

// transaction is what happens between MAIL FROM and the end of DATA (or RSET).
type transaction struct {
	cfg Config // taken at MAIL: settings changes apply to the next transaction
	msg storage.Message
	spf payload.SPF

	// refused is the outcome of recipients the authorization callback
	// refused: delayed when any was delayed (the sender will come back),
	// else rejected. It is the transaction's outcome while none is accepted.
	refused      string
	refusedReply string
}

// session implements smtp.Session and smtp.AuthSession for one connection.
// go-smtp calls it from the connection's goroutine, except Data for BDAT,
// which runs in a goroutine of its own: hence the lock around tx.
type session struct {
	e    *Engine
	conn *connState

	mu sync.Mutex
	tx *transaction
}

func (s *session) transaction() *transaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tx
}

// NewSession is called by go-smtp at EHLO/HELO (and again after STARTTLS).
func (e *Engine) NewSession(c *smtp.Conn) (smtp.Session, error) {
	tc, ok := unwrapConn(c.Conn())
	if !ok {
		return nil, replyInternal("unexpected connection type")
	}
	if e.isClosing() {
		return nil, replyShuttingDown()
	}
	tlsState, isTLS := c.TLSConnectionState()

	tc.mu.Lock()
	st, fresh := tc.state, tc.state == nil
	if fresh {
		st = &connState{}
		tc.state = st
	}
	st.smtp = c
	tc.mu.Unlock()

	ctx := context.Background()
	st.mu.Lock()
	st.rec.HeloDomain = c.Hostname()
	st.rec.TLS = isTLS
	if !fresh {
		// STARTTLS: RFC 3207 has the client authenticate again.
		st.rec.AuthUser = ""
	}
	if isTLS {
		st.rec.TLSCipher = cipherName(tlsState)
	}
	var err error
	if fresh {
		st.rec.StartedAt = tc.acceptedAt
		st.rec.RemoteAddr = tc.RemoteAddr().String()
		st.rec.RemoteIP = hostOf(st.rec.RemoteAddr)
		err = e.store.CreateSession(ctx, &st.rec)
	} else {
		err = e.store.UpdateSession(ctx, &st.rec)
	}
	rec := st.rec
	st.mu.Unlock()
	if err != nil {
		e.log.Error("record session", "err", err)
		return nil, replyInternal("history unavailable")
	}

	if fresh {
		e.recordEvent(rec.ID, 0, "CONNECT", rec.RemoteAddr, nil, tc.acceptedAt)
		e.publish(Event{Kind: EventSessionOpened, SessionID: rec.ID, RemoteIP: rec.RemoteIP})
	} else {
		e.recordEvent(rec.ID, 0, "STARTTLS", rec.TLSCipher, reply(220, smtp.EnhancedCode{2, 0, 0}, "Ready to start TLS"), e.now())
	}
	e.recordEvent(rec.ID, 0, "EHLO", rec.HeloDomain, reply(250, codeOK, "Hello "+rec.HeloDomain), e.now())
	return &session{e: e, conn: st}, nil
}

// connClosed ends the session row when the socket closes.
func (e *Engine) connClosed(tc *trackedConn) {
	e.mu.Lock()
	delete(e.conns, tc)
	e.mu.Unlock()

	tc.mu.Lock()
	st := tc.state
	tc.mu.Unlock()
	if st == nil {
		return // closed before EHLO: nothing was recorded
	}
	st.mu.Lock()
	st.rec.EndedAt = e.now()
	err := e.store.UpdateSession(context.Background(), &st.rec)
	rec := st.rec
	st.mu.Unlock()
	if err != nil {
		e.log.Error("record session end", "session", rec.ID, "err", err)
	}
	e.recordEvent(rec.ID, 0, "CLOSE", "", nil, rec.EndedAt)
	e.publish(Event{Kind: EventSessionClosed, SessionID: rec.ID, RemoteIP: rec.RemoteIP})
}

func (e *Engine) connOpened(tc *trackedConn) {
	e.mu.Lock()
	e.conns[tc] = struct{}{}
	e.mu.Unlock()
}

// AuthMechanisms implements smtp.AuthSession.
func (s *session) AuthMechanisms() []string { return authMechanisms }

// Auth implements smtp.AuthSession for PLAIN and LOGIN.
func (s *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		err := checkCredentials(s.e.Config(), user, pass)
		r := reply(235, codeOK, "Authentication succeeded")
		if err != nil {
			r = smtp.ErrAuthFailed
		}
		s.conn.mu.Lock()
		if err == nil {
			s.conn.rec.AuthUser = user
		}
		rec := s.conn.rec
		s.conn.mu.Unlock()
		if err == nil {
			if uerr := s.e.store.UpdateSession(context.Background(), &rec); uerr != nil {
				s.e.log.Error("record auth user", "err", uerr)
			}
		}
		s.e.recordEvent(rec.ID, 0, "AUTH", mech+" "+user, r, s.e.now())
		return err
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, user, pass string) error {
			if identity != "" && identity != user {
				return smtp.ErrAuthFailed
			}
			return check(user, pass)
		}), nil
	case sasl.Login:
		return &loginServer{authenticate: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// Mail starts a transaction and records it, so even a sender refused later
// is visible in history.
func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	rec := s.conn.snapshot()
	now := s.e.now()
	if tx := s.transaction(); tx != nil {
		// go-smtp keeps the first MAIL's recipients: a second MAIL would
		// deliver to addresses nobody authorized for this sender.
		r := replyNestedMail()
		s.e.recordEvent(rec.ID, tx.msg.ID, "MAIL", from, r, now)
		return r
	}
	if s.e.isClosing() || s.e.Paused() {
		r := replyShuttingDown()
		if s.e.Paused() {
			r = replyPaused()
		}
		s.e.recordEvent(rec.ID, 0, "MAIL", from, r, now)
		return r
	}
	cfg := s.e.Config()
	if cfg.SMTPUser != "" && rec.AuthUser == "" {
		r := replyAuthRequired()
		s.e.recordEvent(rec.ID, 0, "MAIL", from, r, now)
		return r
	}
	// SPF is kept on the message so a replay can rebuild the envelope.
	spf := s.e.evaluateSPF(cfg, rec.RemoteIP, rec.HeloDomain, from)
	msg := storage.Message{SessionID: rec.ID, CreatedAt: now, MailFrom: from, SPFResult: spf.Result, SPFDomain: spf.Domain}
	if opts != nil {
		msg.SizeParam = opts.Size
	}
	if err := s.e.store.CreateMessage(context.Background(), &msg); err != nil {
		s.e.log.Error("record transaction", "err", err)
		r := replyInternal("history unavailable")
		s.e.recordEvent(rec.ID, 0, "MAIL", from, r, now)
		return r
	}
	s.mu.Lock()
	s.tx = &transaction{cfg: cfg, msg: msg, spf: spf}
	s.mu.Unlock()
	s.e.recordEvent(rec.ID, msg.ID, "MAIL", mailArg(from, msg.SizeParam), replySenderOK(from), now)
	return nil
}

// Rcpt asks the authorization callback, when one is set, about each
// recipient; only accepted ones reach the delivery's envelope.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	tx := s.transaction()
	rec := s.conn.snapshot()
	if tx == nil {
		r := replyInternal("no transaction")
		s.e.recordEvent(rec.ID, 0, "RCPT", to, r, s.e.now())
		return r
	}
	ctx := context.Background()
	if tx.cfg.AuthURL != "" {
		if !s.e.beginWork() {
			r := replyShuttingDown()
			s.e.recordEvent(rec.ID, tx.msg.ID, "RCPT", to, r, s.e.now())
			return r
		}
		outcome, r := s.e.authorize(ctx, rec, tx, to)
		s.e.inflight.Done()
		if outcome != storage.OutcomeAccepted {
			return s.refuseRecipient(ctx, rec, tx, to, outcome, r)
		}
	}
	tx.msg.Recipients = append(tx.msg.Recipients, to)
	tx.msg.Outcome, tx.msg.SMTPReply = storage.OutcomePending, ""
	if err := s.e.store.UpdateMessage(ctx, &tx.msg); err != nil {
		s.e.log.Error("record recipient", "err", err)
		tx.msg.Recipients = tx.msg.Recipients[:len(tx.msg.Recipients)-1]
		r := replyInternal("history unavailable")
		s.e.recordEvent(rec.ID, tx.msg.ID, "RCPT", to, r, s.e.now())
		return r
	}
	s.e.recordEvent(rec.ID, tx.msg.ID, "RCPT", to, replyRecipientOK(to), s.e.now())
	return nil
}

// refuseRecipient records a refused RCPT. While no recipient is accepted the
// transaction shows the refusal as its outcome, so a sender turned away
// before DATA is visible in history.
func (s *session) refuseRecipient(ctx context.Context, rec storage.Session, tx *transaction, to, outcome string, r *smtp.SMTPError) error {
	if tx.refused != storage.OutcomeDelayed {
		tx.refused = outcome
	}
	tx.refusedReply = formatReply(r)
	if len(tx.msg.Recipients) == 0 {
		tx.msg.Outcome, tx.msg.SMTPReply = tx.refused, tx.refusedReply
		if err := s.e.store.UpdateMessage(ctx, &tx.msg); err != nil {
			s.e.log.Error("record refused recipient", "err", err)
		}
	}
	s.e.recordEvent(rec.ID, tx.msg.ID, "RCPT", to, r, s.e.now())
	return r
}

// Data reads the message and delivers it while the client waits; the reply
// is written by go-smtp only after this returns, so after the commit.
func (s *session) Data(r io.Reader) error {
	tx := s.transaction()
	rec := s.conn.snapshot()
	if tx == nil || len(tx.msg.Recipients) == 0 {
		return replyInternal("no transaction")
	}
	if !s.e.beginWork() {
		return replyShuttingDown()
	}
	defer s.e.inflight.Done()
	raw, err := io.ReadAll(r)
	switch {
	case errors.Is(err, smtp.ErrDataTooLarge):
		return s.e.refuseTooBig(rec, tx, int64(len(raw)))
	case err != nil:
		// The client went away or reset mid-message, or go-smtp refused an
		// oversized BDAT chunk itself: the data is incomplete, say so.
		s.e.abandon(rec, tx, err)
		return err
	}
	return s.e.deliver(context.Background(), rec, tx, raw)
}

// Reset ends the transaction (after DATA, on RSET, before a new MAIL).
func (s *session) Reset() { s.endTransaction() }

// Logout runs on STARTTLS and at the end of the connection; the session row
// is closed by connClosed when the socket really closes.
func (s *session) Logout() error {
	s.endTransaction()
	return nil
}

func (s *session) endTransaction() {
	s.mu.Lock()
	s.tx = nil
	s.mu.Unlock()
}

func hostOf(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}

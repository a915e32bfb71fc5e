package engine

import (
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// trackedListener wraps the SMTP listener so each connection carries its
// accept time and a hook that runs once when it closes. go-smtp calls
// Logout both on STARTTLS and at the end, and builds a new Session after
// STARTTLS; the connection, not the Session, is what one history row means.
type trackedListener struct {
	net.Listener
	onAccept func(*trackedConn)
	onClose  func(*trackedConn)
}

func (l *trackedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, acceptedAt: time.Now(), onClose: l.onClose}
	if l.onAccept != nil {
		l.onAccept(tc)
	}
	return tc, nil
}

type trackedConn struct {
	net.Conn
	acceptedAt time.Time
	onClose    func(*trackedConn)

	mu    sync.Mutex
	state *connState // set by the first NewSession on this connection
	once  sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		if c.onClose != nil {
			c.onClose(c)
		}
	})
	return err
}

// wire is where a reply must be written: the TLS layer once STARTTLS ran.
func (c *trackedConn) wire() net.Conn {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != nil && c.state.smtp != nil {
		return c.state.smtp.Conn()
	}
	return c.Conn
}

// unwrapConn finds our trackedConn under a TLS layer.
func unwrapConn(c net.Conn) (*trackedConn, bool) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	t, ok := c.(*trackedConn)
	return t, ok
}

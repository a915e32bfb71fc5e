package app

import "github.com/godbus/dbus/v5"

// trayHostAvailable reports whether a tray can show Mailhook's icon. On
// Linux the icon is a StatusNotifierItem, and without a watcher on the
// session bus (plain GNOME, Xvfb) nothing shows it: hiding the window on
// close would then lose it for good.
func trayHostAvailable() bool {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return false
	}
	if err := conn.Hello(); err != nil {
		return false
	}
	var owned bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&owned)
	return err == nil && owned
}

"""The Qt user interface: the kiosk window (shell, one screen per screen kind, theme, keypad) and
the simulate-mode panel. Screens render the engine's screen models and send back inputs; nothing
here calls a device or the host."""

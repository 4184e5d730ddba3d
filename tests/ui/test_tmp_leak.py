import threading, time
from PySide6.QtWidgets import QWidget
from PySide6.QtCore import QTimer
keep=[]
def test_widget_leak(qapp):
    w=QWidget(); w.show(); keep.append(w)
def test_timer_leak(qapp):
    t=QTimer(); t.start(1000); keep.append(t)
def test_thread_leak():
    ev=threading.Event(); keep.append(ev)
    threading.Thread(target=ev.wait, args=(10,), daemon=True).start()

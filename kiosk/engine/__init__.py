"""The flow runtime: flows compiled into statecharts, sessions, screen models out, inputs in. No Qt."""

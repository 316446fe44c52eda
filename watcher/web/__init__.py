"""The web side of `watcher run`: the HTTP listener (server.py), /healthz and /metrics
(probes.py), and the desk page (desk.py and the modules it names), all on the service's loop."""

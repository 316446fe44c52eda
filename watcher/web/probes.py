"""GET /healthz (200 "ok", or 503 and the problems) and GET /metrics (Prometheus text format).

Served with no login, by `[service] http` alone or as part of the desk page (`[web] listen`).
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from watcher.health import Health
from watcher.metrics import Metrics

TEXT = "text/plain; charset=utf-8"


def probe_routes(health: Callable[[], Health], metrics: Metrics) -> list[Route]:
    async def healthz(request: Request) -> Response:
        snapshot = health()
        if snapshot.healthy:
            return PlainTextResponse("ok\n")
        return PlainTextResponse("\n".join(snapshot.problems) + "\n", status_code=503)

    async def scrape(request: Request) -> Response:
        metrics.observe_health(health())
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return [Route("/healthz", healthz, methods=["GET"]), Route("/metrics", scrape, methods=["GET"])]


def probes_app(health: Callable[[], Health], metrics: Metrics) -> Starlette:
    """`[service] http`: the probes and nothing else."""

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("try /healthz or /metrics\n", status_code=404)

    return Starlette(routes=probe_routes(health, metrics), exception_handlers={404: not_found})

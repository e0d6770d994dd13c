"""FastAPI's own OpenTelemetry is on only where the environment configures OpenTelemetry."""

from __future__ import annotations

import pytest

from marketplace.main import native_telemetry


def test_without_opentelemetry_settings_fastapi_telemetry_is_off() -> None:
    config = native_telemetry({"PATH": "/usr/bin", "MARKETPLACE_LOG_LEVEL": "INFO"})

    assert config == {"tracing": False, "metrics": False, "logs": False}


@pytest.mark.parametrize(
    "name", ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "FASTAPI_OTEL_AUTO_CONFIGURE"]
)
def test_opentelemetry_settings_keep_fastapi_defaults(name: str) -> None:
    assert native_telemetry({name: "x"}) == {}

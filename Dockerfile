# syntax=docker/dockerfile:1
# Build stage: install the pinned dependencies into a virtual environment.
FROM python:3.13-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml constraints.txt README.md ./
COPY src ./src
# the Indonesian catalog is compiled here (.mo files are build output, not in git)
RUN pip install -c constraints.txt . \
    && pybabel compile -i src/marketplace/locale/id/LC_MESSAGES/messages.po \
        -o "$(python -c 'import marketplace, pathlib; print(pathlib.Path(marketplace.__file__).parent)')/locale/id/LC_MESSAGES/messages.mo"

# Runtime stage: the venv, migrations and templates; no compilers, no root.
FROM python:3.13-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MARKETPLACE_ENVIRONMENT=production \
    MARKETPLACE_MEDIA_ROOT=/data/media
RUN groupadd --system app && useradd --system --gid app --home /app app \
    && mkdir -p /data/media && chown -R app:app /data
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY alembic.ini ./
COPY alembic ./alembic
COPY templates ./templates
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
# Every replica may migrate at start: on PostgreSQL migrations wait on an advisory lock, so
# replicas starting together migrate once. PROMETHEUS_MULTIPROC_DIR makes /metrics add up the
# request timings of all workers (see README, Metrics).
ENV PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus
CMD ["sh", "-c", "rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && marketplace db upgrade && exec marketplace serve --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2}"]

FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/oncall.db \
    PORT=3000

WORKDIR /app
RUN useradd --create-home --uid 10001 oncall && mkdir /data && chown oncall /data

COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install .
COPY alembic.ini ./
COPY migrations ./migrations
COPY runbooks ./runbooks
COPY examples ./examples

USER oncall
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"

# Migrations first, so a new image never serves on an old schema.
CMD ["sh", "-c", "oncall-bot migrate && exec oncall-bot serve"]

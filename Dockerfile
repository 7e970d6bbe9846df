# The bot as an installed wheel, run as an unprivileged user; its SQLite store lives in /data
# (set DATABASE_URL to use PostgreSQL instead). README: "Run it in Docker".

FROM python:3.12-slim AS wheel
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY migrations ./migrations
COPY runbooks ./runbooks
COPY examples ./examples
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/oncall.db \
    PORT=3000

WORKDIR /app
RUN useradd --create-home --uid 10001 oncall && mkdir /data && chown 10001 /data

# The dependencies in a layer of their own: a change to the code alone does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install --no-cache-dir -r requirements.txt

# The wheel holds the code, its migrations, the example team files and their runbooks.
COPY --from=wheel /wheels /wheels
RUN pip install --no-cache-dir --no-deps /wheels/*.whl

USER 10001
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]

# Migrations first, so a new image never serves on an old schema.
CMD ["sh", "-c", "oncall-bot migrate && exec oncall-bot serve"]

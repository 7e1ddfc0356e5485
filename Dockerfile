# The newsmon worker image (docker-compose.yml builds it). No Java here: Kafka runs in its own container.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The whole tree (see .dockerignore): `pip install .` needs the packages and README.md, and the worker
# reads rules/ (NEWSMON_RULES, relative to the working dir) and seeds/ at run time.
COPY . .
RUN pip install . \
 && useradd --create-home --uid 10001 newsmon \
 && chown -R newsmon /app
USER newsmon

ENV KAFKA_BOOTSTRAP=kafka:19092 \
    NEWSMON_WEB_PORT=6066 \
    NEWSMON_WEB_HOST=0.0.0.0 \
    NEWSMON_RULES=/app/rules
EXPOSE 6066
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('NEWSMON_WEB_PORT', '6066'), timeout=4)"
CMD ["newsmon", "worker"]

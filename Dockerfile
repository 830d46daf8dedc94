# The portal's image for docker-compose.yml: gunicorn (web), Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=credit_portal.settings.production \
    STATIC_ROOT=/srv/static

WORKDIR /app

# Dependencies first (pinned in pyproject.toml; the project itself installs no package).
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Static files are collected at build time; whitenoise serves them. The values below exist only
# so that the production settings load for this step: the real ones come at run time.
RUN SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    PERSON_ID_KEY=collectstatic-only \
    DATABASE_URL=postgres://unused@localhost:5432/unused \
    python manage.py collectstatic --noinput -v 0

RUN useradd --system --create-home --uid 10001 portal
USER portal

EXPOSE 8000
CMD ["gunicorn", "credit_portal.wsgi", "--bind=0.0.0.0:8000", "--workers=3", "--access-logfile=-"]

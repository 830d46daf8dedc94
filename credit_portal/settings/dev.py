"""Local development: the README's run command."""

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["*"]

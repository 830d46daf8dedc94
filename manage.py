#!/usr/bin/env python
"""Django's command-line utility. Starts the embedded PostgreSQL when DATABASE_URL is unset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "credit_portal.settings.dev")
    from credit_portal import embedded

    embedded.ensure_database_url()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

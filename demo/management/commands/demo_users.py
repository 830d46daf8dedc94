"""Create (once) and print the demo sign-ins: ``manage.py demo_users``.

Safe to run again: the same users are brought back to their demo state and the API token kept
in ``VAR_DIR/demo_api_token.txt`` is reused. All demo users share one password, from the
``DEMO_PASSWORD`` environment variable (default ``credit-demo-2026``).
"""

from __future__ import annotations

import os
import unicodedata

from django.core.management.base import BaseCommand

from demo.sign_ins import DEMO_PASSWORD, demo_users_ensure


def _pad(text: str, width: int) -> str:
    """Left-justify by display width: Chinese characters take two terminal columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


class Command(BaseCommand):
    help = "创建并显示演示账号 / Create and print the demo sign-ins."

    def handle(self, *args, **options) -> None:
        password = os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD
        result = demo_users_ensure(password)
        out = self.stdout.write
        out(f"演示账号 / demo sign-ins  (密码 / password: {result.password})")
        out("  " + _pad("用户名 / username", 18) + _pad("角色 / role", 52) + "登录 / sign in at")
        for sign_in in result.sign_ins:
            note = f"  [{sign_in.note}]" if sign_in.note else ""
            out("  " + _pad(sign_in.username, 18) + _pad(sign_in.role, 52) + sign_in.where + note)
        out(f"接口令牌 / API token ({result.api_department}): {result.api_token}")
        out(
            f'  curl -H "Authorization: Token {result.api_token}" '
            "http://127.0.0.1:8000/api/v1/entities/"
        )

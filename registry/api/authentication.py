"""API tokens for department systems and credit agencies: ``Authorization: Token <token>``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from credit_portal.tokens import token_hash


class ApiClientTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        from registry.models import ApiClient

        try:
            client = ApiClient.objects.select_related("user").get(token_hash=token_hash(key))
        except ApiClient.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("令牌无效。/ Invalid token.")) from None
        if not client.active or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌已停用。/ Token disabled."))
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client.user, client

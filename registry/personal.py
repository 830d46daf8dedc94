"""ID numbers of natural persons: encrypted at rest, found by keyed hash, masked in public
(2022 opinions, art. 25: security of personal information)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from credit_portal.errors import DomainError


class InvalidIdNumber(DomainError):
    code = "invalid_id_number"


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    enc = base64.urlsafe_b64encode(hashlib.sha256(b"person-id-enc:" + secret.encode()).digest())
    mac = hashlib.sha256(b"person-id-mac:" + secret.encode()).digest()
    return Fernet(enc), mac


def normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def validate(raw: str, kind: str = "resident") -> str:
    number = normalise(raw)
    if not number:
        raise InvalidIdNumber(_("请输入证件号码。/ Enter an ID number."))
    if kind != "resident":
        if not 5 <= len(number) <= 30 or not number.isalnum():
            raise InvalidIdNumber(_("证件号码格式不正确。/ The document number is malformed."))
        return number
    try:
        return ric.validate(number)
    except InvalidLength:
        raise InvalidIdNumber(
            _("居民身份证号码应为18位。/ A resident ID number has 18 characters.")
        ) from None
    except InvalidChecksum:
        raise InvalidIdNumber(
            _("居民身份证号码校验码错误。/ The ID number's check character is wrong.")
        ) from None
    except InvalidComponent:
        raise InvalidIdNumber(
            _(
                "居民身份证号码中的出生日期或地区码无效。"
                "/ The birth date or region in the ID number is invalid."
            )
        ) from None
    except ValidationError:
        raise InvalidIdNumber(
            _("居民身份证号码格式不正确。/ The resident ID number is malformed.")
        ) from None


def lookup_hash(number: str) -> str:
    _fernet, mac = _keys(settings.PERSON_ID_KEY)
    return hmac.new(mac, normalise(number).encode(), hashlib.sha256).hexdigest()


def encrypt(number: str) -> str:
    fernet, _mac = _keys(settings.PERSON_ID_KEY)
    return fernet.encrypt(normalise(number).encode()).decode()


def decrypt(token: str) -> str:
    fernet, _mac = _keys(settings.PERSON_ID_KEY)
    return fernet.decrypt(token.encode()).decode()


def mask(number: str) -> str:
    """Keep the first 3 and last 2 characters: '110***********123X' style, birth date hidden."""
    number = normalise(number)
    if len(number) <= 5:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]

"""The connection file IT hands to one person: where the hub is, who they are on it, and the
hub's own certificate authority. Signed with that authority's key, so an edited file (a
changed host, user or certificate) is refused. It holds a password: hand it over safely."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from adviser_app.sync.errors import HubError

FORMAT = "adviser-hub-connection/1"


@dataclass(frozen=True)
class HubSettings:
    host: str
    port: int
    dbname: str
    user: str
    password: str
    ca_pem: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> HubSettings:
        return HubSettings(str(data["host"]), int(data["port"]), str(data["dbname"]),
                           str(data["user"]), str(data["password"]), str(data["ca_pem"]))


def _payload(settings: HubSettings) -> bytes:
    return json.dumps(settings.as_dict(), sort_keys=True, separators=(",", ":")).encode()


def write(path: Path, settings: HubSettings, ca_key: ec.EllipticCurvePrivateKey) -> None:
    signature = ca_key.sign(_payload(settings), ec.ECDSA(hashes.SHA256()))
    body = {"format": FORMAT, "hub": settings.as_dict(),
            "signature": base64.b64encode(signature).decode()}
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    path.chmod(0o600)


_EDITED = ("The connection file has been changed since IT made it, so it was not used: "
           "ask IT for a new one.")


def read(path: Path) -> HubSettings:
    """The settings in a connection file, or HubError if it is unreadable or was edited."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HubError(f"There is no connection file at {path}.") from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise HubError("That file is not a connection file from adviser-hub: "
                       "ask IT for the file made for you.") from None
    return verify(body)


def verify(body: Any) -> HubSettings:
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise HubError("That file is not a connection file from adviser-hub: "
                       "ask IT for the file made for you.")
    try:
        settings = HubSettings.from_dict(body["hub"])
        signature = base64.b64decode(body["signature"], validate=True)
        ca = x509.load_pem_x509_certificate(settings.ca_pem.encode())
        key = ca.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise HubError(_EDITED)
        key.verify(signature, _payload(settings), ec.ECDSA(hashes.SHA256()))
        # the certificate must be the authority that signed itself (not any certificate)
        key.verify(ca.signature, ca.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256()))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        raise HubError(_EDITED) from None
    return settings

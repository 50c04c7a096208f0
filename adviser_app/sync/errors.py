"""One plain sentence for each way talking to the hub can fail."""

from __future__ import annotations


class HubError(Exception):
    """Something about the hub or the connection file; str() is a sentence for the user.
    Nothing saved on the laptop has been changed when this is raised."""


_HUB_STATES = {
    "AH001": "The hub and this app speak different versions of the team register: update the "
             "app on this laptop.",
    "AH002": "This laptop sent a change the hub cannot read, so nothing was sent: update the "
             "app, and tell IT if it keeps happening.",
    "AH003": "A conflict is decided by keeping the hub's value or taking the other one.",
    "AH004": "That conflict has already been decided by someone else: sync to see their choice.",
    "AH005": "A clash where one person deleted the record is settled by restoring it or "
             "confirming the delete, not with a new value.",
}


def explain(exc: BaseException, host: str = "", user: str = "") -> HubError:
    """Turn a psycopg or OS error into a HubError saying what is wrong and what to do."""
    if isinstance(exc, HubError):
        return exc
    state = getattr(exc, "sqlstate", None)
    if state in _HUB_STATES:
        return HubError(_HUB_STATES[state])
    text = str(exc).lower()
    where = f"the hub at {host}" if host else "the hub"
    if "password authentication failed" in text:
        return HubError(f"The hub did not accept the password for {user or 'this user'}: "
                        "ask IT for a new connection file.")
    if "not permitted to log in" in text or ("role" in text and "does not exist" in text) \
            or "no pg_hba.conf entry" in text or "rejects connection" in text \
            or "permission denied for database" in text:
        return HubError(f"The hub no longer accepts the user {user or ''}".rstrip() +
                        ": ask IT whether you should still have access.")
    if "certificate has expired" in text or "certificate is not yet valid" in text:
        return HubError(f"The certificate of {where} has expired: ask IT to renew it "
                        "(adviser-hub init) and send new connection files.")
    if "certificate verify failed" in text or "server certificate" in text \
            or "does not match host name" in text or "root certificate" in text:
        return HubError(f"The certificate of {where} is not the one in your connection file, "
                        "so nothing was sent: ask IT to check the hub and your connection file.")
    if "ssl" in text and ("not support" in text or "required" in text):
        return HubError(f"{where[0].upper()}{where[1:]} did not offer an encrypted "
                        "connection, so nothing was sent: ask IT to check the hub.")
    if "scram" in text or "authentication method" in text or "require_auth" in text:
        return HubError(f"{where[0].upper()}{where[1:]} asked for an unsafe way of signing "
                        "in, so nothing was sent: ask IT to check the hub.")
    if "ah001" in text or "protocol" in text:
        return HubError("The hub and this app speak different versions of the team register: "
                        "update the app on this laptop.")
    if "connection refused" in text or "could not connect" in text or "timeout" in text \
            or "timed out" in text or "name or service not known" in text \
            or "could not translate host" in text or "no route to host" in text \
            or "network is unreachable" in text:
        return HubError(f"{where[0].upper()}{where[1:]} cannot be reached: check the office "
                        "network or VPN and try again later; your work is kept on this laptop.")
    if "terminating connection" in text or "server closed the connection" in text \
            or "connection is lost" in text or "connection already closed" in text \
            or "consuming input failed" in text or "the connection is closed" in text \
            or "shutting down" in text or "starting up" in text or "eof" in text:
        return HubError("The connection to the hub was lost part way: nothing was lost, and "
                        "the next sync carries on where this one stopped.")
    return HubError("The hub could not complete the sync (" + type(exc).__name__ + "): "
                    "try again later; if it keeps happening, tell IT.")
